//! Parameter ranges and sampling designs for studies: which assumptions vary, over which
//! values, and at which points a study runs them. A design works in the unit cube (one
//! coordinate in `[0, 1]` per parameter) and maps each coordinate to a value of its
//! parameter; the sensitivity estimators (`sensitivity`) read the same coordinates.
//!
//! - `grid`: the full factorial over `levels` evenly spaced values of each range (both
//!   ends included) and every level of each list.
//! - `lhs`: a seeded Latin hypercube of `samples` points.
//! - `sobol`: Saltelli's scheme for first-order and total Sobol indices: `samples` base
//!   rows of two matrices A and B (from an Owen-scrambled Sobol sequence, seeded), laid
//!   out per base row as A, AB₁ … ABₖ, B (ABᵢ is A with column i from B): `samples × (k
//!   + 2)` points, SALib's order without second-order terms.
//! - `morris`: `samples` trajectories of Morris's elementary-effects design on a
//!   `levels`-level grid, each `k + 1` points that move one parameter at a time by
//!   Δ = levels / (2 (levels − 1)).

use crate::sim::rng::{Streams, uniform};
use serde::{Deserialize, Serialize};

/// A design's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Full factorial.
    Grid,
    /// Latin hypercube.
    Lhs,
    /// Saltelli's scheme for Sobol indices.
    Sobol,
    /// Morris's elementary effects.
    Morris,
}

impl Kind {
    /// The kind as studies write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Grid => "grid",
            Kind::Lhs => "lhs",
            Kind::Sobol => "sobol",
            Kind::Morris => "morris",
        }
    }
}

/// A study's design: its kind and sizes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// `grid`, `lhs`, `sobol` or `morris`.
    pub kind: Kind,
    /// `lhs`: the number of points; `sobol`: base rows N (a power of two is best; N ×
    /// (k + 2) points); `morris`: trajectories r (r × (k + 1) points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    /// `grid`: values per range (default 3); `morris`: grid levels p, even (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<u64>,
    /// The design's own seed (Latin hypercube, scrambling, trajectories, bootstrap);
    /// default 1. Independent of the run seeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// The most points a design may have, whatever `--max-runs` says.
pub(crate) const MAX_POINTS: u64 = 1_000_000;

/// The default number of values per range in a grid.
const GRID_LEVELS: u64 = 3;
/// The default number of grid levels of a Morris design.
const MORRIS_LEVELS: u64 = 4;

/// What a parameter takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    /// A real range.
    Real {
        /// Lowest value.
        low: f64,
        /// Highest value.
        high: f64,
    },
    /// An integer range, both ends included.
    Integer {
        /// Lowest value.
        low: i64,
        /// Highest value.
        high: i64,
    },
    /// A list of values (numbers, strings or booleans), taken as given.
    Levels(Vec<serde_json::Value>),
}

/// A varied parameter: a policy key (`behaviour.renew_first`, `tlds.com.restore`) and
/// what it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The policy key.
    pub name: String,
    /// Its values.
    pub domain: Domain,
}

impl Parameter {
    /// Reads a study's entry: `{low, high}` (real), `{low, high, integer: true}`, or a
    /// list of levels.
    pub fn parse(name: &str, spec: &serde_json::Value) -> Result<Parameter, String> {
        use serde_json::Value;
        let domain = match spec {
            Value::Array(levels) => {
                if levels.is_empty() {
                    return Err(format!("parameter `{name}`: the list of levels is empty"));
                }
                if let Some((i, _)) = levels
                    .iter()
                    .enumerate()
                    .find(|(i, v)| levels[..*i].contains(v))
                {
                    return Err(format!(
                        "parameter `{name}`: level {} is listed twice",
                        levels[i]
                    ));
                }
                Domain::Levels(levels.clone())
            }
            Value::Object(map) => {
                if let Some(k) = map
                    .keys()
                    .find(|k| !["low", "high", "integer"].contains(&k.as_str()))
                {
                    return Err(format!(
                        "parameter `{name}`: unknown field `{k}` (a range has low, high and optionally integer: true)"
                    ));
                }
                let integer = match map.get("integer") {
                    None => false,
                    Some(Value::Bool(b)) => *b,
                    Some(v) => {
                        return Err(format!(
                            "parameter `{name}`: integer must be true or false, not {v}"
                        ));
                    }
                };
                let bound = |k: &str| -> Result<f64, String> {
                    match map.get(k).and_then(Value::as_f64) {
                        Some(x) if x.is_finite() => Ok(x),
                        Some(_) | None => Err(format!(
                            "parameter `{name}`: a range needs a finite number `{k}`"
                        )),
                    }
                };
                let (low, high) = (bound("low")?, bound("high")?);
                if low >= high {
                    return Err(format!(
                        "parameter `{name}`: low {low} is not below high {high}"
                    ));
                }
                if integer {
                    let whole = |x: f64| x.fract() == 0.0 && x.abs() < 9.0e15;
                    if !whole(low) || !whole(high) {
                        return Err(format!(
                            "parameter `{name}`: an integer range needs whole bounds, not {low} and {high}"
                        ));
                    }
                    Domain::Integer {
                        low: low as i64,
                        high: high as i64,
                    }
                } else {
                    Domain::Real { low, high }
                }
            }
            other => {
                return Err(format!(
                    "parameter `{name}`: write a range {{low: …, high: …}} or a list of levels, not {other}"
                ));
            }
        };
        Ok(Parameter {
            name: name.to_string(),
            domain,
        })
    }

    /// The value at unit coordinate `u` (clamped to `[0, 1]`): linear over a real range;
    /// over `n` integers or levels, the `⌊u·n⌋`-th (the last at `u = 1`).
    pub fn value(&self, u: f64) -> serde_json::Value {
        let u = u.clamp(0.0, 1.0);
        let pick = |n: usize| ((u * n as f64) as usize).min(n - 1);
        match &self.domain {
            Domain::Real { low, high } => serde_json::json!(low + u * (high - low)),
            Domain::Integer { low, high } => {
                let n = (high - low + 1) as usize;
                serde_json::json!(low + pick(n) as i64)
            }
            Domain::Levels(levels) => levels[pick(levels.len())].clone(),
        }
    }

    /// The unit coordinates of a grid over this parameter: `levels` evenly spaced over a
    /// range (ends included), the middle of each cell of a list or of a short integer
    /// range.
    fn grid(&self, levels: u64) -> Vec<f64> {
        let cells = |n: usize| (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        match &self.domain {
            Domain::Levels(l) => cells(l.len()),
            Domain::Integer { low, high } if ((high - low + 1) as u64) < levels => {
                cells((high - low + 1) as usize)
            }
            _ => (0..levels)
                .map(|i| i as f64 / (levels - 1) as f64)
                .collect(),
        }
    }

    /// The range as people read it: `0.3 .. 0.7`, `1000 ..= 5000 (integers)`, `[a, b]`.
    pub(crate) fn describe(&self) -> String {
        match &self.domain {
            Domain::Real { low, high } => format!("{low} .. {high}"),
            Domain::Integer { low, high } => format!("{low} ..= {high} (integers)"),
            Domain::Levels(l) => format!(
                "[{}]",
                l.iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The points of a design, in unit coordinates (one row per point, one column per
/// parameter), in the order the study runs and reports them.
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    /// The design's kind.
    pub kind: Kind,
    /// The unit coordinates of each point.
    pub unit: Vec<Vec<f64>>,
    /// `sobol`: base rows N; `morris`: trajectories r; otherwise the number of points.
    pub blocks: usize,
    /// `morris`: the grid step Δ in unit coordinates; otherwise 0.
    pub delta: f64,
}

impl Design {
    /// The design's seed.
    pub fn seed(&self) -> u64 {
        self.seed.unwrap_or(1)
    }

    /// How many points the design has over `k` parameters with the given grid sizes
    /// (saturating), after checking its sizes.
    pub(crate) fn point_count(&self, params: &[Parameter]) -> Result<u64, String> {
        let k = params.len() as u64;
        let samples = |kind: &str, least: u64| match self.samples {
            Some(n) if n >= least => Ok(n),
            Some(n) => Err(format!(
                "a {kind} design needs samples of at least {least}, not {n}"
            )),
            None => Err(format!("a {kind} design needs `samples`")),
        };
        let n = match self.kind {
            Kind::Grid => {
                if self.samples.is_some() {
                    return Err("a grid design takes `levels`, not `samples`".into());
                }
                let levels = self.levels.unwrap_or(GRID_LEVELS);
                if levels < 2 {
                    return Err(format!("a grid needs at least 2 levels, not {levels}"));
                }
                params.iter().fold(1u64, |acc, p| {
                    acc.saturating_mul(p.grid(levels.min(MAX_POINTS)).len() as u64)
                })
            }
            Kind::Lhs => {
                if self.levels.is_some() {
                    return Err("a Latin hypercube takes `samples`, not `levels`".into());
                }
                samples("lhs", 2)?
            }
            Kind::Sobol => {
                if self.levels.is_some() {
                    return Err("a sobol design takes `samples`, not `levels`".into());
                }
                if k > u64::from(sobol_burley::NUM_DIMENSIONS) / 2 {
                    return Err(format!(
                        "a sobol design takes at most {} parameters, not {k}",
                        sobol_burley::NUM_DIMENSIONS / 2
                    ));
                }
                samples("sobol", 2)?.saturating_mul(k + 2)
            }
            Kind::Morris => {
                let levels = self.levels.unwrap_or(MORRIS_LEVELS);
                if levels < 2 || !levels.is_multiple_of(2) {
                    return Err(format!(
                        "a morris design needs an even number of levels of at least 2, not {levels}"
                    ));
                }
                samples("morris", 2)?.saturating_mul(k + 1)
            }
        };
        if n > MAX_POINTS {
            return Err(format!(
                "the {} design has {n} points, more than the {MAX_POINTS} a study may have",
                self.kind.as_str()
            ));
        }
        Ok(n)
    }

    /// The design's points over `params` (call after [`Design::point_count`]).
    pub fn points(&self, params: &[Parameter]) -> Points {
        let k = params.len();
        let mut rng = Streams::new(self.seed());
        let rng = rng.stream(&format!("design.{}", self.kind.as_str()));
        match self.kind {
            Kind::Grid => {
                let levels = self.levels.unwrap_or(GRID_LEVELS);
                let mut unit: Vec<Vec<f64>> = vec![Vec::new()];
                for p in params {
                    let axis = p.grid(levels);
                    unit = unit
                        .into_iter()
                        .flat_map(|row| {
                            axis.iter().map(move |u| {
                                let mut r = row.clone();
                                r.push(*u);
                                r
                            })
                        })
                        .collect();
                }
                Points {
                    kind: self.kind,
                    blocks: unit.len(),
                    unit,
                    delta: 0.0,
                }
            }
            Kind::Lhs => {
                let n = self.samples.unwrap_or(2) as usize;
                let mut unit = vec![vec![0.0; k]; n];
                for j in 0..k {
                    // A seeded permutation of the strata, one point in each.
                    let mut strata: Vec<usize> = (0..n).collect();
                    for i in (1..n).rev() {
                        strata.swap(i, uniform(rng, 0, i as i64) as usize);
                    }
                    for (i, row) in unit.iter_mut().enumerate() {
                        let jitter = uniform(rng, 0, (1 << 53) - 1) as f64 / (1u64 << 53) as f64;
                        row[j] = (strata[i] as f64 + jitter) / n as f64;
                    }
                }
                Points {
                    kind: self.kind,
                    blocks: n,
                    unit,
                    delta: 0.0,
                }
            }
            Kind::Sobol => {
                let n = self.samples.unwrap_or(2) as usize;
                // The scrambling seed: the design seed folded to the 32 bits the
                // sequence takes.
                let seed = crate::sim::rng::mix64(self.seed()) as u32;
                let mut unit = Vec::with_capacity(n * (k + 2));
                for i in 0..n {
                    let at = |d: usize| f64::from(sobol_burley::sample(i as u32, d as u32, seed));
                    let a: Vec<f64> = (0..k).map(at).collect();
                    let b: Vec<f64> = (k..2 * k).map(at).collect();
                    unit.push(a.clone());
                    for j in 0..k {
                        let mut ab = a.clone();
                        ab[j] = b[j];
                        unit.push(ab);
                    }
                    unit.push(b);
                }
                Points {
                    kind: self.kind,
                    blocks: n,
                    unit,
                    delta: 0.0,
                }
            }
            Kind::Morris => {
                let r = self.samples.unwrap_or(2) as usize;
                let p = self.levels.unwrap_or(MORRIS_LEVELS) as i64;
                let delta = p as f64 / (2.0 * (p - 1) as f64);
                // Starting levels whose step up by Δ stays on the grid: 0 .. p/2 - 1.
                let step = p / 2;
                let mut unit = Vec::with_capacity(r * (k + 1));
                for _ in 0..r {
                    let mut order: Vec<usize> = (0..k).collect();
                    for i in (1..k).rev() {
                        order.swap(i, uniform(rng, 0, i as i64) as usize);
                    }
                    // Each parameter starts low and moves up, or high and moves down.
                    let mut at: Vec<i64> = (0..k)
                        .map(|_| {
                            let base = uniform(rng, 0, step - 1);
                            if uniform(rng, 0, 1) == 1 {
                                base + step
                            } else {
                                base
                            }
                        })
                        .collect();
                    let coords =
                        |at: &[i64]| at.iter().map(|l| *l as f64 / (p - 1) as f64).collect();
                    unit.push(coords(&at));
                    for j in order {
                        at[j] += if at[j] >= step { -step } else { step };
                        unit.push(coords(&at));
                    }
                }
                Points {
                    kind: self.kind,
                    blocks: r,
                    unit,
                    delta,
                }
            }
        }
    }
}

/// The values of every point: one row per point, one value per parameter.
pub fn values(params: &[Parameter], points: &Points) -> Vec<Vec<serde_json::Value>> {
    points
        .unit
        .iter()
        .map(|row| params.iter().zip(row).map(|(p, u)| p.value(*u)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(k: usize) -> Vec<Parameter> {
        (0..k)
            .map(|i| Parameter::parse(&format!("p{i}"), &json!({"low": 0.0, "high": 1.0})).unwrap())
            .collect()
    }

    fn design(kind: Kind, samples: Option<u64>, levels: Option<u64>) -> Design {
        Design {
            kind,
            samples,
            levels,
            seed: None,
        }
    }

    #[test]
    fn ranges_map_the_unit_interval_onto_their_values() {
        let real = Parameter::parse("r", &json!({"low": -2.0, "high": 0.0})).unwrap();
        assert_eq!(real.value(0.25), json!(-1.5));
        let int = Parameter::parse("i", &json!({"low": 1, "high": 4, "integer": true})).unwrap();
        let got: Vec<_> = [0.0, 0.24, 0.25, 0.99, 1.0]
            .iter()
            .map(|u| int.value(*u))
            .collect();
        assert_eq!(got, [json!(1), json!(1), json!(2), json!(4), json!(4)]);
        let levels = Parameter::parse("l", &json!(["a", "b", "c"])).unwrap();
        assert_eq!(levels.value(0.5), json!("b"));
        assert_eq!(levels.value(1.0), json!("c"));
        for (spec, says) in [
            (json!({"low": 1, "high": 1}), "not below"),
            (
                json!({"low": 0.5, "high": 2, "integer": true}),
                "whole bounds",
            ),
            (json!({"low": 0, "hi": 2}), "unknown field `hi`"),
            (json!([]), "empty"),
            (json!([1, 1]), "twice"),
            (json!("x"), "a range"),
        ] {
            let e = Parameter::parse("p", &spec).unwrap_err();
            assert!(e.contains(says), "{spec}: {e}");
        }
    }

    #[test]
    fn a_grid_is_the_full_factorial_with_both_ends() {
        let mut ps = params(2);
        ps.push(Parameter::parse("l", &json!([true, false])).unwrap());
        let d = design(Kind::Grid, None, Some(3));
        assert_eq!(d.point_count(&ps), Ok(18));
        let pts = d.points(&ps);
        assert_eq!(pts.unit.len(), 18);
        let v = values(&ps, &pts);
        assert_eq!(v[0], [json!(0.0), json!(0.0), json!(true)]);
        assert_eq!(v[17], [json!(1.0), json!(1.0), json!(false)]);
        // The first parameter varies slowest.
        assert_eq!(v[3], [json!(0.0), json!(0.5), json!(false)]);
    }

    #[test]
    fn a_latin_hypercube_has_one_point_in_each_stratum_and_is_seeded() {
        let ps = params(3);
        let d = design(Kind::Lhs, Some(10), None);
        let pts = d.points(&ps);
        for j in 0..3 {
            let mut strata: Vec<usize> = pts.unit.iter().map(|r| (r[j] * 10.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
        assert_eq!(pts, d.points(&ps));
        let other = Design {
            seed: Some(2),
            ..d.clone()
        };
        assert_ne!(pts.unit, other.points(&ps).unit);
    }

    #[test]
    fn saltelli_rows_differ_from_a_in_one_column_each() {
        let ps = params(3);
        let d = design(Kind::Sobol, Some(8), None);
        assert_eq!(d.point_count(&ps), Ok(40));
        let pts = d.points(&ps);
        for block in pts.unit.chunks(5) {
            let (a, b) = (&block[0], &block[4]);
            for j in 0..3 {
                for c in 0..3 {
                    let want = if c == j { b[c] } else { a[c] };
                    assert_eq!(block[1 + j][c], want);
                }
            }
        }
    }

    #[test]
    fn morris_trajectories_move_each_parameter_once_by_delta() {
        let ps = params(4);
        let d = design(Kind::Morris, Some(6), Some(4));
        let pts = d.points(&ps);
        assert!((pts.delta - 2.0 / 3.0).abs() < 1e-12);
        for t in pts.unit.chunks(5) {
            let mut moved = Vec::new();
            for w in t.windows(2) {
                let changed: Vec<usize> = (0..4).filter(|j| w[0][*j] != w[1][*j]).collect();
                assert_eq!(changed.len(), 1);
                let j = changed[0];
                assert!(((w[1][j] - w[0][j]).abs() - pts.delta).abs() < 1e-12);
                moved.push(j);
            }
            moved.sort();
            assert_eq!(moved, [0, 1, 2, 3]);
            assert!(t.iter().flatten().all(|u| (0.0..=1.0).contains(u)));
        }
        assert!(
            design(Kind::Morris, Some(2), Some(3))
                .point_count(&ps)
                .is_err()
        );
    }
}
