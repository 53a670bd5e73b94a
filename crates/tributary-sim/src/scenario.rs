//! The named scenarios (`tributary simulate --scenario NAME`): each adds its events to the
//! model, and describes itself with the LST price path of its deterministic path (the
//! scenario's events alone, no random ones) and the figures it is about.

use serde::{Deserialize, Serialize};

use crate::config::{Event, LrtRoute, SimConfig};
use crate::market::{exact_point, PoolTable};
use crate::path::{run_path, DayRecord, PathResult, Prepared, TABLE_POINTS};

/// The scenarios: `(name, what it is)`.
pub const SCENARIOS: [(&str, &str); 4] = [
    (
        "steth-2022",
        "June 2022: the Curve stETH/ETH pool (A = 50, 4 bps) went from about 50 % to about 80 % \
         stETH; its recorded composition replayed through the StableSwap",
    ),
    (
        "ezeth-2024",
        "April 2024: a rush to exit a thin LRT pool while withdrawals were not open (ezETH fell \
         to about 0.8 for a short time); the LRT's exit cost with and without a withdrawal route",
    ),
    (
        "correlated-slash",
        "a third of the validator set double-signs at once, with the hub's circuit breaker and \
         bunker mode in play",
    ),
    (
        "exit-run",
        "30 % of LST holders exit within a week (the LST supply is ten times the pool's depth; \
         a third of them must have native at once and sell in the pool, the rest unbond)",
    ),
];

/// A figure a scenario is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    /// What it is measured in, or what it is compared with.
    pub note: String,
}

/// What a scenario shows besides the distributions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub name: String,
    pub description: String,
    /// The token the price path is of: `LST` (native per LST at its redemption rate) or, for
    /// `ezeth-2024`, `LRT` (LST per LRT at the vault's rate).
    pub asset: String,
    /// Its price in its pool per day of the scenario's deterministic path (of the replay, for
    /// `steth-2022`).
    pub price_path: Vec<f64>,
    /// Its lowest point.
    pub trough_price: f64,
    /// A recorded range to hold the path against (`steth-2022`: the worst prices of the
    /// record), drawn on the chart.
    #[serde(default)]
    pub reference_band: Option<(f64, f64)>,
    pub figures: Vec<Figure>,
}

fn figure(name: &str, value: f64, note: &str) -> Figure {
    Figure {
        name: name.to_string(),
        value,
        note: note.to_string(),
    }
}

/// The stETH share of the Curve stETH/ETH pool over June 2022, as `(day of June - 1, share)`:
/// approximate anchor points of the public accounts (about 50 % at the start of the month,
/// about 80 % by the middle of it), interpolated linearly between them. Not an on-chain export.
pub const STETH_2022_SHARES: [(u32, f64); 9] = [
    (0, 0.50),
    (5, 0.52),
    (8, 0.56),
    (10, 0.62),
    (12, 0.68),
    (13, 0.72),
    (15, 0.77),
    (18, 0.80),
    (29, 0.78),
];
/// The Curve stETH pool's parameters then: A = 50, fee 4 bps.
pub const STETH_POOL_AMP: u64 = 50;
/// The recorded worst stETH price range, ETH per stETH.
pub const STETH_RECORDED_LOW: (f64, f64) = (0.935, 0.95);

/// The share on each day of June 2022 (30 days), interpolated between the anchors.
pub fn steth_shares() -> Vec<f64> {
    (0..30u32)
        .map(|d| {
            let k = STETH_2022_SHARES
                .windows(2)
                .find(|w| d >= w[0].0 && d <= w[1].0);
            match k {
                Some(w) => {
                    let (d0, s0) = w[0];
                    let (d1, s1) = w[1];
                    s0 + (s1 - s0) * f64::from(d - d0) / f64::from(d1 - d0)
                }
                None => STETH_2022_SHARES[STETH_2022_SHARES.len() - 1].1,
            }
        })
        .collect()
}

/// Replays the recorded composition through the contracts' StableSwap: the stETH price on each
/// day (exact math at the state with that share; the state found on a table of the same pool).
pub fn steth_replay() -> anyhow::Result<Vec<f64>> {
    let table = PoolTable::new(
        &crate::market::PoolParams {
            amp: STETH_POOL_AMP,
            fee: 4_000_000,
            depth: 1.0,
        },
        TABLE_POINTS,
    )?;
    steth_shares()
        .into_iter()
        .map(|share| Ok(exact_point(STETH_POOL_AMP, table.state_for_share(share))?.1))
        .collect()
}

/// Runs the deterministic path of `config` (path 0, every random part off), recording each day.
pub fn deterministic_path(config: &SimConfig) -> anyhow::Result<(Vec<DayRecord>, PathResult)> {
    let prepared = Prepared::new(config.clone().deterministic())?;
    let mut days = Vec::with_capacity(config.days as usize + 1);
    let result = run_path(&prepared, 0, |r| days.push(r.clone()), true);
    Ok((days, result))
}

fn price_path(days: &[DayRecord]) -> (Vec<f64>, f64) {
    let prices: Vec<f64> = days.iter().map(|d| d.lst_price).collect();
    let trough = prices.iter().copied().fold(f64::INFINITY, f64::min);
    (prices, trough)
}

/// Adds scenario `name`'s events to `config` and describes it.
pub fn apply(name: &str, mut config: SimConfig) -> anyhow::Result<(SimConfig, ScenarioResult)> {
    let description = SCENARIOS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| d.to_string())
        .ok_or_else(|| {
            let names: Vec<&str> = SCENARIOS.iter().map(|(n, _)| *n).collect();
            anyhow::anyhow!(
                "no scenario {name:?}; the scenarios are {}",
                names.join(", ")
            )
        })?;
    let mut figures = vec![];
    let need_days = |config: &SimConfig, at_least: u32| -> anyhow::Result<()> {
        if config.days < at_least {
            anyhow::bail!("the {name} scenario needs a horizon of {at_least} days at least");
        }
        Ok(())
    };
    let (price, trough) = match name {
        "steth-2022" => {
            need_days(&config, 31)?;
            let replay = steth_replay()?;
            // the same composition in the model's own LST pool, on top of its random market
            config.market.lst_pool.amp = STETH_POOL_AMP;
            let table = PoolTable::new(&config.market.lst_pool, TABLE_POINTS)?;
            let d_tokens = 2.0 * config.market.lst_pool.depth;
            let mut x = table.balanced();
            config.events.push(Event::Shock { day: 1 });
            for (d, share) in steth_shares().into_iter().enumerate().skip(1) {
                let target = table.state_for_share(share);
                config.events.push(Event::SellLst {
                    day: d as u32,
                    tokens: (target - x) * d_tokens,
                });
                x = target;
            }
            let trough = replay.iter().copied().fold(f64::INFINITY, f64::min);
            let at_80 = exact_point(STETH_POOL_AMP, table.state_for_share(0.80))?.1;
            let x_95 = table.state_for_price(0.95);
            figures.push(figure(
                "stETH share at which the model's price is 0.95",
                x_95 / (x_95 + table.y_at(x_95)),
                "share of the pool's value",
            ));
            figures.push(figure(
                "modelled price at 80 % stETH",
                at_80,
                "ETH per stETH, StableSwap A = 50",
            ));
            figures.push(figure(
                "recorded worst price, low",
                STETH_RECORDED_LOW.0,
                "ETH per stETH, public record",
            ));
            figures.push(figure(
                "recorded worst price, high",
                STETH_RECORDED_LOW.1,
                "ETH per stETH, public record",
            ));
            (replay, trough)
        }
        "ezeth-2024" => {
            let rush = 10u32;
            need_days(&config, rush + config.restaking.withdrawal_delay_days + 1)?;
            // sell enough LRT into its pool in a day to push it to 0.8 LST per LRT
            let table = PoolTable::new(&config.market.lrt_pool, TABLE_POINTS)?;
            let (mut lo, mut hi) = (0.5, crate::market::X_MAX);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if table.price(mid) > 0.8 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let tokens = (lo - 0.5) * 2.0 * config.market.lrt_pool.depth;
            config.events.push(Event::SellLrt { day: rush, tokens });
            let exit_cost = |open: bool, route: LrtRoute| -> anyhow::Result<f64> {
                let mut c = config.clone();
                c.market.lrt_withdrawals_open = open;
                c.liquidity.lrt_route = route;
                c.liquidity.exit_day = Some(rush);
                let (_, r) = deterministic_path(&c)?;
                Ok(r.models[3].exit.map_or(0.0, |e| e.0))
            };
            let closed = exit_cost(false, LrtRoute::Pool)?;
            let open = exit_cost(true, LrtRoute::Withdraw)?;
            figures.push(figure(
                "LRT sold in the rush",
                tokens,
                "tokens, into a pool of that depth a side",
            ));
            figures.push(figure(
                "LRT exit cost, withdrawals closed (sell in the pool)",
                closed,
                "share of the deposit",
            ));
            figures.push(figure(
                "LRT exit cost, withdrawals open (withdraw, then sell the LST)",
                open,
                "share of the deposit",
            ));
            config.market.lrt_withdrawals_open = false;
            config.liquidity.lrt_route = LrtRoute::Pool;
            let (days, _) = deterministic_path(&config)?;
            let prices: Vec<f64> = days.iter().map(|d| d.lrt_price).collect();
            let trough = prices.iter().copied().fold(f64::INFINITY, f64::min);
            (prices, trough)
        }
        "correlated-slash" => {
            let day = (config.days / 3).max(1);
            config.events.push(Event::CorrelatedSlash {
                day,
                share: 1.0 / 3.0,
                fraction: config.slashing.double_sign_fraction,
            });
            let (days, r) = deterministic_path(&config)?;
            let drop = 1.0 - days[day as usize].hub_rate / days[day as usize - 1].hub_rate;
            figures.push(figure(
                "hub rate fall on the day",
                drop,
                "share of the rate (rewards of the day included)",
            ));
            figures.push(figure(
                "circuit breaker trips",
                f64::from(r.breaker_trips),
                &format!(
                    "the hub pauses bonds and instant unstaking beyond a {} bps fall",
                    config.staking.max_drop_bps
                ),
            ));
            figures.push(figure(
                "days in bunker mode",
                f64::from(r.bunker_days),
                "batches wait; arbitrage through them pauses",
            ));
            price_path(&days)
        }
        "exit-run" => {
            need_days(&config, 8)?;
            let supply = 10.0 * config.market.lst_pool.depth;
            let per_day = 0.3 * supply / 3.0 / 7.0;
            config.events.push(Event::Shock { day: 1 });
            for day in 1..=7 {
                config.events.push(Event::SellLst {
                    day,
                    tokens: per_day,
                });
            }
            let (days, _) = deterministic_path(&config)?;
            figures.push(figure(
                "LST sold a day",
                per_day,
                "tokens sold in the pool, for 7 days, into a pool of that depth a side",
            ));
            let week: Vec<f64> = days[1..=7].iter().map(|d| d.lst_price).collect();
            figures.push(figure(
                "mean price over the week",
                week.iter().sum::<f64>() / 7.0,
                "native per LST at its redemption rate",
            ));
            let recovered = days
                .iter()
                .skip(8)
                .find(|d| d.lst_price >= 0.99)
                .map_or(f64::from(config.days), |d| f64::from(d.day));
            figures.push(figure(
                "day the price is back above 0.99",
                recovered,
                "arbitrage through the batch route pulls it back",
            ));
            price_path(&days)
        }
        _ => unreachable_scenario()?,
    };
    Ok((
        config,
        ScenarioResult {
            name: name.to_string(),
            description,
            asset: if name == "ezeth-2024" { "LRT" } else { "LST" }.to_string(),
            reference_band: (name == "steth-2022").then_some(STETH_RECORDED_LOW),
            price_path: price,
            trough_price: trough,
            figures,
        },
    ))
}

fn unreachable_scenario() -> anyhow::Result<(Vec<f64>, f64)> {
    Err(anyhow::anyhow!("unknown scenario"))
}
