//! The pool as of now, loaded for an operation: the stored config and A ramp, and the
//! [`Pool`] of `tributary-core` built from the stored balances, coin 0's rate from its source
//! and the LP supply. The pricing itself (spot, moving average, fair value) lives in core.

use cosmwasm_std::{Decimal, Deps, Env};
use tributary_core::market::{Pool, PoolParams, Ramp};
use tributary_types::stableswap::RateSource;

use crate::state::{Config, CONFIG, POOL, RAMP};
use crate::ContractError;

/// Everything an operation needs.
pub struct Market {
    /// The pool's parameters.
    pub config: Config,
    /// The A ramp.
    pub ramp: Ramp,
    /// The pool as of now.
    pub pool: Pool,
}

/// Coin 0's rate in coin 1 from its source.
pub fn current_rate(deps: Deps, source: &RateSource) -> Result<Decimal, ContractError> {
    Ok(match source {
        RateSource::Fixed {} => Decimal::one(),
        RateSource::Hub { contract } => {
            let s: tributary_types::hub::StateResponse = deps
                .querier
                .query_wasm_smart(contract, &tributary_types::hub::QueryMsg::State {})?;
            hub_bond_rate(&s)?
        }
        RateSource::Vault { contract } => {
            let s: tributary_types::vault::VaultStateResponse = deps
                .querier
                .query_wasm_smart(contract, &tributary_types::vault::QueryMsg::State {})?;
            s.rate
        }
    })
}

/// What a hub's LST is worth: the native a bond pays per LST, which is the hub's recognised
/// value plus what its APR ceiling withholds (recognised later, and an LST's share of it is
/// already its holder's) over the LST counted in the rate. Not the recognised `exchange_rate`
/// alone: while anything is withheld that would price LST below what a bond costs, so buyers
/// in the pool would take the withheld value from its LPs, and the vault's LP strategy would
/// count its native as more LST than bonding it gives (a vault deposit then overpaid those
/// already in the vault; found by the attacker property tests).
pub fn hub_bond_rate(s: &tributary_types::hub::StateResponse) -> Result<Decimal, ContractError> {
    Ok(tributary_math::SharePool::new(s.bond_value()?, s.lst_counted()?).rate()?)
}

impl Market {
    /// Loads the config, the ramp and the pool, and queries the rate and the LP supply.
    pub fn load(deps: Deps, env: &Env) -> Result<Self, ContractError> {
        let config = CONFIG.load(deps.storage)?;
        let ramp = RAMP.load(deps.storage)?;
        let state = POOL.load(deps.storage)?;
        let rate = current_rate(deps, &config.rate_source)?;
        let lp_supply = cw20::Cw20Contract(config.lp_token.clone())
            .meta(&deps.querier)?
            .total_supply;
        let params = PoolParams {
            decimals: config.decimals,
            fee: config.fee,
            admin_fee: config.admin_fee,
            ema_time: config.ema_time,
        };
        let pool = Pool::new(
            state,
            &ramp,
            params,
            rate,
            lp_supply,
            env.block.time.seconds(),
        )?;
        Ok(Market { config, ramp, pool })
    }
}
