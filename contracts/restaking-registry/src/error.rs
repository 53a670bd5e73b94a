use cosmwasm_std::{StdError, Timestamp, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;
use tributary_math::MathError;

/// Every way a registry message can fail. A failed message changes nothing.
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

    #[error("invalid configuration: {reason}")]
    InvalidConfig { reason: String },

    #[error("zero amount: nothing to do")]
    ZeroAmount {},

    #[error("only the LST token {expected} is accepted here, not {got}")]
    WrongToken { expected: String, got: String },

    #[error("{address} is already a registered operator")]
    OperatorExists { address: String },

    #[error("{address} is not a registered operator")]
    OperatorNotFound { address: String },

    #[error("service {id} does not exist")]
    ServiceNotFound { id: u64 },

    #[error("commission of {bps} bps is above the maximum of {max} bps")]
    CommissionTooHigh { bps: u16, max: u16 },

    #[error("operator is not approved by the admin of service {service}; it must approve the operator first")]
    OperatorNotApproved { service: u64 },

    #[error("service {service} already has the maximum of {max} operators")]
    TooManyOperators { service: u64, max: u32 },

    #[error("operator already serves the maximum of {max} services")]
    TooManyServices { max: u32 },

    #[error("a delegator may hold positions with at most {max} operators; withdraw from one and claim its rewards first")]
    TooManyPositions { max: u32 },

    #[error("operator is already opted in to service {service}")]
    AlreadyOptedIn { service: u64 },

    #[error("operator is not opted in to service {service}")]
    NotOptedIn { service: u64 },

    #[error(
        "operator is opting out of service {service} (effective at {at}); allocation is frozen"
    )]
    OptingOut { service: u64, at: Timestamp },

    #[error(
        "allocations would total {total_bps} bps, above 100 %: stake cannot be promised twice"
    )]
    OverAllocated { total_bps: u32 },

    #[error("allocations can only be increased; release stake by opting out")]
    AllocationDecrease {},

    #[error("a fraction must be between 1 and 10000 bps, got {bps}")]
    InvalidFraction { bps: u16 },

    #[error(
        "a request of {bps} bps would take more than {epochs} epochs of the service's cap of \
         {cap} bps per epoch to execute (exits are held meanwhile): request at most {max} bps"
    )]
    SlashTooSlow {
        bps: u16,
        cap: u16,
        epochs: u16,
        max: u32,
    },

    #[error("operator {operator} has no stake slashable by service {service}")]
    NotSlashable { operator: String, service: u64 },

    #[error("slash request {id} does not exist")]
    SlashRequestNotFound { id: u64 },

    #[error("slash request {id} is not pending")]
    SlashNotPending { id: u64 },

    #[error("the veto window of request {id} ends at {at}")]
    VetoWindowOpen { id: u64, at: Timestamp },

    #[error("the veto window of request {id} ended at {at}")]
    VetoWindowClosed { id: u64, at: Timestamp },

    #[error(
        "the per-epoch slash cap for this operator and service is used up until {next_epoch_at}"
    )]
    SlashCapReached { next_epoch_at: Timestamp },

    #[error(
        "no stake has been allocated to service {service} since its last payment; nobody to pay"
    )]
    NoAllocatedStake { service: u64 },

    #[error("no delegation to operator {operator}")]
    NoDelegation { operator: String },

    #[error("nothing to complete yet")]
    NothingToComplete {},

    #[error(
        "your due undelegations are held until the slash requests pending against their \
         operator are resolved (executed or vetoed)"
    )]
    HeldBySlash {},

    #[error(
        "slash requests are pending against {operator}: new delegations to it wait until they \
         are resolved"
    )]
    SlashPending { operator: String },

    #[error("nothing is left to slash at {operator} once its pending requests have executed")]
    NothingLeftToSlash { operator: String },

    #[error("nothing to claim")]
    NothingToClaim {},

    #[error("requested {requested} but only {available} is delegated")]
    InsufficientDelegation {
        requested: Uint128,
        available: Uint128,
    },
}

tributary_math::impl_from_math_errors!(ContractError);
