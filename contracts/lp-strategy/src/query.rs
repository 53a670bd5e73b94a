//! The strategy's queries: its value for the vault and how much it can take now.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, StdResult, Uint128};
use tributary_core::strategy::deposit_capacity;
use tributary_types::strategy::StrategyQueryMsg;

use crate::pool::{balance, fair_value, pool};
use crate::state::CONFIG;

/// Answers a [`StrategyQueryMsg`].
pub fn query(deps: Deps, env: Env, msg: StrategyQueryMsg) -> StdResult<Binary> {
    let config = CONFIG.load(deps.storage)?;
    match msg {
        StrategyQueryMsg::Value { owner } => {
            if owner != config.vault.as_str() {
                return to_json_binary(&Uint128::zero());
            }
            let held = balance(deps, &config.lp, &env.contract.address)?;
            to_json_binary(&fair_value(deps, &config, held)?)
        }
        StrategyQueryMsg::DepositCapacity {} => {
            let balances = pool(deps, &config)?.balances;
            to_json_binary(&Some(deposit_capacity(balances)))
        }
    }
}
