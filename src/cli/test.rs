//! `regsim test`: discovers scenarios, runs each, prints a line per scenario and the
//! closing `N passed, M failed`.

use super::LimitArgs;
use crate::report;
use crate::script::suite::{discover, run_case};
use std::path::{Path, PathBuf};

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
        let mut line = format!(
            "{} {}\n",
            if case.failures.is_empty() {
                "ok  "
            } else {
                "FAIL"
            },
            case.name
        );
        for f in &case.failures {
            line += &format!("     {f}\n");
        }
        if let Err(code) = super::out(&line) {
            return code;
        }
        cases.push(case);
    }
    let failed = cases.iter().filter(|c| !c.failures.is_empty()).count();
    if let Err(code) = super::out(&format!(
        "{} passed, {failed} failed\n",
        cases.len() - failed
    )) {
        return code;
    }
    if let Some(path) = junit
        && let Err(e) = crate::files::write_atomically(path, report::junit(&cases).as_bytes())
    {
        eprintln!("error: cannot write {e}");
        return 2;
    }
    if failed > 0 { 1 } else { 0 }
}
