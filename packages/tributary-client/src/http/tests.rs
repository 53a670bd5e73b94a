//! The HTTP mapping against a scripted server: what each call sends, and how answers and
//! errors come back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use cosmwasm_std::{coin, Decimal, Uint128};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::*;

/// A request the server saw: method, path, JSON body (null if none).
type Seen = (String, String, Value);

/// Serves one scripted answer (status, body) per connection, in order, and reports each
/// request it saw.
fn server(answers: Vec<(u16, Value)>) -> (DevnetApi, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (status, body) in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_string();
            let path = parts.next().unwrap_or_default().to_string();
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = header.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap();
                    }
                }
            }
            let mut raw = vec![0; length];
            reader.read_exact(&mut raw).unwrap();
            let seen = serde_json::from_slice(&raw).unwrap_or(Value::Null);
            tx.send((method, path, seen)).unwrap();
            let text = body.to_string();
            let mut stream = reader.into_inner();
            write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            )
            .unwrap();
        }
    });
    (DevnetApi::new(&format!("{base}/")), rx)
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum HubMsg {
    Bond { min_out: Option<Uint128> },
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum HubQuery {
    State {},
}

#[derive(Debug, Deserialize, PartialEq)]
struct State {
    total_native: Uint128,
}

#[test]
fn execute_posts_the_typed_message_and_reads_the_events() {
    let (api, seen) = server(vec![(
        200,
        json!({"events": [{"action": "bond", "lst_minted": "990"}, {"lst_minted": "1"}]}),
    )]);
    let res = api
        .execute(
            "alice",
            "hub",
            &HubMsg::Bond {
                min_out: Some(Uint128::new(5)),
            },
            &[coin(1_000, "ustake")],
        )
        .unwrap();
    assert_eq!(res.attr("lst_minted"), Some("990"));
    assert_eq!(res.attr("missing"), None);
    let (method, path, body) = seen.recv().unwrap();
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/tx"));
    assert_eq!(
        body,
        json!({
            "sender": "alice",
            "contract": "hub",
            "msg": {"bond": {"min_out": "5"}},
            "funds": [{"denom": "ustake", "amount": "1000"}],
        })
    );
}

#[test]
fn queries_clock_and_balances_decode_typed_answers() {
    let (api, seen) = server(vec![
        (200, json!({"total_native": "12"})),
        (
            200,
            json!({"status": "ok", "height": 7, "time": 1_700_000_035u64, "operations": 3}),
        ),
        (
            200,
            json!({"account": "bob", "address": "cosmwasm1bob", "native": "5", "lst": "0", "lrt": "2"}),
        ),
        (200, json!({"height": 8, "time": 1_700_000_040u64})),
        (200, json!({"hub": "cosmwasm1hub", "lst": "cosmwasm1lst"})),
    ]);
    let state: State = api.query("hub", &HubQuery::State {}).unwrap();
    assert_eq!(state.total_native, Uint128::new(12));
    let (_, path, body) = seen.recv().unwrap();
    assert_eq!(path, "/query");
    assert_eq!(body, json!({"contract": "hub", "msg": {"state": {}}}));

    assert_eq!(api.block_time().unwrap(), 1_700_000_035);
    assert_eq!(seen.recv().unwrap().1, "/health");

    assert_eq!(api.bank_balance("bob").unwrap(), 5);
    assert_eq!(seen.recv().unwrap().1, "/accounts/bob");

    let block = api.advance_time(5).unwrap();
    assert_eq!(
        block,
        Block {
            height: 8,
            time: 1_700_000_040
        }
    );
    let (_, path, body) = seen.recv().unwrap();
    assert_eq!((path.as_str(), body), ("/advance", json!({"seconds": 5})));

    assert_eq!(api.contract_address("lst").unwrap(), "cosmwasm1lst");
}

#[test]
fn staking_and_operator_tools_send_their_routes() {
    let (api, seen) = server(vec![
        (
            200,
            json!({"events": [{"type": "delegate", "attributes": {"amount": "3"}}]}),
        ),
        (200, json!({"events": []})),
        (200, json!({"amount": "3", "rewards": "1"})),
        (200, json!({"validator": "validator1", "fraction": "0.05"})),
    ]);
    let res = api.delegate("carol", "validator1", 3).unwrap();
    assert_eq!(res.events[0].ty, "delegate");
    let (_, path, body) = seen.recv().unwrap();
    assert_eq!(path, "/delegate");
    assert_eq!(
        body,
        json!({"sender": "carol", "validator": "validator1", "amount": "3"})
    );
    api.withdraw_rewards("carol", "validator1").unwrap();
    let (_, path, body) = seen.recv().unwrap();
    assert_eq!(path, "/withdraw-rewards");
    assert_eq!(body, json!({"sender": "carol", "validator": "validator1"}));
    let d = api.delegation("carol", "validator1").unwrap();
    assert_eq!((d.amount.u128(), d.rewards.u128()), (3, 1));
    assert_eq!(
        seen.recv().unwrap().1,
        "/accounts/carol/delegations/validator1"
    );
    api.slash_validator("validator1", Decimal::percent(5))
        .unwrap();
    let (_, path, body) = seen.recv().unwrap();
    assert_eq!(path, "/slash");
    assert_eq!(body, json!({"validator": "validator1", "fraction": "0.05"}));
}

#[test]
fn errors_keep_the_devnet_message_and_kind() {
    let (api, _seen) = server(vec![
        (422, json!({"error": "insufficient funds", "status": 422})),
        (200, json!({"unexpected": true})),
        (500, json!("not an error body")),
    ]);
    let err = api.execute("alice", "hub", &HubMsg::Bond { min_out: None }, &[]);
    assert_eq!(
        err.unwrap_err(),
        ClientError::Refused {
            status: 422,
            message: "insufficient funds".to_string()
        }
    );
    let err = api
        .query::<_, State>("hub", &HubQuery::State {})
        .unwrap_err();
    assert!(matches!(err, ClientError::Decode(_)), "{err}");
    let err = api.block().unwrap_err();
    assert_eq!(err.to_string(), "unknown error");
    assert!(err.is_refused());

    // nobody listens on a port just released
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = DevnetApi::new(&format!("http://127.0.0.1:{port}"))
        .block()
        .unwrap_err();
    assert!(matches!(err, ClientError::Unreachable(_)), "{err}");
    assert!(err.to_string().contains("is `tributary devnet` running?"));
}
