//! Access control, pauses and bad input for every registry and vault message: each failure has
//! a clear error and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::restaking_suite;
use cosmwasm_std::{coin, Binary, Uint128};
use cw_multi_test::Executor;
use tributary_testing::{RestakingSuite, DAY, DENOM};
use tributary_types::registry::{ExecuteMsg as RegistryMsg, RegistryPauseFlags};
use tributary_types::vault::{
    CallbackMsg, ExecuteMsg as VaultMsg, OperatorTarget, VaultPauseFlags,
};

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
        RegistryMsg::SetPause(RegistryPauseFlags {
            delegate: true,
            undelegate: true,
            rewards: true,
        }),
        RegistryMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
            new_owner: mallory,
            expiry: None,
        }),
    ];
    for msg in msgs {
        suite.assert_restaking_fails_unchanged("alice", "unauthorized", |s| {
            s.registry_exec("alice", &msg, 0)
        });
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
    // only the service admin requests slashes
    suite.assert_restaking_fails_unchanged("alice", "only the service's admin", |s| {
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
    });
    // only the resolver vetoes
    let id = suite.request_slash("svc", svc, "op1", 100).unwrap();
    suite.assert_restaking_fails_unchanged("alice", "only the service's resolver", |s| {
        s.registry_exec("svc", &RegistryMsg::VetoSlash { request_id: id }, 0)
    });
    // only the service admin pays its rewards (nobody else can cut the period a payment covers)
    suite.fund("alice", 1_000);
    suite.assert_restaking_fails_unchanged("alice", "only the service's admin may pay", |s| {
        s.registry_exec(
            "alice",
            &RegistryMsg::DepositRewards { service: svc },
            1_000,
        )
    });
    // only the service admin approves and revokes operators
    for msg in [
        RegistryMsg::ApproveOperator {
            service: svc,
            operator: suite.addr("op1").to_string(),
        },
        RegistryMsg::RevokeOperator {
            service: svc,
            operator: suite.addr("op1").to_string(),
        },
    ] {
        suite.assert_restaking_fails_unchanged("op1", "only the service's admin", |s| {
            s.registry_exec("op1", &msg, 0)
        });
    }
    // only operators opt in, allocate, change commission, claim commission
    for msg in [
        RegistryMsg::OptIn { service: svc },
        RegistryMsg::OptOut { service: svc },
        RegistryMsg::SetAllocation {
            service: svc,
            bps: 10,
        },
        RegistryMsg::QueueCommissionChange { commission_bps: 10 },
        RegistryMsg::ClaimCommission {},
    ] {
        suite.assert_restaking_fails_unchanged("alice", "is not a registered operator", |s| {
            s.registry_exec("alice", &msg, 0)
        });
    }
    // nobody can delegate a token other than the LST
    suite.assert_restaking_fails_unchanged("alice", "is accepted here, not", |s| {
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
    });
}

#[test]
fn registry_bad_input() {
    let (mut suite, svc) = funded();
    suite.assert_restaking_fails_unchanged("op1", "already a registered operator", |s| {
        s.registry_exec(
            "op1",
            &RegistryMsg::RegisterOperator {
                name: "x".into(),
                commission_bps: 0,
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("op2", "above the maximum of 5000", |s| {
        s.registry_exec(
            "op2",
            &RegistryMsg::RegisterOperator {
                name: "x".into(),
                commission_bps: 5_001,
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("op1", "above the maximum of 5000", |s| {
        s.registry_exec(
            "op1",
            &RegistryMsg::QueueCommissionChange {
                commission_bps: u16::MAX,
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged(
        "svc2",
        "must end at least one epoch (86400s) before the withdrawal or opt-out delay",
        |s| {
            let r = s.addr("r").to_string();
            s.registry_exec(
                "svc2",
                &RegistryMsg::RegisterService {
                    name: "x".into(),
                    reward_rate_bps: 500,
                    max_slash_bps_per_epoch: 100,
                    veto_window: 8 * DAY,
                    resolver: r.clone(),
                    slash_destination: r,
                },
                0,
            )
        },
    );
    suite.assert_restaking_fails_unchanged("svc2", "between 1 and 10000 bps", |s| {
        let r = s.addr("r").to_string();
        s.registry_exec(
            "svc2",
            &RegistryMsg::RegisterService {
                name: "x".into(),
                reward_rate_bps: 500,
                max_slash_bps_per_epoch: 10_001,
                veto_window: DAY,
                resolver: r.clone(),
                slash_destination: r,
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("svc2", "invalid address", |s| {
        s.registry_exec(
            "svc2",
            &RegistryMsg::RegisterService {
                name: "x".into(),
                reward_rate_bps: 500,
                max_slash_bps_per_epoch: 100,
                veto_window: DAY,
                resolver: "not an address".into(),
                slash_destination: "nor this".into(),
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("op1", "service 99 does not exist", |s| {
        s.registry_exec("op1", &RegistryMsg::OptIn { service: 99 }, 0)
    });
    suite.assert_restaking_fails_unchanged("op1", "already opted in", |s| {
        s.registry_exec("op1", &RegistryMsg::OptIn { service: svc }, 0)
    });
    suite.assert_restaking_fails_unchanged("op1", "can only be increased", |s| {
        s.registry_exec(
            "op1",
            &RegistryMsg::SetAllocation {
                service: svc,
                bps: 4_000,
            },
            0,
        )
    });
    // a second service cannot take more than the 50 % left: no stake is promised twice
    let svc2 = suite.register_service("svc2", 100, DAY);
    suite.approve_operator(svc2, "op1").unwrap();
    suite
        .registry_exec("op1", &RegistryMsg::OptIn { service: svc2 }, 0)
        .unwrap();
    suite.assert_restaking_fails_unchanged("op1", "above 100 %", |s| {
        s.registry_exec(
            "op1",
            &RegistryMsg::SetAllocation {
                service: svc2,
                bps: 5_001,
            },
            0,
        )
    });
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
    suite.assert_restaking_fails_unchanged("svc", "between 1 and 10000 bps", |s| {
        s.request_slash("svc", svc, "op1", 0)
            .map(|_| cw_multi_test::AppResponse::default())
    });
    suite.assert_restaking_fails_unchanged("svc", "between 1 and 10000 bps", |s| {
        s.request_slash("svc", svc, "op1", u16::MAX)
            .map(|_| cw_multi_test::AppResponse::default())
    });
    suite.assert_restaking_fails_unchanged("keeper", "slash request 42 does not exist", |s| {
        s.execute_slash(42)
    });
    // rewards: wrong denom, none, nobody allocated
    suite.assert_restaking_fails_unchanged("svc", "No funds sent", |s| {
        s.registry_exec("svc", &RegistryMsg::DepositRewards { service: svc }, 0)
    });
    let svc3 = suite.register_service("svc3", 100, DAY);
    suite.fund("svc3", 1_000);
    suite.assert_restaking_fails_unchanged(
        "svc3",
        "no stake has been allocated to service 3",
        |s| {
            s.registry_exec(
                "svc3",
                &RegistryMsg::DepositRewards { service: svc3 },
                1_000,
            )
        },
    );
    // delegations: zero, unknown operator, more than delegated, nothing to complete or claim
    suite.assert_restaking_fails_unchanged("alice", "zero amount", |s| {
        s.registry_delegate("alice", "op1", 0)
    });
    suite.assert_restaking_fails_unchanged("alice", "is not a registered operator", |s| {
        s.registry_delegate("alice", "nobody", 1_000)
    });
    suite.registry_delegate("alice", "op1", 1_000_000).unwrap();
    suite.assert_restaking_fails_unchanged("alice", "only 1000000 is delegated", |s| {
        let op1 = s.addr("op1").to_string();
        s.registry_exec(
            "alice",
            &RegistryMsg::Undelegate {
                operator: op1,
                amount: Uint128::MAX,
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("alice", "zero amount", |s| {
        let op1 = s.addr("op1").to_string();
        s.registry_exec(
            "alice",
            &RegistryMsg::Undelegate {
                operator: op1,
                amount: Uint128::zero(),
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("alice", "nothing to complete", |s| {
        s.registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
    });
    suite.assert_restaking_fails_unchanged("alice", "nothing to claim", |s| {
        s.registry_exec("alice", &RegistryMsg::ClaimRewards {}, 0)
    });
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
    suite.assert_restaking_fails_unchanged("alice", "delegate is paused", |s| {
        s.registry_delegate("alice", "op1", 1_000)
    });
    suite.assert_restaking_fails_unchanged("alice", "undelegate is paused", |s| {
        let op1 = s.addr("op1").to_string();
        s.registry_exec(
            "alice",
            &RegistryMsg::Undelegate {
                operator: op1,
                amount: Uint128::one(),
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("alice", "undelegate is paused", |s| {
        s.registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
    });
    suite.fund("svc", 1_000);
    suite.assert_restaking_fails_unchanged("svc", "rewards is paused", |s| {
        s.registry_exec("svc", &RegistryMsg::DepositRewards { service: svc }, 1_000)
    });
    suite.assert_restaking_fails_unchanged("alice", "rewards is paused", |s| {
        s.registry_exec("alice", &RegistryMsg::ClaimRewards {}, 0)
    });
    suite.assert_restaking_fails_unchanged("op1", "rewards is paused", |s| {
        s.registry_exec("op1", &RegistryMsg::ClaimCommission {}, 0)
    });
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
        VaultMsg::SetOperatorTargets {
            targets: vec![OperatorTarget {
                operator: op1,
                weight: 2,
            }],
        },
        VaultMsg::SetStrategy {
            contract: strategy,
            target_bps: 1_000,
        },
        VaultMsg::QueueFeeChange { fee_bps: 500 },
        VaultMsg::UpdateConfig {
            fee_addr: Some(mallory.clone()),
            withdrawal_delay: Some(0),
            max_operator_bps: Some(1),
            max_service_exposure_bps: Some(1),
        },
        VaultMsg::SetDepositCap {
            cap: Some(Uint128::one()),
        },
        VaultMsg::SetPause(VaultPauseFlags {
            deposit: true,
            withdraw: true,
            claim: true,
            crank: true,
        }),
        VaultMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
            new_owner: mallory,
            expiry: None,
        }),
    ];
    for msg in &msgs {
        suite.assert_restaking_fails_unchanged("alice", "unauthorized", |s| {
            s.vault_exec("alice", msg, 0)
        });
    }
    for msg in &msgs {
        let (mut fresh, _) = funded();
        fresh
            .vault_exec("owner", msg, 0)
            .unwrap_or_else(|e| panic!("{msg:?}: {e:#}"));
    }
    for cb in [
        CallbackMsg::AfterHarvest {},
        CallbackMsg::AfterRewardBond {
            lst_before: Uint128::zero(),
        },
        CallbackMsg::AfterBond {
            user: suite.addr("alice").to_string(),
            min_out: None,
            lst_before: Uint128::zero(),
        },
    ] {
        suite.assert_restaking_fails_unchanged("alice", "only the vault itself", |s| {
            s.vault_exec("alice", &VaultMsg::Callback(cb), 0)
        });
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
    suite.assert_restaking_fails_unchanged("alice", "deposit is paused", |s| {
        s.vault_deposit("alice", 1_000_000)
    });
    suite.assert_restaking_fails_unchanged("alice", "deposit is paused", |s| {
        s.vault_deposit_lst("alice", 1_000_000, None)
    });
    suite.assert_restaking_fails_unchanged("alice", "withdraw is paused", |s| {
        s.request_withdrawal("alice", 1_000)
    });
    suite.assert_restaking_fails_unchanged("alice", "claim is paused", |s| {
        s.claim_withdrawals("alice", false)
    });
    suite.assert_restaking_fails_unchanged("alice", "crank is paused", |s| s.vault_crank());
    suite
        .vault_exec("owner", &VaultMsg::SetPause(VaultPauseFlags::default()), 0)
        .unwrap();
    suite.vault_deposit("alice", 1_000_000).unwrap();
    suite.claim_withdrawals("alice", false).unwrap();
}

#[test]
fn vault_bad_input() {
    let (mut suite, _) = funded();
    suite.assert_restaking_fails_unchanged("alice", "No funds sent", |s| {
        s.vault_exec("alice", &VaultMsg::Deposit { min_out: None }, 0)
    });
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: suite.addr("alice").to_string(),
                amount: vec![coin(1_000_000, "uother")],
            },
        ))
        .unwrap();
    suite.assert_restaking_fails_unchanged("alice", "Must send reserve token 'ustake'", |s| {
        let (alice, vault) = (s.addr("alice"), s.restaking().vault);
        s.app.execute_contract(
            alice,
            vault,
            &VaultMsg::Deposit { min_out: None },
            &[coin(1_000_000, "uother")],
        )
    });
    suite.assert_restaking_fails_unchanged("alice", "Sent more than one denomination", |s| {
        let (alice, vault) = (s.addr("alice"), s.restaking().vault);
        s.app.execute_contract(
            alice,
            vault,
            &VaultMsg::Deposit { min_out: None },
            &[coin(1_000_000, DENOM), coin(1_000_000, "uother")],
        )
    });
    suite.assert_restaking_fails_unchanged("alice", "zero amount", |s| {
        s.vault_deposit_lst("alice", 0, None)
    });
    suite.assert_restaking_fails_unchanged("alice", "below the minimum of 1000001", |s| {
        s.vault_deposit_lst("alice", 1_000_000, Some(1_000_001))
    });
    suite.assert_restaking_fails_unchanged("alice", "slippage", |s| {
        s.vault_exec(
            "alice",
            &VaultMsg::Deposit {
                min_out: Some(Uint128::MAX),
            },
            1_000_000,
        )
    });
    suite.assert_restaking_fails_unchanged("alice", "zero amount", |s| {
        s.request_withdrawal("alice", 0)
    });
    suite.assert_restaking_fails_unchanged("alice", "Overflow", |s| {
        s.request_withdrawal("alice", u128::MAX)
    });
    suite.assert_restaking_fails_unchanged("alice", "nothing to claim", |s| {
        s.claim_withdrawals("alice", false)
    });
    // LST sent as a withdrawal request: refused, naming the token it takes
    suite.assert_restaking_fails_unchanged("alice", "is accepted here, not", |s| {
        let (alice, lst, vault) = (s.addr("alice"), s.lst.clone(), s.restaking().vault);
        s.app.execute_contract(
            alice,
            lst,
            &cw20::Cw20ExecuteMsg::Send {
                contract: vault.to_string(),
                amount: Uint128::new(1_000),
                msg: cosmwasm_std::to_json_binary(
                    &tributary_types::vault::ReceiveMsg::RequestWithdrawal {},
                )
                .unwrap(),
            },
            &[],
        )
    });
    suite.assert_restaking_fails_unchanged("alice", "Error parsing", |s| {
        let (alice, lst, vault) = (s.addr("alice"), s.lst.clone(), s.restaking().vault);
        s.app.execute_contract(
            alice,
            lst,
            &cw20::Cw20ExecuteMsg::Send {
                contract: vault.to_string(),
                amount: Uint128::new(1_000),
                msg: Binary::from(b"{\"deposit_everything\":{}}".to_vec()),
            },
            &[],
        )
    });
    // admin input
    suite.assert_restaking_fails_unchanged("owner", "above the maximum of 3000 bps", |s| {
        s.vault_exec("owner", &VaultMsg::QueueFeeChange { fee_bps: 3_001 }, 0)
    });
    suite.assert_restaking_fails_unchanged("owner", "is not an operator in the registry", |s| {
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
    });
    suite.assert_restaking_fails_unchanged("owner", "at most 20 positions per delegator", |s| {
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
    });
    suite.assert_restaking_fails_unchanged("owner", "above 100 %", |s| {
        let strategy = s.restaking().strategy.to_string();
        s.vault_exec(
            "owner",
            &VaultMsg::SetStrategy {
                contract: strategy,
                target_bps: 10_001,
            },
            0,
        )
    });
    suite.assert_restaking_fails_unchanged("owner", "above 100 %", |s| {
        s.vault_exec(
            "owner",
            &VaultMsg::UpdateConfig {
                fee_addr: None,
                withdrawal_delay: None,
                max_operator_bps: Some(10_001),
                max_service_exposure_bps: None,
            },
            0,
        )
    });
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
    suite.assert_restaking_fails_unchanged("alice", "deposit cap reached", |s| {
        s.vault_deposit_lst("alice", 500_000_001, None)
    });
    suite.vault_deposit_lst("alice", 500_000_000, None).unwrap();
}
