//! `tributary_client::Chain` on both sides of the devnet: over its HTTP API (`DevnetApi`, a
//! served devnet) and in-process (`Devnet`). The same calls give the same answers, typed
//! messages go through, and errors keep their kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Decimal, Uint128};
use tributary_client::{native, Chain, ClientError, DevnetApi};
use tributary_devnet::{api, Devnet};
use tributary_types::hub::{ExecuteMsg as HubMsg, QueryMsg as HubQuery, StateResponse};

fn devnet(name: &str) -> Devnet {
    let dir = std::env::temp_dir().join(format!("tributary-client-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Devnet::open(&dir.join("devnet.redb")).unwrap()
}

/// Serves `d` on a free port in the background; its API.
fn serve(d: &Devnet) -> DevnetApi {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let app = api::app(d.clone());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    DevnetApi::new(&format!("http://{addr}"))
}

/// A scenario through any chain; returns what it observed.
fn scenario(chain: &impl Chain) -> (Uint128, Uint128, u64, Uint128) {
    let start = chain.block().unwrap();
    let before = chain.balances("alice").unwrap();
    assert_eq!(before.native.u128(), 100_000_000_000);
    assert_eq!(chain.address("alice").unwrap(), before.address);

    let res = chain
        .execute(
            "alice",
            "hub",
            &HubMsg::Bond { min_out: None },
            &native(1_000_000_000),
        )
        .unwrap();
    let minted: u128 = res.attr("lst_minted").unwrap().parse().unwrap();
    assert_eq!(chain.balances("alice").unwrap().lst.u128(), minted);
    let state: StateResponse = chain.query("hub", &HubQuery::State {}).unwrap();

    chain.delegate("bob", "validator2", 5_000_000).unwrap();
    let block = chain.advance_time(86_400).unwrap();
    assert_eq!(block.time, start.time + 86_400);
    assert_eq!(chain.block_time().unwrap(), block.time);
    let d = chain.delegation("bob", "validator2").unwrap();
    assert_eq!(d.amount.u128(), 5_000_000);
    assert!(d.rewards.u128() > 0);
    let bob = chain.bank_balance("bob").unwrap();
    chain.withdraw_rewards("bob", "validator2").unwrap();
    assert!(chain.bank_balance("bob").unwrap() > bob);
    chain.undelegate("bob", "validator2", 5_000_000).unwrap();
    assert_eq!(
        chain.delegation("bob", "validator2").unwrap().amount.u128(),
        0
    );

    chain.fund("dave", 7).unwrap();
    assert_eq!(chain.bank_balance("dave").unwrap(), 7);
    chain
        .slash_validator("validator3", Decimal::percent(1))
        .unwrap();

    // errors keep their kind
    let refused = chain
        .execute("carol", "hub", &HubMsg::Bond { min_out: None }, &[])
        .unwrap_err();
    assert!(
        matches!(refused, ClientError::Refused { status: 422, .. }),
        "{refused}"
    );
    let unknown = chain.contract_address("nothing").unwrap_err();
    assert!(
        matches!(unknown, ClientError::Refused { status: 404, .. }),
        "{unknown}"
    );
    let bad = chain.advance_time(0).unwrap_err();
    assert!(
        matches!(bad, ClientError::Refused { status: 400, .. }),
        "{bad}"
    );
    let undecodable = chain
        .query::<_, StateResponse>("hub", &HubQuery::Config {})
        .unwrap_err();
    assert!(
        matches!(undecodable, ClientError::Decode(_)),
        "{undecodable}"
    );

    (
        state.total_native,
        state.lst_supply,
        block.height,
        d.rewards,
    )
}

#[test]
fn http_and_in_process_chains_agree() {
    let remote = devnet("http");
    let api = serve(&remote);
    let started = std::time::Instant::now();
    while api.health().is_err() {
        assert!(started.elapsed().as_secs() < 60, "the API did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let over_http = scenario(&api);
    assert_eq!(
        api.contract_address("hub").unwrap(),
        remote.contract_address("hub").unwrap()
    );
    let in_process = scenario(&devnet("local"));
    assert_eq!(over_http, in_process);
}
