use cosmwasm_std::{StdError, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;
use tributary_core::vault::VaultError;
use tributary_math::MathError;

/// Every way a vault message can fail. A failed message changes nothing.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    /// A storage, serialization or query failure.
    #[error("{0}")]
    Std(#[from] StdError),

    /// The funds sent do not match what the message takes.
    #[error("payment error: {0}")]
    Payment(#[from] PaymentError),

    /// Checked arithmetic failed.
    #[error("{0}")]
    Math(#[from] MathError),

    /// Failures every Tributary contract shares (unauthorized, paused, invalid address, zero
    /// amount, invalid configuration, wrong token, fee too high).
    #[error(transparent)]
    Common(#[from] tributary_common::CommonError),

    /// The accounting refused (deposit cap, zero mint, slippage).
    #[error(transparent)]
    Vault(#[from] VaultError),

    /// A callback sent by anyone but the vault.
    #[error("only the vault itself may send callbacks")]
    CallbackOnly {},

    /// A withdrawal request below [`tributary_types::vault::MIN_WITHDRAWAL_LRT`] that does not
    /// empty the sender's balance.
    #[error(
        "a withdrawal of {lrt} LRT units is below the minimum of {min} (withdraw at least that, \
         or everything you hold)"
    )]
    WithdrawalTooSmall { lrt: Uint128, min: Uint128 },

    /// An operator target that is not registered in the registry.
    #[error("{operator} is not an operator in the registry")]
    UnknownOperator { operator: String },

    /// Strategy targets above 100 % of the value.
    #[error("strategy targets would total {total_bps} bps, above 100 %")]
    StrategiesOverAllocated { total_bps: u32 },

    /// A claim with no finalized withdrawal to pay.
    #[error("nothing to claim yet")]
    NothingToClaim {},

    /// A guardian action from anyone but the guardian.
    #[error("only the guardian may do this")]
    NotGuardian {},

    /// A reply to a submessage the vault did not send.
    #[error("unknown reply id {id}")]
    UnknownReply { id: u64 },
}

tributary_math::impl_from_math_errors!(ContractError);
