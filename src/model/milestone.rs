//! A domain's milestones: the instants at which something happens to it as time passes
//! (renewal reminders, expiry, auto-renew attempts, phase changes, the release, and the
//! behaviour model's decision points), derived from its expiry (or deletion) and its
//! TLD's policy by [`compute`].
//!
//! Every TLD keeps a [`Calendar`]: the milestones of each kind of term, computed by the
//! same rules once per policy for a reference expiry, and moved to a domain's own
//! expiry when asked. A firing timer then costs a copy and a scan instead of the policy
//! arithmetic.

use super::domain::{Domain, PhaseBoundaries};
use super::tld::Tld;
use crate::sim::Time;
use crate::sim::time::{MAX_TIME, MIN_TIME};

/// A domain milestone. The discriminant orders milestones falling at the same instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Milestone {
    /// Renewal reminder before expiry (days before).
    Reminder = 0,
    /// Expiry: the update lock lifts, the holder is told.
    Expiry = 1,
    /// Auto-renew attempt (days after expiry).
    AutoRenew = 2,
    /// Reminder three days after expiry.
    PostExpiry = 3,
    /// Entering redemption.
    Redemption = 4,
    /// Entering pending delete.
    PendingDelete = 5,
    /// Release of the name.
    Release = 6,
    /// The behaviour model considers putting the domain up for auction (E − 120 days).
    ListDecision = 7,
    /// The behaviour model decides whether the holder renews (E − 30 days).
    RenewDecision = 8,
}

/// Days before expiry of the behaviour model's listing decision.
pub(crate) const LIST_DECISION_DAYS: i64 = 120;
/// Days before expiry of the behaviour model's renewal decision.
pub(crate) const RENEW_DECISION_DAYS: i64 = 30;

/// Days after expiry of the post-expiry reminder.
pub(crate) const POST_EXPIRY_REMINDER_DAYS: i64 = 3;

impl Milestone {
    /// Whether the milestone only tells the holder something (a renewal reminder, the
    /// post-expiry reminder): nothing depends on it, so the engine may compute it in
    /// closed form instead of firing a timer for it.
    pub(crate) fn is_notice(self) -> bool {
        matches!(self, Milestone::Reminder | Milestone::PostExpiry)
    }

    /// The phase a phase-change milestone enters (expiry: grace; then redemption and
    /// pending delete); `None` for the others (the release removes the domain).
    pub(crate) fn phase_entered(self) -> Option<super::Phase> {
        match self {
            Milestone::Expiry => Some(super::Phase::Grace),
            Milestone::Redemption => Some(super::Phase::Redemption),
            Milestone::PendingDelete => Some(super::Phase::PendingDelete),
            _ => None,
        }
    }

    /// The milestone with this discriminant.
    pub(crate) fn from_u8(v: u8) -> Option<Milestone> {
        use Milestone::*;
        [
            Reminder,
            Expiry,
            AutoRenew,
            PostExpiry,
            Redemption,
            PendingDelete,
            Release,
            ListDecision,
            RenewDecision,
        ]
        .get(v as usize)
        .copied()
    }
}

/// Which of the behaviour model's decision points a domain has this term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecisionPoints {
    /// The listing decision (E − 120 days): only when the holder will list, so that
    /// the many who will not cost no timer.
    pub list: bool,
    /// The renewal decision (E − 30 days).
    pub renew: bool,
}

/// What a domain's milestones depend on besides its TLD's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Term {
    /// Expiry.
    pub expires: Time,
    /// When the holder deleted it, if it did.
    pub deleted: Option<Time>,
    /// Held at `home` (another registrar sends its own reminders).
    pub home: bool,
    /// Auto-renew on.
    pub auto_renew: bool,
}

impl Term {
    /// The term of a domain.
    pub fn of(d: &Domain) -> Term {
        Term {
            expires: d.expires.get(),
            deleted: d.deleted.get(),
            home: d.registrar == 0,
            auto_renew: d.auto_renew(),
        }
    }

    /// The instant its milestones hang from: the deletion, else the expiry.
    fn anchor(self) -> Time {
        self.deleted.unwrap_or(self.expires)
    }

    /// The term (hanging from `anchor`) and decision points of a calendar's template:
    /// the inverse of [`Term::variant`].
    fn of_variant(variant: usize, anchor: Time) -> (Term, DecisionPoints) {
        let term = Term {
            expires: anchor,
            deleted: (variant & 1 != 0).then_some(anchor),
            home: variant & 2 != 0,
            auto_renew: variant & 4 != 0,
        };
        let decisions = DecisionPoints {
            list: variant & 8 != 0,
            renew: variant & 16 != 0,
        };
        (term, decisions)
    }

    /// Which of a calendar's templates it takes.
    fn variant(self, decisions: DecisionPoints) -> usize {
        usize::from(self.deleted.is_some())
            | usize::from(self.home) << 1
            | usize::from(self.auto_renew) << 2
            | usize::from(decisions.list) << 3
            | usize::from(decisions.renew) << 4
    }
}

/// Every milestone of a term under a policy, each with its parameter (days before or
/// after expiry). A domain held at another registrar only
/// changes phase (that registrar sends its reminders); `decisions` adds the behaviour
/// model's decision points.
pub(crate) fn compute(term: Term, tld: &Tld, decisions: DecisionPoints) -> Milestones {
    let b = PhaseBoundaries::of(term.expires, term.deleted, tld);
    let home = term.home;
    let mut v = Milestones::default();
    if let (Some(e), false) = (b.grace, home) {
        v.push((e, Milestone::Expiry, 0));
        v.push((b.redemption, Milestone::Redemption, 0));
    }
    if let (Some(e), true) = (b.grace, home) {
        if decisions.list {
            v.push((e.add_days(-LIST_DECISION_DAYS), Milestone::ListDecision, 0));
        }
        if decisions.renew {
            v.push((
                e.add_days(-RENEW_DECISION_DAYS),
                Milestone::RenewDecision,
                0,
            ));
        }
        for days in &tld.reminder_days_before_expiry {
            v.push((e.add_days(-i64::from(*days)), Milestone::Reminder, *days));
        }
        v.push((e, Milestone::Expiry, 0));
        if term.auto_renew {
            for days in &tld.auto_renew_attempt_days_after_expiry {
                let t = e.add_days((*days).into());
                if t < b.redemption {
                    v.push((t, Milestone::AutoRenew, *days));
                }
            }
        }
        let post = e.add_days(POST_EXPIRY_REMINDER_DAYS);
        if post < b.redemption {
            v.push((
                post,
                Milestone::PostExpiry,
                POST_EXPIRY_REMINDER_DAYS as u32,
            ));
        }
        v.push((b.redemption, Milestone::Redemption, 0));
    }
    if b.release > b.pending_delete {
        v.push((b.pending_delete, Milestone::PendingDelete, 0));
    }
    v.push((b.release, Milestone::Release, 0));
    v.keys[..v.len].sort_unstable();
    v
}

/// Most milestones a domain can have: two decisions, up to 8 reminders, expiry, up to
/// 8 auto-renew attempts, the post-expiry reminder and three phase changes.
pub(crate) const MAX_MILESTONES: usize = 24;

/// A domain's milestones, on the stack and in order: computing them for every timer
/// that fires allocates nothing, and the next one is a search. Each milestone is
/// packed into one `u64` ordered like (time, kind, parameter): time in the top 40 bits
/// (instants are below 2^38 seconds), kind in 8, parameter (at most
/// [`crate::model::tld::MAX_DAYS`]) in 16. A calendar's copy keeps the keys of its
/// reference expiry and a `shift` (wrapping) that moves them to the domain's.
#[derive(Clone, Copy, Debug)]
pub struct Milestones {
    keys: [u64; MAX_MILESTONES],
    len: usize,
    shift: u64,
}

impl Default for Milestones {
    fn default() -> Milestones {
        Milestones {
            keys: [0; MAX_MILESTONES],
            len: 0,
            shift: 0,
        }
    }
}

fn pack(t: Time, m: Milestone, p: u32) -> u64 {
    ((t.0.max(0) as u64) << 24) | ((m as u64) << 16) | u64::from(p.min(0xffff))
}

fn unpack(k: u64) -> (Time, Milestone, u32) {
    let m = Milestone::from_u8((k >> 16) as u8).unwrap_or(Milestone::Release);
    (Time((k >> 24) as i64), m, (k & 0xffff) as u32)
}

impl Milestones {
    fn push(&mut self, (t, m, p): (Time, Milestone, u32)) {
        if self.len < MAX_MILESTONES {
            self.keys[self.len] = pack(t, m, p);
            self.len += 1;
        }
    }

    /// The packed keys at the domain's own instants.
    fn iter(&self) -> impl DoubleEndedIterator<Item = u64> + '_ {
        self.keys[..self.len]
            .iter()
            .map(|k| k.wrapping_add(self.shift))
    }

    /// The milestones strictly after (`time`, `kind`), in (time, kind, parameter) order.
    pub fn after(&self, time: Time, kind: u8) -> impl Iterator<Item = (Time, Milestone, u32)> + '_ {
        let bound = ((time.0.max(0) as u64) << 24) | (u64::from(kind) << 16) | 0xffff;
        self.iter().filter(move |k| *k > bound).map(unpack)
    }

    /// The first milestone strictly after (`time`, `kind`) that `wanted` accepts.
    pub(crate) fn next_after_where(
        &self,
        time: Time,
        kind: u8,
        wanted: impl Fn(Milestone) -> bool,
    ) -> Option<(Time, Milestone, u32)> {
        self.after(time, kind).find(|(_, m, _)| wanted(*m))
    }

    /// The parameter of the milestone of `kind` at `time`, if the domain has it.
    pub(crate) fn param_of(&self, time: Time, kind: Milestone) -> Option<u32> {
        let base = pack(time, kind, 0);
        self.iter()
            .find(|k| *k >> 16 == base >> 16)
            .map(|k| (k & 0xffff) as u32)
    }

    /// The latest milestone's time (the release).
    pub(crate) fn last_time(&self) -> Option<Time> {
        self.iter().next_back().map(|k| Time((k >> 24) as i64))
    }
}

/// The reference expiry a calendar's templates are computed for: far enough from
/// both ends of the clock (year 5138) that no policy offset saturates there.
const REFERENCE: Time = Time(100_000_000_000);

/// Number of kinds of term: deleted, held at home, auto-renew, and the two decision
/// points, each on or off.
const VARIANTS: usize = 32;

/// A TLD's milestones for every kind of term, computed by [`compute`] for the
/// reference expiry. A term whose milestones would all fall inside the clock's range
/// takes its template moved to its own expiry (the same keys [`compute`] gives, as no
/// instant saturates); one near either end of the range is computed directly.
#[derive(Clone, Debug)]
pub(crate) struct Calendar {
    templates: [Milestones; VARIANTS],
    /// Earliest and latest milestone of any template, in seconds from the reference.
    span: Option<(i64, i64)>,
}

impl Calendar {
    /// The calendar of a policy.
    pub fn new(tld: &Tld) -> Calendar {
        let mut templates = [Milestones::default(); VARIANTS];
        let (mut earliest, mut latest) = (i64::MAX, i64::MIN);
        for (variant, slot) in templates.iter_mut().enumerate() {
            let (term, decisions) = Term::of_variant(variant, REFERENCE);
            debug_assert_eq!(term.variant(decisions), variant);
            *slot = compute(term, tld, decisions);
            for k in slot.iter() {
                let t = (k >> 24) as i64;
                earliest = earliest.min(t);
                latest = latest.max(t);
            }
        }
        // A policy so long that an instant saturated even at the reference (which
        // validation refuses, but a calendar is built before it) is never moved.
        let exact = earliest > MIN_TIME.0 && latest < MAX_TIME.0;
        Calendar {
            templates,
            span: exact.then(|| (earliest - REFERENCE.0, latest - REFERENCE.0)),
        }
    }

    /// The milestones of `term` under `tld`, the policy this calendar was built from.
    pub fn milestones(&self, term: Term, tld: &Tld, decisions: DecisionPoints) -> Milestones {
        let anchor = term.anchor().0;
        match self.span {
            Some((earliest, latest))
                if anchor.saturating_add(earliest) > MIN_TIME.0
                    && anchor.saturating_add(latest) < MAX_TIME.0 =>
            {
                let mut m = self.templates[term.variant(decisions)];
                m.shift = ((anchor - REFERENCE.0) as u64) << 24;
                m
            }
            _ => compute(term, tld, decisions),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalog;

    impl Milestones {
        /// Every milestone, in (time, kind, parameter) order.
        fn sorted(&self) -> Vec<(Time, Milestone, u32)> {
            self.iter().map(unpack).collect()
        }
    }

    /// A calendar's moved template equals the milestones computed directly, for every
    /// kind of term, across the clock's range (ends included) and for every built-in
    /// policy.
    #[test]
    fn a_calendar_gives_what_the_rules_compute() {
        let catalog = Catalog::default();
        let anchors = [
            0,
            1,
            86_400 * 119,
            1_767_225_600,
            1_767_225_600 + 12_345,
            100_000_000_000,
            MAX_TIME.0 - 86_400 * 40,
            MAX_TIME.0 - 1,
            MAX_TIME.0,
        ];
        for index in 0..catalog.len() as u16 {
            let tld = catalog.get(index);
            let calendar = Calendar::new(tld);
            for anchor in anchors {
                for variant in 0..VARIANTS {
                    let (term, decisions) = Term::of_variant(variant, Time(anchor));
                    let moved = calendar.milestones(term, tld, decisions);
                    let direct = compute(term, tld, decisions);
                    assert_eq!(moved.sorted(), direct.sorted(), "{anchor} {variant}");
                    for probe in [anchor - 86_400 * 200, anchor, anchor + 86_400 * 31] {
                        for kind in [0, 4, 8, u8::MAX] {
                            assert_eq!(
                                moved.after(Time(probe), kind).next(),
                                direct.after(Time(probe), kind).next()
                            );
                        }
                    }
                    assert_eq!(moved.last_time(), direct.last_time());
                }
            }
        }
    }

    /// A policy whose periods saturate the clock even at the reference expiry is never
    /// moved: its milestones are computed directly.
    #[test]
    fn a_saturating_policy_is_computed_directly() {
        let mut tld = Tld::gtld([0; 4], [0; 4]);
        tld.redemption_days = u32::MAX;
        let calendar = Calendar::new(&tld);
        assert!(calendar.span.is_none());
        let term = Term {
            expires: Time(1_767_225_600),
            deleted: None,
            home: true,
            auto_renew: true,
        };
        let decisions = DecisionPoints::default();
        assert_eq!(
            calendar.milestones(term, &tld, decisions).sorted(),
            compute(term, &tld, decisions).sorted()
        );
    }
}
