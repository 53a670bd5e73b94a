use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use tributary_common::CommonError;
use tributary_types::hub::{GuardianUpdate, PauseCause, PauseFlags, Rails, MAX_FEE_BPS};

use crate::execute::{ensure_owner, validate_addr};
use crate::ledger::{load_ledger, save_ledger, sync_guarded};
use crate::state::CONFIG;
use crate::ContractError;

/// Owner: queues a fee change, effective after the configured delay.
pub fn execute_queue_fee_change(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    fee_bps: u16,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    if fee_bps > MAX_FEE_BPS {
        return Err(CommonError::FeeTooHigh {
            fee_bps,
            max_bps: MAX_FEE_BPS,
        }
        .into());
    }
    let mut config = CONFIG.load(deps.storage)?;
    if config.fee.upcoming(env.block.time).is_none() && config.fee.pending.is_some() {
        // the queued change has taken effect: apply it (and settle the rewards accrued under
        // the fee before it) rather than overwrite it
        let mut ledger = load_ledger(deps.as_ref(), &env, &config, Uint128::zero())?;
        sync_guarded(&mut config, &mut ledger)?;
        save_ledger(deps.storage, &mut config, &mut ledger)?;
    }
    let effective_at = config
        .fee
        .queue(fee_bps, env.block.time, config.fee_change_delay);
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "queue_fee_change")
        .add_attribute("fee_bps", fee_bps.to_string())
        .add_attribute("effective_at", effective_at.to_string()))
}

/// The rails' bounds: `max_apr_bps` and `bunker_epochs` at least 1, `max_drop_bps` and
/// `depeg_pause_bps` in 1..=10,000.
pub fn validate_rails(rails: &Rails) -> Result<(), ContractError> {
    if rails.max_apr_bps == 0 {
        return Err(ContractError::invalid_config(
            "max_apr_bps must be at least 1",
        ));
    }
    if !(1..=10_000).contains(&rails.max_drop_bps) {
        return Err(ContractError::invalid_config(
            "max_drop_bps must be between 1 and 10000",
        ));
    }
    if !(1..=10_000).contains(&rails.depeg_pause_bps) {
        return Err(ContractError::invalid_config(
            "depeg_pause_bps must be between 1 and 10000",
        ));
    }
    if rails.bunker_epochs == 0 {
        return Err(ContractError::invalid_config(
            "bunker_epochs must be at least 1",
        ));
    }
    Ok(())
}

/// The changes [`execute_update_config`] accepts.
pub struct ConfigUpdate {
    pub fee_addr: Option<String>,
    pub min_bond: Option<Uint128>,
    pub max_rebalance_per_epoch: Option<Uint128>,
    pub guardian: Option<GuardianUpdate>,
    pub rails: Option<Rails>,
}

/// Owner: updates operational parameters, the guardian and the rails.
pub fn execute_update_config(
    deps: DepsMut,
    info: MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    let ConfigUpdate {
        fee_addr,
        min_bond,
        max_rebalance_per_epoch,
        guardian,
        rails,
    } = update;
    ensure_owner(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(addr) = fee_addr {
        config.fee_addr = validate_addr(deps.api, &addr)?;
    }
    if let Some(min) = min_bond {
        if min.is_zero() {
            return Err(ContractError::invalid_config("min_bond must be at least 1"));
        }
        tributary_common::ensure_plausible("min_bond", min)?;
        config.min_bond = min;
    }
    if let Some(max) = max_rebalance_per_epoch {
        config.max_rebalance_per_epoch = max;
    }
    match guardian {
        Some(GuardianUpdate::Set { address }) => {
            config.guardian = Some(validate_addr(deps.api, &address)?);
        }
        Some(GuardianUpdate::Remove {}) => config.guardian = None,
        None => {}
    }
    if let Some(rails) = rails {
        validate_rails(&rails)?;
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
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.deposit_cap = cap;
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "set_deposit_cap")
        .add_attribute("cap", cap.map(|c| c.to_string()).unwrap_or("none".into())))
}

/// Owner: sets the pause flags (the only way to unpause) and clears the recorded pause cause.
pub fn execute_set_pause(
    deps: DepsMut,
    info: MessageInfo,
    flags: PauseFlags,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.paused = flags;
        c.pause_cause = None;
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "set_pause")
        .add_attribute("bond", flags.bond.to_string())
        .add_attribute("unbond", flags.unbond.to_string())
        .add_attribute("claim", flags.claim.to_string())
        .add_attribute("crank", flags.crank.to_string())
        .add_attribute("instant_unstake", flags.instant_unstake.to_string()))
}

/// Guardian: pauses bonds and/or instant unstaking. Only ever sets flags to `true`; never
/// touches unbonding, claims, the crank, funds, fees or configuration.
pub fn execute_guardian_pause(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    bond: bool,
    instant_unstake: bool,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    if config.guardian.as_ref() != Some(&info.sender) {
        return Err(ContractError::NotGuardian {});
    }
    if !bond && !instant_unstake {
        return Err(ContractError::NothingToPause {});
    }
    config.paused.bond |= bond;
    config.paused.instant_unstake |= instant_unstake;
    config.pause_cause = Some(PauseCause {
        reason: "guardian".to_string(),
        at: env.block.time,
    });
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "guardian_pause")
        .add_attribute("guardian", info.sender)
        .add_attribute("bond", config.paused.bond.to_string())
        .add_attribute("instant_unstake", config.paused.instant_unstake.to_string()))
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

/// Owner: sets or clears the instant-unstake pool.
pub fn execute_set_instant_unstake_pool(
    deps: DepsMut,
    info: MessageInfo,
    pool: Option<String>,
) -> Result<Response, ContractError> {
    ensure_owner(deps.storage, &info.sender)?;
    let pool_addr = pool
        .map(|pool| validate_addr(deps.api, &pool))
        .transpose()?;
    CONFIG.update(deps.storage, |mut config| -> Result<_, ContractError> {
        config.instant_unstake_pool = pool_addr.clone();
        Ok(config)
    })?;
    Ok(Response::new()
        .add_attribute("action", "set_instant_unstake_pool")
        .add_attribute(
            "pool",
            pool_addr
                .map(|addr| addr.to_string())
                .unwrap_or_else(|| "none".to_string()),
        ))
}
