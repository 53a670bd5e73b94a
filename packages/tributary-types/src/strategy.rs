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
    /// The most LST the strategy takes in one deposit now (`None`: no limit). The liquidity
    /// strategy keeps each one-sided deposit small against the pool, so the imbalance it costs
    /// the vault (and hands to arbitrageurs) stays negligible; the crank fills a target over
    /// several calls.
    #[returns(Option<Uint128>)]
    DepositCapacity {},
}

/// Instantiates the liquidity-provision strategy.
#[cosmwasm_schema::cw_serde]
pub struct LpStrategyInstantiateMsg {
    /// The only depositor (the restaking vault).
    pub vault: String,
    /// The StableSwap pool with the LST as coin 0.
    pub pool: String,
    /// How far below the fair value (see the pool's `FairValue` query) a deposit or withdrawal
    /// may execute, in basis points; the call fails (and the vault's crank skips it) beyond.
    /// Default 100 (1 %), at most 1,000.
    #[serde(default)]
    pub max_slippage_bps: Option<u16>,
    /// How far the pool's spot price may be from its moving average for the strategy to trade,
    /// in basis points: a pool pushed away from its average in the same block (a sandwich) is
    /// not traded with. Default 30 (0.3 %), at most 1,000.
    #[serde(default)]
    pub max_price_deviation_bps: Option<u16>,
}

/// Messages the liquidity-provision strategy accepts.
#[cosmwasm_schema::cw_serde]
pub enum LpStrategyExecuteMsg {
    /// cw20 hook: LST from the vault (deposit) or LP from nobody else.
    Receive(cw20::Cw20ReceiveMsg),
    /// The strategy interface.
    Withdraw {
        /// LST value to return to the vault.
        amount: Uint128,
    },
    /// Internal: forward the LST a one-coin withdrawal returned to the vault.
    ForwardToVault {},
}
