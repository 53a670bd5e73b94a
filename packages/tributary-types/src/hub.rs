//! The liquid staking hub: native stake in, LST out; unbonding in batches.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Decimal, OverflowError, Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_ownable::{cw_ownable_execute, cw_ownable_query};
pub use tributary_core::DelayedChange;

pub use tributary_core::hub::{BatchStatus, BunkerInfo, Rails, MAX_CHAIN_ENTRIES};

/// The highest protocol fee the hub accepts: 30 % of rewards, in basis points.
pub const MAX_FEE_BPS: u16 = 3_000;

/// The most unbonding batches a validator pair may have in flight (the Cosmos SDK's
/// `MaxEntries` default); `unbonding_period / batch_interval` must stay below it.
pub const MAX_CONCURRENT_UNBONDINGS: u64 = 7;

/// A validator and its target weight. Targets are `weight / sum of weights` of the total stake.
#[cw_serde]
pub struct ValidatorWeight {
    /// The validator's operator address (`cosmosvaloper…` on a real chain).
    pub address: String,
    /// Relative target weight; must be positive.
    pub weight: u64,
}

/// Parameters of the LST token the hub instantiates (a cw20-base contract whose minter is the hub).
pub type LstTokenInfo = crate::token::TokenInfo;

/// Which operations are paused. A paused operation fails with a clear error and changes nothing.
///
/// The owner sets all of them ([`ExecuteMsg::SetPause`]). The guardian
/// ([`ExecuteMsg::GuardianPause`]) and the automatic pauses (a fall of the rate, a depeg) only
/// ever set `bond` and `instant_unstake`: `unbond`, `claim` and `crank` — the exits that are
/// always safe, and the crank that prices them — are the owner's alone.
#[cw_serde]
#[derive(Default, Copy)]
pub struct PauseFlags {
    /// `Bond` is refused.
    pub bond: bool,
    /// `Unbond` (the cw20 hook) is refused.
    pub unbond: bool,
    /// `Claim` is refused.
    pub claim: bool,
    /// `Crank` is refused.
    pub crank: bool,
    /// Instant unstaking (the cw20 hook `InstantUnstake`) is refused. (`unbond` refuses it
    /// too.) Absent in messages and state from before it existed: `false`.
    #[serde(default)]
    pub instant_unstake: bool,
}

/// Why bonds and instant unstaking were last paused by someone other than the owner.
#[cw_serde]
pub struct PauseCause {
    /// `guardian` (by [`ExecuteMsg::GuardianPause`]), `rate_drop` (a sync booked a fall of the
    /// rate beyond `max_drop_bps`) or `depeg` (the pool's moving-average discount reached
    /// `depeg_pause_bps`).
    pub reason: String,
    /// When.
    pub at: Timestamp,
}

/// A change of the guardian in [`ExecuteMsg::UpdateConfig`].
#[cw_serde]
pub enum GuardianUpdate {
    /// This address becomes the guardian.
    Set {
        /// The guardian's address.
        address: String,
    },
    /// No guardian.
    Remove {},
}

/// Instantiates the hub and, in the same transaction, its LST token (with `instantiate2`: the
/// token address is known from the start and shown by [`QueryMsg::Config`]).
#[cw_serde]
pub struct InstantiateMsg {
    /// The owner: may manage validators, fees, caps and pauses. Transferred in two steps.
    pub owner: String,
    /// The chain's native staking denom (e.g. `uatom`). Only this denom is accepted.
    pub denom: String,
    /// The LST token to create.
    pub lst: LstTokenInfo,
    /// Initial validator set with target weights. May be empty; bonding needs at least one.
    pub validators: Vec<ValidatorWeight>,
    /// Length of an epoch in seconds; the crank may run once per epoch.
    pub epoch_period: u64,
    /// The chain's unbonding time in seconds. Must equal the chain's: batches are claimable
    /// this long after submission.
    pub unbonding_period: u64,
    /// Minimum seconds between two unbond batch submissions.
    pub batch_interval: u64,
    /// Protocol fee on staking rewards, in basis points (at most [`MAX_FEE_BPS`]).
    pub fee_bps: u16,
    /// Receives the fee, minted as LST.
    pub fee_addr: String,
    /// Seconds between queueing a fee change and it taking effect.
    pub fee_change_delay: u64,
    /// Smallest accepted bond, in native units (dust protection). At least 1.
    pub min_bond: Uint128,
    /// Largest total native the hub may hold; `None` for no cap.
    pub deposit_cap: Option<Uint128>,
    /// Most native moved by rebalancing redelegations in one crank.
    pub max_rebalance_per_epoch: Uint128,
    /// May pause bonds and instant unstaking ([`ExecuteMsg::GuardianPause`]), nothing else.
    /// `None`: no guardian.
    #[serde(default)]
    pub guardian: Option<String>,
    /// Bounds on the exchange rate and the protective pauses; `None` for the defaults (APR
    /// ceiling 2,000 bps, drop threshold 100 bps, depeg pause 500 bps, bunker 2 cranks).
    #[serde(default)]
    pub rails: Option<Rails>,
}

/// Actions on the hub.
#[cw_ownable_execute]
#[cw_serde]
pub enum ExecuteMsg {
    /// Stake the attached native tokens (exactly one coin, of the staking denom, at least
    /// `min_bond`) and receive LST at the current rate. Fails if fewer than `min_out` LST would
    /// be minted, or if the mint would be zero.
    Bond {
        /// Slippage bound: the least LST the sender accepts.
        min_out: Option<Uint128>,
    },
    /// cw20 hook: LST sent to the hub with a [`ReceiveMsg`] (e.g. `Unbond`).
    Receive(Cw20ReceiveMsg),
    /// Pay the sender the native tokens of every claimable unbond request.
    Claim {},
    /// Permissionless epoch crank: detect slashing, harvest rewards, take the fee, re-delegate,
    /// rebalance (bounded) and submit the pending unbond batch if its interval has passed.
    /// Catches up all missed epochs in one call; fails if the current epoch is already done.
    Crank {},
    /// Owner: add a validator with a target weight.
    AddValidator {
        /// Validator operator address; must be an active validator on the chain.
        address: String,
        /// Positive target weight.
        weight: u64,
    },
    /// Owner: change a validator's target weight (rebalancing follows, bounded per epoch).
    UpdateValidatorWeight {
        /// Validator operator address, already in the set.
        address: String,
        /// New positive target weight.
        weight: u64,
    },
    /// Owner: remove a validator; its whole stake is redelegated to the rest of the set now.
    RemoveValidator {
        /// Validator operator address, already in the set.
        address: String,
    },
    /// Owner: queue a new fee; it takes effect `fee_change_delay` seconds later.
    QueueFeeChange {
        /// New fee in basis points, at most [`MAX_FEE_BPS`].
        fee_bps: u16,
    },
    /// Owner: change operational parameters. Fields left `None` keep their value.
    UpdateConfig {
        /// New fee recipient.
        fee_addr: Option<String>,
        /// New dust minimum for bonds (at least 1).
        min_bond: Option<Uint128>,
        /// New rebalancing bound per epoch.
        max_rebalance_per_epoch: Option<Uint128>,
        /// Set or remove the guardian.
        #[serde(default)]
        guardian: Option<GuardianUpdate>,
        /// New rails (all four values at once): `max_apr_bps` at least 1, `max_drop_bps` and
        /// `depeg_pause_bps` in 1..=10,000, `bunker_epochs` at least 1.
        #[serde(default)]
        rails: Option<Rails>,
    },
    /// Owner: set or remove (`None`) the deposit cap.
    SetDepositCap {
        /// Largest total native the hub may hold.
        cap: Option<Uint128>,
    },
    /// Owner: set the pause flags (all of them at once). The only way to unpause; clears the
    /// recorded pause cause.
    SetPause(PauseFlags),
    /// Guardian: pause bonds and/or instant unstaking (a `true` flag pauses, a `false` one
    /// leaves the flag as it is). Can never unpause, nor touch unbonding, claims, the crank,
    /// funds, fees or configuration.
    GuardianPause {
        /// Pause `Bond`.
        #[serde(default)]
        bond: bool,
        /// Pause instant unstaking.
        #[serde(default)]
        instant_unstake: bool,
    },
    /// Owner: set (or clear) the StableSwap pool (LST as coin 0, native as coin 1) that instant
    /// unstaking sells through.
    SetInstantUnstakePool {
        /// Pool address; `None` disables instant unstaking.
        pool: Option<String>,
    },
    /// Internal: continues the crank after rewards have been withdrawn. Only the hub itself may
    /// send it.
    Callback(CallbackMsg),
}

impl ExecuteMsg {
    /// Whether this message takes native funds (`Bond`); every other message refuses funds
    /// attached to it, so nobody loses coins sent by mistake.
    pub fn takes_funds(&self) -> bool {
        matches!(self, ExecuteMsg::Bond { .. })
    }
}

/// Messages the hub sends to itself.
#[cw_serde]
pub enum CallbackMsg {
    /// Rewards have arrived: take the fee, re-delegate, rebalance, submit the batch.
    Reinvest {},
}

/// Hooks accepted with LST sent through cw20 `Send`.
#[cw_serde]
pub enum ReceiveMsg {
    /// Burn the sent LST into the pending unbond batch. The native amount is fixed when the batch
    /// is submitted and can be claimed once the chain's unbonding time has passed.
    Unbond {
        /// Who may claim the native (default: the sender of the LST). Lets a contract such as the
        /// restaking vault unbond on a user's behalf.
        receiver: Option<String>,
    },
    /// Sell the sent LST through the instant-unstake pool now, at the market price, instead of
    /// waiting for a batch. Fails if the pool would pay less than `min_out` native.
    InstantUnstake {
        /// Least native accepted.
        min_out: Option<Uint128>,
    },
}

/// Migration parameters (none yet).
#[cw_serde]
pub struct MigrateMsg {}

/// Queries of the hub.
#[cw_ownable_query]
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Parameters.
    #[returns(ConfigResponse)]
    Config {},
    /// Totals, exchange rate and the pending batch, as of now (slashing and accrued rewards
    /// included).
    #[returns(StateResponse)]
    State {},
    /// The validator set with target and actual delegations.
    #[returns(Vec<ValidatorResponse>)]
    Validators {},
    /// A user's unbond requests and what is claimable now.
    #[returns(UnbondRequestsResponse)]
    UnbondRequests {
        /// The user's address.
        user: String,
    },
    /// One batch.
    #[returns(BatchResponse)]
    Batch {
        /// Batch id.
        id: u64,
    },
    /// Batches in ascending id order.
    #[returns(Vec<BatchResponse>)]
    Batches {
        /// Return batches with an id above this.
        start_after: Option<u64>,
        /// At most this many (default 10, maximum 30).
        limit: Option<u32>,
    },
}

/// Response to [`QueryMsg::Config`].
#[cw_serde]
pub struct ConfigResponse {
    /// Native staking denom.
    pub denom: String,
    /// LST token contract (cw20-base; minter and admin: the hub), created with `instantiate2`
    /// when the hub was instantiated.
    pub lst_token: Addr,
    /// Epoch length, seconds.
    pub epoch_period: u64,
    /// Chain unbonding time, seconds.
    pub unbonding_period: u64,
    /// Minimum seconds between batch submissions.
    pub batch_interval: u64,
    /// Fee in force now, basis points of rewards (a queued change whose time has come included).
    pub fee_bps: u16,
    /// A queued fee change still to come, if any: the new fee (`value`, basis points) and when
    /// it takes effect.
    pub pending_fee: Option<DelayedChange<u16>>,
    /// Fee recipient (receives the fee as LST).
    pub fee_addr: Addr,
    /// Delay of fee changes, seconds.
    pub fee_change_delay: u64,
    /// Smallest accepted bond.
    pub min_bond: Uint128,
    /// Deposit cap, if any.
    pub deposit_cap: Option<Uint128>,
    /// Rebalancing bound per epoch.
    pub max_rebalance_per_epoch: Uint128,
    /// Pause flags.
    pub paused: PauseFlags,
    /// The pool instant unstaking sells through, if any.
    pub instant_unstake_pool: Option<Addr>,
    /// The guardian, if any: may pause bonds and instant unstaking, nothing else.
    #[serde(default)]
    pub guardian: Option<Addr>,
    /// Bounds on the exchange rate and the protective pauses.
    #[serde(default)]
    pub rails: Rails,
    /// Why bonds and instant unstaking were last paused by the guardian or automatically
    /// (cleared by the owner's `SetPause`).
    #[serde(default)]
    pub pause_cause: Option<PauseCause>,
}

/// Response to [`QueryMsg::State`].
#[cw_serde]
pub struct StateResponse {
    /// Native value backing the LST: delegations (net of slashing) plus rewards accrued and not
    /// yet compounded, net of the fee.
    pub total_native: Uint128,
    /// LST in circulation (the token's supply).
    pub lst_supply: Uint128,
    /// LST burned into the pending batch, not yet priced; still counted in the rate.
    pub pending_unbond_lst: Uint128,
    /// Native value of one LST (what a redemption pays per LST).
    pub exchange_rate: Decimal,
    /// Staking rewards accrued since the last crank, before the fee: `rewards_held` plus
    /// rewards accrued on the chain and not yet withdrawn.
    pub accrued_rewards: Uint128,
    /// Native in the hub's balance known to be rewards (withdrawn by the hub, or left over once
    /// every due unbonding batch was paid). Payouts of unbonding batches are never in it.
    pub rewards_held: Uint128,
    /// Native held for claimable batches and not yet claimed.
    pub unclaimed_reserve: Uint128,
    /// Last epoch the crank processed.
    pub epoch: u64,
    /// When the next epoch starts (the crank can run then).
    pub next_epoch_at: Timestamp,
    /// Id of the pending (not yet submitted) batch.
    pub pending_batch_id: u64,
    /// Earliest time the pending batch may be submitted.
    pub next_batch_submit_at: Timestamp,
    /// Rewards (net of the fee) held back from the rate by the APR ceiling, recognised later
    /// within it; part of the hub's assets, not of `total_native`.
    #[serde(default)]
    pub withheld: Uint128,
    /// A mass slash in progress: the pending batch is not priced until it ends.
    #[serde(default)]
    pub bunker: Option<BunkerInfo>,
}

impl StateResponse {
    /// The LST the rate counts: the token's supply plus the LST in the pending batch.
    pub fn lst_counted(&self) -> Result<Uint128, OverflowError> {
        self.lst_supply.checked_add(self.pending_unbond_lst)
    }

    /// What a bond pays for over [`StateResponse::lst_counted`]: the recognised value plus
    /// what the APR ceiling withholds (a bond is minted at this full value, so its LST carry
    /// their share of what is withheld). Equal to `total_native` while nothing is withheld.
    pub fn bond_value(&self) -> Result<Uint128, OverflowError> {
        self.total_native.checked_add(self.withheld)
    }
}

/// Response item of [`QueryMsg::Validators`].
#[cw_serde]
pub struct ValidatorResponse {
    /// Validator operator address.
    pub address: String,
    /// Target weight.
    pub weight: u64,
    /// Target delegation: the total delegated split by weight.
    pub target: Uint128,
    /// Delegation on the hub's books.
    pub booked: Uint128,
    /// Delegation the chain reports now (below `booked` after an undetected slash).
    pub actual: Uint128,
}

/// Response to [`QueryMsg::Batch`].
#[cw_serde]
pub struct BatchResponse {
    /// Batch id (ascending).
    pub id: u64,
    /// Status.
    pub status: BatchStatus,
    /// LST burned into the batch.
    pub lst_amount: Uint128,
    /// Native the batch is owed: fixed at submission, reduced pro rata if a slash lands before it
    /// is claimable. Zero while pending.
    pub native_amount: Uint128,
    /// Native that has arrived from the chain for it while unbonding (attributed to it before
    /// anything counts as rewards); once claimable, equal to `native_amount`.
    pub native_received: Uint128,
    /// Native already claimed from it.
    pub native_claimed: Uint128,
    /// When it was submitted.
    pub submitted_at: Option<Timestamp>,
    /// When it becomes (or became) claimable.
    pub claimable_at: Option<Timestamp>,
}

/// One of a user's unbond requests.
#[cw_serde]
pub struct UnbondRequestResponse {
    /// The batch it belongs to.
    pub batch_id: u64,
    /// The batch's status.
    pub status: BatchStatus,
    /// LST the user burned into the batch.
    pub lst_amount: Uint128,
    /// The user's native share of the batch (zero while the batch is pending).
    pub native_amount: Uint128,
    /// When it becomes claimable, once submitted.
    pub claimable_at: Option<Timestamp>,
}

/// Response to [`QueryMsg::UnbondRequests`].
#[cw_serde]
pub struct UnbondRequestsResponse {
    /// Open requests, oldest batch first.
    pub requests: Vec<UnbondRequestResponse>,
    /// Native the user can claim right now.
    pub claimable: Uint128,
}
