//! The command line as a user meets it: exit codes, messages with positions, digests,
//! snapshots, the test runner and the API listing.

use crate::common::regsim;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn temp(name: &str) -> PathBuf {
    crate::common::temp("cli", name)
}

#[test]
fn run_prints_the_digest_last_and_repeats_it() {
    let a = regsim(&["run", "scenarios/quickstart.rhai"]);
    let b = regsim(&["run", "scenarios/quickstart.rhai"]);
    assert_eq!(code(&a), 0, "{:?}", text(&a));
    let (out, _) = text(&a);
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("digest: ") && last.len() == 8 + 64,
        "{last}"
    );
    assert!(out.contains("seed: 1"));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn seed_changes_randomness_and_same_seed_repeats() {
    let a = text(&regsim(&["run", "tests/data/seeded.rhai", "--seed", "5"])).0;
    let b = text(&regsim(&["run", "tests/data/seeded.rhai", "--seed", "5"])).0;
    let c = text(&regsim(&["run", "tests/data/seeded.rhai", "--seed", "6"])).0;
    assert!(a.starts_with("seed 5 draw "));
    assert_eq!(a, b);
    assert_ne!(a.lines().next(), c.lines().next());
}

#[test]
fn yaml_errors_exit_2_with_position_and_path() {
    let cases = [
        (
            "tests/data/bad_syntax.yaml",
            "tests/data/bad_syntax.yaml:3:1: accounts[0].id: found unexpected end of stream",
        ),
        (
            "tests/data/bad_indent.yaml",
            "tests/data/bad_indent.yaml:3:4: accounts: did not find expected '-' indicator",
        ),
        (
            "tests/data/unknown_field.yaml",
            "tests/data/unknown_field.yaml:7:5: domains[0].expiry: unknown field `expiry`",
        ),
        (
            "tests/data/dangling.yaml",
            "tests/data/dangling.yaml:7:12: domains[1].owner: account `bob` does not exist",
        ),
        (
            "tests/data/wrong_type.yaml",
            "tests/data/wrong_type.yaml:1:7: seed: invalid type",
        ),
        (
            "tests/data/duplicate_domain.yaml",
            "tests/data/duplicate_domain.yaml:4:12: domains[1].name: a.com is listed twice",
        ),
    ];
    for (fixture, expected) in cases {
        let o = regsim(&["run", "tests/data/empty.rhai", "--fixture", fixture]);
        let (_, err) = text(&o);
        assert_eq!(code(&o), 2, "{fixture}: {err}");
        assert!(err.contains(expected), "{fixture}: {err}");
    }
}

#[test]
fn a_fixture_with_too_many_registrars_is_refused_at_the_first_one_too_many() {
    // A domain record names its sponsor in one byte: `home` and 255 others.
    let names = |n: usize| {
        (1..=n)
            .map(|i| format!("r{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fixture = temp("registrars.yaml");
    let run_with = |n: usize| {
        std::fs::write(&fixture, format!("registrars: [{}]\n", names(n))).unwrap();
        regsim(&[
            "run",
            "tests/data/empty.rhai",
            "--fixture",
            fixture.to_str().unwrap(),
        ])
    };
    let o = run_with(255);
    assert_eq!(code(&o), 0, "{}", text(&o).1);
    let o = run_with(256);
    let (_, err) = text(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        err.contains("registrars.yaml:1:")
            && err.contains("registrars[255]: registrar `r256` would be one too many"),
        "{err}"
    );
}

#[test]
fn script_syntax_error_exits_2_with_position() {
    let o = regsim(&["run", "tests/data/syntax_error.rhai"]);
    let (_, err) = text(&o);
    assert_eq!(code(&o), 2);
    assert!(err.contains("tests/data/syntax_error.rhai:2:"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
}

#[test]
fn missing_files_and_bad_flags_exit_2() {
    assert_eq!(code(&regsim(&["run", "tests/data/nothing.rhai"])), 2);
    assert_eq!(
        code(&regsim(&[
            "run",
            "tests/data/empty.rhai",
            "--fixture",
            "nothing.yaml"
        ])),
        2
    );
    assert_eq!(code(&regsim(&["run"])), 2);
    assert_eq!(code(&regsim(&["bogus"])), 2);
    assert_eq!(
        code(&regsim(&[
            "run",
            "tests/data/empty.rhai",
            "--timeout",
            "-1"
        ])),
        2
    );
    assert_eq!(code(&regsim(&["test", "no/such/folder"])), 2);
}

#[test]
fn runaway_scripts_are_stopped_with_a_clear_message() {
    let cases = [
        ("tests/data/runaway.rhai", "more operations than its limit"),
        ("tests/data/recursion.rhai", "nested deeper than the limit"),
        ("tests/data/huge_string.rhai", "grew past its limit"),
        ("tests/data/huge_array.rhai", "grew past its limit"),
    ];
    for (script, expected) in cases {
        let o = regsim(&["run", script]);
        let (out, _) = text(&o);
        assert_eq!(code(&o), 1, "{script}: {out}");
        assert!(out.contains(expected), "{script}: {out}");
        assert!(out.contains(&format!("ERROR {script}:")), "{script}: {out}");
    }
    // Unlimited operations, but a wall-clock timeout.
    let o = regsim(&[
        "run",
        "tests/data/runaway.rhai",
        "--max-operations",
        "0",
        "--timeout",
        "0.5",
    ]);
    assert_eq!(code(&o), 1);
    assert!(text(&o).0.contains("--timeout"), "{:?}", text(&o));
    // Raising the limit is honoured.
    let o = regsim(&["run", "tests/data/recursion.rhai", "--max-call-depth", "8"]);
    assert!(text(&o).0.contains("nested deeper"));
}

#[test]
fn uncaught_refusal_fails_with_position_code_and_message() {
    let o = regsim(&["run", "tests/data/uncaught.rhai"]);
    let (out, _) = text(&o);
    assert_eq!(code(&o), 1);
    assert!(
        out.contains("ERROR tests/data/uncaught.rhai:2:1: uncaught error 2303 no_such_domain: missing.com is not registered"),
        "{out}"
    );
}

#[test]
fn assertion_failures_report_position_and_values() {
    let o = regsim(&["run", "tests/data/failing.rhai"]);
    let (out, _) = text(&o);
    assert_eq!(code(&o), 1);
    assert!(
        out.contains("FAIL tests/data/failing.rhai:2:1: wrong on purpose: assert_eq failed: actual 0 (i64), expected 5 (i64)"),
        "{out}"
    );
    let o = regsim(&["run", "tests/data/swallowed.rhai"]);
    assert_eq!(code(&o), 1, "try/catch cannot hide a failed assertion");
    assert!(
        text(&o)
            .0
            .contains("FAIL tests/data/swallowed.rhai:2:7: hidden: assert failed")
    );
}

#[test]
fn bare_script_names_find_their_modules() {
    // Run from the scenarios folder with a bare file name: imports still resolve.
    let o = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["run", "quickstart.rhai"])
        .current_dir("scenarios")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["run", "phases.rhai"])
        .current_dir("scenarios/lifecycle")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{:?}", text(&o));
}

#[test]
fn sandbox_refuses_eval_and_escaping_imports() {
    let o = regsim(&["run", "tests/data/eval.rhai"]);
    assert_eq!(code(&o), 2);
    assert!(text(&o).1.contains("'eval' is disabled"));
    let o = regsim(&["run", "tests/data/escape_import.rhai"]);
    assert_eq!(code(&o), 1);
    assert!(text(&o).0.contains("is refused"), "{:?}", text(&o));
}

#[test]
fn set_overrides_policy_and_rejects_bad_keys() {
    let o = regsim(&[
        "run",
        "tests/data/grace.rhai",
        "--set",
        "tlds.com.grace_days=14",
    ]);
    assert_eq!(
        text(&o).0.lines().take(2).collect::<Vec<_>>(),
        ["14", "redemption"]
    );
    let o = regsim(&["run", "tests/data/grace.rhai"]);
    assert_eq!(
        text(&o).0.lines().take(2).collect::<Vec<_>>(),
        ["30", "grace"]
    );
    for bad in [
        "tlds.com.grace_days",
        "tlds.com.nope=1",
        "tlds.com.grace_days=x",
        "tlds.zz.grace_days=1",
    ] {
        let o = regsim(&["run", "tests/data/grace.rhai", "--set", bad]);
        assert_eq!(code(&o), 2, "{bad}");
        assert!(text(&o).1.contains("--set"), "{bad}: {:?}", text(&o));
    }
}

#[test]
fn json_and_trace_formats() {
    let o = regsim(&[
        "run",
        "scenarios/quickstart.rhai",
        "--format",
        "json",
        "--trace",
    ]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["passed"], true);
    assert_eq!(v["digest"].as_str().unwrap().len(), 64);
    assert!(
        v["trace"][0]
            .as_str()
            .unwrap()
            .starts_with("2026-01-01T00:00:00Z account_opened")
    );
    let o = regsim(&["run", "scenarios/quickstart.rhai", "--trace"]);
    let trace = text(&o).0;
    assert!(!trace.contains("2027-01-01T00:00:00Z phase_entered domain=example.com phase=grace"));
    assert!(trace.contains("2028-01-01T00:00:00Z phase_entered domain=example.com phase=grace"));
}

#[test]
fn snapshot_and_restore_continue_the_same_run() {
    let snap = temp("two-years.snap");
    let snap_s = snap.to_str().unwrap();
    let a = regsim(&[
        "run",
        "tests/data/advance_2y.rhai",
        "--save-snapshot",
        snap_s,
    ]);
    assert_eq!(code(&a), 0, "{:?}", text(&a));
    let b = regsim(&[
        "run",
        "tests/data/advance_3y.rhai",
        "--from-snapshot",
        snap_s,
    ]);
    let straight = regsim(&["run", "tests/data/advance_5y.rhai"]);
    let digest = |o: &Output| text(o).0.lines().last().unwrap().to_string();
    assert_eq!(digest(&b), digest(&straight));
    assert!(text(&b).0.contains("events: "));
    let bad = temp("bad.snap");
    std::fs::write(&bad, b"not a snapshot").unwrap();
    assert_eq!(
        code(&regsim(&[
            "run",
            "tests/data/advance_3y.rhai",
            "--from-snapshot",
            bad.to_str().unwrap()
        ])),
        2
    );
}

#[test]
fn test_command_summarises_and_writes_junit() {
    let junit = temp("junit.xml");
    let o = regsim(&["test", "scenarios", "--junit", junit.to_str().unwrap()]);
    let (out, _) = text(&o);
    assert_eq!(code(&o), 0, "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    let n: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(n >= 20);
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let suite = doc
        .descendants()
        .find(|e| e.has_tag_name("testsuite"))
        .expect("a testsuite");
    assert_eq!(suite.attribute("tests"), Some(n.to_string().as_str()));
    assert_eq!(suite.attribute("failures"), Some("0"));
    assert_eq!(
        doc.descendants()
            .filter(|e| e.has_tag_name("testcase"))
            .count(),
        n
    );

    let o = regsim(&["test", "scenarios", "--filter", "quickstart"]);
    assert!(text(&o).0.ends_with("1 passed, 0 failed\n"));

    let o = regsim(&[
        "test",
        "tests/data/failing.rhai",
        "tests/data/advance_3y.rhai",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(text(&o).0.ends_with("1 passed, 1 failed\n"));
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("<failure message=")
    );
}

#[test]
fn certificate_command_writes_a_page() {
    let out = temp("cert.html");
    let o = regsim(&[
        "certificate",
        "证书.cn",
        "--actor",
        "li",
        "--fixture",
        "scenarios/certificates/certificate.yaml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Domain Name Certificate") && html.contains("证书.cn (xn--1jqs90m.cn)"));
    let o = regsim(&[
        "certificate",
        "unverified.com",
        "--actor",
        "li",
        "--fixture",
        "scenarios/certificates/certificate.yaml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o).1.contains("2306 real_name_unverified"),
        "{:?}",
        text(&o)
    );
}

#[test]
fn shop_command_writes_a_page() {
    let snap = temp("shop.snap");
    let script = temp("shop.rhai");
    std::fs::write(
        &script,
        "open_account(\"s\", #{balance: 100000}); register(\"s\", \"sale.com\", 2); advance(\"2d\");\n\
         list_for_sale(\"s\", \"sale.com\", #{kind: \"fixed\", price: 99900});\n",
    )
    .unwrap();
    let o = regsim(&[
        "run",
        script.to_str().unwrap(),
        "--save-snapshot",
        snap.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let out = temp("shop.html");
    let o = regsim(&[
        "shop",
        "s",
        "--from-snapshot",
        snap.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("sale.com") && html.contains("CNY 999.00"),
        "{html}"
    );
    let o = regsim(&[
        "shop",
        "nobody",
        "--from-snapshot",
        snap.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
}

#[test]
fn gen_writes_a_fixture_and_bulk_changes_nothing_that_happens() {
    let fixture = temp("gen.yaml");
    let o = regsim(&[
        "gen",
        "--domains",
        "800",
        "--accounts",
        "8",
        "--tlds",
        "com:3,cn:1",
        "--seed",
        "4",
        "--out",
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let yaml = std::fs::read_to_string(&fixture).unwrap();
    assert!(
        yaml.contains("domains: 800")
            && yaml.contains("tlds: { com: 3, cn: 1 }")
            && yaml.contains("new_per_day"),
        "{yaml}"
    );
    let script = temp("gen.rhai");
    std::fs::write(&script, "advance(\"2y\"); print(metrics().renewals);").unwrap();
    let full = regsim(&[
        "run",
        script.to_str().unwrap(),
        "--fixture",
        fixture.to_str().unwrap(),
    ]);
    let bulk = regsim(&[
        "run",
        script.to_str().unwrap(),
        "--fixture",
        fixture.to_str().unwrap(),
        "--bulk",
    ]);
    assert_eq!(code(&full), 0, "{:?}", text(&full));
    assert_eq!(full.stdout, bulk.stdout, "same renewals, events and digest");
    let o = regsim(&[
        "gen",
        "--domains",
        "10",
        "--tlds",
        "zz",
        "--out",
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
}

/// `regsim gen` refuses what the fixture loader would refuse (one rule, in the library),
/// names the flag, and writes nothing.
#[test]
fn gen_refuses_what_the_loader_would_and_writes_nothing() {
    let out = temp("refused.yaml");
    let _ = std::fs::remove_file(&out);
    let cases: [(&[&str], &str); 5] = [
        (&["--accounts", "0"], "--accounts: 0 accounts"),
        (&["--domains", "100000001"], "--domains: 100000001 domains"),
        (
            &["--tlds", "com:0,net:0"],
            "--tlds: no TLD has a weight above 0",
        ),
        (&["--tlds", "com,.COM"], "--tlds: `com` is given twice"),
        (
            &["--tlds", "zz"],
            "--tlds: `zz` is not a TLD of the catalog",
        ),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["gen", "--out", out.to_str().unwrap()];
        if !extra.contains(&"--domains") {
            args.extend(["--domains", "10"]);
        }
        args.extend(extra);
        let o = regsim(&args);
        let (_, err) = text(&o);
        assert_eq!(code(&o), 2, "{extra:?}: {err}");
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(!out.exists(), "{extra:?} wrote a file");
    }
    // Weights are u32 each; their sum is not, and the fixture still loads.
    let o = regsim(&[
        "gen",
        "--domains",
        "10",
        "--tlds",
        "com:4000000000,net:4000000000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let yaml = std::fs::read_to_string(&out).unwrap();
    assert!(
        yaml.contains("new_per_day: { com: 0.00, net: 0.00 }"),
        "{yaml}"
    );
    let script = temp("refused.rhai");
    std::fs::write(&script, "print(1);").unwrap();
    let run = regsim(&[
        "run",
        script.to_str().unwrap(),
        "--fixture",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{:?}", text(&run));
}

#[test]
fn api_lists_every_function_with_documentation() {
    let o = regsim(&["api"]);
    let (out, _) = text(&o);
    assert_eq!(code(&o), 0);
    for sig in [
        "now()",
        "today()",
        "advance(span)",
        "advance_to(time)",
        "open_account(id, #{balance, kind})",
        "account(id)",
        "deposit(id, amount)",
        "price(tld, op)",
        "check(name)",
        "register(actor, name, years)",
        "register(actor, name, years, #{profile, auto_renew})",
        "domain(name)",
        "renew(actor, name, years)",
        "restore(actor, name)",
        "delete(actor, name)",
        "set_auto_renew(actor, name, on)",
        "set_lock(actor, name, lock, on)",
        "notifications(account)",
        "whois(name)",
        "events()",
        "set_policy(key, value)",
        "assert(cond)",
        "assert(cond, message)",
        "assert_eq(actual, expected)",
        "assert_eq(actual, expected, message)",
        "assert_ne(a, b)",
    ] {
        assert!(out.lines().any(|l| l.starts_with(sig)), "missing {sig}");
    }
    assert!(Path::new("README.md").exists());
}

/// `--events FILE` streams every event as a JSON line, the same in full and `--bulk`
/// runs, one line per event counted, each line the map `events()` gives.
#[test]
fn events_stream_to_a_jsonl_file_in_full_and_bulk_runs() {
    let fixture = temp("stream.yaml");
    std::fs::write(
        &fixture,
        "start: 2026-01-01\nseed: 5\ngenerate: { domains: 300, accounts: 10 }\n",
    )
    .unwrap();
    let script = temp("stream.rhai");
    std::fs::write(
        &script,
        "advance(\"400d\");\nif events().len() > 0 { let e = events()[events().len() - 1]; print(`${e.at} ${e.kind}`); }\n",
    )
    .unwrap();
    let (full, bulk) = (temp("full.jsonl"), temp("bulk.jsonl"));
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "run",
            script.to_str().unwrap(),
            "--fixture",
            fixture.to_str().unwrap(),
            "--events",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = regsim(&args);
        assert_eq!(code(&o), 0, "{:?}", text(&o));
        text(&o).0
    };
    let full_out = run(&full, &[]);
    let bulk_out = run(&bulk, &["--bulk"]);
    let (a, b) = (
        std::fs::read_to_string(&full).unwrap(),
        std::fs::read_to_string(&bulk).unwrap(),
    );
    assert_eq!(a, b, "bulk streams the same events");
    let count = |out: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix("events: "))
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    assert_eq!(a.lines().count(), count(&full_out));
    assert_eq!(count(&full_out), count(&bulk_out));
    assert!(
        a.lines().count() > 300,
        "registrations, reminders, renewals..."
    );
    // Every line is a JSON object with its time and kind first; the last is the one
    // events() ends with.
    for line in a.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["at"].is_string() && v["kind"].is_string(), "{line}");
        assert!(line.starts_with("{\"at\":"), "{line}");
    }
    let last: serde_json::Value = serde_json::from_str(a.lines().last().unwrap()).unwrap();
    let printed = full_out.lines().next().unwrap();
    assert_eq!(
        printed,
        format!(
            "{} {}",
            last["at"].as_str().unwrap(),
            last["kind"].as_str().unwrap()
        )
    );
    // A file that cannot be written: exit 2, naming it.
    let o = regsim(&[
        "run",
        script.to_str().unwrap(),
        "--events",
        "/nonexistent-dir/e.jsonl",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o).1.contains("/nonexistent-dir/e.jsonl"),
        "{:?}",
        text(&o)
    );
}

/// `--event-by-event` fires a timer for every notice; a bulk run otherwise computes them
/// in closed form. The two make the same run: events and digest.
#[test]
fn bulk_runs_are_the_same_event_by_event() {
    let fixture = temp("closed.yaml");
    let o = regsim(&[
        "gen",
        "--domains",
        "2000",
        "--accounts",
        "20",
        "--out",
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o).1);
    let tail = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "tests/data/advance_3y.rhai",
            "--fixture",
            fixture.to_str().unwrap(),
            "--bulk",
        ];
        args.extend_from_slice(extra);
        let o = regsim(&args);
        assert_eq!(code(&o), 0, "{}", text(&o).1);
        let out = text(&o).0;
        let lines: Vec<String> = out
            .lines()
            .filter(|l| l.starts_with("events: ") || l.starts_with("digest: "))
            .map(str::to_string)
            .collect();
        assert_eq!(lines.len(), 2, "{out}");
        lines
    };
    assert_eq!(tail(&[]), tail(&["--event-by-event"]));
}
