//! Writes one test function per scenario under `scenarios/` (the acceptance suite) for
//! `tests/it/scenarios.rs` to include: a failure names its scenario, and `cargo test
//! lifecycle` runs one folder. The folders become modules, the files functions; the
//! files found are those `regsim test` finds (`.rhai`, not starting with `_`).

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=scenarios");
    println!("cargo:rerun-if-changed=src/build.rs");
    let mut out = String::new();
    let mut count = 0;
    module(Path::new("scenarios"), &mut out, &mut count);
    let _ = writeln!(
        out,
        "/// How many scenarios the suite has.\npub const COUNT: usize = {count};"
    );
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&dir).join("scenario_tests.rs"), out).expect("OUT_DIR is writable");
}

/// The tests of one folder: a function per scenario, a module per subfolder.
fn module(dir: &Path, out: &mut String, count: &mut usize) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if p.is_dir() {
            let _ = writeln!(out, "mod {} {{\n    use super::check;", ident(&stem));
            module(&p, out, count);
            let _ = writeln!(out, "}}");
        } else if p.extension().is_some_and(|e| e == "rhai") && !stem.starts_with('_') {
            *count += 1;
            let _ = writeln!(
                out,
                "#[test]\nfn {}() {{\n    check({:?});\n}}",
                ident(&stem),
                p.to_string_lossy()
            );
        }
    }
}

/// A Rust identifier for a file or folder name.
fn ident(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}
