//! Entry points. They only dispatch; each action lives in `execute/`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use tributary_types::hub::{CallbackMsg, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

use crate::execute::{admin, bond, claim, crank, instantiate as init, unbond, validators};
use crate::{query, ContractError};

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    init::instantiate(deps, env, info, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    // coins attached to a message that takes none are refused, not kept
    if !msg.takes_funds() {
        tributary_common::ensure_no_funds(&info)?;
    }
    match msg {
        ExecuteMsg::Bond { min_out } => bond::execute_bond(deps, env, info, min_out),
        ExecuteMsg::Receive(wrapper) => unbond::execute_receive(deps, info, wrapper),
        ExecuteMsg::Claim {} => claim::execute_claim(deps, env, info),
        ExecuteMsg::Crank {} => crank::execute_crank(deps, env, info),
        ExecuteMsg::Callback(CallbackMsg::Reinvest {}) => crank::execute_reinvest(deps, env, info),
        ExecuteMsg::AddValidator { address, weight } => {
            validators::execute_add_validator(deps, env, info, address, weight)
        }
        ExecuteMsg::UpdateValidatorWeight { address, weight } => {
            validators::execute_update_weight(deps, env, info, address, weight)
        }
        ExecuteMsg::RemoveValidator { address } => {
            validators::execute_remove_validator(deps, env, info, address)
        }
        ExecuteMsg::QueueFeeChange { fee_bps } => {
            admin::execute_queue_fee_change(deps, env, info, fee_bps)
        }
        ExecuteMsg::UpdateConfig {
            fee_addr,
            min_bond,
            max_rebalance_per_epoch,
            guardian,
            rails,
        } => admin::execute_update_config(
            deps,
            info,
            admin::ConfigUpdate {
                fee_addr,
                min_bond,
                max_rebalance_per_epoch,
                guardian,
                rails,
            },
        ),
        ExecuteMsg::SetDepositCap { cap } => admin::execute_set_deposit_cap(deps, info, cap),
        ExecuteMsg::SetPause(flags) => admin::execute_set_pause(deps, info, flags),
        ExecuteMsg::GuardianPause {
            bond,
            instant_unstake,
        } => admin::execute_guardian_pause(deps, env, info, bond, instant_unstake),
        ExecuteMsg::SetInstantUnstakePool { pool } => {
            admin::execute_set_instant_unstake_pool(deps, info, pool)
        }
        ExecuteMsg::UpdateOwnership(action) => {
            admin::execute_update_ownership(deps, env, info, action)
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

/// Checks name and version (cw2), then brings stored state up to the current layout: fields
/// added since default to zero (see `state.rs`), and each validator's unbonding entries are
/// rebuilt from the batches still unbonding, so the chain's entry limit holds from the first
/// crank after the migration. Redelegations made before cannot be rebuilt: the hub learns them
/// from its own moves (wait one unbonding period after migrating before relying on removal of a
/// validator that just received a redelegation). A configuration stored before the fee became a
/// delayed value is rewritten in the current layout.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let response =
        tributary_common::migrate(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    let config_rewritten = crate::state::migrate_legacy_config(deps.storage)?;
    let rebuilt = crate::state::rebuild_unbonding_entries(deps.storage)?;
    Ok(response
        .add_attribute("config_rewritten", config_rewritten.to_string())
        .add_attribute("unbonding_entries_rebuilt", rebuilt.to_string()))
}
