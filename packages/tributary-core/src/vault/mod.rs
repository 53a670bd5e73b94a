//! The restaking vault's accounting and its crank's planning, as plain Rust.
//!
//! The contract reads what the vault holds (its LST balance, its position in the registry, its
//! strategies' reported values, the hub's rate, the LRT supply) into a [`Ledger`], and every
//! mint, withdrawal request and finalization is a transition of that ledger returning a summary
//! of what changed. The crank's last step gathers the registry's and the strategies' answers
//! into [`CrankInputs`] and [`plan`] says what to finalize, what to keep liquid and what to move
//! to or from strategies and operators; the contract turns that [`CrankPlan`] into messages.
//!
//! Two rules from the security audit live here:
//! - *stake that is leaving stops earning*: a withdrawal request is owed the lesser of its value
//!   when requested and what its LRT would be worth had it stayed
//!   ([`tributary_math::SharePool::split_queue`]); LRT are minted and valued at the rate of
//!   those who stay ([`Ledger::pool`]);
//! - *nobody enters ahead of a pending slash*: deposits are minted at [`Ledger::mint_pool`],
//!   which counts slashes pending in the registry as if they were vetoed.

mod crank;
mod ledger;
mod rails;

pub use crank::{
    finalize_window, plan, plan_reward_bond, BondDeferral, CrankInputs, CrankParams, CrankPlan,
    FeeCharge, HubBondTerms, OperatorMove, Payout, QueuedWithdrawal, RewardBond, ServiceExposure,
    ServiceShare, Settlement, StrategyMove, MAX_FINALIZE_PER_CRANK,
};
pub use ledger::{
    rewards_value, Ledger, Mint, OperatorPosition, QueueTotals, StrategyPosition,
    WithdrawalRequested,
};
pub use rails::{rate_drop_bps, RateAnchor, VaultRails};

use cosmwasm_std::Uint128;
use thiserror::Error;
use tributary_math::MathError;

/// Every way a vault transition can fail.
#[derive(Error, Debug, Clone, PartialEq, Eq)]
pub enum VaultError {
    /// Checked arithmetic failed.
    #[error(transparent)]
    Math(#[from] MathError),

    /// The deposit is too small to mint one LRT unit.
    #[error("the amount is too small: it would mint zero LRT")]
    ZeroMint {},

    /// Fewer LRT would be minted than the depositor accepts.
    #[error("slippage: {minted} LRT would be minted, below the minimum of {min_out}")]
    SlippageExceeded {
        /// The least LRT the depositor accepts.
        min_out: Uint128,
        /// What the deposit would mint.
        minted: Uint128,
    },

    /// The deposit would take the vault above its cap.
    #[error("deposit cap reached: the vault would hold {would_hold}, above its cap of {cap}")]
    DepositCapExceeded {
        /// The cap on the vault's value (LST).
        cap: Uint128,
        /// What the vault would hold with the deposit.
        would_hold: Uint128,
    },
}

tributary_math::impl_from_math_errors!(VaultError);
