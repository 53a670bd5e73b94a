//! Property tests of the registry's attack surface (issue 9):
//!
//! * executing a set of slash requests in any order slashes the same total: the sum of what each
//!   request was worth when made, whatever the per-epoch cap splits;
//! * a delegation made just before a reward payment and removed just after earns at most the
//!   stream for the seconds it was present; the long-term delegator gets the rest (less dust);
//! * made with another operator of the service, it weighs in the split between operators only
//!   by its stake x seconds before the payment.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::restaking_suite;
use proptest::prelude::*;
use tributary_testing::{RestakingSuite, DAY, REWARD_PERIOD};
use tributary_types::registry::{ExecuteMsg as RegistryMsg, SlashStatus};

/// `user` bonds `amount` native (one LST per native before any crank) and keeps the LST.
fn bond_lst(suite: &mut RestakingSuite, user: &str, amount: u128) {
    suite.fund(user, amount);
    suite.bond(user, amount).unwrap();
    assert_eq!(suite.lst_balance(user), amount);
}

/// Requests slashes of `fractions` (bps) at once, then every epoch executes every pending one
/// in `order` (indexes into `fractions`) until none is left. Returns the LST slashed by each
/// request and in total.
fn slash_in_order(stake: u128, fractions: &[u16], order: &[usize]) -> (Vec<u128>, u128, u128) {
    let (mut suite, svc) = restaking_suite();
    bond_lst(&mut suite, "alice", stake);
    suite.registry_delegate("alice", "op1", stake).unwrap();
    let ids: Vec<u64> = fractions
        .iter()
        .map(|bps| suite.request_slash("svc", svc, "op1", *bps).unwrap())
        .collect();
    suite.advance_time(2 * DAY);
    // at most 10 % per epoch, so ceil(sum / 1000) epochs execute everything
    let total_bps: u32 = fractions.iter().map(|b| u32::from(*b)).sum();
    let mut first_epoch = 0;
    for epoch in 0..total_bps.div_ceil(1_000) {
        for i in order {
            if suite.slash_request(ids[*i]).status == SlashStatus::Pending {
                let _ = suite.execute_slash(ids[*i]);
            }
        }
        if epoch == 0 {
            first_epoch = suite.service(svc).slashed.u128();
        }
        suite.advance_days(1);
    }
    let per_request: Vec<u128> = ids
        .iter()
        .map(|id| {
            let r = suite.slash_request(*id);
            assert_eq!(r.status, SlashStatus::Executed);
            assert_eq!(r.executed_bps, r.fraction_bps);
            r.slashed.u128()
        })
        .collect();
    let total = suite.service(svc).slashed.u128();
    assert_eq!(suite.lst_balance("svc-treasury"), total);
    assert_eq!(suite.operator("op1").stake.u128(), stake - total);
    (per_request, total, first_epoch)
}

fn fractions_and_order() -> impl Strategy<Value = (Vec<u16>, Vec<usize>)> {
    proptest::collection::vec(1u16..=2_500, 2..5).prop_flat_map(|fractions| {
        let n = fractions.len();
        (
            Just(fractions),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_execution_order_slashes_the_same_total(
        stake in 1_000_000u128..1_000_000_000_000_000,
        (fractions, order) in fractions_and_order(),
    ) {
        let in_id_order: Vec<usize> = (0..fractions.len()).collect();
        let (per_a, total_a, first_a) = slash_in_order(stake, &fractions, &in_id_order);
        let (per_b, total_b, first_b) = slash_in_order(stake, &fractions, &order);
        // each request slashes what it was worth when requested: its fraction of the 50 %
        // allocation of the stake then
        let allocation = stake * 5_000 / 10_000;
        let worth: Vec<u128> = fractions
            .iter()
            .map(|bps| allocation * u128::from(*bps) / 10_000)
            .collect();
        prop_assert_eq!(&per_a, &worth);
        prop_assert_eq!(&per_b, &worth);
        prop_assert_eq!(total_a, worth.iter().sum::<u128>());
        prop_assert_eq!(total_a, total_b);
        // the first epoch's cap (10 % of the allocation) binds the same way in both orders, up
        // to one unit of rounding per request
        let cap = allocation * 1_000 / 10_000;
        prop_assert!(first_a <= cap + fractions.len() as u128);
        prop_assert!(first_a.abs_diff(first_b) <= fractions.len() as u128);
    }

    #[test]
    fn a_delegation_around_a_payment_earns_at_most_its_seconds_of_the_stream(
        alice in 1_000_000u128..10_000_000_000_000,
        mallory in 1_000_000u128..10_000_000_000_000,
        payment in 1_000u128..1_000_000_000_000,
        before in 0u64..600,
        after in 0u64..7_200,
    ) {
        let (mut suite, svc) = restaking_suite();
        bond_lst(&mut suite, "alice", alice);
        bond_lst(&mut suite, "mallory", mallory);
        suite.registry_delegate("alice", "op1", alice).unwrap();
        suite.advance_days(30);
        // mallory delegates `before` seconds before the payment and undelegates `after` seconds
        // after it
        suite.registry_delegate("mallory", "op1", mallory).unwrap();
        suite.advance_time(before);
        suite.pay_service_rewards("svc", svc, payment).unwrap();
        suite.advance_time(after);
        let op1 = suite.addr("op1").to_string();
        let mallory_addr = suite.addr("mallory");
        let value = suite.registry_position(&mallory_addr).delegated_value;
        suite
            .registry_exec(
                "mallory",
                &RegistryMsg::Undelegate { operator: op1, amount: value },
                0,
            )
            .unwrap();
        // after the stream and the withdrawal delay
        suite.advance_days(9);
        suite
            .registry_exec("mallory", &RegistryMsg::CompleteUndelegations {}, 0)
            .unwrap();
        prop_assert_eq!(suite.lst_balance("mallory"), mallory);

        let net = payment - payment * 1_000 / 10_000;
        // one LST, one share in both delegations: mallory's part of `after` seconds of the stream
        let bound = net * u128::from(after) * mallory / (u128::from(REWARD_PERIOD) * (alice + mallory));
        let mallory_rewards = suite.registry_position(&mallory_addr).rewards.u128();
        prop_assert!(mallory_rewards <= bound, "{} > {}", mallory_rewards, bound);
        let alice_addr = suite.addr("alice");
        let alice_rewards = suite.registry_position(&alice_addr).rewards.u128();
        prop_assert!(alice_rewards + mallory_rewards <= net);
        // everything else went to alice, less accumulator dust
        prop_assert!(alice_rewards + mallory_rewards + 2 >= net, "{} + {} < {}", alice_rewards, mallory_rewards, net);
    }

    #[test]
    fn a_delegation_to_another_operator_around_a_payment_weighs_only_its_seconds(
        alice in 1_000_000u128..10_000_000_000_000,
        small in 1u128..1_000_000_000,
        mallory in 1_000_000u128..10_000_000_000_000,
        payment in 1_000u128..1_000_000_000_000,
        before in 0u64..600,
        after in 0u64..7_200,
    ) {
        let (mut suite, svc) = restaking_suite();
        suite.register_operator("op2", 1_000);
        suite.serve("op2", svc, 5_000);
        bond_lst(&mut suite, "alice", alice);
        bond_lst(&mut suite, "mallory", small + mallory);
        suite.registry_delegate("alice", "op1", alice).unwrap();
        suite.registry_delegate("mallory", "op2", small).unwrap();
        suite.advance_days(30);
        suite.registry_delegate("mallory", "op2", mallory).unwrap();
        suite.advance_time(before);
        suite.pay_service_rewards("svc", svc, payment).unwrap();
        suite.advance_time(after);
        let op2 = suite.addr("op2").to_string();
        suite
            .registry_exec(
                "mallory",
                &RegistryMsg::Undelegate { operator: op2, amount: mallory.into() },
                0,
            )
            .unwrap();
        suite.advance_days(9);

        // op2's weight: mallory's stake x seconds before the payment (both operators allocate
        // half, which cancels out); she is op2's only delegator and gets all of its part
        let long = u128::from(30 * DAY + before);
        let w1 = alice * long;
        let w2 = small * long + mallory * u128::from(before);
        let op2_share = payment - payment * w1 / (w1 + w2);
        let op2_net = op2_share - op2_share / 10;
        let mallory_addr = suite.addr("mallory");
        let got = suite.registry_position(&mallory_addr).rewards.u128();
        // halving each weight before the split may round each by a unit
        let slack = payment / (w1 + w2).max(1) + 2;
        prop_assert!(got <= op2_net + slack, "{} > {}", got, op2_net);
    }
}
