//! The `tributary` command's library: the staking-model comparison and table output.

pub mod chart;
pub mod client;
pub mod compare;
pub mod table;
pub mod units;
pub mod web;
