//! Seeded sweeps: a study names a fixture, a horizon, seeds and policy variants; every
//! (variant, seed) run is reproducible on its own, runs go in parallel across cores, and
//! the results are written as `runs.csv`, `monthly.csv`, `summary.csv` (means with 95%
//! confidence intervals, and differences from the first variant paired by seed, which
//! common random numbers make tight) and SVG charts of the monthly series. `--shard I/N`
//! runs one slice and `merge` combines slices into exactly what one sweep writes.

use super::design::{Design, Parameter, Points};
use super::stats::mean_ci;
use super::view;
use crate::fixture::{self, LoadOptions};
use crate::model::metrics::METRICS;
use crate::model::world::Retention;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Seeds of a study: a count (`20` means 1..=20) or a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Seeds {
    /// Seeds 1..=n.
    Count(u64),
    /// These seeds.
    List(Vec<u64>),
}

/// A study file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// Fixture, relative to the study file.
    pub fixture: String,
    /// How long each run lasts, e.g. `3y` (or give `until`).
    pub horizon: Option<String>,
    /// Until when each run lasts, e.g. `2029-01-01`.
    pub until: Option<String>,
    /// Seeds.
    pub seeds: Seeds,
    /// Variants: a name and the policy overrides (`tlds.com.restore: 40000`, ...).
    pub variants: IndexMap<String, IndexMap<String, serde_json::Value>>,
    /// Metrics to report (default: all).
    #[serde(default)]
    pub metrics: Vec<String>,
    /// Varied parameters: a policy key and its range (`{low, high}`, `{low, high,
    /// integer: true}`) or list of levels. Each point of the design sets them before a
    /// variant's overrides.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, serde_json::Value>,
    /// How the parameters are sampled: `grid`, `lhs`, `sobol` or `morris`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<Design>,
}

/// A study's design worked out: its parameters and, per point, the unit coordinates and
/// the values. A study without parameters has one point that sets nothing.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Plan {
    /// The varied parameters, in the study's order.
    pub parameters: Vec<Parameter>,
    /// The design's points (none without parameters).
    pub points: Option<Points>,
    /// Per point, each parameter's value.
    pub values: Vec<Vec<serde_json::Value>>,
}

impl Plan {
    /// How many points each (variant, seed) runs at.
    pub(crate) fn point_count(&self) -> usize {
        self.values.len()
    }

    /// Whether the study varies parameters (and so writes points).
    pub(crate) fn has_design(&self) -> bool {
        self.points.is_some()
    }
}

/// The most runs (variants × seeds) a study may ask for unless `--max-runs` raises it:
/// a typo such as `seeds: 1000000000` is refused before anything is allocated.
pub const MAX_RUNS: u64 = 1_000_000;

impl Study {
    /// How many seeds the study names.
    pub(crate) fn seed_count(&self) -> u64 {
        match &self.seeds {
            Seeds::Count(n) => *n,
            Seeds::List(v) => v.len() as u64,
        }
    }

    /// The seeds in order (call after [`Study::validate`], which bounds their number).
    pub(crate) fn seed_list(&self) -> Vec<u64> {
        match &self.seeds {
            Seeds::Count(n) => (1..=*n).collect(),
            Seeds::List(v) => v.clone(),
        }
    }

    /// The metrics in order.
    pub(crate) fn metric_list(&self) -> Vec<String> {
        if self.metrics.is_empty() {
            METRICS.iter().map(|s| s.to_string()).collect()
        } else {
            self.metrics.clone()
        }
    }

    /// Every override key of any variant, in first-seen order.
    pub(crate) fn override_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for v in self.variants.values() {
            for k in v.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        keys
    }

    /// The varied parameters, each checked.
    pub(crate) fn parameter_list(&self) -> Result<Vec<Parameter>, String> {
        self.parameters
            .iter()
            .map(|(k, v)| Parameter::parse(k, v))
            .collect()
    }

    /// The design's points and values (call after [`Study::validate`]).
    pub(crate) fn plan(&self) -> Result<Plan, String> {
        let parameters = self.parameter_list()?;
        let Some(design) = &self.design else {
            return Ok(Plan {
                parameters,
                points: None,
                values: vec![Vec::new()],
            });
        };
        design.point_count(&parameters)?;
        let points = design.points(&parameters);
        let values = super::design::values(&parameters, &points);
        Ok(Plan {
            parameters,
            points: Some(points),
            values,
        })
    }

    /// Checks the study before anything runs; it may ask for at most `max_runs` runs.
    pub(crate) fn validate(&self, max_runs: u64) -> Result<(), String> {
        if self.variants.is_empty() {
            return Err("a study needs at least one variant".into());
        }
        let seeds = self.seed_count();
        if seeds == 0 {
            return Err("a study needs at least one seed".into());
        }
        let parameters = self.parameter_list()?;
        let points = match (&self.design, parameters.is_empty()) {
            (None, true) => 1,
            (Some(d), false) => d.point_count(&parameters)?,
            (None, false) => {
                return Err(
                    "parameters need a design: add `design: {kind: grid}` (or lhs, sobol, morris)"
                        .into(),
                );
            }
            (Some(_), true) => {
                return Err("a design needs parameters to vary (`parameters:`)".into());
            }
        };
        if let Some((variant, key)) = self.variants.iter().find_map(|(v, o)| {
            o.keys()
                .find(|k| self.parameters.contains_key(*k))
                .map(|k| (v, k))
        }) {
            return Err(format!(
                "variant `{variant}` sets `{key}`, which is a varied parameter: a key is either varied by the design or set by variants"
            ));
        }
        let runs = seeds
            .saturating_mul(self.variants.len() as u64)
            .saturating_mul(points);
        if runs > max_runs {
            let points = if self.design.is_some() {
                format!(" × {points} points")
            } else {
                String::new()
            };
            return Err(format!(
                "{seeds} seeds × {} variants{points} is {runs} runs, more than the {max_runs} a study may ask for (raise it with --max-runs)",
                self.variants.len()
            ));
        }
        if let Seeds::List(list) = &self.seeds {
            let mut seen = std::collections::BTreeSet::new();
            if let Some(twice) = list.iter().find(|s| !seen.insert(**s)) {
                return Err(format!(
                    "seed {twice} is listed twice: each (variant, seed) runs once"
                ));
            }
        }
        if self.horizon.is_some() == self.until.is_some() {
            return Err(
                "give exactly one of `horizon` (e.g. 3y or 6mo) and `until` (e.g. 2029-01-01)"
                    .into(),
            );
        }
        if let Some(h) = &self.horizon {
            match crate::sim::parse_span(h)? {
                crate::sim::Span::Seconds(s) if s < crate::sim::DAY => {
                    return Err(format!(
                        "horizon `{h}` is under a day, likely a mistake (`m` is minutes; months are `mo`, as in 6mo)"
                    ));
                }
                _ => {}
            }
        }
        for m in self.metric_list() {
            if !METRICS.contains(&m.as_str()) {
                return Err(format!(
                    "`{m}` is not a metric; the metrics are {}",
                    METRICS.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// One run's results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Variant name.
    pub variant: String,
    /// The design point (0 in a study without parameters).
    pub point: usize,
    /// Seed.
    pub seed: u64,
    /// Total of each study metric at the horizon.
    pub totals: Vec<i64>,
    /// Per month: the month and each metric's monthly value.
    pub monthly: Vec<(String, Vec<i64>)>,
}

/// Runs one (variant, point, seed): the point's parameter values are set first, then
/// the variant's overrides.
pub(crate) fn run_one(
    study: &Study,
    plan: &Plan,
    fixture: &Path,
    variant: &str,
    point: usize,
    seed: u64,
) -> Result<Run, String> {
    let options = LoadOptions {
        seed: Some(seed),
        retention: Retention::BULK,
        event_by_event: false,
    };
    let mut world = fixture::load_file(fixture, options).map_err(|e| e.to_string())?;
    let values = plan.values.get(point).ok_or("no such design point")?;
    for (p, v) in plan.parameters.iter().zip(values) {
        crate::dispatch::set_policy(&mut world, &p.name, v.clone())
            .map_err(|r| format!("point {point}: {} = {v}: {}", p.name, r.message))?;
    }
    let overrides = study.variants.get(variant).cloned().unwrap_or_default();
    for (k, v) in overrides {
        crate::dispatch::set_policy(&mut world, &k, v)
            .map_err(|r| format!("variant {variant}: {k}: {}", r.message))?;
    }
    let target = match (&study.horizon, &study.until) {
        (Some(h), _) => crate::ops::timeline::span_target(&world, h),
        (_, Some(u)) => crate::ops::timeline::time_target(u),
        _ => unreachable!("validated"),
    }
    .map_err(|r| r.message)?;
    crate::dispatch::advance_to(&mut world, target).map_err(|r| r.message)?;
    let metrics = study.metric_list();
    let totals = view::totals(&world);
    // The last, partial period: from the last month start to the horizon, including
    // what happened at the horizon instant itself, so that the monthly flows add up to
    // the totals (a horizon on a month start makes it that instant alone).
    let label = world.now().date_string()[..7].to_string();
    world.metrics.months.push(super::sample(&world, label));
    let samples = &world.metrics.months;
    let series: Vec<Vec<i64>> = metrics.iter().map(|m| view::monthly(samples, m)).collect();
    let monthly = samples
        .iter()
        .enumerate()
        .map(|(i, s)| (s.month.clone(), series.iter().map(|col| col[i]).collect()))
        .collect();
    Ok(Run {
        variant: variant.to_string(),
        point,
        seed,
        totals: metrics
            .iter()
            .map(|m| totals.get(m.as_str()).copied().unwrap_or(0))
            .collect(),
        monthly,
    })
}

/// Which slice of the runs to do: the seeds at positions `i` with `i % count == index`,
/// each with every variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shard {
    /// 0-based slice index.
    pub index: usize,
    /// Number of slices.
    pub count: usize,
}

impl Shard {
    /// Parses `I/N` (1-based I). A bare `N` takes I from `SLURM_ARRAY_TASK_ID` (minus
    /// `SLURM_ARRAY_TASK_MIN` when set, plus one), as a Slurm job array `--array=1-N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!("--shard `{text}`: write I/N with 1 <= I <= N, or N inside a Slurm job array")
        };
        let (i, n) = match text.split_once('/') {
            Some((i, n)) => (
                i.trim().parse::<usize>().map_err(|_| bad())?,
                n.trim().parse::<usize>().map_err(|_| bad())?,
            ),
            None => {
                let n = text.trim().parse::<usize>().map_err(|_| bad())?;
                let id: usize = std::env::var("SLURM_ARRAY_TASK_ID")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(bad)?;
                let min: usize = std::env::var("SLURM_ARRAY_TASK_MIN")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                (id + 1 - min.min(id), n)
            }
        };
        if n == 0 || i == 0 || i > n {
            return Err(bad());
        }
        Ok(Shard {
            index: i - 1,
            count: n,
        })
    }
}

/// The journal of a sweep under way: `sweep.journal` in the output folder holds a JSON
/// line naming the study, its source and shard, then one line per finished run, each
/// flushed as it is written. A sweep stopped by SIGINT or SIGKILL keeps every run it
/// finished; `--resume` runs only the rest and writes the outputs an uninterrupted sweep
/// would. The journal is removed once the outputs are written.
pub(crate) struct Journal {
    file: Mutex<std::fs::File>,
    path: PathBuf,
}

/// The journal's first line.
#[derive(Serialize, Deserialize, PartialEq)]
struct JournalHead {
    study: Study,
    source: Source,
    shard: Option<(usize, usize)>,
}

/// A finished run as the journal holds it.
#[derive(Serialize, Deserialize)]
struct JournalRun {
    variant: String,
    #[serde(default)]
    point: usize,
    seed: u64,
    totals: Vec<i64>,
    monthly: Vec<(String, Vec<i64>)>,
}

/// The journal's file name inside the output folder.
pub(crate) const JOURNAL: &str = "sweep.journal";

impl Journal {
    /// Opens the journal of a sweep into `dir`: a new one, or with `resume` the one an
    /// interrupted sweep of the same study, source and shard left, with the runs it
    /// finished. Refuses a journal left in `dir` without `resume`, and one of another
    /// study.
    pub fn open(
        dir: &Path,
        study: &Study,
        source: &Source,
        shard: Option<Shard>,
        resume: bool,
    ) -> Result<(Journal, Vec<Run>), String> {
        use std::io::Write;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join(JOURNAL);
        let head = JournalHead {
            study: study.clone(),
            source: source.clone(),
            shard: shard.map(|s| (s.index, s.count)),
        };
        let mut done = Vec::new();
        if path.exists() {
            let text = crate::files::read_text(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let lines: Vec<&str> = text.lines().collect();
            if !resume {
                return Err(format!(
                    "{} holds an interrupted sweep ({} runs done): continue it with --resume, or remove {}",
                    dir.display(),
                    lines.len().saturating_sub(1),
                    path.display()
                ));
            }
            let theirs: Option<JournalHead> =
                lines.first().and_then(|l| serde_json::from_str(l).ok());
            if theirs.as_ref() != Some(&head) {
                return Err(format!(
                    "{} is the journal of another study, fixture, version or shard; resume refused",
                    path.display()
                ));
            }
            for (n, line) in lines.iter().enumerate().skip(1) {
                match serde_json::from_str::<JournalRun>(line) {
                    Ok(r) => done.push(Run {
                        variant: r.variant,
                        point: r.point,
                        seed: r.seed,
                        totals: r.totals,
                        monthly: r.monthly,
                    }),
                    // A line cut short by the kill that stopped the sweep.
                    Err(_) if n + 1 == lines.len() && !text.ends_with('\n') => {}
                    Err(e) => return Err(format!("{}:{}: {e}", path.display(), n + 1)),
                }
            }
        }
        // Start the file again from what was read, so that a line cut short is gone.
        let mut text = serde_json::to_string(&head).map_err(|e| e.to_string())? + "\n";
        for r in &done {
            text += &journal_line(r)?;
        }
        crate::files::write_atomically(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {e}"))?;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        file.flush().map_err(|e| e.to_string())?;
        Ok((
            Journal {
                file: Mutex::new(file),
                path,
            },
            done,
        ))
    }

    /// Appends a finished run, flushed.
    fn record(&self, run: &Run) -> Result<(), String> {
        use std::io::Write;
        let line = journal_line(run)?;
        let mut file = self
            .file
            .lock()
            .map_err(|_| "the journal's lock is poisoned")?;
        file.write_all(line.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }

    /// Removes the journal once the outputs are written.
    pub fn finish(self) -> Result<(), String> {
        std::fs::remove_file(&self.path)
            .map_err(|e| format!("cannot remove {}: {e}", self.path.display()))
    }
}

fn journal_line(r: &Run) -> Result<String, String> {
    let j = JournalRun {
        variant: r.variant.clone(),
        point: r.point,
        seed: r.seed,
        totals: r.totals.clone(),
        monthly: r.monthly.clone(),
    };
    Ok(serde_json::to_string(&j).map_err(|e| e.to_string())? + "\n")
}

/// A run's place in a study: (variant, point, seed).
type RunKey = (String, usize, u64);

/// Runs the study (or one shard of it: every N-th seed, with all its variants and
/// points, so that a shard holds whole pairs) on `jobs` threads; results in (variant,
/// point, seed) order. Runs in `done` (resumed from a journal) are not run again; each
/// run that finishes is recorded in `journal`. `progress` is told each finished run.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_study(
    study: &Study,
    study_path: &Path,
    jobs: usize,
    shard: Option<Shard>,
    max_runs: u64,
    journal: Option<&Journal>,
    done: Vec<Run>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Run>, String> {
    study.validate(max_runs)?;
    let plan = study.plan()?;
    let fixture = study_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(&study.fixture);
    let seeds: Vec<u64> = study
        .seed_list()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shard.is_none_or(|s| i % s.count == s.index))
        .map(|(_, s)| s)
        .collect();
    let all: Vec<RunKey> = study
        .variants
        .keys()
        .flat_map(|v| {
            let seeds = &seeds;
            (0..plan.point_count()).flat_map(move |p| seeds.iter().map(move |s| (v.clone(), p, *s)))
        })
        .collect();
    let mut done: std::collections::HashMap<RunKey, Run> = done
        .into_iter()
        .map(|r| ((r.variant.clone(), r.point, r.seed), r))
        .collect();
    let mine: Vec<&RunKey> = all.iter().filter(|k| !done.contains_key(*k)).collect();
    let total = all.len();
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(all.len() - mine.len());
    let results: Mutex<Vec<Option<Result<Run, String>>>> = Mutex::new(vec![None; mine.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(mine.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((variant, point, seed)) = mine.get(i) else {
                        break;
                    };
                    let r = run_one(study, &plan, &fixture, variant, *point, *seed)
                        .and_then(|run| journal.map_or(Ok(()), |j| j.record(&run)).map(|()| run));
                    if let Ok(mut guard) = results.lock() {
                        guard[i] = Some(r);
                    }
                    progress(finished.fetch_add(1, Ordering::SeqCst) + 1, total);
                }
            });
        }
    });
    let results = results
        .into_inner()
        .map_err(|_| "a run panicked".to_string())?;
    let mut fresh = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("a run did not finish".into())))
        .collect::<Result<Vec<Run>, String>>()?
        .into_iter();
    // Back into (variant, point, seed) order.
    all.iter()
        .map(|k| match done.remove(k) {
            Some(r) => Ok(r),
            None => fresh.next().ok_or_else(|| "a run is missing".to_string()),
        })
        .collect()
}

/// Rows as CSV text (the `csv` crate: fields quoted only where they must be).
pub(crate) fn csv_text(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(&row);
    }
    w.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The data rows of an output file, each with its 1-based line, after checking that
/// its header and every row's number of fields are those of `expected` (the file as
/// the study writes it, headers alone).
fn checked_rows(
    text: &str,
    file: &str,
    expected: &str,
) -> Result<Vec<(usize, Vec<String>)>, String> {
    let records = csv_records(text, file)?;
    let header = csv_records(expected, file)?;
    let Some(header) = header.first().map(|r| &r.1) else {
        return Err(format!("{file}: the study writes no header"));
    };
    if records.first().map(|r| &r.1) != Some(header) {
        return Err(format!(
            "{file}:1: the header is not the one this study writes"
        ));
    }
    let rows: Vec<_> = records.into_iter().skip(1).collect();
    if let Some((n, f)) = rows.iter().find(|(_, f)| f.len() != header.len()) {
        return Err(format!(
            "{file}:{n}: {} fields where the study writes {}",
            f.len(),
            header.len()
        ));
    }
    Ok(rows)
}

/// CSV text as records, each with its 1-based line; the first is the header.
fn csv_records(text: &str, file: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.map_err(|e| format!("{file}: {e}"))?;
            let line = rec.position().map_or(0, |p| p.line() as usize);
            Ok((line, rec.iter().map(str::to_string).collect()))
        })
        .collect()
}

/// A parameter's value as a CSV cell: strings bare, everything else as JSON.
pub(crate) fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `runs.csv`: one row per run: the variant, the design point (with parameters), the
/// seed, every override (empty where a variant leaves it), each parameter's value at
/// the point (with parameters), every metric, the regsim version.
pub(crate) fn runs_csv(study: &Study, plan: &Plan, runs: &[Run]) -> String {
    let keys = study.override_keys();
    let metrics = study.metric_list();
    let design = plan.has_design();
    let mut header = vec!["variant".to_string()];
    if design {
        header.push("point".into());
    }
    header.push("seed".into());
    header.extend(keys.iter().cloned());
    header.extend(plan.parameters.iter().map(|p| p.name.clone()));
    header.extend(metrics.iter().cloned());
    header.push("regsim_version".into());
    let rows = runs.iter().map(|r| {
        let overrides = study.variants.get(&r.variant).cloned().unwrap_or_default();
        let mut row = vec![r.variant.clone()];
        if design {
            row.push(r.point.to_string());
        }
        row.push(r.seed.to_string());
        row.extend(
            keys.iter()
                .map(|k| overrides.get(k).map(|v| v.to_string()).unwrap_or_default()),
        );
        row.extend(plan.values.get(r.point).into_iter().flatten().map(cell));
        row.extend(r.totals.iter().map(|v| v.to_string()));
        row.push(env!("CARGO_PKG_VERSION").to_string());
        row
    });
    csv_text(std::iter::once(header).chain(rows))
}

/// `monthly.csv`: variant, design point (with parameters), seed, month, and each
/// metric's monthly value.
pub(crate) fn monthly_csv(study: &Study, plan: &Plan, runs: &[Run]) -> String {
    let design = plan.has_design();
    let mut header = vec!["variant".to_string()];
    if design {
        header.push("point".into());
    }
    header.extend(["seed".to_string(), "month".into()]);
    header.extend(study.metric_list());
    let rows = runs.iter().flat_map(|r| {
        r.monthly.iter().map(move |(month, values)| {
            let mut row = vec![r.variant.clone()];
            if design {
                row.push(r.point.to_string());
            }
            row.extend([r.seed.to_string(), month.clone()]);
            row.extend(values.iter().map(|v| v.to_string()));
            row
        })
    });
    csv_text(std::iter::once(header).chain(rows))
}

/// `design.csv`: one row per design point: its number, each parameter's value, and
/// each parameter's unit coordinate (`u(NAME)`, in `[0, 1]`, what the sensitivity
/// estimators read).
pub(crate) fn design_csv(plan: &Plan) -> String {
    let mut header = vec!["point".to_string()];
    header.extend(plan.parameters.iter().map(|p| p.name.clone()));
    header.extend(plan.parameters.iter().map(|p| format!("u({})", p.name)));
    let unit = plan
        .points
        .as_ref()
        .map(|p| p.unit.as_slice())
        .unwrap_or(&[]);
    let rows = plan.values.iter().zip(unit).enumerate().map(|(i, (v, u))| {
        let mut row = vec![i.to_string()];
        row.extend(v.iter().map(cell));
        row.extend(u.iter().map(|x| x.to_string()));
        row
    });
    csv_text(std::iter::once(header).chain(rows))
}

/// One summary row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SummaryRow {
    /// Variant.
    pub variant: String,
    /// Metric.
    pub metric: String,
    /// Mean over seeds.
    pub mean: f64,
    /// Half-width of its 95% interval (none with a single seed).
    pub ci: Option<f64>,
    /// Mean difference from the first variant, paired by seed.
    pub diff: f64,
    /// Half-width of the difference's 95% interval (none with a single seed).
    pub diff_ci: Option<f64>,
}

/// Summary statistics per variant and metric, over every run of the variant (all seeds,
/// and all design points: the outcome averaged over the design); differences are paired
/// by (point, seed).
pub(crate) fn summarize<R: std::borrow::Borrow<Run>>(study: &Study, runs: &[R]) -> Vec<SummaryRow> {
    let metrics = study.metric_list();
    let first = study.variants.keys().next().cloned().unwrap_or_default();
    let base = baselines(runs, &first);
    let mut rows = Vec::new();
    for v in study.variants.keys() {
        for (mi, m) in metrics.iter().enumerate() {
            let xs: Vec<(usize, u64, f64)> = runs
                .iter()
                .map(|r| r.borrow())
                .filter(|r| &r.variant == v)
                .map(|r| (r.point, r.seed, r.totals[mi] as f64))
                .collect();
            let (mean, ci) = mean_ci(&xs.iter().map(|x| x.2).collect::<Vec<_>>());
            let diffs: Vec<f64> = xs
                .iter()
                .filter_map(|(point, seed, x)| {
                    base.get(&(*point, *seed)).map(|b| x - b.totals[mi] as f64)
                })
                .collect();
            let (diff, diff_ci) = mean_ci(&diffs);
            rows.push(SummaryRow {
                variant: v.clone(),
                metric: m.clone(),
                mean,
                ci,
                diff,
                diff_ci,
            });
        }
    }
    rows
}

/// The first variant's runs by (point, seed), to pair the other variants' runs with.
fn baselines<'a, R: std::borrow::Borrow<Run>>(
    runs: &'a [R],
    first: &str,
) -> std::collections::HashMap<(usize, u64), &'a Run> {
    runs.iter()
        .map(|b| b.borrow())
        .filter(|b| b.variant == first)
        .map(|b| ((b.point, b.seed), b))
        .collect()
}

/// Summary statistics per design point, variant and metric, over the seeds.
pub(crate) fn point_summaries(
    study: &Study,
    plan: &Plan,
    runs: &[Run],
) -> Vec<(usize, SummaryRow)> {
    let mut by_point: Vec<Vec<&Run>> = vec![Vec::new(); plan.point_count()];
    for r in runs {
        if let Some(v) = by_point.get_mut(r.point) {
            v.push(r);
        }
    }
    by_point
        .iter()
        .enumerate()
        .flat_map(|(p, runs)| summarize(study, runs).into_iter().map(move |row| (p, row)))
        .collect()
}

/// `summary.csv`.
pub(crate) fn summary_csv(rows: &[SummaryRow]) -> String {
    summary_rows_csv(rows.iter().map(|r| (None, r)))
}

/// `point_summary.csv`: `summary.csv` per design point.
pub(crate) fn point_summary_csv(rows: &[(usize, SummaryRow)]) -> String {
    summary_rows_csv(rows.iter().map(|(p, r)| (Some(*p), r)))
}

fn summary_rows_csv<'a>(rows: impl Iterator<Item = (Option<usize>, &'a SummaryRow)>) -> String {
    let rows: Vec<_> = rows.collect();
    let with_point = rows.first().is_some_and(|(p, _)| p.is_some());
    let header = [
        "variant",
        "metric",
        "mean",
        "ci_low",
        "ci_high",
        "diff_from_first",
        "diff_ci_low",
        "diff_ci_high",
    ]
    .map(String::from)
    .to_vec();
    let header = if with_point {
        std::iter::once("point".to_string()).chain(header).collect()
    } else {
        header
    };
    // No interval (one seed): empty cells, never "± 0".
    let bounds = |m: f64, ci: Option<f64>| {
        ci.map_or([String::new(), String::new()], |c| {
            [format!("{:.2}", m - c), format!("{:.2}", m + c)]
        })
    };
    let body = rows.iter().map(|(p, r)| {
        let [lo, hi] = bounds(r.mean, r.ci);
        let [dlo, dhi] = bounds(r.diff, r.diff_ci);
        p.map(|p| p.to_string())
            .into_iter()
            .chain([
                r.variant.clone(),
                r.metric.clone(),
                format!("{:.2}", r.mean),
                lo,
                hi,
                format!("{:.2}", r.diff),
                dlo,
                dhi,
            ])
            .collect::<Vec<_>>()
    });
    csv_text(std::iter::once(header).chain(body))
}

/// Per month `t < months`, the mean of `values(t)` and the half-width of its 95%
/// interval (0 without one).
fn bands(months: usize, values: impl Fn(usize) -> Vec<f64>) -> Vec<(f64, f64)> {
    (0..months)
        .map(|t| {
            let (m, c) = mean_ci(&values(t));
            (m, c.unwrap_or(0.0))
        })
        .collect()
}

/// A metric's monthly series per variant over the seeds: per month, the mean and the
/// half-width of its 95% interval (0 without one), in the study's variant order.
pub(crate) fn monthly_bands(
    study: &Study,
    runs: &[Run],
    metric: &str,
) -> Vec<(String, Vec<(f64, f64)>)> {
    let mi = study
        .metric_list()
        .iter()
        .position(|m| m == metric)
        .unwrap_or(0);
    let months = runs.first().map_or(0, |r| r.monthly.len());
    study
        .variants
        .keys()
        .map(|v| {
            let points = bands(months, |t| {
                runs.iter()
                    .filter(|r| &r.variant == v)
                    .filter_map(|r| r.monthly.get(t).map(|m| m.1[mi] as f64))
                    .collect()
            });
            (v.clone(), points)
        })
        .collect()
}

/// Each later variant's monthly difference from the first, paired by seed: per month,
/// the mean difference and the half-width of its 95% interval (0 without one).
pub(crate) fn monthly_differences(
    study: &Study,
    runs: &[Run],
    metric: &str,
) -> Vec<(String, Vec<(f64, f64)>)> {
    let mi = study
        .metric_list()
        .iter()
        .position(|m| m == metric)
        .unwrap_or(0);
    let months = runs.first().map_or(0, |r| r.monthly.len());
    let Some(first) = study.variants.keys().next() else {
        return Vec::new();
    };
    let base = baselines(runs, first);
    study
        .variants
        .keys()
        .skip(1)
        .map(|v| {
            let points = bands(months, |t| {
                runs.iter()
                    .filter(|r| &r.variant == v)
                    .filter_map(|r| {
                        let base = base.get(&(r.point, r.seed))?;
                        Some((r.monthly.get(t)?.1[mi] - base.monthly.get(t)?.1[mi]) as f64)
                    })
                    .collect()
            });
            (format!("{v} - {first}"), points)
        })
        .collect()
}

/// The months of a sweep's monthly series.
pub fn months(runs: &[Run]) -> Vec<String> {
    runs.first()
        .map(|r| r.monthly.iter().map(|m| m.0.clone()).collect())
        .unwrap_or_default()
}

/// Where a sweep's runs came from: the fixture's content and the regsim that ran them.
/// Written as `source.json` beside the runs; `merge` refuses shards that disagree (a
/// shard run after the fixture changed, or by another version).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// BLAKE3 of the fixture file's bytes.
    pub fixture_blake3: String,
    /// The regsim version that ran the study.
    pub regsim_version: String,
}

impl Source {
    /// The source of a study read from `study_path` (its fixture lies beside it).
    pub fn of(study: &Study, study_path: &Path) -> Result<Source, String> {
        let fixture = study_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(&study.fixture);
        let bytes = crate::files::read_regular(&fixture, crate::files::MAX_TEXT_BYTES)
            .map_err(|e| format!("cannot read the fixture {}: {e}", fixture.display()))?;
        Ok(Source {
            fixture_blake3: blake3::hash(&bytes).to_hex().to_string(),
            regsim_version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }
}

/// Reads back the runs a sweep (or shard) wrote into `dir`, checking every row: the
/// header the study gives, the number of fields, numbers that parse, variants and seeds
/// of the study, each (variant, seed) once, and monthly rows of known runs. A damaged
/// or hand-edited file is refused, naming its line, rather than read as zeros.
pub(crate) fn read_outputs(dir: &Path, max_runs: u64) -> Result<(Study, Source, Vec<Run>), String> {
    let path = |name: &str| dir.join(name).display().to_string();
    let read = |name: &str| {
        crate::files::read_text(&dir.join(name))
            .map_err(|e| format!("cannot read {}: {e}", path(name)))
    };
    let study: Study = serde_json::from_str(&read("study.json")?)
        .map_err(|e| format!("{}: {e}", path("study.json")))?;
    study
        .validate(max_runs)
        .map_err(|e| format!("{}: {e}", path("study.json")))?;
    let source: Source = serde_json::from_str(&read("source.json")?)
        .map_err(|e| format!("{}: {e}", path("source.json")))?;
    let plan = study
        .plan()
        .map_err(|e| format!("{}: {e}", path("study.json")))?;
    let design = plan.has_design();
    let seeds = study.seed_list();
    let keys = study.override_keys().len();
    let nm = study.metric_list().len();
    let np = plan.parameters.len();
    let metrics = study.metric_list();
    let number = |name: &str, n: usize, metric: usize, v: &str| {
        let x = v
            .parse::<i64>()
            .map_err(|_| format!("{}:{n}: `{v}` is not a number", path(name)))?;
        if x < 0 && crate::model::metrics::is_count(&metrics[metric]) {
            return Err(format!(
                "{}:{n}: {} is a count and cannot be {x}",
                path(name),
                metrics[metric]
            ));
        }
        Ok(x)
    };
    // The variant, point and seed at the start of a row of runs.csv or monthly.csv,
    // and where the rest begins.
    let key = |name: &str, n: usize, f: &[String]| -> Result<(String, usize, u64, usize), String> {
        let point = if design {
            f[1].parse::<usize>()
                .ok()
                .filter(|p| *p < plan.point_count())
                .ok_or_else(|| {
                    format!(
                        "{}:{n}: `{}` is not a point of the design",
                        path(name),
                        f[1]
                    )
                })?
        } else {
            0
        };
        let at = usize::from(design);
        let seed: u64 = f[1 + at]
            .parse()
            .map_err(|_| format!("{}:{n}: `{}` is not a seed", path(name), f[1 + at]))?;
        Ok((f[0].clone(), point, seed, 2 + at))
    };
    let name_run = |v: &str, p: usize, s: u64| {
        if design {
            format!("variant `{v}` point {p} seed {s}")
        } else {
            format!("variant `{v}` seed {s}")
        }
    };
    let mut runs: Vec<Run> = Vec::new();
    let mut index: std::collections::HashMap<RunKey, usize> = Default::default();
    let rows = checked_rows(
        &read("runs.csv")?,
        &path("runs.csv"),
        &runs_csv(&study, &plan, &[]),
    )?;
    for (n, f) in rows {
        let (variant, point, seed, rest) = key("runs.csv", n, &f)?;
        if !study.variants.contains_key(&variant) || !seeds.contains(&seed) {
            return Err(format!(
                "{}:{n}: {} is not a run of this study",
                path("runs.csv"),
                name_run(&variant, point, seed)
            ));
        }
        let k = (variant.clone(), point, seed);
        if index.contains_key(&k) {
            return Err(format!(
                "{}:{n}: {} appears twice",
                path("runs.csv"),
                name_run(&variant, point, seed)
            ));
        }
        let values = &f[rest + keys..rest + keys + np];
        let want: Vec<String> = plan.values[point].iter().map(cell).collect();
        if values != want.as_slice() {
            return Err(format!(
                "{}:{n}: the parameters of point {point} are not the design's ({})",
                path("runs.csv"),
                want.join(", ")
            ));
        }
        let totals = f[rest + keys + np..rest + keys + np + nm]
            .iter()
            .enumerate()
            .map(|(m, v)| number("runs.csv", n, m, v))
            .collect::<Result<_, _>>()?;
        index.insert(k, runs.len());
        runs.push(Run {
            variant,
            point,
            seed,
            totals,
            monthly: Vec::new(),
        });
    }
    let rows = checked_rows(
        &read("monthly.csv")?,
        &path("monthly.csv"),
        &monthly_csv(&study, &plan, &[]),
    )?;
    for (n, f) in rows {
        let (variant, point, seed, rest) = key("monthly.csv", n, &f)?;
        let Some(r) = index
            .get(&(variant.clone(), point, seed))
            .map(|i| &mut runs[*i])
        else {
            return Err(format!(
                "{}:{n}: {} has no row in runs.csv",
                path("monthly.csv"),
                name_run(&variant, point, seed)
            ));
        };
        let values = f[rest + 1..]
            .iter()
            .enumerate()
            .map(|(m, v)| number("monthly.csv", n, m, v))
            .collect::<Result<_, _>>()?;
        r.monthly.push((f[rest].clone(), values));
    }
    Ok((study, source, runs))
}

/// Merges shard directories: the runs of all, in study order, as one sweep writes them.
/// The shards must form exactly one study: the same study in each, every (variant,
/// point, seed) in exactly one shard. A missing or doubled run is refused, naming it.
pub fn merge(dirs: &[PathBuf], max_runs: u64) -> Result<(Study, Source, Vec<Run>), String> {
    let mut study: Option<(Study, Source, &Path)> = None;
    let mut runs: std::collections::HashMap<RunKey, (Run, &Path)> = Default::default();
    for d in dirs {
        let (s, src, r) = read_outputs(d, max_runs)?;
        if let Some((first, first_src, first_dir)) = &study {
            if *first != s {
                return Err(format!(
                    "{} holds a different study than {}",
                    d.display(),
                    first_dir.display()
                ));
            }
            if first_src.fixture_blake3 != src.fixture_blake3 {
                return Err(format!(
                    "{} ran from another fixture than {} (the fixture changed between the shards)",
                    d.display(),
                    first_dir.display()
                ));
            }
            if first_src.regsim_version != src.regsim_version {
                return Err(format!(
                    "{} was run by regsim {}, {} by regsim {}",
                    d.display(),
                    src.regsim_version,
                    first_dir.display(),
                    first_src.regsim_version
                ));
            }
        } else {
            study = Some((s, src, d.as_path()));
        }
        for run in r {
            let key = (run.variant.clone(), run.point, run.seed);
            if let Some((_, other)) = runs.get(&key) {
                return Err(format!(
                    "variant `{}`{} seed {} is in both {} and {}: each run must be in one shard",
                    run.variant,
                    point_label(study.as_ref().map(|s| &s.0), run.point),
                    run.seed,
                    other.display(),
                    d.display()
                ));
            }
            runs.insert(key, (run, d.as_path()));
        }
    }
    let (study, source, _) = study.ok_or("no directories to merge")?;
    let points = study.plan()?.point_count();
    let mut merged = Vec::with_capacity(runs.len());
    let mut missing = Vec::new();
    for v in study.variants.keys() {
        for p in 0..points {
            for s in study.seed_list() {
                match runs.remove(&(v.clone(), p, s)) {
                    Some((r, _)) => merged.push(r),
                    None => missing.push(format!("`{v}`{} seed {s}", point_label(Some(&study), p))),
                }
            }
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "the shards do not form the whole study: {} runs are missing ({}{})",
            missing.len(),
            missing[..missing.len().min(8)].join(", "),
            if missing.len() > 8 { ", ..." } else { "" }
        ));
    }
    Ok((study, source, merged))
}

/// ` point P` in a study with a design, nothing otherwise.
fn point_label(study: Option<&Study>, point: usize) -> String {
    if study.is_some_and(|s| s.design.is_some()) {
        format!(" point {point}")
    } else {
        String::new()
    }
}
