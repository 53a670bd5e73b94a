//! One module per group of actions.

pub mod admin;
pub mod delegation;
pub mod operators;
pub mod services;
pub mod slashing;

use cosmwasm_std::{Addr, Decimal256, Storage, Timestamp, Uint128};

use crate::state::{Delegation, Operator, Service, OPERATORS, SERVICES};
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

/// LST of `stake` covered by an allocation of `bps`.
pub(crate) fn allocated(stake: Uint128, bps: u16) -> Result<Uint128, ContractError> {
    Ok(tributary_math::bps_of(stake, bps)?)
}

/// Moves the rewards a delegation earned since its last settlement into `rewards_owed`. Only
/// active shares earn: withdrawing shares stay slashable but earn nothing. The operator must
/// have been accrued (`Operator::accrue`) to now first.
pub(crate) fn settle(op: &Operator, d: &mut Delegation) -> Result<(), ContractError> {
    let delta = op.reward_per_share.checked_sub(d.reward_per_share_paid)?;
    let earned = delta
        .checked_mul(Decimal256::checked_from_ratio(d.shares, 1u128)?)?
        .to_uint_floor();
    d.rewards_owed = d.rewards_owed.checked_add(Uint128::try_from(earned)?)?;
    d.reward_per_share_paid = op.reward_per_share;
    Ok(())
}

/// Loads an operator brought up to `now` (stake over time and reward stream).
pub(crate) fn load_operator_accrued(
    storage: &dyn Storage,
    addr: &Addr,
    now: Timestamp,
    reward_period: u64,
) -> Result<Operator, ContractError> {
    let mut op = load_operator(storage, addr)?;
    op.advance(now, reward_period)?;
    Ok(op)
}
