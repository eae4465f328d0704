//! Timer dispatch, above the rules (`ops`, `market`) and the analysis (`whatif`): the one
//! place that moves the clock, fires each due timer into the layer that owns its kind
//! (`TimerKind`), and wires the reactions the rules call when something happens that
//! other layers answer (a name released, a domain lapsed or restored, a decision point
//! reached, the behaviour model switched on). The rules import none of those layers:
//! they call the function pointers the world carries ([`crate::model::Reactions`]),
//! which this module fills.

use crate::model::{IcpKind, NameId, Position, Reactions, TimerKind, World};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::{Time, Timer};
use crate::{market, ops, whatif};

/// How many timers fire between two calls of an advance observer.
pub(crate) const OBSERVE_EVERY: u64 = 1 << 16;

/// How many timers ahead the loop prefetches a domain slot.
const PREFETCH_AHEAD: usize = 6;

impl Default for Reactions {
    /// The reactions of the whole library: the market and the behaviour model answer.
    fn default() -> Reactions {
        Reactions {
            released,
            lapsed: market::listing::close_lapsed,
            restored: market::backorder::end_on_restore,
            decision: whatif::behaviour::decision_point,
            behaviour_started: started,
            owed: ops::timeline::catch_up,
        }
    }
}

/// A released name: a backorder takes it, or else the behaviour model may register it
/// again later; then the name is forgotten unless something still refers to it.
fn released(world: &mut World, name: NameId) {
    if !market::backorder::on_release(world, name) {
        whatif::behaviour::on_release(world, name);
    }
    world.forget_name_if_unused(name);
}

fn started(world: &mut World) {
    whatif::behaviour::start(world, false);
}

/// Advances the clock to `target`, firing every due timer in canonical order.
/// Refuses: 2004 `time_in_past`.
pub fn advance_to(world: &mut World, target: Time) -> Outcome<u64> {
    advance_to_observed(world, target, &mut |_| {})
}

/// As [`advance_to`], calling `observe` with the clock every [`OBSERVE_EVERY`] fired
/// timers (for progress display; it cannot change the world).
/// Refuses: 2004 `time_in_past`.
pub(crate) fn advance_to_observed(
    world: &mut World,
    target: Time,
    observe: &mut dyn FnMut(Time),
) -> Outcome<u64> {
    if target < world.now() {
        return Err(Refusal::new(
            Reason::TimeInPast,
            format!("cannot go back from {} to {target}", world.now()),
        ));
    }
    let fired = run_due_observed(world, target, observe);
    world.set_now(target);
    Ok(fired)
}

/// Advances the clock by a span such as `30d`, `12h`, `45m`, `2w` or `1y`.
/// Refuses: 2005 `invalid_span`.
pub fn advance(world: &mut World, span: &str) -> Outcome<u64> {
    advance_to(world, ops::timeline::span_target(world, span)?)
}

/// Advances the clock to a time `2027-01-15T00:00:00Z` or date `2027-01-15`.
/// Refuses: 2005 `invalid_time`, 2004 `time_in_past`.
pub fn advance_until(world: &mut World, when: &str) -> Outcome<u64> {
    advance_to(world, ops::timeline::time_target(when)?)
}

/// Changes a policy field (`ops::set_policy`), then fires what the change made due
/// now (a release a shorter period brought forward), so domains follow at once.
/// Refuses: as `ops::set_policy`.
pub fn set_policy(world: &mut World, key: &str, value: serde_json::Value) -> Outcome<()> {
    ops::set_policy(world, key, value)?;
    let now = world.now();
    run_due(world, now);
    Ok(())
}

/// Fires every timer due at or before `until`; returns how many fired.
pub(crate) fn run_due(world: &mut World, until: Time) -> u64 {
    run_due_observed(world, until, &mut |_| {})
}

fn run_due_observed(world: &mut World, until: Time, observe: &mut dyn FnMut(Time)) -> u64 {
    let mut fired = 0;
    while let Some(timer) = world.timers.pop_due(until) {
        if let Some(ahead) = world.timers.upcoming_target(PREFETCH_AHEAD) {
            world.prefetch_domain(ahead);
        }
        world.set_now(world.now().max(timer.at));
        world.position = Some(Position {
            at: timer.at,
            key: timer.key(),
            kind: timer.kind(),
        });
        if fire(world, &timer) {
            fired += 1;
            if fired % OBSERVE_EVERY == 0 {
                observe(world.now());
            }
        }
    }
    world.position = None;
    fired
}

/// Fires one timer into the layer that owns its kind; false when it was stale.
fn fire(world: &mut World, timer: &Timer) -> bool {
    let Some(kind) = TimerKind::from_code(timer.kind()) else {
        return false;
    };
    match kind {
        TimerKind::Milestone(m) => ops::timeline::milestone_due(world, timer, m),
        TimerKind::ProfileReview => ops::profiles::review_due(world, timer),
        TimerKind::IcpFiling => ops::icp::icp_due(world, timer, IcpKind::Filing),
        TimerKind::IcpLicense => ops::icp::icp_due(world, timer, IcpKind::License),
        TimerKind::PsbDeadline => ops::icp::psb_due(world, timer),
        TimerKind::Transfer => ops::transfer::transfer_due(world, timer),
        TimerKind::TradeOrder => market::order::order_due(world, timer),
        TimerKind::AuctionClose => market::auction::close_due(world, timer),
        TimerKind::OfferLapse => market::offer::lapse_due(world, timer),
        TimerKind::MonthEnd => whatif::month_end(world),
        TimerKind::BehaviourDaily => whatif::behaviour::daily(world),
        TimerKind::BehaviourRenew => whatif::behaviour::carry_out(world, timer, true),
        TimerKind::BehaviourRestore => whatif::behaviour::carry_out(world, timer, false),
        TimerKind::BehaviourDecide => whatif::behaviour::decide_due(world, timer),
        TimerKind::BehaviourReregister => whatif::behaviour::reregister_due(world, timer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_or_unknown_timer_fires_nothing() {
        let mut world = World::new(Time::DEFAULT_START, 1, crate::model::Retention::BULK);
        world.timers.schedule(world.now(), 0, 200, 0, 0);
        let now = world.now();
        assert_eq!(run_due(&mut world, now), 0);
    }
}
