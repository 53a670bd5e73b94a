//! Exchange-rate (non-rebasing) share accounting with a virtual offset.
//!
//! A [`SharePool`] holds `assets` (the underlying, e.g. native tokens staked) and `shares`
//! (the liquid token's supply). Its rate is the lower of the *virtual* rate
//! `(assets + V) / (shares + V)` and the real rate `assets / shares`, and both minting and
//! redemption use it:
//!
//! * at or above one (the normal case, rewards only add) the virtual rate is the lower one: the
//!   offset `V` means a first depositor who donates to the pool to inflate the rate loses almost
//!   all of the donation to the virtual shares, and a later depositor loses at most one share's
//!   worth to rounding;
//! * after a slash pushes the rate below one the real rate is the lower one, which keeps the pool
//!   solvent (the whole supply never redeems more than `assets`) and prices new deposits fairly.

use cosmwasm_std::{Decimal, Uint128, Uint256};

use crate::MathError;

/// Virtual shares and virtual assets added to both sides of the rate (one whole token at six
/// decimals). Equal on both sides, so an empty pool mints one share per unit of asset.
pub const VIRTUAL_OFFSET: Uint128 = Uint128::new(1_000_000);

/// `floor(amount * part / whole)`: a pro-rata share, rounded down.
pub fn pro_rata(amount: Uint128, part: Uint128, whole: Uint128) -> Result<Uint128, MathError> {
    Ok(amount.checked_multiply_ratio(part, whole)?)
}

/// The two sides of an exchange-rate token: underlying assets and shares outstanding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SharePool {
    /// Underlying assets that back the shares.
    pub assets: Uint128,
    /// Shares outstanding (token supply, including any burned-but-unsettled shares).
    pub shares: Uint128,
}

impl SharePool {
    /// A pool with the given assets and shares.
    pub fn new(assets: impl Into<Uint128>, shares: impl Into<Uint128>) -> Self {
        Self {
            assets: assets.into(),
            shares: shares.into(),
        }
    }

    fn virtual_assets(&self) -> Result<Uint128, MathError> {
        Ok(self.assets.checked_add(VIRTUAL_OFFSET)?)
    }

    fn virtual_shares(&self) -> Result<Uint128, MathError> {
        Ok(self.shares.checked_add(VIRTUAL_OFFSET)?)
    }

    /// Shares minted for a deposit of `assets` at the pool's rate, rounded down. Does not
    /// change the pool. A pool whose assets were wiped out (shares but no assets) refuses
    /// deposits: they would only pay the old holders.
    pub fn shares_for_deposit(&self, assets: Uint128) -> Result<Uint128, MathError> {
        let at_virtual =
            assets.checked_multiply_ratio(self.virtual_shares()?, self.virtual_assets()?)?;
        if self.shares.is_zero() {
            return Ok(at_virtual);
        }
        if self.assets.is_zero() {
            return Err(MathError::DivideByZero);
        }
        // dividing by the lower rate gives the larger share count
        let at_real = assets.checked_multiply_ratio(self.shares, self.assets)?;
        Ok(at_virtual.max(at_real))
    }

    /// Assets paid for redeeming `shares`, rounded down. Does not change the pool.
    pub fn assets_for_redeem(&self, shares: Uint128) -> Result<Uint128, MathError> {
        if shares > self.shares {
            return Err(MathError::InsufficientShares {
                requested: shares,
                available: self.shares,
            });
        }
        if shares.is_zero() {
            return Ok(Uint128::zero());
        }
        let at_virtual =
            shares.checked_multiply_ratio(self.virtual_assets()?, self.virtual_shares()?)?;
        let at_real = shares.checked_multiply_ratio(self.assets, self.shares)?;
        Ok(at_virtual.min(at_real))
    }

    /// Value of `shares` at the pool's rate, rounded down, without requiring that they exist
    /// (for valuing amounts that will become shares, such as rewards not yet deposited).
    pub fn value_of(&self, shares: Uint128) -> Result<Uint128, MathError> {
        let at_virtual =
            shares.checked_multiply_ratio(self.virtual_assets()?, self.virtual_shares()?)?;
        if self.shares.is_zero() {
            return Ok(at_virtual);
        }
        Ok(at_virtual.min(shares.checked_multiply_ratio(self.assets, self.shares)?))
    }

    /// Adds `assets`, mints and returns the shares for them.
    pub fn deposit(&mut self, assets: Uint128) -> Result<Uint128, MathError> {
        let minted = self.shares_for_deposit(assets)?;
        self.assets = self.assets.checked_add(assets)?;
        self.shares = self.shares.checked_add(minted)?;
        Ok(minted)
    }

    /// Burns `shares`, removes and returns the assets paid for them.
    pub fn redeem(&mut self, shares: Uint128) -> Result<Uint128, MathError> {
        let paid = self.assets_for_redeem(shares)?;
        self.assets = self.assets.checked_sub(paid)?;
        self.shares = self.shares.checked_sub(shares)?;
        Ok(paid)
    }

    /// Splits a pool (every share alike, the queue included) with a withdrawal queue: of its
    /// shares, `pending` have asked to leave and are owed the lesser of their value now and
    /// their value when they asked (`pending_cap`, summed over the queue). See [`QueueSplit`].
    pub fn split_queue(
        &self,
        pending: Uint128,
        pending_cap: Uint128,
    ) -> Result<QueueSplit, MathError> {
        // Whether the queue is at its caps is decided at the real rate of all shares alike; below
        // them, it is valued at the rate a share that stays redeems at, the lower of the real and
        // the virtual rate, and `QueueSplit::owed_to` values each request at it too, so what the
        // requests are paid one by one never sums to more than the queue is owed. At the real
        // rate (above the virtual one above one) a request valued at the stayers' rate when it
        // asked (`value_at_request`) would be counted in the queue for more than its cap, and
        // the excess, owed to older requests, taken from those who stay. With nobody left to
        // stay there is nobody to value it for: the real rate.
        let stay_shares = self.shares.checked_sub(pending)?;
        let nominal = if pending.is_zero() {
            Uint128::zero()
        } else {
            pending.checked_multiply_ratio(self.assets, self.shares)?
        };
        if pending_cap <= nominal {
            // the queue asked for less than it is now worth (rewards since): it is owed its caps
            // and those who stay keep the rest
            Ok(QueueSplit {
                stay: SharePool::new(self.assets.checked_sub(pending_cap)?, stay_shares),
                owed: pending_cap,
                rate: QueueRate::StayersRate,
            })
        } else {
            // the queue is worth less than it asked for (a loss since): everyone at one rate
            let nominal = if stay_shares.is_zero() {
                nominal
            } else {
                self.value_of(pending)?
            };
            Ok(QueueSplit {
                stay: SharePool::new(self.assets.checked_sub(nominal)?, stay_shares),
                owed: nominal,
                rate: QueueRate::Nominal {
                    assets: self.assets,
                    shares: self.shares,
                },
            })
        }
    }

    /// Mints the shares worth `fee` of assets that are *already in the pool* (rewards just
    /// added), priced as if the fee had been deposited after the rewards net of the fee.
    /// Rounds down, so the fee's shares are never worth more than `fee`.
    pub fn mint_fee(&mut self, fee: Uint128) -> Result<Uint128, MathError> {
        if fee.is_zero() {
            return Ok(Uint128::zero());
        }
        let before_fee = SharePool {
            assets: self.assets.checked_sub(fee)?,
            shares: self.shares,
        };
        let minted = before_fee.shares_for_deposit(fee)?;
        self.shares = self.shares.checked_add(minted)?;
        Ok(minted)
    }

    /// Redemption value of one share (what [`Self::assets_for_redeem`] pays per share, before
    /// rounding), as a decimal with 18 fractional digits.
    pub fn rate(&self) -> Result<Decimal, MathError> {
        let virtual_rate = ratio(self.virtual_assets()?, self.virtual_shares()?)?;
        if self.shares.is_zero() {
            return Ok(virtual_rate);
        }
        Ok(virtual_rate.min(ratio(self.assets, self.shares)?))
    }

    /// Compares the redemption rate of two pools exactly (no decimal rounding).
    /// Returns `Ordering` of `self.rate()` against `other.rate()`.
    pub fn cmp_rate(&self, other: &SharePool) -> Result<std::cmp::Ordering, MathError> {
        let (an, ad) = self.rate_fraction()?;
        let (bn, bd) = other.rate_fraction()?;
        Ok((Uint256::from(an) * Uint256::from(bd)).cmp(&(Uint256::from(bn) * Uint256::from(ad))))
    }

    /// The redemption rate as an exact fraction `(numerator, denominator)`.
    fn rate_fraction(&self) -> Result<(Uint128, Uint128), MathError> {
        let virt = (self.virtual_assets()?, self.virtual_shares()?);
        if self.shares.is_zero() {
            return Ok(virt);
        }
        let real = (self.assets, self.shares);
        // real < virtual  <=>  assets * vs < va * shares
        let real_lower = Uint256::from(real.0) * Uint256::from(virt.1)
            < Uint256::from(virt.0) * Uint256::from(real.1);
        Ok(if real_lower { real } else { virt })
    }
}

fn ratio(numerator: Uint128, denominator: Uint128) -> Result<Decimal, MathError> {
    Decimal::checked_from_ratio(numerator, denominator).map_err(|e| match e {
        cosmwasm_std::CheckedFromRatioError::DivideByZero => MathError::DivideByZero,
        cosmwasm_std::CheckedFromRatioError::Overflow => MathError::Overflow,
    })
}

/// A pool with a withdrawal queue, split into those who stay and what the queue is owed
/// ([`SharePool::split_queue`]). Rewards that accrue after a request go to those who stay; a
/// loss is shared by the queue. The queue's caps are summed: when some requests are above their
/// cap and some below (a loss after some asked, rewards after others), the queue is owed a
/// little more than the exact per-request minimum, never less.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueSplit {
    /// The pool of the shares that stay: every asset the queue is not owed.
    pub stay: SharePool,
    /// What the queue is owed now.
    pub owed: Uint128,
    rate: QueueRate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QueueRate {
    /// Requests are worth what their shares would be had they stayed, up to their caps.
    StayersRate,
    /// Everything at the rate of all shares alike (the queue is below its caps).
    Nominal { assets: Uint128, shares: Uint128 },
}

impl QueueSplit {
    /// Whether the queue shares gains (it is worth less than it asked for: a loss since, not
    /// yet made up), so a fee on rewards falls on it too.
    pub fn shares_gains(&self) -> bool {
        matches!(self.rate, QueueRate::Nominal { .. })
    }

    /// What one request of `shares`, valued `cap` when it asked to leave, is owed now: the
    /// lesser of its cap and its shares at the applicable rate: while the queue is below its
    /// caps, the rate of all shares alike it is valued at (the lower of the real and the
    /// virtual rate); at its caps, the stayers' real rate (exact, and with nobody left to stay
    /// the caps decide). Rounds down.
    pub fn owed_to(&self, shares: Uint128, cap: Uint128) -> Result<Uint128, MathError> {
        let (assets, total) = match self.rate {
            QueueRate::StayersRate => (self.stay.assets, self.stay.shares),
            QueueRate::Nominal {
                assets,
                shares: total,
            } if !self.stay.shares.is_zero() => {
                // the rate the queue is valued at (see `SharePool::split_queue`)
                return Ok(SharePool::new(assets, total).value_of(shares)?.min(cap));
            }
            QueueRate::Nominal { assets, shares } => (assets, shares),
        };
        if total.is_zero() {
            return Ok(cap);
        }
        Ok(shares.checked_multiply_ratio(assets, total)?.min(cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(n: u128) -> Uint128 {
        Uint128::new(n)
    }

    #[test]
    fn empty_pool_mints_one_to_one() {
        let mut pool = SharePool::default();
        assert_eq!(pool.deposit(u(1_000)).unwrap(), u(1_000));
        assert_eq!(pool, SharePool::new(1_000u128, 1_000u128));
        assert_eq!(pool.rate().unwrap(), Decimal::one());
    }

    #[test]
    fn rewards_raise_rate_and_mint_rounds_down() {
        // 1,000,000 shares backed by 1,100,000 assets (10 % rewards).
        let pool = SharePool::new(1_100_000u128, 1_000_000u128);
        // virtual rate = 2,100,000 / 2,000,000 = 1.05
        assert_eq!(pool.rate().unwrap(), Decimal::permille(1_050));
        // 1,000 assets mint floor(1,000 * 2,000,000 / 2,100,000) = floor(952.38) = 952
        assert_eq!(pool.shares_for_deposit(u(1_000)).unwrap(), u(952));
        // 952 shares redeem floor(952 * 1.05) = 999
        assert_eq!(pool.assets_for_redeem(u(952)).unwrap(), u(999));
    }

    #[test]
    fn a_queue_below_its_value_is_owed_its_caps_and_the_rest_stays() {
        // 2,000,000 shares, 2,200,000 assets; 1,000,000 shares asked to leave when worth 1,000,000
        let pool = SharePool::new(2_200_000u128, 2_000_000u128);
        let q = pool.split_queue(u(1_000_000), u(1_000_000)).unwrap();
        assert_eq!(q.owed, u(1_000_000));
        assert_eq!(q.stay, SharePool::new(1_200_000u128, 1_000_000u128));
        // each request its cap (the stayers' rate, 1.2, is above it)
        assert_eq!(q.owed_to(u(400_000), u(400_000)), Ok(u(400_000)));
        // a request whose cap is above the stayers' rate gets the stayers' rate
        assert_eq!(q.owed_to(u(100_000), u(150_000)), Ok(u(120_000)));
    }

    #[test]
    fn a_queue_after_a_loss_shares_it_at_one_rate() {
        // 10 % lost after the requests: 1,800,000 assets for 2,000,000 shares
        let pool = SharePool::new(1_800_000u128, 2_000_000u128);
        let q = pool.split_queue(u(1_000_000), u(1_000_000)).unwrap();
        assert_eq!(q.owed, u(900_000));
        assert_eq!(q.stay, SharePool::new(900_000u128, 1_000_000u128));
        assert_eq!(q.owed_to(u(500_000), u(500_000)), Ok(u(450_000)));
    }

    #[test]
    fn when_everyone_has_asked_to_leave_a_loss_is_still_shared() {
        // review finding: every share in the queue, then a 10 % loss; the first request paid
        // must not take its whole cap and leave the last short
        let pool = SharePool::new(90_000u128, 100_000u128);
        let q = pool.split_queue(u(100_000), u(100_000)).unwrap();
        assert_eq!(q.owed, u(90_000));
        assert_eq!(q.owed_to(u(50_000), u(50_000)), Ok(u(45_000)));
        // and with rewards instead, each gets its cap; what is left has no owner but the pool
        let pool = SharePool::new(110_000u128, 100_000u128);
        let q = pool.split_queue(u(100_000), u(100_000)).unwrap();
        assert_eq!(q.owed, u(100_000));
        assert_eq!(q.stay, SharePool::new(10_000u128, 0u128));
        assert_eq!(q.owed_to(u(50_000), u(50_000)), Ok(u(50_000)));
    }

    #[test]
    fn no_queue_is_the_pool_itself() {
        let pool = SharePool::new(1_800_000u128, 2_000_000u128);
        let q = pool.split_queue(u(0), u(0)).unwrap();
        assert_eq!((q.stay, q.owed), (pool, u(0)));
    }

    #[test]
    fn slashed_pool_redeems_at_real_rate() {
        // 10 % slashed: 900,000 assets for 1,000,000 shares. Virtual rate would be 0.95.
        let pool = SharePool::new(900_000u128, 1_000_000u128);
        assert_eq!(pool.rate().unwrap(), Decimal::permille(900));
        assert_eq!(pool.assets_for_redeem(u(1_000_000)).unwrap(), u(900_000));
        assert_eq!(pool.assets_for_redeem(u(10)).unwrap(), u(9));
    }

    #[test]
    fn slashed_pool_mints_at_real_rate() {
        // after a 10 % slash one unit of assets buys 1 / 0.9 shares, not 1 / 0.95
        let pool = SharePool::new(900_000u128, 1_000_000u128);
        assert_eq!(pool.shares_for_deposit(u(900)).unwrap(), u(1_000));
        let wiped = SharePool::new(0u128, 1_000_000u128);
        assert_eq!(
            wiped.shares_for_deposit(u(900)),
            Err(MathError::DivideByZero)
        );
    }

    #[test]
    fn value_of_prices_without_a_supply_bound() {
        let pool = SharePool::new(1_100_000u128, 1_000_000u128);
        assert_eq!(pool.value_of(u(2_000_000)).unwrap(), u(2_100_000));
        assert_eq!(
            pool.value_of(u(952)).unwrap(),
            pool.assets_for_redeem(u(952)).unwrap()
        );
    }

    #[test]
    fn cannot_redeem_more_than_supply() {
        let pool = SharePool::new(10u128, 10u128);
        assert_eq!(
            pool.assets_for_redeem(u(11)),
            Err(MathError::InsufficientShares {
                requested: u(11),
                available: u(10)
            })
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let pool = SharePool::new(Uint128::MAX, 1u128);
        assert_eq!(pool.shares_for_deposit(u(1)), Err(MathError::Overflow));
        let mut pool = SharePool::new(Uint128::MAX - u(2_000_000), 1u128);
        assert_eq!(pool.deposit(Uint128::MAX), Err(MathError::Overflow));
    }

    #[test]
    fn fee_shares_are_worth_at_most_the_fee() {
        // 1,000,000 shares, 1,000,000 assets; 100,000 of rewards arrive, fee 10,000.
        let mut pool = SharePool::new(1_100_000u128, 1_000_000u128);
        let minted = pool.mint_fee(u(10_000)).unwrap();
        // priced against (1,090,000 assets, 1,000,000 shares): 10,000 * 2,000,000 / 2,090,000
        assert_eq!(minted, u(9_569));
        assert_eq!(pool.shares, u(1_009_569));
        let worth = pool.assets_for_redeem(minted).unwrap();
        assert!(worth <= u(10_000));
        assert_eq!(worth, u(9_999));
    }

    #[test]
    fn inflation_attack_is_unprofitable() {
        // Attacker deposits 1, then donates 1,000,000,000.
        let mut pool = SharePool::default();
        let attacker = pool.deposit(u(1)).unwrap();
        pool.assets += u(1_000_000_000);
        // Victim deposits 10,000,000.
        let victim = pool.deposit(u(10_000_000)).unwrap();
        assert!(!victim.is_zero());
        let victim_out = pool.redeem(victim).unwrap();
        let attacker_out = pool.redeem(attacker).unwrap();
        assert!(attacker_out < u(1_000_000_001), "attacker must not profit");
        // the victim loses less than one share's worth at the inflated rate (~1,000 per share)
        assert!(u(10_000_000) - victim_out <= u(1_001));
    }

    #[test]
    fn cmp_rate_is_exact() {
        let a = SharePool::new(1_000_001u128, 1_000_000u128);
        let b = SharePool::new(1_000_000u128, 1_000_000u128);
        assert_eq!(a.cmp_rate(&b).unwrap(), std::cmp::Ordering::Greater);
        assert_eq!(b.cmp_rate(&b).unwrap(), std::cmp::Ordering::Equal);
    }
}
