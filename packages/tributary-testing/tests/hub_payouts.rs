//! Regression tests for the hub's payout attribution (issue 15 "High", issue 9 "Medium 4" and
//! the suspicions about the first block past a payout and fee changes).
//!
//! The rule: native that arrives is attributed first to the unbonding batches it pays (those whose
//! `claimable_at` has passed, oldest first, each up to what the chain owes it); only the rest can
//! ever count as rewards, and the rate never counts a pending payout. A batch is never topped up
//! from rewards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Decimal;
use tributary_testing::{event_attr, Suite, SuiteBuilder, DAY};
use tributary_types::hub::{BatchStatus, ExecuteMsg};

fn one_validator(apr: Decimal) -> SuiteBuilder {
    SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(apr)
}

fn treasury_value(suite: &Suite) -> u128 {
    let lst = suite.lst_balance_of(&suite.fee_addr.clone());
    suite.lst_value(lst)
}

/// Issue 15, "High": one validator, APR 0, a 1 % slash an hour before the batch's payout, after
/// the hub last synced. Before the fix: the short payout waited a grace epoch in the free
/// balance, which the rate counted as rewards; the crank took the fee on it and re-delegated it
/// for LST holders, and the batch then got nothing (bob claimed 0 instead of 990; alice's 1,000
/// LST went from 990 to 1,880; the treasury got 99).
#[test]
fn a_slash_just_before_payout_does_not_hand_the_batch_to_lst_holders() {
    let mut suite = one_validator(Decimal::zero())
        .with_funds("alice", 1_000_000_000)
        .with_funds("bob", 1_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite.bond("bob", 1_000_000_000).unwrap();
    suite.unbond("bob", 1_000_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    assert_eq!(suite.batch(1).native_amount.u128(), 1_000_000_000);

    // an hour before the payout, after the hub's last sync: the validator is slashed 1 %
    suite.advance_time(21 * DAY - 3_600);
    suite.slash_validator("validator1", Decimal::percent(1));
    suite.advance_time(3_600);
    // the chain has paid the batch 990; the rate does not count it
    assert_eq!(suite.native_balance_of(&suite.hub.clone()), 990_000_000);
    assert_eq!(suite.lst_value(1_000_000_000), 990_000_000);

    // cranks in the window (anyone may call them) take no fee and re-delegate nothing of it
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "rewards").unwrap(), "0");
    assert_eq!(event_attr(&res, "fee").unwrap(), "0");
    assert_eq!(suite.lst_value(1_000_000_000), 990_000_000);
    suite.advance_days(1);
    suite.crank().unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();

    suite.claim("bob").unwrap();
    let bob = suite.native_balance("bob");
    let alice = suite.lst_value(1_000_000_000);
    let treasury = treasury_value(&suite);
    println!("bob claimed {bob}, alice's 1,000 LST are worth {alice}, treasury {treasury}");
    assert_eq!(bob, 990_000_000, "bob bears his 1 % slash, nothing more");
    assert_eq!(alice, 990_000_000, "alice gains nothing from bob's batch");
    assert_eq!(treasury, 0, "no fee is taken on a payout");
    assert_eq!(suite.state().unclaimed_reserve.u128(), 0);
}

/// The remaining stakers' value and bob's claim when bob's batch unbonds from a validator the
/// hub then removes, with (or without) a 2.5 % slash of that validator during the unbonding.
fn removed_validator_scenario(slash: bool) -> (u128, u128, u128, u128) {
    let mut suite = one_validator(Decimal::permille(365))
        .with_funds("alice", 2_000_000_000)
        .with_funds("bob", 1_000_000_000)
        .build();
    suite.bond("alice", 2_000_000_000).unwrap();
    suite.bond("bob", 1_000_000_000).unwrap();
    suite.unbond("bob", 1_000_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    let owed = suite.batch(1).native_amount.u128();
    // the owner moves the set to spare1; the batch keeps unbonding from validator1
    suite
        .execute(
            "owner",
            &ExecuteMsg::AddValidator {
                address: "spare1".into(),
                weight: 1,
            },
        )
        .unwrap();
    suite
        .execute(
            "owner",
            &ExecuteMsg::RemoveValidator {
                address: "validator1".into(),
            },
        )
        .unwrap();
    assert_eq!(suite.delegation("validator1"), 0);
    suite.advance_days(2);
    if slash {
        // nothing of the hub's is delegated there any more: only the unbonding entry shrinks
        suite.slash_validator("validator1", Decimal::permille(25));
    }
    let mut paid = 0;
    let mut reported = 0u128;
    for _ in 0..22 {
        suite.advance_days(1);
        let res = suite.crank().unwrap();
        reported += event_attr(&res, "slashed_batches")
            .unwrap()
            .parse::<u128>()
            .unwrap();
        if suite.batch(1).status == BatchStatus::Claimable && paid == 0 {
            paid = suite.batch(1).native_amount.u128();
        }
    }
    // the crank reports the batch's loss once it matures at what the chain paid
    assert_eq!(reported, owed - paid);
    suite.claim("bob").unwrap();
    let bob = suite.native_balance("bob");
    let alice = suite.lst_value(suite.lst_balance("alice"));
    (owed, paid, bob, alice)
}

/// Issue 9, "Medium 4": a slash on a validator the hub no longer delegates to shrinks an
/// unbonding entry unseen (booked is 0). Before the fix, after a grace epoch the batch was
/// topped up from the free balance, i.e. from the remaining stakers' rewards.
#[test]
fn a_slash_on_a_removed_validator_is_borne_by_its_batch_only() {
    let (owed, _, bob_clean, alice_clean) = removed_validator_scenario(false);
    let (owed_slashed, paid, bob, alice) = removed_validator_scenario(true);
    assert_eq!(owed, owed_slashed);
    assert_eq!(bob_clean, owed);
    // the chain pays the entry less 2.5 %, rounded down
    let chain_paid = owed - owed * 25 / 1_000 - 1;
    println!(
        "batch owed {owed}; chain paid ~{chain_paid}; batch matured at {paid}; bob claimed {bob}; \
         alice {alice} (without the slash {alice_clean})"
    );
    assert!(
        bob <= chain_paid + 1,
        "bob got {bob}, the chain paid {chain_paid}"
    );
    assert!(
        bob + 1 >= chain_paid,
        "bob got {bob}, the chain paid {chain_paid}"
    );
    assert!(
        alice + 2 >= alice_clean,
        "alice paid for bob's slash: {alice} against {alice_clean}"
    );
    assert!(alice <= alice_clean + 2);
}

/// Issue 9 suspicion: the chain pays an unbonding at the END of the first block past its
/// completion time. A sync in that block must not mature the batch out of the rewards the hub
/// holds (nor count them as paid); a donation arriving then is not lost either.
#[test]
fn the_first_block_past_payout_does_not_mature_a_batch_from_rewards_or_donations() {
    let mut suite = one_validator(Decimal::permille(365))
        .with_chain_payout_delay(5)
        .with_funds("alice", 3_000_000_000)
        .with_funds("bob", 1_000_000)
        .with_funds("mallory", 400_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    suite.bond("bob", 1_000_000).unwrap();
    suite.unbond("bob", suite.lst_balance("bob")).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    let owed = suite.batch(1).native_amount.u128();
    suite.advance_days(20);
    suite.crank().unwrap();
    // the first block at claimable_at: the chain has not paid yet; a donation arrives
    suite.advance_days(1);
    suite.donate("mallory", 400_000).unwrap();
    // the donation is not counted as rewards while a due batch is owed
    let accrued = suite.state().accrued_rewards.u128();
    let res = suite.crank().unwrap();
    let rewards = event_attr(&res, "rewards").unwrap();
    assert_eq!(
        suite.batch(1).status,
        BatchStatus::Unbonding,
        "matured before the chain paid it"
    );
    // the crank compounded exactly the rewards it withdrew: none went to the batch
    assert_eq!(rewards.parse::<u128>().unwrap(), accrued);
    assert_eq!(suite.unbond_requests("bob").claimable.u128(), 0);

    // the chain pays at the end of the block
    suite.advance_time(5);
    assert_eq!(suite.unbond_requests("bob").claimable.u128(), owed);
    suite.claim("bob").unwrap();
    assert_eq!(suite.native_balance("bob"), owed);
    // the donation was not lost: it counts as rewards once the batch is paid
    // (plus five seconds of rewards on ~3.06e9: 177)
    assert_eq!(suite.state().accrued_rewards.u128(), 400_000 + 177);
}

/// Issue 9 suspicion: a fee change must not apply to rewards accrued before it took effect.
/// 10 % fee, a change to 30 % queued at once (effective after 7 days), no crank for 10 days:
/// 30,000,000 of rewards on 3e9, 21,000,000 of them before the change. Before the fix the crank
/// charged 30 % on all of it (9,000,000).
#[test]
fn a_fee_change_does_not_apply_to_rewards_accrued_before_it() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 3_000_000_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    suite
        .execute("owner", &ExecuteMsg::QueueFeeChange { fee_bps: 3_000 })
        .unwrap();
    suite.advance_days(10);
    assert_eq!(suite.state().accrued_rewards.u128(), 30_000_000);
    // the rate already shows the fee as it will be charged
    let expected_fee = 21_000_000 / 10 + 9_000_000 * 3 / 10;
    assert_eq!(
        suite.state().total_native.u128(),
        3_030_000_000 - expected_fee
    );
    let res = suite.crank().unwrap();
    let fee: u128 = event_attr(&res, "fee").unwrap().parse().unwrap();
    println!("fee charged {fee}, expected {expected_fee}");
    assert_eq!(fee, expected_fee);
    assert_eq!(suite.config().fee_bps, 3_000);
    // later rewards pay the new fee
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    let rewards: u128 = event_attr(&res, "rewards").unwrap().parse().unwrap();
    let fee: u128 = event_attr(&res, "fee").unwrap().parse().unwrap();
    assert_eq!(fee, rewards * 3 / 10);
}

/// Issue 15, "High", the tradeable variant: with no crank at all, the pool reads the hub's rate
/// live. Before the fix the short payout counted as rewards until the grace epoch ended, so
/// mallory sold 20,000 LST into a 100k/100k pool at the spiked rate and bought back after it.
#[test]
fn the_payout_window_cannot_be_traded_through_the_pool() {
    const T: u128 = 1_000_000;
    let mut suite = one_validator(Decimal::zero())
        .with_market(100_000 * T)
        .with_funds("mallory", 20_000 * T)
        .with_funds("bob", 100_000 * T)
        .build();
    suite.bond("mallory", 20_000 * T).unwrap();
    suite.bond("bob", 100_000 * T).unwrap();
    suite.unbond("bob", suite.lst_balance("bob")).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    suite.advance_time(21 * DAY - 3_600);
    suite.slash_validator("validator1", Decimal::percent(1));
    suite.advance_time(3_600);
    let lst = suite.lst_balance("mallory");
    // what her 20,000 LST are really worth after the 1 % slash; before the fix the window
    // showed 34,649.9
    let fair = 19_800 * T;
    assert_eq!(suite.lst_value(lst), fair);
    // in the window: sell everything
    suite.sell_lst("mallory", lst, None).unwrap();
    let native = suite.native_balance("mallory");
    // after the grace epoch: buy back
    suite.advance_days(2);
    suite.buy_lst("mallory", native).unwrap();
    let value_after =
        suite.lst_value(suite.lst_balance("mallory")) + suite.native_balance("mallory");
    // before the fix: 33,871.3 native from the sale, 34,005.1 after buying back (+14,205)
    println!("mallory: sold for {native} native, {value_after} after buying back");
    assert!(
        value_after <= fair,
        "the round trip paid: {fair} -> {value_after}"
    );
    // bob's batch is paid what the chain paid
    suite.claim("bob").unwrap();
    assert_eq!(suite.native_balance("bob"), 99_000 * T);
}

/// Found by the property test: a slash of one validator just before the payout and of another
/// just after it, with no message in between. The batch is paid what the chain paid (the first
/// slash), and the second slash, which came after the payout, does not touch it.
#[test]
fn a_slash_after_the_payout_does_not_shrink_a_short_batch() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[
            ("validator1", 1, Decimal::zero()),
            ("validator2", 1, Decimal::zero()),
        ])
        .with_apr(Decimal::zero())
        .with_funds("alice", 1_000_000_000)
        .with_funds("bob", 1_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite.bond("bob", 1_000_000_000).unwrap();
    suite.unbond("bob", 1_000_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    assert_eq!(suite.delegation("validator1"), 500_000_000);
    assert_eq!(suite.delegation("validator2"), 500_000_000);
    suite.advance_time(21 * DAY - 3_600);
    suite.slash_validator("validator1", Decimal::percent(1));
    suite.advance_time(3_600);
    // paid: 495,000,000 + 500,000,000; then validator2 is slashed 10 %
    assert_eq!(suite.native_balance_of(&suite.hub.clone()), 995_000_000);
    suite.slash_validator("validator2", Decimal::percent(10));
    // the rate counts nothing of the payout: alice's 1e9 LST are worth what is delegated
    assert_eq!(suite.lst_value(1_000_000_000), 495_000_000 + 450_000_000);
    for _ in 0..2 {
        suite.advance_days(1);
        suite.crank().unwrap();
    }
    suite.claim("bob").unwrap();
    assert_eq!(suite.native_balance("bob"), 995_000_000);
    assert_eq!(suite.lst_value(1_000_000_000), 945_000_000);
}

/// A fee change that has taken effect is applied, not overwritten, when the owner queues the
/// next one before any sync: 10 % -> 30 % (effective day 7) -> queue 5 % on day 8.
#[test]
fn queueing_a_fee_applies_the_one_already_in_effect() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 3_000_000_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    suite
        .execute("owner", &ExecuteMsg::QueueFeeChange { fee_bps: 3_000 })
        .unwrap();
    suite.advance_days(8);
    suite
        .execute("owner", &ExecuteMsg::QueueFeeChange { fee_bps: 500 })
        .unwrap();
    assert_eq!(suite.config().fee_bps, 3_000);
    // 8 days of rewards: 7 at 10 %, 1 at 30 %
    let res = suite.crank().unwrap();
    assert_eq!(event_attr(&res, "rewards").unwrap(), "24000000");
    assert_eq!(
        event_attr(&res, "fee").unwrap(),
        (2_100_000 + 900_000).to_string()
    );
}

/// When a slash and a payout come with no message in between (see `Ledger::sync`).
#[derive(Clone, Copy, PartialEq)]
enum SlashTiming {
    /// A 1 % slash during the unbonding and a donation of 10, no message until after the payout.
    BeforeUnsynced,
    /// The same, with a crank between the slash and the payout time.
    BeforeSynced,
    /// No donation; the chain pays the batch in full, then slashes the validator 1 %.
    AfterPayout,
}

/// Bob's claim and the value of alice's 1,000 LST: one validator, APR 0, bob's 1,000 unbonding
/// while `timing` happens. Also the value of alice's LST just before the payout time.
fn slash_and_donation(timing: SlashTiming) -> (u128, u128, u128) {
    const T: u128 = 1_000_000;
    // rails that do not bind: the donation is counted at once (the APR ceiling would hold part
    // of it back) and the 1 % slash does not trip protective mode
    let mut suite = one_validator(Decimal::zero())
        .with_rails(tributary_types::hub::Rails {
            max_apr_bps: 10_000,
            max_drop_bps: 10_000,
            ..tributary_types::hub::Rails::default()
        })
        .with_funds("alice", 1_000 * T)
        .with_funds("bob", 1_000 * T)
        .with_funds("mallory", 10 * T)
        .build();
    suite.bond("alice", 1_000 * T).unwrap();
    suite.bond("bob", 1_000 * T).unwrap();
    suite.unbond("bob", 1_000 * T).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    suite.advance_days(10);
    if timing != SlashTiming::AfterPayout {
        suite.slash_validator("validator1", Decimal::percent(1));
        suite.donate("mallory", 10 * T).unwrap();
    }
    if timing == SlashTiming::BeforeSynced {
        suite.crank().unwrap();
    }
    suite.advance_time(11 * DAY - 1);
    let before_payout = suite.lst_value(1_000 * T);
    suite.advance_time(1 + DAY);
    if timing == SlashTiming::AfterPayout {
        suite.slash_validator("validator1", Decimal::percent(1));
    }
    suite.crank().unwrap();
    suite.claim("bob").unwrap();
    (
        suite.native_balance("bob"),
        suite.lst_value(1_000 * T),
        before_payout,
    )
}

/// The chain's figures after a payout cannot tell "the batch's entry was slashed 1 % (10 short)
/// and 10 were donated" from "the batch was paid in full and the validator slashed after it":
/// with no message in between, the hub presumes the latter (it never hands LST holders a slash
/// the chain did not take from the batch), so the donation makes bob whole. The view before
/// the payout time had counted the donation as rewards: alice's LST then fall back, by no more
/// than the donation. A crank in between settles it: bob bears his slash, the donation is
/// rewards.
#[test]
fn a_slash_first_seen_after_the_payout_time_is_read_as_after_the_payout() {
    const T: u128 = 1_000_000;
    let (bob, alice, alice_before) = slash_and_donation(SlashTiming::AfterPayout);
    assert_eq!((bob, alice, alice_before), (1_000 * T, 990 * T, 1_000 * T));

    let (bob, alice, alice_before) = slash_and_donation(SlashTiming::BeforeUnsynced);
    assert_eq!(
        (bob, alice),
        (1_000 * T, 990 * T),
        "the same figures, the same outcome"
    );
    assert_eq!(
        alice_before,
        999 * T,
        "the view counted the donation, net of the 10 % fee"
    );

    let (bob, alice, alice_before) = slash_and_donation(SlashTiming::BeforeSynced);
    assert_eq!((bob, alice, alice_before), (990 * T, 999 * T, 999 * T));
}
