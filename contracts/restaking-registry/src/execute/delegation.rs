use cosmwasm_std::{
    from_json, to_json_binary, Addr, BankMsg, DepsMut, Env, MessageInfo, Order, Response, Uint128,
    WasmMsg,
};
use cw20::Cw20ReceiveMsg;
use tributary_types::registry::ReceiveMsg;

use crate::execute::{ensure_not_paused, load_operator, settle, validate_addr};
use crate::state::{
    Undelegation, CONFIG, DELEGATIONS, LAST_UNDELEGATION_ID, OPERATORS, UNDELEGATIONS,
};
use crate::ContractError;

/// cw20 hook: only the LST may be delegated.
pub fn execute_receive(
    deps: DepsMut,
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
            delegate(deps, delegator, operator, wrapper.amount)
        }
    }
}

fn delegate(
    deps: DepsMut,
    delegator: Addr,
    operator: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let mut op = load_operator(deps.storage, &operator)?;
    let mut d = DELEGATIONS
        .may_load(deps.storage, (&delegator, &operator))?
        .unwrap_or_default();
    settle(&op, &mut d)?;
    let mut pool = op.pool();
    let shares = pool.deposit(amount)?;
    if shares.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    op.assets = pool.assets;
    op.shares = pool.shares;
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

/// Delegator: queues the shares worth `amount` (or all active shares, if less) for withdrawal.
/// They stay in the operator's pool, slashable and earning, until completion.
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
    let operator = validate_addr(deps.api, &operator)?;
    let op = load_operator(deps.storage, &operator)?;
    let mut d = DELEGATIONS
        .may_load(deps.storage, (&info.sender, &operator))?
        .filter(|d| !d.shares.is_zero())
        .ok_or_else(|| ContractError::NoDelegation {
            operator: operator.to_string(),
        })?;
    let pool = op.pool();
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
    d.shares = d.shares.checked_sub(shares)?;
    d.withdrawing = d.withdrawing.checked_add(shares)?;
    DELEGATIONS.save(deps.storage, (&info.sender, &operator), &d)?;
    let id = LAST_UNDELEGATION_ID.may_load(deps.storage)?.unwrap_or(0) + 1;
    LAST_UNDELEGATION_ID.save(deps.storage, &id)?;
    let completes_at = env.block.time.plus_seconds(config.withdrawal_delay);
    UNDELEGATIONS.save(
        deps.storage,
        (&info.sender, id),
        &Undelegation {
            operator: operator.clone(),
            shares,
            completes_at,
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "undelegate")
        .add_attribute("delegator", info.sender)
        .add_attribute("operator", operator)
        .add_attribute("shares", shares)
        .add_attribute("completes_at", completes_at.to_string()))
}

/// Delegator: redeems every undelegation whose delay has passed, at the pool's value now (so
/// slashes during the delay are shared), and receives the LST.
pub fn execute_complete_undelegations(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.undelegate, "undelegate")?;
    let due: Vec<(u64, crate::state::Undelegation)> = UNDELEGATIONS
        .prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .filter(|r| {
            r.as_ref()
                .map_or(true, |(_, u)| u.completes_at <= env.block.time)
        })
        .collect::<Result<_, _>>()?;
    if due.is_empty() {
        return Err(ContractError::NothingToComplete {});
    }
    let mut total = Uint128::zero();
    for (id, u) in due {
        let mut op = load_operator(deps.storage, &u.operator)?;
        let mut d = DELEGATIONS.load(deps.storage, (&info.sender, &u.operator))?;
        settle(&op, &mut d)?;
        let mut pool = op.pool();
        let paid = pool.redeem(u.shares)?;
        op.assets = pool.assets;
        op.shares = pool.shares;
        d.withdrawing = d.withdrawing.checked_sub(u.shares)?;
        OPERATORS.save(deps.storage, &u.operator, &op)?;
        DELEGATIONS.save(deps.storage, (&info.sender, &u.operator), &d)?;
        UNDELEGATIONS.remove(deps.storage, (&info.sender, id));
        total = total.checked_add(paid)?;
    }
    let mut response = Response::new()
        .add_attribute("action", "complete_undelegations")
        .add_attribute("delegator", &info.sender)
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

/// Delegator: receives its settled service rewards from every operator.
pub fn execute_claim_rewards(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.rewards, "rewards")?;
    let positions: Vec<(Addr, crate::state::Delegation)> = DELEGATIONS
        .prefix(&info.sender)
        .range(deps.storage, None, None, Order::Ascending)
        .collect::<Result<_, _>>()?;
    let mut total = Uint128::zero();
    for (operator, mut d) in positions {
        let op = OPERATORS.load(deps.storage, &operator)?;
        settle(&op, &mut d)?;
        total = total.checked_add(d.rewards_owed)?;
        d.rewards_owed = Uint128::zero();
        DELEGATIONS.save(deps.storage, (&info.sender, &operator), &d)?;
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
