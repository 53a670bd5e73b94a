//! The hub's lifecycle with exact numbers: bond, rewards and fee, unbond and claim, slashing,
//! missed epochs, and the first-depositor inflation attack.
//!
//! The default suite pays 36.5 % APR with no commission, so 1,000,000 staked earns exactly 1,000
//! a day; the fee is 10 %; the virtual offset is V = 1,000,000.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Decimal;
use tributary_hub::ContractError;
use tributary_testing::{event_attr, Expected, Suite, SuiteBuilder};
use tributary_types::hub::BatchStatus;

const V: u128 = 1_000_000;

/// What redeeming `s` LST pays from a pool of `t` native and `n` LST (the spec's formula).
fn redeem(s: u128, t: u128, n: u128) -> u128 {
    (s * (t + V) / (n + V)).min(s * t / n)
}

fn suite_with_alice(amount: u128) -> Suite {
    let mut suite = SuiteBuilder::new().with_funds("alice", amount).build();
    suite.bond("alice", amount).unwrap();
    suite
}

#[test]
fn bond_mints_at_rate_and_crank_compounds_rewards_net_of_fee() {
    let mut suite = suite_with_alice(3_000_000_000);
    // an empty pool mints one LST per native
    assert_eq!(suite.lst_balance("alice"), 3_000_000_000);
    assert_eq!(suite.state().exchange_rate, Decimal::one());
    assert_eq!(suite.total_delegated(), 3_000_000_000);

    suite.advance_days(1);
    // 3,000,000,000 * 0.001 = 3,000,000 of rewards; the fee is 300,000
    let before = suite.state();
    assert_eq!(before.accrued_rewards.u128(), 3_000_000);
    assert_eq!(
        before.total_native.u128(),
        3_002_700_000,
        "rewards net of the fee"
    );

    suite.crank().unwrap();
    let after = suite.state();
    assert_eq!(after.epoch, 1);
    assert_eq!(
        suite.total_delegated(),
        3_003_000_000,
        "rewards re-delegated"
    );
    assert_eq!(after.total_native.u128(), 3_003_000_000);
    // fee shares priced after rewards net of the fee: 300,000 * (3e9 + V) / (3,002,700,000 + V)
    let fee_lst = 300_000 * (3_000_000_000 + V) / (3_002_700_000 + V);
    assert_eq!(fee_lst, 299_730);
    assert_eq!(suite.lst_balance_of(&suite.fee_addr.clone()), fee_lst);
    assert_eq!(after.lst_supply.u128(), 3_000_000_000 + fee_lst);
    // the fee address holds the fee's worth, less one unit of rounding in the protocol's favour
    assert_eq!(suite.lst_value(fee_lst), 299_999);
    assert_eq!(
        suite.lst_value(fee_lst),
        redeem(fee_lst, 3_003_000_000, 3_000_000_000 + fee_lst)
    );
    // alice's LST now redeem for her deposit plus the rewards net of the fee (less the virtual
    // shares' part, V / (S + V) of the rewards, which stays in the pool as a buffer)
    let alice = suite.lst_value(3_000_000_000);
    assert_eq!(
        alice,
        redeem(3_000_000_000, 3_003_000_000, 3_000_000_000 + fee_lst)
    );
    assert_eq!(alice, 3_002_699_100);
    // the value alice saw before the crank is what she holds after it: the crank moves nothing
    assert_eq!(alice, redeem(3_000_000_000, 3_002_700_000, 3_000_000_000));
    // the rate rose
    assert!(after.exchange_rate > Decimal::one());

    // a second bond is minted at the new rate
    suite.fund("bob", 1_000_000_000);
    suite.bond("bob", 1_000_000_000).unwrap();
    let expected_bob = 1_000_000_000 * (3_000_000_000 + fee_lst + V) / (3_003_000_000 + V);
    assert_eq!(suite.lst_balance("bob"), expected_bob);
    assert_eq!(expected_bob, 999_101_108);
}

#[test]
fn unbond_batch_then_claim_after_unbonding_time() {
    let mut suite = suite_with_alice(3_000_000_000);
    suite.unbond("alice", 1_000_000_000).unwrap();
    // LST burned, still counted in the rate while the batch is pending
    let s = suite.state();
    assert_eq!(s.lst_supply.u128(), 2_000_000_000);
    assert_eq!(s.pending_unbond_lst.u128(), 1_000_000_000);
    assert_eq!(s.exchange_rate, Decimal::one());
    let req = suite.unbond_requests("alice");
    assert_eq!(req.requests.len(), 1);
    assert_eq!(req.requests[0].status, BatchStatus::Pending);

    // one day later the crank prices the batch (the pending LST shared that day's rewards)
    suite.advance_days(1);
    suite.crank().unwrap();
    let fee_lst = 300_000 * (3_000_000_000 + V) / (3_002_700_000 + V);
    let owed = redeem(1_000_000_000, 3_003_000_000, 3_000_000_000 + fee_lst);
    assert_eq!(owed, 1_000_899_700);
    let batch = suite.batch(1);
    assert_eq!(batch.status, BatchStatus::Unbonding);
    assert_eq!(batch.native_amount.u128(), owed);
    assert_eq!(suite.total_delegated(), 3_003_000_000 - owed);
    assert_eq!(suite.state().pending_batch_id, 2);

    // not claimable before the unbonding time
    suite.advance_days(20);
    assert_eq!(suite.unbond_requests("alice").claimable.u128(), 0);
    Expected::from(ContractError::NothingToClaim {}).check(&suite.claim("alice").unwrap_err());

    suite.advance_days(1);
    assert_eq!(suite.unbond_requests("alice").claimable.u128(), owed);
    let native_before = suite.native_balance("alice");
    suite.claim("alice").unwrap();
    assert_eq!(suite.native_balance("alice") - native_before, owed);
    assert!(suite.unbond_requests("alice").requests.is_empty());
    let batch = suite.batch(1);
    assert_eq!(batch.status, BatchStatus::Claimable);
    assert_eq!(batch.native_claimed.u128(), owed);
    assert_eq!(suite.state().unclaimed_reserve.u128(), 0);
}

#[test]
fn batch_is_shared_pro_rata_between_users() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 2_000_000_000)
        .with_funds("bob", 1_000_000_000)
        .build();
    suite.bond("alice", 2_000_000_000).unwrap();
    suite.bond("bob", 1_000_000_000).unwrap();
    suite.unbond("alice", 600_000_000).unwrap();
    suite.unbond("bob", 300_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    let batch = suite.batch(1);
    assert_eq!(batch.lst_amount.u128(), 900_000_000);
    let total = batch.native_amount.u128();
    suite.advance_days(21);
    suite.claim("alice").unwrap();
    suite.claim("bob").unwrap();
    let alice_got = suite.native_balance("alice");
    let bob_got = suite.native_balance("bob");
    assert_eq!(alice_got, total * 600 / 900);
    assert_eq!(bob_got, total * 300 / 900);
    // rounding dust returns to stakers once everyone has claimed
    assert_eq!(suite.state().unclaimed_reserve.u128(), 0);
}

#[test]
fn validator_slash_is_detected_and_shared_by_unbonding_batch() {
    // one validator so the whole stake and the whole batch sit on it
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_funds("alice", 1_000_000_000)
        .with_funds("bob", 1_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite.bond("bob", 1_000_000_000).unwrap();
    suite.unbond("bob", 400_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    let batch = suite.batch(1);
    assert_eq!(batch.native_amount.u128(), 400_000_000);
    assert_eq!(suite.total_delegated(), 1_600_000_000);
    let rate_before = suite.state().exchange_rate;
    assert_eq!(rate_before, Decimal::one());

    // the chain slashes 10 %: delegation 1.6e9 -> 1.44e9, unbonding 4e8 -> 3.6e8
    suite.slash_validator("validator1", Decimal::percent(10));
    // the hub sees it as of now (queries sync), before any crank
    let s = suite.state();
    assert_eq!(s.total_native.u128(), 1_440_000_000);
    assert_eq!(
        s.exchange_rate,
        Decimal::percent(90),
        "rate falls by exactly the loss"
    );
    assert_eq!(suite.batch(1).native_amount.u128(), 360_000_000);
    assert_eq!(
        suite.unbond_requests("bob").requests[0]
            .native_amount
            .u128(),
        360_000_000
    );

    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert_eq!(
        event_attr(&res, "slashed_delegations").unwrap(),
        "160000000"
    );
    assert_eq!(event_attr(&res, "slashed_batches").unwrap(), "40000000");
    assert_eq!(suite.validators()[0].booked.u128(), 1_440_000_000);

    // alice's 1e9 LST are worth 9e8; bob's remaining 6e8 LST 5.4e8; bob's batch pays 3.6e8
    assert_eq!(suite.lst_value(1_000_000_000), 900_000_000);
    assert_eq!(suite.lst_value(600_000_000), 540_000_000);
    suite.advance_days(20);
    suite.claim("bob").unwrap();
    assert_eq!(suite.native_balance("bob"), 360_000_000);
}

#[test]
fn missed_epochs_catch_up_in_one_crank() {
    // Two identical chains; on one the crank runs every epoch, on the other once after three.
    // With no rewards the books end identical, slash and unbond batch included. With rewards,
    // they differ by exactly the rewards that compounding each epoch earned on re-delegated
    // rewards, which a late crank cannot earn retroactively: nothing is lost or double-counted.
    fn scenario(apr: Decimal, slash: bool, crank_each_epoch: bool) -> Suite {
        // this test is about catching up, not the rails (see `hub_rails.rs`): the 5 % slash of
        // one validator is a 1.7 % fall of the rate, above the default 1 % that starts bunker
        // mode (which would defer the batch), and 36.5 % APR is above the default 20 % ceiling
        // (which would withhold part of the daily crank's rewards, not the late crank's)
        let mut suite = SuiteBuilder::new()
            .with_apr(apr)
            .with_rails(tributary_types::hub::Rails {
                max_apr_bps: 10_000,
                max_drop_bps: 1_000,
                ..Default::default()
            })
            .with_fee_bps(0)
            .with_funds("alice", 3_000_000_000)
            .build();
        // three bonds land on the three validators (each goes to the most under-weight)
        for _ in 0..3 {
            suite.bond("alice", 1_000_000_000).unwrap();
        }
        for day in 1..=3 {
            suite.advance_days(1);
            if day == 2 && slash {
                suite.slash_validator("validator1", Decimal::percent(5));
            }
            if day == 3 {
                suite.unbond("alice", 500_000_000).unwrap();
            }
            if crank_each_epoch || day == 3 {
                suite.crank().unwrap();
            }
        }
        suite
    }

    let each = scenario(Decimal::zero(), true, true);
    let once = scenario(Decimal::zero(), true, false);
    assert_eq!(each.state(), once.state());
    assert_eq!(each.validators(), once.validators());
    assert_eq!(each.batches(), once.batches());
    assert_eq!(each.state().epoch, 3);
    // 5 % of validator1's 1e9 is gone: 2.95e9 backs 3e9 LST; the batch got 500M LST's share
    let batch = each.batch(1).native_amount.u128();
    assert_eq!(batch, 500_000_000 * 2_950_000_000 / 3_000_000_000);
    assert_eq!(each.state().total_native.u128(), 2_950_000_000 - batch);

    let each = scenario(Decimal::permille(365), false, true);
    let once = scenario(Decimal::permille(365), false, false);
    let (e, o) = (each.state(), once.state());
    assert_eq!(e.epoch, o.epoch);
    assert_eq!(e.lst_supply, o.lst_supply);
    assert_eq!(e.pending_batch_id, o.pending_batch_id);
    assert_eq!(each.batches().len(), once.batches().len());
    // once: 3e9 earns 3,000,000 a day for three days = 9,000,000.
    // each: day 1 3,000,000; day 2 3,003,000 (on 3,003,000,000); day 3 3,006,003.
    let compounding = 3_000 + 6_003;
    let each_total = e.total_native.u128() + each.batch(1).native_amount.u128();
    let once_total = o.total_native.u128() + once.batch(1).native_amount.u128();
    assert_eq!(once_total, 3_000_000_000 + 9_000_000);
    assert_eq!(each_total, once_total + compounding);
}

#[test]
fn first_depositor_inflation_attack_is_unprofitable() {
    let mut suite = SuiteBuilder::new()
        .with_fee_bps(0)
        .with_apr(Decimal::zero())
        .with_funds("attacker", 1_000_001_000_000)
        .with_funds("victim", 10_000_000_000)
        .build();
    // smallest bond, then a donation of 1,000,000,000,000 straight to the hub
    suite.bond("attacker", 1_000).unwrap();
    assert_eq!(suite.lst_balance("attacker"), 1_000);
    suite.donate("attacker", 1_000_000_000_000).unwrap();
    // the donation counts at once (it is free balance, treated like rewards)
    let s = suite.state();
    assert_eq!(s.total_native.u128(), 1_000_000_001_000);
    // virtual rate: (1e12 + 1,000 + V) / (1,000 + V) ~ 998,003
    suite.bond("victim", 10_000_000_000).unwrap();
    let victim_lst = suite.lst_balance("victim");
    assert_eq!(
        victim_lst,
        10_000_000_000 * (1_000 + V) / (1_000_000_001_000 + V)
    );
    assert_eq!(victim_lst, 10_009);

    let victim_value = suite.lst_value(victim_lst);
    let attacker_value = suite.lst_value(1_000);
    // the victim loses less than one LST's worth (~998,003 of 10,000,000,000: 0.01 %)
    assert!(10_000_000_000 - victim_value < 998_004);
    // the attacker's 1,000 LST are worth ~1e9: 99.9 % of the 1e12 donation is lost
    assert!(attacker_value < 1_000_000_000_000 / 500);
    assert!(attacker_value + 1_000 < 1_000_000_001_000);
}

#[test]
fn unbond_on_behalf_of_a_receiver() {
    let mut suite = suite_with_alice(1_000_000_000);
    let (alice, lst, hub) = (suite.addr("alice"), suite.lst.clone(), suite.hub.clone());
    let carol = suite.addr("carol");
    cw_multi_test::Executor::execute_contract(
        &mut suite.app,
        alice,
        lst,
        &cw20::Cw20ExecuteMsg::Send {
            contract: hub.to_string(),
            amount: cosmwasm_std::Uint128::new(100_000_000),
            msg: cosmwasm_std::to_json_binary(&tributary_types::hub::ReceiveMsg::Unbond {
                receiver: Some(carol.to_string()),
            })
            .unwrap(),
        },
        &[],
    )
    .unwrap();
    assert!(suite.unbond_requests("alice").requests.is_empty());
    assert_eq!(
        suite.unbond_requests("carol").requests[0].lst_amount.u128(),
        100_000_000
    );
    suite.advance_days(1);
    suite.crank().unwrap();
    suite.advance_days(21);
    suite.claim("carol").unwrap();
    // 100,000,000 LST priced after one day of rewards (1,000,000 less the 10 % fee)
    let fee_lst = 100_000 * (1_000_000_000 + V) / (1_000_900_000 + V);
    assert_eq!(
        suite.native_balance("carol"),
        redeem(100_000_000, 1_001_000_000, 1_000_000_000 + fee_lst)
    );
}

#[test]
fn a_slash_after_a_batch_was_paid_out_does_not_touch_it() {
    // found by the property test: the batch matured (the chain paid it in full) but no message
    // had marked it yet when the validator was slashed
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_funds("alice", 1_000_000_000)
        .build();
    suite.bond("alice", 1_000_000_000).unwrap();
    suite.unbond("alice", 400_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    suite.advance_days(21);
    let rate_before = suite.state().exchange_rate;
    suite.slash_validator("validator1", Decimal::percent(10));
    // the batch keeps its full amount; the remaining 6e8 lose 10 %
    assert_eq!(suite.batch(1).native_amount.u128(), 400_000_000);
    let after = suite.state();
    assert!(after.exchange_rate < rate_before);
    assert_eq!(after.total_native.u128(), 540_000_000);
    suite.claim("alice").unwrap();
    assert_eq!(suite.native_balance("alice"), 400_000_000);
}
