//! The metrics as scripts and reports see them: totals now, and the monthly series
//! (flows per month, levels at each month end).

use super::sample;
use crate::model::World;
use crate::model::metrics::{METRICS, Sample, is_level};
use std::collections::BTreeMap;

/// A metric's monthly series from month-end samples: per-month changes for flows,
/// month-end values for levels.
pub fn monthly(samples: &[Sample], metric: &str) -> Vec<i64> {
    let mut prev = 0;
    samples
        .iter()
        .map(|s| {
            let v = s.get(metric).unwrap_or(0);
            if is_level(metric) {
                v
            } else {
                let d = v - prev;
                prev = v;
                d
            }
        })
        .collect()
}

/// Every metric's total now.
pub fn totals(world: &World) -> BTreeMap<&'static str, i64> {
    let now = sample(world, String::new());
    METRICS
        .iter()
        .map(|m| (*m, now.get(m).unwrap_or(0)))
        .collect()
}
