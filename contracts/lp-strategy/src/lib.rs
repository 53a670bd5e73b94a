//! Liquidity-provision strategy for the restaking vault: the vault's LST is deposited one-sided
//! into the LST/native StableSwap pool; its value is what withdrawing the whole LP position in LST
//! would pay now (the pool's withdrawal value, not the spot price), so trading fees raise it and
//! a depeg or imbalance lowers it. See the README beside this crate.

pub mod contract;
mod error;

pub use error::ContractError;

/// Contract name stored by cw2.
pub const CONTRACT_NAME: &str = "crates.io:tributary-lp-strategy";
/// Contract version stored by cw2.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
