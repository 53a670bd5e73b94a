//! Property tests of the share math: the guarantees every contract relies on.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use tributary_math::{
    allocate_to_deficits, fee_amount, take_from_surpluses, SharePool, Uint128, BPS_DENOMINATOR,
};

/// A pool in a realistic state: up to 10^15 units of assets (a billion tokens at six decimals)
/// and a rate between 0.5 (heavily slashed) and 3.
fn pool() -> impl Strategy<Value = SharePool> {
    (0u128..1_000_000_000_000_000, 500u128..3_000)
        .prop_map(|(shares, rate_milli)| SharePool::new(shares * rate_milli / 1_000, shares))
}

fn amount() -> impl Strategy<Value = u128> {
    1u128..1_000_000_000_000_000
}

proptest! {
    /// A deposit followed by a withdrawal of the minted shares never returns more than was put in.
    #[test]
    fn deposit_then_withdraw_never_profits(mut p in pool(), x in amount()) {
        let minted = p.deposit(Uint128::new(x)).unwrap();
        let back = p.redeem(minted).unwrap();
        prop_assert!(back <= Uint128::new(x), "deposited {x}, got back {back}");
    }

    /// Rewards between the deposit and the withdrawal are shared, never over-paid: the depositor
    /// gets at most their deposit plus their pro-rata part of the rewards.
    #[test]
    fn deposit_rewards_withdraw_pays_at_most_pro_rata(mut p in pool(), x in amount(), r in 0u128..1_000_000_000_000) {
        let minted = p.deposit(Uint128::new(x)).unwrap();
        let shares_after = p.shares;
        let assets_before_rewards = p.assets;
        p.assets += Uint128::new(r);
        let back = p.redeem(minted).unwrap().u128();
        // the depositor's share of the pool's assets, computed exactly
        let fair = (assets_before_rewards.u128() + r) * minted.u128() / shares_after.u128();
        prop_assert!(back <= fair, "got {back}, pro-rata share is {fair}");
    }

    /// The fee never exceeds its rate, and the fee's minted shares are never worth more than it.
    #[test]
    fn fee_never_exceeds_its_rate(mut p in pool(), rewards in 0u128..1_000_000_000_000, bps in 0u16..=BPS_DENOMINATOR) {
        let fee = fee_amount(Uint128::new(rewards), bps).unwrap();
        prop_assert!(fee.u128() * u128::from(BPS_DENOMINATOR) <= rewards * u128::from(bps));
        p.assets += Uint128::new(rewards);
        let minted = p.mint_fee(fee).unwrap();
        let worth = p.assets_for_redeem(minted).unwrap();
        prop_assert!(worth <= fee, "fee {fee}, its shares are worth {worth}");
    }

    /// Minting never dilutes existing holders: the rate does not fall, and an existing holder's
    /// redemption value does not fall.
    #[test]
    fn minting_never_dilutes(mut p in pool(), x in amount(), holder_frac in 0u128..=1000) {
        prop_assume!(!p.shares.is_zero());
        let holder = p.shares.multiply_ratio(holder_frac, 1000u128);
        let before = p;
        let value_before = p.assets_for_redeem(holder).unwrap();
        p.deposit(Uint128::new(x)).unwrap();
        prop_assert_ne!(p.cmp_rate(&before).unwrap(), std::cmp::Ordering::Less);
        prop_assert!(p.assets_for_redeem(holder).unwrap() >= value_before);
    }

    /// Redeeming never dilutes those who stay.
    #[test]
    fn redeeming_never_dilutes(mut p in pool(), frac in 0u128..=1000) {
        let before = p;
        let burn = p.shares.multiply_ratio(frac, 1000u128);
        p.redeem(burn).unwrap();
        prop_assert_ne!(p.cmp_rate(&before).unwrap(), std::cmp::Ordering::Less);
    }

    /// The whole supply can never redeem more than the pool's assets (solvency), whatever the rate.
    #[test]
    fn whole_supply_is_covered(p in pool()) {
        prop_assert!(p.assets_for_redeem(p.shares).unwrap() <= p.assets);
    }

    /// Splitting new stake or a withdrawal across a weighted set accounts for every unit.
    #[test]
    fn allocations_sum_exactly(
        current in proptest::collection::vec(0u128..1_000_000_000, 1..8),
        weights in proptest::collection::vec(1u64..100, 8),
        amount in 0u128..1_000_000_000,
    ) {
        let current: Vec<Uint128> = current.into_iter().map(Uint128::new).collect();
        let weights = &weights[..current.len()];
        let add = allocate_to_deficits(&current, weights, Uint128::new(amount)).unwrap();
        prop_assert_eq!(add.iter().map(|x| x.u128()).sum::<u128>(), amount);
        let held: u128 = current.iter().map(|x| x.u128()).sum();
        let take_amount = amount.min(held);
        let take = take_from_surpluses(&current, weights, Uint128::new(take_amount)).unwrap();
        prop_assert_eq!(take.iter().map(|x| x.u128()).sum::<u128>(), take_amount);
        for (t, c) in take.iter().zip(&current) {
            prop_assert!(t <= c);
        }
    }
}
