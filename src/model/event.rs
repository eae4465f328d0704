//! The events of a run: what happened, when. Events hold dense ids; views resolve
//! them to names. Their binary encoding feeds the run digest.

use super::domain::{AccountId, Lock, NameId, Phase, ProfileId};
use crate::sim::{Encode, Time};
use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// A profile passed real-name verification.
    ProfileVerified,
    /// A profile failed real-name verification.
    ProfileRejected,
    /// The MIIT SMS asks the applicant to confirm an ICP order within 24 hours.
    IcpSmsRequested,
    /// An ICP order was approved.
    IcpApproved,
    /// An ICP order was rejected.
    IcpRejected,
    /// An ICP order was deleted after 45 idle days.
    IcpDeleted,
    /// A website violated filing rules.
    SiteViolation,
    /// A watched domain changed state.
    Watch(WatchChange),
    /// A listing closed because its domain left the phases in which it can be sold.
    ListingClosed,
    /// A domain came to this account (a push or a sale); auto-renew is off until the
    /// new holder turns it on.
    DomainReceived,
    /// A backorder ended without the name (a restore brought it back), refunded.
    BackorderCancelled,
}

/// What a watcher is told about a domain it does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WatchChange {
    /// The name was registered.
    Registered,
    /// It expires within a month.
    Expiring,
    /// It expired and entered grace.
    Grace,
    /// It entered redemption.
    Redemption,
    /// It was released and is available.
    Released,
    /// It was listed for sale.
    Listed,
    /// Its holder restored it from redemption.
    Restored,
}

impl WatchChange {
    /// The change's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            WatchChange::Registered => "registered",
            WatchChange::Expiring => "expiring",
            WatchChange::Grace => "grace",
            WatchChange::Redemption => "redemption",
            WatchChange::Released => "released",
            WatchChange::Listed => "listed",
            WatchChange::Restored => "restored",
        }
    }
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
            Notice::ProfileVerified => "profile_verified",
            Notice::ProfileRejected => "profile_rejected",
            Notice::IcpSmsRequested => "icp_sms_requested",
            Notice::IcpApproved => "icp_approved",
            Notice::IcpRejected => "icp_rejected",
            Notice::IcpDeleted => "icp_deleted",
            Notice::SiteViolation => "site_violation",
            Notice::Watch(_) => "watch",
            Notice::ListingClosed => "listing_closed",
            Notice::DomainReceived => "domain_received",
            Notice::BackorderCancelled => "backorder_cancelled",
        }
    }
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
        domain: Option<NameId>,
        profile: Option<ProfileId>,
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
    /// A registrant profile was created.
    ProfileCreated { profile: ProfileId },
    /// A profile's data changed (`reverified`: a verified identity went back to review).
    ProfileUpdated {
        profile: ProfileId,
        reverified: bool,
    },
    /// A profile was submitted for real-name review.
    ProfileSubmitted { profile: ProfileId },
    /// A review ended.
    ProfileReviewed {
        profile: ProfileId,
        verified: bool,
        reason: String,
    },
    /// A profile's email address was verified.
    EmailVerified { profile: ProfileId },
    /// A domain's registrant profile changed.
    RegistrantChanged {
        domain: NameId,
        /// The new registrant profile; none when a sale or transfer left it unset.
        profile: Option<ProfileId>,
        lock: bool,
    },
    /// Registrar-hosted domain data changed (records, name servers, contact, privacy).
    DomainDataChanged {
        domain: NameId,
        action: String,
        actor: String,
    },
    /// RAM sub-users or the agent console changed.
    AccessChanged {
        account: AccountId,
        action: String,
        subject: String,
    },
    /// An ICP order moved to a stage.
    IcpStage { domain: NameId, stage: String },
    /// A website launched.
    SiteLaunched {
        domain: NameId,
        region: String,
        commercial: bool,
    },
    /// A website broke a filing rule.
    SiteViolation {
        domain: NameId,
        reason: String,
        fine: i64,
    },
    /// A website's PSB filing was made.
    PsbFiled { domain: NameId, number: String },
    /// An account started or stopped watching a name.
    WatchSet {
        account: AccountId,
        domain: NameId,
        on: bool,
    },
    /// A transfer was requested (`direction` in or out; `registrar` the other side).
    TransferRequested {
        domain: NameId,
        direction: String,
        registrar: String,
    },
    /// A transfer ended: completed, or not with the reason; `charged` is what a
    /// completed transfer in earned.
    TransferEnded {
        domain: NameId,
        completed: bool,
        reason: String,
        charged: i64,
    },
    /// The holder moved a domain to another account of `home`.
    Pushed {
        domain: NameId,
        from: AccountId,
        to: AccountId,
    },
    /// Something happened on the trade platform.
    Market {
        domain: NameId,
        action: MarketAction,
        id: u32,
        amount: i64,
        account: AccountId,
    },
}

/// What happened on the trade platform: a `market` event's `action` (shown, streamed and
/// fingerprinted as its snake_case name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarketAction {
    /// A domain was put up for sale (`id`: the listing; `amount`: the price or starting bid).
    Listed,
    /// The seller took a listing down.
    Delisted,
    /// A bid on an auction.
    Bid,
    /// A bid in the last minutes extended an auction (soft close).
    AuctionExtended,
    /// An auction closed with a winner (`amount`: the winning bid).
    AuctionWon,
    /// An auction closed without a bid at or above its reserve.
    AuctionUnsold,
    /// A buyer made an offer.
    OfferMade,
    /// The seller countered an offer.
    OfferCountered,
    /// An offer was accepted.
    OfferAccepted,
    /// An offer was rejected.
    OfferRejected,
    /// An offer lapsed unanswered.
    OfferLapsed,
    /// A trade order was opened (the buyer owes payment).
    OrderOpened,
    /// A trade order completed: paid, and the domain delivered.
    OrderCompleted,
    /// A trade order's payment went back to the buyer.
    OrderRefunded,
    /// A trade order was cancelled.
    OrderCancelled,
    /// Delivery after payment failed (the domain could not be moved).
    AutoTransferFailed,
    /// The platform's commission on a sale (`amount`).
    Commission,
    /// A buyer declined a push sale.
    PushDeclined,
    /// A listing closed because its domain lapsed.
    ClosedLapsed,
    /// A backorder was placed (`amount`: held in escrow).
    Backordered,
    /// Several backorders for a released name: it goes to auction.
    BackorderAuction,
    /// A backorder ended without the name; its money went back.
    BackorderEnded,
    /// A backorder was cancelled; its money went back.
    BackorderCancelled,
}

impl MarketAction {
    /// The action's name in events (`order_completed`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            MarketAction::Listed => "listed",
            MarketAction::Delisted => "delisted",
            MarketAction::Bid => "bid",
            MarketAction::AuctionExtended => "auction_extended",
            MarketAction::AuctionWon => "auction_won",
            MarketAction::AuctionUnsold => "auction_unsold",
            MarketAction::OfferMade => "offer_made",
            MarketAction::OfferCountered => "offer_countered",
            MarketAction::OfferAccepted => "offer_accepted",
            MarketAction::OfferRejected => "offer_rejected",
            MarketAction::OfferLapsed => "offer_lapsed",
            MarketAction::OrderOpened => "order_opened",
            MarketAction::OrderCompleted => "order_completed",
            MarketAction::OrderRefunded => "order_refunded",
            MarketAction::OrderCancelled => "order_cancelled",
            MarketAction::AutoTransferFailed => "auto_transfer_failed",
            MarketAction::Commission => "commission",
            MarketAction::PushDeclined => "push_declined",
            MarketAction::ClosedLapsed => "closed_lapsed",
            MarketAction::Backordered => "backordered",
            MarketAction::BackorderAuction => "backorder_auction",
            MarketAction::BackorderEnded => "backorder_ended",
            MarketAction::BackorderCancelled => "backorder_cancelled",
        }
    }
}

/// Fingerprinted as its name, as when the action was a string: digests do not move.
impl std::hash::Hash for MarketAction {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
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
    /// The id string of a profile.
    fn profile_name(&self, id: ProfileId) -> &str;
}

impl EventKind {
    /// The event kind's name in scripts and traces.
    /// Every event kind's name, in the order `name` lists them.
    pub const KINDS: [&'static str; 31] = [
        "account_opened",
        "deposited",
        "registered",
        "renewed",
        "auto_renew_failed",
        "restored",
        "deleted",
        "phase_entered",
        "released",
        "notified",
        "update_lock_lifted",
        "lock_set",
        "auto_renew_set",
        "policy_set",
        "profile_created",
        "profile_updated",
        "profile_submitted",
        "profile_reviewed",
        "email_verified",
        "registrant_changed",
        "domain_data_changed",
        "access_changed",
        "icp_stage",
        "site_launched",
        "site_violation",
        "psb_filed",
        "watch_set",
        "transfer_requested",
        "transfer_ended",
        "pushed",
        "market",
    ];

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
            EventKind::ProfileCreated { .. } => "profile_created",
            EventKind::ProfileUpdated { .. } => "profile_updated",
            EventKind::ProfileSubmitted { .. } => "profile_submitted",
            EventKind::ProfileReviewed { .. } => "profile_reviewed",
            EventKind::EmailVerified { .. } => "email_verified",
            EventKind::RegistrantChanged { .. } => "registrant_changed",
            EventKind::DomainDataChanged { .. } => "domain_data_changed",
            EventKind::AccessChanged { .. } => "access_changed",
            EventKind::IcpStage { .. } => "icp_stage",
            EventKind::SiteLaunched { .. } => "site_launched",
            EventKind::SiteViolation { .. } => "site_violation",
            EventKind::PsbFiled { .. } => "psb_filed",
            EventKind::WatchSet { .. } => "watch_set",
            EventKind::TransferRequested { .. } => "transfer_requested",
            EventKind::TransferEnded { .. } => "transfer_ended",
            EventKind::Pushed { .. } => "pushed",
            EventKind::Market { .. } => "market",
        }
    }

    /// The event at `at` as `events()` shows it: `at`, `kind`, then its own fields
    /// with names resolved (the same map `--events` streams as JSON).
    pub fn view_at(&self, at: Time, r: &impl Resolve) -> Vec<(&'static str, Field)> {
        let mut v = vec![
            ("at", Field::Text(at.to_string())),
            ("kind", Field::Text(self.name().to_string())),
        ];
        v.extend(self.fields(r));
        v
    }

    /// Whether the event names the domain `name` among its fields.
    pub fn mentions(&self, name: NameId) -> bool {
        /// Resolves nothing, noting whether `name` was asked for.
        struct Spy {
            name: NameId,
            seen: std::cell::Cell<bool>,
        }
        impl Resolve for Spy {
            fn domain_name(&self, id: NameId) -> &str {
                if id == self.name {
                    self.seen.set(true);
                }
                ""
            }
            fn account_name(&self, _: AccountId) -> &str {
                ""
            }
            fn profile_name(&self, _: ProfileId) -> &str {
                ""
            }
        }
        let spy = Spy {
            name,
            seen: std::cell::Cell::new(false),
        };
        let _ = self.fields(&spy);
        spy.seen.get()
    }

    /// The event's fields with names resolved, in a fixed order.
    pub fn fields(&self, r: &impl Resolve) -> Vec<(&'static str, Field)> {
        use Field::*;
        let d = |id: &NameId| Text(r.domain_name(*id).to_string());
        let a = |id: &AccountId| Text(r.account_name(*id).to_string());
        let t = |time: &Time| Text(time.to_string());
        let p = |id: &ProfileId| Text(r.profile_name(*id).to_string());
        let s = |text: &String| Text(text.clone());
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
                profile,
                notice,
            } => {
                let mut v = vec![("account", a(account))];
                if let Some(domain) = domain {
                    v.push(("domain", d(domain)));
                }
                if let Some(profile) = profile {
                    v.push(("profile", p(profile)));
                }
                v.push(("notice", Text(notice.as_str().into())));
                if let Notice::RenewalReminder(days) = notice {
                    v.push(("days_before", Int((*days).into())));
                }
                if let Notice::Watch(change) = notice {
                    v.push(("change", Text(change.as_str().into())));
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
            EventKind::PolicySet { key, value } => vec![("key", s(key)), ("value", s(value))],
            EventKind::ProfileCreated { profile }
            | EventKind::ProfileSubmitted { profile }
            | EventKind::EmailVerified { profile } => vec![("profile", p(profile))],
            EventKind::ProfileUpdated {
                profile,
                reverified,
            } => {
                vec![("profile", p(profile)), ("reverified", Bool(*reverified))]
            }
            EventKind::ProfileReviewed {
                profile,
                verified,
                reason,
            } => vec![
                ("profile", p(profile)),
                ("verified", Bool(*verified)),
                ("reason", s(reason)),
            ],
            EventKind::RegistrantChanged {
                domain,
                profile,
                lock,
            } => vec![
                ("domain", d(domain)),
                ("profile", profile.as_ref().map_or(Text(String::new()), p)),
                ("lock", Bool(*lock)),
            ],
            EventKind::DomainDataChanged {
                domain,
                action,
                actor,
            } => vec![
                ("domain", d(domain)),
                ("action", s(action)),
                ("actor", s(actor)),
            ],
            EventKind::AccessChanged {
                account,
                action,
                subject,
            } => vec![
                ("account", a(account)),
                ("action", s(action)),
                ("subject", s(subject)),
            ],
            EventKind::IcpStage { domain, stage } => {
                vec![("domain", d(domain)), ("stage", s(stage))]
            }
            EventKind::SiteLaunched {
                domain,
                region,
                commercial,
            } => vec![
                ("domain", d(domain)),
                ("region", s(region)),
                ("commercial", Bool(*commercial)),
            ],
            EventKind::SiteViolation {
                domain,
                reason,
                fine,
            } => vec![
                ("domain", d(domain)),
                ("reason", s(reason)),
                ("fine", Int(*fine)),
            ],
            EventKind::PsbFiled { domain, number } => {
                vec![("domain", d(domain)), ("number", s(number))]
            }
            EventKind::WatchSet {
                account,
                domain,
                on,
            } => vec![
                ("account", a(account)),
                ("domain", d(domain)),
                ("on", Bool(*on)),
            ],
            EventKind::TransferRequested {
                domain,
                direction,
                registrar,
            } => vec![
                ("domain", d(domain)),
                ("direction", s(direction)),
                ("registrar", s(registrar)),
            ],
            EventKind::TransferEnded {
                domain,
                completed,
                reason,
                charged,
            } => vec![
                ("domain", d(domain)),
                ("completed", Bool(*completed)),
                ("reason", s(reason)),
                ("charged", Int(*charged)),
            ],
            EventKind::Pushed { domain, from, to } => {
                vec![("domain", d(domain)), ("from", a(from)), ("to", a(to))]
            }
            EventKind::Market {
                domain,
                action,
                id,
                amount,
                account,
            } => vec![
                ("domain", d(domain)),
                ("action", Text(action.as_str().to_string())),
                ("id", Int((*id).into())),
                ("amount", Int(*amount)),
                ("account", a(account)),
            ],
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

    /// Writes the encoding of an event at `at` of `kind` (see [`Encode for
    /// Event`](#impl-Encode-for-Event)) from its parts, so that recording an event that
    /// is not kept never moves its kind into an [`Event`].
    #[inline]
    pub fn encode_parts(at: Time, kind: &EventKind, out: &mut Vec<u8>) {
        use crate::sim::{ByteSink, Bytes, Room};
        use std::hash::Hash;
        let at = at.0.to_le_bytes();
        // Nearly every event fits in the room; one with long text is written again
        // the long way. The bytes are the same either way.
        let fits = Room::write_into(out, |room| {
            room.put(&at);
            kind.hash(&mut ByteSink(room));
        });
        if !fits {
            out.extend_from_slice(&at);
            kind.hash(&mut ByteSink(out));
        }
    }
}

impl Encode for Event {
    /// The instant (8 bytes), then the kind's derived `Hash` stream (deterministic,
    /// portable and self-delimiting: field order, discriminants and widths are fixed
    /// by the type; see [`crate::sim::ByteSink`]).
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        Event::encode_parts(self.at, &self.kind, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    /// The encoding written the long way: the instant, then the derived stream straight
    /// into the buffer.
    fn long_way(e: &Event) -> Vec<u8> {
        let mut out = e.at.0.to_le_bytes().to_vec();
        e.kind.hash(&mut crate::sim::ByteSink(&mut out));
        out
    }

    #[test]
    fn kinds_are_unique_and_name_the_events_that_mention_a_domain() {
        let mut seen = std::collections::BTreeSet::new();
        assert!(EventKind::KINDS.iter().all(|k| seen.insert(*k)));
        let renewed = EventKind::Renewed {
            domain: 7,
            years: 1,
            expires: Time(0),
            charged: 100,
            auto: false,
            late: false,
        };
        assert!(EventKind::KINDS.contains(&renewed.name()));
        assert!(renewed.mentions(7) && !renewed.mentions(8));
        let deposit = EventKind::Deposited {
            account: 7,
            amount: 1,
        };
        assert!(!deposit.mentions(7), "an account number is not a domain");
    }

    #[test]
    fn events_encode_the_same_in_the_room_and_past_it() {
        let at = Time(1_767_225_600);
        let kinds = [
            EventKind::Notified {
                account: 3,
                domain: Some(70_000),
                profile: None,
                notice: Notice::RenewalReminder(30),
            },
            EventKind::Registered {
                domain: u32::MAX,
                owner: 1,
                years: 10,
                expires: Time(i64::MAX),
                charged: i64::MIN,
            },
            EventKind::PhaseEntered {
                domain: 9,
                phase: Phase::Redemption,
            },
            EventKind::PolicySet {
                key: "com.redemption_days".into(),
                value: "x".repeat(200),
            },
        ];
        for kind in kinds {
            let e = Event { at, kind };
            let mut out = vec![0xaa];
            e.encode(&mut out);
            assert_eq!(out[0], 0xaa, "appends after what is there");
            assert_eq!(out[1..], long_way(&e), "{e:?}");
        }
    }
}
