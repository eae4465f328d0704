//! Policy what-if analysis: the behaviour model that makes simulated customers act,
//! the month-end metric samples, forks and seeded sweeps. It drives `ops` exactly as a
//! script would; it never changes the world behind the rules' backs.

pub mod behaviour;
pub mod design;
pub mod draw;
pub mod generate;
pub mod sensitivity;
pub mod stats;
pub mod sweep;
pub mod view;

use crate::model::{Phase, Sample, TimerKind, World};

/// Starts what runs by itself in every world: month-end sampling and, when the world
/// has a behaviour model, the customers.
pub fn start(world: &mut World) {
    if let Some(next) = world.now().first_of_next_month() {
        world.schedule(next, TimerKind::MonthEnd, 0, 0);
    }
    behaviour::start(world, true);
}

/// A sample of the metrics now, labelled with `month`.
pub fn sample(world: &World, month: String) -> Sample {
    let active = world.active_count() as i64;
    debug_assert_eq!(
        active,
        world
            .live_domains()
            .filter(|(_, d)| {
                d.registrar == 0 && d.phase(world.now(), world.tlds.get(d.tld)) == Phase::Active
            })
            .count() as i64,
        "the active count kept by note_timeline disagrees with the phases"
    );
    Sample {
        month,
        counters: world.metrics.counters.clone(),
        margin: world.ledger.balance(crate::model::Book::Revenue),
        active,
    }
}

/// The end of a month: the metrics are sampled.
pub(crate) fn month_end(world: &mut World) -> bool {
    let label = world.now().add_secs(-1).date_string()[..7].to_string();
    let s = sample(world, label);
    world.metrics.months.push(s);
    if let Some(next) = world.now().first_of_next_month() {
        world.schedule(next, TimerKind::MonthEnd, 0, 0);
    }
    true
}
