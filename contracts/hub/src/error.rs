use cosmwasm_std::{StdError, Timestamp, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;
use tributary_math::MathError;

/// Every way a hub message can fail. A failed message changes nothing.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("payment error: {0}")]
    Payment(#[from] PaymentError),

    #[error("{0}")]
    Math(#[from] MathError),

    #[error(transparent)]
    Common(#[from] tributary_common::CommonError),

    #[error("bond of {amount} is below the minimum of {min}")]
    BelowMinimum { amount: Uint128, min: Uint128 },

    #[error("deposit cap reached: the hub would hold {would_hold}, above its cap of {cap}")]
    DepositCapExceeded { cap: Uint128, would_hold: Uint128 },

    #[error("slippage: {minted} LST would be minted, below the minimum of {min_out}")]
    SlippageExceeded { min_out: Uint128, minted: Uint128 },

    #[error("the amount is too small: it would mint zero LST")]
    ZeroMint {},

    #[error("zero amount: nothing to do")]
    ZeroAmount {},

    #[error("only the LST token {expected} is accepted here, not {got}")]
    WrongToken { expected: String, got: String },

    #[error("epoch {epoch} is already processed; the next epoch starts at {next_epoch_at}")]
    EpochNotElapsed {
        epoch: u64,
        next_epoch_at: Timestamp,
    },

    #[error("nothing to claim yet")]
    NothingToClaim {},

    #[error("validator {address} is already in the set")]
    ValidatorExists { address: String },

    #[error("validator {address} is not in the set")]
    ValidatorNotFound { address: String },

    #[error("{address} is not an active validator on this chain")]
    NotAValidator { address: String },

    #[error("a validator weight must be positive")]
    ZeroWeight {},

    #[error("the last validator cannot be removed")]
    LastValidator {},

    #[error("fee of {fee_bps} bps is above the maximum of {max_bps} bps")]
    FeeTooHigh { fee_bps: u16, max_bps: u16 },

    #[error("invalid configuration: {reason}")]
    InvalidConfig { reason: String },

    #[error("only the hub itself may send callbacks")]
    CallbackOnly {},

    #[error("the LST token has not been created yet")]
    TokenNotReady {},

    #[error(
        "accounting halted: the hub's balance {balance} is below the {owed} it holds for claims \
         and unbonding batches"
    )]
    Insolvent { balance: Uint128, owed: Uint128 },
}

tributary_math::impl_from_math_errors!(ContractError);
