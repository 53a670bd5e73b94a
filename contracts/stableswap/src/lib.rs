//! Tributary StableSwap pool (the market). See the README beside this crate.

pub mod contract;
mod error;
mod execute;
mod market;
mod query;
pub mod state;
#[cfg(test)]
mod tests;

pub use error::ContractError;

/// Contract name stored by cw2.
pub const CONTRACT_NAME: &str = "crates.io:tributary-stableswap";
/// Contract version stored by cw2.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
