//! The crank: three steps, each a message the vault sends itself. What each step decides is
//! planned in `tributary_core::vault` ([`plan_reward_bond`], [`plan`]); here the registry's,
//! the hub's and the strategies' answers are gathered into the plan's inputs, and the plan is
//! turned into messages and saved.

use std::collections::BTreeMap;

use cosmwasm_std::{
    coins, to_json_binary, wasm_execute, CosmosMsg, Deps, DepsMut, Env, Event, MessageInfo,
    Response, StdResult, Storage, SubMsg, Uint128,
};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_core::vault::{
    finalize_window, plan, plan_reward_bond, CrankInputs, CrankParams, CrankPlan, HubBondTerms,
    OperatorMove, QueuedWithdrawal, RewardBond, ServiceExposure, ServiceShare, StrategyMove,
};
use tributary_math::{bps_of, SharePool};
use tributary_types::registry::{
    ExecuteMsg as RegistryMsg, OperatorResponse, QueryMsg as RegistryQuery,
    ReceiveMsg as RegistryReceiveMsg, RegistryConfigResponse, MAX_SLASH_EPOCHS,
};
use tributary_types::strategy::{StrategyExecuteMsg, StrategyQueryMsg, StrategyReceiveMsg};
use tributary_types::vault::{CallbackMsg, PauseCause};

use crate::execute::steps::{optional, required, Step};
use crate::execute::{callback, ensure_not_paused, mint_lrt};
use crate::ledger::{lst_balance, Snapshot};
use crate::state::{Config, State, CONFIG, STATE, STRATEGIES, WITHDRAWALS};
use crate::ContractError;

/// First step: collect service rewards and completed undelegations from the registry.
pub fn execute_crank(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.crank, "crank")?;
    let Snapshot {
        registry_position,
        hub_bond_pool,
        ..
    } = Snapshot::load(deps.as_ref(), &env, Uint128::zero())?;
    let mut msgs: Vec<SubMsg> = vec![];
    if !registry_position.rewards.is_zero() {
        msgs.push(optional(
            wasm_execute(&config.registry, &RegistryMsg::ClaimRewards {}, vec![])?,
            Step::ClaimRewards,
        ));
    }
    if !registry_position.completable_value.is_zero() {
        msgs.push(optional(
            wasm_execute(
                &config.registry,
                &RegistryMsg::CompleteUndelegations {},
                vec![],
            )?,
            Step::CompleteUndelegations,
        ));
    }
    msgs.push(required(callback(
        &env.contract.address,
        CallbackMsg::AfterHarvest {
            bond_native: hub_bond_pool.assets,
            bond_lst: hub_bond_pool.shares,
        },
    )?));
    Ok(Response::new()
        .add_submessages(msgs)
        .add_attribute("action", "crank")
        .add_attribute("rewards_claimed", registry_position.rewards)
        .add_attribute(
            "undelegations_completed",
            registry_position.completable_value,
        ))
}

/// Second step: bond the native rewards through the hub — as much as its minimum, pause and
/// deposit cap allow, and only at the price the vault counts them at (`bond_pool`, the hub's
/// full value as the first step read it, within `REWARD_BOND_SLIPPAGE_BPS`); what cannot be
/// bonded now waits for a later crank (and keeps counting in the rate at the LST it would buy).
/// The bond is an optional step: if the hub refuses it, or would mint below the bound, the crank
/// goes on without it.
pub fn execute_after_harvest(
    deps: DepsMut,
    env: Env,
    bond_pool: SharePool,
) -> Result<Response, ContractError> {
    tributary_common::ensure_plausible("the hub's value", bond_pool.assets)?;
    tributary_common::ensure_plausible("the hub's LST", bond_pool.shares)?;
    let config = CONFIG.load(deps.storage)?;
    let hub_config: tributary_types::hub::ConfigResponse = deps
        .querier
        .query_wasm_smart(&config.hub, &tributary_types::hub::QueryMsg::Config {})?;
    let state = STATE.load(deps.storage)?;
    let native = deps
        .querier
        .query_balance(&env.contract.address, &config.native_denom)?
        .amount
        .checked_sub(state.reserved_native)?;
    let lst_before = lst_balance(deps.as_ref(), &env, &config)?;
    let terms = HubBondTerms {
        // the hub's cap counts its full value, what its APR ceiling withholds included
        room_below_cap: hub_config
            .deposit_cap
            .map(|cap| cap.saturating_sub(bond_pool.assets)),
        bond_paused: hub_config.paused.bond,
        min_bond: hub_config.min_bond,
        bond_pool,
    };
    let mut response = Response::new().add_attribute("action", "after_harvest");
    match plan_reward_bond(native, &terms)? {
        RewardBond::Nothing => {}
        RewardBond::Deferred { native, why } => {
            response = response
                .add_attribute("rewards_bond_deferred", native)
                .add_attribute("reason", why.reason());
        }
        RewardBond::Bond { amount, min_out } => {
            response = response
                .add_submessage(optional(
                    wasm_execute(
                        &config.hub,
                        &tributary_types::hub::ExecuteMsg::Bond {
                            min_out: Some(min_out),
                        },
                        coins(amount.u128(), &config.native_denom),
                    )?,
                    Step::RewardBond,
                ))
                .add_attribute("rewards_bonded", amount);
        }
    }
    Ok(response.add_message(callback(
        &env.contract.address,
        CallbackMsg::AfterRewardBond { lst_before },
    )?))
}

/// Last step: fee on the bonded rewards, finalize due withdrawals, arrange liquidity for the
/// pending ones, and put free LST to work in strategies and with operators — as
/// [`tributary_core::vault::plan`] says.
pub fn execute_after_reward_bond(
    deps: DepsMut,
    env: Env,
    lst_before: Uint128,
) -> Result<Response, ContractError> {
    let snapshot = Snapshot::load(deps.as_ref(), &env, Uint128::zero())?;
    let rewards_received =
        lst_balance(deps.as_ref(), &env, &snapshot.config)?.checked_sub(lst_before)?;
    let inputs = crank_inputs(deps.as_ref(), &env, &snapshot, rewards_received)?;
    let plan = plan(&inputs)?;
    let withheld = snapshot.ledger.withheld;
    let Snapshot {
        mut config,
        mut state,
        ..
    } = snapshot;
    save_plan(deps.storage, &plan, &mut state)?;
    let mut events = vec![];
    if plan.rate_drop {
        // protective mode: stop minting at a rate that has just fallen; only the owner resumes
        config.paused.deposit = true;
        config.pause_cause = Some(PauseCause {
            reason: "rate_drop".to_string(),
            at: env.block.time,
        });
        CONFIG.save(deps.storage, &config)?;
        events.push(
            Event::new("auto_pause")
                .add_attribute("reason", "rate_drop")
                .add_attribute("paused", "deposit")
                .add_attribute("drop_bps", plan.drop_bps.to_string()),
        );
    }
    if let Some(id) = plan.held_for_slashes {
        events.push(
            Event::new("bunker")
                .add_attribute("status", "holding")
                .add_attribute("withdrawal_id", id.to_string())
                .add_attribute("pending_slash", inputs.ledger.pending_slash),
        );
    }
    let undelegated = plan.undelegated()?;
    let delegated = plan.delegated()?;
    Ok(Response::new()
        .add_submessages(plan_messages(&config, &plan)?)
        .add_events(events)
        .add_attribute("action", "after_reward_bond")
        .add_attribute("drop_bps", plan.drop_bps.to_string())
        .add_attribute("withheld", withheld)
        .add_attribute("rewards_lst", rewards_received)
        .add_attribute("fee_lst", plan.fee.fee_lst)
        .add_attribute("fee_lrt", plan.fee.fee_lrt)
        .add_attribute("finalized", plan.payouts.len().to_string())
        .add_attribute("undelegated", undelegated)
        .add_attribute("delegated", delegated))
}

/// Gathers what the plan decides on: the requests in the finalize window, each strategy's
/// deposit capacity, each targeted operator's services, the vault's exposure.
fn crank_inputs(
    deps: Deps,
    env: &Env,
    snapshot: &Snapshot,
    rewards_received: Uint128,
) -> Result<CrankInputs, ContractError> {
    let Snapshot {
        config,
        state,
        registry_position,
        ledger,
        ..
    } = snapshot;
    let mut requests = BTreeMap::new();
    for id in finalize_window(state.next_to_finalize, state.last_withdrawal_id) {
        if let Some(withdrawal) = WITHDRAWALS.may_load(deps.storage, id)? {
            requests.insert(
                id,
                QueuedWithdrawal {
                    lrt: withdrawal.lrt,
                    finalize_at: withdrawal.finalize_at,
                    value_at_request: withdrawal.value_at_request,
                    finalized: withdrawal.lst.is_some(),
                    requested_at: withdrawal.requested_at,
                    awaits_slashes: withdrawal.awaits_slashes,
                },
            );
        }
    }
    // only a strategy below its target may be deposited into: the plan's targets are shares of
    // the value after finalizing, never more than the value now
    let total_value = ledger.total_value()?;
    let mut deposit_capacity = BTreeMap::new();
    for position in &ledger.strategies {
        if position.value >= bps_of(total_value, position.target_bps)? {
            continue;
        }
        let capacity: Option<Uint128> = deps
            .querier
            .query_wasm_smart(&position.strategy, &StrategyQueryMsg::DepositCapacity {})?;
        deposit_capacity.insert(position.strategy.clone(), capacity);
    }
    // only targeted operators are delegated to (at most MAX_OPERATORS_PER_DELEGATOR of them),
    // and only from idle LST
    let mut operator_services = BTreeMap::new();
    let targeted = ledger
        .operators
        .iter()
        .filter(|position| position.weight > 0 && !ledger.idle.is_zero());
    for position in targeted {
        let operator: OperatorResponse = deps.querier.query_wasm_smart(
            &config.registry,
            &RegistryQuery::Operator {
                operator: position.operator.to_string(),
            },
        )?;
        let services = operator
            .allocations
            .iter()
            .map(|allocation| ServiceShare {
                service: allocation.service,
                bps: allocation.bps,
            })
            .collect();
        operator_services.insert(position.operator.clone(), services);
    }
    let exposure = registry_position
        .exposure
        .iter()
        .map(|exposure| ServiceExposure {
            service: exposure.service,
            allocated: exposure.allocated,
        })
        .collect();
    Ok(CrankInputs {
        now: env.block.time,
        params: CrankParams {
            fee_bps: config.fee.current,
            withdrawal_delay: config.withdrawal_delay,
            max_operator_bps: config.max_operator_bps,
            max_service_exposure_bps: config.max_service_exposure_bps,
            max_drop_bps: config.rails.max_drop_bps,
            slash_resolution: slash_resolution(deps, config)?,
        },
        ledger: ledger.clone(),
        rewards_received,
        next_to_finalize: state.next_to_finalize,
        last_withdrawal_id: state.last_withdrawal_id,
        requests,
        strategy_exit_failed_at: state.strategy_exit_failed_at,
        deposit_capacity,
        operator_services,
        exposure,
        anchor: state.rate_anchor,
    })
}

/// The longest a service slash can stay pending, seconds: the registry's withdrawal delay
/// (which exceeds every service's veto window) plus its most slash epochs.
pub fn slash_resolution(deps: Deps, config: &Config) -> Result<u64, ContractError> {
    let registry: RegistryConfigResponse = deps
        .querier
        .query_wasm_smart(&config.registry, &RegistryQuery::Config {})?;
    Ok(registry.withdrawal_delay.saturating_add(
        registry
            .epoch_period
            .saturating_mul(u64::from(MAX_SLASH_EPOCHS)),
    ))
}

/// Records the plan: payouts on their requests, the queue and reserves, where finalizing
/// resumes, retired strategies forgotten, the rate the next ceiling grows from.
fn save_plan(
    storage: &mut dyn Storage,
    plan: &CrankPlan,
    state: &mut State,
) -> Result<(), ContractError> {
    for payout in &plan.payouts {
        let mut withdrawal = WITHDRAWALS.load(storage, payout.id)?;
        withdrawal.lst = Some(payout.lst);
        withdrawal.native = payout.native;
        WITHDRAWALS.save(storage, payout.id, &withdrawal)?;
    }
    state.reserved = state.reserved.checked_add(plan.reserved_lst)?;
    state.reserved_native = state.reserved_native.checked_add(plan.reserved_native)?;
    state.set_queue(plan.queue);
    state.next_to_finalize = plan.next_to_finalize;
    for strategy_addr in &plan.retired_strategies {
        STRATEGIES.remove(storage, strategy_addr);
    }
    state.rate_anchor = plan.anchor;
    STATE.save(storage, state)?;
    Ok(())
}

/// The plan's messages, in its order: the fee mint (required), then the optional steps —
/// strategy withdrawals for liquidity, undelegations, strategy deposits and withdrawals toward
/// targets, delegations.
fn plan_messages(config: &Config, plan: &CrankPlan) -> StdResult<Vec<SubMsg>> {
    let mut msgs = vec![];
    if !plan.fee.fee_lrt.is_zero() {
        msgs.push(required(mint_lrt(
            &config.lrt_token,
            &config.fee_addr,
            plan.fee.fee_lrt,
        )?));
    }
    for strategy_move in &plan.liquidity_withdrawals {
        msgs.push(strategy_step(config, strategy_move)?);
    }
    for undelegation in &plan.undelegations {
        msgs.push(optional(
            wasm_execute(
                &config.registry,
                &RegistryMsg::Undelegate {
                    operator: undelegation.operator.to_string(),
                    amount: undelegation.amount,
                },
                vec![],
            )?,
            Step::Undelegate,
        ));
    }
    for strategy_move in &plan.strategy_moves {
        msgs.push(strategy_step(config, strategy_move)?);
    }
    for delegation in &plan.delegations {
        msgs.push(delegate_step(config, delegation)?);
    }
    Ok(msgs)
}

/// A strategy deposit (LST sent with the strategy's hook) or withdrawal, as an optional step.
fn strategy_step(config: &Config, strategy_move: &StrategyMove) -> StdResult<SubMsg> {
    Ok(match strategy_move {
        StrategyMove::Deposit { strategy, amount } => optional(
            Cw20Contract(config.lst_token.clone()).call(Cw20ExecuteMsg::Send {
                contract: strategy.to_string(),
                amount: *amount,
                msg: to_json_binary(&StrategyReceiveMsg::Deposit {})?,
            })?,
            Step::StrategyDeposit,
        ),
        StrategyMove::Withdraw { strategy, amount } => optional(
            wasm_execute(
                strategy,
                &StrategyExecuteMsg::Withdraw { amount: *amount },
                vec![],
            )?,
            Step::StrategyWithdraw,
        ),
    })
}

/// A delegation (LST sent to the registry with its delegate hook), as an optional step.
fn delegate_step(config: &Config, delegation: &OperatorMove) -> StdResult<SubMsg> {
    let msg: CosmosMsg = Cw20Contract(config.lst_token.clone()).call(Cw20ExecuteMsg::Send {
        contract: config.registry.to_string(),
        amount: delegation.amount,
        msg: to_json_binary(&RegistryReceiveMsg::Delegate {
            operator: delegation.operator.to_string(),
        })?,
    })?;
    Ok(optional(msg, Step::Delegate))
}
