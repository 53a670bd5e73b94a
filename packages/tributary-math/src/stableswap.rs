//! Two-coin StableSwap (Curve's invariant with amplification A) in integer math.
//!
//! The operations follow the order and rounding of Curve's pool template (`get_D`, `get_y`,
//! `get_y_D`, `get_dy`, add/remove liquidity with the imbalance fee), so for the same balances,
//! rates, A and fee the results agree with Curve's pools to the unit:
//!
//! * balances are scaled to 18 decimals by `rates` (`xp = balance * rate / 1e18`; a 6-decimal coin
//!   pegged 1:1 has rate `1e30`, an exchange-rate token its redemption rate times that);
//! * `amp` is A times [`A_PRECISION`];
//! * fees are fractions of [`FEE_DENOMINATOR`] (4 bps = 4,000,000).
//!
//! Every step is checked; nothing panics. Newton's method converges within 255 rounds for
//! A from 1 to 1,000,000 and for pools imbalanced to one part in 10^9, or returns an error.

use cosmwasm_std::{Decimal256, Uint128, Uint256};

use crate::MathError;

/// Number of coins.
pub const N_COINS: usize = 2;
/// A is stored multiplied by this.
pub const A_PRECISION: u64 = 100;
/// Fees are fractions of this (1e10).
pub const FEE_DENOMINATOR: u64 = 10_000_000_000;
/// Largest A accepted.
pub const MAX_A: u64 = 1_000_000;
/// Newton rounds before giving up.
const MAX_ROUNDS: usize = 255;

/// 1e18, the precision of `xp` and of rates.
pub fn precision() -> Uint256 {
    Uint256::from(1_000_000_000_000_000_000u128)
}

/// The rate of a coin with `decimals` decimals pegged one to one: `10^(36 - decimals)`.
pub fn unit_rate(decimals: u8) -> Result<Uint256, MathError> {
    let exp = 36u32
        .checked_sub(u32::from(decimals))
        .ok_or(MathError::Overflow)?;
    Uint256::from(10u8)
        .checked_pow(exp)
        .map_err(|_| MathError::Overflow)
}

fn n() -> Uint256 {
    Uint256::from(N_COINS as u64)
}

fn u(v: u64) -> Uint256 {
    Uint256::from(v)
}

/// Balances scaled to 18 decimals by their rates.
pub fn xp(balances: [Uint128; 2], rates: [Uint256; 2]) -> Result<[Uint256; 2], MathError> {
    let mut out = [Uint256::zero(); 2];
    for k in 0..N_COINS {
        out[k] = Uint256::from(balances[k])
            .checked_mul(rates[k])?
            .checked_div(precision())
            .map_err(|_| MathError::DivideByZero)?;
    }
    Ok(out)
}

fn div(a: Uint256, b: Uint256) -> Result<Uint256, MathError> {
    a.checked_div(b).map_err(|_| MathError::DivideByZero)
}

fn converged(a: Uint256, b: Uint256) -> bool {
    let d = if a > b { a - b } else { b - a };
    d <= Uint256::one()
}

/// The invariant D for scaled balances `xp` and `amp` (A * A_PRECISION).
pub fn get_d(xp: [Uint256; 2], amp: Uint256) -> Result<Uint256, MathError> {
    let s = xp[0].checked_add(xp[1])?;
    if s.is_zero() {
        return Ok(Uint256::zero());
    }
    let ann = amp.checked_mul(n())?;
    let a_prec = u(A_PRECISION);
    let mut d = s;
    for _ in 0..MAX_ROUNDS {
        let mut d_p = d;
        for x in xp {
            d_p = div(d_p.checked_mul(d)?, x.checked_mul(n())?)?;
        }
        let d_prev = d;
        let numerator = div(ann.checked_mul(s)?, a_prec)?
            .checked_add(d_p.checked_mul(n())?)?
            .checked_mul(d)?;
        let denominator = div(ann.checked_sub(a_prec)?.checked_mul(d)?, a_prec)?
            .checked_add(n().checked_add(Uint256::one())?.checked_mul(d_p)?)?;
        d = div(numerator, denominator)?;
        if converged(d, d_prev) {
            return Ok(d);
        }
    }
    Err(MathError::NoConvergence)
}

/// Solves `y*y + (b - D) * y = c` for the other coin's balance by Newton's method.
fn solve_y(s: Uint256, c: Uint256, d: Uint256, ann: Uint256) -> Result<Uint256, MathError> {
    let a_prec = u(A_PRECISION);
    let c = div(
        c.checked_mul(d)?.checked_mul(a_prec)?,
        ann.checked_mul(n())?,
    )?;
    let b = s.checked_add(div(d.checked_mul(a_prec)?, ann)?)?;
    let mut y = d;
    for _ in 0..MAX_ROUNDS {
        let y_prev = y;
        let numerator = y.checked_mul(y)?.checked_add(c)?;
        let denominator = u(2).checked_mul(y)?.checked_add(b)?.checked_sub(d)?;
        y = div(numerator, denominator)?;
        if converged(y, y_prev) {
            return Ok(y);
        }
    }
    Err(MathError::NoConvergence)
}

/// The balance of coin `j` that keeps D when coin `i`'s scaled balance becomes `x`.
pub fn get_y(
    i: usize,
    j: usize,
    x: Uint256,
    xp: [Uint256; 2],
    amp: Uint256,
) -> Result<Uint256, MathError> {
    if i == j || i >= N_COINS || j >= N_COINS {
        return Err(MathError::InvalidCoin);
    }
    let d = get_d(xp, amp)?;
    let ann = amp.checked_mul(n())?;
    // with two coins the only other balance is the new x
    let c = div(d.checked_mul(d)?, x.checked_mul(n())?)?;
    solve_y(x, c, d, ann)
}

/// The balance of coin `i` for which the invariant is `d`, the other balance unchanged.
pub fn get_y_d(amp: Uint256, i: usize, xp: [Uint256; 2], d: Uint256) -> Result<Uint256, MathError> {
    if i >= N_COINS {
        return Err(MathError::InvalidCoin);
    }
    let other = xp[1 - i];
    let ann = amp.checked_mul(n())?;
    let c = div(d.checked_mul(d)?, other.checked_mul(n())?)?;
    solve_y(other, c, d, ann)
}

/// A's value at `now` while ramping linearly from `(a0, t0)` to `(a1, t1)` (all A * A_PRECISION).
pub fn ramped_a(a0: u64, t0: u64, a1: u64, t1: u64, now: u64) -> u64 {
    if now >= t1 || t1 <= t0 {
        return a1;
    }
    let elapsed = u128::from(now.saturating_sub(t0));
    let span = u128::from(t1 - t0);
    let moved = |from: u64, to: u64| (u128::from(to - from) * elapsed / span) as u64;
    if a1 > a0 {
        a0 + moved(a0, a1)
    } else {
        a0 - moved(a1, a0)
    }
}

/// The state a pool's math needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StableSwap {
    /// Coin balances the pool accounts for (admin fees excluded).
    pub balances: [Uint128; 2],
    /// Rates scaling each coin to 18 decimals at its peg (see [`unit_rate`]).
    pub rates: [Uint256; 2],
    /// A * A_PRECISION, as of now.
    pub amp: u64,
    /// Swap fee, fraction of FEE_DENOMINATOR.
    pub fee: u64,
    /// Share of fees kept by the admin, fraction of FEE_DENOMINATOR.
    pub admin_fee: u64,
}

/// Result of a swap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Swap {
    /// Paid to the trader.
    pub dy: Uint128,
    /// Fee charged, in coin j.
    pub fee: Uint128,
    /// The admin's part of the fee, removed from the pool's balance.
    pub admin_fee: Uint128,
}

/// Result of a deposit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deposit {
    /// LP tokens minted.
    pub mint: Uint128,
    /// Imbalance fees charged per coin.
    pub fees: [Uint128; 2],
    /// The admin's part of them.
    pub admin_fees: [Uint128; 2],
}

/// Result of a one-coin withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OneCoin {
    /// Paid out.
    pub dy: Uint128,
    /// Fee charged.
    pub fee: Uint128,
    /// The admin's part of it.
    pub admin_fee: Uint128,
}

fn to_u128(v: Uint256) -> Result<Uint128, MathError> {
    Uint128::try_from(v).map_err(|_| MathError::Overflow)
}

impl StableSwap {
    fn amp(&self) -> Uint256 {
        u(self.amp)
    }

    fn xp(&self) -> Result<[Uint256; 2], MathError> {
        xp(self.balances, self.rates)
    }

    /// The invariant of the current balances.
    pub fn d(&self) -> Result<Uint256, MathError> {
        get_d(self.xp()?, self.amp())
    }

    /// What selling `dx` of coin `i` for coin `j` pays (Curve's `get_dy`, plus the admin's part).
    pub fn swap(&self, i: usize, j: usize, dx: Uint128) -> Result<Swap, MathError> {
        if i == j || i >= N_COINS || j >= N_COINS {
            return Err(MathError::InvalidCoin);
        }
        let xp = self.xp()?;
        let x = xp[i].checked_add(div(
            Uint256::from(dx).checked_mul(self.rates[i])?,
            precision(),
        )?)?;
        let y = get_y(i, j, x, xp, self.amp())?;
        let dy = xp[j].checked_sub(y)?.checked_sub(Uint256::one())?;
        let dy_fee = div(dy.checked_mul(u(self.fee))?, u(FEE_DENOMINATOR))?;
        let out = div(
            dy.checked_sub(dy_fee)?.checked_mul(precision())?,
            self.rates[j],
        )?;
        let admin = div(dy_fee.checked_mul(u(self.admin_fee))?, u(FEE_DENOMINATOR))?;
        let admin = div(admin.checked_mul(precision())?, self.rates[j])?;
        Ok(Swap {
            dy: to_u128(out)?,
            fee: to_u128(div(dy_fee.checked_mul(precision())?, self.rates[j])?)?,
            admin_fee: to_u128(admin)?,
        })
    }

    /// Applies a swap to the balances.
    pub fn apply_swap(
        &mut self,
        i: usize,
        j: usize,
        dx: Uint128,
        s: &Swap,
    ) -> Result<(), MathError> {
        self.balances[i] = self.balances[i].checked_add(dx)?;
        self.balances[j] = self.balances[j]
            .checked_sub(s.dy)?
            .checked_sub(s.admin_fee)?;
        Ok(())
    }

    /// LP minted for depositing `amounts` when `supply` LP exist (Curve's `add_liquidity`). The
    /// first deposit must include both coins.
    pub fn deposit(&self, amounts: [Uint128; 2], supply: Uint128) -> Result<Deposit, MathError> {
        let amp = self.amp();
        let old = self.balances;
        let d0 = get_d(xp(old, self.rates)?, amp)?;
        let mut new = old;
        for k in 0..N_COINS {
            if supply.is_zero() && amounts[k].is_zero() {
                return Err(MathError::InitialDepositNeedsAllCoins);
            }
            new[k] = new[k].checked_add(amounts[k])?;
        }
        let d1 = get_d(xp(new, self.rates)?, amp)?;
        if d1 <= d0 {
            return Err(MathError::ZeroAmount);
        }
        if supply.is_zero() {
            return Ok(Deposit {
                mint: to_u128(d1)?,
                fees: [Uint128::zero(); 2],
                admin_fees: [Uint128::zero(); 2],
            });
        }
        let fee = div(
            u(self.fee).checked_mul(n())?,
            u(4).checked_mul(n().checked_sub(Uint256::one())?)?,
        )?;
        let mut fees = [Uint128::zero(); 2];
        let mut admin_fees = [Uint128::zero(); 2];
        let mut charged = new;
        for k in 0..N_COINS {
            let ideal = div(d1.checked_mul(Uint256::from(old[k]))?, d0)?;
            let actual = Uint256::from(new[k]);
            let difference = if ideal > actual {
                ideal - actual
            } else {
                actual - ideal
            };
            let f = div(fee.checked_mul(difference)?, u(FEE_DENOMINATOR))?;
            fees[k] = to_u128(f)?;
            admin_fees[k] = to_u128(div(f.checked_mul(u(self.admin_fee))?, u(FEE_DENOMINATOR))?)?;
            charged[k] = charged[k].checked_sub(fees[k])?;
        }
        let d2 = get_d(xp(charged, self.rates)?, amp)?;
        let mint = div(Uint256::from(supply).checked_mul(d2.checked_sub(d0)?)?, d0)?;
        Ok(Deposit {
            mint: to_u128(mint)?,
            fees,
            admin_fees,
        })
    }

    /// Coins paid for burning `lp` of `supply`, in proportion (Curve's `remove_liquidity`).
    pub fn withdraw(&self, lp: Uint128, supply: Uint128) -> Result<[Uint128; 2], MathError> {
        if lp > supply {
            return Err(MathError::InsufficientShares {
                requested: lp,
                available: supply,
            });
        }
        Ok([
            self.balances[0].checked_multiply_ratio(lp, supply)?,
            self.balances[1].checked_multiply_ratio(lp, supply)?,
        ])
    }

    /// Coin `i` paid for burning `lp` of `supply` (Curve's `calc_withdraw_one_coin`).
    pub fn withdraw_one(
        &self,
        lp: Uint128,
        i: usize,
        supply: Uint128,
    ) -> Result<OneCoin, MathError> {
        if i >= N_COINS {
            return Err(MathError::InvalidCoin);
        }
        if lp > supply || supply.is_zero() {
            return Err(MathError::InsufficientShares {
                requested: lp,
                available: supply,
            });
        }
        let amp = self.amp();
        let xp = self.xp()?;
        let d0 = get_d(xp, amp)?;
        let d1 = d0.checked_sub(div(
            Uint256::from(lp).checked_mul(d0)?,
            Uint256::from(supply),
        )?)?;
        let new_y = get_y_d(amp, i, xp, d1)?;
        let fee = div(
            u(self.fee).checked_mul(n())?,
            u(4).checked_mul(n().checked_sub(Uint256::one())?)?,
        )?;
        let mut reduced = xp;
        for k in 0..N_COINS {
            let expected = if k == i {
                div(xp[k].checked_mul(d1)?, d0)?.checked_sub(new_y)?
            } else {
                xp[k].checked_sub(div(xp[k].checked_mul(d1)?, d0)?)?
            };
            reduced[k] =
                reduced[k].checked_sub(div(fee.checked_mul(expected)?, u(FEE_DENOMINATOR))?)?;
        }
        let dy = reduced[i].checked_sub(get_y_d(amp, i, reduced, d1)?)?;
        // to coin units (Curve divides by the precision multiplier; rates generalise it)
        let to_units = |v: Uint256| div(v.checked_mul(precision())?, self.rates[i]);
        let dy = to_units(dy.checked_sub(Uint256::one())?)?;
        let dy_0 = to_units(xp[i].checked_sub(new_y)?)?;
        let fee = dy_0.saturating_sub(dy);
        let admin = div(fee.checked_mul(u(self.admin_fee))?, u(FEE_DENOMINATOR))?;
        Ok(OneCoin {
            dy: to_u128(dy)?,
            fee: to_u128(fee)?,
            admin_fee: to_u128(admin)?,
        })
    }

    /// Price of coin `i` in coin `j` at the margin (the invariant's derivative, no fee), in the
    /// coins' own units.
    pub fn spot_price(&self, i: usize, j: usize) -> Result<Decimal256, MathError> {
        if i == j || i >= N_COINS || j >= N_COINS {
            return Err(MathError::InvalidCoin);
        }
        let xp = self.xp()?;
        let d = self.d()?;
        if xp[0].is_zero() || xp[1].is_zero() {
            return Err(MathError::DivideByZero);
        }
        // F = A n^n (x + y) + D - A n^n D - D^3 / (4 x y); dy/dx = -Fx / Fy
        // Fx = A n^n + D^3 / (4 x^2 y), Fy = A n^n + D^3 / (4 x y^2); both scaled by 4 x^2 y^2 / D
        let ann = Decimal256::from_ratio(u(self.amp).checked_mul(u(4))?, u(A_PRECISION));
        let d3 = |x: Uint256, y: Uint256| -> Result<Decimal256, MathError> {
            // D^3 / (4 x^2 y) computed as ((D / x) * (D / x)) * (D / (4y)) in decimals
            let dx = Decimal256::checked_from_ratio(d, x).map_err(|_| MathError::Overflow)?;
            let dy = Decimal256::checked_from_ratio(d, y.checked_mul(u(4))?)
                .map_err(|_| MathError::Overflow)?;
            dx.checked_mul(dx)
                .and_then(|v| v.checked_mul(dy))
                .map_err(|_| MathError::Overflow)
        };
        let fx = ann
            .checked_add(d3(xp[i], xp[j])?)
            .map_err(|_| MathError::Overflow)?;
        let fy = ann
            .checked_add(d3(xp[j], xp[i])?)
            .map_err(|_| MathError::Overflow)?;
        // price in scaled units, then to coin units: * rate_i / rate_j
        let scaled = fx.checked_div(fy).map_err(|_| MathError::DivideByZero)?;
        scaled
            .checked_mul(Decimal256::from_ratio(self.rates[i], self.rates[j]))
            .map_err(|_| MathError::Overflow)
    }

    /// What `lp` of `supply` LP tokens are worth in coin `i`, at a value no single transaction
    /// can move: the LP's share of the invariant D (which swaps can only raise, by their fees).
    /// D counts coin 0 at its redemption rate `redemption` (coin 1 per coin 0, whole tokens) and
    /// both coins as if balanced, so it is a lower bound of what a proportional withdrawal is
    /// worth at that rate. Then:
    ///
    /// * in coin 1: `lp × D / supply × min(market, redemption) / redemption` — coin 0 at the
    ///   lesser of its moving-average price `market` and its redemption rate (Curve's LP oracle:
    ///   virtual price times the lowest coin price), so a depeg lowers it;
    /// * in coin 0: `lp × D / supply / redemption` — coin 1 converted at the redemption rate,
    ///   the price at which coin 1 always buys coin 0 (the hub mints LST at its rate), so neither
    ///   a depeg nor a premium in the market moves it.
    ///
    /// `unit_rates` are the coins' rates at par (`unit_rate(decimals)`). Rounds down.
    pub fn fair_value(
        &self,
        lp: Uint128,
        supply: Uint128,
        i: usize,
        unit_rates: [Uint256; 2],
        redemption: Decimal256,
        market: Decimal256,
    ) -> Result<Uint128, MathError> {
        if i >= N_COINS {
            return Err(MathError::InvalidCoin);
        }
        if lp > supply {
            return Err(MathError::InsufficientShares {
                requested: lp,
                available: supply,
            });
        }
        if lp.is_zero() || redemption.is_zero() {
            return Ok(Uint128::zero());
        }
        // the LP's share of D, then in coin i's units at par
        let share = div(
            Uint256::from(lp).checked_mul(self.d()?)?,
            Uint256::from(supply),
        )?;
        let at_par = div(share.checked_mul(precision())?, unit_rates[i])?;
        let (num, den) = if i == 1 {
            (redemption.min(market), redemption)
        } else {
            (Decimal256::one(), redemption)
        };
        to_u128(
            at_par
                .checked_multiply_ratio(num.atomics(), den.atomics())
                .map_err(|_| MathError::Overflow)?,
        )
    }

    /// D per LP token (Curve's virtual price). LP tokens carry D's 18-decimal units, as in
    /// Curve: the first deposit mints D.
    pub fn virtual_price(&self, supply: Uint128) -> Result<Decimal256, MathError> {
        if supply.is_zero() {
            return Ok(Decimal256::zero());
        }
        Decimal256::checked_from_ratio(self.d()?, Uint256::from(supply))
            .map_err(|_| MathError::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(x: u128, y: u128) -> StableSwap {
        let r = unit_rate(6).unwrap_or_default();
        StableSwap {
            balances: [Uint128::new(x), Uint128::new(y)],
            rates: [r, r],
            amp: 50 * A_PRECISION,
            fee: 4_000_000,
            admin_fee: 5_000_000_000,
        }
    }

    fn units() -> [Uint256; 2] {
        let r = unit_rate(6).unwrap_or_default();
        [r, r]
    }

    fn fair(p: &StableSwap, lp: u128, supply: u128, i: usize, market: Decimal256) -> u128 {
        p.fair_value(
            Uint128::new(lp),
            Uint128::new(supply),
            i,
            units(),
            Decimal256::one(),
            market,
        )
        .map(|v| v.u128())
        .unwrap_or(u128::MAX)
    }

    #[test]
    fn fair_value_of_a_balanced_pool_is_its_balances() {
        // D of a balanced pool is the sum of its balances: 2,000,000 units for 2e24 LP (18
        // decimals, the first deposit mints D)
        let p = pool(1_000_000_000_000, 1_000_000_000_000);
        let supply = 2_000_000_000_000_000_000_000_000u128;
        assert_eq!(
            fair(&p, supply, supply, 0, Decimal256::one()),
            2_000_000_000_000
        );
        assert_eq!(
            fair(&p, supply, supply, 1, Decimal256::one()),
            2_000_000_000_000
        );
        assert_eq!(
            fair(&p, supply / 4, supply, 0, Decimal256::one()),
            500_000_000_000
        );
        assert_eq!(fair(&p, 0, supply, 0, Decimal256::one()), 0);
        assert_eq!(
            p.fair_value(
                Uint128::new(supply + 1),
                Uint128::new(supply),
                0,
                units(),
                Decimal256::one(),
                Decimal256::one()
            ),
            Err(MathError::InsufficientShares {
                requested: Uint128::new(supply + 1),
                available: Uint128::new(supply),
            })
        );
    }

    #[test]
    fn fair_value_in_coin_1_takes_a_depeg_and_in_coin_0_the_redemption_rate() {
        let p = pool(1_000_000_000_000, 1_000_000_000_000);
        let supply = 2_000_000_000_000_000_000_000_000u128;
        // coin 0 trades at 0.95: in coin 1 the LP is worth 5 % less; in coin 0 it is not
        let low = Decimal256::percent(95);
        assert_eq!(fair(&p, supply, supply, 1, low), 1_900_000_000_000);
        assert_eq!(fair(&p, supply, supply, 0, low), 2_000_000_000_000);
        // a premium moves neither (coin 1 still buys coin 0 at the redemption rate)
        let high = Decimal256::percent(125);
        assert_eq!(fair(&p, supply, supply, 0, high), 2_000_000_000_000);
        assert_eq!(fair(&p, supply, supply, 1, high), 2_000_000_000_000);
        // at a redemption rate of 2, the same D is half as many coin 0
        let at_two = p.fair_value(
            Uint128::new(supply),
            Uint128::new(supply),
            0,
            units(),
            Decimal256::percent(200),
            Decimal256::percent(200),
        );
        assert_eq!(at_two, Ok(Uint128::new(1_000_000_000_000)));
    }

    #[test]
    fn swaps_never_lower_the_fair_value() {
        let supply = 2_000_000_000_000_000_000_000_000u128;
        let mut p = pool(1_000_000_000_000, 1_000_000_000_000);
        let mut last = fair(&p, supply, supply, 0, Decimal256::one());
        for (i, dx) in [
            (0usize, 900_000_000_000u128),
            (1, 1_700_000_000_000),
            (0, 5),
        ] {
            let s = p.swap(i, 1 - i, Uint128::new(dx)).unwrap_or(Swap {
                dy: Uint128::zero(),
                fee: Uint128::zero(),
                admin_fee: Uint128::zero(),
            });
            assert!(!s.dy.is_zero());
            assert!(p.apply_swap(i, 1 - i, Uint128::new(dx), &s).is_ok());
            let now = fair(&p, supply, supply, 0, Decimal256::one());
            assert!(now >= last, "a swap lowered the fair value: {now} < {last}");
            last = now;
        }
        // while the one-coin withdrawal value of the same LP swings with the balances
        let one = p
            .withdraw_one(Uint128::new(supply / 2), 0, Uint128::new(supply))
            .map(|o| o.dy.u128())
            .unwrap_or_default();
        assert!(
            one.abs_diff(last / 2) > last / 100,
            "{one} vs fair {}",
            last / 2
        );
    }

    #[test]
    fn spot_price_is_one_when_balanced_and_falls_for_the_abundant_coin() {
        assert_eq!(
            pool(1_000_000, 1_000_000).spot_price(0, 1),
            Ok(Decimal256::one())
        );
        let skewed = pool(800_000_000_000, 200_000_000_000);
        let p01 = skewed.spot_price(0, 1).unwrap_or_default();
        let p10 = skewed.spot_price(1, 0).unwrap_or_default();
        assert!(p01 < Decimal256::one() && p10 > Decimal256::one());
        // the marginal price sits between the prices of small trades either way
        let dy = skewed
            .swap(0, 1, Uint128::new(1_000_000))
            .map(|s| s.dy.u128())
            .unwrap_or(0);
        assert!(Decimal256::from_ratio(dy, 1_000_000u128) < p01);
        // and the two directions are reciprocal
        let product = p01 * p10;
        assert!(product > Decimal256::permille(999) && product < Decimal256::permille(1001));
    }

    #[test]
    fn a_ramps_linearly() {
        assert_eq!(ramped_a(5_000, 100, 10_000, 200, 150), 7_500);
        assert_eq!(ramped_a(10_000, 100, 5_000, 200, 150), 7_500);
        assert_eq!(ramped_a(5_000, 100, 10_000, 200, 250), 10_000);
        assert_eq!(ramped_a(5_000, 100, 10_000, 200, 100), 5_000);
    }

    #[test]
    fn admin_fee_is_its_share_of_the_fee() {
        let s = pool(500_000_000_000, 500_000_000_000)
            .swap(0, 1, Uint128::new(1_000_000_000))
            .unwrap_or(Swap {
                dy: Uint128::zero(),
                fee: Uint128::zero(),
                admin_fee: Uint128::zero(),
            });
        assert_eq!(s.admin_fee, s.fee / Uint128::new(2));
    }

    #[test]
    fn bad_indices_and_first_deposits_are_errors() {
        let p = pool(1_000_000, 1_000_000);
        assert_eq!(p.swap(0, 0, Uint128::one()), Err(MathError::InvalidCoin));
        assert_eq!(p.swap(0, 2, Uint128::one()), Err(MathError::InvalidCoin));
        let empty = pool(0, 0);
        assert_eq!(
            empty.deposit([Uint128::new(1), Uint128::zero()], Uint128::zero()),
            Err(MathError::InitialDepositNeedsAllCoins)
        );
    }
}

/// `e^(-x)` for a non-negative decimal, to about 1e-17: the integer part by powers of `1/e`, the
/// fraction by its Taylor series. Used for the exponential moving-average price.
pub fn exp_neg(x: cosmwasm_std::Decimal) -> Result<cosmwasm_std::Decimal, MathError> {
    use cosmwasm_std::Decimal;
    // beyond 41, e^-x is below 1e-18: zero at this precision
    if x >= Decimal::from_ratio(41u8, 1u8) {
        return Ok(Decimal::zero());
    }
    let whole = x.to_uint_floor().u128() as u32;
    let frac = x
        .checked_sub(Decimal::from_ratio(whole, 1u8))
        .map_err(|_| MathError::Overflow)?;
    // 1/e to 18 places
    let inv_e =
        Decimal::from_atomics(367_879_441_171_442_322u128, 18).map_err(|_| MathError::Overflow)?;
    let whole_part = inv_e.checked_pow(whole).map_err(|_| MathError::Overflow)?;
    // e^-f = sum (-f)^k / k!, alternating; 25 terms are far below 1e-18 for f < 1
    let mut term = Decimal::one();
    let mut positive = Decimal::one();
    let mut negative = Decimal::zero();
    for k in 1..25u32 {
        term = term
            .checked_mul(frac)
            .and_then(|t| {
                t.checked_div(Decimal::from_ratio(k, 1u8)).map_err(|_| {
                    cosmwasm_std::OverflowError::new(cosmwasm_std::OverflowOperation::Mul)
                })
            })
            .map_err(|_| MathError::Overflow)?;
        if k % 2 == 1 {
            negative = negative
                .checked_add(term)
                .map_err(|_| MathError::Overflow)?;
        } else {
            positive = positive
                .checked_add(term)
                .map_err(|_| MathError::Overflow)?;
        }
    }
    let frac_part = positive
        .checked_sub(negative)
        .map_err(|_| MathError::Overflow)?;
    whole_part
        .checked_mul(frac_part)
        .map_err(|_| MathError::Overflow)
}

#[cfg(test)]
mod exp_tests {
    use super::exp_neg;
    use cosmwasm_std::Decimal;

    fn close(a: Decimal, b: Decimal) -> bool {
        let d = if a > b { a - b } else { b - a };
        d <= Decimal::from_atomics(20u128, 18).unwrap_or_default()
    }

    #[test]
    fn exp_neg_matches_known_values() {
        assert_eq!(exp_neg(Decimal::zero()), Ok(Decimal::one()));
        // e^-1, e^-0.5, e^-2.5, e^-10
        for (x, want) in [
            ("1", 367_879_441_171_442_322u128),
            ("0.5", 606_530_659_712_633_423),
            ("2.5", 82_084_998_623_898_795),
            ("10", 45_399_929_762_484),
        ] {
            let x: Decimal = x.parse().unwrap_or_default();
            let got = exp_neg(x).unwrap_or_default();
            let want = Decimal::from_atomics(want, 18).unwrap_or_default();
            assert!(close(got, want), "e^-{x}: {got} vs {want}");
        }
        assert_eq!(
            exp_neg(Decimal::from_ratio(100u8, 1u8)),
            Ok(Decimal::zero())
        );
    }
}
