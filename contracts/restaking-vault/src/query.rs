//! Queries, valued live (see `ledger`).

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, Uint128};
use cw20::Cw20Contract;
use tributary_types::vault::{
    ExposureResponse, OperatorTarget, OperatorValue, PositionResponse, QueryMsg, StrategyTarget,
    StrategyValue, VaultConfigResponse, VaultExposure, VaultStateResponse, WithdrawalResponse,
};

use crate::execute::validate_addr;
use crate::ledger::Snapshot;
use crate::state::{CONFIG, OPERATOR_TARGETS, STRATEGIES, USER_WITHDRAWALS, WITHDRAWALS};
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
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time;
    Ok(VaultConfigResponse {
        hub: config.hub.to_string(),
        registry: config.registry.to_string(),
        lst_token: config.lst_token.to_string(),
        lrt_token: config.lrt_token.to_string(),
        fee_bps: *config.fee.at(now),
        pending_fee: config.fee.upcoming(now).cloned(),
        fee_addr: config.fee_addr.to_string(),
        fee_change_delay: config.fee_change_delay,
        withdrawal_delay: config.withdrawal_delay,
        deposit_cap: config.deposit_cap,
        max_operator_bps: config.max_operator_bps,
        max_service_exposure_bps: config.max_service_exposure_bps,
        operator_targets: OPERATOR_TARGETS
            .range(deps.storage, None, None, Order::Ascending)
            .map(|item| {
                item.map(|(operator, weight)| OperatorTarget {
                    operator: operator.to_string(),
                    weight,
                })
            })
            .collect::<Result<_, _>>()?,
        strategies: STRATEGIES
            .range(deps.storage, None, None, Order::Ascending)
            .map(|item| {
                item.map(|(contract, target_bps)| StrategyTarget {
                    contract: contract.to_string(),
                    target_bps,
                })
            })
            .collect::<Result<_, _>>()?,
        paused: config.paused,
        guardian: config.guardian.map(|guardian| guardian.to_string()),
        rails: config.rails,
        pause_cause: config.pause_cause,
    })
}

fn query_state(deps: Deps, env: &Env) -> Result<VaultStateResponse, ContractError> {
    let Snapshot {
        config,
        state,
        registry_position,
        ledger,
        ..
    } = Snapshot::load(deps, env, Uint128::zero())?;
    let rate = ledger.pool()?.rate()?;
    let native_per_lst = ledger.hub_pool.rate()?;
    Ok(VaultStateResponse {
        total_value: ledger.total_value()?,
        lrt_supply: ledger.lrt_supply,
        pending_withdrawal_lrt: state.pending_lrt,
        queue_owed: ledger.queue_owed()?,
        rate,
        rate_native: rate
            .checked_mul(native_per_lst)
            .map_err(|_| ContractError::Math(tributary_math::MathError::Overflow))?,
        idle: ledger.idle,
        reserved: state.reserved,
        reserved_native: state.reserved_native,
        operators: ledger
            .operators
            .iter()
            .map(|position| OperatorValue {
                operator: position.operator.to_string(),
                value: position.value,
                weight: position.weight,
            })
            .collect(),
        undelegating: registry_position.undelegating_value,
        rewards_native: ledger.rewards_native,
        rewards_value: ledger.rewards_value,
        strategies: ledger
            .strategies
            .iter()
            .map(|position| StrategyValue {
                contract: position.strategy.to_string(),
                value: position.value,
                target_bps: position.target_bps,
            })
            .collect(),
        withheld: ledger.withheld,
        pending_slash: ledger.pending_slash,
        rate_anchor: state.rate_anchor,
        slash_resolution: crate::execute::crank::slash_resolution(deps, &config)?,
    })
}

fn query_position(deps: Deps, env: &Env, user: String) -> Result<PositionResponse, ContractError> {
    let user_addr = validate_addr(deps.api, &user)?;
    let Snapshot { config, ledger, .. } = Snapshot::load(deps, env, Uint128::zero())?;
    let balance = Cw20Contract(config.lrt_token).balance(&deps.querier, &user_addr)?;
    let value = ledger.pool()?.assets_for_redeem(balance)?;
    let mut withdrawals = vec![];
    let mut claimable = Uint128::zero();
    let mut claimable_native = Uint128::zero();
    for id in USER_WITHDRAWALS
        .prefix(&user_addr)
        .keys(deps.storage, None, None, Order::Ascending)
    {
        let id = id?;
        let withdrawal = WITHDRAWALS.load(deps.storage, id)?;
        if let Some(lst) = withdrawal.lst {
            claimable = claimable.checked_add(lst)?;
            claimable_native = claimable_native.checked_add(withdrawal.native)?;
        }
        withdrawals.push(WithdrawalResponse {
            id,
            lrt: withdrawal.lrt,
            requested_at: withdrawal.requested_at,
            finalize_at: withdrawal.finalize_at,
            value_at_request: withdrawal.value_at_request,
            lst: withdrawal.lst,
            native: withdrawal.native,
            awaits_slashes: withdrawal.awaits_slashes,
        });
    }
    Ok(PositionResponse {
        lrt: balance,
        value,
        value_native: ledger.hub_pool.value_of(value)?,
        withdrawals,
        claimable,
        claimable_native,
    })
}

fn query_exposure(deps: Deps, env: &Env) -> Result<ExposureResponse, ContractError> {
    let Snapshot {
        registry_position,
        ledger,
        ..
    } = Snapshot::load(deps, env, Uint128::zero())?;
    let total = ledger.total_value()?;
    let services = registry_position
        .exposure
        .iter()
        .map(|exposure| {
            Ok(VaultExposure {
                service: exposure.service,
                allocated: exposure.allocated,
                max_slash_per_epoch: exposure.max_slash_per_epoch,
                share_bps: tributary_math::share_bps(exposure.allocated, total)?,
            })
        })
        .collect::<Result<Vec<_>, ContractError>>()?;
    Ok(ExposureResponse {
        total_value: total,
        services,
    })
}
