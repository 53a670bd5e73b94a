//! The user and operator commands end to end against a running `tributary devnet`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use tributary_cli::client::Api;

struct Devnet {
    child: Child,
    api: String,
}

impl Drop for Devnet {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Devnet {
    start_on("native")
}

/// A devnet with its contracts run by `engine` (`native` or `wasm`).
fn start_on(engine: &str) -> Devnet {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = std::env::temp_dir().join(format!("tributary-cmds-{}-{engine}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let child = Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args([
            "devnet",
            "--data",
            dir.to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(["--tick-ms", "0", "--keeper-secs", "0", "--engine", engine])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let api = format!("http://127.0.0.1:{port}");
    let client = Api::new(&api);
    let started = Instant::now();
    while client.get("/health").is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "devnet did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Devnet { child, api }
}

fn tributary(api: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["--api", api])
        .args(args)
        .output()
        .unwrap()
}

fn ok(api: &str, args: &[&str]) -> String {
    let out = tributary(api, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(api: &str, args: &[&str], message: &str) {
    let out = tributary(api, args);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(message),
        "{args:?}: expected {message:?} in {err:?}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

fn units(api: &Api, account: &str, key: &str) -> u128 {
    api.get(&format!("/accounts/{account}")).unwrap()[key]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn commands_against_a_running_devnet() {
    let d = start();
    let api = d.api.as_str();
    let client = Api::new(api);

    // users
    assert!(ok(api, &["stake", "1000", "--from", "alice"])
        .starts_with("staked 1000.000000 -> 1000.000000 LST"));
    assert_eq!(units(&client, "alice", "lst"), 1_000_000_000);
    assert!(ok(api, &["unstake", "100", "--from", "alice"])
        .contains("unbonding 100.000000 LST in batch 1"));
    let sold = ok(api, &["unstake", "10", "--from", "alice", "--instant"]);
    assert!(
        sold.starts_with("sold 10.000000 LST in the pool for 9.99"),
        "{sold}"
    );
    assert!(ok(api, &["restake", "500", "--from", "bob"])
        .starts_with("restaked 500.000000 -> 500.000000 LRT"));
    assert_eq!(units(&client, "bob", "lrt"), 500_000_000);
    ok(api, &["stake", "50", "--from", "bob"]);
    assert!(ok(api, &["restake", "50", "--from", "bob", "--lst"]).contains("LRT"));
    assert!(ok(api, &["withdraw", "100", "--from", "bob"]).contains("requested"));
    assert!(ok(
        api,
        &[
            "delegate",
            "100",
            "--validator",
            "validator1",
            "--from",
            "carol"
        ]
    )
    .contains("delegated 100.000000"));
    assert_eq!(units(&client, "carol", "native"), 99_900_000_000);
    let balance = ok(api, &["balance", "alice"]);
    assert!(balance.contains("890.000000"), "{balance}");
    assert!(balance.contains("unbond requests"));

    // reads
    let status = ok(api, &["status"]);
    for row in [
        "LST rate",
        "LRT rate (native per LRT)",
        "LST discount",
        "hub paused",
        "hub bunker mode",
        "LRT value withheld (APR ceiling)",
        "vault paused",
        "vault bunker mode",
    ] {
        assert!(status.contains(row), "{row} missing from\n{status}");
    }
    assert!(ok(api, &["validators"]).contains("validator3"));
    let operators = ok(api, &["operators"]);
    assert!(
        operators.contains("operator-a") && operators.contains("svc 1: 5000 bps"),
        "{operators}"
    );
    assert!(ok(api, &["services"]).contains("oracle-network"));
    let json: serde_json::Value = serde_json::from_str(&ok(api, &["--json", "status"])).unwrap();
    assert_eq!(json["hub"]["pending_unbond_lst"], "100000000");
    assert!(json["hub"]["bunker"].is_null());
    assert_eq!(json["hub_config"]["paused"]["bond"], false);
    assert_eq!(json["vault_config"]["paused"]["deposit"], false);
    assert_eq!(json["vault"]["pending_slash"], "0");
    assert!(status.contains("none"), "{status}");

    // operators
    assert!(ok(api, &["advance", "--days", "1"]).starts_with("now at height"));
    assert!(ok(api, &["crank"]).contains("hub cranked"));
    // the vault's crank delegated its LST to operators: services can now reach it
    assert!(ok(api, &["status"]).contains("oracle-network can slash"));
    assert!(ok(
        api,
        &[
            "request-slash",
            "--service",
            "1",
            "--operator",
            "operator-a",
            "--bps",
            "100",
            "--from",
            "oracle-network"
        ]
    )
    .contains("slash request 1"));
    assert!(ok(api, &["veto", "1", "--from", "oracle-network-resolver"]).contains("vetoed"));
    assert!(ok(api, &["slash-validator", "validator3", "0.01"]).contains("slashed validator3"));
    assert!(ok(api, &["keeper", "--passes", "1"]).contains("pass 1"));

    // clear errors, exit 1, no panic
    fails(
        api,
        &["stake", "0", "--from", "alice"],
        "error: the amount must be above zero",
    );
    fails(
        api,
        &["stake", "abc", "--from", "alice"],
        "is not an amount of tokens",
    );
    fails(
        api,
        &["stake", "0.0001", "--from", "alice"],
        "error: bond of 100 is below the minimum of 1000",
    );
    fails(api, &["unstake", "1000000", "--from", "alice"], "error:");
    fails(
        api,
        &["veto", "1", "--from", "oracle-network"],
        "not pending",
    );
    fails(api, &["advance"], "give --days or --seconds");
    fails(api, &["claim", "--from", "alice"], "nothing to claim");
    fails(
        "http://127.0.0.1:1",
        &["status"],
        "cannot reach the devnet at http://127.0.0.1:1",
    );
}

#[test]
fn on_the_wasm_engine_every_transaction_shows_its_gas() {
    let d = start_on("wasm");
    let out = ok(&d.api, &["stake", "10", "--from", "alice"]);
    let gas: u64 = out
        .split("(gas used: ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .map(|g| g.replace(',', ""))
        .and_then(|g| g.parse().ok())
        .unwrap_or_else(|| panic!("no gas in {out:?}"));
    assert!(gas > 100_000, "{out}");
    // the JSON output carries it as a number
    let json = ok(&d.api, &["--json", "stake", "10", "--from", "alice"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["gas_used"].as_u64().unwrap() > 100_000, "{json}");
}
