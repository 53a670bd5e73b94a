//! The share math (`tributary_math::SharePool`), on arbitrary pools: nothing panics; depositing
//! and redeeming what was minted never pays more than was deposited; redeeming and depositing
//! what was paid never mints more shares than were redeemed; the whole supply never redeems
//! more than the assets; a withdrawal queue's split never owes more than the pool holds.

#![no_main]

use arbitrary::Arbitrary;
use cosmwasm_std::Uint128;
use libfuzzer_sys::fuzz_target;
use tributary_math::SharePool;

#[derive(Arbitrary, Debug)]
struct Input {
    assets: u128,
    shares: u128,
    amount: u128,
    redeem: u128,
    pending: u128,
    cap: u128,
    fee: u128,
}

fuzz_target!(|input: Input| {
    let pool = SharePool::new(input.assets, input.shares);
    let amount = Uint128::new(input.amount);

    // deposit, then redeem what was minted: never a profit
    let mut p = pool;
    if let Ok(minted) = p.deposit(amount) {
        assert_eq!(Ok(minted), pool.shares_for_deposit(amount).map_err(|_| ()));
        if let Ok(paid) = p.redeem(minted) {
            assert!(paid <= amount, "{pool:?}: deposit {amount}, minted {minted}, redeemed for {paid}");
        }
    }

    // redeem, then deposit what was paid: never more shares back
    let shares = Uint128::new(input.redeem).min(pool.shares);
    let mut p = pool;
    if let Ok(paid) = p.redeem(shares) {
        assert!(paid <= pool.assets, "{pool:?}: {shares} shares redeem for {paid}");
        if let Ok(back) = p.deposit(paid) {
            assert!(back <= shares, "{pool:?}: redeem {shares} for {paid}, deposit for {back}");
        }
    }

    // the whole supply is covered
    if let Ok(all) = pool.assets_for_redeem(pool.shares) {
        assert!(all <= pool.assets, "{pool:?}: the supply redeems for {all}");
    }
    let _ = pool.value_of(amount);
    let _ = pool.rate();
    let _ = pool.cmp_rate(&SharePool::new(input.amount, input.redeem));

    // a withdrawal queue
    if let Ok(split) = pool.split_queue(Uint128::new(input.pending), Uint128::new(input.cap)) {
        assert!(split.owed <= pool.assets, "{pool:?}: the queue is owed {}", split.owed);
        assert!(split.owed <= Uint128::new(input.cap), "{pool:?}: owed above the cap");
        let _ = split.shares_gains();
        let _ = split.owed_to(shares, Uint128::new(input.cap));
    }

    // a fee minted on rewards already in the pool is never worth more than the fee
    let fee = Uint128::new(input.fee);
    let mut p = pool;
    if let Ok(minted) = p.mint_fee(fee) {
        if let Ok(worth) = p.assets_for_redeem(minted) {
            assert!(worth <= fee, "{pool:?}: a fee of {fee} minted {minted} worth {worth}");
        }
    }
});
