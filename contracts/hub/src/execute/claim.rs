use cosmwasm_std::{coin, BankMsg, DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_core::hub::BatchStatus;

use crate::execute::ensure_not_paused;
use crate::ledger::{load_ledger, save_ledger, sync_guarded};
use crate::state::{BATCHES, CONFIG, STATE, UNBOND_REQUESTS};
use crate::ContractError;

/// Pays the sender every claimable request. Quick path (O(1) in the validator set, linear only
/// in the sender's own requests) unless one of the sender's batches has reached its payout time
/// and no sync has settled it yet: then the full path syncs first (attributing the payout, which
/// makes the batch claimable). The response's `path` attribute says which.
pub fn execute_claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.claim, "claim")?;
    let requests = UNBOND_REQUESTS
        .prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .collect::<Result<Vec<_>, _>>()?;
    let due_unsettled = |deps: &DepsMut| -> Result<bool, ContractError> {
        for (batch_id, _) in &requests {
            let batch = BATCHES.load(deps.storage, *batch_id)?;
            if batch.status == BatchStatus::Unbonding
                && batch.claimable_at.is_some_and(|at| env.block.time >= at)
            {
                return Ok(true);
            }
        }
        Ok(false)
    };
    let (mut state, events, path) = if due_unsettled(&deps)? {
        let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
        let (_, events) = sync_guarded(&mut config, &mut ledger)?;
        save_ledger(deps.storage, &mut config, &mut ledger)?;
        (ledger.state, events, "full:batch_due")
    } else {
        (STATE.load(deps.storage)?, vec![], "quick")
    };

    let mut total = Uint128::zero();
    let mut claimed_batches = vec![];
    for (batch_id, lst) in requests {
        let mut batch = BATCHES.load(deps.storage, batch_id)?;
        if batch.status != BatchStatus::Claimable {
            continue;
        }
        let native = state.settle_claim(&mut batch, lst)?;
        BATCHES.save(deps.storage, batch_id, &batch)?;
        UNBOND_REQUESTS.remove(deps.storage, (&info.sender, batch_id));
        total = total.checked_add(native)?;
        claimed_batches.push(batch_id.to_string());
    }
    if claimed_batches.is_empty() {
        return Err(ContractError::NothingToClaim {});
    }
    STATE.save(deps.storage, &state)?;

    let mut response = Response::new()
        .add_events(events)
        .add_attribute("action", "claim")
        .add_attribute("user", &info.sender)
        .add_attribute("amount", total)
        .add_attribute("batches", claimed_batches.join(","))
        .add_attribute("path", path);
    if !total.is_zero() {
        response = response.add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![coin(total.u128(), &config.denom)],
        });
    }
    Ok(response)
}
