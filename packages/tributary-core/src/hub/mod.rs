//! The liquid staking hub's accounting as plain Rust: its [`Ledger`] (the contract's full
//! accounting snapshot: stored records plus the chain's figures) and every state transition on
//! it.
//!
//! The contract gathers its inputs — stored config/state/validators/in-flight batches, and from
//! the chain each delegation, its accrued rewards, the hub's balance and the LST supply — into a
//! [`Ledger`], calls [`Ledger::sync`] (reconciliation with the chain: payouts, slashing,
//! maturity, fee change) and then the transition of the message ([`Ledger::bond`],
//! [`Ledger::queue_unbond`], [`Ledger::settle_claim`], [`Ledger::start_crank`],
//! [`Ledger::reinvest`], [`Ledger::add_validator`], [`Ledger::set_weight`],
//! [`Ledger::remove_validator`]). Each returns a plan (what changed, and the
//! [`StakingAction`]s to send, in order); the contract saves the ledger and turns the plan into
//! messages. Queries run the same sync on a copy that is never saved.
//!
//! Rewards accrued since the last crank count towards the rate (net of the fee), so nobody can
//! bond just before a crank to capture them, and a slash counts as soon as a sync sees it;
//! unbonding is priced only when the crank submits the batch, after a full sync, so nobody can
//! unbond ahead of it. A bond takes the quick path ([`quick_bond`]) when the last saved sync is
//! from the current epoch: priced from its [`Snapshot`] with the rewards since priced at the APR ceiling,
//! in O(1) of the validator set (see `quick.rs` for what it does not see and why that is safe). The real chain withdraws a delegation's rewards on every
//! staking message to it, cw-multi-test does not: the ledger plans an explicit withdrawal (and
//! books the rewards as held) before any staking message to a validator with accrued rewards,
//! so both behave the same.

mod error;
mod ledger;
mod plans;
mod quick;
#[cfg(test)]
mod quick_tests;
mod rails;
#[cfg(test)]
mod rails_tests;
mod records;
#[cfg(test)]
mod tests;

pub use error::HubError;
pub use ledger::{
    epoch_at, next_epoch_at, ChainLimit, InFlightBatch, Ledger, LedgerParams, SyncReport,
    ValidatorPosition,
};
pub use plans::{BatchOutcome, BondPlan, CrankStart, ReinvestPlan, RemovalPlan, StakingAction};
pub use quick::{
    priced_growth, quick_bond, usable_snapshot, QuickContext, QuickFigures, SyncNeeded, DRIFT_BPS,
};
pub use rails::{RailsReport, SECONDS_PER_YEAR};
pub use records::{
    Batch, BatchEntry, BatchStatus, BunkerInfo, FeeCarry, Rails, RateAnchor, RedelegationEntry,
    Snapshot, State, Validator, MAX_CHAIN_ENTRIES,
};
