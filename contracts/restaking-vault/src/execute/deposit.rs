use cosmwasm_std::{coins, wasm_execute, Addr, DepsMut, Env, MessageInfo, Response, Uint128};
use tributary_common::CommonError;
use tributary_types::vault::CallbackMsg;

use crate::execute::{callback, ensure_not_paused, mint_lrt, validate_addr};
use crate::ledger::{lst_balance, Snapshot};
use crate::state::{CONFIG, STATE};
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
    tributary_common::ensure_plausible("a deposit", amount)?;
    let lst_before = lst_balance(deps.as_ref(), &env, &config)?;
    let bond = wasm_execute(
        &config.hub,
        &tributary_types::hub::ExecuteMsg::Bond { min_out: None },
        coins(amount.u128(), &config.native_denom),
    )?;
    Ok(Response::new()
        .add_message(bond)
        .add_message(callback(
            &env.contract.address,
            CallbackMsg::AfterBond {
                user: info.sender.to_string(),
                min_out,
                lst_before,
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
    let received = lst_balance(deps.as_ref(), &env, &config)?.checked_sub(lst_before)?;
    let user_addr = validate_addr(deps.api, &user)?;
    mint_for_lst(deps, env, user_addr, received, min_out)
}

/// LST deposit (cw20 hook).
pub fn execute_deposit_lst(
    deps: DepsMut,
    env: Env,
    user_addr: Addr,
    amount: Uint128,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_not_paused(config.paused.deposit, "deposit")?;
    mint_for_lst(deps, env, user_addr, amount, min_out)
}

/// Mints LRT for `amount` LST that has just arrived (excluded from the valuation), at the
/// ledger's mint pool (see `tributary_core::vault::Ledger::mint`), and raises the APR ceiling
/// by the deposit.
fn mint_for_lst(
    deps: DepsMut,
    env: Env,
    user_addr: Addr,
    amount: Uint128,
    min_out: Option<Uint128>,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(CommonError::ZeroAmount {}.into());
    }
    let Snapshot {
        config,
        mut state,
        mut ledger,
        ..
    } = Snapshot::load(deps.as_ref(), &env, amount)?;
    // the APR ceiling rises by the deposit's share of the recognised value (measured before
    // it): its LRT carry the same share of what is withheld as everyone's
    let ceiling_share = ledger.ceiling_share(amount)?;
    let mint = ledger.mint(amount, config.deposit_cap, min_out)?;
    if let Some(anchor) = state.rate_anchor.as_mut() {
        anchor.record_deposit(ceiling_share, config.rails.max_apr_bps, env.block.time)?;
        STATE.save(deps.storage, &state)?;
    }
    Ok(Response::new()
        .add_message(mint_lrt(&config.lrt_token, &user_addr, mint.lrt_minted)?)
        .add_attribute("action", "deposit")
        .add_attribute("user", user_addr)
        .add_attribute("lst", amount)
        .add_attribute("lrt_minted", mint.lrt_minted))
}
