use cosmwasm_std::{
    to_json_binary, CosmosMsg, DepsMut, Env, MessageInfo, Response, StakingMsg, Uint128, WasmMsg,
};
use tributary_math::{allocate_to_deficits, plan_rebalance, take_from_surpluses, SharePool};
use tributary_types::hub::{BatchStatus, CallbackMsg, ExecuteMsg};

use crate::books::{Books, ChainLimit};
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

    // rewards are booked as held now; they are in the balance when the callback runs
    let withdraw = books.withdraw_all_rewards()?;
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
        .add_attribute("payouts_received", report.payouts_received)
        .add_attribute("unexplained_rewards", report.unexplained_rewards)
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

/// Second half of the crank, sent by the hub to itself: the rewards the hub holds (never a
/// pending payout) are compounded: take the fee (minted as LST), delegate the rest; rebalance
/// within the bound, skipping moves the chain would refuse; submit the pending batch if its
/// interval has passed, or defer it if the chain could not take its undelegations now.
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
    // normally nothing: the first half withdrew everything in this block
    let mut msgs: Vec<CosmosMsg> = books.withdraw_all_rewards()?;

    // rewards and fee
    let rewards = books.free_balance();
    let mut pool = SharePool::new(
        books.booked_total()?.checked_add(rewards)?,
        books.total_lst()?,
    );
    let fee = books.fee_on(rewards)?;
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
    books.rewards_compounded();

    // bounded rebalancing, within the chain's redelegation limits
    let moves = plan_rebalance(
        &books.booked(),
        &books.weights(),
        books.config.max_rebalance_per_epoch,
    )?;
    let mut rebalanced = Uint128::zero();
    let mut skipped: Vec<String> = vec![];
    for m in moves {
        if let Err(limit) = books.can_redelegate(m.from, m.to) {
            let reason = limit.describe();
            if !skipped.contains(&reason) {
                skipped.push(reason);
            }
            continue;
        }
        let src = books.validators[m.from].address.clone();
        let dst = books.validators[m.to].address.clone();
        books.validators[m.from].record.booked = books.validators[m.from]
            .record
            .booked
            .checked_sub(m.amount)?;
        books.validators[m.to].record.booked =
            books.validators[m.to].record.booked.checked_add(m.amount)?;
        books.record_redelegation(m.from, m.to);
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
    let outcome = submit_batch_if_due(deps.storage, &mut books, &mut pool, &env, &mut msgs)?;

    books.save(deps.storage)?;
    let mut response = Response::new()
        .add_messages(msgs)
        .add_attribute("action", "reinvest")
        .add_attribute("rewards", rewards)
        .add_attribute("fee", fee)
        .add_attribute("fee_lst", fee_lst)
        .add_attribute("rebalanced", rebalanced)
        .add_attribute(
            "submitted_batch",
            match &outcome {
                BatchOutcome::Submitted(id) => id.to_string(),
                _ => String::new(),
            },
        );
    if !skipped.is_empty() {
        response = response.add_attribute("rebalance_skipped", skipped.join(","));
    }
    if let BatchOutcome::Deferred(reason) = outcome {
        response = response.add_attribute("batch_deferred", reason);
    }
    Ok(response)
}

/// What happened to the pending batch at this crank.
enum BatchOutcome {
    /// Not due (interval not passed) or empty.
    NotDue,
    /// Submitted under this id.
    Submitted(u64),
    /// Due, but the chain could not take its undelegations now (the reason, as an attribute
    /// value); it stays pending, still counted in the rate, and the next crank tries again.
    Deferred(String),
}

/// Prices the pending batch at the post-reward rate, undelegates its native (from the most
/// over-weight validators first, among those that can take another unbonding entry) and opens
/// the next batch. If the validators that can take an entry hold too little, the batch is
/// deferred.
fn submit_batch_if_due(
    storage: &mut dyn cosmwasm_std::Storage,
    books: &mut Books,
    pool: &mut SharePool,
    env: &Env,
    msgs: &mut Vec<CosmosMsg>,
) -> Result<BatchOutcome, ContractError> {
    let now = env.block.time;
    let due = match books.state.last_batch_submitted_at {
        Some(last) => now >= last.plus_seconds(books.config.batch_interval),
        None => true,
    };
    if !due || books.state.pending_lst.is_zero() {
        return Ok(BatchOutcome::NotDue);
    }
    let native = pool.assets_for_redeem(books.state.pending_lst)?;
    let booked = books.booked();
    let weights = books.weights();
    let mut split = take_from_surpluses(&booked, &weights, native)?;
    let blocked: Vec<Option<ChainLimit>> = (0..books.validators.len())
        .map(|i| books.can_undelegate(i).err())
        .collect();
    let uses_blocked = split
        .iter()
        .zip(&blocked)
        .any(|(amount, limit)| !amount.is_zero() && limit.is_some());
    if uses_blocked {
        // draw only from validators that can take another entry
        let open_booked: Vec<Uint128> = booked
            .iter()
            .zip(&blocked)
            .map(|(b, l)| if l.is_some() { Uint128::zero() } else { *b })
            .collect();
        let open_total = open_booked
            .iter()
            .try_fold(Uint128::zero(), |acc, b| acc.checked_add(*b))?;
        if open_total < native {
            let reasons: Vec<String> = blocked
                .iter()
                .zip(&booked)
                .filter(|(_, b)| !b.is_zero())
                .filter_map(|(l, _)| l.as_ref().map(ChainLimit::describe))
                .collect();
            return Ok(BatchOutcome::Deferred(reasons.join(",")));
        }
        let mut open_weights: Vec<u64> = weights
            .iter()
            .zip(&blocked)
            .map(|(w, l)| if l.is_some() { 0 } else { *w })
            .collect();
        if open_weights.iter().all(|w| *w == 0) {
            // only removed validators are open: draw from whoever holds the most
            open_weights = open_booked
                .iter()
                .map(|b| u64::from(!b.is_zero()))
                .collect();
        }
        split = take_from_surpluses(&open_booked, &open_weights, native)?;
    }
    let native = pool.redeem(books.state.pending_lst)?;
    let id = books.state.pending_batch_id;
    let mut batch = BATCHES.load(storage, id)?;
    let claimable_at = now.plus_seconds(books.config.unbonding_period);
    for (index, amount) in split.iter().enumerate() {
        if amount.is_zero() {
            continue;
        }
        msgs.extend(books.withdraw_before_staking(index)?);
        let v = &mut books.validators[index];
        v.record.booked = v.record.booked.checked_sub(*amount)?;
        let validator = v.address.clone();
        books.record_unbonding(index, claimable_at);
        msgs.push(
            StakingMsg::Undelegate {
                validator: validator.clone(),
                amount: cosmwasm_std::coin(amount.u128(), &books.config.denom),
            }
            .into(),
        );
        batch.entries.push(BatchEntry {
            validator,
            amount: *amount,
        });
    }
    batch.native_amount = native;
    batch.submitted_at = Some(now);
    batch.claimable_at = Some(claimable_at);
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
    Ok(BatchOutcome::Submitted(id))
}
