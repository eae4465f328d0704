//! The two signature schemes of Alibaba Cloud's RPC APIs, verified as the real gateway
//! verifies them (see `shared/aliyun-openapi/PROTOCOL.md`):
//!
//! - **ACS3-HMAC-SHA256** (the current SDKs): an `Authorization` header naming the
//!   AccessKey, the signed headers and a hex HMAC-SHA256 over a canonical request
//!   (method, path, sorted RFC 3986-encoded query, the signed headers, the list of them,
//!   the body's SHA-256).
//! - **HMAC-SHA1, SignatureVersion 1.0** (the legacy SDK and the DNS tools): a
//!   `Signature` parameter, base64 HMAC-SHA1 with key `secret&` over
//!   `METHOD&%2F&` + the encoded, sorted parameters.
//!
//! Both are checked in constant time. Timestamps are checked against the real clock,
//! never the simulated one, so moving the simulated clock never breaks authentication.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (space as
/// `%20`, `*` as `%2A`, `~` kept), as both schemes require.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes per RFC 3986.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// How a request was signed, with what the gateway needs to check it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Signed {
    /// ACS3-HMAC-SHA256.
    Acs3 {
        /// The AccessKey id.
        key_id: String,
        /// The signed header names, in the client's order.
        signed_headers: Vec<String>,
        /// The hex signature.
        signature: String,
    },
    /// RPC HMAC-SHA1 (SignatureVersion 1.0).
    Rpc {
        /// The AccessKey id.
        key_id: String,
        /// The base64 signature.
        signature: String,
    },
}

impl Signed {
    /// The AccessKey id the request names.
    pub(crate) fn key_id(&self) -> &str {
        match self {
            Signed::Acs3 { key_id, .. } | Signed::Rpc { key_id, .. } => key_id,
        }
    }
}

/// Reads an `Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`
/// header; `None` for another scheme.
pub(crate) fn parse_acs3(authorization: &str) -> Option<Signed> {
    let rest = authorization
        .trim()
        .strip_prefix("ACS3-HMAC-SHA256")?
        .trim();
    let (mut key_id, mut headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k.trim() {
            "Credential" => key_id = Some(v.trim().to_string()),
            "SignedHeaders" => {
                headers = Some(
                    v.trim()
                        .split(';')
                        .map(|h| h.trim().to_ascii_lowercase())
                        .collect(),
                )
            }
            "Signature" => signature = Some(v.trim().to_string()),
            _ => {}
        }
    }
    Some(Signed::Acs3 {
        key_id: key_id?,
        signed_headers: headers?,
        signature: signature?,
    })
}

/// The sorted, encoded `k=v&...` of parameters (an empty value keeps its `=`).
fn canonical_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut encoded: Vec<(String, String)> = pairs.map(|(k, v)| (encode(k), encode(v))).collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The ACS3 signature of a request: `method`, `path`, the decoded query pairs,
/// `header(name)` for each signed header, the signed header list, and the body.
pub(crate) fn acs3_signature(
    secret: &str,
    method: &str,
    path: &str,
    query: &[(String, String)],
    signed_headers: &[String],
    header: &dyn Fn(&str) -> Option<String>,
    body: &[u8],
) -> String {
    let mut canonical = format!(
        "{}\n{path}\n{}\n",
        method.to_ascii_uppercase(),
        canonical_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    );
    for h in signed_headers {
        canonical.push_str(&format!("{h}:{}\n", header(h).unwrap_or_default().trim()));
    }
    // The header lines each end in a newline, and the parts are joined by one more.
    canonical.push('\n');
    canonical.push_str(&signed_headers.join(";"));
    canonical.push('\n');
    canonical.push_str(&hex::encode(Sha256::digest(body)));
    let to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The RPC (HMAC-SHA1) signature over every parameter but `Signature`.
pub fn rpc_signature(secret: &str, method: &str, params: &[(String, String)]) -> String {
    use base64::Engine;
    let joined = canonical_pairs(
        params
            .iter()
            .filter(|(k, _)| k != "Signature")
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let to_sign = format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode("/"),
        encode(&joined)
    );
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC takes any key length");
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Compares two signatures in constant time.
pub fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Reads a request timestamp leniently: `2026-12-03T21:51:49Z`, with fractional
/// seconds, with an offset, or with the offset *and* a `Z` as dns-lexicon sends it.
/// Returns Unix seconds.
pub(crate) fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s
        .strip_suffix('Z')
        .filter(|r| r.contains('+') || r.rfind('-').is_some_and(|i| i > 10))
        .unwrap_or(s);
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp())
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|t| t.and_utc().timestamp())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Alibaba Cloud's published ACS3 example (ECS RunInstances).
    #[test]
    fn acs3_matches_the_published_vector() {
        let headers: Vec<(&str, &str)> = vec![
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            (
                "x-acs-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
        ];
        let header = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        };
        let names: Vec<String> = headers.iter().map(|(k, _)| k.to_string()).collect();
        let query = vec![
            (
                "ImageId".to_string(),
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd".to_string(),
            ),
            ("RegionId".to_string(), "cn-shanghai".to_string()),
        ];
        let sig = acs3_signature(
            "YourAccessKeySecret",
            "POST",
            "/",
            &query,
            &names,
            &header,
            b"",
        );
        assert_eq!(
            sig,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        let parsed = parse_acs3(&format!(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={},Signature={sig}",
            names.join(";")
        ))
        .unwrap();
        assert_eq!(parsed.key_id(), "YourAccessKeyId");
    }

    /// Alibaba Cloud's published RPC example (ECS DescribeDedicatedHosts).
    #[test]
    fn rpc_matches_the_published_vector() {
        let params: Vec<(String, String)> = [
            ("AccessKeyId", "testid"),
            ("Action", "DescribeDedicatedHosts"),
            ("Format", "JSON"),
            ("RegionId", "cn-beijing"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2023-03-13T08:34:30Z"),
            ("Version", "2014-05-26"),
            ("Signature", "ignored"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            rpc_signature("testsecret", "GET", &params),
            "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
        );
    }

    #[test]
    fn encoding_and_timestamps_follow_the_clients() {
        assert_eq!(encode("a b*c~d/é"), "a%20b%2Ac~d%2F%C3%A9");
        let t = parse_timestamp("2026-12-03T21:51:49Z").unwrap();
        assert_eq!(parse_timestamp("2026-12-03T21:51:49+00:00Z"), Some(t));
        assert_eq!(parse_timestamp("2026-12-03T21:51:49.123Z"), Some(t));
        assert_eq!(parse_timestamp("2026-12-03T23:51:49+02:00"), Some(t));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
