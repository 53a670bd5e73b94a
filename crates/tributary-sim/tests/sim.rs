//! The simulator's statistics on cases with known answers, the pool table against the
//! contracts' StableSwap, determinism across thread counts, and the merge of shards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Uint128;
use tributary_math::stableswap::{unit_rate, StableSwap, A_PRECISION};
use tributary_sim::config::{Event, LrtRoute};
use tributary_sim::market::{exact_point, PoolParams, PoolTable};
use tributary_sim::run::{run, run_range, Shard};
use tributary_sim::scenario;
use tributary_sim::{Prepared, SimConfig, Summary};

fn quiet() -> SimConfig {
    let mut c = SimConfig::default().deterministic();
    c.paths = 300;
    // no selling in stress either: these cases are about values, not prices
    c.market.stress_sell_mean = 0.0;
    c
}

fn stats_of(c: SimConfig) -> tributary_sim::Stats {
    let deposit = c.deposit;
    let p = Prepared::new(c).unwrap();
    run(&p, Shard::ALL, &|_| {}).unwrap().stats(deposit)
}

#[test]
fn no_slashing_means_no_loss_and_the_exact_deterministic_yield() {
    let mut c = quiet();
    c.days = 200;
    // the market still moves (it cannot change a held position's redemption value)
    c.market.calm_sell_sd = 0.02;
    c.market.shocks_per_year = 3.0;
    c.market.stress_sell_mean = 0.05;
    c.market.stress_sell_sd = 0.05;
    let p = Prepared::new(c.clone()).unwrap();
    let (r_single, r_spread) = p.direct_rates();
    let hub = (1.0 + p.hub_growth()).powi(200);
    // the services' native buys LST at the hub's rate of the day, after the 7-day lag
    let mut vault = hub;
    for day in 8..=200 {
        vault *= 1.0 + p.vault_growth() / (1.0 + p.hub_growth()).powi(day);
    }
    let expected = [1.0 + 200.0 * r_single, 1.0 + 200.0 * r_spread, hub, vault];
    // the defaults: 10 % APR, commissions 5/5/10 %, hub fee 10 %
    assert!((r_single - 0.10 * 0.95 / 365.0).abs() < 1e-15);
    assert!((p.hub_growth() - 0.10 * (1.0 - 0.2 / 3.0) * 0.9 / 365.0).abs() < 1e-15);
    let stats = stats_of(c);
    for (m, e) in stats.models.iter().zip(expected) {
        assert_eq!(m.loss_probability, 0.0, "{}", m.model);
        assert!(
            (m.terminal_value_median - e).abs() < 1e-9,
            "{}: {} vs {e}",
            m.model,
            m.terminal_value_median
        );
        assert!((m.terminal_value_mean - e).abs() < 1e-9, "{}", m.model);
        assert!((m.terminal_value_p1 - e).abs() < 1e-9, "{}", m.model);
        let y = e.powf(365.0 / 200.0) - 1.0;
        assert!(
            (m.yield_median - y).abs() < 1e-9,
            "{}: {} vs {y}",
            m.model,
            m.yield_median
        );
        assert!((m.yield_mean - y).abs() < 1e-9, "{}", m.model);
        assert!(m.cvar_99 < 0.0, "even the worst paths gained: {}", m.model);
    }
    // restaking earns the services' rewards on top
    assert!(expected[3] > expected[2] && expected[2] > 1.0);
}

#[test]
fn one_certain_slash_costs_exactly_its_share() {
    let mut c = quiet();
    c.days = 30;
    c.staking.apr = 0.0;
    for s in &mut c.restaking.services {
        s.reward_rate_bps = 0;
    }
    c.events.push(Event::ValidatorSlash {
        day: 10,
        validators: vec![0],
        fraction: 0.05,
    });
    let stats = stats_of(c);
    let expected = [0.95, 1.0 - 0.05 / 3.0, 1.0 - 0.05 / 3.0, 1.0 - 0.05 / 3.0];
    for (m, e) in stats.models.iter().zip(expected) {
        assert!(
            (m.terminal_value_median - e).abs() < 1e-12,
            "{}: {}",
            m.model,
            m.terminal_value_median
        );
        assert_eq!(m.loss_probability, 1.0, "{}", m.model);
        assert!((m.cvar_95 - (1.0 - e)).abs() < 1e-12, "{}", m.model);
        assert!((m.cvar_99 - (1.0 - e)).abs() < 1e-12, "{}", m.model);
        assert!(
            (m.max_drawdown_worst - (1.0 - e)).abs() < 1e-12,
            "{}",
            m.model
        );
    }
    // a 1.67 % fall of the hub's rate is beyond its 1 % breaker: it trips once a path, and
    // bunker mode lasts its two epochs
    assert_eq!(stats.breaker_trips_per_path, 1.0);
    assert_eq!(stats.bunker_days_per_path, 2.0);
}

#[test]
fn a_service_slash_costs_the_vault_its_exposure_and_a_veto_gives_it_back() {
    let mut c = quiet();
    c.days = 30;
    c.staking.apr = 0.0;
    for s in &mut c.restaking.services {
        s.reward_rate_bps = 0;
    }
    // operator-a (weight 1 of 2) allocates 5,000 bps to the oracle network: a 500 bps request
    // takes 1/2 × 1/2 × 5 % = 1.25 % of the vault
    c.events.push(Event::ServiceSlash {
        day: 5,
        service: 0,
        operator: 0,
        bps: 500,
        vetoed: false,
    });
    let stats = stats_of(c.clone());
    assert!((stats.models[3].terminal_value_median - 0.9875).abs() < 1e-12);
    assert_eq!(
        stats.models[2].loss_probability, 0.0,
        "the LST is not restaked"
    );
    // vetoed: priced in while pending, given back when the veto window ends
    if let Some(Event::ServiceSlash { vetoed, .. }) = c.events.last_mut() {
        *vetoed = true;
    }
    let stats = stats_of(c);
    assert!((stats.models[3].terminal_value_median - 1.0).abs() < 1e-12);
    assert!((stats.models[3].max_drawdown_worst - 0.0125).abs() < 1e-12);
    // a request beyond the registry's cap over its epochs is refused as the registry does
    let mut c = quiet();
    c.restaking.services[0].request_bps = 10_001;
    assert!(Prepared::new(c)
        .unwrap_err()
        .to_string()
        .contains("oracle-network"));
}

#[test]
fn the_table_is_the_contracts_stableswap_at_its_grid_points() {
    let params = PoolParams {
        amp: 50,
        fee: 0,
        depth: 1_000_000.0,
    };
    let table = PoolTable::new(&params, 401).unwrap();
    for (x, y, price) in table.points().step_by(20) {
        let (ey, ep) = exact_point(50, x).unwrap();
        assert_eq!(y, ey);
        assert_eq!(price, ep);
    }
    // a sale from one grid point to another pays what the contract's swap pays
    let points: Vec<_> = table.points().collect();
    for (from, to) in [(200usize, 210usize), (200, 260), (300, 390), (120, 121)] {
        let (x0, y0, _) = points[from];
        let (x1, _, _) = points[to];
        let d_tokens = 2.0 * params.depth;
        let tokens = (x1 - x0) * d_tokens;
        let rate = unit_rate(6).unwrap();
        let units = |v: f64| Uint128::new((v * 1e6).round() as u128);
        let pool = StableSwap {
            balances: [units(x0 * d_tokens), units(y0 * d_tokens)],
            rates: [rate, rate],
            amp: 50 * A_PRECISION,
            fee: 0,
            admin_fee: 0,
        };
        let exact = pool.swap(0, 1, units(tokens)).unwrap().dy.u128() as f64 / 1e6;
        let table_pays = table.sell(x0, tokens);
        assert!(
            ((table_pays - exact) / exact).abs() < 1e-6,
            "{from}->{to}: table {table_pays} vs swap {exact}"
        );
    }
    // between the points: the interpolation error of the table the simulator uses
    let table = PoolTable::new(&params, tributary_sim::path::TABLE_POINTS).unwrap();
    let (y_err, price_err) = table.max_interpolation_error().unwrap();
    assert!(y_err < 1e-4, "balance interpolation error {y_err}");
    assert!(price_err < 1e-3, "price interpolation error {price_err}");
}

#[test]
fn the_steth_replay_is_the_stableswap_at_the_recorded_shares() {
    let replay = scenario::steth_replay().unwrap();
    let shares = scenario::steth_shares();
    assert_eq!(replay.len(), shares.len());
    // at a balanced pool the price is par; it falls as the stETH share rises
    assert!((replay[0] - 1.0).abs() < 1e-6, "{}", replay[0]);
    for (w, s) in replay.windows(2).zip(shares.windows(2)) {
        if s[1] > s[0] {
            assert!(w[1] < w[0]);
        }
    }
    let trough = replay.iter().copied().fold(f64::INFINITY, f64::min);
    let at_80 = shares
        .iter()
        .position(|s| (*s - 0.80).abs() < 1e-12)
        .unwrap();
    assert_eq!(trough, replay[at_80]);
}

#[test]
fn the_run_does_not_depend_on_the_thread_count() {
    let c = SimConfig {
        paths: 600,
        days: 120,
        ..SimConfig::default()
    };
    let p = Prepared::new(c).unwrap();
    let in_pool = |threads: usize| -> Summary {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| run(&p, Shard::ALL, &|_| {}).unwrap())
    };
    let one = in_pool(1);
    let two = in_pool(2);
    let three = in_pool(3);
    assert_eq!(one, two);
    assert_eq!(one, three);
    assert_eq!(one.count(), 600);
}

#[test]
fn shards_merge_into_exactly_the_single_run() {
    let mut c = SimConfig {
        paths: 1_000,
        days: 90,
        ..SimConfig::default()
    };
    c.market.shocks_per_year = 4.0;
    let p = Prepared::new(c).unwrap();
    let whole = run(&p, Shard::ALL, &|_| {}).unwrap();
    let mut merged: Option<Summary> = None;
    // shards written to JSON and read back, merged in another order
    for i in [2u64, 0, 1] {
        let part = run(&p, Shard { index: i, count: 3 }, &|_| {}).unwrap();
        let json = serde_json::to_string(&part).unwrap();
        let back: Summary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, part);
        match merged.as_mut() {
            None => merged = Some(back),
            Some(m) => m.merge(&back).unwrap(),
        }
    }
    let merged = merged.unwrap();
    assert_eq!(merged, whole);
    assert_eq!(merged.stats(10_000.0), whole.stats(10_000.0));
    // overlapping shards are refused
    let a = run_range(&p, (0, 500), &|_| {}).unwrap();
    let mut b = run_range(&p, (400, 900), &|_| {}).unwrap();
    assert!(b.merge(&a).unwrap_err().to_string().contains("overlap"));
}

#[test]
fn shards_cover_every_path_once() {
    for (paths, count) in [(10u64, 3u64), (1, 4), (1_000_000_007, 16)] {
        let mut next = 0;
        for index in 0..count {
            let (a, b) = Shard { index, count }.range(paths);
            assert_eq!(a, next);
            next = b;
        }
        assert_eq!(next, paths);
    }
    assert!("3/3".parse::<Shard>().is_err());
    assert!("x/3".parse::<Shard>().is_err());
    assert_eq!(
        "1/3".parse::<Shard>().unwrap(),
        Shard { index: 1, count: 3 }
    );
}

#[test]
fn a_forced_exit_pays_what_its_route_pays() {
    let mut c = quiet();
    c.days = 40;
    c.liquidity.exit_day = Some(10);
    c.events.push(Event::SellLst {
        day: 10,
        tokens: 50_000.0,
    });
    let p = Prepared::new(c.clone()).unwrap();
    let stats = run(&p, Shard::ALL, &|_| {}).unwrap().stats(c.deposit);
    let [single, _, liquid, restaked] = [0, 1, 2, 3].map(|i| stats.models[i].clone());
    assert_eq!(single.time_to_liquidity_days, 21.0);
    assert_eq!(single.exit_cost_mean, 0.0, "no slash while unbonding");
    assert_eq!(liquid.time_to_liquidity_days, 0.0);
    assert!(
        liquid.exit_cost_mean > 0.005,
        "sold into a pool just hit: {}",
        liquid.exit_cost_mean
    );
    assert_eq!(restaked.time_to_liquidity_days, 8.0);
    assert!(
        restaked.exit_cost_mean < liquid.exit_cost_mean,
        "the price recovered meanwhile"
    );
    // the same exit through the LRT pool is at once
    c.liquidity.lrt_route = LrtRoute::Pool;
    let p = Prepared::new(c.clone()).unwrap();
    let stats = run(&p, Shard::ALL, &|_| {}).unwrap().stats(c.deposit);
    assert_eq!(stats.models[3].time_to_liquidity_days, 0.0);
}

#[test]
fn every_scenario_runs() {
    for (name, _) in scenario::SCENARIOS {
        let c = SimConfig {
            paths: 200,
            ..SimConfig::default()
        };
        let (c, s) = scenario::apply(name, c).unwrap();
        assert!(s.trough_price < 1.0, "{name}: {}", s.trough_price);
        assert!(!s.figures.is_empty());
        let p = Prepared::new(c).unwrap();
        run(&p, Shard::ALL, &|_| {}).unwrap();
    }
    assert!(scenario::apply("nope", SimConfig::default())
        .unwrap_err()
        .to_string()
        .contains("steth-2022"));
}

#[test]
fn bad_parameters_are_refused_with_a_reason() {
    type Change = Box<dyn Fn(&mut SimConfig)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|c| c.deposit = 0.0), "deposit"),
        (Box::new(|c| c.days = 0), "horizon"),
        (Box::new(|c| c.staking.commissions.clear()), "validator"),
        (Box::new(|c| c.staking.hub_fee = 1.5), "fee"),
        (
            Box::new(|c| c.liquidity.exit_probability = -0.1),
            "exit probability",
        ),
        (
            Box::new(|c| c.slashing.double_sign_per_year = f64::NAN),
            "double-sign",
        ),
        (
            Box::new(|c| {
                c.events.push(Event::Shock { day: 9_999 });
            }),
            "outside the horizon",
        ),
    ];
    for (change, word) in cases {
        let mut c = SimConfig::default();
        change(&mut c);
        let e = Prepared::new(c).unwrap_err().to_string();
        assert!(e.contains(word), "{e:?} should mention {word:?}");
    }
}
