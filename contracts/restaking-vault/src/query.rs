//! Queries, valued live (see `holdings`).

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, Uint128};
use tributary_types::vault::{
    ExposureResponse, OperatorValue, PositionResponse, QueryMsg, StrategyValue,
    VaultConfigResponse, VaultExposure, VaultStateResponse, WithdrawalResponse,
};

use crate::execute::validate_addr;
use crate::holdings::Holdings;
use crate::state::{OPERATOR_TARGETS, STRATEGIES, USER_WITHDRAWALS, WITHDRAWALS};
use crate::ContractError;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query_config(deps, &env)?)?,
        QueryMsg::State {} => to_json_binary(&query_state(deps, &env)?)?,
        QueryMsg::Position { user } => to_json_binary(&query_position(deps, &env, user)?)?,
        QueryMsg::Exposure {} => to_json_binary(&query_exposure(deps, &env)?)?,
        QueryMsg::Ownership {} => to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?,
    })
}

fn query_config(deps: Deps, env: &Env) -> Result<VaultConfigResponse, ContractError> {
    let mut c = crate::state::CONFIG.load(deps.storage)?;
    c.apply_due_fee(env.block.time);
    Ok(VaultConfigResponse {
        hub: c.hub.to_string(),
        registry: c.registry.to_string(),
        lst_token: c.lst_token.to_string(),
        lrt_token: c.lrt_token.map(|a| a.to_string()).unwrap_or_default(),
        fee_bps: c.fee_bps,
        pending_fee: c.pending_fee,
        fee_addr: c.fee_addr.to_string(),
        fee_change_delay: c.fee_change_delay,
        withdrawal_delay: c.withdrawal_delay,
        deposit_cap: c.deposit_cap,
        max_operator_bps: c.max_operator_bps,
        max_service_exposure_bps: c.max_service_exposure_bps,
        operator_targets: OPERATOR_TARGETS
            .range(deps.storage, None, None, Order::Ascending)
            .map(|r| r.map(|(a, w)| (a.to_string(), w)))
            .collect::<Result<_, _>>()?,
        strategies: STRATEGIES
            .range(deps.storage, None, None, Order::Ascending)
            .map(|r| r.map(|(a, b)| (a.to_string(), b)))
            .collect::<Result<_, _>>()?,
        paused: c.paused,
    })
}

fn query_state(deps: Deps, env: &Env) -> Result<VaultStateResponse, ContractError> {
    let h = Holdings::load(deps, env, Uint128::zero())?;
    let pool = h.pool()?;
    let rate = pool.rate()?;
    let native_per_lst = h.hub_pool.rate()?;
    Ok(VaultStateResponse {
        total_value: h.total_value()?,
        lrt_supply: h.lrt_supply,
        pending_withdrawal_lrt: h.state.pending_lrt,
        queue_owed: h.queue_owed()?,
        rate,
        rate_native: rate
            .checked_mul(native_per_lst)
            .map_err(|_| ContractError::Math(tributary_math::MathError::Overflow))?,
        idle: h.idle,
        reserved: h.state.reserved,
        reserved_native: h.state.reserved_native,
        operators: h
            .operators
            .iter()
            .map(|(a, w, v)| OperatorValue {
                operator: a.to_string(),
                value: *v,
                weight: *w,
            })
            .collect(),
        undelegating: h.registry.undelegating_value,
        rewards_native: h.rewards_native,
        rewards_value: h.rewards_value,
        strategies: h
            .strategies
            .iter()
            .map(|(a, b, v)| StrategyValue {
                contract: a.to_string(),
                value: *v,
                target_bps: *b,
            })
            .collect(),
    })
}

fn query_position(deps: Deps, env: &Env, user: String) -> Result<PositionResponse, ContractError> {
    let user = validate_addr(deps.api, &user)?;
    let h = Holdings::load(deps, env, Uint128::zero())?;
    let lrt_token = h
        .config
        .lrt_token
        .clone()
        .ok_or(ContractError::TokenNotReady {})?;
    let balance: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &lrt_token,
        &cw20::Cw20QueryMsg::Balance {
            address: user.to_string(),
        },
    )?;
    let value = h.pool()?.assets_for_redeem(balance.balance)?;
    let mut withdrawals = vec![];
    let mut claimable = Uint128::zero();
    let mut claimable_native = Uint128::zero();
    for id in USER_WITHDRAWALS
        .prefix(&user)
        .keys(deps.storage, None, None, Order::Ascending)
    {
        let id = id?;
        let w = WITHDRAWALS.load(deps.storage, id)?;
        if let Some(lst) = w.lst {
            claimable = claimable.checked_add(lst)?;
            claimable_native = claimable_native.checked_add(w.native)?;
        }
        withdrawals.push(WithdrawalResponse {
            id,
            lrt: w.lrt,
            requested_at: w.requested_at,
            finalize_at: w.finalize_at,
            value_at_request: w.value_at_request,
            lst: w.lst,
            native: w.native,
        });
    }
    Ok(PositionResponse {
        lrt: balance.balance,
        value,
        value_native: h.hub_pool.value_of(value)?,
        withdrawals,
        claimable,
        claimable_native,
    })
}

fn query_exposure(deps: Deps, env: &Env) -> Result<ExposureResponse, ContractError> {
    let h = Holdings::load(deps, env, Uint128::zero())?;
    let total = h.total_value()?;
    let services = h
        .registry
        .exposure
        .iter()
        .map(|e| {
            Ok(VaultExposure {
                service: e.service,
                allocated: e.allocated,
                max_slash_per_epoch: e.max_slash_per_epoch,
                share_bps: tributary_math::share_bps(e.allocated, total)?,
            })
        })
        .collect::<Result<Vec<_>, ContractError>>()?;
    Ok(ExposureResponse {
        total_value: total,
        services,
    })
}
