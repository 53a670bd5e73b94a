//! The devnet under load and faults (issue 11, item 7): several clients on loopback send a few
//! thousand transactions to the real `tributary devnet` process while it is killed with
//! SIGKILL at random moments and restarted on the same data. Checked:
//!
//! * every acknowledged transaction survives every restart (a transaction in flight at a kill
//!   may or may not have landed, and is counted as such);
//! * no request hangs: every request gets an answer or a closed connection within the client's
//!   timeout;
//! * malformed bodies get `400 Bad Request` (never a 500, a hang or a dropped connection).
//!
//! Bounded: 5 rounds, 4 clients, a few thousand requests in all; the kill times come from a fixed
//! seed, so a failure reproduces.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Clients sending funding transactions (each to its own account), plus one bonding through
/// the hub.
const FUNDERS: usize = 3;
/// Requests each client sends per round (every tenth a malformed body).
const PER_ROUND: u64 = 600;
/// Rounds; the devnet is killed during every round but the last.
const ROUNDS: u64 = 5;
/// What the bonder bonds each time (one token).
const BOND: u128 = 1_000_000;
/// A request that takes longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(30);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// How a request ended.
#[derive(Debug)]
enum Reply {
    /// An HTTP answer: status and body.
    Answer(u16, String),
    /// The connection was refused, reset or closed without an answer: the devnet is down.
    Gone,
}

/// One HTTP/1.0 request (so the answer is not chunked) over loopback with `content_type`.
/// Panics on a timeout: a hang.
fn http(port: u16, method: &str, path: &str, content_type: &str, body: &str) -> Reply {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return Reply::Gone;
    };
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    let request = format!(
        "{method} {path} HTTP/1.0\r\nHost: localhost\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return Reply::Gone;
    }
    let mut response = String::new();
    if let Err(e) = stream.read_to_string(&mut response) {
        assert!(
            !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "{method} {path} hung for {TIMEOUT:?}"
        );
        return Reply::Gone;
    }
    let Some(status) = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
    else {
        return Reply::Gone;
    };
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    Reply::Answer(status, body)
}

fn post(port: u16, path: &str, body: &str) -> Reply {
    http(port, "POST", path, "application/json", body)
}

/// Starts `tributary devnet` on `port` over `data` and waits for its health check.
fn start(data: &Path, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args([
            "devnet",
            "--keeper-secs",
            "0",
            "--data",
            data.to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--tick-ms",
            "0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !matches!(
        http(port, "GET", "/health", "application/json", ""),
        Reply::Answer(200, _)
    ) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the devnet did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

/// splitmix64, for reproducible kill times.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The malformed bodies every client sends, with their content types: broken JSON, a wrong
/// field, a wrong type, an empty body, and JSON sent as text.
const MALFORMED: [(&str, &str, &str); 5] = [
    (
        "/fund",
        "application/json",
        r#"{"account": "x", "amount": "#,
    ),
    (
        "/fund",
        "application/json",
        r#"{"acount": "x", "amount": "1"}"#,
    ),
    (
        "/tx",
        "application/json",
        r#"{"sender": 5, "contract": "hub", "msg": {}}"#,
    ),
    ("/advance", "application/json", ""),
    ("/fund", "text/plain", r#"{"account": "x", "amount": "1"}"#),
];

/// What one client saw in one round.
#[derive(Default, Debug)]
struct Tally {
    /// Sum of what acknowledged transactions moved (funded native, or LST minted by bonds).
    acked: u128,
    /// What the transaction in flight when the devnet died would have moved (0 if none).
    in_flight: u128,
    /// Transactions acknowledged.
    count: u64,
    /// Malformed bodies answered 400.
    rejected: u64,
    /// The devnet died under this client before it sent all its requests.
    cut: bool,
}

/// A funder: `PER_ROUND` requests funding `account` with distinct amounts, every tenth a
/// malformed body. Stops when the devnet is gone.
fn funder(port: u16, account: &str, round: u64) -> Tally {
    let mut tally = Tally::default();
    for i in 0..PER_ROUND {
        if i % 10 == 9 {
            let (path, content_type, body) = MALFORMED[(i / 10) as usize % MALFORMED.len()];
            match http(port, "POST", path, content_type, body) {
                Reply::Answer(400, _) => tally.rejected += 1,
                Reply::Answer(status, body) => {
                    panic!("a malformed body to {path} got {status}: {body}")
                }
                Reply::Gone => {
                    tally.cut = true;
                    return tally;
                }
            }
            continue;
        }
        let amount = u128::from(round * 1_000 + i + 1);
        let body = format!(r#"{{"account": "{account}", "amount": "{amount}"}}"#);
        match post(port, "/fund", &body) {
            Reply::Answer(200, _) => {
                tally.acked += amount;
                tally.count += 1;
            }
            Reply::Answer(status, body) => panic!("funding {account} got {status}: {body}"),
            Reply::Gone => {
                tally.in_flight = amount;
                tally.cut = true;
                return tally;
            }
        }
    }
    tally
}

/// The bonder: bob bonds one token at a time through the hub; the LST each acknowledged bond
/// minted is read from its `lst_minted` attribute.
fn bonder(port: u16) -> Tally {
    let mut tally = Tally::default();
    let body = format!(
        r#"{{"sender": "bob", "contract": "hub", "msg": {{"bond": {{}}}}, "funds": [{{"denom": "ustake", "amount": "{BOND}"}}]}}"#
    );
    for _ in 0..PER_ROUND / 3 {
        match post(port, "/tx", &body) {
            Reply::Answer(200, response) => {
                let value: serde_json::Value = serde_json::from_str(&response).unwrap();
                let minted = minted(&value).expect("a bond reports lst_minted");
                tally.acked += minted;
                tally.count += 1;
            }
            Reply::Answer(status, body) => panic!("a bond got {status}: {body}"),
            Reply::Gone => {
                // at most what one token buys at a rate of at least one native per LST
                tally.in_flight = BOND;
                tally.cut = true;
                return tally;
            }
        }
    }
    tally
}

/// The `lst_minted` attribute of a transaction's answer (`{"events": [{"lst_minted": ..}]}`).
fn minted(value: &serde_json::Value) -> Option<u128> {
    value["events"]
        .as_array()?
        .iter()
        .find_map(|event| event["lst_minted"].as_str()?.parse().ok())
}

fn balance(port: u16, account: &str, field: &str) -> u128 {
    match http(
        port,
        "GET",
        &format!("/accounts/{account}"),
        "application/json",
        "",
    ) {
        Reply::Answer(200, body) => {
            let value: serde_json::Value = serde_json::from_str(&body).unwrap();
            value[field].as_str().unwrap().parse().unwrap()
        }
        other => panic!("reading {account}: {other:?}"),
    }
}

#[test]
fn acknowledged_transactions_survive_random_kills_under_load() {
    let data = std::env::temp_dir().join(format!("tributary-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let port = free_port();
    let accounts: Vec<String> = (0..FUNDERS).map(|i| format!("load{i}")).collect();
    let mut devnet = start(&data, port);
    let lst_before = balance(port, "bob", "lst");
    let mut rng = 11u64;
    // per client (funders, then the bonder): acknowledged, and the most in flight at kills
    let mut acked = [0u128; FUNDERS + 1];
    let mut in_flight = [0u128; FUNDERS + 1];
    let (mut transactions, mut rejected, mut kills, mut cut) = (0u64, 0u64, 0u64, 0u64);
    for round in 0..ROUNDS {
        let clients: Vec<_> = accounts
            .iter()
            .cloned()
            .map(|account| std::thread::spawn(move || funder(port, &account, round)))
            .chain(std::iter::once(std::thread::spawn(move || bonder(port))))
            .collect();
        let last = round + 1 == ROUNDS;
        if !last {
            // kill -9 somewhere in the round
            let after = Duration::from_millis(50 + next(&mut rng) % 400);
            std::thread::sleep(after);
            devnet.kill().unwrap(); // SIGKILL
            devnet.wait().unwrap();
            kills += 1;
        }
        for (i, client) in clients.into_iter().enumerate() {
            let tally = client.join().unwrap();
            acked[i] += tally.acked;
            in_flight[i] += tally.in_flight;
            transactions += tally.count;
            rejected += tally.rejected;
            cut += u64::from(tally.cut);
        }
        if !last {
            devnet = start(&data, port);
        }
        // after every restart, every acknowledged transaction is there
        for (i, account) in accounts.iter().enumerate() {
            let native = balance(port, account, "native");
            assert!(
                native >= acked[i] && native <= acked[i] + in_flight[i],
                "round {round}: {account} holds {native}, acknowledged {} (+ at most {} in \
                 flight)",
                acked[i],
                in_flight[i]
            );
        }
        let lst = balance(port, "bob", "lst") - lst_before;
        assert!(
            lst >= acked[FUNDERS] && lst <= acked[FUNDERS] + in_flight[FUNDERS],
            "round {round}: bob's bonds minted {lst}, acknowledged {} (+ at most {} in flight)",
            acked[FUNDERS],
            in_flight[FUNDERS]
        );
    }
    devnet.kill().unwrap();
    devnet.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
    eprintln!(
        "load: {transactions} transactions acknowledged, {rejected} malformed bodies answered \
         400, {kills} kills cutting {cut} clients off mid-stream"
    );
    assert_eq!(kills, ROUNDS - 1);
    // the kills landed while clients were sending
    assert!(
        cut >= kills,
        "only {cut} clients were cut off by {kills} kills"
    );
    // the last round ran to the end: every client sent all its requests
    assert!(transactions >= (FUNDERS as u64) * (PER_ROUND * 9 / 10) + PER_ROUND / 3);
    assert!(rejected >= FUNDERS as u64 * PER_ROUND / 10);
}
