//! The StableSwap market: known values through the contract, a depeg sell-off with the peg query,
//! instant unstaking against the batch route, the moving-average price, A ramping and fees.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Decimal, Uint128};
use tributary_stableswap::ContractError;
use tributary_testing::{event_attr, Expected, MarketSuite, RampError, SuiteBuilder, DAY};
use tributary_types::stableswap::ExecuteMsg as PoolMsg;

const TOKEN: u128 = 1_000_000;

/// A 1,000,000-token pool (500k LST + 500k native), A = 50, 4 bps, at genesis (rate 1).
fn market() -> MarketSuite {
    market_with_apr(Decimal::permille(365))
}

/// The same with another staking APR. (cw-multi-test's reward simulation multiplies stake by
/// accrued rewards in a 128-bit decimal, which overflows past ~3.4e20; tests that let weeks
/// pass on millions of tokens run at zero APR.)
fn market_with_apr(apr: Decimal) -> MarketSuite {
    SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(apr)
        .with_market(500_000 * TOKEN)
        .with_funds("alice", 10_000_000 * TOKEN)
        .build()
}

#[test]
fn selling_one_lst_into_the_balanced_million_returns_0_9996() {
    let mut suite = market();
    let pool = suite.pool_info();
    assert_eq!(
        pool.balances,
        [Uint128::new(500_000 * TOKEN), Uint128::new(500_000 * TOKEN)]
    );
    assert_eq!(pool.coin0_share_bps, 5_000);
    assert_eq!(pool.amp, 5_000);
    suite.bond("alice", TOKEN).unwrap();
    let quoted = suite.simulate_swap(0, TOKEN).return_amount.u128();
    let before = suite.native_balance("alice");
    let res = suite.sell_lst("alice", TOKEN, Some(999_599)).unwrap();
    let got = suite.native_balance("alice") - before;
    assert_eq!(got, 999_599, "0.9996 native");
    assert_eq!(got, quoted);
    assert_eq!(event_attr(&res, "fee").unwrap(), "399");
    // half of the fee is the admin's, held apart from the LPs' balances
    assert_eq!(suite.pool_info().admin_balances[1].u128(), 199);
}

#[test]
fn a_depeg_sell_off_shows_in_the_peg_query_and_both_exit_routes() {
    let mut suite = market_with_apr(Decimal::zero());
    suite.bond("alice", 5_000_000 * TOKEN).unwrap();
    let peg = suite.peg();
    assert_eq!(peg.spot_discount_bps, 0);
    assert_eq!(peg.spot_price, Decimal::one());
    // holders sell LST until the pool is 80 % LST
    let mut sold = 0;
    while suite.pool_info().coin0_share_bps < 8_000 {
        suite.sell_lst("alice", 5_000 * TOKEN, None).unwrap();
        sold += 5_000 * TOKEN;
    }
    let pool = suite.pool_info();
    assert!(
        pool.coin0_share_bps >= 8_000 && pool.coin0_share_bps < 8_050,
        "{}",
        pool.coin0_share_bps
    );
    let peg = suite.peg();
    assert_eq!(peg.redemption_rate, Decimal::one());
    assert!(peg.spot_price < Decimal::one());
    // the discount is what the marginal price says, in bps
    let expected = Uint128::new(10_000)
        .mul_floor(Decimal::one() - peg.spot_price)
        .u128() as u16;
    assert_eq!(peg.spot_discount_bps, expected);
    assert!(
        peg.spot_discount_bps > 30 && peg.spot_discount_bps < 300,
        "{}",
        peg.spot_discount_bps
    );
    // the moving average has not caught up yet (same block); it does over time
    assert!(peg.ema_price > peg.spot_price);
    suite.advance_time(6_000);
    let later = suite.peg();
    // ten time constants later the average has moved 1 - e^-10 of the way to the price it was
    // fed: the spot price, but at most 2 % (EMA_FEED_CAP_BPS) from the average per update
    let weight = Decimal::one()
        - tributary_math::stableswap::exp_neg(Decimal::from_ratio(10u8, 1u8)).unwrap();
    let fed = peg.spot_price.max(peg.ema_price * Decimal::percent(98));
    assert!(
        fed > peg.spot_price,
        "the sale moved the spot more than 2 %"
    );
    assert_eq!(
        later.ema_price,
        peg.ema_price - (peg.ema_price - fed) * weight
    );
    assert!(later.ema_price < peg.ema_price && later.ema_price >= later.spot_price);
    // the next update feeds it the rest of the way (a trade of one token)
    suite.sell_lst("alice", TOKEN, None).unwrap();
    suite.advance_time(6_000);
    let again = suite.peg();
    assert!(again.ema_price < later.ema_price);
    assert!(again.ema_price - again.spot_price < Decimal::permille(1));
    assert!(later.ema_discount_bps > 0);
    assert!(sold > 0);

    // instant unstake pays exactly what the pool quotes now, less than the rate
    let lst = 10_000 * TOKEN;
    let quote = suite.simulate_swap(0, lst).return_amount.u128();
    let before = suite.native_balance("alice");
    suite.instant_unstake("alice", lst, Some(quote)).unwrap();
    let instant = suite.native_balance("alice") - before;
    assert_eq!(instant, quote);
    assert!(instant < lst);
    // a min_out above the quote is refused by the pool
    let requote = suite.simulate_swap(0, lst).return_amount;
    Expected::from(ContractError::Slippage {
        min: Uint128::new(lst),
        got: requote,
    })
    .check(&suite.instant_unstake("alice", lst, Some(lst)).unwrap_err());

    // the batch route pays the full redemption value after the unbonding time
    let rate_value = suite.lst_value(lst);
    suite.unbond("alice", lst).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    let owed = suite.unbond_requests("alice").requests[0]
        .native_amount
        .u128();
    assert!(
        owed >= rate_value,
        "batch {owed} < value at the rate {rate_value}"
    );
    suite.advance_days(21);
    let before = suite.native_balance("alice");
    suite.claim("alice").unwrap();
    let batch = suite.native_balance("alice") - before;
    assert_eq!(batch, owed);
    assert!(
        batch > instant + lst / 1_000,
        "waiting pays more than the discounted market"
    );
}

#[test]
fn the_pool_prices_the_lst_at_the_hub_rate() {
    let mut suite = market();
    // a day of rewards raises the LST's rate; the pool quotes the LST at it
    suite.advance_days(1);
    suite.crank().unwrap();
    let rate = suite.state().exchange_rate;
    assert!(rate > Decimal::one());
    let peg = suite.peg();
    assert_eq!(peg.redemption_rate, rate);
    // the balances are unchanged, so the LST side now holds a little more value: it trades a
    // hair below the rate, but far above the old 1:1 (the pool follows the rate)
    assert!(peg.spot_price < rate && peg.spot_price > Decimal::one());
    assert!(peg.spot_discount_bps <= 1, "{}", peg.spot_discount_bps);
    suite.bond("alice", 1_000 * TOKEN).unwrap();
    let out = suite.simulate_swap(0, 1_000 * TOKEN).return_amount.u128();
    assert!(out > 1_000 * TOKEN);
}

#[test]
fn liquidity_round_trip_and_one_sided_withdrawal() {
    let mut suite = market();
    suite.bond("alice", 100_000 * TOKEN).unwrap();
    suite
        .provide_liquidity("alice", 100_000 * TOKEN, 100_000 * TOKEN)
        .unwrap();
    let lp = suite.lp_balance("alice");
    assert!(lp > 0);
    let lp_token = suite.market().lp;
    let (lst0, native0) = (suite.lst_balance("alice"), suite.native_balance("alice"));
    suite
        .pool_send(
            "alice",
            &lp_token,
            lp / 2,
            &tributary_types::stableswap::ReceiveMsg::WithdrawLiquidity { min_amounts: None },
        )
        .unwrap();
    let (lst1, native1) = (suite.lst_balance("alice"), suite.native_balance("alice"));
    // a balanced deposit withdrawn in proportion returns at most what was put in
    assert!(lst1 - lst0 <= 50_000 * TOKEN && native1 - native0 <= 50_000 * TOKEN);
    assert!(lst1 - lst0 >= 50_000 * TOKEN - 1 && native1 - native0 >= 50_000 * TOKEN - 1);
    // one-sided into native: less than the position's value (imbalance slippage and fee on ~9 %
    // of the pool at A = 50: about 0.12 %)
    suite
        .pool_send(
            "alice",
            &lp_token,
            lp - lp / 2,
            &tributary_types::stableswap::ReceiveMsg::WithdrawOne {
                coin: 1,
                min_out: None,
            },
        )
        .unwrap();
    let native2 = suite.native_balance("alice");
    let one_sided = native2 - native1;
    assert!(
        one_sided < 100_000 * TOKEN && one_sided > 99_800 * TOKEN,
        "{one_sided}"
    );
    assert_eq!(suite.lp_balance("alice"), 0);
}

#[test]
fn a_ramps_within_bounds_and_fees_are_collected() {
    let mut suite = market_with_apr(Decimal::zero());
    let now = suite.app.block_info().time.seconds();
    for (a, t) in [
        (0, now + 2 * DAY),
        (501, now + 2 * DAY),
        (100, now + 3_600),
        (1_000_001, now + 2 * DAY),
    ] {
        let err = suite
            .pool_exec(
                "owner",
                &PoolMsg::RampA {
                    future_a: a,
                    future_time: t,
                },
                0,
            )
            .unwrap_err();
        assert!(
            Expected::from(RampError::Invalid).matches(&err),
            "{a}: {err:#}"
        );
    }
    suite
        .pool_exec(
            "owner",
            &PoolMsg::RampA {
                future_a: 100,
                future_time: now + 2 * DAY,
            },
            0,
        )
        .unwrap();
    suite.advance_days(1);
    assert_eq!(suite.pool_info().amp, 7_500);
    suite.advance_days(1);
    assert_eq!(suite.pool_info().amp, 10_000);
    // fees: trades accrue admin fees, which anyone sends to the fee recipient
    suite.bond("alice", 10_000 * TOKEN).unwrap();
    suite.sell_lst("alice", 10_000 * TOKEN, None).unwrap();
    suite.buy_lst("alice", 10_000 * TOKEN).unwrap();
    let admin = suite.pool_info().admin_balances;
    assert!(!admin[0].is_zero() && !admin[1].is_zero());
    let treasury = suite.fee_addr.clone();
    let before = (
        suite.lst_balance_of(&treasury),
        suite.native_balance_of(&treasury),
    );
    suite
        .pool_exec("keeper", &PoolMsg::CollectAdminFees {}, 0)
        .unwrap();
    assert_eq!(suite.lst_balance_of(&treasury) - before.0, admin[0].u128());
    assert_eq!(
        suite.native_balance_of(&treasury) - before.1,
        admin[1].u128()
    );
    Expected::from(ContractError::NothingToCollect {}).check(
        &suite
            .pool_exec("keeper", &PoolMsg::CollectAdminFees {}, 0)
            .unwrap_err(),
    );
}

#[test]
fn an_lrt_pool_reports_its_peg_against_the_vault_rate() {
    use tributary_types::stableswap::{AssetInfo, InstantiateMsg, QueryMsg, RateSource};
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_restaking()
        .with_market(1_000 * TOKEN)
        .with_funds("alice", 1_000_000 * TOKEN)
        .build();
    suite.register_operator("op1", 0);
    let svc = suite.register_service("svc", 1_000, 86_400);
    suite.serve("op1", svc, 10_000);
    suite.set_operator_targets(&[("op1", 1)]);
    suite.vault_deposit("alice", 200_000 * TOKEN).unwrap();
    suite.vault_crank().unwrap();
    // a day later, service rewards (streamed over the registry's reward period) lift the LRT
    // above one LST
    suite.advance_days(1);
    suite
        .pay_service_rewards("svc", svc, 10_000 * TOKEN)
        .unwrap();
    suite.advance_time(tributary_testing::REWARD_PERIOD);
    suite.vault_crank().unwrap();
    let vault_rate = suite.vault_state().rate;
    assert!(vault_rate > Decimal::one());
    // an LRT/LST pool priced at the vault's rate
    let rs = suite.restaking();
    let (owner, pool_code, lst) = (
        suite.owner.clone(),
        suite.market().pool_code,
        suite.lst.clone(),
    );
    let cw20_code = suite
        .app
        .store_code(Box::new(cw_multi_test::ContractWrapper::new(
            cw20_base::contract::execute,
            cw20_base::contract::instantiate,
            cw20_base::contract::query,
        )));
    let pool = cw_multi_test::Executor::instantiate_contract(
        &mut suite.app,
        pool_code,
        owner.clone(),
        &InstantiateMsg {
            owner: owner.to_string(),
            assets: [
                AssetInfo::Cw20 {
                    contract: rs.lrt.to_string(),
                },
                AssetInfo::Cw20 {
                    contract: lst.to_string(),
                },
            ],
            decimals: [6, 6],
            rate_source: RateSource::Vault {
                contract: rs.vault.to_string(),
            },
            amp: 100,
            fee: 4_000_000,
            admin_fee: 0,
            fee_recipient: owner.to_string(),
            ema_time: 600,
            lp: tributary_types::token::TokenInfo {
                code_id: cw20_code,
                name: "LRT-LST LP".into(),
                symbol: "rLP".into(),
                decimals: 18,
            },
        },
        &[],
        "lrt-pool",
        None,
    )
    .unwrap();
    let peg: tributary_types::stableswap::PegResponse = suite
        .app
        .wrap()
        .query_wasm_smart(&pool, &QueryMsg::Peg {})
        .unwrap();
    assert_eq!(peg.redemption_rate, vault_rate);
    assert_eq!(peg.spot_discount_bps, 0);
}
