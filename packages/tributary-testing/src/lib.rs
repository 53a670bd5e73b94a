//! A test `Suite` that owns a cw-multi-test `App` with the staking and distribution modules and
//! the Tributary contracts, and speaks in user actions: bond, unbond, claim, crank, advance time,
//! slash a validator. Later suites (restaking, market) build on it. The chain itself is built by
//! `tributary-deploy` (the same genesis code as the devnet's); the suite only adds user actions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod market;
mod restaking;
mod suite;

pub use market::Market;
pub use restaking::{Restaking, VaultSnapshot, REWARD_PERIOD};
pub use suite::{event_attr, Snapshot, Suite, SuiteBuilder, DAY, DENOM, YEAR};
