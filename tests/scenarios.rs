//! The acceptance suite: every scenario under `scenarios/` must pass, and running a
//! scenario twice must give the same digest.

use regsim::script::suite::{discover, run_case};
use regsim::script::{Limits, Scenario, run_scenario};
use std::path::Path;

#[test]
fn every_scenario_passes() {
    let files = discover(Path::new("scenarios"));
    assert!(files.len() >= 20, "the suite has {} scenarios", files.len());
    let mut failed = Vec::new();
    for f in &files {
        let case = run_case(f, Limits::default());
        println!(
            "{} {}",
            if case.failures.is_empty() {
                "ok  "
            } else {
                "FAIL"
            },
            case.name
        );
        if !case.failures.is_empty() {
            failed.push(format!(
                "{}\n    {}",
                case.name,
                case.failures.join("\n    ")
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "failing scenarios:\n{}",
        failed.join("\n")
    );
}

#[test]
fn every_scenario_is_deterministic() {
    for f in discover(Path::new("scenarios")) {
        let sc = Scenario {
            script: f.clone(),
            ..Scenario::default()
        };
        let a = run_scenario(&sc).expect("runs").digest();
        let b = run_scenario(&sc).expect("runs").digest();
        assert_eq!(a, b, "{} gave two digests", f.display());
    }
}
