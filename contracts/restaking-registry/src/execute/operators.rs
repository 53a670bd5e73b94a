use cosmwasm_std::{
    Addr, BankMsg, DepsMut, Env, MessageInfo, Order, Response, StdError, Storage, Timestamp,
    Uint128,
};
use tributary_types::registry::{FULL_BPS, MAX_OPERATORS_PER_SERVICE, MAX_SERVICES_PER_OPERATOR};

use crate::execute::{load_operator, load_service};
use crate::state::{
    Operator, OptIn, CONFIG, OPERATORS, OPERATOR_APPROVALS, OPT_INS, SERVICES, SERVICE_OPERATORS,
};
use crate::ContractError;

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
    if let Some(mut svc) = SERVICES.may_load(storage, service)? {
        svc.operators = decrement(svc.operators, "service operator")?;
        SERVICES.save(storage, service, &svc)?;
    }
    if let Some(mut op) = OPERATORS.may_load(storage, operator)? {
        op.services = decrement(op.services, "operator service")?;
        OPERATORS.save(storage, operator, &op)?;
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
    for op in expired {
        let ended = OPT_INS
            .may_load(storage, (&op, service))?
            .is_some_and(|o| !o.in_force(now));
        if ended {
            remove_opt_in(storage, &op, service)?;
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
        .filter(|(_, o)| !o.in_force(now))
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
    if commission_bps > config.max_commission_bps {
        return Err(ContractError::CommissionTooHigh {
            bps: commission_bps,
            max: config.max_commission_bps,
        });
    }
    if OPERATORS.has(deps.storage, &info.sender) {
        return Err(ContractError::OperatorExists {
            address: info.sender.to_string(),
        });
    }
    OPERATORS.save(
        deps.storage,
        &info.sender,
        &Operator {
            pending_slash: Uint128::zero(),
            name: name.clone(),
            commission_bps,
            pending_commission: None,
            assets: Uint128::zero(),
            shares: Uint128::zero(),
            withdrawing: Uint128::zero(),
            reward_per_share: Default::default(),
            commission_unclaimed: Uint128::zero(),
            stream_remaining: Uint128::zero(),
            stream_end: env.block.time,
            stream_updated: env.block.time,
            services: 0,
            stake_seconds: Uint128::zero(),
            stake_updated: env.block.time,
        },
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
    let mut op = load_operator(deps.storage, &info.sender)?;
    if commission_bps > config.max_commission_bps {
        return Err(ContractError::CommissionTooHigh {
            bps: commission_bps,
            max: config.max_commission_bps,
        });
    }
    op.apply_due_commission(env.block.time);
    let at = env.block.time.plus_seconds(config.commission_change_delay);
    op.pending_commission = Some((commission_bps, at));
    OPERATORS.save(deps.storage, &info.sender, &op)?;
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
        Some(o) if o.in_force(env.block.time) => Ok(Some(o)),
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
    let mut svc = load_service(deps.storage, service)?;
    let mut op = load_operator(deps.storage, &info.sender)?;
    if svc.operators >= MAX_OPERATORS_PER_SERVICE {
        return Err(ContractError::TooManyOperators {
            service,
            max: MAX_OPERATORS_PER_SERVICE,
        });
    }
    if op.services >= MAX_SERVICES_PER_OPERATOR {
        return Err(ContractError::TooManyServices {
            max: MAX_SERVICES_PER_OPERATOR,
        });
    }
    // both below their maximum, checked above
    svc.operators = svc.operators.saturating_add(1);
    op.services = op.services.saturating_add(1);
    // the opt-in weighs in the service's payments from now on
    op.checkpoint_stake(env.block.time)?;
    SERVICES.save(deps.storage, service, &svc)?;
    OPERATORS.save(deps.storage, &info.sender, &op)?;
    OPT_INS.save(
        deps.storage,
        (&info.sender, service),
        &OptIn {
            bps: 0,
            opt_out_at: None,
            stake_seconds_paid: op.stake_seconds,
            weight: Uint128::zero(),
        },
    )?;
    SERVICE_OPERATORS.save(deps.storage, (service, &info.sender), &())?;
    Ok(Response::new()
        .add_attribute("action", "opt_in")
        .add_attribute("operator", info.sender)
        .add_attribute("service", service.to_string()))
}

/// When an opt-out requested at `now` takes effect.
pub(crate) fn opt_out_time(now: Timestamp, opt_out_delay: u64, veto_window: u64) -> Timestamp {
    now.plus_seconds(opt_out_delay.max(veto_window))
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
    let svc = load_service(deps.storage, service)?;
    let mut opt_in = opt_in_in_force(&mut deps, &env, &info.sender, service)?
        .ok_or(ContractError::NotOptedIn { service })?;
    if let Some(at) = opt_in.opt_out_at {
        return Err(ContractError::OptingOut { service, at });
    }
    let at = opt_out_time(env.block.time, config.opt_out_delay, svc.veto_window);
    opt_in.opt_out_at = Some(at);
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
    if let Some(at) = opt_in.opt_out_at {
        return Err(ContractError::OptingOut { service, at });
    }
    // loaded after `opt_in_in_force`, which may update the operator's count of services
    let mut op = load_operator(deps.storage, &info.sender)?;
    if bps < opt_in.bps {
        return Err(ContractError::AllocationDecrease {});
    }
    let others: u32 = OPT_INS
        .prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .filter_map(|r| r.ok())
        .filter(|(id, o)| *id != service && o.in_force(env.block.time))
        .map(|(_, o)| u32::from(o.bps))
        .sum();
    let total_bps = others + u32::from(bps);
    if total_bps > u32::from(FULL_BPS) {
        return Err(ContractError::OverAllocated { total_bps });
    }
    // the stake over time so far weighs at the old allocation, from now on at the new one
    op.checkpoint_stake(env.block.time)?;
    opt_in.weight = opt_in.weight_now(op.stake_seconds)?;
    opt_in.stake_seconds_paid = op.stake_seconds;
    opt_in.bps = bps;
    OPERATORS.save(deps.storage, &info.sender, &op)?;
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
    let mut op = load_operator(deps.storage, &info.sender)?;
    let amount = op.commission_unclaimed;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    op.commission_unclaimed = Uint128::zero();
    OPERATORS.save(deps.storage, &info.sender, &op)?;
    Ok(Response::new()
        .add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![cosmwasm_std::coin(amount.u128(), &config.reward_denom)],
        })
        .add_attribute("action", "claim_commission")
        .add_attribute("operator", info.sender)
        .add_attribute("amount", amount))
}
