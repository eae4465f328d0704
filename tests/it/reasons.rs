//! Every refusal reason is reachable: running the scenario suite and loading the bad
//! fixtures in `tests/data` refuses with each reason of [`Reason::ALL`] at least once,
//! and the README's reason table lists exactly those reasons under their codes.

use regsim::fixture::{LoadOptions, load_file};
use regsim::refusal::{Reason, produced};
use regsim::script::Limits;
use regsim::script::suite::{discover, run_case};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn every_reason_is_produced_by_a_scenario_or_a_bad_fixture() {
    for f in discover(Path::new("scenarios")) {
        let case = run_case(&f, Limits::default());
        assert!(case.failures.is_empty(), "{} failed", case.name);
    }
    let mut data: Vec<_> = std::fs::read_dir("tests/data/fixtures")
        .expect("tests/data/fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    data.sort();
    for f in data {
        let loaded = load_file(&f, LoadOptions::default());
        assert!(loaded.is_err(), "{} should be refused", f.display());
    }
    let seen: BTreeSet<Reason> = produced::reasons().into_iter().collect();
    let missing: Vec<String> = Reason::ALL
        .into_iter()
        .filter(|r| !seen.contains(r))
        .map(|r| format!("{} {}", r.code().number(), r.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} reasons are never produced: {}",
        missing.len(),
        missing.join(", ")
    );
}

/// The README's reason table: `| 2004 | value range | `a`, `b` (a note), ... |`.
fn readme_table() -> BTreeMap<u16, BTreeSet<String>> {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let mut table = BTreeMap::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(code) = cells.get(1).and_then(|c| c.parse::<u16>().ok()) else {
            continue;
        };
        if !(2000..3000).contains(&code) || cells.len() < 4 {
            continue;
        }
        // Slugs are the backticked words outside parentheses (notes may name others).
        let mut slugs = BTreeSet::new();
        let (mut depth, mut in_tick, mut word) = (0, false, String::new());
        for ch in cells[3].chars() {
            match ch {
                '(' if !in_tick => depth += 1,
                ')' if !in_tick => depth -= 1,
                '`' if in_tick => {
                    if depth == 0 {
                        slugs.insert(std::mem::take(&mut word));
                    }
                    word.clear();
                    in_tick = false;
                }
                '`' => in_tick = true,
                c if in_tick => word.push(c),
                _ => {}
            }
        }
        table.insert(code, slugs);
    }
    table
}

#[test]
fn the_readme_reason_table_lists_every_reason_under_its_code() {
    let table = readme_table();
    let mut expected: BTreeMap<u16, BTreeSet<String>> = BTreeMap::new();
    for r in Reason::ALL {
        expected
            .entry(r.code().number())
            .or_default()
            .insert(r.as_str().to_string());
    }
    let mut problems = Vec::new();
    for (code, slugs) in &expected {
        let listed = table.get(code).cloned().unwrap_or_default();
        for s in slugs.difference(&listed) {
            problems.push(format!("{code} `{s}` is missing from the README"));
        }
        for s in listed.difference(slugs) {
            problems.push(format!("{code} `{s}` is in the README but no reason"));
        }
    }
    for code in table.keys().filter(|c| !expected.contains_key(c)) {
        problems.push(format!("the README lists code {code}, which no reason has"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The reasons a guard refuses with (`src/ops/guard.rs`).
fn guard_reasons(guard: &str) -> &'static [&'static str] {
    match guard {
        "Active" => &["not_allowed_in_phase", "pending_delete"],
        "Live" => &["pending_delete"],
        "Renewable" => &["not_renewable_in_phase"],
        "InRedemption" => &["not_in_redemption"],
        "NoUpdateLock" => &["update_prohibited"],
        "NoDeleteLock" => &["delete_prohibited"],
        "NotInTrade" => &["in_trade"],
        "NotOnHold" => &["on_hold"],
        other => panic!("unknown guard {other}"),
    }
}

/// `Prefix::Name` words in a text.
fn paths<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &text[i + prefix.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn refuses_lines_name_real_reasons_and_every_reason_their_operation_gives() {
    let slug_of: BTreeMap<String, &str> = Reason::ALL
        .into_iter()
        .map(|r| (format!("{r:?}"), r.as_str()))
        .collect();
    let slugs: BTreeSet<&str> = Reason::ALL.into_iter().map(|r| r.as_str()).collect();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for dir in ["src/ops", "src/market"] {
        for e in std::fs::read_dir(dir).expect("source folder") {
            files.push(e.expect("entry").path());
        }
    }
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source");
        // Guard sets declared as constants: `const NAME: &[Guard] = &[Guard::A, ...];`.
        let mut sets: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (i, _) in text.match_indices("const ") {
            let rest = &text[i + 6..];
            if let Some((name, decl)) = rest.split_once(": &[Guard] = ")
                && let Some(end) = decl.find(';')
            {
                sets.insert(name, paths(&decl[..end], "Guard::"));
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let Some(sig) = line.strip_prefix("pub fn ") else {
                continue;
            };
            let name = sig.split('(').next().unwrap_or_default();
            let doc_start = (0..n)
                .rev()
                .take_while(|k| lines[*k].starts_with("///"))
                .last()
                .unwrap_or(n);
            let doc = lines[doc_start..n].join(" ");
            let Some(refuses) = doc.split_once("Refuses:").map(|(_, r)| r) else {
                continue;
            };
            let place = format!("{}: {name}", path.display());
            // Backticked words are reasons, but for links to operations ([`renew`]).
            let documented: BTreeSet<&str> = refuses
                .split('`')
                .enumerate()
                .filter(|(i, w)| i % 2 == 1 && !w.is_empty())
                .filter(|(i, _)| {
                    !refuses
                        .split('`')
                        .nth(i - 1)
                        .is_some_and(|b| b.ends_with('['))
                })
                .map(|(_, w)| w)
                .collect();
            for w in &documented {
                if !slugs.contains(w) {
                    problems.push(format!("{place} documents `{w}`, which is no reason"));
                }
            }
            let end = (n..lines.len())
                .find(|k| lines[*k] == "}")
                .unwrap_or(lines.len());
            let body = lines[n..end].join("\n");
            let mut gives: BTreeSet<&str> = BTreeSet::new();
            for r in paths(&body, "Reason::") {
                gives.insert(slug_of[r]);
            }
            for g in paths(&body, "Guard::") {
                gives.extend(guard_reasons(g));
            }
            for (set, guards) in &sets {
                if body.contains(&format!("{set},")) || body.contains(&format!("{set})")) {
                    for g in guards {
                        gives.extend(guard_reasons(g));
                    }
                }
            }
            let holds = (body.contains("held(") || body.contains("held_id("))
                && !body.contains("Permission::Read");
            if holds {
                gives.extend(["pending_transfer", "not_sponsoring_registrar"]);
            }
            for g in gives.difference(&documented) {
                problems.push(format!(
                    "{place} can refuse with `{g}` but its Refuses line omits it"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
