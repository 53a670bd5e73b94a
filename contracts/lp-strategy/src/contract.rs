//! Entry points. They only dispatch: actions live in `execute`, queries in `query`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult};
use tributary_types::strategy::{LpStrategyExecuteMsg, LpStrategyInstantiateMsg, StrategyQueryMsg};

use crate::{execute, query as queries, ContractError};

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: LpStrategyInstantiateMsg,
) -> Result<Response, ContractError> {
    execute::instantiate(deps, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: LpStrategyExecuteMsg,
) -> Result<Response, ContractError> {
    // the strategy takes no native funds: coins sent by mistake are refused, not kept
    tributary_common::ensure_no_funds(&info)?;
    match msg {
        LpStrategyExecuteMsg::Receive(wrapper) => execute::execute_deposit(deps, info, wrapper),
        LpStrategyExecuteMsg::Withdraw { amount } => {
            execute::execute_withdraw(deps, env, info, amount)
        }
        LpStrategyExecuteMsg::ForwardToVault {} => {
            execute::execute_forward_to_vault(deps, env, info)
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: StrategyQueryMsg) -> StdResult<Binary> {
    queries::query(deps, env, msg)
}
