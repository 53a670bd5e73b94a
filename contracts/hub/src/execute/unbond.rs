use cosmwasm_std::{from_json, to_json_binary, DepsMut, Env, MessageInfo, Response, WasmMsg};
use cw20::Cw20ReceiveMsg;
use tributary_types::hub::ReceiveMsg;

use crate::books::Books;
use crate::execute::ensure_not_paused;
use crate::state::{BATCHES, CONFIG, UNBOND_REQUESTS};
use crate::ContractError;

/// cw20 hook: only the LST token may call it.
pub fn execute_receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let lst_token = config.lst_token.ok_or(ContractError::TokenNotReady {})?;
    if info.sender != lst_token {
        return Err(ContractError::WrongToken {
            expected: lst_token.to_string(),
            got: info.sender.to_string(),
        });
    }
    match from_json(&wrapper.msg)? {
        ReceiveMsg::Unbond { receiver } => execute_unbond(deps, env, wrapper, receiver),
        ReceiveMsg::InstantUnstake { min_out } => execute_instant_unstake(deps, wrapper, min_out),
    }
}

/// Sells the received LST through the instant-unstake pool for the sender, at the market price.
/// Nothing is minted or burned, so the hub's rate is untouched.
fn execute_instant_unstake(
    deps: DepsMut,
    wrapper: Cw20ReceiveMsg,
    min_out: Option<cosmwasm_std::Uint128>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.unbond, "unbond")?;
    if wrapper.amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let pool = config
        .instant_unstake_pool
        .ok_or(ContractError::InvalidConfig {
            reason: "instant unstaking is not enabled: no pool is configured".to_string(),
        })?;
    let user = crate::execute::validate_addr(deps.api, &wrapper.sender)?;
    let lst_token = config.lst_token.ok_or(ContractError::TokenNotReady {})?;
    let sell = WasmMsg::Execute {
        contract_addr: lst_token.to_string(),
        msg: to_json_binary(&cw20::Cw20ExecuteMsg::Send {
            contract: pool.to_string(),
            amount: wrapper.amount,
            msg: to_json_binary(&tributary_types::stableswap::ReceiveMsg::Swap {
                min_out,
                to: Some(user.to_string()),
            })?,
        })?,
        funds: vec![],
    };
    Ok(Response::new()
        .add_message(sell)
        .add_attribute("action", "instant_unstake")
        .add_attribute("user", user)
        .add_attribute("lst_amount", wrapper.amount)
        .add_attribute("pool", pool))
}

/// Burns the received LST into the pending batch and records the user's request.
fn execute_unbond(
    deps: DepsMut,
    env: Env,
    wrapper: Cw20ReceiveMsg,
    receiver: Option<String>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.unbond, "unbond")?;
    let amount = wrapper.amount;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let user = crate::execute::validate_addr(
        deps.api,
        receiver.as_deref().unwrap_or(wrapper.sender.as_str()),
    )?;

    let mut books = Books::load(deps.as_ref(), &env, cosmwasm_std::Uint128::zero())?;
    // the hub already holds the sent LST, still counted in the token supply
    books.sync(env.block.time)?;
    let batch_id = books.state.pending_batch_id;
    books.state.pending_lst = books.state.pending_lst.checked_add(amount)?;
    let mut batch = BATCHES.load(deps.storage, batch_id)?;
    batch.lst_amount = batch.lst_amount.checked_add(amount)?;
    BATCHES.save(deps.storage, batch_id, &batch)?;
    let request = UNBOND_REQUESTS
        .may_load(deps.storage, (&user, batch_id))?
        .unwrap_or_default()
        .checked_add(amount)?;
    UNBOND_REQUESTS.save(deps.storage, (&user, batch_id), &request)?;
    books.save(deps.storage)?;

    let burn = WasmMsg::Execute {
        contract_addr: lst_token_addr(&books)?,
        msg: to_json_binary(&cw20::Cw20ExecuteMsg::Burn { amount })?,
        funds: vec![],
    };
    Ok(Response::new()
        .add_message(burn)
        .add_attribute("action", "unbond")
        .add_attribute("user", user)
        .add_attribute("lst_amount", amount)
        .add_attribute("batch_id", batch_id.to_string()))
}

fn lst_token_addr(books: &Books) -> Result<String, ContractError> {
    books
        .config
        .lst_token
        .as_ref()
        .map(|a| a.to_string())
        .ok_or(ContractError::TokenNotReady {})
}
