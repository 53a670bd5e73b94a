//! Queries. Rewards are shown accrued to the block time and settled (as a claim in this block
//! would pay them) and expired opt-outs are left out, without changing storage. Every list is
//! bounded: pages of at most `MAX_LIMIT`, and per-delegator, per-operator and per-service lists
//! by the registry's bounds (`MAX_OPERATORS_PER_DELEGATOR`, `MAX_SERVICES_PER_OPERATOR`,
//! `MAX_OPERATORS_PER_SERVICE`; undelegations merge per operator and epoch).

use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, Timestamp, Uint128};
use cw_storage_plus::Bound;
use tributary_common::pagination::{page, page_size};
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
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&RegistryConfigResponse {
                lst_token: c.lst_token.to_string(),
                reward_denom: c.reward_denom,
                epoch_period: c.epoch_period,
                withdrawal_delay: c.withdrawal_delay,
                opt_out_delay: c.opt_out_delay,
                max_commission_bps: c.max_commission_bps,
                commission_change_delay: c.commission_change_delay,
                reward_period: c.reward_period,
                paused: c.paused,
            })?
        }
        QueryMsg::Operator { operator } => {
            let addr = validate_addr(deps.api, &operator)?;
            let op = load_operator(deps.storage, &addr)?;
            to_json_binary(&operator_response(deps, &env, addr, op)?)?
        }
        QueryMsg::Operators { start_after, limit } => {
            let start = start_after
                .map(|s| validate_addr(deps.api, &s))
                .transpose()?;
            // keyed by `&Addr`, so paged by hand at the common page size
            let items: Vec<(Addr, Operator)> = OPERATORS
                .range(
                    deps.storage,
                    start.as_ref().map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(page_size(limit))
                .collect::<Result<_, _>>()?;
            let out = items
                .into_iter()
                .map(|(a, o)| operator_response(deps, &env, a, o))
                .collect::<Result<Vec<_>, _>>()?;
            to_json_binary(&out)?
        }
        QueryMsg::Service { id } => {
            let svc = load_service(deps.storage, id)?;
            to_json_binary(&service_response(deps, &env, id, svc)?)?
        }
        QueryMsg::Services { start_after, limit } => {
            let items: Vec<(u64, Service)> = page(&SERVICES, deps.storage, start_after, limit)?;
            let out = items
                .into_iter()
                .map(|(id, s)| service_response(deps, &env, id, s))
                .collect::<Result<Vec<_>, _>>()?;
            to_json_binary(&out)?
        }
        QueryMsg::Delegator { delegator } => {
            let addr = validate_addr(deps.api, &delegator)?;
            to_json_binary(&delegator_response(deps, &env, &addr)?)?
        }
        QueryMsg::SlashRequest { id } => {
            let r = SLASH_REQUESTS
                .may_load(deps.storage, id)?
                .ok_or(ContractError::SlashRequestNotFound { id })?;
            to_json_binary(&slash_response(id, r))?
        }
        QueryMsg::SlashRequests { start_after, limit } => {
            let items: Vec<(u64, SlashRequest)> =
                page(&SLASH_REQUESTS, deps.storage, start_after, limit)?;
            let out: Vec<_> = items
                .into_iter()
                .map(|(id, r)| slash_response(id, r))
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
    operator: &Addr,
    op: &Operator,
) -> Result<Vec<AllocationResponse>, ContractError> {
    OPT_INS
        .prefix(operator)
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_SERVICES_PER_OPERATOR as usize)
        .filter(|r| r.as_ref().map_or(true, |(_, o)| o.in_force(env.block.time)))
        .map(|r| {
            let (service, o) = r?;
            Ok(AllocationResponse {
                service,
                bps: o.bps,
                amount: allocated(op.assets, o.bps)?,
                opt_out_at: o.opt_out_at,
            })
        })
        .collect()
}

fn operator_response(
    deps: Deps,
    env: &Env,
    address: Addr,
    mut operator: Operator,
) -> Result<OperatorResponse, ContractError> {
    operator.commission_bps.apply_due(env.block.time);
    let config = CONFIG.load(deps.storage)?;
    operator.advance(env.block.time, config.reward_period)?;
    Ok(OperatorResponse {
        allocations: allocations(deps, env, &address, &operator)?,
        address: address.to_string(),
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
    s: Service,
) -> Result<ServiceResponse, ContractError> {
    let mut total = Uint128::zero();
    for operator in SERVICE_OPERATORS
        .prefix(id)
        .keys(deps.storage, None, None, Order::Ascending)
        .take(MAX_OPERATORS_PER_SERVICE as usize)
    {
        let operator = operator?;
        let o = OPT_INS.load(deps.storage, (&operator, id))?;
        if o.in_force(env.block.time) {
            let op = OPERATORS.load(deps.storage, &operator)?;
            total = total.checked_add(allocated(op.assets, o.bps)?)?;
        }
    }
    Ok(ServiceResponse {
        id,
        name: s.name,
        admin: s.admin.to_string(),
        reward_rate_bps: s.reward_rate_bps,
        max_slash_bps_per_epoch: s.max_slash_bps_per_epoch,
        veto_window: s.veto_window,
        resolver: s.resolver.to_string(),
        slash_destination: s.slash_destination.to_string(),
        allocated: total,
        operators: s.operators,
        rewards_paid: s.rewards_paid,
        slashed: s.slashed,
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
    let mut exposure: std::collections::BTreeMap<u64, (Uint128, Uint128)> = Default::default();
    let mut operators: std::collections::BTreeMap<Addr, Operator> = Default::default();
    for (operator, mut d) in positions {
        let mut op = OPERATORS.load(deps.storage, &operator)?;
        op.advance(now, config.reward_period)?;
        op.settle(&mut d)?;
        out.rewards = out.rewards.checked_add(d.rewards_owed)?;
        // positions are worth their shares net of the slashes pending against the operator
        let pool = op.priced_pool();
        let value = pool.assets_for_redeem(d.shares)?;
        out.delegated_value = out.delegated_value.checked_add(value)?;
        if !d.shares.is_zero() {
            out.delegations.push(DelegationResponse {
                operator: operator.to_string(),
                shares: d.shares,
                value,
            });
        }
        // everything still in the pool is slashable: active and withdrawing shares
        let in_pool = d.shares.checked_add(d.withdrawing)?;
        let at_risk = pool.assets_for_redeem(in_pool)?;
        out.pending_slash_value = out.pending_slash_value.checked_add(
            op.pool()
                .assets_for_redeem(in_pool)?
                .saturating_sub(at_risk),
        )?;
        for a in allocations(deps, env, &operator, &op)? {
            let svc = SERVICES.load(deps.storage, a.service)?;
            let alloc = allocated(at_risk, a.bps)?;
            let max = allocated(alloc, svc.max_slash_bps_per_epoch)?;
            let e = exposure.entry(a.service).or_default();
            e.0 = e.0.checked_add(alloc)?;
            e.1 = e.1.checked_add(max)?;
        }
        operators.insert(operator, op);
    }
    // at most MAX_OPERATORS_PER_DELEGATOR x (MAX_WITHDRAWAL_EPOCHS + 1) entries (merged per
    // operator and epoch), every one with a position in `operators`
    for item in
        UNDELEGATIONS
            .sub_prefix(delegator)
            .range(deps.storage, None, None, Order::Ascending)
    {
        let ((at, operator), shares) = item?;
        let op = match operators.get(&operator) {
            Some(op) => op,
            None => continue,
        };
        let value = op.priced_pool().assets_for_redeem(shares)?;
        let completes_at = Timestamp::from_seconds(at);
        out.undelegating_value = out.undelegating_value.checked_add(value)?;
        // held while a slash requested before it was due is pending against the operator
        if completes_at <= now && !is_entry_held(deps.storage, &operator, at)? {
            out.completable_value = out.completable_value.checked_add(value)?;
        }
        out.undelegations.push(UndelegationResponse {
            operator: operator.to_string(),
            shares,
            value,
            completes_at,
        });
    }
    out.exposure = exposure
        .into_iter()
        .map(
            |(service, (allocated, max_slash_per_epoch))| ServiceExposure {
                service,
                allocated,
                max_slash_per_epoch,
            },
        )
        .collect();
    Ok(out)
}

fn slash_response(id: u64, r: SlashRequest) -> SlashRequestResponse {
    SlashRequestResponse {
        id,
        service: r.service,
        operator: r.operator.to_string(),
        fraction_bps: r.fraction_bps,
        reason: r.reason,
        status: r.status,
        requested_at: r.requested_at,
        executable_at: r.executable_at,
        amount: r.amount,
        executed_bps: r.executed_bps,
        slashed: r.slashed,
    }
}
