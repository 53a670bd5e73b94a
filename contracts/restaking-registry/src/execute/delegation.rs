use cosmwasm_std::{
    from_json, to_json_binary, Addr, BankMsg, DepsMut, Env, MessageInfo, Order, Response, Storage,
    Timestamp, Uint128, WasmMsg,
};
use cw20::Cw20ReceiveMsg;
use tributary_types::registry::{
    ReceiveMsg, MAX_COMPLETIONS_PER_CALL, MAX_OPERATORS_PER_DELEGATOR,
};

use crate::execute::{ensure_not_paused, load_operator_accrued, settle, validate_addr};
use crate::state::{
    Delegation, CONFIG, DELEGATIONS, DELEGATOR_POSITIONS, OPERATORS, PENDING_SLASHES, UNDELEGATIONS,
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
        return Err(ContractError::WrongToken {
            expected: config.lst_token.to_string(),
            got: info.sender.to_string(),
        });
    }
    match from_json(&wrapper.msg)? {
        ReceiveMsg::Delegate { operator } => {
            ensure_not_paused(config.paused.delegate, "delegate")?;
            let delegator = validate_addr(deps.api, &wrapper.sender)?;
            let operator = validate_addr(deps.api, &operator)?;
            delegate(
                deps,
                env.block.time,
                config.reward_period,
                delegator,
                operator,
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
    d: &Delegation,
) -> Result<(), ContractError> {
    if d.is_empty() {
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
    DELEGATIONS.save(storage, (delegator, operator), d)?;
    Ok(())
}

fn delegate(
    deps: DepsMut,
    now: Timestamp,
    reward_period: u64,
    delegator: Addr,
    operator: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let mut op = load_operator_accrued(deps.storage, &operator, now, reward_period)?;
    // nobody enters while a slash is pending: at the price before it they would pay a slash
    // requested before they came, at the price after it they would take what a veto gives back
    if !op.pending_slash.is_zero() {
        return Err(ContractError::SlashPending {
            operator: operator.to_string(),
        });
    }
    let mut d = match DELEGATIONS.may_load(deps.storage, (&delegator, &operator))? {
        Some(d) => d,
        None => {
            // a new position: bounded per delegator
            let count = DELEGATOR_POSITIONS
                .may_load(deps.storage, &delegator)?
                .unwrap_or(0);
            if count >= MAX_OPERATORS_PER_DELEGATOR {
                return Err(ContractError::TooManyPositions {
                    max: MAX_OPERATORS_PER_DELEGATOR,
                });
            }
            DELEGATOR_POSITIONS.save(deps.storage, &delegator, &count.saturating_add(1))?;
            Delegation {
                reward_per_share_paid: op.reward_per_share,
                ..Delegation::default()
            }
        }
    };
    settle(&op, &mut d)?;
    let shares = op.pool().shares_for_deposit(amount)?;
    if shares.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    op.assets = op.assets.checked_add(amount)?;
    op.shares = op.shares.checked_add(shares)?;
    d.shares = d.shares.checked_add(shares)?;
    OPERATORS.save(deps.storage, &operator, &op)?;
    DELEGATIONS.save(deps.storage, (&delegator, &operator), &d)?;
    Ok(Response::new()
        .add_attribute("action", "delegate")
        .add_attribute("delegator", delegator)
        .add_attribute("operator", operator)
        .add_attribute("amount", amount)
        .add_attribute("shares", shares))
}

/// Entries looked at per `CompleteUndelegations` call (held ones are passed over, up to this).
const MAX_SCAN: usize = 4 * MAX_COMPLETIONS_PER_CALL as usize;

/// Whether an undelegation of `operator` due at `completes_at` (seconds) is held: a slash
/// request made against the operator before it was due is still pending. Stake that was in the
/// pool when a slash was requested cannot leave before it is resolved; requests made after an
/// entry was due do not hold it, so no stream of new requests can hold an exit for longer than
/// its delay, a veto window and `MAX_SLASH_EPOCHS` epochs.
pub(crate) fn is_held(
    storage: &dyn cosmwasm_std::Storage,
    operator: &Addr,
    completes_at: u64,
) -> Result<bool, ContractError> {
    let oldest = PENDING_SLASHES
        .prefix(operator)
        .range(storage, None, None, Order::Ascending)
        .next()
        .transpose()?;
    Ok(oldest.is_some_and(|(_, requested_at)| requested_at.seconds() < completes_at))
}

/// When an undelegation requested at `now` completes: after `withdrawal_delay`, rounded up to
/// the end of an epoch (so a delegator has at most one entry per operator and epoch).
fn completion_time(
    now: Timestamp,
    withdrawal_delay: u64,
    epoch_period: u64,
) -> Result<Timestamp, ContractError> {
    let earliest = now
        .seconds()
        .checked_add(withdrawal_delay)
        .ok_or_else(|| cosmwasm_std::StdError::generic_err("completion time overflow"))?;
    let epochs = earliest.div_ceil(epoch_period);
    let at = epochs
        .checked_mul(epoch_period)
        .ok_or_else(|| cosmwasm_std::StdError::generic_err("completion time overflow"))?;
    Ok(Timestamp::from_seconds(at))
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
        return Err(ContractError::ZeroAmount {});
    }
    let now = env.block.time;
    let operator = validate_addr(deps.api, &operator)?;
    let mut op = load_operator_accrued(deps.storage, &operator, now, config.reward_period)?;
    let mut d = DELEGATIONS
        .may_load(deps.storage, (&info.sender, &operator))?
        .filter(|d| !d.shares.is_zero())
        .ok_or_else(|| ContractError::NoDelegation {
            operator: operator.to_string(),
        })?;
    let pool = op.priced_pool();
    let available = pool.assets_for_redeem(d.shares)?;
    if amount > available {
        return Err(ContractError::InsufficientDelegation {
            requested: amount,
            available,
        });
    }
    settle(&op, &mut d)?;
    let shares = if amount == available {
        d.shares
    } else {
        pool.shares_for_deposit(amount)?.min(d.shares)
    };
    if shares.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    d.shares = d.shares.checked_sub(shares)?;
    d.withdrawing = d.withdrawing.checked_add(shares)?;
    op.withdrawing = op.withdrawing.checked_add(shares)?;
    let completes_at = completion_time(now, config.withdrawal_delay, config.epoch_period)?;
    let key = (&info.sender, completes_at.seconds(), &operator);
    let queued = UNDELEGATIONS
        .may_load(deps.storage, key)?
        .unwrap_or_default();
    UNDELEGATIONS.save(deps.storage, key, &queued.checked_add(shares)?)?;
    DELEGATIONS.save(deps.storage, (&info.sender, &operator), &d)?;
    OPERATORS.save(deps.storage, &operator, &op)?;
    Ok(Response::new()
        .add_attribute("action", "undelegate")
        .add_attribute("delegator", info.sender)
        .add_attribute("operator", operator)
        .add_attribute("shares", shares)
        .add_attribute("completes_at", completes_at.to_string()))
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
    let mut due: Vec<((u64, Addr), Uint128)> = vec![];
    let mut held = 0usize;
    for item in UNDELEGATIONS
        .sub_prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_SCAN)
    {
        let ((at, operator), shares) = item?;
        if at > now.seconds() || due.len() >= MAX_COMPLETIONS_PER_CALL as usize {
            break;
        }
        if is_held(deps.storage, &operator, at)? {
            held = held.saturating_add(1);
            continue;
        }
        due.push(((at, operator), shares));
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
    for ((at, operator), shares) in due {
        let mut op = load_operator_accrued(deps.storage, &operator, now, config.reward_period)?;
        let mut d = DELEGATIONS.load(deps.storage, (&info.sender, &operator))?;
        settle(&op, &mut d)?;
        let mut pool = op.pool();
        let paid = pool.redeem(shares)?;
        op.assets = pool.assets;
        op.shares = pool.shares;
        op.withdrawing = op.withdrawing.checked_sub(shares)?;
        d.withdrawing = d.withdrawing.checked_sub(shares)?;
        OPERATORS.save(deps.storage, &operator, &op)?;
        save_delegation(deps.storage, &info.sender, &operator, &d)?;
        UNDELEGATIONS.remove(deps.storage, (&info.sender, at, &operator));
        total = total.checked_add(paid)?;
    }
    let mut response = Response::new()
        .add_attribute("action", "complete_undelegations")
        .add_attribute("delegator", &info.sender)
        .add_attribute("entries", count.to_string())
        .add_attribute("held", held.to_string())
        .add_attribute("amount", total);
    if !total.is_zero() {
        response = response.add_message(WasmMsg::Execute {
            contract_addr: config.lst_token.to_string(),
            msg: to_json_binary(&cw20::Cw20ExecuteMsg::Transfer {
                recipient: info.sender.to_string(),
                amount: total,
            })?,
            funds: vec![],
        });
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
    for (operator, mut d) in positions {
        let op = load_operator_accrued(deps.storage, &operator, now, config.reward_period)?;
        settle(&op, &mut d)?;
        total = total.checked_add(d.rewards_owed)?;
        d.rewards_owed = Uint128::zero();
        OPERATORS.save(deps.storage, &operator, &op)?;
        save_delegation(deps.storage, &info.sender, &operator, &d)?;
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
