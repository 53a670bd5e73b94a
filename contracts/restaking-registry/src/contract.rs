//! Entry points. They only dispatch; each action lives in `execute/`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use tributary_types::registry::{
    ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, RegistryPauseFlags, FULL_BPS,
    MAX_WITHDRAWAL_EPOCHS,
};

use tributary_common::CommonError;

use crate::execute::operators::ensure_commission;
use crate::execute::{admin, delegation, operators, services, slashing, validate_addr};
use crate::state::{Config, CONFIG};
use crate::{query, ContractError};

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let invalid = |reason: &str| ContractError::from(CommonError::invalid_config(reason));
    if msg.epoch_period == 0 {
        return Err(invalid("epoch_period must be positive"));
    }
    if msg.reward_period == 0 {
        return Err(invalid("reward_period must be positive"));
    }
    if msg.withdrawal_delay > msg.epoch_period.saturating_mul(MAX_WITHDRAWAL_EPOCHS) {
        return Err(invalid(&format!(
            "withdrawal_delay may be at most {MAX_WITHDRAWAL_EPOCHS} epochs"
        )));
    }
    if msg.reward_denom.is_empty() {
        return Err(invalid("reward_denom must not be empty"));
    }
    ensure_commission(msg.max_commission_bps, FULL_BPS)?;
    let owner_addr = validate_addr(deps.api, &msg.owner)?;
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner_addr.as_str()))?;
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            lst_token: validate_addr(deps.api, &msg.lst_token)?,
            reward_denom: msg.reward_denom,
            epoch_period: msg.epoch_period,
            withdrawal_delay: msg.withdrawal_delay,
            opt_out_delay: msg.opt_out_delay,
            max_commission_bps: msg.max_commission_bps,
            commission_change_delay: msg.commission_change_delay,
            reward_period: msg.reward_period,
            paused: RegistryPauseFlags::default(),
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner_addr))
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
    use ExecuteMsg::*;
    match msg {
        RegisterOperator {
            name,
            commission_bps,
        } => operators::execute_register_operator(deps, env, info, name, commission_bps),
        QueueCommissionChange { commission_bps } => {
            operators::execute_queue_commission_change(deps, env, info, commission_bps)
        }
        RegisterService {
            name,
            reward_rate_bps,
            max_slash_bps_per_epoch,
            veto_window,
            resolver,
            slash_destination,
        } => services::execute_register_service(
            deps,
            info,
            services::ServiceTerms {
                name,
                reward_rate_bps,
                max_slash_bps_per_epoch,
                veto_window,
                resolver,
                slash_destination,
            },
        ),
        ApproveOperator { service, operator } => {
            services::execute_approve_operator(deps, info, service, operator)
        }
        RevokeOperator { service, operator } => {
            services::execute_revoke_operator(deps, env, info, service, operator)
        }
        OptIn { service } => operators::execute_opt_in(deps, env, info, service),
        OptOut { service } => operators::execute_opt_out(deps, env, info, service),
        SetAllocation { service, bps } => {
            operators::execute_set_allocation(deps, env, info, service, bps)
        }
        DepositRewards { service } => services::execute_deposit_rewards(deps, env, info, service),
        RequestSlash {
            service,
            operator,
            fraction_bps,
            reason,
        } => slashing::execute_request_slash(
            deps,
            env,
            info,
            service,
            operator,
            fraction_bps,
            reason,
        ),
        VetoSlash { request_id } => slashing::execute_veto_slash(deps, env, info, request_id),
        ExecuteSlash { request_id } => slashing::execute_execute_slash(deps, env, info, request_id),
        Receive(wrapper) => delegation::execute_receive(deps, env, info, wrapper),
        Undelegate { operator, amount } => {
            delegation::execute_undelegate(deps, env, info, operator, amount)
        }
        CompleteUndelegations {} => delegation::execute_complete_undelegations(deps, env, info),
        ClaimRewards {} => delegation::execute_claim_rewards(deps, env, info),
        ClaimCommission {} => operators::execute_claim_commission(deps, info),
        SetPause(flags) => admin::execute_set_pause(deps, info, flags),
        UpdateOwnership(action) => admin::execute_update_ownership(deps, env, info, action),
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
