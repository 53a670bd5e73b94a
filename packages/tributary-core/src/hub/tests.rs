//! Unit and property tests of the hub's ledger: no chain, exact numbers.

use cosmwasm_std::{Timestamp, Uint128};
use proptest::prelude::*;

use super::*;
use crate::Delayed;

pub(super) fn t(seconds: u64) -> Timestamp {
    Timestamp::from_seconds(seconds)
}

pub(super) fn u(amount: u128) -> Uint128 {
    Uint128::new(amount)
}

const NOW: u64 = 10_000;

fn params() -> LedgerParams {
    LedgerParams {
        genesis: t(0),
        epoch_period: 100,
        unbonding_period: 1_000,
        batch_interval: 300,
        max_rebalance_per_epoch: u(1_000_000),
    }
}

/// A ledger at `NOW` with these validators (address, weight, booked = actual), an LST supply
/// equal to the stake (rate one), no balance and a 10 % fee.
pub(super) fn ledger(validators: &[(&str, u64, u128)]) -> Ledger {
    let validators: Vec<ValidatorPosition> = validators
        .iter()
        .map(|(address, weight, booked)| {
            let mut record = Validator::new(*weight);
            record.booked = u(*booked);
            ValidatorPosition {
                address: address.to_string(),
                record,
                actual: u(*booked),
                accrued: Uint128::zero(),
            }
        })
        .collect();
    let supply = validators.iter().map(|v| v.record.booked).sum::<Uint128>();
    Ledger {
        params: params(),
        fee: Delayed::new(1_000),
        state: State::genesis(),
        validators,
        batches: vec![],
        balance: Uint128::zero(),
        lst_supply: supply,
        pruned: vec![],
        stored: Default::default(),
        now: t(NOW),
    }
}

/// An unbonding batch with these entries, due at `claimable_at`.
fn unbonding(id: u64, entries: &[(&str, u128)], claimable_at: u64) -> InFlightBatch {
    let entries: Vec<BatchEntry> = entries
        .iter()
        .map(|(validator, amount)| BatchEntry {
            validator: validator.to_string(),
            amount: u(*amount),
        })
        .collect();
    let native = entries.iter().map(|e| e.amount).sum();
    InFlightBatch {
        id,
        batch: Batch {
            status: BatchStatus::Unbonding,
            lst_amount: native,
            native_amount: native,
            submitted_at: Some(t(claimable_at.saturating_sub(1_000))),
            claimable_at: Some(t(claimable_at)),
            entries,
            ..Batch::pending()
        },
    }
}

fn with_batches(mut ledger: Ledger, batches: Vec<InFlightBatch>) -> Ledger {
    ledger.state.unbonding_batches = batches.iter().map(|b| b.id).collect();
    ledger.batches = batches;
    ledger
}

// ---------------------------------------------------------------- sync: payouts

#[test]
fn nothing_changed_reports_nothing() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    let before = l.clone();
    assert_eq!(l.sync().unwrap(), SyncReport::default());
    assert_eq!(l, before);
}

#[test]
fn inflow_with_no_due_batch_is_rewards() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000)]),
        vec![unbonding(1, &[("a", 100)], NOW + 1)],
    );
    l.balance = u(70);
    let report = l.sync().unwrap();
    assert_eq!(report.unexplained_rewards, u(70));
    assert_eq!(report.payouts_received, u(0));
    assert_eq!(l.state.rewards_held, u(70));
    assert_eq!(l.batches[0].batch.received, u(0));
}

#[test]
fn inflow_pays_a_due_batch_before_any_rewards() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000)]),
        vec![unbonding(1, &[("a", 100)], NOW)],
    );
    l.balance = u(130);
    let report = l.sync().unwrap();
    assert_eq!(report.payouts_received, u(100));
    assert_eq!(report.unexplained_rewards, u(30));
    assert_eq!(report.matured, vec![1]);
    assert_eq!(l.state.unclaimed_reserve, u(100));
    assert_eq!(l.state.rewards_held, u(30));
    assert!(l.state.unbonding_batches.is_empty());
    assert_eq!(l.batches[0].batch.status, BatchStatus::Claimable);
}

#[test]
fn batches_newly_due_are_paid_before_older_short_ones() {
    // batch 1 was already due at the last sync and is short; batch 2 fell due since
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000)]),
        vec![
            unbonding(1, &[("a", 100)], NOW - 50),
            unbonding(2, &[("a", 80)], NOW - 10),
        ],
    );
    l.state.observed_at = Some(t(NOW - 20));
    l.balance = u(90);
    let report = l.sync().unwrap();
    assert_eq!(
        l.batches[1].batch.status,
        BatchStatus::Claimable,
        "batch 2 paid in full"
    );
    assert_eq!(l.batches[0].batch.received, u(10), "batch 1 gets the rest");
    assert_eq!(report.payouts_received, u(90));
    assert_eq!(report.unexplained_rewards, u(0));
    assert_eq!(report.matured, vec![2]);
    assert_eq!(l.state.unbonding_batches, vec![1]);
}

#[test]
fn a_batch_is_never_paid_more_than_it_is_owed() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000)]),
        vec![unbonding(1, &[("a", 100)], NOW)],
    );
    l.batches[0].batch.received = u(60);
    l.balance = u(60 + 500);
    let report = l.sync().unwrap();
    assert_eq!(report.payouts_received, u(40));
    assert_eq!(report.unexplained_rewards, u(460));
    assert_eq!(l.batches[0].batch.native_amount, u(100));
}

#[test]
fn a_balance_below_what_is_committed_halts_accounting() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.unclaimed_reserve = u(50);
    l.balance = u(49);
    assert_eq!(
        l.sync().unwrap_err(),
        HubError::Insolvent {
            balance: u(49),
            owed: u(50)
        }
    );
}

#[test]
fn rewards_held_never_exceed_what_is_in_the_balance() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.rewards_held = u(500);
    l.state.unclaimed_reserve = u(100);
    l.balance = u(300);
    l.sync().unwrap();
    assert_eq!(l.state.rewards_held, u(200));
}

// ---------------------------------------------------------------- sync: slashing

#[test]
fn a_slash_drops_the_books_to_the_chain() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.validators[0].actual = u(900);
    l.validators[1].actual = u(1_100); // more than booked: never booked upwards
    let report = l.sync().unwrap();
    assert_eq!(report.slashed_delegations, u(100));
    assert_eq!(l.booked(), vec![u(900), u(1_000)]);
}

#[test]
fn a_slash_shrinks_undue_batch_entries_on_that_validator_pro_rata() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]),
        vec![unbonding(1, &[("a", 300), ("b", 200)], NOW + 500)],
    );
    l.validators[0].actual = u(500); // half
    let report = l.sync().unwrap();
    let batch = &l.batches[0].batch;
    assert_eq!(batch.entries[0].amount, u(150));
    assert_eq!(batch.entries[1].amount, u(200));
    assert_eq!(batch.native_amount, u(350));
    assert_eq!(report.slashed_delegations, u(500));
    assert_eq!(report.slashed_batches, u(150));
}

#[test]
fn a_slash_rounds_batch_entries_down() {
    let mut l = with_batches(
        ledger(&[("a", 1, 3)]),
        vec![unbonding(1, &[("a", 10)], NOW + 500)],
    );
    l.validators[0].actual = u(2);
    let report = l.sync().unwrap();
    assert_eq!(l.batches[0].batch.entries[0].amount, u(6)); // floor(10 * 2 / 3)
    assert_eq!(report.slashed_batches, u(4));
}

#[test]
fn a_slash_leaves_a_due_batch_to_what_the_chain_paid() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000)]),
        vec![unbonding(1, &[("a", 100)], NOW)],
    );
    l.validators[0].actual = u(500);
    l.balance = u(100);
    let report = l.sync().unwrap();
    assert_eq!(report.slashed_batches, u(0));
    assert_eq!(l.batches[0].batch.native_amount, u(100));
    assert_eq!(l.batches[0].batch.status, BatchStatus::Claimable);
}

/// The shape of the property test's case (see `Ledger::sync`, "A slash and a payout with no
/// saved sync in between"): a 90 batch, 31 of it unbonding from `a`; `a` is slashed 26 %
/// (303 -> 224), which costs the entry 9 (31 -> 22: the chain pays 81); 9 are donated.
#[test]
fn a_slash_first_seen_when_its_batch_falls_due_is_presumed_after_the_payout() {
    let mut saved = with_batches(
        ledger(&[("a", 1, 303), ("b", 1, 303), ("c", 1, 305)]),
        vec![unbonding(1, &[("a", 31), ("b", 30), ("c", 29)], NOW)],
    );
    saved.state.observed_at = Some(t(NOW - 1_000));

    // before the payout time: the entry shrinks, the donation is rewards
    let mut before = saved.clone();
    before.now = t(NOW - 500);
    before.validators[0].actual = u(224);
    before.balance = u(9);
    let report = before.sync().unwrap();
    assert_eq!(report.slashed_batches, u(9));
    assert_eq!(report.unexplained_rewards, u(9));
    assert_eq!(before.batches[0].batch.entries[0].amount, u(22));
    assert_eq!(before.batches[0].batch.native_amount, u(81));
    assert_eq!(before.state.rewards_held, u(9));

    // a message saved that, then the chain pays 81: the batch bears its slash, the donation
    // stays rewards
    let mut synced = before.clone();
    synced.mark_observed().unwrap();
    synced.now = t(NOW);
    synced.balance = u(90);
    let report = synced.sync().unwrap();
    assert_eq!(report.payouts_received, u(81));
    assert_eq!(report.unexplained_rewards, u(0));
    assert_eq!(report.matured, vec![1]);
    assert_eq!(synced.batches[0].batch.native_amount, u(81));
    assert_eq!(synced.state.unclaimed_reserve, u(81));
    assert_eq!(synced.state.rewards_held, u(9));

    // nothing saved: at the payout time the hub sees 90 arrived and `a` 79 short, exactly what
    // a chain that paid the batch 90 and slashed `a` afterwards (no donation) shows. The batch
    // is owed what it was at the last saved sync, and is paid first: the donation covers the 9
    let mut unsynced = saved.clone();
    unsynced.validators[0].actual = u(224);
    unsynced.balance = u(90);
    let report = unsynced.sync().unwrap();
    assert_eq!(report.slashed_delegations, u(79));
    assert_eq!(report.slashed_batches, u(0));
    assert_eq!(report.payouts_received, u(90));
    assert_eq!(report.unexplained_rewards, u(0));
    assert_eq!(report.matured, vec![1]);
    // the entry was not shrunk: the batch matured at its full 90 (and, claimable, dropped its
    // per-validator entries)
    assert!(unsynced.batches[0].batch.entries.is_empty());
    assert_eq!(unsynced.batches[0].batch.native_amount, u(90));
    assert_eq!(unsynced.state.unclaimed_reserve, u(90));
    assert_eq!(unsynced.state.rewards_held, u(0));
    assert_eq!(unsynced.booked(), vec![u(224), u(303), u(305)]);
}

// ---------------------------------------------------------------- sync: maturity

#[test]
fn a_batch_matures_within_one_unit_per_entry() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]),
        vec![unbonding(1, &[("a", 50), ("b", 50)], NOW)],
    );
    l.balance = u(98);
    let report = l.sync().unwrap();
    assert_eq!(report.matured, vec![1]);
    assert_eq!(report.slashed_batches, u(2));
    assert_eq!(l.batches[0].batch.native_amount, u(98));
    assert_eq!(l.state.unclaimed_reserve, u(98));
}

#[test]
fn a_short_batch_waits_an_epoch_then_matures_at_what_it_received() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000)]),
        vec![unbonding(1, &[("a", 100)], NOW - 99)],
    );
    l.balance = u(60);
    let report = l.sync().unwrap();
    assert!(report.matured.is_empty(), "still within the grace epoch");
    assert_eq!(l.batches[0].batch.received, u(60));
    l.now = t(NOW + 1);
    let report = l.sync().unwrap();
    assert_eq!(report.matured, vec![1]);
    assert_eq!(report.slashed_batches, u(40));
    assert_eq!(l.batches[0].batch.native_amount, u(60));
    assert_eq!(l.state.unclaimed_reserve, u(60));
}

#[test]
fn a_batch_is_not_due_before_its_payout_time() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000)]),
        vec![unbonding(1, &[("a", 100)], NOW + 1)],
    );
    l.balance = u(100);
    let report = l.sync().unwrap();
    assert!(report.matured.is_empty());
    assert_eq!(l.state.unbonding_batches, vec![1]);
}

// ---------------------------------------------------------------- sync: fee change

#[test]
fn a_due_fee_change_carries_the_old_fee_on_rewards_accrued_before_it() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.observed_at = Some(t(NOW - 100));
    l.state.observed_rewards = u(200);
    l.validators[0].accrued = u(1_200); // grew by 1_000 over 100 s
    l.fee.queue(2_000, t(NOW - 200), 150); // effective at NOW - 50: half the span
    l.sync().unwrap();
    assert_eq!(l.fee, Delayed::new(2_000));
    // 200 seen + half of the 1_000 grown accrued under 10 %
    assert_eq!(
        l.state.fee_carry,
        FeeCarry {
            rewards: u(700),
            fee: u(70)
        }
    );
    // 70 carried + 20 % of the 500 after the change
    assert_eq!(l.fee_on(u(1_200)).unwrap(), u(170));
}

#[test]
fn a_fee_change_with_nothing_observed_keeps_the_old_fee_on_everything() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.validators[0].accrued = u(400);
    l.fee.queue(0, t(NOW - 10), 0);
    l.sync().unwrap();
    assert_eq!(l.fee.current, 0);
    assert_eq!(l.state.fee_carry.fee, u(40));
    assert_eq!(l.fee_on(u(400)).unwrap(), u(40));
}

#[test]
fn a_fee_change_not_yet_due_changes_nothing() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.validators[0].accrued = u(400);
    l.fee.queue(2_000, t(NOW), 1);
    l.sync().unwrap();
    assert_eq!(l.fee.current, 1_000);
    assert!(l.fee.pending.is_some());
    assert_eq!(l.state.fee_carry, FeeCarry::default());
}

#[test]
fn the_fee_never_exceeds_the_rewards() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.fee_carry = FeeCarry {
        rewards: u(100),
        fee: u(90),
    };
    assert_eq!(l.fee_on(u(50)).unwrap(), u(50));
    l.fee.current = 10_000;
    assert_eq!(l.fee_on(u(300)).unwrap(), u(290));
}

// ---------------------------------------------------------------- sync: chain entries

#[test]
fn settled_chain_entries_are_forgotten_an_epoch_after_completion() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.validators[0].record.unbonding_entries = vec![t(NOW - 100), t(NOW - 99)];
    l.validators[1].record.redelegations_in = vec![RedelegationEntry {
        src: "a".into(),
        completes_at: t(NOW - 100),
    }];
    l.sync().unwrap();
    assert_eq!(l.validators[0].record.unbonding_entries, vec![t(NOW - 99)]);
    assert!(l.validators[1].record.redelegations_in.is_empty());
}

#[test]
fn a_drained_removed_validator_is_pruned_unless_a_batch_references_it() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000), ("gone", 0, 0), ("draining", 0, 0)]),
        vec![unbonding(1, &[("draining", 10)], NOW + 500)],
    );
    l.sync().unwrap();
    assert_eq!(l.pruned, vec!["gone".to_string()]);
    let addresses: Vec<_> = l.validators.iter().map(|v| v.address.as_str()).collect();
    assert_eq!(addresses, vec!["a", "draining"]);
}

#[test]
fn syncing_twice_at_the_same_time_changes_nothing() {
    let mut l = with_batches(
        ledger(&[("a", 1, 1_000), ("b", 2, 2_000)]),
        vec![
            unbonding(1, &[("a", 100)], NOW),
            unbonding(2, &[("b", 100)], NOW + 300),
        ],
    );
    l.validators[1].actual = u(1_500);
    l.balance = u(150);
    l.fee.queue(500, t(NOW - 1), 0);
    l.sync().unwrap();
    let once = l.clone();
    assert_eq!(
        l.sync().unwrap(),
        SyncReport::default(),
        "nothing new the second time"
    );
    assert_eq!(l.pruned, once.pruned);
    assert_eq!(l, once);
}

// ---------------------------------------------------------------- helpers and limits

#[test]
fn the_pool_counts_pending_rewards_net_of_fee_and_the_pending_batch() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.rewards_held = u(60);
    l.validators[0].accrued = u(40);
    l.state.pending_lst = u(10);
    let pool = l.pool().unwrap();
    assert_eq!(pool.assets, u(1_090)); // 1_000 + 100 - 10 % fee
    assert_eq!(pool.shares, u(1_010));
    assert_eq!(l.pending_rewards().unwrap(), u(100));
}

#[test]
fn withdrawing_before_staking_books_the_accrued_rewards() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.validators[1].accrued = u(25);
    assert_eq!(l.withdraw_before_staking(0).unwrap(), None);
    assert_eq!(
        l.withdraw_all_rewards().unwrap(),
        vec![StakingAction::WithdrawRewards {
            validator: "b".into()
        }]
    );
    assert_eq!(l.state.rewards_held, u(25));
    assert_eq!(l.validators[1].accrued, u(0));
    assert_eq!(l.withdraw_all_rewards().unwrap(), vec![]);
}

#[test]
fn chain_limits_are_enforced_before_sending() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000), ("c", 1, 1_000)]);
    l.validators[0].record.unbonding_entries = vec![t(NOW + 1); MAX_CHAIN_ENTRIES];
    assert_eq!(
        l.can_undelegate(0),
        Err(ChainLimit::UnbondingEntriesFull("a".into()))
    );
    assert_eq!(l.can_undelegate(1), Ok(()));
    for _ in 0..MAX_CHAIN_ENTRIES {
        l.record_redelegation(1, 2);
    }
    assert_eq!(
        l.can_redelegate(1, 2),
        Err(ChainLimit::RedelegationEntriesFull("b".into(), "c".into()))
    );
    assert_eq!(
        l.can_redelegate(2, 0),
        Err(ChainLimit::TransitiveRedelegation("c".into()))
    );
    assert_eq!(l.can_redelegate(1, 0), Ok(()));
    assert_eq!(
        l.validators[2].record.redelegations_in[0].completes_at,
        t(NOW + 1_000)
    );
    assert_eq!(
        ChainLimit::RedelegationEntriesFull("b".into(), "c".into()).describe(),
        "redelegation_entries_full:b>c"
    );
}

#[test]
fn epochs_count_from_genesis() {
    assert_eq!(epoch_at(t(1_000), 100, t(999)), 0);
    assert_eq!(epoch_at(t(1_000), 100, t(1_250)), 2);
    assert_eq!(next_epoch_at(t(1_000), 100, 2), t(1_300));
}

// ---------------------------------------------------------------- bond, unbond, claim

#[test]
fn a_bond_mints_at_the_rate_and_delegates_to_the_most_underweight() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 500)]);
    l.validators[1].accrued = u(0);
    let plan = l.bond(u(300), None, Some(u(300))).unwrap();
    assert_eq!(plan.minted, u(300));
    assert_eq!(plan.validator, "b");
    assert_eq!(
        plan.actions,
        vec![StakingAction::Delegate {
            validator: "b".into(),
            amount: u(300)
        }]
    );
    assert_eq!(l.booked(), vec![u(1_000), u(800)]);
}

#[test]
fn a_bond_withdraws_the_validators_rewards_first() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.validators[0].accrued = u(7);
    let plan = l.bond(u(100), None, None).unwrap();
    assert_eq!(
        plan.actions[0],
        StakingAction::WithdrawRewards {
            validator: "a".into()
        }
    );
    assert_eq!(l.state.rewards_held, u(7));
}

#[test]
fn bond_guards() {
    let cases: Vec<(Ledger, Option<u128>, Option<u128>, HubError)> = vec![
        (
            ledger(&[("a", 1, 1_000)]),
            Some(1_099),
            None,
            HubError::DepositCapExceeded {
                cap: u(1_099),
                would_hold: u(1_100),
            },
        ),
        (
            ledger(&[("a", 1, 1_000)]),
            None,
            Some(101),
            HubError::SlippageExceeded {
                min_out: u(101),
                minted: u(100),
            },
        ),
        (
            ledger(&[("a", 0, 1_000)]),
            None,
            None,
            HubError::NoActiveValidator {},
        ),
    ];
    for (mut l, cap, min_out, expected) in cases {
        let before = l.clone();
        assert_eq!(
            l.bond(u(100), cap.map(u), min_out.map(u)).unwrap_err(),
            expected
        );
        assert_eq!(l.state, before.state);
    }
}

#[test]
fn a_bond_that_would_mint_nothing_is_refused() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.rewards_held = u(1_000_000_000);
    l.fee.current = 0;
    assert_eq!(l.bond(u(1), None, None).unwrap_err(), HubError::ZeroMint {});
}

#[test]
fn an_unbond_joins_the_pending_batch() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    assert_eq!(l.queue_unbond(u(40)).unwrap(), 1);
    assert_eq!(l.queue_unbond(u(2)).unwrap(), 1);
    assert_eq!(l.state.pending_lst, u(42));
}

#[test]
fn claims_are_paid_pro_rata_and_the_dust_leaves_with_the_last() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    let mut batch = Batch {
        status: BatchStatus::Claimable,
        lst_amount: u(3),
        native_amount: u(100),
        ..Batch::pending()
    };
    l.state.unclaimed_reserve = u(100);
    assert_eq!(l.settle_claim(&mut batch, u(1)).unwrap(), u(33));
    assert_eq!(l.settle_claim(&mut batch, u(1)).unwrap(), u(33));
    assert_eq!(l.state.unclaimed_reserve, u(34));
    assert_eq!(l.settle_claim(&mut batch, u(1)).unwrap(), u(33));
    assert_eq!(batch.native_claimed, u(99));
    assert_eq!(batch.lst_claimed, u(3));
    assert_eq!(
        l.state.unclaimed_reserve,
        u(0),
        "the dust unit returns to stakers"
    );
}

// ---------------------------------------------------------------- crank

#[test]
fn the_crank_refuses_an_epoch_already_processed() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.epoch = NOW / 100;
    assert_eq!(
        l.start_crank().unwrap_err(),
        HubError::EpochNotElapsed {
            epoch: 100,
            next_epoch_at: t(10_100)
        }
    );
}

#[test]
fn the_crank_catches_up_missed_epochs_and_withdraws_all_rewards() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.state.epoch = 97;
    l.validators[0].accrued = u(5);
    l.validators[1].accrued = u(6);
    let start = l.start_crank().unwrap();
    assert_eq!(start.epoch, 100);
    assert_eq!(start.epochs_processed, 3);
    assert_eq!(start.withdrawals.len(), 2);
    assert_eq!(l.state.epoch, 100);
    assert_eq!(l.state.rewards_held, u(11));
}

#[test]
fn reinvest_compounds_rewards_and_mints_the_fee() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.state.rewards_held = u(200);
    l.balance = u(200);
    let plan = l.reinvest(Batch::pending()).unwrap();
    assert_eq!(plan.rewards, u(200));
    assert_eq!(plan.fee, u(20));
    // the fee's LST are priced after the net rewards: 20 * (2_000 + V) / (2_180 + V)
    assert_eq!(plan.fee_lst, u(19));
    assert_eq!(
        plan.actions,
        vec![
            StakingAction::Delegate {
                validator: "a".into(),
                amount: u(100)
            },
            StakingAction::Delegate {
                validator: "b".into(),
                amount: u(100)
            },
        ]
    );
    assert_eq!(plan.batch, BatchOutcome::NotDue);
    assert_eq!(l.state.rewards_held, u(0));
    assert_eq!(l.booked_total().unwrap(), u(2_200));
}

#[test]
fn reinvest_submits_a_due_batch_priced_at_the_rate() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.state.pending_lst = u(100);
    l.lst_supply = u(1_900); // 100 already burned into the batch
    let pending = Batch {
        lst_amount: u(100),
        ..Batch::pending()
    };
    let plan = l.reinvest(pending).unwrap();
    assert_eq!(plan.batch, BatchOutcome::Submitted { id: 1 });
    assert_eq!(
        plan.actions,
        vec![
            StakingAction::Undelegate {
                validator: "a".into(),
                amount: u(50)
            },
            StakingAction::Undelegate {
                validator: "b".into(),
                amount: u(50)
            },
        ]
    );
    let batch = l.in_flight(1).unwrap();
    assert_eq!(batch.native_amount, u(100));
    assert_eq!(batch.status, BatchStatus::Unbonding);
    assert_eq!(batch.claimable_at, Some(t(NOW + 1_000)));
    assert_eq!(l.state.pending_batch_id, 2);
    assert_eq!(l.state.pending_lst, u(0));
    assert_eq!(l.state.unbonding_batches, vec![1]);
    assert_eq!(l.state.last_batch_submitted_at, Some(t(NOW)));
    assert_eq!(
        l.validators[0].record.unbonding_entries,
        vec![t(NOW + 1_000)]
    );
    assert_eq!(l.next_batch_submit_at(), t(NOW + 300));
}

#[test]
fn a_batch_waits_for_its_interval() {
    let mut l = ledger(&[("a", 1, 1_000)]);
    l.state.pending_lst = u(100);
    l.state.last_batch_submitted_at = Some(t(NOW - 299));
    assert!(!l.batch_due());
    let plan = l.reinvest(Batch::pending()).unwrap();
    assert_eq!(plan.batch, BatchOutcome::NotDue);
    assert_eq!(l.state.pending_lst, u(100));
}

#[test]
fn a_batch_is_deferred_when_the_open_validators_hold_too_little() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 50)]);
    l.validators[0].record.unbonding_entries = vec![t(NOW + 1); MAX_CHAIN_ENTRIES];
    l.state.pending_lst = u(100);
    l.lst_supply = u(950);
    l.params.max_rebalance_per_epoch = u(0);
    let plan = l.reinvest(Batch::pending()).unwrap();
    assert_eq!(
        plan.batch,
        BatchOutcome::Deferred {
            reason: "unbonding_entries_full:a".into()
        }
    );
    assert_eq!(l.state.pending_batch_id, 1);
    assert!(l.batches.is_empty());
}

#[test]
fn a_batch_draws_only_from_validators_that_can_take_an_entry() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.validators[0].record.unbonding_entries = vec![t(NOW + 1); MAX_CHAIN_ENTRIES];
    l.state.pending_lst = u(100);
    l.lst_supply = u(1_900);
    l.params.max_rebalance_per_epoch = u(0);
    let plan = l.reinvest(Batch::pending()).unwrap();
    assert_eq!(plan.batch, BatchOutcome::Submitted { id: 1 });
    assert_eq!(
        plan.actions,
        vec![StakingAction::Undelegate {
            validator: "b".into(),
            amount: u(100)
        }]
    );
}

#[test]
fn rebalancing_moves_within_the_bound_and_skips_what_the_chain_refuses() {
    let mut l = ledger(&[("a", 1, 1_500), ("b", 1, 500)]);
    l.params.max_rebalance_per_epoch = u(200);
    let plan = l.reinvest(Batch::pending()).unwrap();
    assert_eq!(plan.rebalanced, u(200));
    assert_eq!(l.booked(), vec![u(1_300), u(700)]);
    assert_eq!(l.validators[1].record.redelegations_in.len(), 1);
    // b now holds a live redelegation in; moving out of a is still fine, but a -> b again is
    // allowed too (same pair): make a hold one to block it
    l.validators[0].record.redelegations_in = vec![RedelegationEntry {
        src: "b".into(),
        completes_at: t(NOW + 1_000),
    }];
    let plan = l.reinvest(Batch::pending()).unwrap();
    assert_eq!(plan.rebalanced, u(0));
    assert_eq!(
        plan.rebalance_skipped,
        vec!["transitive_redelegation:a".to_string()]
    );
}

// ---------------------------------------------------------------- validators

#[test]
fn adding_a_validator_twice_is_refused_but_a_removed_one_returns() {
    let mut l = ledger(&[("a", 1, 1_000), ("old", 0, 10)]);
    assert_eq!(
        l.add_validator("a", 2).unwrap_err(),
        HubError::ValidatorExists {
            address: "a".into()
        }
    );
    l.add_validator("old", 3).unwrap();
    l.add_validator("new", 4).unwrap();
    assert_eq!(l.weights(), vec![1, 3, 4]);
    assert_eq!(l.validators[2].record, Validator::new(4));
}

#[test]
fn only_active_validators_are_reweighted() {
    let mut l = ledger(&[("a", 1, 1_000), ("old", 0, 10)]);
    l.set_weight("a", 5).unwrap();
    assert_eq!(l.weights(), vec![5, 0]);
    assert_eq!(
        l.set_weight("old", 1).unwrap_err(),
        HubError::ValidatorNotFound {
            address: "old".into()
        }
    );
}

#[test]
fn the_last_validator_cannot_be_removed() {
    let mut l = ledger(&[("a", 1, 1_000), ("old", 0, 10)]);
    assert_eq!(
        l.remove_validator("a").unwrap_err(),
        HubError::LastValidator {}
    );
}

#[test]
fn removing_a_validator_redelegates_its_stake_now() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000), ("c", 2, 1_000)]);
    l.validators[0].accrued = u(3);
    let plan = l.remove_validator("a").unwrap();
    assert_eq!(plan.redelegated, u(1_000));
    assert!(plan.refused.is_empty());
    assert_eq!(
        plan.actions[0],
        StakingAction::WithdrawRewards {
            validator: "a".into()
        }
    );
    assert_eq!(l.weights(), vec![0, 1, 2]);
    assert_eq!(l.booked_total().unwrap(), u(3_000));
    assert_eq!(l.validators[0].record.booked, u(0));
    assert_eq!(l.booked(), vec![u(0), u(1_000), u(2_000)]);
}

#[test]
fn removing_a_validator_with_a_live_redelegation_in_defers_the_move() {
    let mut l = ledger(&[("a", 1, 1_000), ("b", 1, 1_000)]);
    l.validators[0].record.redelegations_in = vec![RedelegationEntry {
        src: "b".into(),
        completes_at: t(NOW + 1),
    }];
    let plan = l.remove_validator("a").unwrap();
    assert_eq!(plan.redelegated, u(0));
    assert_eq!(plan.refused, vec!["transitive_redelegation:a".to_string()]);
    assert!(plan.actions.is_empty());
    assert_eq!(l.weights(), vec![0, 1]);
    assert_eq!(
        l.validators[0].record.booked,
        u(1_000),
        "still booked there"
    );
}

// ---------------------------------------------------------------- properties

/// A random ledger: 1–4 validators with random stake, a random slash on each, up to three
/// batches in flight (some due), a random inflow and an optional due fee change.
fn arb_ledger() -> impl Strategy<Value = Ledger> {
    (
        prop::collection::vec(
            (0u64..4, 0u128..1_000_000, 0u128..=100, 0u128..10_000),
            1..5,
        ),
        prop::collection::vec((0u128..100_000, 0u64..3, 0usize..4), 0..4),
        0u128..300_000,
        prop::option::of((0u16..3_000, 0u64..400)),
        prop::option::of(0u64..400),
    )
        .prop_map(|(validators, batches, inflow, fee_change, observed_ago)| {
            let names = ["a", "b", "c", "d"];
            let mut l = ledger(&[]);
            for (i, (weight, booked, kept_pct, accrued)) in validators.iter().enumerate() {
                let mut record = Validator::new(*weight);
                record.booked = u(*booked);
                l.validators.push(ValidatorPosition {
                    address: names[i].to_string(),
                    record,
                    actual: u(booked * kept_pct / 100),
                    accrued: u(*accrued),
                });
            }
            l.lst_supply = l.booked_total().unwrap();
            let count = l.validators.len();
            let mut in_flight = vec![];
            for (id, (amount, due, on)) in batches.into_iter().enumerate() {
                // due: 0 not yet, 1 just due, 2 past its grace
                let at = match due {
                    0 => NOW + 50,
                    1 => NOW,
                    _ => NOW - 150,
                };
                in_flight.push(unbonding(id as u64 + 1, &[(names[on % count], amount)], at));
            }
            let mut l = with_batches(l, in_flight);
            l.balance = u(inflow);
            if let Some((fee, ago)) = fee_change {
                l.fee.queue(fee, t(NOW - ago), 0);
            }
            l.state.observed_at = observed_ago.map(|ago| t(NOW - ago));
            l
        })
}

proptest! {
    /// Slashing reconciliation books exactly what the chain lost on delegations, never books
    /// stake upwards, and never grows a batch.
    #[test]
    fn slash_reconciliation_never_books_more_than_the_chain_lost(mut l in arb_ledger()) {
        let before = l.clone();
        let report = l.sync().unwrap();
        let lost: Uint128 = before
            .validators
            .iter()
            .map(|v| v.record.booked.saturating_sub(v.actual))
            .sum();
        prop_assert_eq!(report.slashed_delegations, lost);
        for v in &l.validators {
            let old = before.validators.iter().find(|b| b.address == v.address).unwrap();
            prop_assert_eq!(v.record.booked, old.record.booked.min(old.actual));
        }
        for (after, old) in l.batches.iter().zip(&before.batches) {
            prop_assert!(after.batch.native_amount <= old.batch.native_amount);
        }
        let owed_before: Uint128 = before.batches.iter().map(|b| b.batch.native_amount).sum();
        let owed_after: Uint128 = l.batches.iter().map(|b| b.batch.native_amount).sum();
        prop_assert_eq!(owed_before - owed_after, report.slashed_batches);
    }

    /// A batch is never priced above what it received, inflow is split exactly between payouts
    /// and rewards, and claims never pay out more than the batch holds.
    #[test]
    fn batch_pricing_never_pays_out_more_than_received(
        mut l in arb_ledger(),
        claims in prop::collection::vec(1u128..1_000, 1..5),
    ) {
        let report = l.sync().unwrap();
        // nothing was committed or held before: the whole balance is inflow, split exactly
        prop_assert_eq!(report.payouts_received + report.unexplained_rewards, l.balance);
        let mut reserve = l.state.unclaimed_reserve;
        for matured in &report.matured {
            let batch = l.in_flight(*matured).unwrap().clone();
            prop_assert!(batch.native_amount <= batch.received);
            let mut batch = Batch { lst_amount: claims.iter().copied().map(u).sum(), ..batch };
            let native = batch.native_amount;
            let mut paid = Uint128::zero();
            for claim in &claims {
                paid += l.settle_claim(&mut batch, u(*claim)).unwrap();
            }
            prop_assert!(paid <= native);
            reserve -= native;
        }
        prop_assert_eq!(l.state.unclaimed_reserve, reserve);
    }

    /// Syncing again at the same time finds nothing and changes nothing.
    #[test]
    fn sync_is_idempotent(mut l in arb_ledger()) {
        l.sync().unwrap();
        let once = l.clone();
        prop_assert_eq!(l.sync().unwrap(), SyncReport::default());
        prop_assert_eq!(l, once);
    }

    /// A bond never lowers the rate the other holders redeem at.
    #[test]
    fn a_bond_never_dilutes_holders(mut l in arb_ledger(), amount in 1u128..10_000_000) {
        l.sync().unwrap();
        let before = l.pool().unwrap();
        if let Ok(plan) = l.bond(u(amount), None, None) {
            l.lst_supply += plan.minted;
            let after = l.pool().unwrap();
            prop_assert!(after.assets_for_redeem(before.shares.min(after.shares)).unwrap()
                >= before.assets_for_redeem(before.shares).unwrap());
        }
    }
}
