//! Queries. Rewards are shown accrued to the block time and settled (as a claim in this block
//! would pay them) and expired opt-outs are left out, without changing storage. Every list is
//! bounded: pages of at most `MAX_LIMIT`, and per-delegator, per-operator and per-service lists
//! by the registry's bounds (`MAX_OPERATORS_PER_DELEGATOR`, `MAX_SERVICES_PER_OPERATOR`,
//! `MAX_OPERATORS_PER_SERVICE`; undelegations merge per operator and epoch).

use std::collections::BTreeMap;

use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, Timestamp, Uint128};
use tributary_common::pagination::page;
use tributary_core::registry::allocated;
use tributary_types::registry::{
    AllocationResponse, DelegationResponse, DelegatorResponse, OperatorResponse, QueryMsg,
    RegistryConfigResponse, ServiceExposure, ServiceResponse, SlashRequestResponse,
    UndelegationResponse, MAX_OPERATORS_PER_DELEGATOR, MAX_OPERATORS_PER_SERVICE,
    MAX_SERVICES_PER_OPERATOR,
};

use crate::execute::delegation::is_entry_held;
use crate::execute::{load_operator, load_service, validate_addr};
use crate::state::{
    Operator, Service, SlashRequest, CONFIG, DELEGATIONS, OPERATORS, OPT_INS, SERVICES,
    SERVICE_OPERATORS, SLASH_REQUESTS, UNDELEGATIONS,
};
use crate::ContractError;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => {
            let config = CONFIG.load(deps.storage)?;
            to_json_binary(&RegistryConfigResponse {
                lst_token: config.lst_token.to_string(),
                reward_denom: config.reward_denom,
                epoch_period: config.epoch_period,
                withdrawal_delay: config.withdrawal_delay,
                opt_out_delay: config.opt_out_delay,
                max_commission_bps: config.max_commission_bps,
                commission_change_delay: config.commission_change_delay,
                reward_period: config.reward_period,
                paused: config.paused,
            })?
        }
        QueryMsg::Operator { operator } => {
            let operator_addr = validate_addr(deps.api, &operator)?;
            let operator = load_operator(deps.storage, &operator_addr)?;
            to_json_binary(&operator_response(deps, &env, operator_addr, operator)?)?
        }
        QueryMsg::Operators { start_after, limit } => {
            let start = start_after
                .map(|start| validate_addr(deps.api, &start))
                .transpose()?;
            let items: Vec<(Addr, Operator)> =
                page(&OPERATORS, deps.storage, start.as_ref(), limit)?;
            let out = items
                .into_iter()
                .map(|(operator_addr, operator)| {
                    operator_response(deps, &env, operator_addr, operator)
                })
                .collect::<Result<Vec<_>, _>>()?;
            to_json_binary(&out)?
        }
        QueryMsg::Service { id } => {
            let service = load_service(deps.storage, id)?;
            to_json_binary(&service_response(deps, &env, id, service)?)?
        }
        QueryMsg::Services { start_after, limit } => {
            let items: Vec<(u64, Service)> = page(&SERVICES, deps.storage, start_after, limit)?;
            let out = items
                .into_iter()
                .map(|(id, service)| service_response(deps, &env, id, service))
                .collect::<Result<Vec<_>, _>>()?;
            to_json_binary(&out)?
        }
        QueryMsg::Delegator { delegator } => {
            let delegator_addr = validate_addr(deps.api, &delegator)?;
            to_json_binary(&delegator_response(deps, &env, &delegator_addr)?)?
        }
        QueryMsg::SlashRequest { id } => {
            let request = SLASH_REQUESTS
                .may_load(deps.storage, id)?
                .ok_or(ContractError::SlashRequestNotFound { id })?;
            to_json_binary(&slash_response(id, request))?
        }
        QueryMsg::SlashRequests { start_after, limit } => {
            let items: Vec<(u64, SlashRequest)> =
                page(&SLASH_REQUESTS, deps.storage, start_after, limit)?;
            let out: Vec<_> = items
                .into_iter()
                .map(|(id, request)| slash_response(id, request))
                .collect();
            to_json_binary(&out)?
        }
        QueryMsg::Ownership {} => to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?,
    })
}

/// Allocations of an operator that are still in force.
fn allocations(
    deps: Deps,
    env: &Env,
    operator_addr: &Addr,
    operator: &Operator,
) -> Result<Vec<AllocationResponse>, ContractError> {
    OPT_INS
        .prefix(operator_addr)
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_SERVICES_PER_OPERATOR as usize)
        .filter(|entry| {
            entry
                .as_ref()
                .map_or(true, |(_, opt_in)| opt_in.in_force(env.block.time))
        })
        .map(|entry| {
            let (service, opt_in) = entry?;
            Ok(AllocationResponse {
                service,
                bps: opt_in.bps,
                amount: allocated(operator.assets, opt_in.bps)?,
                opt_out_at: opt_in.opt_out_at,
            })
        })
        .collect()
}

fn operator_response(
    deps: Deps,
    env: &Env,
    operator_addr: Addr,
    mut operator: Operator,
) -> Result<OperatorResponse, ContractError> {
    operator.commission_bps.apply_due(env.block.time);
    let config = CONFIG.load(deps.storage)?;
    operator.advance(env.block.time, config.reward_period)?;
    Ok(OperatorResponse {
        allocations: allocations(deps, env, &operator_addr, &operator)?,
        address: operator_addr.to_string(),
        name: operator.name,
        commission_bps: operator.commission_bps,
        stake: operator.assets,
        commission_unclaimed: operator.commission_unclaimed,
        rewards_streaming: operator.stream_remaining,
        stream_ends_at: operator.stream_end,
    })
}

fn service_response(
    deps: Deps,
    env: &Env,
    id: u64,
    service: Service,
) -> Result<ServiceResponse, ContractError> {
    let mut total = Uint128::zero();
    for operator in SERVICE_OPERATORS
        .prefix(id)
        .keys(deps.storage, None, None, Order::Ascending)
        .take(MAX_OPERATORS_PER_SERVICE as usize)
    {
        let operator_addr = operator?;
        let opt_in = OPT_INS.load(deps.storage, (&operator_addr, id))?;
        if opt_in.in_force(env.block.time) {
            let operator = OPERATORS.load(deps.storage, &operator_addr)?;
            total = total.checked_add(allocated(operator.assets, opt_in.bps)?)?;
        }
    }
    Ok(ServiceResponse {
        id,
        name: service.name,
        admin: service.admin.to_string(),
        reward_rate_bps: service.reward_rate_bps,
        max_slash_bps_per_epoch: service.max_slash_bps_per_epoch,
        veto_window: service.veto_window,
        resolver: service.resolver.to_string(),
        slash_destination: service.slash_destination.to_string(),
        allocated: total,
        operators: service.operators,
        rewards_paid: service.rewards_paid,
        slashed: service.slashed,
    })
}

/// Everything a delegator has: delegations, undelegations, rewards and exposure per service.
pub fn delegator_response(
    deps: Deps,
    env: &Env,
    delegator: &Addr,
) -> Result<DelegatorResponse, ContractError> {
    let now = env.block.time;
    let mut out = DelegatorResponse {
        delegations: vec![],
        undelegations: vec![],
        delegated_value: Uint128::zero(),
        pending_slash_value: Uint128::zero(),
        undelegating_value: Uint128::zero(),
        completable_value: Uint128::zero(),
        rewards: Uint128::zero(),
        exposure: vec![],
    };
    let config = CONFIG.load(deps.storage)?;
    let positions: Vec<_> = DELEGATIONS
        .prefix(delegator)
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_OPERATORS_PER_DELEGATOR as usize)
        .collect::<Result<_, _>>()?;
    // per service id, the exposure summed over the delegator's positions
    let mut exposure: BTreeMap<u64, ServiceExposure> = BTreeMap::new();
    let mut operators: BTreeMap<Addr, Operator> = BTreeMap::new();
    for (operator_addr, mut delegation) in positions {
        let mut operator = OPERATORS.load(deps.storage, &operator_addr)?;
        operator.advance(now, config.reward_period)?;
        operator.settle(&mut delegation)?;
        out.rewards = out.rewards.checked_add(delegation.rewards_owed)?;
        // positions are worth their shares net of the slashes pending against the operator
        let pool = operator.priced_pool();
        let value = pool.assets_for_redeem(delegation.shares)?;
        out.delegated_value = out.delegated_value.checked_add(value)?;
        if !delegation.shares.is_zero() {
            out.delegations.push(DelegationResponse {
                operator: operator_addr.to_string(),
                shares: delegation.shares,
                value,
            });
        }
        // everything still in the pool is slashable: active and withdrawing shares
        let in_pool = delegation.shares.checked_add(delegation.withdrawing)?;
        let at_risk = pool.assets_for_redeem(in_pool)?;
        out.pending_slash_value = out.pending_slash_value.checked_add(
            operator
                .pool()
                .assets_for_redeem(in_pool)?
                .saturating_sub(at_risk),
        )?;
        for allocation in allocations(deps, env, &operator_addr, &operator)? {
            let service = SERVICES.load(deps.storage, allocation.service)?;
            let allocated_stake = allocated(at_risk, allocation.bps)?;
            let max_slash = allocated(allocated_stake, service.max_slash_bps_per_epoch)?;
            let entry = exposure
                .entry(allocation.service)
                .or_insert_with(|| ServiceExposure {
                    service: allocation.service,
                    allocated: Uint128::zero(),
                    max_slash_per_epoch: Uint128::zero(),
                });
            entry.allocated = entry.allocated.checked_add(allocated_stake)?;
            entry.max_slash_per_epoch = entry.max_slash_per_epoch.checked_add(max_slash)?;
        }
        operators.insert(operator_addr, operator);
    }
    // at most MAX_OPERATORS_PER_DELEGATOR x (MAX_WITHDRAWAL_EPOCHS + 1) entries (merged per
    // operator and epoch), every one with a position in `operators`
    for item in
        UNDELEGATIONS
            .sub_prefix(delegator)
            .range(deps.storage, None, None, Order::Ascending)
    {
        let ((at, operator_addr), shares) = item?;
        let Some(operator) = operators.get(&operator_addr) else {
            continue;
        };
        let value = operator.priced_pool().assets_for_redeem(shares)?;
        let completes_at = Timestamp::from_seconds(at);
        out.undelegating_value = out.undelegating_value.checked_add(value)?;
        // held while a slash requested before it was due is pending against the operator
        if completes_at <= now && !is_entry_held(deps.storage, &operator_addr, at)? {
            out.completable_value = out.completable_value.checked_add(value)?;
        }
        out.undelegations.push(UndelegationResponse {
            operator: operator_addr.to_string(),
            shares,
            value,
            completes_at,
        });
    }
    out.exposure = exposure.into_values().collect();
    Ok(out)
}

fn slash_response(id: u64, request: SlashRequest) -> SlashRequestResponse {
    SlashRequestResponse {
        id,
        service: request.service,
        operator: request.operator.to_string(),
        fraction_bps: request.fraction_bps,
        reason: request.reason,
        status: request.status,
        requested_at: request.requested_at,
        executable_at: request.executable_at,
        amount: request.amount,
        executed_bps: request.executed_bps,
        slashed: request.slashed,
    }
}
