use cosmwasm_std::{DepsMut, Env, MessageInfo, Reply, Response, SubMsg, Uint128, WasmMsg};
use tributary_math::stableswap::A_PRECISION;
use tributary_types::stableswap::{
    AssetInfo, InstantiateMsg, PoolPauseFlags, MAX_A, MAX_ADMIN_FEE, MAX_FEE,
};

use crate::execute::validate_addr;
use crate::market::current_rate;
use crate::state::{Config, PoolState, Ramp, CONFIG, POOL, RAMP};
use crate::ContractError;

/// Reply id of the LP token instantiation.
pub const REPLY_INSTANTIATE_LP: u64 = 1;

pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.amp == 0 || msg.amp > MAX_A {
        return Err(ContractError::InvalidRamp {});
    }
    if msg.fee > MAX_FEE {
        return Err(ContractError::FeeTooHigh {
            fee: msg.fee,
            max: MAX_FEE,
        });
    }
    if msg.admin_fee > MAX_ADMIN_FEE {
        return Err(ContractError::FeeTooHigh {
            fee: msg.admin_fee,
            max: MAX_ADMIN_FEE,
        });
    }
    if msg.decimals.iter().any(|d| *d > 18) {
        return Err(ContractError::InvalidConfig {
            reason: "decimals above 18 are not supported".to_string(),
        });
    }
    if msg.assets[0] == msg.assets[1] {
        return Err(ContractError::InvalidConfig {
            reason: "the two coins must differ".to_string(),
        });
    }
    let mut assets = msg.assets.clone();
    for a in assets.iter_mut() {
        if let AssetInfo::Cw20 { contract } = a {
            *contract = validate_addr(deps.api, contract)?.to_string();
        }
    }
    let owner = validate_addr(deps.api, &msg.owner)?;
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner.as_str()))?;
    cw2::set_contract_version(deps.storage, crate::CONTRACT_NAME, crate::CONTRACT_VERSION)?;
    // fail early if the rate source does not answer
    let rate = current_rate(deps.as_ref(), &msg.rate_source)?;
    CONFIG.save(
        deps.storage,
        &Config {
            assets,
            decimals: msg.decimals,
            rate_source: msg.rate_source,
            lp_token: None,
            fee: msg.fee,
            admin_fee: msg.admin_fee,
            fee_recipient: validate_addr(deps.api, &msg.fee_recipient)?,
            ema_time: msg.ema_time,
            paused: PoolPauseFlags::default(),
        },
    )?;
    let a = msg.amp * A_PRECISION;
    let now = env.block.time.seconds();
    RAMP.save(
        deps.storage,
        &Ramp {
            initial_a: a,
            initial_time: now,
            future_a: a,
            future_time: now,
            last_change_at: None,
        },
    )?;
    POOL.save(
        deps.storage,
        &PoolState {
            balances: [Uint128::zero(); 2],
            admin_balances: [Uint128::zero(); 2],
            ema_price: rate,
            ema_ratio: Some(cosmwasm_std::Decimal::one()),
            last_price: rate,
            last_time: now,
        },
    )?;
    let token = WasmMsg::Instantiate {
        // the token's wasm admin is this contract, not the owner: only a migration of this
        // contract (which the owner controls anyway) could ever migrate the token
        admin: Some(env.contract.address.to_string()),
        code_id: msg.lp.code_id,
        msg: tributary_types::token::instantiate_msg(&msg.lp, env.contract.address.as_str())?,
        funds: vec![],
        label: format!("{} LP", msg.lp.symbol),
    };
    Ok(Response::new()
        .add_submessage(SubMsg::reply_on_success(token, REPLY_INSTANTIATE_LP))
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner))
}

pub fn reply(deps: DepsMut, msg: Reply) -> Result<Response, ContractError> {
    let address = tributary_types::token::instantiated_token(deps.api, msg, REPLY_INSTANTIATE_LP)?;
    CONFIG.update(deps.storage, |mut c| -> Result<_, ContractError> {
        c.lp_token = Some(address.clone());
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "lp_instantiated")
        .add_attribute("lp_token", address))
}
