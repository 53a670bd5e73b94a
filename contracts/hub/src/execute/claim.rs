use cosmwasm_std::{coin, BankMsg, DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_core::hub::BatchStatus;

use crate::execute::ensure_not_paused;
use crate::ledger::{load_ledger, save_ledger, sync_guarded};
use crate::state::{BATCHES, CONFIG, UNBOND_REQUESTS};
use crate::ContractError;

/// Pays the sender every claimable request.
pub fn execute_claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.claim, "claim")?;
    let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
    let (_, events) = sync_guarded(&mut config, &mut ledger)?;
    save_ledger(deps.storage, &mut config, &mut ledger)?;
    // batches are updated in storage below; keep only the ones still unbonding in memory
    ledger
        .batches
        .retain(|b| b.batch.status == BatchStatus::Unbonding);

    let requests = UNBOND_REQUESTS
        .prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .collect::<Result<Vec<_>, _>>()?;
    let mut total = Uint128::zero();
    let mut claimed_batches = vec![];
    for (batch_id, lst) in requests {
        let mut batch = BATCHES.load(deps.storage, batch_id)?;
        if batch.status != BatchStatus::Claimable {
            continue;
        }
        let native = ledger.settle_claim(&mut batch, lst)?;
        BATCHES.save(deps.storage, batch_id, &batch)?;
        UNBOND_REQUESTS.remove(deps.storage, (&info.sender, batch_id));
        total = total.checked_add(native)?;
        claimed_batches.push(batch_id.to_string());
    }
    if claimed_batches.is_empty() {
        return Err(ContractError::NothingToClaim {});
    }
    save_ledger(deps.storage, &mut config, &mut ledger)?;

    let mut response = Response::new()
        .add_events(events)
        .add_attribute("action", "claim")
        .add_attribute("user", &info.sender)
        .add_attribute("amount", total)
        .add_attribute("batches", claimed_batches.join(","));
    if !total.is_zero() {
        response = response.add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![coin(total.u128(), &config.denom)],
        });
    }
    Ok(response)
}
