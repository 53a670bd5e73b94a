//! The registry's bounds on every loop a user can grow, and its reward stream in exact numbers:
//!
//! * a service has at most `MAX_OPERATORS_PER_SERVICE` operators, which it approves;
//! * an operator serves at most `MAX_SERVICES_PER_OPERATOR` services;
//! * a delegator has at most `MAX_OPERATORS_PER_DELEGATOR` positions;
//! * undelegations merge per operator and epoch, and `CompleteUndelegations` pays at most
//!   `MAX_COMPLETIONS_PER_CALL` entries per call, the rest on the next call;
//! * a payment made during a stream spreads what is left plus the new amount over a fresh
//!   period; a stream nobody earns from waits for stake and restarts over a fresh period.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::restaking_suite;
use cosmwasm_std::Uint128;
use tributary_restaking_registry::ContractError as Registry;
use tributary_testing::{event_attr, Expected, RegistryError, RestakingSuite, DAY, REWARD_PERIOD};
use tributary_types::registry::{
    ExecuteMsg as RegistryMsg, MAX_COMPLETIONS_PER_CALL, MAX_OPERATORS_PER_DELEGATOR,
    MAX_OPERATORS_PER_SERVICE, MAX_SERVICES_PER_OPERATOR,
};

fn bond_lst(suite: &mut RestakingSuite, user: &str, amount: u128) {
    suite.fund(user, amount);
    suite.bond(user, amount).unwrap();
}

fn undelegate(suite: &mut RestakingSuite, user: &str, operator: &str, amount: u128) -> u64 {
    let operator = suite.addr(operator).to_string();
    let res = suite
        .registry_exec(
            user,
            &RegistryMsg::Undelegate {
                operator,
                amount: Uint128::new(amount),
            },
            0,
        )
        .unwrap();
    // a timestamp attribute reads "seconds.nanoseconds"
    let at = event_attr(&res, "completes_at").unwrap();
    at.split('.').next().unwrap().parse().unwrap()
}

fn rewards_of(suite: &RestakingSuite, user: &str) -> u128 {
    let addr = suite.addr(user);
    suite.registry_position(&addr).rewards.u128()
}

#[test]
fn a_service_has_at_most_its_maximum_of_operators_and_approves_each() {
    let (mut suite, svc) = restaking_suite();
    // op1 already serves it; fill it up
    for i in 1..MAX_OPERATORS_PER_SERVICE {
        let name = format!("operator{i}");
        suite.register_operator(&name, 0);
        suite.serve(&name, svc, 100);
    }
    assert_eq!(suite.service(svc).operators, MAX_OPERATORS_PER_SERVICE);
    suite.register_operator("late", 0);
    suite.approve_operator(svc, "late").unwrap();
    let too_many = RegistryError::TooManyOperators {
        service: svc,
        max: MAX_OPERATORS_PER_SERVICE,
    };
    suite.assert_restaking_fails_unchanged("late", too_many, |s| {
        s.registry_exec("late", &RegistryMsg::OptIn { service: svc }, 0)
    });
    // the admin revokes one: it is opted out with the usual delay (slashable until then)
    let operator1 = suite.addr("operator1").to_string();
    let res = suite
        .registry_exec(
            "svc",
            &RegistryMsg::RevokeOperator {
                service: svc,
                operator: operator1,
            },
            0,
        )
        .unwrap();
    assert!(event_attr(&res, "opt_out_at").is_some());
    // still slashable until then (operator1 has no stake: nothing to take)
    let err = suite
        .request_slash("svc", svc, "operator1", 100)
        .unwrap_err();
    Expected::from(RegistryError::NothingLeftToSlash {
        operator: suite.addr("operator1").to_string(),
    })
    .check(&err);
    // once the opt-out took effect the place is free again
    suite.advance_days(7);
    suite
        .registry_exec("late", &RegistryMsg::OptIn { service: svc }, 0)
        .unwrap();
    assert_eq!(suite.service(svc).operators, MAX_OPERATORS_PER_SERVICE);
    // and operator1, no longer approved, cannot come back
    let not_approved = Registry::OperatorNotApproved { service: svc };
    suite.assert_restaking_fails_unchanged("operator1", not_approved, |s| {
        s.registry_exec("operator1", &RegistryMsg::OptIn { service: svc }, 0)
    });
}

#[test]
fn a_delegator_has_at_most_its_maximum_of_positions() {
    let (mut suite, _) = restaking_suite();
    bond_lst(&mut suite, "alice", 1_000_000_000);
    let mut names = vec!["op1".to_string()];
    for i in 1..=MAX_OPERATORS_PER_DELEGATOR {
        let name = format!("operator{i}");
        suite.register_operator(&name, 0);
        names.push(name);
    }
    for name in names.iter().take(MAX_OPERATORS_PER_DELEGATOR as usize) {
        suite.registry_delegate("alice", name, 1_000_000).unwrap();
    }
    let last = names[MAX_OPERATORS_PER_DELEGATOR as usize].clone();
    let too_many = Registry::TooManyPositions {
        max: MAX_OPERATORS_PER_DELEGATOR,
    };
    suite.assert_restaking_fails_unchanged("alice", too_many, |s| {
        s.registry_delegate("alice", &last, 1_000_000)
    });
    // leaving one position entirely frees its place
    undelegate(&mut suite, "alice", "op1", 1_000_000);
    suite.advance_days(8);
    suite
        .registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap();
    suite.registry_delegate("alice", &last, 1_000_000).unwrap();
}

#[test]
fn undelegations_merge_per_epoch_and_complete_a_page_per_call() {
    let (mut suite, _) = restaking_suite();
    bond_lst(&mut suite, "alice", 1_000_000_000);
    let mut names = vec!["op1".to_string()];
    for i in 1..MAX_OPERATORS_PER_DELEGATOR {
        let name = format!("operator{i}");
        suite.register_operator(&name, 0);
        names.push(name);
    }
    for name in &names {
        suite.registry_delegate("alice", name, 10_000_000).unwrap();
    }
    // two undelegations to each operator in the same epoch merge into one entry, and their
    // completion is the end of the epoch in which the 7-day delay ends
    let now = suite.app.block_info().time.seconds();
    let expected_at = (now + 7 * DAY).div_ceil(DAY) * DAY;
    for name in &names {
        assert_eq!(
            undelegate(&mut suite, "alice", name, 1_000_000),
            expected_at
        );
        assert_eq!(
            undelegate(&mut suite, "alice", name, 1_000_000),
            expected_at
        );
    }
    let alice = suite.addr("alice");
    assert_eq!(
        suite.registry_position(&alice).undelegations.len(),
        names.len()
    );
    // another epoch: a second entry per operator
    suite.advance_days(1);
    for name in &names {
        undelegate(&mut suite, "alice", name, 1_000_000);
    }
    let entries = suite.registry_position(&alice).undelegations.len();
    assert_eq!(entries, 2 * names.len());
    assert!(entries > MAX_COMPLETIONS_PER_CALL as usize);

    suite.advance_days(8);
    let res = suite
        .registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap();
    assert_eq!(
        event_attr(&res, "entries").unwrap(),
        MAX_COMPLETIONS_PER_CALL.to_string()
    );
    let res = suite
        .registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap();
    assert_eq!(
        event_attr(&res, "entries").unwrap(),
        (entries - MAX_COMPLETIONS_PER_CALL as usize).to_string()
    );
    assert_eq!(suite.lst_balance("alice"), 1_000_000_000 - 20 * 7_000_000);
    suite.assert_restaking_fails_unchanged("alice", Registry::NothingToComplete {}, |s| {
        s.registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
    });
}

#[test]
fn a_payment_during_a_stream_spreads_the_rest_and_itself_over_a_fresh_period() {
    let (mut suite, svc) = restaking_suite();
    bond_lst(&mut suite, "alice", 1_000_000_000);
    suite
        .registry_delegate("alice", "op1", 1_000_000_000)
        .unwrap();
    // the service pays a day later
    suite.advance_days(1);
    let period = u128::from(REWARD_PERIOD);
    // 70,000,000 paid, 63,000,000 net of op1's 10 % commission
    suite.pay_service_rewards("svc", svc, 70_000_000).unwrap();
    suite.advance_days(1);
    let first_day = 63_000_000 * u128::from(DAY) / period;
    assert_eq!(first_day, 9_000_000);
    assert_eq!(rewards_of(&suite, "alice"), first_day);
    // a second payment: the 54,000,000 left plus 63,000,000 stream over a fresh week
    suite.pay_service_rewards("svc", svc, 70_000_000).unwrap();
    let op1 = suite.operator("op1");
    assert_eq!(op1.rewards_streaming.u128(), 54_000_000 + 63_000_000);
    assert_eq!(
        op1.stream_ends_at,
        suite.app.block_info().time.plus_seconds(REWARD_PERIOD)
    );
    assert_eq!(op1.commission_unclaimed.u128(), 14_000_000);
    suite.advance_days(1);
    let second_day = 117_000_000 * u128::from(DAY) / period;
    assert_eq!(rewards_of(&suite, "alice"), first_day + second_day);
    suite.advance_days(6);
    assert_eq!(rewards_of(&suite, "alice"), 126_000_000);
    let before = suite.native_balance("alice");
    suite
        .registry_exec("alice", &RegistryMsg::ClaimRewards {}, 0)
        .unwrap();
    assert_eq!(suite.native_balance("alice") - before, 126_000_000);
}

#[test]
fn a_stream_nobody_earns_from_restarts_over_a_fresh_period() {
    let (mut suite, svc) = restaking_suite();
    bond_lst(&mut suite, "alice", 1_000_000_000);
    bond_lst(&mut suite, "bob", 1_000_000_000);
    suite
        .registry_delegate("alice", "op1", 1_000_000_000)
        .unwrap();
    suite.advance_days(1);
    suite.pay_service_rewards("svc", svc, 70_000_000).unwrap();
    suite.advance_days(1);
    // alice leaves after a day: 9,000,000 earned; her withdrawing stake earns nothing more
    undelegate(&mut suite, "alice", "op1", 1_000_000_000);
    assert_eq!(rewards_of(&suite, "alice"), 9_000_000);
    suite.advance_days(10);
    assert_eq!(rewards_of(&suite, "alice"), 9_000_000);
    assert_eq!(suite.operator("op1").rewards_streaming.u128(), 54_000_000);
    // bob joins long after the stream would have ended: the 54,000,000 left stream to him over
    // a fresh week, not at once
    suite
        .registry_delegate("bob", "op1", 1_000_000_000)
        .unwrap();
    assert_eq!(rewards_of(&suite, "bob"), 0);
    suite.advance_days(1);
    assert_eq!(rewards_of(&suite, "bob"), 54_000_000 / 7);
    suite.advance_days(6);
    assert_eq!(rewards_of(&suite, "bob"), 54_000_000);
}

#[test]
fn an_operator_serves_at_most_its_maximum_of_services() {
    let (mut suite, _) = restaking_suite();
    // op1 already serves one service
    for i in 1..MAX_SERVICES_PER_OPERATOR {
        let admin = format!("service{i}");
        let id = suite.register_service(&admin, 100, DAY);
        suite.approve_operator(id, "op1").unwrap();
        suite
            .registry_exec("op1", &RegistryMsg::OptIn { service: id }, 0)
            .unwrap();
    }
    assert_eq!(
        suite.operator("op1").allocations.len(),
        MAX_SERVICES_PER_OPERATOR as usize
    );
    let extra = suite.register_service("extra", 100, DAY);
    suite.approve_operator(extra, "op1").unwrap();
    let too_many = RegistryError::TooManyServices {
        max: MAX_SERVICES_PER_OPERATOR,
    };
    suite.assert_restaking_fails_unchanged("op1", too_many, |s| {
        s.registry_exec("op1", &RegistryMsg::OptIn { service: extra }, 0)
    });
}
