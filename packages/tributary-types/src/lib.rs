//! Messages and responses of every Tributary contract. Storage layouts live with the contracts;
//! only what crosses a contract boundary is here, so the CLI, keeper and tests share one
//! definition.

#![warn(missing_docs)]

pub mod hub;
pub mod registry;
pub mod stableswap;
pub mod strategy;
pub mod token;
pub mod vault;
