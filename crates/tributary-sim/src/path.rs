//! One path: the four positions, the validator set, the services, the two pools and the
//! liquidity need, a day at a time.
//!
//! Everything a day costs is a handful of multiplications, one normal draw for the market, a
//! table lookup per pool and a comparison per event class: random events are scheduled by
//! their exponential waiting times, so a day without one draws nothing for it.

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::config::{Event, LrtRoute, SimConfig};
use crate::market::PoolTable;

/// The models, in report order: `(key, title)`.
pub const MODELS: [(&str, &str); 4] = [
    ("direct_single", "Traditional staking, one validator"),
    ("direct_spread", "Traditional staking, spread over the set"),
    ("liquid", "Liquid staking (LST)"),
    ("restaked", "Liquid restaking (LRT)"),
];
/// Number of models.
pub const N_MODELS: usize = MODELS.len();
const SINGLE: usize = 0;
const SPREAD: usize = 1;
const LIQUID: usize = 2;
const RESTAKED: usize = 3;

/// Grid points of each pool's table.
pub const TABLE_POINTS: usize = 8_001;

/// The model, prepared once for every path: rates per day, tables, exposures.
#[derive(Debug)]
pub struct Prepared {
    pub config: SimConfig,
    pub lst_pool: PoolTable,
    pub lrt_pool: PoolTable,
    n_validators: f64,
    /// Daily reward rate of the one-validator and the spread direct staker.
    r_single: f64,
    r_spread: f64,
    /// Daily growth of the hub's rate and of the vault's (LST per LRT).
    g_hub: f64,
    g_vault: f64,
    /// Events a day of each random class (see `Class`), and per service.
    downtime_rate: f64,
    double_sign_rate: f64,
    correlated_rate: f64,
    shock_rate: f64,
    service_rates: Vec<f64>,
    /// Per service: the operators allocated to it and the vault's loss per bps of a request
    /// against each (`weight share × allocation`).
    service_exposure: Vec<Vec<(usize, f64)>>,
    /// Scripted events, by day.
    events: Vec<Vec<Event>>,
    /// The days the fan chart samples.
    pub fan_days: Vec<u32>,
    stress_exit: f64,
    /// The pool states below which arbitrage through the slow routes pays (LST, LRT), and
    /// what it can move a day (in state units).
    lst_arb_floor: f64,
    lrt_arb_floor: f64,
    lst_arb_step: f64,
    lrt_arb_step: f64,
}

/// Classes of random events, scheduled by waiting times.
const DOWNTIME: usize = 0;
const DOUBLE_SIGN: usize = 1;
const CORRELATED: usize = 2;
const SHOCK: usize = 3;
const FIRST_SERVICE: usize = 4;

/// Largest number of fan-chart samples over the horizon.
pub const FAN_SAMPLES: u32 = 60;

impl Prepared {
    /// Checks the configuration and prepares it.
    pub fn new(config: SimConfig) -> anyhow::Result<Prepared> {
        config.validate()?;
        let s = &config.staking;
        let n = s.commissions.len() as f64;
        let avg_commission = s.commissions.iter().sum::<f64>() / n;
        let daily = s.apr / 365.0;
        let r_single = daily * (1.0 - s.commissions[s.direct_validator]);
        let r_spread = daily * (1.0 - avg_commission);
        let g_hub = r_spread * (1.0 - s.hub_fee);
        let r = &config.restaking;
        let total_weight: u64 = r.operators.iter().map(|o| o.weight).sum();
        let mut service_exposure = vec![Vec::new(); r.services.len()];
        let mut service_yield = 0.0;
        for (i, o) in r.operators.iter().enumerate() {
            let w = o.weight as f64 / total_weight as f64;
            for &(svc, bps) in &o.allocations {
                let share = w * f64::from(bps) / 10_000.0;
                if share > 0.0 {
                    service_exposure[svc].push((i, share));
                }
                service_yield += share * f64::from(r.services[svc].reward_rate_bps) / 10_000.0
                    * (1.0 - o.commission);
            }
        }
        let g_vault = (service_yield + r.lp_share * r.lp_fee_apr) * (1.0 - r.vault_fee) / 365.0;
        let sl = &config.slashing;
        let service_rates = r
            .services
            .iter()
            .zip(&service_exposure)
            .map(|(sv, ops)| sv.requests_per_year * ops.len() as f64 / 365.0)
            .collect();
        let mut events = vec![Vec::new(); config.days as usize + 1];
        for e in &config.events {
            events[e.day() as usize].push(e.clone());
        }
        let step = (config.days / FAN_SAMPLES).max(1);
        let mut fan_days: Vec<u32> = (0..=config.days).step_by(step as usize).collect();
        if fan_days.last() != Some(&config.days) {
            fan_days.push(config.days);
        }
        let lst_pool = PoolTable::new(&config.market.lst_pool, TABLE_POINTS)?;
        let lrt_pool = PoolTable::new(&config.market.lrt_pool, TABLE_POINTS)?;
        let m = &config.market;
        let batch_wait = f64::from(s.unbonding_days + s.batch_interval_days);
        let vault_wait = if m.lrt_withdrawals_open {
            f64::from(r.withdrawal_delay_days.max(1))
        } else {
            f64::from(m.lrt_closed_wait_days.max(1))
        };
        let lst_arb_floor = lst_pool.state_for_price(1.0 - m.arb_hurdle_apr * batch_wait / 365.0);
        let lrt_arb_floor = lrt_pool.state_for_price(1.0 - m.arb_hurdle_apr * vault_wait / 365.0);
        Ok(Prepared {
            lst_arb_floor,
            lrt_arb_floor,
            // a day's buying, `arb_capacity` of the depth, in state units (D is twice the depth)
            lst_arb_step: m.arb_capacity / 2.0,
            lrt_arb_step: m.arb_capacity / 2.0,
            n_validators: n,
            r_single,
            r_spread,
            g_hub,
            g_vault,
            downtime_rate: sl.downtime_per_year * n / 365.0,
            double_sign_rate: sl.double_sign_per_year * n / 365.0,
            correlated_rate: sl.correlated_per_year / 365.0,
            shock_rate: config.market.shocks_per_year / 365.0,
            service_rates,
            service_exposure,
            events,
            fan_days,
            stress_exit: 1.0 / config.market.stress_days,
            lst_pool,
            lrt_pool,
            config,
        })
    }

    /// The hub's rate after `days` with no slash (the deterministic answer).
    pub fn hub_growth(&self) -> f64 {
        self.g_hub
    }

    /// The vault's daily growth of LST per LRT.
    pub fn vault_growth(&self) -> f64 {
        self.g_vault
    }

    /// Daily reward rate of the one-validator and the spread direct staker.
    pub fn direct_rates(&self) -> (f64, f64) {
        (self.r_single, self.r_spread)
    }
}

/// The generator of path `path` under `seed`: it depends on nothing else, so the paths a run
/// draws are the same whatever the thread count or the shard.
pub fn rng_for(seed: u64, path: u64) -> Xoshiro256PlusPlus {
    fn splitmix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    Xoshiro256PlusPlus::seed_from_u64(splitmix(seed ^ splitmix(path)))
}

/// What a path ends with, per model.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Value at the horizon / deposit (cash if the position was exited).
    pub terminal: f64,
    /// Largest fall of the marked-to-market value from its running peak, share of the peak.
    pub max_drawdown: f64,
    /// If an exit was forced: (what it cost / deposit, days until the native was in hand).
    pub exit: Option<(f64, u32)>,
}

/// What a path ends with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PathResult {
    pub models: [Outcome; N_MODELS],
    /// Times the hub's circuit breaker (rate drop) tripped.
    pub breaker_trips: u32,
    /// Times the pool's discount reached the depeg pause.
    pub depeg_trips: u32,
    /// Days spent in bunker mode.
    pub bunker_days: u32,
    /// Lowest LST price in the pool (native per LST at its redemption rate).
    pub trough_price: f64,
}

/// One day of a path, for a trace.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct DayRecord {
    pub day: u32,
    /// Value / deposit at redemption rates (cash once exited), per model.
    pub value: [f64; N_MODELS],
    /// Marked to market (pool prices), per model.
    pub market_value: [f64; N_MODELS],
    /// LST price in the LST pool, native per LST at its redemption rate.
    pub lst_price: f64,
    /// LRT price in the LRT pool, LST per LRT at the vault's rate.
    pub lrt_price: f64,
    /// The hub's rate (native per LST) and the vault's (LST per LRT), from 1 at the start.
    pub hub_rate: f64,
    pub vault_rate: f64,
    pub stress: bool,
    pub bunker: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Position {
    /// Invested.
    Held,
    /// Leaving: native arrives on `until` (direct unbonding, vault withdrawal).
    Leaving { until: u32, value_at_exit: f64 },
    /// Cash.
    Done { cash: f64 },
}

/// Runs path `path` and calls `on_day` after each day (and once for day 0). `on_day` gets the
/// day and the marked-to-market values / deposit.
pub fn run_path(
    p: &Prepared,
    path: u64,
    mut on_day: impl FnMut(&DayRecord),
    trace: bool,
) -> PathResult {
    let c = &p.config;
    let mut rng = rng_for(c.seed, path);
    let deposit = c.deposit;
    let days = c.days;
    let n = p.n_validators;
    let dv = c.staking.direct_validator;

    // waiting times of the random classes (days from now; infinite if the rate is zero)
    let n_classes = FIRST_SERVICE + p.service_rates.len();
    let mut next = Vec::with_capacity(n_classes);
    let draw = |rng: &mut Xoshiro256PlusPlus, rate: f64| -> f64 {
        if rate > 0.0 {
            Exp::new(rate)
                .map(|e| e.sample(rng))
                .unwrap_or(f64::INFINITY)
        } else {
            f64::INFINITY
        }
    };
    let rates: Vec<f64> = [
        p.downtime_rate,
        p.double_sign_rate,
        p.correlated_rate,
        p.shock_rate,
    ]
    .into_iter()
    .chain(p.service_rates.iter().copied())
    .collect();
    for &r in &rates {
        next.push(draw(&mut rng, r));
    }
    // the liquidity need
    let exit_day = if c.liquidity.exit_day.is_some() {
        c.liquidity.exit_day
    } else if c.liquidity.exit_probability > 0.0 && rng.gen::<f64>() < c.liquidity.exit_probability
    {
        Some(rng.gen_range(1..=days))
    } else {
        None
    };

    // positions: direct principal and rewards (tokens); LST and LRT through the rates
    let (mut single_p, mut single_r) = (deposit, 0.0);
    let (mut spread_p, mut spread_r) = (deposit, 0.0);
    let mut hub_rate = 1.0f64;
    let mut vault_rate = 1.0f64;
    let mut pos = [Position::Held; N_MODELS];
    // LST a pending LRT withdrawal will pay
    let mut lrt_withdrawn_lst = 0.0;
    let mut restores: Vec<(u32, f64)> = Vec::new();

    let mut x_lst = p.lst_pool.balanced();
    let mut x_lrt = p.lrt_pool.balanced();
    let mut stress = false;
    let mut stress_since = 0u32;
    let mut bunker_until = 0u32;
    let mut depegged = false;
    let lp_share = c.restaking.lp_share;
    let m = &c.market;
    let drop_limit = f64::from(c.staking.max_drop_bps) / 10_000.0;
    let depeg_limit = f64::from(c.staking.depeg_pause_bps) / 10_000.0;
    let lrt_open = m.lrt_withdrawals_open;
    let route = if lrt_open {
        c.liquidity.lrt_route
    } else {
        LrtRoute::Pool
    };

    let mut result = PathResult {
        trough_price: f64::INFINITY,
        ..PathResult::default()
    };
    let mut peak = [1.0f64; N_MODELS];
    let mut record = DayRecord::default();

    let values = |single_p: f64,
                  single_r: f64,
                  spread_p: f64,
                  spread_r: f64,
                  hub_rate: f64,
                  vault_rate: f64,
                  lst_price: f64|
     -> [f64; N_MODELS] {
        let lp = 1.0 - lp_share * (1.0 - lst_price).max(0.0);
        [
            single_p + single_r,
            spread_p + spread_r,
            deposit * hub_rate,
            deposit * vault_rate * hub_rate * lp,
        ]
    };

    for day in 0..=days {
        if day > 0 {
            let rate_before = hub_rate;
            let was_stressed = stress;
            // 1. rewards
            if pos[SINGLE] == Position::Held {
                if c.staking.direct_compounds {
                    single_p += single_p * p.r_single;
                } else {
                    single_r += single_p * p.r_single;
                }
            }
            if pos[SPREAD] == Position::Held {
                if c.staking.direct_compounds {
                    spread_p += spread_p * p.r_spread;
                } else {
                    spread_r += spread_p * p.r_spread;
                }
            }
            hub_rate *= 1.0 + p.g_hub;
            // services pay native on the LST allocated to them; the vault bonds it at the
            // hub's rate, so it buys that much less LST as the rate grows
            if day > c.restaking.reward_lag_days {
                vault_rate *= 1.0 + p.g_vault / hub_rate;
            }

            // 2. validator slashes: which validators, what fraction, whether the single one is hit
            let mut slash = |hit: f64, single_hit: bool, fraction: f64, stress: &mut bool| {
                if single_hit {
                    single_p *= 1.0 - fraction;
                }
                let share = fraction * hit / n;
                spread_p *= 1.0 - share;
                // the chain slashes bonded stake, not the rewards accrued since the last crank
                hub_rate -= rate_before * share;
                if share > m.stress_slash_threshold {
                    *stress = true;
                }
                bunker_until = bunker_until.max(day + c.staking.bunker_epochs);
            };
            let t = f64::from(day);
            while next[DOWNTIME] <= t {
                let v = rng.gen_range(0..c.staking.commissions.len());
                slash(1.0, v == dv, c.slashing.downtime_fraction, &mut stress);
                next[DOWNTIME] += draw(&mut rng, rates[DOWNTIME]);
            }
            while next[DOUBLE_SIGN] <= t {
                let v = rng.gen_range(0..c.staking.commissions.len());
                slash(1.0, v == dv, c.slashing.double_sign_fraction, &mut stress);
                next[DOUBLE_SIGN] += draw(&mut rng, rates[DOUBLE_SIGN]);
            }
            while next[CORRELATED] <= t {
                let k = (c.slashing.correlated_share * n).round().max(1.0).min(n);
                let single_hit = rng.gen::<f64>() < k / n;
                slash(k, single_hit, c.slashing.double_sign_fraction, &mut stress);
                next[CORRELATED] += draw(&mut rng, rates[CORRELATED]);
            }
            while next[SHOCK] <= t {
                stress = true;
                next[SHOCK] += draw(&mut rng, rates[SHOCK]);
            }
            // 3. service slash requests: priced into the vault's rate when requested (the
            // registry's `pending_slash`), given back if vetoed when the window ends
            let mut request = |svc: usize,
                               operator: Option<usize>,
                               bps: u16,
                               vetoed: bool,
                               rng: &mut Xoshiro256PlusPlus,
                               stress: &mut bool| {
                let exposure = &p.service_exposure[svc];
                if exposure.is_empty() {
                    return;
                }
                let (_, share) = match operator {
                    Some(o) => match exposure.iter().find(|(i, _)| *i == o) {
                        Some(e) => *e,
                        None => return,
                    },
                    None => exposure[rng.gen_range(0..exposure.len())],
                };
                let loss = share * f64::from(bps) / 10_000.0;
                if loss >= 1.0 {
                    vault_rate = 0.0;
                    return;
                }
                vault_rate *= 1.0 - loss;
                if vetoed {
                    let window = c.restaking.services[svc].veto_window_days;
                    restores.push((day + window, 1.0 / (1.0 - loss)));
                } else if loss > m.stress_slash_threshold {
                    *stress = true;
                }
            };
            for s in 0..p.service_rates.len() {
                let class = FIRST_SERVICE + s;
                while next[class] <= t {
                    let sv = &c.restaking.services[s];
                    let vetoed = rng.gen::<f64>() < sv.veto_probability;
                    let bps = u32::from(sv.request_bps).min(SimConfig::max_request_bps(sv)) as u16;
                    request(s, None, bps, vetoed, &mut rng, &mut stress);
                    next[class] += draw(&mut rng, rates[class]);
                }
            }
            // scripted events
            let mut sell_lst = 0.0;
            let mut sell_lrt = 0.0;
            for e in &p.events[day as usize] {
                match e {
                    Event::ValidatorSlash {
                        validators,
                        fraction,
                        ..
                    } => {
                        let hit = validators.len() as f64;
                        slash(hit, validators.contains(&dv), *fraction, &mut stress);
                    }
                    Event::CorrelatedSlash {
                        share, fraction, ..
                    } => {
                        let k = (share * n).round().max(1.0).min(n);
                        let single_hit = rng.gen::<f64>() < k / n;
                        slash(k, single_hit, *fraction, &mut stress);
                    }
                    Event::ServiceSlash {
                        service,
                        operator,
                        bps,
                        vetoed,
                        ..
                    } => request(
                        *service,
                        Some(*operator),
                        *bps,
                        *vetoed,
                        &mut rng,
                        &mut stress,
                    ),
                    Event::SellLst { tokens, .. } => sell_lst += tokens,
                    Event::SellLrt { tokens, .. } => sell_lrt += tokens,
                    Event::Shock { .. } => stress = true,
                }
            }
            restores.retain(|&(until, factor)| {
                if until == day {
                    vault_rate *= factor;
                    false
                } else {
                    true
                }
            });
            if hub_rate < rate_before * (1.0 - drop_limit) {
                result.breaker_trips += 1;
            }
            let bunker = day < bunker_until;
            if bunker {
                result.bunker_days += 1;
            }

            // 4. the market: regime, net selling, arbitrage through the slow routes
            if stress && !was_stressed {
                stress_since = day;
            }
            if stress {
                let over = if m.fixed_stress_length {
                    f64::from(day - stress_since + 1) >= m.stress_days.round()
                } else {
                    rng.gen::<f64>() < p.stress_exit
                };
                if over {
                    stress = false;
                }
            }
            let flow = if stress {
                if m.stress_sell_sd > 0.0 {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    m.stress_sell_mean + m.stress_sell_sd * z
                } else {
                    m.stress_sell_mean
                }
            } else if m.calm_sell_sd > 0.0 {
                let z: f64 = StandardNormal.sample(&mut rng);
                m.calm_sell_sd * z
            } else {
                0.0
            };
            x_lst = p
                .lst_pool
                .after_sale(x_lst, flow * m.lst_pool.depth + sell_lst);
            x_lrt = p.lrt_pool.after_sale(
                x_lrt,
                flow * m.lrt_flow_multiple * m.lrt_pool.depth + sell_lrt,
            );
            // a discount is bought and redeemed through the batch while it pays more than the
            // arbitrageurs' hurdle over the wait (not while batches wait out bunker mode), as
            // much as their capital allows a day; a premium is minted away at once
            if x_lst > p.lst_arb_floor {
                if !bunker {
                    x_lst -= (x_lst - p.lst_arb_floor).min(p.lst_arb_step);
                }
            } else if x_lst < 0.5 {
                x_lst = 0.5;
            }
            if x_lrt > p.lrt_arb_floor {
                x_lrt -= (x_lrt - p.lrt_arb_floor).min(p.lrt_arb_step);
            } else if x_lrt < 0.5 {
                x_lrt = 0.5;
            }
        }
        let lst_price = p.lst_pool.price(x_lst);
        let lrt_price = p.lrt_pool.price(x_lrt);
        result.trough_price = result.trough_price.min(lst_price);
        let discounted = 1.0 - lst_price >= depeg_limit;
        if discounted && !depegged {
            result.depeg_trips += 1;
        }
        depegged = discounted;

        let v = values(
            single_p, single_r, spread_p, spread_r, hub_rate, vault_rate, lst_price,
        );

        // 5. the liquidity need
        if Some(day) == exit_day {
            let unbond = day + c.staking.unbonding_days;
            pos[SINGLE] = Position::Leaving {
                until: unbond,
                value_at_exit: v[SINGLE],
            };
            pos[SPREAD] = Position::Leaving {
                until: unbond,
                value_at_exit: v[SPREAD],
            };
            let cash = p.lst_pool.sell(x_lst, v[LIQUID]);
            pos[LIQUID] = Position::Done { cash };
            result.models[LIQUID].exit = Some(((v[LIQUID] - cash) / deposit, 0));
            match route {
                LrtRoute::Withdraw => {
                    lrt_withdrawn_lst = v[RESTAKED] / hub_rate;
                    pos[RESTAKED] = Position::Leaving {
                        until: day + c.restaking.withdrawal_delay_days,
                        value_at_exit: v[RESTAKED],
                    };
                }
                LrtRoute::Pool => {
                    let lst = p.lrt_pool.sell(x_lrt, v[RESTAKED] / hub_rate);
                    let cash = p.lst_pool.sell(x_lst, lst * hub_rate);
                    pos[RESTAKED] = Position::Done { cash };
                    result.models[RESTAKED].exit = Some(((v[RESTAKED] - cash) / deposit, 0));
                }
            }
        }
        // leaving positions complete (at the horizon at the latest)
        for (i, position) in pos.iter_mut().enumerate() {
            if let Position::Leaving {
                until,
                value_at_exit,
            } = *position
            {
                if day >= until || day == days {
                    let cash = match i {
                        SINGLE => single_p + single_r,
                        SPREAD => spread_p + spread_r,
                        _ => p.lst_pool.sell(x_lst, lrt_withdrawn_lst * hub_rate),
                    };
                    let waited = match exit_day {
                        Some(e) => until - e,
                        None => 0,
                    };
                    result.models[i].exit = Some(((value_at_exit - cash) / deposit, waited));
                    *position = Position::Done { cash };
                }
            }
        }

        // 6. what each position is worth, marked to market
        for i in 0..N_MODELS {
            let (value, market) = match pos[i] {
                Position::Done { cash } => (cash, cash),
                Position::Leaving { .. } if i == RESTAKED => {
                    let worth = lrt_withdrawn_lst * hub_rate;
                    (worth, worth * lst_price)
                }
                Position::Leaving { .. } => (v[i], v[i]),
                Position::Held => {
                    let market = match i {
                        LIQUID => v[i] * lst_price,
                        RESTAKED => v[i] * lst_price * lrt_price,
                        _ => v[i],
                    };
                    (v[i], market)
                }
            };
            let (value, market) = (value / deposit, market / deposit);
            record.value[i] = value;
            record.market_value[i] = market;
            peak[i] = peak[i].max(market);
            let dd = if peak[i] > 0.0 {
                1.0 - market / peak[i]
            } else {
                0.0
            };
            if dd > result.models[i].max_drawdown {
                result.models[i].max_drawdown = dd;
            }
        }
        record.day = day;
        if trace {
            record.lst_price = lst_price;
            record.lrt_price = lrt_price;
            record.hub_rate = hub_rate;
            record.vault_rate = vault_rate;
            record.stress = stress;
            record.bunker = day < bunker_until;
        }
        on_day(&record);
    }
    for i in 0..N_MODELS {
        result.models[i].terminal = record.value[i];
    }
    result
}
