//! The vault's allocation caps, strategy interface, withdrawal routes, fee delay and migrations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::restaking_suite;
use cosmwasm_std::{StdError, Uint128};
use cw_multi_test::Executor;
use tributary_testing::{event_attr, Expected};
use tributary_types::registry::ExecuteMsg as RegistryMsg;
use tributary_types::vault::{ExecuteMsg as VaultMsg, MigrateMsg};

#[test]
fn allocation_follows_weights_within_operator_and_service_caps() {
    let (mut suite, svc) = restaking_suite();
    suite.register_operator("op2", 500);
    suite.register_operator("op3", 500);
    suite.serve("op2", svc, 10_000);
    suite.set_operator_targets(&[("op1", 1), ("op2", 1), ("op3", 2)]);
    // at most 40 % with one operator, at most 30 % of value slashable by one service
    suite
        .vault_exec(
            "owner",
            &VaultMsg::UpdateConfig {
                fee_addr: None,
                withdrawal_delay: None,
                max_operator_bps: Some(4_000),
                max_service_exposure_bps: Some(3_000),
                guardian: None,
                rails: None,
            },
            0,
        )
        .unwrap();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    let state = suite.vault_state();
    let value = |name: &str| {
        let addr = suite.addr(name).to_string();
        state
            .operators
            .iter()
            .find(|o| o.operator == addr)
            .unwrap()
            .value
            .u128()
    };
    // targets 250M / 250M / 500M. op3 is capped at 40 %: 400M. op1 (50 % to svc) takes its
    // 250M = 125M of exposure; op2 (100 % to svc) may add only 300M - 125M = 175M.
    assert_eq!(value("op1"), 250_000_000);
    assert_eq!(value("op2"), 175_000_000);
    assert_eq!(value("op3"), 400_000_000);
    assert_eq!(
        state.idle.u128(),
        175_000_000,
        "what the caps refuse stays idle (still earning)"
    );
    let exposure = suite.exposure();
    assert_eq!(exposure.services[0].allocated.u128(), 300_000_000);
    assert_eq!(exposure.services[0].share_bps, 3_000);
}

#[test]
fn a_strategy_receives_its_target_and_its_yield_counts() {
    let (mut suite, _) = restaking_suite();
    let strategy = suite.restaking().strategy;
    suite
        .vault_exec(
            "owner",
            &VaultMsg::SetStrategy {
                contract: strategy.to_string(),
                target_bps: 2_000,
            },
            0,
        )
        .unwrap();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    let state = suite.vault_state();
    assert_eq!(state.strategies[0].value.u128(), 200_000_000);
    assert_eq!(state.operators[0].value.u128(), 800_000_000);
    // the strategy earns 10,000,000 LST (sent to it): the LRT rises by that
    suite.bond("alice", 10_000_000).unwrap();
    let (alice, lst) = (suite.addr("alice"), suite.lst.clone());
    suite
        .app
        .execute_contract(
            alice,
            lst,
            &cw20::Cw20ExecuteMsg::Transfer {
                recipient: strategy.to_string(),
                amount: Uint128::new(10_000_000),
            },
            &[],
        )
        .unwrap();
    // at once, the APR ceiling withholds the jump (a 1 % rise in no time); a day later even
    // this suite's highest ceiling (655 % a year) recognises all of it
    assert_eq!(suite.vault_state().total_value.u128(), 1_000_000_000);
    assert_eq!(suite.vault_state().withheld.u128(), 10_000_000);
    suite.advance_days(1);
    assert_eq!(suite.vault_state().total_value.u128(), 1_010_000_000);
    assert_eq!(suite.vault_state().withheld.u128(), 0);
    // retiring it brings the LST back and puts it with the operators
    suite
        .vault_exec(
            "owner",
            &VaultMsg::SetStrategy {
                contract: strategy.to_string(),
                target_bps: 0,
            },
            0,
        )
        .unwrap();
    suite.vault_crank().unwrap();
    suite.vault_crank().unwrap();
    let state = suite.vault_state();
    assert!(state.strategies.is_empty());
    assert_eq!(state.operators[0].value.u128(), 1_010_000_000);
    assert_eq!(state.total_value.u128(), 1_010_000_000);
}

#[test]
fn a_withdrawal_can_be_unbonded_through_the_hub() {
    let (mut suite, _) = restaking_suite();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    suite.request_withdrawal("alice", 400_000_000).unwrap();
    suite.vault_crank().unwrap();
    // not finalized before the delay
    suite.advance_days(7);
    suite.vault_crank().unwrap();
    assert_eq!(suite.position("alice").claimable.u128(), 0);
    suite.advance_days(1);
    suite.vault_crank().unwrap();
    assert_eq!(suite.position("alice").claimable.u128(), 400_000_000);
    let res = suite.claim_withdrawals("alice", true).unwrap();
    assert_eq!(event_attr(&res, "unbond").unwrap(), "true");
    // the hub now holds an unbond request for alice herself
    let requests = suite.unbond_requests("alice");
    assert_eq!(requests.requests[0].lst_amount.u128(), 400_000_000);
    suite.crank().unwrap();
    suite.advance_days(21);
    let before = suite.native_balance("alice");
    suite.claim("alice").unwrap();
    assert!(suite.native_balance("alice") - before >= 400_000_000);
}

#[test]
fn vault_fee_changes_wait_their_delay() {
    let (mut suite, svc) = restaking_suite();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    suite
        .vault_exec("owner", &VaultMsg::QueueFeeChange { fee_bps: 3_000 }, 0)
        .unwrap();
    assert_eq!(suite.vault_config().fee_bps, 1_000);
    // a day later the service pays; the payment streams over the registry's reward period (a
    // week); five days of it are harvested while the old fee applies
    suite.advance_days(1);
    suite.pay_service_rewards("svc", svc, 10_000_000).unwrap();
    suite.advance_days(5);
    let res = suite.vault_crank().unwrap();
    let received: u128 = event_attr(&res, "rewards_lst").unwrap().parse().unwrap();
    assert!(received > 0);
    assert_eq!(
        event_attr(&res, "fee_lst").unwrap(),
        (received / 10).to_string()
    );
    suite.advance_days(1);
    assert_eq!(suite.vault_config().fee_bps, 3_000);
    // harvest the last day of the first payment, then a second payment streams in full
    suite.vault_crank().unwrap();
    suite.pay_service_rewards("svc", svc, 10_000_000).unwrap();
    suite.advance_days(7);
    let res = suite.vault_crank().unwrap();
    let received: u128 = event_attr(&res, "rewards_lst").unwrap().parse().unwrap();
    assert!(received > 0);
    assert_eq!(
        event_attr(&res, "fee_lst").unwrap(),
        (received * 3 / 10).to_string()
    );
}

#[test]
fn operator_commission_changes_wait_their_delay() {
    let (mut suite, svc) = restaking_suite();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    suite
        .registry_exec(
            "op1",
            &RegistryMsg::QueueCommissionChange {
                commission_bps: 5_000,
            },
            0,
        )
        .unwrap();
    // a day later the service pays for it at the old commission; the new one applies two days
    // after that
    suite.advance_days(1);
    suite.pay_service_rewards("svc", svc, 10_000_000).unwrap();
    assert_eq!(suite.operator("op1").commission_unclaimed.u128(), 1_000_000);
    suite.advance_days(2);
    suite.pay_service_rewards("svc", svc, 10_000_000).unwrap();
    assert_eq!(suite.operator("op1").commission_unclaimed.u128(), 6_000_000);
    let before = suite.native_balance("op1");
    suite
        .registry_exec("op1", &RegistryMsg::ClaimCommission {}, 0)
        .unwrap();
    assert_eq!(suite.native_balance("op1") - before, 6_000_000);
}

#[test]
fn registry_and_vault_migrations_check_name_and_version() {
    let (mut suite, _) = restaking_suite();
    let rs = suite.restaking();
    let owner = suite.owner.clone();
    // the refusal of a migration from a newer version (cw2's check, in the contract's error)
    let newer = |to: &str| {
        StdError::generic_err(format!(
            "Cannot migrate from newer version (9.0.0) to older ({to})"
        ))
    };
    for (addr, code, name, refused) in [
        (
            rs.registry.clone(),
            rs.registry_code,
            "crates.io:tributary-restaking-registry",
            Expected::from(tributary_restaking_registry::ContractError::Std(newer(
                tributary_restaking_registry::CONTRACT_VERSION,
            ))),
        ),
        (
            rs.vault.clone(),
            rs.vault_code,
            "crates.io:tributary-restaking-vault",
            Expected::from(tributary_restaking_vault::ContractError::Std(newer(
                tributary_restaking_vault::CONTRACT_VERSION,
            ))),
        ),
    ] {
        cw2::set_contract_version(
            suite.app.contract_storage_mut(&addr).as_mut(),
            name,
            "0.0.1",
        )
        .unwrap();
        let res = suite
            .app
            .migrate_contract(owner.clone(), addr.clone(), &MigrateMsg {}, code)
            .unwrap();
        assert_eq!(event_attr(&res, "from_version").unwrap(), "0.0.1");
        cw2::set_contract_version(
            suite.app.contract_storage_mut(&addr).as_mut(),
            name,
            "9.0.0",
        )
        .unwrap();
        let err = suite
            .app
            .migrate_contract(owner.clone(), addr.clone(), &MigrateMsg {}, code)
            .unwrap_err();
        refused.check(&err);
    }
}
