use cosmwasm_std::{CosmosMsg, Deps, DepsMut, Env, MessageInfo, Response, StakingMsg, Uint128};
use tributary_math::allocate_to_deficits;

use crate::books::{Books, ValidatorBook};
use crate::execute::ensure_owner;
use crate::state::Validator;
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
    let mut books = Books::load(deps.as_ref(), &env, Uint128::zero())?;
    books.sync(env.block.time)?;
    match books.validator_index(&address) {
        Some(i) if books.validators[i].record.weight > 0 => {
            return Err(ContractError::ValidatorExists { address });
        }
        Some(i) => books.validators[i].record.weight = weight,
        None => books.validators.push(ValidatorBook {
            address: address.clone(),
            record: Validator {
                weight,
                booked: Uint128::zero(),
                unbonding_entries: vec![],
                redelegations_in: vec![],
            },
            actual: Uint128::zero(),
            accrued: Uint128::zero(),
        }),
    }
    books.save(deps.storage)?;
    Ok(Response::new()
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
    let mut books = Books::load(deps.as_ref(), &env, Uint128::zero())?;
    books.sync(env.block.time)?;
    let index = active_index(&books, &address)?;
    books.validators[index].record.weight = weight;
    books.save(deps.storage)?;
    Ok(Response::new()
        .add_attribute("action", "update_validator_weight")
        .add_attribute("validator", address)
        .add_attribute("weight", weight.to_string()))
}

/// Owner: removes a validator and redelegates all of its stake to the rest of the set now, to
/// the destinations the chain accepts. If the chain would refuse (stake was redelegated into it
/// within the unbonding period, or every destination pair is full), the move is deferred: the
/// validator's weight is zero at once, batches undelegate from it first, and the crank's
/// rebalancing moves the rest once the chain allows it. The `deferred` attribute says why.
pub fn execute_remove_validator(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    address: String,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    let mut books = Books::load(deps.as_ref(), &env, Uint128::zero())?;
    books.sync(env.block.time)?;
    let index = active_index(&books, &address)?;
    if books
        .validators
        .iter()
        .filter(|v| v.record.weight > 0)
        .count()
        <= 1
    {
        return Err(ContractError::LastValidator {});
    }
    let denom = books.config.denom.clone();
    let leaving = books.validators[index].record.booked;
    books.validators[index].record.weight = 0;

    // collect its rewards first (the chain would on redelegation); compounded at the next crank
    let mut msgs: Vec<CosmosMsg> = books.withdraw_before_staking(index)?.into_iter().collect();
    let mut deferred: Vec<String> = vec![];
    let mut redelegated = Uint128::zero();
    if !leaving.is_zero() {
        // destinations the chain accepts a redelegation to from this validator
        let mut weights = books.weights();
        for (to, weight) in weights.iter_mut().enumerate() {
            if *weight == 0 {
                continue;
            }
            if let Err(limit) = books.can_redelegate(index, to) {
                *weight = 0;
                let reason = limit.describe();
                if !deferred.contains(&reason) {
                    deferred.push(reason);
                }
            }
        }
        if weights.iter().any(|w| *w > 0) {
            let mut current = books.booked();
            current[index] = Uint128::zero();
            let split = allocate_to_deficits(&current, &weights, leaving)?;
            books.validators[index].record.booked = Uint128::zero();
            for (to, amount) in split.into_iter().enumerate() {
                if amount.is_zero() {
                    continue;
                }
                msgs.extend(books.withdraw_before_staking(to)?);
                let dst = &mut books.validators[to];
                dst.record.booked = dst.record.booked.checked_add(amount)?;
                let dst_validator = dst.address.clone();
                books.record_redelegation(index, to);
                redelegated = redelegated.checked_add(amount)?;
                msgs.push(
                    StakingMsg::Redelegate {
                        src_validator: address.clone(),
                        dst_validator,
                        amount: cosmwasm_std::coin(amount.u128(), &denom),
                    }
                    .into(),
                );
            }
        }
    }
    books.save(deps.storage)?;
    let mut response = Response::new()
        .add_messages(msgs)
        .add_attribute("action", "remove_validator")
        .add_attribute("validator", address)
        .add_attribute("redelegated", redelegated);
    if !deferred.is_empty() && redelegated.is_zero() {
        response = response.add_attribute("deferred", deferred.join(","));
    } else if !deferred.is_empty() {
        response = response.add_attribute("skipped_destinations", deferred.join(","));
    }
    Ok(response)
}

fn active_index(books: &Books, address: &str) -> Result<usize, ContractError> {
    books
        .validator_index(address)
        .filter(|i| books.validators[*i].record.weight > 0)
        .ok_or_else(|| ContractError::ValidatorNotFound {
            address: address.to_string(),
        })
}
