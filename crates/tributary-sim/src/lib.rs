//! Tributary's risk simulator: traditional staking, liquid staking and liquid restaking as
//! measured distributions (Monte Carlo), with the contracts' own StableSwap math for the pools
//! and the registry's own slashing rules.
//!
//! * [`config`]: every parameter, its default and its source;
//! * [`market`]: the pools, priced from a table computed with `tributary-math`;
//! * [`path`]: one path, a day at a time;
//! * [`summary`]: mergeable summaries and the statistics drawn from them;
//! * [`run`]: many paths in parallel, in shards;
//! * [`scenario`]: the named scenarios and the stETH replay;
//! * [`report`]: the markdown report and its SVG charts.

pub mod config;
pub mod market;
pub mod path;
pub mod report;
pub mod run;
pub mod scenario;
pub mod summary;

pub use config::SimConfig;
pub use path::{Prepared, MODELS};
pub use run::Shard;
pub use summary::{Stats, Summary};
