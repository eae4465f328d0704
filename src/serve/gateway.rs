//! The gateway: one request in, one answer out. It reads the parameters (query and
//! form, as the clients send them), finds the AccessKey, verifies the signature, the
//! timestamp and the nonce, routes on (Version, Action) and answers in the shapes the
//! SDKs parse. No rule of the world is here: actions call `ops`.

use super::auth::{self, Signed};
use super::wire::{Api, ApiError, Params};
use super::{Sandbox, alidns, domain};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How far a request's timestamp may be from the real clock, in seconds (15 minutes,
/// as Alibaba Cloud allows).
pub(crate) const TIMESTAMP_WINDOW: i64 = 15 * 60;

/// A request as HTTP gave it.
#[derive(Clone, Debug, Default)]
pub struct HttpRequest {
    /// Method, upper case.
    pub method: String,
    /// The path, as sent.
    pub path: String,
    /// The raw query string (without `?`).
    pub query: String,
    /// Headers, names lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: HTTP status and JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
}

/// Who a verified request acts as: the actor string the operations take (`alice` or
/// `alice/ops`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The actor.
    pub actor: String,
}

fn pairs(text: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(text)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The parameters that authenticate a request rather than say what it does.
const AUTH_PARAMS: [&str; 6] = [
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
];

/// The most parameters a request may carry.
pub(crate) const MAX_PARAMS: usize = 1_000;

/// Handles one request against the sandbox; `wall` is the real clock in Unix seconds.
pub fn handle(sandbox: &mut Sandbox, req: &HttpRequest, wall: i64) -> HttpResponse {
    sandbox.served += 1;
    let request_id = super::wire::uuid(&sandbox.served.to_le_bytes(), true);
    let answer = answer(sandbox, req, wall);
    match answer {
        Ok(mut body) => {
            if let Value::Object(m) = &mut body {
                m.insert("RequestId".into(), Value::String(request_id));
            }
            HttpResponse { status: 200, body }
        }
        Err(e) => HttpResponse {
            status: e.status,
            body: e.body(&request_id),
        },
    }
}

fn answer(sandbox: &mut Sandbox, req: &HttpRequest, wall: i64) -> Result<Value, ApiError> {
    if req.path != "/" {
        return Err(ApiError::new(
            404,
            "InvalidAction.NotFound",
            format!("the API is served on `/`, not `{}`", req.path),
        ));
    }
    if !matches!(req.method.as_str(), "GET" | "POST") {
        return Err(ApiError::new(
            405,
            "UnsupportedHTTPMethod",
            format!("{} is not supported; use GET or POST", req.method),
        ));
    }
    let query = pairs(req.query.as_bytes());
    let form = if req.header("content-type").is_some_and(|c| {
        c.to_ascii_lowercase()
            .contains("application/x-www-form-urlencoded")
    }) {
        pairs(&req.body)
    } else {
        Vec::new()
    };
    if query.len() + form.len() > MAX_PARAMS {
        return Err(ApiError::new(
            400,
            "InvalidParameter",
            format!("a request carries at most {MAX_PARAMS} parameters"),
        ));
    }
    let params = Params {
        pairs: query.iter().chain(form.iter()).cloned().collect(),
    };
    let version = req
        .header("x-acs-version")
        .or_else(|| params.get("Version"))
        .ok_or_else(|| ApiError::missing("Version"))?
        .to_string();
    let action = req
        .header("x-acs-action")
        .or_else(|| params.get("Action"))
        .ok_or_else(|| ApiError::missing("Action"))?
        .to_string();
    let api = Api::of_version(&version).ok_or_else(|| {
        ApiError::new(
            400,
            "InvalidVersion",
            format!("Version `{version}` is neither Domain's 2018-01-29 nor Alidns's 2015-01-09"),
        )
    })?;
    let caller = authenticate(sandbox, req, &query, &params, wall)?;
    let writes = match api {
        Api::Alidns => alidns::WRITES.contains(&action.as_str()),
        Api::Domain => domain::WRITES.contains(&action.as_str()),
    };
    if writes {
        let entry = super::journal::Entry::Api {
            actor: caller.actor.clone(),
            version: version.clone(),
            action: action.clone(),
            // What authenticated the request stays out of the journal.
            params: params
                .pairs
                .iter()
                .filter(|(k, _)| !AUTH_PARAMS.contains(&k.as_str()))
                .cloned()
                .collect(),
        };
        sandbox
            .journal(&entry)
            .map_err(|m| ApiError::new(500, "InternalError", m))?;
    }
    route(&mut sandbox.world, &caller, &version, &action, &params)
}

/// Runs an authenticated request's action.
pub(crate) fn route(
    world: &mut crate::model::World,
    caller: &Caller,
    version: &str,
    action: &str,
    params: &Params,
) -> Result<Value, ApiError> {
    let Some(api) = Api::of_version(version) else {
        return Err(ApiError::new(
            400,
            "InvalidVersion",
            format!("Version `{version}`"),
        ));
    };
    let routed = match api {
        Api::Alidns => alidns::call(world, caller, action, params),
        Api::Domain => domain::call(world, caller, action, params),
    };
    routed.unwrap_or_else(|| {
        Err(if super::known_action(api, action) {
            ApiError::new(
                400,
                "UnsupportedOperation",
                format!(
                    "regsim does not implement the {} action {action}",
                    api.name()
                ),
            )
        } else {
            ApiError::new(
                404,
                "InvalidAction.NotFound",
                format!("{} has no action `{action}`", api.name()),
            )
        })
    })
}

/// Finds the AccessKey and checks the signature (either scheme), the timestamp
/// against the real clock, and that the nonce was never seen.
fn authenticate(
    sandbox: &mut Sandbox,
    req: &HttpRequest,
    query: &[(String, String)],
    params: &Params,
    wall: i64,
) -> Result<Caller, ApiError> {
    let signed = match req.header("authorization").and_then(auth::parse_acs3) {
        Some(s) => s,
        None => match (params.get("Signature"), params.get("AccessKeyId")) {
            (Some(sig), Some(key)) => Signed::Rpc {
                key_id: key.to_string(),
                signature: sig.to_string(),
            },
            (None, _) => return Err(ApiError::missing("Signature")),
            (_, None) => return Err(ApiError::missing("AccessKeyId")),
        },
    };
    let key = sandbox
        .world
        .access_keys
        .iter()
        .find(|k| k.id == signed.key_id())
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                404,
                "InvalidAccessKeyId.NotFound",
                format!("Specified access key is not found: {}", signed.key_id()),
            )
        })?;
    let mismatch = |why: &str| {
        ApiError::new(
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature is not matched with our calculation: {why}"),
        )
    };
    let (timestamp, nonce) = match &signed {
        Signed::Acs3 {
            signed_headers,
            signature,
            ..
        } => {
            let body_hash = hex::encode(Sha256::digest(&req.body));
            if req
                .header("x-acs-content-sha256")
                .is_some_and(|h| !h.eq_ignore_ascii_case(&body_hash))
            {
                return Err(mismatch("x-acs-content-sha256 is not the body's SHA-256"));
            }
            let header = |n: &str| req.header(n).map(str::to_string);
            let want = auth::acs3_signature(
                &key.secret,
                &req.method,
                &req.path,
                query,
                signed_headers,
                &header,
                &req.body,
            );
            if !auth::same(&want.to_ascii_lowercase(), &signature.to_ascii_lowercase()) {
                return Err(mismatch("the ACS3-HMAC-SHA256 signature differs"));
            }
            (
                req.header("x-acs-date")
                    .ok_or_else(|| ApiError::missing("x-acs-date"))?,
                req.header("x-acs-signature-nonce")
                    .ok_or_else(|| ApiError::missing("x-acs-signature-nonce"))?,
            )
        }
        Signed::Rpc { signature, .. } => {
            if params
                .get("SignatureMethod")
                .is_some_and(|m| m != "HMAC-SHA1")
            {
                return Err(ApiError::new(
                    400,
                    "InvalidParameter",
                    "SignatureMethod must be HMAC-SHA1",
                ));
            }
            let want = auth::rpc_signature(&key.secret, &req.method, &params.pairs);
            if !auth::same(&want, signature) {
                return Err(mismatch("the HMAC-SHA1 signature differs"));
            }
            (
                params.required("Timestamp")?,
                params.required("SignatureNonce")?,
            )
        }
    };
    let at = auth::parse_timestamp(timestamp).ok_or_else(|| {
        ApiError::new(
            400,
            "InvalidTimeStamp.Format",
            format!("Specified time stamp `{timestamp}` is not in ISO 8601 (yyyy-MM-ddTHH:mm:ssZ)"),
        )
    })?;
    if (at - wall).abs() > TIMESTAMP_WINDOW {
        return Err(ApiError::new(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp `{timestamp}` is more than 15 minutes from the real clock (the simulated clock does not count)"
            ),
        ));
    }
    sandbox.remember_nonce(nonce, wall)?;
    Ok(Caller {
        actor: match &key.user {
            Some(u) => format!("{}/{u}", sandbox.world.accounts[key.account as usize].id),
            None => sandbox.world.accounts[key.account as usize].id.clone(),
        },
    })
}
