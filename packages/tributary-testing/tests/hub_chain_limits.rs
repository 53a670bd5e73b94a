//! The real chain's staking limits, which cw-multi-test does not enforce (issue 9): at most 7
//! unbonding entries per delegator-validator pair, no transitive redelegation (stake redelegated
//! into a validator cannot leave it by redelegation until that redelegation matures), at most 7
//! redelegation entries per validator pair, unbondings paid at the END of a block. The hub
//! tracks them and defers or skips a move the chain would reject, with an attribute saying why,
//! instead of sending it (on a real chain the whole crank would revert).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Decimal;
use tributary_testing::{event_attr, SuiteBuilder};
use tributary_types::hub::{BatchStatus, ExecuteMsg};

/// 3-day batches and a 21-day unbonding fill exactly 7 entries; in the first block at t + 21 d
/// the oldest is still on the chain (it pays at the end of the block), so an 8th `Undelegate`
/// would revert the crank. The hub defers the batch to the next crank instead.
#[test]
fn an_eighth_unbonding_entry_is_deferred_not_sent() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_chain_payout_delay(5)
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.bond("alice", 10_000_000_000).unwrap();
    let mut submitted = vec![];
    for day in 1..=22u64 {
        suite.advance_days(1);
        if day % 3 == 1 {
            suite.unbond("alice", 1_000_000).unwrap();
        }
        let res = suite.crank().unwrap();
        if let Some(id) = event_attr(&res, "submitted_batch").filter(|s| !s.is_empty()) {
            submitted.push((day, id));
        }
        if day == 22 {
            println!("day 22 crank: {:?}", event_attr(&res, "batch_deferred"));
            assert_eq!(
                event_attr(&res, "batch_deferred").as_deref(),
                Some("unbonding_entries_full:validator1")
            );
            assert_eq!(event_attr(&res, "submitted_batch").unwrap(), "");
        }
    }
    assert_eq!(
        submitted.len(),
        7,
        "batches of days 1, 4, ..., 19: {submitted:?}"
    );
    assert_eq!(suite.batch(8).status, BatchStatus::Pending);
    // the oldest entry is paid at the end of the block; the next crank submits the batch
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "submitted_batch").unwrap(), "8");
    assert_eq!(suite.batch(8).status, BatchStatus::Unbonding);
    assert_eq!(suite.batch(1).status, BatchStatus::Claimable);
}

/// Stake redelegated into validator2 (by removing validator1) cannot be redelegated out of it
/// within the unbonding period: removing validator2 then keeps its stake where it is (weight 0,
/// drained by batches and by the crank once allowed), and the crank's rebalancing skips the
/// move until the redelegation has matured.
#[test]
fn a_transitive_redelegation_is_skipped_until_it_matures() {
    let mut suite = SuiteBuilder::new()
        .with_apr(Decimal::zero())
        .with_funds("alice", 3_000_000_000)
        .build();
    for _ in 0..3 {
        suite.bond("alice", 1_000_000_000).unwrap();
    }
    let remove = |address: &str| ExecuteMsg::RemoveValidator {
        address: address.into(),
    };
    suite.execute("owner", &remove("validator1")).unwrap();
    assert_eq!(suite.delegation("validator2"), 1_500_000_000);
    assert_eq!(suite.delegation("validator3"), 1_500_000_000);

    // validator2 received a redelegation that matures in 21 days
    suite.advance_days(1);
    let res = suite.execute("owner", &remove("validator2")).unwrap();
    println!("remove validator2: {:?}", event_attr(&res, "deferred"));
    assert_eq!(
        event_attr(&res, "deferred").as_deref(),
        Some("transitive_redelegation:validator2")
    );
    assert_eq!(event_attr(&res, "redelegated").unwrap(), "0");
    assert_eq!(suite.delegation("validator2"), 1_500_000_000);
    assert_eq!(suite.validators()[0].weight, 0);

    // the crank wants to move validator2's stake to validator3 and may not yet
    let res = suite.crank().unwrap();
    assert_eq!(
        event_attr(&res, "rebalance_skipped").as_deref(),
        Some("transitive_redelegation:validator2")
    );
    assert_eq!(suite.delegation("validator2"), 1_500_000_000);

    // once the redelegation into validator2 has matured, the crank moves the stake
    suite.advance_days(21);
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "rebalanced").unwrap(), "1500000000");
    assert_eq!(suite.delegation("validator2"), 0);
    assert_eq!(suite.delegation("validator3"), 3_000_000_000);
}

/// At most 7 redelegation entries per validator pair: a rebalance spread over many epochs (a
/// small `max_rebalance_per_epoch`) stops at the 7th move within an unbonding period, reports
/// the skip, and resumes once the oldest entry has matured.
#[test]
fn an_eighth_redelegation_on_a_pair_is_skipped() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[
            ("validator1", 1, Decimal::zero()),
            ("validator2", 1, Decimal::zero()),
        ])
        .with_apr(Decimal::zero())
        .with_max_rebalance(10_000_000)
        .with_funds("alice", 2_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite
        .execute(
            "owner",
            &ExecuteMsg::UpdateValidatorWeight {
                address: "validator2".into(),
                weight: 3,
            },
        )
        .unwrap();
    for day in 1..=7u128 {
        suite.advance_days(1);
        let res = suite.crank().unwrap();
        assert_eq!(event_attr(&res, "rebalanced").unwrap(), "10000000");
        assert_eq!(
            suite.delegation("validator2"),
            1_000_000_000 + day * 10_000_000
        );
    }
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "rebalanced").unwrap(), "0");
    assert_eq!(
        event_attr(&res, "rebalance_skipped").as_deref(),
        Some("redelegation_entries_full:validator1>validator2")
    );
    assert_eq!(suite.delegation("validator2"), 1_070_000_000);
    // the first move (day 1) completes on day 22 (the chain drops it at the end of the first
    // block past that time, so the hub counts it through day 22); on day 23 there is room
    suite.advance_days(14);
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "rebalanced").unwrap(), "0");
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "rebalanced").unwrap(), "10000000");
}

/// The real chain withdraws a delegation's rewards on every staking message to it; cw-multi-test
/// does not. The hub withdraws them explicitly first and books them as rewards it holds, so both
/// chains give the same books: the rate is unchanged and the next crank compounds them.
#[test]
fn staking_messages_withdraw_accrued_rewards_first() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_funds("alice", 2_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite.advance_days(1);
    let before = suite.state();
    assert_eq!(before.accrued_rewards.u128(), 1_000_000);
    assert_eq!(before.rewards_held.u128(), 0);
    let res = suite.bond("alice", 1_000_000_000).unwrap();
    let withdrawn: u128 = res
        .events
        .iter()
        .filter(|e| e.ty == "withdraw_delegator_reward")
        .flat_map(|e| e.attributes.iter().filter(|a| a.key == "amount"))
        .map(|a| a.value.trim_end_matches("ustake").parse::<u128>().unwrap())
        .sum();
    assert_eq!(withdrawn, 1_000_000);
    let after = suite.state();
    assert_eq!(after.rewards_held.u128(), 1_000_000);
    assert_eq!(after.accrued_rewards.u128(), 1_000_000);
    assert_eq!(
        after.total_native.u128(),
        before.total_native.u128() + 1_000_000_000
    );
    // the crank compounds the held rewards with the day's new ones (2,000,000 on 2e9)
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "rewards").unwrap(), "3000000");
    assert_eq!(suite.state().rewards_held.u128(), 0);
}
