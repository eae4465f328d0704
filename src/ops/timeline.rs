//! What happens as time passes: each domain has at most one pending timer, for its
//! next milestone (a reminder, expiry, an auto-renew attempt, a phase change, the
//! release). When it fires, the milestone is handled and the next one scheduled.
//! Phases themselves are derived, so nothing runs between milestones.
//!
//! **Closed form.** A world that keeps and streams no events (bulk runs) fires no timer
//! for a domain's notices (the renewal reminders and the post-expiry reminder, which only
//! tell the holder and the name's watchers), nor for the phase changes of a [`quiet`]
//! domain (expiry, the end of grace, the end of redemption, when no update lock is to
//! lift and no listing to close: then they too only record the change and tell people).
//! The domain instead notes its first such milestone (`Domain::owed`, `owed_kind`), and
//! those the clock has passed are recorded, each at its own instant, by [`catch_up`]:
//! when the domain's next timer fires, before anything changes it or removes it
//! (`World::domain_mut`, `World::remove_domain`), before its name's watchers change, and
//! before a policy changes or the digest is read (`World::settle`). Each is recorded as
//! the world stood at its place in the canonical order (SPEC §2): nothing it depends on
//! (the holder, the sponsoring registrar, the expiry, the locks, the watchers, the
//! policy) changes without catching the domain up first, a domain that becomes loud (an
//! update lock set, a first listing or order) is rescheduled so that its phase changes
//! get their timers back, and [`catch_up`] records only what comes before the current
//! position. Phases themselves are derived from the expiry, so a phase change recorded
//! late leaves nothing behind. Whether a run fires these one by one (`--event-by-event`)
//! or not, it makes the same events, digest, metrics and state; `tests/it/closed_form.rs`
//! checks it on random portfolios and operations.

use super::lifecycle::{Renewal, apply_renewal};
use super::notify;
use crate::model::domain::Domain;
use crate::model::milestone::Milestones;
use crate::model::{
    Book, DomainId, EventKind, Lock, Notice, Phase, Position, TimerKind, WatchChange, World,
};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::{Time, Timer};

use crate::model::milestone::{DecisionPoints, LIST_DECISION_DAYS, Milestone};

/// The decision points of a domain in this world (none without a behaviour model) that
/// can matter from `from` on. The listing point (E − 120 days) is left out once it lies
/// before `from`: nothing at or after `from` can select it, so its keyed draw is taken
/// only while it is still ahead (once or twice a term, not at every milestone).
pub(crate) fn decision_points(world: &World, d: &Domain, from: Time) -> DecisionPoints {
    if world.behaviour.is_none() {
        return DecisionPoints::default();
    }
    let ahead = d.expires.get().add_days(-LIST_DECISION_DAYS) >= from;
    DecisionPoints {
        list: ahead && crate::model::behaviour::will_list(world, d),
        renew: true,
    }
}

/// Whether a domain is quiet: under no update lock (which expiry lifts) and never listed
/// or ordered in this registration (a listing closes when its domain lapses). A quiet
/// domain's phase changes only record events and tell people, like notices, so in
/// closed form they fire no timer either. What it reads changes only through
/// [`change_quiet_facts`], which reschedules a domain it makes loud.
fn quiet(d: &Domain) -> bool {
    !d.locks.has(Lock::Update) && !d.has_trades()
}

/// Changes the domain in slot `id` through `change` (after catching it up, as
/// `World::domain_mut` does) and, when that made a quiet domain loud (an update lock
/// set, a first listing or order), reschedules it so that its phase changes get their
/// timers back. Every change of what [`quiet`] reads goes through here.
pub(crate) fn change_quiet_facts(
    world: &mut World,
    id: DomainId,
    change: impl FnOnce(&mut Domain),
) {
    let Some(d) = world.domain_mut(id) else {
        return;
    };
    let was_quiet = quiet(d);
    change(d);
    if was_quiet && !quiet(d) {
        reschedule(world, id);
    }
}

/// Whether milestone `m` of a domain that is `quiet` or not is computed in closed form
/// (no timer; recorded by [`catch_up`]) in a world with `closed` form on.
fn in_closed_form(closed: bool, m: Milestone, quiet: bool) -> bool {
    closed && (m.is_notice() || (quiet && m.phase_entered().is_some()))
}

/// Schedules the first milestone strictly after (`time`, `kind`). A domain whose release
/// is already due is released at the next timer run.
fn schedule_after(world: &mut World, id: DomainId, time: Time, kind: u8) {
    let Some(d) = world.domain(id) else { return };
    let list = world.tlds.milestones(d, decision_points(world, d, time));
    let generation = d.generation.get();
    let quiet = quiet(d);
    world.note_timeline(id);
    schedule_following(world, id, generation, &list, quiet, time, kind);
}

/// Schedules the domain's first milestone in `list` after (`time`, `kind`) — or the
/// release at once when the list's last milestone is not after `time` — and notes when
/// its first notice after that falls if notices are computed in closed form (no timer
/// is scheduled for them then).
fn schedule_following(
    world: &mut World,
    id: DomainId,
    generation: u32,
    list: &Milestones,
    quiet: bool,
    time: Time,
    kind: u8,
) {
    let closed = world.closed_form;
    // One pass for the first timed milestone and, in closed form, the first owed one.
    let (mut next, mut owed) = (None, None);
    for (t, m, _) in list.after(time, kind) {
        if in_closed_form(closed, m, quiet) {
            owed.get_or_insert((t, m as u8));
        } else {
            next.get_or_insert((t, m));
        }
        if next.is_some() && (owed.is_some() || !closed) {
            break;
        }
    }
    if list.last_time().unwrap_or(time) <= time {
        next = Some((world.now(), Milestone::Release));
    }
    if let Some(d) = world.domain_slot_mut(id) {
        d.owed = owed.map(|(t, _)| t).into();
        d.owed_kind = owed.map_or(0, |(_, k)| k);
    }
    if let Some((t, m)) = next {
        world.schedule(t, TimerKind::Milestone(m), id, generation);
    }
}

/// Cancels a domain's pending timer and schedules its next milestone after the current
/// place in canonical order. The caller changed the domain through `World::domain_mut`,
/// which recorded the notices it owed up to now; those of the old timeline still owed
/// are dropped, as the cancelled timer's would be.
pub(crate) fn reschedule(world: &mut World, id: DomainId) {
    catch_up(world, id);
    let Some(d) = world.domain_slot_mut(id) else {
        return;
    };
    d.generation = d.generation.next();
    let seq = d.seq;
    let (time, kind) = resume_after(world.position(), world.now(), seq);
    schedule_after(world, id, time, kind);
}

/// Where a domain with ordering key `seq` resumes its timeline when it is rescheduled at
/// `pos` (the timer firing now, or the end of `now` between firings), as (time, kind)
/// for [`Milestones::after`]: its milestones at this instant that sort after `pos` in
/// canonical order are still to come, as they would be had it not been rescheduled. A
/// domain sorting after the firing timer keeps all of this instant's; the firing domain
/// keeps the kinds after the firing one; one sorting before keeps none.
fn resume_after(pos: Position, now: Time, seq: u32) -> (Time, u8) {
    if pos.at < now && !pos.is_end() {
        // An overdue timer (one scheduled in the past) is firing: what was due up to now
        // has fired; resume after now, as between firings.
        return (now, u8::MAX);
    }
    match seq.cmp(&pos.key) {
        std::cmp::Ordering::Less => (pos.at, u8::MAX),
        std::cmp::Ordering::Equal => (pos.at, pos.kind),
        std::cmp::Ordering::Greater => (pos.at.add_secs(-1), u8::MAX),
    }
}

/// Schedules a freshly loaded domain's first milestone at or after `from` (fixtures).
pub(crate) fn schedule_from(world: &mut World, id: DomainId, from: Time) {
    schedule_after(world, id, from.add_secs(-1), u8::MAX);
}

/// Records the notices the domain in slot `id` owes (closed form) that come before the
/// current position in canonical order, each at its own instant, as the world stands
/// (nothing they depend on has changed since: see the module's documentation).
pub(crate) fn catch_up(world: &mut World, id: DomainId) {
    let pos = world.position();
    let Some(d) = world.domain(id) else { return };
    if d.owed.get().is_some_and(|t| t <= pos.at) {
        // Notices do not depend on the decision points.
        let list = world.tlds.milestones(d, DecisionPoints::default());
        record_owed(world, id, &list, pos);
    }
}

/// As [`catch_up`], with the domain's milestones `list` at hand and `pos` the position.
fn record_owed(world: &mut World, id: DomainId, list: &Milestones, pos: Position) {
    let Some(d) = world.domain(id) else { return };
    let (Some(from), from_kind, seq, quiet) = (d.owed.get(), d.owed_kind, d.seq, quiet(d)) else {
        return;
    };
    let mut owed = None;
    let mut last = None;
    // From the owed milestone on: (`from`, `from_kind`) and everything after it.
    let start = match from_kind.checked_sub(1) {
        Some(kind) => (from, kind),
        None => (from.add_secs(-1), u8::MAX),
    };
    for (t, m, param) in list.after(start.0, start.1) {
        // One notice an instant and kind, as one timer would fire (a policy may list a
        // reminder day twice).
        if !in_closed_form(true, m, quiet) || last == Some((t, m)) {
            continue;
        }
        last = Some((t, m));
        let here = Position {
            at: t,
            key: seq,
            kind: m as u8,
        };
        if here >= pos {
            owed = Some((t, m as u8));
            break;
        }
        match m.phase_entered() {
            Some(phase) => enter_phase_at(world, Some(t), id, phase),
            None => notice(world, Some(t), id, m, param),
        }
    }
    if let Some(d) = world.domain_slot_mut(id) {
        d.owed = owed.map(|(t, _)| t).into();
        d.owed_kind = owed.map_or(0, |(_, k)| k);
    }
}

/// Switches closed-form notices on or off (`--event-by-event` turns them off): every
/// notice owed up to now is recorded, and every domain's timeline is scheduled again the
/// new way.
pub(crate) fn set_closed_form(world: &mut World, on: bool) {
    if world.closed_form == on {
        return;
    }
    world.settle();
    world.closed_form = on;
    let ids: Vec<DomainId> = world.live_domains().map(|(id, _)| id).collect();
    for id in ids {
        reschedule(world, id);
    }
}

/// Removes a domain; its name becomes available (watchers are told, then the
/// `released` reaction: backorders, re-registration, forgetting the name).
pub fn release(world: &mut World, id: DomainId) {
    if let Some(d) = world.remove_domain(id) {
        world.record(EventKind::Released { domain: d.name });
        notify::watchers(world, d.name, WatchChange::Released);
        (world.reactions.released)(world, d.name);
    }
}

/// A domain enters a phase: the one path of every phase change, whether time brought
/// it (expiry, the end of grace or redemption) or a deletion did. It records the
/// change, tells the holder and the name's watchers, closes listings of a domain that
/// can no longer be sold (the `lapsed` reaction), and at expiry lifts the update lock
/// (as Alibaba Cloud does).
pub(crate) fn enter_phase(world: &mut World, id: DomainId, phase: Phase) {
    enter_phase_at(world, None, id, phase);
}

/// As [`enter_phase`] now (`at` `None`), or recorded in closed form for its own instant
/// `at` by [`catch_up`]: only for a [`quiet`] domain, which has no lock to lift and no
/// listing to close, so that the change is its events and notices alone.
fn enter_phase_at(world: &mut World, at: Option<Time>, id: DomainId, phase: Phase) {
    let d = match at {
        None => world.domain_mut(id),
        Some(_) => world.domain_slot_mut(id),
    };
    let Some(d) = d else {
        return;
    };
    debug_assert!(
        at.is_none() || quiet(d),
        "a phase change in closed form is quiet"
    );
    let name = d.name;
    let lift = phase == Phase::Grace && d.locks.has(Lock::Update);
    if lift {
        d.locks.set(Lock::Update, false);
        world.record(EventKind::UpdateLockLifted { domain: name });
    }
    let entered = EventKind::PhaseEntered {
        domain: name,
        phase,
    };
    match at {
        None => world.record(entered),
        Some(at) => world.record_at(at, entered),
    }
    let (notice, change) = match phase {
        Phase::Grace => (Some(Notice::Expired), Some(WatchChange::Grace)),
        Phase::Redemption => (
            Some(Notice::RedemptionNotice),
            Some(WatchChange::Redemption),
        ),
        Phase::Active | Phase::PendingDelete | Phase::Released => (None, None),
    };
    if let Some(notice) = notice {
        notify::holder_at(world, at, id, notice);
    }
    if let Some(change) = change {
        notify::watchers_at(world, at, name, change);
    }
    if phase != Phase::Active && at.is_none() {
        // A quiet domain has no listing for the reaction to close.
        (world.reactions.lapsed)(world, id);
    }
}

fn notify(world: &mut World, id: DomainId, notice: Notice) {
    super::notify::holder(world, id, notice);
}

/// The instant a span such as `30d` after now.
/// Refuses: 2005 `invalid_span`.
pub(crate) fn span_target(world: &World, span: &str) -> Outcome<Time> {
    crate::sim::parse_span(span)
        .map(|s| s.after(world.now()))
        .map_err(|m| Refusal::new(Reason::InvalidSpan, m))
}

/// The instant a time `2027-01-15T00:00:00Z` or date `2027-01-15` names.
/// Refuses: 2005 `invalid_time`.
pub(crate) fn time_target(when: &str) -> Outcome<Time> {
    Time::parse(when).map_err(|m| Refusal::new(Reason::InvalidTime, m))
}

/// A domain's milestone timer comes due (fired by `crate::dispatch`): the milestone is
/// handled, with any others of the domain at the same instant, and the next one
/// scheduled. False when the timer was stale.
pub(crate) fn milestone_due(world: &mut World, timer: &Timer, kind: Milestone) -> bool {
    let id = timer.target;
    let Some(d) = world.domain(id) else {
        return false;
    };
    if d.generation.get() != timer.generation {
        return false;
    }
    let closed = world.closed_form;
    let mut kind = kind;
    let mut list = world
        .tlds
        .milestones(d, decision_points(world, d, timer.at));
    // The last milestone is the release (the phase boundary): a policy change can make
    // it due before this milestone's time.
    if list.last_time().is_some_and(|r| world.now() >= r) {
        release(world, id);
        return true;
    }
    let Some(mut param) = list.param_of(timer.at, kind) else {
        // The policy changed under this timer without a reschedule; move on.
        catch_up(world, id);
        schedule_after(world, id, timer.at, timer.kind());
        return false;
    };
    loop {
        // Notices owed before this milestone (closed form) come first.
        reach(world, id, &list, timer, kind as u8);
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
        let quiet = quiet(d);
        if milestone_facts(d) != facts {
            list = world
                .tlds
                .milestones(d, decision_points(world, d, timer.at));
            world.note_timeline(id);
        }
        // Milestones of this domain at the same instant (the renewal decision and the
        // first reminder, expiry and the first auto-renew attempt) are handled in this
        // one firing, in kind order, instead of costing a timer each; milestones in
        // closed form are left to `catch_up`.
        let next =
            list.next_after_where(timer.at, kind as u8, |m| !in_closed_form(closed, m, quiet));
        match next {
            Some((t, next, p)) if t == timer.at && list.last_time() > Some(timer.at) => {
                kind = next;
                param = p;
            }
            _ => {
                reach(world, id, &list, timer, u8::MAX);
                schedule_following(
                    world,
                    id,
                    timer.generation,
                    &list,
                    quiet,
                    timer.at,
                    kind as u8,
                );
                return true;
            }
        }
    }
}

/// Moves the position to (`timer`'s instant and key, `kind`) and records the notices the
/// domain owes before it (closed form), from its milestones `list`.
fn reach(world: &mut World, id: DomainId, list: &Milestones, timer: &Timer, kind: u8) {
    let pos = Position {
        at: timer.at,
        key: timer.key(),
        kind,
    };
    world.position = Some(pos);
    if world.owes_notices(id) {
        record_owed(world, id, list, pos);
    }
}

/// Handles one milestone; false when the domain was rescheduled (auto-renewed) or
/// released and nothing more is to be done for this timer.
fn handle_milestone(world: &mut World, id: DomainId, kind: Milestone, param: u32) -> bool {
    match kind {
        Milestone::Reminder | Milestone::PostExpiry => notice(world, None, id, kind, param),
        Milestone::Expiry | Milestone::Redemption | Milestone::PendingDelete => {
            if let Some(phase) = kind.phase_entered() {
                enter_phase(world, id, phase);
            }
        }
        Milestone::AutoRenew => {
            if auto_renew(world, id, param) {
                return false;
            }
        }
        Milestone::Release => {
            release(world, id);
            return false;
        }
        Milestone::ListDecision | Milestone::RenewDecision => {
            (world.reactions.decision)(world, id, kind)
        }
    }
    true
}

/// A notice milestone's events: a renewal reminder (`param` days before expiry; the
/// first also tells the name's watchers it is expiring) or the post-expiry reminder.
/// Recorded now (`at` `None`) or, computed in closed form, at its own instant.
fn notice(world: &mut World, at: Option<Time>, id: DomainId, kind: Milestone, param: u32) {
    let d = world.domain(id).expect("live domain");
    let (name, tld) = (d.name, d.tld);
    if kind == Milestone::PostExpiry {
        notify::holder_at(world, at, id, Notice::PostExpiryReminder);
        return;
    }
    notify::holder_at(world, at, id, Notice::RenewalReminder(param));
    let first = world.tlds.get(tld).reminder_days_before_expiry.iter().max();
    if first == Some(&param) {
        notify::watchers_at(world, at, name, WatchChange::Expiring);
    }
}

/// The facts a domain's milestones depend on (besides its TLD's policy).
fn milestone_facts(d: &Domain) -> (Time, Option<Time>, bool, u8, u16) {
    (
        d.expires.get(),
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
    let renewed = d.expires.get().add_years(1);
    let fits = renewed.within_years(world.now(), tld.max_term_years)
        && renewed < crate::sim::time::MAX_TIME;
    if fits && world.ledger.can_pay(d.owner, price) {
        let renewal = Renewal {
            years: 1,
            expires: renewed,
            price,
            wholesale,
            auto: true,
            late: day > 0,
        };
        apply_renewal(world, id, renewal);
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

#[cfg(test)]
mod tests {
    use super::*;

    const T: Time = Time(1_800_000_000);

    fn firing(key: u32, kind: u8) -> Position {
        Position { at: T, key, kind }
    }

    #[test]
    fn a_rescheduled_domain_resumes_after_the_current_place_in_canonical_order() {
        // The firing timer's own domain keeps this instant's later kinds.
        assert_eq!(resume_after(firing(5, 1), T, 5), (T, 1));
        // A domain sorting after the firing timer keeps all of this instant.
        assert_eq!(resume_after(firing(5, 1), T, 6), (T.add_secs(-1), u8::MAX));
        // One sorting before it has had this instant already.
        assert_eq!(resume_after(firing(5, 1), T, 4), (T, u8::MAX));
        // Between firings everything at now has happened.
        assert_eq!(resume_after(Position::end_of(T), T, 0), (T, u8::MAX));
        // A loaded world before its first advance: nothing at the start has.
        assert_eq!(
            resume_after(Position::before(T), T, 0),
            (T.add_secs(-1), u8::MAX)
        );
        // An overdue timer (scheduled in the past) firing: resume after now.
        let overdue = Position {
            at: T.add_secs(-3600),
            key: 9,
            kind: 1,
        };
        assert_eq!(resume_after(overdue, T, 20), (T, u8::MAX));
    }
}
