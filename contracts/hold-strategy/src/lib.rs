//! A minimal strategy for the vault's strategy interface, deployed with restaking (the tests use
//! it to exercise the interface; the devnet deploys it unused): it holds the LST it is sent,
//! reports its whole LST balance as the depositor's value (so LST sent to it directly acts as
//! yield), and returns LST on request.

use cosmwasm_std::{
    from_json, to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdError,
    StdResult, Uint128, WasmMsg,
};
use cw_storage_plus::Item;
use tributary_types::strategy::{StrategyExecuteMsg, StrategyQueryMsg, StrategyReceiveMsg};

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;

/// The LST it holds.
const LST: Item<cosmwasm_std::Addr> = Item::new("lst");

/// Instantiate message: the LST it accepts.
#[cosmwasm_schema::cw_serde]
pub struct InstantiateMsg {
    /// The LST's cw20 address.
    pub lst: String,
}

/// Execute messages: the strategy interface plus the cw20 hook.
#[derive(serde::Deserialize, Debug)]
#[serde(untagged)]
pub enum ExecuteMsg {
    Receive { receive: cw20::Cw20ReceiveMsg },
    Strategy(StrategyExecuteMsg),
}

/// Stores the LST it accepts.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _: Env,
    _: MessageInfo,
    msg: InstantiateMsg,
) -> StdResult<Response> {
    LST.save(deps.storage, &deps.api.addr_validate(&msg.lst)?)?;
    Ok(Response::new())
}

fn balance(deps: Deps, env: &Env) -> StdResult<Uint128> {
    let res: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        LST.load(deps.storage)?,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    Ok(res.balance)
}

/// Takes LST deposits (cw20 `Send` from the LST) and returns LST on `Withdraw`.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    let lst = LST.load(deps.storage)?;
    match msg {
        ExecuteMsg::Receive { receive } => {
            if info.sender != lst {
                return Err(StdError::generic_err("only the LST"));
            }
            let StrategyReceiveMsg::Deposit {} = from_json(&receive.msg)?;
            Ok(Response::new().add_attribute("action", "strategy_deposit"))
        }
        ExecuteMsg::Strategy(StrategyExecuteMsg::Withdraw { amount }) => {
            let amount = amount.min(balance(deps.as_ref(), &env)?);
            Ok(Response::new()
                .add_message(WasmMsg::Execute {
                    contract_addr: lst.to_string(),
                    msg: to_json_binary(&cw20::Cw20ExecuteMsg::Transfer {
                        recipient: info.sender.to_string(),
                        amount,
                    })?,
                    funds: vec![],
                })
                .add_attribute("action", "strategy_withdraw"))
        }
    }
}

/// Its whole LST balance as the depositor's value; no deposit cap.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: StrategyQueryMsg) -> StdResult<Binary> {
    match msg {
        StrategyQueryMsg::Value { .. } => to_json_binary(&balance(deps, &env)?),
        StrategyQueryMsg::DepositCapacity {} => to_json_binary(&None::<cosmwasm_std::Uint128>),
    }
}
