//! One module per group of actions.

pub mod admin;
pub mod crank;
pub mod deposit;
pub mod instantiate;
pub mod steps;
pub mod withdraw;

use cosmwasm_std::{to_json_binary, Addr, CosmosMsg, StdResult, Uint128, WasmMsg};

pub(crate) use tributary_common::{ensure_not_paused, validate_addr};

/// A cw20 message to `token`.
pub(crate) fn cw20_msg(token: &Addr, msg: &cw20::Cw20ExecuteMsg) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

/// Mints `amount` of `token` to `recipient`.
pub(crate) fn mint_msg(token: &Addr, recipient: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
    cw20_msg(
        token,
        &cw20::Cw20ExecuteMsg::Mint {
            recipient: recipient.to_string(),
            amount,
        },
    )
}

/// A message from the vault to itself.
pub(crate) fn callback(
    me: &Addr,
    msg: tributary_types::vault::CallbackMsg,
) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: me.to_string(),
        msg: to_json_binary(&tributary_types::vault::ExecuteMsg::Callback(msg))?,
        funds: vec![],
    }
    .into())
}
