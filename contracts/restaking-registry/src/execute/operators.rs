use cosmwasm_std::{BankMsg, DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_types::registry::FULL_BPS;

use crate::execute::{load_operator, load_service};
use crate::state::{Operator, OptIn, CONFIG, OPERATORS, OPT_INS, SERVICE_OPERATORS};
use crate::ContractError;

/// The sender becomes an operator.
pub fn execute_register_operator(
    deps: DepsMut,
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
            name: name.clone(),
            commission_bps,
            pending_commission: None,
            assets: Uint128::zero(),
            shares: Uint128::zero(),
            reward_per_share: Default::default(),
            commission_unclaimed: Uint128::zero(),
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
            OPT_INS.remove(deps.storage, (operator, service));
            SERVICE_OPERATORS.remove(deps.storage, (service, operator));
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Operator: starts serving a service.
pub fn execute_opt_in(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
) -> Result<Response, ContractError> {
    load_operator(deps.storage, &info.sender)?;
    load_service(deps.storage, service)?;
    if opt_in_in_force(&mut deps, &env, &info.sender, service)?.is_some() {
        return Err(ContractError::AlreadyOptedIn { service });
    }
    OPT_INS.save(
        deps.storage,
        (&info.sender, service),
        &OptIn {
            bps: 0,
            opt_out_at: None,
        },
    )?;
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
    let svc = load_service(deps.storage, service)?;
    let mut opt_in = opt_in_in_force(&mut deps, &env, &info.sender, service)?
        .ok_or(ContractError::NotOptedIn { service })?;
    if let Some(at) = opt_in.opt_out_at {
        return Err(ContractError::OptingOut { service, at });
    }
    let at = env
        .block
        .time
        .plus_seconds(config.opt_out_delay.max(svc.veto_window));
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
    opt_in.bps = bps;
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
