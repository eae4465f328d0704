//! `regsim test`: discovers scenarios, runs each, prints a line per scenario and the
//! closing `N passed, M failed`.

use super::LimitArgs;
use crate::report::{self, CaseResult};
use crate::script::{self, Scenario};
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
pub fn run_case(path: &Path, limits: script::Limits) -> CaseResult {
    let started = Instant::now();
    let sc = Scenario {
        script: path.to_path_buf(),
        limits,
        ..Scenario::default()
    };
    let failures = match script::run_scenario(&sc) {
        Err(e) => vec![format!("bad input: {e}")],
        Ok(o) => o
            .failures
            .iter()
            .map(|f| f.to_string())
            .chain(o.error.iter().map(|e| format!("error: {e}")))
            .collect(),
    };
    CaseResult {
        name: path.display().to_string(),
        failures,
        seconds: started.elapsed().as_secs_f64(),
    }
}

pub(super) fn run(
    paths: &[PathBuf],
    junit: Option<&Path>,
    filter: Option<&str>,
    limits: &LimitArgs,
) -> i32 {
    let limits = match limits.limits() {
        Ok(l) => l,
        Err(m) => {
            eprintln!("error: {m}");
            return 2;
        }
    };
    let roots = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths.to_vec()
    };
    let mut files = Vec::new();
    for root in &roots {
        if !root.exists() {
            eprintln!("error: {} does not exist", root.display());
            return 2;
        }
        files.extend(discover(root));
    }
    if let Some(f) = filter {
        files.retain(|p| p.display().to_string().contains(f));
    }
    if files.is_empty() {
        eprintln!("error: no scenarios found");
        return 2;
    }
    let mut cases = Vec::new();
    for file in &files {
        let case = run_case(file, limits);
        if case.failures.is_empty() {
            println!("ok   {}", case.name);
        } else {
            println!("FAIL {}", case.name);
            for f in &case.failures {
                println!("     {f}");
            }
        }
        cases.push(case);
    }
    let failed = cases.iter().filter(|c| !c.failures.is_empty()).count();
    println!("{} passed, {failed} failed", cases.len() - failed);
    if let Some(path) = junit {
        if let Err(e) = std::fs::write(path, report::junit(&cases)) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    if failed > 0 { 1 } else { 0 }
}
