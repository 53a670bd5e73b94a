//! `tributary compare` end to end: the report's numbers checked against the contracts' own
//! queries, and the binary's JSON output equal to the library's report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Decimal, Uint128};
use serde_json::{json, Value};
use tributary_cli::compare::{run, CompareConfig, ModelReport};

fn u(v: &Value) -> u128 {
    v.as_str().unwrap().parse().unwrap()
}

fn dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tributary-cli-{}-{name}", std::process::id()))
}

#[test]
fn compare_numbers_match_the_contracts() {
    let config = CompareConfig::default();
    let (reports, lab) = run(&config, &dir("lib")).unwrap();
    assert_eq!(reports.len(), 3);
    let amount = 10_000_000_000u128;
    for r in &reports {
        assert_eq!(r.deposited, amount);
        let gain = r.value_now as i128 - amount as i128;
        assert_eq!(
            r.yield_annualized_bps as i128,
            gain * 10_000 * 365 / (amount as i128 * 30)
        );
    }
    let (trad, liquid, restaked) = (&reports[0], &reports[1], &reports[2]);

    // traditional: the chain's delegation, its accrued rewards and the native balance
    let (delegated, accrued) = lab
        .devnet
        .call_blocking(|w| w.chain().direct_delegation("traditional", "validator1"))
        .unwrap()
        .unwrap();
    let native = lab
        .devnet
        .call_blocking(|w| w.chain().balances("traditional"))
        .unwrap()
        .unwrap()
        .native
        .u128();
    assert_eq!(trad.value_now, delegated + accrued + native);
    // 5 % of the 10,000 delegated to the slashed validator, exactly
    assert_eq!(trad.losses[0], ("validator slash".to_string(), 500_000_000));
    assert_eq!(trad.losses[1].1, 0);

    // liquid: its LST at the hub's exchange rate (the query's decimal; within a unit of rounding)
    let lst = lab
        .devnet
        .call_blocking(|w| w.chain().balances("liquid"))
        .unwrap()
        .unwrap()
        .lst
        .u128();
    let rate: Decimal = lab.query("hub", json!({"state": {}})).unwrap()["exchange_rate"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let at_rate = Uint128::new(lst).mul_floor(rate).u128();
    assert!(
        liquid.value_now.abs_diff(at_rate) <= 1,
        "{} vs {at_rate}",
        liquid.value_now
    );
    // the instant exit costs exactly the value less what the pool pays for the LST now
    let quote = lab
        .query(
            "pool",
            json!({"simulate_swap": {"offer": 0, "amount": lst.to_string()}}),
        )
        .unwrap();
    assert_eq!(
        liquid.exits[0].cost,
        liquid.value_now - u(&quote["return_amount"])
    );
    assert_eq!(liquid.losses[2].1, liquid.exits[0].cost);
    assert_eq!(
        liquid.losses[1].1, 0,
        "liquid staking is not exposed to services"
    );

    // restaked: the vault's own valuation of the position
    let addr = lab.address("restaked").unwrap();
    let position = lab
        .query("vault", json!({"position": {"user": addr}}))
        .unwrap();
    assert_eq!(restaked.value_now, u(&position["value_native"]));
    // the hub spreads stake over three validators: both liquid models lose about a third of what
    // the direct delegator to the slashed validator lost (the LRT slightly more: by then it held
    // a week of service rewards as extra LST)
    let (l, r, t) = (liquid.losses[0].1, restaked.losses[0].1, trad.losses[0].1);
    assert!(l > t / 4 && l < t / 2, "{l} vs {t}");
    assert!(r >= l && r - l < l / 50, "{r} vs {l}");
}

#[test]
fn the_service_slash_loss_is_the_slashed_lst() {
    // six days: the slash executes on day 5, so the hub rate used to value it now has moved by
    // at most one day of rewards (~0.03 %) since
    let config = CompareConfig {
        days: 6,
        ..CompareConfig::default()
    };
    let (reports, lab) = run(&config, &dir("slash")).unwrap();
    let restaked = &reports[2];
    let addr = lab.address("restaked").unwrap();
    let position = lab
        .query("vault", json!({"position": {"user": addr}}))
        .unwrap();
    // the vault is the operators' only delegator; besides this user only the fee address holds
    // LRT (minted from service rewards), so the user bears their LRT share of the slashed LST
    let slashed = u(&lab
        .query("registry", json!({"service": {"id": 1}}))
        .unwrap()["slashed"]);
    assert!(slashed > 0);
    let slashed_native = lab
        .hub_pool()
        .unwrap()
        .value_of(Uint128::new(slashed))
        .unwrap()
        .u128();
    let vault = lab.query("vault", json!({"state": {}})).unwrap();
    let supply = u(&vault["lrt_supply"]) + u(&vault["pending_withdrawal_lrt"]);
    let share = slashed_native * u(&position["lrt"]) / supply;
    let loss = restaked.losses[1].1;
    assert!(loss <= slashed_native + 2, "{loss} vs {slashed_native}");
    assert!(loss + share / 1_000 >= share, "{loss} vs share {share}");
    assert_eq!(reports[1].losses[1].1, 0);
}

#[test]
fn the_binary_prints_the_same_report() {
    let config = CompareConfig {
        days: 10,
        ..CompareConfig::default()
    };
    let (expected, _) = run(&config, &dir("bin-expected")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["compare", "--days", "10", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let expected: Vec<Value> = expected
        .iter()
        .map(|r: &ModelReport| serde_json::to_value(r).unwrap())
        .collect();
    assert_eq!(got, expected);

    let table = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["compare", "--days", "10"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    for title in [
        "Traditional staking",
        "Liquid staking (LST)",
        "Liquid restaking (LRT)",
        "realized yield, annualized",
        "loss: service slash",
    ] {
        assert!(text.contains(title), "{title} missing from\n{text}");
    }

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["compare", "--days", "1000"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr)
        .contains("error: the period must be between 6 and 365 days"));
}

#[test]
fn the_chart_draws_each_model_over_the_period() {
    let config = CompareConfig {
        days: 8,
        ..CompareConfig::default()
    };
    let (reports, _) = run(&config, &dir("chart")).unwrap();
    for r in &reports {
        assert_eq!(r.daily_values.len(), 9, "day 0 and eight days");
        assert_eq!(*r.daily_values.last().unwrap(), r.value_now);
        assert_eq!(r.daily_values[0], r.deposited);
    }
    let path = dir("chart").join("values.svg");
    tributary_cli::chart::write_values(&reports, &path, "test chart").unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg"));
    // each model's colour draws its line and its legend mark
    for colour in ["#5A5A5A", "#1F77B4", "#D62728"] {
        assert_eq!(
            svg.matches(&format!("stroke=\"{colour}\"")).count(),
            2,
            "{colour}"
        );
    }
    for title in [
        "Traditional staking",
        "Liquid staking (LST)",
        "Liquid restaking (LRT)",
        "test chart",
    ] {
        assert!(svg.contains(title), "{title}");
    }
}
