//! A StableSwap pool priced from a table computed once, at start, with the contracts' own math
//! (`tributary_math::stableswap`), so a path-day costs an index and two multiplications rather
//! than a Newton solve.
//!
//! The pool holds coin 0 (the LST, or the LRT) and coin 1 (what it is quoted in), coin 0 scaled
//! by its redemption rate as the pool contract does (`RateSource::Hub`). Swaps move the pool
//! along its invariant D, so a pool's state is one number, `x`: coin 0's scaled balance as a
//! fraction of D (a balanced pool has `x = 0.5`). StableSwap is homogeneous of degree one (scale
//! both balances and D scales with them), so one table serves every depth.
//!
//! The table holds, at evenly spaced `x`, coin 1's balance `y` (from `get_y`) and the marginal
//! price (`spot_price`), both exact at the grid points. Between them they are interpolated
//! linearly; [`PoolTable::max_interpolation_error`] measures the error against the exact math at
//! the midpoints (the worst place), and the crate's tests bound it.

use cosmwasm_std::{Uint128, Uint256};
use serde::{Deserialize, Serialize};
use tributary_math::stableswap::{get_y, unit_rate, StableSwap, A_PRECISION};

/// D of the pool the table is computed on, in base units (a large D keeps integer rounding
/// far below the interpolation error).
const TABLE_D: u128 = 2_000_000_000_000_000;

/// The fee denominator of the pool contract (`tributary_math::stableswap::FEE_DENOMINATOR`).
const FEE_DENOMINATOR: f64 = 1e10;

/// A pool's parameters, as the pool contract takes them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolParams {
    /// Amplification A (the contract's `amp`, before `A_PRECISION`).
    pub amp: u64,
    /// Swap fee, fraction of 10^10 (4,000,000 = 4 bps), as the pool contract takes it.
    pub fee: u64,
    /// Tokens of each coin when the pool is balanced (its depth).
    pub depth: f64,
}

/// The pricing table of one pool.
#[derive(Clone, Debug)]
pub struct PoolTable {
    /// Lowest `x` of the grid.
    x0: f64,
    /// Grid step.
    step: f64,
    /// Coin 1's balance / D at each grid point.
    y: Vec<f64>,
    /// Marginal price of coin 0 in coin 1 at each grid point.
    price: Vec<f64>,
    /// `1 - fee`.
    keep: f64,
    /// D in tokens (`2 × depth` for a balanced pool).
    d_tokens: f64,
    amp: u64,
}

/// The grid covers `x` in `[X_MIN, X_MAX]`: from coin 0 at 1 % of the pool's value (a premium
/// far beyond any the hub's minting leaves standing) to coin 0 at twice D, where coin 1 is
/// nearly gone (at A = 50 the price there is 0.003). Sales beyond it stop at its end.
pub const X_MIN: f64 = 0.01;
/// See [`X_MIN`].
pub const X_MAX: f64 = 2.0;

fn exact_pool(amp: u64, x: f64) -> anyhow::Result<StableSwap> {
    let rate = unit_rate(6)?;
    let amp_p = amp * A_PRECISION;
    // scaled balances carry 18 decimals: base units × 10^12 for a 6-decimal coin
    let d_bal = Uint256::from(TABLE_D / 2).checked_mul(Uint256::from(1_000_000_000_000u128))?;
    let balanced = [d_bal, d_bal];
    // scaled (18 decimals) balance of coin 0 for this x; coin 1 from the invariant
    let d_f = TABLE_D as f64 * 1e12;
    let x_scaled = Uint256::from((x * d_f) as u128);
    let y_scaled = get_y(0, 1, x_scaled, balanced, Uint256::from(amp_p))?;
    let to_units = |v: Uint256| -> anyhow::Result<Uint128> {
        Ok(Uint128::try_from(
            v.checked_div(Uint256::from(1_000_000_000_000u128))?,
        )?)
    };
    Ok(StableSwap {
        balances: [to_units(x_scaled)?, to_units(y_scaled)?],
        rates: [rate, rate],
        amp: amp_p,
        fee: 0,
        admin_fee: 0,
    })
}

/// Coin 1's balance / D and the marginal price at `x`, from the contracts' math.
pub fn exact_point(amp: u64, x: f64) -> anyhow::Result<(f64, f64)> {
    let pool = exact_pool(amp, x)?;
    let y = pool.balances[1].u128() as f64 / TABLE_D as f64;
    let price = decimal_to_f64(pool.spot_price(0, 1)?);
    Ok((y, price))
}

fn decimal_to_f64(d: cosmwasm_std::Decimal256) -> f64 {
    // at most 18 decimals; the integer part of a price is small
    let atomics = d.atomics();
    let whole = atomics
        .checked_div(Uint256::from(10u128.pow(18)))
        .unwrap_or_default();
    let frac = atomics
        .checked_rem(Uint256::from(10u128.pow(18)))
        .unwrap_or_default();
    let whole = Uint128::try_from(whole).map_or(f64::MAX, |v| v.u128() as f64);
    let frac = Uint128::try_from(frac).map_or(0.0, |v| v.u128() as f64) / 1e18;
    whole + frac
}

impl PoolTable {
    /// Computes the table of a pool with `points` grid points (at least 3).
    pub fn new(params: &PoolParams, points: usize) -> anyhow::Result<PoolTable> {
        if points < 3 {
            anyhow::bail!("a pool table needs at least 3 points");
        }
        if params.amp == 0 || params.amp > tributary_math::stableswap::MAX_A {
            anyhow::bail!("the pool's A must be between 1 and 1,000,000");
        }
        if params.fee >= 10_000_000_000 {
            anyhow::bail!("the pool's fee must be below 100 %");
        }
        if params.depth.is_nan() || params.depth <= 0.0 || params.depth.is_infinite() {
            anyhow::bail!("the pool's depth must be above zero");
        }
        let step = (X_MAX - X_MIN) / (points - 1) as f64;
        let mut y = Vec::with_capacity(points);
        let mut price = Vec::with_capacity(points);
        for k in 0..points {
            let (yk, pk) = exact_point(params.amp, X_MIN + step * k as f64)?;
            y.push(yk);
            price.push(pk);
        }
        Ok(PoolTable {
            x0: X_MIN,
            step,
            y,
            price,
            keep: 1.0 - params.fee as f64 / FEE_DENOMINATOR,
            d_tokens: 2.0 * params.depth,
            amp: params.amp,
        })
    }

    /// The state of a balanced pool.
    pub fn balanced(&self) -> f64 {
        0.5
    }

    #[inline]
    fn locate(&self, x: f64) -> (usize, f64) {
        let t = ((x.clamp(X_MIN, X_MAX) - self.x0) / self.step).max(0.0);
        let k = (t as usize).min(self.y.len() - 2);
        (k, t - k as f64)
    }

    /// Coin 1's balance / D at `x` (interpolated).
    #[inline]
    pub fn y_at(&self, x: f64) -> f64 {
        let (k, f) = self.locate(x);
        self.y[k] + (self.y[k + 1] - self.y[k]) * f
    }

    /// The marginal price of coin 0 in coin 1 at `x` (interpolated), before the fee.
    #[inline]
    pub fn price(&self, x: f64) -> f64 {
        let (k, f) = self.locate(x);
        self.price[k] + (self.price[k + 1] - self.price[k]) * f
    }

    /// Clamps a state into the grid.
    #[inline]
    pub fn clamp(&self, x: f64) -> f64 {
        x.clamp(X_MIN, X_MAX)
    }

    /// The state after `tokens` of coin 0 (valued at its redemption rate) are sold into the
    /// pool (negative: bought from it).
    #[inline]
    pub fn after_sale(&self, x: f64, tokens: f64) -> f64 {
        self.clamp(x + tokens / self.d_tokens)
    }

    /// What selling `tokens` of coin 0 (valued at its redemption rate) pays in coin 1 at state
    /// `x`, after the fee. A sale beyond the grid's end pays only up to the end.
    #[inline]
    pub fn sell(&self, x: f64, tokens: f64) -> f64 {
        if tokens <= 0.0 {
            return 0.0;
        }
        let end = self.after_sale(x, tokens);
        (self.y_at(x) - self.y_at(end)).max(0.0) * self.d_tokens * self.keep
    }

    /// The largest difference, relative to the exact value, between the table and the
    /// contracts' math at the midpoints of the grid (where linear interpolation is worst), for
    /// coin 1's balance and for the price.
    pub fn max_interpolation_error(&self) -> anyhow::Result<(f64, f64)> {
        let mut worst = (0.0f64, 0.0f64);
        for k in 0..self.y.len() - 1 {
            let x = self.x0 + self.step * (k as f64 + 0.5);
            let (y, p) = exact_point(self.amp, x)?;
            worst.0 = worst.0.max(((self.y_at(x) - y) / y).abs());
            worst.1 = worst.1.max(((self.price(x) - p) / p).abs());
        }
        Ok(worst)
    }

    /// The grid points `(x, y, price)`.
    pub fn points(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        (0..self.y.len()).map(|k| (self.x0 + self.step * k as f64, self.y[k], self.price[k]))
    }

    /// The state at which coin 0's marginal price is `price` (the grid's end if it never is).
    pub fn state_for_price(&self, price: f64) -> f64 {
        let (mut lo, mut hi) = (X_MIN, X_MAX);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.price(mid) > price {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// The state at which coin 0 makes up `share` of the pool's balances (by value at the
    /// redemption rate), found on the grid by bisection.
    pub fn state_for_share(&self, share: f64) -> f64 {
        let (mut lo, mut hi) = (X_MIN, X_MAX);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            let s = mid / (mid + self.y_at(mid));
            if s < share {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}
