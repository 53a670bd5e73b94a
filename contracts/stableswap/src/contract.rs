//! Entry points. They only dispatch; each action lives in `execute/`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{from_json, Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response, Uint128};
use tributary_types::stableswap::{
    AssetInfo, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg,
};

use crate::execute::{
    admin, coin_index, instantiate as init, label, liquidity, swap, validate_addr,
};
use crate::state::CONFIG;
use crate::{query, ContractError};

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    init::instantiate(deps, env, info, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::ProvideLiquidity { amounts, min_lp } => {
            let depositor = info.sender.clone();
            liquidity::execute_provide(deps, env, &info, depositor, amounts, min_lp, [false; 2])
        }
        ExecuteMsg::Swap { min_out, to } => {
            let config = CONFIG.load(deps.storage)?;
            let coin = cw_utils::one_coin(&info)?;
            let offer = config
                .assets
                .iter()
                .position(|a| matches!(a, AssetInfo::Native { denom } if *denom == coin.denom))
                .ok_or_else(|| ContractError::WrongAsset {
                    expected: format!(
                        "{} or {}",
                        label(&config.assets[0]),
                        label(&config.assets[1])
                    ),
                    got: coin.denom.clone(),
                })?;
            let to = match to {
                Some(t) => validate_addr(deps.api, &t)?,
                None => info.sender.clone(),
            };
            swap::execute_swap(deps, env, offer, coin.amount, min_out, to)
        }
        ExecuteMsg::Receive(wrapper) => {
            let config = CONFIG.load(deps.storage)?;
            let sender = validate_addr(deps.api, &wrapper.sender)?;
            let hook: ReceiveMsg = from_json(&wrapper.msg)?;
            let from_lp = config.lp_token.as_ref() == Some(&info.sender);
            let coin = config.assets.iter().position(
                |a| matches!(a, AssetInfo::Cw20 { contract } if *contract == info.sender.as_str()),
            );
            match (hook, coin) {
                (ReceiveMsg::Swap { min_out, to }, Some(offer)) => {
                    let to = match to {
                        Some(t) => validate_addr(deps.api, &t)?,
                        None => sender,
                    };
                    swap::execute_swap(deps, env, offer, wrapper.amount, min_out, to)
                }
                (ReceiveMsg::Provide { min_lp }, Some(k)) => {
                    let mut amounts = [Uint128::zero(); 2];
                    amounts[k] = wrapper.amount;
                    let mut received = [false; 2];
                    received[k] = true;
                    liquidity::execute_provide(deps, env, &info, sender, amounts, min_lp, received)
                }
                (ReceiveMsg::WithdrawLiquidity { min_amounts }, None) if from_lp => {
                    liquidity::execute_withdraw(deps, env, sender, wrapper.amount, min_amounts)
                }
                (ReceiveMsg::WithdrawOne { coin, min_out }, None) if from_lp => {
                    let coin = coin_index(coin)?;
                    liquidity::execute_withdraw_one(
                        deps,
                        env,
                        sender,
                        wrapper.amount,
                        coin,
                        min_out,
                    )
                }
                _ => Err(ContractError::WrongAsset {
                    expected:
                        "one of the pool's cw20 coins (swap, provide) or its LP token (withdraw)"
                            .to_string(),
                    got: info.sender.to_string(),
                }),
            }
        }
        ExecuteMsg::RampA {
            future_a,
            future_time,
        } => admin::execute_ramp_a(deps, env, info, future_a, future_time),
        ExecuteMsg::StopRampA {} => admin::execute_stop_ramp_a(deps, env, info),
        ExecuteMsg::SetFees { fee, admin_fee } => {
            admin::execute_set_fees(deps, info, fee, admin_fee)
        }
        ExecuteMsg::CollectAdminFees {} => admin::execute_collect_admin_fees(deps),
        ExecuteMsg::SetPause(flags) => admin::execute_set_pause(deps, info, flags),
        ExecuteMsg::UpdateOwnership(action) => {
            admin::execute_update_ownership(deps, env, info, action)
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    init::reply(deps, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    Ok(tributary_common::migrate(
        deps.storage,
        crate::CONTRACT_NAME,
        crate::CONTRACT_VERSION,
    )?)
}
