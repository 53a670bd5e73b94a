//! Unit tests of the entry points on mock dependencies: instantiate validation, guards and
//! queries, asserting the typed errors. The pool's pricing is tested in `tributary-core`; the
//! whole market with real tokens in `tributary-testing`.

use cosmwasm_std::testing::{mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage};
use cosmwasm_std::{
    coins, from_json, to_json_binary, Addr, Checksum, CodeInfoResponse, ContractResult, CosmosMsg,
    OwnedDeps, SystemResult, Uint128, WasmMsg, WasmQuery,
};
use cw_utils::PaymentError;
use tributary_common::CommonError;
use tributary_core::market::RampError;
use tributary_types::stableswap::{
    AssetInfo, ExecuteMsg, InstantiateMsg, PoolConfigResponse, PoolPauseFlags, QueryMsg,
    RateSource, MAX_FEE,
};
use tributary_types::token::TokenInfo;

use crate::contract::{execute, instantiate, query};
use crate::ContractError;

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

const DENOM: &str = "ustake";

fn addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

fn msg() -> InstantiateMsg {
    InstantiateMsg {
        owner: addr("owner").to_string(),
        assets: [
            AssetInfo::Cw20 {
                contract: addr("lst").to_string(),
            },
            AssetInfo::Native {
                denom: DENOM.to_string(),
            },
        ],
        decimals: [6, 6],
        rate_source: RateSource::Fixed {},
        amp: 100,
        fee: 4_000_000,
        admin_fee: 5_000_000_000,
        fee_recipient: addr("treasury").to_string(),
        ema_time: 600,
        lp: TokenInfo {
            code_id: 7,
            name: "Pool LP".to_string(),
            symbol: "PLP".to_string(),
            decimals: 18,
        },
    }
}

/// Mock chain: code 7 exists; every token reports a supply of `lp_supply`.
fn deps(lp_supply: u128) -> Deps {
    let mut deps = mock_dependencies();
    deps.querier.update_wasm(move |q| {
        let answer = match q {
            WasmQuery::CodeInfo { code_id } => to_json_binary(&CodeInfoResponse::new(
                *code_id,
                MockApi::default().addr_make("uploader"),
                Checksum::generate(b"cw20-base"),
            )),
            WasmQuery::Smart { .. } => to_json_binary(&cw20::TokenInfoResponse {
                name: "Pool LP".to_string(),
                symbol: "PLP".to_string(),
                decimals: 18,
                total_supply: Uint128::new(lp_supply),
            }),
            _ => return SystemResult::Ok(ContractResult::Err("unexpected query".to_string())),
        };
        SystemResult::Ok(ContractResult::Ok(answer.unwrap()))
    });
    deps
}

fn instantiated() -> Deps {
    let mut deps = deps(0);
    instantiate(
        deps.as_mut(),
        mock_env(),
        cosmwasm_std::testing::message_info(&addr("creator"), &[]),
        msg(),
    )
    .unwrap();
    deps
}

fn info(sender: &str, funds: &[cosmwasm_std::Coin]) -> cosmwasm_std::MessageInfo {
    cosmwasm_std::testing::message_info(&addr(sender), funds)
}

#[test]
fn instantiate_creates_the_lp_token_at_the_address_it_stores() {
    let mut deps = deps(0);
    let res = instantiate(deps.as_mut(), mock_env(), info("creator", &[]), msg()).unwrap();
    let config: PoolConfigResponse =
        from_json(query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap()).unwrap();
    match &res.messages[0].msg {
        CosmosMsg::Wasm(WasmMsg::Instantiate2 { code_id, admin, .. }) => {
            assert_eq!(*code_id, 7);
            assert_eq!(
                admin.as_deref(),
                Some(mock_env().contract.address.as_str()),
                "the pool administers its LP token"
            );
        }
        other => panic!("expected Instantiate2, got {other:?}"),
    }
    let attr = res.attributes.iter().find(|a| a.key == "lp_token").unwrap();
    assert_eq!(attr.value, config.lp_token);
    assert_eq!(config.ramp.initial_a, 10_000);
    assert_eq!(config.ramp.future_a, 10_000);
}

#[test]
fn instantiate_refuses_bad_parameters() {
    let same_coins = {
        let mut m = msg();
        m.assets[1] = m.assets[0].clone();
        m
    };
    let cases: Vec<(&str, InstantiateMsg, ContractError)> = vec![
        (
            "A of zero",
            InstantiateMsg { amp: 0, ..msg() },
            RampError::Invalid.into(),
        ),
        (
            "A above the maximum",
            InstantiateMsg {
                amp: 1_000_001,
                ..msg()
            },
            RampError::Invalid.into(),
        ),
        (
            "swap fee above the maximum",
            InstantiateMsg {
                fee: MAX_FEE + 1,
                ..msg()
            },
            ContractError::SwapFeeTooHigh {
                fee: MAX_FEE + 1,
                max: MAX_FEE,
            },
        ),
        (
            "admin share above 100 %",
            InstantiateMsg {
                admin_fee: 10_000_000_001,
                ..msg()
            },
            ContractError::SwapFeeTooHigh {
                fee: 10_000_000_001,
                max: 10_000_000_000,
            },
        ),
        (
            "19 decimals",
            InstantiateMsg {
                decimals: [19, 6],
                ..msg()
            },
            CommonError::invalid_config("decimals above 18 are not supported").into(),
        ),
        (
            "the same coin twice",
            same_coins,
            CommonError::invalid_config("the two coins must differ").into(),
        ),
    ];
    for (case, m, expected) in cases {
        let mut deps = deps(0);
        let err = instantiate(deps.as_mut(), mock_env(), info("creator", &[]), m).unwrap_err();
        assert_eq!(err, expected, "{case}");
    }
}

#[test]
fn guards_refuse_with_typed_errors_and_change_nothing() {
    let cases: Vec<(&str, cosmwasm_std::MessageInfo, ExecuteMsg, ContractError)> = vec![
        (
            "a swap without funds",
            info("alice", &[]),
            ExecuteMsg::Swap {
                min_out: None,
                to: None,
            },
            PaymentError::NoFunds {}.into(),
        ),
        (
            "a swap of a coin the pool does not trade",
            info("alice", &coins(100, "uother")),
            ExecuteMsg::Swap {
                min_out: None,
                to: None,
            },
            ContractError::WrongAsset {
                expected: format!("{} or {DENOM}", addr("lst")),
                got: "uother".to_string(),
            },
        ),
        (
            "a deposit of nothing",
            info("alice", &[]),
            ExecuteMsg::ProvideLiquidity {
                amounts: [Uint128::zero(); 2],
                min_lp: None,
            },
            CommonError::ZeroAmount {}.into(),
        ),
        (
            "a ramp by someone other than the owner",
            info("mallory", &[]),
            ExecuteMsg::RampA {
                future_a: 200,
                future_time: mock_env().block.time.seconds() + 86_400,
            },
            CommonError::Unauthorized {
                reason: "only the owner may do this".to_string(),
            }
            .into(),
        ),
        (
            "fees set by someone other than the owner",
            info("mallory", &[]),
            ExecuteMsg::SetFees {
                fee: 0,
                admin_fee: 0,
            },
            CommonError::Unauthorized {
                reason: "only the owner may do this".to_string(),
            }
            .into(),
        ),
        (
            "a ramp that ends too soon",
            info("owner", &[]),
            ExecuteMsg::RampA {
                future_a: 200,
                future_time: mock_env().block.time.seconds() + 60,
            },
            RampError::Invalid.into(),
        ),
    ];
    for (case, info, m, expected) in cases {
        let mut deps = instantiated();
        let before = query(deps.as_ref(), mock_env(), QueryMsg::Pool {}).map(|b| b.to_vec());
        let err = execute(deps.as_mut(), mock_env(), info, m).unwrap_err();
        assert_eq!(err, expected, "{case}");
        let after = query(deps.as_ref(), mock_env(), QueryMsg::Pool {}).map(|b| b.to_vec());
        assert_eq!(before, after, "{case}: state changed");
    }
}

#[test]
fn a_paused_swap_is_refused_but_the_owner_can_pause() {
    let mut deps = instantiated();
    execute(
        deps.as_mut(),
        mock_env(),
        info("owner", &[]),
        ExecuteMsg::SetPause(PoolPauseFlags {
            swap: true,
            ..PoolPauseFlags::default()
        }),
    )
    .unwrap();
    let err = execute(
        deps.as_mut(),
        mock_env(),
        info("alice", &coins(100, DENOM)),
        ExecuteMsg::Swap {
            min_out: None,
            to: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        CommonError::Paused {
            operation: "swap".to_string()
        }
        .into()
    );
}
