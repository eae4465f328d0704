//! Global sensitivity: which varied parameter drives an output, estimated on the points
//! of a `sobol` or `morris` design (`design`).
//!
//! - Sobol indices (Saltelli et al. 2010, as SALib computes them): the outputs are
//!   standardised over all points, then for parameter j, with A, B and ABⱼ the outputs of
//!   the design's matrices and V the variance of A and B together,
//!   S1ⱼ = mean(B · (ABⱼ − A)) / V (first order: the share of the variance due to j
//!   alone) and STⱼ = ½ · mean((A − ABⱼ)²) / V (Jansen's total: j with all its
//!   interactions).
//! - Morris's elementary effects: along each trajectory, the change of the output when
//!   one parameter moves by ±Δ, divided by the signed step (in unit coordinates, so an
//!   effect is "per whole range"); μ is their mean, μ* the mean of their absolute values,
//!   σ their standard deviation (interactions and non-linearity).
//!
//! Intervals are bootstrap intervals, SALib's way: resample the base rows (Sobol) or the
//! effects (Morris) with replacement, and report 1.96 times the standard deviation of
//! the resampled estimates as the half-width of a 95% interval.

use super::design::Kind;
use super::sweep::{Plan, Run, Study};
use crate::sim::rng::{Streams, uniform};
use std::collections::HashMap;

/// How many bootstrap resamples an interval takes.
pub(crate) const RESAMPLES: usize = 1000;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// One parameter's Sobol indices, each with the half-width of its 95% bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index.
    pub s1: f64,
    /// Its interval's half-width.
    pub s1_conf: f64,
    /// Total index.
    pub st: f64,
    /// Its interval's half-width.
    pub st_conf: f64,
}

/// One parameter's Morris statistics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect.
    pub mu: f64,
    /// Mean absolute elementary effect.
    pub mu_star: f64,
    /// Half-width of μ*'s 95% bootstrap interval.
    pub mu_star_conf: f64,
    /// Standard deviation of the elementary effects.
    pub sigma: f64,
}

/// The sample standard deviation (n − 1), 0 for fewer than two values.
fn std_dev(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
}

/// The population variance (n).
fn variance(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = xs.clone().count() as f64;
    let m = xs.clone().sum::<f64>() / n;
    xs.map(|x| (x - m).powi(2)).sum::<f64>() / n
}

/// S1ⱼ and STⱼ over the base rows `rows` of standardised outputs laid out per row as A,
/// AB₁ … ABₖ, B.
fn sobol_at(y: &[f64], k: usize, j: usize, rows: &[usize]) -> (f64, f64) {
    let step = k + 2;
    let a = |i: usize| y[i * step];
    let b = |i: usize| y[i * step + k + 1];
    let ab = |i: usize| y[i * step + 1 + j];
    let v = variance(rows.iter().map(|i| a(*i)).chain(rows.iter().map(|i| b(*i))));
    if v <= f64::EPSILON {
        return (0.0, 0.0);
    }
    let n = rows.len() as f64;
    let s1 = rows.iter().map(|i| b(*i) * (ab(*i) - a(*i))).sum::<f64>() / n / v;
    let st = 0.5 * rows.iter().map(|i| (a(*i) - ab(*i)).powi(2)).sum::<f64>() / n / v;
    (s1, st)
}

/// Sobol indices of each of `k` parameters from outputs `y` of a `sobol` design
/// (`N × (k + 2)` values in its order); `seed` seeds the bootstrap. `None` when the
/// output does not vary at all: there is no variance to apportion.
pub fn sobol(y: &[f64], k: usize, seed: u64) -> Option<Vec<SobolIndex>> {
    let step = k + 2;
    if k == 0 || y.is_empty() || !y.len().is_multiple_of(step) {
        return None;
    }
    let n = y.len() / step;
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let sd = variance(y.iter().copied()).sqrt();
    let span = y.iter().fold(f64::NEG_INFINITY, |m, x| m.max(*x))
        - y.iter().fold(f64::INFINITY, |m, x| m.min(*x));
    if !(span > f64::EPSILON && sd > 0.0) {
        return None;
    }
    let y: Vec<f64> = y.iter().map(|x| (x - mean) / sd).collect();
    let mut streams = Streams::new(seed);
    let rng = streams.stream("sensitivity.sobol");
    let resamples: Vec<Vec<usize>> = (0..RESAMPLES)
        .map(|_| {
            (0..n)
                .map(|_| uniform(rng, 0, n as i64 - 1) as usize)
                .collect()
        })
        .collect();
    let all: Vec<usize> = (0..n).collect();
    Some(
        (0..k)
            .map(|j| {
                let (s1, st) = sobol_at(&y, k, j, &all);
                let (b1, bt): (Vec<f64>, Vec<f64>) =
                    resamples.iter().map(|r| sobol_at(&y, k, j, r)).unzip();
                SobolIndex {
                    s1,
                    s1_conf: Z95 * std_dev(&b1),
                    st,
                    st_conf: Z95 * std_dev(&bt),
                }
            })
            .collect(),
    )
}

/// Morris statistics of each of `k` parameters from the unit coordinates `x` and the
/// outputs `y` of a `morris` design (trajectories of `k + 1` points); `seed` seeds the
/// bootstrap.
pub fn morris(x: &[Vec<f64>], y: &[f64], k: usize, seed: u64) -> Vec<MorrisIndex> {
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (xs, ys) in x.chunks(k + 1).zip(y.chunks(k + 1)) {
        for t in 0..xs.len().saturating_sub(1) {
            let Some(j) = (0..k).find(|j| xs[t + 1][*j] != xs[t][*j]) else {
                continue;
            };
            effects[j].push((ys[t + 1] - ys[t]) / (xs[t + 1][j] - xs[t][j]));
        }
    }
    let mut streams = Streams::new(seed);
    let rng = streams.stream("sensitivity.morris");
    effects
        .iter()
        .map(|ee| {
            let n = ee.len().max(1) as f64;
            let mu_star_of =
                |pick: &mut dyn Iterator<Item = f64>| pick.map(f64::abs).sum::<f64>() / n;
            let boot: Vec<f64> = (0..RESAMPLES)
                .map(|_| {
                    let mut pick =
                        (0..ee.len()).map(|_| ee[uniform(rng, 0, ee.len() as i64 - 1) as usize]);
                    mu_star_of(&mut pick)
                })
                .collect();
            MorrisIndex {
                mu: ee.iter().sum::<f64>() / n,
                mu_star: mu_star_of(&mut ee.iter().copied()),
                mu_star_conf: Z95 * std_dev(&boot),
                sigma: std_dev(ee),
            }
        })
        .collect()
}

/// An estimate for one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Estimate {
    /// Sobol indices (none when the output does not vary).
    Sobol(Option<SobolIndex>),
    /// Morris statistics.
    Morris(MorrisIndex),
}

/// One row of `sensitivity.csv`: how much one parameter drives one metric of one output.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    /// A variant, or a later variant's paired difference from the first (`B - A`).
    pub output: String,
    /// The metric.
    pub metric: String,
    /// The parameter.
    pub parameter: String,
    /// The estimate.
    pub estimate: Estimate,
}

/// The sensitivity of every output and metric of a study with a `sobol` or `morris`
/// design to each parameter (empty for other designs). An output's value at a point is
/// its mean over the seeds: each variant's metric, and each later variant's difference
/// from the first, paired by seed (the policy change's effect at that point).
pub(crate) fn of_study(study: &Study, plan: &Plan, runs: &[Run]) -> Vec<Row> {
    let Some(points) = &plan.points else {
        return Vec::new();
    };
    if !matches!(points.kind, Kind::Sobol | Kind::Morris) {
        return Vec::new();
    }
    let seed = study.design.as_ref().map_or(1, |d| d.seed());
    let k = plan.parameters.len();
    let mut by: HashMap<(&str, usize), Vec<&Run>> = HashMap::new();
    for r in runs {
        by.entry((r.variant.as_str(), r.point)).or_default().push(r);
    }
    let first = study
        .variants
        .keys()
        .next()
        .map(String::as_str)
        .unwrap_or("");
    // An output's value at (point, metric).
    let mean = |xs: Vec<f64>| xs.iter().sum::<f64>() / xs.len().max(1) as f64;
    let level = |v: &str, p: usize, m: usize| {
        mean(
            by.get(&(v, p))
                .into_iter()
                .flatten()
                .map(|r| r.totals[m] as f64)
                .collect(),
        )
    };
    let difference = |v: &str, p: usize, m: usize| {
        let base = by.get(&(first, p));
        mean(
            by.get(&(v, p))
                .into_iter()
                .flatten()
                .filter_map(|r| {
                    let b = base?.iter().find(|b| b.seed == r.seed)?;
                    Some((r.totals[m] - b.totals[m]) as f64)
                })
                .collect(),
        )
    };
    // Each variant's level, then each later variant's difference from the first.
    let outputs: Vec<(String, &str, bool)> = study
        .variants
        .keys()
        .map(|v| (v.clone(), v.as_str(), false))
        .chain(
            study
                .variants
                .keys()
                .skip(1)
                .map(|v| (format!("{v} - {first}"), v.as_str(), true)),
        )
        .collect();
    let mut rows = Vec::new();
    for (output, variant, is_difference) in &outputs {
        for (m, metric) in study.metric_list().iter().enumerate() {
            let y: Vec<f64> = (0..plan.point_count())
                .map(|p| {
                    if *is_difference {
                        difference(variant, p, m)
                    } else {
                        level(variant, p, m)
                    }
                })
                .collect();
            let estimates: Vec<Estimate> = match points.kind {
                Kind::Sobol => match sobol(&y, k, seed) {
                    Some(ix) => ix.into_iter().map(|i| Estimate::Sobol(Some(i))).collect(),
                    None => vec![Estimate::Sobol(None); k],
                },
                _ => morris(&points.unit, &y, k, seed)
                    .into_iter()
                    .map(Estimate::Morris)
                    .collect(),
            };
            for (p, e) in plan.parameters.iter().zip(estimates) {
                rows.push(Row {
                    output: output.clone(),
                    metric: metric.clone(),
                    parameter: p.name.clone(),
                    estimate: e,
                });
            }
        }
    }
    rows
}

/// `sensitivity.csv`: for a `sobol` design `output, metric, parameter, S1, S1_conf, ST,
/// ST_conf` (empty cells where the output does not vary), for `morris` `output, metric,
/// parameter, mu, mu_star, mu_star_conf, sigma`; `_conf` is the half-width of a 95%
/// bootstrap interval.
pub(crate) fn sensitivity_csv(rows: &[Row]) -> String {
    let morris = matches!(rows.first().map(|r| r.estimate), Some(Estimate::Morris(_)));
    let header: Vec<String> = ["output", "metric", "parameter"]
        .into_iter()
        .chain(if morris {
            ["mu", "mu_star", "mu_star_conf", "sigma"]
        } else {
            ["S1", "S1_conf", "ST", "ST_conf"]
        })
        .map(String::from)
        .collect();
    let body = rows.iter().map(|r| {
        let numbers: Vec<String> = match r.estimate {
            Estimate::Sobol(Some(i)) => vec![i.s1, i.s1_conf, i.st, i.st_conf]
                .into_iter()
                .map(|x| format!("{x:.6}"))
                .collect(),
            Estimate::Sobol(None) => vec![String::new(); 4],
            Estimate::Morris(i) => vec![i.mu, i.mu_star, i.mu_star_conf, i.sigma]
                .into_iter()
                .map(|x| format!("{x:.6}"))
                .collect(),
        };
        [r.output.clone(), r.metric.clone(), r.parameter.clone()]
            .into_iter()
            .chain(numbers)
            .collect()
    });
    super::sweep::csv_text(std::iter::once(header).chain(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::design::{Design, Kind, Parameter};
    use serde_json::json;
    use std::f64::consts::PI;

    fn unit_params(k: usize) -> Vec<Parameter> {
        (0..k)
            .map(|i| Parameter::parse(&format!("x{i}"), &json!({"low": 0.0, "high": 1.0})).unwrap())
            .collect()
    }

    /// Ishigami's function (a = 7, b = 0.1) on [−π, π]³, with its analytic indices:
    /// V = a²/8 + bπ⁴/5 + b²π⁸/18 + ½, V₁ = ½(1 + bπ⁴/5)², V₂ = a²/8, V₃ = 0,
    /// V₁₃ = b²π⁸ (1/18 − 1/50).
    #[test]
    fn sobol_indices_of_the_ishigami_function_match_the_analytic_values() {
        let (a, b) = (7.0, 0.1);
        let f = |x: &[f64]| {
            let x: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
            x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
        };
        let design = Design {
            kind: Kind::Sobol,
            samples: Some(8192),
            levels: None,
            seed: Some(3),
        };
        let points = design.points(&unit_params(3));
        let y: Vec<f64> = points.unit.iter().map(|x| f(x)).collect();
        let got = sobol(&y, 3, 1).expect("a varying output");
        let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let want = [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)];
        for (j, (s1, st)) in want.iter().enumerate() {
            let g = got[j];
            assert!(
                (g.s1 - s1).abs() < 0.03,
                "S1 of x{}: {} against {s1}",
                j + 1,
                g.s1
            );
            assert!(
                (g.st - st).abs() < 0.03,
                "ST of x{}: {} against {st}",
                j + 1,
                g.st
            );
            // The analytic value lies within (about) its bootstrap interval.
            assert!((g.s1 - s1).abs() < 2.0 * g.s1_conf.max(0.005), "{g:?}");
            assert!((g.st - st).abs() < 2.0 * g.st_conf.max(0.005), "{g:?}");
        }
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        assert_eq!(sobol(&[2.0; 15], 3, 1), None);
        assert_eq!(
            sobol(&[1.0, 2.0, 3.0], 3, 1),
            None,
            "not N × (k + 2) values"
        );
    }

    /// On a linear function every elementary effect is exact: the coefficient times the
    /// width of the range, whatever the trajectory.
    #[test]
    fn morris_effects_of_a_linear_function_are_its_coefficients() {
        let c = [3.0, -2.0, 0.0, 0.5];
        let design = Design {
            kind: Kind::Morris,
            samples: Some(10),
            levels: Some(4),
            seed: Some(9),
        };
        let points = design.points(&unit_params(4));
        let y: Vec<f64> = points
            .unit
            .iter()
            .map(|x| x.iter().zip(c).map(|(u, c)| u * c).sum())
            .collect();
        let got = morris(&points.unit, &y, 4, 1);
        for (j, c) in c.iter().enumerate() {
            assert!((got[j].mu - c).abs() < 1e-9, "{:?}", got[j]);
            assert!((got[j].mu_star - c.abs()).abs() < 1e-9);
            assert!(got[j].sigma.abs() < 1e-9);
            assert!(got[j].mu_star_conf.abs() < 1e-9);
        }
    }

    /// An interaction shows in σ: for x₀·x₁ the effect of x₀ depends on x₁.
    #[test]
    fn morris_sigma_shows_interactions() {
        let design = Design {
            kind: Kind::Morris,
            samples: Some(40),
            levels: Some(4),
            seed: Some(5),
        };
        let points = design.points(&unit_params(3));
        let y: Vec<f64> = points.unit.iter().map(|x| x[0] * x[1]).collect();
        let got = morris(&points.unit, &y, 3, 1);
        assert!(got[0].sigma > 0.1 && got[1].sigma > 0.1, "{got:?}");
        assert_eq!(got[2].mu_star, 0.0);
    }
}
