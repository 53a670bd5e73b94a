//! Storage layout of the pool.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal, Uint128};
use cw_storage_plus::Item;
use tributary_types::stableswap::{AssetInfo, PoolPauseFlags, RateSource};

/// Parameters.
#[cw_serde]
pub struct Config {
    /// The two coins (cw20 addresses validated).
    pub assets: [AssetInfo; 2],
    pub decimals: [u8; 2],
    /// Rate of coin 0 in coin 1.
    pub rate_source: RateSource,
    /// LP token; `None` only between instantiate and its reply.
    pub lp_token: Option<Addr>,
    /// Swap fee, fractions of 1e10.
    pub fee: u64,
    /// Admin share of fees, fractions of 1e10.
    pub admin_fee: u64,
    pub fee_recipient: Addr,
    /// Moving-average time constant, seconds.
    pub ema_time: u64,
    pub paused: PoolPauseFlags,
}

/// The A ramp (values are A × 100, times are seconds).
#[cw_serde]
pub struct Ramp {
    pub initial_a: u64,
    pub initial_time: u64,
    pub future_a: u64,
    pub future_time: u64,
    /// When the owner last began (or stopped) a ramp; a new one may begin only
    /// `MIN_RAMP_TIME` later, so chained ramps cannot beat the tenfold-per-day bound.
    #[serde(default)]
    pub last_change_at: Option<u64>,
}

/// Balances and prices.
#[cw_serde]
pub struct PoolState {
    /// Coins that belong to LPs.
    pub balances: [Uint128; 2],
    /// Admin fees held for the fee recipient.
    pub admin_balances: [Uint128; 2],
    /// Moving-average price of coin 0 in coin 1, as of `last_time` (for display: the average
    /// is kept as `ema_ratio`).
    pub ema_price: Decimal,
    /// Moving average of the spot price over the redemption rate, as of `last_time`.
    #[serde(default)]
    pub ema_ratio: Option<Decimal>,
    /// Spot price after the last operation.
    pub last_price: Decimal,
    /// When the prices were last updated, seconds.
    pub last_time: u64,
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");
/// The A ramp.
pub const RAMP: Item<Ramp> = Item::new("ramp");
/// Balances and prices.
pub const POOL: Item<PoolState> = Item::new("pool");
