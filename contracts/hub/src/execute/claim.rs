use cosmwasm_std::{BankMsg, DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_math::pro_rata;
use tributary_types::hub::BatchStatus;

use crate::books::Books;
use crate::execute::ensure_not_paused;
use crate::state::{BATCHES, CONFIG, UNBOND_REQUESTS};
use crate::ContractError;

/// Pays the sender every claimable request.
pub fn execute_claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.claim, "claim")?;
    let mut books = Books::load(deps.as_ref(), &env, Uint128::zero())?;
    books.sync(env.block.time)?;
    books.save(deps.storage)?;
    // batches are updated in storage below; keep only the ones still unbonding in memory
    books
        .batches
        .retain(|(_, b)| b.status == BatchStatus::Unbonding);

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
        let native = pro_rata(batch.native_amount, lst, batch.lst_amount)?;
        batch.native_claimed = batch.native_claimed.checked_add(native)?;
        batch.lst_claimed = batch.lst_claimed.checked_add(lst)?;
        books.state.unclaimed_reserve = books.state.unclaimed_reserve.checked_sub(native)?;
        if batch.lst_claimed == batch.lst_amount {
            // everyone has claimed: the rounding dust left in the batch returns to stakers
            let dust = batch.native_amount.checked_sub(batch.native_claimed)?;
            books.state.unclaimed_reserve = books.state.unclaimed_reserve.checked_sub(dust)?;
        }
        BATCHES.save(deps.storage, batch_id, &batch)?;
        UNBOND_REQUESTS.remove(deps.storage, (&info.sender, batch_id));
        total = total.checked_add(native)?;
        claimed_batches.push(batch_id.to_string());
    }
    if claimed_batches.is_empty() {
        return Err(ContractError::NothingToClaim {});
    }
    books.save(deps.storage)?;

    let mut response = Response::new()
        .add_attribute("action", "claim")
        .add_attribute("user", &info.sender)
        .add_attribute("amount", total)
        .add_attribute("batches", claimed_batches.join(","));
    if !total.is_zero() {
        response = response.add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![cosmwasm_std::coin(total.u128(), &books.config.denom)],
        });
    }
    Ok(response)
}
