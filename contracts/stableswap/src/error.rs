use cosmwasm_std::{StdError, Uint128};
use cw_ownable::OwnershipError;
use cw_utils::PaymentError;
use thiserror::Error;
use tributary_math::MathError;

/// Every way a pool message can fail. A failed message changes nothing.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("payment error: {0}")]
    Payment(#[from] PaymentError),

    #[error("{0}")]
    Math(#[from] MathError),

    #[error("ownership: {0}")]
    Ownership(OwnershipError),

    #[error("unauthorized: only the owner may do this")]
    Unauthorized {},

    #[error("{operation} is paused")]
    Paused { operation: String },

    #[error("invalid address {address:?}: {reason}")]
    InvalidAddress { address: String, reason: String },

    #[error("invalid configuration: {reason}")]
    InvalidConfig { reason: String },

    #[error("zero amount: nothing to do")]
    ZeroAmount {},

    #[error("slippage: {got} would be received, below the minimum of {min}")]
    Slippage { min: Uint128, got: Uint128 },

    #[error("this pool trades {expected}, not {got}")]
    WrongAsset { expected: String, got: String },

    #[error(
        "the attached funds must match the native amounts exactly: expected {expected}, got {got}"
    )]
    FundsMismatch { expected: String, got: String },

    #[error("coin index {index} does not exist (0 or 1)")]
    InvalidCoin { index: u8 },

    #[error("A must be between 1 and 1000000 and change at most tenfold, over at least a day")]
    InvalidRamp {},

    #[error("fee of {fee} is above the maximum of {max} (fractions of 1e10)")]
    FeeTooHigh { fee: u64, max: u64 },

    #[error("nothing to collect")]
    NothingToCollect {},

    #[error("the LP token has not been created yet")]
    TokenNotReady {},
}

impl From<OwnershipError> for ContractError {
    fn from(e: OwnershipError) -> Self {
        match e {
            OwnershipError::NotOwner | OwnershipError::NoOwner => ContractError::Unauthorized {},
            other => ContractError::Ownership(other),
        }
    }
}

impl From<cosmwasm_std::OverflowError> for ContractError {
    fn from(_: cosmwasm_std::OverflowError) -> Self {
        ContractError::Math(MathError::Overflow)
    }
}

impl From<cosmwasm_std::CheckedMultiplyRatioError> for ContractError {
    fn from(e: cosmwasm_std::CheckedMultiplyRatioError) -> Self {
        ContractError::Math(e.into())
    }
}

impl From<cosmwasm_std::DecimalRangeExceeded> for ContractError {
    fn from(_: cosmwasm_std::DecimalRangeExceeded) -> Self {
        ContractError::Math(MathError::Overflow)
    }
}
