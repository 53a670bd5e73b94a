//! Tributary restaking registry (stage 3). See the README beside this crate.

pub mod contract;
mod error;
mod execute;
mod query;
pub mod state;
#[cfg(test)]
mod tests;

pub use error::ContractError;

/// Contract name stored by cw2.
pub const CONTRACT_NAME: &str = "crates.io:tributary-restaking-registry";
/// Contract version stored by cw2.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
