//! A sweep's outputs as people read them: the files of a study (CSV, JSON, charts and
//! one self-contained `report.html`), the summary as a text table. The statistics and
//! the runs are `whatif`'s; this module only writes them.

use super::charts::{Bars, Line, Screening, monthly_chart, morris_chart, sobol_chart};
use super::{page, printable};
use crate::whatif::sensitivity::{self, Estimate};
use crate::whatif::sweep::{
    Plan, Run, Source, Study, SummaryRow, design_csv, monthly_bands, monthly_csv,
    monthly_differences, months, point_summaries, point_summary_csv, runs_csv, summarize,
    summary_csv,
};
use askama::Template;
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

/// The report page; every value is escaped by the template, but the charts, which are
/// SVG regsim drew (its text escaped by the chart writer).
#[derive(Template)]
#[template(
    ext = "html",
    source = r#"{% macro table(heading, rows) -%}
<table>
<tr><th>variant</th><th>metric</th><th>{{ heading }}</th><th>95% CI</th></tr>
{% for r in rows -%}
<tr><td>{{ r[0] }}</td><td>{{ r[1] }}</td><td class="n">{{ r[2] }}</td><td class="n">{{ r[3] }}</td></tr>
{% endfor -%}
</table>
{% endmacro -%}
<h1>Study of {{ fixture }}</h1>
<p>Horizon {{ horizon }}; {{ seeds }} seeds; fixture BLAKE3 {{ hash }}; regsim {{ version }}. Money in CNY; intervals are 95% over seeds (Student's t), differences are paired by seed against <b>{{ first }}</b>.</p>
<h2>Variants</h2>
<ul>
{% for (name, set) in variants -%}
<li><b>{{ name }}</b>: {{ set }}</li>
{% endfor -%}
</ul>
{% if let Some(d) = design -%}
<h2>Design</h2>
<p>A {{ d.kind }} design of {{ d.points }} points (seed {{ d.seed }}); every point runs with every variant and seed, and the summary below averages over the points. Per-point results are in <code>point_summary.csv</code>, the points in <code>design.csv</code>.</p>
<table>
<tr><th>parameter</th><th>range</th></tr>
{% for (name, range) in d.parameters -%}
<tr><td>{{ name }}</td><td>{{ range }}</td></tr>
{% endfor -%}
</table>
{% if !d.indices.is_empty() -%}
<h2>Sensitivity</h2>
{% if d.morris -%}
<p>Morris screening: μ* is the mean absolute change of the output when the parameter moves across its whole range, σ the spread of those changes (interactions, non-linearity). Money in CNY.</p>
<table>
<tr><th>output</th><th>metric</th><th>parameter</th><th>μ*</th><th>μ</th><th>σ</th></tr>
{% else -%}
<p>Sobol indices: S1 is the share of the output's variance over the design due to the parameter alone, ST the share with all its interactions; ± is a 95% bootstrap interval. A difference output is the policy change's effect at each point, so its indices say which assumption its size depends on.</p>
<table>
<tr><th>output</th><th>metric</th><th>parameter</th><th>S1</th><th>ST</th></tr>
{% endif -%}
{% for r in d.indices -%}
<tr><td>{{ r.output }}</td><td>{{ r.metric }}</td><td>{{ r.parameter }}</td>
{%- if let Some(cells) = r.cells -%}
{% for c in cells %}<td class="n">{{ c }}</td>{% endfor -%}
{% else %}<td colspan="2">does not vary over the design</td>
{%- endif %}</tr>
{% endfor -%}
</table>
{% endif -%}
{% endif -%}
<h2>Summary</h2>
{% call table("mean", summary) %}{% endcall -%}
<h2>Differences from {{ first }}</h2>
{% call table("difference", differences) %}{% endcall -%}
<h2>Charts</h2>
{% for f in figures -%}
<h3>{{ f.metric }}</h3>
<figure>{{ f.chart|safe }}</figure>
{% for extra in f.extras -%}
<figure>{{ extra|safe }}</figure>
{% endfor -%}
{% endfor -%}
"#
)]
struct ReportPage<'a> {
    fixture: String,
    horizon: String,
    seeds: u64,
    hash: String,
    version: String,
    /// The first variant, which differences are taken against.
    first: String,
    /// Each variant and the policy it sets.
    variants: Vec<(String, String)>,
    design: Option<DesignSection>,
    /// variant, metric, mean, interval.
    summary: Vec<[String; 4]>,
    /// variant, metric, difference, interval (every variant but the first).
    differences: Vec<[String; 4]>,
    figures: Vec<FigureSection<'a>>,
}

/// The design and sensitivity sections of the report.
struct DesignSection {
    kind: &'static str,
    points: usize,
    seed: u64,
    /// Each parameter and its range.
    parameters: Vec<(String, String)>,
    /// Whether the indices are Morris screening (else Sobol).
    morris: bool,
    indices: Vec<IndexRow>,
}

/// One row of the sensitivity table.
struct IndexRow {
    output: String,
    metric: String,
    parameter: String,
    /// The estimates, none when the output does not vary over the design.
    cells: Option<Vec<String>>,
}

/// One metric's charts: its monthly chart, then its difference and sensitivity charts.
struct FigureSection<'a> {
    metric: String,
    chart: &'a str,
    extras: Vec<&'a str>,
}

const STYLE: &str =
    "  body { font-family: sans-serif; max-width: 900px; margin: 2em auto; color: #222; }
  table { border-collapse: collapse; margin: 1em 0; }
  td, th { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  figure { margin: 1em 0; }
";

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
    let variants = study
        .variants
        .iter()
        .map(|(name, overrides)| {
            let set = if overrides.is_empty() {
                "the fixture's policy".to_string()
            } else {
                let set: Vec<String> = overrides
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect();
                set.join(", ")
            };
            (printable(name), printable(&set))
        })
        .collect();
    let ci =
        |m: &str, c: Option<f64>| c.map_or("no CI".to_string(), |c| format!("± {}", shown(m, c)));
    let first = study.variants.keys().next().cloned().unwrap_or_default();
    let row = |r: &SummaryRow, value: f64, half: Option<f64>| {
        [
            printable(&r.variant),
            printable(&r.metric),
            shown(&r.metric, value),
            ci(&r.metric, half),
        ]
    };
    let summary = rows.iter().map(|r| row(r, r.mean, r.ci)).collect();
    let differences = rows
        .iter()
        .filter(|r| r.variant != first)
        .map(|r| row(r, r.diff, r.diff_ci))
        .collect();
    let figures = figures
        .iter()
        .map(|f| FigureSection {
            metric: printable(&f.metric),
            chart: &f.chart,
            extras: [&f.diff, &f.sensitivity]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect(),
        })
        .collect();
    let horizon = study
        .horizon
        .clone()
        .or_else(|| study.until.clone().map(|u| format!("until {u}")))
        .unwrap_or_default();
    let title = format!("Study of {}", study.fixture);
    page(
        &title,
        STYLE,
        &ReportPage {
            fixture: printable(&study.fixture),
            horizon: printable(&horizon),
            seeds: study.seed_count(),
            hash: printable(&source.fixture_blake3[..source.fixture_blake3.len().min(16)]),
            version: printable(&source.regsim_version),
            first: printable(&first),
            variants,
            design: design_section(study, plan, indices),
            summary,
            differences,
            figures,
        },
    )
}

/// The design and sensitivity sections of the report (none without a design).
fn design_section(
    study: &Study,
    plan: &Plan,
    indices: &[sensitivity::Row],
) -> Option<DesignSection> {
    let (Some(design), Some(points)) = (&study.design, &plan.points) else {
        return None;
    };
    let morris = indices
        .first()
        .is_some_and(|r| matches!(r.estimate, Estimate::Morris(_)));
    let indices = indices
        .iter()
        .map(|r| IndexRow {
            output: printable(&r.output),
            metric: printable(&r.metric),
            parameter: printable(&r.parameter),
            cells: match r.estimate {
                Estimate::Sobol(Some(i)) => Some(vec![
                    format!("{:.2} ± {:.2}", i.s1, i.s1_conf),
                    format!("{:.2} ± {:.2}", i.st, i.st_conf),
                ]),
                Estimate::Sobol(None) => None,
                Estimate::Morris(i) => Some(vec![
                    format!(
                        "{} ± {}",
                        shown(&r.metric, i.mu_star),
                        shown(&r.metric, i.mu_star_conf)
                    ),
                    shown(&r.metric, i.mu),
                    shown(&r.metric, i.sigma),
                ]),
            },
        })
        .collect();
    Some(DesignSection {
        kind: design.kind.as_str(),
        points: points.unit.len(),
        seed: design.seed(),
        parameters: plan
            .parameters
            .iter()
            .map(|p| (printable(&p.name), printable(&p.describe())))
            .collect(),
        morris,
        indices,
    })
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
