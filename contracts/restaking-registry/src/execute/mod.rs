//! One module per group of actions. Each loads state, checks who may act, calls the state
//! transition in `tributary_core::registry`, saves the result and turns it into messages.

pub mod admin;
pub mod delegation;
pub mod operators;
pub mod services;
pub mod slashing;

use cosmwasm_std::{Addr, Storage, Timestamp};

use crate::state::{Operator, Service, OPERATORS, SERVICES};
use crate::ContractError;

pub(crate) use tributary_common::{ensure_not_paused, validate_addr};

pub(crate) fn load_operator(storage: &dyn Storage, addr: &Addr) -> Result<Operator, ContractError> {
    OPERATORS
        .may_load(storage, addr)?
        .ok_or_else(|| ContractError::OperatorNotFound {
            address: addr.to_string(),
        })
}

pub(crate) fn load_service(storage: &dyn Storage, id: u64) -> Result<Service, ContractError> {
    SERVICES
        .may_load(storage, id)?
        .ok_or(ContractError::ServiceNotFound { id })
}

/// Loads an operator brought up to `now` (stake over time and reward stream).
pub(crate) fn load_operator_accrued(
    storage: &dyn Storage,
    addr: &Addr,
    now: Timestamp,
    reward_period: u64,
) -> Result<Operator, ContractError> {
    let mut operator = load_operator(storage, addr)?;
    operator.advance(now, reward_period)?;
    Ok(operator)
}

/// Refuses a sender other than `expected`.
pub(crate) fn ensure_sender(
    sender: &Addr,
    expected: &Addr,
    reason: &str,
) -> Result<(), ContractError> {
    if sender != expected {
        return Err(tributary_common::CommonError::Unauthorized {
            reason: reason.to_string(),
        }
        .into());
    }
    Ok(())
}
