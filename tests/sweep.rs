//! Sweeps: the same study twice writes identical files; sharded and merged results
//! equal the unsharded ones; bad studies are refused with exit code 2.

use std::path::{Path, PathBuf};
use std::process::Command;

fn regsim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(args)
        .output()
        .expect("regsim runs")
}

fn out(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regsim-sweep-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

const STUDY: &str = "tests/data/study/study.yaml";

#[test]
fn same_study_same_files() {
    let (a, b) = (out("a"), out("b"));
    for (dir, jobs) in [(&a, "1"), (&b, "2")] {
        let o = regsim(&[
            "sweep",
            STUDY,
            "--out",
            dir.to_str().unwrap(),
            "--jobs",
            jobs,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in ["runs.csv", "monthly.csv", "summary.csv", "chart_drops.svg"] {
        assert_eq!(read(&a, f), read(&b, f), "{f} differs between runs");
    }
    let runs = read(&a, "runs.csv");
    let lines: Vec<&str> = runs.lines().collect();
    assert_eq!(lines.len(), 1 + 3 * 4, "a row per variant and seed");
    assert!(lines[0].starts_with("variant,seed,tlds.com.restore,tlds.com.grace_days,rules.commission_bps,revenue.total,restores,drops,domains.active,auctions.sold,regsim_version"), "{}", lines[0]);
    assert!(lines[1].starts_with("baseline,1,,,,"));
    assert!(lines[5].starts_with("dear_restore,1,200000,,,"));
    let summary = read(&a, "summary.csv");
    assert!(summary.starts_with(
        "variant,metric,mean,ci_low,ci_high,diff_from_first,diff_ci_low,diff_ci_high\n"
    ));
    assert!(summary.contains("\nbaseline,drops,"));
    assert!(read(&a, "chart_revenue_total.svg").starts_with("<svg"));
    // The printed table is the summary.
    let o = regsim(&["sweep", STUDY, "--out", a.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("short_grace"));
}

#[test]
fn sharded_and_merged_equal_unsharded() {
    let whole = out("whole");
    let o = regsim(&["sweep", STUDY, "--out", whole.to_str().unwrap()]);
    assert!(o.status.success());
    let (s1, s2, merged) = (out("s1"), out("s2"), out("merged"));
    for (dir, shard) in [(&s1, "1/2"), (&s2, "2/2")] {
        let o = regsim(&[
            "sweep",
            STUDY,
            "--out",
            dir.to_str().unwrap(),
            "--shard",
            shard,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_ne!(
        read(&s1, "runs.csv"),
        read(&whole, "runs.csv"),
        "a shard holds only part"
    );
    let o = regsim(&[
        "merge",
        s2.to_str().unwrap(),
        s1.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "runs.csv",
        "monthly.csv",
        "summary.csv",
        "chart_restores.svg",
    ] {
        assert_eq!(
            read(&merged, f),
            read(&whole, f),
            "{f}: merged differs from unsharded"
        );
    }
}

#[test]
fn bad_studies_exit_2() {
    let o = regsim(&[
        "sweep",
        "tests/data/study/bad_metric.yaml",
        "--out",
        out("bad1").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`revenue.everything` is not a metric"));
    let o = regsim(&[
        "sweep",
        "tests/data/study/bad_key.yaml",
        "--out",
        out("bad2").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("nonsense"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = regsim(&["sweep", STUDY, "--shard", "3/2"]);
    assert_eq!(o.status.code(), Some(2));
    let o = regsim(&["sweep", "tests/data/study/missing.yaml"]);
    assert_eq!(o.status.code(), Some(2));
}
