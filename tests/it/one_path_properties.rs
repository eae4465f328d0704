//! Property tests over random mixes of hand-made and automatic paths — registrant
//! changes, sales, pushes, backorders, transfers in and out, deletions, restores, lock
//! and privacy changes, and the clock carrying domains through expiry, redemption and
//! release. After every step: every registrant change has exactly one audit entry; an
//! individual registrant nobody chose to publish is redacted; no change went through a
//! lock that forbids it; watchers were told of every phase change of a watched name;
//! escrow holds exactly what is owed; a refused operation changes nothing.

use proptest::prelude::*;
use regsim::fixture::{LoadOptions, load_str};
use regsim::market::{backorder, listing, order};
use regsim::model::{
    Book, DataAction, DomainId, EventKind, ListingState, Lock, Notice, Phase, WatchChange, World,
};
use regsim::ops::{self, ownership, registrant, transfer};

const FIXTURE: &str = r#"
registrars: [rival]
accounts:
  - { id: s1, balance: 5000000 }
  - { id: s2, balance: 5000000 }
  - { id: b1, balance: 5000000 }
  - { id: b2, balance: 5000000 }
  - { id: fan }
profiles:
  - { id: s1-person, owner: s1, name: Li Lei, email: li@example.cn, country: CN }
  - { id: s1-org, owner: s1, name: Li Lei, organization: Li Trading, email: co@example.cn, country: CN }
  - { id: s2-person, owner: s2, name: Wang Fang, email: wang@example.cn, country: CN }
  - { id: b1-person, owner: b1, name: Zhang Wei, email: zhang@example.cn, country: CN }
  - { id: b2-org, owner: b2, name: Chen Jie, organization: Chen Co, email: chen@example.cn, country: CN }
domains:
  - { name: d1.com, owner: s1, profile: s1-org, created: 2024-05-01, years: 3 }
  - { name: d2.com, owner: s1, profile: s1-person, created: 2024-05-01, years: 3 }
  - { name: d3.com, owner: s2, profile: s2-person, created: 2024-05-01, expires: 2026-02-20 }
  - { name: d4.com, owner: s2, created: 2020-12-01, expires: 2025-12-01 }
  - { name: away.com, owner: b2, registrar: rival, created: 2023-01-01, years: 4, auth_code: code }
"#;

const ACCOUNTS: [&str; 4] = ["s1", "s2", "b1", "b2"];
const DOMAINS: [&str; 5] = ["d1.com", "d2.com", "d3.com", "d4.com", "away.com"];
const PROFILES: [&str; 5] = ["s1-person", "s1-org", "s2-person", "b1-person", "b2-org"];
const LOCKS: [&str; 3] = ["transfer", "update", "delete"];

#[derive(Clone, Debug)]
enum Op {
    SetRegistrant(usize, usize),
    SetPrivacy(usize, bool),
    SetLock(usize, usize, bool),
    List(usize, bool, i64),
    /// A buyer takes the k-th open listing (newest first), with a profile or none.
    Buy(usize, i64, Option<usize>),
    /// The seller delivers the k-th order awaiting delivery (newest first).
    Deliver(i64),
    Push(usize, usize),
    Backorder(usize, usize),
    CancelBackorder(usize, usize),
    AuthCode(usize),
    TransferIn(usize),
    TransferOut(usize),
    Delete(usize),
    Restore(usize),
    Failures(u32),
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let d = 0..DOMAINS.len();
    let a = 0..ACCOUNTS.len();
    prop_oneof![
        3 => (d.clone(), 0..PROFILES.len()).prop_map(|(d, p)| Op::SetRegistrant(d, p)),
        2 => (d.clone(), any::<bool>()).prop_map(|(d, on)| Op::SetPrivacy(d, on)),
        3 => (d.clone(), 0..LOCKS.len(), any::<bool>()).prop_map(|(d, l, on)| Op::SetLock(d, l, on)),
        6 => (d.clone(), any::<bool>(), prop_oneof![Just(10_000i64), Just(90_000)])
            .prop_map(|(d, push, p)| Op::List(d, push, p)),
        6 => (2..ACCOUNTS.len(), 0i64..2, proptest::option::of(0..PROFILES.len()))
            .prop_map(|(a, i, p)| Op::Buy(a, i, p)),
        2 => (0i64..2).prop_map(Op::Deliver),
        1 => (d.clone(), a.clone()).prop_map(|(d, t)| Op::Push(d, t)),
        2 => (a.clone(), d.clone()).prop_map(|(a, d)| Op::Backorder(a, d)),
        1 => (a.clone(), d.clone()).prop_map(|(a, d)| Op::CancelBackorder(a, d)),
        1 => d.clone().prop_map(Op::AuthCode),
        1 => a.clone().prop_map(Op::TransferIn),
        1 => d.clone().prop_map(Op::TransferOut),
        2 => d.clone().prop_map(Op::Delete),
        2 => d.clone().prop_map(Op::Restore),
        1 => prop_oneof![Just(0u32), Just(100)].prop_map(Op::Failures),
        5 => prop_oneof![0i64..86_400, Just(6 * 86_400), Just(31 * 86_400)].prop_map(Op::Advance),
    ]
}

fn slot(w: &World, name: &str) -> Option<DomainId> {
    w.name_id(name).and_then(|n| w.live_domain(n))
}

/// The account now holding a domain (most operations come from the holder).
fn holder(w: &World, d: usize) -> &'static str {
    slot(w, DOMAINS[d])
        .and_then(|id| w.domain(id))
        .and_then(|dom| {
            ACCOUNTS
                .iter()
                .find(|a| w.account_id(a) == Some(dom.owner))
                .copied()
        })
        .unwrap_or("s1")
}

/// The index of the k-th item (newest first) for which `open` holds, else k past the end.
fn nth(open: impl DoubleEndedIterator<Item = bool> + ExactSizeIterator, k: i64) -> i64 {
    let len = open.len();
    open.rev()
        .enumerate()
        .filter(|(_, o)| *o)
        .nth(k as usize)
        .map_or(len as i64 + k, |(i, _)| (len - 1 - i) as i64)
}

/// The auth code a domain has been given, if any.
fn code_of(w: &World, name: &str) -> String {
    slot(w, name)
        .and_then(|id| w.auth_codes.get(&id).cloned())
        .unwrap_or_else(|| "none".into())
}

fn apply(w: &mut World, op: &Op) -> Result<(), regsim::Refusal> {
    match op {
        Op::SetRegistrant(d, p) => {
            registrant::set_registrant(w, holder(w, *d), DOMAINS[*d], PROFILES[*p], false)
        }
        Op::SetPrivacy(d, on) => registrant::set_privacy(w, holder(w, *d), DOMAINS[*d], *on),
        Op::SetLock(d, l, on) => ops::set_lock(w, holder(w, *d), DOMAINS[*d], LOCKS[*l], *on),
        Op::List(d, push, price) => {
            let input = listing::ListingInput {
                kind: if *push { "push" } else { "fixed" }.into(),
                price: Some(*price),
                buyer: Some("b1".into()),
                ..listing::ListingInput::default()
            };
            listing::list_for_sale(w, holder(w, *d), DOMAINS[*d], &input).map(|_| ())
        }
        Op::Buy(a, k, p) => {
            let i = nth(
                w.market
                    .listings
                    .iter()
                    .map(|l| l.state == ListingState::Open),
                *k,
            );
            let profile = p.map(|p| PROFILES[p]);
            match listing::buy(w, ACCOUNTS[*a], i, profile) {
                Err(e) if e.reason == "not_fixed_price" => {
                    listing::accept_push(w, ACCOUNTS[*a], i, profile).map(|_| ())
                }
                r => r.map(|_| ()),
            }
        }
        Op::Deliver(k) => {
            let i = nth(
                w.market
                    .orders
                    .iter()
                    .map(|o| o.state == regsim::model::OrderState::AwaitingDelivery),
                *k,
            );
            let seller = w.market.orders.get(i as usize).map_or("s1", |o| {
                ACCOUNTS
                    .iter()
                    .find(|x| w.account_id(x) == Some(o.seller))
                    .copied()
                    .unwrap_or("s1")
            });
            order::deliver(w, seller, i)
        }
        Op::Push(d, to) => ownership::push_domain(w, holder(w, *d), DOMAINS[*d], ACCOUNTS[*to]),
        Op::Backorder(a, d) => backorder::backorder(w, ACCOUNTS[*a], DOMAINS[*d]),
        Op::CancelBackorder(a, d) => backorder::cancel_backorder(w, ACCOUNTS[*a], DOMAINS[*d]),
        // The holder's code at home, or the foreign registrar's for a domain elsewhere.
        Op::AuthCode(d) => match transfer::auth_code(w, holder(w, *d), DOMAINS[*d]) {
            Err(e) if e.reason == "not_sponsoring_registrar" => {
                transfer::foreign_auth_code(w, DOMAINS[*d]).map(|_| ())
            }
            r => r.map(|_| ()),
        },
        Op::TransferIn(a) => {
            let code = code_of(w, "away.com");
            transfer::transfer_in(w, ACCOUNTS[*a], "away.com", &code)
        }
        Op::TransferOut(d) => {
            let code = code_of(w, DOMAINS[*d]);
            transfer::request_transfer_out(w, DOMAINS[*d], "rival", &code)
        }
        Op::Delete(d) => ops::delete(w, holder(w, *d), DOMAINS[*d]).map(|_| ()),
        Op::Restore(d) => ops::restore(w, holder(w, *d), DOMAINS[*d]).map(|_| ()),
        Op::Failures(p) => {
            regsim::dispatch::set_policy(w, "rules.auto_transfer_failure_percent", (*p).into())
        }
        Op::Advance(s) => {
            let t = w.now().add_secs(*s);
            regsim::dispatch::advance_to(w, t).map(|_| ())
        }
    }
}

/// Each live domain's locks before a step, by name.
fn locks(w: &World) -> Vec<(u32, [bool; 3])> {
    w.live_domains()
        .map(|(_, d)| {
            (
                d.name,
                [
                    d.locks.has(Lock::Transfer),
                    d.locks.has(Lock::Update),
                    d.locks.has(Lock::Delete),
                ],
            )
        })
        .collect()
}

fn invariants(
    w: &World,
    op: &Op,
    from: usize,
    locks_before: &[(u32, [bool; 3])],
) -> Result<(), TestCaseError> {
    prop_assert_eq!(w.ledger.sum(), 0, "money is conserved");
    prop_assert_eq!(
        w.ledger.balance(Book::Escrow),
        w.escrow_owed(),
        "escrow holds exactly what is owed after {:?}",
        op
    );
    // Every registrant change has exactly one audit entry.
    let events: Vec<_> = w.log.events().collect();
    let changes = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::RegistrantChanged { .. }))
        .count();
    let audited = w
        .audit
        .iter()
        .filter(|a| a.action == DataAction::SetRegistrant)
        .count();
    prop_assert_eq!(changes, audited, "registrant changes against audit entries");
    // No change of this step went through a lock that forbids it.
    let had = |name: u32, lock: usize| locks_before.iter().any(|(n, l)| *n == name && l[lock]);
    for e in &events[from..] {
        match &e.kind {
            EventKind::RegistrantChanged { domain, .. } => {
                prop_assert!(
                    !had(*domain, 1),
                    "{:?} changed a registrant under the update lock",
                    op
                )
            }
            EventKind::Deleted { domain, .. } => {
                prop_assert!(!had(*domain, 2), "{:?} deleted under the delete lock", op)
            }
            EventKind::TransferRequested { domain, .. } => {
                prop_assert!(
                    !had(*domain, 0),
                    "{:?} transferred under the transfer lock",
                    op
                )
            }
            _ => {}
        }
    }
    // Watchers were told of every phase change of a watched name in this step.
    let fan = w.account_id("fan").unwrap();
    for e in &events[from..] {
        let (domain, change) = match &e.kind {
            EventKind::PhaseEntered {
                domain,
                phase: Phase::Grace,
            } => (*domain, WatchChange::Grace),
            EventKind::PhaseEntered {
                domain,
                phase: Phase::Redemption,
            } => (*domain, WatchChange::Redemption),
            EventKind::Restored { domain, .. } => (*domain, WatchChange::Restored),
            EventKind::Released { domain } => (*domain, WatchChange::Released),
            _ => continue,
        };
        let told = events[from..].iter().any(|n| {
            matches!(&n.kind, EventKind::Notified { account, domain: Some(d), notice: Notice::Watch(c), .. }
                if *account == fan && *d == domain && *c == change)
        });
        prop_assert!(
            told,
            "the watcher missed {:?} of {} after {:?}",
            change,
            w.names[domain].to_string(),
            op
        );
    }
    // An individual registrant is redacted unless the current registrant's holder
    // chose to publish after the registrant last changed.
    for (id, d) in w.live_domains() {
        let Some(p) = d.profile.get() else { continue };
        if d.registrar != 0 || !w.profiles[p as usize].organization.is_empty() {
            continue;
        }
        if registrant::privacy_on(w, id) {
            continue;
        }
        let since = d.created.get();
        let last = |action: DataAction| {
            w.audit
                .iter()
                .rposition(|a| a.domain == d.name && a.at >= since && a.action == action)
        };
        let chose = match (
            last(DataAction::SetPrivacy),
            last(DataAction::SetRegistrant),
        ) {
            (Some(p), Some(r)) => p > r,
            (Some(_), None) => true,
            _ => false,
        };
        prop_assert!(
            chose,
            "{} publishes an individual nobody chose to publish",
            w.names[d.name].to_string()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn automatic_paths_obey_the_rules_of_the_hand_made_ones(ops in proptest::collection::vec(op(), 20..80)) {
        let mut w = load_str("p.yaml", FIXTURE, LoadOptions::default()).unwrap();
        for d in DOMAINS {
            ops::watch::watch(&mut w, "fan", d, true).unwrap();
        }
        for op in &ops {
            let before = regsim::snapshot::to_bytes(&w).unwrap();
            let locks_before = locks(&w);
            let from = w.log.kept() as usize;
            if apply(&mut w, op).is_err() {
                prop_assert!(regsim::snapshot::to_bytes(&w).unwrap() == before, "refused {:?} changed the world", op);
            }
            invariants(&w, op, from, &locks_before)?;
        }
        let from = w.log.kept() as usize;
        let locks_before = locks(&w);
        regsim::dispatch::advance(&mut w, "120d").unwrap();
        invariants(&w, &Op::Advance(120 * 86_400), from, &locks_before)?;
        prop_assert!(w.market.orders.iter().all(|o| !o.state.is_open()));
    }
}
