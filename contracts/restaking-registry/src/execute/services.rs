use cosmwasm_std::{Addr, Decimal256, DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_math::pro_rata;
use tributary_types::registry::FULL_BPS;

use crate::execute::{allocated, ensure_not_paused, load_service, validate_addr};
use crate::state::{
    Service, CONFIG, LAST_SERVICE_ID, OPERATORS, OPT_INS, SERVICES, SERVICE_OPERATORS,
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
    if veto_window > config.withdrawal_delay.min(config.opt_out_delay) {
        return Err(ContractError::InvalidConfig {
            reason: format!(
                "veto window of {veto_window}s is longer than the withdrawal or opt-out delay \
                 ({}s / {}s): stake could leave before a slash executes",
                config.withdrawal_delay, config.opt_out_delay
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
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "register_service")
        .add_attribute("service_id", id.to_string())
        .add_attribute("name", name)
        .add_attribute("admin", info.sender))
}

/// Pays the attached rewards to the stake allocated to a service: split across operators by
/// their allocated LST, less each operator's commission, then across each operator's
/// delegators by shares. Anyone may pay a service's rewards.
pub fn execute_deposit_rewards(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    service: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.rewards, "rewards")?;
    let amount = cw_utils::must_pay(&info, &config.reward_denom)?;
    let mut svc = load_service(deps.storage, service)?;
    let now = env.block.time;

    let operators: Vec<Addr> = SERVICE_OPERATORS
        .prefix(service)
        .keys(deps.storage, None, None, Order::Ascending)
        .collect::<Result<_, _>>()?;
    let mut recipients = vec![];
    let mut total = Uint128::zero();
    for addr in operators {
        let opt_in = OPT_INS.load(deps.storage, (&addr, service))?;
        let op = OPERATORS.load(deps.storage, &addr)?;
        if !opt_in.in_force(now) || op.shares.is_zero() {
            continue;
        }
        let alloc = allocated(op.assets, opt_in.bps)?;
        if alloc.is_zero() {
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
        op.reward_per_share = op
            .reward_per_share
            .checked_add(Decimal256::checked_from_ratio(net, op.shares)?)?;
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
