use cosmwasm_std::{DepsMut, Env, MessageInfo, Reply, Response, SubMsg, Uint128, WasmMsg};
use tributary_types::hub::{InstantiateMsg, PauseFlags, MAX_CONCURRENT_UNBONDINGS, MAX_FEE_BPS};

use crate::execute::validators::ensure_chain_validator;
use crate::state::{Batch, Config, FeeCarry, State, Validator, BATCHES, CONFIG, STATE, VALIDATORS};
use crate::ContractError;

/// Reply id of the LST token instantiation.
pub const REPLY_INSTANTIATE_LST: u64 = 1;

fn invalid(reason: &str) -> ContractError {
    ContractError::InvalidConfig {
        reason: reason.to_string(),
    }
}

/// Validates the parameters, stores them and instantiates the LST token with the hub as minter.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.denom.is_empty() {
        return Err(invalid("denom must not be empty"));
    }
    if msg.epoch_period == 0 || msg.unbonding_period == 0 || msg.batch_interval == 0 {
        return Err(invalid(
            "epoch, unbonding and batch periods must be positive",
        ));
    }
    if msg.unbonding_period.div_ceil(msg.batch_interval) > MAX_CONCURRENT_UNBONDINGS {
        return Err(invalid(
            "batch_interval too short: more than 7 batches would unbond at once",
        ));
    }
    if msg.fee_bps > MAX_FEE_BPS {
        return Err(ContractError::FeeTooHigh {
            fee_bps: msg.fee_bps,
            max_bps: MAX_FEE_BPS,
        });
    }
    if msg.min_bond.is_zero() {
        return Err(invalid("min_bond must be at least 1"));
    }
    if msg.validators.is_empty() {
        return Err(invalid("at least one validator is required"));
    }
    for v in &msg.validators {
        if v.weight == 0 {
            return Err(ContractError::ZeroWeight {});
        }
        if VALIDATORS.has(deps.storage, &v.address) {
            return Err(ContractError::ValidatorExists {
                address: v.address.clone(),
            });
        }
        ensure_chain_validator(deps.as_ref(), &v.address)?;
        VALIDATORS.save(
            deps.storage,
            &v.address,
            &Validator {
                weight: v.weight,
                booked: Uint128::zero(),
                unbonding_entries: vec![],
                redelegations_in: vec![],
            },
        )?;
    }
    let owner = crate::execute::validate_addr(deps.api, &msg.owner)?;
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner.as_str()))?;
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            denom: msg.denom,
            lst_token: None,
            genesis: env.block.time,
            epoch_period: msg.epoch_period,
            unbonding_period: msg.unbonding_period,
            batch_interval: msg.batch_interval,
            fee_bps: msg.fee_bps,
            pending_fee: None,
            fee_addr: crate::execute::validate_addr(deps.api, &msg.fee_addr)?,
            fee_change_delay: msg.fee_change_delay,
            min_bond: msg.min_bond,
            deposit_cap: msg.deposit_cap,
            max_rebalance_per_epoch: msg.max_rebalance_per_epoch,
            paused: PauseFlags::default(),
            instant_unstake_pool: None,
        },
    )?;
    STATE.save(
        deps.storage,
        &State {
            epoch: 0,
            pending_batch_id: 1,
            pending_lst: Uint128::zero(),
            last_batch_submitted_at: None,
            unbonding_batches: vec![],
            unclaimed_reserve: Uint128::zero(),
            rewards_held: Uint128::zero(),
            fee_carry: FeeCarry::default(),
            observed_at: None,
            observed_rewards: Uint128::zero(),
        },
    )?;
    BATCHES.save(deps.storage, 1, &Batch::pending())?;

    // the hub administers its own LST: the protocol owner cannot migrate the token to mint
    let token_msg = WasmMsg::Instantiate {
        admin: Some(env.contract.address.to_string()),
        code_id: msg.lst.code_id,
        msg: tributary_types::token::instantiate_msg(&msg.lst, env.contract.address.as_str())?,
        funds: vec![],
        label: format!("{} liquid staking token", msg.lst.symbol),
    };
    Ok(Response::new()
        .add_submessage(SubMsg::reply_on_success(token_msg, REPLY_INSTANTIATE_LST))
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner))
}

/// Stores the LST token's address once it is instantiated.
pub fn reply(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let address = tributary_types::token::instantiated_token(deps.api, msg, REPLY_INSTANTIATE_LST)?;
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.lst_token = Some(address.clone());
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "lst_instantiated")
        .add_attribute("lst_token", address))
}
