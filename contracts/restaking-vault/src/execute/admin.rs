use cosmwasm_std::{DepsMut, Env, MessageInfo, Order, Response, Uint128};
use tributary_common::{ensure_owner, CommonError};
use tributary_types::registry::{QueryMsg as RegistryQuery, FULL_BPS};
use tributary_types::vault::{
    GuardianUpdate, OperatorTarget, PauseCause, VaultPauseFlags, VaultRails, MAX_VAULT_FEE_BPS,
};

use crate::execute::validate_addr;
use crate::state::{CONFIG, OPERATOR_TARGETS, STRATEGIES};
use crate::ContractError;

/// Owner: replaces the operator target weights. Operators no longer listed are drained by
/// withdrawals first (weight 0).
pub fn execute_set_operator_targets(
    deps: DepsMut,
    info: MessageInfo,
    targets: Vec<OperatorTarget>,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    // the registry holds at most this many positions per delegator: more targets would make
    // the crank's delegations fail
    let max = tributary_types::registry::MAX_OPERATORS_PER_DELEGATOR as usize;
    if targets.len() > max {
        return Err(CommonError::invalid_config(format!(
            "{} operator targets: the registry allows at most {max} positions per delegator",
            targets.len()
        ))
        .into());
    }
    let registry_addr = CONFIG.load(deps.storage)?.registry;
    let mut validated = vec![];
    for target in &targets {
        let operator_addr = validate_addr(deps.api, &target.operator)?;
        let known: Result<tributary_types::registry::OperatorResponse, _> =
            deps.querier.query_wasm_smart(
                &registry_addr,
                &RegistryQuery::Operator {
                    operator: operator_addr.to_string(),
                },
            );
        if known.is_err() {
            return Err(ContractError::UnknownOperator {
                operator: target.operator.clone(),
            });
        }
        validated.push((operator_addr, target.weight));
    }
    let old: Vec<_> = OPERATOR_TARGETS
        .keys(deps.storage, None, None, Order::Ascending)
        .collect::<Result<_, _>>()?;
    for operator_addr in old {
        OPERATOR_TARGETS.remove(deps.storage, &operator_addr);
    }
    for (operator_addr, weight) in &validated {
        OPERATOR_TARGETS.save(deps.storage, operator_addr, weight)?;
    }
    Ok(Response::new()
        .add_attribute("action", "set_operator_targets")
        .add_attribute("operators", validated.len().to_string()))
}

/// Owner: adds, updates or retires (target 0) a strategy.
pub fn execute_set_strategy(
    deps: DepsMut,
    info: MessageInfo,
    contract: String,
    target_bps: u16,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    let strategy_addr = validate_addr(deps.api, &contract)?;
    let mut others: u32 = 0;
    for item in STRATEGIES.range(deps.storage, None, None, Order::Ascending) {
        let (other_addr, bps) = item?;
        if other_addr != strategy_addr {
            others += u32::from(bps);
        }
    }
    let total_bps = others + u32::from(target_bps);
    if total_bps > u32::from(FULL_BPS) {
        return Err(ContractError::StrategiesOverAllocated { total_bps });
    }
    STRATEGIES.save(deps.storage, &strategy_addr, &target_bps)?;
    Ok(Response::new()
        .add_attribute("action", "set_strategy")
        .add_attribute("strategy", strategy_addr)
        .add_attribute("target_bps", target_bps.to_string()))
}

/// Owner: queues a fee change.
pub fn execute_queue_fee_change(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    fee_bps: u16,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    if fee_bps > MAX_VAULT_FEE_BPS {
        return Err(CommonError::FeeTooHigh {
            fee_bps,
            max_bps: MAX_VAULT_FEE_BPS,
        }
        .into());
    }
    let mut config = CONFIG.load(deps.storage)?;
    config.fee.apply_due(env.block.time);
    let at = config
        .fee
        .queue(fee_bps, env.block.time, config.fee_change_delay);
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "queue_fee_change")
        .add_attribute("fee_bps", fee_bps.to_string())
        .add_attribute("effective_at", at.to_string()))
}

/// The changes [`execute_update_config`] accepts (`None` keeps the value).
pub struct ConfigUpdate {
    /// New fee recipient.
    pub fee_addr: Option<String>,
    /// New withdrawal delay, seconds.
    pub withdrawal_delay: Option<u64>,
    /// New per-operator cap, bps.
    pub max_operator_bps: Option<u16>,
    /// New per-service exposure cap, bps.
    pub max_service_exposure_bps: Option<u16>,
    /// Set or remove the guardian.
    pub guardian: Option<GuardianUpdate>,
    /// New rails.
    pub rails: Option<VaultRails>,
}

/// Owner: changes parameters, the guardian and the rails.
pub fn execute_update_config(
    deps: DepsMut,
    info: MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    let ConfigUpdate {
        fee_addr,
        withdrawal_delay,
        max_operator_bps,
        max_service_exposure_bps,
        guardian,
        rails,
    } = update;
    ensure_owner(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(fee_addr) = fee_addr {
        config.fee_addr = validate_addr(deps.api, &fee_addr)?;
    }
    if let Some(delay) = withdrawal_delay {
        config.withdrawal_delay = delay;
    }
    for bps in [max_operator_bps, max_service_exposure_bps]
        .into_iter()
        .flatten()
    {
        if bps > FULL_BPS {
            return Err(
                CommonError::invalid_config(format!("a cap of {bps} bps is above 100 %")).into(),
            );
        }
    }
    if let Some(bps) = max_operator_bps {
        config.max_operator_bps = bps;
    }
    if let Some(bps) = max_service_exposure_bps {
        config.max_service_exposure_bps = bps;
    }
    match guardian {
        Some(GuardianUpdate::Set { address }) => {
            config.guardian = Some(validate_addr(deps.api, &address)?);
        }
        Some(GuardianUpdate::Remove {}) => config.guardian = None,
        None => {}
    }
    if let Some(rails) = rails {
        rails.validate().map_err(CommonError::invalid_config)?;
        config.rails = rails;
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attribute("action", "update_config"))
}

/// Owner: sets or removes the deposit cap.
pub fn execute_set_deposit_cap(
    deps: DepsMut,
    info: MessageInfo,
    cap: Option<Uint128>,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    CONFIG.update(deps.storage, |mut config| -> Result<_, ContractError> {
        config.deposit_cap = cap;
        Ok(config)
    })?;
    Ok(Response::new().add_attribute("action", "set_deposit_cap"))
}

/// Owner: sets the pause flags (the only way to unpause) and clears the recorded pause cause.
pub fn execute_set_pause(
    deps: DepsMut,
    info: MessageInfo,
    flags: VaultPauseFlags,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    CONFIG.update(deps.storage, |mut config| -> Result<_, ContractError> {
        config.paused = flags;
        config.pause_cause = None;
        Ok(config)
    })?;
    Ok(Response::new()
        .add_attribute("action", "set_pause")
        .add_attribute("deposit", flags.deposit.to_string())
        .add_attribute("withdraw", flags.withdraw.to_string())
        .add_attribute("claim", flags.claim.to_string())
        .add_attribute("crank", flags.crank.to_string()))
}

/// Guardian: pauses deposits. Never unpauses, never touches withdrawals, claims, the crank,
/// funds, fees or configuration.
pub fn execute_guardian_pause(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    if config.guardian.as_ref() != Some(&info.sender) {
        return Err(ContractError::NotGuardian {});
    }
    config.paused.deposit = true;
    config.pause_cause = Some(PauseCause {
        reason: "guardian".to_string(),
        at: env.block.time,
    });
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "guardian_pause")
        .add_attribute("guardian", info.sender)
        .add_attribute("deposit", "true"))
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
