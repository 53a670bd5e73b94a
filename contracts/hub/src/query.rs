//! Queries. They show the state as of now: the same sync as an execute runs (slashing,
//! matured batches, accrued rewards, a due fee change) is applied to a copy that is never saved.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, Uint128};
use tributary_common::pagination::page_keys;
use tributary_core::hub::{next_epoch_at, BatchStatus, Ledger};
use tributary_math::{pro_rata, targets_by_weight};
use tributary_types::hub::{
    BatchResponse, ConfigResponse, QueryMsg, StateResponse, UnbondRequestResponse,
    UnbondRequestsResponse, ValidatorResponse,
};

use crate::ledger::{load_ledger, load_synced};
use crate::state::{Batch, BATCHES, CONFIG, UNBOND_REQUESTS};
use crate::ContractError;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query_config(deps, &env)?)?,
        QueryMsg::State {} => to_json_binary(&query_state(deps, &env)?)?,
        QueryMsg::Validators {} => to_json_binary(&query_validators(deps, &env)?)?,
        QueryMsg::UnbondRequests { user } => {
            to_json_binary(&query_unbond_requests(deps, &env, user)?)?
        }
        QueryMsg::Batch { id } => to_json_binary(&query_batch(deps, &env, id)?)?,
        QueryMsg::Batches { start_after, limit } => {
            to_json_binary(&query_batches(deps, &env, start_after, limit)?)?
        }
        QueryMsg::Ownership {} => to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?,
    })
}

fn synced(deps: Deps, env: &Env) -> Result<Ledger, ContractError> {
    Ok(load_synced(deps, env, Uint128::zero())?.1)
}

fn query_config(deps: Deps, env: &Env) -> Result<ConfigResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time;
    Ok(ConfigResponse {
        fee_bps: *config.fee.at(now),
        pending_fee: config.fee.upcoming(now).cloned(),
        denom: config.denom,
        lst_token: config.lst_token,
        epoch_period: config.epoch_period,
        unbonding_period: config.unbonding_period,
        batch_interval: config.batch_interval,
        fee_addr: config.fee_addr,
        fee_change_delay: config.fee_change_delay,
        min_bond: config.min_bond,
        deposit_cap: config.deposit_cap,
        max_rebalance_per_epoch: config.max_rebalance_per_epoch,
        paused: config.paused,
        instant_unstake_pool: config.instant_unstake_pool,
        guardian: config.guardian,
        rails: config.rails,
        pause_cause: config.pause_cause,
    })
}

fn query_state(deps: Deps, env: &Env) -> Result<StateResponse, ContractError> {
    let ledger = synced(deps, env)?;
    let pool = ledger.pool()?;
    let params = &ledger.params;
    Ok(StateResponse {
        total_native: pool.assets,
        lst_supply: ledger.lst_supply,
        pending_unbond_lst: ledger.state.pending_lst,
        exchange_rate: pool.rate()?,
        accrued_rewards: ledger.pending_rewards()?,
        rewards_held: ledger.free_balance(),
        unclaimed_reserve: ledger.state.unclaimed_reserve,
        epoch: ledger.state.epoch,
        next_epoch_at: next_epoch_at(params.genesis, params.epoch_period, ledger.state.epoch),
        pending_batch_id: ledger.state.pending_batch_id,
        next_batch_submit_at: ledger.next_batch_submit_at(),
        withheld: ledger.state.withheld,
        bunker: ledger.state.bunker.clone(),
    })
}

fn query_validators(deps: Deps, env: &Env) -> Result<Vec<ValidatorResponse>, ContractError> {
    // targets are computed from the ledger as stored; `actual` shows an undetected slash
    let config = CONFIG.load(deps.storage)?;
    let ledger = load_ledger(deps, env, &config, Uint128::zero())?;
    let targets = targets_by_weight(ledger.booked_total()?, &ledger.weights())?;
    Ok(ledger
        .validators
        .iter()
        .zip(targets)
        .map(|(validator, target)| ValidatorResponse {
            address: validator.address.clone(),
            weight: validator.record.weight,
            target,
            booked: validator.record.booked,
            actual: validator.actual,
        })
        .collect())
}

/// A batch as of now: in-flight batches from the synced ledger, the rest from storage.
fn batch_now(deps: Deps, ledger: &Ledger, id: u64) -> Result<Batch, ContractError> {
    match ledger.in_flight(id) {
        Some(batch) => Ok(batch.clone()),
        None => Ok(BATCHES.load(deps.storage, id)?),
    }
}

fn to_response(id: u64, batch: Batch) -> BatchResponse {
    BatchResponse {
        id,
        status: batch.status,
        lst_amount: batch.lst_amount,
        native_amount: batch.native_amount,
        native_received: if batch.status == BatchStatus::Claimable {
            batch.native_amount
        } else {
            batch.received
        },
        native_claimed: batch.native_claimed,
        submitted_at: batch.submitted_at,
        claimable_at: batch.claimable_at,
    }
}

fn query_batch(deps: Deps, env: &Env, id: u64) -> Result<BatchResponse, ContractError> {
    let ledger = synced(deps, env)?;
    Ok(to_response(id, batch_now(deps, &ledger, id)?))
}

fn query_batches(
    deps: Deps,
    env: &Env,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<Vec<BatchResponse>, ContractError> {
    let ledger = synced(deps, env)?;
    page_keys(&BATCHES, deps.storage, start_after, limit)?
        .into_iter()
        .map(|id| Ok(to_response(id, batch_now(deps, &ledger, id)?)))
        .collect()
}

fn query_unbond_requests(
    deps: Deps,
    env: &Env,
    user: String,
) -> Result<UnbondRequestsResponse, ContractError> {
    let user_addr = crate::execute::validate_addr(deps.api, &user)?;
    let ledger = synced(deps, env)?;
    let mut requests = vec![];
    let mut claimable = Uint128::zero();
    for item in UNBOND_REQUESTS
        .prefix(&user_addr)
        .range(deps.storage, None, None, Order::Ascending)
    {
        let (batch_id, lst_amount) = item?;
        let batch = batch_now(deps, &ledger, batch_id)?;
        let native_amount = if batch.status == BatchStatus::Pending {
            Uint128::zero()
        } else {
            pro_rata(batch.native_amount, lst_amount, batch.lst_amount)?
        };
        if batch.status == BatchStatus::Claimable {
            claimable = claimable.checked_add(native_amount)?;
        }
        requests.push(UnbondRequestResponse {
            batch_id,
            status: batch.status,
            lst_amount,
            native_amount,
            claimable_at: batch.claimable_at,
        });
    }
    Ok(UnbondRequestsResponse {
        requests,
        claimable,
    })
}
