use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use tributary_types::stableswap::{PoolPauseFlags, MAX_ADMIN_FEE, MAX_FEE};

use tributary_common::ensure_owner;

use crate::execute::pay;
use crate::state::{CONFIG, POOL, RAMP};
use crate::ContractError;

/// Owner: ramps A linearly to `future_a` by `future_time`.
pub fn execute_ramp_a(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    future_a: u64,
    future_time: u64,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    let now = env.block.time.seconds();
    let ramp = RAMP.load(deps.storage)?.begin(future_a, future_time, now)?;
    RAMP.save(deps.storage, &ramp)?;
    Ok(Response::new()
        .add_attribute("action", "ramp_a")
        .add_attribute("from", ramp.initial_a.to_string())
        .add_attribute("to", ramp.future_a.to_string())
        .add_attribute("until", future_time.to_string()))
}

/// Owner: freezes A at its current value.
pub fn execute_stop_ramp_a(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    let ramp = RAMP.load(deps.storage)?.stop(env.block.time.seconds());
    RAMP.save(deps.storage, &ramp)?;
    Ok(Response::new()
        .add_attribute("action", "stop_ramp_a")
        .add_attribute("a", ramp.initial_a.to_string()))
}

/// Owner: sets the swap fee and admin share (bounded).
pub fn execute_set_fees(
    deps: DepsMut,
    info: MessageInfo,
    fee: u64,
    admin_fee: u64,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    if fee > MAX_FEE {
        return Err(ContractError::SwapFeeTooHigh { fee, max: MAX_FEE });
    }
    if admin_fee > MAX_ADMIN_FEE {
        return Err(ContractError::SwapFeeTooHigh {
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
    ensure_owner(deps.storage, &info.sender)?;
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
