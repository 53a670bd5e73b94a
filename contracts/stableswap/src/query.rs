//! Queries, computed as of now (A ramp, coin 0's rate, moving average).

use cosmwasm_std::{to_json_binary, Binary, Decimal, Deps, Env, Timestamp, Uint128};
use tributary_types::registry::FULL_BPS;
use tributary_types::stableswap::{
    PegResponse, PoolConfigResponse, PoolResponse, QueryMsg, RampResponse, SimulateSwapResponse,
};

use crate::execute::coin_index;
use crate::market::Market;
use crate::ContractError;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    if let QueryMsg::Ownership {} = msg {
        return Ok(to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?);
    }
    let market = Market::load(deps, &env)?;
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&PoolConfigResponse {
            assets: market.config.assets.clone(),
            decimals: market.config.decimals,
            rate_source: market.config.rate_source.clone(),
            lp_token: market.config.lp_token.to_string(),
            fee: market.config.fee,
            admin_fee: market.config.admin_fee,
            fee_recipient: market.config.fee_recipient.to_string(),
            ema_time: market.config.ema_time,
            ramp: RampResponse {
                initial_a: market.ramp.initial_a,
                initial_time: Timestamp::from_seconds(market.ramp.initial_time),
                future_a: market.ramp.future_a,
                future_time: Timestamp::from_seconds(market.ramp.future_time),
            },
            paused: market.config.paused,
        })?,
        QueryMsg::Pool {} => {
            let vp = market.pool.math.virtual_price(market.pool.lp_supply)?;
            // coin 0's share of value at the rate: b0 * rate / (b0 * rate + b1)
            let v0 = market.pool.math.balances[0].mul_floor(market.pool.rate);
            let total = v0.checked_add(market.pool.math.balances[1])?;

            to_json_binary(&PoolResponse {
                balances: market.pool.math.balances,
                admin_balances: market.pool.state.admin_balances,
                lp_supply: market.pool.lp_supply,
                amp: market.pool.math.amp,
                rate: market.pool.rate,
                virtual_price: Decimal::try_from(vp)
                    .map_err(|_| ContractError::Math(tributary_math::MathError::Overflow))?,
                coin0_share_bps: tributary_math::share_bps(v0, total)?,
            })?
        }
        QueryMsg::SimulateSwap { offer, amount } => {
            let i = coin_index(offer)?;
            let s = market.pool.math.swap(i, 1 - i, amount)?;
            to_json_binary(&SimulateSwapResponse {
                return_amount: s.dy,
                fee: s.fee,
                admin_fee: s.admin_fee,
            })?
        }
        QueryMsg::SimulateProvide { amounts } => to_json_binary(
            &market
                .pool
                .math
                .deposit(amounts, market.pool.lp_supply)?
                .mint,
        )?,
        QueryMsg::SimulateWithdraw { lp } => {
            to_json_binary(&market.pool.math.withdraw(lp, market.pool.lp_supply)?)?
        }
        QueryMsg::SimulateWithdrawOne { lp, coin } => to_json_binary(
            &market
                .pool
                .math
                .withdraw_one(lp, coin_index(coin)?, market.pool.lp_supply)?
                .dy,
        )?,
        QueryMsg::FairValue { lp, coin } => to_json_binary(&market.pool.fair_value(
            lp,
            coin_index(coin)?,
            env.block.time.seconds(),
        )?)?,
        QueryMsg::Peg {} => {
            let spot = market.pool.spot_price()?;
            let ema = market.pool.ema_at(env.block.time.seconds())?;
            let discount = |p: Decimal| -> Result<u16, ContractError> {
                if p >= market.pool.rate || market.pool.rate.is_zero() {
                    return Ok(0);
                }
                let gap = market.pool.rate.checked_sub(p)?;
                let bps = Uint128::new(u128::from(FULL_BPS))
                    .checked_multiply_ratio(gap.atomics(), market.pool.rate.atomics())?;
                Ok(u16::try_from(bps.u128()).unwrap_or(FULL_BPS))
            };
            to_json_binary(&PegResponse {
                redemption_rate: market.pool.rate,
                spot_price: spot,
                ema_price: ema,
                spot_discount_bps: discount(spot)?,
                ema_discount_bps: discount(ema)?,
            })?
        }
        QueryMsg::Ownership {} => to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?,
    })
}
