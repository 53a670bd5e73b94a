//! Where the time of one wasm-engine call goes (a cw20 transfer): run with
//! `cargo run -p tributary-wasm-engine --example overhead`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::time::Instant;

fn main() {
    let n = 300;
    // thread spawn + join with a 16 MiB stack
    let t = Instant::now();
    for _ in 0..n {
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(s, || 1)
                .unwrap()
                .join()
                .unwrap()
        });
    }
    println!("thread spawn+join: {:?}", t.elapsed() / n);
    // channel round trip to a worker
    let (tx, rx) = std::sync::mpsc::channel::<std::sync::mpsc::Sender<u32>>();
    let h = std::thread::spawn(move || {
        for r in rx {
            r.send(1).unwrap();
        }
    });
    let t = Instant::now();
    for _ in 0..n * 10 {
        let (a, b) = std::sync::mpsc::channel();
        tx.send(a).unwrap();
        b.recv().unwrap();
    }
    println!("channel round trip: {:?}", t.elapsed() / (n * 10));
    drop(tx);
    h.join().unwrap();
    let code = tributary_wasm_engine::load("tributary_hub").unwrap();
    println!("loaded {} ({} bytes)", code.name, code.size);
    let t = Instant::now();
    for _ in 0..n {
        tributary_wasm_engine::bench_instantiate(&code);
    }
    println!("instantiate hub: {:?}", t.elapsed() / n);
}
