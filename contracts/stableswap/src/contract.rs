//! Entry points. They only dispatch; each action lives in `execute/`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use tributary_types::stableswap::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

use crate::execute::{admin, instantiate as init, liquidity, receive, swap};
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
        ExecuteMsg::ProvideLiquidity { amounts, min_lp } => {
            let depositor = info.sender.clone();
            liquidity::execute_provide(deps, env, &info, depositor, amounts, min_lp, [false; 2])
        }
        ExecuteMsg::Swap { min_out, to } => swap::execute_swap_native(deps, env, info, min_out, to),
        ExecuteMsg::Receive(wrapper) => receive::execute_receive(deps, env, info, wrapper),
        ExecuteMsg::RampA {
            future_a,
            future_time,
        } => admin::execute_ramp_a(deps, env, info, future_a, future_time),
        ExecuteMsg::StopRampA {} => admin::execute_stop_ramp_a(deps, env, info),
        ExecuteMsg::SetFees { fee, admin_fee } => {
            admin::execute_set_fees(deps, info, fee, admin_fee)
        }
        ExecuteMsg::CollectAdminFees {} => admin::execute_collect_admin_fees(deps),
        ExecuteMsg::SetPause(flags) => admin::execute_set_pause(deps, info, flags),
        ExecuteMsg::UpdateOwnership(action) => {
            admin::execute_update_ownership(deps, env, info, action)
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    Ok(tributary_common::migrate(
        deps.storage,
        crate::CONTRACT_NAME,
        crate::CONTRACT_VERSION,
    )?)
}
