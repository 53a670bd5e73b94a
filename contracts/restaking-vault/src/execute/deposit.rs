use cosmwasm_std::{to_json_binary, Addr, DepsMut, Env, MessageInfo, Response, Uint128, WasmMsg};
use tributary_types::vault::CallbackMsg;

use crate::execute::{callback, ensure_not_paused, mint_msg, validate_addr};
use crate::holdings::Holdings;
use crate::state::CONFIG;
use crate::ContractError;

/// Native deposit: bond it through the hub, then mint LRT for the LST received (callback).
pub fn execute_deposit_native(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.deposit, "deposit")?;
    let amount = cw_utils::must_pay(&info, &config.native_denom)?;
    let lst: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &config.lst_token,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    let bond = WasmMsg::Execute {
        contract_addr: config.hub.to_string(),
        msg: to_json_binary(&tributary_types::hub::ExecuteMsg::Bond { min_out: None })?,
        funds: vec![cosmwasm_std::coin(amount.u128(), &config.native_denom)],
    };
    Ok(Response::new()
        .add_message(bond)
        .add_message(callback(
            &env.contract.address,
            CallbackMsg::AfterBond {
                user: info.sender.to_string(),
                min_out,
                lst_before: lst.balance,
            },
        )?)
        .add_attribute("action", "deposit_native")
        .add_attribute("user", info.sender)
        .add_attribute("native", amount))
}

/// Second half of a native deposit: the LST has arrived.
pub fn execute_after_bond(
    deps: DepsMut,
    env: Env,
    user: String,
    min_out: Option<Uint128>,
    lst_before: Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let lst: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &config.lst_token,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    let received = lst.balance.checked_sub(lst_before)?;
    let user = validate_addr(deps.api, &user)?;
    mint_for_lst(deps, env, user, received, min_out)
}

/// LST deposit (cw20 hook).
pub fn execute_deposit_lst(
    deps: DepsMut,
    env: Env,
    user: Addr,
    amount: Uint128,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.deposit, "deposit")?;
    mint_for_lst(deps, env, user, amount, min_out)
}

/// Mints LRT for `amount` LST that has just arrived (excluded from the valuation).
fn mint_for_lst(
    deps: DepsMut,
    env: Env,
    user: Addr,
    amount: Uint128,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let holdings = Holdings::load(deps.as_ref(), &env, amount)?;
    let mut pool = holdings.mint_pool()?;
    if let Some(cap) = holdings.config.deposit_cap {
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
    let lrt = holdings
        .config
        .lrt_token
        .clone()
        .ok_or(ContractError::TokenNotReady {})?;
    Ok(Response::new()
        .add_message(mint_msg(&lrt, &user, minted)?)
        .add_attribute("action", "deposit")
        .add_attribute("user", user)
        .add_attribute("lst", amount)
        .add_attribute("lrt_minted", minted))
}
