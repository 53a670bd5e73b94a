//! The liquidity-provision strategy's decisions, as plain arithmetic over what the pool reports:
//! whether the pool is calm enough to trade with, how much LP a deposit must at least mint, how
//! much LP a withdrawal burns and what it must at least return, and how much a one-sided deposit
//! may add. The strategy contract queries the pool, calls these, and sends the pool messages.

use cosmwasm_std::{Decimal, Uint128};
use tributary_math::{bps_of, MathError, BPS_DENOMINATOR};

/// The largest one-sided deposit, bps of the pool's smaller balance: the imbalance a deposit
/// costs grows with the square of its size, so 2 % of the pool costs about 0.01 % of the deposit.
pub const MAX_DEPOSIT_SHARE_BPS: u16 = 200;

/// `amount` less `slippage_bps` of it (the slack rounded down, so the bound rounds up): the
/// least a pool call may return.
pub fn at_least(amount: Uint128, slippage_bps: u16) -> Result<Uint128, MathError> {
    let slack = bps_of(amount, slippage_bps)?;
    amount.checked_sub(slack).map_err(|_| MathError::Overflow)
}

/// Whether a pool whose spot price is `spot` and moving average `average` is within
/// `max_deviation_bps` of its average: the average does not move within a block, so a pool
/// pushed in the same block (the front half of a sandwich) fails this.
pub fn is_calm(spot: Decimal, average: Decimal, max_deviation_bps: u16) -> Result<bool, MathError> {
    let gap = spot.abs_diff(average);
    let bound = average
        .checked_mul(Decimal::from_ratio(max_deviation_bps, BPS_DENOMINATOR))
        .map_err(|_| MathError::Overflow)?;
    Ok(gap <= bound)
}

/// LP tokens that `amount` of coin 0 is fairly worth, given the LP supply and the fair value of
/// all of it (`None` for an empty pool: there is no fair price to deposit at).
pub fn fair_lp_for(
    amount: Uint128,
    lp_supply: Uint128,
    whole_value: Uint128,
) -> Result<Option<Uint128>, MathError> {
    if whole_value.is_zero() {
        return Ok(None);
    }
    amount
        .checked_multiply_ratio(lp_supply, whole_value)
        .map(Some)
        .map_err(|_| MathError::Overflow)
}

/// A withdrawal of `amount` of fair value from `held` LP worth `value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithdrawalPlan {
    /// LP to burn: for `amount` of value, rounded up, at most everything held.
    pub lp: Uint128,
    /// The fair value of that LP (what the pool must pay, less the slippage bound).
    pub worth: Uint128,
}

/// Plans a withdrawal of `amount` of fair value (everything if `amount` is at least `value`).
/// `None` if nothing is held or it is worth nothing.
pub fn plan_withdrawal(
    held: Uint128,
    value: Uint128,
    amount: Uint128,
) -> Result<Option<WithdrawalPlan>, MathError> {
    if held.is_zero() || value.is_zero() {
        return Ok(None);
    }
    if amount >= value {
        return Ok(Some(WithdrawalPlan {
            lp: held,
            worth: value,
        }));
    }
    let lp = held
        .checked_mul_ceil((amount, value))
        .map_err(|_| MathError::Overflow)?
        .min(held);
    Ok(Some(WithdrawalPlan { lp, worth: amount }))
}

/// How much coin 0 a one-sided deposit may add to a pool holding `balances`:
/// [`MAX_DEPOSIT_SHARE_BPS`] of its smaller side.
pub fn deposit_capacity(balances: [Uint128; 2]) -> Uint128 {
    balances[0]
        .min(balances[1])
        .multiply_ratio(MAX_DEPOSIT_SHARE_BPS, BPS_DENOMINATOR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(n: u128) -> Uint128 {
        Uint128::new(n)
    }

    #[test]
    fn the_slippage_bound_rounds_in_the_vaults_favour() {
        assert_eq!(at_least(u(10_000), 100).unwrap(), u(9_900));
        assert_eq!(
            at_least(u(99), 100).unwrap(),
            u(99),
            "slack of 0.99 rounds to 0"
        );
        assert_eq!(at_least(u(0), 100).unwrap(), u(0));
        assert_eq!(at_least(u(1_000), 10_000).unwrap(), u(0));
    }

    #[test]
    fn calm_means_within_the_bound_of_the_average() {
        let avg = Decimal::one();
        assert!(is_calm(Decimal::permille(997), avg, 30).unwrap());
        assert!(is_calm(Decimal::permille(1_003), avg, 30).unwrap());
        assert!(!is_calm(Decimal::permille(996), avg, 30).unwrap());
        assert!(!is_calm(Decimal::permille(1_004), avg, 30).unwrap());
        assert!(is_calm(avg, avg, 0).unwrap());
    }

    #[test]
    fn fair_lp_is_proportional_and_refuses_an_empty_pool() {
        assert_eq!(
            fair_lp_for(u(100), u(1_000), u(2_000)).unwrap(),
            Some(u(50))
        );
        assert_eq!(fair_lp_for(u(100), u(0), u(0)).unwrap(), None);
    }

    #[test]
    fn a_withdrawal_burns_enough_lp_and_never_more_than_held() {
        // 300 LP worth 1,000: 100 of value needs 30 LP
        assert_eq!(
            plan_withdrawal(u(300), u(1_000), u(100)).unwrap(),
            Some(WithdrawalPlan {
                lp: u(30),
                worth: u(100)
            })
        );
        // 101 of value needs 30.3 LP: 31, rounded up
        assert_eq!(
            plan_withdrawal(u(300), u(1_000), u(101))
                .unwrap()
                .unwrap()
                .lp,
            u(31)
        );
        // everything
        assert_eq!(
            plan_withdrawal(u(300), u(1_000), u(5_000)).unwrap(),
            Some(WithdrawalPlan {
                lp: u(300),
                worth: u(1_000)
            })
        );
        assert_eq!(plan_withdrawal(u(0), u(1_000), u(1)).unwrap(), None);
        assert_eq!(plan_withdrawal(u(10), u(0), u(1)).unwrap(), None);
    }

    #[test]
    fn capacity_is_two_percent_of_the_smaller_side() {
        assert_eq!(deposit_capacity([u(1_000_000), u(500_000)]), u(10_000));
        assert_eq!(deposit_capacity([u(0), u(500_000)]), u(0));
    }

    proptest! {
        /// The LP burned is always worth at least what is asked (at the pool's price) and never
        /// exceeds what is held.
        #[test]
        fn withdrawals_cover_the_amount(held in 1u128..1u128 << 100, value in 1u128..1u128 << 100, amount in 0u128..1u128 << 100) {
            let plan = plan_withdrawal(u(held), u(value), u(amount)).unwrap().unwrap();
            prop_assert!(plan.lp <= u(held));
            prop_assert!(plan.worth <= u(value));
            if amount < value {
                // lp / held * value >= amount
                prop_assert!(plan.lp.full_mul(u(value)) >= u(amount).full_mul(u(held)));
            }
        }
    }
}
