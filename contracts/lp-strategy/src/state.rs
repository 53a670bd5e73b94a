//! Storage layout of the strategy.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;
use cw_storage_plus::Item;

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
pub use tributary_core::strategy::MAX_DEPOSIT_SHARE_BPS;
/// Highest accepted bound: 10 %.
pub const MAX_SLIPPAGE_BPS: u16 = 1_000;

fn default_max_slippage_bps() -> u16 {
    DEFAULT_MAX_SLIPPAGE_BPS
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");
