//! The wasm engine: the built contract artifacts run in the CosmWasm VM (`cosmwasm-vm`, the VM
//! wasmd runs) inside cw-multi-test, with gas metered as wasmd meters it by default.
//!
//! - [`WasmContract`] implements cw-multi-test's `Contract` for an artifact; modules are
//!   compiled once per process ([`load`]) and instantiated per call.
//! - [`gas`] holds wasmd's and the Cosmos SDK's gas constants (cited) and the per-transaction
//!   meter: [`metered`] runs a transaction under a limit and returns its [`GasReport`].
//! - [`check`] runs the checks a chain runs on an upload (what `cosmwasm-check` runs).
//!
//! See this crate's README for how the bridge works and what is and is not metered.

mod bridge;
mod code;
mod contract;
pub mod gas;

#[doc(hidden)]
pub use bridge::bench_instantiate;
pub use code::{artifacts_dir, check, load, WasmCode, CAPABILITIES, INSTANCE_MEMORY_LIMIT};
pub use contract::WasmContract;
pub use gas::{metered, GasReport, KvStats};

/// Why the engine could not run a call.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum EngineError {
    /// The transaction's gas ran out: it fails and its writes are discarded.
    #[error("out of gas: the transaction needs more than its limit of {limit} gas (used {used})")]
    OutOfGas {
        /// Gas used when it stopped.
        used: u64,
        /// The limit.
        limit: u64,
    },
    /// The contract refused the call; its own message.
    #[error("{0}")]
    Contract(String),
    /// The VM failed (a trap, a panic in the contract, a malformed result).
    #[error("the wasm VM failed: {0}")]
    Vm(String),
    /// An artifact could not be read, checked or compiled.
    #[error("{0}")]
    Code(String),
    /// The bridge between the VM and the App broke.
    #[error("wasm engine: {0}")]
    Bridge(String),
}
