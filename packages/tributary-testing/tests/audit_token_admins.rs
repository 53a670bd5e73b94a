//! Second review, "also settle": the protocol owner cannot migrate a token to mint freely. The
//! LRT's and the LP token's wasm admin is the contract that owns them (the vault, the pool), not
//! the owner; a migration attempted by the owner is refused by the chain.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::Decimal;
use cw_multi_test::Executor;
use tributary_testing::{Expected, SuiteBuilder};

#[test]
fn the_vault_and_the_pool_administer_their_own_tokens() {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_restaking()
        .with_market(1_000_000)
        .build();
    let rs = suite.restaking();
    let mk = suite.market();
    for (token, owner_contract) in [(rs.lrt.clone(), rs.vault.clone()), (mk.lp, mk.pool)] {
        let info = suite.app.contract_data(&token).unwrap();
        assert_eq!(info.admin, Some(owner_contract.clone()), "{token}");
        // the protocol owner is not the token's admin: a migration from it fails
        let owner = suite.owner.clone();
        let code = info.code_id;
        let err = suite
            .app
            .migrate_contract(owner, token.clone(), &cosmwasm_std::Empty {}, code)
            .unwrap_err();
        // refused by the chain (cw-multi-test's wasm keeper), not by a contract: its text
        let refusal = format!(
            "Only admin can migrate contract: {:?}",
            Some(owner_contract)
        );
        Expected::from(refusal.as_str()).check(&err);
    }
}
