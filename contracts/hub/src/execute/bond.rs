use cosmwasm_std::{
    to_json_binary, DepsMut, Env, MessageInfo, Response, StakingMsg, Uint128, WasmMsg,
};
use tributary_math::most_underweight;

use crate::books::Books;
use crate::execute::ensure_not_paused;
use crate::ContractError;

/// Stakes the attached native tokens and mints LST at the synced rate.
pub fn execute_bond(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    let config = crate::state::CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.bond, "bond")?;
    let amount = cw_utils::must_pay(&info, &config.denom)?;
    if amount < config.min_bond {
        return Err(ContractError::BelowMinimum {
            amount,
            min: config.min_bond,
        });
    }

    let mut books = Books::load(deps.as_ref(), &env, amount)?;
    let report = books.sync(env.block.time)?;
    let mut pool = books.pool()?;
    if let Some(cap) = books.config.deposit_cap {
        let would_hold = pool.assets.checked_add(amount)?;
        if would_hold > cap {
            return Err(ContractError::DepositCapExceeded { cap, would_hold });
        }
    }
    let minted = pool.deposit(amount)?;
    if minted.is_zero() {
        return Err(ContractError::ZeroMint {});
    }
    if let Some(min_out) = min_out {
        if minted < min_out {
            return Err(ContractError::SlippageExceeded { min_out, minted });
        }
    }

    let index = most_underweight(&books.booked(), &books.weights(), amount)?.ok_or(
        ContractError::InvalidConfig {
            reason: "no active validator".to_string(),
        },
    )?;
    // the chain would withdraw the validator's rewards on delegation: do it explicitly
    let withdraw = books.withdraw_before_staking(index)?;
    let validator = &mut books.validators[index];
    validator.record.booked = validator.record.booked.checked_add(amount)?;
    let delegate = StakingMsg::Delegate {
        validator: validator.address.clone(),
        amount: cosmwasm_std::coin(amount.u128(), &books.config.denom),
    };
    let lst_token = books
        .config
        .lst_token
        .clone()
        .ok_or(ContractError::TokenNotReady {})?;
    let mint = WasmMsg::Execute {
        contract_addr: lst_token.to_string(),
        msg: to_json_binary(&cw20::Cw20ExecuteMsg::Mint {
            recipient: info.sender.to_string(),
            amount: minted,
        })?,
        funds: vec![],
    };
    let validator_address = validator.address.clone();
    books.save(deps.storage)?;

    Ok(Response::new()
        .add_messages(withdraw)
        .add_message(delegate)
        .add_message(mint)
        .add_attribute("action", "bond")
        .add_attribute("sender", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("lst_minted", minted)
        .add_attribute("validator", validator_address)
        .add_attribute("slashed", report.slashed_delegations))
}
