use cosmwasm_std::{wasm_execute, Addr, CosmosMsg, DepsMut, Env, MessageInfo, Response, Uint128};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_common::CommonError;
use tributary_types::stableswap::AssetInfo;

use crate::execute::{ensure_min, ensure_not_paused, label, pay};
use crate::market::Market;
use crate::state::POOL;
use crate::ContractError;

/// Deposits `amounts`: native coins must be attached exactly; cw20 coins are pulled from the
/// sender with `TransferFrom` (unless `received` says the pool already holds them).
pub fn execute_provide(
    deps: DepsMut,
    env: Env,
    info: &MessageInfo,
    depositor: Addr,
    amounts: [Uint128; 2],
    min_lp: Option<Uint128>,
    received: [bool; 2],
) -> Result<Response, ContractError> {
    let mut market = Market::load(deps.as_ref(), &env)?;
    ensure_not_paused(market.config.paused.provide, "provide")?;
    if amounts.iter().all(|a| a.is_zero()) {
        return Err(CommonError::ZeroAmount {}.into());
    }
    // native funds must match exactly
    let mut expected = vec![];
    for (asset, amount) in market.config.assets.iter().zip(amounts) {
        if let AssetInfo::Native { denom } = asset {
            if !amount.is_zero() {
                expected.push(cosmwasm_std::coin(amount.u128(), denom));
            }
        }
    }
    let mut got = info.funds.clone();
    got.sort_by(|a, b| a.denom.cmp(&b.denom));
    expected.sort_by(|a, b| a.denom.cmp(&b.denom));
    if got != expected {
        return Err(ContractError::FundsMismatch {
            expected: format!("{expected:?}"),
            got: format!("{got:?}"),
        });
    }
    let dep = market.pool.math.deposit(amounts, market.pool.lp_supply)?;
    if dep.mint.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    ensure_min(min_lp, dep.mint)?;
    for (k, (added, admin)) in amounts.iter().zip(dep.admin_fees).enumerate() {
        market.pool.math.balances[k] = market.pool.math.balances[k]
            .checked_add(*added)?
            .checked_sub(admin)?;
        market.pool.state.admin_balances[k] =
            market.pool.state.admin_balances[k].checked_add(admin)?;
    }
    market.pool.commit_prices(env.block.time.seconds())?;
    POOL.save(deps.storage, &market.pool.state)?;

    let mut msgs: Vec<CosmosMsg> = vec![];
    for k in 0..2 {
        if let AssetInfo::Cw20 { contract } = &market.config.assets[k] {
            if !amounts[k].is_zero() && !received[k] {
                msgs.push(
                    wasm_execute(
                        contract,
                        &Cw20ExecuteMsg::TransferFrom {
                            owner: info.sender.to_string(),
                            recipient: env.contract.address.to_string(),
                            amount: amounts[k],
                        },
                        vec![],
                    )?
                    .into(),
                );
            }
        }
    }
    msgs.push(lp_token(&market).call(Cw20ExecuteMsg::Mint {
        recipient: depositor.to_string(),
        amount: dep.mint,
    })?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "provide_liquidity")
        .add_attribute("depositor", depositor)
        .add_attribute("amounts", format!("{}, {}", amounts[0], amounts[1]))
        .add_attribute("lp_minted", dep.mint)
        .add_attribute("fees", format!("{}, {}", dep.fees[0], dep.fees[1])))
}

/// The pool's LP token.
fn lp_token(market: &Market) -> Cw20Contract {
    Cw20Contract(market.config.lp_token.clone())
}

fn burn_lp(market: &Market, amount: Uint128) -> Result<CosmosMsg, ContractError> {
    Ok(lp_token(market).call(Cw20ExecuteMsg::Burn { amount })?)
}

/// Burns `lp` (already received) for both coins in proportion. Never paused.
pub fn execute_withdraw(
    deps: DepsMut,
    env: Env,
    to: Addr,
    lp: Uint128,
    min_amounts: Option<[Uint128; 2]>,
) -> Result<Response, ContractError> {
    let mut market = Market::load(deps.as_ref(), &env)?;
    if lp.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let out = market.pool.math.withdraw(lp, market.pool.lp_supply)?;
    if let Some(min) = min_amounts {
        for (least, got) in min.iter().zip(out) {
            ensure_min(Some(*least), got)?;
        }
    }
    let mut msgs = vec![burn_lp(&market, lp)?];
    for (k, paid) in out.iter().enumerate() {
        market.pool.math.balances[k] = market.pool.math.balances[k].checked_sub(*paid)?;
        if !paid.is_zero() {
            msgs.push(pay(&market.config.assets[k], &to, *paid)?);
        }
    }
    market.pool.commit_prices(env.block.time.seconds())?;
    POOL.save(deps.storage, &market.pool.state)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "withdraw_liquidity")
        .add_attribute("lp_burned", lp)
        .add_attribute("amounts", format!("{}, {}", out[0], out[1])))
}

/// Burns `lp` (already received) for coin `coin` only.
pub fn execute_withdraw_one(
    deps: DepsMut,
    env: Env,
    to: Addr,
    lp: Uint128,
    coin: usize,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    let mut market = Market::load(deps.as_ref(), &env)?;
    ensure_not_paused(market.config.paused.withdraw_one, "withdraw_one")?;
    if lp.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let one = market
        .pool
        .math
        .withdraw_one(lp, coin, market.pool.lp_supply)?;
    ensure_min(min_out, one.dy)?;
    market.pool.math.balances[coin] = market.pool.math.balances[coin]
        .checked_sub(one.dy)?
        .checked_sub(one.admin_fee)?;
    market.pool.state.admin_balances[coin] =
        market.pool.state.admin_balances[coin].checked_add(one.admin_fee)?;
    market.pool.commit_prices(env.block.time.seconds())?;
    POOL.save(deps.storage, &market.pool.state)?;
    Ok(Response::new()
        .add_message(burn_lp(&market, lp)?)
        .add_message(pay(&market.config.assets[coin], &to, one.dy)?)
        .add_attribute("action", "withdraw_one")
        .add_attribute("lp_burned", lp)
        .add_attribute("asset", label(&market.config.assets[coin]))
        .add_attribute("amount", one.dy)
        .add_attribute("fee", one.fee))
}
