//! Storage layout of the vault. Amounts are LST units unless named `lrt` or `native`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
use tributary_core::vault::{QueueTotals, RateAnchor, VaultRails};
use tributary_core::Delayed;
use tributary_types::vault::{PauseCause, VaultPauseFlags};

/// Parameters.
#[cw_serde]
pub struct Config {
    /// The liquid staking hub.
    pub hub: Addr,
    /// The restaking registry.
    pub registry: Addr,
    /// The LST (from the hub's config).
    pub lst_token: Addr,
    /// The native staking denom (from the hub's config).
    pub native_denom: String,
    /// The LRT, created with `instantiate2` at instantiation (its address is known from the
    /// start).
    pub lrt_token: Addr,
    /// Fee on restaking rewards, bps, and its queued change.
    pub fee: Delayed<u16>,
    /// Fee recipient (LRT).
    pub fee_addr: Addr,
    /// Fee change delay, seconds.
    pub fee_change_delay: u64,
    /// Withdrawal delay, seconds.
    pub withdrawal_delay: u64,
    /// Cap on total value (LST).
    pub deposit_cap: Option<Uint128>,
    /// Per-operator cap, bps of total value.
    pub max_operator_bps: u16,
    /// Per-service exposure cap, bps of total value.
    pub max_service_exposure_bps: u16,
    /// Paused operations.
    pub paused: VaultPauseFlags,
    /// May pause deposits, nothing else. (Absent in state from before it existed: none.)
    #[serde(default)]
    pub guardian: Option<Addr>,
    /// The rate rails. (Absent in state from before they existed: the defaults.)
    #[serde(default)]
    pub rails: VaultRails,
    /// Why deposits were last paused by the guardian or automatically; cleared when the owner
    /// sets the pause flags.
    #[serde(default)]
    pub pause_cause: Option<PauseCause>,
}

/// Running totals.
#[cw_serde]
#[derive(Default)]
pub struct State {
    /// LRT burned into withdrawal requests not yet finalized.
    pub pending_lrt: Uint128,
    /// Their value when requested, summed (LST): the most the queue is owed.
    #[serde(default)]
    pub pending_cap: Uint128,
    /// When a strategy last refused to give LST back for pending withdrawals (its pool off
    /// balance, or beyond its slippage bound). For a withdrawal delay after it, the crank finds
    /// liquidity by undelegating from operators instead, so a pool kept off balance (by a
    /// depeg or an attacker) cannot hold withdrawals back.
    #[serde(default)]
    pub strategy_exit_failed_at: Option<Timestamp>,
    /// LST held for finalized, unclaimed withdrawals.
    pub reserved: Uint128,
    /// Native held for finalized, unclaimed withdrawals (the part of a withdrawal paid from
    /// native the hub could not take, see the crank).
    #[serde(default)]
    pub reserved_native: Uint128,
    /// Last withdrawal id issued.
    pub last_withdrawal_id: u64,
    /// Oldest withdrawal id that may still be unfinalized.
    pub next_to_finalize: u64,
    /// The rate recognised at the last crank, from which the APR ceiling grows (`None` until
    /// the first crank).
    #[serde(default)]
    pub rate_anchor: Option<RateAnchor>,
}

impl State {
    /// The withdrawal queue's totals.
    pub fn queue(&self) -> QueueTotals {
        QueueTotals {
            pending_lrt: self.pending_lrt,
            pending_cap: self.pending_cap,
        }
    }

    /// Stores the withdrawal queue's totals.
    pub fn set_queue(&mut self, queue: QueueTotals) {
        self.pending_lrt = queue.pending_lrt;
        self.pending_cap = queue.pending_cap;
    }
}

/// A withdrawal request.
#[cw_serde]
pub struct Withdrawal {
    /// Who asked (and claims).
    pub user: Addr,
    /// LRT burned.
    pub lrt: Uint128,
    /// When it was asked.
    pub requested_at: Timestamp,
    /// Earliest finalization.
    pub finalize_at: Timestamp,
    /// What the LRT redeemed for when the request was made, in LST: the most it will be paid
    /// (stake that is leaving stops earning; a slash during the delay still lowers it).
    #[serde(default)]
    pub value_at_request: Option<Uint128>,
    /// LST owed, once finalized.
    pub lst: Option<Uint128>,
    /// Native owed with it, once finalized (zero unless the vault was short of LST and held
    /// native it could not bond).
    #[serde(default)]
    pub native: Uint128,
    /// Requested while a service slash was pending against the vault's operators (bunker
    /// mode): finalized only once none is pending, or the longest a slash can stay pending
    /// after it was requested.
    #[serde(default)]
    pub awaits_slashes: bool,
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");
/// Running totals.
pub const STATE: Item<State> = Item::new("state");
/// Operator target weights (at most `MAX_OPERATORS_PER_DELEGATOR`).
pub const OPERATOR_TARGETS: Map<&Addr, u64> = Map::new("operator_targets");
/// Strategy contracts and their target share of value, bps.
pub const STRATEGIES: Map<&Addr, u16> = Map::new("strategies");
/// Withdrawal requests by id (ids grow with time, so finalization is first in, first out).
pub const WITHDRAWALS: Map<u64, Withdrawal> = Map::new("withdrawals");
/// Index of each user's withdrawals: (user, id) -> ().
pub const USER_WITHDRAWALS: Map<(&Addr, u64), ()> = Map::new("user_withdrawals");
