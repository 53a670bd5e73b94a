//! Storage layout of the registry. Amounts are LST units unless they are rewards (native).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal256, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
use tributary_math::SharePool;
use tributary_types::registry::{RegistryPauseFlags, SlashStatus};

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
    /// Native rewards accumulated per share (Synthetix-style accumulator).
    pub reward_per_share: Decimal256,
    /// Unclaimed commission, native.
    pub commission_unclaimed: Uint128,
}

impl Operator {
    /// The operator's delegation pool.
    pub fn pool(&self) -> SharePool {
        SharePool::new(self.assets, self.shares)
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
}

/// An operator's opt-in to a service.
#[cw_serde]
pub struct OptIn {
    /// Share of the operator's stake allocated, bps.
    pub bps: u16,
    /// When a requested opt-out takes effect; slashable until then.
    pub opt_out_at: Option<Timestamp>,
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
    /// Active shares.
    pub shares: Uint128,
    /// Shares queued for withdrawal (still in the pool, still slashable, still earning).
    pub withdrawing: Uint128,
    /// Accumulator value at the last settlement.
    pub reward_per_share_paid: Decimal256,
    /// Settled, unclaimed rewards (native).
    pub rewards_owed: Uint128,
}

/// A pending undelegation.
#[cw_serde]
pub struct Undelegation {
    pub operator: Addr,
    pub shares: Uint128,
    pub completes_at: Timestamp,
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
    /// LST slashed, once executed.
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
/// Undelegations: (delegator, id) -> pending withdrawal.
pub const UNDELEGATIONS: Map<(&Addr, u64), Undelegation> = Map::new("undelegations");
/// Last undelegation id issued.
pub const LAST_UNDELEGATION_ID: Item<u64> = Item::new("last_undelegation_id");
/// Slash requests by id.
pub const SLASH_REQUESTS: Map<u64, SlashRequest> = Map::new("slash_requests");
/// Last slash request id issued.
pub const LAST_SLASH_ID: Item<u64> = Item::new("last_slash_id");
/// Slash fraction used per (service, operator, epoch), bps.
pub const EPOCH_SLASHED: Map<(u64, &Addr, u64), u16> = Map::new("epoch_slashed");
