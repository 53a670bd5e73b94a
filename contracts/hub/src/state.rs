//! Storage layout of the hub. Every item is documented; amounts are native units unless named
//! `lst`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, StdResult, Storage, Timestamp, Uint128};
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
    /// Native in the hub's balance that it knows to be rewards, not yet compounded: rewards it
    /// withdrew itself (it books the chain's `accrued` figure before every withdrawal, explicit
    /// or implied by a staking message) and inflow left over once every due unbonding batch has
    /// been paid (donations). Only this, and rewards still accrued on the chain, ever count as
    /// rewards; the rest of the balance belongs to the claim reserve or to unbonding batches.
    /// Absent in state written before it existed: zero, and the first sync classifies the
    /// balance (payouts first, the rest as rewards).
    #[serde(default)]
    pub rewards_held: Uint128,
    /// Rewards that accrued before the last fee change took effect and are not yet compounded,
    /// with the fee owed on them at the fees in force while they accrued.
    #[serde(default)]
    pub fee_carry: FeeCarry,
    /// When an execution last synced and saved the books (`None` before the first one).
    #[serde(default)]
    pub observed_at: Option<Timestamp>,
    /// Rewards not yet compounded (held plus accrued on the chain) at `observed_at`. Between two
    /// saved syncs the delegations do not change, so rewards accrue linearly in time: a fee
    /// change taking effect in between splits them by time.
    #[serde(default)]
    pub observed_rewards: Uint128,
}

/// Rewards that accrued under an earlier fee (see [`State::fee_carry`]).
#[cw_serde]
#[derive(Default)]
pub struct FeeCarry {
    /// Part of the rewards not yet compounded that accrued before the last fee change.
    pub rewards: Uint128,
    /// Fee owed on `rewards`, at the fee(s) in force when they accrued.
    pub fee: Uint128,
}

/// A validator in the set.
#[cw_serde]
pub struct Validator {
    /// Target weight; zero once removed (kept while batches still unbond from it so their
    /// slashing is still tracked).
    pub weight: u64,
    /// Delegation on the books (set to the chain's figure whenever a slash is detected).
    pub booked: Uint128,
    /// Completion times of the hub's unbonding entries on this validator that the chain may
    /// still hold (at most [`tributary_types::hub::MAX_CHAIN_ENTRIES`]). An entry is forgotten
    /// one epoch after its completion time: the chain removes it at the end of the first block
    /// past that time.
    #[serde(default)]
    pub unbonding_entries: Vec<Timestamp>,
    /// Redelegations into this validator the chain may still hold: stake cannot be redelegated
    /// out of it while any is live (no transitive redelegation), and each source pair holds at
    /// most [`tributary_types::hub::MAX_CHAIN_ENTRIES`]. Forgotten one epoch after completion.
    #[serde(default)]
    pub redelegations_in: Vec<RedelegationEntry>,
}

/// A redelegation into a validator, as the chain records it.
#[cw_serde]
pub struct RedelegationEntry {
    /// Source validator.
    pub src: String,
    /// When the chain completes it (redelegation time + unbonding period).
    pub completes_at: Timestamp,
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
    /// Native owed to the batch (fixed at submission, reduced by slashing before payout; once
    /// claimable, what the chain actually paid).
    pub native_amount: Uint128,
    /// Native that has arrived for this batch while it unbonds (attributed at each sync, oldest
    /// due batch first, up to what the batch is owed). Never counted as rewards.
    #[serde(default)]
    pub received: Uint128,
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
            received: Uint128::zero(),
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

/// Records, for every batch still unbonding, its completion time in the unbonding entries of
/// each validator it undelegated from (skipping entries already recorded). Returns how many were
/// added. Bounded by the batches in flight (at most a handful) times their entries.
pub fn rebuild_unbonding_entries(storage: &mut dyn Storage) -> StdResult<u64> {
    let state = STATE.load(storage)?;
    let mut added = 0u64;
    for id in &state.unbonding_batches {
        let batch = BATCHES.load(storage, *id)?;
        let Some(at) = batch.claimable_at else {
            continue;
        };
        for entry in &batch.entries {
            let Some(mut validator) = VALIDATORS.may_load(storage, &entry.validator)? else {
                continue;
            };
            if !validator.unbonding_entries.contains(&at) {
                validator.unbonding_entries.push(at);
                VALIDATORS.save(storage, &entry.validator, &validator)?;
                added += 1;
            }
        }
    }
    Ok(added)
}
