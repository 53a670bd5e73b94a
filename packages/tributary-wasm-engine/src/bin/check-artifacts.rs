//! Checks contract artifacts as a chain checks an upload — the VM's static checks (exports,
//! imports, required capabilities against wasmd's, limits) and a compilation — with the same
//! `cosmwasm-vm` the engine runs, and prints each one's size and sha256. What `cosmwasm-check`
//! does, without installing it.
//!
//! Usage: `check-artifacts FILE.wasm...`; exits non-zero if any file fails.

use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: check-artifacts FILE.wasm...");
        return ExitCode::from(2);
    }
    let mut failed = 0;
    for file in &files {
        match std::fs::read(file) {
            Err(e) => {
                eprintln!("{file}: cannot read: {e}");
                failed += 1;
            }
            Ok(wasm) => match tributary_wasm_engine::check(&wasm) {
                Ok(()) => println!(
                    "{file}: pass ({} bytes, sha256 {})",
                    wasm.len(),
                    cosmwasm_std::Checksum::generate(&wasm).to_hex()
                ),
                Err(e) => {
                    eprintln!("{file}: FAIL: {e}");
                    failed += 1;
                }
            },
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} artifacts failed the checks", files.len());
        return ExitCode::FAILURE;
    }
    println!("all {} artifacts pass", files.len());
    ExitCode::SUCCESS
}
