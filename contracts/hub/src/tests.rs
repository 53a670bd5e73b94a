//! Unit tests of the contract layer with mocked dependencies: instantiation, guards of the
//! execute messages (each asserting the typed error) and queries. The accounting itself is
//! tested in `tributary_core::hub`; the full flows in `tributary-testing`.

use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    coins, from_json, to_json_binary, Addr, Checksum, CodeInfoResponse, ContractResult, CosmosMsg,
    Decimal, Env, OwnedDeps, SystemResult, Uint128, Validator, WasmMsg, WasmQuery,
};
use cw20::Cw20ReceiveMsg;
use tributary_common::CommonError;
use tributary_types::hub::{
    ConfigResponse, DelayedChange, ExecuteMsg, InstantiateMsg, LstTokenInfo, PauseFlags, QueryMsg,
    ReceiveMsg, StateResponse, ValidatorWeight, MAX_FEE_BPS,
};

use crate::contract::{execute, instantiate, query};
use crate::ContractError;

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

const DENOM: &str = "ustake";
const VALOPER: &str = "valoper1";

fn deps() -> Deps {
    let mut deps = mock_dependencies();
    deps.querier.staking.update(
        DENOM,
        &[Validator::create(
            VALOPER.to_string(),
            Decimal::percent(5),
            Decimal::one(),
            Decimal::percent(1),
        )],
        &[],
    );
    deps.querier.update_wasm(|query| match query {
        WasmQuery::CodeInfo { code_id } => SystemResult::Ok(ContractResult::Ok(
            to_json_binary(&CodeInfoResponse::new(
                *code_id,
                Addr::unchecked("uploader"),
                Checksum::generate(b"cw20-base"),
            ))
            .unwrap(),
        )),
        WasmQuery::Smart { .. } => SystemResult::Ok(ContractResult::Ok(
            to_json_binary(&cw20::TokenInfoResponse {
                name: "Tributary Staked Token".into(),
                symbol: "tSTAKE".into(),
                decimals: 6,
                total_supply: Uint128::zero(),
            })
            .unwrap(),
        )),
        _ => SystemResult::Ok(ContractResult::Err("unexpected query".into())),
    });
    deps
}

fn instantiate_msg(deps: &Deps) -> InstantiateMsg {
    InstantiateMsg {
        owner: deps.api.addr_make("owner").to_string(),
        denom: DENOM.to_string(),
        lst: LstTokenInfo {
            code_id: 7,
            name: "Tributary Staked Token".into(),
            symbol: "tSTAKE".into(),
            decimals: 6,
        },
        validators: vec![ValidatorWeight {
            address: VALOPER.to_string(),
            weight: 1,
        }],
        epoch_period: 86_400,
        unbonding_period: 21 * 86_400,
        batch_interval: 3 * 86_400,
        fee_bps: 1_000,
        fee_addr: deps.api.addr_make("treasury").to_string(),
        fee_change_delay: 7 * 86_400,
        min_bond: Uint128::new(1_000),
        deposit_cap: None,
        max_rebalance_per_epoch: Uint128::new(1_000_000),
        guardian: None,
        rails: None,
    }
}

/// An instantiated hub and its LST token's address.
fn hub() -> (Deps, Addr) {
    let mut deps = deps();
    let msg = instantiate_msg(&deps);
    let creator = deps.api.addr_make("creator");
    instantiate(deps.as_mut(), mock_env(), message_info(&creator, &[]), msg).unwrap();
    let config = config(&deps, mock_env());
    (deps, config.lst_token)
}

fn config(deps: &Deps, env: Env) -> ConfigResponse {
    from_json(query(deps.as_ref(), env, QueryMsg::Config {}).unwrap()).unwrap()
}

fn run(
    deps: &mut Deps,
    sender: &str,
    msg: ExecuteMsg,
    funds: &[cosmwasm_std::Coin],
) -> ContractError {
    let sender = deps.api.addr_make(sender);
    execute(deps.as_mut(), mock_env(), message_info(&sender, funds), msg).unwrap_err()
}

#[test]
fn instantiation_validates_every_parameter() {
    type Edit = fn(&mut InstantiateMsg);
    let cases: Vec<(Edit, ContractError)> = vec![
        (
            |m| m.denom = String::new(),
            ContractError::invalid_config("denom must not be empty"),
        ),
        (
            |m| m.epoch_period = 0,
            ContractError::invalid_config("epoch, unbonding and batch periods must be positive"),
        ),
        (
            |m| m.batch_interval = 86_400,
            ContractError::invalid_config(
                "batch_interval too short: more than 7 batches would unbond at once",
            ),
        ),
        (
            |m| m.fee_bps = MAX_FEE_BPS + 1,
            CommonError::FeeTooHigh {
                fee_bps: MAX_FEE_BPS + 1,
                max_bps: MAX_FEE_BPS,
            }
            .into(),
        ),
        (
            |m| m.min_bond = Uint128::zero(),
            ContractError::invalid_config("min_bond must be at least 1"),
        ),
        (
            |m| m.validators.clear(),
            ContractError::invalid_config("at least one validator is required"),
        ),
        (|m| m.validators[0].weight = 0, ContractError::ZeroWeight {}),
        (
            |m| m.validators.push(m.validators[0].clone()),
            ContractError::ValidatorExists {
                address: VALOPER.into(),
            },
        ),
        (
            |m| m.validators[0].address = "valoper-unknown".into(),
            ContractError::NotAValidator {
                address: "valoper-unknown".into(),
            },
        ),
    ];
    for (edit, expected) in cases {
        let mut deps = deps();
        let mut msg = instantiate_msg(&deps);
        edit(&mut msg);
        let creator = deps.api.addr_make("creator");
        let err =
            instantiate(deps.as_mut(), mock_env(), message_info(&creator, &[]), msg).unwrap_err();
        assert_eq!(err, expected);
    }
}

#[test]
fn instantiation_creates_the_token_at_its_predicted_address() {
    let mut deps = deps();
    let msg = instantiate_msg(&deps);
    let creator = deps.api.addr_make("creator");
    let res = instantiate(deps.as_mut(), mock_env(), message_info(&creator, &[]), msg).unwrap();
    assert_eq!(res.messages.len(), 1);
    let CosmosMsg::Wasm(WasmMsg::Instantiate2 {
        admin,
        code_id,
        salt,
        ..
    }) = &res.messages[0].msg
    else {
        panic!("not an instantiate2: {:?}", res.messages[0].msg);
    };
    assert_eq!(admin.as_deref(), Some(mock_env().contract.address.as_str()));
    assert_eq!(*code_id, 7);
    assert_eq!(salt.as_slice(), crate::execute::instantiate::LST_SALT);
    let config = config(&deps, mock_env());
    assert!(res
        .attributes
        .iter()
        .any(|a| a.key == "lst_token" && a.value == config.lst_token.as_str()));
    assert_eq!(config.fee_bps, 1_000);
    assert_eq!(config.pending_fee, None);
    assert_eq!(config.fee_addr, deps.api.addr_make("treasury"));
}

#[test]
fn bond_guards() {
    let (mut deps, _) = hub();
    // below the minimum
    assert_eq!(
        run(
            &mut deps,
            "alice",
            ExecuteMsg::Bond { min_out: None },
            &coins(999, DENOM)
        ),
        ContractError::BelowMinimum {
            amount: Uint128::new(999),
            min: Uint128::new(1_000)
        }
    );
    // wrong denom
    assert!(matches!(
        run(
            &mut deps,
            "alice",
            ExecuteMsg::Bond { min_out: None },
            &coins(5_000, "uother")
        ),
        ContractError::Payment(_)
    ));
    // paused
    let paused = PauseFlags {
        bond: true,
        ..PauseFlags::default()
    };
    let owner = deps.api.addr_make("owner");
    execute(
        deps.as_mut(),
        mock_env(),
        message_info(&owner, &[]),
        ExecuteMsg::SetPause(paused),
    )
    .unwrap();
    assert_eq!(
        run(
            &mut deps,
            "alice",
            ExecuteMsg::Bond { min_out: None },
            &coins(5_000, DENOM)
        ),
        CommonError::Paused {
            operation: "bond".into()
        }
        .into()
    );
}

#[test]
fn the_hook_accepts_only_the_lst_token_and_a_positive_amount() {
    let (mut deps, lst_token) = hub();
    let hook = |amount: u128, msg: &ReceiveMsg| {
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: MockApi::default().addr_make("alice").to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(msg).unwrap(),
        })
    };
    let unbond = ReceiveMsg::Unbond { receiver: None };
    let err = run(&mut deps, "other-token", hook(10, &unbond), &[]);
    assert_eq!(
        err,
        CommonError::WrongToken {
            expected: lst_token.to_string(),
            got: deps.api.addr_make("other-token").to_string(),
        }
        .into()
    );
    for msg in [unbond, ReceiveMsg::InstantUnstake { min_out: None }] {
        let err = execute(
            deps.as_mut(),
            mock_env(),
            message_info(&lst_token, &[]),
            hook(0, &msg),
        )
        .unwrap_err();
        assert_eq!(err, CommonError::ZeroAmount {}.into());
    }
    // instant unstaking needs a pool
    let err = execute(
        deps.as_mut(),
        mock_env(),
        message_info(&lst_token, &[]),
        hook(10, &ReceiveMsg::InstantUnstake { min_out: None }),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ContractError::invalid_config("instant unstaking is not enabled: no pool is configured")
    );
}

#[test]
fn owner_messages_are_refused_to_anyone_else() {
    let (mut deps, _) = hub();
    let unauthorized: ContractError = CommonError::Unauthorized {
        reason: "only the owner may do this".into(),
    }
    .into();
    let msgs = vec![
        ExecuteMsg::QueueFeeChange { fee_bps: 100 },
        ExecuteMsg::SetDepositCap { cap: None },
        ExecuteMsg::SetPause(PauseFlags::default()),
        ExecuteMsg::AddValidator {
            address: VALOPER.into(),
            weight: 1,
        },
        ExecuteMsg::RemoveValidator {
            address: VALOPER.into(),
        },
        ExecuteMsg::SetInstantUnstakePool { pool: None },
        ExecuteMsg::UpdateConfig {
            fee_addr: None,
            min_bond: None,
            max_rebalance_per_epoch: None,
            guardian: None,
            rails: None,
        },
    ];
    for msg in msgs {
        assert_eq!(run(&mut deps, "mallory", msg, &[]), unauthorized);
    }
}

#[test]
fn owner_message_guards() {
    let (mut deps, _) = hub();
    let cases: Vec<(ExecuteMsg, ContractError)> = vec![
        (
            ExecuteMsg::QueueFeeChange {
                fee_bps: MAX_FEE_BPS + 1,
            },
            CommonError::FeeTooHigh {
                fee_bps: MAX_FEE_BPS + 1,
                max_bps: MAX_FEE_BPS,
            }
            .into(),
        ),
        (
            ExecuteMsg::AddValidator {
                address: VALOPER.into(),
                weight: 0,
            },
            ContractError::ZeroWeight {},
        ),
        (
            ExecuteMsg::AddValidator {
                address: "valoper-unknown".into(),
                weight: 1,
            },
            ContractError::NotAValidator {
                address: "valoper-unknown".into(),
            },
        ),
        (
            ExecuteMsg::UpdateConfig {
                fee_addr: None,
                min_bond: Some(Uint128::zero()),
                max_rebalance_per_epoch: None,
                guardian: None,
                rails: None,
            },
            ContractError::invalid_config("min_bond must be at least 1"),
        ),
    ];
    for (msg, expected) in cases {
        assert_eq!(run(&mut deps, "owner", msg, &[]), expected);
    }
}

#[test]
fn only_the_hub_sends_its_callback() {
    let (mut deps, _) = hub();
    let msg = ExecuteMsg::Callback(tributary_types::hub::CallbackMsg::Reinvest {});
    assert_eq!(
        run(&mut deps, "mallory", msg, &[]),
        ContractError::CallbackOnly {}
    );
}

#[test]
fn a_queued_fee_shows_as_pending_until_its_time() {
    let (mut deps, _) = hub();
    let owner = deps.api.addr_make("owner");
    let env = mock_env();
    execute(
        deps.as_mut(),
        env.clone(),
        message_info(&owner, &[]),
        ExecuteMsg::QueueFeeChange { fee_bps: 2_000 },
    )
    .unwrap();
    let effective_at = env.block.time.plus_seconds(7 * 86_400);
    let before = config(&deps, env.clone());
    assert_eq!(before.fee_bps, 1_000);
    assert_eq!(
        before.pending_fee,
        Some(DelayedChange {
            value: 2_000,
            effective_at
        })
    );
    let mut later = env;
    later.block.time = effective_at;
    let after = config(&deps, later);
    assert_eq!(after.fee_bps, 2_000);
    assert_eq!(after.pending_fee, None);
}

#[test]
fn the_state_of_an_empty_hub() {
    let (deps, _) = hub();
    let env = mock_env();
    let state: StateResponse =
        from_json(query(deps.as_ref(), env.clone(), QueryMsg::State {}).unwrap()).unwrap();
    assert_eq!(state.total_native, Uint128::zero());
    assert_eq!(state.exchange_rate, Decimal::one());
    assert_eq!(state.pending_batch_id, 1);
    assert_eq!(state.epoch, 0);
    assert_eq!(state.next_epoch_at, env.block.time.plus_seconds(86_400));
    assert_eq!(state.next_batch_submit_at, env.block.time);
}

#[test]
fn a_configuration_in_the_old_layout_is_rewritten_by_the_migration() {
    use cosmwasm_std::Storage;
    let (mut deps, lst_token) = hub();
    let current = crate::state::CONFIG.load(&deps.storage).unwrap();
    assert!(!crate::state::migrate_legacy_config(&mut deps.storage).unwrap());
    let old = format!(
        r#"{{"denom":"{DENOM}","lst_token":"{lst_token}","genesis":"{}","epoch_period":86400,
        "unbonding_period":1814400,"batch_interval":259200,"fee_bps":1000,
        "pending_fee":{{"fee_bps":2000,"effective_at":"5000000000"}},"fee_addr":"{}",
        "fee_change_delay":604800,"min_bond":"1000","deposit_cap":null,
        "max_rebalance_per_epoch":"1000000",
        "paused":{{"bond":false,"unbond":false,"claim":false,"crank":false}},
        "instant_unstake_pool":null}}"#,
        current.genesis.nanos(),
        current.fee_addr,
    );
    deps.storage.set(b"config", old.as_bytes());
    assert!(crate::state::migrate_legacy_config(&mut deps.storage).unwrap());
    let migrated = crate::state::CONFIG.load(&deps.storage).unwrap();
    assert_eq!(
        migrated.fee.pending,
        Some(DelayedChange {
            value: 2_000,
            effective_at: cosmwasm_std::Timestamp::from_seconds(5),
        })
    );
    assert_eq!(
        crate::state::Config {
            fee: current.fee.clone(),
            ..migrated
        },
        current
    );
}
