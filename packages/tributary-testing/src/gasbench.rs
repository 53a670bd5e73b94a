//! Gas per operation, measured on the wasm engine (the built artifacts in the CosmWasm VM,
//! metered with wasmd's default schedule), and how it grows with the validator set, the vault's
//! operators and the number of pending requests. Used by the `gas` bench binary, which writes
//! `docs/gas.md`, and by the test that keeps that file honest.
//!
//! Every number is one transaction, as a user or operator would send it, measured with
//! [`tributary_wasm_engine::metered`].

use anyhow::{anyhow, Context, Result as AnyResult};
use cosmwasm_std::{Decimal, Uint128};
pub use tributary_client::thousands;
use tributary_deploy::Engine;
use tributary_types::stableswap::{ExecuteMsg as PoolMsg, ReceiveMsg as PoolReceive};
use tributary_types::vault::VaultRails;
use tributary_wasm_engine::{metered, GasReport};

use crate::{FullSuite, SuiteBuilder, DAY};

/// The gas limit every measured transaction runs under (a generous wallet limit; the cranks are
/// designed to fit 10 M).
pub const BENCH_GAS_LIMIT: u64 = 100_000_000;
/// One token in base units.
const T: u128 = 1_000_000;

/// One measured transaction.
#[derive(Clone, Debug)]
pub struct Measured {
    /// What was done.
    pub action: &'static str,
    /// The size of the thing the series varies (validators, operators, requests).
    pub n: u64,
    /// Its gas.
    pub gas: GasReport,
}

/// Runs `f` as one metered transaction.
pub fn gas_of<T>(f: impl FnOnce() -> AnyResult<T>) -> AnyResult<GasReport> {
    let (res, gas) = metered(BENCH_GAS_LIMIT, f);
    res?;
    Ok(gas)
}

/// `response` if the hub took `path` for it (its `path` attribute), so a row's label cannot
/// silently measure the other path.
fn on_path(
    response: AnyResult<cw_multi_test::AppResponse>,
    path: &str,
) -> AnyResult<cw_multi_test::AppResponse> {
    let response = response?;
    let took = response
        .events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == "path")
        .map(|a| a.value.clone());
    match took {
        Some(took) if took == path => Ok(response),
        other => Err(anyhow!("expected the {path} path, the hub took {other:?}")),
    }
}

/// The benchmark's chain: `validators` validators (5 % commission, equal weights), the hub,
/// restaking (one operator "op-a" serving one service with half its stake, the vault targeting
/// it), an LST/native pool with 10,000 of each, on the wasm engine. Rails at their defaults.
pub fn bench_suite(validators: usize) -> FullSuite {
    let names: Vec<String> = (1..=validators).map(|i| format!("validator{i}")).collect();
    let set: Vec<(&str, u64, Decimal)> = names
        .iter()
        .map(|n| (n.as_str(), 1, Decimal::percent(5)))
        .collect();
    let mut s = SuiteBuilder::new()
        .with_engine(Engine::Wasm)
        .with_validators(&set)
        .with_vault_rails(VaultRails::default())
        .with_restaking()
        .with_market(10_000 * T)
        .with_funds("alice", 100_000 * T)
        .with_funds("bob", 100_000 * T)
        .with_funds("carol", 1_000 * T)
        .build();
    s.register_operator("op-a", 1_000);
    let svc = s.register_service("svc", 1_000, 2 * DAY);
    s.serve("op-a", svc, 5_000);
    s.set_operator_targets(&[("op-a", 1)]);
    s
}

/// Every user and operator action once, on a chain with `validators` validators, in the order a
/// user meets them.
pub fn actions(validators: usize) -> AnyResult<Vec<Measured>> {
    let mut s = bench_suite(validators);
    let n = validators as u64;
    let mut out = Vec::new();
    let mut m = |action: &'static str, gas: AnyResult<GasReport>| -> AnyResult<()> {
        let gas = gas.with_context(|| format!("{action} at {n} validators"))?;
        out.push(Measured { action, n, gas });
        Ok(())
    };
    s.bond("bob", 20_000 * T)?;
    s.bond("alice", 10_000 * T)?;
    // the keeper's crank a day later measures the staking reward rate: from then on, bonds in
    // an epoch that has been synced take the quick path (while they keep the deposit validator
    // within 10 % of its target: 10 tokens is under that at 150 validators here)
    s.advance_days(1);
    s.crank()?;
    m(
        "stake (first)",
        gas_of(|| on_path(s.bond("carol", 10 * T), "quick")),
    )?;
    m(
        "stake (later)",
        gas_of(|| on_path(s.bond("carol", 10 * T), "quick")),
    )?;
    s.advance_days(1);
    m("hub crank (epoch)", gas_of(|| s.crank()))?;
    m(
        "unstake into batch",
        gas_of(|| s.unbond("alice", 1_000 * T)),
    )?;
    m(
        "instant unstake",
        gas_of(|| s.instant_unstake("alice", 100 * T, None)),
    )?;
    m(
        "swap LST → native",
        gas_of(|| s.sell_lst("bob", 100 * T, None)),
    )?;
    m("swap native → LST", gas_of(|| s.buy_lst("bob", 100 * T)))?;
    let provide = PoolMsg::ProvideLiquidity {
        amounts: [Uint128::zero(), Uint128::new(100 * T)],
        min_lp: None,
    };
    m(
        "provide liquidity",
        gas_of(|| s.pool_exec("bob", &provide, 100 * T)),
    )?;
    let lp = s.market().lp;
    let half = s.lp_balance("bob") / 2;
    let withdraw = PoolReceive::WithdrawLiquidity { min_amounts: None };
    m(
        "withdraw liquidity",
        gas_of(|| s.pool_send("bob", &lp, half, &withdraw)),
    )?;
    m(
        "restake native",
        gas_of(|| s.vault_deposit("alice", 1_000 * T)),
    )?;
    m(
        "restake LST",
        gas_of(|| s.vault_deposit_lst("alice", 1_000 * T, None)),
    )?;
    let lrt = s.lrt_balance("alice") / 10;
    m(
        "vault withdraw request",
        gas_of(|| s.request_withdrawal("alice", lrt)),
    )?;
    s.advance_days(3);
    m("hub crank (epoch + batch)", gas_of(|| s.crank()))?;
    s.advance_days(1);
    m(
        "stake (full sync: first of an epoch)",
        gas_of(|| on_path(s.bond("carol", 10 * T), "full:new_epoch")),
    )?;
    m("vault crank", gas_of(|| s.vault_crank()))?;
    let mut id = 0;
    m(
        "slash request",
        gas_of(|| {
            id = s.request_slash("svc", 1, "op-a", 10)?;
            Ok(())
        }),
    )?;
    s.advance_days(3);
    m("slash execute", gas_of(|| s.execute_slash(id)))?;
    m(
        "reward deposit (service)",
        gas_of(|| s.pay_service_rewards("svc", 1, 100 * T)),
    )?;
    s.advance_days(22);
    s.crank()?;
    s.vault_crank()?;
    m(
        "claim (unbonded)",
        gas_of(|| on_path(s.claim("alice"), "quick")),
    )?;
    m(
        "vault withdraw claim",
        gas_of(|| s.claim_withdrawals("alice", false)),
    )?;
    m(
        "register operator",
        gas_of(|| {
            s.register_operator("op-b", 500);
            Ok(())
        }),
    )?;
    m(
        "register service",
        gas_of(|| {
            s.register_service("svc-b", 1_000, 2 * DAY);
            Ok(())
        }),
    )?;
    m("approve operator", gas_of(|| s.approve_operator(2, "op-b")))?;
    let opt_in = tributary_types::registry::ExecuteMsg::OptIn { service: 2 };
    m(
        "operator opt-in",
        gas_of(|| s.registry_exec("op-b", &opt_in, 0)),
    )?;
    let alloc = tributary_types::registry::ExecuteMsg::SetAllocation {
        service: 2,
        bps: 5_000,
    };
    m(
        "operator allocation",
        gas_of(|| s.registry_exec("op-b", &alloc, 0)),
    )?;
    Ok(out)
}

/// The vault with `operators` operators in its targets (each serving a service with half its
/// stake, 40 operators per service): a deposit, a withdrawal request and the crank.
pub fn vault_operators(operators: usize) -> AnyResult<Vec<Measured>> {
    let mut s = bench_suite(1);
    let names: Vec<String> = (1..=operators).map(|i| format!("op-{i}")).collect();
    // a service takes at most 50 operators: 40 per service
    for (i, name) in names.iter().enumerate() {
        let service = 1 + (i / 40) as u64;
        if service > 1 && i % 40 == 0 {
            s.register_service(&format!("svc-{service}"), 1_000, 2 * DAY);
        }
        s.register_operator(name, 1_000);
        s.serve(name, service, 5_000);
    }
    let targets: Vec<(&str, u64)> = names.iter().map(|n| (n.as_str(), 1)).collect();
    s.set_operator_targets(&targets);
    let n = operators as u64;
    let mut out = Vec::new();
    s.vault_deposit("bob", 10_000 * T)?;
    s.advance_days(1);
    s.vault_crank()?;
    let mut m = |action: &'static str, gas: AnyResult<GasReport>| -> AnyResult<()> {
        let gas = gas.with_context(|| format!("{action} with {n} operators"))?;
        out.push(Measured { action, n, gas });
        Ok(())
    };
    m(
        "restake native",
        gas_of(|| s.vault_deposit("alice", 1_000 * T)),
    )?;
    let lrt = s.lrt_balance("alice") / 10;
    m(
        "vault withdraw request",
        gas_of(|| s.request_withdrawal("alice", lrt)),
    )?;
    s.advance_days(1);
    m("vault crank", gas_of(|| s.vault_crank()))?;
    Ok(out)
}

/// `users` users with a pending request each (a hub unbond in the open batch; a vault
/// withdrawal request), then one more user's request, the cranks that process them and a claim.
pub fn pending_requests(users: usize) -> AnyResult<Vec<Measured>> {
    let mut s = bench_suite(1);
    let n = users as u64;
    for i in 0..users {
        let u = format!("user{i}");
        // small positions: cw-multi-test's staking module overflows its reward arithmetic
        // beyond about 10^11 staked on one validator over a month
        s.fund(&u, 10 * T);
        s.bond(&u, 2 * T)?;
        s.unbond(&u, T / 10)?;
        s.vault_deposit(&u, 2 * T)?;
        let lrt = s.lrt_balance(&u) / 2;
        s.request_withdrawal(&u, lrt)?;
    }
    let mut out = Vec::new();
    let mut m = |action: &'static str, gas: AnyResult<GasReport>| -> AnyResult<()> {
        let gas = gas.with_context(|| format!("{action} with {n} pending"))?;
        out.push(Measured { action, n, gas });
        Ok(())
    };
    m("stake (first)", gas_of(|| s.bond("alice", 1_000 * T)))?;
    m("unstake into batch", gas_of(|| s.unbond("alice", 100 * T)))?;
    m(
        "restake native",
        gas_of(|| s.vault_deposit("alice", 1_000 * T)),
    )?;
    let lrt = s.lrt_balance("alice") / 2;
    m(
        "vault withdraw request",
        gas_of(|| s.request_withdrawal("alice", lrt)),
    )?;
    s.advance_days(3);
    m("hub crank (epoch + batch)", gas_of(|| s.crank()))?;
    m("vault crank", gas_of(|| s.vault_crank()))?;
    s.advance_days(22);
    s.crank()?;
    m(
        "claim (unbonded)",
        gas_of(|| on_path(s.claim("alice"), "quick")),
    )?;
    // the vault finalizes requests a page per crank, oldest first: crank until alice's is
    // claimable (a failed claim changes nothing)
    for _ in 0..=users / 50 + 2 {
        s.vault_crank()?;
        if let Ok(gas) = gas_of(|| s.claim_withdrawals("alice", false)) {
            m("vault withdraw claim", Ok(gas))?;
            return Ok(out);
        }
    }
    Err(anyhow!("alice's vault withdrawal never became claimable"))
}

/// A least-squares line `gas = a + b·n` through a series, and whether it is flat: the growth
/// over the series' range is within 10 % of its smallest point.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// Intercept (gas at n = 0).
    pub a: f64,
    /// Gas per unit of n.
    pub b: f64,
    /// Whether the series is O(1) (max within 10 % of min).
    pub flat: bool,
}

/// Fits `points` (n, gas).
pub fn fit(points: &[(u64, u64)]) -> Fit {
    let k = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(x, y), &(n, g)| (x + n as f64, y + g as f64));
    let (mx, my) = (sx / k, sy / k);
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(n, g) in points {
        sxy += (n as f64 - mx) * (g as f64 - my);
        sxx += (n as f64 - mx) * (n as f64 - mx);
    }
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let min = points.iter().map(|p| p.1).min().unwrap_or(0);
    let max = points.iter().map(|p| p.1).max().unwrap_or(0);
    Fit {
        a: my - b * mx,
        b,
        flat: (max as f64) <= 1.1 * min as f64,
    }
}

/// The growth of a series in words: `O(1)`; `bounded` when it rises and then stays flat (a
/// paginated loop: its last three points within 10 %); or `O(n), +X per unit`.
pub fn growth(points: &[(u64, u64)]) -> String {
    let f = fit(points);
    if f.flat {
        return "O(1)".to_string();
    }
    if points.len() >= 4 && fit(&points[points.len() - 3..]).flat {
        return "bounded (paginated: flat after the first page)".to_string();
    }
    format!("O(n), {:+.0} per unit", f.b)
}

/// The gas of `action` in `rows` at `n`.
pub fn find(rows: &[Measured], action: &str, n: u64) -> AnyResult<u64> {
    rows.iter()
        .find(|r| r.action == action && r.n == n)
        .map(|r| r.gas.gas_used)
        .ok_or_else(|| anyhow!("no measurement of {action} at {n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_series_is_o1_and_a_line_is_fitted_exactly() {
        assert!(fit(&[(1, 100), (10, 105), (150, 109)]).flat);
        let f = fit(&[(1, 1_100), (10, 2_000), (50, 6_000), (150, 16_000)]);
        assert!(!f.flat);
        assert!((f.b - 100.0).abs() < 1e-6 && (f.a - 1_000.0).abs() < 1e-6);
        assert_eq!(growth(&[(1, 1_100), (11, 2_100)]), "O(n), +100 per unit");
        assert_eq!(
            growth(&[(1, 440), (100, 536), (1_000, 537), (10_000, 537)]),
            "bounded (paginated: flat after the first page)"
        );
    }
}
