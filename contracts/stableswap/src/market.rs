//! The pool as of now: config, A (ramping), coin 0's rate from its source, the math state, the
//! LP supply, and the moving-average price.

use cosmwasm_std::{Decimal, Decimal256, Deps, Env, Uint128, Uint256};
use tributary_math::stableswap::{ramped_a, unit_rate, StableSwap};
use tributary_math::BPS_DENOMINATOR as FULL_BPS;
use tributary_types::stableswap::{RateSource, EMA_FEED_CAP_BPS};

use crate::state::{Config, PoolState, Ramp, CONFIG, POOL, RAMP};
use crate::ContractError;

/// Everything an operation needs.
pub struct Market {
    pub config: Config,
    pub ramp: Ramp,
    pub state: PoolState,
    /// Coin 0's rate in coin 1 now.
    pub rate: Decimal,
    /// The math state (balances, rates, A now, fees).
    pub math: StableSwap,
    pub lp_supply: Uint128,
}

/// Coin 0's rate in coin 1 from its source.
pub fn current_rate(deps: Deps, source: &RateSource) -> Result<Decimal, ContractError> {
    Ok(match source {
        RateSource::Fixed {} => Decimal::one(),
        RateSource::Hub { contract } => {
            let s: tributary_types::hub::StateResponse = deps
                .querier
                .query_wasm_smart(contract, &tributary_types::hub::QueryMsg::State {})?;
            s.exchange_rate
        }
        RateSource::Vault { contract } => {
            let s: tributary_types::vault::VaultStateResponse = deps
                .querier
                .query_wasm_smart(contract, &tributary_types::vault::QueryMsg::State {})?;
            s.rate
        }
    })
}

/// The 18-decimal rate of a coin with `decimals` worth `rate` of coin 1.
fn scaled_rate(decimals: u8, rate: Decimal) -> Result<Uint256, ContractError> {
    // unit_rate = 10^(36 - decimals); times rate = atomics / 1e18
    Ok(unit_rate(decimals)?
        .checked_mul(Uint256::from(rate.atomics()))?
        .checked_div(Uint256::from(1_000_000_000_000_000_000u128))
        .map_err(|_| tributary_math::MathError::DivideByZero)?)
}

impl Market {
    pub fn load(deps: Deps, env: &Env) -> Result<Self, ContractError> {
        let config = CONFIG.load(deps.storage)?;
        let ramp = RAMP.load(deps.storage)?;
        let state = POOL.load(deps.storage)?;
        let rate = current_rate(deps, &config.rate_source)?;
        let amp = ramped_a(
            ramp.initial_a,
            ramp.initial_time,
            ramp.future_a,
            ramp.future_time,
            env.block.time.seconds(),
        );
        let math = StableSwap {
            balances: state.balances,
            rates: [
                scaled_rate(config.decimals[0], rate)?,
                unit_rate(config.decimals[1])?,
            ],
            amp,
            fee: config.fee,
            admin_fee: config.admin_fee,
        };
        let lp_supply = match &config.lp_token {
            Some(lp) => {
                let info: cw20::TokenInfoResponse = deps
                    .querier
                    .query_wasm_smart(lp, &cw20::Cw20QueryMsg::TokenInfo {})?;
                info.total_supply
            }
            None => return Err(ContractError::TokenNotReady {}),
        };
        Ok(Market {
            config,
            ramp,
            state,
            rate,
            math,
            lp_supply,
        })
    }

    /// Marginal price of coin 0 in coin 1 (the rate itself for an empty pool).
    pub fn spot_price(&self) -> Result<Decimal, ContractError> {
        if self.math.balances[0].is_zero() || self.math.balances[1].is_zero() {
            return Ok(self.rate);
        }
        let p = self.math.spot_price(0, 1)?;
        Decimal::try_from(p).map_err(|_| ContractError::Math(tributary_math::MathError::Overflow))
    }

    /// The moving-average price of coin 0 in coin 1 at `now`: the average of the price-to-rate
    /// ratio ([`Self::ema_ratio_at`]) times the rate now, so a change of the redemption rate
    /// without trades (rewards, a slash) refreshes it at once instead of leaving it stale.
    pub fn ema_at(&self, now: u64) -> Result<Decimal, ContractError> {
        Ok(self.ema_ratio_at(now)?.checked_mul(self.rate)?)
    }

    /// The exponential moving average of the spot price over the redemption rate at `now`. The
    /// ratio the pool's balances have shown since the last operation (priced at the rate now)
    /// has prevailed for `dt` seconds, so the average moves towards it by `1 - e^(-dt / T)`
    /// (T is `ema_time`). What one update feeds it is capped at [`EMA_FEED_CAP_BPS`] from the
    /// average, as Curve's newer pools cap their oracle's input: however far one block's trades
    /// push the pool, the average moves by at most the cap times the weight.
    pub fn ema_ratio_at(&self, now: u64) -> Result<Decimal, ContractError> {
        let overflow = || ContractError::Math(tributary_math::MathError::Overflow);
        let ema = match self.state.ema_ratio {
            Some(ratio) => ratio,
            // stored before the ratio was kept: the price over the rate now
            None if self.rate.is_zero() => Decimal::one(),
            None => self
                .state
                .ema_price
                .checked_div(self.rate)
                .map_err(|_| overflow())?,
        };
        let prevailing = self.prevailing_ratio()?;
        let cap = Decimal::from_ratio(EMA_FEED_CAP_BPS, FULL_BPS);
        let low = ema.checked_sub(ema.checked_mul(cap)?)?;
        let high = ema.checked_add(ema.checked_mul(cap)?)?;
        let fed = prevailing.clamp(low, high);
        let dt = now.saturating_sub(self.state.last_time);
        let x =
            Decimal::checked_from_ratio(dt, self.config.ema_time.max(1)).map_err(|_| overflow())?;
        let weight = Decimal::one().checked_sub(tributary_math::stableswap::exp_neg(x)?)?;
        let moved = |a: Decimal, b: Decimal| -> Result<Decimal, ContractError> {
            Ok(a.checked_sub(b)?.checked_mul(weight)?)
        };
        Ok(if fed >= ema {
            ema.checked_add(moved(fed, ema)?)?
        } else {
            ema.checked_sub(moved(ema, fed)?)?
        })
    }

    /// The spot price over the rate shown by the balances stored at the last operation (not
    /// those being changed by the current one), at the rate now.
    fn prevailing_ratio(&self) -> Result<Decimal, ContractError> {
        let stored = self.state.balances;
        if stored[0].is_zero() || stored[1].is_zero() || self.rate.is_zero() {
            return Ok(Decimal::one());
        }
        let math = StableSwap {
            balances: stored,
            ..self.math
        };
        let p = Decimal::try_from(math.spot_price(0, 1)?)
            .map_err(|_| ContractError::Math(tributary_math::MathError::Overflow))?;
        p.checked_div(self.rate)
            .map_err(|_| ContractError::Math(tributary_math::MathError::Overflow))
    }

    /// What `lp` LP tokens are worth in coin `i` at the manipulation-resistant valuation
    /// ([`StableSwap::fair_value`]): D per LP; in coin 1 with coin 0 at the lesser of its moving
    /// average (as of `now`) and its redemption rate.
    pub fn fair_value(&self, lp: Uint128, i: usize, now: u64) -> Result<Uint128, ContractError> {
        let units = [
            unit_rate(self.config.decimals[0])?,
            unit_rate(self.config.decimals[1])?,
        ];
        Ok(self.math.fair_value(
            lp,
            self.lp_supply,
            i,
            units,
            Decimal256::from(self.rate),
            Decimal256::from(self.ema_at(now)?),
        )?)
    }

    /// Records the operation's new balances and prices (call after changing `math.balances`).
    pub fn commit_prices(&mut self, now: u64) -> Result<(), ContractError> {
        let ratio = self.ema_ratio_at(now)?;
        self.state.ema_ratio = Some(ratio);
        self.state.ema_price = ratio.checked_mul(self.rate)?;
        self.state.balances = self.math.balances;
        self.state.last_price = self.spot_price()?;
        self.state.last_time = now;
        Ok(())
    }
}
