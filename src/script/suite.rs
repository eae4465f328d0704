//! The scenario suite: discovering scenario files and running each as a test case.
//! `regsim test` and `cargo test` both use it.

use super::{Limits, Scenario, run_scenario};
use crate::report::CaseResult;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Every scenario file under `path`: `*.rhai`, skipping files whose name starts with
/// `_` (modules for `import`), in sorted order.
pub fn discover(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if path.is_file() {
        out.push(path.to_path_buf());
        return out;
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(discover(&p));
        } else if p.extension().is_some_and(|e| e == "rhai")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('_'))
        {
            out.push(p);
        }
    }
    out
}

/// Runs one scenario for the suite and returns its failure lines.
pub fn run_case(path: &Path, limits: Limits) -> CaseResult {
    let started = Instant::now();
    let sc = Scenario {
        script: path.to_path_buf(),
        limits,
        ..Scenario::default()
    };
    let failures = match run_scenario(&sc) {
        Err(e) => vec![format!("bad input: {e}")],
        Ok(o) => o.failure_lines(),
    };
    CaseResult {
        name: path.display().to_string(),
        failures,
        seconds: started.elapsed().as_secs_f64(),
    }
}
