//! One module per group of actions.

pub mod admin;
pub mod instantiate;
pub mod liquidity;
pub mod receive;
pub mod swap;

use cosmwasm_std::{wasm_execute, Addr, BankMsg, CosmosMsg, StdResult, Uint128};
use tributary_types::stableswap::AssetInfo;

use crate::ContractError;

pub(crate) use tributary_common::{ensure_not_paused, validate_addr};

/// A readable name of a coin.
pub(crate) fn label(info: &AssetInfo) -> String {
    match info {
        AssetInfo::Native { denom } => denom.clone(),
        AssetInfo::Cw20 { contract } => contract.clone(),
    }
}

/// Pays `amount` of a coin to `to`.
pub(crate) fn pay(info: &AssetInfo, to: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
    Ok(match info {
        AssetInfo::Native { denom } => BankMsg::Send {
            to_address: to.to_string(),
            amount: vec![cosmwasm_std::coin(amount.u128(), denom)],
        }
        .into(),
        AssetInfo::Cw20 { contract } => wasm_execute(
            contract,
            &cw20::Cw20ExecuteMsg::Transfer {
                recipient: to.to_string(),
                amount,
            },
            vec![],
        )?
        .into(),
    })
}

/// Fails with `Slippage` if `got` is below `min`.
pub(crate) fn ensure_min(min: Option<Uint128>, got: Uint128) -> Result<(), ContractError> {
    match min {
        Some(min) if got < min => Err(ContractError::Slippage { min, got }),
        _ => Ok(()),
    }
}

/// Validates a coin index.
pub(crate) fn coin_index(index: u8) -> Result<usize, ContractError> {
    match index {
        0 | 1 => Ok(usize::from(index)),
        _ => Err(ContractError::InvalidCoin { index }),
    }
}
