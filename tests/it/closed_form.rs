//! Closed form changes nothing: random portfolios run through random operations
//! (advances of any length, renewals, deletions, pushes, auto-renew switches, update
//! locks, listings, watches, policy changes of the reminder days and the grace period)
//! in a bulk world that computes its notices and quiet phase changes in closed form and
//! in one that fires a timer for each (`--event-by-event`) end with the same digest,
//! event count, metrics, balances and every domain's state and listings. The closed-form world also reads its digest and goes through a
//! snapshot on the way, which must change nothing either.

use proptest::prelude::*;
use regsim::fixture::{LoadOptions, load_str};
use regsim::model::world::Retention;
use regsim::model::{Book, World};
use regsim::ops;

#[derive(Clone, Debug)]
enum Op {
    /// Advance this many hours.
    Advance(i64),
    /// The holder of the n-th live domain renews it for some years.
    Renew(usize, i64),
    /// The holder deletes it.
    Delete(usize),
    /// The holder pushes it to account k.
    Push(usize, usize),
    /// The holder switches auto-renew.
    AutoRenew(usize, bool),
    /// The holder switches the update lock.
    UpdateLock(usize, bool),
    /// The holder lists it: at a fixed price (open until sold or lapsed) or at auction.
    List(usize, bool),
    /// Account k starts or stops watching the n-th live domain's name.
    Watch(usize, usize, bool),
    /// `.com` reminders at these days before expiry.
    Reminders(Vec<u32>),
    /// `.com` grace period.
    Grace(u32),
    /// Read the digest (closed-form world only).
    Digest,
    /// Snapshot and restore (closed-form world only).
    Snapshot,
}

fn op() -> impl Strategy<Value = Op> {
    let n = 0usize..400;
    prop_oneof![
        6 => (1i64..2_500).prop_map(Op::Advance),
        2 => (n.clone(), 1i64..3).prop_map(|(d, y)| Op::Renew(d, y)),
        1 => n.clone().prop_map(Op::Delete),
        2 => (n.clone(), 0usize..4).prop_map(|(d, k)| Op::Push(d, k)),
        2 => (n.clone(), any::<bool>()).prop_map(|(d, on)| Op::AutoRenew(d, on)),
        2 => (n.clone(), any::<bool>()).prop_map(|(d, on)| Op::UpdateLock(d, on)),
        2 => (n.clone(), any::<bool>()).prop_map(|(d, fixed)| Op::List(d, fixed)),
        2 => (0usize..4, n.clone(), any::<bool>()).prop_map(|(k, d, on)| Op::Watch(k, d, on)),
        1 => proptest::collection::vec(0u32..60, 0..4).prop_map(Op::Reminders),
        1 => (0u32..45).prop_map(Op::Grace),
        1 => Just(Op::Digest),
        1 => Just(Op::Snapshot),
    ]
}

fn world(seed: u64, domains: u32, balance: i64, event_by_event: bool) -> World {
    let fixture = format!(
        "start: 2026-01-01T08:30:00Z\nseed: {seed}\n\
         generate: {{ domains: {domains}, accounts: 4, balance: {balance}, auto_renew: 0.6, max_age_years: 2 }}\n\
         behaviour:\n  new_per_day: {{ com: 0.5, cn: 0.2 }}\n  listing_propensity: 0.05\n"
    );
    let w = load_str(
        "closed.yaml",
        &fixture,
        LoadOptions {
            seed: None,
            retention: Retention::BULK,
            event_by_event,
        },
    )
    .unwrap();
    assert_eq!(w.closed_form, !event_by_event);
    w
}

/// The n-th live domain's name and holder (the same in both worlds while they agree).
fn nth(w: &World, n: usize) -> Option<(String, String)> {
    let live: Vec<_> = w.live_domains().collect();
    let (_, d) = live.get(n % live.len().max(1))?;
    Some((
        w.names.get(d.name).unwrap_or("").to_string(),
        w.accounts[d.owner as usize].id.clone(),
    ))
}

/// Applies one operation; the outcome (refused or not) is returned to be compared.
fn apply(w: &mut World, op: &Op, closed: bool) -> String {
    let out = match op {
        // How many timers fired is the engine's figure: closed form fires fewer.
        Op::Advance(h) => regsim::dispatch::advance(w, &format!("{h}h")).map(|_| String::new()),
        Op::Renew(n, y) => match nth(w, *n) {
            Some((name, holder)) => ops::renew(w, &holder, &name, *y).map(|t| t.to_string()),
            None => Ok(String::new()),
        },
        Op::Delete(n) => match nth(w, *n) {
            Some((name, holder)) => ops::delete(w, &holder, &name).map(|r| r.to_string()),
            None => Ok(String::new()),
        },
        Op::Push(n, k) => match nth(w, *n) {
            Some((name, holder)) => {
                let to = format!("cust-{k}");
                ops::ownership::push_domain(w, &holder, &name, &to).map(|_| String::new())
            }
            None => Ok(String::new()),
        },
        Op::AutoRenew(n, on) => match nth(w, *n) {
            Some((name, holder)) => {
                ops::set_auto_renew(w, &holder, &name, *on).map(|_| String::new())
            }
            None => Ok(String::new()),
        },
        Op::UpdateLock(n, on) => match nth(w, *n) {
            Some((name, holder)) => {
                ops::set_lock(w, &holder, &name, "update", *on).map(|_| String::new())
            }
            None => Ok(String::new()),
        },
        Op::List(n, fixed) => match nth(w, *n) {
            Some((name, holder)) => {
                let input = regsim::market::listing::ListingInput {
                    kind: if *fixed { "fixed" } else { "auction" }.into(),
                    price: Some(50_000),
                    start_price: Some(10_000),
                    duration: Some("30d".into()),
                    ..Default::default()
                };
                regsim::market::listing::list_for_sale(w, &holder, &name, &input)
                    .map(|id| id.to_string())
            }
            None => Ok(String::new()),
        },
        Op::Watch(k, n, on) => match nth(w, *n) {
            Some((name, _)) => {
                ops::watch::watch(w, &format!("cust-{k}"), &name, *on).map(|_| String::new())
            }
            None => Ok(String::new()),
        },
        Op::Reminders(days) => regsim::dispatch::set_policy(
            w,
            "tlds.com.reminder_days_before_expiry",
            serde_json::json!(days),
        )
        .map(|_| String::new()),
        Op::Grace(days) => {
            regsim::dispatch::set_policy(w, "tlds.com.grace_days", serde_json::json!(days))
                .map(|_| String::new())
        }
        Op::Digest => {
            if closed {
                let _ = w.digest();
            }
            Ok(String::new())
        }
        Op::Snapshot => {
            if closed {
                let bytes = regsim::snapshot::to_bytes(w).unwrap();
                *w = regsim::snapshot::from_bytes(&bytes).unwrap();
            }
            Ok(String::new())
        }
    };
    match out {
        Ok(s) => s,
        Err(r) => format!("refused {}", r.reason),
    }
}

/// Everything a script or report can observe of a domain (not the bookkeeping of its
/// owed notices or its timer).
fn domains(w: &World) -> Vec<String> {
    w.live_domains()
        .map(|(id, d)| {
            format!(
                "{id} {} {} {} {} {:?} {:?} {} {} {} {:?}",
                w.names.get(d.name).unwrap_or(""),
                d.owner,
                d.registrar,
                d.expires.get(),
                d.deleted.get(),
                d.locks,
                d.seq,
                d.generation.get(),
                d.phase(w.now(), w.tlds.get(d.tld)).as_str(),
                d.created.get(),
            )
        })
        .collect()
}

fn compare(closed: &mut World, each: &mut World) -> Result<(), TestCaseError> {
    prop_assert_eq!(closed.now(), each.now());
    prop_assert_eq!(closed.event_total(), each.event_total());
    prop_assert_eq!(closed.digest(), each.digest());
    prop_assert_eq!(&closed.metrics, &each.metrics);
    prop_assert_eq!(domains(closed), domains(each));
    let listings = |w: &World| {
        w.market
            .listings
            .iter()
            .map(|l| l.state)
            .collect::<Vec<_>>()
    };
    prop_assert_eq!(listings(closed), listings(each));
    prop_assert_eq!(
        closed.ledger.balance(Book::Escrow),
        each.ledger.balance(Book::Escrow)
    );
    for a in 0..closed.accounts.len() as u32 {
        prop_assert_eq!(
            closed.ledger.balance(Book::Wallet(a)),
            each.ledger.balance(Book::Wallet(a))
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn closed_form_and_event_by_event_runs_are_the_same(
        seed in 1u64..1_000,
        domains in 20u32..300,
        balance in prop_oneof![Just(0i64), Just(20_000), Just(1_000_000_000)],
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let mut closed = world(seed, domains, balance, false);
        let mut each = world(seed, domains, balance, true);
        for op in &ops {
            let a = apply(&mut closed, op, true);
            let b = apply(&mut each, op, false);
            prop_assert_eq!(a, b, "{:?}", op);
        }
        // And a few years more, long enough for every term to turn over.
        regsim::dispatch::advance(&mut closed, "800d").unwrap();
        regsim::dispatch::advance(&mut each, "800d").unwrap();
        compare(&mut closed, &mut each)?;
    }
}

/// A portfolio of a few thousand domains over five years, with notices at the start
/// instant and on the same instants as other milestones (reminder days that coincide
/// with the renewal decision), run both ways.
#[test]
fn a_five_year_portfolio_is_the_same_both_ways() {
    let mut closed = world(7, 3_000, 50_000, false);
    let mut each = world(7, 3_000, 50_000, true);
    for w in [&mut closed, &mut each] {
        regsim::dispatch::set_policy(
            w,
            "tlds.com.reminder_days_before_expiry",
            serde_json::json!([30, 7, 1, 0]),
        )
        .unwrap();
    }
    let fired_closed = regsim::dispatch::advance(&mut closed, "5y").unwrap();
    let fired_each = regsim::dispatch::advance(&mut each, "5y").unwrap();
    assert!(
        fired_closed * 10 < fired_each * 8,
        "closed form fires no timer for notices: {fired_closed} against {fired_each}"
    );
    compare(&mut closed, &mut each).unwrap();
    assert!(closed.metrics.counters.renewals > 1_000);
}

/// A domain under the update lock, or listed, is loud: its expiry lifts the lock and
/// closes the listing at the expiry instant in a closed-form world too, where a quiet
/// domain's phase changes fire no timer.
#[test]
fn a_locked_or_listed_domain_changes_at_expiry_in_closed_form() {
    for event_by_event in [false, true] {
        // No behaviour model: nobody renews.
        let fixture = "start: 2026-01-01T08:30:00Z\nseed: 3\n\
            generate: { domains: 40, accounts: 4, balance: 1000000000, auto_renew: 0 }\n";
        let options = LoadOptions {
            seed: None,
            retention: Retention::BULK,
            event_by_event,
        };
        let mut w = load_str("loud.yaml", fixture, options).unwrap();
        let mut live: Vec<(String, String, regsim::sim::Time)> = w
            .live_domains()
            .filter(|(_, d)| !d.auto_renew())
            .map(|(_, d)| {
                (
                    w.names.get(d.name).unwrap().to_string(),
                    w.accounts[d.owner as usize].id.clone(),
                    d.expires.get(),
                )
            })
            .collect();
        live.sort_by_key(|(_, _, e)| *e);
        let (locked, holder, expires) = live[0].clone();
        ops::set_lock(&mut w, &holder, &locked, "update", true).unwrap();
        let (listed, seller, listed_expires) = live[1].clone();
        let input = regsim::market::listing::ListingInput {
            kind: "fixed".into(),
            price: Some(50_000),
            ..Default::default()
        };
        let listing = regsim::market::listing::list_for_sale(&mut w, &seller, &listed, &input)
            .unwrap() as usize;
        regsim::dispatch::advance_to(&mut w, expires.add_secs(1)).unwrap();
        let id = w.name_id(&locked).and_then(|n| w.live_domain(n)).unwrap();
        let d = w.domain(id).unwrap();
        assert!(
            !d.locks.has(regsim::model::Lock::Update),
            "lifted at expiry"
        );
        regsim::dispatch::advance_to(&mut w, listed_expires.max(expires).add_secs(1)).unwrap();
        assert_eq!(
            w.market.listings[listing].state,
            regsim::model::ListingState::ClosedLapsed,
            "closed at expiry ({event_by_event})"
        );
    }
}
