//! A test `Suite` that owns a cw-multi-test `App` with the staking and distribution modules and
//! the Tributary contracts, and speaks in user actions: bond, unbond, claim, crank, advance time,
//! slash a validator. `with_restaking` and `with_market` give suites of their own types
//! (`RestakingSuite`, `MarketSuite`, `FullSuite`) that add those actions; failures are asserted on
//! the contracts' typed errors ([`Expected`]). The chain itself is built by
//! `tributary-deploy` (the same genesis code as the devnet's); the suite only adds user actions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cases;
mod expected;
pub mod gasbench;
mod market;
mod restaking;
mod suite;

pub use cases::{case, run_cases, Action, Case};
pub use expected::Expected;
pub use market::Market;
pub use restaking::{Restaking, VaultSnapshot, REWARD_PERIOD};
pub use suite::{
    event_attr, event_attr_of, virtual_offset_effect, FullSuite, HubSuite, MarketSetup,
    MarketSuite, NoMarket, NoRestaking, RestakingSetup, RestakingSuite, Snapshot, Suite,
    SuiteBuilder, DAY, DENOM, YEAR,
};
pub use tributary_common::CommonError;
pub use tributary_core::market::RampError;
pub use tributary_core::registry::RegistryError;
pub use tributary_core::vault::VaultError;
