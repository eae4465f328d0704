//! What travels on the wire: parameters as the clients send them, the JSON answers
//! and errors as the SDKs parse them, and the one table from regsim's refusal reasons
//! to the API's error codes.

use crate::refusal::Refusal;
use serde_json::{Value, json};

/// Which API a request speaks (routed by its Version).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// Domain, version 2018-01-29.
    Domain,
    /// Alidns, version 2015-01-09.
    Alidns,
}

impl Api {
    /// The API of a `Version`.
    pub(crate) fn of_version(version: &str) -> Option<Api> {
        match version {
            "2018-01-29" => Some(Api::Domain),
            "2015-01-09" => Some(Api::Alidns),
            _ => None,
        }
    }

    /// The API's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Api::Domain => "Domain (2018-01-29)",
            Api::Alidns => "Alidns (2015-01-09)",
        }
    }
}

/// An error answer: HTTP status, the API's `Code`, a message, and regsim's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The `Code` the SDKs raise with.
    pub code: String,
    /// The `Message`.
    pub message: String,
    /// `regsim: <reason> (EPP <code>)` when a rule refused, shown as `Recommend`.
    pub recommend: String,
}

impl ApiError {
    /// An error that is not a refusal of the world's rules (a gateway error).
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
            recommend: String::new(),
        }
    }

    /// 400 `MissingParameter`, naming the parameter.
    pub fn missing(name: &str) -> ApiError {
        ApiError::new(
            400,
            "MissingParameter",
            format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
        )
    }

    /// 400 `InvalidParameter` (Alidns) or `ParameterIllegal` (Domain).
    pub fn invalid(api: Api, message: impl Into<String>) -> ApiError {
        let code = match api {
            Api::Domain => "ParameterIllegal",
            Api::Alidns => "InvalidParameter",
        };
        ApiError::new(400, code, message)
    }

    /// The error's JSON body.
    pub fn body(&self, request_id: &str) -> Value {
        json!({
            "RequestId": request_id,
            "HostId": "regsim",
            "Code": self.code,
            "Message": self.message,
            "Recommend": self.recommend,
        })
    }
}

/// The API's code for a refusal of the world's rules: `(reason, Domain code, Alidns
/// code, HTTP status)`. Reasons not listed answer by their EPP class: a value out of
/// range or of bad syntax (2004, 2005) `ParameterIllegal` (Domain) or `InvalidParameter`
/// (Alidns), anything else `OperationDenied`, all 400 with the reason in `Recommend`.
/// The README's table is this one.
#[rustfmt::skip]
pub const CODES: &[(&str, &str, &str, u16)] = &[
    ("permission_denied", "Forbidden.RAM", "Forbidden.RAM", 403),
    ("no_such_domain", "DomainNotExist", "InvalidDomainName.NoExist", 400),
    ("not_owner", "DomainNotExist", "IncorrectDomainUser", 400),
    ("not_sponsoring_registrar", "DomainNotExist", "IncorrectDomainUser", 400),
    ("invalid_domain_name", "ParameterIllegal", "InvalidDomainName.Format", 400),
    ("unknown_tld", "ParameterIllegal", "InvalidDomainName.Format", 400),
    ("record_exists", "ParameterIllegal", "DomainRecordDuplicate", 400),
    ("cname_conflict", "ParameterIllegal", "DomainRecordConflict", 400),
    ("too_many_records", "ParameterIllegal", "QuotaExceeded.Record", 400),
    ("no_such_record", "ParameterIllegal", "DomainRecordNotBelongToUser", 400),
    ("zone_hosted", "ParameterIllegal", "InvalidDomainName.Duplicate", 400),
    ("zone_not_hosted", "DomainNotExist", "InvalidDomainName.NoExist", 400),
    ("invalid_record", "ParameterIllegal", "InvalidParameter", 400),
    ("invalid_record_type", "ParameterIllegal", "InvalidParameter", 400),
    ("ttl_out_of_range", "ParameterIllegal", "InvalidParameter", 400),
    ("priority_out_of_range", "ParameterIllegal", "InvalidParameter", 400),
    ("pending_transfer", "TaskIsBeingProcessed", "OperationDenied", 400),
];

/// A refusal as the API answers it (see [`CODES`]).
pub fn refusal(api: Api, r: &Refusal) -> ApiError {
    let slug = r.reason.as_str();
    let fallback = match (r.reason.code().number(), api) {
        (2004 | 2005, Api::Domain) => "ParameterIllegal",
        (2004 | 2005, Api::Alidns) => "InvalidParameter",
        _ => "OperationDenied",
    };
    let (code, status) = CODES.iter().find(|(s, ..)| *s == slug).map_or(
        (fallback, 400),
        |(_, d, a, st)| match api {
            Api::Domain => (*d, *st),
            Api::Alidns => (*a, *st),
        },
    );
    ApiError {
        status,
        code: code.to_string(),
        message: r.message.clone(),
        recommend: format!("regsim: {slug} (EPP {})", r.reason.code().number()),
    }
}

/// A request's parameters: query and form pairs in the order sent (the query's first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// The pairs, decoded.
    pub pairs: Vec<(String, String)>,
}

impl Params {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, or 400 `MissingParameter` (an empty value counts as none).
    pub(crate) fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ApiError::missing(name))
    }

    /// An integer parameter (absent or empty: `None`).
    pub(crate) fn int(&self, api: Api, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.trim().parse().map(Some).map_err(|_| {
                ApiError::invalid(api, format!("{name} must be an integer, not `{v}`"))
            }),
        }
    }

    /// A boolean parameter: `true`/`false` in any case (Python sends `True`).
    pub fn bool(&self, api: Api, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid(
                api,
                format!("{name} must be true or false, not `{v}`"),
            )),
        }
    }
}

/// A page of a list: `(page, size)` from `page_name`/`PageSize` (1-based page, size
/// 1..=max, default 20), and the slice of `total` items it covers.
pub fn page(p: &Params, api: Api, page_name: &str, max: i64) -> Result<(i64, i64), ApiError> {
    let page = p.int(api, page_name)?.unwrap_or(1);
    let size = p.int(api, "PageSize")?.unwrap_or(20);
    if !(1..=1_000_000).contains(&page) {
        return Err(ApiError::invalid(
            api,
            format!("{page_name} must be 1 or more, not {page}"),
        ));
    }
    if !(1..=max).contains(&size) {
        return Err(ApiError::invalid(
            api,
            format!("PageSize must be 1 to {max}, not {size}"),
        ));
    }
    Ok((page, size))
}

/// The items of page `page` of size `size`.
pub fn slice<T>(items: Vec<T>, page: i64, size: i64) -> Vec<T> {
    let start = ((page - 1) * size) as usize;
    items.into_iter().skip(start).take(size as usize).collect()
}

/// A stable identifier in UUID form from some bytes (upper case for request ids, as
/// the real service writes them).
pub(crate) fn uuid(bytes: &[u8], upper: bool) -> String {
    let h = blake3::hash(bytes);
    let x = hex::encode(&h.as_bytes()[..16]);
    let s = format!(
        "{}-{}-4{}-8{}-{}",
        &x[0..8],
        &x[8..12],
        &x[13..16],
        &x[17..20],
        &x[20..32]
    );
    if upper { s.to_ascii_uppercase() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refusal::Reason;

    #[test]
    fn every_code_in_the_table_names_a_real_reason() {
        for (slug, ..) in CODES {
            assert!(
                Reason::ALL.iter().any(|r| r.as_str() == *slug),
                "{slug} is not a reason"
            );
        }
        let e = refusal(
            Api::Alidns,
            &Refusal::new(Reason::RecordExists, "x already has it"),
        );
        assert_eq!((e.status, e.code.as_str()), (400, "DomainRecordDuplicate"));
        assert_eq!(e.recommend, "regsim: record_exists (EPP 2302)");
        let e = refusal(
            Api::Domain,
            &Refusal::new(Reason::InsufficientFunds, "short"),
        );
        assert_eq!(e.code, "OperationDenied");
    }

    #[test]
    fn ids_look_like_the_real_ones() {
        let id = uuid(b"1", true);
        assert_eq!(id.len(), 36);
        assert_eq!(id, uuid(b"1", true));
        assert_ne!(id, uuid(b"2", true));
        assert!(
            id.chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        );
    }
}
