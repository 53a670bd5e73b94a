use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Uint128};
use tributary_common::CommonError;
use tributary_types::stableswap::AssetInfo;

use crate::execute::{ensure_min, ensure_not_paused, label, pay, validate_addr};
use crate::market::Market;
use crate::state::{CONFIG, POOL};
use crate::ContractError;

/// Sells the one native coin attached for the other coin, paid to `to` (default: the sender).
pub fn execute_swap_native(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    min_out: Option<Uint128>,
    to: Option<String>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let coin = cw_utils::one_coin(&info)?;
    let offer = config
        .assets
        .iter()
        .position(|a| matches!(a, AssetInfo::Native { denom } if *denom == coin.denom))
        .ok_or_else(|| ContractError::WrongAsset {
            expected: format!(
                "{} or {}",
                label(&config.assets[0]),
                label(&config.assets[1])
            ),
            got: coin.denom.clone(),
        })?;
    let to_addr = match to {
        Some(t) => validate_addr(deps.api, &t)?,
        None => info.sender.clone(),
    };
    execute_swap(deps, env, offer, coin.amount, min_out, to_addr)
}

/// Sells `amount` of coin `offer` (already received) for the other coin, paid to `to`.
pub fn execute_swap(
    deps: DepsMut,
    env: Env,
    offer: usize,
    amount: Uint128,
    min_out: Option<Uint128>,
    to: Addr,
) -> Result<Response, ContractError> {
    let mut market = Market::load(deps.as_ref(), &env)?;
    ensure_not_paused(market.config.paused.swap, "swap")?;
    if amount.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let ask = 1 - offer;
    let s = market.pool.math.swap(offer, ask, amount)?;
    if s.dy.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    ensure_min(min_out, s.dy)?;
    market.pool.math.apply_swap(offer, ask, amount, &s)?;
    market.pool.state.admin_balances[ask] =
        market.pool.state.admin_balances[ask].checked_add(s.admin_fee)?;
    market.pool.commit_prices(env.block.time.seconds())?;
    POOL.save(deps.storage, &market.pool.state)?;
    Ok(Response::new()
        .add_message(pay(&market.config.assets[ask], &to, s.dy)?)
        .add_attribute("action", "swap")
        .add_attribute("offer_asset", label(&market.config.assets[offer]))
        .add_attribute("offer_amount", amount)
        .add_attribute("ask_asset", label(&market.config.assets[ask]))
        .add_attribute("return_amount", s.dy)
        .add_attribute("fee", s.fee)
        .add_attribute("admin_fee", s.admin_fee)
        .add_attribute("receiver", to)
        .add_attribute("spot_price", market.pool.state.last_price.to_string()))
}
