//! The StableSwap pool's state transitions: the A ramp and its rules, and the pool as of now
//! (balances, rates, spot price, the manipulation-resistant moving average and fair value). The
//! pool contract gathers the redemption rate and the LP supply by query, builds a [`Pool`], swaps
//! or provides through [`Pool::math`] ([`tributary_math::stableswap::StableSwap`], the invariant
//! arithmetic) and records the result with [`Pool::commit_prices`].

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Decimal, Decimal256, Uint128, Uint256};
use tributary_math::stableswap::{exp_neg, ramped_a, unit_rate, StableSwap, A_PRECISION};
use tributary_math::{MathError, BPS_DENOMINATOR};

/// The largest A.
pub const MAX_A: u64 = 1_000_000;
/// A may change by at most this factor per ramp.
pub const MAX_A_CHANGE: u64 = 10;
/// A ramp must last at least this long, and a new one may begin only this long after the last
/// one began or was stopped (seconds).
pub const MIN_RAMP_TIME: u64 = 86_400;
/// The moving average is fed a price at most this far from itself per update, bps.
pub const EMA_FEED_CAP_BPS: u16 = 200;

/// The A ramp (values are A × [`A_PRECISION`], times are seconds).
#[cw_serde]
pub struct Ramp {
    /// A when the ramp began.
    pub initial_a: u64,
    /// When the ramp began.
    pub initial_time: u64,
    /// A at the end of the ramp.
    pub future_a: u64,
    /// When the ramp ends.
    pub future_time: u64,
    /// When the owner last began (or stopped) a ramp; a new one may begin only
    /// [`MIN_RAMP_TIME`] later, so chained ramps cannot beat the tenfold-per-day bound.
    #[serde(default)]
    pub last_change_at: Option<u64>,
}

/// Why a ramp of A was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RampError {
    /// Too soon after the last ramp began or was stopped.
    #[error("a new A ramp may begin only a day after the last one began: from {next_at}")]
    TooSoon {
        /// When a ramp may begin, seconds.
        next_at: u64,
    },
    /// The target is out of range, more than tenfold from A now, or the ramp is shorter than
    /// [`MIN_RAMP_TIME`].
    #[error("A must be between 1 and 1000000 and change at most tenfold, over at least a day")]
    Invalid,
}

impl Ramp {
    /// A flat ramp at `a` (× [`A_PRECISION`]) from `now`, never changed by the owner yet.
    pub fn fixed(a: u64, now: u64) -> Self {
        Ramp {
            initial_a: a,
            initial_time: now,
            future_a: a,
            future_time: now,
            last_change_at: None,
        }
    }

    /// A (× [`A_PRECISION`]) at `now`: linear between the ramp's ends.
    pub fn a_at(&self, now: u64) -> u64 {
        ramped_a(
            self.initial_a,
            self.initial_time,
            self.future_a,
            self.future_time,
            now,
        )
    }

    /// The ramp towards `future_a` (plain A, not scaled) by `future_time` that begins `now`. As in
    /// Curve: a ramp may begin only a full [`MIN_RAMP_TIME`] after the last one began (or was
    /// stopped), and moves A at most tenfold from where it is, so over any window of a day A
    /// changes at most tenfold however the calls are chained.
    pub fn begin(&self, future_a: u64, future_time: u64, now: u64) -> Result<Ramp, RampError> {
        if let Some(last) = self.last_change_at {
            let next_at = last.saturating_add(MIN_RAMP_TIME);
            if now < next_at {
                return Err(RampError::TooSoon { next_at });
            }
        }
        let current = self.a_at(now);
        let target = future_a
            .checked_mul(A_PRECISION)
            .ok_or(RampError::Invalid)?;
        let too_fast = target > current.saturating_mul(MAX_A_CHANGE)
            || current > target.saturating_mul(MAX_A_CHANGE);
        if future_a == 0
            || future_a > MAX_A
            || too_fast
            || future_time < now.saturating_add(MIN_RAMP_TIME)
        {
            return Err(RampError::Invalid);
        }
        Ok(Ramp {
            initial_a: current,
            initial_time: now,
            future_a: target,
            future_time,
            last_change_at: Some(now),
        })
    }

    /// The ramp frozen at A as of `now`.
    pub fn stop(&self, now: u64) -> Ramp {
        let current = self.a_at(now);
        Ramp {
            initial_a: current,
            initial_time: now,
            future_a: current,
            future_time: now,
            last_change_at: Some(now),
        }
    }
}

/// Balances and prices, as stored.
#[cw_serde]
pub struct PoolState {
    /// Coins that belong to LPs.
    pub balances: [Uint128; 2],
    /// Admin fees held for the fee recipient.
    pub admin_balances: [Uint128; 2],
    /// Moving-average price of coin 0 in coin 1, as of `last_time` (for display: the average
    /// is kept as `ema_ratio`).
    pub ema_price: Decimal,
    /// Moving average of the spot price over the redemption rate, as of `last_time`.
    #[serde(default)]
    pub ema_ratio: Option<Decimal>,
    /// Spot price after the last operation.
    pub last_price: Decimal,
    /// When the prices were last updated, seconds.
    pub last_time: u64,
}

impl PoolState {
    /// An empty pool whose prices start at `rate`.
    pub fn empty(rate: Decimal, now: u64) -> Self {
        PoolState {
            balances: [Uint128::zero(); 2],
            admin_balances: [Uint128::zero(); 2],
            ema_price: rate,
            ema_ratio: Some(Decimal::one()),
            last_price: rate,
            last_time: now,
        }
    }
}

/// The pool's parameters that its arithmetic needs.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolParams {
    /// Decimals of coin 0 and coin 1.
    pub decimals: [u8; 2],
    /// Swap fee, fractions of 1e10.
    pub fee: u64,
    /// Admin share of fees, fractions of 1e10.
    pub admin_fee: u64,
    /// Moving-average time constant, seconds.
    pub ema_time: u64,
}

/// The pool as of now.
#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    /// Balances and prices as stored at the last operation.
    pub state: PoolState,
    /// The parameters.
    pub params: PoolParams,
    /// Coin 0's redemption rate in coin 1 now.
    pub rate: Decimal,
    /// The invariant state (balances being changed by the current operation, rates, A now,
    /// fees).
    pub math: StableSwap,
    /// LP tokens outstanding.
    pub lp_supply: Uint128,
}

/// The 18-decimal rate of a coin with `decimals` worth `rate` of coin 1.
fn scaled_rate(decimals: u8, rate: Decimal) -> Result<Uint256, MathError> {
    // unit_rate = 10^(36 - decimals); times rate = atomics / 1e18
    unit_rate(decimals)?
        .checked_mul(Uint256::from(rate.atomics()))
        .map_err(|_| MathError::Overflow)?
        .checked_div(Uint256::from(1_000_000_000_000_000_000u128))
        .map_err(|_| MathError::DivideByZero)
}

fn overflow<E>(_: E) -> MathError {
    MathError::Overflow
}

impl Pool {
    /// The pool at `now` from its stored state, ramp and parameters, coin 0's `rate` and the LP
    /// supply.
    pub fn new(
        state: PoolState,
        ramp: &Ramp,
        params: PoolParams,
        rate: Decimal,
        lp_supply: Uint128,
        now: u64,
    ) -> Result<Self, MathError> {
        let math = StableSwap {
            balances: state.balances,
            rates: [
                scaled_rate(params.decimals[0], rate)?,
                unit_rate(params.decimals[1])?,
            ],
            amp: ramp.a_at(now),
            fee: params.fee,
            admin_fee: params.admin_fee,
        };
        Ok(Pool {
            state,
            params,
            rate,
            math,
            lp_supply,
        })
    }

    /// Marginal price of coin 0 in coin 1 (the rate itself for an empty pool).
    pub fn spot_price(&self) -> Result<Decimal, MathError> {
        if self.math.balances[0].is_zero() || self.math.balances[1].is_zero() {
            return Ok(self.rate);
        }
        Decimal::try_from(self.math.spot_price(0, 1)?).map_err(overflow)
    }

    /// The moving-average price of coin 0 in coin 1 at `now`: the average of the price-to-rate
    /// ratio ([`Self::ema_ratio_at`]) times the rate now, so a change of the redemption rate
    /// without trades (rewards, a slash) refreshes it at once instead of leaving it stale.
    pub fn ema_at(&self, now: u64) -> Result<Decimal, MathError> {
        self.ema_ratio_at(now)?
            .checked_mul(self.rate)
            .map_err(overflow)
    }

    /// The exponential moving average of the spot price over the redemption rate at `now`. The
    /// ratio the pool's balances have shown since the last operation (priced at the rate now)
    /// has prevailed for `dt` seconds, so the average moves towards it by `1 - e^(-dt / T)`
    /// (T is `ema_time`). What one update feeds it is capped at [`EMA_FEED_CAP_BPS`] from the
    /// average, as Curve's newer pools cap their oracle's input: however far one block's trades
    /// push the pool, the average moves by at most the cap times the weight.
    pub fn ema_ratio_at(&self, now: u64) -> Result<Decimal, MathError> {
        let ema = match self.state.ema_ratio {
            Some(ratio) => ratio,
            // stored before the ratio was kept: the price over the rate now
            None if self.rate.is_zero() => Decimal::one(),
            None => self
                .state
                .ema_price
                .checked_div(self.rate)
                .map_err(overflow)?,
        };
        let prevailing = self.prevailing_ratio()?;
        let cap = Decimal::from_ratio(EMA_FEED_CAP_BPS, BPS_DENOMINATOR);
        let band = ema.checked_mul(cap).map_err(overflow)?;
        let low = ema.checked_sub(band).map_err(overflow)?;
        let high = ema.checked_add(band).map_err(overflow)?;
        let fed = prevailing.clamp(low, high);
        let dt = now.saturating_sub(self.state.last_time);
        let x = Decimal::checked_from_ratio(dt, self.params.ema_time.max(1)).map_err(overflow)?;
        let weight = Decimal::one().checked_sub(exp_neg(x)?).map_err(overflow)?;
        let moved = |a: Decimal, b: Decimal| -> Result<Decimal, MathError> {
            a.checked_sub(b)
                .map_err(overflow)?
                .checked_mul(weight)
                .map_err(overflow)
        };
        if fed >= ema {
            ema.checked_add(moved(fed, ema)?).map_err(overflow)
        } else {
            ema.checked_sub(moved(ema, fed)?).map_err(overflow)
        }
    }

    /// The spot price over the rate shown by the balances stored at the last operation (not
    /// those being changed by the current one), at the rate now.
    fn prevailing_ratio(&self) -> Result<Decimal, MathError> {
        let stored = self.state.balances;
        if stored[0].is_zero() || stored[1].is_zero() || self.rate.is_zero() {
            return Ok(Decimal::one());
        }
        let math = StableSwap {
            balances: stored,
            ..self.math
        };
        Decimal::try_from(math.spot_price(0, 1)?)
            .map_err(overflow)?
            .checked_div(self.rate)
            .map_err(overflow)
    }

    /// What `lp` LP tokens are worth in coin `i` at the manipulation-resistant valuation
    /// ([`StableSwap::fair_value`]): D per LP; in coin 1 with coin 0 at the lesser of its moving
    /// average (as of `now`) and its redemption rate.
    pub fn fair_value(&self, lp: Uint128, i: usize, now: u64) -> Result<Uint128, MathError> {
        let units = [
            unit_rate(self.params.decimals[0])?,
            unit_rate(self.params.decimals[1])?,
        ];
        self.math.fair_value(
            lp,
            self.lp_supply,
            i,
            units,
            Decimal256::from(self.rate),
            Decimal256::from(self.ema_at(now)?),
        )
    }

    /// Records the operation's new balances and prices (call after changing `math.balances`).
    pub fn commit_prices(&mut self, now: u64) -> Result<(), MathError> {
        let ratio = self.ema_ratio_at(now)?;
        self.state.ema_ratio = Some(ratio);
        self.state.ema_price = ratio.checked_mul(self.rate).map_err(overflow)?;
        self.state.balances = self.math.balances;
        self.state.last_price = self.spot_price()?;
        self.state.last_time = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: u64 = 86_400;
    const TOKEN: u128 = 1_000_000;

    fn params() -> PoolParams {
        PoolParams {
            decimals: [6, 6],
            fee: 4_000_000,
            admin_fee: 5_000_000_000,
            ema_time: 600,
        }
    }

    /// A pool holding `balances` at rate `rate`, as if its LP supply were its value.
    fn pool(balances: [u128; 2], rate: Decimal, now: u64) -> Pool {
        let mut state = PoolState::empty(rate, 0);
        state.balances = [Uint128::new(balances[0]), Uint128::new(balances[1])];
        state.last_time = 0;
        let mut p = Pool::new(
            state,
            &Ramp::fixed(100 * A_PRECISION, 0),
            params(),
            rate,
            Uint128::zero(),
            now,
        )
        .unwrap();
        p.lp_supply = Uint128::new(balances[0] + balances[1]);
        p
    }

    #[test]
    fn a_ramp_moves_linearly_and_is_bounded() {
        let ramp = Ramp::fixed(100 * A_PRECISION, 0);
        assert_eq!(ramp.a_at(1_000_000), 10_000);
        let up = ramp.begin(1_000, DAY, 0).unwrap();
        assert_eq!(up.a_at(0), 10_000);
        assert_eq!(up.a_at(DAY / 2), 55_000);
        assert_eq!(up.a_at(DAY), 100_000);
        assert_eq!(up.last_change_at, Some(0));
        // more than tenfold, zero, above MAX_A, shorter than a day
        for (a, end) in [(1_001, DAY), (0, DAY), (MAX_A + 1, DAY), (200, DAY - 1)] {
            assert_eq!(
                ramp.begin(a, end, 0),
                Err(RampError::Invalid),
                "A {a} by {end}"
            );
        }
        assert_eq!(ramp.begin(10, DAY, 0).map(|r| r.future_a), Ok(1_000));
    }

    #[test]
    fn ramps_cannot_be_chained_within_a_day() {
        let up = Ramp::fixed(100 * A_PRECISION, 0)
            .begin(1_000, DAY, 0)
            .unwrap();
        assert_eq!(
            up.begin(10_000, 3 * DAY, DAY - 1),
            Err(RampError::TooSoon { next_at: DAY })
        );
        let stopped = up.stop(DAY / 2);
        assert_eq!(stopped.a_at(10 * DAY), 55_000, "frozen where it was");
        assert_eq!(
            stopped.begin(100, 3 * DAY, DAY),
            Err(RampError::TooSoon {
                next_at: DAY / 2 + DAY
            }),
            "stopping counts as a change"
        );
        assert!(stopped.begin(100, 3 * DAY, DAY / 2 + DAY).is_ok());
    }

    #[test]
    fn an_empty_pool_is_priced_at_the_rate() {
        let rate = Decimal::percent(105);
        let p = pool([0, 0], rate, 10);
        assert_eq!(p.spot_price().unwrap(), rate);
        assert_eq!(p.ema_at(1_000).unwrap(), rate);
        assert_eq!(p.state.ema_ratio, Some(Decimal::one()));
    }

    #[test]
    fn a_balanced_pool_trades_at_the_rate() {
        let rate = Decimal::percent(110);
        // 1,000 coin 0 at 1.1 balance 1,100 coin 1
        let p = pool([1_000 * TOKEN, 1_100 * TOKEN], rate, 10);
        let spot = p.spot_price().unwrap();
        assert!(
            spot.abs_diff(rate) < Decimal::permille(1),
            "spot {spot} vs rate {rate}"
        );
    }

    #[test]
    fn the_average_moves_by_the_weight_and_at_most_the_feed_cap() {
        let rate = Decimal::one();
        // a pool pushed far from the rate: 100:1
        let mut p = pool([10_000 * TOKEN, 100 * TOKEN], rate, 0);
        assert!(p.spot_price().unwrap() < Decimal::percent(90));
        p.state.ema_ratio = Some(Decimal::one());
        p.state.last_time = 0;
        // no time: no move
        assert_eq!(p.ema_ratio_at(0).unwrap(), Decimal::one());
        // after a very long time the average reaches what it was fed: capped at 2 %
        let long = p.ema_ratio_at(100 * 600).unwrap();
        assert_eq!(long, Decimal::percent(98));
        // after one time constant it moved 1 - 1/e of the capped step
        let one_t = p.ema_ratio_at(600).unwrap();
        let moved = Decimal::one() - one_t;
        assert!(
            moved > Decimal::permille(12) && moved < Decimal::permille(13),
            "moved {moved}"
        );
    }

    #[test]
    fn commit_prices_records_the_new_balances_and_time() {
        let rate = Decimal::one();
        let mut p = pool([1_000 * TOKEN, 1_000 * TOKEN], rate, 0);
        p.math.balances[0] = Uint128::new(1_500 * TOKEN);
        p.commit_prices(300).unwrap();
        assert_eq!(p.state.balances[0], Uint128::new(1_500 * TOKEN));
        assert_eq!(p.state.last_time, 300);
        assert!(p.state.last_price < rate, "more coin 0: it is cheaper");
        // the average was fed the balances before this operation (balanced): unchanged
        assert_eq!(p.state.ema_ratio, Some(Decimal::one()));
        assert_eq!(p.state.ema_price, rate);
    }

    #[test]
    fn fair_value_ignores_a_push_of_the_spot_price() {
        let rate = Decimal::one();
        let mut p = pool([1_000 * TOKEN, 1_000 * TOKEN], rate, 0);
        let lp = Uint128::new(100 * TOKEN);
        let before = p.fair_value(lp, 1, 0).unwrap();
        // someone sells 950 coin 0 into the pool in this block
        let sold = Uint128::new(950 * TOKEN);
        let s = p.math.swap(0, 1, sold).unwrap();
        p.math.apply_swap(0, 1, sold, &s).unwrap();
        let after = p.fair_value(lp, 1, 0).unwrap();
        assert!(after >= before, "a swap only raises D: {before} -> {after}");
        let spot_after = p.spot_price().unwrap();
        assert!(
            spot_after < Decimal::percent(95),
            "the spot moved: {spot_after}"
        );
    }

    proptest! {
        /// Whatever one block's trades show, the average moves by at most the feed cap.
        #[test]
        fn the_average_never_jumps_beyond_the_cap(
            b0 in 1u128..1_000_000,
            b1 in 1u128..1_000_000,
            dt in 0u64..10_000_000,
        ) {
            let rate = Decimal::one();
            let mut p = pool([b0 * TOKEN, b1 * TOKEN], rate, 0);
            p.state.ema_ratio = Some(Decimal::one());
            let ema = p.ema_ratio_at(dt).unwrap();
            prop_assert!(ema >= Decimal::percent(98) && ema <= Decimal::percent(102), "{}", ema);
        }

        /// A at any time lies between the ramp's two ends.
        #[test]
        fn a_stays_between_the_ends(
            a in 1u64..MAX_A,
            target_factor in 1u64..=10,
            up in any::<bool>(),
            len in DAY..30 * DAY,
            t in 0u64..60 * DAY,
        ) {
            let target = if up { (a * target_factor).min(MAX_A) } else { (a / target_factor).max(1) };
            let ramp = Ramp::fixed(a * A_PRECISION, 0);
            if let Ok(r) = ramp.begin(target, len, 0) {
                let now = r.a_at(t);
                let (lo, hi) = (r.initial_a.min(r.future_a), r.initial_a.max(r.future_a));
                prop_assert!(lo <= now && now <= hi);
            }
        }
    }
}
