//! Property tests over random operation sequences: the ledger stays balanced, no
//! wallet goes below zero, every domain's phase matches its expiry and policy, a
//! refused operation changes nothing (not even the digest), the same sequence
//! gives the same digest, and the timer queue drains like a sorted set.

use proptest::prelude::*;
use regsim::fixture::{LoadOptions, default_world};
use regsim::model::{Book, Phase, World};
use regsim::ops::{self, RegisterOptions, views};
use regsim::sim::Time;
use std::collections::BTreeMap;

const ACTORS: [&str; 4] = ["a", "b", "c", "a/ops"];
const NAMES: [&str; 6] = [
    "one.com", "two.net", "three.cn", "four.xyz", "five.com", "six.org",
];
const LOCKS: [&str; 4] = ["transfer", "update", "delete", "bogus"];

#[derive(Clone, Debug)]
enum Op {
    Register(usize, usize, i64, bool),
    Renew(usize, usize, i64),
    Restore(usize, usize),
    Delete(usize, usize),
    AutoRenew(usize, usize, bool),
    Lock(usize, usize, usize, bool),
    Deposit(usize, i64),
    Advance(i64),
    Grace(u32),
}

fn op() -> impl Strategy<Value = Op> {
    let actor = 0..ACTORS.len();
    let name = 0..NAMES.len();
    prop_oneof![
        (actor.clone(), name.clone(), -1i64..12, any::<bool>())
            .prop_map(|(a, n, y, r)| Op::Register(a, n, y, r)),
        (actor.clone(), name.clone(), -1i64..12).prop_map(|(a, n, y)| Op::Renew(a, n, y)),
        (actor.clone(), name.clone()).prop_map(|(a, n)| Op::Restore(a, n)),
        (actor.clone(), name.clone()).prop_map(|(a, n)| Op::Delete(a, n)),
        (actor.clone(), name.clone(), any::<bool>()).prop_map(|(a, n, o)| Op::AutoRenew(a, n, o)),
        (actor.clone(), name.clone(), 0..LOCKS.len(), any::<bool>())
            .prop_map(|(a, n, l, o)| Op::Lock(a, n, l, o)),
        (0..3usize, -100i64..40_000).prop_map(|(a, m)| Op::Deposit(a, m)),
        (0i64..120 * 86_400).prop_map(Op::Advance),
        (0u32..40).prop_map(Op::Grace),
    ]
}

fn world() -> World {
    let mut w = default_world(LoadOptions::default());
    ops::open_account(&mut w, "a", regsim::model::AccountKind::Customer, 60_000).unwrap();
    ops::open_account(&mut w, "b", regsim::model::AccountKind::Customer, 30_000).unwrap();
    ops::open_account(&mut w, "c", regsim::model::AccountKind::Customer, 0).unwrap();
    let a = w.account_id("a").unwrap();
    w.accounts[a as usize]
        .ram_users
        .push(regsim::model::RamUser {
            name: "ops".into(),
            permissions: vec![regsim::model::Permission::Renew],
        });
    w
}

/// Applies an op; returns whether it was accepted, and records deletions outside add
/// grace (needed to derive phases independently).
fn apply(w: &mut World, op: &Op, deleted: &mut BTreeMap<String, Time>) -> bool {
    match op {
        Op::Register(a, n, y, r) => {
            let opts = RegisterOptions {
                profile: None,
                auto_renew: *r,
            };
            let ok = ops::register(w, ACTORS[*a], NAMES[*n], *y, &opts).is_ok();
            if ok {
                deleted.remove(NAMES[*n]);
            }
            ok
        }
        Op::Renew(a, n, y) => ops::renew(w, ACTORS[*a], NAMES[*n], *y).is_ok(),
        Op::Restore(a, n) => {
            let ok = ops::restore(w, ACTORS[*a], NAMES[*n]).is_ok();
            if ok {
                deleted.remove(NAMES[*n]);
            }
            ok
        }
        Op::Delete(a, n) => match ops::delete(w, ACTORS[*a], NAMES[*n]) {
            Ok(0) => {
                deleted.insert(NAMES[*n].to_string(), w.now());
                true
            }
            Ok(_) => true,
            Err(_) => false,
        },
        Op::AutoRenew(a, n, on) => ops::set_auto_renew(w, ACTORS[*a], NAMES[*n], *on).is_ok(),
        Op::Lock(a, n, l, on) => ops::set_lock(w, ACTORS[*a], NAMES[*n], LOCKS[*l], *on).is_ok(),
        Op::Deposit(a, m) => ops::deposit(w, ACTORS[*a], *m).is_ok(),
        Op::Advance(s) => {
            let t = w.now().add_secs(*s);
            regsim::dispatch::advance_to(w, t).is_ok()
        }
        Op::Grace(d) => regsim::dispatch::set_policy(w, "tlds.com.grace_days", (*d).into()).is_ok(),
    }
}

/// The phase derived independently from the view's expiry and the policy.
fn expected_phase(w: &World, name: &str, expires: Time, deleted: Option<Time>) -> Phase {
    let tld = if name.ends_with(".cn") {
        "cn"
    } else {
        name.rsplit('.').next().unwrap()
    };
    let get = |f: &str| {
        views::policy(w, &format!("tlds.{tld}.{f}"))
            .unwrap()
            .as_i64()
            .unwrap()
    };
    let (grace, red, pd) = (
        get("grace_days"),
        get("redemption_days"),
        get("pending_delete_days"),
    );
    let now = w.now();
    let red_start = match deleted {
        Some(d) => d,
        None => {
            if now < expires {
                return Phase::Active;
            }
            if now < expires.add_days(grace) {
                return Phase::Grace;
            }
            expires.add_days(grace)
        }
    };
    if now < red_start.add_days(red) {
        Phase::Redemption
    } else if now < red_start.add_days(red + pd) {
        Phase::PendingDelete
    } else {
        Phase::Released
    }
}

fn check_invariants(w: &World, deleted: &BTreeMap<String, Time>) -> Result<(), TestCaseError> {
    prop_assert_eq!(w.ledger.sum(), 0, "ledger balanced");
    for a in 0..w.accounts.len() as u32 {
        prop_assert!(
            w.ledger.balance(Book::Wallet(a)) >= 0,
            "wallet {} negative",
            a
        );
    }
    for name in NAMES {
        let available = ops::check(w, name).unwrap().available;
        match views::domain_view(w, name) {
            Ok(v) => {
                prop_assert!(!available);
                let expires = Time::parse(&v.expires).unwrap();
                let want = expected_phase(w, name, expires, deleted.get(name).copied());
                prop_assert_ne!(want, Phase::Released, "{} should have been released", name);
                prop_assert_eq!(v.phase.as_str(), want.as_str(), "phase of {}", name);
                prop_assert!(expires <= w.now().add_years(10) || v.phase != "active");
            }
            Err(r) => {
                prop_assert_eq!(r.reason.as_str(), "no_such_domain");
                prop_assert!(available);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_over_random_operations(ops in proptest::collection::vec(op(), 1..60)) {
        let mut w = world();
        let mut deleted = BTreeMap::new();
        for op in &ops {
            let before = regsim::snapshot::to_bytes(&w).unwrap();
            let digest = w.log.digest();
            let accepted = apply(&mut w, op, &mut deleted);
            if !accepted {
                prop_assert_eq!(w.log.digest(), digest, "refused {:?} logged an event", op);
                prop_assert!(regsim::snapshot::to_bytes(&w).unwrap() == before, "refused {:?} changed the world", op);
            }
            check_invariants(&w, &deleted)?;
        }
    }

    #[test]
    fn same_operations_same_digest(ops in proptest::collection::vec(op(), 1..40)) {
        let run = || {
            let mut w = world();
            let mut deleted = BTreeMap::new();
            for op in &ops {
                apply(&mut w, op, &mut deleted);
            }
            (w.log.digest(), regsim::snapshot::to_bytes(&w).unwrap())
        };
        prop_assert!(run() == run());
    }

    #[test]
    fn snapshot_round_trip_continues_identically(ops in proptest::collection::vec(op(), 1..30), split in 0usize..30) {
        let mut straight = world();
        let mut d1 = BTreeMap::new();
        let mut resumed = world();
        let mut d2 = BTreeMap::new();
        for (i, op) in ops.iter().enumerate() {
            if i == split {
                resumed = regsim::snapshot::from_bytes(&regsim::snapshot::to_bytes(&resumed).unwrap()).unwrap();
            }
            apply(&mut straight, op, &mut d1);
            apply(&mut resumed, op, &mut d2);
        }
        prop_assert_eq!(straight.log.digest(), resumed.log.digest());
    }
}

/// One step against the timer queue: schedule a timer this many seconds from the
/// cursor (negative: in the past), or move the cursor on and drain what is due.
#[derive(Clone, Debug)]
enum TimerOp {
    Schedule(i64, u8),
    /// Many timers at once over the next two days (a day bucket long enough to be
    /// sorted by counting passes).
    Burst(Vec<i64>),
    Drain(i64),
}

fn timer_op() -> impl Strategy<Value = TimerOp> {
    prop_oneof![
        3 => (-4 * 86_400i64..9 * 86_400, 0u8..4).prop_map(|(s, k)| TimerOp::Schedule(s, k)),
        // Often several timers at one instant (ties break by key, kind and target).
        1 => (0i64..3, 0u8..4).prop_map(|(s, k)| TimerOp::Schedule(s * 3_600, k)),
        1 => (0i64..3 * 86_400).prop_map(TimerOp::Drain),
        1 => proptest::collection::vec(0i64..2 * 86_400, 250..400).prop_map(TimerOp::Burst),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The day-bucketed queue (16-byte timers, a heap for timers scheduled into the day
    /// being drained, another for past times) drains exactly like a sorted set of
    /// (time, key, kind, target): the canonical order, whatever the scheduling order
    /// (keys are drawn so that many collide, and later timers often get smaller keys).
    #[test]
    fn timers_drain_in_canonical_order(ops in proptest::collection::vec(timer_op(), 1..120)) {
        use regsim::sim::Timers;
        use std::collections::BTreeSet;
        let start = Time::parse("2026-03-01T10:00:00Z").unwrap();
        let mut queue = Timers::new(start);
        let mut model: BTreeSet<(Time, u32, u8, u32)> = BTreeSet::new();
        let mut cursor = start;
        let mut next = 0u32;
        let key_of = |n: u32| (n.wrapping_mul(2_654_435_761) >> 27) % 7;
        for op in ops {
            match op {
                TimerOp::Schedule(secs, kind) => {
                    let at = cursor.add_secs(secs);
                    queue.schedule(at, key_of(next), kind, next, 7);
                    model.insert((at, key_of(next), kind, next));
                    next += 1;
                }
                TimerOp::Burst(offsets) => {
                    for secs in offsets {
                        let at = cursor.add_secs(secs);
                        queue.schedule(at, key_of(next), 1, next, 7);
                        model.insert((at, key_of(next), 1, next));
                        next += 1;
                    }
                }
                TimerOp::Drain(secs) => {
                    cursor = cursor.add_secs(secs);
                    while let Some(t) = queue.pop_due(cursor) {
                        let first = model.pop_first().expect("the model has it too");
                        prop_assert_eq!((t.at, t.key(), t.kind(), t.target), first);
                        prop_assert_eq!(t.generation, 7);
                    }
                    prop_assert!(model.first().is_none_or(|(at, _, _, _)| *at > cursor));
                }
            }
            prop_assert_eq!(queue.len(), model.len());
            prop_assert_eq!(queue.peek_time(), model.first().map(|(at, _, _, _)| *at));
        }
    }
}
