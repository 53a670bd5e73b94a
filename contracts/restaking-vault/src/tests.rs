//! Unit tests of the entry points with mocked dependencies: instantiation, the guards of every
//! kind of message, and the config query. The flows across contracts are tested in
//! `packages/tributary-testing`; the accounting and the crank's planning in
//! `tributary_core::vault`.

use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Binary, Checksum, CodeInfoResponse, ContractResult, CosmosMsg,
    Env, OwnedDeps, Reply, SubMsgResult, SystemResult, Uint128, WasmMsg, WasmQuery,
};
use cw20::Cw20ReceiveMsg;
use tributary_common::CommonError;
use tributary_core::DelayedChange;
use tributary_types::hub::QueryMsg as HubQuery;
use tributary_types::registry::QueryMsg as RegistryQuery;
use tributary_types::token::TokenInfo;
use tributary_types::vault::{
    CallbackMsg, ExecuteMsg, InstantiateMsg, OperatorTarget, QueryMsg, ReceiveMsg,
    VaultConfigResponse, VaultPauseFlags,
};

use crate::contract::{execute, instantiate, query, reply};
use crate::state::CONFIG;
use crate::ContractError;

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

const DAY: u64 = 86_400;

struct Addrs {
    owner: Addr,
    hub: Addr,
    registry: Addr,
    lst: Addr,
    treasury: Addr,
    mallory: Addr,
}

fn addrs(api: &MockApi) -> Addrs {
    Addrs {
        owner: api.addr_make("owner"),
        hub: api.addr_make("hub"),
        registry: api.addr_make("registry"),
        lst: api.addr_make("lst"),
        treasury: api.addr_make("treasury"),
        mallory: api.addr_make("mallory"),
    }
}

/// Dependencies whose hub and registry answer their config queries (the registry restaking
/// `registry_lst`), whose registry knows no operators, and whose code 7 is the cw20.
fn deps_with(registry_lst: Option<&str>) -> Deps {
    let mut deps = mock_dependencies();
    let a = addrs(&deps.api);
    let (hub, registry) = (a.hub.to_string(), a.registry.to_string());
    let lst = a.lst.to_string();
    let registry_lst = registry_lst.map_or(lst.clone(), str::to_string);
    let hub_config = format!(
        r#"{{"denom":"ustake","lst_token":"{lst}","epoch_period":86400,"unbonding_period":1814400,
        "batch_interval":259200,"fee_bps":1000,"pending_fee":null,"fee_addr":"{lst}",
        "fee_change_delay":604800,"min_bond":"1000","deposit_cap":null,
        "max_rebalance_per_epoch":"0","paused":{{"bond":false,"unbond":false,"claim":false,
        "crank":false}},"instant_unstake_pool":null}}"#
    );
    let registry_config = format!(
        r#"{{"lst_token":"{registry_lst}","reward_denom":"ustake","epoch_period":86400,
        "withdrawal_delay":604800,"opt_out_delay":604800,"max_commission_bps":5000,
        "commission_change_delay":259200,"reward_period":604800,
        "paused":{{"delegate":false,"undelegate":false,"rewards":false}}}}"#
    );
    deps.querier.update_wasm(move |query| {
        let answer = match query {
            WasmQuery::Smart { contract_addr, msg } if *contract_addr == hub => {
                match from_json(msg) {
                    Ok(HubQuery::Config {}) => {
                        ContractResult::Ok(Binary::from(hub_config.as_bytes()))
                    }
                    _ => ContractResult::Err("the mock hub answers only its config".to_string()),
                }
            }
            WasmQuery::Smart { contract_addr, msg } if *contract_addr == registry => {
                match from_json(msg) {
                    Ok(RegistryQuery::Config {}) => {
                        ContractResult::Ok(Binary::from(registry_config.as_bytes()))
                    }
                    _ => ContractResult::Err("the mock registry knows no operator".to_string()),
                }
            }
            WasmQuery::CodeInfo { code_id } => ContractResult::Ok(
                to_json_binary(&CodeInfoResponse::new(
                    *code_id,
                    Addr::unchecked("uploader"),
                    Checksum::generate(b"cw20-base"),
                ))
                .unwrap(),
            ),
            _ => ContractResult::Err("unsupported query".to_string()),
        };
        SystemResult::Ok(answer)
    });
    deps
}

fn init_msg(a: &Addrs) -> InstantiateMsg {
    InstantiateMsg {
        owner: a.owner.to_string(),
        hub: a.hub.to_string(),
        registry: a.registry.to_string(),
        lrt: TokenInfo {
            code_id: 7,
            name: "Tributary Restaked Token".to_string(),
            symbol: "rSTAKE".to_string(),
            decimals: 6,
        },
        fee_bps: 1_000,
        fee_addr: a.treasury.to_string(),
        fee_change_delay: 7 * DAY,
        withdrawal_delay: 8 * DAY,
        deposit_cap: None,
        max_operator_bps: 10_000,
        max_service_exposure_bps: 10_000,
        guardian: None,
        rails: None,
    }
}

/// An instantiated vault.
fn vault() -> (Deps, Env, Addrs) {
    let mut deps = deps_with(None);
    let env = mock_env();
    let a = addrs(&deps.api);
    let info = message_info(&a.owner, &[]);
    instantiate(deps.as_mut(), env.clone(), info, init_msg(&a)).unwrap();
    (deps, env, a)
}

fn config(deps: &Deps, env: &Env) -> VaultConfigResponse {
    from_json(query(deps.as_ref(), env.clone(), QueryMsg::Config {}).unwrap()).unwrap()
}

#[test]
fn instantiate_creates_the_lrt_at_a_known_address() {
    let mut deps = deps_with(None);
    let env = mock_env();
    let a = addrs(&deps.api);
    let res = instantiate(
        deps.as_mut(),
        env.clone(),
        message_info(&a.owner, &[]),
        init_msg(&a),
    )
    .unwrap();
    let lrt_addr = CONFIG.load(&deps.storage).unwrap().lrt_token;
    assert_eq!(res.messages.len(), 1);
    match &res.messages[0].msg {
        CosmosMsg::Wasm(WasmMsg::Instantiate2 {
            admin,
            code_id,
            salt,
            ..
        }) => {
            assert_eq!(admin.as_deref(), Some(env.contract.address.as_str()));
            assert_eq!(*code_id, 7);
            assert_eq!(salt.as_slice(), b"lrt");
        }
        other => panic!("expected the LRT's instantiate2, got {other:?}"),
    }
    let config = config(&deps, &env);
    assert_eq!(config.lrt_token, lrt_addr.to_string());
    assert_eq!(config.lst_token, a.lst.to_string());
    assert_eq!(config.fee_bps, 1_000);
    assert_eq!(config.pending_fee, None);
    assert!(config.operator_targets.is_empty());
}

#[test]
fn instantiate_validates_its_parameters() {
    /// (case, change to a valid message, the token the registry restakes, the error)
    type Case = (
        &'static str,
        fn(&mut InstantiateMsg),
        Option<&'static str>,
        ContractError,
    );
    let cases: Vec<Case> = vec![
        (
            "fee above the maximum",
            |m| m.fee_bps = 3_001,
            None,
            CommonError::FeeTooHigh {
                fee_bps: 3_001,
                max_bps: 3_000,
            }
            .into(),
        ),
        (
            "operator cap above 100 %",
            |m| m.max_operator_bps = 10_001,
            None,
            CommonError::invalid_config("caps are shares of value and may not exceed 10000 bps")
                .into(),
        ),
        (
            "service cap above 100 %",
            |m| m.max_service_exposure_bps = 10_001,
            None,
            CommonError::invalid_config("caps are shares of value and may not exceed 10000 bps")
                .into(),
        ),
        (
            "registry restaking another token",
            |_| {},
            Some("cosmwasm1othertoken"),
            CommonError::invalid_config(
                "the registry restakes a different token from the hub's LST",
            )
            .into(),
        ),
    ];
    for (name, change, registry_lst, expected) in cases {
        let mut deps = deps_with(registry_lst);
        let a = addrs(&deps.api);
        let mut msg = init_msg(&a);
        change(&mut msg);
        let err =
            instantiate(deps.as_mut(), mock_env(), message_info(&a.owner, &[]), msg).unwrap_err();
        assert_eq!(err, expected, "{name}");
    }
    // an owner that is not an address
    let mut deps = deps_with(None);
    let a = addrs(&deps.api);
    let mut msg = init_msg(&a);
    msg.owner = "not an address".to_string();
    let err = instantiate(deps.as_mut(), mock_env(), message_info(&a.owner, &[]), msg).unwrap_err();
    assert!(matches!(
        err,
        ContractError::Common(CommonError::InvalidAddress { ref address, .. }) if address == "not an address"
    ));
}

#[test]
fn owner_messages_are_owner_only() {
    let (mut deps, env, a) = vault();
    let msgs = vec![
        ExecuteMsg::SetOperatorTargets { targets: vec![] },
        ExecuteMsg::SetStrategy {
            contract: a.mallory.to_string(),
            target_bps: 1_000,
        },
        ExecuteMsg::QueueFeeChange { fee_bps: 500 },
        ExecuteMsg::UpdateConfig {
            fee_addr: Some(a.mallory.to_string()),
            withdrawal_delay: None,
            max_operator_bps: None,
            max_service_exposure_bps: None,
            guardian: None,
            rails: None,
        },
        ExecuteMsg::SetDepositCap { cap: None },
        ExecuteMsg::SetPause(VaultPauseFlags::default()),
    ];
    for msg in msgs {
        let err = execute(
            deps.as_mut(),
            env.clone(),
            message_info(&a.mallory, &[]),
            msg.clone(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ContractError::Common(CommonError::Unauthorized {
                reason: "only the owner may do this".to_string()
            }),
            "{msg:?}"
        );
    }
}

#[test]
fn callbacks_come_only_from_the_vault() {
    let (mut deps, env, a) = vault();
    for callback in [
        CallbackMsg::AfterHarvest {
            bond_native: Uint128::one(),
            bond_lst: Uint128::one(),
        },
        CallbackMsg::AfterRewardBond {
            lst_before: Uint128::zero(),
        },
        CallbackMsg::AfterBond {
            user: a.mallory.to_string(),
            min_out: None,
            lst_before: Uint128::zero(),
        },
    ] {
        let err = execute(
            deps.as_mut(),
            env.clone(),
            message_info(&a.mallory, &[]),
            ExecuteMsg::Callback(callback),
        )
        .unwrap_err();
        assert_eq!(err, ContractError::CallbackOnly {});
    }
}

fn receive(sender: &Addr, amount: u128, hook: &ReceiveMsg) -> ExecuteMsg {
    ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: sender.to_string(),
        amount: Uint128::new(amount),
        msg: to_json_binary(hook).unwrap(),
    })
}

#[test]
fn tokens_are_accepted_only_for_their_purpose() {
    let (mut deps, env, a) = vault();
    let lrt_addr = CONFIG.load(&deps.storage).unwrap().lrt_token;
    let deposit = ReceiveMsg::Deposit { min_out: None };
    let withdraw = ReceiveMsg::RequestWithdrawal {};
    // (token sending, hook, the token expected)
    for (token, hook, expected) in [
        (
            &a.mallory,
            &deposit,
            format!("{} (the LST, to deposit)", a.lst),
        ),
        (
            &lrt_addr,
            &deposit,
            format!("{} (the LST, to deposit)", a.lst),
        ),
        (
            &a.lst,
            &withdraw,
            format!("{lrt_addr} (the LRT, to request a withdrawal)"),
        ),
    ] {
        let err = execute(
            deps.as_mut(),
            env.clone(),
            message_info(token, &[]),
            receive(&a.mallory, 1_000, hook),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ContractError::Common(CommonError::WrongToken {
                expected,
                got: token.to_string()
            })
        );
    }
}

#[test]
fn zero_amounts_and_pauses_are_refused() {
    let (mut deps, env, a) = vault();
    let lrt_addr = CONFIG.load(&deps.storage).unwrap().lrt_token;
    let zero = |deps: &mut Deps, token: &Addr, hook: ReceiveMsg| {
        execute(
            deps.as_mut(),
            env.clone(),
            message_info(token, &[]),
            receive(&a.mallory, 0, &hook),
        )
        .unwrap_err()
    };
    assert_eq!(
        zero(&mut deps, &a.lst, ReceiveMsg::Deposit { min_out: None }),
        ContractError::Common(CommonError::ZeroAmount {})
    );
    assert_eq!(
        zero(&mut deps, &lrt_addr, ReceiveMsg::RequestWithdrawal {}),
        ContractError::Common(CommonError::ZeroAmount {})
    );
    execute(
        deps.as_mut(),
        env.clone(),
        message_info(&a.owner, &[]),
        ExecuteMsg::SetPause(VaultPauseFlags {
            deposit: true,
            withdraw: true,
            claim: true,
            crank: true,
        }),
    )
    .unwrap();
    let paused = |operation: &str| {
        ContractError::Common(CommonError::Paused {
            operation: operation.to_string(),
        })
    };
    for (sender, msg, operation) in [
        (
            &a.lst,
            receive(&a.mallory, 1_000, &ReceiveMsg::Deposit { min_out: None }),
            "deposit",
        ),
        (
            &lrt_addr,
            receive(&a.mallory, 1_000, &ReceiveMsg::RequestWithdrawal {}),
            "withdraw",
        ),
        (
            &a.mallory,
            ExecuteMsg::ClaimWithdrawals { unbond: false },
            "claim",
        ),
        (&a.mallory, ExecuteMsg::Crank {}, "crank"),
    ] {
        let err = execute(deps.as_mut(), env.clone(), message_info(sender, &[]), msg).unwrap_err();
        assert_eq!(err, paused(operation));
    }
}

#[test]
fn owner_input_is_validated() {
    let (mut deps, env, a) = vault();
    let owner = message_info(&a.owner, &[]);
    let run = |deps: &mut Deps, msg: ExecuteMsg| {
        execute(deps.as_mut(), env.clone(), owner.clone(), msg).unwrap_err()
    };
    assert_eq!(
        run(&mut deps, ExecuteMsg::QueueFeeChange { fee_bps: 3_001 }),
        ContractError::Common(CommonError::FeeTooHigh {
            fee_bps: 3_001,
            max_bps: 3_000
        })
    );
    let target = OperatorTarget {
        operator: a.mallory.to_string(),
        weight: 1,
    };
    assert_eq!(
        run(
            &mut deps,
            ExecuteMsg::SetOperatorTargets {
                targets: vec![target.clone(); 21]
            }
        ),
        ContractError::Common(CommonError::invalid_config(
            "21 operator targets: the registry allows at most 20 positions per delegator"
        ))
    );
    assert_eq!(
        run(
            &mut deps,
            ExecuteMsg::SetOperatorTargets {
                targets: vec![target]
            }
        ),
        ContractError::UnknownOperator {
            operator: a.mallory.to_string()
        }
    );
    assert_eq!(
        run(
            &mut deps,
            ExecuteMsg::SetStrategy {
                contract: a.mallory.to_string(),
                target_bps: 10_001
            }
        ),
        ContractError::StrategiesOverAllocated { total_bps: 10_001 }
    );
    assert_eq!(
        run(
            &mut deps,
            ExecuteMsg::UpdateConfig {
                fee_addr: None,
                withdrawal_delay: None,
                max_operator_bps: None,
                max_service_exposure_bps: Some(10_001),
                guardian: None,
                rails: None,
            }
        ),
        ContractError::Common(CommonError::invalid_config(
            "a cap of 10001 bps is above 100 %"
        ))
    );
}

#[test]
fn nothing_to_claim_is_refused() {
    let (mut deps, env, a) = vault();
    let err = execute(
        deps.as_mut(),
        env,
        message_info(&a.mallory, &[]),
        ExecuteMsg::ClaimWithdrawals { unbond: true },
    )
    .unwrap_err();
    assert_eq!(err, ContractError::NothingToClaim {});
}

#[test]
fn a_fee_change_shows_while_it_waits_and_applies_after_its_delay() {
    let (mut deps, mut env, a) = vault();
    execute(
        deps.as_mut(),
        env.clone(),
        message_info(&a.owner, &[]),
        ExecuteMsg::QueueFeeChange { fee_bps: 2_000 },
    )
    .unwrap();
    let effective_at = env.block.time.plus_seconds(7 * DAY);
    let waiting = config(&deps, &env);
    assert_eq!(waiting.fee_bps, 1_000);
    assert_eq!(
        waiting.pending_fee,
        Some(DelayedChange {
            value: 2_000,
            effective_at
        })
    );
    env.block.time = effective_at;
    let applied = config(&deps, &env);
    assert_eq!(applied.fee_bps, 2_000);
    assert_eq!(applied.pending_fee, None);
}

#[test]
fn replies_to_unknown_submessages_are_refused() {
    let (mut deps, env, _) = vault();
    #[allow(deprecated)]
    let unknown = Reply {
        id: 1,
        payload: Binary::default(),
        gas_used: 0,
        result: SubMsgResult::Err("nope".to_string()),
    };
    assert_eq!(
        reply(deps.as_mut(), env, unknown).unwrap_err(),
        ContractError::UnknownReply { id: 1 }
    );
}
