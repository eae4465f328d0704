//! The acceptance suite: every scenario under `scenarios/` is a test of its own (written by
//! `src/build.rs`, so a failure names the scenario and `cargo test lifecycle` runs one
//! folder). Each must pass, and running it twice must give the same digest.

use regsim::script::suite::discover;
use regsim::script::{Scenario, run_scenario};
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/scenario_tests.rs"));

/// Runs a scenario twice: it must pass, and give the same digest both times.
fn check(path: &str) {
    let sc = Scenario {
        script: path.into(),
        ..Scenario::default()
    };
    let first = run_scenario(&sc).unwrap_or_else(|e| panic!("{path}: bad input: {e}"));
    let failures = first.failure_lines();
    assert!(
        failures.is_empty(),
        "{path} failed:\n    {}",
        failures.join("\n    ")
    );
    let again = run_scenario(&sc).expect("runs");
    assert_eq!(first.digest(), again.digest(), "{path} gave two digests");
}

#[test]
fn the_generated_tests_are_the_suite() {
    let found = discover(Path::new("scenarios"));
    assert!(found.len() >= 20, "the suite has {} scenarios", found.len());
    assert_eq!(
        found.len(),
        COUNT,
        "src/build.rs and `regsim test` find the same scenarios"
    );
}
