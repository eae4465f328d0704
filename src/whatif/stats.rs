//! Small statistics for sweeps: means and 95% confidence intervals (Student's t, its
//! quantiles from `statrs` for every degree of freedom).

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The t quantile for a two-sided 95% interval with `df` degrees of freedom (the 97.5%
/// quantile of Student's t); NaN for none.
pub(crate) fn t975(df: usize) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, df as f64).map_or(f64::NAN, |t| t.inverse_cdf(0.975))
}

/// The mean and the half-width of its 95% confidence interval. One value has a mean but
/// no interval (`None`): a single seed says nothing about the spread, and an interval of
/// "± 0" would claim certainty it does not have.
pub(crate) fn mean_ci(xs: &[f64]) -> (f64, Option<f64>) {
    let n = xs.len();
    if n == 0 {
        return (f64::NAN, None);
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return (mean, None);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, Some(t975(n - 1) * (var / n as f64).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        let (m, h) = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!((m - 3.0).abs() < 1e-12);
        // sd = 1.5811, se = 0.7071, t(4) = 2.776445
        let h = h.expect("an interval");
        assert!((h - 2.776_445 * 0.5f64.sqrt()).abs() < 1e-5, "{h}");
        assert_eq!(mean_ci(&[7.0]), (7.0, None));
    }

    /// The 97.5% quantiles of Student's t from a published table (to four decimals),
    /// around the old table's steps (30, 40, 60, 120) in particular.
    #[test]
    fn t_quantiles_match_exact_values_for_every_df() {
        let exact = [
            (1, 12.7062),
            (2, 4.3027),
            (5, 2.5706),
            (10, 2.2281),
            (30, 2.0423),
            (31, 2.0395),
            (32, 2.0369),
            (35, 2.0301),
            (39, 2.0227),
            (40, 2.0211),
            (41, 2.0195),
            (50, 2.0086),
            (60, 2.0003),
            (100, 1.9840),
            (120, 1.9799),
            (1000, 1.9623),
        ];
        for (df, t) in exact {
            assert!(
                (t975(df) - t).abs() < 5e-4,
                "df {df}: {} against {t}",
                t975(df)
            );
        }
        assert!(t975(0).is_nan());
    }
}
