use cosmwasm_std::{
    to_json_binary, CosmosMsg, DepsMut, DistributionMsg, Env, MessageInfo, Response, StakingMsg,
    Uint128, WasmMsg,
};
use tributary_math::{
    allocate_to_deficits, fee_amount, plan_rebalance, take_from_surpluses, SharePool,
};
use tributary_types::hub::{BatchStatus, CallbackMsg, ExecuteMsg};

use crate::books::Books;
use crate::execute::ensure_not_paused;
use crate::state::{Batch, BatchEntry, BATCHES, CONFIG};
use crate::ContractError;

/// Epoch number of `now`.
fn epoch_at(config: &crate::state::Config, now: cosmwasm_std::Timestamp) -> u64 {
    now.seconds().saturating_sub(config.genesis.seconds()) / config.epoch_period
}

/// First half of the crank: sync, advance the epoch (all missed epochs at once), withdraw
/// rewards, then call back into [`execute_reinvest`] once they have arrived.
pub fn execute_crank(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.crank, "crank")?;
    let mut books = Books::load(deps.as_ref(), &env, Uint128::zero())?;
    let current = epoch_at(&config, env.block.time);
    if current <= books.state.epoch {
        return Err(ContractError::EpochNotElapsed {
            epoch: books.state.epoch,
            next_epoch_at: config
                .genesis
                .plus_seconds((books.state.epoch + 1).saturating_mul(config.epoch_period)),
        });
    }
    let report = books.sync(env.block.time)?;
    let missed = current - books.state.epoch;
    books.state.epoch = current;

    let withdraw: Vec<CosmosMsg> = books
        .validators
        .iter()
        .filter(|v| !v.accrued.is_zero())
        .map(|v| {
            DistributionMsg::WithdrawDelegatorReward {
                validator: v.address.clone(),
            }
            .into()
        })
        .collect();
    let callback = WasmMsg::Execute {
        contract_addr: env.contract.address.to_string(),
        msg: to_json_binary(&ExecuteMsg::Callback(CallbackMsg::Reinvest {}))?,
        funds: vec![],
    };
    books.save(deps.storage)?;

    Ok(Response::new()
        .add_messages(withdraw)
        .add_message(callback)
        .add_attribute("action", "crank")
        .add_attribute("epoch", current.to_string())
        .add_attribute("epochs_processed", missed.to_string())
        .add_attribute("slashed_delegations", report.slashed_delegations)
        .add_attribute("slashed_batches", report.slashed_batches)
        .add_attribute(
            "matured_batches",
            report
                .matured
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ))
}

/// Second half of the crank, sent by the hub to itself: everything free in the balance is
/// rewards; take the fee (minted as LST), delegate the rest, rebalance within the bound, and
/// submit the pending batch if its interval has passed.
pub fn execute_reinvest(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    if info.sender != env.contract.address {
        return Err(ContractError::CallbackOnly {});
    }
    let mut books = Books::load(deps.as_ref(), &env, Uint128::zero())?;
    books.sync(env.block.time)?;
    let denom = books.config.denom.clone();
    let lst_token = books
        .config
        .lst_token
        .clone()
        .ok_or(ContractError::TokenNotReady {})?;
    let mut msgs: Vec<CosmosMsg> = vec![];

    // rewards and fee
    let rewards = books.free_balance()?;
    let mut pool = SharePool::new(
        books.booked_total()?.checked_add(rewards)?,
        books.total_lst()?,
    );
    let fee = fee_amount(rewards, books.config.fee_bps)?;
    let fee_lst = pool.mint_fee(fee)?;
    if !fee_lst.is_zero() {
        msgs.push(
            WasmMsg::Execute {
                contract_addr: lst_token.to_string(),
                msg: to_json_binary(&cw20::Cw20ExecuteMsg::Mint {
                    recipient: books.config.fee_addr.to_string(),
                    amount: fee_lst,
                })?,
                funds: vec![],
            }
            .into(),
        );
    }

    // compound
    if !rewards.is_zero() {
        let split = allocate_to_deficits(&books.booked(), &books.weights(), rewards)?;
        for (validator, amount) in books.credit(&split)? {
            msgs.push(
                StakingMsg::Delegate {
                    validator,
                    amount: cosmwasm_std::coin(amount.u128(), &denom),
                }
                .into(),
            );
        }
    }

    // bounded rebalancing
    let moves = plan_rebalance(
        &books.booked(),
        &books.weights(),
        books.config.max_rebalance_per_epoch,
    )?;
    let mut rebalanced = Uint128::zero();
    for m in moves {
        let src = books.validators[m.from].address.clone();
        let dst = books.validators[m.to].address.clone();
        books.validators[m.from].record.booked = books.validators[m.from]
            .record
            .booked
            .checked_sub(m.amount)?;
        books.validators[m.to].record.booked =
            books.validators[m.to].record.booked.checked_add(m.amount)?;
        rebalanced = rebalanced.checked_add(m.amount)?;
        msgs.push(
            StakingMsg::Redelegate {
                src_validator: src,
                dst_validator: dst,
                amount: cosmwasm_std::coin(m.amount.u128(), &denom),
            }
            .into(),
        );
    }

    // unbond batch
    let submitted = submit_batch_if_due(deps.storage, &mut books, &mut pool, &env, &mut msgs)?;

    books.save(deps.storage)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "reinvest")
        .add_attribute("rewards", rewards)
        .add_attribute("fee", fee)
        .add_attribute("fee_lst", fee_lst)
        .add_attribute("rebalanced", rebalanced)
        .add_attribute(
            "submitted_batch",
            submitted.map(|id| id.to_string()).unwrap_or_default(),
        ))
}

/// Prices the pending batch at the post-reward rate, undelegates its native (from the most
/// over-weight validators first) and opens the next batch.
fn submit_batch_if_due(
    storage: &mut dyn cosmwasm_std::Storage,
    books: &mut Books,
    pool: &mut SharePool,
    env: &Env,
    msgs: &mut Vec<CosmosMsg>,
) -> Result<Option<u64>, ContractError> {
    let now = env.block.time;
    let due = match books.state.last_batch_submitted_at {
        Some(last) => now >= last.plus_seconds(books.config.batch_interval),
        None => true,
    };
    if !due || books.state.pending_lst.is_zero() {
        return Ok(None);
    }
    let id = books.state.pending_batch_id;
    let mut batch = BATCHES.load(storage, id)?;
    let native = pool.redeem(books.state.pending_lst)?;
    let split = take_from_surpluses(&books.booked(), &books.weights(), native)?;
    for (validator, amount) in books.debit(&split)? {
        msgs.push(
            StakingMsg::Undelegate {
                validator: validator.clone(),
                amount: cosmwasm_std::coin(amount.u128(), &books.config.denom),
            }
            .into(),
        );
        batch.entries.push(BatchEntry { validator, amount });
    }
    batch.native_amount = native;
    batch.submitted_at = Some(now);
    batch.claimable_at = Some(now.plus_seconds(books.config.unbonding_period));
    batch.status = BatchStatus::Unbonding;
    books.batches.push((id, batch));
    books.state.unbonding_batches.push(id);
    books.state.pending_lst = Uint128::zero();
    let next = id
        .checked_add(1)
        .ok_or(tributary_math::MathError::Overflow)?;
    books.state.pending_batch_id = next;
    books.state.last_batch_submitted_at = Some(now);
    BATCHES.save(storage, next, &Batch::pending())?;
    Ok(Some(id))
}
