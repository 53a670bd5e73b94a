use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use cw20::{Cw20Contract, Cw20ExecuteMsg};
use tributary_core::hub::{
    quick_bond, usable_snapshot, BondPlan, QuickContext, QuickFigures, SyncNeeded,
};

use crate::execute::ensure_not_paused;
use crate::ledger::{
    ledger_params, load_ledger, load_position, lst_supply, save_ledger, staking_msgs, sync_guarded,
};
use crate::state::{load_state, save_state, Config, CONFIG, VALIDATORS};
use crate::ContractError;

/// Stakes the attached native tokens and mints LST. Quick path (O(1) in the validator set) when
/// the last saved sync is from this epoch: priced from its snapshot, delegated to its deposit
/// validator. Otherwise (first bond of an epoch, a slash seen on the deposit validator, native
/// that arrived unbooked, the deposit validator at its drift limit, bunker mode, a due fee
/// change) the full path: sync everything, apply the rails, then bond at
/// the synced rate. The response's `path` attribute says which (`quick`, or `full:<reason>`).
pub fn execute_bond(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.bond, "bond")?;
    let amount = cw_utils::must_pay(&info, &config.denom)?;
    tributary_common::ensure_plausible("a bond", amount)?;
    if amount < config.min_bond {
        return Err(ContractError::BelowMinimum {
            amount,
            min: config.min_bond,
        });
    }

    let (plan, path, response) = match try_quick(&mut deps, &env, &config, amount, min_out)? {
        Ok(plan) => (plan, "quick".to_string(), Response::new()),
        Err(needed) => {
            let (plan, response) = full_bond(&mut deps, &env, &mut config, amount, min_out)?;
            (plan, format!("full:{}", needed.describe()), response)
        }
    };

    let mint = Cw20Contract(config.lst_token.clone()).call(Cw20ExecuteMsg::Mint {
        recipient: info.sender.to_string(),
        amount: plan.minted,
    })?;
    Ok(response
        .add_messages(staking_msgs(plan.actions, &config.denom))
        .add_message(mint)
        .add_attribute("action", "bond")
        .add_attribute("sender", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("lst_minted", plan.minted)
        .add_attribute("validator", plan.validator)
        .add_attribute("path", path))
}

/// The full path: syncs everything (a fall of the rate booked now pauses later bonds; this one
/// is priced after the loss), bonds at the synced rate and saves the ledger.
#[inline(never)]
fn full_bond(
    deps: &mut DepsMut,
    env: &Env,
    config: &mut Config,
    amount: Uint128,
    min_out: Option<Uint128>,
) -> Result<(BondPlan, Response), ContractError> {
    let mut ledger = load_ledger(deps.as_ref(), env, config, amount)?;
    let (report, events) = sync_guarded(config, &mut ledger)?;
    let plan = ledger.bond(amount, config.deposit_cap, min_out)?;
    save_ledger(deps.storage, config, &mut ledger)?;
    let response = Response::new()
        .add_events(events)
        .add_attribute("slashed", report.slashed_delegations);
    Ok((plan, response))
}

/// The quick path: loads the state, the deposit validator's record and delegation and the LST
/// supply, and bonds from the snapshot, saving the state and that record. `Ok(Err(_))`: nothing
/// was saved, take the full path.
#[inline(never)]
fn try_quick(
    deps: &mut DepsMut,
    env: &Env,
    config: &Config,
    amount: Uint128,
    min_out: Option<Uint128>,
) -> Result<Result<BondPlan, SyncNeeded>, ContractError> {
    let mut state = load_state(deps.storage)?;
    let params = ledger_params(config);
    let ctx = QuickContext {
        params: &params,
        fee: &config.fee,
        max_apr_bps: config.rails.max_apr_bps,
        now: env.block.time,
    };
    let address = match usable_snapshot(&state, &ctx) {
        Ok((_, address)) => address.to_string(),
        Err(needed) => return Ok(Err(needed)),
    };
    let Some(record) = VALIDATORS.may_load(deps.storage, &address)? else {
        return Ok(Err(SyncNeeded::NoDepositValidator));
    };
    let mut deposit = load_position(deps.as_ref(), env, config, address, record)?;
    // the bond's own funds are already in the balance
    let balance = deps
        .querier
        .query_balance(&env.contract.address, &config.denom)?
        .amount
        .checked_sub(amount)?;
    let figures = QuickFigures {
        lst_supply: lst_supply(deps.as_ref(), config)?,
        balance,
    };
    let plan = match quick_bond(
        &mut state,
        &mut deposit,
        &ctx,
        figures,
        amount,
        config.deposit_cap,
        min_out,
    )? {
        Ok(plan) => plan,
        Err(needed) => return Ok(Err(needed)),
    };
    save_state(deps.storage, &state)?;
    VALIDATORS.save(deps.storage, &deposit.address, &deposit.record)?;
    Ok(Ok(plan))
}
