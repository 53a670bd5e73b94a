//! Random sequences across hub, registry and vault — deposits, withdrawals, claims, cranks,
//! service rewards, service and validator slashes, time — with invariants checked after every
//! step:
//!
//! * the vault's books equal what it holds and is owed: its reserve is exactly the finalized,
//!   unclaimed withdrawals, its pending LRT exactly the unfinalized ones, and its reported value
//!   is exactly the sum of its parts;
//! * the registry holds the LST and native it owes (operator pools, rewards, commissions);
//! * every LRT holder's redemption value is covered by the vault's value;
//! * a claim pays exactly what was finalized for the user, and finalization never pays more than
//!   the LRT's share of the vault;
//! * the value of an LRT (in native) falls only with a slash;
//! * a failed action changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::restaking_suite;
use cosmwasm_std::{Decimal, Uint128};
use proptest::prelude::*;
use tributary_math::SharePool;
use tributary_testing::{virtual_offset_effect, RestakingSuite, DAY};
use tributary_types::registry::SlashStatus;

const USERS: [&str; 3] = ["alice", "bob", "carol"];
/// Everyone with a vault position: the users and mallory, who only moves just in time.
const HOLDERS: [&str; 4] = ["alice", "bob", "carol", "mallory"];

#[derive(Clone, Debug)]
enum Action {
    Deposit {
        user: usize,
        amount: u128,
    },
    DepositLst {
        user: usize,
        amount: u128,
    },
    Withdraw {
        user: usize,
        percent: u128,
    },
    Claim {
        user: usize,
        unbond: bool,
    },
    VaultCrank,
    HubCrank,
    ServiceRewards {
        amount: u128,
    },
    RequestServiceSlash {
        bps: u16,
    },
    ExecuteSlashes,
    ValidatorSlash {
        percent: u64,
    },
    Advance {
        seconds: u64,
    },
    /// Nine days pass and both cranks run: withdrawals get finalized.
    Settle,
    /// Mallory deposits LST one block before the service pays `reward` and asks for all of it
    /// back one block after.
    JustInTime {
        lst: u128,
        reward: u128,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..3usize, 1_000u128..3_000_000_000).prop_map(|(user, amount)| Action::Deposit { user, amount }),
        2 => (0..3usize, 1_000u128..1_000_000_000).prop_map(|(user, amount)| Action::DepositLst { user, amount }),
        3 => (0..3usize, 1u128..=100).prop_map(|(user, percent)| Action::Withdraw { user, percent }),
        2 => (0..3usize, any::<bool>()).prop_map(|(user, unbond)| Action::Claim { user, unbond }),
        4 => Just(Action::VaultCrank),
        2 => Just(Action::HubCrank),
        2 => (1u128..200_000_000).prop_map(|amount| Action::ServiceRewards { amount }),
        1 => (1u16..=2_000).prop_map(|bps| Action::RequestServiceSlash { bps }),
        2 => Just(Action::ExecuteSlashes),
        1 => (1u64..=10).prop_map(|percent| Action::ValidatorSlash { percent }),
        4 => prop_oneof![Just(3_600u64), Just(DAY), Just(3 * DAY), Just(9 * DAY)]
            .prop_map(|seconds| Action::Advance { seconds }),
        3 => Just(Action::Settle),
        2 => (1_000_000u128..5_000_000_000, 1u128..200_000_000)
            .prop_map(|(lst, reward)| Action::JustInTime { lst, reward }),
    ]
}

/// The vault's pool of those who stay and the hub's pool, as (assets, shares) pairs.
fn pools(suite: &RestakingSuite) -> [(Uint128, Uint128); 2] {
    let v = suite.vault_state();
    let h = suite.state();
    [
        (v.total_value - v.queue_owed, v.lrt_supply),
        (h.total_native, h.lst_supply + h.pending_unbond_lst),
    ]
}

/// The virtual offset's effect on 1e9 LRT's native value across a step, from the pools before
/// and after it (the larger of the two, for each pool, doubled as in the soak).
fn offset_allowance(before: &[(Uint128, Uint128); 2], suite: &RestakingSuite) -> u128 {
    let after = pools(suite);
    before
        .iter()
        .zip(after.iter())
        .map(|(b, a)| virtual_offset_effect(b.0, b.1).max(virtual_offset_effect(a.0, a.1)))
        .sum::<u128>()
        * 2
}

/// Native value of 1e9 LRT now.
fn lrt_native_value(suite: &RestakingSuite) -> u128 {
    let v = suite.vault_state();
    let h = suite.state();
    let vault = SharePool::new(v.total_value - v.queue_owed, v.lrt_supply);
    let hub = SharePool::new(h.total_native, h.lst_supply + h.pending_unbond_lst);
    let lst = vault.value_of(Uint128::new(1_000_000_000)).unwrap();
    hub.value_of(lst).unwrap().u128()
}

fn check(suite: &RestakingSuite) {
    let rs = suite.restaking();
    let v = suite.vault_state();
    // the vault's books equal what it holds and is owed
    let positions: Vec<_> = HOLDERS.iter().map(|u| suite.position(u)).collect();
    let claimable: u128 = positions.iter().map(|p| p.claimable.u128()).sum();
    assert_eq!(
        v.reserved.u128(),
        claimable,
        "reserve != finalized withdrawals"
    );
    let unfinalized: u128 = positions
        .iter()
        .flat_map(|p| p.withdrawals.iter())
        .filter(|w| w.lst.is_none())
        .map(|w| w.lrt.u128())
        .sum();
    assert_eq!(v.pending_withdrawal_lrt.u128(), unfinalized);
    assert_eq!(
        suite.lst_balance_of(&rs.vault),
        v.idle.u128() + v.reserved.u128()
    );
    let parts = v.idle.u128()
        + v.operators.iter().map(|o| o.value.u128()).sum::<u128>()
        + v.undelegating.u128()
        + v.strategies.iter().map(|s| s.value.u128()).sum::<u128>()
        + v.rewards_value.u128();
    assert_eq!(
        v.total_value.u128() + v.withheld.u128(),
        parts,
        "value (recognised + withheld) != sum of its parts"
    );
    let reg = suite.registry_position(&rs.vault);
    assert_eq!(
        reg.delegated_value.u128(),
        v.operators.iter().map(|o| o.value.u128()).sum::<u128>()
    );

    // the registry holds what it owes
    let op1 = suite.operator("op1");
    assert!(suite.lst_balance_of(&rs.registry) >= op1.stake.u128());
    let owed_native = reg.rewards.u128() + op1.commission_unclaimed.u128();
    assert!(
        suite.native_balance_of(&rs.registry) >= owed_native,
        "registry cannot pay its rewards"
    );

    // every LRT holder and every request is covered
    let pool = SharePool::new(v.total_value - v.queue_owed, v.lrt_supply);
    assert!(pool.assets_for_redeem(pool.shares).unwrap() + v.queue_owed <= v.total_value);
    let caps: u128 = positions
        .iter()
        .flat_map(|p| p.withdrawals.iter())
        .filter(|w| w.lst.is_none())
        .map(|w| w.value_at_request.unwrap().u128())
        .sum();
    assert!(
        v.queue_owed.u128() <= caps,
        "the queue is owed more than it asked for"
    );
}

fn run(actions: Vec<Action>) {
    let (mut suite, svc) = restaking_suite();
    for u in HOLDERS {
        suite.fund(u, 100_000_000_000);
        suite.bond(u, 10_000_000_000).unwrap();
    }
    let mallory_start = suite.lst_balance("mallory");
    let mut pending_slashes: Vec<u64> = vec![];
    // mallory's share of what the vault earned while she held LRT (see the end)
    let mut mallory_allowance = 0u128;
    for action in actions {
        let user = match &action {
            Action::Deposit { user, .. }
            | Action::DepositLst { user, .. }
            | Action::Withdraw { user, .. }
            | Action::Claim { user, .. } => USERS[*user],
            _ => "alice",
        };
        let before_value = lrt_native_value(&suite);
        let before_vault = pools(&suite);
        let before_snapshot = suite.vault_snapshot(user);
        let claimable = suite.position(user).claimable.u128();
        let lst_before = suite.lst_balance(user);
        let result = match &action {
            Action::Deposit { amount, .. } => suite.vault_deposit(user, *amount).map(|_| ()),
            Action::DepositLst { amount, .. } => {
                suite.vault_deposit_lst(user, *amount, None).map(|_| ())
            }
            Action::Withdraw { percent, .. } => {
                let lrt = suite.lrt_balance(user) * percent / 100;
                suite.request_withdrawal(user, lrt).map(|_| ())
            }
            Action::Claim { unbond, .. } => suite.claim_withdrawals(user, *unbond).map(|_| ()),
            Action::VaultCrank => suite.vault_crank().map(|_| ()),
            Action::HubCrank => suite.crank().map(|_| ()),
            Action::ServiceRewards { amount } => {
                suite.pay_service_rewards("svc", svc, *amount).map(|_| ())
            }
            Action::RequestServiceSlash { bps } => {
                suite.request_slash("svc", svc, "op1", *bps).map(|id| {
                    pending_slashes.push(id);
                })
            }
            Action::ExecuteSlashes => {
                // a request the per-epoch cap splits stays pending until fully executed
                for id in pending_slashes.clone() {
                    let _ = suite.execute_slash(id);
                    if suite.slash_request(id).status != SlashStatus::Pending {
                        pending_slashes.retain(|p| *p != id);
                    }
                }
                Ok(())
            }
            Action::ValidatorSlash { percent } => {
                suite.slash_validator("validator1", Decimal::percent(*percent));
                Ok(())
            }
            Action::Advance { seconds } => {
                suite.advance_time(*seconds);
                Ok(())
            }
            Action::JustInTime { lst, reward } => {
                let _ = suite.vault_deposit_lst("mallory", *lst, None);
                let value_in = suite.vault_state().total_value.u128();
                suite.advance_time(5);
                let _ = suite.pay_service_rewards("svc", svc, *reward);
                suite.advance_time(5);
                let lrt = suite.lrt_balance("mallory");
                let v = suite.vault_state();
                // the LRT she holds over the supply: at least her share of what accrued (the
                // queue shares gains only below its caps, and then takes its part)
                let accrued = v.total_value.u128().saturating_sub(value_in);
                if !v.lrt_supply.is_zero() {
                    mallory_allowance += Uint128::new(accrued)
                        .multiply_ratio(lrt, v.lrt_supply)
                        .u128();
                }
                if lrt > 0 {
                    let _ = suite.request_withdrawal("mallory", lrt);
                }
                Ok(())
            }
            Action::Settle => {
                suite.advance_time(9 * DAY);
                let _ = suite.crank();
                suite.vault_crank().map(|_| ())
            }
        };
        if result.is_err() {
            assert_eq!(
                before_snapshot,
                suite.vault_snapshot(user),
                "{action:?} failed but changed state"
            );
            continue;
        }
        if let Action::Claim { unbond: false, .. } = action {
            assert_eq!(
                suite.lst_balance(user) - lst_before,
                claimable,
                "claim paid the wrong amount"
            );
        }
        check(&suite);
        let after_value = lrt_native_value(&suite);
        match action {
            Action::ExecuteSlashes
            | Action::ValidatorSlash { .. }
            | Action::RequestServiceSlash { .. } => {}
            // rounding, and the virtual offset's effect (as in the soak), which at a rate far
            // from one on a small vault is more than a few units: a longer run found a crank
            // lowering 1e9 LRT by 6 units at an LRT rate of 0.97 on 1.4 LRT
            _ => assert!(
                after_value + 3 + offset_allowance(&before_vault, &suite) >= before_value,
                "{action:?} lowered 1e9 LRT from {before_value} to {after_value} native"
            ),
        }
    }
    // mallory was never in the vault for more than the ten seconds around each payment: once
    // her requests are paid she holds no more LST than she started with, beyond her share (by
    // LRT, rounded down) of what the vault earned in those seconds. (This used to be a flat
    // 10,000 LST units, "5 s of 200 tokens over the 7-day period each time", which is wrong:
    // she holds for 10 s, and every payment of the last 7 days streams at once. In
    // `just_in_time_deposits_never_profit` 409 + 3,707 + 6,094 = 10,210 accrued in her three
    // windows, her share was 408 + 3,706 + 6,093 = 10,207, and she got 204 + 3,705 + 6,092 =
    // 10,001: each time less than her share, the rounding with those who stay.)
    for _ in 0..3 {
        suite.advance_time(9 * DAY);
        let _ = suite.crank();
        let _ = suite.vault_crank();
    }
    while suite.claim_withdrawals("mallory", false).is_ok() {}
    let mallory_end = suite.lst_balance("mallory") + suite.position("mallory").value.u128();
    assert!(
        mallory_end <= mallory_start + mallory_allowance,
        "mallory ends with {mallory_end} LST, above her {mallory_start} and her share \
         {mallory_allowance} of what the vault earned while she was in"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn restaking_invariants_hold_for_random_sequences(actions in proptest::collection::vec(action(), 1..30)) {
        run(actions);
    }
}

/// Found by the random test: a vault crank lowered 1e9 LRT from 1007618151 to 1007618051
/// native. The pending service slash (priced into the delegated value) left the withdrawal queue
/// just below its caps (owed 2,011,846,080 LST of 2,012,432,153) with the unharvested rewards
/// counted net of the fee; the crank split the pool with the fee (1,900,938 LST) still in it, which put the
/// queue at its cap, priced the fee against the stayers' smaller pool (1,904,006 LRT instead of
/// 1,903,558), and once those were minted the queue fell back below its cap: the fee's LRT were
/// worth ~446 LST more than the fee, taken from the queue and those who stay.
#[test]
fn a_vault_crank_charges_the_fee_on_the_books_the_ledger_kept() {
    run(vec![
        Action::DepositLst {
            user: 1,
            amount: 573_779_650,
        },
        Action::Settle,
        Action::Deposit {
            user: 0,
            amount: 701_004_447,
        },
        Action::Deposit {
            user: 0,
            amount: 1_665_553_394,
        },
        Action::JustInTime {
            lst: 1_000_002,
            reward: 149_146_967,
        },
        Action::Withdraw {
            user: 1,
            percent: 74,
        },
        Action::Advance { seconds: DAY },
        Action::RequestServiceSlash { bps: 1253 },
        Action::JustInTime {
            lst: 1_601_650_682,
            reward: 188_305_936,
        },
        Action::VaultCrank,
    ]);
}

#[test]
fn a_withdrawal_request_never_lowers_the_lrt_value() {
    run(vec![
        Action::Deposit {
            user: 1,
            amount: 27_260_309,
        },
        Action::VaultCrank,
        Action::Settle,
        Action::ServiceRewards { amount: 64_585 },
        Action::Settle,
        Action::Withdraw {
            user: 1,
            percent: 37,
        },
        Action::Deposit {
            user: 0,
            amount: 390_562_543,
        },
        Action::RequestServiceSlash { bps: 2 },
        Action::Withdraw {
            user: 0,
            percent: 1,
        },
    ]);
}

#[test]
fn just_in_time_deposits_never_profit() {
    run(vec![
        Action::Deposit {
            user: 1,
            amount: 1_000,
        },
        Action::Settle,
        Action::DepositLst {
            user: 0,
            amount: 1_000,
        },
        Action::JustInTime {
            lst: 1_000_000,
            reward: 61_589_394,
        },
        Action::ServiceRewards {
            amount: 132_725_728,
        },
        Action::JustInTime {
            lst: 1_856_877_679,
            reward: 169_709_391,
        },
        Action::JustInTime {
            lst: 3_053_053_395,
            reward: 189_174_018,
        },
    ]);
}

/// Three sequences a longer run (2,000 cases) of the random test once failed on, kept to check
/// they hold.
#[test]
fn sequences_found_by_longer_runs() {
    use Action::*;
    run(vec![
        DepositLst {
            user: 0,
            amount: 1_428_572,
        },
        Settle,
        RequestServiceSlash { bps: 1 },
        JustInTime {
            lst: 1_000_000,
            reward: 10_348_799,
        },
        ValidatorSlash { percent: 3 },
        Withdraw {
            user: 0,
            percent: 70,
        },
        VaultCrank,
    ]);
    run(vec![
        Deposit {
            user: 2,
            amount: 1_030_928,
        },
        VaultCrank,
        JustInTime {
            lst: 1_000_000,
            reward: 2_635_922,
        },
        Advance { seconds: 777_600 },
        Withdraw {
            user: 2,
            percent: 97,
        },
        Advance { seconds: 3_600 },
    ]);
    run(vec![
        Deposit {
            user: 0,
            amount: 177_710_712,
        },
        VaultCrank,
        RequestServiceSlash { bps: 647 },
        Withdraw {
            user: 0,
            percent: 1,
        },
        VaultCrank,
    ]);
}
