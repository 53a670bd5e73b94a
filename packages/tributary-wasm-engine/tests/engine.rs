//! The engine on a real artifact (the token code, cw20-base): it runs, it agrees with the
//! native code, it meters gas, and a transaction over its limit fails with nothing changed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Addr, Empty, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw20_base::msg::InstantiateMsg;
use cw_multi_test::{App, ContractWrapper, Executor};
use tributary_wasm_engine::{metered, EngineError, WasmContract};

struct Token {
    app: App,
    token: Addr,
    alice: Addr,
    bob: Addr,
}

fn token(wasm: bool) -> Token {
    let mut app = App::default();
    let code = if wasm {
        app.store_code(Box::new(WasmContract::load("tributary_token").unwrap()))
    } else {
        app.store_code(Box::new(ContractWrapper::<_, _, _, _, _, _, Empty>::new(
            cw20_base::contract::execute,
            cw20_base::contract::instantiate,
            cw20_base::contract::query,
        )))
    };
    let alice = app.api().addr_make("alice");
    let bob = app.api().addr_make("bob");
    let token = app
        .instantiate_contract(
            code,
            alice.clone(),
            &InstantiateMsg {
                name: "Token".into(),
                symbol: "TKN".into(),
                decimals: 6,
                initial_balances: vec![Cw20Coin {
                    address: alice.to_string(),
                    amount: Uint128::new(1_000),
                }],
                mint: None,
                marketing: None,
            },
            &[],
            "token",
            None,
        )
        .unwrap();
    Token {
        app,
        token,
        alice,
        bob,
    }
}

impl Token {
    fn balance(&self, who: &Addr) -> u128 {
        let r: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.token,
                &Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .unwrap();
        r.balance.u128()
    }

    fn transfer(&mut self, amount: u128) -> anyhow::Result<cw_multi_test::AppResponse> {
        let (alice, token, bob) = (self.alice.clone(), self.token.clone(), self.bob.to_string());
        self.app.execute_contract(
            alice,
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: bob,
                amount: Uint128::new(amount),
            },
            &[],
        )
    }
}

#[test]
fn the_artifact_behaves_as_the_native_code() {
    let (mut wasm, mut native) = (token(true), token(false));
    for t in [&mut wasm, &mut native] {
        t.transfer(300).unwrap();
        assert_eq!((t.balance(&t.alice), t.balance(&t.bob)), (700, 300));
    }
    let w = wasm.transfer(701).unwrap_err();
    let n = native.transfer(701).unwrap_err();
    assert_eq!(
        w.root_cause().to_string(),
        n.root_cause().to_string(),
        "the same refusal, in the same words"
    );
    let ev = |r: cw_multi_test::AppResponse| r.events;
    assert_eq!(
        ev(wasm.transfer(1).unwrap()),
        ev(native.transfer(1).unwrap()),
        "the same events"
    );
}

#[test]
fn a_transfer_is_metered_as_wasmd_meters_it() {
    let mut t = token(true);
    let (res, gas) = metered(10_000_000, || t.transfer(100));
    res.unwrap();
    // one contract, loaded once: the full instance cost
    assert_eq!(
        (gas.calls, gas.instances_full, gas.instance_gas),
        (1, 1, 60_000)
    );
    // two balances read and written, the config read
    assert!(gas.kv.reads >= 2 && gas.kv.writes == 2, "{gas:?}");
    assert!(
        gas.vm_gas > 0 && gas.vm_sdk_gas == gas.vm_gas / 140_000,
        "{gas:?}"
    );
    assert_eq!(
        gas.gas_used,
        gas.instance_gas
            + gas.vm_sdk_gas
            + gas.kv.gas
            + gas.event_gas
            + gas.deserialization_gas
            + gas.chain_query_gas
    );
    assert!(!gas.out_of_gas);
    // the same transaction on balances of the same sizes costs the same (nothing carries over
    // between transactions); the first one read an absent balance and created it
    let (_, second) = metered(10_000_000, || t.transfer(100));
    let (_, third) = metered(10_000_000, || t.transfer(100));
    assert_eq!(second, third);
    assert!(
        second.kv.read_bytes > gas.kv.read_bytes,
        "bob's balance now exists"
    );
}

#[test]
fn a_transaction_over_its_limit_fails_and_changes_nothing() {
    let mut t = token(true);
    t.transfer(100).unwrap();
    // what a transfer of these balances' sizes needs: (900, 100) -> (800, 200)
    let (_, gas) = metered(10_000_000, || t.transfer(100));
    let needed = gas.gas_used;
    for limit in [1_000, 60_500, needed - 1] {
        let (res, report) = metered(limit, || t.transfer(100));
        let err = res.unwrap_err();
        assert!(
            err.chain()
                .any(|c| matches!(c.downcast_ref(), Some(EngineError::OutOfGas { .. }))),
            "{err:#}"
        );
        assert!(report.out_of_gas);
        assert_eq!(report.gas_used, limit);
        assert_eq!((t.balance(&t.alice), t.balance(&t.bob)), (800, 200));
    }
    // exactly enough: (800, 200) -> (700, 300) has the same sizes
    let (res, report) = metered(needed, || t.transfer(100));
    res.unwrap();
    assert_eq!(report.gas_used, needed);
    assert_eq!(t.balance(&t.bob), 300);
}

#[test]
fn modules_are_compiled_once_per_process() {
    let a = tributary_wasm_engine::load("tributary_token").unwrap();
    let b = tributary_wasm_engine::load("tributary_token").unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &b));
    let missing = tributary_wasm_engine::load("no_such_contract").unwrap_err();
    assert!(missing.to_string().contains("build-wasm.sh"), "{missing}");
}

#[test]
fn the_artifacts_pass_the_chains_upload_checks() {
    let dir = tributary_wasm_engine::artifacts_dir();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "wasm") {
            tributary_wasm_engine::check(&std::fs::read(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            n += 1;
        }
    }
    assert!(
        n >= 7,
        "expected every contract's artifact in {}",
        dir.display()
    );
    // and a module that is not a contract is refused
    assert!(tributary_wasm_engine::check(b"\0asm\x01\0\0\0").is_err());
}
