use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use tributary_types::registry::RegistryPauseFlags;

use crate::state::CONFIG;
use crate::ContractError;

/// Owner: sets the pause flags.
pub fn execute_set_pause(
    deps: DepsMut,
    info: MessageInfo,
    flags: RegistryPauseFlags,
) -> Result<Response, ContractError> {
    tributary_common::ensure_owner(deps.storage, &info.sender)?;
    CONFIG.update(deps.storage, |mut config| -> Result<_, ContractError> {
        config.paused = flags;
        Ok(config)
    })?;
    Ok(Response::new()
        .add_attribute("action", "set_pause")
        .add_attribute("delegate", flags.delegate.to_string())
        .add_attribute("undelegate", flags.undelegate.to_string())
        .add_attribute("rewards", flags.rewards.to_string()))
}

/// Two-step ownership transfer (cw-ownable): propose, accept, or renounce.
pub fn execute_update_ownership(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    action: cw_ownable::Action,
) -> Result<Response, ContractError> {
    Ok(tributary_common::update_ownership(
        deps, &env, &info, action,
    )?)
}
