//! Tasks of the API sandbox: the Domain API accepts a change as a task (`TaskNo`) whose
//! outcome the client reads later (`QueryTaskDetailList`). The world keeps them, so a
//! snapshot or a journal brings them back.

use super::AccountId;
use crate::sim::Time;
use serde::{Deserialize, Serialize};

/// One task: an order or a change on one or more domains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTask {
    /// The task number clients hold.
    pub no: String,
    /// The account that made it.
    pub account: AccountId,
    /// Its type, as the API names it (`ORDER_RENEW`, ...).
    pub kind: String,
    /// When it was accepted (simulated clock).
    pub created: Time,
    /// One entry per domain.
    pub details: Vec<ApiTaskDetail>,
}

/// A task's outcome on one domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTaskDetail {
    /// The domain, as given.
    pub domain: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// What it produced (an expiry, an auth code), or empty.
    pub result: String,
    /// Why it failed: the refusal's reason slug, and its message.
    pub error: Option<(String, String)>,
}
