//! Sweeps: the same study twice writes identical files; sharded and merged results
//! equal the unsharded ones; bad studies are refused with exit code 2.

use crate::common::{self, regsim};

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Runs `regsim sweep STUDY --out DIR/o` with more arguments.
fn sweep_into(study: &Path, dir: &Path, more: &[&str]) -> std::process::Output {
    let out = dir.join("o");
    let mut args = vec![
        "sweep",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(more);
    regsim(&args)
}

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

/// Runs the 3-shard sweep of the test study into fresh folders.
fn shards(tag: &str) -> Vec<PathBuf> {
    (1..=3)
        .map(|i| {
            let dir = out(&format!("{tag}-{i}"));
            let o = regsim(&[
                "sweep",
                STUDY,
                "--out",
                dir.to_str().unwrap(),
                "--shard",
                &format!("{i}/3"),
            ]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            dir
        })
        .collect()
}

fn merge(dirs: &[&Path]) -> (i32, String) {
    let target = out("merge-target");
    let mut args = vec!["merge"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    args.extend(["--out", target.to_str().unwrap()]);
    let o = regsim(&args);
    let code = o.status.code().unwrap_or(-1);
    if code != 0 {
        assert!(
            !target.join("runs.csv").exists(),
            "a refused merge wrote outputs"
        );
    }
    (code, String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The CSV text with field `i` of its first data row replaced.
fn set_field(text: &str, i: usize, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut f: Vec<&str> = lines[1].split(',').collect();
    f[i] = value;
    lines[1] = f.join(",");
    lines.join("\n") + "\n"
}

#[test]
fn merge_refuses_shards_that_are_not_exactly_one_study() {
    let d = shards("one-study");
    let (a, b, c) = (d[0].as_path(), d[1].as_path(), d[2].as_path());
    assert_eq!(merge(&[a, b, c]).0, 0);
    // Two of three shards (seeds 1 and 4, and seed 2): the runs of seed 3 are named.
    let (code, err) = merge(&[a, b]);
    assert_eq!(code, 2);
    assert!(
        err.contains("3 runs are missing") && err.contains("seed 3"),
        "{err}"
    );
    // The same shard twice.
    let (code, err) = merge(&[a, a, b, c]);
    assert_eq!(code, 2);
    assert!(err.contains("is in both"), "{err}");
    // A row cut short, a number that is not one, a negative count, a stray variant, a
    // monthly row of no run.
    type Edit = fn(&str) -> String;
    let edits: [(&str, Edit, &str); 5] = [
        (
            "runs.csv",
            |t| t[..t.len() - 9].to_string(),
            "fields where the study writes",
        ),
        ("runs.csv", |t| set_field(t, 5, "zero"), "is not a number"),
        (
            "runs.csv",
            // The first row's `drops` (after variant, seed, 3 overrides, revenue, restores).
            |t| set_field(t, 7, "-3"),
            "drops is a count and cannot be -3",
        ),
        (
            "runs.csv",
            |t| t.replacen("\nbaseline,", "\nnobody,", 1),
            "is not a run of this study",
        ),
        (
            "monthly.csv",
            |t| format!("{t}ghost,99,2026-01,1,2,3,4,5\n"),
            "has no row in runs.csv",
        ),
    ];
    for (file, edit, says) in edits {
        let broken = shards("broken");
        let path = broken[0].join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(&text)).unwrap();
        let (code, err) = merge(&[&broken[0], &broken[1], &broken[2]]);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(err.contains(says) && err.contains(file), "{file}: {err}");
    }
}

#[test]
fn studies_that_ask_for_too_much_or_a_seed_twice_are_refused() {
    let dir = out("too-much");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("tests/data/study/small.yaml", dir.join("small.yaml")).unwrap();
    for (seeds, says) in [
        ("18446744073709551615", "more than the"),
        ("1000000000", "more than the"),
        ("[1, 1, 2]", "listed twice"),
    ] {
        let study = dir.join("s.yaml");
        std::fs::write(
            &study,
            format!("fixture: small.yaml\nhorizon: 1y\nseeds: {seeds}\nvariants:\n  a: {{}}\n"),
        )
        .unwrap();
        let o = regsim(&[
            "sweep",
            study.to_str().unwrap(),
            "--out",
            dir.join("o").to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{seeds}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{seeds}: {err}");
    }
    // The bound is the user's to raise.
    let study = dir.join("s.yaml");
    std::fs::write(
        &study,
        "fixture: small.yaml\nhorizon: 30d\nseeds: 3\nvariants:\n  a: {}\n",
    )
    .unwrap();
    let o = sweep_into(&study, &dir, &["--max-runs", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--max-runs"));
    let o = sweep_into(&study, &dir, &["--max-runs", "3"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn charts_parse_whatever_the_variants_are_called() {
    let dir = out("escaped");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("tests/data/study/small.yaml", dir.join("small.yaml")).unwrap();
    let study = dir.join("s.yaml");
    std::fs::write(
        &study,
        "fixture: small.yaml\nhorizon: 90d\nseeds: 2\nvariants:\n  \"R&D <new>\": {}\n  'say \"hi\"': { tlds.com.grace_days: 10 }\nmetrics: [revenue.total, drops]\n",
    )
    .unwrap();
    let o = sweep_into(&study, &dir, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut charts = 0;
    for e in std::fs::read_dir(dir.join("o")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{} is not well-formed: {e}", path.display()));
            assert!(
                doc.descendants()
                    .any(|n| n.text().is_some_and(|t| t.contains("R&D <new>"))),
                "{} lost the variant's name",
                path.display()
            );
            charts += 1;
        }
    }
    assert_eq!(charts, 4, "a chart and a difference chart per metric");
}

#[test]
fn merge_refuses_a_shard_run_after_the_fixture_changed() {
    let dir = out("changed");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("tests/data/study/small.yaml", dir.join("small.yaml")).unwrap();
    std::fs::copy(STUDY, dir.join("study.yaml")).unwrap();
    let study = dir.join("study.yaml");
    let shard = |i: &str| {
        let o = dir.join(format!("shard{}", &i[..1]));
        let r = regsim(&[
            "sweep",
            study.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
            "--shard",
            i,
        ]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        o
    };
    let first = shard("1/2");
    let fixture = std::fs::read_to_string(dir.join("small.yaml")).unwrap();
    std::fs::write(dir.join("small.yaml"), fixture + "\n# edited\n").unwrap();
    let second = shard("2/2");
    let (code, err) = merge(&[&first, &second]);
    assert_eq!(code, 2);
    assert!(err.contains("another fixture"), "{err}");
}

fn study_in(dir: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy("tests/data/study/small.yaml", dir.join("small.yaml")).unwrap();
    let study = dir.join("s.yaml");
    std::fs::write(&study, text).unwrap();
    study
}

#[test]
fn monthly_flows_add_up_to_the_totals() {
    // A horizon on a month start (its instant's events) and one inside a month (the
    // partial month) both end in a last, partial row.
    for horizon in ["horizon: 1y", "horizon: 7mo", "until: 2026-06-15"] {
        let dir = out("addup");
        let study = study_in(
            &dir,
            &format!(
                "fixture: small.yaml\n{horizon}\nseeds: 2\nvariants:\n  a: {{}}\nmetrics: [revenue.total, renewals, restores, drops, domains.active]\n"
            ),
        );
        let o = regsim(&[
            "sweep",
            study.to_str().unwrap(),
            "--out",
            dir.join("o").to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let runs = read(&dir.join("o"), "runs.csv");
        let monthly = read(&dir.join("o"), "monthly.csv");
        for row in runs.lines().skip(1) {
            let f: Vec<&str> = row.split(',').collect();
            let (seed, totals) = (f[1], &f[2..7]);
            let rows: Vec<Vec<i64>> = monthly
                .lines()
                .skip(1)
                .map(|l| l.split(',').collect::<Vec<_>>())
                .filter(|l| l[1] == seed)
                .map(|l| l[3..].iter().map(|v| v.parse().unwrap()).collect())
                .collect();
            // Flows (every metric but the level domains.active) add up.
            for (m, total) in totals.iter().enumerate().take(4) {
                let sum: i64 = rows.iter().map(|r| r[m]).sum();
                assert_eq!(
                    sum.to_string(),
                    *total,
                    "{horizon}: metric {m} of seed {seed}"
                );
            }
            // The level's last row is the level at the horizon.
            assert_eq!(rows.last().unwrap()[4].to_string(), totals[4], "{horizon}");
        }
    }
}

#[test]
fn one_seed_has_no_interval_and_short_horizons_are_refused() {
    let dir = out("one-seed");
    let study = study_in(
        &dir,
        "fixture: small.yaml\nhorizon: 6mo\nseeds: 1\nvariants:\n  a: {}\n  b: { tlds.com.grace_days: 10 }\nmetrics: [drops]\n",
    );
    let o = regsim(&[
        "sweep",
        study.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no confidence intervals"));
    let summary = read(&dir.join("o"), "summary.csv");
    for row in summary.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        assert!(
            f[3].is_empty() && f[4].is_empty() && f[6].is_empty() && f[7].is_empty(),
            "{row}"
        );
    }
    assert!(!String::from_utf8_lossy(&o.stdout).contains("± 0"));
    let short = study_in(
        &out("short"),
        "fixture: small.yaml\nhorizon: 6m\nseeds: 2\nvariants:\n  a: {}\n",
    );
    let o = regsim(&["sweep", short.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("6mo"));
}

#[test]
fn an_interrupted_sweep_resumes_to_the_same_outputs() {
    let dir = out("resume");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("f.yaml"),
        "start: 2026-01-01\ngenerate: { domains: 10000, accounts: 20 }\nbehaviour:\n  new_per_day: { com: 10 }\n",
    )
    .unwrap();
    let study = dir.join("s.yaml");
    std::fs::write(
        &study,
        "fixture: f.yaml\nhorizon: 1y\nseeds: 6\nvariants:\n  a: {}\n  b: { tlds.com.grace_days: 10 }\nmetrics: [drops, renewals]\n",
    )
    .unwrap();
    resumes_to_the_same_outputs(
        &dir,
        study.to_str().unwrap(),
        &[
            "runs.csv",
            "monthly.csv",
            "summary.csv",
            "source.json",
            "chart_drops.svg",
        ],
    );
    // A design study: the journal keeps each run's point.
    let design = dir.join("design");
    std::fs::create_dir_all(&design).unwrap();
    std::fs::copy(dir.join("f.yaml"), design.join("f.yaml")).unwrap();
    let study = design.join("s.yaml");
    std::fs::write(
        &study,
        "fixture: f.yaml\nhorizon: 1y\nseeds: 2\nvariants:\n  a: {}\n  b: { tlds.com.grace_days: 10 }\nparameters: { behaviour.renew_later: { low: 0.6, high: 0.9 } }\ndesign: { kind: morris, samples: 2 }\nmetrics: [drops, renewals]\n",
    )
    .unwrap();
    resumes_to_the_same_outputs(
        &design,
        study.to_str().unwrap(),
        &[
            "runs.csv",
            "monthly.csv",
            "design.csv",
            "point_summary.csv",
            "sensitivity.csv",
            "report.html",
        ],
    );
}

/// Runs `study` whole into `dir/whole`, then stops it with SIGKILL and with SIGINT once
/// two runs are in its journal, resumes it, and compares `files` with the whole run's.
fn resumes_to_the_same_outputs(dir: &Path, study: &str, files: &[&str]) {
    use std::process::{Command, Stdio};
    let whole = dir.join("whole");
    let o = regsim(&[
        "sweep",
        study,
        "--out",
        whole.to_str().unwrap(),
        "--jobs",
        "1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !whole.join("sweep.journal").exists(),
        "a finished sweep leaves no journal"
    );
    for signal in ["KILL", "INT"] {
        let cut = dir.join(format!("cut-{signal}"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_regsim"));
        // The sweep must die of SIGINT even where this test runs with SIGINT ignored (a
        // background job of a non-interactive shell, which passes that on to whatever
        // it starts).
        // SAFETY: `signal` is async-signal-safe, as a `pre_exec` hook must be.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut command, || {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = command
            .args([
                "sweep",
                study,
                "--out",
                cut.to_str().unwrap(),
                "--jobs",
                "1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Stop it once two runs are in its journal (the head is the first line).
        let journal = cut.join("sweep.journal");
        let started = std::time::Instant::now();
        while std::fs::read_to_string(&journal).map_or(0, |t| t.lines().count()) < 3 {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the sweep ended before it was stopped"
            );
            assert!(
                started.elapsed() < std::time::Duration::from_secs(120),
                "no run finished"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        child.wait().unwrap();
        assert!(
            !cut.join("runs.csv").exists(),
            "the outputs come only at the end"
        );
        // Without --resume the journal is not thrown away.
        let o = regsim(&["sweep", study, "--out", cut.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("--resume"));
        let o = regsim(&["sweep", study, "--out", cut.to_str().unwrap(), "--resume"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stderr).contains("resuming: "));
        for f in files {
            assert_eq!(
                read(&cut, f),
                read(&whole, f),
                "{signal}: {f} differs after resuming"
            );
        }
        assert!(!journal.exists());
    }
}

#[test]
fn resume_refuses_the_journal_of_another_study() {
    let dir = out("other-journal");
    std::fs::create_dir_all(dir.join("o")).unwrap();
    std::fs::write(
        dir.join("o").join("sweep.journal"),
        "{\"study\":{\"fixture\":\"x.yaml\",\"horizon\":\"1y\",\"until\":null,\"seeds\":2,\"variants\":{\"a\":{}},\"metrics\":[]},\"source\":{\"fixture_blake3\":\"00\",\"regsim_version\":\"0\"},\"shard\":null}\n",
    )
    .unwrap();
    let o = regsim(&[
        "sweep",
        STUDY,
        "--out",
        dir.join("o").to_str().unwrap(),
        "--resume",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("another study"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Runs the test study into a fresh folder and returns it.
fn swept(tag: &str) -> PathBuf {
    let dir = out(tag);
    let o = regsim(&["sweep", STUDY, "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

#[test]
fn the_report_and_every_chart_are_well_formed_and_titled() {
    let dir = swept("report");
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let report = read(&dir, "report.html");
    let doc = roxmltree::Document::parse_with_options(&report, options)
        .unwrap_or_else(|e| panic!("report.html is not well-formed: {e}"));
    let svgs = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
    assert_eq!(
        svgs,
        5 + 5,
        "a chart and a difference chart per metric, inline"
    );
    for m in [
        "revenue_total",
        "restores",
        "drops",
        "domains_active",
        "auctions_sold",
    ] {
        for prefix in ["chart", "chart_diff"] {
            let text = read(&dir, &format!("{prefix}_{m}.svg"));
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{prefix}_{m}.svg: {e}"));
            let texts: Vec<String> = doc
                .descendants()
                .filter_map(|n| n.text())
                .map(|t| t.trim().to_string())
                .collect();
            assert!(
                texts.iter().any(|t| t == "month"),
                "{prefix}_{m}: an x-axis title"
            );
            let money = m == "revenue_total";
            assert_eq!(
                texts.iter().any(|t| t.ends_with("(CNY)")),
                money,
                "{prefix}_{m}: money, and only money, in CNY"
            );
        }
    }
    assert!(report.contains("Differences from baseline"));
}

#[test]
fn the_report_renders_in_headless_chromium() {
    // Debian's chromium, which .ci/run installs.
    let dir = swept("chromium");
    let page = format!("file://{}", dir.join("report.html").display());
    let shot = dir.join("report.png");
    let chromium = |args: &[&str]| {
        std::process::Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                &format!("--user-data-dir={}", dir.join("profile").display()),
            ])
            .args(args)
            .output()
            .expect("chromium runs (install Debian's chromium package, as .ci/run does)")
    };
    let o = chromium(&[
        "--window-size=1000,1600",
        &format!("--screenshot={}", shot.display()),
        &page,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a screenshot with something on it"
    );
    let o = chromium(&["--dump-dom", &page]);
    let dom = String::from_utf8_lossy(&o.stdout);
    assert!(
        dom.contains("Differences from") && dom.matches("<svg").count() == 10,
        "the page as the browser built it"
    );
}

const SOBOL: &str = "tests/data/study/sobol.yaml";
const MORRIS: &str = "tests/data/study/morris.yaml";

/// A Python with SALib (the pinned versions of tests/data/salib/requirements.txt):
/// `REGSIM_SALIB_PYTHON`, or the virtual environment `target/salib-venv`.
fn salib_python() -> PathBuf {
    if let Some(p) = std::env::var_os("REGSIM_SALIB_PYTHON") {
        return PathBuf::from(p);
    }
    common::venv_python(
        "salib-venv",
        &["tests/data/salib/requirements.txt"],
        "SALib",
    )
}

/// sensitivity.csv as (output, metric, parameter) -> its four numbers (None for empty
/// cells), with the header's names.
type Indices = std::collections::BTreeMap<(String, String, String), Option<Vec<f64>>>;

fn sensitivity(dir: &Path) -> (Vec<String>, Indices) {
    let text = read(dir, "sensitivity.csv");
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let numbers = if f[3].is_empty() {
                None
            } else {
                Some(f[3..].iter().map(|x| x.parse::<f64>().unwrap()).collect())
            };
            ((f[0].into(), f[1].into(), f[2].into()), numbers)
        })
        .collect();
    (header[3..].to_vec(), rows)
}

/// The indices regsim wrote for a design study agree with SALib's, computed by SALib
/// from the same runs and design points: the estimates to the printed precision, the
/// bootstrap intervals (different resamples) within a quarter.
#[test]
fn sensitivity_agrees_with_salib_on_the_same_samples() {
    let python = salib_python();
    for (study, tag) in [(SOBOL, "salib-sobol"), (MORRIS, "salib-morris")] {
        let dir = out(tag);
        let o = regsim(&["sweep", study, "--out", dir.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let (names, ours) = sensitivity(&dir);
        let o = Command::new(&python)
            .args(["tests/data/salib/check.py", dir.to_str().unwrap()])
            .output()
            .expect("python runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut compared = 0;
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let key = (
                v["output"].as_str().unwrap().to_string(),
                v["metric"].as_str().unwrap().to_string(),
                v["parameter"].as_str().unwrap().to_string(),
            );
            let mine = ours
                .get(&key)
                .unwrap_or_else(|| panic!("{tag}: {key:?} is not in sensitivity.csv"))
                .as_ref()
                .unwrap_or_else(|| panic!("{tag}: {key:?} is empty in regsim, SALib has it"));
            for (name, got) in names.iter().zip(mine) {
                let want = v[name].as_f64().unwrap();
                if name.ends_with("_conf") {
                    assert!(
                        (got - want).abs() <= 0.25 * want.abs().max(*got) + 1e-3,
                        "{tag} {key:?} {name}: regsim {got}, SALib {want}"
                    );
                } else {
                    assert!(
                        (got - want).abs() <= 2e-6 * want.abs().max(1.0),
                        "{tag} {key:?} {name}: regsim {got}, SALib {want}"
                    );
                }
            }
            compared += 1;
        }
        // SALib leaves out the outputs that do not vary; regsim leaves their cells empty.
        let varying = ours.values().filter(|v| v.is_some()).count();
        assert_eq!(compared, varying, "{tag}: every varying output compared");
        assert!(compared >= 24, "{tag}: {compared} rows compared");
    }
}

/// A design study writes its points and, per run, the point and its parameter values;
/// the variants of a point differ only by the variant (common random numbers); sharded
/// and merged, and interrupted and resumed, it writes what one sweep writes.
#[test]
fn design_studies_write_points_and_merge_like_one_sweep() {
    let whole = out("design-whole");
    let o = regsim(&["sweep", SOBOL, "--out", whole.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let design = read(&whole, "design.csv");
    assert_eq!(design.lines().count(), 1 + 16 * 6, "N × (k + 2) points");
    assert!(design.starts_with("point,behaviour.renew_first,"));
    let runs = read(&whole, "runs.csv");
    assert_eq!(runs.lines().count(), 1 + 2 * 96 * 2);
    assert!(
        runs.starts_with("variant,point,seed,tlds.com.restore,behaviour.renew_first,"),
        "{runs}"
    );
    // Point 5's parameters are design.csv's row 5, in both variants.
    let row5: Vec<&str> = design.lines().nth(6).unwrap().split(',').collect();
    for variant in ["baseline,5,1,,", "cheap_restore,5,1,50000,"] {
        let line = runs.lines().find(|l| l.starts_with(variant)).unwrap();
        assert!(
            line.contains(&row5[1..5].join(",")),
            "{line} against {row5:?}"
        );
    }
    let points = read(&whole, "point_summary.csv");
    assert!(points.starts_with("point,variant,metric,mean,"));
    assert_eq!(points.lines().count(), 1 + 96 * 2 * 3);
    // Every sensitivity chart and the report parse, titled, with the charts inline.
    for m in ["revenue_total", "restores", "drops"] {
        let text = read(&whole, &format!("chart_sensitivity_{m}.svg"));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{m}: {e}"));
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        for want in [
            "parameter",
            "Sobol index (share of variance)",
            "restore_elasticity",
        ] {
            assert!(texts.iter().any(|t| t.trim() == want), "{m}: `{want}`");
        }
    }
    let report = read(&whole, "report.html");
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&report, options)
        .unwrap_or_else(|e| panic!("report.html is not well-formed: {e}"));
    let svgs = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
    assert_eq!(
        svgs,
        3 * 3,
        "per metric: a chart, a difference chart, a sensitivity chart"
    );
    assert!(report.contains("<h2>Sensitivity</h2>") && report.contains("<h2>Design</h2>"));

    let (s1, s2, merged) = (out("design-s1"), out("design-s2"), out("design-merged"));
    for (dir, shard) in [(&s1, "1/2"), (&s2, "2/2")] {
        let o = regsim(&[
            "sweep",
            SOBOL,
            "--out",
            dir.to_str().unwrap(),
            "--shard",
            shard,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            !dir.join("sensitivity.csv").exists(),
            "a shard has no indices"
        );
    }
    let o = regsim(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "runs.csv",
        "monthly.csv",
        "summary.csv",
        "design.csv",
        "point_summary.csv",
        "sensitivity.csv",
        "report.html",
    ] {
        assert_eq!(read(&merged, f), read(&whole, f), "{f}: merged differs");
    }
    // A hand-edited parameter value is refused, naming the line.
    let edited = runs.replacen(",0.", ",0.9", 1);
    std::fs::write(s1.join("runs.csv"), edited).unwrap();
    let (code, err) = merge(&[s1.as_path(), s2.as_path()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("runs.csv:2") && err.contains("not the design's"),
        "{err}"
    );
}

#[test]
fn grid_and_latin_hypercube_designs_have_their_points() {
    let dir = out("designs");
    for (design, points) in [
        ("{ kind: grid, levels: 3 }", 3 * 2),
        ("{ kind: lhs, samples: 5 }", 5),
    ] {
        let study = study_in(
            &dir,
            &format!(
                "fixture: small.yaml\nhorizon: 2mo\nseeds: 2\nvariants: {{ a: {{}} }}\nparameters:\n  behaviour.renew_later: {{ low: 0.5, high: 0.9 }}\n  tlds.com.restore: [50000, 150000]\ndesign: {design}\nmetrics: [restores]\n"
            ),
        );
        let o = sweep_into(&study, &dir, &[]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let d = read(&dir.join("o"), "design.csv");
        assert_eq!(d.lines().count(), 1 + points, "{design}: {d}");
        assert!(
            !dir.join("o/sensitivity.csv").exists(),
            "{design}: no indices"
        );
        if design.contains("grid") {
            assert!(
                d.contains("\n0,0.5,50000,") && d.contains("\n5,0.9,150000,"),
                "{d}"
            );
        }
        let _ = std::fs::remove_dir_all(dir.join("o"));
    }
}

#[test]
fn bad_designs_are_refused_naming_the_mistake() {
    let dir = out("bad-designs");
    let head = "fixture: small.yaml\nhorizon: 1mo\nseeds: 2\n";
    for (body, says) in [
        (
            "variants: { a: {} }\nparameters: { behaviour.renew_first: { low: 0.2, high: 0.8 } }\n",
            "parameters need a design",
        ),
        (
            "variants: { a: {} }\ndesign: { kind: lhs, samples: 4 }\n",
            "a design needs parameters",
        ),
        (
            "variants: { a: { behaviour.renew_first: 0.4 } }\nparameters: { behaviour.renew_first: { low: 0.2, high: 0.8 } }\ndesign: { kind: lhs, samples: 4 }\n",
            "variant `a` sets `behaviour.renew_first`, which is a varied parameter",
        ),
        (
            "variants: { a: {} }\nparameters: { behaviour.renew_first: { low: 0.8, high: 0.2 } }\ndesign: { kind: lhs, samples: 4 }\n",
            "low 0.8 is not below high 0.2",
        ),
        (
            "variants: { a: {} }\nparameters: { behaviour.renew_first: { low: 0.2, high: 0.8 } }\ndesign: { kind: morris, samples: 4, levels: 3 }\n",
            "even number of levels",
        ),
        (
            "variants: { a: {} }\nparameters: { behaviour.renew_first: { low: 0.2, high: 0.8 } }\ndesign: { kind: sobol }\n",
            "a sobol design needs `samples`",
        ),
        (
            "variants: { a: {}, b: {} }\nparameters: { behaviour.renew_first: { low: 0.2, high: 0.8 } }\ndesign: { kind: sobol, samples: 100000 }\n",
            "2 seeds × 2 variants × 300000 points is 1200000 runs",
        ),
        (
            "variants: { a: {} }\nparameters: { behaviour.renew_first: { low: 0.2, high: 1.5 } }\ndesign: { kind: grid, levels: 2 }\n",
            "point 1: behaviour.renew_first = 1.5",
        ),
        (
            "variants: { a: {} }\nparameters: { behaviour.renew_first: { low: 0.2, high: 0.8 } }\ndesign: { kind: latin }\n",
            "unknown variant `latin`",
        ),
    ] {
        let study = study_in(&dir, &format!("{head}{body}"));
        let o = sweep_into(&study, &dir, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{body}: {err}");
        assert!(err.contains(says), "{body}: {err}");
        let _ = std::fs::remove_dir_all(dir.join("o"));
    }
}
