//! Why a hub transition refuses to happen.

use cosmwasm_std::{Timestamp, Uint128};
use thiserror::Error;
use tributary_math::MathError;

/// Every way a hub state transition can fail. A failed transition is never saved.
#[derive(Error, Debug, PartialEq)]
pub enum HubError {
    /// Checked arithmetic failed.
    #[error("{0}")]
    Math(#[from] MathError),

    /// The hub's balance no longer covers what it holds for claims and unbonding batches.
    #[error(
        "accounting halted: the hub's balance {balance} is below the {owed} it holds for claims \
         and unbonding batches"
    )]
    Insolvent {
        /// The hub's native balance.
        balance: Uint128,
        /// Claim reserve plus what the unbonding batches have received.
        owed: Uint128,
    },

    /// A bond would take the hub above its deposit cap.
    #[error("deposit cap reached: the hub would hold {would_hold}, above its cap of {cap}")]
    DepositCapExceeded {
        /// The cap.
        cap: Uint128,
        /// What the hub would hold with the bond.
        would_hold: Uint128,
    },

    /// Fewer LST would be minted than the bonder accepts.
    #[error("slippage: {minted} LST would be minted, below the minimum of {min_out}")]
    SlippageExceeded {
        /// The least LST the bonder accepts.
        min_out: Uint128,
        /// What would be minted.
        minted: Uint128,
    },

    /// A bond so small it would mint nothing.
    #[error("the amount is too small: it would mint zero LST")]
    ZeroMint {},

    /// No validator has a positive weight: there is nowhere to delegate.
    #[error("invalid configuration: no active validator")]
    NoActiveValidator {},

    /// The crank already ran for the current epoch.
    #[error("epoch {epoch} is already processed; the next epoch starts at {next_epoch_at}")]
    EpochNotElapsed {
        /// The last epoch processed.
        epoch: u64,
        /// When the next one starts.
        next_epoch_at: Timestamp,
    },

    /// The validator is already in the set with a positive weight.
    #[error("validator {address} is already in the set")]
    ValidatorExists {
        /// Operator address.
        address: String,
    },

    /// The validator is not in the set (or was removed).
    #[error("validator {address} is not in the set")]
    ValidatorNotFound {
        /// Operator address.
        address: String,
    },

    /// Removing the validator would leave no active validator.
    #[error("the last validator cannot be removed")]
    LastValidator {},
}

tributary_math::impl_from_math_errors!(HubError);
