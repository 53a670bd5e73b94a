//! One module per group of actions.

pub mod admin;
pub mod crank;
pub mod deposit;
pub mod instantiate;
pub mod steps;
pub mod withdraw;

use cosmwasm_std::{wasm_execute, Addr, CosmosMsg, StdResult, Uint128};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_types::vault::{CallbackMsg, ExecuteMsg};

pub(crate) use tributary_common::{ensure_not_paused, validate_addr};

/// Mints `amount` of the LRT at `lrt_addr` to `recipient`.
pub(crate) fn mint_lrt(lrt_addr: &Addr, recipient: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
    Cw20Contract(lrt_addr.clone()).call(Cw20ExecuteMsg::Mint {
        recipient: recipient.to_string(),
        amount,
    })
}

/// A message from the vault (at `vault_addr`) to itself.
pub(crate) fn callback(vault_addr: &Addr, msg: CallbackMsg) -> StdResult<CosmosMsg> {
    Ok(wasm_execute(vault_addr, &ExecuteMsg::Callback(msg), vec![])?.into())
}
