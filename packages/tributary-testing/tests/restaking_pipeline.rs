//! The whole pipeline: native -> hub -> LST -> vault -> LRT, with staking rewards (through the LST
//! rate) and service rewards (through the vault) both raising the LRT, in exact numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{mint, redeem, restaking_suite, V};
use tributary_testing::RestakingSuite;

#[test]
fn native_to_lrt_earns_staking_and_service_rewards() {
    let (mut suite, svc) = restaking_suite();
    suite.vault_deposit("alice", 1_000_000_000).unwrap();
    // one LST per native, one LRT per LST
    assert_eq!(suite.lrt_balance("alice"), 1_000_000_000);
    let p = suite.position("alice");
    assert_eq!(
        (p.value.u128(), p.value_native.u128()),
        (1_000_000_000, 1_000_000_000)
    );
    suite.vault_crank().unwrap();
    let rs = suite.restaking();
    assert_eq!(
        suite.registry_position(&rs.vault).delegated_value.u128(),
        1_000_000_000
    );
    assert_eq!(suite.vault_state().idle.u128(), 0);
    // the service can slash half of op1's stake, 10 % of that per epoch
    let exposure = suite.exposure();
    assert_eq!(exposure.services[0].allocated.u128(), 500_000_000);
    assert_eq!(exposure.services[0].max_slash_per_epoch.u128(), 50_000_000);
    assert_eq!(exposure.services[0].share_bps, 5_000);

    // a day later the service, which declared 5 % a year on its allocated stake, pays
    // 100,000,000 for it; op1 keeps 10 % commission; the vault is its only delegator. The
    // 90,000,000 left stream to op1's delegators over the registry's reward period (a week):
    // nothing is counted yet
    suite.advance_days(1);
    assert_eq!(suite.service(svc).reward_rate_bps, 500);
    suite.pay_service_rewards("svc", svc, 100_000_000).unwrap();
    assert_eq!(suite.service(svc).rewards_paid.u128(), 100_000_000);
    assert_eq!(
        suite.operator("op1").commission_unclaimed.u128(),
        10_000_000
    );
    assert_eq!(suite.vault_state().rewards_native.u128(), 0);
    assert_eq!(suite.position("alice").value.u128(), 1_000_000_000);

    // eight days of staking rewards: 8 x 1e9 x 0.001 = 8,000,000, hub fee 10 %; the whole
    // service payment has streamed by then
    suite.advance_time(tributary_testing::REWARD_PERIOD);
    suite.crank().unwrap();
    let hub_t = 1_008_000_000u128;
    let hub_fee_lst = mint(800_000, 1_007_200_000, 1_000_000_000);
    let hub_s = 1_000_000_000 + hub_fee_lst;
    let state = suite.vault_state();
    assert_eq!(state.rewards_native.u128(), 90_000_000);
    // valued as the LST bonding them would give, less the vault's 10 % fee
    let received = mint(90_000_000, hub_t, hub_s);
    let fee = received / 10;
    assert_eq!(state.rewards_value.u128(), received - fee);
    let before_crank = suite.position("alice").value.u128();
    assert_eq!(
        before_crank,
        redeem(1_000_000_000, 1_000_000_000 + received - fee, 1_000_000_000)
    );

    // the crank claims, bonds and compounds them; the fee is minted as LRT
    suite.vault_crank().unwrap();
    let fee_lrt = fee * (1_000_000_000 + V) / (1_000_000_000 + received - fee + V);
    assert_eq!(suite.lrt_balance_of_fee(), fee_lrt);
    let vault_t = 1_000_000_000 + received;
    let vault_s = 1_000_000_000 + fee_lrt;
    assert_eq!(suite.vault_state().total_value.u128(), vault_t);
    assert_eq!(
        suite.registry_position(&rs.vault).delegated_value.u128(),
        vault_t
    );
    let alice_lst = redeem(1_000_000_000, vault_t, vault_s);
    let p = suite.position("alice");
    assert_eq!(p.value.u128(), alice_lst);
    // the crank moved nothing but rounding, in the protocol's favour
    assert!(alice_lst >= before_crank && alice_lst - before_crank <= 1);
    // and in native: the hub now also holds the bonded rewards
    let hub_t2 = hub_t + 90_000_000;
    let hub_s2 = hub_s + received;
    assert_eq!(p.value_native.u128(), redeem(alice_lst, hub_t2, hub_s2));
    // alice's gain: staking rewards on 1e9 plus the service rewards net of commission and fees,
    // less rounding and the virtual shares' part
    let gain = p.value_native.u128() - 1_000_000_000;
    assert!(
        gain > 7_200_000 + 80_000_000 && gain < 8_000_000 + 90_000_000,
        "gain {gain}"
    );
}

trait FeeBalance {
    fn lrt_balance_of_fee(&self) -> u128;
}

impl FeeBalance for RestakingSuite {
    fn lrt_balance_of_fee(&self) -> u128 {
        let res: cw20::BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                self.restaking().lrt,
                &cw20::Cw20QueryMsg::Balance {
                    address: self.fee_addr.to_string(),
                },
            )
            .unwrap();
        res.balance.u128()
    }
}
