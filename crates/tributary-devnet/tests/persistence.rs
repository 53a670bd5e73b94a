//! Persistence: a restart resumes exactly where the devnet stopped. (A crash — kill -9 of the
//! running devnet during a stream of transactions — is tested against the `tributary devnet`
//! binary in the CLI's tests, `crash.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{coin, Decimal, Uint128};
use serde_json::{json, Value};
use tributary_devnet::{Devnet, Op};

fn data_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tributary-persist-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Everything observable a user would compare.
fn observe(d: &Devnet) -> Value {
    d.call_blocking(|w| {
        let c = w.chain();
        let b = c.block();
        json!({
            "height": b.height,
            "time": b.time.seconds(),
            "hub": c.query("hub", &json!({"state": {}})).unwrap(),
            "batches": c.query("hub", &json!({"batches": {}})).unwrap(),
            "validators": c.query("hub", &json!({"validators": {}})).unwrap(),
            "vault": c.query("vault", &json!({"state": {}})).unwrap(),
            "pool": c.query("pool", &json!({"pool": {}})).unwrap(),
            "alice": c.balances("alice").unwrap(),
            "bob": c.balances("bob").unwrap(),
            "log": w.log_len(),
        })
    })
    .unwrap()
}

#[test]
fn a_restart_resumes_exactly() {
    let path = data_dir("restart").join("devnet.redb");
    let d = Devnet::open(&path).unwrap();
    let exec =
        |sender: &str, contract: &str, msg: Value, funds: Vec<cosmwasm_std::Coin>| Op::Execute {
            sender: sender.into(),
            contract: contract.into(),
            msg,
            funds,
        };
    let ops = vec![
        exec(
            "alice",
            "hub",
            json!({"bond": {}}),
            vec![coin(50_000_000_000, "ustake")],
        ),
        exec(
            "bob",
            "vault",
            json!({"deposit": {}}),
            vec![coin(20_000_000_000, "ustake")],
        ),
        exec("keeper", "vault", json!({"crank": {}}), vec![]),
        Op::Advance { seconds: 86_400 },
        exec("keeper", "hub", json!({"crank": {}}), vec![]),
        Op::SlashValidator {
            validator: "validator2".into(),
            fraction: Decimal::percent(5),
        },
        Op::Fund {
            account: "dave".into(),
            amount: Uint128::new(1_000_000),
        },
        Op::Advance { seconds: 3_600 },
    ];
    for op in ops {
        d.call_blocking(move |w| w.submit(op)).unwrap().unwrap();
    }
    // a refused operation is not logged
    let refused = d
        .call_blocking(|w| w.submit(Op::Advance { seconds: 0 }))
        .unwrap();
    assert!(refused.is_err());
    let before = observe(&d);
    assert_eq!(before["log"], 8);
    d.close().unwrap();

    let reopened = Devnet::open(&path).unwrap();
    assert_eq!(observe(&reopened), before, "state after restart differs");
    reopened.close().unwrap();
}
