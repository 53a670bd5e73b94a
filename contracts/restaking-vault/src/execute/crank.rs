use std::collections::BTreeMap;

use cosmwasm_std::{
    to_json_binary, CosmosMsg, DepsMut, Env, MessageInfo, Response, SubMsg, Uint128, WasmMsg,
};
use tributary_math::{allocate_to_deficits, fee_amount, take_from_surpluses};
use tributary_types::registry::{
    ExecuteMsg as RegistryMsg, OperatorResponse, QueryMsg as RegistryQuery,
    ReceiveMsg as RegistryReceiveMsg, FULL_BPS,
};
use tributary_types::strategy::{StrategyExecuteMsg, StrategyQueryMsg, StrategyReceiveMsg};
use tributary_types::vault::CallbackMsg;

use crate::execute::steps::{optional, required, Step};
use crate::execute::{callback, cw20_msg, ensure_not_paused, mint_msg};
use crate::holdings::Holdings;
use crate::state::{CONFIG, STATE, STRATEGIES, WITHDRAWALS};
use crate::ContractError;

/// Withdrawal requests the crank looks at per call (finalized or skipped); the next call
/// resumes where this one stopped, so the queue's length never limits a crank.
pub const MAX_FINALIZE_PER_CRANK: u64 = 50;

/// First step: collect service rewards and completed undelegations from the registry.
pub fn execute_crank(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.crank, "crank")?;
    let h = Holdings::load(deps.as_ref(), &env, Uint128::zero())?;
    let mut msgs: Vec<SubMsg> = vec![];
    let registry_msg = |msg: &RegistryMsg| -> Result<CosmosMsg, ContractError> {
        Ok(WasmMsg::Execute {
            contract_addr: config.registry.to_string(),
            msg: to_json_binary(msg)?,
            funds: vec![],
        }
        .into())
    };
    if !h.registry.rewards.is_zero() {
        msgs.push(optional(
            registry_msg(&RegistryMsg::ClaimRewards {})?,
            Step::ClaimRewards,
        ));
    }
    if !h.registry.completable_value.is_zero() {
        msgs.push(optional(
            registry_msg(&RegistryMsg::CompleteUndelegations {})?,
            Step::CompleteUndelegations,
        ));
    }
    msgs.push(required(callback(
        &env.contract.address,
        CallbackMsg::AfterHarvest {},
    )?));
    Ok(Response::new()
        .add_submessages(msgs)
        .add_attribute("action", "crank")
        .add_attribute("rewards_claimed", h.registry.rewards)
        .add_attribute("undelegations_completed", h.registry.completable_value))
}

/// Second step: bond the native rewards through the hub — as much as its minimum, pause and
/// deposit cap allow; what cannot be bonded now waits for a later crank (and keeps counting in
/// the rate at the LST it would buy). The bond is an optional step: if the hub refuses it anyway,
/// the crank goes on.
pub fn execute_after_harvest(deps: DepsMut, env: Env) -> Result<Response, ContractError> {
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
    let lst: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &config.lst_token,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    let mut response = Response::new().add_attribute("action", "after_harvest");
    let room = match hub_config.deposit_cap {
        Some(cap) => {
            let hub_state: tributary_types::hub::StateResponse = deps
                .querier
                .query_wasm_smart(&config.hub, &tributary_types::hub::QueryMsg::State {})?;
            cap.saturating_sub(hub_state.total_native)
        }
        None => native,
    };
    let bond = native.min(room);
    let deferred = if native.is_zero() {
        None
    } else if hub_config.paused.bond {
        Some("hub bond is paused")
    } else if bond < hub_config.min_bond || bond.is_zero() {
        Some(if room < native {
            "hub deposit cap reached"
        } else {
            "below the hub's minimum bond"
        })
    } else {
        None
    };
    match deferred {
        Some(reason) => {
            response = response
                .add_attribute("rewards_bond_deferred", native)
                .add_attribute("reason", reason);
        }
        None if !bond.is_zero() => {
            response = response
                .add_submessage(optional(
                    WasmMsg::Execute {
                        contract_addr: config.hub.to_string(),
                        msg: to_json_binary(&tributary_types::hub::ExecuteMsg::Bond {
                            min_out: None,
                        })?,
                        funds: vec![cosmwasm_std::coin(bond.u128(), &config.native_denom)],
                    },
                    Step::RewardBond,
                ))
                .add_attribute("rewards_bonded", bond);
        }
        None => {}
    }
    Ok(response.add_message(callback(
        &env.contract.address,
        CallbackMsg::AfterRewardBond {
            lst_before: lst.balance,
        },
    )?))
}

/// Last step: fee on the bonded rewards, finalize due withdrawals, arrange liquidity for the
/// pending ones, and put free LST to work in strategies and with operators.
pub fn execute_after_reward_bond(
    deps: DepsMut,
    env: Env,
    lst_before: Uint128,
) -> Result<Response, ContractError> {
    let now = env.block.time;
    let h = Holdings::load(deps.as_ref(), &env, Uint128::zero())?;
    let lst: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &h.config.lst_token,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    let received = lst.balance.checked_sub(lst_before)?;
    let lrt = h
        .config
        .lrt_token
        .clone()
        .ok_or(ContractError::TokenNotReady {})?;
    let mut msgs: Vec<SubMsg> = vec![];
    let mut nominal = h.nominal_pool()?;
    let mut state = h.state.clone();

    // the fee on restaking rewards, minted as LRT at the rate after the rewards, charged to
    // whoever the rewards went to: those who stay, and the withdrawal queue too while it shares
    // gains (below its caps)
    let fee_lst = fee_amount(received, h.config.fee_bps)?;
    let queue = nominal.split_queue(state.pending_lrt, state.pending_cap)?;
    let fee_lrt = if queue.shares_gains() {
        nominal.mint_fee(fee_lst)?
    } else {
        let mut stay = queue.stay;
        let fee_lrt = stay.mint_fee(fee_lst)?;
        nominal.shares = nominal.shares.checked_add(fee_lrt)?;
        fee_lrt
    };
    if !fee_lrt.is_zero() {
        msgs.push(required(mint_msg(&lrt, &h.config.fee_addr, fee_lrt)?));
    }

    // finalize due withdrawals, oldest first, while there is LST to pay them; at most
    // MAX_FINALIZE_PER_CRANK requests are looked at per call, the next call resumes. A request
    // is worth what its LRT would be worth had it stayed, capped at its value when requested.
    let mut idle = h.idle;
    let mut native = h.native_held;
    let mut finalized = 0u64;
    let mut id = state.next_to_finalize;
    let stop = id.saturating_add(MAX_FINALIZE_PER_CRANK);
    while id <= state.last_withdrawal_id && id < stop {
        let Some(mut w) = WITHDRAWALS.may_load(deps.storage, id)? else {
            id += 1;
            continue;
        };
        if w.lst.is_some() {
            id += 1;
            continue;
        }
        if w.finalize_at > now {
            break;
        }
        // at the lesser of its value now and when it was requested: a request shares the
        // slashes of its delay but earns nothing after asking to leave
        let queue = nominal.split_queue(state.pending_lrt, state.pending_cap)?;
        let owed = match w.value_at_request {
            Some(cap) => queue.owed_to(w.lrt, cap)?,
            // a request from before caps were kept: at the rate of all LRT alike
            None => nominal.value_of(w.lrt)?.min(nominal.assets),
        };
        // in LST while there is; a rest beyond the idle LST is paid from native the hub could
        // not take (at the native the rest redeems for at the hub), never from anyone's LST
        let (lst_part, native_part) = if owed <= idle {
            (owed, Uint128::zero())
        } else {
            let rest = owed.checked_sub(idle)?;
            let native_part = h.hub_pool.assets_for_redeem(rest)?;
            if native_part > native || native_part.is_zero() {
                break;
            }
            (idle, native_part)
        };
        nominal.assets = nominal.assets.checked_sub(owed)?;
        nominal.shares = nominal.shares.checked_sub(w.lrt)?;
        idle = idle.checked_sub(lst_part)?;
        native = native.checked_sub(native_part)?;
        state.reserved = state.reserved.checked_add(lst_part)?;
        state.reserved_native = state.reserved_native.checked_add(native_part)?;
        state.pending_lrt = state.pending_lrt.checked_sub(w.lrt)?;
        state.pending_cap = state
            .pending_cap
            .saturating_sub(w.value_at_request.unwrap_or(owed));
        w.lst = Some(lst_part);
        w.native = native_part;
        WITHDRAWALS.save(deps.storage, id, &w)?;
        finalized += 1;
        id += 1;
    }
    state.next_to_finalize = id;

    // liquidity for the withdrawals still pending: idle first, then what is already being
    // undelegated, then strategies (instant), then new undelegations
    let pending_value = nominal
        .split_queue(state.pending_lrt, state.pending_cap)?
        .owed;
    let mut shortfall = pending_value
        .saturating_sub(idle)
        .saturating_sub(h.registry.undelegating_value);
    let mut strategy_values: Vec<(cosmwasm_std::Addr, u16, Uint128)> = h.strategies.clone();
    // a strategy that recently refused to give LST back is not counted on: the operators are
    let strategies_refused = state
        .strategy_exit_failed_at
        .is_some_and(|at| now < at.plus_seconds(h.config.withdrawal_delay));
    for (addr, _, value) in strategy_values.iter_mut() {
        if shortfall.is_zero() || strategies_refused {
            break;
        }
        let take = (*value).min(shortfall);
        if take.is_zero() {
            continue;
        }
        msgs.push(optional(
            strategy_withdraw(addr, take)?,
            Step::StrategyWithdraw,
        ));
        *value = value.checked_sub(take)?;
        shortfall = shortfall.checked_sub(take)?;
    }
    let mut undelegated = Uint128::zero();
    if !shortfall.is_zero() {
        let values: Vec<Uint128> = h.operators.iter().map(|o| o.2).collect();
        let weights: Vec<u64> = h.operators.iter().map(|o| o.1).collect();
        let held: Uint128 = values
            .iter()
            .try_fold(Uint128::zero(), |a, v| a.checked_add(*v))?;
        let need = shortfall.min(held);
        if !need.is_zero() {
            let split = if weights.iter().all(|w| *w == 0) {
                take_from_surpluses(&values, &vec![1; values.len()], need)?
            } else {
                take_from_surpluses(&values, &weights, need)?
            };
            for ((operator, _, _), amount) in h.operators.iter().zip(split) {
                if amount.is_zero() {
                    continue;
                }
                msgs.push(optional(
                    WasmMsg::Execute {
                        contract_addr: h.config.registry.to_string(),
                        msg: to_json_binary(&RegistryMsg::Undelegate {
                            operator: operator.to_string(),
                            amount,
                        })?,
                        funds: vec![],
                    },
                    Step::Undelegate,
                ));
                undelegated = undelegated.checked_add(amount)?;
            }
        }
    }

    // put free LST to work: strategies up to their targets, then operators by weight
    let total = nominal.assets;
    let mut free = idle.saturating_sub(pending_value);
    let mut held_back = Uint128::zero();
    for (addr, target_bps, value) in &strategy_values {
        let target = tributary_math::bps_of(total, *target_bps)?;
        if *value < target && shortfall.is_zero() {
            let capacity: Option<Uint128> = deps
                .querier
                .query_wasm_smart(addr, &StrategyQueryMsg::DepositCapacity {})?;
            let wanted = target.checked_sub(*value)?.min(free);
            let amount = capacity.map_or(wanted, |c| wanted.min(c));
            // what the strategy cannot take this time stays idle for the next crank instead of
            // going to the operators (from whom it could only come back by undelegating)
            held_back = held_back.checked_add(wanted.checked_sub(amount)?)?;
            if !amount.is_zero() {
                msgs.push(optional(
                    cw20_msg(
                        &h.config.lst_token,
                        &cw20::Cw20ExecuteMsg::Send {
                            contract: addr.to_string(),
                            amount,
                            msg: to_json_binary(&StrategyReceiveMsg::Deposit {})?,
                        },
                    )?,
                    Step::StrategyDeposit,
                ));
                free = free.checked_sub(amount)?;
            }
        } else if *value > target {
            msgs.push(optional(
                strategy_withdraw(addr, value.checked_sub(target)?)?,
                Step::StrategyWithdraw,
            ));
        }
        if *target_bps == 0 && value.is_zero() {
            STRATEGIES.remove(deps.storage, addr);
        }
    }
    let free = free.saturating_sub(held_back);
    let delegated = allocate_to_operators(&deps, &h, total, free, &mut msgs)?;

    STATE.save(deps.storage, &state)?;
    Ok(Response::new()
        .add_submessages(msgs)
        .add_attribute("action", "after_reward_bond")
        .add_attribute("rewards_lst", received)
        .add_attribute("fee_lst", fee_lst)
        .add_attribute("fee_lrt", fee_lrt)
        .add_attribute("finalized", finalized.to_string())
        .add_attribute("undelegated", undelegated)
        .add_attribute("delegated", delegated))
}

fn strategy_withdraw(
    addr: &cosmwasm_std::Addr,
    amount: Uint128,
) -> Result<CosmosMsg, ContractError> {
    Ok(WasmMsg::Execute {
        contract_addr: addr.to_string(),
        msg: to_json_binary(&StrategyExecuteMsg::Withdraw { amount })?,
        funds: vec![],
    }
    .into())
}

/// Delegates `free` LST to operators towards their target weights, keeping each operator under
/// `max_operator_bps` of `total` and each service's reach under `max_service_exposure_bps`.
/// Whatever the caps refuse stays idle. Returns the amount delegated.
fn allocate_to_operators(
    deps: &DepsMut,
    h: &Holdings,
    total: Uint128,
    free: Uint128,
    msgs: &mut Vec<SubMsg>,
) -> Result<Uint128, ContractError> {
    let weights: Vec<u64> = h.operators.iter().map(|o| o.1).collect();
    if free.is_zero() || weights.iter().all(|w| *w == 0) {
        return Ok(Uint128::zero());
    }
    let values: Vec<Uint128> = h.operators.iter().map(|o| o.2).collect();
    let split = allocate_to_deficits(&values, &weights, free)?;
    let operator_cap = tributary_math::bps_of(total, h.config.max_operator_bps)?;
    let service_cap = tributary_math::bps_of(total, h.config.max_service_exposure_bps)?;
    let mut exposure: BTreeMap<u64, Uint128> = h
        .registry
        .exposure
        .iter()
        .map(|e| (e.service, e.allocated))
        .collect();
    let mut delegated = Uint128::zero();
    for ((operator, weight, value), wanted) in h.operators.iter().zip(split) {
        if *weight == 0 || wanted.is_zero() {
            continue;
        }
        let mut amount = wanted.min(operator_cap.saturating_sub(*value));
        let info: OperatorResponse = deps.querier.query_wasm_smart(
            &h.config.registry,
            &RegistryQuery::Operator {
                operator: operator.to_string(),
            },
        )?;
        for a in info.allocations.iter().filter(|a| a.bps > 0) {
            let room =
                service_cap.saturating_sub(exposure.get(&a.service).copied().unwrap_or_default());
            amount = amount.min(room.checked_multiply_ratio(FULL_BPS, a.bps)?);
        }
        if amount.is_zero() {
            continue;
        }
        for a in info.allocations.iter().filter(|a| a.bps > 0) {
            let e = exposure.entry(a.service).or_default();
            *e = e.checked_add(tributary_math::bps_of(amount, a.bps)?)?;
        }
        msgs.push(optional(
            cw20_msg(
                &h.config.lst_token,
                &cw20::Cw20ExecuteMsg::Send {
                    contract: h.config.registry.to_string(),
                    amount,
                    msg: to_json_binary(&RegistryReceiveMsg::Delegate {
                        operator: operator.to_string(),
                    })?,
                },
            )?,
            Step::Delegate,
        ));
        delegated = delegated.checked_add(amount)?;
    }
    Ok(delegated)
}
