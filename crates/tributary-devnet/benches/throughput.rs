//! Transactions per second on the devnet, in-process on each engine (native Rust, and the wasm
//! artifacts in the CosmWasm VM with gas metered) and through the HTTP API. Each transaction is a
//! bond through the hub (the hub's sync, a delegation, an LST mint) and is committed to the
//! durable log before it is acknowledged, as in normal operation.
//!
//! Run: `cargo bench -p tributary-devnet --bench throughput` (optional: a transaction count).

// a benchmark aborts on any failure: there is nothing to recover
#![allow(clippy::expect_used)]

use std::time::Instant;

use tributary_client::{native, Chain, DevnetApi};
use tributary_devnet::{api, Devnet, Engine, Op};

fn bond(sender: &str) -> Op {
    Op::Execute {
        sender: sender.to_string(),
        contract: "hub".to_string(),
        msg: serde_json::to_value(tributary_types::hub::ExecuteMsg::Bond { min_out: None })
            .expect("a hub message is JSON"),
        funds: vec![cosmwasm_std::coin(1_000_000, "ustake")],
    }
}

fn fresh(name: &str, engine: Engine) -> Devnet {
    let dir = std::env::temp_dir().join(format!("tributary-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Devnet::open_on(&dir.join("devnet.redb"), engine).expect("open the devnet")
}

fn main() {
    let n: u32 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000);
    println!("{n} bonds per run; every one committed to the redb log before it is acknowledged");

    // in-process: straight into the chain's thread, on each engine
    let mut rates = vec![];
    for engine in [Engine::Native, Engine::Wasm] {
        let devnet = fresh(&format!("inproc-{engine}"), engine);
        let started = Instant::now();
        for _ in 0..n {
            devnet
                .call_blocking(|w| w.submit(bond("alice")))
                .expect("devnet running")
                .expect("bond accepted");
        }
        let secs = started.elapsed().as_secs_f64();
        rates.push(f64::from(n) / secs);
        println!(
            "in-process, {engine:<6} engine: {:>8.0} tx/s  ({:.2} ms per tx)",
            f64::from(n) / secs,
            secs * 1e3 / f64::from(n)
        );
        devnet.close().expect("close");
    }
    println!(
        "the wasm engine runs at 1/{:.1} of the native engine's rate",
        rates[0] / rates[1]
    );

    // through the API: one client, keep-alive, over loopback
    let devnet = fresh("api", Engine::Native);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let app = api::app(devnet.clone());
    runtime.spawn(async move { axum::serve(listener, app).await });
    let client = DevnetApi::new(&format!("http://{addr}"));
    let msg = tributary_types::hub::ExecuteMsg::Bond { min_out: None };
    let started = Instant::now();
    for _ in 0..n {
        client
            .execute("bob", "hub", &msg, &native(1_000_000))
            .expect("bond over HTTP");
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "HTTP API, native engine:    {:>8.0} tx/s  ({:.2} ms per tx)",
        f64::from(n) / secs,
        secs * 1e3 / f64::from(n)
    );
}
