//! Notifications sent to account holders (email and SMS).

use super::domain::{AccountId, NameId, ProfileId};
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
    /// About which domain, if any.
    pub domain: Option<NameId>,
    /// About which profile, if any.
    pub profile: Option<ProfileId>,
    /// What it says.
    pub notice: Notice,
}

impl Notification {
    /// Channels it went out on: email and SMS, as Alibaba Cloud sends lifecycle and
    /// verification notices.
    pub(crate) fn channels(&self) -> &'static [&'static str] {
        &["email", "sms"]
    }
}
