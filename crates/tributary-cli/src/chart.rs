//! Charts of a comparison: each model's value over the period, as SVG.

use std::path::Path;

use plotters::prelude::*;

use crate::compare::ModelReport;

const COLOURS: [RGBColor; 3] = [
    RGBColor(90, 90, 90),
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
];

/// Writes each model's native value per day (in tokens) to an SVG file.
pub fn write_values(reports: &[ModelReport], path: &Path, title: &str) -> anyhow::Result<()> {
    let days = reports
        .iter()
        .map(|r| r.daily_values.len())
        .max()
        .unwrap_or(1)
        .saturating_sub(1)
        .max(1) as u32;
    let as_tokens = |v: u128| v as f64 / 1e6;
    let values = reports.iter().flat_map(|r| r.daily_values.iter().copied());
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| {
        (lo.min(as_tokens(v)), hi.max(as_tokens(v)))
    });
    let pad = ((high - low) * 0.08).max(1.0);
    let root = SVGBackend::new(path, (900, 520)).into_drawing_area();
    root.fill(&WHITE)
        .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0u32..days, (low - pad)..(high + pad))
        .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
    chart
        .configure_mesh()
        .x_desc("day")
        .y_desc("value (tokens)")
        .draw()
        .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
    for (r, colour) in reports.iter().zip(COLOURS) {
        chart
            .draw_series(LineSeries::new(
                r.daily_values
                    .iter()
                    .enumerate()
                    .map(|(d, v)| (d as u32, as_tokens(*v))),
                colour.stroke_width(2),
            ))
            .map_err(|e| anyhow::anyhow!("chart: {e}"))?
            .label(r.model.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
    root.present().map_err(|e| anyhow::anyhow!("chart: {e}"))?;
    Ok(())
}
