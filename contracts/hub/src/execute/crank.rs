use cosmwasm_std::{wasm_execute, DepsMut, Env, MessageInfo, Response, Uint128};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_core::hub::BatchOutcome;
use tributary_types::hub::{CallbackMsg, ExecuteMsg};

use crate::execute::ensure_not_paused;
use crate::ledger::{load_ledger, save_ledger, staking_msgs};
use crate::state::{Batch, BATCHES, CONFIG};
use crate::ContractError;

/// First half of the crank: sync, advance the epoch (all missed epochs at once), withdraw
/// rewards, then call back into [`execute_reinvest`] once they have arrived.
pub fn execute_crank(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.crank, "crank")?;
    let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
    let start = ledger.start_crank()?;
    save_ledger(deps.storage, &mut config, &mut ledger)?;

    // rewards are booked as held now; they are in the balance when the callback runs
    let callback = wasm_execute(
        env.contract.address,
        &ExecuteMsg::Callback(CallbackMsg::Reinvest {}),
        vec![],
    )?;
    let report = start.report;
    Ok(Response::new()
        .add_messages(staking_msgs(start.withdrawals, &config.denom))
        .add_message(callback)
        .add_attribute("action", "crank")
        .add_attribute("epoch", start.epoch.to_string())
        .add_attribute("epochs_processed", start.epochs_processed.to_string())
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
    ledger.sync()?;
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
