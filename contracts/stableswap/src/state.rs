//! Storage layout of the pool.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;
use cw_storage_plus::Item;
use tributary_types::stableswap::{AssetInfo, PoolPauseFlags, RateSource};

pub use tributary_core::market::{PoolState, Ramp};

/// Parameters.
#[cw_serde]
pub struct Config {
    /// The two coins (cw20 addresses validated).
    pub assets: [AssetInfo; 2],
    /// Decimals of coin 0 and coin 1.
    pub decimals: [u8; 2],
    /// Rate of coin 0 in coin 1.
    pub rate_source: RateSource,
    /// The LP token (created by the pool at instantiation, at an address known in advance).
    pub lp_token: Addr,
    /// Swap fee, fractions of 1e10.
    pub fee: u64,
    /// Admin share of fees, fractions of 1e10.
    pub admin_fee: u64,
    /// Receives the admin share of fees.
    pub fee_recipient: Addr,
    /// Moving-average time constant, seconds.
    pub ema_time: u64,
    /// Paused operations.
    pub paused: PoolPauseFlags,
}

/// Parameters.
pub const CONFIG: Item<Config> = Item::new("config");
/// The A ramp.
pub const RAMP: Item<Ramp> = Item::new("ramp");
/// Balances and prices.
pub const POOL: Item<PoolState> = Item::new("pool");
