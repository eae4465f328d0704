//! Domains: the stored facts (expiry, owner, locks, ...) and what is derived from
//! them at read time — the lifecycle phase and the EPP statuses — so that no batch job
//! ever has to rewrite millions of records as time passes.

use super::tld::Tld;
use crate::sim::{OptTime, Time, Time40};
use serde::{Deserialize, Serialize};

/// Lifecycle phase, derived from expiry (or deletion), policy and the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Phase {
    /// Before expiry.
    Active,
    /// Expired; renewable at the renew price.
    Grace,
    /// Restore only.
    Redemption,
    /// Nothing allowed; the name is about to be released.
    PendingDelete,
    /// The domain no longer exists.
    Released,
}

impl Phase {
    /// The phase's name in scripts and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Active => "active",
            Phase::Grace => "grace",
            Phase::Redemption => "redemption",
            Phase::PendingDelete => "pending_delete",
            Phase::Released => "released",
        }
    }
}

/// A client lock (Alibaba Cloud "security lock").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lock {
    /// `clientTransferProhibited`.
    Transfer,
    /// `clientUpdateProhibited`: registrant, contact and name-server changes.
    Update,
    /// `clientDeleteProhibited`.
    Delete,
}

impl Lock {
    /// All locks, in display order.
    pub const ALL: [Lock; 3] = [Lock::Transfer, Lock::Update, Lock::Delete];

    /// The lock's name in scripts: `transfer`, `update`, `delete`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lock::Transfer => "transfer",
            Lock::Update => "update",
            Lock::Delete => "delete",
        }
    }

    /// Parses a lock name.
    pub fn parse(name: &str) -> Option<Lock> {
        Lock::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// The EPP status the lock sets.
    pub fn status(self) -> Status {
        match self {
            Lock::Transfer => Status::ClientTransferProhibited,
            Lock::Update => Status::ClientUpdateProhibited,
            Lock::Delete => Status::ClientDeleteProhibited,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The set of client locks on a domain, and (in the same byte, so that a domain record
/// stays at 44 bytes) whether auto-renew is on and whether the registration has trades.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locks(u8);

/// The bit of [`Locks`] that holds auto-renew; the locks use the low bits.
const AUTO_RENEW: u8 = 0x80;

/// The bit of [`Locks`] that says the market holds listings or orders made for this
/// registration ([`Domain::has_trades`]).
const TRADED: u8 = 0x40;

impl Locks {
    /// Turns every lock off (auto-renew and the trade mark stay as they are).
    pub fn clear(&mut self) {
        self.0 &= AUTO_RENEW | TRADED;
    }

    /// Whether `lock` is on.
    pub fn has(self, lock: Lock) -> bool {
        self.0 & lock.bit() != 0
    }

    /// Turns `lock` on or off.
    pub fn set(&mut self, lock: Lock, on: bool) {
        self.set_bits(lock.bit(), on);
    }

    /// Sets or clears `bits`.
    fn set_bits(&mut self, bits: u8, on: bool) {
        if on {
            self.0 |= bits;
        } else {
            self.0 &= !bits;
        }
    }

    /// The locks that are on, in display order.
    pub fn iter(self) -> impl Iterator<Item = Lock> {
        Lock::ALL.into_iter().filter(move |l| self.has(*l))
    }
}

/// EPP domain statuses (RFC 5731 §2.3, RFC 3915 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Nothing else applies.
    Ok,
    /// Registration add grace period (RFC 3915).
    AddPeriod,
    /// Auto-renew grace period after expiry (RFC 3915).
    AutoRenewPeriod,
    /// Redemption grace period (RFC 3915).
    RedemptionPeriod,
    /// Being deleted.
    PendingDelete,
    /// Not published in DNS, set by the registrar's client side.
    ClientHold,
    /// Not published in DNS, set by the server (real-name verification missing).
    ServerHold,
    /// Transfer refused.
    ClientTransferProhibited,
    /// Update refused.
    ClientUpdateProhibited,
    /// Delete refused.
    ClientDeleteProhibited,
    /// A transfer is pending.
    PendingTransfer,
}

impl Status {
    /// The EPP spelling, e.g. `clientTransferProhibited`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::AddPeriod => "addPeriod",
            Status::AutoRenewPeriod => "autoRenewPeriod",
            Status::RedemptionPeriod => "redemptionPeriod",
            Status::PendingDelete => "pendingDelete",
            Status::ClientHold => "clientHold",
            Status::ServerHold => "serverHold",
            Status::ClientTransferProhibited => "clientTransferProhibited",
            Status::ClientUpdateProhibited => "clientUpdateProhibited",
            Status::ClientDeleteProhibited => "clientDeleteProhibited",
            Status::PendingTransfer => "pendingTransfer",
        }
    }
}

/// Interned name id.
pub type NameId = u32;
/// Dense account id.
pub type AccountId = u32;
/// Dense profile id.
pub type ProfileId = u32;
/// Dense domain slot id.
pub type DomainId = u32;

/// A registered domain: only facts that change by operations are stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// Interned ASCII name.
    pub name: NameId,
    /// Catalog index of its TLD.
    pub tld: u16,
    /// Index of the sponsoring registrar (0 is `home`; at most
    /// [`MAX_REGISTRARS`](super::account::MAX_REGISTRARS) exist).
    pub registrar: u8,
    /// The holder's account.
    pub owner: AccountId,
    /// The registrant profile, if linked.
    pub profile: OptProfile,
    /// Creation instant.
    pub created: Time40,
    /// Expiry instant E.
    pub expires: Time40,
    /// When the holder deleted it (outside add grace): redemption runs from here.
    pub deleted: OptTime,
    /// Client locks and the auto-renew switch ([`Domain::auto_renew`]).
    pub locks: Locks,
    /// Start of the current 60-day transfer lock (creation, transfer-in, registrant change).
    pub transfer_lock_from: Time40,
    /// Timer generation: bumped to cancel this domain's pending timer. Set by
    /// [`World::insert_domain`](super::World::insert_domain), which carries it on from a
    /// reused slot's previous occupant so that none of that occupant's timers can fire.
    pub generation: Generation,
    /// Insertion sequence (registration order), set by
    /// [`World::insert_domain`](super::World::insert_domain). Slots are reused, so slot
    /// order is not registration order; a listing or order also names its domain by
    /// (slot, sequence) so that it never follows a slot to a later occupant.
    pub seq: u32,
    /// When the domain's earliest milestone computed in closed form (a renewal reminder,
    /// the post-expiry reminder, a quiet domain's phase change: none has a timer of its
    /// own) falls, if one is owed: it is recorded when the clock has passed it and the
    /// domain is next touched or read (`ops::timeline::catch_up`). Managed by the
    /// timeline only.
    pub owed: OptTime,
    /// The owed milestone's kind: where at `owed`'s instant the owed ones start (those
    /// of the instant before it fired, or were recorded, already).
    pub owed_kind: u8,
    /// The name's hash in the name table (`NameTable::hash_of`), kept so that releasing
    /// the name finds its index entry without reading the name's text, two cache misses
    /// on a name nothing has touched for a year. Set by
    /// [`World::insert_domain`](super::World::insert_domain); not stored in snapshots
    /// (`World::reindex` sets it again).
    #[serde(skip)]
    pub(crate) name_hash: u32,
}

/// A domain's timer generation: never zero, so that an empty slot (`Option<Domain>`)
/// takes no room beside the record. Advancing wraps from `u32::MAX` to 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generation(std::num::NonZeroU32);

impl Generation {
    /// The generation of a slot's first occupant.
    pub(crate) const FIRST: Generation = Generation(std::num::NonZeroU32::MIN);

    /// The value timers carry.
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// The next generation (cancelling every timer of this one).
    pub fn next(self) -> Generation {
        Generation(
            std::num::NonZeroU32::new(self.0.get().wrapping_add(1))
                .unwrap_or(std::num::NonZeroU32::MIN),
        )
    }
}

/// An optional profile id in 4 bytes instead of 8: `u32::MAX`, never a profile's index,
/// stands for none. Encoded as an `Option<ProfileId>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptProfile(u32);

impl OptProfile {
    /// No profile.
    pub(crate) const NONE: OptProfile = OptProfile(u32::MAX);

    /// The profile, if any.
    pub fn get(self) -> Option<ProfileId> {
        (self.0 != u32::MAX).then_some(self.0)
    }
}

impl From<Option<ProfileId>> for OptProfile {
    fn from(p: Option<ProfileId>) -> OptProfile {
        p.map_or(OptProfile::NONE, OptProfile)
    }
}

impl Serialize for OptProfile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for OptProfile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<OptProfile, D::Error> {
        Option::<ProfileId>::deserialize(d).map(OptProfile::from)
    }
}

impl std::fmt::Debug for OptProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// A reference to one registration of a domain: its slot and its insertion sequence.
/// [`World::domain_ref`](super::World::domain_ref) resolves it only while that very
/// registration lives in the slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRef {
    /// The slot.
    pub id: DomainId,
    /// The registration's insertion sequence.
    pub seq: u32,
}

/// The instants at which a domain's phase changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhaseBoundaries {
    /// Start of grace (E), or `None` for a deleted domain.
    pub grace: Option<Time>,
    /// Start of redemption.
    pub redemption: Time,
    /// Start of pending delete.
    pub pending_delete: Time,
    /// Release.
    pub release: Time,
}

impl PhaseBoundaries {
    /// The boundaries of a term expiring at `expires` (or deleted at `deleted`) under
    /// `tld`'s policy.
    pub fn of(expires: Time, deleted: Option<Time>, tld: &Tld) -> PhaseBoundaries {
        let (grace, redemption) = match deleted {
            Some(d) => (None, d),
            None => (Some(expires), expires.add_days(tld.grace_days.into())),
        };
        let pending_delete = redemption.add_days(tld.redemption_days.into());
        PhaseBoundaries {
            grace,
            redemption,
            pending_delete,
            release: pending_delete.add_days(tld.pending_delete_days.into()),
        }
    }
}

impl Domain {
    /// Phase boundaries under `tld`'s policy.
    pub fn boundaries(&self, tld: &Tld) -> PhaseBoundaries {
        PhaseBoundaries::of(self.expires.get(), self.deleted.get(), tld)
    }

    /// The phase at `now` (half-open intervals: a boundary instant belongs to the later
    /// phase).
    pub fn phase(&self, now: Time, tld: &Tld) -> Phase {
        let b = self.boundaries(tld);
        if now >= b.release {
            Phase::Released
        } else if now >= b.pending_delete {
            Phase::PendingDelete
        } else if now >= b.redemption {
            Phase::Redemption
        } else if b.grace.is_some_and(|g| now >= g) {
            Phase::Grace
        } else {
            Phase::Active
        }
    }

    /// Whether the market holds listings or orders made for this registration (its
    /// per-domain index has an entry for the slot). Kept in the record, which the
    /// timer loop has in cache, so that asking whether a domain is in a trade costs
    /// no probe of the market's index for the many domains never traded.
    pub fn has_trades(&self) -> bool {
        self.locks.0 & TRADED != 0
    }

    /// Marks the registration as having trades (the market's index does when it records
    /// one; the mark goes with the record, as the index entry goes with the slot).
    pub(crate) fn mark_traded(&mut self) {
        self.locks.set_bits(TRADED, true);
    }

    /// Whether auto-renew is on.
    pub fn auto_renew(&self) -> bool {
        self.locks.0 & AUTO_RENEW != 0
    }

    /// Turns auto-renew on or off.
    pub fn set_auto_renew(&mut self, on: bool) {
        self.locks.set_bits(AUTO_RENEW, on);
    }

    /// EPP statuses at `now`. `add_grace` says whether the registration is inside its
    /// add grace period (the world keeps the charges, see
    /// [`World::add_grace`](super::World::add_grace)); `real_name_hold` and `email_hold`
    /// are the registrant's verification holds (serverHold and clientHold), computed by
    /// the caller.
    pub fn statuses(
        &self,
        now: Time,
        tld: &Tld,
        add_grace: bool,
        real_name_hold: bool,
        email_hold: bool,
    ) -> Vec<Status> {
        let mut s = Vec::with_capacity(4);
        match self.phase(now, tld) {
            Phase::Active => {
                if add_grace {
                    s.push(Status::AddPeriod);
                }
            }
            Phase::Grace => {
                s.push(Status::AutoRenewPeriod);
                s.push(Status::ClientHold);
            }
            Phase::Redemption => {
                s.push(Status::RedemptionPeriod);
                s.push(Status::PendingDelete);
            }
            Phase::PendingDelete | Phase::Released => s.push(Status::PendingDelete),
        }
        if email_hold {
            s.push(Status::ClientHold);
        }
        if real_name_hold {
            s.push(Status::ServerHold);
        }
        s.extend(self.locks.iter().map(Lock::status));
        s.sort();
        s.dedup();
        if s.is_empty() {
            s.push(Status::Ok);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(expires: Time) -> Domain {
        Domain {
            name: 0,
            tld: 0,
            registrar: 0,
            owner: 0,
            profile: OptProfile::NONE,
            created: expires.add_years(-1).into(),
            expires: expires.into(),
            deleted: OptTime::NONE,
            locks: Locks::default(),
            transfer_lock_from: expires.add_years(-1).into(),
            generation: Generation::FIRST,
            seq: 0,
            owed: OptTime::NONE,
            owed_kind: 0,
            name_hash: 0,
        }
    }

    #[test]
    fn a_domain_record_stays_small() {
        // Ten million of them live in one portfolio run (the memory budget is 200
        // bytes a domain, everything included).
        assert!(std::mem::size_of::<Domain>() <= 56);
        assert!(std::mem::size_of::<Option<Domain>>() <= 56);
        assert_eq!(
            Generation(std::num::NonZeroU32::MAX).next(),
            Generation::FIRST
        );
        assert_eq!(Generation::FIRST.next().get(), 2);
    }

    #[test]
    fn auto_renew_shares_the_locks_byte_without_showing_as_a_lock() {
        let mut d = domain(Time::parse("2027-01-01").unwrap());
        d.set_auto_renew(true);
        d.locks.set(Lock::Update, true);
        assert!(d.auto_renew());
        assert_eq!(d.locks.iter().collect::<Vec<_>>(), vec![Lock::Update]);
        d.locks.clear();
        assert!(d.auto_renew() && d.locks.iter().next().is_none());
        d.locks.set(Lock::Delete, true);
        d.set_auto_renew(false);
        assert!(!d.auto_renew() && d.locks.has(Lock::Delete));
    }

    #[test]
    fn phase_boundaries_are_half_open() {
        let tld = Tld::gtld([0; 4], [0; 4]);
        let e = Time::parse("2027-01-01").unwrap();
        let d = domain(e);
        let at = |days: i64, secs: i64| d.phase(e.add_days(days).add_secs(secs), &tld);
        assert_eq!(at(0, -1), Phase::Active);
        assert_eq!(at(0, 0), Phase::Grace);
        assert_eq!(at(30, -1), Phase::Grace);
        assert_eq!(at(30, 0), Phase::Redemption);
        assert_eq!(at(60, -1), Phase::Redemption);
        assert_eq!(at(60, 0), Phase::PendingDelete);
        assert_eq!(at(65, -1), Phase::PendingDelete);
        assert_eq!(at(65, 0), Phase::Released);
    }

    #[test]
    fn cn_has_no_pending_delete() {
        let tld = Tld::cn([0; 4], [0; 4]);
        let e = Time::parse("2027-01-01").unwrap();
        let d = domain(e);
        assert_eq!(
            d.phase(e.add_days(44).add_secs(-1), &tld),
            Phase::Redemption
        );
        assert_eq!(d.phase(e.add_days(44), &tld), Phase::Released);
    }

    #[test]
    fn deleted_domain_redeems_from_deletion() {
        let tld = Tld::gtld([0; 4], [0; 4]);
        let e = Time::parse("2027-01-01").unwrap();
        let mut d = domain(e);
        let del = e.add_days(-100);
        d.deleted = Some(del).into();
        assert_eq!(d.phase(del, &tld), Phase::Redemption);
        assert_eq!(d.phase(del.add_days(30), &tld), Phase::PendingDelete);
        assert_eq!(d.phase(del.add_days(35), &tld), Phase::Released);
    }

    #[test]
    fn statuses_follow_phase_and_locks() {
        let tld = Tld::gtld([0; 4], [0; 4]);
        let e = Time::parse("2027-01-01").unwrap();
        let mut d = domain(e);
        let names = |v: Vec<Status>| v.into_iter().map(Status::as_str).collect::<Vec<_>>();
        assert_eq!(
            names(d.statuses(e.add_days(-10), &tld, false, false, false)),
            vec!["ok"]
        );
        assert_eq!(
            names(d.statuses(e.add_days(-10), &tld, true, false, false)),
            vec!["addPeriod"]
        );
        d.locks.set(Lock::Transfer, true);
        assert_eq!(
            names(d.statuses(e.add_days(-10), &tld, false, true, false)),
            vec!["serverHold", "clientTransferProhibited"]
        );
        assert_eq!(
            names(d.statuses(e.add_days(1), &tld, false, false, true)),
            vec!["autoRenewPeriod", "clientHold", "clientTransferProhibited"]
        );
        assert_eq!(
            names(d.statuses(e.add_days(40), &tld, false, false, false)),
            vec![
                "redemptionPeriod",
                "pendingDelete",
                "clientTransferProhibited"
            ]
        );
        d.locks.set(Lock::Transfer, false);
        assert_eq!(
            names(d.statuses(e.add_days(62), &tld, false, false, false)),
            vec!["pendingDelete"]
        );
    }
}
