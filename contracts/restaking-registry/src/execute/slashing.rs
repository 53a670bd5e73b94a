use cosmwasm_std::{to_json_binary, DepsMut, Env, MessageInfo, Response, Uint128, WasmMsg};
use tributary_types::registry::{SlashStatus, FULL_BPS, MAX_SLASH_EPOCHS};

use crate::execute::operators::opt_in_in_force;
use crate::execute::{allocated, load_operator, load_service, validate_addr};
use crate::state::{
    SlashRequest, CONFIG, EPOCH_SLASHED, LAST_SLASH_ID, OPERATORS, PENDING_SLASHES, SERVICES,
    SLASH_REQUESTS,
};
use crate::ContractError;

/// Service admin: requests a slash of an operator's allocation to the service.
pub fn execute_request_slash(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
    operator: String,
    fraction_bps: u16,
    reason: String,
) -> Result<Response, ContractError> {
    let svc = load_service(deps.storage, service)?;
    if info.sender != svc.admin {
        return Err(tributary_common::CommonError::Unauthorized {
            reason: "only the service's admin may request its slashes".to_string(),
        }
        .into());
    }
    if fraction_bps == 0 || fraction_bps > FULL_BPS {
        return Err(ContractError::InvalidFraction { bps: fraction_bps });
    }
    // exits from the operator are held while the request is pending: it must execute within
    // MAX_SLASH_EPOCHS epochs of the cap
    let max = u32::from(svc.max_slash_bps_per_epoch) * u32::from(MAX_SLASH_EPOCHS);
    if u32::from(fraction_bps) > max {
        return Err(ContractError::SlashTooSlow {
            bps: fraction_bps,
            cap: svc.max_slash_bps_per_epoch,
            epochs: MAX_SLASH_EPOCHS,
            max,
        });
    }
    let operator = validate_addr(deps.api, &operator)?;
    let mut op = load_operator(deps.storage, &operator)?;
    let opt_in = opt_in_in_force(&mut deps, &env, &operator, service)?
        .filter(|o| o.bps > 0)
        .ok_or_else(|| ContractError::NotSlashable {
            operator: operator.to_string(),
            service,
        })?;
    // what the whole request is worth is fixed now, so that the order in which requests are
    // executed (and the per-epoch cap splitting them) cannot change what they slash in total
    let amount = allocated(allocated(op.assets, opt_in.bps)?, fraction_bps)?;
    // a request cannot promise more than what is left once the pending ones have executed
    let amount = amount.min(op.assets.saturating_sub(op.pending_slash));
    if amount.is_zero() {
        return Err(ContractError::NothingLeftToSlash {
            operator: operator.to_string(),
        });
    }
    // the pool is priced net of it from now on (`Operator::priced_pool`)
    op.pending_slash = op.pending_slash.checked_add(amount)?;
    OPERATORS.save(deps.storage, &operator, &op)?;
    let id = LAST_SLASH_ID.may_load(deps.storage)?.unwrap_or(0) + 1;
    LAST_SLASH_ID.save(deps.storage, &id)?;
    PENDING_SLASHES.save(deps.storage, (&operator, id), &env.block.time)?;
    let executable_at = env.block.time.plus_seconds(svc.veto_window);
    SLASH_REQUESTS.save(
        deps.storage,
        id,
        &SlashRequest {
            service,
            operator: operator.clone(),
            fraction_bps,
            reason,
            status: SlashStatus::Pending,
            requested_at: env.block.time,
            executable_at,
            allocation_bps: opt_in.bps,
            amount,
            shares: op.shares,
            executed_bps: 0,
            slashed: Uint128::zero(),
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "request_slash")
        .add_attribute("request_id", id.to_string())
        .add_attribute("service", service.to_string())
        .add_attribute("operator", operator)
        .add_attribute("fraction_bps", fraction_bps.to_string())
        .add_attribute("amount", amount)
        .add_attribute("executable_at", executable_at.to_string()))
}

/// What a pending request has still to take, valued when requested.
fn remaining_amount(request: &SlashRequest) -> Result<Uint128, ContractError> {
    let done = request
        .amount
        .checked_multiply_ratio(request.executed_bps, request.fraction_bps)?;
    Ok(request.amount.checked_sub(done)?)
}

fn load_pending(deps: &DepsMut, request_id: u64) -> Result<SlashRequest, ContractError> {
    let request = SLASH_REQUESTS
        .may_load(deps.storage, request_id)?
        .ok_or(ContractError::SlashRequestNotFound { id: request_id })?;
    if request.status != SlashStatus::Pending {
        return Err(ContractError::SlashNotPending { id: request_id });
    }
    Ok(request)
}

/// Resolver: cancels a request inside its veto window.
pub fn execute_veto_slash(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    request_id: u64,
) -> Result<Response, ContractError> {
    let mut request = load_pending(&deps, request_id)?;
    let svc = load_service(deps.storage, request.service)?;
    if info.sender != svc.resolver {
        return Err(tributary_common::CommonError::Unauthorized {
            reason: "only the service's resolver may veto its slashes".to_string(),
        }
        .into());
    }
    if env.block.time >= request.executable_at {
        return Err(ContractError::VetoWindowClosed {
            id: request_id,
            at: request.executable_at,
        });
    }
    request.status = SlashStatus::Vetoed;
    SLASH_REQUESTS.save(deps.storage, request_id, &request)?;
    // what was left of it no longer weighs on the operator's price
    let mut op = load_operator(deps.storage, &request.operator)?;
    op.pending_slash = op.pending_slash.saturating_sub(remaining_amount(&request)?);
    OPERATORS.save(deps.storage, &request.operator, &op)?;
    PENDING_SLASHES.remove(deps.storage, (&request.operator, request_id));
    Ok(Response::new()
        .add_attribute("action", "veto_slash")
        .add_attribute("request_id", request_id.to_string()))
}

/// Anyone: executes a request whose veto window has passed, as far as the service's per-epoch
/// cap for this operator allows. The request is worth `amount` LST (fixed when it was
/// requested); executing `x` more bps of its `fraction_bps` slashes `amount x x / fraction_bps`
/// (the steps of a request add up to `amount`), scaled down by the pool shares that left since
/// the request (their part leaves with them; at most what the pool holds). What the cap
/// leaves out stays pending and executes in later epochs, so the total slashed by a set of
/// requests does not depend on who executes them or in what order. The slashed LST (taken from
/// the operator's whole pool, so active and withdrawing stake lose pro rata) goes to the
/// service's slash destination.
pub fn execute_execute_slash(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    request_id: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut request = load_pending(&deps, request_id)?;
    let now = env.block.time;
    if now < request.executable_at {
        return Err(ContractError::VetoWindowOpen {
            id: request_id,
            at: request.executable_at,
        });
    }
    let mut svc = load_service(deps.storage, request.service)?;
    let mut op = load_operator(deps.storage, &request.operator)?;
    // the earning stake changes: bring the stake over time up to now first
    op.checkpoint_stake(now)?;
    let epoch = now.seconds() / config.epoch_period;
    let key = (request.service, &request.operator, epoch);
    let used = EPOCH_SLASHED.may_load(deps.storage, key)?.unwrap_or(0);
    let room = svc.max_slash_bps_per_epoch.saturating_sub(used);
    if room == 0 {
        return Err(ContractError::SlashCapReached {
            next_epoch_at: cosmwasm_std::Timestamp::from_seconds(
                epoch.saturating_add(1).saturating_mul(config.epoch_period),
            ),
        });
    }
    let left = request.fraction_bps.saturating_sub(request.executed_bps);
    let step = left.min(room);
    let executed_bps = request.executed_bps.saturating_add(step);
    // the part of the request executed now, valued as when requested: the cumulative target
    // `amount x executed_bps / fraction_bps` less what the steps before it covered (so the steps
    // of a request add up to its `amount` exactly) ...
    let before = request
        .amount
        .checked_multiply_ratio(request.executed_bps, request.fraction_bps)?;
    let after = request
        .amount
        .checked_multiply_ratio(executed_bps, request.fraction_bps)?;
    // ... taken from the shares still in the pool at the request's LST per share: stake that has
    // left since takes its part with it instead of leaving it to the stake that stayed
    let amount = if request.shares.is_zero() {
        Uint128::zero()
    } else {
        after
            .checked_sub(before)?
            .checked_multiply_ratio(op.shares.min(request.shares), request.shares)?
            .min(op.assets)
    };
    op.assets = op.assets.checked_sub(amount)?;
    op.pending_slash = op.pending_slash.saturating_sub(after.checked_sub(before)?);
    svc.slashed = svc.slashed.checked_add(amount)?;
    request.executed_bps = executed_bps;
    request.slashed = request.slashed.checked_add(amount)?;
    if executed_bps >= request.fraction_bps {
        request.status = SlashStatus::Executed;
        PENDING_SLASHES.remove(deps.storage, (&request.operator, request_id));
    }
    EPOCH_SLASHED.save(deps.storage, key, &used.saturating_add(step))?;
    OPERATORS.save(deps.storage, &request.operator, &op)?;
    SERVICES.save(deps.storage, request.service, &svc)?;
    SLASH_REQUESTS.save(deps.storage, request_id, &request)?;

    let mut response = Response::new()
        .add_attribute("action", "execute_slash")
        .add_attribute("request_id", request_id.to_string())
        .add_attribute("fraction_bps", step.to_string())
        .add_attribute("executed_bps", executed_bps.to_string())
        .add_attribute(
            "remaining_bps",
            request
                .fraction_bps
                .saturating_sub(executed_bps)
                .to_string(),
        )
        .add_attribute("slashed", amount);
    if !amount.is_zero() {
        response = response.add_message(WasmMsg::Execute {
            contract_addr: config.lst_token.to_string(),
            msg: to_json_binary(&cw20::Cw20ExecuteMsg::Transfer {
                recipient: svc.slash_destination.to_string(),
                amount,
            })?,
            funds: vec![],
        });
    }
    Ok(response)
}
