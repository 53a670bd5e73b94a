//! Access control, pauses and bad input for every registry and vault message: each failure has
//! a clear error and changes nothing. Each test is a table of cases (name, sender, expected
//! error, action) run on the test's shared suite, in order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use anyhow::Result as AnyResult;
use common::{restaking_suite, veto_window_too_long};
use cosmwasm_std::{coin, Binary, Uint128};
use cw_multi_test::{AppResponse, Executor};
use cw_utils::PaymentError;
use tributary_restaking_registry::ContractError as Registry;
use tributary_restaking_vault::ContractError as Vault;
use tributary_testing::{
    run_cases, Case, CommonError, Expected, RegistryError, RestakingSuite, VaultError, DAY, DENOM,
};
use tributary_types::registry::{ExecuteMsg as RegistryMsg, RegistryPauseFlags};
use tributary_types::vault::{
    CallbackMsg, ExecuteMsg as VaultMsg, OperatorTarget, VaultPauseFlags,
};

/// A failure case on this file's suite (see [`tributary_testing::case`]).
fn case(
    name: &'static str,
    sender: &'static str,
    expected: impl Into<Expected>,
    action: impl Fn(&mut RestakingSuite) -> AnyResult<AppResponse> + 'static,
) -> Case<RestakingSuite> {
    tributary_testing::case(name, sender, expected, action)
}

/// Runs the cases in order on `suite`: each fails with its expected error and changes nothing
/// observable (the checks of `assert_restaking_fails_unchanged`, naming the case).
fn run(suite: &mut RestakingSuite, cases: Vec<Case<RestakingSuite>>) {
    run_cases(suite, cases, |s, sender| {
        (s.vault_snapshot(sender), s.snapshot(sender))
    });
}

fn unauthorized(reason: &str) -> CommonError {
    CommonError::Unauthorized {
        reason: reason.to_string(),
    }
}

fn paused(operation: &str) -> CommonError {
    CommonError::Paused {
        operation: operation.to_string(),
    }
}

fn invalid_config(reason: &str) -> CommonError {
    CommonError::invalid_config(reason)
}

const NOT_OWNER: &str = "only the owner may do this";

/// alice has 1e9 in the vault, delegated to op1; she also holds 1e9 LST.
fn funded() -> (RestakingSuite, u64) {
    let (mut suite, svc) = restaking_suite();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    suite.bond("alice", 1_000_000_000).unwrap();
    (suite, svc)
}

#[test]
fn registry_owner_messages_are_owner_only() {
    let (mut suite, _) = funded();
    let mallory = suite.addr("mallory").to_string();
    let msgs = vec![
        (
            "set pause",
            RegistryMsg::SetPause(RegistryPauseFlags {
                delegate: true,
                undelegate: true,
                rewards: true,
            }),
        ),
        (
            "transfer ownership",
            RegistryMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
                new_owner: mallory,
                expiry: None,
            }),
        ),
    ];
    for (name, msg) in msgs {
        let refused = msg.clone();
        run(
            &mut suite,
            vec![case(name, "alice", unauthorized(NOT_OWNER), move |s| {
                s.registry_exec("alice", &refused, 0)
            })],
        );
        suite.registry_exec("owner", &msg, 0).unwrap();
        if let RegistryMsg::SetPause(_) = msg {
            suite
                .registry_exec(
                    "owner",
                    &RegistryMsg::SetPause(RegistryPauseFlags::default()),
                    0,
                )
                .unwrap();
        }
    }
}

#[test]
fn registry_role_checks() {
    let (mut suite, svc) = funded();
    let (alice, op1) = (
        suite.addr("alice").to_string(),
        suite.addr("op1").to_string(),
    );
    let lst = suite.lst.to_string();
    let admin_only = "only the service's admin may approve or revoke its operators";
    run(
        &mut suite,
        vec![
            // only the service admin requests slashes
            case(
                "request slash by a stranger",
                "alice",
                unauthorized("only the service's admin may request its slashes"),
                move |s| {
                    let op1 = s.addr("op1").to_string();
                    s.registry_exec(
                        "alice",
                        &RegistryMsg::RequestSlash {
                            service: svc,
                            operator: op1,
                            fraction_bps: 100,
                            reason: "x".into(),
                        },
                        0,
                    )
                },
            ),
        ],
    );
    let id = suite.request_slash("svc", svc, "op1", 100).unwrap();
    suite.fund("alice", 1_000);
    let mut cases = vec![
        // only the resolver vetoes
        case(
            "veto by the admin",
            "alice",
            unauthorized("only the service's resolver may veto its slashes"),
            move |s| s.registry_exec("svc", &RegistryMsg::VetoSlash { request_id: id }, 0),
        ),
        // only the service admin pays its rewards (nobody else can cut the period a payment
        // covers)
        case(
            "rewards paid by a stranger",
            "alice",
            unauthorized("only the service's admin may pay its rewards"),
            move |s| {
                s.registry_exec(
                    "alice",
                    &RegistryMsg::DepositRewards { service: svc },
                    1_000,
                )
            },
        ),
    ];
    // only the service admin approves and revokes operators
    for (name, msg) in [
        (
            "approve by the operator",
            RegistryMsg::ApproveOperator {
                service: svc,
                operator: op1.clone(),
            },
        ),
        (
            "revoke by the operator",
            RegistryMsg::RevokeOperator {
                service: svc,
                operator: op1.clone(),
            },
        ),
    ] {
        cases.push(case(name, "op1", unauthorized(admin_only), move |s| {
            s.registry_exec("op1", &msg, 0)
        }));
    }
    // only operators opt in, allocate, change commission, claim commission
    for (name, msg) in [
        ("opt in", RegistryMsg::OptIn { service: svc }),
        ("opt out", RegistryMsg::OptOut { service: svc }),
        (
            "set allocation",
            RegistryMsg::SetAllocation {
                service: svc,
                bps: 10,
            },
        ),
        (
            "queue commission change",
            RegistryMsg::QueueCommissionChange { commission_bps: 10 },
        ),
        ("claim commission", RegistryMsg::ClaimCommission {}),
    ] {
        let not_operator = Registry::OperatorNotFound {
            address: alice.clone(),
        };
        cases.push(case(name, "alice", not_operator, move |s| {
            s.registry_exec("alice", &msg, 0)
        }));
    }
    // nobody can delegate a token other than the LST
    cases.push(case(
        "delegate a token other than the LST",
        "alice",
        CommonError::WrongToken {
            expected: lst,
            got: alice.clone(),
        },
        |s| {
            let op1 = s.addr("op1").to_string();
            let alice = s.addr("alice").to_string();
            s.registry_exec(
                "alice",
                &RegistryMsg::Receive(cw20::Cw20ReceiveMsg {
                    sender: alice,
                    amount: Uint128::new(1_000),
                    msg: cosmwasm_std::to_json_binary(
                        &tributary_types::registry::ReceiveMsg::Delegate { operator: op1 },
                    )
                    .unwrap(),
                }),
                0,
            )
        },
    ));
    run(&mut suite, cases);
}

/// A `RegisterService` by "svc2" with these terms (resolver and destination "r").
fn register_service(
    s: &mut RestakingSuite,
    max_slash_bps_per_epoch: u16,
    veto_window: u64,
    addresses: Option<(&str, &str)>,
) -> AnyResult<AppResponse> {
    let r = s.addr("r").to_string();
    let (resolver, slash_destination) = match addresses {
        Some((resolver, destination)) => (resolver.to_string(), destination.to_string()),
        None => (r.clone(), r),
    };
    s.registry_exec(
        "svc2",
        &RegistryMsg::RegisterService {
            name: "x".into(),
            reward_rate_bps: 500,
            max_slash_bps_per_epoch,
            veto_window,
            resolver,
            slash_destination,
        },
        0,
    )
}

fn undelegate(s: &mut RestakingSuite, amount: Uint128) -> AnyResult<AppResponse> {
    let op1 = s.addr("op1").to_string();
    s.registry_exec(
        "alice",
        &RegistryMsg::Undelegate {
            operator: op1,
            amount,
        },
        0,
    )
}

#[test]
fn registry_bad_input() {
    let (mut suite, svc) = funded();
    let op1 = suite.addr("op1").to_string();
    let fee_too_high = |fee_bps| CommonError::FeeTooHigh {
        fee_bps,
        max_bps: 5_000,
    };
    run(
        &mut suite,
        vec![
            case(
                "operator registered twice",
                "op1",
                Registry::OperatorExists {
                    address: op1.clone(),
                },
                |s| {
                    s.registry_exec(
                        "op1",
                        &RegistryMsg::RegisterOperator {
                            name: "x".into(),
                            commission_bps: 0,
                        },
                        0,
                    )
                },
            ),
            case(
                "commission above the maximum",
                "op2",
                fee_too_high(5_001),
                |s| {
                    s.registry_exec(
                        "op2",
                        &RegistryMsg::RegisterOperator {
                            name: "x".into(),
                            commission_bps: 5_001,
                        },
                        0,
                    )
                },
            ),
            case(
                "queued commission above the maximum",
                "op1",
                fee_too_high(u16::MAX),
                |s| {
                    s.registry_exec(
                        "op1",
                        &RegistryMsg::QueueCommissionChange {
                            commission_bps: u16::MAX,
                        },
                        0,
                    )
                },
            ),
            case(
                "veto window too long",
                "svc2",
                veto_window_too_long(8 * DAY),
                |s| register_service(s, 100, 8 * DAY, None),
            ),
            case(
                "slash cap above 100 %",
                "svc2",
                RegistryError::InvalidFraction { bps: 10_001 },
                |s| register_service(s, 10_001, DAY, None),
            ),
            case(
                "invalid resolver address",
                "svc2",
                CommonError::InvalidAddress {
                    address: "not an address".into(),
                    reason: "Generic error: Error decoding bech32".into(),
                },
                |s| register_service(s, 100, DAY, Some(("not an address", "nor this"))),
            ),
            case(
                "opt in to an unknown service",
                "op1",
                Registry::ServiceNotFound { id: 99 },
                |s| s.registry_exec("op1", &RegistryMsg::OptIn { service: 99 }, 0),
            ),
            case(
                "opt in twice",
                "op1",
                Registry::AlreadyOptedIn { service: svc },
                move |s| s.registry_exec("op1", &RegistryMsg::OptIn { service: svc }, 0),
            ),
            case(
                "allocation decreased",
                "op1",
                RegistryError::AllocationDecrease {},
                move |s| {
                    s.registry_exec(
                        "op1",
                        &RegistryMsg::SetAllocation {
                            service: svc,
                            bps: 4_000,
                        },
                        0,
                    )
                },
            ),
        ],
    );
    // a second service cannot take more than the 50 % left: no stake is promised twice
    let svc2 = suite.register_service("svc2", 100, DAY);
    suite.approve_operator(svc2, "op1").unwrap();
    suite
        .registry_exec("op1", &RegistryMsg::OptIn { service: svc2 }, 0)
        .unwrap();
    run(
        &mut suite,
        vec![case(
            "stake promised twice",
            "op1",
            RegistryError::OverAllocated { total_bps: 10_001 },
            move |s| {
                s.registry_exec(
                    "op1",
                    &RegistryMsg::SetAllocation {
                        service: svc2,
                        bps: 5_001,
                    },
                    0,
                )
            },
        )],
    );
    suite
        .registry_exec(
            "op1",
            &RegistryMsg::SetAllocation {
                service: svc2,
                bps: 5_000,
            },
            0,
        )
        .unwrap();
    let svc3 = svc2 + 1;
    let mut cases = vec![];
    for (name, bps) in [("slash of zero", 0), ("slash above 100 %", u16::MAX)] {
        cases.push(case(
            name,
            "svc",
            RegistryError::InvalidFraction { bps },
            move |s| {
                s.request_slash("svc", svc, "op1", bps)
                    .map(|_| AppResponse::default())
            },
        ));
    }
    cases.extend([
        case(
            "execute an unknown slash request",
            "keeper",
            Registry::SlashRequestNotFound { id: 42 },
            |s| s.execute_slash(42),
        ),
        // rewards: wrong denom, none, nobody allocated
        // (a cw-utils `PaymentError`, wrapped by the registry as `ContractError::Payment`)
        case(
            "rewards with no funds",
            "svc",
            Registry::Payment(PaymentError::NoFunds {}),
            move |s| s.registry_exec("svc", &RegistryMsg::DepositRewards { service: svc }, 0),
        ),
    ]);
    run(&mut suite, cases);
    assert_eq!(suite.register_service("svc3", 100, DAY), svc3);
    suite.fund("svc3", 1_000);
    let nobody = suite.addr("nobody").to_string();
    run(
        &mut suite,
        vec![
            case(
                "rewards with nobody allocated",
                "svc3",
                RegistryError::NoAllocatedStake { service: svc3 },
                move |s| {
                    s.registry_exec(
                        "svc3",
                        &RegistryMsg::DepositRewards { service: svc3 },
                        1_000,
                    )
                },
            ),
            // delegations: zero, unknown operator, more than delegated, nothing to complete or
            // claim
            case("delegate zero", "alice", CommonError::ZeroAmount {}, |s| {
                s.registry_delegate("alice", "op1", 0)
            }),
            case(
                "delegate to an unknown operator",
                "alice",
                Registry::OperatorNotFound { address: nobody },
                |s| s.registry_delegate("alice", "nobody", 1_000),
            ),
        ],
    );
    suite.registry_delegate("alice", "op1", 1_000_000).unwrap();
    run(
        &mut suite,
        vec![
            case(
                "undelegate more than delegated",
                "alice",
                RegistryError::InsufficientDelegation {
                    requested: Uint128::MAX,
                    available: Uint128::new(1_000_000),
                },
                |s| undelegate(s, Uint128::MAX),
            ),
            case(
                "undelegate zero",
                "alice",
                CommonError::ZeroAmount {},
                |s| undelegate(s, Uint128::zero()),
            ),
            case(
                "nothing to complete",
                "alice",
                Registry::NothingToComplete {},
                |s| s.registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0),
            ),
            case(
                "nothing to claim",
                "alice",
                Registry::NothingToClaim {},
                |s| s.registry_exec("alice", &RegistryMsg::ClaimRewards {}, 0),
            ),
        ],
    );
}

#[test]
fn registry_pauses() {
    let (mut suite, svc) = funded();
    suite
        .registry_exec(
            "owner",
            &RegistryMsg::SetPause(RegistryPauseFlags {
                delegate: true,
                undelegate: true,
                rewards: true,
            }),
            0,
        )
        .unwrap();
    suite.fund("svc", 1_000);
    run(
        &mut suite,
        vec![
            case("delegate", "alice", paused("delegate"), |s| {
                s.registry_delegate("alice", "op1", 1_000)
            }),
            case("undelegate", "alice", paused("undelegate"), |s| {
                undelegate(s, Uint128::one())
            }),
            case(
                "complete undelegations",
                "alice",
                paused("undelegate"),
                |s| s.registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0),
            ),
            case("deposit rewards", "svc", paused("rewards"), move |s| {
                s.registry_exec("svc", &RegistryMsg::DepositRewards { service: svc }, 1_000)
            }),
            case("claim rewards", "alice", paused("rewards"), |s| {
                s.registry_exec("alice", &RegistryMsg::ClaimRewards {}, 0)
            }),
            case("claim commission", "op1", paused("rewards"), |s| {
                s.registry_exec("op1", &RegistryMsg::ClaimCommission {}, 0)
            }),
        ],
    );
    // slashing is never paused: a paused registry still protects services
    let id = suite.request_slash("svc", svc, "op1", 100).unwrap();
    suite.advance_time(2 * DAY);
    suite.execute_slash(id).unwrap();
}

#[test]
fn vault_owner_messages_are_owner_only() {
    let (mut suite, _) = funded();
    let op1 = suite.addr("op1").to_string();
    let strategy = suite.restaking().strategy.to_string();
    let mallory = suite.addr("mallory").to_string();
    let msgs = vec![
        (
            "set operator targets",
            VaultMsg::SetOperatorTargets {
                targets: vec![OperatorTarget {
                    operator: op1,
                    weight: 2,
                }],
            },
        ),
        (
            "set strategy",
            VaultMsg::SetStrategy {
                contract: strategy,
                target_bps: 1_000,
            },
        ),
        (
            "queue fee change",
            VaultMsg::QueueFeeChange { fee_bps: 500 },
        ),
        (
            "update config",
            VaultMsg::UpdateConfig {
                fee_addr: Some(mallory.clone()),
                withdrawal_delay: Some(0),
                max_operator_bps: Some(1),
                max_service_exposure_bps: Some(1),
                guardian: None,
                rails: None,
            },
        ),
        (
            "set deposit cap",
            VaultMsg::SetDepositCap {
                cap: Some(Uint128::one()),
            },
        ),
        (
            "set pause",
            VaultMsg::SetPause(VaultPauseFlags {
                deposit: true,
                withdraw: true,
                claim: true,
                crank: true,
            }),
        ),
        (
            "transfer ownership",
            VaultMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
                new_owner: mallory,
                expiry: None,
            }),
        ),
    ];
    let mut cases = vec![];
    for (name, msg) in &msgs {
        let msg = msg.clone();
        cases.push(case(name, "alice", unauthorized(NOT_OWNER), move |s| {
            s.vault_exec("alice", &msg, 0)
        }));
    }
    let alice = suite.addr("alice").to_string();
    for (name, cb) in [
        (
            "after harvest",
            CallbackMsg::AfterHarvest {
                bond_native: Uint128::one(),
                bond_lst: Uint128::one(),
            },
        ),
        (
            "after reward bond",
            CallbackMsg::AfterRewardBond {
                lst_before: Uint128::zero(),
            },
        ),
        (
            "after bond",
            CallbackMsg::AfterBond {
                user: alice,
                min_out: None,
                lst_before: Uint128::zero(),
            },
        ),
    ] {
        cases.push(case(name, "alice", Vault::CallbackOnly {}, move |s| {
            s.vault_exec("alice", &VaultMsg::Callback(cb.clone()), 0)
        }));
    }
    run(&mut suite, cases);
    for (name, msg) in &msgs {
        let (mut fresh, _) = funded();
        fresh
            .vault_exec("owner", msg, 0)
            .unwrap_or_else(|e| panic!("{name}: {e:#}"));
    }
}

#[test]
fn vault_pauses() {
    let (mut suite, _) = funded();
    suite.request_withdrawal("alice", 100_000_000).unwrap();
    suite.vault_crank().unwrap();
    suite.advance_days(8);
    suite.vault_crank().unwrap();
    suite
        .vault_exec(
            "owner",
            &VaultMsg::SetPause(VaultPauseFlags {
                deposit: true,
                withdraw: true,
                claim: true,
                crank: true,
            }),
            0,
        )
        .unwrap();
    run(
        &mut suite,
        vec![
            case("deposit native", "alice", paused("deposit"), |s| {
                s.vault_deposit("alice", 1_000_000)
            }),
            case("deposit LST", "alice", paused("deposit"), |s| {
                s.vault_deposit_lst("alice", 1_000_000, None)
            }),
            case("request withdrawal", "alice", paused("withdraw"), |s| {
                s.request_withdrawal("alice", 1_000)
            }),
            case("claim withdrawals", "alice", paused("claim"), |s| {
                s.claim_withdrawals("alice", false)
            }),
            case("crank", "alice", paused("crank"), |s| s.vault_crank()),
        ],
    );
    suite
        .vault_exec("owner", &VaultMsg::SetPause(VaultPauseFlags::default()), 0)
        .unwrap();
    suite.vault_deposit("alice", 1_000_000).unwrap();
    suite.claim_withdrawals("alice", false).unwrap();
}

/// alice sends `amount` LST to the vault with a raw hook message.
fn send_lst(s: &mut RestakingSuite, amount: u128, msg: Binary) -> AnyResult<AppResponse> {
    let (alice, lst, vault) = (s.addr("alice"), s.lst.clone(), s.restaking().vault);
    s.app.execute_contract(
        alice,
        lst,
        &cw20::Cw20ExecuteMsg::Send {
            contract: vault.to_string(),
            amount: Uint128::new(amount),
            msg,
        },
        &[],
    )
}

/// alice deposits native `funds` into the vault.
fn deposit_funds(s: &mut RestakingSuite, funds: &[cosmwasm_std::Coin]) -> AnyResult<AppResponse> {
    let (alice, vault) = (s.addr("alice"), s.restaking().vault);
    s.app
        .execute_contract(alice, vault, &VaultMsg::Deposit { min_out: None }, funds)
}

#[test]
fn vault_bad_input() {
    let (mut suite, _) = funded();
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: suite.addr("alice").to_string(),
                amount: vec![coin(1_000_000, "uother")],
            },
        ))
        .unwrap();
    let rs = suite.restaking();
    let (lst, nobody) = (suite.lst.to_string(), suite.addr("nobody").to_string());
    let slippage = |min_out: u128, minted: u128| VaultError::SlippageExceeded {
        min_out: Uint128::new(min_out),
        minted: Uint128::new(minted),
    };
    run(
        &mut suite,
        vec![
            // the three payment cases are cw-utils `PaymentError`s, wrapped by the vault as
            // `ContractError::Payment`
            case(
                "deposit nothing",
                "alice",
                Vault::Payment(PaymentError::NoFunds {}),
                |s| s.vault_exec("alice", &VaultMsg::Deposit { min_out: None }, 0),
            ),
            case(
                "deposit another denom",
                "alice",
                Vault::Payment(PaymentError::MissingDenom(DENOM.into())),
                |s| deposit_funds(s, &[coin(1_000_000, "uother")]),
            ),
            case(
                "deposit two denoms",
                "alice",
                Vault::Payment(PaymentError::MultipleDenoms {}),
                |s| deposit_funds(s, &[coin(1_000_000, DENOM), coin(1_000_000, "uother")]),
            ),
            case(
                "deposit zero LST",
                "alice",
                CommonError::ZeroAmount {},
                |s| s.vault_deposit_lst("alice", 0, None),
            ),
            case(
                "LST deposit below its minimum",
                "alice",
                slippage(1_000_001, 1_000_000),
                |s| s.vault_deposit_lst("alice", 1_000_000, Some(1_000_001)),
            ),
            case(
                "native deposit below its minimum",
                "alice",
                slippage(u128::MAX, 1_000_000),
                |s| {
                    s.vault_exec(
                        "alice",
                        &VaultMsg::Deposit {
                            min_out: Some(Uint128::MAX),
                        },
                        1_000_000,
                    )
                },
            ),
            case("withdraw zero", "alice", CommonError::ZeroAmount {}, |s| {
                s.request_withdrawal("alice", 0)
            }),
            // cw20-base (the LRT) refuses to send more than the balance: not our contracts' error,
            // so matched by its text
            case("withdraw more than held", "alice", "Overflow", |s| {
                s.request_withdrawal("alice", u128::MAX)
            }),
            case("nothing to claim", "alice", Vault::NothingToClaim {}, |s| {
                s.claim_withdrawals("alice", false)
            }),
            // LST sent as a withdrawal request: refused, naming the token it takes
            case(
                "LST sent as a withdrawal request",
                "alice",
                CommonError::WrongToken {
                    expected: format!("{} (the LRT, to request a withdrawal)", rs.lrt),
                    got: lst,
                },
                |s| {
                    let msg = cosmwasm_std::to_json_binary(
                        &tributary_types::vault::ReceiveMsg::RequestWithdrawal {},
                    )
                    .unwrap();
                    send_lst(s, 1_000, msg)
                },
            ),
            // a serde parse error of a malformed hook: not our contracts' error, so matched by its
            // text
            case("unknown hook", "alice", "Error parsing", |s| {
                send_lst(
                    s,
                    1_000,
                    Binary::from(b"{\"deposit_everything\":{}}".to_vec()),
                )
            }),
            // admin input
            case(
                "fee above the maximum",
                "owner",
                CommonError::FeeTooHigh {
                    fee_bps: 3_001,
                    max_bps: 3_000,
                },
                |s| s.vault_exec("owner", &VaultMsg::QueueFeeChange { fee_bps: 3_001 }, 0),
            ),
            case(
                "target an unknown operator",
                "owner",
                Vault::UnknownOperator { operator: nobody },
                |s| {
                    let nobody = s.addr("nobody").to_string();
                    s.vault_exec(
                        "owner",
                        &VaultMsg::SetOperatorTargets {
                            targets: vec![OperatorTarget {
                                operator: nobody,
                                weight: 1,
                            }],
                        },
                        0,
                    )
                },
            ),
            case(
                "more targets than registry positions",
                "owner",
                invalid_config(
                    "21 operator targets: the registry allows at most 20 positions per delegator",
                ),
                |s| {
                    let op1 = s.addr("op1").to_string();
                    s.vault_exec(
                        "owner",
                        &VaultMsg::SetOperatorTargets {
                            targets: vec![
                                OperatorTarget {
                                    operator: op1,
                                    weight: 1
                                };
                                21
                            ],
                        },
                        0,
                    )
                },
            ),
            case(
                "strategies above 100 %",
                "owner",
                Vault::StrategiesOverAllocated { total_bps: 10_001 },
                |s| {
                    let strategy = s.restaking().strategy.to_string();
                    s.vault_exec(
                        "owner",
                        &VaultMsg::SetStrategy {
                            contract: strategy,
                            target_bps: 10_001,
                        },
                        0,
                    )
                },
            ),
            case(
                "operator cap above 100 %",
                "owner",
                invalid_config("a cap of 10001 bps is above 100 %"),
                |s| {
                    s.vault_exec(
                        "owner",
                        &VaultMsg::UpdateConfig {
                            fee_addr: None,
                            withdrawal_delay: None,
                            max_operator_bps: Some(10_001),
                            max_service_exposure_bps: None,
                            guardian: None,
                            rails: None,
                        },
                        0,
                    )
                },
            ),
        ],
    );
    // deposit cap
    suite
        .vault_exec(
            "owner",
            &VaultMsg::SetDepositCap {
                cap: Some(Uint128::new(1_500_000_000)),
            },
            0,
        )
        .unwrap();
    run(
        &mut suite,
        vec![case(
            "deposit above the cap",
            "alice",
            VaultError::DepositCapExceeded {
                cap: Uint128::new(1_500_000_000),
                would_hold: Uint128::new(1_500_000_001),
            },
            |s| s.vault_deposit_lst("alice", 500_000_001, None),
        )],
    );
    suite.vault_deposit_lst("alice", 500_000_000, None).unwrap();
}
