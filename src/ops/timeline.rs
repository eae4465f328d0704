//! What happens as time passes: each domain has at most one pending timer, for its
//! next milestone (a reminder, expiry, an auto-renew attempt, a phase change, the
//! release). When it fires, the milestone is handled and the next one scheduled.
//! Phases themselves are derived, so nothing runs between milestones.

use super::lifecycle::apply_renewal;
use super::notify;
use crate::model::domain::Domain;
use crate::model::{Book, DomainId, EventKind, Lock, Notice, Phase, Tld, WatchChange, World};
use crate::refusal::{Code, Outcome, Refusal};
use crate::sim::{Time, Timer};

/// A domain milestone. The discriminant orders milestones falling at the same instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
pub const LIST_DECISION_DAYS: i64 = 120;
/// Days before expiry of the behaviour model's renewal decision.
pub const RENEW_DECISION_DAYS: i64 = 30;

/// Days after expiry of the post-expiry reminder.
pub const POST_EXPIRY_REMINDER_DAYS: i64 = 3;

impl Milestone {
    fn from_u8(v: u8) -> Option<Milestone> {
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

/// Every milestone of a domain under a policy, in (time, kind) order, each with its
/// parameter (days before or after expiry). A domain held at another registrar only
/// changes phase (that registrar sends its reminders); `decisions` adds the behaviour
/// model's decision points.
pub fn milestones(d: &Domain, tld: &Tld, decisions: bool) -> Milestones {
    let b = d.boundaries(tld);
    let home = d.registrar == 0;
    let mut v = Milestones::default();
    if let (Some(e), false) = (b.grace, home) {
        v.push((e, Milestone::Expiry, 0));
        v.push((b.redemption, Milestone::Redemption, 0));
    }
    if let (Some(e), true) = (b.grace, home) {
        if decisions {
            v.push((e.add_days(-LIST_DECISION_DAYS), Milestone::ListDecision, 0));
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
        if d.auto_renew {
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
    v.items[..v.len].sort_unstable_by_key(|(t, m, p)| (*t, *m, *p));
    v
}

/// Most milestones a domain can have: two decisions, up to 8 reminders, expiry, up to
/// 8 auto-renew attempts, the post-expiry reminder and three phase changes.
pub const MAX_MILESTONES: usize = 24;

/// A domain's milestones in (time, kind) order, on the stack: computing them for every
/// timer that fires allocates nothing.
#[derive(Clone, Copy, Debug)]
pub struct Milestones {
    items: [(Time, Milestone, u32); MAX_MILESTONES],
    len: usize,
}

impl Default for Milestones {
    fn default() -> Milestones {
        Milestones {
            items: [(Time(0), Milestone::Release, 0); MAX_MILESTONES],
            len: 0,
        }
    }
}

impl Milestones {
    fn push(&mut self, m: (Time, Milestone, u32)) {
        if self.len < MAX_MILESTONES {
            self.items[self.len] = m;
            self.len += 1;
        }
    }

    /// The milestones in order.
    pub fn as_slice(&self) -> &[(Time, Milestone, u32)] {
        &self.items[..self.len]
    }
}

/// Schedules the first milestone strictly after (`time`, `kind`). A domain whose release
/// is already due is released at the next timer run.
fn schedule_after(world: &mut World, id: DomainId, time: Time, kind: u8) {
    let Some(d) = world.domain(id) else { return };
    let tld = world.tlds.get(d.tld);
    let generation = d.generation;
    let list = milestones(d, tld, world.behaviour.is_some());
    let release = list.as_slice().last().map_or(time, |m| m.0);
    let next = if release <= time {
        Some((world.now, Milestone::Release))
    } else {
        list.as_slice()
            .iter()
            .copied()
            .find(|(t, m, _)| (*t, *m as u8) > (time, kind))
            .map(|(t, m, _)| (t, m))
    };
    if let Some((t, m)) = next {
        world.timers.schedule(t, id, generation, m as u8);
    }
}

/// Cancels a domain's pending timer and schedules its next milestone after now.
pub fn reschedule(world: &mut World, id: DomainId) {
    let Some(d) = world.domain_mut(id) else {
        return;
    };
    d.generation = d.generation.wrapping_add(1);
    let now = world.now;
    schedule_after(world, id, now, u8::MAX);
}

/// Schedules a freshly loaded domain's first milestone at or after `from` (fixtures).
pub fn schedule_from(world: &mut World, id: DomainId, from: Time) {
    schedule_after(world, id, from.add_secs(-1), u8::MAX);
}

/// Removes a domain; its name becomes available (watchers are told).
pub fn release(world: &mut World, id: DomainId) {
    if let Some(d) = world.remove_domain(id) {
        world.record(EventKind::Released { domain: d.name });
        notify::watchers(world, d.name, WatchChange::Released);
        if !crate::market::backorder::on_release(world, d.name) {
            crate::whatif::behaviour::on_release(world, d.name);
        }
    }
}

fn notify(world: &mut World, id: DomainId, notice: Notice) {
    super::notify::holder(world, id, notice);
}

/// Advances the clock to `target`, firing every due timer in (time, sequence) order.
/// Refuses: 2004 `time_in_past`.
pub fn advance_to(world: &mut World, target: Time) -> Outcome<u64> {
    advance_to_observed(world, target, &mut |_| {})
}

/// How many timers fire between two calls of an advance observer.
pub const OBSERVE_EVERY: u64 = 1 << 16;

/// As [`advance_to`], calling `observe` with the clock every [`OBSERVE_EVERY`] fired
/// timers (for progress display; it cannot change the world).
/// Refuses: 2004 `time_in_past`.
pub fn advance_to_observed(
    world: &mut World,
    target: Time,
    observe: &mut dyn FnMut(Time),
) -> Outcome<u64> {
    if target < world.now {
        return Err(Refusal::new(
            Code::ValueRange,
            "time_in_past",
            format!("cannot go back from {} to {target}", world.now),
        ));
    }
    let fired = run_due_observed(world, target, observe);
    world.now = target;
    Ok(fired)
}

/// Advances the clock by a span such as `30d`, `12h`, `45m`, `2w` or `1y`.
/// Refuses: 2005 `invalid_span`.
pub fn advance(world: &mut World, span: &str) -> Outcome<u64> {
    advance_to(world, span_target(world, span)?)
}

/// The instant a span such as `30d` after now.
/// Refuses: 2005 `invalid_span`.
pub fn span_target(world: &World, span: &str) -> Outcome<Time> {
    crate::sim::parse_span(span)
        .map(|s| s.after(world.now))
        .map_err(|m| Refusal::new(Code::ValueSyntax, "invalid_span", m))
}

/// The instant a time `2027-01-15T00:00:00Z` or date `2027-01-15` names.
/// Refuses: 2005 `invalid_time`.
pub fn time_target(when: &str) -> Outcome<Time> {
    Time::parse(when).map_err(|m| Refusal::new(Code::ValueSyntax, "invalid_time", m))
}

/// Advances the clock to a time `2027-01-15T00:00:00Z` or date `2027-01-15`.
/// Refuses: 2005 `invalid_time`, 2004 `time_in_past`.
pub fn advance_until(world: &mut World, when: &str) -> Outcome<u64> {
    advance_to(world, time_target(when)?)
}

/// Fires every timer due at or before `until`; returns how many fired.
pub fn run_due(world: &mut World, until: Time) -> u64 {
    run_due_observed(world, until, &mut |_| {})
}

fn run_due_observed(world: &mut World, until: Time, observe: &mut dyn FnMut(Time)) -> u64 {
    let mut fired = 0;
    while let Some(timer) = world.timers.pop_due(until) {
        world.now = world.now.max(timer.at);
        if fire(world, timer) {
            fired += 1;
            if fired % OBSERVE_EVERY == 0 {
                observe(world.now);
            }
        }
    }
    fired
}

fn fire(world: &mut World, timer: Timer) -> bool {
    match timer.kind {
        super::profiles::REVIEW_TIMER => super::profiles::review_due(world, timer),
        super::icp::ICP_TIMER => super::icp::icp_due(world, timer),
        super::icp::PSB_TIMER => super::icp::psb_due(world, timer),
        super::transfer::TRANSFER_TIMER => super::transfer::transfer_due(world, timer),
        crate::market::ORDER_TIMER | crate::market::AUCTION_TIMER | crate::market::OFFER_TIMER => {
            crate::market::fire(world, timer)
        }
        k if k >= crate::whatif::FIRST_TIMER => crate::whatif::fire(world, timer),
        _ => fire_milestone(world, timer),
    }
}

fn fire_milestone(world: &mut World, timer: Timer) -> bool {
    let id = timer.target;
    let Some(d) = world.domain(id) else {
        return false;
    };
    if d.generation != timer.generation {
        return false;
    }
    let Some(kind) = Milestone::from_u8(timer.kind) else {
        return false;
    };
    let tld = world.tlds.get(d.tld);
    if d.phase(world.now, tld) == Phase::Released {
        // A policy change can make the release due before its milestone time.
        release(world, id);
        return true;
    }
    let param = milestones(d, tld, world.behaviour.is_some())
        .as_slice()
        .iter()
        .copied()
        .find(|(t, m, _)| *t == timer.at && *m == kind)
        .map(|(_, _, p)| p);
    let Some(param) = param else {
        // The policy changed under this timer without a reschedule; move on.
        schedule_after(world, id, timer.at, timer.kind);
        return false;
    };
    let name = d.name;
    let first_reminder = tld.reminder_days_before_expiry.iter().max().copied();
    match kind {
        Milestone::Reminder => {
            notify(world, id, Notice::RenewalReminder(param));
            if first_reminder == Some(param) {
                notify::watchers(world, name, WatchChange::Expiring);
            }
        }
        Milestone::Expiry => {
            let d = world.domain_mut(id).expect("live domain");
            if d.locks.has(Lock::Update) {
                d.locks.set(Lock::Update, false);
                world.record(EventKind::UpdateLockLifted { domain: name });
            }
            world.record(EventKind::PhaseEntered {
                domain: name,
                phase: Phase::Grace,
            });
            notify(world, id, Notice::Expired);
            notify::watchers(world, name, WatchChange::Grace);
        }
        Milestone::AutoRenew => {
            if auto_renew(world, id, param) {
                return true; // rescheduled by the renewal
            }
        }
        Milestone::PostExpiry => notify(world, id, Notice::PostExpiryReminder),
        Milestone::Redemption => {
            world.record(EventKind::PhaseEntered {
                domain: name,
                phase: Phase::Redemption,
            });
            notify(world, id, Notice::RedemptionNotice);
            notify::watchers(world, name, WatchChange::Redemption);
        }
        Milestone::PendingDelete => world.record(EventKind::PhaseEntered {
            domain: name,
            phase: Phase::PendingDelete,
        }),
        Milestone::Release => {
            release(world, id);
            return true;
        }
        Milestone::ListDecision => crate::whatif::behaviour::list_decision(world, id),
        Milestone::RenewDecision => crate::whatif::behaviour::renew_decision(world, id),
    }
    schedule_after(world, id, timer.at, timer.kind);
    true
}

/// One auto-renew attempt: charges one renewal year if the wallet allows. Returns
/// whether it renewed.
fn auto_renew(world: &mut World, id: DomainId, day: u32) -> bool {
    let d = world.domain(id).expect("live domain");
    let tld = world.tlds.get(d.tld);
    let (price, wholesale) = (tld.renew, tld.wholesale_renew);
    let cap = world.now.add_years(tld.max_term_years.into());
    let fits = d.expires.add_years(1) <= cap;
    if fits && world.ledger.can_pay(d.owner, price) {
        apply_renewal(world, id, 1, price, wholesale, true, day > 0);
        notify(world, id, Notice::AutoRenewSucceeded);
        return true;
    }
    let (name, owner) = (d.name, d.owner);
    world.record(EventKind::AutoRenewFailed {
        domain: name,
        day,
        needed: price - world.ledger.balance(Book::Wallet(owner)).min(price),
    });
    notify(world, id, Notice::AutoRenewFailed);
    false
}
