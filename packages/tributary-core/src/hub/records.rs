//! The hub's stored records, exactly as the contract keeps them in storage (field names are the
//! storage layout: do not rename). Amounts are native units unless named `lst`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Timestamp, Uint128};
use tributary_math::{pro_rata, SharePool};

use super::HubError;

/// The most unbonding entries per delegator-validator pair, and redelegation entries per
/// delegator-source-destination triple, the chain holds at once (the Cosmos SDK's `MaxEntries`
/// default). The hub never sends a staking message that would exceed it: it defers or skips.
pub const MAX_CHAIN_ENTRIES: usize = 7;

/// Life of an unbond batch.
#[cw_serde]
#[derive(Copy)]
pub enum BatchStatus {
    /// Collecting unbond requests; not yet priced.
    Pending,
    /// Submitted to the chain: native amount fixed, waiting for the unbonding time.
    Unbonding,
    /// Native arrived; requests may be claimed.
    Claimable,
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
    /// When an execution last synced and saved the ledger (`None` before the first one).
    #[serde(default)]
    pub observed_at: Option<Timestamp>,
    /// Rewards not yet compounded (held plus accrued on the chain) at `observed_at`. Between two
    /// saved syncs the delegations do not change, so rewards accrue linearly in time: a fee
    /// change taking effect in between splits them by time.
    #[serde(default)]
    pub observed_rewards: Uint128,
    /// Rewards (net of the fee) held back from the exchange rate because they would have raised
    /// it faster than the APR ceiling ([`Rails::max_apr_bps`]). They are the hub's (delegated
    /// once compounded, or in its balance or accrued until then) and are released into the rate
    /// as time passes, within the ceiling. Never more than the hub's assets net of the fee.
    #[serde(default)]
    pub withheld: Uint128,
    /// Where the APR ceiling is measured from: the recognised assets and LST at the last saved
    /// sync (and at the end of the last crank). `None` until the first crank: no ceiling before.
    #[serde(default)]
    pub rate_anchor: Option<RateAnchor>,
    /// A mass slash in progress (see [`BunkerInfo`]); `None` in normal operation.
    #[serde(default)]
    pub bunker: Option<BunkerInfo>,
    /// What the last saved sync left for the quick paths (bonds priced in O(1), see
    /// `hub::quick`). `None` before the first saved sync: the next message syncs in full.
    /// Stored apart from the state (the contract's `snapshot` item; kept out of the state's
    /// serializer, whose wasm function would otherwise pass the VM's 100-locals limit), so it is
    /// `None` in a state loaded without it.
    #[serde(skip)]
    pub snapshot: Option<Snapshot>,
    /// Staking rewards withdrawn from validators since this field exists (the chain's accrued
    /// figure, booked before every withdrawal): with the rewards still accrued, the running
    /// total the staking reward rate is measured from (donations are not in it).
    #[serde(default)]
    pub rewards_withdrawn: Uint128,
}

/// The books as the last saved sync left them, so a bond can be priced without loading every
/// validator. Written by every saved sync (every crank, admin action and full-path message);
/// a quick bond adds to it.
#[cw_serde]
pub struct Snapshot {
    /// Epoch of the sync (by the clock, not the crank's epoch): a quick bond needs a snapshot
    /// from the current epoch.
    pub epoch: u64,
    /// When the sync ran.
    pub at: Timestamp,
    /// Sum of booked delegations (quick bonds add theirs).
    pub booked: Uint128,
    /// Rewards not yet compounded at the sync (held plus accrued on the chain).
    pub rewards: Uint128,
    /// Growth of accrued rewards that quick bonds have seen since (each withdraws the rewards of
    /// the validator it delegates to).
    pub seen: Uint128,
    /// Native the unbonding batches had received at the sync: with the claim reserve and the
    /// rewards held, all the hub's balance should be; anything more arrived unbooked (a payout,
    /// a donation) and sends a bond to the full path.
    pub received: Uint128,
    /// Sum of the validators' target weights.
    pub total_weight: u64,
    /// The staking reward rate last measured: `accrual` staking rewards earned over
    /// `accrual_stake_seconds` (delegated native × seconds, time-weighted). Zero before a first
    /// measurement.
    pub accrual: Uint128,
    /// See `accrual`.
    pub accrual_stake_seconds: Uint128,
    /// Where the running measurement started: when, and the running total of staking rewards
    /// (withdrawn plus accrued) then. A measurement is taken at the first saved sync at least
    /// an eighth of an epoch later.
    pub window_start: Timestamp,
    /// See `window_start`.
    pub window_rewards: Uint128,
    /// Delegated native × seconds since `window_start`, advanced to `stake_at` (every change of
    /// the booked total advances it first).
    pub window_stake_seconds: Uint128,
    /// See `window_stake_seconds`.
    pub stake_at: Timestamp,
    /// The validator quick bonds delegate to: the one most under its target at the sync.
    /// `None` with no active validator.
    pub deposit_validator: Option<String>,
}

/// The exchange rate the APR ceiling is measured from: `assets / lst` at `at`.
#[cw_serde]
pub struct RateAnchor {
    /// Native counted in the rate (net of the fee, withheld rewards excluded).
    pub assets: Uint128,
    /// LST counted in the rate (supply plus the pending batch).
    pub lst: Uint128,
    /// When.
    pub at: Timestamp,
}

/// Bunker mode: entered when one sync books a fall of the rate beyond
/// [`Rails::max_drop_bps`]; while it lasts the pending unbond batch is not priced. It ends
/// after [`Rails::bunker_epochs`] cranks in a row with no new slash, and at the latest one
/// unbonding period after it began (no slash for an infraction before it began can come later).
#[cw_serde]
pub struct BunkerInfo {
    /// When it began.
    pub since: Timestamp,
    /// When the last slash was booked.
    pub last_slash_at: Timestamp,
    /// Cranks since the last slash that booked no new one.
    pub quiet_cranks: u32,
}

/// The hub's safety rails (issue 11): bounds on how the exchange rate may move, and when the
/// hub protects itself.
#[cw_serde]
#[derive(Copy)]
pub struct Rails {
    /// The highest yearly rise of the exchange rate, basis points (pro rata to the seconds since
    /// the last crank). Rewards above it are withheld and recognised later within it.
    pub max_apr_bps: u16,
    /// A fall of the rate beyond this in one sync (basis points) pauses bonds and instant
    /// unstaking and starts bunker mode.
    pub max_drop_bps: u16,
    /// The instant-unstake pool's moving-average discount (basis points) at which the crank
    /// pauses bonds and instant unstaking.
    pub depeg_pause_bps: u16,
    /// Cranks in a row without a new slash that end bunker mode.
    pub bunker_epochs: u32,
}

impl Default for Rails {
    /// 20 %/year, 1 %, 5 %, 2 cranks.
    fn default() -> Self {
        Rails {
            max_apr_bps: 2_000,
            max_drop_bps: 100,
            depeg_pause_bps: 500,
            bunker_epochs: 2,
        }
    }
}

impl State {
    /// The state of a newly instantiated hub: epoch zero, batch 1 pending, nothing held.
    pub fn genesis() -> Self {
        State {
            epoch: 0,
            pending_batch_id: 1,
            pending_lst: Uint128::zero(),
            last_batch_submitted_at: None,
            unbonding_batches: vec![],
            unclaimed_reserve: Uint128::zero(),
            rewards_held: Uint128::zero(),
            fee_carry: FeeCarry::default(),
            observed_at: None,
            observed_rewards: Uint128::zero(),
            withheld: Uint128::zero(),
            rate_anchor: None,
            bunker: None,
            snapshot: None,
            rewards_withdrawn: Uint128::zero(),
        }
    }
}

impl State {
    /// Adds `lst_amount` (received from the unbonder, still in the token supply until burned) to
    /// the pending batch's count and returns the pending batch's id. Nothing is priced: the
    /// batch is priced when the crank submits it, after a full sync.
    pub fn queue_unbond(&mut self, lst_amount: Uint128) -> Result<u64, HubError> {
        self.pending_lst = self.pending_lst.checked_add(lst_amount)?;
        Ok(self.pending_batch_id)
    }

    /// Keeps a bond's share of the withheld rewards withheld. A bond of `amount` minted
    /// `minted` LST at the full value `full` (withheld rewards included), so it paid for its share
    /// of them: what its LST are worth at the recognised rate (rounded down) is recognised, the
    /// rest of `amount` is withheld, so the ledger's recognised rate does not move. (Every sync
    /// re-applies the APR ceiling and recomputes what is withheld; in between, this is what later
    /// quick bonds and a sync that books a slash start from.) Nothing is withheld, nothing
    /// changes.
    pub fn withhold_bond_share(
        &mut self,
        full: &SharePool,
        amount: Uint128,
        minted: Uint128,
    ) -> Result<(), HubError> {
        let withheld = self.withheld.min(full.assets);
        if withheld.is_zero() {
            return Ok(());
        }
        let recognised = SharePool::new(full.assets.checked_sub(withheld)?, full.shares);
        let share = amount.saturating_sub(recognised.value_of(minted)?);
        self.withheld = self.withheld.checked_add(share)?;
        Ok(())
    }

    /// Pays a claim of `lst` from the claimable `batch`: returns the native owed (pro rata) and
    /// takes it from the claim reserve. Once everyone has claimed, the batch's rounding dust
    /// returns to stakers (leaves the reserve).
    pub fn settle_claim(&mut self, batch: &mut Batch, lst: Uint128) -> Result<Uint128, HubError> {
        let native = pro_rata(batch.native_amount, lst, batch.lst_amount)?;
        batch.native_claimed = batch.native_claimed.checked_add(native)?;
        batch.lst_claimed = batch.lst_claimed.checked_add(lst)?;
        self.unclaimed_reserve = self.unclaimed_reserve.checked_sub(native)?;
        if batch.lst_claimed == batch.lst_amount {
            let dust = batch.native_amount.checked_sub(batch.native_claimed)?;
            self.unclaimed_reserve = self.unclaimed_reserve.checked_sub(dust)?;
        }
        Ok(native)
    }
}

impl Snapshot {
    /// Advances the time-weighted stake to `now` at the booked total held since `stake_at`:
    /// call before the booked total changes.
    pub fn advance_stake(&mut self, now: Timestamp) -> Result<(), HubError> {
        let seconds = now.seconds().saturating_sub(self.stake_at.seconds());
        self.window_stake_seconds = self
            .window_stake_seconds
            .checked_add(self.booked.checked_mul(Uint128::from(seconds))?)?;
        self.stake_at = now;
        Ok(())
    }
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
    /// still hold (at most [`MAX_CHAIN_ENTRIES`]). An entry is forgotten one epoch after its
    /// completion time: the chain removes it at the end of the first block past that time.
    #[serde(default)]
    pub unbonding_entries: Vec<Timestamp>,
    /// Redelegations into this validator the chain may still hold: stake cannot be redelegated
    /// out of it while any is live (no transitive redelegation), and each source pair holds at
    /// most [`MAX_CHAIN_ENTRIES`]. Forgotten one epoch after completion.
    #[serde(default)]
    pub redelegations_in: Vec<RedelegationEntry>,
    /// Rewards accrued on the chain on this delegation at the last saved sync that made it the
    /// deposit validator (part of [`Snapshot::rewards`]); zero once withdrawn. Only the deposit
    /// validator's is kept current (only it is read); on the others it is stale and unused.
    #[serde(default)]
    pub accrued_at_sync: Uint128,
}

impl Validator {
    /// A validator just added to the set: this weight, nothing delegated, no chain entries.
    pub fn new(weight: u64) -> Self {
        Validator {
            weight,
            booked: Uint128::zero(),
            unbonding_entries: vec![],
            redelegations_in: vec![],
            accrued_at_sync: Uint128::zero(),
        }
    }
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

    /// Native owed to the batch by the chain and not yet received.
    pub fn still_owed(&self) -> Uint128 {
        self.native_amount.saturating_sub(self.received)
    }
}
