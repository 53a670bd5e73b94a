//! Access control, pauses and bad input: every failure has a clear error and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{coin, Binary, Decimal, Uint128, WasmMsg};
use cw_multi_test::Executor;
use tributary_hub::ContractError;
use tributary_testing::{CommonError, Suite, SuiteBuilder, DENOM};
use tributary_types::hub::{CallbackMsg, ExecuteMsg, PauseFlags};

fn funded() -> Suite {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    suite
}

fn privileged_messages(suite: &Suite) -> Vec<ExecuteMsg> {
    let mallory = suite.addr("mallory").to_string();
    vec![
        ExecuteMsg::AddValidator {
            address: "spare1".into(),
            weight: 1,
        },
        ExecuteMsg::UpdateValidatorWeight {
            address: "validator1".into(),
            weight: 2,
        },
        ExecuteMsg::RemoveValidator {
            address: "validator1".into(),
        },
        ExecuteMsg::QueueFeeChange { fee_bps: 500 },
        ExecuteMsg::UpdateConfig {
            fee_addr: Some(mallory.clone()),
            min_bond: Some(Uint128::one()),
            max_rebalance_per_epoch: None,
        },
        ExecuteMsg::SetDepositCap {
            cap: Some(Uint128::one()),
        },
        ExecuteMsg::SetPause(PauseFlags {
            bond: true,
            unbond: true,
            claim: true,
            crank: true,
        }),
        ExecuteMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
            new_owner: mallory.clone(),
            expiry: None,
        }),
        ExecuteMsg::UpdateOwnership(cw_ownable::Action::RenounceOwnership),
    ]
}

#[test]
fn every_privileged_message_from_a_non_owner_is_unauthorized() {
    let mut suite = funded();
    for msg in privileged_messages(&funded()) {
        suite.assert_fails_unchanged(
            "alice",
            CommonError::Unauthorized {
                reason: "only the owner may do this".into(),
            },
            |s| s.execute("alice", &msg),
        );
    }
    // the owner may send each of them (checked on fresh suites so they do not interact)
    let messages = privileged_messages(&funded());
    for msg in messages {
        let mut suite = funded();
        suite
            .execute("owner", &msg)
            .unwrap_or_else(|e| panic!("{msg:?}: {e:#}"));
    }
}

#[test]
fn callback_only_from_the_hub_itself() {
    let mut suite = funded();
    suite.assert_fails_unchanged("alice", ContractError::CallbackOnly {}, |s| {
        s.execute("alice", &ExecuteMsg::Callback(CallbackMsg::Reinvest {}))
    });
}

#[test]
fn two_step_ownership_transfer() {
    let mut suite = funded();
    let new_owner = suite.addr("carol");
    suite
        .execute(
            "owner",
            &ExecuteMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
                new_owner: new_owner.to_string(),
                expiry: None,
            }),
        )
        .unwrap();
    // still the old owner until accepted
    suite.assert_fails_unchanged("carol", "unauthorized", |s| {
        s.execute("carol", &ExecuteMsg::SetDepositCap { cap: None })
    });
    suite
        .execute(
            "carol",
            &ExecuteMsg::UpdateOwnership(cw_ownable::Action::AcceptOwnership),
        )
        .unwrap();
    suite
        .execute("carol", &ExecuteMsg::SetDepositCap { cap: None })
        .unwrap();
    suite.assert_fails_unchanged("owner", "unauthorized", |s| {
        s.execute("owner", &ExecuteMsg::SetDepositCap { cap: None })
    });
}

#[test]
fn every_paused_operation_fails_clearly() {
    let mut suite = funded();
    suite.unbond("alice", 1_000_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    suite.advance_days(21);
    let pause = |s: &mut Suite, flags: PauseFlags| {
        s.execute("owner", &ExecuteMsg::SetPause(flags)).unwrap();
    };
    let all = PauseFlags {
        bond: true,
        unbond: true,
        claim: true,
        crank: true,
    };
    pause(&mut suite, all);
    suite.assert_fails_unchanged("alice", "bond is paused", |s| s.bond("alice", 1_000_000));
    suite.assert_fails_unchanged("alice", "unbond is paused", |s| s.unbond("alice", 1_000));
    suite.assert_fails_unchanged("alice", "claim is paused", |s| s.claim("alice"));
    suite.assert_fails_unchanged("alice", "crank is paused", |s| s.crank());
    // unpausing restores each
    pause(&mut suite, PauseFlags::default());
    suite.bond("alice", 1_000_000).unwrap();
    suite.unbond("alice", 1_000).unwrap();
    suite.claim("alice").unwrap();
    suite.crank().unwrap();
}

#[test]
fn bad_bonds_fail_and_change_nothing() {
    let mut suite = funded();
    // no funds
    suite.assert_fails_unchanged("alice", "No funds sent", |s| {
        s.execute("alice", &ExecuteMsg::Bond { min_out: None })
    });
    // zero amount is rejected by the chain's bank before reaching the hub; the hub itself
    // rejects a bond below the dust minimum
    suite.assert_fails_unchanged("alice", "below the minimum of 1000", |s| {
        s.bond("alice", 999)
    });
    // wrong denom
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: suite.addr("alice").to_string(),
                amount: vec![coin(1_000_000, "uother")],
            },
        ))
        .unwrap();
    suite.assert_fails_unchanged("alice", "Must send reserve token 'ustake'", |s| {
        let (alice, hub) = (s.addr("alice"), s.hub.clone());
        s.app.execute_contract(
            alice,
            hub,
            &ExecuteMsg::Bond { min_out: None },
            &[coin(1_000_000, "uother")],
        )
    });
    // two denoms at once
    suite.assert_fails_unchanged("alice", "Sent more than one denomination", |s| {
        let (alice, hub) = (s.addr("alice"), s.hub.clone());
        s.app.execute_contract(
            alice,
            hub,
            &ExecuteMsg::Bond { min_out: None },
            &[coin(1_000_000, DENOM), coin(1_000_000, "uother")],
        )
    });
    // slippage bound
    suite.assert_fails_unchanged("alice", "below the minimum of 1000001", |s| {
        s.bond_with_min("alice", 1_000_000, Some(1_000_001))
    });
    suite
        .bond_with_min("alice", 1_000_000, Some(1_000_000))
        .unwrap();
    // overflow-sized numbers: a min_out of u128::MAX, and a bond whose pool would overflow
    suite.assert_fails_unchanged("alice", "slippage", |s| {
        s.bond_with_min("alice", 1_000_000, Some(u128::MAX))
    });
    suite.fund("whale", u128::MAX - 1_000_000);
    suite.assert_fails_unchanged(
        "whale",
        "arithmetic overflow: the amount is too large",
        |s| s.bond("whale", u128::MAX - 1_000_000),
    );
}

#[test]
fn deposit_cap_is_enforced() {
    let mut suite = SuiteBuilder::new()
        .with_deposit_cap(5_000_000_000)
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.bond("alice", 4_000_000_000).unwrap();
    suite.assert_fails_unchanged("alice", "deposit cap reached", |s| {
        s.bond("alice", 1_000_000_001)
    });
    suite.bond("alice", 1_000_000_000).unwrap();
}

#[test]
fn zero_mint_is_refused() {
    let mut suite = SuiteBuilder::new()
        .with_fee_bps(0)
        .with_funds("alice", 100_000)
        .with_funds("donor", 10_000_000_000_000)
        .build();
    suite.bond("alice", 1_000).unwrap();
    suite.donate("donor", 10_000_000_000_000).unwrap();
    // the rate is now ~9,990,000 native per LST: 1,000 native would mint zero
    suite.assert_fails_unchanged("alice", "would mint zero LST", |s| s.bond("alice", 1_000));
}

#[test]
fn bad_unbonds_fail_and_change_nothing() {
    let mut suite = funded();
    // zero amount (refused by cw20-base before the hook)
    suite.assert_fails_unchanged("alice", "zero amount: nothing to do", |s| {
        s.unbond("alice", 0)
    });
    // more than held
    suite.assert_fails_unchanged("alice", "Overflow", |s| s.unbond("alice", u128::MAX));
    // a hook from a contract that is not the LST
    suite.assert_fails_unchanged("alice", "only the token", |s| {
        s.execute(
            "alice",
            &ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
                sender: s.addr("alice").to_string(),
                amount: Uint128::new(1_000),
                msg: cosmwasm_std::to_json_binary(&tributary_types::hub::ReceiveMsg::Unbond {
                    receiver: None,
                })
                .unwrap(),
            }),
        )
    });
    // a malformed hook message
    suite.assert_fails_unchanged("alice", "Error parsing", |s| {
        let (alice, lst, hub) = (s.addr("alice"), s.lst.clone(), s.hub.clone());
        s.app.execute_contract(
            alice,
            lst,
            &cw20::Cw20ExecuteMsg::Send {
                contract: hub.to_string(),
                amount: Uint128::new(1_000),
                msg: Binary::from(b"{\"unbond_everything\":{}}".to_vec()),
            },
            &[],
        )
    });
}

#[test]
fn malformed_messages_fail_clearly() {
    let mut suite = funded();
    suite.assert_fails_unchanged("alice", "Error parsing", |s| {
        let (alice, hub) = (s.addr("alice"), s.hub.clone());
        s.app.execute(
            alice,
            WasmMsg::Execute {
                contract_addr: hub.to_string(),
                msg: Binary::from(b"{\"bond\":{\"min_out\":\"not a number\"}}".to_vec()),
                funds: vec![],
            }
            .into(),
        )
    });
    suite.assert_fails_unchanged("alice", "Error parsing", |s| {
        let (alice, hub) = (s.addr("alice"), s.hub.clone());
        s.app.execute(
            alice,
            WasmMsg::Execute {
                contract_addr: hub.to_string(),
                msg: Binary::from(b"not json".to_vec()),
                funds: vec![],
            }
            .into(),
        )
    });
}

#[test]
fn claim_and_crank_refuse_when_there_is_nothing_to_do() {
    let mut suite = funded();
    suite.assert_fails_unchanged("alice", "nothing to claim", |s| s.claim("alice"));
    suite.assert_fails_unchanged("alice", "epoch 0 is already processed", |s| s.crank());
    suite.advance_days(1);
    suite.crank().unwrap();
    // idempotent: a second crank in the same epoch changes nothing
    suite.assert_fails_unchanged("alice", "epoch 1 is already processed", |s| s.crank());
}

#[test]
fn bad_admin_input_fails_clearly() {
    let mut suite = funded();
    suite.assert_fails_unchanged("owner", "above the maximum of 3000 bps", |s| {
        s.execute("owner", &ExecuteMsg::QueueFeeChange { fee_bps: u16::MAX })
    });
    suite.assert_fails_unchanged("owner", "weight must be positive", |s| {
        s.execute(
            "owner",
            &ExecuteMsg::AddValidator {
                address: "validator1".into(),
                weight: 0,
            },
        )
    });
    suite.assert_fails_unchanged("owner", "not an active validator", |s| {
        s.execute(
            "owner",
            &ExecuteMsg::AddValidator {
                address: "nobody".into(),
                weight: 1,
            },
        )
    });
    suite.assert_fails_unchanged("owner", "already in the set", |s| {
        s.execute(
            "owner",
            &ExecuteMsg::AddValidator {
                address: "validator1".into(),
                weight: 1,
            },
        )
    });
    suite.assert_fails_unchanged("owner", "not in the set", |s| {
        s.execute(
            "owner",
            &ExecuteMsg::RemoveValidator {
                address: "validator9".into(),
            },
        )
    });
    suite.assert_fails_unchanged("owner", "min_bond must be at least 1", |s| {
        s.execute(
            "owner",
            &ExecuteMsg::UpdateConfig {
                fee_addr: None,
                min_bond: Some(Uint128::zero()),
                max_rebalance_per_epoch: None,
            },
        )
    });
    suite.assert_fails_unchanged("owner", "invalid address \"not an address\"", |s| {
        s.execute(
            "owner",
            &ExecuteMsg::UpdateConfig {
                fee_addr: Some("not an address".into()),
                min_bond: None,
                max_rebalance_per_epoch: None,
            },
        )
    });
}

#[test]
fn the_last_validator_cannot_be_removed() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .build();
    suite.assert_fails_unchanged("owner", "last validator", |s| {
        s.execute(
            "owner",
            &ExecuteMsg::RemoveValidator {
                address: "validator1".into(),
            },
        )
    });
}
