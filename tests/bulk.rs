//! Bulk mode changes what is kept, never what happens: a 10,000-domain portfolio run
//! with the full log and in bulk mode ends with every domain's outcome, every metric and
//! the digest equal.

use regsim::fixture::{LoadOptions, load_str};
use regsim::model::world::Retention;
use regsim::model::{Resolve, World};

const FIXTURE: &str = "start: 2026-01-01\nseed: 3\ngenerate: { domains: 10000, accounts: 50 }\nbehaviour:\n  new_per_day: { com: 4, cn: 1 }\n  listing_propensity: 0.02\n";

fn run(retention: Retention) -> World {
    let mut w = load_str(
        "bulk.yaml",
        FIXTURE,
        LoadOptions {
            seed: None,
            retention,
        },
    )
    .unwrap();
    regsim::dispatch::advance(&mut w, "3y").unwrap();
    w
}

fn outcomes(w: &World) -> Vec<(String, String, String, String)> {
    w.live_domains()
        .map(|(_, d)| {
            (
                w.domain_name(d.name).to_string(),
                w.account_name(d.owner).to_string(),
                d.expires.get().to_string(),
                d.phase(w.now, w.tlds.get(d.tld)).as_str().to_string(),
            )
        })
        .collect()
}

#[test]
fn bulk_mode_keeps_less_but_changes_nothing() {
    let full = run(Retention::default());
    let bulk = run(Retention {
        events: false,
        journal: false,
        notifications: false,
    });
    assert!(
        full.log.events().len() > 100_000,
        "the full run keeps its events"
    );
    assert_eq!(bulk.log.events().len(), 0);
    assert!(bulk.ledger.journal().is_empty() && bulk.notifications.is_empty());
    assert_eq!(full.log.count(), bulk.log.count());
    assert_eq!(full.log.digest(), bulk.log.digest());
    assert_eq!(outcomes(&full), outcomes(&bulk));
    assert_eq!(full.metrics, bulk.metrics);
    assert_eq!(
        regsim::whatif::view::totals(&full),
        regsim::whatif::view::totals(&bulk)
    );
    for a in 0..full.accounts.len() as u32 {
        assert_eq!(
            full.ledger.balance(regsim::model::Book::Wallet(a)),
            bulk.ledger.balance(regsim::model::Book::Wallet(a))
        );
    }
    assert!(full.metrics.counters.renewals > 10_000 && full.metrics.counters.auctions_sold > 0);
}

/// A snapshot taken mid-run, after slots were reused and released names forgotten,
/// restores a world that runs on to the same digest as the uninterrupted run.
#[test]
fn a_restored_portfolio_runs_on_identically() {
    let whole = run(Retention::BULK);
    let mut w = load_str(
        "bulk.yaml",
        FIXTURE,
        LoadOptions {
            seed: None,
            retention: Retention::BULK,
        },
    )
    .unwrap();
    regsim::dispatch::advance(&mut w, "547d").unwrap();
    assert!(
        w.names.len() > w.names.indexed(),
        "some released names were forgotten"
    );
    assert!(
        w.domains.len() < w.live_count() + w.live_count() / 10,
        "released slots were reused"
    );
    let bytes = regsim::snapshot::to_bytes(&w).unwrap();
    let mut back = regsim::snapshot::from_bytes(&bytes).unwrap();
    let rest = whole.now.0 - back.now.0;
    regsim::dispatch::advance(&mut back, &format!("{}s", rest)).unwrap();
    assert_eq!(back.now, whole.now);
    assert_eq!(back.log.digest(), whole.log.digest());
    assert_eq!(outcomes(&back), outcomes(&whole));
}
