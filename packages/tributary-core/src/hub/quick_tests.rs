//! Tests of the quick bond path: it prices as the full path does right after a sync, pays for the
//! rewards accrued since (the sniping attack) at the measured staking reward rate, and leaves
//! everything unchanged when it sends a bond to the full path.

use cosmwasm_std::Uint128;
use proptest::prelude::*;

use super::tests::{t, u};
use super::*;
use crate::Delayed;

/// Epoch 100 starts here (epochs of 1,000 s from genesis 0).
const NOW: u64 = 100_000;

fn params() -> LedgerParams {
    LedgerParams {
        genesis: t(0),
        epoch_period: 1_000,
        unbonding_period: 10_000,
        batch_interval: 3_000,
        max_rebalance_per_epoch: u(1_000_000),
    }
}

/// A synced ledger at `NOW` (rate one, 10 % fee, no balance) with these validators (address,
/// weight, booked = actual, accrued), its snapshot taken; the previous saved sync was an epoch
/// earlier with nothing accrued, so the snapshot measures the staking reward rate as the accrued
/// rewards over that epoch.
fn synced(validators: &[(&str, u64, u128, u128)]) -> Ledger {
    let stakes: Vec<(&str, u64, u128)> = validators
        .iter()
        .map(|(address, weight, booked, _)| (*address, *weight, *booked))
        .collect();
    let mut ledger = super::tests::ledger(&stakes);
    ledger.params = params();
    ledger.now = t(NOW - 1_000);
    ledger.sync().unwrap();
    ledger.mark_observed().unwrap();
    ledger.now = t(NOW);
    for (position, (_, _, _, accrued)) in ledger.validators.iter_mut().zip(validators) {
        position.accrued = u(*accrued);
    }
    ledger.sync().unwrap();
    ledger.mark_observed().unwrap();
    ledger
}

fn figures(l: &Ledger) -> QuickFigures {
    QuickFigures {
        lst_supply: l.lst_supply,
        balance: l.state.rewards_held,
    }
}

fn ctx<'a>(params: &'a LedgerParams, fee: &'a Delayed<u16>, now: u64) -> QuickContext<'a> {
    QuickContext {
        params,
        fee,
        max_apr_bps: 2_000,
        now: t(now),
    }
}

/// The deposit validator of `ledger`'s snapshot as the chain shows it once it has accrued
/// `extra_accrued` more rewards.
fn deposit_after(ledger: &Ledger, extra_accrued: u128) -> ValidatorPosition {
    let address = ledger
        .state
        .snapshot
        .as_ref()
        .and_then(|s| s.deposit_validator.clone())
        .unwrap();
    let mut position = ledger.validators[ledger.validator_index(&address).unwrap()].clone();
    position.accrued = position.accrued.checked_add(u(extra_accrued)).unwrap();
    position
}

/// A quick bond of `amount` on `ledger` at `NOW`, nothing accrued since its snapshot: the state
/// and deposit validator after it, and its plan.
fn quick_now(ledger: &Ledger, amount: Uint128) -> (State, ValidatorPosition, BondPlan) {
    let mut state = ledger.state.clone();
    let mut deposit = deposit_after(ledger, 0);
    let plan = quick_bond(
        &mut state,
        &mut deposit,
        &ctx(&ledger.params, &ledger.fee, NOW),
        figures(ledger),
        amount,
        None,
        None,
    )
    .unwrap()
    .unwrap();
    (state, deposit, plan)
}

#[test]
fn the_snapshot_records_the_books() {
    let l = synced(&[("a", 1, 1_000_000, 60), ("b", 1, 500_000, 30)]);
    let snapshot = l.state.snapshot.clone().unwrap();
    assert_eq!(snapshot.epoch, 100);
    assert_eq!(snapshot.booked, u(1_500_000));
    assert_eq!(snapshot.rewards, u(90));
    assert_eq!(snapshot.received, u(0));
    assert_eq!(snapshot.total_weight, 2);
    assert_eq!(
        (snapshot.accrual, snapshot.accrual_stake_seconds),
        (u(90), u(1_500_000 * 1_000))
    );
    assert_eq!(snapshot.deposit_validator.as_deref(), Some("b"));
    // only the deposit validator keeps its accrued figure
    assert_eq!(l.validators[1].record.accrued_at_sync, u(30));
    assert_eq!(l.validators[0].record.accrued_at_sync, u(0));
}

#[test]
fn a_quick_bond_right_after_the_sync_mints_what_the_full_path_mints() {
    let l = synced(&[("a", 1, 1_000_000, 600), ("b", 1, 500_000, 300)]);
    let mut full = l.clone();
    let full_plan = full.bond(u(250_000), None, None).unwrap();

    let (state, deposit, quick) = quick_now(&l, u(250_000));
    assert_eq!(quick.minted, full_plan.minted);
    assert_eq!(quick.validator, "b");
    assert_eq!(state.rewards_held, u(300));
    assert_eq!(deposit.record.booked, u(750_000));
    assert_eq!(deposit.record.accrued_at_sync, u(0));
    assert_eq!(state.snapshot.unwrap().booked, u(1_750_000));
}

/// While the APR ceiling withholds rewards, the quick path keeps a bond's share of them withheld
/// as the full path does (see `State::withhold_bond_share`).
#[test]
fn a_quick_bond_withholds_its_share_as_the_full_path_does() {
    let mut l = synced(&[("a", 1, 1_000_000, 600), ("b", 1, 500_000, 300)]);
    l.state.withheld = u(500);
    let mut full = l.clone();
    let full_plan = full.bond(u(250_000), None, None).unwrap();

    let (state, _, quick) = quick_now(&l, u(250_000));
    assert_eq!(quick.minted, full_plan.minted);
    // the bond's share at the pool's (virtual) rate: 250,000 / (1,500,810 + the 1,000,000
    // offset) of the 500 withheld, 50, plus a unit of rounding, stays withheld
    assert_eq!(state.withheld, u(551));
    assert_eq!(full.state.withheld, state.withheld);
}

/// What a full sync `late` would mint for `bond`, with each validator having accrued `more`
/// since the snapshot.
fn fair_mint(l: &Ledger, late: u64, more: &[u128], bond: Uint128) -> Uint128 {
    let mut truth = l.clone();
    truth.now = t(late);
    for (validator, extra) in truth.validators.iter_mut().zip(more) {
        validator.accrued += u(*extra);
    }
    truth.sync().unwrap();
    truth.bond(bond, None, None).unwrap().minted
}

/// What the quick path mints `late` for `bond`, its deposit validator having accrued
/// `deposit_more` since the snapshot; `measured: false` prices without the measured rate.
fn quick_mint(l: &Ledger, late: u64, deposit_more: u128, bond: Uint128, measured: bool) -> Uint128 {
    let mut state = l.state.clone();
    if !measured {
        state.snapshot.as_mut().unwrap().accrual = Uint128::zero();
    }
    let mut deposit = deposit_after(l, deposit_more);
    quick_bond(
        &mut state,
        &mut deposit,
        &ctx(&l.params, &l.fee, late),
        figures(l),
        bond,
        None,
        None,
    )
    .unwrap()
    .unwrap()
    .minted
}

/// The attack: bond late in an epoch at a rate that leaves out the rewards accrued since the
/// snapshot, then take a share of them at the crank. Priced without the growth (no measured
/// rate) the bond is minted more LST than the full path would give it: the attack pays. Priced at
/// the measured rate, it gets no more than the full path gives, and an honest bond pays no
/// premium (the same to within a unit).
#[test]
fn a_bond_just_before_the_crank_pays_for_the_rewards_it_joins() {
    // 1,500,000,000 staked, accruing 9,037 an epoch (19 % a year); 990 s later a full sync sees
    // 5,965 more on a and 2,982 more on b (the deposit validator)
    let l = synced(&[("a", 1, 1_000_000_000, 6_025), ("b", 1, 500_000_000, 3_012)]);
    let (late, bond) = (NOW + 990, u(500_000_000));
    let fair = fair_mint(&l, late, &[5_965, 2_982], bond);
    let unpriced = quick_mint(&l, late, 2_982, bond, false);
    let priced = quick_mint(&l, late, 2_982, bond, true);
    assert!(
        unpriced > fair,
        "{unpriced} LST vs {fair} fair: the attack should pay when the growth is not priced"
    );
    assert!(priced <= fair, "{priced} LST vs {fair} fair");
    assert!(fair - priced <= u(1), "{priced} LST vs {fair} fair");
}

#[test]
fn the_growth_is_priced_at_the_measured_rate() {
    // 1,000 an epoch on 1,500,000,000
    let l = synced(&[("a", 1, 1_500_000_000, 1_000)]);
    let p = params();
    let fee = Delayed::new(1_000);
    let snapshot = l.state.snapshot.clone().unwrap();
    let at = |seconds| priced_growth(&snapshot, &ctx(&p, &fee, NOW + seconds)).unwrap();
    assert_eq!(at(0), u(0));
    assert_eq!(at(1_000), u(1_000));
    // rounded up
    assert_eq!(at(1), u(1));
    assert_eq!(at(999), u(999));
}

/// The rate is per delegated native-second: a window in which the stake doubled halfway is
/// measured at the rate per unit, not at the total over the final stake.
#[test]
fn the_measured_rate_is_time_weighted() {
    let mut snapshot = synced(&[("a", 1, 1_000_000, 0)]).state.snapshot.unwrap();
    snapshot.accrual = Uint128::zero();
    snapshot.accrual_stake_seconds = Uint128::zero();
    snapshot.window_stake_seconds = Uint128::zero();
    snapshot.stake_at = t(NOW);
    snapshot.booked = u(1_000_000);
    snapshot.advance_stake(t(NOW + 500)).unwrap();
    snapshot.booked = u(2_000_000);
    snapshot.advance_stake(t(NOW + 1_000)).unwrap();
    assert_eq!(snapshot.window_stake_seconds, u(1_500_000_000));
}

/// A chain paying more than the APR ceiling (30 % with a 20 % ceiling) is priced at what it
/// pays: the bond still pays for what it joins.
#[test]
fn a_reward_rate_above_the_ceiling_is_priced_at_the_measured_rate() {
    // 14,269 an epoch on 1.5e9: 30 % a year
    let l = synced(&[("a", 1, 1_000_000_000, 9_513), ("b", 1, 500_000_000, 4_756)]);
    let (late, bond) = (NOW + 990, u(500_000_000));
    let fair = fair_mint(&l, late, &[9_418, 4_709], bond);
    let minted = quick_mint(&l, late, 4_709, bond, true);
    assert!(minted <= fair, "{minted} LST vs {fair} fair");
    assert!(fair - minted <= u(1), "{minted} LST vs {fair} fair");
}

#[test]
fn what_quick_bonds_saw_is_never_priced_below() {
    let l = synced(&[("a", 1, 1_000_000, 0)]);
    let p = params();
    let fee = Delayed::new(1_000);
    let mut snapshot = l.state.snapshot.clone().unwrap();
    snapshot.seen = u(500);
    assert_eq!(
        priced_growth(&snapshot, &ctx(&p, &fee, NOW + 10)).unwrap(),
        u(500)
    );
}

/// A sync that books a slash discards the rate measured so far: its window counted the slashed
/// stake at its booked amount, so the rate was too low for the stake booked now, and a quick
/// bond priced from it would mint too much (the hub's property test found 749 units on a bond an
/// hour after a booked slash). Bonds take the full path until a new window is measured, on the
/// stake as booked after the slash.
#[test]
fn a_booked_slash_restarts_the_rate_measurement() {
    let mut l = synced(&[("a", 1, 1_000_000, 60), ("b", 1, 500_000, 30)]);
    let fee = Delayed::new(1_000);
    l.now = t(NOW + 100);
    l.validators[0].actual = u(900_000);
    l.sync().unwrap();
    l.mark_observed().unwrap();
    let snapshot = l.state.snapshot.clone().unwrap();
    assert_eq!(snapshot.accrual_stake_seconds, u(0));
    assert_eq!(snapshot.booked, u(1_400_000));
    assert_eq!(
        usable_snapshot(&l.state, &ctx(&l.params, &fee, NOW + 100)).unwrap_err(),
        SyncNeeded::NoRateMeasured
    );
    // before an eighth of an epoch (125 s) nothing is measured yet
    l.now = t(NOW + 200);
    l.sync().unwrap();
    l.mark_observed().unwrap();
    assert_eq!(
        l.state.snapshot.as_ref().unwrap().accrual_stake_seconds,
        u(0)
    );
    // then the window's rewards over the stake as booked after the slash
    l.now = t(NOW + 250);
    l.validators[0].accrued = u(60 + 9);
    l.validators[1].accrued = u(30 + 5);
    l.sync().unwrap();
    l.mark_observed().unwrap();
    let snapshot = l.state.snapshot.clone().unwrap();
    assert_eq!(
        (snapshot.accrual, snapshot.accrual_stake_seconds),
        (u(14), u(1_400_000 * 150))
    );
    assert!(usable_snapshot(&l.state, &ctx(&l.params, &fee, NOW + 250)).is_ok());
}

/// A unit or so short on a delegation (a chain's share rounding, booked as a slash) keeps the
/// measurement: restarting it on every such unit would let anyone keep bonds on the full path.
#[test]
fn a_rounding_shortfall_keeps_the_rate_measurement() {
    let mut l = synced(&[
        ("a", 1, 1_000_000_000, 60_000),
        ("b", 1, 500_000_000, 30_000),
    ]);
    let measured = l.state.snapshot.clone().unwrap();
    l.now = t(NOW + 100);
    l.validators[0].actual = u(1_000_000_000 - 1);
    l.sync().unwrap();
    l.mark_observed().unwrap();
    let snapshot = l.state.snapshot.clone().unwrap();
    assert_eq!(snapshot.booked, u(1_500_000_000 - 1));
    assert_eq!(
        (snapshot.accrual, snapshot.accrual_stake_seconds),
        (measured.accrual, measured.accrual_stake_seconds)
    );
    // the threshold: more than a millionth of the stake
    assert!(!super::ledger::material_slash(u(1_500), u(1_500_000_000)));
    assert!(super::ledger::material_slash(u(1_501), u(1_500_000_000)));
    assert!(super::ledger::material_slash(Uint128::MAX, u(1)));
}

#[test]
fn a_bond_that_needs_a_sync_changes_nothing() {
    let l = synced(&[("a", 1, 1_000_000, 60), ("b", 1, 500_000, 30)]);
    type Setup = Box<dyn Fn(&mut State, &mut ValidatorPosition) -> (u64, Delayed<u16>)>;
    let cases: Vec<(&str, Setup, SyncNeeded, u128)> = vec![
        (
            "no snapshot",
            Box::new(|s, _| {
                s.snapshot = None;
                (NOW, Delayed::new(1_000))
            }),
            SyncNeeded::NoSnapshot,
            1_000,
        ),
        (
            "no rate measured yet",
            Box::new(|s, _| {
                s.snapshot.as_mut().unwrap().accrual_stake_seconds = Uint128::zero();
                (NOW, Delayed::new(1_000))
            }),
            SyncNeeded::NoRateMeasured,
            1_000,
        ),
        (
            "next epoch",
            Box::new(|_, _| (NOW + 1_000, Delayed::new(1_000))),
            SyncNeeded::NewEpoch,
            1_000,
        ),
        (
            "fee change due",
            Box::new(|_, _| {
                let mut fee = Delayed::new(1_000);
                fee.queue(500, t(NOW), 0);
                (NOW + 1, fee)
            }),
            SyncNeeded::FeeChangeDue,
            1_000,
        ),
        (
            "bunker",
            Box::new(|s, _| {
                s.bunker = Some(BunkerInfo {
                    since: t(NOW),
                    last_slash_at: t(NOW),
                    quiet_cranks: 0,
                });
                (NOW, Delayed::new(1_000))
            }),
            SyncNeeded::Bunker,
            1_000,
        ),
        (
            "deposit validator removed",
            Box::new(|_, d| {
                d.record.weight = 0;
                (NOW, Delayed::new(1_000))
            }),
            SyncNeeded::NoDepositValidator,
            1_000,
        ),
        (
            "deposit validator slashed",
            Box::new(|_, d| {
                d.actual = d.record.booked - u(1);
                (NOW, Delayed::new(1_000))
            }),
            SyncNeeded::SlashSeen,
            1_000,
        ),
        (
            "native arrived unbooked",
            Box::new(|s, _| {
                s.rewards_held = u(1);
                (NOW, Delayed::new(1_000))
            }),
            SyncNeeded::UnbookedBalance,
            1_000,
        ),
        (
            // b holds 500,000 of 1,500,000 at equal weights: 1,000,000 more takes it to
            // 1,500,000, above 110 % of its target of 1,250,000
            "deposit validator full",
            Box::new(|_, _| (NOW, Delayed::new(1_000))),
            SyncNeeded::DepositValidatorFull,
            1_000_000,
        ),
    ];
    for (name, setup, expected, amount) in cases {
        let mut state = l.state.clone();
        let mut deposit = deposit_after(&l, 5);
        let (now, fee) = setup(&mut state, &mut deposit);
        let (state_before, deposit_before) = (state.clone(), deposit.clone());
        let got = quick_bond(
            &mut state,
            &mut deposit,
            &ctx(&l.params, &fee, now),
            QuickFigures {
                lst_supply: l.lst_supply,
                balance: Uint128::zero(),
            },
            u(amount),
            None,
            None,
        )
        .unwrap();
        assert_eq!(got, Err(expected), "{name}");
        assert_eq!(state, state_before, "{name}: state changed");
        assert_eq!(deposit, deposit_before, "{name}: deposit changed");
    }
}

proptest! {
    /// Right after a saved sync, for any books, fee carry, pending batch and bond, the quick
    /// path mints exactly what the full path mints, and both refuse the same bonds.
    #[test]
    fn quick_and_full_agree_at_the_snapshot(
        stakes in proptest::collection::vec((0u64..5, 0u128..10_000_000_000, 0u128..10_000_000), 1..6),
        extra_supply in 0u128..1_000_000_000,
        pending_lst in 0u128..1_000_000,
        amount in 1u128..100_000_000_000,
        min_out in proptest::option::of(0u128..100_000_000_000),
    ) {
        let named: Vec<(String, u64, u128, u128)> = stakes
            .iter()
            .enumerate()
            .map(|(i, (w, b, a))| (format!("v{i}"), *w + u64::from(i == 0), *b, *a))
            .collect();
        let refs: Vec<(&str, u64, u128, u128)> =
            named.iter().map(|(n, w, b, a)| (n.as_str(), *w, *b, *a)).collect();
        let mut l = synced(&refs);
        l.lst_supply += u(extra_supply);
        l.state.pending_lst = u(pending_lst);
        l.mark_observed().unwrap();
        let full = l.clone().bond(u(amount), None, min_out.map(u)).map(|p| p.minted);
        let mut state = l.state.clone();
        let mut deposit = deposit_after(&l, 0);
        let quick = quick_bond(
            &mut state,
            &mut deposit,
            &ctx(&l.params, &l.fee, NOW),
            figures(&l),
            u(amount),
            None,
            min_out.map(u),
        );
        match quick {
            Ok(Ok(plan)) => prop_assert_eq!(full, Ok(plan.minted)),
            // sent to the full path: nothing to compare
            Ok(Err(_)) => {}
            Err(e) => prop_assert_eq!(full, Err(e)),
        }
    }
}
