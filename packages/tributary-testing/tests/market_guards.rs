//! Pool access control, pauses and bad input: clear errors, nothing changed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use anyhow::Result as AnyResult;
use cosmwasm_std::{coin, Decimal, Uint128};
use cw_multi_test::{AppResponse, Executor};
use tributary_testing::{MarketSuite, SuiteBuilder, DENOM};
use tributary_types::stableswap::{
    ExecuteMsg as PoolMsg, PegResponse, PoolConfigResponse, PoolPauseFlags, PoolResponse,
    QueryMsg as PoolQuery, ReceiveMsg,
};

const TOKEN: u128 = 1_000_000;

fn market() -> MarketSuite {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_market(500_000 * TOKEN)
        .with_funds("alice", 1_000_000 * TOKEN)
        .build();
    suite.bond("alice", 100_000 * TOKEN).unwrap();
    suite
}

fn snapshot(
    s: &MarketSuite,
) -> (
    PoolResponse,
    PoolConfigResponse,
    PegResponse,
    u128,
    u128,
    u128,
) {
    let pool = s.market().pool;
    (
        s.app
            .wrap()
            .query_wasm_smart(&pool, &PoolQuery::Pool {})
            .unwrap(),
        s.app
            .wrap()
            .query_wasm_smart(&pool, &PoolQuery::Config {})
            .unwrap(),
        s.peg(),
        s.lst_balance("alice"),
        s.native_balance("alice"),
        s.lp_balance("alice"),
    )
}

fn fails_unchanged(
    s: &mut MarketSuite,
    expected: &str,
    action: impl FnOnce(&mut MarketSuite) -> AnyResult<AppResponse>,
) {
    let before = snapshot(s);
    let err = action(s).expect_err("should fail");
    let text = format!("{err:#}");
    assert!(
        text.contains(expected),
        "expected {expected:?}, got {text:?}"
    );
    assert_eq!(before, snapshot(s), "a failed action changed state");
}

#[test]
fn owner_messages_are_owner_only() {
    let mut suite = market();
    let now = suite.app.block_info().time.seconds();
    let mallory = suite.addr("mallory").to_string();
    for msg in [
        PoolMsg::RampA {
            future_a: 100,
            future_time: now + 2 * 86_400,
        },
        PoolMsg::StopRampA {},
        PoolMsg::SetFees {
            fee: 1,
            admin_fee: 1,
        },
        PoolMsg::SetPause(PoolPauseFlags {
            provide: true,
            swap: true,
            withdraw_one: true,
        }),
        PoolMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
            new_owner: mallory,
            expiry: None,
        }),
    ] {
        fails_unchanged(&mut suite, "unauthorized", |s| {
            s.pool_exec("alice", &msg, 0)
        });
    }
    fails_unchanged(&mut suite, "above the maximum", |s| {
        s.pool_exec(
            "owner",
            &PoolMsg::SetFees {
                fee: 100_000_001,
                admin_fee: 0,
            },
            0,
        )
    });
    fails_unchanged(&mut suite, "above the maximum", |s| {
        s.pool_exec(
            "owner",
            &PoolMsg::SetFees {
                fee: 0,
                admin_fee: 10_000_000_001,
            },
            0,
        )
    });
}

#[test]
fn pauses_stop_provide_swap_and_one_coin_withdrawals_but_not_proportional_exit() {
    let mut suite = market();
    suite
        .provide_liquidity("alice", 10_000 * TOKEN, 10_000 * TOKEN)
        .unwrap();
    suite
        .pool_exec(
            "owner",
            &PoolMsg::SetPause(PoolPauseFlags {
                provide: true,
                swap: true,
                withdraw_one: true,
            }),
            0,
        )
        .unwrap();
    fails_unchanged(&mut suite, "provide is paused", |s| {
        s.provide_liquidity("alice", TOKEN, TOKEN)
    });
    fails_unchanged(&mut suite, "swap is paused", |s| {
        s.sell_lst("alice", TOKEN, None)
    });
    fails_unchanged(&mut suite, "swap is paused", |s| s.buy_lst("alice", TOKEN));
    fails_unchanged(&mut suite, "swap is paused", |s| {
        s.instant_unstake("alice", TOKEN, None)
    });
    let lp = suite.market().lp;
    let half = suite.lp_balance("alice") / 2;
    fails_unchanged(&mut suite, "withdraw_one is paused", |s| {
        s.pool_send(
            "alice",
            &lp,
            half,
            &ReceiveMsg::WithdrawOne {
                coin: 0,
                min_out: None,
            },
        )
    });
    // LPs can always leave in proportion
    suite
        .pool_send(
            "alice",
            &lp,
            half,
            &ReceiveMsg::WithdrawLiquidity { min_amounts: None },
        )
        .unwrap();
}

#[test]
fn bad_input_fails_clearly_and_changes_nothing() {
    let mut suite = market();
    // slippage
    fails_unchanged(&mut suite, "slippage", |s| {
        s.sell_lst("alice", TOKEN, Some(TOKEN))
    });
    fails_unchanged(&mut suite, "slippage", |s| {
        s.pool_exec(
            "alice",
            &PoolMsg::Swap {
                min_out: Some(Uint128::MAX),
                to: None,
            },
            TOKEN,
        )
    });
    // zero and nothing
    fails_unchanged(&mut suite, "zero amount", |s| s.sell_lst("alice", 0, None));
    fails_unchanged(&mut suite, "No funds sent", |s| {
        s.pool_exec(
            "alice",
            &PoolMsg::Swap {
                min_out: None,
                to: None,
            },
            0,
        )
    });
    fails_unchanged(&mut suite, "zero amount", |s| {
        s.pool_exec(
            "alice",
            &PoolMsg::ProvideLiquidity {
                amounts: [Uint128::zero(); 2],
                min_lp: None,
            },
            0,
        )
    });
    // wrong denom, or funds that do not match the amounts
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: suite.addr("alice").to_string(),
                amount: vec![coin(TOKEN, "uother")],
            },
        ))
        .unwrap();
    fails_unchanged(&mut suite, "this pool trades", |s| {
        let (alice, pool) = (s.addr("alice"), s.market().pool);
        s.app.execute_contract(
            alice,
            pool,
            &PoolMsg::Swap {
                min_out: None,
                to: None,
            },
            &[coin(TOKEN, "uother")],
        )
    });
    fails_unchanged(&mut suite, "must match the native amounts", |s| {
        let (alice, pool) = (s.addr("alice"), s.market().pool);
        s.app.execute_contract(
            alice,
            pool,
            &PoolMsg::ProvideLiquidity {
                amounts: [Uint128::zero(), Uint128::new(TOKEN)],
                min_lp: None,
            },
            &[coin(TOKEN - 1, DENOM)],
        )
    });
    // withdrawing more LP than held, a bad coin index, LP hooks from other tokens
    let lp = suite.market().lp;
    fails_unchanged(&mut suite, "Overflow", |s| {
        s.pool_send(
            "alice",
            &lp,
            1,
            &ReceiveMsg::WithdrawLiquidity { min_amounts: None },
        )
    });
    suite
        .provide_liquidity("alice", 1_000 * TOKEN, 1_000 * TOKEN)
        .unwrap();
    fails_unchanged(&mut suite, "coin index 7 does not exist", |s| {
        s.pool_send(
            "alice",
            &lp,
            1_000,
            &ReceiveMsg::WithdrawOne {
                coin: 7,
                min_out: None,
            },
        )
    });
    let lst = suite.lst.clone();
    fails_unchanged(&mut suite, "its LP token (withdraw)", |s| {
        s.pool_send(
            "alice",
            &lst,
            1_000,
            &ReceiveMsg::WithdrawLiquidity { min_amounts: None },
        )
    });
    fails_unchanged(&mut suite, "Error parsing", |s| {
        let (alice, token, pool) = (s.addr("alice"), s.lst.clone(), s.market().pool);
        s.app.execute_contract(
            alice,
            token,
            &cw20::Cw20ExecuteMsg::Send {
                contract: pool.to_string(),
                amount: Uint128::new(1_000),
                msg: cosmwasm_std::Binary::from(b"{\"drain\":{}}".to_vec()),
            },
            &[],
        )
    });
    // a deposit without approving the LST fails in the token (cw20-base reports the missing
    // allowance as an underflow), atomically
    fails_unchanged(&mut suite, "Cannot Sub with given operands", |s| {
        s.pool_exec(
            "alice",
            &PoolMsg::ProvideLiquidity {
                amounts: [Uint128::new(TOKEN), Uint128::zero()],
                min_lp: None,
            },
            0,
        )
    });
    // instant unstake without a pool configured
    suite
        .execute(
            "owner",
            &tributary_types::hub::ExecuteMsg::SetInstantUnstakePool { pool: None },
        )
        .unwrap();
    fails_unchanged(&mut suite, "instant unstaking is not enabled", |s| {
        s.instant_unstake("alice", TOKEN, None)
    });
}
