//! Service slashing with a veto window and a per-epoch cap, validator slashing flowing through
//! the LST, opt-out slashability, and mint/burn timing around rewards and slashes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{redeem, restaking_suite};
use cosmwasm_std::Decimal;
use tributary_restaking_registry::ContractError as Registry;
use tributary_testing::{event_attr, Expected, RegistryError, DAY};
use tributary_types::registry::{ExecuteMsg as RegistryMsg, SlashStatus};

/// alice and bob each deposit 1e9 through the vault, which delegates all 2e9 LST to op1 (half of
/// it allocated to the service).
fn two_depositors() -> (tributary_testing::RestakingSuite, u64) {
    let (mut suite, svc) = restaking_suite();
    suite.fund("bob", 1_000_000_000);
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    suite.vault_deposit("bob", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    assert_eq!(suite.operator("op1").stake.u128(), 2_000_000_000);
    (suite, svc)
}

#[test]
fn vetoed_slash_changes_nothing() {
    let (mut suite, svc) = two_depositors();
    let before = suite.vault_snapshot("alice");
    let id = suite.request_slash("svc", svc, "op1", 500).unwrap();
    suite.advance_days(1);
    suite
        .registry_exec(
            "svc-resolver",
            &RegistryMsg::VetoSlash { request_id: id },
            0,
        )
        .unwrap();
    assert_eq!(suite.slash_request(id).status, SlashStatus::Vetoed);
    suite.advance_days(2);
    let err = suite.execute_slash(id).unwrap_err();
    Expected::from(RegistryError::SlashNotPending { id }).check(&err);
    let after = suite.vault_snapshot("alice");
    // everything in LST is unchanged (the native value rose with three days of staking rewards)
    assert_eq!(before.vault.total_value, after.vault.total_value);
    assert_eq!(before.vault.rate, after.vault.rate);
    assert_eq!(before.vault.operators, after.vault.operators);
    assert_eq!(
        (before.user.lrt, before.user.value),
        (after.user.lrt, after.user.value)
    );
    assert_eq!(before.registry_position, after.registry_position);
    assert_eq!(before.operators, after.operators);
    assert_eq!(suite.service(svc).slashed.u128(), 0);
}

#[test]
fn executed_slash_lowers_the_rate_exactly_and_pending_withdrawals_share_it() {
    let (mut suite, svc) = two_depositors();
    // bob asks to withdraw half; the crank starts undelegating the LST it will need
    suite.request_withdrawal("bob", 500_000_000).unwrap();
    suite.vault_crank().unwrap();
    let rs = suite.restaking();
    assert_eq!(
        suite.registry_position(&rs.vault).undelegating_value.u128(),
        500_000_000
    );

    // two slash requests in the same epoch: 5 % and 8 % of op1's allocation (half its stake);
    // the cap is 10 % per epoch
    let first = suite.request_slash("svc", svc, "op1", 500).unwrap();
    let second = suite.request_slash("svc", svc, "op1", 800).unwrap();
    let window_end = suite.app.block_info().time.plus_seconds(2 * DAY);
    // the resolver cannot veto after the window, and nobody can execute before it ends
    Expected::from(RegistryError::VetoWindowOpen {
        id: 1,
        at: window_end,
    })
    .check(&suite.execute_slash(first).unwrap_err());
    suite.advance_time(2 * DAY);
    let err = suite
        .registry_exec(
            "svc-resolver",
            &RegistryMsg::VetoSlash { request_id: first },
            0,
        )
        .unwrap_err();
    Expected::from(RegistryError::VetoWindowClosed {
        id: 1,
        at: window_end,
    })
    .check(&err);

    // the value falls when the slashes are requested, by what they are worth (2e9 * 50 %
    // allocated * 5 % = 50,000,000 and * 8 % = 80,000,000): nobody can sell, leave or enter
    // ahead of a slash that anyone may execute once its window has passed
    let requested = 2_000_000_000 - 50_000_000 - 80_000_000;
    assert_eq!(suite.vault_state().total_value.u128(), requested);
    let res = suite.execute_slash(first).unwrap();
    assert_eq!(event_attr(&res, "slashed").unwrap(), "50000000");
    assert_eq!(suite.lst_balance("svc-treasury"), 50_000_000);
    // executing it is no step: it was taken when requested
    assert_eq!(suite.vault_state().total_value.u128(), requested);

    // the second is worth 8 % of the allocation when it was requested (2e9 * 50 % * 8 % =
    // 80,000,000); this epoch only the 5 % left of the 10 % cap executes, 500/800 of it
    let res = suite.execute_slash(second).unwrap();
    assert_eq!(event_attr(&res, "fraction_bps").unwrap(), "500");
    assert_eq!(event_attr(&res, "remaining_bps").unwrap(), "300");
    assert_eq!(suite.slash_request(second).amount.u128(), 80_000_000);
    let second_amount = 80_000_000u128 * 500 / 800;
    assert_eq!(second_amount, 50_000_000);
    assert_eq!(
        event_attr(&res, "slashed").unwrap(),
        second_amount.to_string()
    );
    // the rest stays pending for a later epoch, and priced in
    assert_eq!(suite.slash_request(second).status, SlashStatus::Pending);
    assert_eq!(suite.slash_request(second).executed_bps, 500);
    let state = suite.vault_state();
    assert_eq!(
        state.total_value.u128(),
        requested,
        "the LRT fell by the slashes requested"
    );
    assert_eq!(
        state.rate,
        Decimal::from_ratio(requested, 2_000_000_000u128)
    );
    // a third request cannot be executed before its window ends; its resolver vetoes it and
    // the value comes back
    let third = suite.request_slash("svc", svc, "op1", 100).unwrap();
    assert!(suite.vault_state().total_value.u128() < requested);
    suite.advance_time(2 * DAY - 1);
    let third_at = suite.slash_request(third).executable_at;
    assert!(suite.app.block_info().time < third_at);
    suite
        .registry_exec(
            "svc-resolver",
            &RegistryMsg::VetoSlash { request_id: third },
            0,
        )
        .unwrap();
    assert_eq!(suite.vault_state().total_value.u128(), requested);

    // withdrawing stake shares it too: 5e8 of 2e9 shares
    let position = suite.registry_position(&rs.vault);
    assert_eq!(
        position.undelegating_value.u128(),
        redeem(500_000_000, requested, 2_000_000_000)
    );

    // the rest of the second executes in a later epoch (until then the undelegation that was
    // in the pool when it was requested is held)
    suite.advance_time(DAY);
    let res = suite.execute_slash(second).unwrap();
    assert_eq!(event_attr(&res, "slashed").unwrap(), "30000000");
    assert_eq!(suite.slash_request(second).status, SlashStatus::Executed);
    let total = requested;

    // after the vault's delay bob is paid at the rate then: the slash is shared
    suite.advance_time(3 * DAY + 1);
    suite.vault_crank().unwrap();
    let owed = redeem(500_000_000, total, 2_000_000_000);
    assert_eq!(owed, 467_500_000);
    assert_eq!(suite.position("bob").claimable.u128(), owed);
    suite.claim_withdrawals("bob", false).unwrap();
    assert_eq!(suite.lst_balance("bob"), owed);
    // alice's 1e9 LRT are worth the same fraction
    assert_eq!(
        suite.position("alice").value.u128(),
        redeem(1_000_000_000, total - owed, 1_500_000_000)
    );
}

#[test]
fn per_epoch_cap_refuses_a_slash_once_used_up() {
    let (mut suite, svc) = two_depositors();
    let a = suite.request_slash("svc", svc, "op1", 1_000).unwrap();
    let b = suite.request_slash("svc", svc, "op1", 100).unwrap();
    suite.advance_time(2 * DAY);
    suite.execute_slash(a).unwrap();
    let err = suite.execute_slash(b).unwrap_err();
    // the start of the next (day-aligned) slashing epoch
    let now = suite.app.block_info().time.seconds();
    let next_epoch_at = cosmwasm_std::Timestamp::from_seconds((now / DAY + 1) * DAY);
    Expected::from(RegistryError::SlashCapReached { next_epoch_at }).check(&err);
    assert_eq!(suite.slash_request(b).status, SlashStatus::Pending);
    // next epoch it may execute
    suite.advance_days(1);
    suite.execute_slash(b).unwrap();
    assert_eq!(suite.slash_request(b).status, SlashStatus::Executed);
}

#[test]
fn a_validator_slash_at_the_hub_flows_through_to_the_lrt() {
    let (mut suite, _) = two_depositors();
    let before = suite.position("alice");
    assert_eq!(before.value_native.u128(), 1_000_000_000);
    suite.slash_validator("validator1", Decimal::percent(10));
    let after = suite.position("alice");
    // LRT -> LST unchanged; LST -> native fell 10 %, so the LRT did too
    assert_eq!(after.value, before.value);
    assert_eq!(after.value_native.u128(), 900_000_000);
    assert_eq!(suite.vault_state().rate_native, Decimal::percent(90));
}

#[test]
fn an_opting_out_operator_stays_slashable_until_its_delay_ends() {
    let (mut suite, svc) = two_depositors();
    suite
        .registry_exec("op1", &RegistryMsg::OptOut { service: svc }, 0)
        .unwrap();
    let at = suite.operator("op1").allocations[0].opt_out_at.unwrap();
    assert_eq!(at, suite.app.block_info().time.plus_seconds(7 * DAY));
    // the allocation is frozen while opting out
    let err = suite
        .registry_exec(
            "op1",
            &RegistryMsg::SetAllocation {
                service: svc,
                bps: 6_000,
            },
            0,
        )
        .unwrap_err();
    Expected::from(RegistryError::OptingOut { service: svc, at }).check(&err);
    suite.advance_time(7 * DAY - 1);
    // one second before the end: still slashable, and the request executes after the opt-out
    let id = suite.request_slash("svc", svc, "op1", 500).unwrap();
    suite.advance_time(1);
    let err = suite.request_slash("svc", svc, "op1", 500).unwrap_err();
    let operator = suite.addr("op1").to_string();
    Expected::from(Registry::NotSlashable {
        operator,
        service: svc,
    })
    .check(&err);
    assert!(suite.operator("op1").allocations.is_empty());
    assert_eq!(suite.exposure().services.len(), 0);
    suite.advance_time(2 * DAY);
    let res = suite.execute_slash(id).unwrap();
    assert_eq!(event_attr(&res, "slashed").unwrap(), "50000000");
}

#[test]
fn depositing_around_rewards_or_withdrawing_around_a_slash_gains_nothing() {
    let (mut suite, svc) = two_depositors();
    // a day later rewards are paid; carol deposits before the vault harvests them
    suite.advance_days(1);
    suite.pay_service_rewards("svc", svc, 100_000_000).unwrap();
    // (a day of staking rewards has moved the hub's rate: carol brings LST)
    suite.fund("carol", 1_000_000_000);
    suite.bond("carol", 1_000_000_000).unwrap();
    let lst = suite.lst_balance("carol");
    suite.vault_deposit_lst("carol", lst, None).unwrap();
    let carol = suite.position("carol");
    assert!(carol.value.u128() <= lst);
    suite.vault_crank().unwrap();
    // carol's LRT are worth what she paid (less rounding): the payment has not stepped the rate
    let carol_after = suite.position("carol").value.u128();
    assert!(
        carol_after <= lst && carol_after + 2 >= lst,
        "{carol_after} vs {lst}"
    );

    // the payment streams over the reward period; once it has all been harvested, nothing else
    // raises the rate below
    suite.advance_time(tributary_testing::REWARD_PERIOD);
    suite.vault_crank().unwrap();
    assert_eq!(suite.operator("op1").rewards_streaming.u128(), 0);

    // a slash is executed; alice then asks to withdraw: she is paid at the post-slash rate
    let value_before_slash = suite.position("alice").value.u128();
    let id = suite.request_slash("svc", svc, "op1", 1_000).unwrap();
    // the value falls when the slash is requested; executing it changes nothing more
    let value_after_request = suite.position("alice").value.u128();
    assert!(value_after_request < value_before_slash);
    suite.advance_time(2 * DAY);
    suite.execute_slash(id).unwrap();
    let value_after_slash = suite.position("alice").value.u128();
    assert!(value_after_slash.abs_diff(value_after_request) <= 1);
    suite.request_withdrawal("alice", 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    suite.advance_days(8);
    suite.vault_crank().unwrap();
    let claimable = suite.position("alice").claimable.u128();
    assert!(
        claimable <= value_after_slash,
        "{claimable} > {value_after_slash}"
    );
}
