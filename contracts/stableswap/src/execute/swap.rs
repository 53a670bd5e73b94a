use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint128};

use crate::execute::{ensure_min, ensure_not_paused, label, pay};
use crate::market::Market;
use crate::state::POOL;
use crate::ContractError;

/// Sells `amount` of coin `offer` (already received) for the other coin, paid to `to`.
pub fn execute_swap(
    deps: DepsMut,
    env: Env,
    offer: usize,
    amount: Uint128,
    min_out: Option<Uint128>,
    to: Addr,
) -> Result<Response, ContractError> {
    let mut m = Market::load(deps.as_ref(), &env)?;
    ensure_not_paused(m.config.paused.swap, "swap")?;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let ask = 1 - offer;
    let s = m.math.swap(offer, ask, amount)?;
    if s.dy.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    ensure_min(min_out, s.dy)?;
    m.math.apply_swap(offer, ask, amount, &s)?;
    m.state.admin_balances[ask] = m.state.admin_balances[ask].checked_add(s.admin_fee)?;
    m.commit_prices(env.block.time.seconds())?;
    POOL.save(deps.storage, &m.state)?;
    Ok(Response::new()
        .add_message(pay(&m.config.assets[ask], &to, s.dy)?)
        .add_attribute("action", "swap")
        .add_attribute("offer_asset", label(&m.config.assets[offer]))
        .add_attribute("offer_amount", amount)
        .add_attribute("ask_asset", label(&m.config.assets[ask]))
        .add_attribute("return_amount", s.dy)
        .add_attribute("fee", s.fee)
        .add_attribute("admin_fee", s.admin_fee)
        .add_attribute("receiver", to)
        .add_attribute("spot_price", m.state.last_price.to_string()))
}
