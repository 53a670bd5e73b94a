use cosmwasm_std::{StdError, Uint128};
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

    #[error(transparent)]
    Common(#[from] tributary_common::CommonError),

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

    #[error("{0}")]
    Ramp(#[from] tributary_core::market::RampError),

    #[error("fee of {fee} is above the maximum of {max} (fractions of 1e10)")]
    SwapFeeTooHigh { fee: u64, max: u64 },

    #[error("nothing to collect")]
    NothingToCollect {},
}

tributary_math::impl_from_math_errors!(ContractError);
