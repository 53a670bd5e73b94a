//! Storage layout of the hub. Every item is documented; amounts are native units unless named
//! `lst`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
use tributary_types::hub::{BatchStatus, PauseFlags, PendingFee};

/// Parameters, changed only by the owner.
#[cw_serde]
pub struct Config {
    /// Native staking denom.
    pub denom: String,
    /// LST token (cw20-base, minter = hub). `None` only between instantiate and its reply.
    pub lst_token: Option<Addr>,
    /// Epoch zero starts here (instantiation time).
    pub genesis: Timestamp,
    /// Epoch length, seconds.
    pub epoch_period: u64,
    /// Chain unbonding time, seconds.
    pub unbonding_period: u64,
    /// Minimum seconds between batch submissions.
    pub batch_interval: u64,
    /// Fee in force, basis points of rewards.
    pub fee_bps: u16,
    /// Queued fee change.
    pub pending_fee: Option<PendingFee>,
    /// Fee recipient.
    pub fee_addr: Addr,
    /// Delay before a queued fee applies, seconds.
    pub fee_change_delay: u64,
    /// Smallest accepted bond.
    pub min_bond: Uint128,
    /// Cap on total native held.
    pub deposit_cap: Option<Uint128>,
    /// Rebalancing bound per crank.
    pub max_rebalance_per_epoch: Uint128,
    /// Paused operations.
    pub paused: PauseFlags,
    /// StableSwap pool (LST / native) for instant unstaking.
    pub instant_unstake_pool: Option<Addr>,
}

/// Running totals.
#[cw_serde]
pub struct State {
    /// Last epoch processed by the crank.
    pub epoch: u64,
    /// Id of the batch collecting unbond requests.
    pub pending_batch_id: u64,
    /// LST burned into the pending batch (counted in the rate until the batch is priced).
    pub pending_lst: Uint128,
    /// When the last batch was submitted.
    pub last_batch_submitted_at: Option<Timestamp>,
    /// Ids of submitted batches still unbonding on the chain, oldest first.
    pub unbonding_batches: Vec<u64>,
    /// Native held for claimable batches and not yet claimed.
    pub unclaimed_reserve: Uint128,
}

/// A validator in the set.
#[cw_serde]
pub struct Validator {
    /// Target weight; zero once removed (kept while batches still unbond from it so their
    /// slashing is still tracked).
    pub weight: u64,
    /// Delegation on the books (set to the chain's figure whenever a slash is detected).
    pub booked: Uint128,
}

/// One validator's part of a submitted batch.
#[cw_serde]
pub struct BatchEntry {
    /// Validator undelegated from.
    pub validator: String,
    /// Native expected back from it (reduced if that validator is slashed before payout).
    pub amount: Uint128,
}

/// An unbond batch.
#[cw_serde]
pub struct Batch {
    /// Status.
    pub status: BatchStatus,
    /// LST burned into the batch.
    pub lst_amount: Uint128,
    /// LST whose native share has been claimed.
    pub lst_claimed: Uint128,
    /// Native owed to the batch (fixed at submission, reduced by slashing before payout).
    pub native_amount: Uint128,
    /// Native paid out to claimants.
    pub native_claimed: Uint128,
    /// Submission time.
    pub submitted_at: Option<Timestamp>,
    /// When the chain pays the undelegations out.
    pub claimable_at: Option<Timestamp>,
    /// Undelegations, one per validator.
    pub entries: Vec<BatchEntry>,
}

impl Batch {
    /// A new, empty pending batch.
    pub fn pending() -> Self {
        Batch {
            status: BatchStatus::Pending,
            lst_amount: Uint128::zero(),
            lst_claimed: Uint128::zero(),
            native_amount: Uint128::zero(),
            native_claimed: Uint128::zero(),
            submitted_at: None,
            claimable_at: None,
            entries: vec![],
        }
    }
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");
/// Running totals.
pub const STATE: Item<State> = Item::new("state");
/// Validator set, by operator address.
pub const VALIDATORS: Map<&str, Validator> = Map::new("validators");
/// Batches by id (the pending one included).
pub const BATCHES: Map<u64, Batch> = Map::new("batches");
/// LST each user burned into each batch: (user, batch id) -> LST.
pub const UNBOND_REQUESTS: Map<(&Addr, u64), Uint128> = Map::new("unbond_requests");
