use cosmwasm_std::{DepsMut, Env, MessageInfo, Reply, Response, SubMsg, WasmMsg};
use tributary_types::registry::FULL_BPS;
use tributary_types::vault::{InstantiateMsg, VaultPauseFlags, MAX_VAULT_FEE_BPS};

use crate::execute::validate_addr;
use crate::state::{Config, State, CONFIG, STATE};
use crate::ContractError;

/// Reply id of the LRT token instantiation.
pub const REPLY_INSTANTIATE_LRT: u64 = 1;

/// Validates parameters, reads the LST and denom from the hub, and creates the LRT.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.fee_bps > MAX_VAULT_FEE_BPS {
        return Err(ContractError::FeeTooHigh {
            fee_bps: msg.fee_bps,
            max_bps: MAX_VAULT_FEE_BPS,
        });
    }
    if msg.max_operator_bps > FULL_BPS || msg.max_service_exposure_bps > FULL_BPS {
        return Err(ContractError::InvalidConfig {
            reason: "caps are shares of value and may not exceed 10000 bps".to_string(),
        });
    }
    let owner = validate_addr(deps.api, &msg.owner)?;
    let hub = validate_addr(deps.api, &msg.hub)?;
    let registry = validate_addr(deps.api, &msg.registry)?;
    let hub_config: tributary_types::hub::ConfigResponse = deps
        .querier
        .query_wasm_smart(&hub, &tributary_types::hub::QueryMsg::Config {})?;
    let registry_config: tributary_types::registry::RegistryConfigResponse = deps
        .querier
        .query_wasm_smart(&registry, &tributary_types::registry::QueryMsg::Config {})?;
    if registry_config.lst_token != hub_config.lst_token.as_str() {
        return Err(ContractError::InvalidConfig {
            reason: "the registry restakes a different token from the hub's LST".to_string(),
        });
    }
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner.as_str()))?;
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            hub,
            registry,
            lst_token: validate_addr(deps.api, hub_config.lst_token.as_str())?,
            native_denom: hub_config.denom,
            lrt_token: None,
            fee_bps: msg.fee_bps,
            pending_fee: None,
            fee_addr: validate_addr(deps.api, &msg.fee_addr)?,
            fee_change_delay: msg.fee_change_delay,
            withdrawal_delay: msg.withdrawal_delay,
            deposit_cap: msg.deposit_cap,
            max_operator_bps: msg.max_operator_bps,
            max_service_exposure_bps: msg.max_service_exposure_bps,
            paused: VaultPauseFlags::default(),
        },
    )?;
    STATE.save(
        deps.storage,
        &State {
            next_to_finalize: 1,
            ..State::default()
        },
    )?;
    let token_msg = WasmMsg::Instantiate {
        // the token's wasm admin is this contract, not the owner: only a migration of this
        // contract (which the owner controls anyway) could ever migrate the token
        admin: Some(env.contract.address.to_string()),
        code_id: msg.lrt.code_id,
        msg: tributary_types::token::instantiate_msg(&msg.lrt, env.contract.address.as_str())?,
        funds: vec![],
        label: format!("{} liquid restaking token", msg.lrt.symbol),
    };
    Ok(Response::new()
        .add_submessage(SubMsg::reply_on_success(token_msg, REPLY_INSTANTIATE_LRT))
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner))
}

/// Stores the LRT token's address once it is instantiated.
pub fn reply(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let address = tributary_types::token::instantiated_token(deps.api, msg, REPLY_INSTANTIATE_LRT)?;
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.lrt_token = Some(address.clone());
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "lrt_instantiated")
        .add_attribute("lrt_token", address))
}
