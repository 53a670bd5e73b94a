//! The restaking vault: LST (or native, through the hub) in, LRT out; the LST is restaked with
//! operators in the registry and put into strategies; withdrawals wait a delay and are paid at
//! the lesser of their value when requested and their value at finalization.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Decimal, Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_ownable::{cw_ownable_execute, cw_ownable_query};
use tributary_core::DelayedChange;

use crate::token::TokenInfo;

/// The guardian and pause causes work as in the hub.
pub use crate::hub::{GuardianUpdate, PauseCause};
/// The vault's rate rails (APR ceiling and drop threshold) and the anchor its ceiling grows
/// from: defined with the vault's accounting in `tributary-core`.
pub use tributary_core::vault::{RateAnchor, VaultRails};

/// The highest fee on restaking rewards: 30 %, in basis points.
pub const MAX_VAULT_FEE_BPS: u16 = 3_000;

/// Smallest withdrawal request, in LRT units (one LRT), unless it is the requester's whole
/// remaining balance: dust requests cannot flood the withdrawal queue.
pub const MIN_WITHDRAWAL_LRT: u128 = 1_000_000;

/// Which vault operations are paused. The owner sets all of them ([`ExecuteMsg::SetPause`],
/// the only way to unpause); the guardian ([`ExecuteMsg::GuardianPause`]) and the automatic
/// pause (a fall of the rate beyond `max_drop_bps`) only ever set `deposit`: withdrawal
/// requests and claims are exits that are always safe, and the crank finalizes them.
#[cw_serde]
#[derive(Default, Copy)]
pub struct VaultPauseFlags {
    /// Deposits (LST and native) are refused.
    pub deposit: bool,
    /// Withdrawal requests are refused.
    pub withdraw: bool,
    /// Claims of finalized withdrawals are refused.
    pub claim: bool,
    /// The crank is refused.
    pub crank: bool,
}

/// Instantiates the vault and its LRT token (with `instantiate2`, so the LRT's address is known
/// at once; the vault is its minter and its wasm admin).
#[cw_serde]
pub struct InstantiateMsg {
    /// Owner: operator targets, strategies, fee, caps, pauses. Transferred in two steps.
    pub owner: String,
    /// The liquid staking hub (native deposits are bonded there; its rate values rewards).
    pub hub: String,
    /// The restaking registry.
    pub registry: String,
    /// The LRT to create.
    pub lrt: TokenInfo,
    /// Fee on restaking (service) rewards, bps, at most [`MAX_VAULT_FEE_BPS`].
    pub fee_bps: u16,
    /// Receives the fee, minted as LRT.
    pub fee_addr: String,
    /// Seconds before a queued fee change applies.
    pub fee_change_delay: u64,
    /// Seconds a withdrawal request waits before it is finalized. Should be at least the
    /// registry's withdrawal delay so undelegated LST arrives in time.
    pub withdrawal_delay: u64,
    /// Largest total value (LST) the vault may hold; `None` for no cap.
    pub deposit_cap: Option<Uint128>,
    /// Largest share of the vault's value delegated to one operator, bps.
    pub max_operator_bps: u16,
    /// Largest share of the vault's value one service may slash (allocated to it), bps.
    pub max_service_exposure_bps: u16,
    /// May pause deposits ([`ExecuteMsg::GuardianPause`]), nothing else. `None`: no guardian.
    #[serde(default)]
    pub guardian: Option<String>,
    /// The rate rails; `None` for the defaults (APR ceiling 2,000 bps, drop threshold 100 bps).
    #[serde(default)]
    pub rails: Option<VaultRails>,
}

/// Actions on the vault.
#[cw_ownable_execute]
#[cw_serde]
pub enum ExecuteMsg {
    /// Deposit native (attached, the staking denom): bonded through the hub, LRT minted for the
    /// LST received. Fails if fewer than `min_out` LRT would be minted.
    Deposit {
        /// Slippage bound: the least LRT the sender accepts.
        min_out: Option<Uint128>,
    },
    /// cw20 hook: LST (deposit) or LRT (withdrawal request) sent with a [`ReceiveMsg`].
    Receive(Cw20ReceiveMsg),
    /// Pay the sender's finalized withdrawals: in LST, or unbonded through the hub (claimable
    /// there as native after its unbonding time) if `unbond` is set.
    ClaimWithdrawals {
        /// Unbond the LST through the hub instead of receiving it.
        unbond: bool,
    },
    /// Permissionless crank: harvest service rewards (fee taken, rest bonded to LST), complete
    /// registry undelegations, finalize due withdrawals, request undelegations for the liquidity
    /// pending withdrawals need, and allocate idle LST to operators and strategies by target,
    /// within the caps.
    Crank {},
    /// Owner: replace the operator target weights (at most the registry's
    /// `MAX_OPERATORS_PER_DELEGATOR` operators). Operators no longer listed are drained by
    /// withdrawals first.
    SetOperatorTargets {
        /// The operators, each registered in the registry, and their weights.
        targets: Vec<OperatorTarget>,
    },
    /// Owner: add, update or (with `target_bps` 0) retire a strategy. A retired strategy is
    /// withdrawn from at the next crank.
    SetStrategy {
        /// Strategy contract implementing the strategy interface.
        contract: String,
        /// Target share of the vault's value, bps.
        target_bps: u16,
    },
    /// Owner: queue a new fee, effective after `fee_change_delay`.
    QueueFeeChange {
        /// New fee, bps.
        fee_bps: u16,
    },
    /// Owner: change parameters; `None` keeps the value.
    UpdateConfig {
        /// New fee recipient (LRT).
        fee_addr: Option<String>,
        /// New withdrawal delay, seconds (applies to requests made after the change).
        withdrawal_delay: Option<u64>,
        /// New per-operator cap, bps of the vault's value (at most 10,000).
        max_operator_bps: Option<u16>,
        /// New per-service exposure cap, bps of the vault's value (at most 10,000).
        max_service_exposure_bps: Option<u16>,
        /// Set or remove the guardian.
        #[serde(default)]
        guardian: Option<GuardianUpdate>,
        /// New rails (both values at once): `max_apr_bps` at least 1, `max_drop_bps` in
        /// 1..=10,000.
        #[serde(default)]
        rails: Option<VaultRails>,
    },
    /// Owner: set or remove the deposit cap (LST value).
    SetDepositCap {
        /// The largest total value the vault may hold; `None` for no cap.
        cap: Option<Uint128>,
    },
    /// Owner: set the pause flags (the whole set replaces the current one; the only way to
    /// unpause) and clear the recorded pause cause.
    SetPause(VaultPauseFlags),
    /// Guardian: pause deposits. Never unpauses, never touches withdrawals, claims, the crank,
    /// funds, fees or configuration.
    GuardianPause {},
    /// Internal steps of deposits and the crank; only the vault itself may send them.
    Callback(CallbackMsg),
}

impl ExecuteMsg {
    /// Whether this message takes native funds (`Deposit`); every other message refuses funds
    /// attached to it, so nobody loses coins sent by mistake.
    pub fn takes_funds(&self) -> bool {
        matches!(self, ExecuteMsg::Deposit { .. })
    }
}

/// An operator and its target weight.
#[cw_serde]
pub struct OperatorTarget {
    /// The operator's address (registered in the registry).
    pub operator: String,
    /// Its target weight: free LST is delegated in proportion to the weights.
    pub weight: u64,
}

/// A strategy and its target share.
#[cw_serde]
pub struct StrategyTarget {
    /// The strategy contract.
    pub contract: String,
    /// Its target share of the vault's value, bps (0: retired).
    pub target_bps: u16,
}

/// Hooks accepted through cw20 `Send`.
#[cw_serde]
pub enum ReceiveMsg {
    /// With LST: deposit it for LRT.
    Deposit {
        /// Slippage bound: the least LRT the sender accepts.
        min_out: Option<Uint128>,
    },
    /// With LRT: burn it into a withdrawal request, finalized after the withdrawal delay at the
    /// lesser of its value now and its value then. At least `MIN_WITHDRAWAL_LRT`, unless it is
    /// everything the sender holds.
    RequestWithdrawal {},
}

/// Messages the vault sends to itself.
#[cw_serde]
pub enum CallbackMsg {
    /// A native deposit was bonded: mint LRT for the LST received.
    AfterBond {
        /// The depositor.
        user: String,
        /// Their slippage bound.
        min_out: Option<Uint128>,
        /// The vault's LST balance before the bond.
        lst_before: Uint128,
    },
    /// Rewards were claimed from the registry: bond them through the hub.
    AfterHarvest {
        /// The hub's full value (its recognised value plus what its APR ceiling withholds), as
        /// the crank's first step read it from every delegation: the reward bond's slippage
        /// bound is priced from it and `bond_lst`.
        bond_native: Uint128,
        /// The LST the hub counts (supply plus LST in the pending batch), read with
        /// `bond_native`.
        bond_lst: Uint128,
    },
    /// Rewards were bonded: take the fee, then finalize, rebalance and allocate.
    AfterRewardBond {
        /// The vault's LST balance before the bond.
        lst_before: Uint128,
    },
}

/// Migration parameters (none yet).
#[cw_serde]
pub struct MigrateMsg {}

/// Queries of the vault.
#[cw_ownable_query]
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// Parameters.
    #[returns(VaultConfigResponse)]
    Config {},
    /// Value, supply, rates and a breakdown by operator and strategy, as of now.
    #[returns(VaultStateResponse)]
    State {},
    /// A user's LRT, its value, and their withdrawals.
    #[returns(PositionResponse)]
    Position {
        /// User address.
        user: String,
    },
    /// How much of the vault's LST each service can slash.
    #[returns(ExposureResponse)]
    Exposure {},
}

/// Response to [`QueryMsg::Config`].
#[cw_serde]
pub struct VaultConfigResponse {
    /// The liquid staking hub.
    pub hub: String,
    /// The restaking registry.
    pub registry: String,
    /// The LST the vault takes.
    pub lst_token: String,
    /// The LRT the vault mints.
    pub lrt_token: String,
    /// Fee on restaking rewards in force now, bps.
    pub fee_bps: u16,
    /// A queued fee change still to come: the new fee and when it applies.
    pub pending_fee: Option<DelayedChange<u16>>,
    /// Receives the fee, as LRT.
    pub fee_addr: String,
    /// Seconds before a queued fee change applies.
    pub fee_change_delay: u64,
    /// Seconds a withdrawal request waits before it is finalized.
    pub withdrawal_delay: u64,
    /// Largest total value (LST) the vault may hold; `None` for no cap.
    pub deposit_cap: Option<Uint128>,
    /// Largest share of the vault's value delegated to one operator, bps.
    pub max_operator_bps: u16,
    /// Largest share of the vault's value one service may reach, bps.
    pub max_service_exposure_bps: u16,
    /// The operators and their target weights.
    pub operator_targets: Vec<OperatorTarget>,
    /// The strategies and their target shares.
    pub strategies: Vec<StrategyTarget>,
    /// Paused operations.
    pub paused: VaultPauseFlags,
    /// The guardian, if any: may pause deposits, nothing else.
    pub guardian: Option<String>,
    /// The rate rails.
    pub rails: VaultRails,
    /// Why deposits were last paused by the guardian (`guardian`) or automatically
    /// (`rate_drop`), until the owner sets the pause flags again.
    pub pause_cause: Option<PauseCause>,
}

/// The vault's value with one operator.
#[cw_serde]
pub struct OperatorValue {
    /// The operator's address.
    pub operator: String,
    /// LST value delegated (active).
    pub value: Uint128,
    /// Target weight.
    pub weight: u64,
}

/// The vault's value in one strategy.
#[cw_serde]
pub struct StrategyValue {
    /// The strategy contract.
    pub contract: String,
    /// LST value the strategy reports.
    pub value: Uint128,
    /// Target share, bps.
    pub target_bps: u16,
}

/// Response to [`QueryMsg::State`].
#[cw_serde]
pub struct VaultStateResponse {
    /// Everything the vault holds or is owed, in LST, net of finalized withdrawals and the fee on
    /// unharvested rewards.
    pub total_value: Uint128,
    /// LRT in circulation.
    pub lrt_supply: Uint128,
    /// LRT burned into withdrawal requests not yet finalized.
    pub pending_withdrawal_lrt: Uint128,
    /// What those requests are owed now (LST): the lesser of their value at the nominal rate and
    /// their value when requested. `rate` is `(total_value - queue_owed) / lrt_supply`.
    pub queue_owed: Uint128,
    /// LST value of one LRT.
    pub rate: Decimal,
    /// Native value of one LRT (the LST rate times the hub's rate).
    pub rate_native: Decimal,
    /// LST held and free.
    pub idle: Uint128,
    /// LST held for finalized, unclaimed withdrawals (not part of `total_value`).
    pub reserved: Uint128,
    /// Native held for finalized, unclaimed withdrawals (not part of `total_value`).
    pub reserved_native: Uint128,
    /// LST delegated to operators, by operator.
    pub operators: Vec<OperatorValue>,
    /// LST being undelegated from the registry (still slashable).
    pub undelegating: Uint128,
    /// Unharvested service rewards, native.
    pub rewards_native: Uint128,
    /// Their LST value, net of the fee.
    pub rewards_value: Uint128,
    /// Strategies.
    pub strategies: Vec<StrategyValue>,
    /// Value (LST) above the APR ceiling: held, not in `total_value` or the rate, recognised
    /// as the ceiling rises with time.
    pub withheld: Uint128,
    /// What the service slashes pending against the vault's operators would take (LST; not in
    /// `total_value`). While it is not zero the vault is in bunker mode: withdrawals requested
    /// now are finalized only once no slash is pending (or `slash_resolution` after they ask).
    pub pending_slash: Uint128,
    /// The rate recognised at the last crank, from which the APR ceiling grows (`None` before
    /// the first crank).
    pub rate_anchor: Option<RateAnchor>,
    /// The longest a service slash can stay pending, seconds: the registry's withdrawal delay
    /// plus its most slash epochs. A withdrawal waiting for slashes waits at most this.
    pub slash_resolution: u64,
}

/// One withdrawal request.
#[cw_serde]
pub struct WithdrawalResponse {
    /// The request's id (ids grow with time).
    pub id: u64,
    /// LRT burned.
    pub lrt: Uint128,
    /// When it was requested.
    pub requested_at: Timestamp,
    /// Earliest finalization.
    pub finalize_at: Timestamp,
    /// Its value when requested (LST): the most it will be paid.
    pub value_at_request: Option<Uint128>,
    /// LST owed, once finalized.
    pub lst: Option<Uint128>,
    /// Native owed with it, once finalized (zero unless the vault was short of LST and held
    /// native the hub could not take).
    pub native: Uint128,
    /// Requested while a service slash was pending against the vault's operators (bunker
    /// mode): finalized only once none is pending, or the state's `slash_resolution` after it
    /// was requested.
    pub awaits_slashes: bool,
}

/// Response to [`QueryMsg::Position`].
#[cw_serde]
pub struct PositionResponse {
    /// LRT held.
    pub lrt: Uint128,
    /// Its redemption value in LST now.
    pub value: Uint128,
    /// Its value in native now.
    pub value_native: Uint128,
    /// Withdrawal requests.
    pub withdrawals: Vec<WithdrawalResponse>,
    /// LST claimable now (finalized withdrawals).
    pub claimable: Uint128,
    /// Native claimable with it.
    pub claimable_native: Uint128,
}

/// One service's reach into the vault.
#[cw_serde]
pub struct VaultExposure {
    /// The service's id in the registry.
    pub service: u64,
    /// Vault LST allocated to the service through operators (slashable by it).
    pub allocated: Uint128,
    /// The most it could slash in one epoch.
    pub max_slash_per_epoch: Uint128,
    /// `allocated` as a share of the vault's value, bps.
    pub share_bps: u16,
}

/// Response to [`QueryMsg::Exposure`].
#[cw_serde]
pub struct ExposureResponse {
    /// The vault's total value (LST), the base of the shares.
    pub total_value: Uint128,
    /// Every service the vault's operators allocate to.
    pub services: Vec<VaultExposure>,
}
