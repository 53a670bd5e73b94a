//! Entry points. They only dispatch; each action lives in `execute/`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{from_json, Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response};
use tributary_common::CommonError;
use tributary_math::SharePool;
use tributary_types::vault::{
    CallbackMsg, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg,
};

use crate::execute::{admin, crank, deposit, instantiate as init, steps, validate_addr, withdraw};
use crate::state::CONFIG;
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
        ExecuteMsg::Deposit { min_out } => {
            deposit::execute_deposit_native(deps, env, info, min_out)
        }
        ExecuteMsg::Receive(wrapper) => {
            let config = CONFIG.load(deps.storage)?;
            let user_addr = validate_addr(deps.api, &wrapper.sender)?;
            let hook: ReceiveMsg = from_json(&wrapper.msg)?;
            match hook {
                ReceiveMsg::Deposit { min_out } if info.sender == config.lst_token => {
                    deposit::execute_deposit_lst(deps, env, user_addr, wrapper.amount, min_out)
                }
                ReceiveMsg::RequestWithdrawal {} if info.sender == config.lrt_token => {
                    withdraw::execute_request_withdrawal(deps, env, user_addr, wrapper.amount)
                }
                ReceiveMsg::Deposit { .. } => Err(CommonError::WrongToken {
                    expected: format!("{} (the LST, to deposit)", config.lst_token),
                    got: info.sender.to_string(),
                }
                .into()),
                ReceiveMsg::RequestWithdrawal {} => Err(CommonError::WrongToken {
                    expected: format!("{} (the LRT, to request a withdrawal)", config.lrt_token),
                    got: info.sender.to_string(),
                }
                .into()),
            }
        }
        ExecuteMsg::ClaimWithdrawals { unbond } => {
            withdraw::execute_claim_withdrawals(deps, info, unbond)
        }
        ExecuteMsg::Crank {} => crank::execute_crank(deps, env, info),
        ExecuteMsg::Callback(msg) => {
            if info.sender != env.contract.address {
                return Err(ContractError::CallbackOnly {});
            }
            match msg {
                CallbackMsg::AfterBond {
                    user,
                    min_out,
                    lst_before,
                } => deposit::execute_after_bond(deps, env, user, min_out, lst_before),
                CallbackMsg::AfterHarvest {
                    bond_native,
                    bond_lst,
                } => crank::execute_after_harvest(deps, env, SharePool::new(bond_native, bond_lst)),
                CallbackMsg::AfterRewardBond { lst_before } => {
                    crank::execute_after_reward_bond(deps, env, lst_before)
                }
            }
        }
        ExecuteMsg::SetOperatorTargets { targets } => {
            admin::execute_set_operator_targets(deps, info, targets)
        }
        ExecuteMsg::SetStrategy {
            contract,
            target_bps,
        } => admin::execute_set_strategy(deps, info, contract, target_bps),
        ExecuteMsg::QueueFeeChange { fee_bps } => {
            admin::execute_queue_fee_change(deps, env, info, fee_bps)
        }
        ExecuteMsg::UpdateConfig {
            fee_addr,
            withdrawal_delay,
            max_operator_bps,
            max_service_exposure_bps,
            guardian,
            rails,
        } => admin::execute_update_config(
            deps,
            info,
            admin::ConfigUpdate {
                fee_addr,
                withdrawal_delay,
                max_operator_bps,
                max_service_exposure_bps,
                guardian,
                rails,
            },
        ),
        ExecuteMsg::SetDepositCap { cap } => admin::execute_set_deposit_cap(deps, info, cap),
        ExecuteMsg::SetPause(flags) => admin::execute_set_pause(deps, info, flags),
        ExecuteMsg::GuardianPause {} => admin::execute_guardian_pause(deps, env, info),
        ExecuteMsg::UpdateOwnership(action) => {
            admin::execute_update_ownership(deps, env, info, action)
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    match steps::Step::from_id(msg.id) {
        Some(step) => steps::reply(deps, env, step, msg),
        None => Err(ContractError::UnknownReply { id: msg.id }),
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
