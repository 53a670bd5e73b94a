//! Audit suspicion "dust griefing", vault side: withdrawal requests have a minimum size, and the
//! crank finalizes a bounded number of requests per call, resuming where it stopped, so a flood
//! of requests can neither run a crank out of gas nor freeze the queue.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Decimal, Uint128};
use tributary_restaking_vault::ContractError as Vault;
use tributary_testing::{event_attr, RestakingSuite, SuiteBuilder, DAY};
use tributary_types::vault::MIN_WITHDRAWAL_LRT;

const TOKEN: u128 = 1_000_000;

/// A vault with no operator targets: deposits stay idle, so withdrawals can always be paid.
fn idle_vault() -> RestakingSuite {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_restaking()
        .with_funds("alice", 1_000 * TOKEN)
        .with_funds("mallory", 1_000 * TOKEN)
        .build();
    suite.vault_deposit("alice", 1_000 * TOKEN).unwrap();
    suite.vault_deposit("mallory", 100 * TOKEN).unwrap();
    suite
}

#[test]
fn dust_withdrawal_requests_are_refused_unless_they_empty_the_balance() {
    let mut suite = idle_vault();
    // before the fix a 1-unit request was accepted (and cost the crank a loop iteration)
    for lrt in [1, MIN_WITHDRAWAL_LRT - 1] {
        let too_small = Vault::WithdrawalTooSmall {
            lrt: Uint128::new(lrt),
            min: Uint128::new(MIN_WITHDRAWAL_LRT),
        };
        suite.assert_restaking_fails_unchanged("mallory", too_small, |s| {
            s.request_withdrawal("mallory", lrt)
        });
    }
    suite
        .request_withdrawal("mallory", MIN_WITHDRAWAL_LRT)
        .unwrap();
    // what is left below the minimum can still leave, all at once
    let rest = suite.lrt_balance("mallory") % MIN_WITHDRAWAL_LRT;
    let whole = suite.lrt_balance("mallory") - rest;
    suite.request_withdrawal("mallory", whole).unwrap();
    assert_eq!(suite.lrt_balance("mallory"), rest);
    if rest > 0 {
        suite.request_withdrawal("mallory", rest).unwrap();
    }
    assert_eq!(suite.lrt_balance("mallory"), 0);
}

#[test]
fn the_crank_finalizes_a_bounded_number_of_requests_and_resumes() {
    let mut suite = idle_vault();
    // mallory floods the queue with 60 minimum-size requests; alice asks after them
    for _ in 0..60 {
        suite
            .request_withdrawal("mallory", MIN_WITHDRAWAL_LRT)
            .unwrap();
    }
    suite.request_withdrawal("alice", 500 * TOKEN).unwrap();
    suite.advance_time(8 * DAY + 60);
    let res = suite.vault_crank().unwrap();
    assert_eq!(event_attr(&res, "finalized").as_deref(), Some("50"));
    assert_eq!(suite.position("alice").claimable.u128(), 0);
    let res = suite.vault_crank().unwrap();
    assert_eq!(event_attr(&res, "finalized").as_deref(), Some("11"));
    assert_eq!(suite.position("alice").claimable.u128(), 500 * TOKEN);
    // mallory's claims are paginated too: 30 per call
    let res = suite.claim_withdrawals("mallory", false).unwrap();
    assert_eq!(
        event_attr(&res, "withdrawals").map(|w| w.split(',').count()),
        Some(30)
    );
    let res = suite.claim_withdrawals("mallory", false).unwrap();
    assert_eq!(
        event_attr(&res, "withdrawals").map(|w| w.split(',').count()),
        Some(30)
    );
    suite.assert_restaking_fails_unchanged("mallory", Vault::NothingToClaim {}, |s| {
        s.claim_withdrawals("mallory", false)
    });
}
