//! The report: the seed's comparison table in numbers, the statistics per model, and the charts
//! (a fan chart of value over time and the histograms of terminal value, as SVG).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::prelude::*;

use crate::config::SimConfig;
use crate::scenario::ScenarioResult;
use crate::summary::{Stats, Summary};

const COLOURS: [RGBColor; 4] = [
    RGBColor(90, 90, 90),
    RGBColor(140, 86, 75),
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
];

fn pct(v: f64) -> String {
    format!("{:.2} %", v * 100.0)
}

fn days(v: f64) -> String {
    if v == 0.0 {
        "at once".to_string()
    } else {
        format!("{v:.1} days")
    }
}

/// The seed's comparison table (liquidity, risk, profit, accessibility) filled with the run's
/// numbers, as markdown.
pub fn comparison_table(stats: &Stats, config: &SimConfig) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| characteristic | {} |",
        stats
            .models
            .iter()
            .map(|m| m.title.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(out, "|---|{}", "---|".repeat(stats.models.len()));
    let row = |name: &str, f: &dyn Fn(&crate::summary::ModelStats) -> String| -> String {
        format!(
            "| {name} | {} |\n",
            stats.models.iter().map(f).collect::<Vec<_>>().join(" | ")
        )
    };
    out += &row("liquidity: time to native when forced", &|m| {
        days(m.time_to_liquidity_days)
    });
    out += &row("liquidity: cost of a forced exit (mean / worst)", &|m| {
        format!("{} / {}", pct(m.exit_cost_mean), pct(m.exit_cost_worst))
    });
    out += &row("risk: probability of a loss", &|m| pct(m.loss_probability));
    out += &row("risk: CVaR 95 % / 99 % (loss)", &|m| {
        format!("{} / {}", pct(m.cvar_95), pct(m.cvar_99))
    });
    out += &row("risk: max drawdown (mean / worst)", &|m| {
        format!(
            "{} / {}",
            pct(m.max_drawdown_mean),
            pct(m.max_drawdown_worst)
        )
    });
    out += &row("profit: yield a year (median; p5 .. mean)", &|m| {
        format!(
            "{}; {} .. {}",
            pct(m.yield_median),
            pct(m.yield_p5),
            pct(m.yield_mean)
        )
    });
    let deposit = config.deposit;
    out += &row("accessibility: smallest deposit", &|_| {
        "any amount (1 base unit)".to_string()
    });
    out += &row(
        &format!("value of {deposit} after the horizon (mean)"),
        &|m| format!("{:.2}", m.terminal_value_mean_tokens),
    );
    out
}

/// The statistics as a plain-text table for the terminal.
pub fn render(stats: &Stats, scenario: Option<&ScenarioResult>, config: &SimConfig) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} paths over {} days, {} tokens in each model\n",
        stats.paths, stats.days, config.deposit
    );
    out += &comparison_table(stats, config);
    let _ = writeln!(
        out,
        "\nthe hub's rails per path: circuit breaker {:.4} trips, depeg pause {:.4}, bunker mode {:.3} days; lowest LST price on any path {:.4}",
        stats.breaker_trips_per_path,
        stats.depeg_trips_per_path,
        stats.bunker_days_per_path,
        stats.trough_price
    );
    if let Some(s) = scenario {
        let _ = writeln!(out, "\nscenario {}: {}", s.name, s.description);
        let _ = writeln!(out, "  {} trough price {:.4}", s.asset, s.trough_price);
        for f in &s.figures {
            let _ = writeln!(out, "  {}: {:.6} ({})", f.name, f.value, f.note);
        }
    }
    out
}

fn chart_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow::anyhow!("chart: {e}")
}

type Chart<'a> = ChartContext<
    'a,
    SVGBackend<'a>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Draws the legend and writes the file.
fn finish_chart(
    chart: &mut Chart<'_>,
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    position: SeriesLabelPosition,
) -> anyhow::Result<()> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(position)
        .draw()
        .map_err(chart_err)?;
    root.present().map_err(chart_err)?;
    Ok(())
}

/// Draws the fan chart: per model, the 5-95 % and 25-75 % bands and the median of the value
/// marked to market, over the horizon.
pub fn write_fan(summary: &Summary, path: &Path) -> anyhow::Result<()> {
    let bands = summary.fan_bands();
    let x_max = f64::from(summary.days.max(1));
    let (lo, hi) = bands
        .iter()
        .flatten()
        .fold((f64::MAX, f64::MIN), |(lo, hi), b| {
            (lo.min(b[0]), hi.max(b[4]))
        });
    let pad = ((hi - lo) * 0.1).max(0.002);
    let root = SVGBackend::new(path, (1100, 700)).into_drawing_area();
    root.fill(&WHITE).map_err(chart_err)?;
    let root = root
        .titled(
            "Value over time (marked to market), share of the deposit",
            ("sans-serif", 22),
        )
        .map_err(chart_err)?;
    let panels = root.split_evenly((2, 2));
    for ((panel, band), ((_, title), colour)) in panels
        .iter()
        .zip(&bands)
        .zip(crate::path::MODELS.iter().zip(COLOURS))
    {
        let mut chart = ChartBuilder::on(panel)
            .caption(*title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..x_max, (lo - pad)..(hi + pad))
            .map_err(chart_err)?;
        chart
            .configure_mesh()
            .x_desc("day")
            .draw()
            .map_err(chart_err)?;
        let xs: Vec<f64> = summary.fan_days.iter().map(|d| f64::from(*d)).collect();
        for (low, high, alpha) in [(0usize, 4usize, 0.15), (1, 3, 0.3)] {
            let mut poly: Vec<(f64, f64)> =
                xs.iter().zip(band).map(|(x, b)| (*x, b[low])).collect();
            poly.extend(xs.iter().zip(band).rev().map(|(x, b)| (*x, b[high])));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    colour.mix(alpha).filled(),
                )))
                .map_err(chart_err)?;
        }
        chart
            .draw_series(LineSeries::new(
                xs.iter().zip(band).map(|(x, b)| (*x, b[2])),
                colour.stroke_width(2),
            ))
            .map_err(chart_err)?;
    }
    root.present().map_err(chart_err)?;
    Ok(())
}

/// Draws the distribution of terminal value (share of paths per 0.5 % of the deposit).
pub fn write_histograms(summary: &Summary, path: &Path) -> anyhow::Result<()> {
    let width = 0.005;
    let series: Vec<Vec<(f64, f64)>> = summary
        .models
        .iter()
        .map(|m| {
            let n = m.paths.max(1) as f64;
            let mut bins: std::collections::BTreeMap<i64, u64> = Default::default();
            for (edge, c) in m.terminal.filled() {
                *bins.entry((edge / width).floor() as i64).or_default() += c;
            }
            bins.into_iter()
                .map(|(k, c)| (k as f64 * width, c as f64 / n))
                .collect()
        })
        .collect();
    let (x_lo, x_hi, y_hi) = series
        .iter()
        .flatten()
        .fold((f64::MAX, f64::MIN, 0f64), |(a, b, c), (x, y)| {
            (a.min(*x), b.max(*x), c.max(*y))
        });
    let root = SVGBackend::new(path, (1000, 520)).into_drawing_area();
    root.fill(&WHITE).map_err(chart_err)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Value at the horizon, share of the deposit (share of paths per 0.5 %)",
            ("sans-serif", 20),
        )
        .margin(14)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(
            (x_lo - width)..(x_hi + 2.0 * width),
            0f64..(y_hi * 1.1).max(0.01),
        )
        .map_err(chart_err)?;
    chart
        .configure_mesh()
        .x_desc("value / deposit")
        .y_desc("share of paths")
        .draw()
        .map_err(chart_err)?;
    for (s, ((_, title), colour)) in series.iter().zip(crate::path::MODELS.iter().zip(COLOURS)) {
        // as steps: each bin's share drawn flat over its width
        let steps: Vec<(f64, f64)> = s
            .iter()
            .flat_map(|(x, y)| [(*x, 0.0), (*x, *y), (*x + width, *y), (*x + width, 0.0)])
            .collect();
        chart
            .draw_series(LineSeries::new(steps, colour.stroke_width(2)))
            .map_err(chart_err)?
            .label(*title)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    finish_chart(&mut chart, &root, SeriesLabelPosition::UpperLeft)
}

/// Draws a scenario's LST price path.
pub fn write_price(s: &ScenarioResult, path: &Path) -> anyhow::Result<()> {
    let n = s.price_path.len().max(2) as f64;
    let lo = s
        .reference_band
        .map_or(s.trough_price, |b| b.0.min(s.trough_price))
        .min(1.0);
    let root = SVGBackend::new(path, (900, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(chart_err)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "{}: {} price in its pool, against its redemption rate",
                s.name, s.asset
            ),
            ("sans-serif", 18),
        )
        .margin(14)
        .x_label_area_size(34)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..(n - 1.0), (lo - 0.01)..1.005)
        .map_err(chart_err)?;
    chart
        .configure_mesh()
        .x_desc("day")
        .draw()
        .map_err(chart_err)?;
    if let Some((low, high)) = s.reference_band {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, low), (n - 1.0, high)],
                COLOURS[3].mix(0.2).filled(),
            )))
            .map_err(chart_err)?
            .label(format!("recorded worst prices, {low} to {high}"))
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 20, y + 5)], COLOURS[3].mix(0.2).filled())
            });
    }
    chart
        .draw_series(LineSeries::new(
            s.price_path.iter().enumerate().map(|(d, p)| (d as f64, *p)),
            COLOURS[2].stroke_width(2),
        ))
        .map_err(chart_err)?
        .label("modelled")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], COLOURS[2].stroke_width(2)));
    finish_chart(&mut chart, &root, SeriesLabelPosition::LowerLeft)
}

/// Writes `report.md` and its charts into `dir`; returns the report's path.
pub fn write_report(
    dir: &Path,
    config: &SimConfig,
    summary: &Summary,
    scenario: Option<&ScenarioResult>,
) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let stats = summary.stats(config.deposit);
    write_fan(summary, &dir.join("fan.svg"))?;
    write_histograms(summary, &dir.join("terminal.svg"))?;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Staking, liquid staking and liquid restaking, simulated\n"
    );
    let _ = writeln!(
        md,
        "{} paths over {} days; {} tokens in each model; seed {}. Made by `tributary simulate`.\n",
        stats.paths, stats.days, config.deposit, config.seed
    );
    if let Some(s) = scenario {
        write_price(s, &dir.join("price.svg"))?;
        let _ = writeln!(md, "## Scenario `{}`\n\n{}\n", s.name, s.description);
        let _ = writeln!(md, "![{} price](price.svg)\n", s.asset);
        let _ = writeln!(md, "| figure | value | |\n|---|---:|---|");
        let _ = writeln!(
            md,
            "| {} trough price | {:.4} | against its redemption rate |",
            s.asset, s.trough_price
        );
        for f in &s.figures {
            let _ = writeln!(md, "| {} | {:.6} | {} |", f.name, f.value, f.note);
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## The comparison\n");
    md += &comparison_table(&stats, config);
    let _ = writeln!(
        md,
        "\n![fan chart](fan.svg)\n\n![terminal values](terminal.svg)\n"
    );
    let _ = writeln!(md, "## Every figure\n");
    let _ = writeln!(
        md,
        "| model | mean | median | p5 | p1 | yield median | loss prob. | CVaR 95 | CVaR 99 | exit cost | days to native |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for m in &stats.models {
        let _ = writeln!(
            md,
            "| {} | {:.5} | {:.5} | {:.5} | {:.5} | {} | {} | {} | {} | {} | {:.1} |",
            m.title,
            m.terminal_value_mean,
            m.terminal_value_median,
            m.terminal_value_p5,
            m.terminal_value_p1,
            pct(m.yield_median),
            pct(m.loss_probability),
            pct(m.cvar_95),
            pct(m.cvar_99),
            pct(m.exit_cost_mean),
            m.time_to_liquidity_days
        );
    }
    let _ = writeln!(
        md,
        "\nThe hub's rails per path: circuit breaker {:.4} trips, depeg pause {:.4}, bunker mode {:.3} days.",
        stats.breaker_trips_per_path, stats.depeg_trips_per_path, stats.bunker_days_per_path
    );
    let _ = writeln!(
        md,
        "\n## The parameters\n\n```json\n{}\n```",
        serde_json::to_string_pretty(config)?
    );
    let path = dir.join("report.md");
    std::fs::write(&path, md)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
