//! Lifecycle at scale: registering N domains, and advancing the clock five years
//! through their reminders, expiries, auto-renewals, redemptions and releases.
//!
//! Run with `cargo bench --bench lifecycle`.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use regsim::World;
use regsim::fixture::{LoadOptions, default_world};
use regsim::model::AccountKind;
use regsim::ops::{self, RegisterOptions};
use std::hint::black_box;

const TLDS: [&str; 5] = ["com", "net", "org", "xyz", "cn"];

/// A world with `n` domains registered over the first year by 100 accounts, half on
/// auto-renew, terms of 1 to 3 years.
fn portfolio(n: usize) -> World {
    let mut w = default_world(LoadOptions::default());
    for a in 0..100 {
        ops::open_account(
            &mut w,
            &format!("acct{a}"),
            AccountKind::Customer,
            1_000_000_000_000,
        )
        .unwrap();
    }
    register_all(&mut w, n);
    w
}

fn register_all(w: &mut World, n: usize) {
    let per_day = n.div_ceil(365).max(1);
    for i in 0..n {
        if i > 0 && i % per_day == 0 {
            regsim::dispatch::advance(w, "1d").unwrap();
        }
        let opts = RegisterOptions {
            profile: None,
            auto_renew: i % 2 == 0,
        };
        let name = format!("name{i}.{}", TLDS[i % TLDS.len()]);
        ops::register(
            w,
            &format!("acct{}", i % 100),
            &name,
            1 + (i % 3) as i64,
            &opts,
        )
        .unwrap();
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("lifecycle");
    g.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("register", n), &n, |b, &n| {
            b.iter_batched(
                || portfolio(0),
                |mut w| {
                    register_all(&mut w, n);
                    black_box(w.log.count())
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_with_input(BenchmarkId::new("advance_5y", n), &n, |b, &n| {
            b.iter_batched(
                || portfolio(n),
                |mut w| {
                    regsim::dispatch::advance(&mut w, "5y").unwrap();
                    black_box(w.digest())
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
