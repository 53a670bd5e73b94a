//! Storage layout of the registry. Amounts are LST units unless they are rewards (native).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal256, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
use tributary_math::SharePool;
use tributary_types::registry::{RegistryPauseFlags, SlashStatus};

use crate::ContractError;

/// Parameters.
#[cw_serde]
pub struct Config {
    /// The restaked LST.
    pub lst_token: Addr,
    /// Native denom of service rewards.
    pub reward_denom: String,
    /// Slashing epoch length, seconds.
    pub epoch_period: u64,
    /// Undelegation delay, seconds.
    pub withdrawal_delay: u64,
    /// Opt-out delay, seconds.
    pub opt_out_delay: u64,
    /// Highest commission, bps.
    pub max_commission_bps: u16,
    /// Commission change delay, seconds.
    pub commission_change_delay: u64,
    /// Seconds over which each reward payment streams to an operator's delegators.
    pub reward_period: u64,
    /// Paused operations.
    pub paused: RegistryPauseFlags,
}

/// An operator and its delegation pool.
#[cw_serde]
pub struct Operator {
    /// Display name.
    pub name: String,
    /// Commission in force, bps.
    pub commission_bps: u16,
    /// Queued commission and when it applies.
    pub pending_commission: Option<(u16, Timestamp)>,
    /// LST held for the pool (active and withdrawing shares).
    pub assets: Uint128,
    /// Shares outstanding (active and withdrawing).
    pub shares: Uint128,
    /// Of `shares`, those queued for withdrawal: slashable, not earning.
    pub withdrawing: Uint128,
    /// Native rewards accumulated per earning (active) share (Synthetix-style accumulator).
    pub reward_per_share: Decimal256,
    /// Unclaimed commission, native.
    pub commission_unclaimed: Uint128,
    /// Rewards (native, net of commission) paid for the delegators and not yet streamed.
    pub stream_remaining: Uint128,
    /// When the stream ends: `stream_remaining` is released linearly until then.
    pub stream_end: Timestamp,
    /// When the stream was last advanced.
    pub stream_updated: Timestamp,
    /// Services this operator is opted in to (opting-out ones included).
    pub services: u32,
    /// Earning stake over time: the sum of earning LST x seconds since registration (a payment
    /// is split between a service's operators by what this grew since the service's last
    /// payment, so stake present for no time weighs nothing).
    pub stake_seconds: Uint128,
    /// When `stake_seconds` was last brought up to date.
    pub stake_updated: Timestamp,
    /// LST still to be taken by the slash requests pending against this operator (valued when
    /// requested, less what has executed or been vetoed). The pool is priced net of it.
    #[serde(default)]
    pub pending_slash: Uint128,
}

impl Operator {
    /// The operator's delegation pool as it holds: what a completion redeems against.
    pub fn pool(&self) -> SharePool {
        SharePool::new(self.assets, self.shares)
    }

    /// The pool priced net of the slashes pending against the operator: what a delegation is
    /// minted at, what a position is worth, what an undelegation asks for. A delegation made
    /// while a slash is pending pays the price after it, so when the slash executes (from the
    /// whole pool) the newcomer is whole and those who were there when it was requested pay it;
    /// and a position's value falls when a slash is requested, not in one predictable step when
    /// anyone executes it. If the slash is vetoed, the price returns to the pool's.
    pub fn priced_pool(&self) -> SharePool {
        SharePool::new(self.assets.saturating_sub(self.pending_slash), self.shares)
    }

    /// Applies a queued commission whose delay has passed.
    pub fn apply_due_commission(&mut self, now: Timestamp) {
        if let Some((bps, at)) = self.pending_commission {
            if now >= at {
                self.commission_bps = bps;
                self.pending_commission = None;
            }
        }
    }

    /// Shares that earn rewards: active ones (withdrawing shares stay slashable but stop
    /// earning).
    pub fn earning_shares(&self) -> Result<Uint128, ContractError> {
        Ok(self.shares.checked_sub(self.withdrawing)?)
    }

    /// LST value of the earning shares.
    pub fn earning_assets(&self) -> Result<Uint128, ContractError> {
        if self.shares.is_zero() {
            return Ok(Uint128::zero());
        }
        Ok(self
            .assets
            .checked_multiply_ratio(self.earning_shares()?, self.shares)?)
    }

    /// Brings `stake_seconds` up to `now` with the earning stake held since the last update.
    /// Must run before any change of the earning stake (shares or assets).
    pub fn checkpoint_stake(&mut self, now: Timestamp) -> Result<(), ContractError> {
        if now > self.stake_updated {
            let elapsed = now.seconds() - self.stake_updated.seconds();
            let added = self.earning_assets()?.checked_mul(Uint128::from(elapsed))?;
            self.stake_seconds = self.stake_seconds.checked_add(added)?;
            self.stake_updated = now;
        }
        Ok(())
    }

    /// Brings the operator up to `now`: its stake over time, then its reward stream.
    pub fn advance(&mut self, now: Timestamp, period: u64) -> Result<(), ContractError> {
        self.checkpoint_stake(now)?;
        self.accrue(now, period)
    }

    /// Advances the reward stream to `now`: the part of `stream_remaining` that the time since
    /// the last update releases (linearly until `stream_end`) is credited to the earning shares
    /// through the accumulator. If no share earns, nothing is released and what remains
    /// restarts over a fresh `period` from now, so that nobody can collect it faster than a new
    /// payment would stream. Must run before any change of the earning shares.
    pub fn accrue(&mut self, now: Timestamp, period: u64) -> Result<(), ContractError> {
        if self.stream_remaining.is_zero() {
            return Ok(());
        }
        let earning = self.earning_shares()?;
        if earning.is_zero() {
            self.stream_updated = now;
            self.stream_end = now.plus_seconds(period);
            return Ok(());
        }
        let until = now.min(self.stream_end);
        if until <= self.stream_updated {
            return Ok(());
        }
        let left = self.stream_end.seconds() - self.stream_updated.seconds();
        let elapsed = until.seconds() - self.stream_updated.seconds();
        let released = self
            .stream_remaining
            .checked_multiply_ratio(elapsed, left)?;
        self.reward_per_share = self
            .reward_per_share
            .checked_add(Decimal256::checked_from_ratio(released, earning)?)?;
        self.stream_remaining = self.stream_remaining.checked_sub(released)?;
        self.stream_updated = until;
        Ok(())
    }

    /// Adds `amount` (net of commission) to the stream at `now`: what is left of the current
    /// stream plus `amount` stream over a fresh `period`. Call `accrue` first.
    pub fn add_to_stream(
        &mut self,
        amount: Uint128,
        now: Timestamp,
        period: u64,
    ) -> Result<(), ContractError> {
        self.stream_remaining = self.stream_remaining.checked_add(amount)?;
        self.stream_updated = now;
        self.stream_end = now.plus_seconds(period);
        Ok(())
    }
}

/// A service and its terms.
#[cw_serde]
pub struct Service {
    pub name: String,
    /// Deposits rewards and requests slashes.
    pub admin: Addr,
    /// Declared annual reward rate on allocated stake, bps.
    pub reward_rate_bps: u16,
    pub max_slash_bps_per_epoch: u16,
    pub veto_window: u64,
    pub resolver: Addr,
    pub slash_destination: Addr,
    /// Native rewards paid so far.
    pub rewards_paid: Uint128,
    /// LST slashed so far.
    pub slashed: Uint128,
    /// Operators opted in (opting-out ones included), at most `MAX_OPERATORS_PER_SERVICE`.
    pub operators: u32,
}

/// An operator's opt-in to a service.
#[cw_serde]
pub struct OptIn {
    /// Share of the operator's stake allocated, bps.
    pub bps: u16,
    /// When a requested opt-out takes effect; slashable until then.
    pub opt_out_at: Option<Timestamp>,
    /// The operator's `stake_seconds` when this opt-in's weight was last brought up to date
    /// (opt-in, allocation change, payment by the service).
    pub stake_seconds_paid: Uint128,
    /// Allocated stake x seconds accrued since the service's last payment, up to the last
    /// allocation change (each stretch at the allocation in force during it).
    pub weight: Uint128,
}

impl OptIn {
    /// This opt-in's weight in the next payment: what accrued before the last allocation change
    /// plus the allocation of the operator's stake over time since. `stake_seconds` must be up to
    /// date.
    pub fn weight_now(&self, stake_seconds: Uint128) -> Result<Uint128, ContractError> {
        let since = stake_seconds.checked_sub(self.stake_seconds_paid)?;
        Ok(self
            .weight
            .checked_add(tributary_math::bps_of(since, self.bps)?)?)
    }
}

impl OptIn {
    /// Whether the allocation still stands (and is slashable) at `now`.
    pub fn in_force(&self, now: Timestamp) -> bool {
        self.opt_out_at.is_none_or(|at| now < at)
    }
}

/// A delegator's position with one operator.
#[cw_serde]
#[derive(Default)]
pub struct Delegation {
    /// Active shares (earning).
    pub shares: Uint128,
    /// Shares queued for withdrawal (still in the pool and slashable, no longer earning).
    pub withdrawing: Uint128,
    /// Accumulator value at the last settlement.
    pub reward_per_share_paid: Decimal256,
    /// Settled, unclaimed rewards (native).
    pub rewards_owed: Uint128,
}

impl Delegation {
    /// Whether nothing is left: no shares, none withdrawing, no rewards owed.
    pub fn is_empty(&self) -> bool {
        self.shares.is_zero() && self.withdrawing.is_zero() && self.rewards_owed.is_zero()
    }
}

/// A slash request.
#[cw_serde]
pub struct SlashRequest {
    pub service: u64,
    pub operator: Addr,
    pub fraction_bps: u16,
    pub reason: String,
    pub status: SlashStatus,
    pub requested_at: Timestamp,
    pub executable_at: Timestamp,
    /// The operator's allocation to the service when the request was made, bps.
    pub allocation_bps: u16,
    /// LST the whole request was worth when requested: `fraction_bps` of the allocation then.
    pub amount: Uint128,
    /// The operator pool's shares when requested. The request executes at `amount / shares` LST
    /// per share then outstanding: stake that left the pool meanwhile takes its part with it
    /// rather than leaving it to the stake that stayed.
    pub shares: Uint128,
    /// Part of `fraction_bps` executed so far (the per-epoch cap may split a request).
    pub executed_bps: u16,
    /// LST slashed so far.
    pub slashed: Uint128,
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");
/// Operators by address.
pub const OPERATORS: Map<&Addr, Operator> = Map::new("operators");
/// Services by id.
pub const SERVICES: Map<u64, Service> = Map::new("services");
/// Last service id issued.
pub const LAST_SERVICE_ID: Item<u64> = Item::new("last_service_id");
/// Opt-ins: (operator, service) -> allocation.
pub const OPT_INS: Map<(&Addr, u64), OptIn> = Map::new("opt_ins");
/// The same opt-ins indexed by service: (service, operator) -> ().
pub const SERVICE_OPERATORS: Map<(u64, &Addr), ()> = Map::new("service_operators");
/// Delegations: (delegator, operator) -> position.
pub const DELEGATIONS: Map<(&Addr, &Addr), Delegation> = Map::new("delegations");
/// Number of delegations (positions) per delegator, at most `MAX_OPERATORS_PER_DELEGATOR`.
pub const DELEGATOR_POSITIONS: Map<&Addr, u32> = Map::new("delegator_positions");
/// Pending undelegations: (delegator, completion time in seconds, operator) -> shares.
/// Undelegations to one operator that complete at the same epoch end are merged.
pub const UNDELEGATIONS: Map<(&Addr, u64, &Addr), Uint128> = Map::new("undelegations");
/// Operators a service has approved: (service, operator) -> ().
pub const OPERATOR_APPROVALS: Map<(u64, &Addr), ()> = Map::new("operator_approvals");
/// Slash requests by id.
pub const SLASH_REQUESTS: Map<u64, SlashRequest> = Map::new("slash_requests");
/// Pending slash requests by operator: (operator, request id) -> when requested. The oldest
/// decides which undelegations of the operator are held.
pub const PENDING_SLASHES: Map<(&Addr, u64), Timestamp> = Map::new("pending_slashes");
/// Last slash request id issued.
pub const LAST_SLASH_ID: Item<u64> = Item::new("last_slash_id");
/// Slash fraction (of the allocations requested) executed per (service, operator, epoch), bps.
pub const EPOCH_SLASHED: Map<(u64, &Addr, u64), u16> = Map::new("epoch_slashed");
