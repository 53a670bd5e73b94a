//! Pool access control, pauses and bad input: clear errors, nothing changed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use anyhow::Result as AnyResult;
use cosmwasm_std::{coin, Binary, Coin, Decimal, Uint128};
use cw_multi_test::{AppResponse, Executor};
use cw_utils::PaymentError;
use tributary_stableswap::ContractError;
use tributary_testing::{run_cases, Case, CommonError, Expected, MarketSuite, SuiteBuilder, DENOM};
use tributary_types::stableswap::{
    ExecuteMsg as PoolMsg, PegResponse, PoolConfigResponse, PoolPauseFlags, PoolResponse,
    QueryMsg as PoolQuery, ReceiveMsg, MAX_ADMIN_FEE, MAX_FEE,
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

/// A failure case (alice's view and the pool must not change).
fn case(
    name: &'static str,
    expected: impl Into<Expected>,
    action: impl Fn(&mut MarketSuite) -> AnyResult<AppResponse> + 'static,
) -> Case<MarketSuite> {
    tributary_testing::case(name, "alice", expected, action)
}

/// Each case, in order on the same suite, fails as expected and changes nothing observable in
/// the pool or for alice.
fn assert_cases(s: &mut MarketSuite, cases: Vec<Case<MarketSuite>>) {
    run_cases(s, cases, |s, _| snapshot(s));
}

/// A pool message sent as `user` with `native` attached.
fn pool(
    user: &'static str,
    msg: PoolMsg,
    native: u128,
) -> impl Fn(&mut MarketSuite) -> AnyResult<AppResponse> {
    move |s| s.pool_exec(user, &msg, native)
}

/// A pool message sent as alice with exactly `funds` attached.
fn pool_with(
    msg: PoolMsg,
    funds: Vec<Coin>,
) -> impl Fn(&mut MarketSuite) -> AnyResult<AppResponse> {
    move |s| {
        let (alice, pool) = (s.addr("alice"), s.market().pool);
        s.app.execute_contract(alice, pool, &msg, &funds)
    }
}

#[test]
fn owner_messages_are_owner_only() {
    let mut suite = market();
    let now = suite.app.block_info().time.seconds();
    let mallory = suite.addr("mallory").to_string();
    let only_the_owner = || CommonError::Unauthorized {
        reason: "only the owner may do this".into(),
    };
    let mut cases: Vec<Case<MarketSuite>> = [
        (
            "ramp A",
            PoolMsg::RampA {
                future_a: 100,
                future_time: now + 2 * 86_400,
            },
        ),
        ("stop the ramp", PoolMsg::StopRampA {}),
        (
            "set the fees",
            PoolMsg::SetFees {
                fee: 1,
                admin_fee: 1,
            },
        ),
        (
            "pause everything",
            PoolMsg::SetPause(PoolPauseFlags {
                provide: true,
                swap: true,
                withdraw_one: true,
            }),
        ),
        (
            "transfer ownership",
            PoolMsg::UpdateOwnership(cw_ownable::Action::TransferOwnership {
                new_owner: mallory,
                expiry: None,
            }),
        ),
    ]
    .into_iter()
    .map(|(name, msg)| case(name, only_the_owner(), pool("alice", msg, 0)))
    .collect();
    cases.extend([
        case(
            "swap fee above the maximum",
            ContractError::SwapFeeTooHigh {
                fee: 100_000_001,
                max: MAX_FEE,
            },
            pool(
                "owner",
                PoolMsg::SetFees {
                    fee: 100_000_001,
                    admin_fee: 0,
                },
                0,
            ),
        ),
        case(
            "admin fee above the maximum",
            ContractError::SwapFeeTooHigh {
                fee: 10_000_000_001,
                max: MAX_ADMIN_FEE,
            },
            pool(
                "owner",
                PoolMsg::SetFees {
                    fee: 0,
                    admin_fee: 10_000_000_001,
                },
                0,
            ),
        ),
    ]);
    assert_cases(&mut suite, cases);
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
    let paused = |operation: &str| CommonError::Paused {
        operation: operation.into(),
    };
    let lp = suite.market().lp;
    let half = suite.lp_balance("alice") / 2;
    let withdraw_lp = lp.clone();
    assert_cases(
        &mut suite,
        vec![
            case("provide", paused("provide"), |s| {
                s.provide_liquidity("alice", TOKEN, TOKEN)
            }),
            case("sell LST", paused("swap"), |s| {
                s.sell_lst("alice", TOKEN, None)
            }),
            case("buy LST", paused("swap"), |s| s.buy_lst("alice", TOKEN)),
            // the hub's instant unstake sells in the pool, which refuses
            case("instant unstake", paused("swap"), |s| {
                s.instant_unstake("alice", TOKEN, None)
            }),
            case("withdraw one coin", paused("withdraw_one"), move |s| {
                s.pool_send(
                    "alice",
                    &withdraw_lp,
                    half,
                    &ReceiveMsg::WithdrawOne {
                        coin: 0,
                        min_out: None,
                    },
                )
            }),
        ],
    );
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
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: suite.addr("alice").to_string(),
                amount: vec![coin(TOKEN, "uother")],
            },
        ))
        .unwrap();
    let (lst, lp) = (suite.lst.clone(), suite.market().lp);
    let lst_sells_for = suite.simulate_swap(0, TOKEN).return_amount;
    let native_buys = suite.simulate_swap(1, TOKEN).return_amount;
    let send_lp = |lp: &cosmwasm_std::Addr, amount: u128, hook: ReceiveMsg| {
        let lp = lp.clone();
        move |s: &mut MarketSuite| s.pool_send("alice", &lp, amount, &hook)
    };
    let swap = |min_out: Option<Uint128>| PoolMsg::Swap { min_out, to: None };
    let provide = |lst: u128, native: u128| PoolMsg::ProvideLiquidity {
        amounts: [Uint128::new(lst), Uint128::new(native)],
        min_lp: None,
    };
    let before_providing = vec![
        // slippage
        case(
            "selling LST below min_out",
            ContractError::Slippage {
                min: Uint128::new(TOKEN),
                got: lst_sells_for,
            },
            |s| s.sell_lst("alice", TOKEN, Some(TOKEN)),
        ),
        case(
            "buying LST below a min_out of u128::MAX",
            ContractError::Slippage {
                min: Uint128::MAX,
                got: native_buys,
            },
            pool("alice", swap(Some(Uint128::MAX)), TOKEN),
        ),
        // zero and nothing
        case("selling zero LST", CommonError::ZeroAmount {}, |s| {
            s.sell_lst("alice", 0, None)
        }),
        // cw-utils' `PaymentError`, wrapped by the pool as `ContractError::Payment`
        case(
            "a native swap without funds",
            ContractError::Payment(PaymentError::NoFunds {}),
            pool("alice", swap(None), 0),
        ),
        case(
            "providing nothing",
            CommonError::ZeroAmount {},
            pool("alice", provide(0, 0), 0),
        ),
        // wrong denom, or funds that do not match the amounts
        case(
            "a denom the pool does not trade",
            ContractError::WrongAsset {
                expected: format!("{lst} or {DENOM}"),
                got: "uother".into(),
            },
            pool_with(swap(None), vec![coin(TOKEN, "uother")]),
        ),
        case(
            "funds that do not match the native amounts",
            ContractError::FundsMismatch {
                expected: format!("{:?}", vec![coin(TOKEN, DENOM)]),
                got: format!("{:?}", vec![coin(TOKEN - 1, DENOM)]),
            },
            pool_with(provide(0, TOKEN), vec![coin(TOKEN - 1, DENOM)]),
        ),
        // withdrawing more LP than held: refused by the LP token (cw20-base) before the hook, so
        // matched by its text
        case(
            "withdrawing LP not held",
            "Overflow",
            send_lp(&lp, 1, ReceiveMsg::WithdrawLiquidity { min_amounts: None }),
        ),
    ];
    assert_cases(&mut suite, before_providing);
    suite
        .provide_liquidity("alice", 1_000 * TOKEN, 1_000 * TOKEN)
        .unwrap();
    // a bad coin index, LP hooks from other tokens
    let wrong_lp_hook = lst.clone();
    let after_providing = vec![
        case(
            "a coin index that does not exist",
            ContractError::InvalidCoin { index: 7 },
            send_lp(
                &lp,
                1_000,
                ReceiveMsg::WithdrawOne {
                    coin: 7,
                    min_out: None,
                },
            ),
        ),
        case(
            "a withdrawal hook from the LST",
            ContractError::WrongAsset {
                expected: "one of the pool's cw20 coins (swap, provide) or its LP token (withdraw)"
                    .into(),
                got: lst.to_string(),
            },
            move |s| {
                s.pool_send(
                    "alice",
                    &wrong_lp_hook,
                    1_000,
                    &ReceiveMsg::WithdrawLiquidity { min_amounts: None },
                )
            },
        ),
        // serde's parse error of a hook the pool does not know: not our contracts' error, so
        // matched by its text
        case("a malformed hook", "Error parsing", |s| {
            let (alice, token, pool) = (s.addr("alice"), s.lst.clone(), s.market().pool);
            s.app.execute_contract(
                alice,
                token,
                &cw20::Cw20ExecuteMsg::Send {
                    contract: pool.to_string(),
                    amount: Uint128::new(1_000),
                    msg: Binary::from(b"{\"drain\":{}}".to_vec()),
                },
                &[],
            )
        }),
        // a deposit without approving the LST fails in the token (cw20-base reports the missing
        // allowance as an underflow), atomically: not our contracts' error, so matched by its text
        case(
            "a deposit of LST not approved",
            "Cannot Sub with given operands",
            pool("alice", provide(TOKEN, 0), 0),
        ),
    ];
    assert_cases(&mut suite, after_providing);
    // instant unstake without a pool configured
    suite
        .execute(
            "owner",
            &tributary_types::hub::ExecuteMsg::SetInstantUnstakePool { pool: None },
        )
        .unwrap();
    assert_cases(
        &mut suite,
        vec![case(
            "instant unstake without a pool",
            CommonError::invalid_config("instant unstaking is not enabled: no pool is configured"),
            |s| s.instant_unstake("alice", TOKEN, None),
        )],
    );
}
