use cosmwasm_std::{StdError, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;
use tributary_math::MathError;

/// Every way a vault message can fail. A failed message changes nothing.
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

    #[error("only the vault itself may send callbacks")]
    CallbackOnly {},

    #[error("invalid configuration: {reason}")]
    InvalidConfig { reason: String },

    #[error("zero amount: nothing to do")]
    ZeroAmount {},

    #[error(
        "a withdrawal of {lrt} LRT units is below the minimum of {min} (withdraw at least that, \
         or everything you hold)"
    )]
    WithdrawalTooSmall { lrt: Uint128, min: Uint128 },

    #[error("the amount is too small: it would mint zero LRT")]
    ZeroMint {},

    #[error("slippage: {minted} LRT would be minted, below the minimum of {min_out}")]
    SlippageExceeded { min_out: Uint128, minted: Uint128 },

    #[error("deposit cap reached: the vault would hold {would_hold}, above its cap of {cap}")]
    DepositCapExceeded { cap: Uint128, would_hold: Uint128 },

    #[error("token {got} is not accepted here (send the LST {lst} or the LRT {lrt})")]
    WrongToken {
        got: String,
        lst: String,
        lrt: String,
    },

    #[error("fee of {fee_bps} bps is above the maximum of {max_bps} bps")]
    FeeTooHigh { fee_bps: u16, max_bps: u16 },

    #[error("{operator} is not an operator in the registry")]
    UnknownOperator { operator: String },

    #[error("strategy targets would total {total_bps} bps, above 100 %")]
    StrategiesOverAllocated { total_bps: u32 },

    #[error("nothing to claim yet")]
    NothingToClaim {},

    #[error("the LRT token has not been created yet")]
    TokenNotReady {},
}

tributary_math::impl_from_math_errors!(ContractError);
