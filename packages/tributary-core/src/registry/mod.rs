//! The restaking registry's state transitions over plain structs: an operator's delegation pool
//! and reward stream ([`operator`]), opt-ins and allocations to services ([`allocation`]), the
//! split of a service's payment between its operators ([`rewards`]) and slash requests with
//! their per-epoch caps and holds ([`slashing`]).
//!
//! The registry contract loads these structs from storage (it stores them as they are), calls
//! the functions here, saves the structs back and turns the returned summaries into messages and
//! attributes. Nothing here reads storage or queries another contract.

pub mod allocation;
pub mod operator;
pub mod rewards;
pub mod slashing;

use cosmwasm_std::{Timestamp, Uint128};
use thiserror::Error;
use tributary_math::MathError;

pub use allocation::{AllocationChange, OptIn, Service};
pub use operator::{Delegation, Operator, OperatorPayment};
pub use rewards::{pay_service, split_payment, ServicePayment, ServiceStake};
pub use slashing::{SlashExecution, SlashRequest, SlashRequestInput, SlashStatus};

/// Basis points in 100 % (the math package's constant).
pub use tributary_math::BPS_DENOMINATOR as FULL_BPS;

/// Most operators that may serve (be opted in to) one service at a time, opting-out ones
/// included. Bounds the loop of `DepositRewards` and of the `Service` query.
pub const MAX_OPERATORS_PER_SERVICE: u32 = 50;
/// Most services one operator may serve at a time, opting-out ones included. Bounds the loops
/// over an operator's allocations (`SetAllocation`, the `Operator` and `Delegator` queries).
pub const MAX_SERVICES_PER_OPERATOR: u32 = 20;
/// Most epochs of its service's per-epoch cap one slash request may take to execute. While a
/// request is pending, exits from its operator are held; this bounds how long.
pub const MAX_SLASH_EPOCHS: u16 = 10;

/// Every way a registry state transition can fail. A failed transition is never saved.
#[derive(Error, Debug, PartialEq)]
pub enum RegistryError {
    /// Arithmetic that does not fit (or divides by zero).
    #[error("{0}")]
    Math(#[from] MathError),

    /// An amount too small to move anything (the contract reports it as its common
    /// `ZeroAmount`).
    #[error("zero amount: nothing to do")]
    ZeroAmount {},

    /// An undelegation of more than the position is worth.
    #[error("requested {requested} but only {available} is delegated")]
    InsufficientDelegation {
        /// LST asked for.
        requested: Uint128,
        /// LST the position is worth (net of pending slashes).
        available: Uint128,
    },

    /// A service already has the most operators it may have.
    #[error("service {service} already has the maximum of {max} operators")]
    TooManyOperators {
        /// Service id.
        service: u64,
        /// [`MAX_OPERATORS_PER_SERVICE`].
        max: u32,
    },

    /// An operator already serves the most services it may serve.
    #[error("operator already serves the maximum of {max} services")]
    TooManyServices {
        /// [`MAX_SERVICES_PER_OPERATOR`].
        max: u32,
    },

    /// The opt-in is being opted out of: its allocation is frozen.
    #[error(
        "operator is opting out of service {service} (effective at {at}); allocation is frozen"
    )]
    OptingOut {
        /// Service id.
        service: u64,
        /// When the opt-out takes effect.
        at: Timestamp,
    },

    /// Allocations in force would exceed 100 %.
    #[error(
        "allocations would total {total_bps} bps, above 100 %: stake cannot be promised twice"
    )]
    OverAllocated {
        /// What they would total.
        total_bps: u32,
    },

    /// An allocation may only grow.
    #[error("allocations can only be increased; release stake by opting out")]
    AllocationDecrease {},

    /// A slash fraction (or per-epoch cap) outside 1..=10000 bps.
    #[error("a fraction must be between 1 and 10000 bps, got {bps}")]
    InvalidFraction {
        /// The fraction given.
        bps: u16,
    },

    /// A slash request that would take more than [`MAX_SLASH_EPOCHS`] epochs of its cap.
    #[error(
        "a request of {bps} bps would take more than {epochs} epochs of the service's cap of \
         {cap} bps per epoch to execute (exits are held meanwhile): request at most {max} bps"
    )]
    SlashTooSlow {
        /// The fraction requested.
        bps: u16,
        /// The service's cap per epoch.
        cap: u16,
        /// [`MAX_SLASH_EPOCHS`].
        epochs: u16,
        /// The largest fraction that may be requested.
        max: u32,
    },

    /// Nothing would be left to slash once the pending requests have executed.
    #[error("nothing is left to slash at {operator} once its pending requests have executed")]
    NothingLeftToSlash {
        /// Operator address.
        operator: String,
    },

    /// The slash request was vetoed or has executed.
    #[error("slash request {id} is not pending")]
    SlashNotPending {
        /// Request id.
        id: u64,
    },

    /// The request cannot execute yet.
    #[error("the veto window of request {id} ends at {at}")]
    VetoWindowOpen {
        /// Request id.
        id: u64,
        /// When it may execute.
        at: Timestamp,
    },

    /// The request can no longer be vetoed.
    #[error("the veto window of request {id} ended at {at}")]
    VetoWindowClosed {
        /// Request id.
        id: u64,
        /// When the window ended.
        at: Timestamp,
    },

    /// The service's cap for this operator is used up this epoch.
    #[error(
        "the per-epoch slash cap for this operator and service is used up until {next_epoch_at}"
    )]
    SlashCapReached {
        /// When the next epoch starts.
        next_epoch_at: Timestamp,
    },

    /// A payment with no allocated stake over the time it covers.
    #[error(
        "no stake has been allocated to service {service} since its last payment; nobody to pay"
    )]
    NoAllocatedStake {
        /// Service id.
        service: u64,
    },

    /// A completion time beyond what a timestamp holds.
    #[error("completion time overflow")]
    CompletionTimeOverflow {},
}

tributary_math::impl_from_math_errors!(RegistryError);

/// LST of `stake` covered by an allocation of `bps`.
pub fn allocated(stake: Uint128, bps: u16) -> Result<Uint128, RegistryError> {
    Ok(tributary_math::bps_of(stake, bps)?)
}
