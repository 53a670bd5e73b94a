//! Loading the hub's [`Ledger`] from storage and the chain, saving it back, and turning the
//! plans of [`tributary_core::hub`] into messages. The accounting itself (sync with the chain,
//! slashing, batch pricing and maturity, fee carry, chain entry limits) lives in core.

use cosmwasm_std::{
    coin, CosmosMsg, Deps, DistributionMsg, Env, Event, Order, StakingMsg, Storage, Timestamp,
    Uint128,
};
use tributary_core::hub::{
    InFlightBatch, Ledger, LedgerParams, RailsReport, StakingAction, SyncReport, Validator,
    ValidatorPosition,
};
use tributary_types::hub::PauseCause;

use crate::state::{load_state, save_state, Config, BATCHES, CONFIG, VALIDATORS};
use crate::ContractError;

/// The ledger's parameters, from the configuration.
pub fn ledger_params(config: &Config) -> LedgerParams {
    LedgerParams {
        genesis: config.genesis,
        epoch_period: config.epoch_period,
        unbonding_period: config.unbonding_period,
        batch_interval: config.batch_interval,
        max_rebalance_per_epoch: config.max_rebalance_per_epoch,
    }
}

/// Loads the ledger: stored state, validators and in-flight batches, and from the chain each
/// delegation with its accrued rewards, the hub's balance and the LST supply. `incoming` is
/// native attached to the current message, which is not yet the hub's to count. Not synced.
pub fn load_ledger(
    deps: Deps,
    env: &Env,
    config: &Config,
    incoming: Uint128,
) -> Result<Ledger, ContractError> {
    let state = load_state(deps.storage)?;
    let hub = &env.contract.address;
    let validators = VALIDATORS
        .range(deps.storage, None, None, Order::Ascending)
        .map(|item| {
            let (address, record) = item?;
            load_position(deps, env, config, address, record)
        })
        .collect::<Result<Vec<_>, ContractError>>()?;
    let stored = validators
        .iter()
        .map(|v| (v.address.clone(), v.record.clone()))
        .collect();
    let batches = state
        .unbonding_batches
        .iter()
        .map(|id| {
            Ok(InFlightBatch {
                id: *id,
                batch: BATCHES.load(deps.storage, *id)?,
            })
        })
        .collect::<Result<Vec<_>, ContractError>>()?;
    let balance = deps
        .querier
        .query_balance(hub, &config.denom)?
        .amount
        .checked_sub(incoming)?;
    Ok(Ledger {
        params: ledger_params(config),
        fee: config.fee.clone(),
        state,
        validators,
        batches,
        balance,
        lst_supply: lst_supply(deps, config)?,
        pruned: vec![],
        stored,
        now: env.block.time,
    })
}

/// One validator as the ledger sees it: its stored record and, from the chain, the hub's
/// delegation to it and the rewards accrued on it (staking denom).
pub fn load_position(
    deps: Deps,
    env: &Env,
    config: &Config,
    address: String,
    record: Validator,
) -> Result<ValidatorPosition, ContractError> {
    let delegation = deps
        .querier
        .query_delegation(&env.contract.address, &address)?;
    let (actual, accrued) = match delegation {
        Some(d) => (
            d.amount.amount,
            d.accumulated_rewards
                .iter()
                .filter(|c| c.denom == config.denom)
                .map(|c| c.amount)
                .sum(),
        ),
        None => (Uint128::zero(), Uint128::zero()),
    };
    Ok(ValidatorPosition {
        address,
        record,
        actual,
        accrued,
    })
}

/// The LST token's supply.
pub fn lst_supply(deps: Deps, config: &Config) -> Result<Uint128, ContractError> {
    let token: cw20::TokenInfoResponse = deps
        .querier
        .query_wasm_smart(&config.lst_token, &cw20::Cw20QueryMsg::TokenInfo {})?;
    Ok(token.total_supply)
}

/// Loads the configuration and the ledger, and syncs the ledger with the chain (rails
/// applied, see [`sync_guarded`]).
pub fn load_synced(
    deps: Deps,
    env: &Env,
    incoming: Uint128,
) -> Result<(Config, Ledger, SyncReport), ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    let mut ledger = load_ledger(deps, env, &config, incoming)?;
    let (report, _) = sync_guarded(&mut config, &mut ledger)?;
    Ok((config, ledger, report))
}

/// Syncs the ledger with the chain and applies the rails (APR ceiling, drop detection, bunker
/// mode): a fall of the rate beyond `max_drop_bps` pauses bonds and instant unstaking in
/// `config` (saved with the ledger). Returns the sync's report and the events to emit.
pub fn sync_guarded(
    config: &mut Config,
    ledger: &mut Ledger,
) -> Result<(SyncReport, Vec<Event>), ContractError> {
    let report = ledger.sync()?;
    let rails = ledger.apply_rails(&config.rails, &report)?;
    let events = rails_events(config, &rails, ledger.now);
    Ok((report, events))
}

/// The events of what the rails did, pausing bonds and instant unstaking on a fall of the rate.
pub fn rails_events(config: &mut Config, rails: &RailsReport, now: Timestamp) -> Vec<Event> {
    let mut events = vec![];
    if rails.rate_drop {
        events.push(
            auto_pause(config, "rate_drop", now)
                .add_attribute("drop_bps", rails.drop_bps.to_string()),
        );
    }
    if rails.bunker_entered {
        events.push(
            Event::new("bunker")
                .add_attribute("status", "entered")
                .add_attribute("drop_bps", rails.drop_bps.to_string()),
        );
    }
    if rails.bunker_ended {
        events.push(Event::new("bunker").add_attribute("status", "ended"));
    }
    events
}

/// Pauses bonds and instant unstaking automatically (never unbonding, claims or the crank),
/// records why, and returns the `auto_pause` event.
pub fn auto_pause(config: &mut Config, reason: &str, now: Timestamp) -> Event {
    config.paused.bond = true;
    config.paused.instant_unstake = true;
    config.pause_cause = Some(PauseCause {
        reason: reason.to_string(),
        at: now,
    });
    Event::new("auto_pause")
        .add_attribute("reason", reason)
        .add_attribute("paused", "bond,instant_unstake")
}

/// Writes the ledger back (the fee into `config`, state and snapshot, the validators whose
/// record changed, pruned validators and the in-flight batches), recording the rewards observed
/// now (for splitting rewards across a fee change).
pub fn save_ledger(
    storage: &mut dyn Storage,
    config: &mut Config,
    ledger: &mut Ledger,
) -> Result<(), ContractError> {
    ledger.mark_observed()?;
    config.fee = ledger.fee.clone();
    CONFIG.save(storage, config)?;
    save_state(storage, &ledger.state)?;
    for validator in &ledger.validators {
        // only what changed: a crank's first half, or a sync that moved nothing on a validator,
        // writes nothing for it
        if ledger.stored.get(&validator.address) != Some(&validator.record) {
            VALIDATORS.save(storage, &validator.address, &validator.record)?;
            ledger
                .stored
                .insert(validator.address.clone(), validator.record.clone());
        }
    }
    for address in &ledger.pruned {
        VALIDATORS.remove(storage, address);
    }
    for in_flight in &ledger.batches {
        BATCHES.save(storage, in_flight.id, &in_flight.batch)?;
    }
    Ok(())
}

/// The chain message of a planned staking action, in `denom`.
pub fn staking_msg(action: StakingAction, denom: &str) -> CosmosMsg {
    match action {
        StakingAction::WithdrawRewards { validator } => {
            DistributionMsg::WithdrawDelegatorReward { validator }.into()
        }
        StakingAction::Delegate { validator, amount } => StakingMsg::Delegate {
            validator,
            amount: coin(amount.u128(), denom),
        }
        .into(),
        StakingAction::Undelegate { validator, amount } => StakingMsg::Undelegate {
            validator,
            amount: coin(amount.u128(), denom),
        }
        .into(),
        StakingAction::Redelegate {
            src_validator,
            dst_validator,
            amount,
        } => StakingMsg::Redelegate {
            src_validator,
            dst_validator,
            amount: coin(amount.u128(), denom),
        }
        .into(),
    }
}

/// The chain messages of planned staking actions, in order.
pub fn staking_msgs(actions: Vec<StakingAction>, denom: &str) -> Vec<CosmosMsg> {
    actions
        .into_iter()
        .map(|action| staking_msg(action, denom))
        .collect()
}
