//! Charts of a sweep as SVG, drawn with `plotters`: each metric's monthly mean per
//! variant with its 95% band, and each variant's monthly difference from the first,
//! paired by seed, with its band. Axes carry titles; money is shown in CNY (the runs
//! count fen) on round ticks; variants differ by colour and by dash.

use plotters::prelude::*;

/// One line of a chart: a name and, per month, a mean and the half-width of its band.
pub struct Line {
    /// The variant (or difference) it shows.
    pub name: String,
    /// Per month: mean and band half-width (0 without a band).
    pub points: Vec<(f64, f64)>,
}

const COLOURS: [RGBColor; 8] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x17, 0xbe, 0xcf),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
];

/// Draws a chart of monthly lines with bands. `money` says the values are fen, shown as
/// CNY; line `i` takes colour `i + colour_offset` (so that a variant keeps its colour
/// from chart to chart). Returns the SVG text (empty when it cannot be drawn).
pub fn monthly_chart(
    title: &str,
    y_title: &str,
    months: &[String],
    lines: &[Line],
    money: bool,
    colour_offset: usize,
) -> String {
    let scale = if money { 0.01 } else { 1.0 };
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for l in lines {
        for (m, c) in &l.points {
            lo = lo.min((m - c) * scale);
            hi = hi.max((m + c) * scale);
        }
    }
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    // Room above and below the data, and a span even for a flat line.
    let pad = ((hi - lo) * 0.05).max(if hi == lo { 1.0 } else { 0.0 });
    let (lo, hi) = (lo - pad, hi + pad);
    let n = months.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 420)).into_drawing_area();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 16))
                .margin(12)
                .margin_right(40)
                .x_label_area_size(44)
                .y_label_area_size(86)
                .build_cartesian_2d(0..n.saturating_sub(1).max(1), lo..hi)?;
            chart
                .configure_mesh()
                .x_desc("month")
                .y_desc(y_title)
                .x_labels(n.clamp(2, 12))
                .x_label_formatter(&|t| months.get(*t).cloned().unwrap_or_default())
                .y_label_formatter(&|v| format_tick(*v))
                .draw()?;
            for (i, l) in lines.iter().enumerate() {
                let colour = COLOURS[(i + colour_offset) % COLOURS.len()];
                let band: Vec<(usize, f64)> = l
                    .points
                    .iter()
                    .enumerate()
                    .map(|(t, (m, c))| (t, (m + c) * scale))
                    .chain(
                        l.points
                            .iter()
                            .enumerate()
                            .rev()
                            .map(|(t, (m, c))| (t, (m - c) * scale)),
                    )
                    .collect();
                chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.15))))?;
                let points = l
                    .points
                    .iter()
                    .enumerate()
                    .map(|(t, (m, _))| (t, m * scale));
                let style = colour.stroke_width(2);
                // Every other variant dashed, so that lines differ without colour too.
                let series = if (i + colour_offset).is_multiple_of(2) {
                    chart.draw_series(LineSeries::new(points, style))?
                } else {
                    chart.draw_series(DashedLineSeries::new(points, 8, 5, style))?
                };
                series.label(l.name.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(2))
                });
            }
            chart
                .configure_series_labels()
                .border_style(BLACK.mix(0.4))
                .background_style(WHITE.mix(0.9))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()?;
            root.present()?;
            Ok(())
        })();
        if drawn.is_err() {
            return String::new();
        }
    }
    svg
}

/// A tick label: whole numbers with thousands separators, else two decimals.
fn format_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        let n = v.round() as i64;
        let digits = n.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if n < 0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_grouped_and_charts_escape_their_text() {
        assert_eq!(format_tick(1_234_567.0), "1,234,567");
        assert_eq!(format_tick(-2500.0), "-2,500");
        assert_eq!(format_tick(0.5), "0.50");
        let months = vec!["2026-01".to_string(), "2026-02".to_string()];
        let lines = [Line {
            name: "R&D <x>".into(),
            points: vec![(100.0, 10.0), (200.0, 0.0)],
        }];
        let svg = monthly_chart("t", "CNY", &months, &lines, true, 0);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("R&amp;D &lt;x&gt;"));
        assert!(
            svg.contains(">\nmonth\n<") || svg.contains(">month<"),
            "an x-axis title"
        );
    }
}
