//! Every parameter of the model, its default and where the default comes from. The crate's
//! README has the same list as a table; `tributary-cli`'s tests check the defaults that come
//! from the devnet against the devnet's own deployment options.

use serde::{Deserialize, Serialize};
use tributary_core::hub::Rails;
use tributary_core::registry::MAX_SLASH_EPOCHS;

use crate::market::PoolParams;

/// The whole model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    /// Native tokens put into each model.
    pub deposit: f64,
    /// Horizon, days (one step a day: the hub's and the vault's epoch).
    pub days: u32,
    /// Number of paths.
    pub paths: u64,
    /// Seed: path `i` draws from a generator seeded by `(seed, i)` alone.
    pub seed: u64,
    pub staking: Staking,
    pub slashing: Slashing,
    pub restaking: Restaking,
    pub market: Market,
    pub liquidity: Liquidity,
    /// Events that happen on every path on a given day, on top of the random ones (scenarios,
    /// and the deterministic path that `tributary compare` also lives through).
    pub events: Vec<Event>,
}

/// Staking rewards and the hub.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Staking {
    /// The chain's staking APR before commission (devnet: 10 %).
    pub apr: f64,
    /// Each validator's commission; the hub spreads its stake evenly over them (devnet: three
    /// validators at 5 %, 5 % and 10 %, weight 1 each).
    pub commissions: Vec<f64>,
    /// The validator the one-validator direct staker delegates to (devnet's `validator1`).
    pub direct_validator: usize,
    /// The hub's fee on rewards (devnet: 1,000 bps).
    pub hub_fee: f64,
    /// The chain's unbonding time, days (devnet: 21).
    pub unbonding_days: u32,
    /// The hub submits an unbonding batch this often, days (devnet: 3).
    pub batch_interval_days: u32,
    /// The hub's circuit breaker: a fall of the rate beyond this in one crank pauses bonds and
    /// instant unstaking (hub rails default: 100 bps).
    pub max_drop_bps: u16,
    /// The pool's moving-average discount that pauses the same (hub rails default: 500 bps).
    pub depeg_pause_bps: u16,
    /// Quiet epochs (days) after a slash before bunker mode ends; batches wait meanwhile (hub
    /// rails default: 2).
    pub bunker_epochs: u32,
    /// Whether the direct staker claims and re-delegates rewards every day (the chain does not
    /// compound for them; default: no, as `tributary compare`'s direct staker).
    pub direct_compounds: bool,
}

/// Validator slashing (Poisson events per validator-year).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slashing {
    /// Downtime slashes per validator-year (assumption: one in five years).
    pub downtime_per_year: f64,
    /// The chain's downtime slash fraction (Cosmos Hub: 0.01 %).
    pub downtime_fraction: f64,
    /// Double-sign slashes per validator-year (assumption: one in 500 years).
    pub double_sign_per_year: f64,
    /// The chain's double-sign slash fraction (Cosmos Hub: 5 %).
    pub double_sign_fraction: f64,
    /// Correlated events per year, each a double-sign of `correlated_share` of the set at once
    /// (assumption: one in 50 years; a shared infrastructure or key-management failure).
    pub correlated_per_year: f64,
    /// Share of the validator set a correlated event hits (default: a third).
    pub correlated_share: f64,
}

/// A restaking operator as the vault holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operator {
    pub name: String,
    /// Commission on service rewards (devnet: operator-a 10 %, operator-b 5 %).
    pub commission: f64,
    /// The vault's target weight (devnet: 1 each).
    pub weight: u64,
    /// `(service index, bps of the operator's stake allocated to it)`.
    pub allocations: Vec<(usize, u16)>,
}

/// A service and its slashing behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    /// Reward paid a year on the stake allocated to it, bps (devnet: 500).
    pub reward_rate_bps: u16,
    /// Slash requests a year against one operator allocated to it (assumption: 0.1).
    pub requests_per_year: f64,
    /// Size of a request, bps of the operator's allocation (assumption: 500), capped as the
    /// registry caps it: `max_slash_bps_per_epoch × MAX_SLASH_EPOCHS`.
    pub request_bps: u16,
    /// Probability that the resolver vetoes a request (assumption: 0.5).
    pub veto_probability: f64,
    /// The service's per-epoch cap (devnet: oracle-network 1,000, bridge 2,000 bps).
    pub max_slash_bps_per_epoch: u16,
    /// Veto window, days (devnet: 2).
    pub veto_window_days: u32,
}

/// The vault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Restaking {
    /// The vault's fee on the rewards it bonds (devnet: 1,000 bps).
    pub vault_fee: f64,
    /// Delay of a vault withdrawal, days (devnet: 8).
    pub withdrawal_delay_days: u32,
    pub operators: Vec<Operator>,
    pub services: Vec<Service>,
    /// Days before a new position earns the services' rewards: services pay for the past and
    /// the registry streams each payment over its reward period (devnet: 7 days).
    #[serde(default)]
    pub reward_lag_days: u32,
    /// Share of the vault's LST in the LP strategy (devnet: 0; its strategy holds).
    pub lp_share: f64,
    /// What the LP strategy earns a year in pool fees on top (assumption: 1 %).
    pub lp_fee_apr: f64,
}

/// The markets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Market {
    /// The LST/native pool (devnet: A = 50, 4 bps, 100,000 a side).
    pub lst_pool: PoolParams,
    /// The LRT/LST pool (assumption: A = 50, 4 bps, thin: 20,000 a side).
    pub lrt_pool: PoolParams,
    /// Net LST sold into the pool a day in the calm regime: standard deviation, share of the
    /// pool's depth (assumption: 1 %).
    pub calm_sell_sd: f64,
    /// In the stress regime: mean net selling a day, share of depth (assumption: 5 %).
    pub stress_sell_mean: f64,
    /// In the stress regime: standard deviation (assumption: 5 %).
    pub stress_sell_sd: f64,
    /// LRT sold into its pool, as a multiple of the LST flow (same shocks; assumption: 1).
    pub lrt_flow_multiple: f64,
    /// Exogenous shocks a year that start a stress regime (assumption: 0.5).
    pub shocks_per_year: f64,
    /// Mean length of a stress regime, days (assumption: 10).
    pub stress_days: f64,
    /// A validator slash the hub books, above this fraction of its stake, or any executed
    /// service slash, starts a stress regime (assumption: 0.1 %).
    pub stress_slash_threshold: f64,
    /// Whether vault withdrawals are open (arbitrage and exits through the vault; default yes).
    pub lrt_withdrawals_open: bool,
    /// The return a year arbitrageurs want for buying below the redemption rate and waiting
    /// out the slow route (the batch: unbonding plus the batch interval; the vault withdrawal):
    /// they buy while the discount is above it over that wait (assumption: 5 %).
    pub arb_hurdle_apr: f64,
    /// While vault withdrawals are closed, the wait arbitrageurs price an LRT discount over,
    /// days, expecting them to open (assumption: 90).
    pub lrt_closed_wait_days: u32,
    /// What arbitrageurs can buy a day, share of the pool's depth (assumption: 10 %).
    pub arb_capacity: f64,
    /// A stress regime lasts exactly `stress_days` (rounded) instead of ending at random
    /// (the deterministic path; default no).
    #[serde(default)]
    pub fixed_stress_length: bool,
}

/// The liquidity need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Liquidity {
    /// Probability that the user must exit before the horizon, at a uniformly random day
    /// (assumption: 0.2).
    pub exit_probability: f64,
    /// How the LRT holder exits.
    pub lrt_route: LrtRoute,
    /// Force the exit on this day on every path instead (scenarios).
    #[serde(default)]
    pub exit_day: Option<u32>,
}

/// The LRT holder's exit route when forced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LrtRoute {
    /// Vault withdrawal, then sell the LST in the LST pool when it is paid.
    Withdraw,
    /// Sell the LRT in its pool at once, then the LST in the LST pool.
    Pool,
}

/// An event on a given day of every path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// These validators are slashed by `fraction`.
    ValidatorSlash {
        day: u32,
        validators: Vec<usize>,
        fraction: f64,
    },
    /// A correlated event: `share` of the set double-signs at once (which validators is drawn
    /// per path, so the one-validator staker is hit on that share of the paths).
    CorrelatedSlash { day: u32, share: f64, fraction: f64 },
    /// A service asks to slash an operator; executed unless `vetoed`.
    ServiceSlash {
        day: u32,
        service: usize,
        operator: usize,
        bps: u16,
        vetoed: bool,
    },
    /// Net LST sold into the LST pool, tokens at the redemption rate.
    SellLst { day: u32, tokens: f64 },
    /// Net LRT sold into the LRT pool, tokens at the vault's rate.
    SellLrt { day: u32, tokens: f64 },
    /// A stress regime starts.
    Shock { day: u32 },
}

impl Event {
    /// The day it happens.
    pub fn day(&self) -> u32 {
        match self {
            Event::ValidatorSlash { day, .. }
            | Event::CorrelatedSlash { day, .. }
            | Event::ServiceSlash { day, .. }
            | Event::SellLst { day, .. }
            | Event::SellLrt { day, .. }
            | Event::Shock { day } => *day,
        }
    }
}

const DEVNET_DEPTH: f64 = 100_000.0;

impl Default for SimConfig {
    fn default() -> Self {
        let rails = Rails::default();
        let service = |name: &str, cap: u16| Service {
            name: name.to_string(),
            reward_rate_bps: 500,
            requests_per_year: 0.1,
            request_bps: 500,
            veto_probability: 0.5,
            max_slash_bps_per_epoch: cap,
            veto_window_days: 2,
        };
        SimConfig {
            deposit: 10_000.0,
            days: 365,
            paths: 10_000,
            seed: 1,
            staking: Staking {
                apr: 0.10,
                commissions: vec![0.05, 0.05, 0.10],
                direct_validator: 0,
                hub_fee: 0.10,
                unbonding_days: 21,
                batch_interval_days: 3,
                max_drop_bps: rails.max_drop_bps,
                depeg_pause_bps: rails.depeg_pause_bps,
                bunker_epochs: rails.bunker_epochs,
                direct_compounds: false,
            },
            slashing: Slashing {
                downtime_per_year: 0.2,
                downtime_fraction: 0.0001,
                double_sign_per_year: 0.002,
                double_sign_fraction: 0.05,
                correlated_per_year: 0.02,
                correlated_share: 1.0 / 3.0,
            },
            restaking: Restaking {
                vault_fee: 0.10,
                withdrawal_delay_days: 8,
                operators: vec![
                    Operator {
                        name: "operator-a".into(),
                        commission: 0.10,
                        weight: 1,
                        allocations: vec![(0, 5_000), (1, 3_000)],
                    },
                    Operator {
                        name: "operator-b".into(),
                        commission: 0.05,
                        weight: 1,
                        allocations: vec![(0, 10_000)],
                    },
                ],
                services: vec![service("oracle-network", 1_000), service("bridge", 2_000)],
                reward_lag_days: 7,
                lp_share: 0.0,
                lp_fee_apr: 0.01,
            },
            market: Market {
                lst_pool: PoolParams {
                    amp: 50,
                    fee: 4_000_000,
                    depth: DEVNET_DEPTH,
                },
                lrt_pool: PoolParams {
                    amp: 50,
                    fee: 4_000_000,
                    depth: 20_000.0,
                },
                calm_sell_sd: 0.01,
                stress_sell_mean: 0.05,
                stress_sell_sd: 0.05,
                lrt_flow_multiple: 1.0,
                shocks_per_year: 0.5,
                stress_days: 10.0,
                stress_slash_threshold: 0.001,
                lrt_withdrawals_open: true,
                arb_hurdle_apr: 0.05,
                arb_capacity: 0.10,
                lrt_closed_wait_days: 90,
                fixed_stress_length: false,
            },
            liquidity: Liquidity {
                exit_probability: 0.2,
                lrt_route: LrtRoute::Withdraw,
                exit_day: None,
            },
            events: vec![],
        }
    }
}

impl SimConfig {
    /// The same model with every random part switched off: no random slashes, requests or
    /// shocks, no market noise, no forced exit (unless on a fixed day), and a stress regime
    /// that sells its mean every day for exactly its mean length. Only `events` happen.
    pub fn deterministic(mut self) -> Self {
        self.slashing.downtime_per_year = 0.0;
        self.slashing.double_sign_per_year = 0.0;
        self.slashing.correlated_per_year = 0.0;
        for s in &mut self.restaking.services {
            s.requests_per_year = 0.0;
        }
        self.market.calm_sell_sd = 0.0;
        self.market.stress_sell_sd = 0.0;
        self.market.fixed_stress_length = true;
        self.market.shocks_per_year = 0.0;
        self.liquidity.exit_probability = 0.0;
        self
    }

    /// Checks the parameters; the message says which one is wrong and why.
    pub fn validate(&self) -> anyhow::Result<()> {
        let bad = |m: String| Err(anyhow::anyhow!(m));
        let prob = |name: &str, p: f64| -> anyhow::Result<()> {
            if !(0.0..=1.0).contains(&p) {
                anyhow::bail!("{name} must be between 0 and 1 (got {p})");
            }
            Ok(())
        };
        let rate = |name: &str, r: f64| -> anyhow::Result<()> {
            if !(r.is_finite() && r >= 0.0) {
                anyhow::bail!("{name} must be zero or more (got {r})");
            }
            Ok(())
        };
        if !(self.deposit.is_finite() && self.deposit > 0.0) {
            return bad(format!(
                "the deposit must be above zero (got {})",
                self.deposit
            ));
        }
        if self.days == 0 || self.days > 3_650 {
            return bad(format!(
                "the horizon must be 1 to 3,650 days (got {})",
                self.days
            ));
        }
        if self.paths == 0 {
            return bad("at least one path".into());
        }
        let s = &self.staking;
        rate("the APR", s.apr)?;
        if s.apr > 10.0 {
            return bad(format!("an APR of {} is not plausible", s.apr));
        }
        if s.commissions.is_empty() {
            return bad("at least one validator".into());
        }
        for c in &s.commissions {
            prob("a validator's commission", *c)?;
        }
        if s.direct_validator >= s.commissions.len() {
            return bad(format!(
                "the direct staker's validator {} is not in the set of {}",
                s.direct_validator,
                s.commissions.len()
            ));
        }
        prob("the hub's fee", s.hub_fee)?;
        if s.unbonding_days == 0 || s.batch_interval_days == 0 {
            return bad("the unbonding time and the batch interval must be at least a day".into());
        }
        let sl = &self.slashing;
        rate("downtime slashes a year", sl.downtime_per_year)?;
        rate("double-sign slashes a year", sl.double_sign_per_year)?;
        rate("correlated events a year", sl.correlated_per_year)?;
        prob("the downtime fraction", sl.downtime_fraction)?;
        prob("the double-sign fraction", sl.double_sign_fraction)?;
        prob("the correlated share", sl.correlated_share)?;
        let r = &self.restaking;
        prob("the vault's fee", r.vault_fee)?;
        prob("the LP strategy's share", r.lp_share)?;
        rate("the LP strategy's fee APR", r.lp_fee_apr)?;
        if r.operators.is_empty() || r.operators.iter().all(|o| o.weight == 0) {
            return bad("the vault needs an operator with a weight above zero".into());
        }
        for o in &r.operators {
            prob(&format!("{}'s commission", o.name), o.commission)?;
            let total: u32 = o.allocations.iter().map(|a| u32::from(a.1)).sum();
            if total > 10_000 {
                return bad(format!(
                    "{} allocates {total} bps, more than all its stake",
                    o.name
                ));
            }
            if let Some(a) = o.allocations.iter().find(|a| a.0 >= r.services.len()) {
                return bad(format!(
                    "{} allocates to service {} but there are {} services",
                    o.name,
                    a.0,
                    r.services.len()
                ));
            }
        }
        for sv in &r.services {
            rate(
                &format!("{}'s requests a year", sv.name),
                sv.requests_per_year,
            )?;
            prob(
                &format!("{}'s veto probability", sv.name),
                sv.veto_probability,
            )?;
            tributary_core::registry::slashing::check_fraction(
                sv.request_bps,
                sv.max_slash_bps_per_epoch,
            )
            .map_err(|e| anyhow::anyhow!("{}: {e}", sv.name))?;
        }
        let m = &self.market;
        for (name, v) in [
            ("the calm sell deviation", m.calm_sell_sd),
            ("the stress sell mean", m.stress_sell_mean),
            ("the stress sell deviation", m.stress_sell_sd),
            ("the LRT flow multiple", m.lrt_flow_multiple),
            ("shocks a year", m.shocks_per_year),
            ("the stress slash threshold", m.stress_slash_threshold),
            ("the arbitrage hurdle", m.arb_hurdle_apr),
            ("the arbitrage capacity", m.arb_capacity),
        ] {
            rate(name, v)?;
        }
        if m.stress_days.is_nan() || m.stress_days < 1.0 {
            return bad("a stress regime lasts a day at least on average".into());
        }
        prob("the exit probability", self.liquidity.exit_probability)?;
        if let Some(d) = self.liquidity.exit_day {
            if d == 0 || d > self.days {
                return bad(format!(
                    "the exit day {d} is outside the horizon 1..={}",
                    self.days
                ));
            }
        }
        for e in &self.events {
            if e.day() == 0 || e.day() > self.days {
                return bad(format!(
                    "an event on day {} is outside the horizon 1..={}",
                    e.day(),
                    self.days
                ));
            }
            match e {
                Event::ValidatorSlash {
                    validators,
                    fraction,
                    ..
                } => {
                    prob("a slash fraction", *fraction)?;
                    if let Some(v) = validators.iter().find(|v| **v >= s.commissions.len()) {
                        return bad(format!("validator {v} is not in the set"));
                    }
                }
                Event::CorrelatedSlash {
                    share, fraction, ..
                } => {
                    prob("a slash fraction", *fraction)?;
                    prob("a correlated share", *share)?;
                }
                Event::ServiceSlash {
                    service,
                    operator,
                    bps,
                    ..
                } => {
                    let sv = r
                        .services
                        .get(*service)
                        .ok_or_else(|| anyhow::anyhow!("no service {service}"))?;
                    if *operator >= r.operators.len() {
                        return bad(format!("no operator {operator}"));
                    }
                    tributary_core::registry::slashing::check_fraction(
                        *bps,
                        sv.max_slash_bps_per_epoch,
                    )
                    .map_err(|e| anyhow::anyhow!("{}: {e}", sv.name))?;
                }
                Event::SellLst { tokens, .. } | Event::SellLrt { tokens, .. } => {
                    if !tokens.is_finite() {
                        return bad("a sale must be a finite amount".into());
                    }
                }
                Event::Shock { .. } => {}
            }
        }
        Ok(())
    }

    /// The largest request a service may make, bps: the registry's cap over the epochs a
    /// request may take.
    pub fn max_request_bps(service: &Service) -> u32 {
        u32::from(service.max_slash_bps_per_epoch) * u32::from(MAX_SLASH_EPOCHS)
    }
}
