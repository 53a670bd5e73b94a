//! The vault's liquidity-provision strategy: deposits into the LST/native pool, fee income,
//! withdrawal, with the vault's books matching what it holds at every step.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cosmwasm_std::Decimal;
use tributary_lp_strategy::ContractError;
use tributary_testing::{CommonError, Expected, FullSuite, SuiteBuilder};
use tributary_types::stableswap::QueryMsg as PoolQuery;

const TOKEN: u128 = 1_000_000;

fn books_match(suite: &FullSuite) {
    let v = suite.vault_state();
    let parts = v.idle.u128()
        + v.operators.iter().map(|o| o.value.u128()).sum::<u128>()
        + v.undelegating.u128()
        + v.strategies.iter().map(|s| s.value.u128()).sum::<u128>()
        + v.rewards_value.u128();
    assert_eq!(v.total_value.u128() + v.withheld.u128(), parts);
    let rs = suite.restaking();
    assert_eq!(
        suite.lst_balance_of(&rs.vault),
        v.idle.u128() + v.reserved.u128()
    );
}

#[test]
fn lp_strategy_deposits_earns_fees_and_withdraws() {
    let (mut suite, strategy) = common::lp_vault(
        500_000 * TOKEN,
        &[("alice", 1_000_000 * TOKEN), ("trader", 1_000_000 * TOKEN)],
        2_000,
    );
    suite.vault_deposit("alice", 100_000 * TOKEN).unwrap();
    // the strategy takes at most 2 % of the pool's smaller side per deposit (10,000 here); the
    // rest of its target waits idle for the next crank, not with the operator
    suite.vault_crank().unwrap();
    books_match(&suite);
    let v = suite.vault_state();
    assert!(v.strategies[0].value.u128() > 9_990 * TOKEN);
    assert_eq!(v.idle.u128(), 10_000 * TOKEN);
    assert_eq!(v.operators[0].value.u128(), 80_000 * TOKEN);
    suite.advance_time(3_600);
    suite.vault_crank().unwrap();
    books_match(&suite);

    // 20,000 LST went into the pool one-sided; the strategy is worth its LP's fair value (the
    // pool's `FairValue`: its share of D, which no swap can lower): a little less than 20,000
    // (the imbalance the deposit made), not the spot one-coin withdrawal value
    let v = suite.vault_state();
    let value = v.strategies[0].value.u128();
    let lp = {
        let res: cw20::BalanceResponse = suite
            .app
            .wrap()
            .query_wasm_smart(
                suite.market().lp,
                &cw20::Cw20QueryMsg::Balance {
                    address: strategy.to_string(),
                },
            )
            .unwrap();
        res.balance
    };
    let fair: cosmwasm_std::Uint128 = suite
        .app
        .wrap()
        .query_wasm_smart(suite.market().pool, &PoolQuery::FairValue { lp, coin: 0 })
        .unwrap();
    assert_eq!(value, fair.u128());
    assert!(value < 20_000 * TOKEN && value > 19_990 * TOKEN, "{value}");
    assert_eq!(v.operators[0].value.u128(), 80_000 * TOKEN);
    let total_before = v.total_value.u128();
    assert_eq!(total_before, 80_000 * TOKEN + value + v.idle.u128());
    assert!(v.idle.u128() <= TOKEN / 100, "{}", v.idle);

    // traders swap back and forth: the fees raise the LP's withdrawal value
    suite.bond("trader", 200_000 * TOKEN).unwrap();
    for _ in 0..10 {
        suite.sell_lst("trader", 50_000 * TOKEN, None).unwrap();
        suite.buy_lst("trader", 50_000 * TOKEN).unwrap();
    }
    books_match(&suite);
    let earned = suite.vault_state().strategies[0].value.u128();
    assert!(
        earned > value,
        "fees should raise the strategy's value: {earned} <= {value}"
    );
    assert!(suite.vault_state().total_value.u128() > total_before);
    assert!(suite.position("alice").value.u128() > 99_990 * TOKEN);

    // retire the strategy: its LP is withdrawn in LST and goes back to work with the operator
    suite.set_strategy(&strategy, 0);
    suite.vault_crank().unwrap();
    books_match(&suite);
    suite.vault_crank().unwrap();
    books_match(&suite);
    let v = suite.vault_state();
    assert!(v.strategies.is_empty());
    assert_eq!(v.idle.u128(), 0);
    // everything the withdrawal returned is now with the operator: the LP's fair value, less
    // what a one-sided exit of a balanced-again pool costs (well inside the 1 % bound)
    let back = v.operators[0].value.u128() - 80_000 * TOKEN;
    assert!(
        back <= earned && back >= earned - earned / 10_000,
        "{back} vs {earned}"
    );
}

#[test]
fn lp_strategy_accepts_only_the_vault() {
    use cw_multi_test::Executor;
    use tributary_types::strategy::LpStrategyExecuteMsg;
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_restaking()
        .with_market(1_000 * TOKEN)
        .with_funds("mallory", 1_000 * TOKEN)
        .build();
    let strategy = suite.deploy_lp_strategy();
    suite.bond("mallory", 10 * TOKEN).unwrap();
    let (mallory, lst, vault) = (
        suite.addr("mallory"),
        suite.lst.clone(),
        suite.restaking().vault,
    );
    let err = suite
        .app
        .execute_contract(
            mallory.clone(),
            lst,
            &cw20::Cw20ExecuteMsg::Send {
                contract: strategy.to_string(),
                amount: cosmwasm_std::Uint128::new(TOKEN),
                msg: cosmwasm_std::to_json_binary(
                    &tributary_types::strategy::StrategyReceiveMsg::Deposit {},
                )
                .unwrap(),
            },
            &[],
        )
        .unwrap_err();
    Expected::from(ContractError::NotVaultLst {}).check(&err);
    let withdraw = LpStrategyExecuteMsg::Withdraw {
        amount: cosmwasm_std::Uint128::new(TOKEN),
    };
    let err = suite
        .app
        .execute_contract(mallory.clone(), strategy.clone(), &withdraw, &[])
        .unwrap_err();
    Expected::from(CommonError::Unauthorized {
        reason: "only the vault may withdraw".into(),
    })
    .check(&err);
    let err = suite
        .app
        .execute_contract(vault, strategy.clone(), &withdraw, &[])
        .unwrap_err();
    Expected::from(ContractError::NothingToWithdraw {}).check(&err);
    let err = suite
        .app
        .execute_contract(
            mallory,
            strategy,
            &LpStrategyExecuteMsg::ForwardToVault {},
            &[],
        )
        .unwrap_err();
    Expected::from(CommonError::Unauthorized {
        reason: "only the strategy itself may forward".into(),
    })
    .check(&err);
}
