//! Queries, computed as of now (A ramp, coin 0's rate, moving average).

use cosmwasm_std::{to_json_binary, Binary, Decimal, Deps, Env, Timestamp, Uint128};
use tributary_types::registry::FULL_BPS;
use tributary_types::stableswap::{
    PegResponse, PoolConfigResponse, PoolResponse, QueryMsg, SimulateSwapResponse,
};

use crate::execute::coin_index;
use crate::market::Market;
use crate::ContractError;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    if let QueryMsg::Ownership {} = msg {
        return Ok(to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?);
    }
    let m = Market::load(deps, &env)?;
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&PoolConfigResponse {
            assets: m.config.assets.clone(),
            decimals: m.config.decimals,
            rate_source: m.config.rate_source.clone(),
            lp_token: m
                .config
                .lp_token
                .as_ref()
                .map(|a| a.to_string())
                .unwrap_or_default(),
            fee: m.config.fee,
            admin_fee: m.config.admin_fee,
            fee_recipient: m.config.fee_recipient.to_string(),
            ema_time: m.config.ema_time,
            ramp: (
                m.ramp.initial_a,
                Timestamp::from_seconds(m.ramp.initial_time),
                m.ramp.future_a,
                Timestamp::from_seconds(m.ramp.future_time),
            ),
            paused: m.config.paused,
        })?,
        QueryMsg::Pool {} => {
            let vp = m.math.virtual_price(m.lp_supply)?;
            // coin 0's share of value at the rate: b0 * rate / (b0 * rate + b1)
            let v0 = m.math.balances[0].mul_floor(m.rate);
            let total = v0.checked_add(m.math.balances[1])?;

            to_json_binary(&PoolResponse {
                balances: m.math.balances,
                admin_balances: m.state.admin_balances,
                lp_supply: m.lp_supply,
                amp: m.math.amp,
                rate: m.rate,
                virtual_price: Decimal::try_from(vp)
                    .map_err(|_| ContractError::Math(tributary_math::MathError::Overflow))?,
                coin0_share_bps: tributary_math::share_bps(v0, total)?,
            })?
        }
        QueryMsg::SimulateSwap { offer, amount } => {
            let i = coin_index(offer)?;
            let s = m.math.swap(i, 1 - i, amount)?;
            to_json_binary(&SimulateSwapResponse {
                return_amount: s.dy,
                fee: s.fee,
                admin_fee: s.admin_fee,
            })?
        }
        QueryMsg::SimulateProvide { amounts } => {
            to_json_binary(&m.math.deposit(amounts, m.lp_supply)?.mint)?
        }
        QueryMsg::SimulateWithdraw { lp } => to_json_binary(&m.math.withdraw(lp, m.lp_supply)?)?,
        QueryMsg::SimulateWithdrawOne { lp, coin } => {
            to_json_binary(&m.math.withdraw_one(lp, coin_index(coin)?, m.lp_supply)?.dy)?
        }
        QueryMsg::FairValue { lp, coin } => {
            to_json_binary(&m.fair_value(lp, coin_index(coin)?, env.block.time.seconds())?)?
        }
        QueryMsg::Peg {} => {
            let spot = m.spot_price()?;
            let ema = m.ema_at(env.block.time.seconds())?;
            let discount = |p: Decimal| -> Result<u16, ContractError> {
                if p >= m.rate || m.rate.is_zero() {
                    return Ok(0);
                }
                let gap = m.rate.checked_sub(p)?;
                let bps = Uint128::new(u128::from(FULL_BPS))
                    .checked_multiply_ratio(gap.atomics(), m.rate.atomics())?;
                Ok(u16::try_from(bps.u128()).unwrap_or(FULL_BPS))
            };
            to_json_binary(&PegResponse {
                redemption_rate: m.rate,
                spot_price: spot,
                ema_price: ema,
                spot_discount_bps: discount(spot)?,
                ema_discount_bps: discount(ema)?,
            })?
        }
        QueryMsg::Ownership {} => to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?,
    })
}
