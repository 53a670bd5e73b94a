//! Services: registration, approvals and payments. The split of a payment between operators is
//! `tributary_core::registry::rewards::pay_service`.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_common::CommonError;
use tributary_core::registry::allocation::opt_out_time;
use tributary_core::registry::rewards::{pay_service, ServiceStake};
use tributary_core::registry::RegistryError;
use tributary_types::registry::{FULL_BPS, MAX_OPERATORS_PER_SERVICE};

use crate::execute::operators::{opt_in_in_force, prune_service};
use crate::execute::{
    ensure_not_paused, ensure_sender, load_operator, load_service, validate_addr,
};
use crate::state::{
    Service, CONFIG, LAST_SERVICE_ID, OPERATORS, OPERATOR_APPROVALS, OPT_INS, SERVICES,
    SERVICE_OPERATORS,
};
use crate::ContractError;

/// A service's terms, as registered (see `ExecuteMsg::RegisterService`).
pub struct ServiceTerms {
    /// Display name.
    pub name: String,
    /// Declared annual reward rate, bps.
    pub reward_rate_bps: u16,
    /// Largest fraction of an allocation slashed per epoch, bps.
    pub max_slash_bps_per_epoch: u16,
    /// Seconds a slash request may be vetoed.
    pub veto_window: u64,
    /// May veto slash requests.
    pub resolver: String,
    /// Receives slashed LST.
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
        return Err(RegistryError::InvalidFraction {
            bps: max_slash_bps_per_epoch,
        }
        .into());
    }
    // stake must still be in the pool for at least one epoch after the window ends, so that a
    // slash (or the part of it the per-epoch cap lets through first) executes before it leaves
    let exit = config.withdrawal_delay.min(config.opt_out_delay);
    if veto_window.saturating_add(config.epoch_period) > exit {
        return Err(CommonError::invalid_config(format!(
            "veto window of {veto_window}s must end at least one epoch ({}s) before the \
                 withdrawal or opt-out delay ({}s / {}s): stake could leave before a slash \
                 executes",
            config.epoch_period, config.withdrawal_delay, config.opt_out_delay
        ))
        .into());
    }
    let resolver_addr = validate_addr(deps.api, &resolver)?;
    let slash_destination_addr = validate_addr(deps.api, &slash_destination)?;
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
            resolver: resolver_addr,
            slash_destination: slash_destination_addr,
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

fn ensure_admin(service: &Service, info: &MessageInfo) -> Result<(), ContractError> {
    ensure_sender(
        &info.sender,
        &service.admin,
        "only the service's admin may approve or revoke its operators",
    )
}

/// Service admin: allows a registered operator to opt in to the service.
pub fn execute_approve_operator(
    deps: DepsMut,
    info: MessageInfo,
    service: u64,
    operator: String,
) -> Result<Response, ContractError> {
    let service_state = load_service(deps.storage, service)?;
    ensure_admin(&service_state, &info)?;
    let operator_addr = validate_addr(deps.api, &operator)?;
    load_operator(deps.storage, &operator_addr)?;
    OPERATOR_APPROVALS.save(deps.storage, (service, &operator_addr), &())?;
    Ok(Response::new()
        .add_attribute("action", "approve_operator")
        .add_attribute("service", service.to_string())
        .add_attribute("operator", operator_addr))
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
    let service_state = load_service(deps.storage, service)?;
    ensure_admin(&service_state, &info)?;
    let operator_addr = validate_addr(deps.api, &operator)?;
    if !OPERATOR_APPROVALS.has(deps.storage, (service, &operator_addr)) {
        return Err(ContractError::OperatorNotApproved { service });
    }
    OPERATOR_APPROVALS.remove(deps.storage, (service, &operator_addr));
    let mut response = Response::new()
        .add_attribute("action", "revoke_operator")
        .add_attribute("service", service.to_string())
        .add_attribute("operator", &operator_addr);
    if let Some(mut opt_in) = opt_in_in_force(&mut deps, &env, &operator_addr, service)? {
        let at = match opt_in.opt_out_at {
            Some(at) => at,
            None => {
                let at = opt_out_time(
                    env.block.time,
                    config.opt_out_delay,
                    service_state.veto_window,
                );
                opt_in.opt_out_at = Some(at);
                OPT_INS.save(deps.storage, (&operator_addr, service), &opt_in)?;
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
    tributary_common::ensure_plausible("a reward payment", amount)?;
    ensure_sender(
        &info.sender,
        &load_service(deps.storage, service)?.admin,
        "only the service's admin may pay its rewards",
    )?;
    let now = env.block.time;
    // opt-ins whose opt-out took effect leave the service's list (and its count) first
    prune_service(deps.storage, service, now)?;
    let mut service_state = load_service(deps.storage, service)?;

    let operators: Vec<Addr> = SERVICE_OPERATORS
        .prefix(service)
        .keys(deps.storage, None, None, Order::Ascending)
        .take(MAX_OPERATORS_PER_SERVICE as usize)
        .collect::<Result<_, _>>()?;
    // the stakes in force, with their operators' addresses
    let mut addresses = Vec::with_capacity(operators.len());
    let mut stakes = Vec::with_capacity(operators.len());
    for operator_addr in operators {
        let opt_in = OPT_INS.load(deps.storage, (&operator_addr, service))?;
        if !opt_in.in_force(now) {
            continue;
        }
        let operator = OPERATORS.load(deps.storage, &operator_addr)?;
        addresses.push(operator_addr);
        stakes.push(ServiceStake { operator, opt_in });
    }
    let payment = pay_service(
        &mut service_state,
        service,
        amount,
        now,
        config.reward_period,
        &mut stakes,
    )?;
    for (operator_addr, stake) in addresses.iter().zip(&stakes) {
        OPT_INS.save(deps.storage, (operator_addr, service), &stake.opt_in)?;
        OPERATORS.save(deps.storage, operator_addr, &stake.operator)?;
    }
    SERVICES.save(deps.storage, service, &service_state)?;
    Ok(Response::new()
        .add_attribute("action", "deposit_rewards")
        .add_attribute("service", service.to_string())
        .add_attribute("amount", amount)
        .add_attribute("operators", payment.recipients().to_string()))
}
