//! The kinds of timer the world schedules, in one place: what each one's target is, and
//! the key that orders it among timers due at the same instant (SPEC §2's canonical
//! order). The engine's queue (`sim::Timers`) knows only numbers; this is their meaning.
//! The dispatcher (`crate::dispatch`) fires each kind into the layer that owns it.

use super::milestone::Milestone;
use crate::sim::Time;

/// What a timer does when it comes due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimerKind {
    /// A domain's next milestone (reminder, expiry, auto-renew attempt, phase change,
    /// release, a behaviour decision point). Target: the domain's slot.
    Milestone(Milestone),
    /// A profile's real-name review comes back. Target: the profile.
    ProfileReview,
    /// An ICP filing order's next stage. Target: the domain's slot.
    IcpFiling,
    /// A site's PSB filing deadline. Target: the domain's slot.
    PsbDeadline,
    /// A pending transfer auto-approves. Target: the domain's slot.
    Transfer,
    /// A trade order's payment or delivery deadline. Target: the order.
    TradeOrder,
    /// An auction closes. Target: the listing.
    AuctionClose,
    /// An offer lapses. Target: the offer.
    OfferLapse,
    /// An ICP licence order's next stage. Target: the domain's slot.
    IcpLicense,
    /// The end of a metrics month. Target: none.
    MonthEnd,
    /// The behaviour model's daily registrations. Target: none.
    BehaviourDaily,
    /// A holder's decided renewal. Target: the domain's slot.
    BehaviourRenew,
    /// A holder's decided restore. Target: the domain's slot.
    BehaviourRestore,
    /// A released name is registered again. Target: the name.
    BehaviourReregister,
    /// A holder decides at once (after a policy change). Target: the domain's slot.
    BehaviourDecide,
}

/// A place in the canonical order of one instant's work (SPEC §2): the instant, then the
/// ordering key, then the timer kind's code.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Position {
    /// The instant.
    pub at: Time,
    /// The ordering key (a domain's registration sequence, ...).
    pub key: u32,
    /// The timer kind's code.
    pub kind: u8,
}

impl Position {
    /// After everything due at `now`.
    pub(crate) fn end_of(now: Time) -> Position {
        Position {
            at: now,
            key: u32::MAX,
            kind: u8::MAX,
        }
    }

    /// Before everything due at `at`: the end of the second before (a loaded world until
    /// its first advance).
    pub(crate) fn before(at: Time) -> Position {
        Position::end_of(at.add_secs(-1))
    }

    /// Whether this is the end of an instant (between firings, or before the first
    /// instant of a loaded world) rather than a timer's place.
    pub(crate) fn is_end(self) -> bool {
        self.kind == u8::MAX
    }
}

/// What a timer's target is, which gives its ordering key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A domain slot: the key is the domain's registration sequence.
    Domain,
    /// A name number: the key is the number.
    Name,
    /// Another table's index (profile, order, listing, offer): the key is the index.
    Index,
    /// Nothing: the key is 0.
    None,
}

/// Codes of the kinds that are not milestones (milestones take 0 to 8).
const CODES: [(TimerKind, u8); 14] = [
    (TimerKind::ProfileReview, 32),
    (TimerKind::IcpFiling, 33),
    (TimerKind::PsbDeadline, 34),
    (TimerKind::Transfer, 35),
    (TimerKind::TradeOrder, 36),
    (TimerKind::AuctionClose, 37),
    (TimerKind::OfferLapse, 38),
    (TimerKind::IcpLicense, 39),
    (TimerKind::MonthEnd, 42),
    (TimerKind::BehaviourDaily, 43),
    (TimerKind::BehaviourRenew, 44),
    (TimerKind::BehaviourRestore, 45),
    (TimerKind::BehaviourReregister, 46),
    (TimerKind::BehaviourDecide, 47),
];

impl TimerKind {
    /// The number the queue keeps (and snapshots hold).
    pub fn code(self) -> u8 {
        match self {
            TimerKind::Milestone(m) => m as u8,
            other => CODES
                .iter()
                .find(|(k, _)| *k == other)
                .map(|(_, c)| *c)
                .expect("every kind has a code"),
        }
    }

    /// The kind of a code, if it is one.
    pub(crate) fn from_code(code: u8) -> Option<TimerKind> {
        Milestone::from_u8(code)
            .map(TimerKind::Milestone)
            .or_else(|| CODES.iter().find(|(_, c)| *c == code).map(|(k, _)| *k))
    }

    /// What the target of a timer of this kind is.
    pub fn target(self) -> Target {
        match self {
            TimerKind::Milestone(_)
            | TimerKind::IcpFiling
            | TimerKind::IcpLicense
            | TimerKind::PsbDeadline
            | TimerKind::Transfer
            | TimerKind::BehaviourRenew
            | TimerKind::BehaviourRestore
            | TimerKind::BehaviourDecide => Target::Domain,
            TimerKind::BehaviourReregister => Target::Name,
            TimerKind::ProfileReview
            | TimerKind::TradeOrder
            | TimerKind::AuctionClose
            | TimerKind::OfferLapse => Target::Index,
            TimerKind::MonthEnd | TimerKind::BehaviourDaily => Target::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_names_one_kind_and_back() {
        let mut seen = std::collections::BTreeSet::new();
        for code in 0..=u8::MAX {
            if let Some(kind) = TimerKind::from_code(code) {
                assert_eq!(kind.code(), code);
                assert!(seen.insert(kind));
            }
        }
        assert_eq!(seen.len(), 9 + CODES.len());
    }
}
