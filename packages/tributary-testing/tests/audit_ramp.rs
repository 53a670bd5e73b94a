//! Second review, Low: chained `RampA` calls broke the documented "tenfold per day" bound
//! (hourly calls took A from 50 to 103,438 in 24 hours, 2,068x). A new ramp may now begin only a
//! day after the last one began or was stopped, so A changes at most tenfold over any window of
//! a day, up or down, however the owner chains the calls.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Decimal;
use tributary_testing::{Expected, MarketSuite, RampError, SuiteBuilder, DAY};
use tributary_types::stableswap::ExecuteMsg as PoolMsg;

const TOKEN: u128 = 1_000_000;
const HOUR: u64 = 3_600;

fn market() -> MarketSuite {
    SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_market(100_000 * TOKEN)
        .build()
}

/// The owner tries every hour for `hours` to ramp A towards `goal` (tenfold from A now, over
/// the shortest allowed time); returns A (x100) at every hour, starting now.
fn chain_ramps(suite: &mut MarketSuite, goal: fn(u64) -> u64, hours: u64) -> Vec<u64> {
    let mut seen = vec![suite.pool_info().amp];
    for _ in 0..hours {
        let now = suite.app.block_info().time.seconds();
        let a = suite.pool_info().amp / 100;
        let _ = suite.pool_exec(
            "owner",
            &PoolMsg::RampA {
                future_a: goal(a),
                future_time: now + DAY,
            },
            0,
        );
        suite.advance_time(HOUR);
        seen.push(suite.pool_info().amp);
    }
    seen
}

/// The largest ratio between A at two moments at most a day apart.
fn worst_daily_ratio(seen: &[u64]) -> f64 {
    let mut worst = 1.0f64;
    for (i, a) in seen.iter().enumerate() {
        for b in seen.iter().skip(i).take(25) {
            let r = (*a).max(*b) as f64 / (*a).min(*b) as f64;
            worst = worst.max(r);
        }
    }
    worst
}

#[test]
fn hourly_ramps_up_cannot_beat_tenfold_per_day() {
    let mut suite = market();
    // 50 -> at most 500 after a day; before the fix, 103,438 (2,068x)
    let seen = chain_ramps(&mut suite, |a| (a * 10).min(1_000_000), 72);
    assert_eq!(seen[24], 50_000, "A after a day (x100)");
    assert!(
        worst_daily_ratio(&seen) <= 10.0 + 1e-9,
        "{}",
        worst_daily_ratio(&seen)
    );
    // but it does keep ramping, a day at a time
    assert_eq!(seen[72], 5_000_000);
}

#[test]
fn hourly_ramps_down_and_up_cannot_beat_tenfold_per_day() {
    let mut suite = market();
    let down = chain_ramps(&mut suite, |a| (a / 10).max(1), 30);
    assert!(worst_daily_ratio(&down) <= 10.0 + 1e-9);
    let up = chain_ramps(&mut suite, |a| a * 10, 30);
    let mut all = down;
    all.extend(up.into_iter().skip(1));
    assert!(
        worst_daily_ratio(&all) <= 10.0 + 1e-9,
        "{}",
        worst_daily_ratio(&all)
    );
}

#[test]
fn a_stop_does_not_reset_the_ramp_clock() {
    let mut suite = market();
    let now = suite.app.block_info().time.seconds();
    suite
        .pool_exec(
            "owner",
            &PoolMsg::RampA {
                future_a: 500,
                future_time: now + DAY,
            },
            0,
        )
        .unwrap();
    suite.advance_time(HOUR);
    suite.pool_exec("owner", &PoolMsg::StopRampA {}, 0).unwrap();
    let now = suite.app.block_info().time.seconds();
    let err = suite
        .pool_exec(
            "owner",
            &PoolMsg::RampA {
                future_a: 1_000,
                future_time: now + DAY,
            },
            0,
        )
        .unwrap_err();
    // the clock runs from the stop, an hour after the ramp began
    Expected::from(RampError::TooSoon { next_at: now + DAY }).check(&err);
    suite.advance_time(DAY);
    let now = suite.app.block_info().time.seconds();
    suite
        .pool_exec(
            "owner",
            &PoolMsg::RampA {
                future_a: 600,
                future_time: now + DAY,
            },
            0,
        )
        .unwrap();
}
