//! What the strategy reads from the pool and its tokens.

use cosmwasm_std::{Addr, Deps, StdResult, Uint128};
use tributary_types::stableswap::{PegResponse, PoolResponse, QueryMsg as PoolQuery};

use crate::state::Config;
use crate::ContractError;

/// `holder`'s balance of the cw20 `token`.
pub fn balance(deps: Deps, token: &Addr, holder: &Addr) -> StdResult<Uint128> {
    cw20::Cw20Contract(token.clone()).balance(&deps.querier, holder)
}

/// What `lp` is worth in LST at the pool's manipulation-resistant valuation (`FairValue`): the
/// value the vault mints and burns against. Never the spot one-coin withdrawal value, which a
/// swap in the same transaction can move.
pub fn fair_value(deps: Deps, config: &Config, lp: Uint128) -> StdResult<Uint128> {
    if lp.is_zero() {
        return Ok(Uint128::zero());
    }
    deps.querier
        .query_wasm_smart(&config.pool, &PoolQuery::FairValue { lp, coin: 0 })
}

/// The pool's balances and LP supply.
pub fn pool(deps: Deps, config: &Config) -> StdResult<PoolResponse> {
    deps.querier
        .query_wasm_smart(&config.pool, &PoolQuery::Pool {})
}

/// Refuses to trade with a pool whose spot price is further than the configured bound from its
/// moving average (the front half of a sandwich shows up here).
pub fn ensure_calm(deps: Deps, config: &Config) -> Result<(), ContractError> {
    let peg: PegResponse = deps
        .querier
        .query_wasm_smart(&config.pool, &PoolQuery::Peg {})?;
    if !tributary_core::strategy::is_calm(
        peg.spot_price,
        peg.ema_price,
        config.max_price_deviation_bps,
    )? {
        return Err(ContractError::PoolOffBalance {
            spot: peg.spot_price,
            average: peg.ema_price,
            max_bps: config.max_price_deviation_bps,
        });
    }
    Ok(())
}
