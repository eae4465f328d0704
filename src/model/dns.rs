//! DNS zones hosted by the registrar: records, name servers, and the audit log of
//! every change.

use crate::sim::Time;
use serde::{Deserialize, Serialize};

/// Record types regsim hosts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RecordType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    Aaaa,
    /// Canonical name (alias).
    Cname,
    /// Mail exchanger.
    Mx,
    /// Text.
    Txt,
    /// Name server.
    Ns,
    /// Certification authority authorization.
    Caa,
}

impl RecordType {
    /// Every type, in display order.
    pub const ALL: [RecordType; 7] = [
        RecordType::A,
        RecordType::Aaaa,
        RecordType::Cname,
        RecordType::Mx,
        RecordType::Txt,
        RecordType::Ns,
        RecordType::Caa,
    ];

    /// The type's mnemonic, e.g. `AAAA`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Cname => "CNAME",
            RecordType::Mx => "MX",
            RecordType::Txt => "TXT",
            RecordType::Ns => "NS",
            RecordType::Caa => "CAA",
        }
    }

    /// Parses a mnemonic (any case).
    pub fn parse(s: &str) -> Option<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

/// One resource record, relative to its zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Id within the zone.
    pub id: u32,
    /// Host relative to the zone: `@` for the apex, `www`, `*.img`.
    pub host: String,
    /// Type.
    pub rtype: RecordType,
    /// Value, normalised (addresses canonical, names lower-case without trailing dot).
    pub value: String,
    /// Time to live in seconds.
    pub ttl: u32,
    /// MX preference.
    pub priority: Option<u16>,
    /// Paused (`set_record_status`, Alidns `SetDomainRecordStatus`): kept, and still
    /// counted against conflicts, but not published.
    pub disabled: bool,
    /// When the record was added.
    pub created: Time,
    /// When it last changed (its fields or its status).
    pub updated: Time,
}

/// The registrar-hosted data of one domain beyond its registration: DNS records,
/// name servers, contact details, WHOIS privacy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainData {
    /// DNS records.
    pub records: Vec<Record>,
    /// Next record id.
    pub next_record: u32,
    /// Name servers; empty means the registrar's default ones.
    pub nameservers: Vec<String>,
    /// Contact email for the domain (overrides the profile's).
    pub contact_email: Option<String>,
    /// Contact phone for the domain (overrides the profile's).
    pub contact_phone: Option<String>,
    /// WHOIS privacy; `None` follows the default (on for individuals).
    pub privacy: Option<bool>,
    /// Taken out of the holder's DNS hosting (`unhost_zone`, Alidns `DeleteDomain`):
    /// the registrar's name servers no longer answer for it until `host_zone` adds it
    /// back. A domain registered here is hosted from the start, as Alibaba Cloud adds
    /// it to Alibaba Cloud DNS.
    #[serde(default)]
    pub unhosted: bool,
}

/// One entry of the audit log: who changed what on which domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: Time,
    /// The real actor (`alice` or `alice/ops`).
    pub actor: String,
    /// The domain's interned name.
    pub domain: u32,
    /// What changed.
    pub action: super::event::DataAction,
    /// The state before, as text (empty when nothing was there).
    pub before: String,
    /// The state after, as text (empty when removed).
    pub after: String,
}
