//! A test `Suite` that owns a cw-multi-test `App` with the staking and distribution modules and
//! the Tributary contracts, and speaks in user actions: bond, unbond, claim, crank, advance time,
//! slash a validator. Later suites (restaking, market) build on it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod market;
mod mock_strategy;
mod restaking;
mod suite;

pub use market::Market;
pub use restaking::{Restaking, VaultSnapshot, REWARD_PERIOD};
pub use suite::{event_attr, Snapshot, Suite, SuiteBuilder, DAY, DENOM, YEAR};
