//! The events of a run: what happened, when. Events hold dense ids; views resolve
//! them to names. Their binary encoding feeds the run digest.

use super::domain::{AccountId, Lock, NameId, Phase};
use crate::sim::{Encode, Time};
use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// Renewal reminder this many days before expiry.
    RenewalReminder(u32),
    /// The domain expired today.
    Expired,
    /// Reminder a few days after expiry.
    PostExpiryReminder,
    /// Auto-renew charged the wallet and renewed.
    AutoRenewSucceeded,
    /// Auto-renew could not charge the wallet.
    AutoRenewFailed,
    /// The domain entered redemption.
    RedemptionNotice,
}

impl Notice {
    /// The notification kind's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::RenewalReminder(_) => "renewal_reminder",
            Notice::Expired => "expired",
            Notice::PostExpiryReminder => "post_expiry_reminder",
            Notice::AutoRenewSucceeded => "auto_renew_succeeded",
            Notice::AutoRenewFailed => "auto_renew_failed",
            Notice::RedemptionNotice => "redemption_notice",
        }
    }

    fn code(self) -> (u8, u32) {
        match self {
            Notice::RenewalReminder(d) => (0, d),
            Notice::Expired => (1, 0),
            Notice::PostExpiryReminder => (2, 0),
            Notice::AutoRenewSucceeded => (3, 0),
            Notice::AutoRenewFailed => (4, 0),
            Notice::RedemptionNotice => (5, 0),
        }
    }
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// An account was opened.
    AccountOpened { account: AccountId },
    /// Money was deposited into a wallet.
    Deposited { account: AccountId, amount: i64 },
    /// A domain was registered.
    Registered {
        domain: NameId,
        owner: AccountId,
        years: u32,
        expires: Time,
        charged: i64,
    },
    /// A domain was renewed (`auto` by auto-renew, `late` in grace).
    Renewed {
        domain: NameId,
        years: u32,
        expires: Time,
        charged: i64,
        auto: bool,
        late: bool,
    },
    /// An auto-renew attempt failed for lack of funds.
    AutoRenewFailed {
        domain: NameId,
        day: u32,
        needed: i64,
    },
    /// A domain was restored from redemption.
    Restored {
        domain: NameId,
        expires: Time,
        charged: i64,
    },
    /// A domain was deleted; `refunded` is the add-grace refund (0 outside add grace).
    Deleted { domain: NameId, refunded: i64 },
    /// A domain entered a phase by the passing of time.
    PhaseEntered { domain: NameId, phase: Phase },
    /// A domain was released; the name is available again.
    Released { domain: NameId },
    /// A notification was sent.
    Notified {
        account: AccountId,
        domain: NameId,
        notice: Notice,
    },
    /// The update lock was lifted because the domain expired.
    UpdateLockLifted { domain: NameId },
    /// A client lock was turned on or off.
    LockSet {
        domain: NameId,
        lock: Lock,
        on: bool,
    },
    /// Auto-renew was turned on or off.
    AutoRenewSet { domain: NameId, on: bool },
    /// A policy field was changed.
    PolicySet { key: String, value: String },
}

/// An event at an instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When it happened.
    pub at: Time,
    /// What happened.
    pub kind: EventKind,
}

/// A field value of an event view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Field {
    /// Text (names, times, phases).
    Text(String),
    /// An integer (money, days, years).
    Int(i64),
    /// A flag.
    Bool(bool),
}

/// Resolves ids to names for views.
pub trait Resolve {
    /// The ASCII name of an interned domain name.
    fn domain_name(&self, id: NameId) -> &str;
    /// The id string of an account.
    fn account_name(&self, id: AccountId) -> &str;
}

impl EventKind {
    /// The event kind's name in scripts and traces.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::AccountOpened { .. } => "account_opened",
            EventKind::Deposited { .. } => "deposited",
            EventKind::Registered { .. } => "registered",
            EventKind::Renewed { .. } => "renewed",
            EventKind::AutoRenewFailed { .. } => "auto_renew_failed",
            EventKind::Restored { .. } => "restored",
            EventKind::Deleted { .. } => "deleted",
            EventKind::PhaseEntered { .. } => "phase_entered",
            EventKind::Released { .. } => "released",
            EventKind::Notified { .. } => "notified",
            EventKind::UpdateLockLifted { .. } => "update_lock_lifted",
            EventKind::LockSet { .. } => "lock_set",
            EventKind::AutoRenewSet { .. } => "auto_renew_set",
            EventKind::PolicySet { .. } => "policy_set",
        }
    }

    /// The event's fields with names resolved, in a fixed order.
    pub fn fields(&self, r: &impl Resolve) -> Vec<(&'static str, Field)> {
        use Field::*;
        let d = |id: &NameId| Text(r.domain_name(*id).to_string());
        let a = |id: &AccountId| Text(r.account_name(*id).to_string());
        let t = |time: &Time| Text(time.to_string());
        match self {
            EventKind::AccountOpened { account } => vec![("account", a(account))],
            EventKind::Deposited { account, amount } => {
                vec![("account", a(account)), ("amount", Int(*amount))]
            }
            EventKind::Registered {
                domain,
                owner,
                years,
                expires,
                charged,
            } => vec![
                ("domain", d(domain)),
                ("owner", a(owner)),
                ("years", Int((*years).into())),
                ("expires", t(expires)),
                ("charged", Int(*charged)),
            ],
            EventKind::Renewed {
                domain,
                years,
                expires,
                charged,
                auto,
                late,
            } => vec![
                ("domain", d(domain)),
                ("years", Int((*years).into())),
                ("expires", t(expires)),
                ("charged", Int(*charged)),
                ("auto", Bool(*auto)),
                ("late", Bool(*late)),
            ],
            EventKind::AutoRenewFailed {
                domain,
                day,
                needed,
            } => vec![
                ("domain", d(domain)),
                ("day", Int((*day).into())),
                ("needed", Int(*needed)),
            ],
            EventKind::Restored {
                domain,
                expires,
                charged,
            } => vec![
                ("domain", d(domain)),
                ("expires", t(expires)),
                ("charged", Int(*charged)),
            ],
            EventKind::Deleted { domain, refunded } => {
                vec![("domain", d(domain)), ("refunded", Int(*refunded))]
            }
            EventKind::PhaseEntered { domain, phase } => {
                vec![
                    ("domain", d(domain)),
                    ("phase", Text(phase.as_str().into())),
                ]
            }
            EventKind::Released { domain } | EventKind::UpdateLockLifted { domain } => {
                vec![("domain", d(domain))]
            }
            EventKind::Notified {
                account,
                domain,
                notice,
            } => {
                let mut v = vec![
                    ("account", a(account)),
                    ("domain", d(domain)),
                    ("notice", Text(notice.as_str().into())),
                ];
                if let Notice::RenewalReminder(days) = notice {
                    v.push(("days_before", Int((*days).into())));
                }
                v
            }
            EventKind::LockSet { domain, lock, on } => vec![
                ("domain", d(domain)),
                ("lock", Text(lock.as_str().into())),
                ("on", Bool(*on)),
            ],
            EventKind::AutoRenewSet { domain, on } => {
                vec![("domain", d(domain)), ("on", Bool(*on))]
            }
            EventKind::PolicySet { key, value } => {
                vec![("key", Text(key.clone())), ("value", Text(value.clone()))]
            }
        }
    }
}

impl Event {
    /// One line: `2026-01-01T00:00:00Z registered domain=example.com owner=alice ...`.
    pub fn line(&self, r: &impl Resolve) -> String {
        let mut s = format!("{} {}", self.at, self.kind.name());
        for (k, v) in self.kind.fields(r) {
            match v {
                Field::Text(t) => s.push_str(&format!(" {k}={t}")),
                Field::Int(i) => s.push_str(&format!(" {k}={i}")),
                Field::Bool(b) => s.push_str(&format!(" {k}={b}")),
            }
        }
        s
    }
}

fn put(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(&v.to_le_bytes());
}

impl Encode for Event {
    fn encode(&self, out: &mut Vec<u8>) {
        put(out, self.at.0);
        let tag = |out: &mut Vec<u8>, t: u8| out.push(t);
        match &self.kind {
            EventKind::AccountOpened { account } => {
                tag(out, 0);
                put(out, (*account).into());
            }
            EventKind::Deposited { account, amount } => {
                tag(out, 1);
                put(out, (*account).into());
                put(out, *amount);
            }
            EventKind::Registered {
                domain,
                owner,
                years,
                expires,
                charged,
            } => {
                tag(out, 2);
                for v in [
                    (*domain).into(),
                    (*owner).into(),
                    (*years).into(),
                    expires.0,
                    *charged,
                ] {
                    put(out, v);
                }
            }
            EventKind::Renewed {
                domain,
                years,
                expires,
                charged,
                auto,
                late,
            } => {
                tag(out, 3);
                for v in [(*domain).into(), (*years).into(), expires.0, *charged] {
                    put(out, v);
                }
                out.push(u8::from(*auto) | u8::from(*late) << 1);
            }
            EventKind::AutoRenewFailed {
                domain,
                day,
                needed,
            } => {
                tag(out, 4);
                for v in [(*domain).into(), (*day).into(), *needed] {
                    put(out, v);
                }
            }
            EventKind::Restored {
                domain,
                expires,
                charged,
            } => {
                tag(out, 5);
                for v in [(*domain).into(), expires.0, *charged] {
                    put(out, v);
                }
            }
            EventKind::Deleted { domain, refunded } => {
                tag(out, 6);
                put(out, (*domain).into());
                put(out, *refunded);
            }
            EventKind::PhaseEntered { domain, phase } => {
                tag(out, 7);
                put(out, (*domain).into());
                out.push(*phase as u8);
            }
            EventKind::Released { domain } => {
                tag(out, 8);
                put(out, (*domain).into());
            }
            EventKind::Notified {
                account,
                domain,
                notice,
            } => {
                tag(out, 9);
                let (n, days) = notice.code();
                for v in [(*account).into(), (*domain).into(), n.into(), days.into()] {
                    put(out, v);
                }
            }
            EventKind::UpdateLockLifted { domain } => {
                tag(out, 10);
                put(out, (*domain).into());
            }
            EventKind::LockSet { domain, lock, on } => {
                tag(out, 11);
                put(out, (*domain).into());
                out.push(*lock as u8);
                out.push(u8::from(*on));
            }
            EventKind::AutoRenewSet { domain, on } => {
                tag(out, 12);
                put(out, (*domain).into());
                out.push(u8::from(*on));
            }
            EventKind::PolicySet { key, value } => {
                tag(out, 13);
                for s in [key, value] {
                    put(out, s.len() as i64);
                    out.extend_from_slice(s.as_bytes());
                }
            }
        }
    }
}
