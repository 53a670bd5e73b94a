//! `tributary simulate`: the simulator's deterministic path against the contracts on the devnet
//! (the same events as `tributary compare`), its defaults against the devnet's deployment, and
//! the command end to end (JSON, shards and merge, report, bench line, errors).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use serde_json::Value;
use tributary_cli::compare::{run, CompareConfig};
use tributary_sim::config::Event;
use tributary_sim::scenario::deterministic_path;
use tributary_sim::SimConfig;
use tributary_types::stableswap::{
    PoolConfigResponse as PoolConfig, PoolResponse, QueryMsg as PoolQuery,
};
use tributary_types::vault::{QueryMsg as VaultQuery, VaultConfigResponse};

fn dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tributary-sim-{}-{name}", std::process::id()))
}

/// The simulator's model of `tributary compare`'s scenario: the same deposit, days and events.
fn sim_of(c: &CompareConfig) -> SimConfig {
    let mut s = SimConfig::default().deterministic();
    s.deposit = c.amount as f64;
    s.days = c.days as u32;
    s.market.stress_sell_mean = 0.0;
    s.events = vec![
        Event::ValidatorSlash {
            day: (c.days / 3) as u32,
            validators: vec![0],
            fraction: c.validator_slash_pct as f64 / 100.0,
        },
        Event::ServiceSlash {
            day: (c.days / 2) as u32,
            service: 0,
            operator: 0,
            bps: c.service_slash_bps,
            vetoed: false,
        },
    ];
    s
}

#[test]
fn the_deterministic_path_gives_the_contracts_values() {
    let config = CompareConfig {
        depeg_sell: 0,
        ..CompareConfig::default()
    };
    let (reports, lab) = run(&config, &dir("cross")).unwrap();
    let sim = sim_of(&config);
    let (days, _) = deterministic_path(&sim).unwrap();
    // the defaults the simulator takes from the devnet are the deployed ones
    let vault: VaultConfigResponse = lab.query_as("vault", &VaultQuery::Config {}).unwrap();
    assert_eq!(vault.fee_bps as f64 / 10_000.0, sim.restaking.vault_fee);
    assert_eq!(
        vault.withdrawal_delay,
        u64::from(sim.restaking.withdrawal_delay_days) * 86_400
    );
    let pool: PoolConfig = lab.query_as("pool", &PoolQuery::Config {}).unwrap();
    assert_eq!(pool.fee, sim.market.lst_pool.fee);
    let state: PoolResponse = lab.query_as("pool", &PoolQuery::Pool {}).unwrap();
    assert_eq!(state.amp, sim.market.lst_pool.amp * 100);
    drop(lab);
    let _ = std::fs::remove_dir_all(dir("cross"));

    let deposit = config.amount as f64 * 1e6;
    let mut worst = [0f64; 3];
    // the contracts' models: traditional (validator1), liquid, restaked; the simulator's
    // one-validator staker, LST and LRT
    for (m, sim_index) in [(0usize, 0usize), (1, 2), (2, 3)] {
        for (d, contract) in reports[m].daily_values.iter().enumerate() {
            let simulated = days[d].value[sim_index] * deposit;
            let gap = (simulated - *contract as f64).abs() / deposit;
            if std::env::var("SIM_DEBUG").is_ok() {
                let signed = (simulated - *contract as f64) / deposit;
                eprintln!(
                    "model {m} day {d}: contract {contract} sim {simulated:.0} gap {signed:.3e}"
                );
            }
            worst[m] = worst[m].max(gap);
        }
    }
    eprintln!("largest daily gap, share of the deposit: {worst:?}");
    // traditional: the same to the contracts' rounding
    assert!(worst[0] < 1e-9, "traditional: {}", worst[0]);
    // liquid: within 0.04 bp (seen 0.031 bp), all of it the devnet's genesis: the pool's seed
    // bonded 100,000 to validator1 (the first of three empty validators) and the first crank
    // cannot run before epoch 0 ends, so on day 1 the hub earns at 5.42 % commission instead of
    // the set's mean 6.67 % (+3.08e-6); from the first crank on the stake is spread and the
    // daily growth is the model's, to rounding
    assert!(worst[1] < 4e-6, "liquid: {}", worst[1]);
    // restaked: within 0.2 bp (seen 0.17 bp): day 1 as above, the weekly service payment
    // fixed on its pay day and streamed over the reward period (modelled as a 7-day lag), the
    // operators' mix after the service slash, and the claimed rewards the vault holds unbonded
    // while the hub's breaker pauses bonds after the validator slash
    assert!(worst[2] < 2e-5, "restaked: {}", worst[2]);
}

fn tributary(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(args)
        .output()
        .unwrap()
}

fn json_of(args: &[&str]) -> Value {
    let out = tributary(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_command_prints_json_merges_shards_and_writes_a_report() {
    let base = [
        "simulate", "--json", "--paths", "600", "--days", "60", "--seed", "7",
    ];
    let whole = json_of(&base);
    let models = whole["models"].as_array().unwrap();
    assert_eq!(models.len(), 4);
    for m in models {
        for field in [
            "loss_probability",
            "cvar_95",
            "cvar_99",
            "yield_median",
            "yield_mean",
            "terminal_value_p5",
            "terminal_value_p1",
            "max_drawdown_mean",
            "exit_cost_mean",
            "time_to_liquidity_days",
        ] {
            assert!(m[field].is_number(), "{field} in {m}");
        }
    }
    // the same seed on one thread gives the same figures
    let mut one_thread = base.to_vec();
    one_thread.extend(["--threads", "1"]);
    assert_eq!(json_of(&one_thread), whole);

    // two shards, merged, are the single run
    let d = dir("shards");
    std::fs::create_dir_all(&d).unwrap();
    let mut parts = vec![];
    for i in 0..2 {
        let part = d.join(format!("part-{i}.json"));
        let shard = format!("{i}/2");
        let mut args = base.to_vec();
        args.extend(["--shard", &shard, "--out", part.to_str().unwrap()]);
        let out = tributary(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        parts.push(part);
    }
    let report = d.join("report");
    let mut merge = vec!["simulate", "merge", "--json"];
    merge.extend(parts.iter().map(|p| p.to_str().unwrap()));
    merge.extend(["--report", report.to_str().unwrap()]);
    let merged = json_of(&merge);
    assert_eq!(merged, whole);
    for f in ["report.md", "fan.svg", "terminal.svg"] {
        let text = std::fs::read_to_string(report.join(f)).unwrap();
        assert!(text.len() > 500, "{f}");
    }
    let md = std::fs::read_to_string(report.join("report.md")).unwrap();
    assert!(md.contains("risk: probability of a loss"));
    // a shard merged twice is refused
    let twice = tributary(&[
        "simulate",
        "merge",
        parts[0].to_str().unwrap(),
        parts[0].to_str().unwrap(),
    ]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("overlap"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_scenario_reports_its_price_path_and_the_bench_its_line() {
    let s = json_of(&[
        "simulate",
        "--json",
        "--paths",
        "200",
        "--days",
        "60",
        "--scenario",
        "correlated-slash",
    ]);
    let scenario = &s["scenario"];
    assert_eq!(scenario["name"], "correlated-slash");
    assert_eq!(scenario["price_path"].as_array().unwrap().len(), 61);
    assert!(scenario["trough_price"].as_f64().unwrap() < 1.0);
    assert!(s["breaker_trips_per_path"].as_f64().unwrap() >= 1.0);

    let out = tributary(&["simulate", "--paths", "300", "--days", "30", "--bench"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap();
    let words: Vec<&str> = last.split_whitespace().collect();
    assert_eq!(words[0], "path-days/s", "{last}");
    assert!(words[1].parse::<f64>().unwrap() > 0.0);
    assert_eq!(words[2], "threads");
    assert!(words[3].parse::<usize>().unwrap() >= 1);

    for (args, message) in [
        (vec!["simulate", "--scenario", "nope"], "steth-2022"),
        (vec!["simulate", "--amount", "0"], "deposit"),
        (vec!["simulate", "--shard", "2/2"], "below the count"),
        (
            vec!["simulate", "--lrt-route", "bridge"],
            "withdraw or pool",
        ),
    ] {
        let out = tributary(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
