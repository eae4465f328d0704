//! `Refusal`: the one error type of every operation — an EPP result code (RFC 5730
//! §3), a stable snake_case reason slug, and a message naming the thing and the rule.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// EPP result codes regsim uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u16)]
pub enum Code {
    /// 2004 parameter value range error.
    ValueRange = 2004,
    /// 2005 parameter value syntax error.
    ValueSyntax = 2005,
    /// 2104 billing failure.
    Billing = 2104,
    /// 2105 object is not eligible for renewal.
    NotRenewable = 2105,
    /// 2106 object is not eligible for transfer.
    NotTransferable = 2106,
    /// 2201 authorization error.
    Authorization = 2201,
    /// 2202 invalid authorization information.
    BadAuthInfo = 2202,
    /// 2302 object exists.
    Exists = 2302,
    /// 2303 object does not exist.
    DoesNotExist = 2303,
    /// 2304 object status prohibits operation.
    StatusProhibits = 2304,
    /// 2306 parameter value policy error.
    Policy = 2306,
}

impl Code {
    /// The numeric EPP result code.
    pub fn number(self) -> u16 {
        self as u16
    }
}

/// Why an operation was refused. A refused operation has changed nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The EPP result code.
    pub code: Code,
    /// A stable snake_case slug, e.g. `not_renewable_in_phase`.
    pub reason: Cow<'static, str>,
    /// A sentence naming the object and the rule.
    pub message: String,
}

impl Refusal {
    /// A refusal with the given code, reason slug and message.
    pub fn new(code: Code, reason: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            reason: Cow::Borrowed(reason),
            message: message.into(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.code.number(),
            self.reason,
            self.message
        )
    }
}

impl std::error::Error for Refusal {}

/// Shorthand for operation results.
pub type Outcome<T> = Result<T, Refusal>;
