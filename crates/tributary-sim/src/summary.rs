//! Mergeable summaries: counts and fixed-point sums in integers, so adding two summaries is
//! exact, associative and commutative. A run split over threads, or over machines by seed
//! range, merges into exactly the summary of the single run; memory does not grow with paths.
//!
//! Quantiles come from fixed histograms of value / deposit (bins of 1 bp from 0 to 2, the rest
//! in an overflow bin). Each bin also keeps the exact sum of what fell in it, so a quantile is
//! reported as the mean of its bin (exact when the paths in it agree, within 1 bp otherwise) and
//! the tail means behind CVaR are exact up to the one bin the cut falls in.

use serde::{Deserialize, Serialize};

use crate::path::{PathResult, N_MODELS};

/// Fixed-point scale of the sums: 10^-12 of the deposit.
pub const SCALE: f64 = 1e12;

fn fixed(v: f64) -> i128 {
    (v * SCALE).round() as i128
}

fn unfixed(v: i128) -> f64 {
    v as f64 / SCALE
}

/// A histogram over `[0, max)` in `bins` bins plus an underflow (index 0) and an overflow (last
/// index) bin; each bin counts and sums exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    width: f64,
    counts: Vec<u64>,
    sums: Vec<i128>,
}

/// A histogram as JSON: only the bins that hold something.
#[derive(Serialize, Deserialize)]
struct SparseHistogram {
    bins: usize,
    width: f64,
    /// `(bin, count, sum × 10^12)`; the sum as a string (it can exceed JSON's safe integers).
    filled: Vec<(usize, u64, String)>,
}

impl Serialize for Histogram {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SparseHistogram {
            bins: self.counts.len(),
            width: self.width,
            filled: self
                .counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(i, c)| (i, *c, self.sums[i].to_string()))
                .collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Histogram {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let sparse = SparseHistogram::deserialize(d)?;
        let mut h = Histogram {
            width: sparse.width,
            counts: vec![0; sparse.bins],
            sums: vec![0; sparse.bins],
        };
        for (i, c, s) in sparse.filled {
            if i >= sparse.bins {
                return Err(serde::de::Error::custom(format!(
                    "bin {i} beyond the {} bins",
                    sparse.bins
                )));
            }
            h.counts[i] = c;
            h.sums[i] = s.parse().map_err(serde::de::Error::custom)?;
        }
        Ok(h)
    }
}

impl Histogram {
    /// `bins` bins of `width` from 0.
    pub fn new(bins: usize, width: f64) -> Histogram {
        Histogram {
            width,
            counts: vec![0; bins + 2],
            sums: vec![0; bins + 2],
        }
    }

    #[inline]
    pub fn add(&mut self, v: f64) {
        let last = self.counts.len() - 1;
        let i = if v < 0.0 {
            0
        } else {
            ((v / self.width) as usize + 1).min(last)
        };
        self.counts[i] += 1;
        self.sums[i] += fixed(v);
    }

    pub fn merge(&mut self, other: &Histogram) -> anyhow::Result<()> {
        if self.counts.len() != other.counts.len() || self.width != other.width {
            anyhow::bail!("histograms of different shapes cannot merge");
        }
        for i in 0..self.counts.len() {
            self.counts[i] += other.counts[i];
            self.sums[i] += other.sums[i];
        }
        Ok(())
    }

    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The value at quantile `q` (0..=1): the mean of the bin where the rank falls.
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return 0.0;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank && *c > 0 {
                return unfixed(self.sums[i]) / *c as f64;
            }
        }
        0.0
    }

    /// Mean of the lowest `share` of the values (the tail behind CVaR), the bin the cut falls
    /// in counted at its mean.
    pub fn lower_tail_mean(&self, share: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return 0.0;
        }
        let want = ((share * n as f64).ceil() as u64).clamp(1, n);
        let (mut taken, mut sum) = (0u64, 0.0f64);
        for (i, c) in self.counts.iter().enumerate() {
            if *c == 0 {
                continue;
            }
            let take = (*c).min(want - taken);
            sum += unfixed(self.sums[i]) * take as f64 / *c as f64;
            taken += take;
            if taken == want {
                break;
            }
        }
        sum / want as f64
    }

    /// `(bin's lower edge, count)` for each bin with something in it (for charts).
    pub fn filled(&self) -> Vec<(f64, u64)> {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| ((i as f64 - 1.0) * self.width, *c))
            .collect()
    }
}

/// Bins of the terminal-value histogram: 1 bp of the deposit from 0 to 2.
pub const TERMINAL_BINS: usize = 20_000;
/// Bins of each fan-chart histogram: 10 bp from 0 to 2.
pub const FAN_BINS: usize = 2_000;

/// One model's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub paths: u64,
    /// Paths that ended below the deposit.
    pub losses: u64,
    /// Value at the horizon / deposit.
    pub terminal: Histogram,
    /// Sum of the annualized yields, fixed point (as a string in JSON).
    #[serde(with = "i128_string")]
    pub yield_sum: i128,
    #[serde(with = "i128_string")]
    pub drawdown_sum: i128,
    /// Largest drawdown seen, fixed point.
    #[serde(with = "i128_string")]
    pub drawdown_max: i128,
    /// Forced exits, their summed cost / deposit and days to liquidity.
    pub exits: u64,
    #[serde(with = "i128_string")]
    pub exit_cost_sum: i128,
    #[serde(with = "i128_string")]
    pub exit_cost_max: i128,
    pub exit_days_sum: u64,
    /// Marked-to-market value / deposit on each fan day.
    pub fan: Vec<Histogram>,
}

mod i128_string {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl ModelSummary {
    fn new(fan_days: usize) -> ModelSummary {
        ModelSummary {
            paths: 0,
            losses: 0,
            terminal: Histogram::new(TERMINAL_BINS, 2.0 / TERMINAL_BINS as f64),
            yield_sum: 0,
            drawdown_sum: 0,
            drawdown_max: 0,
            exits: 0,
            exit_cost_sum: 0,
            exit_cost_max: i128::MIN,
            exit_days_sum: 0,
            fan: (0..fan_days)
                .map(|_| Histogram::new(FAN_BINS, 2.0 / FAN_BINS as f64))
                .collect(),
        }
    }

    fn merge(&mut self, o: &ModelSummary) -> anyhow::Result<()> {
        if self.fan.len() != o.fan.len() {
            anyhow::bail!("summaries with different fan days cannot merge");
        }
        self.paths += o.paths;
        self.losses += o.losses;
        self.terminal.merge(&o.terminal)?;
        self.yield_sum += o.yield_sum;
        self.drawdown_sum += o.drawdown_sum;
        self.drawdown_max = self.drawdown_max.max(o.drawdown_max);
        self.exits += o.exits;
        self.exit_cost_sum += o.exit_cost_sum;
        self.exit_cost_max = self.exit_cost_max.max(o.exit_cost_max);
        self.exit_days_sum += o.exit_days_sum;
        for (a, b) in self.fan.iter_mut().zip(&o.fan) {
            a.merge(b)?;
        }
        Ok(())
    }
}

/// A run's summary: per model, plus the protocol's rails.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The paths this summary covers, as `[first, one past the last)` ranges.
    pub paths: Vec<(u64, u64)>,
    pub days: u32,
    pub fan_days: Vec<u32>,
    pub models: Vec<ModelSummary>,
    pub breaker_trips: u64,
    pub depeg_trips: u64,
    pub bunker_days: u64,
    /// Lowest LST price seen on any path (fixed point).
    #[serde(with = "i128_string")]
    pub trough_price: i128,
}

impl Summary {
    /// An empty summary (of no paths yet).
    pub fn new(days: u32, fan_days: &[u32]) -> Summary {
        Summary {
            paths: vec![],
            days,
            fan_days: fan_days.to_vec(),
            models: (0..N_MODELS)
                .map(|_| ModelSummary::new(fan_days.len()))
                .collect(),
            breaker_trips: 0,
            depeg_trips: 0,
            bunker_days: 0,
            trough_price: i128::MAX,
        }
    }

    /// Records the fan-chart sample `k` of one path.
    #[inline]
    pub fn add_fan(&mut self, k: usize, market: &[f64; N_MODELS]) {
        for (m, v) in self.models.iter_mut().zip(market) {
            m.fan[k].add(*v);
        }
    }

    /// Records the end of one path.
    pub fn add_path(&mut self, r: &PathResult) {
        let years = f64::from(self.days) / 365.0;
        for (m, o) in self.models.iter_mut().zip(&r.models) {
            m.paths += 1;
            if o.terminal < 1.0 - 1e-12 {
                m.losses += 1;
            }
            m.terminal.add(o.terminal);
            let y = if o.terminal > 0.0 {
                o.terminal.powf(1.0 / years) - 1.0
            } else {
                -1.0
            };
            m.yield_sum += fixed(y);
            m.drawdown_sum += fixed(o.max_drawdown);
            m.drawdown_max = m.drawdown_max.max(fixed(o.max_drawdown));
            if let Some((cost, days)) = o.exit {
                m.exits += 1;
                m.exit_cost_sum += fixed(cost);
                m.exit_cost_max = m.exit_cost_max.max(fixed(cost));
                m.exit_days_sum += u64::from(days);
            }
        }
        self.breaker_trips += u64::from(r.breaker_trips);
        self.depeg_trips += u64::from(r.depeg_trips);
        self.bunker_days += u64::from(r.bunker_days);
        self.trough_price = self.trough_price.min(fixed(r.trough_price));
    }

    /// Adds another summary (of a disjoint set of paths of the same model and horizon).
    pub fn merge(&mut self, o: &Summary) -> anyhow::Result<()> {
        for &(a, b) in &o.paths {
            if let Some(&(c, d)) = self.paths.iter().find(|(c, d)| a < *d && *c < b) {
                anyhow::bail!(
                    "paths {a}..{b} and {c}..{d} overlap: each shard must cover its own paths"
                );
            }
        }
        self.merge_counts(o)?;
        self.paths.extend(o.paths.iter().copied());
        self.paths.sort_unstable();
        // adjacent ranges become one
        let mut joined: Vec<(u64, u64)> = Vec::with_capacity(self.paths.len());
        for &(a, b) in &self.paths {
            match joined.last_mut() {
                Some(last) if last.1 == a => last.1 = b,
                _ => joined.push((a, b)),
            }
        }
        self.paths = joined;
        Ok(())
    }

    /// Adds the counts and sums of `o`, leaving the path range alone.
    pub(crate) fn merge_counts(&mut self, o: &Summary) -> anyhow::Result<()> {
        if self.days != o.days || self.fan_days != o.fan_days {
            anyhow::bail!("summaries of different horizons cannot merge");
        }
        for (a, b) in self.models.iter_mut().zip(&o.models) {
            a.merge(b)?;
        }
        self.breaker_trips += o.breaker_trips;
        self.depeg_trips += o.depeg_trips;
        self.bunker_days += o.bunker_days;
        self.trough_price = self.trough_price.min(o.trough_price);
        Ok(())
    }

    /// Number of paths.
    pub fn count(&self) -> u64 {
        self.models.first().map_or(0, |m| m.paths)
    }

    /// The lowest LST price any path saw.
    pub fn trough(&self) -> f64 {
        unfixed(self.trough_price)
    }
}

/// A model's statistics, for people and scripts. Values are per 1 of deposit unless named
/// `_tokens`; yields are annualized.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelStats {
    pub model: String,
    pub title: String,
    pub paths: u64,
    pub terminal_value_mean: f64,
    pub terminal_value_median: f64,
    pub terminal_value_p5: f64,
    pub terminal_value_p1: f64,
    pub terminal_value_mean_tokens: f64,
    pub yield_mean: f64,
    pub yield_median: f64,
    pub yield_p5: f64,
    pub yield_p1: f64,
    /// Share of paths that end below the deposit.
    pub loss_probability: f64,
    /// Expected loss in the worst 5 % / 1 % of paths, share of the deposit (negative: even the
    /// worst paths gain).
    pub cvar_95: f64,
    pub cvar_99: f64,
    pub max_drawdown_mean: f64,
    pub max_drawdown_worst: f64,
    /// Share of paths whose exit was forced.
    pub forced_exit_share: f64,
    /// Mean cost of a forced exit, share of the deposit.
    pub exit_cost_mean: f64,
    pub exit_cost_worst: f64,
    /// Mean days from a forced exit to native in hand.
    pub time_to_liquidity_days: f64,
}

/// A run's figures: one [`ModelStats`] per model and the protocol's rails.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub paths: u64,
    pub days: u32,
    pub models: Vec<ModelStats>,
    /// Per path: times the hub's rate-drop breaker tripped, times the pool reached the depeg
    /// pause, days in bunker mode.
    pub breaker_trips_per_path: f64,
    pub depeg_trips_per_path: f64,
    pub bunker_days_per_path: f64,
    /// Lowest LST price on any path.
    pub trough_price: f64,
}

impl Summary {
    /// The statistics of the summary, for a deposit of `deposit` tokens.
    pub fn stats(&self, deposit: f64) -> Stats {
        let years = f64::from(self.days) / 365.0;
        let annualize = |v: f64| {
            if v > 0.0 {
                v.powf(1.0 / years) - 1.0
            } else {
                -1.0
            }
        };
        let n = self.count().max(1) as f64;
        let models = self
            .models
            .iter()
            .zip(crate::path::MODELS)
            .map(|(m, (key, title))| {
                let paths = m.paths.max(1) as f64;
                let mean = unfixed(m.terminal.sums.iter().sum::<i128>()) / paths;
                let median = m.terminal.quantile(0.5);
                let p5 = m.terminal.quantile(0.05);
                let p1 = m.terminal.quantile(0.01);
                let exits = m.exits.max(1) as f64;
                ModelStats {
                    model: key.to_string(),
                    title: title.to_string(),
                    paths: m.paths,
                    terminal_value_mean: mean,
                    terminal_value_median: median,
                    terminal_value_p5: p5,
                    terminal_value_p1: p1,
                    terminal_value_mean_tokens: mean * deposit,
                    yield_mean: unfixed(m.yield_sum) / paths,
                    yield_median: annualize(median),
                    yield_p5: annualize(p5),
                    yield_p1: annualize(p1),
                    loss_probability: m.losses as f64 / paths,
                    cvar_95: 1.0 - m.terminal.lower_tail_mean(0.05),
                    cvar_99: 1.0 - m.terminal.lower_tail_mean(0.01),
                    max_drawdown_mean: unfixed(m.drawdown_sum) / paths,
                    max_drawdown_worst: unfixed(m.drawdown_max),
                    forced_exit_share: m.exits as f64 / paths,
                    exit_cost_mean: if m.exits > 0 {
                        unfixed(m.exit_cost_sum) / exits
                    } else {
                        0.0
                    },
                    exit_cost_worst: if m.exits > 0 {
                        unfixed(m.exit_cost_max)
                    } else {
                        0.0
                    },
                    time_to_liquidity_days: if m.exits > 0 {
                        m.exit_days_sum as f64 / exits
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        Stats {
            paths: self.count(),
            days: self.days,
            models,
            breaker_trips_per_path: self.breaker_trips as f64 / n,
            depeg_trips_per_path: self.depeg_trips as f64 / n,
            bunker_days_per_path: self.bunker_days as f64 / n,
            trough_price: self.trough(),
        }
    }

    /// Fan-chart bands per model: for each fan day, the 5th, 25th, 50th, 75th and 95th
    /// percentile of the marked-to-market value / deposit.
    pub fn fan_bands(&self) -> Vec<Vec<[f64; 5]>> {
        self.models
            .iter()
            .map(|m| {
                m.fan
                    .iter()
                    .map(|h| [0.05, 0.25, 0.5, 0.75, 0.95].map(|q| h.quantile(q)))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A quantile read from the histogram is within one bin of the exact one, and the tail
        /// mean behind CVaR within one bin of the exact mean of the worst values.
        #[test]
        fn quantiles_and_tails_are_within_a_bin(
            values in proptest::collection::vec(0.0f64..1.99, 1..400),
            q in 0.0f64..1.0,
        ) {
            let width = 2.0 / TERMINAL_BINS as f64;
            let mut h = Histogram::new(TERMINAL_BINS, width);
            for v in &values {
                h.add(*v);
            }
            let mut sorted = values.clone();
            sorted.sort_by(|a, b| a.total_cmp(b));
            let n = sorted.len();
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            prop_assert!((h.quantile(q) - sorted[rank - 1]).abs() <= width);
            let k = ((0.05 * n as f64).ceil() as usize).clamp(1, n);
            let exact = sorted[..k].iter().sum::<f64>() / k as f64;
            prop_assert!((h.lower_tail_mean(0.05) - exact).abs() <= width);
        }

        /// Merging is exact whatever the split: two halves merged equal the whole.
        #[test]
        fn a_histogram_merges_exactly(
            values in proptest::collection::vec(-0.5f64..2.5, 0..300),
            cut in 0usize..300,
        ) {
            let width = 2.0 / FAN_BINS as f64;
            let cut = cut.min(values.len());
            let (mut a, mut b, mut whole) = (
                Histogram::new(FAN_BINS, width),
                Histogram::new(FAN_BINS, width),
                Histogram::new(FAN_BINS, width),
            );
            for (i, v) in values.iter().enumerate() {
                whole.add(*v);
                if i < cut { a.add(*v) } else { b.add(*v) }
            }
            b.merge(&a).unwrap();
            prop_assert_eq!(b, whole);
        }
    }
}
