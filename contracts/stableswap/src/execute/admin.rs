use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use tributary_math::stableswap::{ramped_a, A_PRECISION};
use tributary_types::stableswap::{
    PoolPauseFlags, MAX_A, MAX_ADMIN_FEE, MAX_A_CHANGE, MAX_FEE, MIN_RAMP_TIME,
};

use crate::execute::pay;
use crate::state::{CONFIG, POOL, RAMP};
use crate::ContractError;

fn ensure_owner(deps: &DepsMut, info: &MessageInfo) -> Result<(), ContractError> {
    Ok(tributary_common::ensure_owner(deps.storage, &info.sender)?)
}

/// Owner: ramps A linearly to `future_a` by `future_time`.
pub fn execute_ramp_a(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    future_a: u64,
    future_time: u64,
) -> Result<Response, ContractError> {
    ensure_owner(&deps, &info)?;
    let now = env.block.time.seconds();
    let ramp = RAMP.load(deps.storage)?;
    // as in Curve: a ramp may begin only a full ramp time after the last one began (or was
    // stopped), and moves A at most tenfold from where it is, so over any window of a day A
    // changes at most tenfold however the calls are chained
    if let Some(last) = ramp.last_change_at {
        let next = last.saturating_add(MIN_RAMP_TIME);
        if now < next {
            return Err(ContractError::RampTooSoon {
                next_at: cosmwasm_std::Timestamp::from_seconds(next),
            });
        }
    }
    let current = ramped_a(
        ramp.initial_a,
        ramp.initial_time,
        ramp.future_a,
        ramp.future_time,
        now,
    );
    let target = future_a
        .checked_mul(A_PRECISION)
        .ok_or(ContractError::InvalidRamp {})?;
    let too_fast = target > current.saturating_mul(MAX_A_CHANGE)
        || current > target.saturating_mul(MAX_A_CHANGE);
    if future_a == 0
        || future_a > MAX_A
        || too_fast
        || future_time < now.saturating_add(MIN_RAMP_TIME)
    {
        return Err(ContractError::InvalidRamp {});
    }
    RAMP.save(
        deps.storage,
        &crate::state::Ramp {
            initial_a: current,
            initial_time: now,
            future_a: target,
            future_time,
            last_change_at: Some(now),
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "ramp_a")
        .add_attribute("from", current.to_string())
        .add_attribute("to", target.to_string())
        .add_attribute("until", future_time.to_string()))
}

/// Owner: freezes A at its current value.
pub fn execute_stop_ramp_a(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    ensure_owner(&deps, &info)?;
    let now = env.block.time.seconds();
    let ramp = RAMP.load(deps.storage)?;
    let current = ramped_a(
        ramp.initial_a,
        ramp.initial_time,
        ramp.future_a,
        ramp.future_time,
        now,
    );
    RAMP.save(
        deps.storage,
        &crate::state::Ramp {
            initial_a: current,
            initial_time: now,
            future_a: current,
            future_time: now,
            last_change_at: Some(now),
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "stop_ramp_a")
        .add_attribute("a", current.to_string()))
}

/// Owner: sets the swap fee and admin share (bounded).
pub fn execute_set_fees(
    deps: DepsMut,
    info: MessageInfo,
    fee: u64,
    admin_fee: u64,
) -> Result<Response, ContractError> {
    ensure_owner(&deps, &info)?;
    if fee > MAX_FEE {
        return Err(ContractError::FeeTooHigh { fee, max: MAX_FEE });
    }
    if admin_fee > MAX_ADMIN_FEE {
        return Err(ContractError::FeeTooHigh {
            fee: admin_fee,
            max: MAX_ADMIN_FEE,
        });
    }
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.fee = fee;
        c.admin_fee = admin_fee;
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "set_fees")
        .add_attribute("fee", fee.to_string())
        .add_attribute("admin_fee", admin_fee.to_string()))
}

/// Anyone: sends accrued admin fees to the fee recipient.
pub fn execute_collect_admin_fees(deps: DepsMut) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut state = POOL.load(deps.storage)?;
    if state.admin_balances.iter().all(|b| b.is_zero()) {
        return Err(ContractError::NothingToCollect {});
    }
    let mut response = Response::new().add_attribute("action", "collect_admin_fees");
    for k in 0..2 {
        let amount = state.admin_balances[k];
        if !amount.is_zero() {
            response = response.add_message(pay(&config.assets[k], &config.fee_recipient, amount)?);
        }
        state.admin_balances[k] = Uint128::zero();
    }
    POOL.save(deps.storage, &state)?;
    Ok(response)
}

/// Owner: sets the pause flags.
pub fn execute_set_pause(
    deps: DepsMut,
    info: MessageInfo,
    flags: PoolPauseFlags,
) -> Result<Response, ContractError> {
    ensure_owner(&deps, &info)?;
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.paused = flags;
        Ok(c)
    })?;
    Ok(Response::new().add_attribute("action", "set_pause"))
}

/// Two-step ownership transfer (cw-ownable): propose, accept, or renounce.
pub fn execute_update_ownership(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    action: cw_ownable::Action,
) -> Result<Response, ContractError> {
    Ok(tributary_common::update_ownership(
        deps, &env, &info, action,
    )?)
}
