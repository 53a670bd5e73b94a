use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use tributary_common::token::instantiate2_token;
use tributary_common::CommonError;
use tributary_core::hub::{Batch, State, Validator};
use tributary_core::Delayed;
use tributary_types::hub::{InstantiateMsg, PauseFlags, MAX_CONCURRENT_UNBONDINGS, MAX_FEE_BPS};

use crate::execute::validate_addr;
use crate::execute::validators::ensure_chain_validator;
use crate::state::{Config, BATCHES, CONFIG, STATE, VALIDATORS};
use crate::ContractError;

/// `instantiate2` salt of the LST token (one token per hub).
pub const LST_SALT: &[u8] = b"lst";

/// Validates the parameters, stores them and instantiates the LST token (with `instantiate2`,
/// so its address is stored now) with the hub as minter and admin.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.denom.is_empty() {
        return Err(ContractError::invalid_config("denom must not be empty"));
    }
    if msg.epoch_period == 0 || msg.unbonding_period == 0 || msg.batch_interval == 0 {
        return Err(ContractError::invalid_config(
            "epoch, unbonding and batch periods must be positive",
        ));
    }
    if msg.unbonding_period.div_ceil(msg.batch_interval) > MAX_CONCURRENT_UNBONDINGS {
        return Err(ContractError::invalid_config(
            "batch_interval too short: more than 7 batches would unbond at once",
        ));
    }
    if msg.fee_bps > MAX_FEE_BPS {
        return Err(CommonError::FeeTooHigh {
            fee_bps: msg.fee_bps,
            max_bps: MAX_FEE_BPS,
        }
        .into());
    }
    if msg.min_bond.is_zero() {
        return Err(ContractError::invalid_config("min_bond must be at least 1"));
    }
    tributary_common::ensure_plausible("min_bond", msg.min_bond)?;
    if msg.validators.is_empty() {
        return Err(ContractError::invalid_config(
            "at least one validator is required",
        ));
    }
    for validator in &msg.validators {
        if validator.weight == 0 {
            return Err(ContractError::ZeroWeight {});
        }
        if VALIDATORS.has(deps.storage, &validator.address) {
            return Err(ContractError::ValidatorExists {
                address: validator.address.clone(),
            });
        }
        ensure_chain_validator(deps.as_ref(), &validator.address)?;
        VALIDATORS.save(
            deps.storage,
            &validator.address,
            &Validator::new(validator.weight),
        )?;
    }
    let rails = msg.rails.unwrap_or_default();
    crate::execute::admin::validate_rails(&rails)?;
    let guardian = msg
        .guardian
        .as_deref()
        .map(|guardian| validate_addr(deps.api, guardian))
        .transpose()?;
    let owner_addr = validate_addr(deps.api, &msg.owner)?;
    let fee_addr = validate_addr(deps.api, &msg.fee_addr)?;
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner_addr.as_str()))?;
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;

    // the hub administers its own LST: the protocol owner cannot migrate the token to mint
    let token = instantiate2_token(
        deps.as_ref(),
        &env,
        msg.lst.code_id,
        LST_SALT,
        tributary_types::token::instantiate_msg(&msg.lst, env.contract.address.as_str())?,
        format!("{} liquid staking token", msg.lst.symbol),
    )?;
    CONFIG.save(
        deps.storage,
        &Config {
            denom: msg.denom,
            lst_token: token.addr.clone(),
            genesis: env.block.time,
            epoch_period: msg.epoch_period,
            unbonding_period: msg.unbonding_period,
            batch_interval: msg.batch_interval,
            fee: Delayed::new(msg.fee_bps),
            fee_addr,
            fee_change_delay: msg.fee_change_delay,
            min_bond: msg.min_bond,
            deposit_cap: msg.deposit_cap,
            max_rebalance_per_epoch: msg.max_rebalance_per_epoch,
            paused: PauseFlags::default(),
            instant_unstake_pool: None,
            guardian,
            rails,
            pause_cause: None,
        },
    )?;
    STATE.save(deps.storage, &State::genesis())?;
    BATCHES.save(deps.storage, 1, &Batch::pending())?;

    Ok(Response::new()
        .add_message(token.msg)
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner_addr)
        .add_attribute("lst_token", token.addr))
}
