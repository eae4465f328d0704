//! A sweep's outputs as people read them: the files of a study (CSV, JSON, charts and
//! one self-contained `report.html`), the summary as a text table. The statistics and
//! the runs are `whatif`'s; this module only writes them.

use super::charts::{Bars, Line, Screening, monthly_chart, morris_chart, sobol_chart};
use super::escape;
use crate::whatif::sensitivity::{self, Estimate};
use crate::whatif::sweep::{
    Plan, Run, Source, Study, SummaryRow, design_csv, monthly_bands, monthly_csv,
    monthly_differences, months, point_summaries, point_summary_csv, runs_csv, summarize,
    summary_csv,
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

/// The chart of one metric: its monthly mean per variant with the 95% band over seeds
/// (over the design's points and seeds in a study with a design).
pub(crate) fn metric_chart(study: &Study, runs: &[Run], metric: &str) -> String {
    let money = is_money(metric);
    let over = if study.design.is_some() {
        "points and seeds"
    } else {
        "seeds"
    };
    monthly_chart(
        &format!("{metric} per month: mean and 95% band over {over}"),
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
pub(crate) fn difference_chart(study: &Study, runs: &[Run], metric: &str) -> Option<String> {
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

/// The sensitivity chart of one metric: Sobol indices as bars, or Morris's μ*–σ plane,
/// for each policy change's difference from the first variant (the conclusions), or for
/// the one variant of a study without others; every output is in `sensitivity.csv` and
/// the report's table. `None` without sensitivity rows for the metric.
pub(crate) fn sensitivity_chart(
    study: &Study,
    plan: &Plan,
    rows: &[sensitivity::Row],
    metric: &str,
) -> Option<String> {
    let differences = study.variants.len() > 1;
    let rows: Vec<&sensitivity::Row> = rows
        .iter()
        .filter(|r| r.metric == metric && (!differences || !study.variants.contains_key(&r.output)))
        .collect();
    let names: Vec<String> = plan.parameters.iter().map(|p| p.name.clone()).collect();
    let mut outputs: Vec<&str> = Vec::new();
    for r in &rows {
        if !outputs.contains(&r.output.as_str()) {
            outputs.push(&r.output);
        }
    }
    let of = |o: &str| -> Vec<Estimate> {
        rows.iter()
            .filter(|r| r.output == o)
            .map(|r| r.estimate)
            .collect()
    };
    match rows.first()?.estimate {
        Estimate::Sobol(_) => {
            let bars: Vec<Bars> = outputs
                .iter()
                .map(|o| Bars {
                    name: o.to_string(),
                    values: of(o)
                        .into_iter()
                        .map(|e| match e {
                            Estimate::Sobol(Some(i)) => Some([i.s1, i.s1_conf, i.st, i.st_conf]),
                            _ => None,
                        })
                        .collect(),
                })
                .collect();
            Some(sobol_chart(
                &format!("{metric}: Sobol indices with 95% bootstrap intervals"),
                &names,
                &bars,
            ))
        }
        Estimate::Morris(_) => {
            let points: Vec<Screening> = outputs
                .iter()
                .map(|o| Screening {
                    name: o.to_string(),
                    values: of(o)
                        .into_iter()
                        .map(|e| match e {
                            Estimate::Morris(i) => (i.mu_star, i.sigma),
                            Estimate::Sobol(_) => (0.0, 0.0),
                        })
                        .collect(),
                })
                .collect();
            Some(morris_chart(
                &format!("{metric}: Morris screening (μ* against σ)"),
                &names,
                &points,
                is_money(metric),
            ))
        }
    }
}

/// What a sweep wrote, for the summary on the terminal.
pub(crate) struct Written {
    /// The summary rows (over every point and seed of a variant).
    pub summary: Vec<SummaryRow>,
    /// The sensitivity rows (a `sobol` or `morris` design only).
    pub sensitivity: Vec<sensitivity::Row>,
}

/// The file name of a metric's chart.
fn chart_name(prefix: &str, metric: &str) -> String {
    format!("{prefix}_{}.svg", metric.replace('.', "_"))
}

/// Writes every output of a study into `dir` (each file whole or not at all); returns
/// the summary and sensitivity rows. A study with a design adds `design.csv` and
/// `point_summary.csv`, and with a `sobol` or `morris` design `sensitivity.csv`.
/// `charts` (a whole study, not a shard) adds a chart per metric, a difference chart
/// per metric (with two variants or more), a sensitivity chart per metric, and
/// `report.html`.
pub(crate) fn write_outputs(
    dir: &Path,
    study: &Study,
    source: &Source,
    runs: &[Run],
    charts: bool,
) -> Result<Written, String> {
    let plan = study.plan()?;
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
    write("runs.csv", runs_csv(study, &plan, runs))?;
    write("monthly.csv", monthly_csv(study, &plan, runs))?;
    let rows = summarize(study, runs);
    write("summary.csv", summary_csv(&rows))?;
    let mut indices = Vec::new();
    if plan.has_design() {
        write("design.csv", design_csv(&plan))?;
        write(
            "point_summary.csv",
            point_summary_csv(&point_summaries(study, &plan, runs)),
        )?;
        // Indices need every point: a shard's runs are a slice of the seeds, so its
        // indices would differ from the whole study's; merge computes them.
        if charts {
            indices = sensitivity::of_study(study, &plan, runs);
            if !indices.is_empty() {
                write("sensitivity.csv", sensitivity::sensitivity_csv(&indices))?;
            }
        }
    }
    if charts {
        let mut figures = Vec::new();
        for m in study.metric_list() {
            let chart = metric_chart(study, runs, &m);
            write(&chart_name("chart", &m), chart.clone())?;
            let diff = difference_chart(study, runs, &m);
            if let Some(d) = &diff {
                write(&chart_name("chart_diff", &m), d.clone())?;
            }
            let sens = sensitivity_chart(study, &plan, &indices, &m);
            if let Some(c) = &sens {
                write(&chart_name("chart_sensitivity", &m), c.clone())?;
            }
            figures.push(Figure {
                metric: m,
                chart,
                diff,
                sensitivity: sens,
            });
        }
        write(
            "report.html",
            report_html(study, &plan, source, &rows, &indices, &figures),
        )?;
    }
    Ok(Written {
        summary: rows,
        sensitivity: indices,
    })
}

/// One metric's charts in the report.
pub(crate) struct Figure {
    /// The metric.
    pub metric: String,
    /// Its monthly chart.
    pub chart: String,
    /// Its monthly difference chart (two variants or more).
    pub diff: Option<String>,
    /// Its sensitivity chart (a `sobol` or `morris` design).
    pub sensitivity: Option<String>,
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
pub(crate) fn report_html(
    study: &Study,
    plan: &Plan,
    source: &Source,
    rows: &[SummaryRow],
    indices: &[sensitivity::Row],
    figures: &[Figure],
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
    for f in figures {
        let _ = writeln!(
            charts,
            "<h3>{}</h3>\n<figure>{}</figure>",
            escape(&f.metric),
            f.chart
        );
        for extra in [&f.diff, &f.sensitivity].into_iter().flatten() {
            let _ = writeln!(charts, "<figure>{extra}</figure>");
        }
    }
    let design = design_html(study, plan, indices);
    let horizon = study
        .horizon
        .clone()
        .or_else(|| study.until.clone().map(|u| format!("until {u}")))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Study of {fixture}</title>\n<style>\n  body {{ font-family: sans-serif; max-width: 900px; margin: 2em auto; color: #222; }}\n  table {{ border-collapse: collapse; margin: 1em 0; }}\n  td, th {{ padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }}\n  td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}\n  figure {{ margin: 1em 0; }}\n</style>\n</head>\n<body>\n<h1>Study of {fixture}</h1>\n<p>Horizon {horizon}; {seeds} seeds; fixture BLAKE3 {hash}; regsim {version}. Money in CNY; intervals are 95% over seeds (Student's t), differences are paired by seed against <b>{first}</b>.</p>\n<h2>Variants</h2>\n<ul>\n{variants}</ul>\n{design}<h2>Summary</h2>\n<table>\n<tr><th>variant</th><th>metric</th><th>mean</th><th>95% CI</th></tr>\n{summary}</table>\n<h2>Differences from {first}</h2>\n<table>\n<tr><th>variant</th><th>metric</th><th>difference</th><th>95% CI</th></tr>\n{differences}</table>\n<h2>Charts</h2>\n{charts}</body>\n</html>\n",
        fixture = escape(&study.fixture),
        horizon = escape(&horizon),
        seeds = study.seed_count(),
        hash = escape(&source.fixture_blake3[..source.fixture_blake3.len().min(16)]),
        version = escape(&source.regsim_version),
        first = escape(&first),
    )
}

/// The design and sensitivity sections of the report (empty without a design).
fn design_html(study: &Study, plan: &Plan, indices: &[sensitivity::Row]) -> String {
    let (Some(design), Some(points)) = (&study.design, &plan.points) else {
        return String::new();
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<h2>Design</h2>\n<p>A {} design of {} points (seed {}); every point runs with every variant and seed, and the summary below averages over the points. Per-point results are in <code>point_summary.csv</code>, the points in <code>design.csv</code>.</p>\n<table>\n<tr><th>parameter</th><th>range</th></tr>",
        design.kind.as_str(),
        points.unit.len(),
        design.seed()
    );
    for p in &plan.parameters {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&p.name),
            escape(&p.describe())
        );
    }
    s.push_str("</table>\n");
    if indices.is_empty() {
        return s;
    }
    let morris = matches!(indices[0].estimate, Estimate::Morris(_));
    let _ = writeln!(
        s,
        "<h2>Sensitivity</h2>\n<p>{}</p>\n<table>\n<tr><th>output</th><th>metric</th><th>parameter</th>{}</tr>",
        if morris {
            "Morris screening: μ* is the mean absolute change of the output when the parameter moves across its whole range, σ the spread of those changes (interactions, non-linearity). Money in CNY."
        } else {
            "Sobol indices: S1 is the share of the output's variance over the design due to the parameter alone, ST the share with all its interactions; ± is a 95% bootstrap interval. A difference output is the policy change's effect at each point, so its indices say which assumption its size depends on."
        },
        if morris {
            "<th>μ*</th><th>μ</th><th>σ</th>"
        } else {
            "<th>S1</th><th>ST</th>"
        }
    );
    for r in indices {
        let cells = match r.estimate {
            Estimate::Sobol(Some(i)) => format!(
                "<td class=\"n\">{:.2} ± {:.2}</td><td class=\"n\">{:.2} ± {:.2}</td>",
                i.s1, i.s1_conf, i.st, i.st_conf
            ),
            Estimate::Sobol(None) => {
                "<td colspan=\"2\">does not vary over the design</td>".to_string()
            }
            Estimate::Morris(i) => format!(
                "<td class=\"n\">{} ± {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                shown(&r.metric, i.mu_star),
                shown(&r.metric, i.mu_star_conf),
                shown(&r.metric, i.mu),
                shown(&r.metric, i.sigma)
            ),
        };
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td>{cells}</tr>",
            escape(&r.output),
            escape(&r.metric),
            escape(&r.parameter)
        );
    }
    s.push_str("</table>\n");
    s
}

/// The sensitivity rows as a text table.
pub(crate) fn sensitivity_table(rows: &[sensitivity::Row]) -> String {
    let mut s = String::new();
    for r in rows {
        let numbers = match r.estimate {
            Estimate::Sobol(Some(i)) => format!(
                "S1 {:>5.2} ± {:.2}   ST {:>5.2} ± {:.2}",
                i.s1, i.s1_conf, i.st, i.st_conf
            ),
            Estimate::Sobol(None) => "does not vary".to_string(),
            Estimate::Morris(i) => format!(
                "mu* {:.0} ± {:.0}   mu {:+.0}   sigma {:.0}",
                i.mu_star, i.mu_star_conf, i.mu, i.sigma
            ),
        };
        let _ = writeln!(
            s,
            "{:<28} {:<20} {:<36} {numbers}",
            r.output, r.metric, r.parameter
        );
    }
    s
}

/// The summary as a text table.
pub(crate) fn summary_table(rows: &[SummaryRow]) -> String {
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

/// What a sweep prints: the summary table, then the sensitivity table (with a `sobol`
/// or `morris` design).
pub(crate) fn written_text(w: &Written) -> String {
    let mut s = summary_table(&w.summary);
    if !w.sensitivity.is_empty() {
        s.push('\n');
        s.push_str(&sensitivity_table(&w.sensitivity));
    }
    s
}
