//! Storage layout of the registry. Amounts are LST units unless they are rewards (native).
//!
//! Operators, services, opt-ins, delegations and slash requests are the plain structs of
//! `tributary_core::registry`, stored as they are: the state transitions live there.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
use tributary_types::registry::RegistryPauseFlags;

pub use tributary_core::registry::{Delegation, Operator, OptIn, Service, SlashRequest};

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
