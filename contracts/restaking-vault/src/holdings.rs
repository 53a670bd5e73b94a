//! What the vault holds and is owed, valued in LST, read live from the chain, the registry,
//! the hub and the strategies. Every mint and burn starts here, so slashes in the registry (which
//! move tokens at once) and unharvested service rewards are always in the rate: nobody can
//! mint ahead of rewards or burn ahead of a slash.

use cosmwasm_std::{Addr, Deps, Env, Order, Uint128};
use tributary_math::{fee_amount, QueueSplit, SharePool};
use tributary_types::registry::{DelegatorResponse, QueryMsg as RegistryQuery};
use tributary_types::strategy::StrategyQueryMsg;

use crate::state::{Config, State, CONFIG, OPERATOR_TARGETS, STATE, STRATEGIES};
use crate::ContractError;

/// The vault's holdings, as of now.
#[derive(Clone, Debug)]
pub struct Holdings {
    pub config: Config,
    pub state: State,
    /// LST held and not reserved for finalized withdrawals.
    pub idle: Uint128,
    /// The vault's position in the registry.
    pub registry: DelegatorResponse,
    /// (strategy, target bps, value).
    pub strategies: Vec<(Addr, u16, Uint128)>,
    /// (operator, target weight, delegated value).
    pub operators: Vec<(Addr, u64, Uint128)>,
    /// Native in the vault and not reserved for finalized withdrawals (rewards claimed but not
    /// yet bonded, and donations).
    pub native_held: Uint128,
    /// Unharvested service rewards (native): in the registry and already in the vault.
    pub rewards_native: Uint128,
    /// Their LST value net of the fee: what bonding them through the hub gives, less the fee.
    pub rewards_value: Uint128,
    /// The hub's pool (native per LST), for native valuations.
    pub hub_pool: SharePool,
    /// LRT token supply.
    pub lrt_supply: Uint128,
}

/// The hub's exchange-rate pool, from its state query.
pub fn hub_pool(deps: Deps, hub: &Addr) -> Result<SharePool, ContractError> {
    let s: tributary_types::hub::StateResponse = deps
        .querier
        .query_wasm_smart(hub, &tributary_types::hub::QueryMsg::State {})?;
    Ok(SharePool::new(
        s.total_native,
        s.lst_supply.checked_add(s.pending_unbond_lst)?,
    ))
}

impl Holdings {
    /// Loads everything. `incoming_lst` is LST attached to the current message, not yet the
    /// vault's to count.
    pub fn load(deps: Deps, env: &Env, incoming_lst: Uint128) -> Result<Self, ContractError> {
        let mut config = CONFIG.load(deps.storage)?;
        config.apply_due_fee(env.block.time);
        let state = STATE.load(deps.storage)?;
        let me = env.contract.address.to_string();
        let lst: cw20::BalanceResponse = deps.querier.query_wasm_smart(
            &config.lst_token,
            &cw20::Cw20QueryMsg::Balance {
                address: me.clone(),
            },
        )?;
        let idle = lst
            .balance
            .checked_sub(incoming_lst)?
            .checked_sub(state.reserved)?;
        let registry: DelegatorResponse = deps.querier.query_wasm_smart(
            &config.registry,
            &RegistryQuery::Delegator {
                delegator: me.clone(),
            },
        )?;
        let strategies = STRATEGIES
            .range(deps.storage, None, None, Order::Ascending)
            .map(|item| {
                let (addr, bps) = item?;
                let value: Uint128 = deps
                    .querier
                    .query_wasm_smart(&addr, &StrategyQueryMsg::Value { owner: me.clone() })?;
                Ok((addr, bps, value))
            })
            .collect::<Result<Vec<_>, ContractError>>()?;
        let mut operators = OPERATOR_TARGETS
            .range(deps.storage, None, None, Order::Ascending)
            .map(|item| {
                let (addr, weight) = item?;
                Ok((addr, weight, Uint128::zero()))
            })
            .collect::<Result<Vec<_>, ContractError>>()?;
        for d in &registry.delegations {
            match operators
                .iter_mut()
                .find(|(a, _, _)| a.as_str() == d.operator)
            {
                Some(entry) => entry.2 = d.value,
                // delegated to an operator no longer targeted (weight 0): still counted
                None => operators.push((Addr::unchecked(&d.operator), 0, d.value)),
            }
        }
        let native_held = deps
            .querier
            .query_balance(&env.contract.address, &config.native_denom)?
            .amount
            .checked_sub(state.reserved_native)?;
        let rewards_native = registry.rewards.checked_add(native_held)?;
        let hub_pool = hub_pool(deps, &config.hub)?;
        let rewards_lst = if rewards_native.is_zero() {
            Uint128::zero()
        } else {
            hub_pool.shares_for_deposit(rewards_native)?
        };
        let rewards_value = rewards_lst.checked_sub(fee_amount(rewards_lst, config.fee_bps)?)?;
        let lrt_supply = match &config.lrt_token {
            Some(token) => {
                let info: cw20::TokenInfoResponse = deps
                    .querier
                    .query_wasm_smart(token, &cw20::Cw20QueryMsg::TokenInfo {})?;
                info.total_supply
            }
            None => return Err(ContractError::TokenNotReady {}),
        };
        Ok(Holdings {
            config,
            state,
            idle,
            registry,
            strategies,
            operators,
            native_held,
            rewards_native,
            rewards_value,
            hub_pool,
            lrt_supply,
        })
    }

    /// Value in strategies.
    pub fn in_strategies(&self) -> Result<Uint128, ContractError> {
        Ok(self
            .strategies
            .iter()
            .try_fold(Uint128::zero(), |acc, (_, _, v)| acc.checked_add(*v))?)
    }

    /// Total value in LST: idle, delegated, undelegating, strategies, rewards net of the fee.
    pub fn total_value(&self) -> Result<Uint128, ContractError> {
        Ok(self
            .idle
            .checked_add(self.registry.delegated_value)?
            .checked_add(self.registry.undelegating_value)?
            .checked_add(self.in_strategies()?)?
            .checked_add(self.rewards_value)?)
    }

    /// Everything over every LRT: the supply and the LRT in pending withdrawals, all at the
    /// same rate. Pending requests are owed at most their value when they asked
    /// ([`Self::queue_owed`]), so this is not the rate an LRT holder gets: see [`Self::pool`].
    pub fn nominal_pool(&self) -> Result<SharePool, ContractError> {
        Ok(SharePool::new(
            self.total_value()?,
            self.lrt_supply.checked_add(self.state.pending_lrt)?,
        ))
    }

    /// The LRT pool every mint and burn uses: the value of those who stay (everything less
    /// what the withdrawal queue is owed) over the LRT supply. Rewards that accrue after a
    /// request go to those who stay; a slash is shared with the queue.
    pub fn pool(&self) -> Result<SharePool, ContractError> {
        Ok(self.queue()?.stay)
    }

    /// The pool deposits are minted at: as [`Self::pool`], with the slashes pending in the
    /// registry counted as if they were vetoed — the worse price for the depositor. A deposit
    /// made while a slash is pending shares it if it executes, and takes nothing of what a veto
    /// gives back to those who were there when it was requested.
    pub fn mint_pool(&self) -> Result<SharePool, ContractError> {
        let stay = self.pool()?;
        Ok(SharePool::new(
            stay.assets.checked_add(self.registry.pending_slash_value)?,
            stay.shares,
        ))
    }

    /// What the withdrawal queue is owed now: the lesser of its value at the nominal rate and
    /// its value when requested.
    pub fn queue_owed(&self) -> Result<Uint128, ContractError> {
        Ok(self.queue()?.owed)
    }

    /// The pool split between those who stay and the withdrawal queue.
    pub fn queue(&self) -> Result<QueueSplit, ContractError> {
        Ok(self
            .nominal_pool()?
            .split_queue(self.state.pending_lrt, self.state.pending_cap)?)
    }
}
