use cosmwasm_std::{from_json, to_json_binary, DepsMut, MessageInfo, Response, Uint128};
use cw20::{Cw20Contract, Cw20ExecuteMsg, Cw20ReceiveMsg};
use tributary_common::CommonError;
use tributary_types::hub::ReceiveMsg;

use crate::execute::{ensure_not_paused, validate_addr};
use crate::state::{BATCHES, CONFIG, STATE, UNBOND_REQUESTS};
use crate::ContractError;

/// cw20 hook: only the LST token may call it.
pub fn execute_receive(
    deps: DepsMut,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.lst_token {
        return Err(CommonError::WrongToken {
            expected: config.lst_token.to_string(),
            got: info.sender.to_string(),
        }
        .into());
    }
    match from_json(&wrapper.msg)? {
        ReceiveMsg::Unbond { receiver } => execute_unbond(deps, wrapper, receiver),
        ReceiveMsg::InstantUnstake { min_out } => execute_instant_unstake(deps, wrapper, min_out),
    }
}

/// Sells the received LST through the instant-unstake pool for the sender, at the market price.
/// Nothing is minted or burned, so the hub's rate is untouched. Refused while unbonding or
/// instant unstaking is paused, and while the pool's moving-average discount is at or above
/// `depeg_pause_bps` (the crank then pauses it).
fn execute_instant_unstake(
    deps: DepsMut,
    wrapper: Cw20ReceiveMsg,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.unbond, "unbond")?;
    ensure_not_paused(config.paused.instant_unstake, "instant_unstake")?;
    if wrapper.amount.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let pool_addr = config.instant_unstake_pool.ok_or_else(|| {
        ContractError::invalid_config("instant unstaking is not enabled: no pool is configured")
    })?;
    let peg: tributary_types::stableswap::PegResponse = deps
        .querier
        .query_wasm_smart(&pool_addr, &tributary_types::stableswap::QueryMsg::Peg {})?;
    if peg.ema_discount_bps >= config.rails.depeg_pause_bps {
        return Err(ContractError::Depegged {
            ema_discount_bps: peg.ema_discount_bps,
            limit_bps: config.rails.depeg_pause_bps,
        });
    }
    let user_addr = validate_addr(deps.api, &wrapper.sender)?;
    let sell = Cw20Contract(config.lst_token).call(Cw20ExecuteMsg::Send {
        contract: pool_addr.to_string(),
        amount: wrapper.amount,
        msg: to_json_binary(&tributary_types::stableswap::ReceiveMsg::Swap {
            min_out,
            to: Some(user_addr.to_string()),
        })?,
    })?;
    Ok(Response::new()
        .add_message(sell)
        .add_attribute("action", "instant_unstake")
        .add_attribute("user", user_addr)
        .add_attribute("lst_amount", wrapper.amount)
        .add_attribute("pool", pool_addr))
}

/// Burns the received LST into the pending batch and records the user's request. O(1) in the
/// validator set.
fn execute_unbond(
    deps: DepsMut,
    wrapper: Cw20ReceiveMsg,
    receiver: Option<String>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.unbond, "unbond")?;
    let amount = wrapper.amount;
    if amount.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let user_addr = validate_addr(
        deps.api,
        receiver.as_deref().unwrap_or(wrapper.sender.as_str()),
    )?;

    // O(1): nothing is priced now (the batch is priced when the crank submits it, after a full
    // sync), so no sync is needed; the hub already holds the sent LST, still in the supply
    let mut state = STATE.load(deps.storage)?;
    let batch_id = state.queue_unbond(amount)?;
    let mut batch = BATCHES.load(deps.storage, batch_id)?;
    batch.lst_amount = batch.lst_amount.checked_add(amount)?;
    BATCHES.save(deps.storage, batch_id, &batch)?;
    let request = UNBOND_REQUESTS
        .may_load(deps.storage, (&user_addr, batch_id))?
        .unwrap_or_default()
        .checked_add(amount)?;
    UNBOND_REQUESTS.save(deps.storage, (&user_addr, batch_id), &request)?;
    STATE.save(deps.storage, &state)?;

    let burn = Cw20Contract(config.lst_token).call(Cw20ExecuteMsg::Burn { amount })?;
    Ok(Response::new()
        .add_message(burn)
        .add_attribute("action", "unbond")
        .add_attribute("user", user_addr)
        .add_attribute("lst_amount", amount)
        .add_attribute("batch_id", batch_id.to_string()))
}
