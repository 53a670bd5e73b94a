use cosmwasm_std::{StdError, Timestamp, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;
use tributary_common::CommonError;
use tributary_core::hub::HubError;
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

    /// Unauthorized, paused, invalid address, zero amount, invalid configuration, wrong token,
    /// fee too high: the errors every contract shares.
    #[error(transparent)]
    Common(#[from] CommonError),

    #[error("bond of {amount} is below the minimum of {min}")]
    BelowMinimum { amount: Uint128, min: Uint128 },

    #[error("deposit cap reached: the hub would hold {would_hold}, above its cap of {cap}")]
    DepositCapExceeded { cap: Uint128, would_hold: Uint128 },

    #[error("slippage: {minted} LST would be minted, below the minimum of {min_out}")]
    SlippageExceeded { min_out: Uint128, minted: Uint128 },

    #[error("the amount is too small: it would mint zero LST")]
    ZeroMint {},

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

    #[error("only the hub itself may send callbacks")]
    CallbackOnly {},

    #[error("only the guardian may do this")]
    NotGuardian {},

    #[error("nothing to pause: set `bond` or `instant_unstake`")]
    NothingToPause {},

    #[error(
        "instant unstaking is paused: the pool's average discount is {ema_discount_bps} bps, at \
         or above the limit of {limit_bps} bps"
    )]
    Depegged {
        ema_discount_bps: u16,
        limit_bps: u16,
    },

    #[error(
        "accounting halted: the hub's balance {balance} is below the {owed} it holds for claims \
         and unbonding batches"
    )]
    Insolvent { balance: Uint128, owed: Uint128 },
}

impl ContractError {
    /// A [`CommonError::InvalidConfig`] with this reason.
    pub fn invalid_config(reason: impl Into<String>) -> Self {
        CommonError::invalid_config(reason).into()
    }
}

impl From<HubError> for ContractError {
    fn from(error: HubError) -> Self {
        match error {
            HubError::Math(e) => ContractError::Math(e),
            HubError::Insolvent { balance, owed } => ContractError::Insolvent { balance, owed },
            HubError::DepositCapExceeded { cap, would_hold } => {
                ContractError::DepositCapExceeded { cap, would_hold }
            }
            HubError::SlippageExceeded { min_out, minted } => {
                ContractError::SlippageExceeded { min_out, minted }
            }
            HubError::ZeroMint {} => ContractError::ZeroMint {},
            HubError::NoActiveValidator {} => ContractError::invalid_config("no active validator"),
            HubError::EpochNotElapsed {
                epoch,
                next_epoch_at,
            } => ContractError::EpochNotElapsed {
                epoch,
                next_epoch_at,
            },
            HubError::ValidatorExists { address } => ContractError::ValidatorExists { address },
            HubError::ValidatorNotFound { address } => ContractError::ValidatorNotFound { address },
            HubError::LastValidator {} => ContractError::LastValidator {},
        }
    }
}

tributary_math::impl_from_math_errors!(ContractError);
