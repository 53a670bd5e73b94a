//! Audit Medium 3, vault side: a deposit made just before a service pays its rewards, withdrawn
//! just after, must not capture them. The registry streams each payment over its period, and a
//! withdrawal request stops earning: it is finalized at the lesser of its value when requested
//! and its value when finalized, so it still shares any slash during the delay but none of the
//! rewards that accrue after it asked to leave.
//!
//! Measured before the vault's part of the fix (with the registry streaming already): mallory,
//! depositing 5,000 LST one block before a 500-token payment and asking to withdraw one block
//! after, took 196.02 LST of it (the issue, before streaming: 194.53 against alice's 199.78).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::restaking_suite;
use tributary_testing::REWARD_PERIOD;

const TOKEN: u128 = 1_000_000;

/// Alice has 5,000 LST in the vault for 30 days; the service pays 500 tokens; with `mallory`,
/// mallory deposits 5,000 LST one block before and requests it all back one block after.
/// Returns (alice's gain, mallory's gain) in LST units once the stream has paid out.
fn payment(mallory: bool) -> (u128, i128) {
    let (mut suite, svc) = restaking_suite();
    for user in ["alice", "mallory"] {
        suite.fund(user, 5_000 * TOKEN);
        suite.bond(user, 5_000 * TOKEN).unwrap();
    }
    suite
        .vault_deposit_lst("alice", 5_000 * TOKEN, None)
        .unwrap();
    suite.vault_crank().unwrap();
    suite.advance_days(30);
    if mallory {
        suite
            .vault_deposit_lst("mallory", 5_000 * TOKEN, None)
            .unwrap();
    }
    let alice_before = suite.position("alice").value.u128();
    let mallory_in = suite.position("mallory").value.u128();
    suite.advance_time(5);
    suite.pay_service_rewards("svc", svc, 500 * TOKEN).unwrap();
    suite.advance_time(5);
    if mallory {
        let lrt = suite.lrt_balance("mallory");
        suite.request_withdrawal("mallory", lrt).unwrap();
    }
    // the delay passes, the stream pays out in full, the cranks finalize her request
    for _ in 0..4 {
        suite.advance_days(3);
        suite.vault_crank().unwrap();
    }
    let mallory_gain = if mallory {
        suite.claim_withdrawals("mallory", false).unwrap();
        suite.lst_balance("mallory") as i128 - mallory_in as i128
    } else {
        0
    };
    (
        suite.position("alice").value.u128() - alice_before,
        mallory_gain,
    )
}

#[test]
fn a_deposit_just_before_a_payment_captures_none_of_it() {
    let (alone, _) = payment(false);
    let (alice, mallory) = payment(true);
    // mallory was at risk for the 5 seconds between the payment and her request: her half of
    // 5 seconds of the stream (500 tokens less 10 % commission and the vault's 10 % fee, over
    // the reward period) is hers, nothing more
    let exposed = (5 * 405 * TOKEN / u128::from(REWARD_PERIOD) / 2) as i128;
    assert!(
        mallory <= exposed + 2,
        "mallory took {mallory} (exposed for {exposed})"
    );
    // alice loses nothing beyond that and rounding
    assert!(
        alice as i128 + exposed + 10 >= alone as i128,
        "alice gained {alice} with mallory around, {alone} without"
    );
}

/// Review finding: once every LRT holder has asked to leave, a slash during the delay must
/// still be shared by all of them. Before the fix the stayers' pool was empty, the first request
/// was paid its whole cap and the last one was left short (and stuck).
#[test]
fn when_everyone_leaves_a_slash_is_shared_by_all() {
    let (mut suite, svc) = restaking_suite();
    for user in ["alice", "bob"] {
        suite.fund(user, 50_000 * TOKEN);
        suite.bond(user, 50_000 * TOKEN).unwrap();
        suite.vault_deposit_lst(user, 50_000 * TOKEN, None).unwrap();
    }
    suite.vault_crank().unwrap();
    for user in ["alice", "bob"] {
        let lrt = suite.lrt_balance(user);
        suite.request_withdrawal(user, lrt).unwrap();
    }
    suite.vault_crank().unwrap();
    // a 10 % slash of op1's half allocated to the service: 5 % of the vault, 5,000 LST
    let id = suite.request_slash("svc", svc, "op1", 1_000).unwrap();
    suite.advance_days(2);
    suite.execute_slash(id).unwrap();
    assert_eq!(suite.vault_state().total_value.u128(), 95_000 * TOKEN);
    for _ in 0..6 {
        suite.advance_days(3);
        suite.vault_crank().unwrap();
    }
    for user in ["alice", "bob"] {
        suite.claim_withdrawals(user, false).unwrap();
        assert_eq!(suite.lst_balance(user), 47_500 * TOKEN, "{user}");
    }
}

/// Review follow-up: while the withdrawal queue is worth less than it asked for (a slash after
/// the requests), it shares the rewards that arrive, so the fee on them is charged to it too.
/// Minting the fee against those who stay alone handed the fee recipient part of their value.
#[test]
fn the_fee_on_rewards_is_charged_to_whoever_gets_the_rewards() {
    let (mut suite, svc) = restaking_suite();
    for user in ["alice", "bob"] {
        suite.fund(user, 50_000 * TOKEN);
        suite.bond(user, 50_000 * TOKEN).unwrap();
        suite.vault_deposit_lst(user, 50_000 * TOKEN, None).unwrap();
    }
    suite.vault_crank().unwrap();
    let lrt = suite.lrt_balance("bob");
    suite.request_withdrawal("bob", lrt).unwrap();
    let id = suite.request_slash("svc", svc, "op1", 1_000).unwrap();
    suite.advance_days(2);
    suite.execute_slash(id).unwrap();
    suite.advance_days(1);
    suite
        .pay_service_rewards("svc", svc, 2_000 * TOKEN)
        .unwrap();
    suite.advance_time(tributary_testing::REWARD_PERIOD);
    let res = suite.vault_crank().unwrap();
    let fee_lst: u128 = tributary_testing::event_attr(&res, "fee_lst")
        .unwrap()
        .parse()
        .unwrap();
    assert!(fee_lst > 0);
    // the fee recipient holds LRT worth the fee, not more
    let treasury = suite.position("treasury").value.u128();
    assert!(treasury <= fee_lst, "{treasury} > {fee_lst}");
    assert!(treasury + 2 >= fee_lst, "{treasury} < {fee_lst}");
}
