//! The restaking registry: operators, services, delegations of LST to operators, allocations
//! of that stake to services, service rewards and slashing with a veto window.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_ownable::{cw_ownable_execute, cw_ownable_query};

/// The life of a slash request (pending, vetoed, executed), as stored and reported.
pub use tributary_core::registry::SlashStatus;
/// Basis points in 100 %, the registry's per-service and per-operator bounds and the most
/// epochs a slash request may take: defined with the registry's state transitions in
/// `tributary-core`.
pub use tributary_core::registry::{
    FULL_BPS, MAX_OPERATORS_PER_SERVICE, MAX_SERVICES_PER_OPERATOR, MAX_SLASH_EPOCHS,
};
/// A commission in force and its queued change, as stored and reported.
pub use tributary_core::{Delayed, DelayedChange};

/// Most operators one delegator may hold positions with (a position ends once its shares are
/// withdrawn and its rewards claimed). Bounds `ClaimRewards` and the `Delegator` query; an
/// integrator such as the vault must not target more operators than this.
pub const MAX_OPERATORS_PER_DELEGATOR: u32 = 20;
/// Most undelegation entries one `CompleteUndelegations` call pays out; the rest wait for the
/// next call.
pub const MAX_COMPLETIONS_PER_CALL: u32 = 30;
/// Longest withdrawal delay, in epochs. Undelegations complete at the end of an epoch and are
/// merged per (delegator, operator, epoch), so a delegator has at most
/// `MAX_OPERATORS_PER_DELEGATOR x (MAX_WITHDRAWAL_EPOCHS + 1)` pending entries.
pub const MAX_WITHDRAWAL_EPOCHS: u64 = 60;

/// Instantiates the registry.
#[cw_serde]
pub struct InstantiateMsg {
    /// Owner: may pause and change delays. Transferred in two steps.
    pub owner: String,
    /// The LST (cw20) that is restaked. Only this token is accepted.
    pub lst_token: String,
    /// Native denom services pay rewards in.
    pub reward_denom: String,
    /// Length of a slashing epoch in seconds (the per-epoch slash cap resets each epoch;
    /// undelegations complete at the end of an epoch).
    pub epoch_period: u64,
    /// Seconds an undelegation waits at least (stake stays slashable meanwhile); it completes at
    /// the end of the epoch in which this delay ends. Must exceed every service's veto window by
    /// at least one epoch, and be at most `MAX_WITHDRAWAL_EPOCHS` epochs.
    pub withdrawal_delay: u64,
    /// Seconds an operator's opt-out from a service waits (stake stays slashable meanwhile).
    /// Must exceed every service's veto window by at least one epoch.
    pub opt_out_delay: u64,
    /// Seconds over which a reward payment is streamed to the stake of each operator it pays: a
    /// payment made while a stream runs is added to what is left of it, and the sum streams
    /// over a fresh period. Positive.
    pub reward_period: u64,
    /// Highest operator commission, in basis points.
    pub max_commission_bps: u16,
    /// Seconds before a commission change takes effect.
    pub commission_change_delay: u64,
}

/// Which registry operations are paused.
#[cw_serde]
#[derive(Default, Copy)]
pub struct RegistryPauseFlags {
    /// New delegations are refused.
    pub delegate: bool,
    /// Undelegation requests and completions are refused.
    pub undelegate: bool,
    /// Reward deposits and claims are refused.
    pub rewards: bool,
}

/// Actions on the registry.
#[cw_ownable_execute]
#[cw_serde]
pub enum ExecuteMsg {
    /// The sender becomes an operator with this commission on the service rewards its stake earns.
    RegisterOperator {
        /// Display name.
        name: String,
        /// Commission in basis points, at most `max_commission_bps`.
        commission_bps: u16,
    },
    /// Operator: queue a new commission, effective after `commission_change_delay`.
    QueueCommissionChange {
        /// New commission in basis points.
        commission_bps: u16,
    },
    /// The sender registers a service it administers; returns the service id in the `service_id`
    /// attribute.
    RegisterService {
        /// Display name.
        name: String,
        /// The reward the service declares it pays: an annual rate on the stake allocated to it,
        /// in bps. Payments themselves are made with `DepositRewards`; queries report both.
        reward_rate_bps: u16,
        /// Largest fraction of an operator's allocation the service may slash per epoch, in bps.
        max_slash_bps_per_epoch: u16,
        /// Seconds a slash request waits, during which the resolver may veto it.
        veto_window: u64,
        /// May veto this service's slash requests.
        resolver: String,
        /// Receives slashed LST.
        slash_destination: String,
    },
    /// Service admin: allow an operator to opt in to the service (consent to be served by it).
    ApproveOperator {
        /// Service id.
        service: u64,
        /// Operator address (a registered operator).
        operator: String,
    },
    /// Service admin: withdraw an operator's approval. If the operator serves the service, it
    /// is opted out with the usual delay: its allocation stays slashable until then.
    RevokeOperator {
        /// Service id.
        service: u64,
        /// Operator address.
        operator: String,
    },
    /// Operator: start serving a service that has approved it. At most
    /// `MAX_OPERATORS_PER_SERVICE` operators per service and `MAX_SERVICES_PER_OPERATOR` services
    /// per operator.
    OptIn {
        /// Service id.
        service: u64,
    },
    /// Operator: stop serving a service. The allocation stays slashable for `opt_out_delay`, then
    /// is released.
    OptOut {
        /// Service id.
        service: u64,
    },
    /// Operator: allocate a share of its delegated stake to a service it has opted in to. The
    /// shares allocated across all services may not exceed 100 %: no stake is promised twice.
    SetAllocation {
        /// Service id.
        service: u64,
        /// Share of the operator's stake, in basis points.
        bps: u16,
    },
    /// Service admin: pay rewards (attached, in `reward_denom`) to the stake allocated to the
    /// service for the time since its last payment. The payment is split across its operators
    /// by their allocated earning stake over that time (LST x seconds; withdrawing stake does
    /// not count), less each operator's commission, and each operator's part streams to its
    /// delegators over `reward_period`.
    DepositRewards {
        /// Service id.
        service: u64,
    },
    /// Service admin: ask to slash an operator's allocation to the service.
    RequestSlash {
        /// Service id.
        service: u64,
        /// Operator address.
        operator: String,
        /// Fraction of the operator's allocation to this service, in basis points.
        fraction_bps: u16,
        /// Evidence or reason, for the record.
        reason: String,
    },
    /// Resolver: cancel a slash request inside its veto window.
    VetoSlash {
        /// Request id.
        request_id: u64,
    },
    /// Anyone: execute a slash request whose veto window has passed, as far as the service's
    /// per-epoch cap allows; the rest of the request stays pending for later epochs.
    ExecuteSlash {
        /// Request id.
        request_id: u64,
    },
    /// cw20 hook: LST sent with a [`ReceiveMsg`].
    Receive(Cw20ReceiveMsg),
    /// Delegator: start withdrawing `amount` LST of value from an operator. The stake stays
    /// slashable (and stops earning rewards) until the end of the epoch in which
    /// `withdrawal_delay` ends, and is paid at the value it has then.
    Undelegate {
        /// Operator address.
        operator: String,
        /// LST value to withdraw (converted to the operator pool's shares now).
        amount: Uint128,
    },
    /// Delegator: receive undelegations whose delay has passed, soonest first, at most
    /// `MAX_COMPLETIONS_PER_CALL` entries per call (call again for the rest).
    CompleteUndelegations {},
    /// Delegator: receive the service rewards accrued so far (native) from every position (at
    /// most `MAX_OPERATORS_PER_DELEGATOR`).
    ClaimRewards {},
    /// Operator: receive accrued commission (native).
    ClaimCommission {},
    /// Owner: set the pause flags.
    SetPause(RegistryPauseFlags),
}

impl ExecuteMsg {
    /// Whether this message takes native funds (`DepositRewards`); every other message refuses funds
    /// attached to it, so nobody loses coins sent by mistake.
    pub fn takes_funds(&self) -> bool {
        matches!(self, ExecuteMsg::DepositRewards { .. })
    }
}

/// Hooks accepted with LST sent through cw20 `Send`.
#[cw_serde]
pub enum ReceiveMsg {
    /// Delegate the sent LST to an operator.
    Delegate {
        /// Operator address.
        operator: String,
    },
}

/// Migration parameters (none yet).
#[cw_serde]
pub struct MigrateMsg {}

/// Queries of the registry.
#[cw_ownable_query]
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Parameters.
    #[returns(RegistryConfigResponse)]
    Config {},
    /// One operator.
    #[returns(OperatorResponse)]
    Operator {
        /// Operator address.
        operator: String,
    },
    /// Operators in address order.
    #[returns(Vec<OperatorResponse>)]
    Operators {
        /// Start after this address.
        start_after: Option<String>,
        /// At most this many (default 10, maximum 30).
        limit: Option<u32>,
    },
    /// One service.
    #[returns(ServiceResponse)]
    Service {
        /// Service id.
        id: u64,
    },
    /// Services in id order.
    #[returns(Vec<ServiceResponse>)]
    Services {
        /// Start after this id.
        start_after: Option<u64>,
        /// At most this many (default 10, maximum 30).
        limit: Option<u32>,
    },
    /// Everything a delegator has in the registry.
    #[returns(DelegatorResponse)]
    Delegator {
        /// Delegator address.
        delegator: String,
    },
    /// One slash request.
    #[returns(SlashRequestResponse)]
    SlashRequest {
        /// Request id.
        id: u64,
    },
    /// Slash requests in id order.
    #[returns(Vec<SlashRequestResponse>)]
    SlashRequests {
        /// Start after this id.
        start_after: Option<u64>,
        /// At most this many (default 10, maximum 30).
        limit: Option<u32>,
    },
}

/// Response to [`QueryMsg::Config`]: the parameters of [`InstantiateMsg`] and the pause flags.
#[cw_serde]
pub struct RegistryConfigResponse {
    /// The restaked LST (cw20).
    pub lst_token: String,
    /// Native denom services pay rewards in.
    pub reward_denom: String,
    /// Length of a slashing epoch, seconds.
    pub epoch_period: u64,
    /// Least wait of an undelegation, seconds (it completes at the end of that epoch).
    pub withdrawal_delay: u64,
    /// Wait of an operator's opt-out from a service, seconds.
    pub opt_out_delay: u64,
    /// Highest operator commission, bps.
    pub max_commission_bps: u16,
    /// Seconds before a commission change takes effect.
    pub commission_change_delay: u64,
    /// Seconds over which each reward payment streams.
    pub reward_period: u64,
    /// Which operations are paused.
    pub paused: RegistryPauseFlags,
}

/// An operator's opt-in to a service and its allocation.
#[cw_serde]
pub struct AllocationResponse {
    /// Service id.
    pub service: u64,
    /// Share of the operator's stake allocated, in basis points.
    pub bps: u16,
    /// LST currently slashable by the service (the share of the operator's stake).
    pub amount: Uint128,
    /// When an opt-out takes effect, if one was requested; slashable until then.
    pub opt_out_at: Option<Timestamp>,
}

/// Response to [`QueryMsg::Operator`].
#[cw_serde]
pub struct OperatorResponse {
    /// Operator address.
    pub address: String,
    /// Display name.
    pub name: String,
    /// Commission on the service rewards its stake earns, bps: the one in force now
    /// (`current`) and a queued change still to come (`pending`: `value` from `effective_at`).
    pub commission_bps: Delayed<u16>,
    /// LST held for the operator's delegators (active and withdrawing).
    pub stake: Uint128,
    /// Services it serves, with allocations.
    pub allocations: Vec<AllocationResponse>,
    /// Unclaimed commission (native).
    pub commission_unclaimed: Uint128,
    /// Rewards (native, net of commission) paid for this operator's delegators and not yet
    /// streamed to them.
    pub rewards_streaming: Uint128,
    /// When the current reward stream ends.
    pub stream_ends_at: Timestamp,
}

/// Response to [`QueryMsg::Service`].
#[cw_serde]
pub struct ServiceResponse {
    /// Service id.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// The service's admin (deposits rewards, requests slashes).
    pub admin: String,
    /// Declared annual reward rate on allocated stake, bps.
    pub reward_rate_bps: u16,
    /// Largest fraction of an operator's allocation the service may slash per epoch, bps.
    pub max_slash_bps_per_epoch: u16,
    /// Seconds a slash request waits, during which the resolver may veto it.
    pub veto_window: u64,
    /// May veto the service's slash requests.
    pub resolver: String,
    /// Receives slashed LST.
    pub slash_destination: String,
    /// Total LST allocated to it across operators.
    pub allocated: Uint128,
    /// Operators opted in (opting-out ones included), at most `MAX_OPERATORS_PER_SERVICE`.
    pub operators: u32,
    /// Rewards paid so far (native).
    pub rewards_paid: Uint128,
    /// LST slashed so far.
    pub slashed: Uint128,
}

/// A delegator's position with one operator.
#[cw_serde]
pub struct DelegationResponse {
    /// Operator address.
    pub operator: String,
    /// Shares of the operator's pool held actively.
    pub shares: Uint128,
    /// LST value of the active shares now.
    pub value: Uint128,
}

/// A pending undelegation.
#[cw_serde]
pub struct UndelegationResponse {
    /// Operator address.
    pub operator: String,
    /// Shares queued (still in the operator's pool, still slashable).
    pub shares: Uint128,
    /// LST value of the shares now.
    pub value: Uint128,
    /// When it can be completed.
    pub completes_at: Timestamp,
}

/// Response to [`QueryMsg::Delegator`].
#[cw_serde]
pub struct DelegatorResponse {
    /// Active delegations.
    pub delegations: Vec<DelegationResponse>,
    /// Pending undelegations.
    pub undelegations: Vec<UndelegationResponse>,
    /// LST value of all active delegations, net of the slashes pending against their operators.
    pub delegated_value: Uint128,
    /// What those pending slashes take from this delegator's stake (active and undelegating):
    /// the value is `delegated_value + undelegating_value` net of it, and that plus this if every
    /// pending request were vetoed.
    pub pending_slash_value: Uint128,
    /// LST value of all pending undelegations.
    pub undelegating_value: Uint128,
    /// LST value of undelegations that can be completed now.
    pub completable_value: Uint128,
    /// Unclaimed service rewards (native), accrued as of now: what a claim in this block pays.
    pub rewards: Uint128,
    /// Per service: the LST of this delegator's stake that the service can slash (its share of
    /// each operator's allocation).
    pub exposure: Vec<ServiceExposure>,
}

/// How much of a delegator's stake one service can slash.
#[cw_serde]
pub struct ServiceExposure {
    /// Service id.
    pub service: u64,
    /// LST allocated to the service from this delegator's stake.
    pub allocated: Uint128,
    /// The most LST the service could slash in one epoch.
    pub max_slash_per_epoch: Uint128,
}

/// Response to [`QueryMsg::SlashRequest`].
#[cw_serde]
pub struct SlashRequestResponse {
    /// Request id.
    pub id: u64,
    /// Service id.
    pub service: u64,
    /// Operator address.
    pub operator: String,
    /// Fraction of the operator's allocation to the service requested, bps.
    pub fraction_bps: u16,
    /// Evidence or reason given.
    pub reason: String,
    /// Pending, vetoed or executed.
    pub status: SlashStatus,
    /// When it was requested.
    pub requested_at: Timestamp,
    /// When anyone may execute it.
    pub executable_at: Timestamp,
    /// LST the whole request is worth: `fraction_bps` of the operator's allocation to the
    /// service when it was requested. Parts executed after pool shares have left are scaled
    /// down by the shares that left (their part leaves with them).
    pub amount: Uint128,
    /// Part of `fraction_bps` executed so far (the per-epoch cap may split a request).
    pub executed_bps: u16,
    /// LST slashed so far.
    pub slashed: Uint128,
}
