use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use cw20::{Cw20Contract, Cw20ExecuteMsg};

use crate::execute::ensure_not_paused;
use crate::ledger::{load_ledger, save_ledger, staking_msgs, sync_guarded};
use crate::state::CONFIG;
use crate::ContractError;

/// Stakes the attached native tokens and mints LST at the synced rate.
pub fn execute_bond(
    deps: DepsMut,
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

    let mut ledger = load_ledger(deps.as_ref(), &env, &config, amount)?;
    // a fall of the rate booked now pauses later bonds; this one is priced after the loss
    let (report, events) = sync_guarded(&mut config, &mut ledger)?;
    let plan = ledger.bond(amount, config.deposit_cap, min_out)?;
    save_ledger(deps.storage, &mut config, &mut ledger)?;

    let mint = Cw20Contract(config.lst_token.clone()).call(Cw20ExecuteMsg::Mint {
        recipient: info.sender.to_string(),
        amount: plan.minted,
    })?;
    Ok(Response::new()
        .add_events(events)
        .add_messages(staking_msgs(plan.actions, &config.denom))
        .add_message(mint)
        .add_attribute("action", "bond")
        .add_attribute("sender", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("lst_minted", plan.minted)
        .add_attribute("validator", plan.validator)
        .add_attribute("slashed", report.slashed_delegations))
}
