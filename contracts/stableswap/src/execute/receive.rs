//! The cw20 hook: a cw20 coin of the pool (swap, one-sided deposit) or its LP token
//! (withdrawals).

use cosmwasm_std::{from_json, DepsMut, Env, MessageInfo, Response, Uint128};
use cw20::Cw20ReceiveMsg;
use tributary_types::stableswap::{AssetInfo, ReceiveMsg};

use crate::execute::{coin_index, liquidity, swap, validate_addr};
use crate::state::CONFIG;
use crate::ContractError;

/// Routes a hook by the token that sent it: one of the pool's cw20 coins may swap or provide;
/// the LP token may withdraw. Anything else is refused.
pub fn execute_receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let sender_addr = validate_addr(deps.api, &wrapper.sender)?;
    let hook: ReceiveMsg = from_json(&wrapper.msg)?;
    let from_lp = config.lp_token == info.sender;
    let coin = config.assets.iter().position(
        |a| matches!(a, AssetInfo::Cw20 { contract } if *contract == info.sender.as_str()),
    );
    match (hook, coin) {
        (ReceiveMsg::Swap { min_out, to }, Some(offer)) => {
            let to_addr = match to {
                Some(t) => validate_addr(deps.api, &t)?,
                None => sender_addr,
            };
            swap::execute_swap(deps, env, offer, wrapper.amount, min_out, to_addr)
        }
        (ReceiveMsg::Provide { min_lp }, Some(k)) => {
            let mut amounts = [Uint128::zero(); 2];
            amounts[k] = wrapper.amount;
            let mut received = [false; 2];
            received[k] = true;
            liquidity::execute_provide(deps, env, &info, sender_addr, amounts, min_lp, received)
        }
        (ReceiveMsg::WithdrawLiquidity { min_amounts }, None) if from_lp => {
            liquidity::execute_withdraw(deps, env, sender_addr, wrapper.amount, min_amounts)
        }
        (ReceiveMsg::WithdrawOne { coin, min_out }, None) if from_lp => {
            let coin = coin_index(coin)?;
            liquidity::execute_withdraw_one(deps, env, sender_addr, wrapper.amount, coin, min_out)
        }
        _ => Err(ContractError::WrongAsset {
            expected: "one of the pool's cw20 coins (swap, provide) or its LP token (withdraw)"
                .to_string(),
            got: info.sender.to_string(),
        }),
    }
}
