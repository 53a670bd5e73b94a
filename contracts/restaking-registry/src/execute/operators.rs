//! Operators: registration, commission, opt-ins and allocations. The caps, the opt-out delay and
//! the allocation rules are `tributary_core::registry::allocation`.

use cosmwasm_std::{
    Addr, BankMsg, DepsMut, Env, MessageInfo, Order, Response, StdError, Storage, Timestamp,
};
use tributary_common::CommonError;
use tributary_core::registry::allocation;
use tributary_types::registry::{MAX_OPERATORS_PER_SERVICE, MAX_SERVICES_PER_OPERATOR};

use crate::execute::{load_operator, load_service};
use crate::state::{
    Operator, OptIn, CONFIG, OPERATORS, OPERATOR_APPROVALS, OPT_INS, SERVICES, SERVICE_OPERATORS,
};
use crate::ContractError;

/// Refuses a commission above the registry's maximum.
pub(crate) fn ensure_commission(commission_bps: u16, max_bps: u16) -> Result<(), ContractError> {
    if commission_bps > max_bps {
        return Err(CommonError::FeeTooHigh {
            fee_bps: commission_bps,
            max_bps,
        }
        .into());
    }
    Ok(())
}

fn decrement(count: u32, what: &str) -> Result<u32, ContractError> {
    count
        .checked_sub(1)
        .ok_or_else(|| StdError::generic_err(format!("{what} count underflow")).into())
}

/// Removes an opt-in from both indexes and from the service's and the operator's counts.
/// Callers must not save a copy of that service or operator loaded before this call.
pub(crate) fn remove_opt_in(
    storage: &mut dyn Storage,
    operator: &Addr,
    service: u64,
) -> Result<(), ContractError> {
    OPT_INS.remove(storage, (operator, service));
    SERVICE_OPERATORS.remove(storage, (service, operator));
    if let Some(mut service_state) = SERVICES.may_load(storage, service)? {
        service_state.operators = decrement(service_state.operators, "service operator")?;
        SERVICES.save(storage, service, &service_state)?;
    }
    if let Some(mut operator_state) = OPERATORS.may_load(storage, operator)? {
        operator_state.services = decrement(operator_state.services, "operator service")?;
        OPERATORS.save(storage, operator, &operator_state)?;
    }
    Ok(())
}

/// Removes the opt-ins to `service` whose opt-out has taken effect (at most
/// `MAX_OPERATORS_PER_SERVICE` entries are read).
pub(crate) fn prune_service(
    storage: &mut dyn Storage,
    service: u64,
    now: Timestamp,
) -> Result<(), ContractError> {
    let expired: Vec<Addr> = SERVICE_OPERATORS
        .prefix(service)
        .keys(storage, None, None, Order::Ascending)
        .take(MAX_OPERATORS_PER_SERVICE as usize)
        .collect::<Result<Vec<_>, _>>()?;
    for operator in expired {
        let ended = OPT_INS
            .may_load(storage, (&operator, service))?
            .is_some_and(|opt_in| !opt_in.in_force(now));
        if ended {
            remove_opt_in(storage, &operator, service)?;
        }
    }
    Ok(())
}

/// Removes the opt-ins of `operator` whose opt-out has taken effect (at most
/// `MAX_SERVICES_PER_OPERATOR` entries are read).
fn prune_operator(
    storage: &mut dyn Storage,
    operator: &Addr,
    now: Timestamp,
) -> Result<(), ContractError> {
    let expired: Vec<u64> = OPT_INS
        .prefix(operator)
        .range(storage, None, None, Order::Ascending)
        .take(MAX_SERVICES_PER_OPERATOR as usize)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|(_, opt_in)| !opt_in.in_force(now))
        .map(|(id, _)| id)
        .collect();
    for service in expired {
        remove_opt_in(storage, operator, service)?;
    }
    Ok(())
}

/// The sender becomes an operator.
pub fn execute_register_operator(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    name: String,
    commission_bps: u16,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_commission(commission_bps, config.max_commission_bps)?;
    if OPERATORS.has(deps.storage, &info.sender) {
        return Err(ContractError::OperatorExists {
            address: info.sender.to_string(),
        });
    }
    OPERATORS.save(
        deps.storage,
        &info.sender,
        &Operator::new(name.clone(), commission_bps, env.block.time),
    )?;
    Ok(Response::new()
        .add_attribute("action", "register_operator")
        .add_attribute("operator", info.sender)
        .add_attribute("name", name)
        .add_attribute("commission_bps", commission_bps.to_string()))
}

/// Operator: queues a commission change.
pub fn execute_queue_commission_change(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    commission_bps: u16,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut operator = load_operator(deps.storage, &info.sender)?;
    ensure_commission(commission_bps, config.max_commission_bps)?;
    operator.commission_bps.apply_due(env.block.time);
    let at = operator.commission_bps.queue(
        commission_bps,
        env.block.time,
        config.commission_change_delay,
    );
    OPERATORS.save(deps.storage, &info.sender, &operator)?;
    Ok(Response::new()
        .add_attribute("action", "queue_commission_change")
        .add_attribute("operator", info.sender)
        .add_attribute("commission_bps", commission_bps.to_string())
        .add_attribute("effective_at", at.to_string()))
}

/// Loads an opt-in that is still in force, removing it if its opt-out has taken effect.
pub(crate) fn opt_in_in_force(
    deps: &mut DepsMut,
    env: &Env,
    operator: &cosmwasm_std::Addr,
    service: u64,
) -> Result<Option<OptIn>, ContractError> {
    match OPT_INS.may_load(deps.storage, (operator, service))? {
        Some(opt_in) if opt_in.in_force(env.block.time) => Ok(Some(opt_in)),
        Some(_) => {
            remove_opt_in(deps.storage, operator, service)?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Operator: starts serving a service that approved it, within the bounds on operators per
/// service and services per operator (opt-ins whose opt-out took effect are cleared first).
pub fn execute_opt_in(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
) -> Result<Response, ContractError> {
    load_operator(deps.storage, &info.sender)?;
    load_service(deps.storage, service)?;
    if !OPERATOR_APPROVALS.has(deps.storage, (service, &info.sender)) {
        return Err(ContractError::OperatorNotApproved { service });
    }
    if opt_in_in_force(&mut deps, &env, &info.sender, service)?.is_some() {
        return Err(ContractError::AlreadyOptedIn { service });
    }
    prune_service(deps.storage, service, env.block.time)?;
    prune_operator(deps.storage, &info.sender, env.block.time)?;
    let mut service_state = load_service(deps.storage, service)?;
    let mut operator = load_operator(deps.storage, &info.sender)?;
    let opt_in = allocation::opt_in(&mut operator, &mut service_state, service, env.block.time)?;
    SERVICES.save(deps.storage, service, &service_state)?;
    OPERATORS.save(deps.storage, &info.sender, &operator)?;
    OPT_INS.save(deps.storage, (&info.sender, service), &opt_in)?;
    SERVICE_OPERATORS.save(deps.storage, (service, &info.sender), &())?;
    Ok(Response::new()
        .add_attribute("action", "opt_in")
        .add_attribute("operator", info.sender)
        .add_attribute("service", service.to_string()))
}

/// Operator: stops serving a service after the opt-out delay (or the service's veto window, if
/// longer); the allocation stays slashable until then.
pub fn execute_opt_out(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
) -> Result<Response, ContractError> {
    load_operator(deps.storage, &info.sender)?;
    let config = CONFIG.load(deps.storage)?;
    let service_state = load_service(deps.storage, service)?;
    let mut opt_in = opt_in_in_force(&mut deps, &env, &info.sender, service)?
        .ok_or(ContractError::NotOptedIn { service })?;
    let at = allocation::opt_out(
        &mut opt_in,
        service,
        env.block.time,
        config.opt_out_delay,
        service_state.veto_window,
    )?;
    OPT_INS.save(deps.storage, (&info.sender, service), &opt_in)?;
    Ok(Response::new()
        .add_attribute("action", "opt_out")
        .add_attribute("operator", info.sender)
        .add_attribute("service", service.to_string())
        .add_attribute("effective_at", at.to_string()))
}

/// Operator: raises its allocation to a service. All allocations in force (opt-outs included,
/// they are still slashable) may total at most 100 %.
pub fn execute_set_allocation(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
    bps: u16,
) -> Result<Response, ContractError> {
    load_operator(deps.storage, &info.sender)?;
    let mut opt_in = opt_in_in_force(&mut deps, &env, &info.sender, service)?
        .ok_or(ContractError::NotOptedIn { service })?;
    // loaded after `opt_in_in_force`, which may update the operator's count of services
    let mut operator = load_operator(deps.storage, &info.sender)?;
    // the other allocations in force (opt-outs included: they are still slashable)
    let mut other_bps = 0u32;
    for entry in OPT_INS
        .prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_SERVICES_PER_OPERATOR as usize)
    {
        let (id, other) = entry?;
        if id != service && other.in_force(env.block.time) {
            other_bps = other_bps.saturating_add(u32::from(other.bps));
        }
    }
    allocation::set_allocation(
        &mut operator,
        &mut opt_in,
        service,
        bps,
        other_bps,
        env.block.time,
    )?;
    OPERATORS.save(deps.storage, &info.sender, &operator)?;
    OPT_INS.save(deps.storage, (&info.sender, service), &opt_in)?;
    Ok(Response::new()
        .add_attribute("action", "set_allocation")
        .add_attribute("operator", info.sender)
        .add_attribute("service", service.to_string())
        .add_attribute("bps", bps.to_string()))
}

/// Operator: receives its accrued commission.
pub fn execute_claim_commission(
    deps: DepsMut,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    crate::execute::ensure_not_paused(config.paused.rewards, "rewards")?;
    let mut operator = load_operator(deps.storage, &info.sender)?;
    let amount = operator.take_commission();
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    OPERATORS.save(deps.storage, &info.sender, &operator)?;
    Ok(Response::new()
        .add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![cosmwasm_std::coin(amount.u128(), &config.reward_denom)],
        })
        .add_attribute("action", "claim_commission")
        .add_attribute("operator", info.sender)
        .add_attribute("amount", amount))
}
