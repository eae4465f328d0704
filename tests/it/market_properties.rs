//! Property tests over random mixes of listings, bids, offers, purchases, payments,
//! deliveries, pushes, transfers and clock advances: money is conserved, escrow holds
//! exactly what is owed (so it pays out or refunds exactly once), a domain never has
//! two open trades, a frozen account never trades, and a refused operation changes
//! nothing.

use proptest::prelude::*;
use regsim::fixture::{LoadOptions, load_str};
use regsim::market::{auction, listing, offer, order};
use regsim::model::{Book, ListingKind, ListingState, World};
use regsim::ops::{ownership, transfer};

const FIXTURE: &str = r#"
registrars: [rival]
accounts:
  - { id: s1, balance: 100000 }
  - { id: s2, balance: 100000 }
  - { id: b1, balance: 3000000 }
  - { id: b2, balance: 3000000 }
  - { id: b3, balance: 60000 }
domains:
  - { name: d1.com, owner: s1, created: 2024-05-01, years: 3 }
  - { name: d2.com, owner: s1, created: 2024-05-01, years: 3 }
  - { name: d3.com, owner: s2, created: 2024-05-01, years: 3 }
  - { name: d4.com, owner: s2, created: 2024-05-01, years: 3 }
  - { name: away.com, owner: s2, registrar: rival, created: 2023-01-01, years: 4, auth_code: code }
"#;

const ACCOUNTS: [&str; 5] = ["s1", "s2", "b1", "b2", "b3"];
const DOMAINS: [&str; 5] = ["d1.com", "d2.com", "d3.com", "d4.com", "away.com"];

#[derive(Clone, Debug)]
enum Op {
    List(usize, usize, usize, i64),
    Delist(usize, i64),
    Buy(usize, i64),
    Bid(usize, i64, i64),
    Offer(usize, i64, i64),
    Accept(usize, i64),
    Counter(usize, i64, i64),
    Reject(usize, i64),
    Pay(usize, i64),
    Deliver(usize, i64),
    Push(usize, usize, usize),
    TransferIn(usize),
    TransferOut(usize),
    Advance(i64),
    Failures(u32),
}

fn op() -> impl Strategy<Value = Op> {
    let a = 0..ACCOUNTS.len();
    let buyer = 2..ACCOUNTS.len();
    let d = 0..DOMAINS.len();
    let id = 0i64..5;
    let money = prop_oneof![
        Just(1000i64),
        Just(20_000),
        Just(80_000),
        Just(300_000),
        Just(5_000_000)
    ];
    prop_oneof![
        6 => (a.clone(), d.clone(), 0usize..4, money.clone()).prop_map(|(a, d, k, m)| Op::List(a, d, k, m)),
        1 => (a.clone(), id.clone()).prop_map(|(a, i)| Op::Delist(a, i)),
        3 => (buyer.clone(), id.clone()).prop_map(|(a, i)| Op::Buy(a, i)),
        4 => (buyer.clone(), id.clone(), money.clone()).prop_map(|(a, i, m)| Op::Bid(a, i, m)),
        3 => (buyer.clone(), id.clone(), money.clone()).prop_map(|(a, i, m)| Op::Offer(a, i, m)),
        3 => (a.clone(), id.clone()).prop_map(|(a, i)| Op::Accept(a, i)),
        1 => (a.clone(), id.clone(), money.clone()).prop_map(|(a, i, m)| Op::Counter(a, i, m)),
        1 => (a.clone(), id.clone()).prop_map(|(a, i)| Op::Reject(a, i)),
        3 => (buyer.clone(), id.clone()).prop_map(|(a, i)| Op::Pay(a, i)),
        2 => (a.clone(), id.clone()).prop_map(|(a, i)| Op::Deliver(a, i)),
        1 => (a.clone(), d.clone(), a.clone()).prop_map(|(a, d, t)| Op::Push(a, d, t)),
        1 => buyer.clone().prop_map(Op::TransferIn),
        1 => d.clone().prop_map(Op::TransferOut),
        4 => (0i64..2 * 86_400).prop_map(Op::Advance),
        1 => prop_oneof![Just(0u32), Just(50), Just(100)].prop_map(Op::Failures),
    ]
}

/// The current holder's account name, so that most listings come from the holder.
fn holder(w: &World, d: usize, fallback: usize) -> &'static str {
    w.name_id(DOMAINS[d])
        .and_then(|n| w.live_domain(n))
        .and_then(|id| w.domain(id))
        .and_then(|dom| {
            ACCOUNTS
                .iter()
                .find(|a| w.account_id(a) == Some(dom.owner))
                .copied()
        })
        .unwrap_or(ACCOUNTS[fallback])
}

/// The seller of a listing or order, so that seller-side answers usually come from it.
fn seller_of_offer(w: &World, offer: i64, fallback: usize) -> &'static str {
    w.market
        .offers
        .get(offer as usize)
        .and_then(|o| w.market.listings[o.listing as usize].seller)
        .and_then(|s| {
            ACCOUNTS
                .iter()
                .find(|a| w.account_id(a) == Some(s))
                .copied()
        })
        .unwrap_or(ACCOUNTS[fallback])
}

/// Applies an op; returns the acting account if it is a trade operation.
fn apply(w: &mut World, op: &Op) -> (Result<(), regsim::Refusal>, Option<&'static str>) {
    let kinds = ["fixed", "auction", "offer", "push"];
    match op {
        Op::List(a, d, k, m) => {
            // Three times in four the holder lists; otherwise someone who may not.
            let actor = if *a < 4 {
                holder(w, *d, *a)
            } else {
                ACCOUNTS[*a]
            };
            let input = listing::ListingInput {
                kind: kinds[*k].into(),
                price: Some(*m),
                start_price: Some(*m),
                reserve: None,
                duration: Some("1d".into()),
                min_offer: Some(*m / 2),
                buyer: Some(ACCOUNTS[(*a + 2) % ACCOUNTS.len()].into()),
            };
            (
                listing::list_for_sale(w, actor, DOMAINS[*d], &input).map(|_| ()),
                Some(actor),
            )
        }
        Op::Delist(a, i) => (listing::delist(w, ACCOUNTS[*a], *i), None),
        Op::Buy(a, i) => {
            let push = w
                .market
                .listings
                .get(*i as usize)
                .is_some_and(|l| matches!(l.kind, ListingKind::Push { .. }));
            let r = if push {
                listing::accept_push(w, ACCOUNTS[*a], *i, None).map(|_| ())
            } else {
                listing::buy(w, ACCOUNTS[*a], *i, None).map(|_| ())
            };
            (r, Some(ACCOUNTS[*a]))
        }
        Op::Bid(a, i, m) => (
            auction::bid(w, ACCOUNTS[*a], *i, *m).map(|_| ()),
            Some(ACCOUNTS[*a]),
        ),
        Op::Offer(a, i, m) => (
            offer::make_offer(w, ACCOUNTS[*a], *i, *m).map(|_| ()),
            Some(ACCOUNTS[*a]),
        ),
        Op::Accept(a, i) => {
            let actor = if *a < 3 {
                seller_of_offer(w, *i, *a)
            } else {
                ACCOUNTS[*a]
            };
            (offer::accept_offer(w, actor, *i).map(|_| ()), Some(actor))
        }
        Op::Counter(a, i, m) => (
            offer::counter_offer(w, ACCOUNTS[*a], *i, *m),
            Some(ACCOUNTS[*a]),
        ),
        Op::Reject(a, i) => (offer::reject_offer(w, ACCOUNTS[*a], *i), Some(ACCOUNTS[*a])),
        Op::Pay(a, i) => (order::pay(w, ACCOUNTS[*a], *i), Some(ACCOUNTS[*a])),
        Op::Deliver(a, i) => {
            let seller = w.market.orders.get(*i as usize).and_then(|o| {
                ACCOUNTS
                    .iter()
                    .find(|x| w.account_id(x) == Some(o.seller))
                    .copied()
            });
            let actor = if *a < 3 {
                seller.unwrap_or(ACCOUNTS[*a])
            } else {
                ACCOUNTS[*a]
            };
            (order::deliver(w, actor, *i), Some(actor))
        }
        Op::Push(a, d, t) => (
            ownership::push_domain(w, ACCOUNTS[*a], DOMAINS[*d], ACCOUNTS[*t]),
            None,
        ),
        Op::TransferIn(a) => (
            transfer::transfer_in(w, ACCOUNTS[*a], "away.com", "code"),
            None,
        ),
        Op::TransferOut(d) => {
            let code = w
                .name_id(DOMAINS[*d])
                .and_then(|n| w.live_domain(n))
                .and_then(|id| w.auth_codes.get(&id).cloned())
                .unwrap_or_else(|| "none".into());
            (
                transfer::request_transfer_out(w, DOMAINS[*d], "rival", &code),
                None,
            )
        }
        Op::Advance(s) => {
            let t = w.now().add_secs(*s);
            (regsim::dispatch::advance_to(w, t).map(|_| ()), None)
        }
        Op::Failures(p) => (
            regsim::dispatch::set_policy(w, "rules.auto_transfer_failure_percent", (*p).into()),
            None,
        ),
    }
}

fn invariants(w: &World) -> Result<(), TestCaseError> {
    prop_assert_eq!(w.ledger.sum(), 0, "money is conserved");
    prop_assert!(w.ledger.min_wallet() >= 0, "a wallet went negative");
    prop_assert_eq!(
        w.ledger.balance(Book::Escrow),
        w.escrow_owed(),
        "escrow holds exactly what is owed"
    );
    for (slot, d) in w.live_domains() {
        let made = w
            .market
            .listings
            .iter()
            .map(|l| l.domain)
            .chain(w.market.orders.iter().map(|o| o.domain))
            .any(|r| r == w.ref_of(slot));
        prop_assert_eq!(
            d.has_trades(),
            made,
            "the trade mark of slot {} disagrees with the market",
            slot
        );
        let id = w.ref_of(slot);
        let open_listings = w
            .market
            .listings
            .iter()
            .filter(|l| l.domain == id && l.state == ListingState::Open)
            .count();
        let open_orders = w
            .market
            .orders
            .iter()
            .filter(|o| o.domain == id && o.state.is_open())
            .count();
        prop_assert!(
            open_listings + open_orders <= 1,
            "domain {:?} has {} open trades",
            id,
            open_listings + open_orders
        );
        prop_assert_eq!(
            w.in_trade(slot),
            open_listings + open_orders == 1,
            "in_trade of slot {}",
            slot
        );
        prop_assert_eq!(w.listed(slot), open_listings == 1);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn market_invariants(ops in proptest::collection::vec(op(), 1..80)) {
        let mut w = load_str("m.yaml", FIXTURE, LoadOptions::default()).unwrap();
        regsim::dispatch::advance(&mut w, "1d").unwrap();
        for op in &ops {
            let before = regsim::snapshot::to_bytes(&w).unwrap();
            let frozen_before: Vec<bool> = ACCOUNTS
                .iter()
                .map(|a| {
                    let id = w.account_id(a).unwrap();
                    w.accounts[id as usize].trading_frozen_until.is_some_and(|t| w.now() < t)
                })
                .collect();
            let (result, trader) = apply(&mut w, op);
            match result {
                Err(_) => prop_assert!(regsim::snapshot::to_bytes(&w).unwrap() == before, "refused {:?} changed the world", op),
                Ok(()) => {
                    if let Some(t) = trader {
                        let i = ACCOUNTS.iter().position(|a| *a == t).unwrap();
                        prop_assert!(!frozen_before[i], "frozen {} traded: {:?}", t, op);
                    }
                }
            }
            invariants(&w)?;
        }
        // Let every deadline pass: all trades end and escrow empties but for
        // backorders and open listings' deposits.
        regsim::dispatch::advance(&mut w, "30d").unwrap();
        invariants(&w)?;
        prop_assert!(w.market.orders.iter().all(|o| !o.state.is_open()));
    }
}
