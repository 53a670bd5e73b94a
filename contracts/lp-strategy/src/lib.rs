//! Liquidity-provision strategy for the restaking vault: the vault's LST is deposited one-sided
//! into the LST/native StableSwap pool; its value is the pool's fair value of the LP it holds
//! (its share of the invariant D, which no swap can lower), so trading fees raise it and a depeg
//! lowers it, but a sandwich cannot move it. The decisions (calm pool, bounds, LP to burn) are in
//! `tributary_core::strategy`. See the README beside this crate.

pub mod contract;
mod error;
mod execute;
mod pool;
mod query;
pub mod state;
#[cfg(test)]
mod tests;

pub use error::ContractError;

/// Contract name stored by cw2.
pub const CONTRACT_NAME: &str = "crates.io:tributary-lp-strategy";
/// Contract version stored by cw2.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
