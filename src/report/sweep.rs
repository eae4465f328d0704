//! A sweep's outputs as people read them: the files of a study (CSV, JSON, charts and
//! one self-contained `report.html`), the summary as a text table. The statistics and
//! the runs are `whatif`'s; this module only writes them.

use super::charts::{Line, monthly_chart};
use super::escape;
use crate::whatif::sweep::{
    Run, Source, Study, SummaryRow, monthly_bands, monthly_csv, monthly_differences, months,
    runs_csv, summarize, summary_csv,
};
use std::fmt::Write as _;
use std::path::Path;

/// Whether a metric is money (fen, charted in CNY).
fn is_money(metric: &str) -> bool {
    !crate::model::metrics::is_count(metric)
}

fn lines(bands: Vec<(String, Vec<(f64, f64)>)>) -> Vec<Line> {
    bands
        .into_iter()
        .map(|(name, points)| Line { name, points })
        .collect()
}

/// The chart of one metric: its monthly mean per variant with the 95% band over seeds.
pub fn metric_chart(study: &Study, runs: &[Run], metric: &str) -> String {
    let money = is_money(metric);
    monthly_chart(
        &format!("{metric} per month: mean and 95% band over seeds"),
        &if money {
            format!("{metric} (CNY)")
        } else {
            metric.to_string()
        },
        &months(runs),
        &lines(monthly_bands(study, runs, metric)),
        money,
        0,
    )
}

/// The chart of one metric's monthly difference from the first variant, paired by seed,
/// with its 95% band (none for a study of one variant).
pub fn difference_chart(study: &Study, runs: &[Run], metric: &str) -> Option<String> {
    let diffs = monthly_differences(study, runs, metric);
    if diffs.is_empty() {
        return None;
    }
    let money = is_money(metric);
    let first = study.variants.keys().next().cloned().unwrap_or_default();
    Some(monthly_chart(
        &format!("{metric} per month against {first}: paired difference and 95% band"),
        &if money {
            format!("difference in {metric} (CNY)")
        } else {
            format!("difference in {metric}")
        },
        &months(runs),
        &lines(diffs),
        money,
        1,
    ))
}

/// The file name of a metric's chart.
fn chart_name(prefix: &str, metric: &str) -> String {
    format!("{prefix}_{}.svg", metric.replace('.', "_"))
}

/// Writes every output of a study into `dir` (each file whole or not at all); returns
/// the summary rows. `charts` adds a chart per metric, a difference chart per metric
/// (with two variants or more) and `report.html`.
pub fn write_outputs(
    dir: &Path,
    study: &Study,
    source: &Source,
    runs: &[Run],
    charts: bool,
) -> Result<Vec<SummaryRow>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let write = |name: &str, text: String| {
        crate::files::write_atomically(&dir.join(name), text.as_bytes())
            .map_err(|e| format!("cannot write {e}"))
    };
    write(
        "study.json",
        serde_json::to_string_pretty(study).unwrap_or_default(),
    )?;
    write(
        "source.json",
        serde_json::to_string_pretty(source).unwrap_or_default() + "\n",
    )?;
    write("runs.csv", runs_csv(study, runs))?;
    write("monthly.csv", monthly_csv(study, runs))?;
    let rows = summarize(study, runs);
    write("summary.csv", summary_csv(&rows))?;
    if charts {
        let mut figures = Vec::new();
        for m in study.metric_list() {
            let chart = metric_chart(study, runs, &m);
            write(&chart_name("chart", &m), chart.clone())?;
            let diff = difference_chart(study, runs, &m);
            if let Some(d) = &diff {
                write(&chart_name("chart_diff", &m), d.clone())?;
            }
            figures.push((m, chart, diff));
        }
        write("report.html", report_html(study, source, &rows, &figures))?;
    }
    Ok(rows)
}

/// A number as the tables show it (money in CNY with two decimals).
fn shown(metric: &str, v: f64) -> String {
    if is_money(metric) {
        format!("{:.2}", v / 100.0)
    } else {
        format!("{v:.1}")
    }
}

/// One self-contained page: what the study is, the summary and difference tables, and
/// every chart inline.
pub fn report_html(
    study: &Study,
    source: &Source,
    rows: &[SummaryRow],
    figures: &[(String, String, Option<String>)],
) -> String {
    let mut variants = String::new();
    for (name, overrides) in &study.variants {
        let set: Vec<String> = overrides
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let _ = writeln!(
            variants,
            "<li><b>{}</b>: {}</li>",
            escape(name),
            escape(&if set.is_empty() {
                "the fixture's policy".into()
            } else {
                set.join(", ")
            })
        );
    }
    let ci =
        |m: &str, c: Option<f64>| c.map_or("no CI".to_string(), |c| format!("± {}", shown(m, c)));
    let mut summary = String::new();
    let mut differences = String::new();
    let first = study.variants.keys().next().cloned().unwrap_or_default();
    let row = |out: &mut String, r: &SummaryRow, value: f64, half: Option<f64>| {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&r.variant),
            escape(&r.metric),
            shown(&r.metric, value),
            ci(&r.metric, half)
        );
    };
    for r in rows {
        row(&mut summary, r, r.mean, r.ci);
        if r.variant != first {
            row(&mut differences, r, r.diff, r.diff_ci);
        }
    }
    let mut charts = String::new();
    for (metric, chart, diff) in figures {
        let _ = writeln!(
            charts,
            "<h3>{}</h3>\n<figure>{chart}</figure>",
            escape(metric)
        );
        if let Some(d) = diff {
            let _ = writeln!(charts, "<figure>{d}</figure>");
        }
    }
    let horizon = study
        .horizon
        .clone()
        .or_else(|| study.until.clone().map(|u| format!("until {u}")))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Study of {fixture}</title>\n<style>\n  body {{ font-family: sans-serif; max-width: 900px; margin: 2em auto; color: #222; }}\n  table {{ border-collapse: collapse; margin: 1em 0; }}\n  td, th {{ padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }}\n  td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}\n  figure {{ margin: 1em 0; }}\n</style>\n</head>\n<body>\n<h1>Study of {fixture}</h1>\n<p>Horizon {horizon}; {seeds} seeds; fixture BLAKE3 {hash}; regsim {version}. Money in CNY; intervals are 95% over seeds (Student's t), differences are paired by seed against <b>{first}</b>.</p>\n<h2>Variants</h2>\n<ul>\n{variants}</ul>\n<h2>Summary</h2>\n<table>\n<tr><th>variant</th><th>metric</th><th>mean</th><th>95% CI</th></tr>\n{summary}</table>\n<h2>Differences from {first}</h2>\n<table>\n<tr><th>variant</th><th>metric</th><th>difference</th><th>95% CI</th></tr>\n{differences}</table>\n<h2>Charts</h2>\n{charts}</body>\n</html>\n",
        fixture = escape(&study.fixture),
        horizon = escape(&horizon),
        seeds = study.seed_count(),
        hash = escape(&source.fixture_blake3[..source.fixture_blake3.len().min(16)]),
        version = escape(&source.regsim_version),
        first = escape(&first),
    )
}

/// The summary as a text table.
pub fn summary_table(rows: &[SummaryRow]) -> String {
    let mut s = format!(
        "{:<20} {:<20} {:>26} {:>30}\n",
        "variant", "metric", "mean ± 95% CI", "vs first ± 95% CI"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:<20} {:<20} {:>26} {:>30}",
            r.variant,
            r.metric,
            r.ci.map_or(format!("{:.0} (no CI)", r.mean), |c| format!(
                "{:.0} ± {c:.0}",
                r.mean
            )),
            r.diff_ci
                .map_or(format!("{:+.0} (no CI)", r.diff), |c| format!(
                    "{:+.0} ± {c:.0}",
                    r.diff
                ))
        );
    }
    s
}
