//! Delegations: the contract keeps the per-delegator bounds, the undelegation queue and the
//! holds; the pool and reward arithmetic is `tributary_core::registry::Operator`.

use cosmwasm_std::{
    from_json, Addr, BankMsg, DepsMut, Env, MessageInfo, Order, Response, Storage, Timestamp,
    Uint128,
};
use cw20::{Cw20Contract, Cw20ExecuteMsg, Cw20ReceiveMsg};
use tributary_common::CommonError;
use tributary_core::registry::slashing::{completion_time, is_held};
use tributary_types::registry::{
    ReceiveMsg, MAX_COMPLETIONS_PER_CALL, MAX_OPERATORS_PER_DELEGATOR,
};

use crate::execute::slashing::oldest_pending_slash;
use crate::execute::{ensure_not_paused, load_operator_accrued, validate_addr};
use crate::state::{
    Delegation, CONFIG, DELEGATIONS, DELEGATOR_POSITIONS, OPERATORS, UNDELEGATIONS,
};
use crate::ContractError;

/// cw20 hook: only the LST may be delegated.
pub fn execute_receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.lst_token {
        return Err(CommonError::WrongToken {
            expected: config.lst_token.to_string(),
            got: info.sender.to_string(),
        }
        .into());
    }
    match from_json(&wrapper.msg)? {
        ReceiveMsg::Delegate { operator } => {
            ensure_not_paused(config.paused.delegate, "delegate")?;
            let delegator_addr = validate_addr(deps.api, &wrapper.sender)?;
            let operator_addr = validate_addr(deps.api, &operator)?;
            delegate(
                deps,
                env.block.time,
                config.reward_period,
                delegator_addr,
                operator_addr,
                wrapper.amount,
            )
        }
    }
}

/// Saves a delegation, or removes it (and frees its position) once nothing is left in it.
fn save_delegation(
    storage: &mut dyn Storage,
    delegator: &Addr,
    operator: &Addr,
    delegation: &Delegation,
) -> Result<(), ContractError> {
    if delegation.is_empty() {
        if DELEGATIONS.has(storage, (delegator, operator)) {
            DELEGATIONS.remove(storage, (delegator, operator));
            let count = DELEGATOR_POSITIONS
                .may_load(storage, delegator)?
                .unwrap_or(0);
            match count.checked_sub(1) {
                Some(0) | None => DELEGATOR_POSITIONS.remove(storage, delegator),
                Some(n) => DELEGATOR_POSITIONS.save(storage, delegator, &n)?,
            }
        }
        return Ok(());
    }
    DELEGATIONS.save(storage, (delegator, operator), delegation)?;
    Ok(())
}

fn delegate(
    deps: DepsMut,
    now: Timestamp,
    reward_period: u64,
    delegator_addr: Addr,
    operator_addr: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let mut operator = load_operator_accrued(deps.storage, &operator_addr, now, reward_period)?;
    // nobody enters while a slash is pending: at the price before it they would pay a slash
    // requested before they came, at the price after it they would take what a veto gives back
    if !operator.pending_slash.is_zero() {
        return Err(ContractError::SlashPending {
            operator: operator_addr.to_string(),
        });
    }
    let mut delegation = match DELEGATIONS
        .may_load(deps.storage, (&delegator_addr, &operator_addr))?
    {
        Some(delegation) => delegation,
        None => {
            // a new position: bounded per delegator_addr
            let count = DELEGATOR_POSITIONS
                .may_load(deps.storage, &delegator_addr)?
                .unwrap_or(0);
            if count >= MAX_OPERATORS_PER_DELEGATOR {
                return Err(ContractError::TooManyPositions {
                    max: MAX_OPERATORS_PER_DELEGATOR,
                });
            }
            DELEGATOR_POSITIONS.save(deps.storage, &delegator_addr, &count.saturating_add(1))?;
            operator.open_delegation()
        }
    };
    let shares = operator.delegate(&mut delegation, amount)?;
    OPERATORS.save(deps.storage, &operator_addr, &operator)?;
    DELEGATIONS.save(deps.storage, (&delegator_addr, &operator_addr), &delegation)?;
    Ok(Response::new()
        .add_attribute("action", "delegate")
        .add_attribute("delegator_addr", delegator_addr)
        .add_attribute("operator", operator_addr)
        .add_attribute("amount", amount)
        .add_attribute("shares", shares))
}

/// Entries looked at per `CompleteUndelegations` call (held ones are passed over, up to this).
const MAX_SCAN: usize = 4 * MAX_COMPLETIONS_PER_CALL as usize;

/// Whether an undelegation of `operator` due at `completes_at` (seconds) is held by a slash
/// request made against the operator before it was due and still pending.
pub(crate) fn is_entry_held(
    storage: &dyn Storage,
    operator: &Addr,
    completes_at: u64,
) -> Result<bool, ContractError> {
    Ok(is_held(
        oldest_pending_slash(storage, operator)?,
        completes_at,
    ))
}

/// Delegator: queues the shares worth `amount` for withdrawal. They stay in the operator's pool,
/// slashable but no longer earning, until completion (the end of the epoch in which
/// `withdrawal_delay` ends); undelegations to the same operator completing at the same time
/// are merged into one entry.
pub fn execute_undelegate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    operator: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.undelegate, "undelegate")?;
    if amount.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let now = env.block.time;
    let operator_addr = validate_addr(deps.api, &operator)?;
    let mut operator =
        load_operator_accrued(deps.storage, &operator_addr, now, config.reward_period)?;
    let mut delegation = DELEGATIONS
        .may_load(deps.storage, (&info.sender, &operator_addr))?
        .filter(|delegation| !delegation.shares.is_zero())
        .ok_or_else(|| ContractError::NoDelegation {
            operator: operator_addr.to_string(),
        })?;
    let shares = operator.undelegate(&mut delegation, amount)?;
    let completes_at = completion_time(now, config.withdrawal_delay, config.epoch_period)?;
    let key = (&info.sender, completes_at.seconds(), &operator_addr);
    let queued = UNDELEGATIONS
        .may_load(deps.storage, key)?
        .unwrap_or_default();
    UNDELEGATIONS.save(deps.storage, key, &queued.checked_add(shares)?)?;
    DELEGATIONS.save(deps.storage, (&info.sender, &operator_addr), &delegation)?;
    OPERATORS.save(deps.storage, &operator_addr, &operator)?;
    Ok(Response::new()
        .add_attribute("action", "undelegate")
        .add_attribute("delegator", info.sender)
        .add_attribute("operator", operator_addr)
        .add_attribute("shares", shares)
        .add_attribute("completes_at", completes_at.to_string()))
}

/// An undelegation entry that is due and not held.
struct DueUndelegation {
    /// When it completed (seconds; part of its key).
    completes_at: u64,
    /// The operator it leaves.
    operator_addr: Addr,
    /// Withdrawing shares it redeems.
    shares: Uint128,
}

/// Delegator: redeems the undelegations whose delay has passed, soonest first and at most
/// `MAX_COMPLETIONS_PER_CALL` of them (the rest on the next call), at the pool's value now (so
/// slashes during the delay are shared), and receives the LST.
pub fn execute_complete_undelegations(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.undelegate, "undelegate")?;
    let now = env.block.time;
    // the due entries, soonest first; held ones are passed over (at most MAX_SCAN of them)
    let mut due: Vec<DueUndelegation> = vec![];
    let mut held = 0usize;
    for item in UNDELEGATIONS
        .sub_prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_SCAN)
    {
        let ((completes_at, operator_addr), shares) = item?;
        if completes_at > now.seconds() || due.len() >= MAX_COMPLETIONS_PER_CALL as usize {
            break;
        }
        if is_entry_held(deps.storage, &operator_addr, completes_at)? {
            held = held.saturating_add(1);
            continue;
        }
        due.push(DueUndelegation {
            completes_at,
            operator_addr,
            shares,
        });
    }
    if due.is_empty() {
        return Err(if held > 0 {
            ContractError::HeldBySlash {}
        } else {
            ContractError::NothingToComplete {}
        });
    }
    let mut total = Uint128::zero();
    let count = due.len();
    for entry in due {
        let mut operator = load_operator_accrued(
            deps.storage,
            &entry.operator_addr,
            now,
            config.reward_period,
        )?;
        let mut delegation =
            DELEGATIONS.load(deps.storage, (&info.sender, &entry.operator_addr))?;
        let paid = operator.complete(&mut delegation, entry.shares)?;
        OPERATORS.save(deps.storage, &entry.operator_addr, &operator)?;
        save_delegation(
            deps.storage,
            &info.sender,
            &entry.operator_addr,
            &delegation,
        )?;
        UNDELEGATIONS.remove(
            deps.storage,
            (&info.sender, entry.completes_at, &entry.operator_addr),
        );
        total = total.checked_add(paid)?;
    }
    let mut response = Response::new()
        .add_attribute("action", "complete_undelegations")
        .add_attribute("delegator", &info.sender)
        .add_attribute("entries", count.to_string())
        .add_attribute("held", held.to_string())
        .add_attribute("amount", total);
    if !total.is_zero() {
        response = response.add_message(Cw20Contract(config.lst_token).call(
            Cw20ExecuteMsg::Transfer {
                recipient: info.sender.to_string(),
                amount: total,
            },
        )?);
    }
    Ok(response)
}

/// Delegator: receives the service rewards accrued so far from every position (at most
/// `MAX_OPERATORS_PER_DELEGATOR`); positions left empty are closed.
pub fn execute_claim_rewards(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.rewards, "rewards")?;
    let now = env.block.time;
    let positions: Vec<(Addr, Delegation)> = DELEGATIONS
        .prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_OPERATORS_PER_DELEGATOR as usize)
        .collect::<Result<_, _>>()?;
    let mut total = Uint128::zero();
    for (operator_addr, mut delegation) in positions {
        let operator =
            load_operator_accrued(deps.storage, &operator_addr, now, config.reward_period)?;
        total = total.checked_add(operator.claim(&mut delegation)?)?;
        OPERATORS.save(deps.storage, &operator_addr, &operator)?;
        save_delegation(deps.storage, &info.sender, &operator_addr, &delegation)?;
    }
    if total.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    Ok(Response::new()
        .add_message(BankMsg::Send {
            to_address: info.sender.to_string(),
            amount: vec![cosmwasm_std::coin(total.u128(), &config.reward_denom)],
        })
        .add_attribute("action", "claim_rewards")
        .add_attribute("delegator", info.sender)
        .add_attribute("amount", total))
}
