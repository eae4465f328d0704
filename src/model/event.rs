//! The events of a run: what happened, when. Events hold dense ids; views resolve
//! them to names. Their binary encoding feeds the run digest.

use super::compliance::{IcpStage, Region};
use super::domain::{AccountId, Lock, NameId, Phase, ProfileId};
use super::slug::{hash_by_name, slugs};
use super::transfer::Direction;
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
        outcome: ReviewOutcome,
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
        action: DataAction,
        actor: String,
    },
    /// RAM sub-users or the agent console changed.
    AccessChanged {
        account: AccountId,
        action: AccessAction,
        subject: String,
    },
    /// An ICP order moved to a stage.
    IcpStage { domain: NameId, stage: IcpStage },
    /// A website launched.
    SiteLaunched {
        domain: NameId,
        region: Region,
        commercial: bool,
    },
    /// A website broke a filing rule.
    SiteViolation {
        domain: NameId,
        reason: Violation,
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
        direction: Direction,
        registrar: String,
    },
    /// A transfer ended: completed, or not with the reason; `charged` is what a
    /// completed transfer in earned.
    TransferEnded {
        domain: NameId,
        completed: bool,
        reason: TransferEnd,
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

slugs! {
    /// What happened on the trade platform: a `market` event's `action`.
    pub enum MarketAction {
        /// A domain was put up for sale (`id`: the listing; `amount`: the price or starting bid).
        Listed => "listed",
        /// The seller took a listing down.
        Delisted => "delisted",
        /// A bid on an auction.
        Bid => "bid",
        /// A bid in the last minutes extended an auction (soft close).
        AuctionExtended => "auction_extended",
        /// An auction closed with a winner (`amount`: the winning bid).
        AuctionWon => "auction_won",
        /// An auction closed without a bid at or above its reserve.
        AuctionUnsold => "auction_unsold",
        /// A buyer made an offer.
        OfferMade => "offer_made",
        /// The seller countered an offer.
        OfferCountered => "offer_countered",
        /// An offer was accepted.
        OfferAccepted => "offer_accepted",
        /// An offer was rejected.
        OfferRejected => "offer_rejected",
        /// An offer lapsed unanswered.
        OfferLapsed => "offer_lapsed",
        /// A trade order was opened (the buyer owes payment).
        OrderOpened => "order_opened",
        /// A trade order completed: paid, and the domain delivered.
        OrderCompleted => "order_completed",
        /// A trade order's payment went back to the buyer.
        OrderRefunded => "order_refunded",
        /// A trade order was cancelled.
        OrderCancelled => "order_cancelled",
        /// Delivery after payment failed (the domain could not be moved).
        AutoTransferFailed => "auto_transfer_failed",
        /// The platform's commission on a sale (`amount`).
        Commission => "commission",
        /// A buyer declined a push sale.
        PushDeclined => "push_declined",
        /// A listing closed because its domain lapsed.
        ClosedLapsed => "closed_lapsed",
        /// A backorder was placed (`amount`: held in escrow).
        Backordered => "backordered",
        /// Several backorders for a released name: it goes to auction.
        BackorderAuction => "backorder_auction",
        /// A backorder ended without the name; its money went back.
        BackorderEnded => "backorder_ended",
        /// A backorder was cancelled; its money went back.
        BackorderCancelled => "backorder_cancelled",
    }
}

slugs! {
    /// What changed in a domain's registrar-held data: a `domain_data_changed` event's
    /// and an audit entry's `action`.
    pub enum DataAction {
        /// A record was added.
        AddRecord => "add_record",
        /// A record was changed.
        UpdateRecord => "update_record",
        /// A record was removed.
        RemoveRecord => "remove_record",
        /// A record was switched back on.
        EnableRecord => "enable_record",
        /// A record was switched off.
        DisableRecord => "disable_record",
        /// The name servers were replaced.
        SetNameservers => "set_nameservers",
        /// The zone went back into the holder's DNS hosting.
        HostZone => "host_zone",
        /// The zone left the holder's DNS hosting.
        UnhostZone => "unhost_zone",
        /// The registrant profile changed.
        SetRegistrant => "set_registrant",
        /// The contact email or phone changed.
        UpdateContact => "update_contact",
        /// WHOIS privacy was turned on or off.
        SetPrivacy => "set_privacy",
        /// The domain moved to another account.
        MoveHolder => "move_holder",
    }
}

slugs! {
    /// What changed in an account's access: an `access_changed` event's `action`.
    pub enum AccessAction {
        /// A RAM sub-user was created.
        CreateRamUser => "create_ram_user",
        /// A permission was granted to a sub-user.
        Grant => "grant",
        /// A permission was revoked from a sub-user.
        Revoke => "revoke",
        /// The agent console was enabled.
        EnableConsole => "enable_console",
        /// The agent console was disabled.
        DisableConsole => "disable_console",
    }
}

slugs! {
    /// Which filing rule a website broke: a `site_violation` event's `reason`.
    pub enum Violation {
        /// Served in mainland China without an ICP filing.
        Unfiled => "unfiled",
        /// Commercial service in mainland China without an ICP licence.
        Unlicensed => "unlicensed",
        /// No PSB filing within its deadline after launch.
        PsbMissing => "psb_missing",
    }
}

slugs! {
    /// How a transfer ended: a `transfer_ended` event's `reason`.
    pub enum TransferEnd {
        /// Approved (by the losing side, or automatically): the domain moved.
        Approved => "approved",
        /// The holder rejected the transfer out.
        RejectedByHolder => "rejected_by_holder",
        /// The losing registrar rejected the transfer in.
        RejectedByRegistrar => "rejected_by_registrar",
        /// The gaining customer cancelled.
        Cancelled => "cancelled",
    }
}

/// How a real-name review ended: verified, or why it was rejected. A
/// `profile_reviewed` event shows it as `verified` and `reason` (empty when verified).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewOutcome {
    /// The profile is verified.
    Verified,
    /// No identity document was given.
    DocumentMissing,
    /// The document is not valid.
    DocumentInvalid,
    /// The document had expired.
    DocumentExpired,
    /// The reviewer rejected it.
    ReviewerRejected,
}

impl ReviewOutcome {
    /// Whether the profile was verified.
    pub fn verified(self) -> bool {
        self == ReviewOutcome::Verified
    }

    /// The rejection reason (`document_missing`, ...), none when verified.
    pub(crate) fn rejection(self) -> Option<&'static str> {
        match self {
            ReviewOutcome::Verified => None,
            ReviewOutcome::DocumentMissing => Some("document_missing"),
            ReviewOutcome::DocumentInvalid => Some("document_invalid"),
            ReviewOutcome::DocumentExpired => Some("document_expired"),
            ReviewOutcome::ReviewerRejected => Some("reviewer_rejected"),
        }
    }
}

/// Fingerprinted as the `verified` flag and `reason` string it replaced: digests do not
/// move.
impl std::hash::Hash for ReviewOutcome {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.verified().hash(state);
        self.rejection().unwrap_or("").hash(state);
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
    pub(crate) const KINDS: [&'static str; 31] = [
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
    pub(crate) fn view_at(&self, at: Time, r: &impl Resolve) -> Vec<(&'static str, Field)> {
        let mut v = vec![
            ("at", Field::Text(at.to_string())),
            ("kind", Field::Text(self.name().to_string())),
        ];
        v.extend(self.fields(r));
        v
    }

    /// Whether the event names the domain `name` among its fields.
    pub(crate) fn mentions(&self, name: NameId) -> bool {
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
        let name = |slug: &str| Text(slug.to_string());
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
            EventKind::ProfileReviewed { profile, outcome } => vec![
                ("profile", p(profile)),
                ("verified", Bool(outcome.verified())),
                ("reason", name(outcome.rejection().unwrap_or(""))),
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
                ("action", name(action.as_str())),
                ("actor", s(actor)),
            ],
            EventKind::AccessChanged {
                account,
                action,
                subject,
            } => vec![
                ("account", a(account)),
                ("action", name(action.as_str())),
                ("subject", s(subject)),
            ],
            EventKind::IcpStage { domain, stage } => {
                vec![("domain", d(domain)), ("stage", name(stage.as_str()))]
            }
            EventKind::SiteLaunched {
                domain,
                region,
                commercial,
            } => vec![
                ("domain", d(domain)),
                ("region", name(region.as_str())),
                ("commercial", Bool(*commercial)),
            ],
            EventKind::SiteViolation {
                domain,
                reason,
                fine,
            } => vec![
                ("domain", d(domain)),
                ("reason", name(reason.as_str())),
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
                ("direction", name(direction.as_str())),
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
                ("reason", name(reason.as_str())),
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
                ("action", name(action.as_str())),
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
    pub(crate) fn encode_parts(at: Time, kind: &EventKind, out: &mut Vec<u8>) {
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

    /// Each value of a named set shows, serializes and fingerprints as its own name.
    fn named_as_strings<T: Copy + Hash + Serialize>(all: &[T], name: impl Fn(T) -> &'static str) {
        let mut seen = std::collections::BTreeSet::new();
        for v in all {
            assert!(seen.insert(name(*v)), "{} twice", name(*v));
            assert_eq!(serde_json::to_value(v).unwrap(), name(*v));
            let (mut as_value, mut as_text) = (Vec::new(), Vec::new());
            v.hash(&mut crate::sim::ByteSink(&mut as_value));
            name(*v).hash(&mut crate::sim::ByteSink(&mut as_text));
            assert_eq!(as_value, as_text, "{}", name(*v));
        }
    }

    #[test]
    fn named_sets_show_serialize_and_fingerprint_as_their_names() {
        named_as_strings(MarketAction::ALL, MarketAction::as_str);
        named_as_strings(DataAction::ALL, DataAction::as_str);
        named_as_strings(AccessAction::ALL, AccessAction::as_str);
        named_as_strings(Violation::ALL, Violation::as_str);
        named_as_strings(TransferEnd::ALL, TransferEnd::as_str);
    }

    #[test]
    fn a_review_outcome_fingerprints_as_the_flag_and_reason_it_replaced() {
        for (outcome, verified, reason) in [
            (ReviewOutcome::Verified, true, ""),
            (ReviewOutcome::DocumentExpired, false, "document_expired"),
        ] {
            let (mut as_value, mut as_fields) = (Vec::new(), Vec::new());
            outcome.hash(&mut crate::sim::ByteSink(&mut as_value));
            verified.hash(&mut crate::sim::ByteSink(&mut as_fields));
            reason.hash(&mut crate::sim::ByteSink(&mut as_fields));
            assert_eq!(as_value, as_fields);
        }
    }

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

hash_by_name!(IcpStage);
hash_by_name!(Region);
hash_by_name!(Direction);
