use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use tributary_common::token::instantiate2_token;
use tributary_common::CommonError;
use tributary_math::stableswap::A_PRECISION;
use tributary_types::stableswap::{
    AssetInfo, InstantiateMsg, PoolPauseFlags, MAX_A, MAX_ADMIN_FEE, MAX_FEE,
};

use crate::execute::validate_addr;
use crate::market::current_rate;
use crate::state::{Config, PoolState, Ramp, CONFIG, POOL, RAMP};
use crate::ContractError;

/// Salt of the LP token's `instantiate2` address.
const LP_SALT: &[u8] = b"lp";

/// Validates the parameters, stores them and creates the LP token (minter: the pool) at an
/// address known now.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if msg.amp == 0 || msg.amp > MAX_A {
        return Err(tributary_core::market::RampError::Invalid.into());
    }
    if msg.fee > MAX_FEE {
        return Err(ContractError::SwapFeeTooHigh {
            fee: msg.fee,
            max: MAX_FEE,
        });
    }
    if msg.admin_fee > MAX_ADMIN_FEE {
        return Err(ContractError::SwapFeeTooHigh {
            fee: msg.admin_fee,
            max: MAX_ADMIN_FEE,
        });
    }
    if msg.decimals.iter().any(|d| *d > 18) {
        return Err(CommonError::invalid_config("decimals above 18 are not supported").into());
    }
    if msg.assets[0] == msg.assets[1] {
        return Err(CommonError::invalid_config("the two coins must differ").into());
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
    // the token's wasm admin is this contract, not the owner: only a migration of this contract
    // (which the owner controls anyway) could ever migrate the token
    let lp_token = instantiate2_token(
        deps.as_ref(),
        &env,
        msg.lp.code_id,
        LP_SALT,
        tributary_types::token::instantiate_msg(&msg.lp, env.contract.address.as_str())?,
        format!("{} LP", msg.lp.symbol),
    )?;
    CONFIG.save(
        deps.storage,
        &Config {
            assets,
            decimals: msg.decimals,
            rate_source: msg.rate_source,
            lp_token: lp_token.addr.clone(),
            fee: msg.fee,
            admin_fee: msg.admin_fee,
            fee_recipient: validate_addr(deps.api, &msg.fee_recipient)?,
            ema_time: msg.ema_time,
            paused: PoolPauseFlags::default(),
        },
    )?;
    let now = env.block.time.seconds();
    RAMP.save(deps.storage, &Ramp::fixed(msg.amp * A_PRECISION, now))?;
    POOL.save(deps.storage, &PoolState::empty(rate, now))?;
    Ok(Response::new()
        .add_message(lp_token.msg)
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("lp_token", lp_token.addr))
}
