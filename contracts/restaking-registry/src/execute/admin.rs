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
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.paused = flags;
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "set_pause")
        .add_attribute("delegate", flags.delegate.to_string())
        .add_attribute("undelegate", flags.undelegate.to_string())
        .add_attribute("rewards", flags.rewards.to_string()))
}

/// Two-step ownership transfer (cw-ownable).
pub fn execute_update_ownership(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    action: cw_ownable::Action,
) -> Result<Response, ContractError> {
    let ownership = cw_ownable::update_ownership(deps, &env.block, &info.sender, action)?;
    Ok(Response::new()
        .add_attribute("action", "update_ownership")
        .add_attributes(ownership.into_attributes()))
}
