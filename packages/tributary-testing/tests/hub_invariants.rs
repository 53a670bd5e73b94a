//! Random sequences of bond / unbond / claim / crank / slash / time, with the protocol's
//! invariants checked after every step:
//!
//! * solvency: what the hub really has (chain delegations, rewards accrued on the chain, its
//!   balance less the claim reserve) covers its books, and its books cover every LST at the rate;
//!   the claim reserve is in the balance and covers every claimable request;
//! * the rate moves up only with rewards (time passing) and down only with slashing; bonding,
//!   unbonding, claiming and cranking move it by rounding only, and never down;
//! * a claim pays exactly what the query said was claimable;
//! * a failed action changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Decimal, Uint128};
use proptest::prelude::*;
use tributary_math::SharePool;
use tributary_testing::{Suite, SuiteBuilder};
use tributary_types::hub::BatchStatus;

const USERS: [&str; 3] = ["alice", "bob", "carol"];
const VALIDATORS: [&str; 3] = ["validator1", "validator2", "validator3"];

#[derive(Clone, Debug)]
enum Action {
    Bond { user: usize, amount: u128 },
    Unbond { user: usize, percent: u128 },
    Claim { user: usize },
    Crank,
    Slash { validator: usize, percent: u64 },
    Advance { seconds: u64 },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..3usize, 500u128..5_000_000_000).prop_map(|(user, amount)| Action::Bond { user, amount }),
        3 => (0..3usize, 1u128..=100).prop_map(|(user, percent)| Action::Unbond { user, percent }),
        2 => (0..3usize).prop_map(|user| Action::Claim { user }),
        3 => Just(Action::Crank),
        1 => (0..3usize, 1u64..=30).prop_map(|(validator, percent)| Action::Slash { validator, percent }),
        4 => prop_oneof![Just(3_600u64), Just(86_400u64), Just(3 * 86_400), Just(11 * 86_400)]
            .prop_map(|seconds| Action::Advance { seconds }),
    ]
}

fn pool(suite: &Suite) -> SharePool {
    let s = suite.state();
    SharePool::new(s.total_native, s.lst_supply + s.pending_unbond_lst)
}

/// What the hub really has, from the chain: delegations, accrued rewards, free balance.
fn real_assets(suite: &Suite) -> u128 {
    let hub = suite.hub.clone();
    let delegations = suite.app.wrap().query_all_delegations(&hub).unwrap();
    let mut total = 0u128;
    for d in delegations {
        let full = suite
            .app
            .wrap()
            .query_delegation(&hub, d.validator)
            .unwrap()
            .unwrap();
        total += full.amount.amount.u128();
        total += full
            .accumulated_rewards
            .iter()
            .map(|c| c.amount.u128())
            .sum::<u128>();
    }
    total + suite.native_balance_of(&hub) - suite.state().unclaimed_reserve.u128()
}

fn check_solvency(suite: &Suite) {
    let state = suite.state();
    let books = state.total_native.u128();
    let real = real_assets(suite);
    assert!(
        books <= real,
        "books {books} exceed what the hub has {real}"
    );
    let p = pool(suite);
    let all_lst = p.assets_for_redeem(p.shares).unwrap().u128();
    assert!(
        all_lst <= books,
        "all LST redeem for {all_lst}, books hold {books}"
    );
    let reserve = state.unclaimed_reserve.u128();
    assert!(reserve <= suite.native_balance_of(&suite.hub.clone()));
    let claimable: u128 = USERS
        .iter()
        .map(|u| suite.unbond_requests(u).claimable.u128())
        .sum();
    assert!(
        claimable <= reserve,
        "claimable {claimable} above reserve {reserve}"
    );
    for b in suite.batches() {
        if b.status == BatchStatus::Claimable {
            assert!(b.native_claimed <= b.native_amount);
        }
    }
}

fn run(actions: Vec<Action>) {
    let mut builder = SuiteBuilder::new().with_fee_bps(500);
    for u in USERS {
        builder = builder.with_funds(u, 100_000_000_000_000);
    }
    let mut suite = builder.build();
    for action in actions {
        let before = pool(&suite);
        let user = match &action {
            Action::Bond { user, .. } | Action::Unbond { user, .. } | Action::Claim { user } => {
                USERS[*user]
            }
            _ => "alice",
        };
        let snapshot = suite.snapshot(user);
        let claimable = suite.unbond_requests(user).claimable.u128();
        let native_before = suite.native_balance(user);
        let result = match &action {
            Action::Bond { amount, .. } => suite.bond(user, *amount).map(|_| ()),
            Action::Unbond { percent, .. } => {
                let lst = suite.lst_balance(user) * percent / 100;
                suite.unbond(user, lst).map(|_| ())
            }
            Action::Claim { .. } => suite.claim(user).map(|_| ()),
            Action::Crank => suite.crank().map(|_| ()),
            Action::Slash { validator, percent } => {
                suite.slash_validator(VALIDATORS[*validator], Decimal::percent(*percent));
                Ok(())
            }
            Action::Advance { seconds } => {
                suite.advance_time(*seconds);
                Ok(())
            }
        };
        if result.is_err() {
            assert_eq!(
                snapshot,
                suite.snapshot(user),
                "{action:?} failed but changed state"
            );
            continue;
        }
        if let Action::Claim { .. } = action {
            assert_eq!(suite.native_balance(user) - native_before, claimable);
        }
        check_solvency(&suite);

        let after = pool(&suite);
        let order = after.cmp_rate(&before).unwrap();
        match action {
            Action::Slash { .. } => {
                assert_ne!(order, std::cmp::Ordering::Greater, "slash raised the rate")
            }
            Action::Advance { .. } => {
                assert_ne!(order, std::cmp::Ordering::Less, "time lowered the rate")
            }
            _ => {
                assert_ne!(
                    order,
                    std::cmp::Ordering::Less,
                    "{action:?} lowered the rate"
                );
                // and it moved by rounding only: a reference holding changes by at most a few units
                let reference = Uint128::new(1_000_000_000);
                let value = |p: &SharePool| {
                    SharePool::new(p.assets, p.shares.max(reference))
                        .assets_for_redeem(reference)
                        .unwrap()
                        .u128()
                };
                if before.shares >= reference && after.shares >= reference {
                    let gain = value(&after).saturating_sub(value(&before));
                    assert!(gain <= 5, "{action:?} raised a 1e9 LST holding by {gain}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn hub_invariants_hold_for_random_sequences(actions in proptest::collection::vec(action(), 1..40)) {
        run(actions);
    }
}
