//! Storage layout of the hub. Every item is documented; amounts are native units unless named
//! `lst`. The stored records themselves (state, validators, batches) are the plain structs of
//! [`tributary_core::hub`], which holds every transition on them.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, StdError, StdResult, Storage, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
pub use tributary_core::hub::{
    Batch, BatchEntry, FeeCarry, RedelegationEntry, Snapshot, State, Validator,
};
use tributary_core::{Delayed, DelayedChange};
use tributary_types::hub::{PauseCause, PauseFlags, Rails};

/// Parameters, changed only by the owner.
#[cw_serde]
pub struct Config {
    /// Native staking denom.
    pub denom: String,
    /// LST token (cw20-base, minter and admin = hub), created with `instantiate2` at
    /// instantiation, so its address is known from the start.
    pub lst_token: Addr,
    /// Epoch zero starts here (instantiation time).
    pub genesis: Timestamp,
    /// Epoch length, seconds.
    pub epoch_period: u64,
    /// Chain unbonding time, seconds.
    pub unbonding_period: u64,
    /// Minimum seconds between batch submissions.
    pub batch_interval: u64,
    /// Fee on rewards, basis points, with its queued change (applied by the first sync at or
    /// after its time, which settles the rewards accrued under the old fee).
    pub fee: Delayed<u16>,
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
    /// May pause bonds and instant unstaking, nothing else.
    #[serde(default)]
    pub guardian: Option<Addr>,
    /// Bounds on the exchange rate and the protective pauses (defaults in state from before).
    #[serde(default)]
    pub rails: Rails,
    /// Why bonds and instant unstaking were last paused by the guardian or automatically;
    /// cleared by the owner's `SetPause`.
    #[serde(default)]
    pub pause_cause: Option<PauseCause>,
}

/// The configuration as stored before the fee became a [`Delayed`] and the LST token was
/// created with `instantiate2` (read once by the migration).
#[cw_serde]
struct LegacyConfig {
    denom: String,
    lst_token: Option<Addr>,
    genesis: Timestamp,
    epoch_period: u64,
    unbonding_period: u64,
    batch_interval: u64,
    fee_bps: u16,
    pending_fee: Option<LegacyPendingFee>,
    fee_addr: Addr,
    fee_change_delay: u64,
    min_bond: Uint128,
    deposit_cap: Option<Uint128>,
    max_rebalance_per_epoch: Uint128,
    paused: PauseFlags,
    instant_unstake_pool: Option<Addr>,
}

#[cw_serde]
struct LegacyPendingFee {
    fee_bps: u16,
    effective_at: Timestamp,
}

/// Rewrites a configuration stored in the layout before the fee became a [`Delayed`] (and the
/// token address an `Option`) in the current layout. Returns whether it did.
pub fn migrate_legacy_config(storage: &mut dyn Storage) -> StdResult<bool> {
    if CONFIG.load(storage).is_ok() {
        return Ok(false);
    }
    let old: LegacyConfig = Item::new("config").load(storage)?;
    let lst_token = old
        .lst_token
        .ok_or_else(|| StdError::generic_err("the stored LST token was never created"))?;
    CONFIG.save(
        storage,
        &Config {
            denom: old.denom,
            lst_token,
            genesis: old.genesis,
            epoch_period: old.epoch_period,
            unbonding_period: old.unbonding_period,
            batch_interval: old.batch_interval,
            fee: Delayed {
                current: old.fee_bps,
                pending: old.pending_fee.map(|p| DelayedChange {
                    value: p.fee_bps,
                    effective_at: p.effective_at,
                }),
            },
            fee_addr: old.fee_addr,
            fee_change_delay: old.fee_change_delay,
            min_bond: old.min_bond,
            deposit_cap: old.deposit_cap,
            max_rebalance_per_epoch: old.max_rebalance_per_epoch,
            paused: old.paused,
            instant_unstake_pool: old.instant_unstake_pool,
            guardian: None,
            rails: Rails::default(),
            pause_cause: None,
        },
    )?;
    Ok(true)
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");
/// Running totals.
pub const STATE: Item<State> = Item::new("state");
/// What the last saved sync left for the quick bond path (`State::snapshot`, stored apart).
pub const SNAPSHOT: Item<Snapshot> = Item::new("snapshot");
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

/// The state with its snapshot (stored apart, see [`SNAPSHOT`]).
pub fn load_state(storage: &dyn Storage) -> StdResult<State> {
    let mut state = STATE.load(storage)?;
    state.snapshot = SNAPSHOT.may_load(storage)?;
    Ok(state)
}

/// Saves the state and, if it has one, its snapshot.
pub fn save_state(storage: &mut dyn Storage, state: &State) -> StdResult<()> {
    STATE.save(storage, state)?;
    if let Some(snapshot) = &state.snapshot {
        SNAPSHOT.save(storage, snapshot)?;
    }
    Ok(())
}
