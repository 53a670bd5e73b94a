//! A crash (kill -9 of the real `tributary devnet` during a stream of transactions) loses
//! nothing that was acknowledged: every operation is committed to the log before it is
//! acknowledged, and opening replays the log. (Moved from the devnet's `persistence.rs` when the
//! devnet's own binary was folded into `tributary devnet`.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tributary_devnet::Devnet;

fn data_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tributary-persist-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A minimal HTTP/1.1 request over loopback; `None` if the server is gone.
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    let status = resp.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, resp))
}

#[test]
fn a_crash_loses_nothing_acknowledged() {
    let dir = data_dir("crash");
    let port = free_port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args([
            "devnet",
            "--keeper-secs",
            "0",
            "--data",
            dir.to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--tick-ms",
            "0",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while http(port, "GET", "/health", "").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "devnet did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // a stream of faucet transactions with distinct amounts 1, 2, 3, ...; record every one the
    // devnet acknowledged
    let acked = Arc::new(AtomicU64::new(0));
    let acked_sum = Arc::new(AtomicU64::new(0));
    let writer = {
        let (acked, acked_sum) = (acked.clone(), acked_sum.clone());
        std::thread::spawn(move || {
            for i in 1u64..100_000 {
                let body = format!(r#"{{"account": "crash", "amount": "{i}"}}"#);
                match http(port, "POST", "/fund", &body) {
                    Some((200, _)) => {
                        acked.store(i, Ordering::SeqCst);
                        acked_sum.fetch_add(i, Ordering::SeqCst);
                    }
                    _ => return i,
                }
            }
            0
        })
    };
    while acked.load(Ordering::SeqCst) < 50 {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let first_unacked = writer.join().unwrap();
    let (count, sum) = (
        acked.load(Ordering::SeqCst),
        acked_sum.load(Ordering::SeqCst),
    );
    assert!(count >= 50 && first_unacked == count + 1);

    let d = Devnet::open(&dir.join("devnet.redb")).unwrap();
    let (native, log) = d
        .call_blocking(|w| {
            let b = w.chain().balances("crash").unwrap();
            (u64::try_from(b.native.u128()).unwrap(), w.log_len())
        })
        .unwrap();
    // every acknowledged transaction is there; the one in flight may or may not be
    assert!(
        native == sum || native == sum + first_unacked,
        "acknowledged {count} (sum {sum}), found {native} after the crash"
    );
    assert!(log == count || log == count + 1);
    d.close().unwrap();
}
