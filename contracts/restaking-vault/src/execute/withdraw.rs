use cosmwasm_std::{
    coins, to_json_binary, Addr, BankMsg, DepsMut, Env, MessageInfo, Order, Response, Uint128,
};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_common::CommonError;
use tributary_types::hub::ReceiveMsg as HubReceiveMsg;

use crate::execute::ensure_not_paused;
use crate::ledger::Snapshot;
use crate::state::{Withdrawal, CONFIG, STATE, USER_WITHDRAWALS, WITHDRAWALS};
use crate::ContractError;

/// Finalized withdrawals a claim pays per call (a user with more claims again).
pub const MAX_CLAIMS_PER_CALL: usize = 30;

/// LRT hook: burns the LRT into a withdrawal request. The LRT stays in the rate until the
/// request is finalized after the withdrawal delay, at the lesser of its value now and then: it
/// shares the slashes of the delay, but what it would earn after asking to leave stays with
/// those who stay.
pub fn execute_request_withdrawal(
    deps: DepsMut,
    env: Env,
    user_addr: Addr,
    lrt: Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.withdraw, "withdraw")?;
    if lrt.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let min = Uint128::new(tributary_types::vault::MIN_WITHDRAWAL_LRT);
    if lrt < min {
        // the LRT has already moved to the vault: what the user still holds
        let left = Cw20Contract(config.lrt_token.clone()).balance(&deps.querier, &user_addr)?;
        if !left.is_zero() {
            return Err(ContractError::WithdrawalTooSmall { lrt, min });
        }
    }
    // valued now, before it leaves the rate: the most this request will be paid (the LRT is
    // still in the supply until the burn below executes)
    let Snapshot {
        mut state,
        mut ledger,
        ..
    } = Snapshot::load(deps.as_ref(), &env, Uint128::zero())?;
    let request = ledger.request_withdrawal(lrt)?;
    // bunker mode: a slash pending against the vault's operators now must be resolved before
    // this request is paid, so it shares the loss with those who stay
    let awaits_slashes = !ledger.pending_slash.is_zero();
    let value_at_request = request.value_at_request;
    state.set_queue(ledger.queue);
    state.last_withdrawal_id += 1;
    let id = state.last_withdrawal_id;
    let finalize_at = env.block.time.plus_seconds(config.withdrawal_delay);
    WITHDRAWALS.save(
        deps.storage,
        id,
        &Withdrawal {
            user: user_addr.clone(),
            lrt,
            requested_at: env.block.time,
            finalize_at,
            value_at_request: Some(value_at_request),
            lst: None,
            native: Uint128::zero(),
            awaits_slashes,
        },
    )?;
    USER_WITHDRAWALS.save(deps.storage, (&user_addr, id), &())?;
    STATE.save(deps.storage, &state)?;
    Ok(Response::new()
        .add_message(Cw20Contract(config.lrt_token).call(Cw20ExecuteMsg::Burn { amount: lrt })?)
        .add_attribute("action", "request_withdrawal")
        .add_attribute("user", user_addr)
        .add_attribute("lrt", lrt)
        .add_attribute("withdrawal_id", id.to_string())
        .add_attribute("value_at_request", value_at_request)
        .add_attribute("finalize_at", finalize_at.to_string())
        .add_attribute("awaits_slashes", awaits_slashes.to_string()))
}

/// Pays the sender's finalized withdrawals (oldest first, at most [`MAX_CLAIMS_PER_CALL`] per
/// call) in LST, or unbonds the LST through the hub for the sender; native owed with them is
/// sent as it is.
pub fn execute_claim_withdrawals(
    deps: DepsMut,
    info: MessageInfo,
    unbond: bool,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.claim, "claim")?;
    let ids: Vec<u64> = USER_WITHDRAWALS
        .prefix(&info.sender)
        .keys(deps.storage, None, None, Order::Ascending)
        .take(MAX_CLAIMS_PER_CALL)
        .collect::<Result<_, _>>()?;
    let mut total = Uint128::zero();
    let mut native = Uint128::zero();
    let mut claimed = vec![];
    for id in ids {
        let withdrawal = WITHDRAWALS.load(deps.storage, id)?;
        if let Some(lst) = withdrawal.lst {
            total = total.checked_add(lst)?;
            native = native.checked_add(withdrawal.native)?;
            WITHDRAWALS.remove(deps.storage, id);
            USER_WITHDRAWALS.remove(deps.storage, (&info.sender, id));
            claimed.push(id.to_string());
        }
    }
    if claimed.is_empty() {
        return Err(ContractError::NothingToClaim {});
    }
    let mut state = STATE.load(deps.storage)?;
    state.reserved = state.reserved.checked_sub(total)?;
    state.reserved_native = state.reserved_native.checked_sub(native)?;
    STATE.save(deps.storage, &state)?;
    let mut response = Response::new()
        .add_attribute("action", "claim_withdrawals")
        .add_attribute("user", &info.sender)
        .add_attribute("lst", total)
        .add_attribute("native", native)
        .add_attribute("unbond", unbond.to_string())
        .add_attribute("withdrawals", claimed.join(","));
    if !total.is_zero() {
        let msg = if unbond {
            Cw20ExecuteMsg::Send {
                contract: config.hub.to_string(),
                amount: total,
                msg: to_json_binary(&HubReceiveMsg::Unbond {
                    receiver: Some(info.sender.to_string()),
                })?,
            }
        } else {
            Cw20ExecuteMsg::Transfer {
                recipient: info.sender.to_string(),
                amount: total,
            }
        };
        response = response.add_message(Cw20Contract(config.lst_token).call(msg)?);
    }
    if !native.is_zero() {
        response = response.add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: coins(native.u128(), &config.native_denom),
        });
    }
    Ok(response)
}
