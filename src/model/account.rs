//! Customer accounts, their RAM sub-users and permissions, registrant profiles, and
//! registrars.

use crate::sim::Time;
use serde::{Deserialize, Serialize};

/// What kind of customer an account is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// An ordinary customer.
    Customer,
    /// A reseller, allowed a separate domain console.
    Agent,
}

impl AccountKind {
    /// The kind's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Customer => "customer",
            AccountKind::Agent => "agent",
        }
    }

    /// Parses `customer` or `agent`.
    pub fn parse(s: &str) -> Option<AccountKind> {
        match s {
            "customer" => Some(AccountKind::Customer),
            "agent" => Some(AccountKind::Agent),
            _ => None,
        }
    }
}

/// A RAM permission. `renew` also covers restore and auto-renew; `update` covers
/// delete and locks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read views.
    Read,
    /// Register domains.
    Register,
    /// Renew, restore, set auto-renew.
    Renew,
    /// Delete, set locks, change domain information.
    Update,
    /// Change DNS records.
    Dns,
    /// Trade on the market.
    Trade,
    /// Transfer domains.
    Transfer,
    /// Everything.
    #[serde(rename = "*")]
    All,
}

impl Permission {
    /// Every permission name, as written in fixtures and scripts.
    pub const NAMES: [&'static str; 8] = [
        "read", "register", "renew", "update", "dns", "trade", "transfer", "*",
    ];

    /// The permission's name.
    pub fn as_str(self) -> &'static str {
        Permission::NAMES[self as usize]
    }

    /// Parses a permission name.
    pub fn parse(s: &str) -> Option<Permission> {
        use Permission::*;
        [Read, Register, Renew, Update, Dns, Trade, Transfer, All]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A RAM sub-user of an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamUser {
    /// Name after the slash in `alice/ops`.
    pub name: String,
    /// What it may do.
    pub permissions: Vec<Permission>,
}

impl RamUser {
    /// Whether the sub-user holds `p` (or `*`).
    pub fn may(&self, p: Permission) -> bool {
        self.permissions
            .iter()
            .any(|q| *q == p || *q == Permission::All)
    }
}

/// The separate domain console of an agent (reseller) account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Console {
    /// Never enabled.
    #[default]
    Off,
    /// Enabled.
    Enabled,
    /// Disabled after being enabled; it cannot be enabled again.
    Disabled,
}

impl Console {
    /// The state's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            Console::Off => "off",
            Console::Enabled => "enabled",
            Console::Disabled => "disabled",
        }
    }
}

/// A customer account. Its wallet balance lives in the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The account id scripts use, e.g. `alice`.
    pub id: String,
    /// Customer or agent.
    pub kind: AccountKind,
    /// RAM sub-users.
    pub ram_users: Vec<RamUser>,
    /// Trading is refused until this instant.
    pub trading_frozen_until: Option<Time>,
    /// The agent's separate domain console.
    pub console: Console,
}

/// An AccessKey of the API sandbox (`regsim serve`): an id and secret that sign
/// requests as an account, or as one of its RAM users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKey {
    /// The AccessKey id clients send.
    pub id: String,
    /// The secret they sign with.
    pub secret: String,
    /// The account it acts for.
    pub account: u32,
    /// The RAM user it acts as (the account itself when `None`).
    pub user: Option<String>,
}

/// Real-name verification state of a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RealName {
    /// Not submitted.
    Unverified,
    /// Under review.
    Pending,
    /// Passed.
    Verified,
    /// Failed.
    Rejected,
}

impl RealName {
    /// The state's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            RealName::Unverified => "unverified",
            RealName::Pending => "pending",
            RealName::Verified => "verified",
            RealName::Rejected => "rejected",
        }
    }
}

/// An identity document attached to a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// `id_card`, `passport` or `business_license`.
    pub kind: String,
    /// Document number.
    pub number: String,
    /// False when the document is forged or unreadable (a fixture can mark it so).
    pub valid: bool,
    /// When the document expires, if it does.
    pub expires: Option<Time>,
}

/// Document kinds a profile may carry.
pub const DOCUMENT_KINDS: [&str; 3] = ["id_card", "passport", "business_license"];

/// A registrant profile (template of registrant data) owned by an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The profile id scripts use.
    pub id: String,
    /// Owning account.
    pub owner: u32,
    /// Registrant name.
    pub name: String,
    /// Organisation, empty for an individual.
    pub organization: String,
    /// Email address.
    pub email: String,
    /// ISO 3166 alpha-2 country code.
    pub country: String,
    /// Phone number in E.164 form (`+8613800138000`), or empty.
    pub phone: String,
    /// Identity document, if submitted.
    pub document: Option<Document>,
    /// Real-name verification state.
    pub real_name: RealName,
    /// Why the last review rejected the profile.
    pub rejection: Option<String>,
    /// Reviews submitted so far (keys the seeded review draw).
    pub submissions: u32,
    /// Whether the email address was verified.
    pub email_verified: bool,
    /// When the profile was created.
    pub created: Time,
    /// Since when the current email address awaits verification (the
    /// email-verification deadline counts from here).
    pub email_since: Time,
    /// Timer generation of the pending review.
    pub generation: u32,
    /// Deleted by its owner: kept in place (domains and events name profiles by their
    /// place), out of every lookup.
    pub deleted: bool,
}

/// How many registrars a world can have, `home` included (a domain record names its
/// sponsor in one byte).
pub(crate) const MAX_REGISTRARS: usize = 256;

/// A registrar: `home` (index 0) or another one named in the fixture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registrar {
    /// Its id, e.g. `home`.
    pub id: String,
    /// Whether, as the losing registrar, it rejects transfer requests instead of letting
    /// them auto-approve.
    pub rejects_transfers: bool,
}
