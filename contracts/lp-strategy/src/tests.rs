//! Unit tests of the entry points on a mock pool: instantiate validation, who may call what,
//! and the calm-pool gate, asserting the typed errors. The strategy with a real pool and vault
//! is tested in `tributary-testing`.

use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, ContractResult, Decimal, OwnedDeps, SystemResult, Timestamp,
    Uint128, WasmQuery,
};
use cw20::Cw20ReceiveMsg;
use tributary_common::CommonError;
use tributary_types::stableswap::{
    AssetInfo, PegResponse, PoolConfigResponse, PoolPauseFlags, PoolResponse,
    QueryMsg as PoolQuery, RampResponse, RateSource,
};
use tributary_types::strategy::{
    LpStrategyExecuteMsg, LpStrategyInstantiateMsg, StrategyQueryMsg, StrategyReceiveMsg,
};

use crate::contract::{execute, instantiate, query};
use crate::ContractError;

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

fn addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

/// A mock pool whose coin 0 is `coin0`, with spot price `spot` and moving average 1.
fn deps(coin0: AssetInfo, spot: Decimal) -> Deps {
    let mut deps = mock_dependencies();
    let pool_addr = addr("pool");
    deps.querier.update_wasm(move |q| {
        let WasmQuery::Smart { contract_addr, msg } = q else {
            return SystemResult::Ok(ContractResult::Err("unexpected query".into()));
        };
        if *contract_addr != pool_addr.as_str() {
            // a cw20 balance
            return SystemResult::Ok(ContractResult::Ok(
                to_json_binary(&cw20::BalanceResponse {
                    balance: Uint128::new(1_000),
                })
                .unwrap(),
            ));
        }
        let answer = match from_json::<PoolQuery>(msg).unwrap() {
            PoolQuery::Config {} => to_json_binary(&PoolConfigResponse {
                assets: [
                    coin0.clone(),
                    AssetInfo::Native {
                        denom: "ustake".into(),
                    },
                ],
                decimals: [6, 6],
                rate_source: RateSource::Fixed {},
                lp_token: MockApi::default().addr_make("lp").to_string(),
                fee: 0,
                admin_fee: 0,
                fee_recipient: MockApi::default().addr_make("treasury").to_string(),
                ema_time: 600,
                ramp: RampResponse {
                    initial_a: 10_000,
                    initial_time: Timestamp::from_seconds(0),
                    future_a: 10_000,
                    future_time: Timestamp::from_seconds(0),
                },
                paused: PoolPauseFlags::default(),
            }),
            PoolQuery::Peg {} => to_json_binary(&PegResponse {
                redemption_rate: Decimal::one(),
                spot_price: spot,
                ema_price: Decimal::one(),
                spot_discount_bps: 0,
                ema_discount_bps: 0,
            }),
            PoolQuery::Pool {} => to_json_binary(&PoolResponse {
                balances: [Uint128::new(1_000_000), Uint128::new(500_000)],
                admin_balances: [Uint128::zero(); 2],
                lp_supply: Uint128::new(1_500_000),
                amp: 10_000,
                rate: Decimal::one(),
                virtual_price: Decimal::one(),
                coin0_share_bps: 6_666,
            }),
            PoolQuery::FairValue { lp, .. } => to_json_binary(&lp),
            _ => return SystemResult::Ok(ContractResult::Err("unexpected pool query".into())),
        };
        SystemResult::Ok(ContractResult::Ok(answer.unwrap()))
    });
    deps
}

fn lst() -> AssetInfo {
    AssetInfo::Cw20 {
        contract: addr("lst").to_string(),
    }
}

fn msg() -> LpStrategyInstantiateMsg {
    LpStrategyInstantiateMsg {
        vault: addr("vault").to_string(),
        pool: addr("pool").to_string(),
        max_slippage_bps: None,
        max_price_deviation_bps: None,
    }
}

fn instantiated(spot: Decimal) -> Deps {
    let mut deps = deps(lst(), spot);
    instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&addr("vault"), &[]),
        msg(),
    )
    .unwrap();
    deps
}

#[test]
fn instantiate_refuses_a_native_coin_0_and_loose_bounds() {
    let cases: Vec<(&str, AssetInfo, LpStrategyInstantiateMsg, ContractError)> = vec![
        (
            "coin 0 is native",
            AssetInfo::Native {
                denom: "ustake".into(),
            },
            msg(),
            ContractError::PoolCoinNotLst {},
        ),
        (
            "slippage bound above 10 %",
            lst(),
            LpStrategyInstantiateMsg {
                max_slippage_bps: Some(1_001),
                ..msg()
            },
            ContractError::SlippageTooHigh {
                bps: 1_001,
                max: 1_000,
            },
        ),
        (
            "price deviation bound above 10 %",
            lst(),
            LpStrategyInstantiateMsg {
                max_price_deviation_bps: Some(5_000),
                ..msg()
            },
            ContractError::SlippageTooHigh {
                bps: 5_000,
                max: 1_000,
            },
        ),
    ];
    for (case, coin0, m, expected) in cases {
        let mut deps = deps(coin0, Decimal::one());
        let err =
            instantiate(deps.as_mut(), mock_env(), message_info(&addr("x"), &[]), m).unwrap_err();
        assert_eq!(err, expected, "{case}");
    }
}

#[test]
fn only_the_vault_and_the_strategy_itself_may_call() {
    let deposit = |sender: &str| Cw20ReceiveMsg {
        sender: addr(sender).to_string(),
        amount: Uint128::new(100),
        msg: to_json_binary(&StrategyReceiveMsg::Deposit {}).unwrap(),
    };
    let cases: Vec<(&str, Addr, LpStrategyExecuteMsg, ContractError)> = vec![
        (
            "LST sent by someone other than the vault",
            addr("lst"),
            LpStrategyExecuteMsg::Receive(deposit("mallory")),
            ContractError::NotVaultLst {},
        ),
        (
            "another token sent in the vault's name",
            addr("fake"),
            LpStrategyExecuteMsg::Receive(deposit("vault")),
            ContractError::NotVaultLst {},
        ),
        (
            "a withdrawal by someone other than the vault",
            addr("mallory"),
            LpStrategyExecuteMsg::Withdraw {
                amount: Uint128::new(1),
            },
            CommonError::Unauthorized {
                reason: "only the vault may withdraw".into(),
            }
            .into(),
        ),
        (
            "a forward by an outsider",
            addr("mallory"),
            LpStrategyExecuteMsg::ForwardToVault {},
            CommonError::Unauthorized {
                reason: "only the strategy itself may forward".into(),
            }
            .into(),
        ),
    ];
    for (case, sender, m, expected) in cases {
        let mut deps = instantiated(Decimal::one());
        let err = execute(deps.as_mut(), mock_env(), message_info(&sender, &[]), m).unwrap_err();
        assert_eq!(err, expected, "{case}");
    }
}

#[test]
fn a_pool_pushed_off_its_average_is_not_traded_with() {
    let spot = Decimal::permille(990);
    let mut deps = instantiated(spot);
    let err = execute(
        deps.as_mut(),
        mock_env(),
        message_info(&addr("vault"), &[]),
        LpStrategyExecuteMsg::Withdraw {
            amount: Uint128::new(1),
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        ContractError::PoolOffBalance {
            spot,
            average: Decimal::one(),
            max_bps: 30
        }
    );
}

#[test]
fn a_calm_deposit_asks_for_its_fair_lp_less_the_bound() {
    let mut deps = instantiated(Decimal::one());
    let res = execute(
        deps.as_mut(),
        mock_env(),
        message_info(&addr("lst"), &[]),
        LpStrategyExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: addr("vault").to_string(),
            amount: Uint128::new(10_000),
            msg: to_json_binary(&StrategyReceiveMsg::Deposit {}).unwrap(),
        }),
    )
    .unwrap();
    // the mock values LP one to one: 10,000 LST is fairly 10,000 LP; 1 % bound
    let min_lp = res.attributes.iter().find(|a| a.key == "min_lp").unwrap();
    assert_eq!(min_lp.value, "9900");
}

#[test]
fn queries_value_only_the_vault_and_report_capacity() {
    let deps = instantiated(Decimal::one());
    let value = |owner: &str| -> Uint128 {
        from_json(
            query(
                deps.as_ref(),
                mock_env(),
                StrategyQueryMsg::Value {
                    owner: addr(owner).to_string(),
                },
            )
            .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(value("vault"), Uint128::new(1_000));
    assert_eq!(value("mallory"), Uint128::zero());
    let capacity: Option<Uint128> = from_json(
        query(
            deps.as_ref(),
            mock_env(),
            StrategyQueryMsg::DepositCapacity {},
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        capacity,
        Some(Uint128::new(10_000)),
        "2 % of the smaller side"
    );
}
