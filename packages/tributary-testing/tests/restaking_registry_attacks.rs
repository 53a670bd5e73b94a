//! Regression tests for the registry findings of issue 9: each performs the attack with the
//! issue's numbers and asserts it no longer pays.
//!
//! * Medium 3: a delegation made just before a reward payment and removed just after earns only
//!   the stream for the seconds it was at risk; the long-term delegator keeps the rest.
//! * Low 5: the order in which slash requests are executed (and who executes them) does not
//!   change what is slashed; a request larger than the epoch's room carries over.
//! * Low 6: a veto window must end at least one epoch before stake can leave.
//! * Dust griefing: operators opt in only with the service's consent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{restaking_suite, veto_window_too_long};
use tributary_restaking_registry::ContractError as Registry;
use tributary_testing::{event_attr, Expected, RegistryError, RestakingSuite, DAY};
use tributary_types::registry::{ExecuteMsg as RegistryMsg, SlashStatus};

/// One token, in base units.
const TOKEN: u128 = 1_000_000;
/// Seconds over which the test registry streams each payment (its `reward_period`).
const REWARD_PERIOD: u128 = tributary_testing::REWARD_PERIOD as u128;

/// `user` bonds `amount` native at the hub (one LST per native at genesis).
fn bond_lst(suite: &mut RestakingSuite, user: &str, amount: u128) {
    suite.fund(user, amount);
    suite.bond(user, amount).unwrap();
    assert_eq!(suite.lst_balance(user), amount);
}

/// `user` delegates `amount` LST it already holds to op1 in the registry.
fn delegate_lst_bonded(suite: &mut RestakingSuite, user: &str, amount: u128) {
    suite.registry_delegate(user, "op1", amount).unwrap();
}

/// `user` bonds `amount` native at the hub and delegates the LST to op1 in the registry.
fn delegate_lst(suite: &mut RestakingSuite, user: &str, amount: u128) {
    bond_lst(suite, user, amount);
    suite.registry_delegate(user, "op1", amount).unwrap();
}

fn rewards_of(suite: &RestakingSuite, user: &str) -> u128 {
    let addr = suite.addr(user);
    suite.registry_position(&addr).rewards.u128()
}

fn undelegate_all(suite: &mut RestakingSuite, user: &str) {
    let addr = suite.addr(user);
    let value = suite.registry_position(&addr).delegated_value.u128();
    let operator = suite.addr("op1").to_string();
    suite
        .registry_exec(
            user,
            &RegistryMsg::Undelegate {
                operator,
                amount: value.into(),
            },
            0,
        )
        .unwrap();
}

/// Medium 3, registry: alice has 5,000 LST with op1 for 30 days; mallory delegates 5,000 LST just
/// before the service pays 500 tokens and undelegates one block (5 s) later. Before the fix each
/// got 225 tokens. Now the 450 net of commission stream over the reward period: mallory earns
/// her half of 5 seconds of it, alice the rest.
#[test]
fn a_delegation_around_a_payment_earns_only_the_seconds_it_was_at_risk() {
    let (mut suite, svc) = restaking_suite();
    delegate_lst(&mut suite, "alice", 5_000 * TOKEN);
    bond_lst(&mut suite, "mallory", 5_000 * TOKEN);
    suite.advance_days(30);
    suite
        .registry_delegate("mallory", "op1", 5_000 * TOKEN)
        .unwrap();
    suite.pay_service_rewards("svc", svc, 500 * TOKEN).unwrap();
    // op1's 10 % commission is taken on the payment; 450 tokens stream to its delegators
    assert_eq!(
        suite.operator("op1").commission_unclaimed.u128(),
        50 * TOKEN
    );
    let net = 450 * TOKEN;
    // nothing has accrued in the block of the payment
    assert_eq!(rewards_of(&suite, "mallory"), 0);
    assert_eq!(rewards_of(&suite, "alice"), 0);

    suite.advance_time(5);
    undelegate_all(&mut suite, "mallory");
    // 5 seconds of the stream, shared by 5e9 + 5e9 equal shares
    let released = net * 5 / REWARD_PERIOD;
    assert_eq!(released, 3_720);
    let mallory_earned = released / 2;
    assert_eq!(rewards_of(&suite, "mallory"), mallory_earned);

    // her withdrawing shares stop earning: after the whole period (and the withdrawal delay,
    // which ends at the end of an epoch) she still has 1,860 units
    suite.advance_days(8);
    assert_eq!(rewards_of(&suite, "mallory"), mallory_earned);
    let mallory = suite.addr("mallory");
    suite
        .registry_exec("mallory", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap();
    suite
        .registry_exec("mallory", &RegistryMsg::ClaimRewards {}, 0)
        .unwrap();
    assert_eq!(suite.native_balance_of(&mallory), mallory_earned);
    assert_eq!(suite.lst_balance("mallory"), 5_000 * TOKEN);
    // alice, alone after those 5 seconds, earns everything else
    assert_eq!(
        rewards_of(&suite, "alice"),
        mallory_earned + (net - released)
    );
    assert_eq!(rewards_of(&suite, "alice"), 449_998_140);
}

/// Medium 3, vault: the vault counts the registry's reported rewards in the LRT rate; a payment
/// must not step the rate up (a deposit one block earlier would capture it), it accrues smoothly.
#[test]
fn a_payment_raises_the_lrt_rate_smoothly_not_in_a_step() {
    let (mut suite, svc) = restaking_suite();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    // the service pays a day later for that day
    suite.advance_days(1);
    let vault = suite.restaking().vault;
    let before = suite.vault_state();
    suite.pay_service_rewards("svc", svc, 100_000_000).unwrap();
    assert_eq!(suite.vault_state().rate, before.rate, "the rate stepped up");
    assert_eq!(suite.registry_position(&vault).rewards.u128(), 0);
    // one day later, one seventh of the 90,000,000 net of commission has accrued
    suite.advance_days(1);
    let accrued = 90_000_000u128 * DAY as u128 / REWARD_PERIOD;
    assert_eq!(accrued, 12_857_142);
    assert_eq!(suite.registry_position(&vault).rewards.u128(), accrued);
    assert_eq!(suite.vault_state().rewards_native.u128(), accrued);
    // after the period, all of it
    suite.advance_days(6);
    assert_eq!(suite.registry_position(&vault).rewards.u128(), 90_000_000);
}

/// Every pending request that can execute now is executed, in `order`.
fn execute_in_order(suite: &mut RestakingSuite, order: &[u64]) {
    for id in order {
        if suite.slash_request(*id).status == SlashStatus::Pending {
            let _ = suite.execute_slash(*id);
        }
    }
}

/// Low 5: op1 holds 5,000 LST (alice's), half allocated to the service, which may slash 10 % of
/// the allocation per epoch. It requests 1 % and 10 %. Before the fix, executing the 1 % first
/// slashed 248.875 LST in total (the 10 % was cut to 9 % and closed), the other order 273.75.
/// Now each request is worth its fraction of the allocation when requested (25 and 250 LST),
/// the per-epoch cap only delays the rest, and both orders slash 275 LST.
#[test]
fn slash_requests_slash_the_same_whatever_the_execution_order() {
    let mut totals = vec![];
    for first_small in [true, false] {
        let (mut suite, svc) = restaking_suite();
        delegate_lst(&mut suite, "alice", 5_000 * TOKEN);
        let small = suite.request_slash("svc", svc, "op1", 100).unwrap();
        let large = suite.request_slash("svc", svc, "op1", 1_000).unwrap();
        let order = if first_small {
            [small, large]
        } else {
            [large, small]
        };
        suite.advance_time(2 * DAY);
        execute_in_order(&mut suite, &order);
        // this epoch: exactly the cap, 10 % of the 2,500 LST allocated
        assert_eq!(suite.service(svc).slashed.u128(), 250 * TOKEN);
        // later epochs: the remainder, whoever executes it
        for _ in 0..2 {
            suite.advance_days(1);
            execute_in_order(&mut suite, &order);
        }
        let allocated = 5_000 * TOKEN / 2;
        let expected = allocated / 100 + allocated / 10;
        assert_eq!(expected, 275 * TOKEN);
        assert_eq!(suite.service(svc).slashed.u128(), expected);
        assert_eq!(suite.lst_balance("svc-treasury"), expected);
        assert_eq!(suite.slash_request(small).status, SlashStatus::Executed);
        assert_eq!(suite.slash_request(large).status, SlashStatus::Executed);
        assert_eq!(suite.slash_request(small).slashed.u128(), 25 * TOKEN);
        assert_eq!(suite.slash_request(large).slashed.u128(), 250 * TOKEN);
        totals.push(suite.operator("op1").stake.u128());
    }
    assert_eq!(totals, vec![4_725 * TOKEN, 4_725 * TOKEN]);
}

fn register_service_with_window(
    suite: &mut RestakingSuite,
    veto_window: u64,
) -> anyhow::Result<u64> {
    let res = suite.registry_exec(
        "svc2",
        &RegistryMsg::RegisterService {
            name: "svc2".to_string(),
            reward_rate_bps: 500,
            max_slash_bps_per_epoch: 10_000,
            veto_window,
            resolver: suite.addr("svc2-resolver").to_string(),
            slash_destination: suite.addr("svc2-treasury").to_string(),
        },
        0,
    )?;
    Ok(event_attr(&res, "service_id").unwrap().parse().unwrap())
}

/// Low 6: with a veto window equal to the 7-day withdrawal delay, alice undelegated all 5,000 LST
/// in the block of the request and a 2,500 LST slash executed for 0. Such a window is now
/// refused: it must end at least one epoch (a day here) before stake can leave. At the longest
/// window allowed, the slash executes while her stake is still in the pool.
#[test]
fn a_veto_window_must_end_an_epoch_before_stake_can_leave() {
    let (mut suite, _) = restaking_suite();
    let delay = 7 * DAY;
    for window in [delay, delay - DAY + 1] {
        suite.assert_restaking_fails_unchanged("svc2", veto_window_too_long(window), |s| {
            let res = register_service_with_window(s, window);
            res.map(|_| cw_multi_test::AppResponse::default())
        });
    }
    let svc2 = register_service_with_window(&mut suite, delay - DAY).unwrap();
    suite.serve("op1", svc2, 5_000);
    delegate_lst(&mut suite, "alice", 5_000 * TOKEN);

    let id = suite.request_slash("svc2", svc2, "op1", 10_000).unwrap();
    undelegate_all(&mut suite, "alice");
    suite.advance_time(delay - DAY);
    // alice cannot leave yet; the slash executes: all of the 2,500 LST allocation
    let err = suite
        .registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap_err();
    Expected::from(Registry::NothingToComplete {}).check(&err);
    let res = suite.execute_slash(id).unwrap();
    assert_eq!(
        event_attr(&res, "slashed").unwrap(),
        (2_500 * TOKEN).to_string()
    );
    suite.advance_days(2);
    suite
        .registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap();
    assert_eq!(suite.lst_balance("alice"), 2_500 * TOKEN);
}

/// Dust griefing / reward capture: mallory registers as an operator and opts in to the service
/// without its consent, so that a payment is split with her stake. Opting in now needs the
/// service admin's approval.
#[test]
fn an_operator_cannot_opt_in_without_the_services_consent() {
    let (mut suite, svc) = restaking_suite();
    suite.register_operator("mallory", 0);
    let not_approved = Registry::OperatorNotApproved { service: svc };
    suite.assert_restaking_fails_unchanged("mallory", not_approved, |s| {
        s.registry_exec("mallory", &RegistryMsg::OptIn { service: svc }, 0)
    });
}

/// Low 5 and the review's follow-up: stake that was in the pool when a slash was requested
/// cannot leave before the slash is resolved, however long the per-epoch cap spreads it (the
/// review measured, with a 100 % request spread over ten epochs, bob leaving with 3,500 while
/// alice, who stayed, kept 2,500, and the service short by 1,000). alice and bob have 5,000 LST
/// each with op1; a 20 % request (1,000 LST: 20 % of the 5,000 allocated) executes half in its
/// first epoch; bob's undelegation, due before the second half, is held until it executes; both
/// pay half.
#[test]
fn stake_present_at_a_request_cannot_leave_before_it_is_resolved() {
    let (mut suite, svc) = restaking_suite();
    delegate_lst(&mut suite, "alice", 5_000 * TOKEN);
    delegate_lst(&mut suite, "bob", 5_000 * TOKEN);
    let id = suite.request_slash("svc", svc, "op1", 2_000).unwrap();
    assert_eq!(suite.slash_request(id).amount.u128(), 1_000 * TOKEN);
    // positions are priced net of the pending slash at once
    let alice = suite.addr("alice");
    assert_eq!(
        suite.registry_position(&alice).delegated_value.u128(),
        4_500 * TOKEN
    );
    undelegate_all(&mut suite, "bob");
    suite.advance_time(2 * DAY);
    let res = suite.execute_slash(id).unwrap();
    assert_eq!(
        event_attr(&res, "slashed").unwrap(),
        (500 * TOKEN).to_string()
    );
    // bob's undelegation is due, but held while the rest is pending
    suite.advance_days(6);
    let bob = suite.addr("bob");
    assert_eq!(suite.registry_position(&bob).completable_value.u128(), 0);
    let err = suite
        .registry_exec("bob", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap_err();
    Expected::from(Registry::HeldBySlash {}).check(&err);
    let res = suite.execute_slash(id).unwrap();
    assert_eq!(
        event_attr(&res, "slashed").unwrap(),
        (500 * TOKEN).to_string()
    );
    assert_eq!(suite.slash_request(id).status, SlashStatus::Executed);
    suite
        .registry_exec("bob", &RegistryMsg::CompleteUndelegations {}, 0)
        .unwrap();
    // both lost 10 % of their 5,000 LST (20 % of a 50 % allocation); the service got it all
    assert_eq!(suite.lst_balance("bob"), 4_500 * TOKEN);
    assert_eq!(
        suite.registry_position(&alice).delegated_value.u128(),
        4_500 * TOKEN
    );
    assert_eq!(suite.service(svc).slashed.u128(), 1_000 * TOKEN);
}

/// Review findings: a slash's amount is fixed when requested. A delegation made while it was
/// pending was first minted at the old price and then paid most of it (bob, 10,000 LST, lost
/// 100 of a 1,000 slash; alice, delegating 90,000 after the request, 900); minted at the price
/// after it, it took what a veto gave back (+256 of a 500 request, +3,333 of a 5,000 one). Now
/// nobody enters an operator while a slash is pending: bob, who was there, pays it all.
#[test]
fn nobody_delegates_to_an_operator_while_a_slash_is_pending() {
    let (mut suite, svc) = restaking_suite();
    delegate_lst(&mut suite, "bob", 10_000 * TOKEN);
    let id = suite.request_slash("svc", svc, "op1", 2_000).unwrap();
    assert_eq!(suite.slash_request(id).amount.u128(), 1_000 * TOKEN);
    bond_lst(&mut suite, "alice", 90_000 * TOKEN);
    let err = suite
        .registry_delegate("alice", "op1", 90_000 * TOKEN)
        .unwrap_err();
    let operator = suite.addr("op1").to_string();
    Expected::from(Registry::SlashPending { operator }).check(&err);
    suite.advance_time(2 * DAY);
    suite.execute_slash(id).unwrap();
    suite.advance_days(1);
    suite.execute_slash(id).unwrap();
    assert_eq!(suite.slash_request(id).status, SlashStatus::Executed);
    // resolved: alice can delegate, at the price after the slash, and loses nothing
    delegate_lst_bonded(&mut suite, "alice", 90_000 * TOKEN);
    let (alice, bob) = (suite.addr("alice"), suite.addr("bob"));
    assert_eq!(
        suite.registry_position(&bob).delegated_value.u128(),
        9_000 * TOKEN
    );
    let alice_value = suite.registry_position(&alice).delegated_value.u128();
    assert!(alice_value + 2 >= 90_000 * TOKEN, "alice {alice_value}");
}

/// The same through the vault: alice's deposit is with op1; a slash is requested; mallory
/// deposits 10,000 into the vault; the resolver vetoes. The deposit was minted at the price as
/// if vetoed, so the veto gives mallory nothing (before: +256.41).
#[test]
fn a_vault_deposit_while_a_slash_is_pending_takes_nothing_from_a_veto() {
    let (mut suite, svc) = restaking_suite();
    for user in ["alice", "mallory"] {
        bond_lst(&mut suite, user, 10_000 * TOKEN);
    }
    suite
        .vault_deposit_lst("alice", 10_000 * TOKEN, None)
        .unwrap();
    suite.vault_crank().unwrap();
    let id = suite.request_slash("svc", svc, "op1", 1_000).unwrap();
    suite
        .vault_deposit_lst("mallory", 10_000 * TOKEN, None)
        .unwrap();
    suite.advance_days(1);
    suite
        .registry_exec(
            "svc-resolver",
            &RegistryMsg::VetoSlash { request_id: id },
            0,
        )
        .unwrap();
    let mallory = suite.position("mallory").value.u128();
    assert!(
        mallory <= 10_000 * TOKEN,
        "mallory's 10,000 are worth {mallory}"
    );
    let alice = suite.position("alice").value.u128();
    assert!(alice + 2 >= 10_000 * TOKEN, "alice {alice}");
}

/// Medium 3 across operators: a payment is split between the service's operators. If the split
/// used the stake present at the payment, mallory (1 LST with op2 for 30 days) could delegate
/// 5,000 LST to op2 just before alice's operator is paid, take half the payment for op2, and
/// undelegate just after: op2's half would then stream to her 1 LST. The split now weighs each
/// operator by its allocated earning stake over time (stake x seconds since the service's last
/// payment), so the 5,000 LST present for no time weigh nothing.
#[test]
fn a_delegation_to_another_operator_around_a_payment_does_not_divert_it() {
    let (mut suite, svc) = restaking_suite();
    suite.register_operator("op2", 1_000);
    suite.serve("op2", svc, 5_000);
    delegate_lst(&mut suite, "alice", 5_000 * TOKEN);
    bond_lst(&mut suite, "mallory", 5_001 * TOKEN);
    suite.registry_delegate("mallory", "op2", TOKEN).unwrap();
    suite.advance_days(30);
    suite
        .registry_delegate("mallory", "op2", 5_000 * TOKEN)
        .unwrap();
    suite.pay_service_rewards("svc", svc, 500 * TOKEN).unwrap();
    suite.advance_time(5);
    let op2 = suite.addr("op2").to_string();
    suite
        .registry_exec(
            "mallory",
            &RegistryMsg::Undelegate {
                operator: op2,
                amount: (5_000 * TOKEN).into(),
            },
            0,
        )
        .unwrap();
    suite.advance_days(8);

    // weights: 30 days of half of 5,000 LST (op1) and of half of 1 LST (op2)
    let seconds = u128::from(30 * DAY);
    let (w1, w2) = (2_500 * TOKEN * seconds, TOKEN / 2 * seconds);
    let paid = 500 * TOKEN;
    // whichever operator comes last takes the rounding remainder
    let op2_share_max = paid - paid * w1 / (w1 + w2);
    assert_eq!(op2_share_max, 99_981);
    let op2_net_max = op2_share_max - op2_share_max / 10;
    // (op2 sorts last here, so it takes the remainder: mallory gets all of op2's 89,983 net)
    let mallory = rewards_of(&suite, "mallory");
    assert!(mallory <= op2_net_max, "{mallory} > {op2_net_max}");
    assert_eq!(mallory, 89_983);
    // alice keeps op1's part, less its 10 % commission (before the fix she got 224,977,502)
    let op1_share = paid * w1 / (w1 + w2);
    assert_eq!(op1_share, 499_900_019);
    assert_eq!(rewards_of(&suite, "alice"), op1_share - op1_share / 10);
}

/// Exits from an operator are held while a slash against it is pending; a request must execute
/// within `MAX_SLASH_EPOCHS` (10) epochs of its service's cap, so no service can hold them for
/// longer with one request. A service capped at 1 % per epoch may request at most 10 %.
#[test]
fn a_slash_request_cannot_hold_exits_for_more_than_ten_epochs() {
    let (mut suite, _) = restaking_suite();
    delegate_lst(&mut suite, "alice", 5_000 * TOKEN);
    let slow = suite.register_service("slow", 100, 2 * DAY);
    suite.serve("op1", slow, 5_000);
    let err = suite.request_slash("slow", slow, "op1", 1_001).unwrap_err();
    Expected::from(RegistryError::SlashTooSlow {
        bps: 1_001,
        cap: 100,
        epochs: 10,
        max: 1_000,
    })
    .check(&err);
    let id = suite.request_slash("slow", slow, "op1", 1_000).unwrap();
    // ten epochs later it has executed in full and exits are free again
    suite.advance_time(2 * DAY);
    for _ in 0..10 {
        suite.execute_slash(id).unwrap();
        suite.advance_days(1);
    }
    assert_eq!(suite.slash_request(id).status, SlashStatus::Executed);
}

/// Review finding: a service admin requesting a 1-bps slash every day kept every exit from the
/// operator held for good (alice's 10,000 LST for 40 days and counting). Only requests made
/// before an undelegation was due hold it, so it completes within its delay, a veto window and
/// the epochs the requests take.
#[test]
fn a_stream_of_small_requests_cannot_hold_an_exit_for_good() {
    let (mut suite, svc) = restaking_suite();
    delegate_lst(&mut suite, "alice", 10_000 * TOKEN);
    undelegate_all(&mut suite, "alice");
    let mut completed_on = None;
    for day in 1..=30 {
        let _ = suite.request_slash("svc", svc, "op1", 1);
        // the keeper executes whatever is past its window
        for id in 1..=day {
            let _ = suite.execute_slash(id);
        }
        suite.advance_days(1);
        if suite
            .registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
            .is_ok()
        {
            completed_on = Some(day);
            break;
        }
    }
    let day = completed_on.expect("alice's exit was held for good");
    // the 7-day delay (to an epoch's end), then the 2-day window of the last request made before
    assert!(day <= 11, "completed on day {day}");
    assert!(suite.lst_balance("alice") > 9_900 * TOKEN);
}

/// Review finding: held entries used to fill the page of a completion, so 31 held entries with
/// one operator blocked a due entry with another. Held entries are passed over.
#[test]
fn held_entries_do_not_block_the_others() {
    let (mut suite, svc) = restaking_suite();
    suite.register_operator("op2", 1_000);
    delegate_lst(&mut suite, "alice", 5_000 * TOKEN);
    bond_lst(&mut suite, "alice", 5_000 * TOKEN);
    suite
        .registry_delegate("alice", "op2", 5_000 * TOKEN)
        .unwrap();
    let operator = suite.addr("op1").to_string();
    // a small undelegation from op1 every day for 31 days, then everything from op2
    for _ in 0..31 {
        suite
            .registry_exec(
                "alice",
                &RegistryMsg::Undelegate {
                    operator: operator.clone(),
                    amount: (10 * TOKEN).into(),
                },
                0,
            )
            .unwrap();
        suite.advance_days(1);
    }
    let op2 = suite.addr("op2").to_string();
    suite
        .registry_exec(
            "alice",
            &RegistryMsg::Undelegate {
                operator: op2,
                amount: (5_000 * TOKEN).into(),
            },
            0,
        )
        .unwrap();
    // a slash against op1 holds the op1 entries not yet due when it was requested
    suite.request_slash("svc", svc, "op1", 10).unwrap();
    suite.advance_days(9);
    let alice = suite.addr("alice");
    let completable = suite.registry_position(&alice).completable_value.u128();
    assert!(completable >= 5_000 * TOKEN, "{completable}");
    let before = suite.lst_balance("alice");
    while suite
        .registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0)
        .is_ok()
    {}
    // op2's 5,000 came out, with every op1 entry that was due before the request (valued net of
    // the pending slash, paid at the pool's price: the request does not hold them)
    let out = suite.lst_balance("alice") - before;
    assert!(
        out >= completable && out <= completable + TOKEN,
        "{out} vs {completable}"
    );
    let held = suite.registry_position(&alice).undelegations;
    assert!(!held.is_empty());
    let op1 = suite.addr("op1").to_string();
    assert!(held.iter().all(|u| u.operator == op1));
}

/// Review finding: requests valued on the gross stake could promise more than an operator has
/// (two 100 % requests against a 50 % allocation); the vault then valued its position at zero and
/// its crank reverted. A request promises at most what is left once the pending ones execute.
#[test]
fn pending_requests_never_promise_more_than_the_operator_has() {
    let (mut suite, svc) = restaking_suite();
    bond_lst(&mut suite, "alice", 10_000 * TOKEN);
    suite
        .vault_deposit_lst("alice", 10_000 * TOKEN, None)
        .unwrap();
    suite.vault_crank().unwrap();
    let a = suite.request_slash("svc", svc, "op1", 10_000).unwrap();
    let b = suite.request_slash("svc", svc, "op1", 10_000).unwrap();
    assert_eq!(suite.slash_request(a).amount.u128(), 5_000 * TOKEN);
    assert_eq!(suite.slash_request(b).amount.u128(), 5_000 * TOKEN);
    let err = suite.request_slash("svc", svc, "op1", 100).unwrap_err();
    Expected::from(RegistryError::NothingLeftToSlash {
        operator: suite.addr("op1").to_string(),
    })
    .check(&err);
    // the vault's value is zero while they are pending, and its crank still runs
    assert_eq!(suite.vault_state().total_value.u128(), 0);
    suite.advance_days(1);
    suite.vault_crank().unwrap();
}
