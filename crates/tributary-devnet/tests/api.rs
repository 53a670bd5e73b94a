//! Every API route tested in-process with `oneshot`, including bad requests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use tributary_devnet::{api, Devnet};

fn devnet(name: &str) -> Devnet {
    let dir = std::env::temp_dir().join(format!("tributary-api-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Devnet::open(&dir.join("devnet.redb")).unwrap()
}

async fn call(d: &Devnet, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let req = Request::builder().method(method).uri(uri);
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    let res = api::app(d.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value)
}

async fn raw(d: &Devnet, uri: &str, body: &str) -> (StatusCode, Value) {
    let req = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = api::app(d.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn read_routes() {
    let d = devnet("read");
    let (s, v) = call(&d, "GET", "/health", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["operations"], 0);

    let (s, v) = call(&d, "GET", "/contracts", None).await;
    assert_eq!(s, StatusCode::OK);
    for name in ["hub", "lst", "registry", "vault", "lrt", "pool", "lp"] {
        assert!(v[name].as_str().unwrap().starts_with("cosmwasm1"), "{name}");
    }

    let (s, v) = call(&d, "GET", "/accounts", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["account"], "alice");
    assert_eq!(v[0]["native"], "100000000000");

    let (s, v) = call(&d, "GET", "/accounts/bob", None).await;
    assert_eq!(
        (s, v["native"].clone()),
        (StatusCode::OK, json!("100000000000"))
    );
    let (s, v) = call(&d, "GET", "/accounts/cosmwasm1notvalid", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("invalid address"));

    let (s, v) = call(&d, "GET", "/overview", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["hub"]["exchange_rate"], "1");
    assert_eq!(v["peg"]["spot_discount_bps"], 0);
    assert!(v["exposure"]["services"].is_array());

    let (s, v) = call(&d, "GET", "/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    // every route the router serves is described
    for path in [
        "/health",
        "/overview",
        "/contracts",
        "/accounts",
        "/accounts/{name}",
        "/tx",
        "/query",
        "/advance",
        "/slash",
        "/fund",
        "/delegate",
        "/undelegate",
        "/events",
        "/openapi.json",
    ] {
        assert!(
            v["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI description"
        );
    }

    let (s, _) = call(&d, "GET", "/no-such-route", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn query_route() {
    let d = devnet("query");
    let (s, v) = call(
        &d,
        "POST",
        "/query",
        Some(json!({"contract": "hub", "msg": {"config": {}}})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["fee_bps"], 1000);
    let (s, v) = call(
        &d,
        "POST",
        "/query",
        Some(json!({"contract": "nope", "msg": {"config": {}}})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(v["error"]
        .as_str()
        .unwrap()
        .contains("no contract \"nope\""));
    let (s, v) = call(
        &d,
        "POST",
        "/query",
        Some(json!({"contract": "hub", "msg": {"no_such_query": {}}})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"].as_str().unwrap().contains("unknown variant"));
    let (s, _) = raw(&d, "/query", "{not json").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tx_route_stakes_and_reports_contract_errors() {
    let d = devnet("tx");
    let bond = json!({
        "sender": "alice", "contract": "hub", "msg": {"bond": {"min_out": null}},
        "funds": [{"denom": "ustake", "amount": "1000000000"}]
    });
    let (s, v) = call(&d, "POST", "/tx", Some(bond)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let hub_event = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "bond")
        .unwrap();
    assert_eq!(hub_event["lst_minted"], "1000000000");
    let (_, v) = call(&d, "GET", "/accounts/alice", None).await;
    assert_eq!(v["lst"], "1000000000");
    // a contract error: 422 with the contract's own message, nothing logged
    let too_small = json!({
        "sender": "alice", "contract": "hub", "msg": {"bond": {}},
        "funds": [{"denom": "ustake", "amount": "10"}]
    });
    let (s, v) = call(&d, "POST", "/tx", Some(too_small)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"], "bond of 10 is below the minimum of 1000");
    assert_eq!(v["status"], 422);
    let (_, h) = call(&d, "GET", "/health", None).await;
    assert_eq!(h["operations"], 1);
    // malformed bodies: 400
    let (s, v) = raw(&d, "/tx", r#"{"sender": "alice"}"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("missing field"));
    let (s, _) = raw(
        &d,
        "/tx",
        r#"{"sender": "alice", "contract": "hub", "msg": {}, "extra": 1}"#,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(
        &d,
        "POST",
        "/tx",
        Some(json!({"sender": "alice", "contract": "nowhere", "msg": {}})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn advance_slash_and_fund_routes() {
    let d = devnet("ops");
    let (_, before) = call(&d, "GET", "/health", None).await;
    let (s, v) = call(&d, "POST", "/advance", Some(json!({"seconds": 86_400}))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["time"].as_u64().unwrap(),
        before["time"].as_u64().unwrap() + 86_400
    );
    for bad in [json!({"seconds": 0}), json!({"seconds": 400 * 86_400})] {
        let (s, v) = call(&d, "POST", "/advance", Some(bad)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(v["error"].as_str().unwrap().contains("between 1 and"));
    }
    let (s, _) = raw(&d, "/advance", r#"{"seconds": -5}"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, _) = call(
        &d,
        "POST",
        "/slash",
        Some(json!({"validator": "validator1", "fraction": "0.1"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = call(
        &d,
        "POST",
        "/slash",
        Some(json!({"validator": "nobody", "fraction": "0.1"})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, _) = call(
        &d,
        "POST",
        "/slash",
        Some(json!({"validator": "validator1", "fraction": "1.5"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, _) = call(
        &d,
        "POST",
        "/fund",
        Some(json!({"account": "dave", "amount": "5000000"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = call(&d, "GET", "/accounts/dave", None).await;
    assert_eq!(v["native"], "5000000");
    let (s, _) = call(
        &d,
        "POST",
        "/fund",
        Some(json!({"account": "dave", "amount": "0"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(
        &d,
        "POST",
        "/fund",
        Some(json!({"account": "dave", "amount": "99999999999999999999"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (_, h) = call(&d, "GET", "/health", None).await;
    assert_eq!(h["operations"], 3);
}

#[tokio::test]
async fn events_stream_reports_each_operation() {
    let d = devnet("events");
    let res = api::app(d.clone())
        .oneshot(
            Request::builder()
                .uri("/events")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut body = res.into_body();
    d.submit(tributary_devnet::Op::Advance { seconds: 5 })
        .await
        .unwrap();
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.contains("event: advance"), "{text}");
    assert!(text.contains("\"seq\":1"), "{text}");
}

#[tokio::test]
async fn direct_staking_routes() {
    let d = devnet("direct");
    let body = json!({"sender": "carol", "validator": "validator2", "amount": "2000000000"});
    let (s, v) = call(&d, "POST", "/delegate", Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, acct) = call(&d, "GET", "/accounts/carol", None).await;
    assert_eq!(acct["native"], "98000000000");
    let (s, _) = call(
        &d,
        "POST",
        "/undelegate",
        Some(json!({"sender": "carol", "validator": "validator2", "amount": "500000000"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // more than delegated: the chain refuses, 422
    let (s, v) = call(
        &d,
        "POST",
        "/undelegate",
        Some(json!({"sender": "carol", "validator": "validator2", "amount": "9000000000"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = call(
        &d,
        "POST",
        "/delegate",
        Some(json!({"sender": "carol", "validator": "validator2"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

/// On the wasm engine the same transaction gives the same result, and says its gas; a devnet
/// reopened on its log replays on the engine it is opened with.
#[tokio::test]
async fn the_wasm_engine_runs_the_artifacts_and_reports_gas() {
    let dir = std::env::temp_dir().join(format!("tributary-api-{}-wasm", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("devnet.redb");
    let bond = json!({
        "sender": "alice", "contract": "hub", "msg": {"bond": {"min_out": null}},
        "funds": [{"denom": "ustake", "amount": "1000000000"}]
    });
    let native = devnet("wasm-native");
    let (s, on_native) = call(&native, "POST", "/tx", Some(bond.clone())).await;
    assert_eq!(s, StatusCode::OK, "{on_native}");
    assert!(
        on_native.get("gas_used").is_none(),
        "no gas on the native engine"
    );

    let d = Devnet::open_on(&path, tributary_devnet::Engine::Wasm).unwrap();
    let (s, v) = call(&d, "POST", "/tx", Some(bond)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["events"], on_native["events"], "the engines agree");
    let gas = v["gas_used"].as_u64().unwrap();
    // at least the hub's and the token's instances; far below the transaction limit
    assert!(
        (120_000..tributary_devnet::chain::TX_GAS_LIMIT).contains(&gas),
        "{gas}"
    );
    let too_small = json!({
        "sender": "alice", "contract": "hub", "msg": {"bond": {}},
        "funds": [{"denom": "ustake", "amount": "10"}]
    });
    let (s, v) = call(&d, "POST", "/tx", Some(too_small)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        v["error"], "bond of 10 is below the minimum of 1000",
        "the same words"
    );
    d.close().unwrap();
    // reopened: the log replays in the VM
    let d = Devnet::open_on(&path, tributary_devnet::Engine::Wasm).unwrap();
    let (_, v) = call(&d, "GET", "/accounts/alice", None).await;
    assert_eq!(v["lst"], "1000000000");
}

/// A new user's mistakes answered in their own terms: who has what, and what they tried.
#[tokio::test]
async fn errors_say_what_is_wrong_in_the_users_terms() {
    let d = devnet("human-errors");
    let stake = |sender: &str, amount: u128| {
        json!({"sender": sender, "contract": "hub", "msg": {"bond": {}},
               "funds": [{"denom": "ustake", "amount": amount.to_string()}]})
    };
    let (s, v) = call(&d, "POST", "/tx", Some(stake("alice", 1_000_000_000_000))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        v["error"],
        "alice has 100,000 native; cannot stake 1,000,000"
    );
    let (s, v) = call(&d, "GET", "/accounts/mallory", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "no account \"mallory\"");
    let (s, v) = call(&d, "POST", "/tx", Some(stake("mallory", 1))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "no account \"mallory\"");
    // a token spend names the token and the action its hook asks for
    let hook = cosmwasm_std::to_json_binary(&json!({"unbond": {}})).unwrap();
    let (_, contracts) = call(&d, "GET", "/contracts", None).await;
    let unstake = json!({"sender": "bob", "contract": "lst", "msg": {"send": {
        "contract": contracts["hub"], "amount": "2500000", "msg": hook}}});
    let (s, v) = call(&d, "POST", "/tx", Some(unstake)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"], "bob has 0 LST; cannot unstake 2.5");
    let delegate = json!({"sender": "carol", "validator": "validator1", "amount": "100000000001"});
    let (s, v) = call(&d, "POST", "/delegate", Some(delegate)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        v["error"],
        "carol has 100,000 native; cannot delegate 100,000.000001"
    );
    // the faucet makes a name an account
    let (s, _) = call(
        &d,
        "POST",
        "/fund",
        Some(json!({"account": "mallory", "amount": "5"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = call(&d, "GET", "/accounts/mallory", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["native"], "5");
    // nothing changed for the refused ones
    let (_, v) = call(&d, "GET", "/accounts/alice", None).await;
    assert_eq!(v["native"], "100000000000");
}

/// The OpenAPI document is generated from the router's own handlers: every path and method it
/// describes is served (not the router's fallback), every request body it describes is a
/// typed schema, and the routes a client needs are all in it.
#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let d = devnet("openapi");
    let doc = serde_json::to_value(api::openapi()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let mut served = 0;
    for (path, item) in paths {
        for method in ["get", "post"] {
            let Some(op) = item.get(method) else { continue };
            let uri = path
                .replace("{name}", "alice")
                .replace("{validator}", "validator1");
            if path == "/events" {
                continue; // a stream that does not end; served, see events_stream_reports_each_operation
            }
            let body = op.get("requestBody").map(|_| json!({}));
            let (status, v) = call(&d, &method.to_uppercase(), &uri, body).await;
            // the router's fallback answers 404/405 with an empty body; every handler answers
            // with its own content (an empty JSON body is a 400 from the handler, in JSON)
            assert!(
                !(status == StatusCode::NOT_FOUND && v == Value::String(String::new()))
                    && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}: {status} {v}"
            );
            if op.get("requestBody").is_some() {
                let schema = &op["requestBody"]["content"]["application/json"]["schema"]["$ref"];
                assert!(schema.is_string(), "{method} {path}: untyped request body");
            }
            served += 1;
        }
    }
    for path in [
        "/",
        "/health",
        "/overview",
        "/history",
        "/simulate",
        "/accounts/{name}",
        "/tx",
        "/query",
        "/advance",
        "/slash",
        "/fund",
        "/delegate",
        "/undelegate",
        "/withdraw-rewards",
        "/events",
        "/openapi.json",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(served >= 20, "{served}");
    // the served document is this one
    let (_, served_doc) = call(&d, "GET", "/openapi.json", None).await;
    assert_eq!(served_doc, doc);
    for schema in ["TxBody", "SlashBody", "RateSample", "ErrorBody"] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema}"
        );
    }
}

/// The dashboard is served from the binary, and the routes only it needs answer.
#[tokio::test]
async fn the_dashboard_and_its_routes() {
    let d = devnet("dashboard");
    for (uri, needle) in [
        ("/", "<main id=\"main\""),
        ("/app.js", "EventSource"),
        ("/app.css", "--lst"),
    ] {
        let (s, v) = call(&d, "GET", uri, None).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert!(v.as_str().unwrap().contains(needle), "{uri}");
    }
    let (s, v) = call(&d, "GET", "/history", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v[0]["lst_rate"], "1");
    // the keeper's alerts, as the keeper beside the devnet last reported them
    let (_, v) = call(&d, "GET", "/alerts", None).await;
    assert_eq!(v["alerts"], json!([]));
    let mut events = d.subscribe();
    d.set_alerts(
        1_700_000_000,
        vec!["the hub's crank is overdue by 2 hours".to_string()],
    );
    let (_, v) = call(&d, "GET", "/alerts", None).await;
    assert_eq!(v["alerts"][0], "the hub's crank is overdue by 2 hours");
    assert_eq!(events.try_recv().unwrap().kind, "alert");
    let (s, v) = call(&d, "GET", "/simulate?amount=5000&days=30&paths=200", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["stats"]["models"].as_array().unwrap().len(), 4);
    assert_eq!(v["bands"].as_array().unwrap().len(), 4);
    let (s, v) = call(&d, "GET", "/simulate?paths=1000000", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "paths must be between 1 and 20000");
    let (s, v) = call(&d, "GET", "/simulate?paths=20000&days=3650", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .starts_with("paths × days must be at most"),
        "{v}"
    );
    let (s, v) = call(&d, "GET", "/simulate?amount=0", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("deposit"), "{v}");
}
