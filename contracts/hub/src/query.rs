//! Queries. They show the state as of now: the same sync as an execute runs (slashing,
//! matured batches, accrued rewards) is applied to a copy that is never saved.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, Uint128};
use cw_storage_plus::Bound;
use tributary_math::{pro_rata, targets_by_weight};
use tributary_types::hub::{
    BatchResponse, BatchStatus, ConfigResponse, QueryMsg, StateResponse, UnbondRequestResponse,
    UnbondRequestsResponse, ValidatorResponse,
};

use crate::books::Books;
use crate::state::{Batch, BATCHES, CONFIG, UNBOND_REQUESTS};
use crate::ContractError;

const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 30;

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

fn synced(deps: Deps, env: &Env) -> Result<Books, ContractError> {
    let mut books = Books::load(deps, env, Uint128::zero())?;
    books.sync(env.block.time)?;
    Ok(books)
}

fn query_config(deps: Deps, env: &Env) -> Result<ConfigResponse, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    // a fee change whose delay has passed is in force
    if let Some(p) = &config.pending_fee {
        if env.block.time >= p.effective_at {
            config.fee_bps = p.fee_bps;
            config.pending_fee = None;
        }
    }
    Ok(ConfigResponse {
        denom: config.denom,
        lst_token: config.lst_token.map(|a| a.to_string()).unwrap_or_default(),
        epoch_period: config.epoch_period,
        unbonding_period: config.unbonding_period,
        batch_interval: config.batch_interval,
        fee_bps: config.fee_bps,
        pending_fee: config.pending_fee,
        fee_addr: config.fee_addr.to_string(),
        fee_change_delay: config.fee_change_delay,
        min_bond: config.min_bond,
        deposit_cap: config.deposit_cap,
        max_rebalance_per_epoch: config.max_rebalance_per_epoch,
        paused: config.paused,
        instant_unstake_pool: config.instant_unstake_pool.map(|a| a.to_string()),
    })
}

fn query_state(deps: Deps, env: &Env) -> Result<StateResponse, ContractError> {
    let books = synced(deps, env)?;
    let pool = books.pool()?;
    let c = &books.config;
    let next_epoch_at = c
        .genesis
        .plus_seconds((books.state.epoch + 1).saturating_mul(c.epoch_period));
    let next_batch_submit_at = books
        .state
        .last_batch_submitted_at
        .map(|t| t.plus_seconds(c.batch_interval))
        .unwrap_or(c.genesis);
    Ok(StateResponse {
        total_native: pool.assets,
        lst_supply: books.lst_supply,
        pending_unbond_lst: books.state.pending_lst,
        exchange_rate: pool.rate()?,
        accrued_rewards: books.pending_rewards()?,
        rewards_held: books.free_balance(),
        unclaimed_reserve: books.state.unclaimed_reserve,
        epoch: books.state.epoch,
        next_epoch_at,
        pending_batch_id: books.state.pending_batch_id,
        next_batch_submit_at,
    })
}

fn query_validators(deps: Deps, env: &Env) -> Result<Vec<ValidatorResponse>, ContractError> {
    // targets are computed from the books as stored; `actual` shows an undetected slash
    let books = Books::load(deps, env, Uint128::zero())?;
    let targets = targets_by_weight(books.booked_total()?, &books.weights())?;
    Ok(books
        .validators
        .iter()
        .zip(targets)
        .map(|(v, target)| ValidatorResponse {
            address: v.address.clone(),
            weight: v.record.weight,
            target,
            booked: v.record.booked,
            actual: v.actual,
        })
        .collect())
}

/// A batch as of now: in-flight batches from the synced books, the rest from storage.
fn batch_now(deps: Deps, books: &Books, id: u64) -> Result<Batch, ContractError> {
    match books.batches.iter().find(|(bid, _)| *bid == id) {
        Some((_, b)) => Ok(b.clone()),
        None => Ok(BATCHES.load(deps.storage, id)?),
    }
}

fn to_response(id: u64, b: Batch) -> BatchResponse {
    BatchResponse {
        id,
        status: b.status,
        lst_amount: b.lst_amount,
        native_amount: b.native_amount,
        native_received: if b.status == BatchStatus::Claimable {
            b.native_amount
        } else {
            b.received
        },
        native_claimed: b.native_claimed,
        submitted_at: b.submitted_at,
        claimable_at: b.claimable_at,
    }
}

fn query_batch(deps: Deps, env: &Env, id: u64) -> Result<BatchResponse, ContractError> {
    let books = synced(deps, env)?;
    Ok(to_response(id, batch_now(deps, &books, id)?))
}

fn query_batches(
    deps: Deps,
    env: &Env,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<Vec<BatchResponse>, ContractError> {
    let books = synced(deps, env)?;
    let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
    let ids = BATCHES
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .collect::<Result<Vec<_>, _>>()?;
    ids.into_iter()
        .map(|id| Ok(to_response(id, batch_now(deps, &books, id)?)))
        .collect()
}

fn query_unbond_requests(
    deps: Deps,
    env: &Env,
    user: String,
) -> Result<UnbondRequestsResponse, ContractError> {
    let user = crate::execute::validate_addr(deps.api, &user)?;
    let books = synced(deps, env)?;
    let mut requests = vec![];
    let mut claimable = Uint128::zero();
    for item in UNBOND_REQUESTS
        .prefix(&user)
        .range(deps.storage, None, None, Order::Ascending)
    {
        let (batch_id, lst_amount) = item?;
        let batch = batch_now(deps, &books, batch_id)?;
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
