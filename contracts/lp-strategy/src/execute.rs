//! The strategy's actions: instantiate, deposit (the vault's LST, one-sided into the pool),
//! withdraw (LP back to LST for the vault) and the forwarding callback.

use cosmwasm_std::{from_json, to_json_binary, wasm_execute, DepsMut, Env, MessageInfo, Response};
use cw20::{Cw20Contract, Cw20ExecuteMsg, Cw20ReceiveMsg};
use tributary_common::{validate_addr, CommonError};
use tributary_core::strategy::{at_least, fair_lp_for, plan_withdrawal};
use tributary_types::stableswap::{
    AssetInfo, PoolConfigResponse, QueryMsg as PoolQuery, ReceiveMsg as PoolReceive,
};
use tributary_types::strategy::{
    LpStrategyExecuteMsg, LpStrategyInstantiateMsg, StrategyReceiveMsg,
};

use crate::pool::{balance, ensure_calm, fair_value, pool};
use crate::state::{
    Config, CONFIG, DEFAULT_MAX_PRICE_DEVIATION_BPS, DEFAULT_MAX_SLIPPAGE_BPS, MAX_SLIPPAGE_BPS,
};
use crate::ContractError;

fn unauthorized(reason: &str) -> ContractError {
    CommonError::Unauthorized {
        reason: reason.to_string(),
    }
    .into()
}

/// Validates the vault and the pool (coin 0 must be a cw20: the LST), reads the LP token from
/// the pool, and stores the bounds.
pub fn instantiate(
    deps: DepsMut,
    msg: LpStrategyInstantiateMsg,
) -> Result<Response, ContractError> {
    let vault_addr = validate_addr(deps.api, &msg.vault)?;
    let pool_addr = validate_addr(deps.api, &msg.pool)?;
    let pool_config: PoolConfigResponse = deps
        .querier
        .query_wasm_smart(&pool_addr, &PoolQuery::Config {})?;
    let lst_addr = match &pool_config.assets[0] {
        AssetInfo::Cw20 { contract } => deps.api.addr_validate(contract)?,
        AssetInfo::Native { .. } => return Err(ContractError::PoolCoinNotLst {}),
    };
    let lp_addr = deps.api.addr_validate(&pool_config.lp_token)?;
    let max_slippage_bps = msg.max_slippage_bps.unwrap_or(DEFAULT_MAX_SLIPPAGE_BPS);
    let max_price_deviation_bps = msg
        .max_price_deviation_bps
        .unwrap_or(DEFAULT_MAX_PRICE_DEVIATION_BPS);
    for bps in [max_slippage_bps, max_price_deviation_bps] {
        if bps > MAX_SLIPPAGE_BPS {
            return Err(ContractError::SlippageTooHigh {
                bps,
                max: MAX_SLIPPAGE_BPS,
            });
        }
    }
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    CONFIG.save(
        deps.storage,
        &Config {
            vault: vault_addr,
            pool: pool_addr,
            lst: lst_addr,
            lp: lp_addr,
            max_slippage_bps,
            max_price_deviation_bps,
        },
    )?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

/// The vault's LST, received: deposited one-sided into the pool for no less than its fair LP
/// (less the slippage bound), so a swap just before cannot make the vault overpay.
pub fn execute_deposit(
    deps: DepsMut,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.lst || wrapper.sender != config.vault.as_str() {
        return Err(ContractError::NotVaultLst {});
    }
    let StrategyReceiveMsg::Deposit {} = from_json(&wrapper.msg)?;
    ensure_calm(deps.as_ref(), &config)?;
    let pool_now = pool(deps.as_ref(), &config)?;
    let whole = fair_value(deps.as_ref(), &config, pool_now.lp_supply)?;
    let fair_lp = fair_lp_for(wrapper.amount, pool_now.lp_supply, whole)?
        .ok_or(ContractError::EmptyPool {})?;
    let min_lp = at_least(fair_lp, config.max_slippage_bps)?;
    let provide = Cw20Contract(config.lst.clone()).call(Cw20ExecuteMsg::Send {
        contract: config.pool.to_string(),
        amount: wrapper.amount,
        msg: to_json_binary(&PoolReceive::Provide {
            min_lp: Some(min_lp),
        })?,
    })?;
    Ok(Response::new()
        .add_message(provide)
        .add_attribute("action", "strategy_deposit")
        .add_attribute("lst", wrapper.amount)
        .add_attribute("min_lp", min_lp))
}

/// The vault asks for `amount` of fair value back (everything if it asks for more): LP for it
/// (rounded up) is withdrawn one-sided to LST for at least its fair value less the bound, then
/// forwarded to the vault.
pub fn execute_withdraw(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    amount: cosmwasm_std::Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.vault {
        return Err(unauthorized("only the vault may withdraw"));
    }
    ensure_calm(deps.as_ref(), &config)?;
    let held = balance(deps.as_ref(), &config.lp, &env.contract.address)?;
    let value = fair_value(deps.as_ref(), &config, held)?;
    let plan = plan_withdrawal(held, value, amount)?.ok_or(ContractError::NothingToWithdraw {})?;
    let min_out = at_least(plan.worth, config.max_slippage_bps)?;
    let withdraw = Cw20Contract(config.lp.clone()).call(Cw20ExecuteMsg::Send {
        contract: config.pool.to_string(),
        amount: plan.lp,
        msg: to_json_binary(&PoolReceive::WithdrawOne {
            coin: 0,
            min_out: Some(min_out),
        })?,
    })?;
    let forward = wasm_execute(
        &env.contract.address,
        &LpStrategyExecuteMsg::ForwardToVault {},
        vec![],
    )?;
    Ok(Response::new()
        .add_message(withdraw)
        .add_message(forward)
        .add_attribute("action", "strategy_withdraw")
        .add_attribute("lp", plan.lp)
        .add_attribute("min_out", min_out))
}

/// Callback after a withdrawal: sends all the LST the strategy holds to the vault.
pub fn execute_forward_to_vault(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    if info.sender != env.contract.address {
        return Err(unauthorized("only the strategy itself may forward"));
    }
    let config = CONFIG.load(deps.storage)?;
    let held = balance(deps.as_ref(), &config.lst, &env.contract.address)?;
    let transfer = Cw20Contract(config.lst.clone()).call(Cw20ExecuteMsg::Transfer {
        recipient: config.vault.to_string(),
        amount: held,
    })?;
    Ok(Response::new()
        .add_message(transfer)
        .add_attribute("action", "forward_to_vault")
        .add_attribute("lst", held))
}
