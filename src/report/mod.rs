//! Reports: run results as text or JSON, the test summary as JUnit XML, the `regsim
//! api` listing, and the HTML pages (certificate, shop) and sweep reports.

pub mod certificate;
pub mod charts;
pub mod progress;
pub mod shop;
pub mod sweep;

use crate::script::{ApiEntry, Failure, RunOutcome};
use std::fmt::Write as _;

/// The event log as trace lines, one per event with its virtual time.
pub(crate) fn trace_lines(outcome: &RunOutcome) -> Vec<String> {
    let w = &outcome.world;
    w.log.events().map(|e| e.line(w)).collect()
}

/// A run as text: printed output, trace (if asked), failures, seed, and the digest last.
pub fn run_text(outcome: &RunOutcome, trace: bool) -> String {
    let mut s = String::new();
    for line in &outcome.output {
        let _ = writeln!(s, "{line}");
    }
    if trace {
        for line in trace_lines(outcome) {
            let _ = writeln!(s, "{line}");
        }
    }
    for f in &outcome.failures {
        let _ = writeln!(s, "FAIL {f}");
    }
    if let Some(e) = &outcome.error {
        let _ = writeln!(s, "ERROR {e}");
    }
    let verdict = if outcome.passed() { "passed" } else { "failed" };
    let _ = writeln!(s, "{}: {verdict}", outcome.script);
    let _ = writeln!(s, "seed: {}", outcome.seed);
    let _ = writeln!(s, "events: {}", outcome.world.log.count());
    let _ = writeln!(s, "digest: {}", outcome.digest());
    s
}

fn failure_json(f: &Failure) -> serde_json::Value {
    serde_json::json!({
        "file": f.file, "line": f.line, "column": f.column, "message": f.message,
    })
}

/// A run as one JSON object (`digest` is its last key).
pub(crate) fn run_json(outcome: &RunOutcome, trace: bool) -> String {
    let mut m = serde_json::Map::new();
    m.insert("script".into(), outcome.script.clone().into());
    m.insert("passed".into(), outcome.passed().into());
    m.insert("seed".into(), outcome.seed.into());
    m.insert(
        "failures".into(),
        outcome.failures.iter().map(failure_json).collect(),
    );
    m.insert(
        "error".into(),
        outcome
            .error
            .as_ref()
            .map_or(serde_json::Value::Null, failure_json),
    );
    m.insert("output".into(), outcome.output.clone().into());
    if trace {
        m.insert("trace".into(), trace_lines(outcome).into());
    }
    m.insert("events".into(), outcome.world.log.count().into());
    m.insert("digest".into(), outcome.digest().into());
    serde_json::to_string_pretty(&serde_json::Value::Object(m)).unwrap_or_default()
}

/// One scenario's result in a test run.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// Scenario path.
    pub name: String,
    /// Failure lines (empty when it passed).
    pub failures: Vec<String>,
    /// Wall time in seconds (reports only; never part of a run).
    pub seconds: f64,
}

/// Text with the control characters that XML forbids (all below U+0020 but tab and
/// newline) turned into spaces, so that a page stays well-formed XML whatever a name
/// holds; the templates then escape it.
pub(crate) fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c as u32) < 0x20 && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The frame of every page regsim writes: one self-contained HTML document (inline
/// style, no assets) around a body rendered by the page's own template.
#[derive(askama::Template)]
#[template(
    ext = "html",
    source = "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\"/>
<title>{{ title }}</title>
<style>
{{ style|safe }}</style>
</head>
<body>
{{ body|safe }}</body>
</html>
"
)]
struct Layout<'a> {
    title: &'a str,
    style: &'a str,
    body: &'a str,
}

/// Renders an HTML page: its body from `body` (a template, which escapes every value)
/// inside the common frame, titled `title` (escaped) with the inline `style`. The
/// templates hold only strings, whose formatting cannot fail; a failure would be a
/// defect in a template, and is shown in the page.
pub(crate) fn page(title: &str, style: &str, body: &impl askama::Template) -> String {
    let failed = |e: askama::Error| format!("<!DOCTYPE html>\n<p>page failed to render: {e}</p>\n");
    let body = match body.render() {
        Ok(body) => body,
        Err(e) => return failed(e),
    };
    let title = printable(title);
    let layout = Layout {
        title: &title,
        style,
        body: &body,
    };
    askama::Template::render(&layout).unwrap_or_else(failed)
}

/// A JUnit XML report of a test run (through `quick-junit`, the writer cargo-nextest
/// uses, which escapes and drops what XML cannot hold): one suite `regsim`, a case per
/// scenario, and a failure per failing scenario with its first line as the message and
/// every line as the text.
pub fn junit(cases: &[CaseResult]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    use std::time::Duration;
    let mut suite = TestSuite::new("regsim");
    let mut total = 0.0;
    for c in cases {
        let status = match c.failures.first() {
            None => TestCaseStatus::success(),
            Some(first) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(first.as_str())
                    .set_description(c.failures.join("\n"));
                s
            }
        };
        let mut case = TestCase::new(c.name.as_str(), status);
        case.set_classname("scenarios")
            .set_time(Duration::from_secs_f64(c.seconds.max(0.0)));
        suite.add_test_case(case);
        total += c.seconds.max(0.0);
    }
    suite.set_time(Duration::from_secs_f64(total));
    let mut report = Report::new("regsim");
    report.set_time(Duration::from_secs_f64(total));
    report.add_test_suite(suite);
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- the JUnit report could not be written: {e} -->\n"))
}

/// The `regsim api` listing: each function with its signature and documentation,
/// grouped by area.
pub(crate) fn api_text(entries: &[ApiEntry]) -> String {
    let mut s = String::from(
        "regsim script functions (mutating functions take the actor first; refusals throw #{code, reason, message})\n",
    );
    let mut area = "";
    for e in entries {
        if e.area != area {
            area = e.area;
            let _ = writeln!(s, "\n## {area}");
        }
        let _ = writeln!(s, "{:<58} {}", e.signature, e.doc);
    }
    s
}
