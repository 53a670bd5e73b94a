use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use tributary_common::token::instantiate2_token;
use tributary_common::CommonError;
use tributary_core::Delayed;
use tributary_types::registry::FULL_BPS;
use tributary_types::vault::{InstantiateMsg, VaultPauseFlags, MAX_VAULT_FEE_BPS};

use crate::execute::validate_addr;
use crate::state::{Config, State, CONFIG, STATE};
use crate::ContractError;

/// The `instantiate2` salt of the LRT (the vault creates one token).
pub const LRT_SALT: &[u8] = b"lrt";

/// Validates parameters, reads the LST and denom from the hub, and creates the LRT with
/// `instantiate2`, so its address is stored from the start.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.fee_bps > MAX_VAULT_FEE_BPS {
        return Err(CommonError::FeeTooHigh {
            fee_bps: msg.fee_bps,
            max_bps: MAX_VAULT_FEE_BPS,
        }
        .into());
    }
    if msg.max_operator_bps > FULL_BPS || msg.max_service_exposure_bps > FULL_BPS {
        return Err(CommonError::invalid_config(
            "caps are shares of value and may not exceed 10000 bps",
        )
        .into());
    }
    let owner_addr = validate_addr(deps.api, &msg.owner)?;
    let hub_addr = validate_addr(deps.api, &msg.hub)?;
    let registry_addr = validate_addr(deps.api, &msg.registry)?;
    let fee_addr = validate_addr(deps.api, &msg.fee_addr)?;
    let guardian = msg
        .guardian
        .as_deref()
        .map(|guardian| validate_addr(deps.api, guardian))
        .transpose()?;
    let rails = msg.rails.unwrap_or_default();
    rails.validate().map_err(CommonError::invalid_config)?;
    let hub_config: tributary_types::hub::ConfigResponse = deps
        .querier
        .query_wasm_smart(&hub_addr, &tributary_types::hub::QueryMsg::Config {})?;
    let registry_config: tributary_types::registry::RegistryConfigResponse =
        deps.querier.query_wasm_smart(
            &registry_addr,
            &tributary_types::registry::QueryMsg::Config {},
        )?;
    if registry_config.lst_token != hub_config.lst_token.as_str() {
        return Err(CommonError::invalid_config(
            "the registry restakes a different token from the hub's LST",
        )
        .into());
    }
    // the token's wasm admin is this contract, not the owner: only a migration of this
    // contract (which the owner controls anyway) could ever migrate the token
    let lrt = instantiate2_token(
        deps.as_ref(),
        &env,
        msg.lrt.code_id,
        LRT_SALT,
        tributary_types::token::instantiate_msg(&msg.lrt, env.contract.address.as_str())?,
        format!("{} liquid restaking token", msg.lrt.symbol),
    )?;
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner_addr.as_str()))?;
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            hub: hub_addr,
            registry: registry_addr,
            lst_token: hub_config.lst_token,
            native_denom: hub_config.denom,
            lrt_token: lrt.addr.clone(),
            fee: Delayed::new(msg.fee_bps),
            fee_addr,
            fee_change_delay: msg.fee_change_delay,
            withdrawal_delay: msg.withdrawal_delay,
            deposit_cap: msg.deposit_cap,
            max_operator_bps: msg.max_operator_bps,
            max_service_exposure_bps: msg.max_service_exposure_bps,
            paused: VaultPauseFlags::default(),
            guardian,
            rails,
            pause_cause: None,
        },
    )?;
    STATE.save(
        deps.storage,
        &State {
            next_to_finalize: 1,
            ..State::default()
        },
    )?;
    Ok(Response::new()
        .add_message(lrt.msg)
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner_addr)
        .add_attribute("lrt_token", lrt.addr))
}
