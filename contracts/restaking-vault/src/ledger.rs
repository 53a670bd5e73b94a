//! Reads what the vault holds and is owed, live from the chain, the registry, the hub and the
//! strategies, into a [`tributary_core::vault::Ledger`]. Every mint and burn starts here, so
//! slashes in the registry (which move tokens at once) and unharvested service rewards are
//! always in the rate: nobody can mint ahead of rewards or burn ahead of a slash. The APR
//! ceiling is applied here too, so no mint or burn is priced with value above it. The
//! accounting itself (pools, the queue, mints, requests, the rails) is in
//! `tributary_core::vault`.

use cosmwasm_std::{Addr, Deps, Env, Order, Uint128};
use tributary_core::vault::{rewards_value, Ledger, OperatorPosition, StrategyPosition};
use tributary_math::SharePool;
use tributary_types::hub::StateResponse;
use tributary_types::registry::{DelegatorResponse, QueryMsg as RegistryQuery};
use tributary_types::strategy::StrategyQueryMsg;

use crate::state::{Config, State, CONFIG, OPERATOR_TARGETS, STATE, STRATEGIES};
use crate::ContractError;

/// The vault as of now: its parameters (with a due fee change applied), its running totals,
/// its position in the registry, and its ledger.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Parameters, the fee in force as of now.
    pub config: Config,
    /// Running totals.
    pub state: State,
    /// The vault's position in the registry.
    pub registry_position: DelegatorResponse,
    /// What the vault holds and is owed.
    pub ledger: Ledger,
    /// The pool a hub bond mints against (see [`hub_bond_pool`]): what native not yet bonded
    /// is counted at.
    pub hub_bond_pool: SharePool,
}

/// The hub's state.
pub fn hub_state(deps: Deps, hub_addr: &Addr) -> Result<StateResponse, ContractError> {
    Ok(deps
        .querier
        .query_wasm_smart(hub_addr, &tributary_types::hub::QueryMsg::State {})?)
}

/// The hub's exchange-rate pool: its recognised value over the LST counted in the rate (what a
/// redemption pays).
pub fn hub_pool(hub_state: &StateResponse) -> Result<SharePool, ContractError> {
    Ok(SharePool::new(
        hub_state.total_native,
        hub_state.lst_counted()?,
    ))
}

/// The pool a bond mints against: the hub's recognised value plus what its APR ceiling
/// withholds, over the same LST.
pub fn hub_bond_pool(hub_state: &StateResponse) -> Result<SharePool, ContractError> {
    Ok(SharePool::new(
        hub_state.bond_value()?,
        hub_state.lst_counted()?,
    ))
}

/// The vault's LST balance.
pub fn lst_balance(deps: Deps, env: &Env, config: &Config) -> Result<Uint128, ContractError> {
    let balance: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &config.lst_token,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    Ok(balance.balance)
}

impl Snapshot {
    /// Loads everything. `incoming_lst` is LST attached to the current message, not yet the
    /// vault's to count.
    pub fn load(deps: Deps, env: &Env, incoming_lst: Uint128) -> Result<Self, ContractError> {
        let mut config = CONFIG.load(deps.storage)?;
        config.fee.apply_due(env.block.time);
        let state = STATE.load(deps.storage)?;
        let vault = env.contract.address.to_string();
        let idle = lst_balance(deps, env, &config)?
            .checked_sub(incoming_lst)?
            .checked_sub(state.reserved)?;
        let registry_position: DelegatorResponse = deps.querier.query_wasm_smart(
            &config.registry,
            &RegistryQuery::Delegator {
                delegator: vault.clone(),
            },
        )?;
        let strategies = STRATEGIES
            .range(deps.storage, None, None, Order::Ascending)
            .map(|item| {
                let (strategy, target_bps) = item?;
                let value: Uint128 = deps.querier.query_wasm_smart(
                    &strategy,
                    &StrategyQueryMsg::Value {
                        owner: vault.clone(),
                    },
                )?;
                Ok(StrategyPosition {
                    strategy,
                    target_bps,
                    value,
                })
            })
            .collect::<Result<Vec<_>, ContractError>>()?;
        let mut operators = OPERATOR_TARGETS
            .range(deps.storage, None, None, Order::Ascending)
            .map(|item| {
                let (operator, weight) = item?;
                Ok(OperatorPosition {
                    operator,
                    weight,
                    value: Uint128::zero(),
                })
            })
            .collect::<Result<Vec<_>, ContractError>>()?;
        for delegation in &registry_position.delegations {
            match operators
                .iter_mut()
                .find(|position| position.operator.as_str() == delegation.operator)
            {
                Some(position) => position.value = delegation.value,
                // delegated to an operator no longer targeted (weight 0): still counted
                None => operators.push(OperatorPosition {
                    operator: Addr::unchecked(&delegation.operator),
                    weight: 0,
                    value: delegation.value,
                }),
            }
        }
        let native_held = deps
            .querier
            .query_balance(&env.contract.address, &config.native_denom)?
            .amount
            .checked_sub(state.reserved_native)?;
        let rewards_native = registry_position.rewards.checked_add(native_held)?;
        let hub_state = hub_state(deps, &config.hub)?;
        let hub_pool = hub_pool(&hub_state)?;
        // native not yet bonded is worth the LST a bond of it mints: at the hub's full value
        // (what its APR ceiling withholds included), not the recognised rate
        let bond_pool = hub_bond_pool(&hub_state)?;
        let rewards_value = rewards_value(rewards_native, &bond_pool, config.fee.current)?;
        let lrt_info: cw20::TokenInfoResponse = deps
            .querier
            .query_wasm_smart(&config.lrt_token, &cw20::Cw20QueryMsg::TokenInfo {})?;
        let ledger = Ledger {
            idle,
            delegated: registry_position.delegated_value,
            undelegating: registry_position.undelegating_value,
            pending_slash: registry_position.pending_slash_value,
            strategies,
            operators,
            native_held,
            rewards_native,
            rewards_value,
            hub_pool,
            lrt_supply: lrt_info.total_supply,
            queue: state.queue(),
            withheld: Uint128::zero(),
            headroom: None,
        };
        let mut ledger = ledger;
        ledger.apply_ceiling(state.rate_anchor.as_ref(), &config.rails, env.block.time)?;
        Ok(Snapshot {
            config,
            state,
            registry_position,
            ledger,
            hub_bond_pool: bond_pool,
        })
    }
}
