//! Validator set management, delayed fee changes and migration.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Decimal, StdError};
use cw_multi_test::Executor;
use tributary_hub::ContractError;
use tributary_testing::{event_attr, Expected, SuiteBuilder, DAY};
use tributary_types::hub::{DelayedChange, ExecuteMsg, MigrateMsg};

#[test]
fn deposits_go_to_the_most_under_weight_validator() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[
            ("validator1", 1, Decimal::zero()),
            ("validator2", 2, Decimal::zero()),
        ])
        .with_funds("alice", 10_000_000)
        .build();
    // targets after +3,000,000 are 1,000,000 / 2,000,000: validator2 has the larger deficit
    suite.bond("alice", 3_000_000).unwrap();
    assert_eq!(
        (
            suite.delegation("validator1"),
            suite.delegation("validator2")
        ),
        (0, 3_000_000)
    );
    // targets after +1,500,000: 1,500,000 / 3,000,000: validator1 is short 1,500,000
    suite.bond("alice", 1_500_000).unwrap();
    assert_eq!(
        (
            suite.delegation("validator1"),
            suite.delegation("validator2")
        ),
        (1_500_000, 3_000_000)
    );
}

#[test]
fn removing_a_validator_redelegates_its_stake_now() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 3_000_000_000)
        .build();
    for _ in 0..3 {
        suite.bond("alice", 1_000_000_000).unwrap();
    }
    let rate = suite.state().exchange_rate;
    suite
        .execute(
            "owner",
            &ExecuteMsg::RemoveValidator {
                address: "validator1".into(),
            },
        )
        .unwrap();
    assert_eq!(suite.delegation("validator1"), 0);
    assert_eq!(suite.delegation("validator2"), 1_500_000_000);
    assert_eq!(suite.delegation("validator3"), 1_500_000_000);
    assert_eq!(
        suite.state().exchange_rate,
        rate,
        "moving stake does not change the rate"
    );
    // validator1's accrued rewards are not lost: the next crank compounds them
    suite.advance_days(1);
    suite.crank().unwrap();
    assert_eq!(suite.total_delegated(), 3_000_000_000 + 3_000_000);
    let listed: Vec<String> = suite.validators().into_iter().map(|v| v.address).collect();
    assert_eq!(listed, vec!["validator2", "validator3"]);
}

#[test]
fn rebalancing_is_bounded_per_epoch() {
    let mut suite = SuiteBuilder::new()
        .with_apr(Decimal::zero())
        .with_max_rebalance(100_000_000)
        .with_funds("alice", 3_000_000_000)
        .build();
    for _ in 0..3 {
        suite.bond("alice", 1_000_000_000).unwrap();
    }
    // new targets 2:1:1 = 1.5e9 / 0.75e9 / 0.75e9: 500M must move to validator1
    suite
        .execute(
            "owner",
            &ExecuteMsg::UpdateValidatorWeight {
                address: "validator1".into(),
                weight: 2,
            },
        )
        .unwrap();
    for day in 1..=5u128 {
        suite.advance_days(1);
        suite.crank().unwrap();
        assert_eq!(
            suite.delegation("validator1"),
            1_000_000_000 + 100_000_000 * day
        );
    }
    // converged; further cranks move nothing
    suite.advance_days(1);
    suite.crank().unwrap();
    assert_eq!(suite.delegation("validator1"), 1_500_000_000);
    assert_eq!(suite.delegation("validator2"), 750_000_000);
    assert_eq!(suite.delegation("validator3"), 750_000_000);
    let v = suite.validators();
    assert!(v
        .iter()
        .all(|v| v.target == v.booked && v.booked == v.actual));
}

#[test]
fn a_new_validator_receives_stake_through_rebalancing() {
    let mut suite = SuiteBuilder::new()
        .with_apr(Decimal::zero())
        .with_funds("alice", 3_000_000_000)
        .build();
    for _ in 0..3 {
        suite.bond("alice", 1_000_000_000).unwrap();
    }
    suite
        .execute(
            "owner",
            &ExecuteMsg::AddValidator {
                address: "spare1".into(),
                weight: 1,
            },
        )
        .unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    assert_eq!(suite.delegation("spare1"), 750_000_000);
}

#[test]
fn fee_changes_take_effect_after_the_delay() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 1_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite
        .execute("owner", &ExecuteMsg::QueueFeeChange { fee_bps: 2_000 })
        .unwrap();
    let config = suite.config();
    assert_eq!(config.fee_bps, 1_000);
    let queued_at = suite.app.block_info().time;
    assert_eq!(
        config.pending_fee,
        Some(DelayedChange {
            value: 2_000,
            effective_at: queued_at.plus_seconds(7 * DAY),
        })
    );
    // the crank before the delay takes the old fee: 1,000,000 of rewards, 100,000 fee
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "fee" && a.value == "100000")));
    suite.advance_days(6);
    assert_eq!(suite.config().fee_bps, 2_000);
    assert_eq!(suite.config().pending_fee, None);
    let res = suite.crank().unwrap();
    // the rewards the chain paid (its withdraw events), and the fee at the new 20 %
    let rewards: u128 = res
        .events
        .iter()
        .filter(|e| e.ty == "withdraw_delegator_reward")
        .flat_map(|e| e.attributes.iter().filter(|a| a.key == "amount"))
        .map(|a| a.value.trim_end_matches("ustake").parse::<u128>().unwrap())
        .sum();
    // six days on ~1,001,000,000 (each validator's reward is floored separately)
    assert_eq!(rewards, 6_005_998);
    assert_eq!(event_attr(&res, "rewards").unwrap(), rewards.to_string());
    // those six days accrued before the change took effect: they pay the old 10 %
    assert_eq!(
        event_attr(&res, "fee").unwrap(),
        (rewards * 1_000 / 10_000).to_string()
    );
    // the next day's rewards pay the new 20 %
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    let rewards: u128 = event_attr(&res, "rewards").unwrap().parse().unwrap();
    assert_eq!(
        event_attr(&res, "fee").unwrap(),
        (rewards * 2_000 / 10_000).to_string()
    );
}

#[test]
fn migration_entry_point_checks_name_and_version() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 1_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    let (owner, hub, code) = (suite.owner.clone(), suite.hub.clone(), suite.hub_code);
    // same version: allowed, state untouched
    let before = suite.state();
    suite
        .app
        .migrate_contract(owner.clone(), hub.clone(), &MigrateMsg {}, code)
        .unwrap();
    assert_eq!(suite.state(), before);

    // from an older version: allowed, and the stored version is bumped
    cw2::set_contract_version(
        suite.app.contract_storage_mut(&hub).as_mut(),
        "crates.io:tributary-hub",
        "0.0.1",
    )
    .unwrap();
    let res = suite
        .app
        .migrate_contract(owner.clone(), hub.clone(), &MigrateMsg {}, code)
        .unwrap();
    assert!(res.events.iter().any(|e| e
        .attributes
        .iter()
        .any(|a| a.key == "from_version" && a.value == "0.0.1")));
    let info = cw2::query_contract_info(&suite.app.wrap(), hub.to_string()).unwrap();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));

    // from a newer version or another contract: refused
    cw2::set_contract_version(
        suite.app.contract_storage_mut(&hub).as_mut(),
        "crates.io:tributary-hub",
        "99.0.0",
    )
    .unwrap();
    let err = suite
        .app
        .migrate_contract(owner.clone(), hub.clone(), &MigrateMsg {}, code)
        .unwrap_err();
    // cw2's version check, run by the hub's migrate
    Expected::from(ContractError::Std(StdError::generic_err(format!(
        "Cannot migrate from newer version (99.0.0) to older ({})",
        tributary_hub::CONTRACT_VERSION
    ))))
    .check(&err);
    cw2::set_contract_version(
        suite.app.contract_storage_mut(&hub).as_mut(),
        "crates.io:cw20-base",
        "0.0.1",
    )
    .unwrap();
    let err = suite
        .app
        .migrate_contract(owner, hub, &MigrateMsg {}, code)
        .unwrap_err();
    Expected::from(ContractError::Std(StdError::generic_err(
        "Cannot migrate from crates.io:cw20-base to crates.io:tributary-hub",
    )))
    .check(&err);
}

/// State written before the payout-attribution and chain-limit fields existed still loads (they
/// default to zero / empty), and the migration rebuilds each validator's unbonding entries from
/// the batches in flight.
#[test]
fn migration_from_the_layout_before_payout_attribution() {
    use cosmwasm_std::{Timestamp, Uint128};
    use cw_storage_plus::{Item, Map};
    use tributary_hub::state::{STATE, VALIDATORS};

    #[cosmwasm_schema::cw_serde]
    struct OldValidator {
        weight: u64,
        booked: Uint128,
    }
    #[cosmwasm_schema::cw_serde]
    struct OldState {
        epoch: u64,
        pending_batch_id: u64,
        pending_lst: Uint128,
        last_batch_submitted_at: Option<Timestamp>,
        unbonding_batches: Vec<u64>,
        unclaimed_reserve: Uint128,
    }

    // state from before the rails withheld nothing: a ceiling above the suite's 36.5 % APR
    // keeps it so, so that the fields written below are the whole state
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 3_000_000_000)
        .with_rails(tributary_types::hub::Rails {
            max_apr_bps: 10_000,
            ..Default::default()
        })
        .build();
    for _ in 0..3 {
        suite.bond("alice", 1_000_000_000).unwrap();
    }
    suite.unbond("alice", 900_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    let before = suite.state();
    let (owner, hub, code) = (suite.owner.clone(), suite.hub.clone(), suite.hub_code);
    {
        let mut store = suite.app.contract_storage_mut(&hub);
        let state = STATE.load(store.as_ref()).unwrap();
        Item::<OldState>::new("state")
            .save(
                store.as_mut(),
                &OldState {
                    epoch: state.epoch,
                    pending_batch_id: state.pending_batch_id,
                    pending_lst: state.pending_lst,
                    last_batch_submitted_at: state.last_batch_submitted_at,
                    unbonding_batches: state.unbonding_batches,
                    unclaimed_reserve: state.unclaimed_reserve,
                },
            )
            .unwrap();
        let old: Map<&str, OldValidator> = Map::new("validators");
        for name in ["validator1", "validator2", "validator3"] {
            let v = VALIDATORS.load(store.as_ref(), name).unwrap();
            assert_eq!(v.unbonding_entries.len(), 1);
            old.save(
                store.as_mut(),
                name,
                &OldValidator {
                    weight: v.weight,
                    booked: v.booked,
                },
            )
            .unwrap();
        }
    }
    // the old layout loads
    assert_eq!(suite.state(), before);
    cw2::set_contract_version(
        suite.app.contract_storage_mut(&hub).as_mut(),
        "crates.io:tributary-hub",
        "0.0.1",
    )
    .unwrap();
    let res = suite
        .app
        .migrate_contract(owner, hub.clone(), &MigrateMsg {}, code)
        .unwrap();
    assert_eq!(
        event_attr(&res, "unbonding_entries_rebuilt").as_deref(),
        Some("3")
    );
    let store = suite.app.contract_storage(&hub);
    let claimable_at = suite.batch(1).claimable_at.unwrap();
    for name in ["validator1", "validator2", "validator3"] {
        let v = VALIDATORS.load(store.as_ref(), name).unwrap();
        assert_eq!(v.unbonding_entries, vec![claimable_at]);
    }
}

/// Issue 15, "also settle": the LST's wasm admin is the hub, not the protocol owner, so the owner
/// cannot migrate the token to mint freely.
#[test]
fn the_hub_administers_its_lst() {
    let mut suite = SuiteBuilder::new().build();
    let lst = suite.lst.clone();
    let info = suite.app.contract_data(&lst).unwrap();
    assert_eq!(info.admin, Some(suite.hub.clone()));
    let (owner, hub) = (suite.owner.clone(), suite.hub.clone());
    let err = cw_multi_test::Executor::migrate_contract(
        &mut suite.app,
        owner,
        lst,
        &cosmwasm_std::Empty {},
        info.code_id,
    )
    .unwrap_err();
    // refused by the chain (cw-multi-test's wasm module), not by a contract
    Expected::from(format!("Only admin can migrate contract: {:?}", Some(hub)).as_str())
        .check(&err);
}
