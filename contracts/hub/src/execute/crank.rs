use cosmwasm_std::{
    wasm_execute, Deps, DepsMut, Env, Event, MessageInfo, Response, Timestamp, Uint128,
};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_core::hub::BatchOutcome;
use tributary_types::hub::{CallbackMsg, ExecuteMsg};
use tributary_types::stableswap::{PegResponse, QueryMsg as PoolQuery};

use crate::execute::ensure_not_paused;
use crate::ledger::{
    auto_pause, load_ledger, rails_events, save_ledger, staking_msgs, sync_guarded,
};
use crate::state::Config;
use crate::state::{Batch, BATCHES, CONFIG};
use crate::ContractError;

/// First half of the crank: sync, advance the epoch (all missed epochs at once), apply the
/// rails (APR ceiling, drop detection, bunker mode), check the instant-unstake pool's peg,
/// withdraw rewards, then call back into [`execute_reinvest`] once they have arrived.
pub fn execute_crank(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.crank, "crank")?;
    let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
    let start = ledger.start_crank()?;
    let rails = ledger.crank_rails(&config.rails, &start.report)?;
    let mut events = rails_events(&mut config, &rails, env.block.time);
    events.extend(check_depeg(deps.as_ref(), &mut config, env.block.time));
    save_ledger(deps.storage, &mut config, &mut ledger)?;

    // rewards are booked as held now; they are in the balance when the callback runs
    let callback = wasm_execute(
        env.contract.address,
        &ExecuteMsg::Callback(CallbackMsg::Reinvest {}),
        vec![],
    )?;
    let report = start.report;
    Ok(Response::new()
        .add_events(events)
        .add_messages(staking_msgs(start.withdrawals, &config.denom))
        .add_message(callback)
        .add_attribute("action", "crank")
        .add_attribute("epoch", start.epoch.to_string())
        .add_attribute("epochs_processed", start.epochs_processed.to_string())
        .add_attribute("slashed_delegations", report.slashed_delegations)
        .add_attribute("slashed_batches", report.slashed_batches)
        .add_attribute("payouts_received", report.payouts_received)
        .add_attribute("unexplained_rewards", report.unexplained_rewards)
        .add_attribute("withheld", rails.withheld)
        .add_attribute("bunker", ledger.in_bunker().to_string())
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

/// Second half of the crank, sent by the hub to itself: the rewards the hub holds are
/// compounded (fee minted as LST), stake is rebalanced within the bound and the pending batch
/// submitted if due (see [`tributary_core::hub::Ledger::reinvest`]).
pub fn execute_reinvest(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    if info.sender != env.contract.address {
        return Err(ContractError::CallbackOnly {});
    }
    let mut config = CONFIG.load(deps.storage)?;
    let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
    let (_, events) = sync_guarded(&mut config, &mut ledger)?;
    let pending_batch = BATCHES.load(deps.storage, ledger.state.pending_batch_id)?;
    let plan = ledger.reinvest(pending_batch)?;
    if let BatchOutcome::Submitted { .. } = plan.batch {
        BATCHES.save(
            deps.storage,
            ledger.state.pending_batch_id,
            &Batch::pending(),
        )?;
    }
    save_ledger(deps.storage, &mut config, &mut ledger)?;

    let mut msgs = staking_msgs(plan.withdrawals, &config.denom);
    if !plan.fee_lst.is_zero() {
        msgs.push(
            Cw20Contract(config.lst_token.clone()).call(Cw20ExecuteMsg::Mint {
                recipient: config.fee_addr.to_string(),
                amount: plan.fee_lst,
            })?,
        );
    }
    msgs.extend(staking_msgs(plan.actions, &config.denom));
    let mut response = Response::new()
        .add_events(events)
        .add_messages(msgs)
        .add_attribute("action", "reinvest")
        .add_attribute("rewards", plan.rewards)
        .add_attribute("fee", plan.fee)
        .add_attribute("fee_lst", plan.fee_lst)
        .add_attribute("rebalanced", plan.rebalanced)
        .add_attribute(
            "submitted_batch",
            match &plan.batch {
                BatchOutcome::Submitted { id } => id.to_string(),
                _ => String::new(),
            },
        );
    if !plan.rebalance_skipped.is_empty() {
        response = response.add_attribute("rebalance_skipped", plan.rebalance_skipped.join(","));
    }
    if let BatchOutcome::Deferred { reason } = plan.batch {
        response = response.add_attribute("batch_deferred", reason);
    }
    Ok(response)
}

/// The crank's depeg check: if the instant-unstake pool's moving-average discount has reached
/// `depeg_pause_bps`, pauses bonds and instant unstaking (once: nothing if both are paused
/// already). A pool that cannot answer does not stop the crank.
fn check_depeg(deps: Deps, config: &mut Config, now: Timestamp) -> Option<Event> {
    let pool = config.instant_unstake_pool.as_ref()?;
    let peg: PegResponse = deps
        .querier
        .query_wasm_smart(pool, &PoolQuery::Peg {})
        .ok()?;
    if peg.ema_discount_bps < config.rails.depeg_pause_bps
        || (config.paused.bond && config.paused.instant_unstake)
    {
        return None;
    }
    Some(
        auto_pause(config, "depeg", now)
            .add_attribute("ema_discount_bps", peg.ema_discount_bps.to_string()),
    )
}
