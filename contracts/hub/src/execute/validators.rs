use cosmwasm_std::{Deps, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::execute::ensure_owner;
use crate::ledger::{load_ledger, save_ledger, staking_msgs, sync_guarded};
use crate::state::CONFIG;
use crate::ContractError;

/// Fails unless `address` is a validator on the chain.
pub(crate) fn ensure_chain_validator(deps: Deps, address: &str) -> Result<(), ContractError> {
    match deps.querier.query_validator(address) {
        Ok(Some(_)) => Ok(()),
        _ => Err(ContractError::NotAValidator {
            address: address.to_string(),
        }),
    }
}

/// Owner: adds a validator (or re-activates a removed one that is still draining).
pub fn execute_add_validator(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    address: String,
    weight: u64,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    if weight == 0 {
        return Err(ContractError::ZeroWeight {});
    }
    ensure_chain_validator(deps.as_ref(), &address)?;
    let mut config = CONFIG.load(deps.storage)?;
    let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
    let (_, events) = sync_guarded(&mut config, &mut ledger)?;
    ledger.add_validator(&address, weight)?;
    save_ledger(deps.storage, &mut config, &mut ledger)?;
    Ok(Response::new()
        .add_events(events)
        .add_attribute("action", "add_validator")
        .add_attribute("validator", address)
        .add_attribute("weight", weight.to_string()))
}

/// Owner: changes a validator's target weight. Stake follows through bounded rebalancing.
pub fn execute_update_weight(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    address: String,
    weight: u64,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    if weight == 0 {
        return Err(ContractError::ZeroWeight {});
    }
    let mut config = CONFIG.load(deps.storage)?;
    let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
    let (_, events) = sync_guarded(&mut config, &mut ledger)?;
    ledger.set_weight(&address, weight)?;
    save_ledger(deps.storage, &mut config, &mut ledger)?;
    Ok(Response::new()
        .add_events(events)
        .add_attribute("action", "update_validator_weight")
        .add_attribute("validator", address)
        .add_attribute("weight", weight.to_string()))
}

/// Owner: removes a validator and redelegates all of its stake to the rest of the set now, to
/// the destinations the chain accepts (see [`tributary_core::hub::Ledger::remove_validator`]).
/// If the chain would refuse every destination, the move is deferred to the crank's
/// rebalancing; the `deferred` attribute says why (`skipped_destinations` if only some were
/// refused).
pub fn execute_remove_validator(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    address: String,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
    let (_, events) = sync_guarded(&mut config, &mut ledger)?;
    let plan = ledger.remove_validator(&address)?;
    save_ledger(deps.storage, &mut config, &mut ledger)?;
    let mut response = Response::new()
        .add_events(events)
        .add_messages(staking_msgs(plan.actions, &config.denom))
        .add_attribute("action", "remove_validator")
        .add_attribute("validator", address)
        .add_attribute("redelegated", plan.redelegated);
    if !plan.refused.is_empty() && plan.redelegated.is_zero() {
        response = response.add_attribute("deferred", plan.refused.join(","));
    } else if !plan.refused.is_empty() {
        response = response.add_attribute("skipped_destinations", plan.refused.join(","));
    }
    Ok(response)
}
