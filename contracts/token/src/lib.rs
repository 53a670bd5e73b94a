//! The code of Tributary's tokens — the LST, the LRT and the pool's LP shares — is cw20-base
//! (cw-plus), unchanged. This crate only gives it entry points of its own, so that it is built
//! to its own artifact (`tributary_token.wasm`) with the protocol's toolchain and flags and runs
//! in the wasm engine like every other contract. Its messages are cw20's (`cw20` crate).

use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use cw20::Cw20ExecuteMsg;
use cw20_base::msg::{InstantiateMsg, QueryMsg};
use cw20_base::ContractError;

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;

/// cw20-base's instantiate.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw20_base::contract::instantiate(deps, env, info, msg)
}

/// cw20-base's execute.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: Cw20ExecuteMsg,
) -> Result<Response, ContractError> {
    cw20_base::contract::execute(deps, env, info, msg)
}

/// cw20-base's query.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> cosmwasm_std::StdResult<Binary> {
    cw20_base::contract::query(deps, env, msg)
}
