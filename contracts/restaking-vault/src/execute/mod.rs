//! One module per group of actions.

pub mod admin;
pub mod crank;
pub mod deposit;
pub mod instantiate;
pub mod withdraw;

use cosmwasm_std::{to_json_binary, Addr, Api, CosmosMsg, StdResult, Uint128, WasmMsg};

use crate::ContractError;

/// Validates a user-supplied address with an error that names it.
pub(crate) fn validate_addr(api: &dyn Api, address: &str) -> Result<Addr, ContractError> {
    api.addr_validate(address)
        .map_err(|e| ContractError::InvalidAddress {
            address: address.to_string(),
            reason: e.to_string(),
        })
}

/// Fails with `Paused` if `paused` is set.
pub(crate) fn ensure_not_paused(paused: bool, operation: &str) -> Result<(), ContractError> {
    if paused {
        return Err(ContractError::Paused {
            operation: operation.to_string(),
        });
    }
    Ok(())
}

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
