//! The what-if vocabulary: metrics, forks of the world, and overrides of the behaviour
//! model's parameters (through `set_policy("behaviour.<field>", value)`).

use super::Shared;
use super::api::Registry;
use super::convert::{R, bad_argument};
use crate::model::World;
use crate::model::metrics::METRICS;
use crate::refusal::Reason;
use crate::whatif::view;
use rhai::{Dynamic, FnPtr, Map, NativeCallContext};
use std::cell::RefCell;
use std::rc::Rc;

/// A forked world: an independent copy a script can run code against.
#[derive(Clone)]
pub(crate) struct Fork(Rc<RefCell<Option<World>>>);

fn metrics_map(w: &World) -> Dynamic {
    let mut m = Map::new();
    for (k, v) in view::totals(w) {
        m.insert(k.into(), Dynamic::from_int(v));
    }
    // Each metric's series once (a row per month read from them): building it per
    // month was quadratic, and a run to the clock's end has about 96,000 months.
    let series: Vec<Vec<i64>> = METRICS
        .iter()
        .map(|metric| view::monthly(&w.metrics.months, metric))
        .collect();
    let months: rhai::Array = w
        .metrics
        .months
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut row = Map::new();
            row.insert("month".into(), s.month.clone().into());
            for (metric, values) in METRICS.iter().zip(&series) {
                row.insert((*metric).into(), Dynamic::from_int(values[i]));
            }
            Dynamic::from_map(row)
        })
        .collect();
    m.insert("monthly".into(), months.into());
    Dynamic::from_map(m)
}

/// Calls `f` on the fork's world (refused while the fork is running code).
fn on_fork<T>(fork: &Fork, f: impl FnOnce(&mut World) -> R<T>) -> R<T> {
    let mut guard = fork.0.borrow_mut();
    let w = guard
        .as_mut()
        .ok_or_else(|| bad_argument(Reason::ForkBusy, "this fork is running code".into()))?;
    f(w)
}

/// Runs `f` with the fork's world swapped in as the session's world.
fn run_in(ctx: &NativeCallContext, s: &Shared, fork: &Fork, f: &FnPtr) -> R<Dynamic> {
    let Some(mut world) = fork.0.borrow_mut().take() else {
        return Err(bad_argument(
            Reason::ForkBusy,
            "this fork is already running code".into(),
        ));
    };
    std::mem::swap(&mut s.borrow_mut().world, &mut world);
    let result = f.call_within_context::<Dynamic>(ctx, ());
    std::mem::swap(&mut s.borrow_mut().world, &mut world);
    *fork.0.borrow_mut() = Some(world);
    result
}

/// Metrics, behaviour decisions and forks.
pub(super) fn what_if(r: &mut Registry) {
    r.world(
        "metrics() -> map",
        "Totals now of revenue.total, revenue.register/renew/restore/transfer/commission, \
         margin, domains.active, registrations, renewals, late_renewals, restores, drops, \
         transfers, auctions.sold/unsold/revenue; plus monthly: [#{month, ...per-month \
         values}].",
        |w: &mut World| -> R<Dynamic> { Ok(metrics_map(w)) },
    );
    r.world(
        "decide(name, decision, value)",
        "A custom agent's choice: fixes the behaviour model's \"list\", \"renew\" or \
         \"restore\" decision for a name to true or false (() lets the model draw again).",
        |w: &mut World, name: &str, kind: &str, value: Dynamic| -> R<()> {
            let v = if value.is_unit() {
                None
            } else {
                Some(value.as_bool().map_err(|t| {
                    bad_argument(
                        Reason::InvalidOption,
                        format!("decide takes true, false or (), not {t}"),
                    )
                })?)
            };
            super::convert::done(crate::whatif::behaviour::decide(w, name, kind, v))
        },
    );
    r.world(
        "fork() -> fork",
        "An independent copy of the world now (random state included) to run code against \
         with f.run(|| ...).",
        |w: &mut World| -> R<Fork> { Ok(Fork(Rc::new(RefCell::new(Some(w.clone()))))) },
    );
    let s = r.session();
    r.add(
        "run(fork, closure) -> value",
        "f.run(|| ...): runs a closure with the fork as the current world (the whole \
         vocabulary applies) and returns its value.",
        move |ctx: NativeCallContext, fork: &mut Fork, f: FnPtr| -> R<Dynamic> {
            run_in(&ctx, &s, fork, &f)
        },
    );
    r.add(
        "advance(fork, span) -> int",
        "f.advance(span): advances a fork's clock.",
        move |fork: &mut Fork, span: &str| -> R<i64> {
            on_fork(fork, |w| {
                super::convert::done(crate::dispatch::advance(w, span)).map(|n| n as i64)
            })
        },
    );
    r.add(
        "set_policy(fork, key, value)",
        "f.set_policy(key, value): changes a policy field in the fork only.",
        move |fork: &mut Fork, key: &str, value: Dynamic| -> R<()> {
            let v = super::convert::json(&value)?;
            on_fork(fork, |w| {
                super::convert::done(crate::dispatch::set_policy(w, key, v))
            })
        },
    );
    r.add(
        "metrics(fork) -> map",
        "f.metrics(): the fork's metrics, as metrics().",
        move |fork: &mut Fork| -> R<Dynamic> { on_fork(fork, |w| Ok(metrics_map(w))) },
    );
    r.add(
        "digest(fork) -> string",
        "f.digest(): the fork's run digest.",
        move |fork: &mut Fork| -> R<String> { on_fork(fork, |w| Ok(w.digest())) },
    );
}
