//! Chinese compliance: ICP filing orders (MIIT) and websites with their PSB filing.

use crate::sim::Time;
use serde::{Deserialize, Serialize};

/// What an ICP order asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IcpKind {
    /// Non-commercial ICP filing (备案).
    Filing,
    /// Commercial ICP licence (经营许可证).
    License,
}

impl IcpKind {
    /// The kind's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            IcpKind::Filing => "filing",
            IcpKind::License => "license",
        }
    }
}

/// Stage of an ICP order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IcpStage {
    /// The registrar checks the application (about one business day).
    RegistrarReview,
    /// Waiting for the applicant to confirm the MIIT SMS (24 hours).
    AwaitingSms,
    /// The SMS was not confirmed in time; the applicant must apply again.
    SmsExpired,
    /// The communications authority reviews (1–20 business days).
    AuthorityReview,
    /// Approved: the filing number is issued.
    Approved,
    /// Rejected by the authority.
    Rejected,
    /// Deleted after 45 idle days.
    Deleted,
}

impl IcpStage {
    /// The stage's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            IcpStage::RegistrarReview => "registrar_review",
            IcpStage::AwaitingSms => "awaiting_sms",
            IcpStage::SmsExpired => "sms_expired",
            IcpStage::AuthorityReview => "authority_review",
            IcpStage::Approved => "approved",
            IcpStage::Rejected => "rejected",
            IcpStage::Deleted => "deleted",
        }
    }
}

/// An ICP order for one domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IcpOrder {
    /// The applicant account.
    pub applicant: u32,
    /// Filing or licence.
    pub kind: IcpKind,
    /// Current stage.
    pub stage: IcpStage,
    /// When the order was created.
    pub created: Time,
    /// When the stage last changed (idle time counts from here).
    pub updated: Time,
    /// The number issued on approval, e.g. `京ICP备2026000123号`.
    pub number: Option<String>,
    /// Why it was rejected.
    pub rejection: Option<String>,
    /// Timer generation.
    pub generation: u32,
}

/// A domain's ICP file: its filing and its licence, each with its own order. The usual
/// path is a filing first, then a licence; a licence under review or rejected leaves an
/// approved filing standing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IcpFile {
    /// The non-commercial filing (备案), if one was applied for.
    pub filing: Option<IcpOrder>,
    /// The commercial licence (经营许可证), if one was applied for.
    pub license: Option<IcpOrder>,
    /// The kind applied for last.
    pub latest: IcpKind,
}

impl IcpFile {
    /// The order of a kind.
    pub fn order(&self, kind: IcpKind) -> Option<&IcpOrder> {
        match kind {
            IcpKind::Filing => self.filing.as_ref(),
            IcpKind::License => self.license.as_ref(),
        }
    }

    /// The order of a kind, to change.
    pub(crate) fn order_mut(&mut self, kind: IcpKind) -> Option<&mut IcpOrder> {
        match kind {
            IcpKind::Filing => self.filing.as_mut(),
            IcpKind::License => self.license.as_mut(),
        }
    }

    /// The order applied for last.
    pub(crate) fn latest(&self) -> Option<&IcpOrder> {
        self.order(self.latest)
    }

    /// Whether an order of this kind is approved.
    pub(crate) fn approved(&self, kind: IcpKind) -> bool {
        self.order(kind)
            .is_some_and(|o| o.stage == IcpStage::Approved)
    }

    /// Whether the site may serve mainland China: an approved filing, or an approved
    /// licence (which a filing precedes).
    pub(crate) fn filed(&self) -> bool {
        self.approved(IcpKind::Filing) || self.approved(IcpKind::License)
    }
}

/// Where a website serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    /// Mainland China: needs ICP filing (and a licence when commercial).
    Mainland,
    /// Outside mainland China.
    Overseas,
}

impl Region {
    /// The region's name in scripts and events (`mainland`, `overseas`).
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Mainland => "mainland",
            Region::Overseas => "overseas",
        }
    }
}

/// A website launched on a domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// Where it serves.
    pub region: Region,
    /// Whether it is commercial.
    pub commercial: bool,
    /// When it launched.
    pub launched: Time,
    /// Whether it is online (false once shut down).
    pub online: bool,
    /// PSB filing number, once filed.
    pub psb_number: Option<String>,
    /// Violations recorded: (time, rule broken, fine in fen).
    pub violations: Vec<(Time, super::event::Violation, i64)>,
    /// Timer generation.
    pub generation: u32,
}
