//! One module per action.

pub mod admin;
pub mod bond;
pub mod claim;
pub mod crank;
pub mod instantiate;
pub mod unbond;
pub mod validators;

use cosmwasm_std::{Addr, Api, Storage};

use crate::ContractError;

/// Fails with `Unauthorized` unless `sender` is the owner.
pub(crate) fn ensure_owner(storage: &dyn Storage, sender: &Addr) -> Result<(), ContractError> {
    Ok(cw_ownable::assert_owner(storage, sender)?)
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

/// Validates a user-supplied address with an error that names it.
pub(crate) fn validate_addr(api: &dyn Api, address: &str) -> Result<Addr, ContractError> {
    api.addr_validate(address)
        .map_err(|e| ContractError::InvalidAddress {
            address: address.to_string(),
            reason: e.to_string(),
        })
}
