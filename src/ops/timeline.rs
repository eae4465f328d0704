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

/// Every milestone of a domain under a policy (in no particular order), each with its
/// parameter (days before or after expiry). A domain held at another registrar only
/// changes phase (that registrar sends its reminders); `decisions` adds the behaviour
/// model's decision points.
pub fn milestones(d: &Domain, tld: &Tld, decisions: DecisionPoints) -> Milestones {
    let b = d.boundaries(tld);
    let home = d.registrar == 0;
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
        if d.auto_renew() {
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
    v
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

/// The decision points of a domain in this world (none without a behaviour model).
pub fn decision_points(world: &World, d: &Domain) -> DecisionPoints {
    if world.behaviour.is_none() {
        return DecisionPoints::default();
    }
    DecisionPoints {
        list: crate::whatif::behaviour::will_list(world, d),
        renew: true,
    }
}

/// Most milestones a domain can have: two decisions, up to 8 reminders, expiry, up to
/// 8 auto-renew attempts, the post-expiry reminder and three phase changes.
pub const MAX_MILESTONES: usize = 24;

/// A domain's milestones, on the stack: computing them for every timer that fires
/// allocates nothing, and finding the next one is a scan, not a sort. Each milestone is
/// packed into one `u64` ordered like (time, kind, parameter): time in the top 40 bits
/// (instants are below 2^38 seconds), kind in 8, parameter (at most
/// [`crate::model::tld::MAX_DAYS`]) in 16.
#[derive(Clone, Copy, Debug)]
pub struct Milestones {
    keys: [u64; MAX_MILESTONES],
    len: usize,
}

impl Default for Milestones {
    fn default() -> Milestones {
        Milestones {
            keys: [0; MAX_MILESTONES],
            len: 0,
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

    /// The first milestone in (time, kind, parameter) order strictly after
    /// (`time`, `kind`).
    pub fn next_after(&self, time: Time, kind: u8) -> Option<(Time, Milestone, u32)> {
        let bound = ((time.0.max(0) as u64) << 24) | (u64::from(kind) << 16) | 0xffff;
        let mut best = u64::MAX;
        for k in &self.keys[..self.len] {
            if *k > bound && *k < best {
                best = *k;
            }
        }
        (best != u64::MAX).then(|| unpack(best))
    }

    /// The parameter of the milestone of `kind` at `time`, if the domain has it.
    pub fn param_of(&self, time: Time, kind: Milestone) -> Option<u32> {
        let base = pack(time, kind, 0);
        self.keys[..self.len]
            .iter()
            .filter(|k| **k >> 16 == base >> 16)
            .map(|k| (k & 0xffff) as u32)
            .min()
    }

    /// The latest milestone's time (the release).
    pub fn last_time(&self) -> Option<Time> {
        self.keys[..self.len]
            .iter()
            .max()
            .map(|k| Time((k >> 24) as i64))
    }
}

/// Schedules the first milestone strictly after (`time`, `kind`). A domain whose release
/// is already due is released at the next timer run.
fn schedule_after(world: &mut World, id: DomainId, time: Time, kind: u8) {
    let Some(d) = world.domain(id) else { return };
    let list = milestones(d, world.tlds.get(d.tld), decision_points(world, d));
    let generation = d.generation.get();
    world.note_timeline(id);
    schedule_next(world, id, generation, &list, time, kind);
}

/// Schedules the first of `list` strictly after (`time`, `kind`).
fn schedule_next(
    world: &mut World,
    id: DomainId,
    generation: u32,
    list: &Milestones,
    time: Time,
    kind: u8,
) {
    let release = list.last_time().unwrap_or(time);
    let next = if release <= time {
        Some((world.now, Milestone::Release))
    } else {
        list.next_after(time, kind).map(|(t, m, _)| (t, m))
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
    d.generation = d.generation.next();
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
        world.forget_name_if_unused(d.name);
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

/// How many timers ahead the loop prefetches a domain slot.
const PREFETCH_AHEAD: usize = 6;

fn run_due_observed(world: &mut World, until: Time, observe: &mut dyn FnMut(Time)) -> u64 {
    let mut fired = 0;
    while let Some(timer) = world.timers.pop_due(until) {
        if let Some(ahead) = world.timers.upcoming_target(PREFETCH_AHEAD) {
            world.prefetch_domain(ahead);
        }
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
    match timer.kind() {
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
    if d.generation.get() != timer.generation {
        return false;
    }
    let Some(mut kind) = Milestone::from_u8(timer.kind()) else {
        return false;
    };
    let tld = world.tlds.get(d.tld);
    if d.phase(world.now, tld) == Phase::Released {
        // A policy change can make the release due before its milestone time.
        release(world, id);
        return true;
    }
    let mut list = milestones(d, tld, decision_points(world, d));
    let Some(mut param) = list.param_of(timer.at, kind) else {
        // The policy changed under this timer without a reschedule; move on.
        schedule_after(world, id, timer.at, timer.kind());
        return false;
    };
    loop {
        let facts = milestone_facts(world.domain(id).expect("live domain"));
        if !handle_milestone(world, id, kind, param) {
            return true; // rescheduled by a renewal, or released
        }
        // A handler that changed the domain's timeline (auto-renew switched off by a
        // decision, say) has rescheduled it under a new generation: nothing more to do.
        let Some(d) = world
            .domain(id)
            .filter(|d| d.generation.get() == timer.generation)
        else {
            return true;
        };
        if milestone_facts(d) != facts {
            list = milestones(d, world.tlds.get(d.tld), decision_points(world, d));
            world.note_timeline(id);
        }
        // Milestones of this domain at the same instant (the renewal decision and the
        // first reminder, expiry and the first auto-renew attempt) are handled in this
        // one firing, in kind order, instead of costing a timer each.
        match list.next_after(timer.at, kind as u8) {
            Some((t, next, p)) if t == timer.at && list.last_time() > Some(timer.at) => {
                kind = next;
                param = p;
            }
            _ => {
                schedule_next(world, id, timer.generation, &list, timer.at, kind as u8);
                return true;
            }
        }
    }
}

/// Handles one milestone; false when the domain was rescheduled (auto-renewed) or
/// released and nothing more is to be done for this timer.
fn handle_milestone(world: &mut World, id: DomainId, kind: Milestone, param: u32) -> bool {
    let d = world.domain(id).expect("live domain");
    let (name, tld) = (d.name, d.tld);
    match kind {
        Milestone::Reminder => {
            notify(world, id, Notice::RenewalReminder(param));
            let first = world.tlds.get(tld).reminder_days_before_expiry.iter().max();
            if first == Some(&param) {
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
                return false;
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
            return false;
        }
        Milestone::ListDecision => crate::whatif::behaviour::list_decision(world, id),
        Milestone::RenewDecision => crate::whatif::behaviour::renew_decision(world, id),
    }
    true
}

/// The facts a domain's milestones depend on (besides its TLD's policy).
fn milestone_facts(d: &Domain) -> (Time, Option<Time>, bool, u8, u16) {
    (
        d.expires,
        d.deleted.get(),
        d.auto_renew(),
        d.registrar,
        d.tld,
    )
}

/// One auto-renew attempt: charges one renewal year if the wallet allows. Returns
/// whether it renewed.
fn auto_renew(world: &mut World, id: DomainId, day: u32) -> bool {
    let d = world.domain(id).expect("live domain");
    let tld = world.tlds.get(d.tld);
    let (price, wholesale) = (tld.renew, tld.wholesale_renew);
    let cap = world.now.add_years(tld.max_term_years.into());
    let renewed = d.expires.add_years(1);
    let fits = renewed <= cap && renewed < crate::sim::time::MAX_TIME;
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
