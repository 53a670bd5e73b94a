//! The interface a DeFi strategy contract implements so the restaking vault can put LST into it
//! beside restaking (liquidity provision comes in a later stage). Values are in LST units.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::Uint128;

/// Hook the vault sends with LST through cw20 `Send`.
#[cw_serde]
pub enum StrategyReceiveMsg {
    /// Put the sent LST to work for the sender.
    Deposit {},
}

/// Actions the vault sends to a strategy.
#[cw_serde]
pub enum StrategyExecuteMsg {
    /// Return LST worth `amount` (or everything, if it holds less) to the sender, now.
    Withdraw {
        /// LST value to return.
        amount: Uint128,
    },
}

/// Queries the vault sends to a strategy.
#[cw_serde]
#[derive(QueryResponses)]
pub enum StrategyQueryMsg {
    /// What `owner`'s position would return if withdrawn now, in LST.
    #[returns(Uint128)]
    Value {
        /// The depositor (the vault).
        owner: String,
    },
}
