//! A bounded fuzz run (proptest over byte strings, part of `cargo test` and so of CI) of
//! the readers of untrusted files: the snapshot decoder — including bodies damaged
//! behind a valid checksum, so that the checks of every reference are exercised, not
//! only the checksum — the fixture and study readers, and merge's CSV reader. None may
//! panic; a world a damaged snapshot yields must run on.

use proptest::prelude::*;
use regsim::fixture::{LoadOptions, load_str};
use regsim::ops;
use regsim::snapshot;

const FIXTURE: &str = r#"
registrars: [rival]
accounts:
  - { id: li, balance: 1000000, ram_users: { ops: [read] } }
  - { id: wang, balance: 1000000 }
profiles:
  - { id: li, owner: li, name: Li Lei, email: li@example.cn, country: CN, real_name: verified }
domains:
  - { name: a.com, owner: li, profile: li, created: 2025-05-01, years: 2, locks: [update] }
  - { name: b.cn, owner: wang, created: 2025-05-01, expires: 2026-01-20 }
  - { name: c.com, owner: wang, registrar: rival, created: 2024-01-01, years: 3, auth_code: x }
"#;

/// A small world with something of everything: domains, a listing with bids, an order,
/// a backorder, a transfer, audit entries and notifications.
fn world() -> regsim::model::World {
    let mut w = load_str("f.yaml", FIXTURE, LoadOptions::default()).unwrap();
    regsim::dispatch::advance(&mut w, "2d").unwrap();
    let input = regsim::market::listing::ListingInput {
        kind: "auction".into(),
        start_price: Some(1000),
        duration: Some("1d".into()),
        ..Default::default()
    };
    ops::set_lock(&mut w, "li", "a.com", "update", false).unwrap();
    let lid = regsim::market::listing::list_for_sale(&mut w, "li", "a.com", &input).unwrap();
    regsim::market::auction::bid(&mut w, "wang", lid.into(), 5000).unwrap();
    ops::watch::watch(&mut w, "li", "b.cn", true).unwrap();
    ops::transfer::transfer_in(&mut w, "li", "c.com", "x").unwrap();
    regsim::dispatch::advance(&mut w, "40d").unwrap();
    w
}

/// Re-frames a snapshot body: the magic, the body's length, the body, its checksum.
fn framed(magic: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
    let hash = blake3::hash(&out);
    out.extend_from_slice(hash.as_bytes());
    out
}

/// Uses a world that decoded: views of every domain, then a year of time.
fn exercise(mut w: regsim::model::World) {
    let names: Vec<String> = w
        .live_domains()
        .map(|(_, d)| w.names[d.name].to_string())
        .collect();
    for n in &names {
        let _ = ops::views::domain_view(&w, n);
        let _ = ops::views::whois(&w, n);
    }
    let _ = ops::views::ledger_view(&w);
    let _ = regsim::dispatch::advance(&mut w, "1y");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn snapshot_bodies_damaged_behind_a_valid_checksum_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let bytes = snapshot::to_bytes(&world()).unwrap();
        let (magic, rest) = bytes.split_at(8);
        let mut body = rest[8..rest.len() - 32].to_vec();
        for (at, value) in &edits {
            let i = at.index(body.len());
            body[i] = *value;
        }
        if let Ok(w) = snapshot::from_bytes(&framed(magic, &body)) {
            exercise(w);
        }
    }

    #[test]
    fn arbitrary_bytes_are_no_snapshot(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        prop_assert!(snapshot::from_bytes(&bytes).is_err());
    }

    #[test]
    fn arbitrary_text_never_panics_the_fixture_or_study_reader(text in "\\PC{0,300}") {
        let _ = load_str("f.yaml", &text, LoadOptions::default());
        let dir = std::env::temp_dir().join(format!("regsim-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let study = dir.join("study.yaml");
        std::fs::write(&study, &text).unwrap();
        let _ = regsim::fixture::read_yaml::<regsim::whatif::sweep::Study>(&study);
    }

    #[test]
    fn damaged_sweep_outputs_never_panic_merge(
        runs in "\\PC{0,200}",
        monthly in "\\PC{0,200}",
        keep_header in any::<bool>(),
    ) {
        let dir = std::env::temp_dir().join(format!("regsim-fuzz-merge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("study.json"),
            r#"{"fixture":"f.yaml","horizon":"1y","until":null,"seeds":2,"variants":{"a":{},"b":{"tlds.com.grace_days":10}},"metrics":["drops","restores"]}"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("source.json"),
            r#"{"fixture_blake3":"00","regsim_version":"0.1.0"}"#,
        )
        .unwrap();
        let (rh, mh) = if keep_header {
            ("variant,seed,tlds.com.grace_days,drops,restores,regsim_version\n", "variant,seed,month,drops,restores\n")
        } else {
            ("", "")
        };
        std::fs::write(dir.join("runs.csv"), format!("{rh}{runs}")).unwrap();
        std::fs::write(dir.join("monthly.csv"), format!("{mh}{monthly}")).unwrap();
        let _ = regsim::whatif::sweep::merge(std::slice::from_ref(&dir), regsim::whatif::sweep::MAX_RUNS);
    }
}
