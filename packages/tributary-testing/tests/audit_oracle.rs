//! Second review, "also settle": the pool's moving-average price is safe to build on. Each
//! update feeds it a price at most `EMA_FEED_CAP_BPS` (2 %) from the average, so blocks of
//! one-sided trades move it only by that cap times the weight of each block; and it is kept as
//! a ratio to the redemption rate, so a change of the rate without trades (a slash) does not
//! leave it stale.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Decimal;
use tributary_math::stableswap::exp_neg;
use tributary_testing::{MarketSuite, SuiteBuilder};
use tributary_types::stableswap::EMA_FEED_CAP_BPS;

const TOKEN: u128 = 1_000_000;
/// The suite's blocks are five seconds apart; its pool averages over 600 seconds.
const BLOCK: u64 = 5;
const EMA_TIME: u64 = 600;

fn market() -> MarketSuite {
    SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_market(100_000 * TOKEN)
        .with_funds("mallory", 10_000_000 * TOKEN)
        .build()
}

#[test]
fn blocks_of_one_sided_trades_move_the_average_at_most_by_the_cap() {
    let mut suite = market();
    suite.bond("mallory", 1_000_000 * TOKEN).unwrap();
    let start = suite.peg().ema_price;
    assert_eq!(start, Decimal::one());
    // ten blocks in a row, each dumping 50,000 LST into the pool
    for _ in 0..10 {
        suite.sell_lst("mallory", 50_000 * TOKEN, None).unwrap();
        suite.advance_time(BLOCK);
    }
    let peg = suite.peg();
    // the spot is far below (the cap binds)...
    assert!(peg.spot_price < Decimal::percent(90), "{}", peg.spot_price);
    // ...but each block moved the average by at most 2 % of itself times the block's weight
    let weight = Decimal::one() - exp_neg(Decimal::from_ratio(BLOCK, EMA_TIME)).unwrap();
    let step = Decimal::from_ratio(EMA_FEED_CAP_BPS, 10_000u16) * weight;
    let mut floor = start;
    for _ in 0..10 {
        floor -= floor * step;
    }
    assert!(
        peg.ema_price >= floor,
        "{} fell below {}",
        peg.ema_price,
        floor
    );
    // about 0.17 % in all; fed the spot price uncapped (before the cap) it fell 6.7 %
    assert!(peg.ema_price > Decimal::permille(998), "{}", peg.ema_price);
}

#[test]
fn a_change_of_the_redemption_rate_refreshes_the_average() {
    let mut suite = market();
    let before = suite.peg();
    assert_eq!(before.ema_price, Decimal::one());
    // a 5 % slash lowers the LST's redemption rate without any trade
    suite.slash_validator("validator1", Decimal::percent(5));
    let after = suite.peg();
    assert!(after.redemption_rate < Decimal::percent(96));
    // the average moves with the rate: it is still at the peg, not 5 % above the rate
    assert_eq!(after.ema_price, after.redemption_rate);
    assert_eq!(after.ema_discount_bps, 0);
}
