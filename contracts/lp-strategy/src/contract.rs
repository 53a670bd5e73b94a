//! Entry points of the liquidity-provision strategy (small enough to live in one module).

use cosmwasm_schema::cw_serde;
#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Binary, Decimal, Deps, DepsMut, Env, MessageInfo, Response,
    StdResult, Uint128, WasmMsg,
};
use cw_storage_plus::Item;
use tributary_math::BPS_DENOMINATOR as FULL_BPS;
use tributary_types::stableswap::{
    PegResponse, PoolConfigResponse, PoolResponse, QueryMsg as PoolQuery, ReceiveMsg as PoolReceive,
};
use tributary_types::strategy::{
    LpStrategyExecuteMsg, LpStrategyInstantiateMsg, StrategyQueryMsg, StrategyReceiveMsg,
};

/// Parameters.
#[cw_serde]
pub struct Config {
    /// The only depositor.
    pub vault: Addr,
    /// The pool (LST is coin 0).
    pub pool: Addr,
    /// The LST.
    pub lst: Addr,
    /// The pool's LP token.
    pub lp: Addr,
    /// How far below the fair value a deposit or withdrawal may execute, bps.
    #[serde(default = "default_max_slippage_bps")]
    pub max_slippage_bps: u16,
    /// How far the pool's spot price may be from its moving average for the strategy to
    /// trade, bps.
    #[serde(default = "default_max_price_deviation_bps")]
    pub max_price_deviation_bps: u16,
}

/// Default bound on the spot price's distance from the moving average: 0.3 %.
pub const DEFAULT_MAX_PRICE_DEVIATION_BPS: u16 = 30;

fn default_max_price_deviation_bps() -> u16 {
    DEFAULT_MAX_PRICE_DEVIATION_BPS
}

/// Default bound on a pool call's distance from the fair value: 1 %.
pub const DEFAULT_MAX_SLIPPAGE_BPS: u16 = 100;
/// The largest one-sided deposit, bps of the pool's smaller balance: the imbalance a deposit
/// costs grows with the square of its size, so 2 % of the pool costs about 0.01 % of the deposit.
pub const MAX_DEPOSIT_SHARE_BPS: u16 = 200;
/// Highest accepted bound: 10 %.
pub const MAX_SLIPPAGE_BPS: u16 = 1_000;

fn default_max_slippage_bps() -> u16 {
    DEFAULT_MAX_SLIPPAGE_BPS
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");

use crate::ContractError;

fn unauthorized(reason: &str) -> ContractError {
    tributary_common::CommonError::Unauthorized {
        reason: reason.to_string(),
    }
    .into()
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: LpStrategyInstantiateMsg,
) -> Result<Response, ContractError> {
    let vault = tributary_common::validate_addr(deps.api, &msg.vault)?;
    let pool = tributary_common::validate_addr(deps.api, &msg.pool)?;
    let pool_config: PoolConfigResponse = deps
        .querier
        .query_wasm_smart(&pool, &PoolQuery::Config {})?;
    let lst = match &pool_config.assets[0] {
        tributary_types::stableswap::AssetInfo::Cw20 { contract } => {
            deps.api.addr_validate(contract)?
        }
        _ => return Err(ContractError::PoolCoinNotLst {}),
    };
    let lp = deps.api.addr_validate(&pool_config.lp_token)?;
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
            vault,
            pool,
            lst,
            lp,
            max_slippage_bps,
            max_price_deviation_bps,
        },
    )?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

fn lp_balance(deps: Deps, config: &Config, env: &Env) -> StdResult<Uint128> {
    let b: cw20::BalanceResponse = deps.querier.query_wasm_smart(
        &config.lp,
        &cw20::Cw20QueryMsg::Balance {
            address: env.contract.address.to_string(),
        },
    )?;
    Ok(b.balance)
}

/// What `lp` is worth in LST at the pool's manipulation-resistant valuation (`FairValue`): the
/// value the vault mints and burns against. Never the spot one-coin withdrawal value, which a
/// swap in the same transaction can move.
fn fair_value(deps: Deps, config: &Config, lp: Uint128) -> StdResult<Uint128> {
    if lp.is_zero() {
        return Ok(Uint128::zero());
    }
    deps.querier
        .query_wasm_smart(&config.pool, &PoolQuery::FairValue { lp, coin: 0 })
}

/// `amount` less the slippage bound, rounded up (the least a pool call may return).
fn at_least(config: &Config, amount: Uint128) -> Result<Uint128, ContractError> {
    let slack = tributary_math::bps_of(amount, config.max_slippage_bps)?;
    Ok(amount.checked_sub(slack)?)
}

/// Refuses to trade with a pool whose spot price is further than the configured bound from its
/// moving average: the average does not move within a block, so a pool pushed in the same block
/// (the front half of a sandwich) is caught here.
fn ensure_calm(deps: Deps, config: &Config) -> Result<(), ContractError> {
    let peg: PegResponse = deps
        .querier
        .query_wasm_smart(&config.pool, &PoolQuery::Peg {})?;
    let gap = peg.spot_price.abs_diff(peg.ema_price);
    let bound = peg
        .ema_price
        .checked_mul(Decimal::from_ratio(
            config.max_price_deviation_bps,
            FULL_BPS,
        ))
        .map_err(|_| tributary_math::MathError::Overflow)?;
    if gap > bound {
        return Err(ContractError::PoolOffBalance {
            spot: peg.spot_price,
            average: peg.ema_price,
            max_bps: config.max_price_deviation_bps,
        });
    }
    Ok(())
}

/// LP tokens that `amount` LST is fairly worth, from the value of the whole pool.
fn fair_lp_for(deps: Deps, config: &Config, amount: Uint128) -> Result<Uint128, ContractError> {
    let pool: PoolResponse = deps
        .querier
        .query_wasm_smart(&config.pool, &PoolQuery::Pool {})?;
    let whole = fair_value(deps, config, pool.lp_supply)?;
    if whole.is_zero() {
        return Err(ContractError::EmptyPool {});
    }
    Ok(amount
        .checked_multiply_ratio(pool.lp_supply, whole)
        .map_err(|_| tributary_math::MathError::Overflow)?)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: LpStrategyExecuteMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    match msg {
        LpStrategyExecuteMsg::Receive(wrapper) => {
            if info.sender != config.lst || wrapper.sender != config.vault.as_str() {
                return Err(ContractError::NotVaultLst {});
            }
            let StrategyReceiveMsg::Deposit {} = from_json(&wrapper.msg)?;
            // one-sided deposit of the LST into the pool, for no less than its fair LP (less the
            // slippage bound): a swap just before cannot make the vault overpay
            ensure_calm(deps.as_ref(), &config)?;
            let min_lp = at_least(
                &config,
                fair_lp_for(deps.as_ref(), &config, wrapper.amount)?,
            )?;
            let provide = WasmMsg::Execute {
                contract_addr: config.lst.to_string(),
                msg: to_json_binary(&cw20::Cw20ExecuteMsg::Send {
                    contract: config.pool.to_string(),
                    amount: wrapper.amount,
                    msg: to_json_binary(&PoolReceive::Provide {
                        min_lp: Some(min_lp),
                    })?,
                })?,
                funds: vec![],
            };
            Ok(Response::new()
                .add_message(provide)
                .add_attribute("action", "strategy_deposit")
                .add_attribute("lst", wrapper.amount)
                .add_attribute("min_lp", min_lp))
        }
        LpStrategyExecuteMsg::Withdraw { amount } => {
            if info.sender != config.vault {
                return Err(unauthorized("only the vault may withdraw"));
            }
            ensure_calm(deps.as_ref(), &config)?;
            let held = lp_balance(deps.as_ref(), &config, &env)?;
            let value = fair_value(deps.as_ref(), &config, held)?;
            if held.is_zero() || value.is_zero() {
                return Err(ContractError::NothingToWithdraw {});
            }
            // LP for `amount` of fair value (rounded up), at most everything; the pool must pay
            // at least that LP's fair value less the slippage bound
            let (lp, worth) = if amount >= value {
                (held, value)
            } else {
                let lp = held
                    .checked_mul_ceil((amount, value))
                    .map_err(|_| tributary_math::MathError::Overflow)?
                    .min(held);
                (lp, amount)
            };
            let min_out = at_least(&config, worth)?;
            let withdraw = WasmMsg::Execute {
                contract_addr: config.lp.to_string(),
                msg: to_json_binary(&cw20::Cw20ExecuteMsg::Send {
                    contract: config.pool.to_string(),
                    amount: lp,
                    msg: to_json_binary(&PoolReceive::WithdrawOne {
                        coin: 0,
                        min_out: Some(min_out),
                    })?,
                })?,
                funds: vec![],
            };
            let forward = WasmMsg::Execute {
                contract_addr: env.contract.address.to_string(),
                msg: to_json_binary(&LpStrategyExecuteMsg::ForwardToVault {})?,
                funds: vec![],
            };
            Ok(Response::new()
                .add_message(withdraw)
                .add_message(forward)
                .add_attribute("action", "strategy_withdraw")
                .add_attribute("lp", lp)
                .add_attribute("min_out", min_out))
        }
        LpStrategyExecuteMsg::ForwardToVault {} => {
            if info.sender != env.contract.address {
                return Err(unauthorized("only the strategy itself may forward"));
            }
            let b: cw20::BalanceResponse = deps.querier.query_wasm_smart(
                &config.lst,
                &cw20::Cw20QueryMsg::Balance {
                    address: env.contract.address.to_string(),
                },
            )?;
            Ok(Response::new()
                .add_message(WasmMsg::Execute {
                    contract_addr: config.lst.to_string(),
                    msg: to_json_binary(&cw20::Cw20ExecuteMsg::Transfer {
                        recipient: config.vault.to_string(),
                        amount: b.balance,
                    })?,
                    funds: vec![],
                })
                .add_attribute("action", "forward_to_vault")
                .add_attribute("lst", b.balance))
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: StrategyQueryMsg) -> StdResult<Binary> {
    let config = CONFIG.load(deps.storage)?;
    match msg {
        StrategyQueryMsg::Value { owner } => {
            if owner != config.vault.as_str() {
                return to_json_binary(&Uint128::zero());
            }
            let held = lp_balance(deps, &config, &env)?;
            to_json_binary(&fair_value(deps, &config, held)?)
        }
        StrategyQueryMsg::DepositCapacity {} => {
            let pool: PoolResponse = deps
                .querier
                .query_wasm_smart(&config.pool, &PoolQuery::Pool {})?;
            let smaller = pool.balances[0].min(pool.balances[1]);
            let capacity = smaller.multiply_ratio(MAX_DEPOSIT_SHARE_BPS, FULL_BPS);
            to_json_binary(&Some(capacity))
        }
    }
}
