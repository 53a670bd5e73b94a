//! Entry points of the liquidity-provision strategy (small enough to live in one module).

use cosmwasm_schema::cw_serde;
#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult,
    Uint128, WasmMsg,
};
use cw_storage_plus::Item;
use tributary_types::stableswap::{
    PoolConfigResponse, QueryMsg as PoolQuery, ReceiveMsg as PoolReceive,
};
use tributary_types::strategy::{
    LpStrategyExecuteMsg, LpStrategyInstantiateMsg, StrategyQueryMsg, StrategyReceiveMsg,
};

/// Parameters.
#[cw_serde]
pub struct Config {
    /// The only depositor.
    pub vault: Addr,
    /// The pool (LST is coin 0).
    pub pool: Addr,
    /// The LST.
    pub lst: Addr,
    /// The pool's LP token.
    pub lp: Addr,
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");

use crate::ContractError;

fn unauthorized(reason: &str) -> ContractError {
    tributary_common::CommonError::Unauthorized {
        reason: reason.to_string(),
    }
    .into()
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: LpStrategyInstantiateMsg,
) -> Result<Response, ContractError> {
    let vault = tributary_common::validate_addr(deps.api, &msg.vault)?;
    let pool = tributary_common::validate_addr(deps.api, &msg.pool)?;
    let pool_config: PoolConfigResponse = deps
        .querier
        .query_wasm_smart(&pool, &PoolQuery::Config {})?;
    let lst = match &pool_config.assets[0] {
        tributary_types::stableswap::AssetInfo::Cw20 { contract } => {
            deps.api.addr_validate(contract)?
        }
        _ => return Err(ContractError::PoolCoinNotLst {}),
    };
    let lp = deps.api.addr_validate(&pool_config.lp_token)?;
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            vault,
            pool,
            lst,
            lp,
        },
    )?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

fn lp_balance(deps: Deps, config: &Config, env: &Env) -> StdResult<Uint128> {
    let b: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &config.lp,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    Ok(b.balance)
}

/// What withdrawing `lp` one-sided in LST pays now.
fn withdrawal_value(deps: Deps, config: &Config, lp: Uint128) -> StdResult<Uint128> {
    if lp.is_zero() {
        return Ok(Uint128::zero());
    }
    deps.querier.query_wasm_smart(
        &config.pool,
        &PoolQuery::SimulateWithdrawOne { lp, coin: 0 },
    )
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: LpStrategyExecuteMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    match msg {
        LpStrategyExecuteMsg::Receive(wrapper) => {
            if info.sender != config.lst || wrapper.sender != config.vault.as_str() {
                return Err(ContractError::NotVaultLst {});
            }
            let StrategyReceiveMsg::Deposit {} = from_json(&wrapper.msg)?;
            // one-sided deposit of the LST into the pool
            let provide = WasmMsg::Execute {
                contract_addr: config.lst.to_string(),
                msg: to_json_binary(&cw20::Cw20ExecuteMsg::Send {
                    contract: config.pool.to_string(),
                    amount: wrapper.amount,
                    msg: to_json_binary(&PoolReceive::Provide { min_lp: None })?,
                })?,
                funds: vec![],
            };
            Ok(Response::new()
                .add_message(provide)
                .add_attribute("action", "strategy_deposit")
                .add_attribute("lst", wrapper.amount))
        }
        LpStrategyExecuteMsg::Withdraw { amount } => {
            if info.sender != config.vault {
                return Err(unauthorized("only the vault may withdraw"));
            }
            let held = lp_balance(deps.as_ref(), &config, &env)?;
            let value = withdrawal_value(deps.as_ref(), &config, held)?;
            if held.is_zero() || value.is_zero() {
                return Err(ContractError::NothingToWithdraw {});
            }
            // LP for `amount` of value (rounded up), at most everything
            let lp = if amount >= value {
                held
            } else {
                held.checked_mul_ceil((amount, value))
                    .map_err(|_| tributary_math::MathError::Overflow)?
                    .min(held)
            };
            let withdraw = WasmMsg::Execute {
                contract_addr: config.lp.to_string(),
                msg: to_json_binary(&cw20::Cw20ExecuteMsg::Send {
                    contract: config.pool.to_string(),
                    amount: lp,
                    msg: to_json_binary(&PoolReceive::WithdrawOne {
                        coin: 0,
                        min_out: None,
                    })?,
                })?,
                funds: vec![],
            };
            let forward = WasmMsg::Execute {
                contract_addr: env.contract.address.to_string(),
                msg: to_json_binary(&LpStrategyExecuteMsg::ForwardToVault {})?,
                funds: vec![],
            };
            Ok(Response::new()
                .add_message(withdraw)
                .add_message(forward)
                .add_attribute("action", "strategy_withdraw")
                .add_attribute("lp", lp))
        }
        LpStrategyExecuteMsg::ForwardToVault {} => {
            if info.sender != env.contract.address {
                return Err(unauthorized("only the strategy itself may forward"));
            }
            let b: cw20::BalanceResponse = deps.querier.query_wasm_smart(
                &config.lst,
                &cw20::Cw20QueryMsg::Balance {
                    address: env.contract.address.to_string(),
                },
            )?;
            Ok(Response::new()
                .add_message(WasmMsg::Execute {
                    contract_addr: config.lst.to_string(),
                    msg: to_json_binary(&cw20::Cw20ExecuteMsg::Transfer {
                        recipient: config.vault.to_string(),
                        amount: b.balance,
                    })?,
                    funds: vec![],
                })
                .add_attribute("action", "forward_to_vault")
                .add_attribute("lst", b.balance))
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: StrategyQueryMsg) -> StdResult<Binary> {
    let config = CONFIG.load(deps.storage)?;
    match msg {
        StrategyQueryMsg::Value { owner } => {
            if owner != config.vault.as_str() {
                return to_json_binary(&Uint128::zero());
            }
            let held = lp_balance(deps, &config, &env)?;
            to_json_binary(&withdrawal_value(deps, &config, held)?)
        }
    }
}
