//! Notifications sent to account holders (email and SMS).

use super::domain::{AccountId, NameId};
use super::event::Notice;
use crate::sim::Time;
use serde::{Deserialize, Serialize};

/// One notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// When it was sent.
    pub at: Time,
    /// To whom.
    pub account: AccountId,
    /// About which domain.
    pub domain: NameId,
    /// What it says.
    pub notice: Notice,
}

impl Notification {
    /// Channels it went out on. Every lifecycle notice goes by email and SMS, as
    /// Alibaba Cloud sends expiry notices.
    pub fn channels(&self) -> &'static [&'static str] {
        &["email", "sms"]
    }
}
