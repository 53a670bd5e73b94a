//! Fixtures and the spec's rate formulas shared by the restaking tests.

#![allow(dead_code, clippy::unwrap_used)]

use tributary_testing::{FullSuite, RestakingSuite, SuiteBuilder};

/// The virtual offset of every exchange-rate pool.
pub const V: u128 = 1_000_000;

/// What redeeming `s` shares pays from a pool of `t` assets and `n` shares (the spec's rate).
pub fn redeem(s: u128, t: u128, n: u128) -> u128 {
    (s * (t + V) / (n + V)).min(s * t / n)
}

/// Shares minted for `x` assets into a pool of `t` assets and `n` shares when `t >= n`.
pub fn mint(x: u128, t: u128, n: u128) -> u128 {
    x * (n + V) / (t + V)
}

/// The vault's rails with the highest APR ceiling (and the default drop threshold).
pub const UNCAPPED_VAULT: tributary_types::vault::VaultRails = tributary_types::vault::VaultRails {
    max_apr_bps: u16::MAX,
    max_drop_bps: 100,
};

/// A suite with one operator ("op1", 10 % commission) serving one service ("svc", up to 10 %
/// slashed per epoch, 2-day veto window) with half its stake, and the vault targeting op1.
///
/// The spec's formulas here price the LST and the LRT uncapped: the hub's APR ceiling is raised
/// to 100 %, above the suite's 36.5 %, and the vault's to its highest (655 % a year, above the
/// service rewards these tests pay to make their numbers visible), so neither withholds
/// rewards. The vault's ceiling at its defaults is tested in `vault_rails.rs`.
pub fn restaking_suite() -> (RestakingSuite, u64) {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, cosmwasm_std::Decimal::zero())])
        .with_rails(tributary_types::hub::Rails {
            max_apr_bps: 10_000,
            ..Default::default()
        })
        .with_vault_rails(UNCAPPED_VAULT)
        .with_restaking()
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.register_operator("op1", 1_000);
    let svc = suite.register_service("svc", 1_000, 2 * 86_400);
    suite.serve("op1", svc, 5_000);
    suite.set_operator_targets(&[("op1", 1)]);
    (suite, svc)
}

/// A vault (no staking rewards) with one operator ("op1") and the LP strategy at
/// `strategy_bps` on an LST/native pool with `market` units per coin, users funded with native.
/// Returns the suite and the strategy's address.
pub fn lp_vault(
    market: u128,
    funds: &[(&str, u128)],
    strategy_bps: u16,
) -> (FullSuite, cosmwasm_std::Addr) {
    let mut builder = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, cosmwasm_std::Decimal::zero())])
        .with_apr(cosmwasm_std::Decimal::zero())
        .with_restaking()
        .with_market(market);
    for (user, amount) in funds {
        builder = builder.with_funds(user, *amount);
    }
    let mut suite = builder.build();
    suite.register_operator("op1", 1_000);
    suite.set_operator_targets(&[("op1", 1)]);
    let strategy = suite.deploy_lp_strategy();
    suite.set_strategy(&strategy, strategy_bps);
    (suite, strategy)
}

/// The registry's refusal of a service whose veto window of `window` seconds does not end an
/// epoch (a day) before stake can leave (the 7-day withdrawal and opt-out delays).
pub fn veto_window_too_long(window: u64) -> tributary_testing::CommonError {
    tributary_testing::CommonError::invalid_config(format!(
        "veto window of {window}s must end at least one epoch (86400s) before the withdrawal or \
         opt-out delay (604800s / 604800s): stake could leave before a slash executes"
    ))
}
