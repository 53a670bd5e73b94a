//! Access control, pauses and bad input: every failure has a clear error and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use anyhow::Result as AnyResult;
use cosmwasm_std::{coin, Api, Binary, Decimal, Uint128, WasmMsg};
use cw_multi_test::{AppResponse, Executor};
use cw_utils::PaymentError;
use tributary_hub::ContractError;
use tributary_testing::{run_cases, Case, CommonError, Expected, Suite, SuiteBuilder, DENOM};
use tributary_types::hub::{CallbackMsg, ExecuteMsg, PauseFlags, MAX_FEE_BPS};

fn funded() -> Suite {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    suite
}

fn only_the_owner() -> CommonError {
    CommonError::Unauthorized {
        reason: "only the owner may do this".into(),
    }
}

/// A failure case on this file's suite (see [`tributary_testing::case`]).
fn case(
    name: &'static str,
    sender: &'static str,
    expected: impl Into<Expected>,
    action: impl Fn(&mut Suite) -> AnyResult<AppResponse> + 'static,
) -> Case<Suite> {
    tributary_testing::case(name, sender, expected, action)
}

/// Each case, in order on the same suite, fails as expected and changes nothing observable for
/// the hub or its sender.
fn assert_cases(suite: &mut Suite, cases: Vec<Case<Suite>>) {
    run_cases(suite, cases, |s, sender| s.snapshot(sender));
}

/// A hub message sent as `sender`.
fn exec(sender: &'static str, msg: ExecuteMsg) -> impl Fn(&mut Suite) -> AnyResult<AppResponse> {
    move |s| s.execute(sender, &msg)
}

/// Raw bytes sent to the hub as `sender`'s execute message (not necessarily valid JSON).
fn raw(sender: &'static str, msg: &'static [u8]) -> impl Fn(&mut Suite) -> AnyResult<AppResponse> {
    move |s| {
        let (from, hub) = (s.addr(sender), s.hub.clone());
        s.app.execute(
            from,
            WasmMsg::Execute {
                contract_addr: hub.to_string(),
                msg: Binary::from(msg.to_vec()),
                funds: vec![],
            }
            .into(),
        )
    }
}

fn privileged_messages(suite: &Suite) -> Vec<(&'static str, ExecuteMsg)> {
    let mallory = suite.addr("mallory").to_string();
    vec![
        (
            "add a validator",
            ExecuteMsg::AddValidator {
                address: "spare1".into(),
                weight: 1,
            },
        ),
        (
            "change a validator's weight",
            ExecuteMsg::UpdateValidatorWeight {
                address: "validator1".into(),
                weight: 2,
            },
        ),
        (
            "remove a validator",
            ExecuteMsg::RemoveValidator {
                address: "validator1".into(),
            },
        ),
        (
            "queue a fee change",
            ExecuteMsg::QueueFeeChange { fee_bps: 500 },
        ),
        (
            "update the config",
            ExecuteMsg::UpdateConfig {
                fee_addr: Some(mallory.clone()),
                min_bond: Some(Uint128::one()),
                max_rebalance_per_epoch: None,
                guardian: None,
                rails: None,
            },
        ),
        (
            "set the deposit cap",
            ExecuteMsg::SetDepositCap {
                cap: Some(Uint128::one()),
            },
        ),
        (
            "pause everything",
            ExecuteMsg::SetPause(PauseFlags {
                bond: true,
                unbond: true,
                claim: true,
                crank: true,
                instant_unstake: true,
            }),
        ),
        (
            "transfer ownership",
            ExecuteMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
                new_owner: mallory.clone(),
                expiry: None,
            }),
        ),
        (
            "renounce ownership",
            ExecuteMsg::UpdateOwnership(cw_ownable::Action::RenounceOwnership),
        ),
    ]
}

#[test]
fn every_privileged_message_from_a_non_owner_is_unauthorized() {
    let mut suite = funded();
    let cases = privileged_messages(&suite)
        .into_iter()
        .map(|(name, msg)| case(name, "alice", only_the_owner(), exec("alice", msg)))
        .collect();
    assert_cases(&mut suite, cases);
    // the owner may send each of them (checked on fresh suites so they do not interact)
    for (name, msg) in privileged_messages(&funded()) {
        let mut suite = funded();
        suite
            .execute("owner", &msg)
            .unwrap_or_else(|e| panic!("case {name:?}: {msg:?}: {e:#}"));
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
    suite.assert_fails_unchanged("carol", only_the_owner(), |s| {
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
    suite.assert_fails_unchanged("owner", only_the_owner(), |s| {
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
        instant_unstake: true,
    };
    pause(&mut suite, all);
    let paused = |operation: &str| CommonError::Paused {
        operation: operation.into(),
    };
    assert_cases(
        &mut suite,
        vec![
            case("bond", "alice", paused("bond"), |s| {
                s.bond("alice", 1_000_000)
            }),
            case("unbond", "alice", paused("unbond"), |s| {
                s.unbond("alice", 1_000)
            }),
            case("claim", "alice", paused("claim"), |s| s.claim("alice")),
            case("crank", "alice", paused("crank"), |s| s.crank()),
        ],
    );
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
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: suite.addr("alice").to_string(),
                amount: vec![coin(1_000_000, "uother")],
            },
        ))
        .unwrap();
    suite.fund("whale", u128::MAX - 1_000_000);
    let bond_with = |funds: Vec<cosmwasm_std::Coin>| {
        move |s: &mut Suite| {
            let (alice, hub) = (s.addr("alice"), s.hub.clone());
            s.app
                .execute_contract(alice, hub, &ExecuteMsg::Bond { min_out: None }, &funds)
        }
    };
    // the payment errors are cw-utils' `PaymentError`, wrapped by the hub as
    // `ContractError::Payment`
    let cases = vec![
        case(
            "no funds",
            "alice",
            ContractError::Payment(PaymentError::NoFunds {}),
            exec("alice", ExecuteMsg::Bond { min_out: None }),
        ),
        // zero amount is rejected by the chain's bank before reaching the hub; the hub itself
        // rejects a bond below the dust minimum
        case(
            "below the minimum bond",
            "alice",
            ContractError::BelowMinimum {
                amount: Uint128::new(999),
                min: Uint128::new(1_000),
            },
            |s| s.bond("alice", 999),
        ),
        case(
            "wrong denom",
            "alice",
            ContractError::Payment(PaymentError::MissingDenom(DENOM.into())),
            bond_with(vec![coin(1_000_000, "uother")]),
        ),
        case(
            "two denoms at once",
            "alice",
            ContractError::Payment(PaymentError::MultipleDenoms {}),
            bond_with(vec![coin(1_000_000, DENOM), coin(1_000_000, "uother")]),
        ),
        case(
            "slippage bound",
            "alice",
            ContractError::SlippageExceeded {
                min_out: Uint128::new(1_000_001),
                minted: Uint128::new(1_000_000),
            },
            |s| s.bond_with_min("alice", 1_000_000, Some(1_000_001)),
        ),
        // overflow-sized numbers: a min_out of u128::MAX, and a bond whose pool would overflow
        case(
            "min_out of u128::MAX",
            "alice",
            ContractError::SlippageExceeded {
                min_out: Uint128::MAX,
                minted: Uint128::new(1_000_000),
            },
            |s| s.bond_with_min("alice", 1_000_000, Some(u128::MAX)),
        ),
        case(
            "a bond beyond any real supply (its pool would overflow)",
            "whale",
            CommonError::ImplausibleAmount {
                what: "a bond".into(),
                amount: Uint128::new(u128::MAX - 1_000_000),
                max: tributary_common::MAX_PLAUSIBLE_AMOUNT,
            },
            |s| s.bond("whale", u128::MAX - 1_000_000),
        ),
    ];
    assert_cases(&mut suite, cases);
    suite
        .bond_with_min("alice", 1_000_000, Some(1_000_000))
        .unwrap();
}

#[test]
fn deposit_cap_is_enforced() {
    let mut suite = SuiteBuilder::new()
        .with_deposit_cap(5_000_000_000)
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.bond("alice", 4_000_000_000).unwrap();
    suite.assert_fails_unchanged(
        "alice",
        ContractError::DepositCapExceeded {
            cap: Uint128::new(5_000_000_000),
            would_hold: Uint128::new(5_000_000_001),
        },
        |s| s.bond("alice", 1_000_000_001),
    );
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
    suite.assert_fails_unchanged("alice", ContractError::ZeroMint {}, |s| {
        s.bond("alice", 1_000)
    });
}

#[test]
fn bad_unbonds_fail_and_change_nothing() {
    let mut suite = funded();
    let (alice, lst) = (suite.addr("alice").to_string(), suite.lst.to_string());
    let unbond_hook = |msg: Binary| {
        move |s: &mut Suite| {
            let (alice, lst, hub) = (s.addr("alice"), s.lst.clone(), s.hub.clone());
            s.app.execute_contract(
                alice,
                lst,
                &cw20::Cw20ExecuteMsg::Send {
                    contract: hub.to_string(),
                    amount: Uint128::new(1_000),
                    msg: msg.clone(),
                },
                &[],
            )
        }
    };
    let cases = vec![
        // the token passes a zero send on to the hub, which refuses it
        case("zero amount", "alice", CommonError::ZeroAmount {}, |s| {
            s.unbond("alice", 0)
        }),
        // refused by cw20-base (the sender's balance would go below zero) before the hook: not our
        // contracts' error, so matched by its text
        case("more than held", "alice", "Overflow", |s| {
            s.unbond("alice", u128::MAX)
        }),
        case(
            "a hook from a contract that is not the LST",
            "alice",
            CommonError::WrongToken {
                expected: lst,
                got: alice.clone(),
            },
            exec(
                "alice",
                ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
                    sender: alice,
                    amount: Uint128::new(1_000),
                    msg: cosmwasm_std::to_json_binary(&tributary_types::hub::ReceiveMsg::Unbond {
                        receiver: None,
                    })
                    .unwrap(),
                }),
            ),
        ),
        // serde's parse error of a hook the hub does not know: not our contracts' error, so
        // matched by its text
        case(
            "a malformed hook message",
            "alice",
            "Error parsing",
            unbond_hook(Binary::from(b"{\"unbond_everything\":{}}".to_vec())),
        ),
    ];
    assert_cases(&mut suite, cases);
}

#[test]
fn malformed_messages_fail_clearly() {
    let mut suite = funded();
    // serde's parse errors of malformed JSON, before the hub runs: not our contracts' errors,
    // so matched by their text
    let cases = vec![
        case(
            "a number that is not a number",
            "alice",
            "Error parsing",
            raw("alice", b"{\"bond\":{\"min_out\":\"not a number\"}}"),
        ),
        case(
            "not JSON",
            "alice",
            "Error parsing",
            raw("alice", b"not json"),
        ),
    ];
    assert_cases(&mut suite, cases);
}

#[test]
fn claim_and_crank_refuse_when_there_is_nothing_to_do() {
    let mut suite = funded();
    let epoch_processed = |s: &Suite, epoch: u64| ContractError::EpochNotElapsed {
        epoch,
        next_epoch_at: s.state().next_epoch_at,
    };
    suite.assert_fails_unchanged("alice", ContractError::NothingToClaim {}, |s| {
        s.claim("alice")
    });
    let expected = epoch_processed(&suite, 0);
    suite.assert_fails_unchanged("alice", expected, |s| s.crank());
    suite.advance_days(1);
    suite.crank().unwrap();
    // idempotent: a second crank in the same epoch changes nothing
    let expected = epoch_processed(&suite, 1);
    suite.assert_fails_unchanged("alice", expected, |s| s.crank());
}

#[test]
fn bad_admin_input_fails_clearly() {
    let mut suite = funded();
    let not_an_address = suite
        .app
        .api()
        .addr_validate("not an address")
        .unwrap_err()
        .to_string();
    let cases = vec![
        case(
            "fee above the maximum",
            "owner",
            CommonError::FeeTooHigh {
                fee_bps: u16::MAX,
                max_bps: MAX_FEE_BPS,
            },
            exec("owner", ExecuteMsg::QueueFeeChange { fee_bps: u16::MAX }),
        ),
        case(
            "zero weight",
            "owner",
            ContractError::ZeroWeight {},
            exec(
                "owner",
                ExecuteMsg::AddValidator {
                    address: "validator1".into(),
                    weight: 0,
                },
            ),
        ),
        case(
            "not a validator on the chain",
            "owner",
            ContractError::NotAValidator {
                address: "nobody".into(),
            },
            exec(
                "owner",
                ExecuteMsg::AddValidator {
                    address: "nobody".into(),
                    weight: 1,
                },
            ),
        ),
        case(
            "a validator already in the set",
            "owner",
            ContractError::ValidatorExists {
                address: "validator1".into(),
            },
            exec(
                "owner",
                ExecuteMsg::AddValidator {
                    address: "validator1".into(),
                    weight: 1,
                },
            ),
        ),
        case(
            "removing a validator not in the set",
            "owner",
            ContractError::ValidatorNotFound {
                address: "validator9".into(),
            },
            exec(
                "owner",
                ExecuteMsg::RemoveValidator {
                    address: "validator9".into(),
                },
            ),
        ),
        case(
            "min_bond of zero",
            "owner",
            CommonError::invalid_config("min_bond must be at least 1"),
            exec(
                "owner",
                ExecuteMsg::UpdateConfig {
                    fee_addr: None,
                    min_bond: Some(Uint128::zero()),
                    max_rebalance_per_epoch: None,
                    guardian: None,
                    rails: None,
                },
            ),
        ),
        case(
            "an invalid fee address",
            "owner",
            CommonError::InvalidAddress {
                address: "not an address".into(),
                reason: not_an_address,
            },
            exec(
                "owner",
                ExecuteMsg::UpdateConfig {
                    fee_addr: Some("not an address".into()),
                    min_bond: None,
                    max_rebalance_per_epoch: None,
                    guardian: None,
                    rails: None,
                },
            ),
        ),
    ];
    assert_cases(&mut suite, cases);
}

#[test]
fn the_last_validator_cannot_be_removed() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .build();
    suite.assert_fails_unchanged("owner", ContractError::LastValidator {}, |s| {
        s.execute(
            "owner",
            &ExecuteMsg::RemoveValidator {
                address: "validator1".into(),
            },
        )
    });
}
