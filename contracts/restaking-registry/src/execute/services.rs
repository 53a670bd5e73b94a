use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_math::pro_rata;
use tributary_types::registry::{FULL_BPS, MAX_OPERATORS_PER_SERVICE};

use crate::execute::operators::{opt_in_in_force, opt_out_time, prune_service};
use crate::execute::{ensure_not_paused, load_operator, load_service, validate_addr};
use crate::state::{
    Service, CONFIG, LAST_SERVICE_ID, OPERATORS, OPERATOR_APPROVALS, OPT_INS, SERVICES,
    SERVICE_OPERATORS,
};
use crate::ContractError;

/// A service's terms, as registered.
pub struct ServiceTerms {
    pub name: String,
    pub reward_rate_bps: u16,
    pub max_slash_bps_per_epoch: u16,
    pub veto_window: u64,
    pub resolver: String,
    pub slash_destination: String,
}

/// The sender registers a service it administers.
pub fn execute_register_service(
    deps: DepsMut,
    info: MessageInfo,
    terms: ServiceTerms,
) -> Result<Response, ContractError> {
    let ServiceTerms {
        name,
        reward_rate_bps,
        max_slash_bps_per_epoch,
        veto_window,
        resolver,
        slash_destination,
    } = terms;
    let config = CONFIG.load(deps.storage)?;
    if max_slash_bps_per_epoch == 0 || max_slash_bps_per_epoch > FULL_BPS {
        return Err(ContractError::InvalidFraction {
            bps: max_slash_bps_per_epoch,
        });
    }
    // stake must still be in the pool for at least one epoch after the window ends, so that a
    // slash (or the part of it the per-epoch cap lets through first) executes before it leaves
    let exit = config.withdrawal_delay.min(config.opt_out_delay);
    if veto_window.saturating_add(config.epoch_period) > exit {
        return Err(ContractError::InvalidConfig {
            reason: format!(
                "veto window of {veto_window}s must end at least one epoch ({}s) before the \
                 withdrawal or opt-out delay ({}s / {}s): stake could leave before a slash \
                 executes",
                config.epoch_period, config.withdrawal_delay, config.opt_out_delay
            ),
        });
    }
    let resolver = validate_addr(deps.api, &resolver)?;
    let slash_destination = validate_addr(deps.api, &slash_destination)?;
    let id = LAST_SERVICE_ID.may_load(deps.storage)?.unwrap_or(0) + 1;
    LAST_SERVICE_ID.save(deps.storage, &id)?;
    SERVICES.save(
        deps.storage,
        id,
        &Service {
            name: name.clone(),
            admin: info.sender.clone(),
            reward_rate_bps,
            max_slash_bps_per_epoch,
            veto_window,
            resolver,
            slash_destination,
            rewards_paid: Uint128::zero(),
            slashed: Uint128::zero(),
            operators: 0,
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "register_service")
        .add_attribute("service_id", id.to_string())
        .add_attribute("name", name)
        .add_attribute("admin", info.sender))
}

fn ensure_admin(svc: &Service, info: &MessageInfo) -> Result<(), ContractError> {
    if info.sender != svc.admin {
        return Err(tributary_common::CommonError::Unauthorized {
            reason: "only the service's admin may approve or revoke its operators".to_string(),
        }
        .into());
    }
    Ok(())
}

/// Service admin: allows a registered operator to opt in to the service.
pub fn execute_approve_operator(
    deps: DepsMut,
    info: MessageInfo,
    service: u64,
    operator: String,
) -> Result<Response, ContractError> {
    let svc = load_service(deps.storage, service)?;
    ensure_admin(&svc, &info)?;
    let operator = validate_addr(deps.api, &operator)?;
    load_operator(deps.storage, &operator)?;
    OPERATOR_APPROVALS.save(deps.storage, (service, &operator), &())?;
    Ok(Response::new()
        .add_attribute("action", "approve_operator")
        .add_attribute("service", service.to_string())
        .add_attribute("operator", operator))
}

/// Service admin: withdraws an operator's approval; an operator serving the service is opted
/// out with the usual delay (its allocation stays slashable until then).
pub fn execute_revoke_operator(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
    operator: String,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let svc = load_service(deps.storage, service)?;
    ensure_admin(&svc, &info)?;
    let operator = validate_addr(deps.api, &operator)?;
    if !OPERATOR_APPROVALS.has(deps.storage, (service, &operator)) {
        return Err(ContractError::OperatorNotApproved { service });
    }
    OPERATOR_APPROVALS.remove(deps.storage, (service, &operator));
    let mut response = Response::new()
        .add_attribute("action", "revoke_operator")
        .add_attribute("service", service.to_string())
        .add_attribute("operator", &operator);
    if let Some(mut opt_in) = opt_in_in_force(&mut deps, &env, &operator, service)? {
        let at = match opt_in.opt_out_at {
            Some(at) => at,
            None => {
                let at = opt_out_time(env.block.time, config.opt_out_delay, svc.veto_window);
                opt_in.opt_out_at = Some(at);
                OPT_INS.save(deps.storage, (&operator, service), &opt_in)?;
                at
            }
        };
        response = response.add_attribute("opt_out_at", at.to_string());
    }
    Ok(response)
}

/// Service admin: pays the attached rewards to the stake allocated to the service, for the time
/// since its last payment. They are split across its operators (at most
/// `MAX_OPERATORS_PER_SERVICE`) by their allocated earning stake over that time (allocated LST
/// x seconds; withdrawing stake does not count), less each operator's commission; each
/// operator's net part is added to its reward stream, which releases it to the operator's
/// earning shares over `reward_period`. Only the admin pays, so nobody else can cut the period
/// a payment covers short.
pub fn execute_deposit_rewards(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.rewards, "rewards")?;
    let amount = cw_utils::must_pay(&info, &config.reward_denom)?;
    let svc = load_service(deps.storage, service)?;
    if info.sender != svc.admin {
        return Err(tributary_common::CommonError::Unauthorized {
            reason: "only the service's admin may pay its rewards".to_string(),
        }
        .into());
    }
    let now = env.block.time;
    // opt-ins whose opt-out took effect leave the service's list (and its count) first
    prune_service(deps.storage, service, now)?;
    let mut svc = load_service(deps.storage, service)?;

    let operators: Vec<Addr> = SERVICE_OPERATORS
        .prefix(service)
        .keys(deps.storage, None, None, Order::Ascending)
        .take(MAX_OPERATORS_PER_SERVICE as usize)
        .collect::<Result<_, _>>()?;
    let mut recipients = vec![];
    let mut total = Uint128::zero();
    for addr in operators {
        let mut opt_in = OPT_INS.load(deps.storage, (&addr, service))?;
        let mut op = OPERATORS.load(deps.storage, &addr)?;
        if !opt_in.in_force(now) {
            continue;
        }
        op.advance(now, config.reward_period)?;
        // the operator's allocated earning stake over the time since the last payment; the
        // next payment weighs the time from now
        let alloc = opt_in.weight_now(op.stake_seconds)?;
        opt_in.weight = Uint128::zero();
        opt_in.stake_seconds_paid = op.stake_seconds;
        OPT_INS.save(deps.storage, (&addr, service), &opt_in)?;
        if alloc.is_zero() {
            OPERATORS.save(deps.storage, &addr, &op)?;
            continue;
        }
        total = total.checked_add(alloc)?;
        recipients.push((addr, op, alloc));
    }
    if total.is_zero() {
        return Err(ContractError::NoAllocatedStake { service });
    }

    let mut distributed = Uint128::zero();
    let count = recipients.len();
    for (i, (addr, mut op, alloc)) in recipients.into_iter().enumerate() {
        // the last operator takes the rounding remainder so every unit is paid out
        let share = if i + 1 == count {
            amount.checked_sub(distributed)?
        } else {
            pro_rata(amount, alloc, total)?
        };
        distributed = distributed.checked_add(share)?;
        op.apply_due_commission(now);
        let commission = tributary_math::bps_of(share, op.commission_bps)?;
        let net = share.checked_sub(commission)?;
        op.commission_unclaimed = op.commission_unclaimed.checked_add(commission)?;
        op.add_to_stream(net, now, config.reward_period)?;
        OPERATORS.save(deps.storage, &addr, &op)?;
    }
    svc.rewards_paid = svc.rewards_paid.checked_add(amount)?;
    SERVICES.save(deps.storage, service, &svc)?;
    Ok(Response::new()
        .add_attribute("action", "deposit_rewards")
        .add_attribute("service", service.to_string())
        .add_attribute("amount", amount)
        .add_attribute("operators", count.to_string()))
}
