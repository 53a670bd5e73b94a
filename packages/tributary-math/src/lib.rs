//! Pure, checked math for Tributary.
//!
//! Everything here is integer arithmetic on [`Uint128`] with [`cosmwasm_std::Uint256`]
//! intermediates; nothing panics and nothing uses floating point. Rounding always favours
//! the protocol (the pool), never the caller:
//!
//! * minting rounds **down** (the depositor gets at most their share),
//! * redeeming rounds **down** (the redeemer gets at most their share),
//! * fees round **down** (the fee never exceeds its rate).
//!
//! The same functions are used by the contracts, the keeper and the simulator so they cannot
//! drift apart.

mod allocation;
mod error;
mod fee;
mod shares;
pub mod stableswap;

pub use allocation::{
    allocate_to_deficits, most_underweight, plan_rebalance, take_from_surpluses, targets_by_weight,
    Move,
};
pub use error::MathError;
pub use fee::{bps_of, fee_amount, share_bps, BPS_DENOMINATOR};
pub use shares::{pro_rata, QueueSplit, SharePool, VIRTUAL_OFFSET};

pub use cosmwasm_std::Uint128;
