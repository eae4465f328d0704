//! Charts of a sweep as SVG, drawn with `plotters`: each metric's monthly mean per
//! variant with its 95% band, and each variant's monthly difference from the first,
//! paired by seed, with its band. Axes carry titles; money is shown in CNY (the runs
//! count fen) on round ticks; variants differ by colour and by dash.

use plotters::prelude::*;

/// One line of a chart: a name and, per month, a mean and the half-width of its band.
pub(crate) struct Line {
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
pub(crate) fn monthly_chart(
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
    svg((800, 420), |root| {
        let mut chart = ChartBuilder::on(root)
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
        Ok(())
    })
}

/// One output's estimates for a sensitivity chart: its name and, per parameter, the
/// value and the half-width of its interval for each bar.
pub(crate) struct Bars {
    /// The output (a variant or a difference).
    pub name: String,
    /// Per parameter: (first-order, its half-width, total, its half-width); `None` where
    /// the output does not vary.
    pub values: Vec<Option<[f64; 4]>>,
}

/// A bar chart of Sobol indices: per parameter, for each output, a pale bar to the total
/// index and a solid bar to the first-order index inside it, each with its 95% whisker.
/// Indices are shares of variance, so the axis runs 0 to 1 (wider if an estimate or
/// interval strays outside, as noisy estimates may).
pub(crate) fn sobol_chart(title: &str, parameters: &[String], outputs: &[Bars]) -> String {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for b in outputs {
        for [s1, c1, st, ct] in b.values.iter().flatten() {
            lo = lo.min(s1 - c1).min(st - ct);
            hi = hi.max(s1 + c1).max(st + ct);
        }
    }
    // Room above the bars for the legend, a line per output.
    let hi = hi + 0.09 * outputs.len() as f64;
    let k = parameters.len().max(1);
    let groups = outputs.len().max(1) as f64;
    svg((800, 440), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            .margin_right(40)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5f64..(k as f64 - 0.5), lo..hi)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("parameter")
            .y_desc("Sobol index (share of variance)")
            .x_labels(k + 1)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    parameters
                        .get(i as usize)
                        .map(|p| short(p))
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| format!("{v:.1}"))
            .draw()?;
        let width = 0.8 / groups;
        for (g, b) in outputs.iter().enumerate() {
            let colour = COLOURS[g % COLOURS.len()];
            let mut first = true;
            for (j, v) in b.values.iter().enumerate() {
                let Some([s1, c1, st, ct]) = v else { continue };
                let x0 = j as f64 - 0.4 + g as f64 * width;
                let (x1, mid) = (x0 + width * 0.9, x0 + width * 0.45);
                chart.draw_series([
                    Rectangle::new([(x0, 0.0), (x1, *st)], colour.mix(0.3).filled()),
                    Rectangle::new(
                        [(x0 + width * 0.2, 0.0), (x1 - width * 0.2, *s1)],
                        colour.filled(),
                    ),
                ])?;
                for (y, c, dx) in [(st, ct, width * 0.3), (s1, c1, width * 0.15)] {
                    chart.draw_series([
                        PathElement::new(vec![(mid, y - c), (mid, y + c)], BLACK.stroke_width(1)),
                        PathElement::new(vec![(mid - dx, y - c), (mid + dx, y - c)], BLACK),
                        PathElement::new(vec![(mid - dx, y + c), (mid + dx, y + c)], BLACK),
                    ])?;
                }
                if first {
                    first = false;
                    chart
                        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
                        .label(format!("{} (solid S1, pale ST)", b.name))
                        .legend(move |(x, y)| {
                            Rectangle::new([(x, y - 5), (x + 20, y + 5)], colour.filled())
                        });
                }
            }
        }
        chart
            .configure_series_labels()
            .border_style(BLACK.mix(0.4))
            .background_style(WHITE.mix(0.9))
            .position(SeriesLabelPosition::UpperRight)
            .draw()?;
        Ok(())
    })
}

/// One output's Morris statistics for a chart: per parameter (μ*, σ).
pub(crate) struct Screening {
    /// The output (a variant or a difference).
    pub name: String,
    /// Per parameter: μ* and σ.
    pub values: Vec<(f64, f64)>,
}

/// Morris's μ*–σ plane: a point per parameter and output, named by the parameter;
/// far right means influential, high means interacting or non-linear. `money` says the
/// effects are fen, shown as CNY.
pub(crate) fn morris_chart(
    title: &str,
    parameters: &[String],
    outputs: &[Screening],
    money: bool,
) -> String {
    let scale = if money { 0.01 } else { 1.0 };
    let (mut xmax, mut ymax) = (0.0f64, 0.0f64);
    for o in outputs {
        for (m, s) in &o.values {
            xmax = xmax.max(m * scale);
            ymax = ymax.max(s * scale);
        }
    }
    let (xmax, ymax) = (
        if xmax > 0.0 { xmax * 1.25 } else { 1.0 },
        if ymax > 0.0 { ymax * 1.2 } else { 1.0 },
    );
    let unit = if money {
        " (CNY per range)"
    } else {
        " (per range)"
    };
    svg((800, 440), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            .margin_right(40)
            .x_label_area_size(44)
            .y_label_area_size(86)
            .build_cartesian_2d(0.0..xmax, 0.0..ymax)?;
        chart
            .configure_mesh()
            .x_desc(format!("μ*, mean absolute effect{unit}"))
            .y_desc(format!("σ of the effects{unit}"))
            .x_label_formatter(&|v| format_tick(*v))
            .y_label_formatter(&|v| format_tick(*v))
            .draw()?;
        for (g, o) in outputs.iter().enumerate() {
            let colour = COLOURS[g % COLOURS.len()];
            chart
                .draw_series(o.values.iter().zip(parameters).map(|((m, s), p)| {
                    EmptyElement::at((m * scale, s * scale))
                        + Circle::new((0, 0), 4, colour.filled())
                        + Text::new(short(p), (6, -6), ("sans-serif", 12))
                }))?
                .label(o.name.clone())
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, colour.filled()));
        }
        chart
            .configure_series_labels()
            .border_style(BLACK.mix(0.4))
            .background_style(WHITE.mix(0.9))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()?;
        Ok(())
    })
}

/// A parameter's name as charts show it: without the `behaviour.` every behaviour
/// assumption shares.
fn short(name: &str) -> String {
    name.strip_prefix("behaviour.").unwrap_or(name).to_string()
}

/// Draws an SVG of `size` pixels on a white area with `draw`; empty text when drawing
/// fails.
fn svg(
    size: (u32, u32),
    draw: impl FnOnce(
        &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), Box<dyn std::error::Error>>,
) -> String {
    let mut text = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|()| draw(&root).map_err(|e| e.to_string()))
            .and_then(|()| root.present().map_err(|e| e.to_string()))
    };
    if drawn.is_err() {
        return String::new();
    }
    text
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
