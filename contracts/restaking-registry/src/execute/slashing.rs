//! Slash requests: the contract checks who asks and finds the allocation in force; the request,
//! veto and execution (fixed amounts, per-epoch caps, `pending_slash`) are
//! `tributary_core::registry::slashing`.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Order, Response, Storage, Timestamp};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_core::registry::slashing::{
    check_fraction, epoch_of, execute_slash, request_slash, veto_slash, SlashRequestInput,
};

use crate::execute::operators::opt_in_in_force;
use crate::execute::{ensure_sender, load_operator, load_service, validate_addr};
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
    service_id: u64,
    operator: String,
    fraction_bps: u16,
    reason: String,
) -> Result<Response, ContractError> {
    let service = load_service(deps.storage, service_id)?;
    ensure_sender(
        &info.sender,
        &service.admin,
        "only the service's admin may request its slashes",
    )?;
    check_fraction(fraction_bps, service.max_slash_bps_per_epoch)?;
    let operator_addr = validate_addr(deps.api, &operator)?;
    let mut operator = load_operator(deps.storage, &operator_addr)?;
    let opt_in = opt_in_in_force(&mut deps, &env, &operator_addr, service_id)?
        .filter(|opt_in| opt_in.bps > 0)
        .ok_or_else(|| ContractError::NotSlashable {
            operator: operator_addr.to_string(),
            service: service_id,
        })?;
    let request = request_slash(
        &mut operator,
        &service,
        SlashRequestInput {
            service: service_id,
            operator: operator_addr.clone(),
            fraction_bps,
            reason,
            allocation_bps: opt_in.bps,
        },
        env.block.time,
    )?;
    OPERATORS.save(deps.storage, &operator_addr, &operator)?;
    let id = LAST_SLASH_ID.may_load(deps.storage)?.unwrap_or(0) + 1;
    LAST_SLASH_ID.save(deps.storage, &id)?;
    PENDING_SLASHES.save(deps.storage, (&operator_addr, id), &request.requested_at)?;
    SLASH_REQUESTS.save(deps.storage, id, &request)?;
    Ok(Response::new()
        .add_attribute("action", "request_slash")
        .add_attribute("request_id", id.to_string())
        .add_attribute("service", service_id.to_string())
        .add_attribute("operator", operator_addr)
        .add_attribute("fraction_bps", fraction_bps.to_string())
        .add_attribute("amount", request.amount)
        .add_attribute("executable_at", request.executable_at.to_string()))
}

/// Loads a request that is still pending.
fn load_pending(storage: &dyn Storage, request_id: u64) -> Result<SlashRequest, ContractError> {
    let request = SLASH_REQUESTS
        .may_load(storage, request_id)?
        .ok_or(ContractError::SlashRequestNotFound { id: request_id })?;
    request.ensure_pending(request_id)?;
    Ok(request)
}

/// Resolver: cancels a request inside its veto window.
pub fn execute_veto_slash(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    request_id: u64,
) -> Result<Response, ContractError> {
    let mut request = load_pending(deps.storage, request_id)?;
    let service = load_service(deps.storage, request.service)?;
    ensure_sender(
        &info.sender,
        &service.resolver,
        "only the service's resolver may veto its slashes",
    )?;
    let mut operator = load_operator(deps.storage, &request.operator)?;
    let released = veto_slash(&mut request, &mut operator, request_id, env.block.time)?;
    SLASH_REQUESTS.save(deps.storage, request_id, &request)?;
    OPERATORS.save(deps.storage, &request.operator, &operator)?;
    PENDING_SLASHES.remove(deps.storage, (&request.operator, request_id));
    Ok(Response::new()
        .add_attribute("action", "veto_slash")
        .add_attribute("request_id", request_id.to_string())
        .add_attribute("released", released))
}

/// Anyone: executes a request whose veto window has passed, as far as the service's per-epoch
/// cap for this operator allows (`tributary_core::registry::slashing::execute_slash`); what the
/// cap leaves out stays pending for later epochs. The slashed LST goes to the service's slash
/// destination.
pub fn execute_execute_slash(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    request_id: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut request = load_pending(deps.storage, request_id)?;
    let now = env.block.time;
    let mut service = load_service(deps.storage, request.service)?;
    let mut operator = load_operator(deps.storage, &request.operator)?;
    let epoch = epoch_of(now, config.epoch_period)?;
    let operator_addr = request.operator.clone();
    let epoch_key = (request.service, &operator_addr, epoch);
    let epoch_used_bps = EPOCH_SLASHED
        .may_load(deps.storage, epoch_key)?
        .unwrap_or(0);
    let execution = execute_slash(
        &mut request,
        &mut operator,
        &mut service,
        request_id,
        now,
        config.epoch_period,
        epoch_used_bps,
    )?;
    if execution.completed {
        PENDING_SLASHES.remove(deps.storage, (&operator_addr, request_id));
    }
    EPOCH_SLASHED.save(deps.storage, epoch_key, &execution.epoch_used_bps)?;
    OPERATORS.save(deps.storage, &operator_addr, &operator)?;
    SERVICES.save(deps.storage, request.service, &service)?;
    SLASH_REQUESTS.save(deps.storage, request_id, &request)?;

    let mut response = Response::new()
        .add_attribute("action", "execute_slash")
        .add_attribute("request_id", request_id.to_string())
        .add_attribute("fraction_bps", execution.step_bps.to_string())
        .add_attribute("executed_bps", execution.executed_bps.to_string())
        .add_attribute("remaining_bps", execution.remaining_bps.to_string())
        .add_attribute("slashed", execution.slashed);
    if !execution.slashed.is_zero() {
        response = response.add_message(Cw20Contract(config.lst_token).call(
            Cw20ExecuteMsg::Transfer {
                recipient: service.slash_destination.to_string(),
                amount: execution.slashed,
            },
        )?);
    }
    Ok(response)
}

/// When the oldest slash request still pending against `operator` was made.
pub(crate) fn oldest_pending_slash(
    storage: &dyn Storage,
    operator: &Addr,
) -> Result<Option<Timestamp>, ContractError> {
    Ok(PENDING_SLASHES
        .prefix(operator)
        .range(storage, None, None, Order::Ascending)
        .next()
        .transpose()?
        .map(|(_, requested_at)| requested_at))
}
