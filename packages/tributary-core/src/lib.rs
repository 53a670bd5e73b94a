//! Tributary's core: the protocol's state transitions as plain Rust over plain structs.
//!
//! A contract loads its state, calls into this crate, saves the result and turns the returned
//! plan into messages. Nothing here touches storage, queriers or messages, so every transition is
//! unit- and property-tested without a chain. [`tributary_math`] stays the pure arithmetic
//! underneath (shares, fees, StableSwap, allocation).
//!
//! Layering (see `docs/architecture.md`): `tributary-math` ← `tributary-core` ←
//! `tributary-types` (messages) ← `tributary-common` (contract plumbing) ← contracts.

mod delayed;
pub mod hub;
pub mod market;
pub mod registry;
pub mod strategy;
pub mod vault;

pub use delayed::{Delayed, DelayedChange};
pub use tributary_math::MathError;
