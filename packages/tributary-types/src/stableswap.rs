//! The market: a two-asset StableSwap pool (Curve's invariant) for LST/native and LRT/LST, with
//! an LP token, swap fee with an admin share, A ramping, spot and moving-average prices, and a peg
//! query that compares the market price with the redemption rate.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Decimal, Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_ownable::{cw_ownable_execute, cw_ownable_query};

use crate::token::TokenInfo;

/// The highest swap fee: 1 % (fractions of 1e10).
pub const MAX_FEE: u64 = 100_000_000;
/// The highest admin share of fees: 100 % (fractions of 1e10).
pub const MAX_ADMIN_FEE: u64 = 10_000_000_000;
/// The largest A.
pub const MAX_A: u64 = 1_000_000;
/// A may change by at most this factor per ramp.
pub const MAX_A_CHANGE: u64 = 10;
/// A ramp must last at least this long (seconds).
pub const MIN_RAMP_TIME: u64 = 86_400;
/// The moving average is fed a price at most this far from itself per update, bps.
pub const EMA_FEED_CAP_BPS: u16 = 200;

/// A coin of the pool.
#[cw_serde]
pub enum AssetInfo {
    /// A bank denom.
    Native { denom: String },
    /// A cw20 token.
    Cw20 { contract: String },
}

/// Where a coin's redemption rate comes from. The pool prices that coin at its rate (like Curve's
/// pools for exchange-rate tokens), so a balanced pool trades at the redemption rate and the peg
/// query measures the discount against it.
#[cw_serde]
pub enum RateSource {
    /// Pegged one to one.
    Fixed {},
    /// A Tributary hub: native per LST (its `exchange_rate`).
    Hub { contract: String },
    /// A Tributary vault: LST per LRT (its `rate`).
    Vault { contract: String },
}

/// Instantiates a pool and its LP token.
#[cw_serde]
pub struct InstantiateMsg {
    /// Owner: fees, A ramps, pauses. Transferred in two steps.
    pub owner: String,
    /// The two coins: coin 0 is the liquid token (LST or LRT), coin 1 what it is quoted in.
    pub assets: [AssetInfo; 2],
    /// Their decimals.
    pub decimals: [u8; 2],
    /// Rate of coin 0 in coin 1 (coin 1 is always at rate one).
    pub rate_source: RateSource,
    /// Amplification A (1 to [`MAX_A`]).
    pub amp: u64,
    /// Swap fee, fractions of 1e10 (4 bps = 4,000,000), at most [`MAX_FEE`].
    pub fee: u64,
    /// Admin share of fees, fractions of 1e10.
    pub admin_fee: u64,
    /// Receives the admin fees.
    pub fee_recipient: String,
    /// Half-life-like time constant of the moving-average price, seconds.
    pub ema_time: u64,
    /// The LP token (cw20-base; 18 decimals like D).
    pub lp: TokenInfo,
}

/// Which pool operations are paused. Withdrawing in proportion is never paused.
#[cw_serde]
#[derive(Default, Copy)]
pub struct PoolPauseFlags {
    /// Deposits are refused.
    pub provide: bool,
    /// Swaps are refused.
    pub swap: bool,
    /// One-coin withdrawals are refused.
    pub withdraw_one: bool,
}

/// Actions on the pool.
#[cw_ownable_execute]
#[cw_serde]
pub enum ExecuteMsg {
    /// Deposit `amounts` (native attached; cw20 pulled with `TransferFrom`, so approve first).
    ProvideLiquidity {
        amounts: [Uint128; 2],
        /// Least LP accepted.
        min_lp: Option<Uint128>,
    },
    /// Swap attached native coin for the other coin.
    Swap {
        /// Least output accepted.
        min_out: Option<Uint128>,
        /// Recipient (default: sender).
        to: Option<String>,
    },
    /// cw20 hook: a cw20 coin (swap or one-sided deposit) or the LP token (withdrawals).
    Receive(Cw20ReceiveMsg),
    /// Owner: ramp A to `future_a` by `future_time` (at least a day; at most ×10 either way from
    /// A now; at least a day after the last ramp began or was stopped).
    RampA { future_a: u64, future_time: u64 },
    /// Owner: freeze A where it is.
    StopRampA {},
    /// Owner: set the swap fee and admin share.
    SetFees { fee: u64, admin_fee: u64 },
    /// Anyone: send accrued admin fees to the fee recipient.
    CollectAdminFees {},
    /// Owner: set pause flags.
    SetPause(PoolPauseFlags),
}

/// Hooks accepted through cw20 `Send`.
#[cw_serde]
pub enum ReceiveMsg {
    /// With a cw20 coin: swap it for the other coin.
    Swap {
        min_out: Option<Uint128>,
        to: Option<String>,
    },
    /// With a cw20 coin: deposit it one-sided.
    Provide { min_lp: Option<Uint128> },
    /// With LP: withdraw both coins in proportion.
    WithdrawLiquidity { min_amounts: Option<[Uint128; 2]> },
    /// With LP: withdraw one coin.
    WithdrawOne { coin: u8, min_out: Option<Uint128> },
}

/// Migration parameters (none yet).
#[cw_serde]
pub struct MigrateMsg {}

/// Queries of the pool.
#[cw_ownable_query]
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(PoolConfigResponse)]
    Config {},
    /// Balances, LP supply, A now, invariant, virtual price.
    #[returns(PoolResponse)]
    Pool {},
    /// What selling `amount` of coin `offer` returns now.
    #[returns(SimulateSwapResponse)]
    SimulateSwap { offer: u8, amount: Uint128 },
    /// LP minted for depositing `amounts` now.
    #[returns(Uint128)]
    SimulateProvide { amounts: [Uint128; 2] },
    /// Coins paid for burning `lp` in proportion.
    #[returns([Uint128; 2])]
    SimulateWithdraw { lp: Uint128 },
    /// Coin `coin` paid for burning `lp` one-sided.
    #[returns(Uint128)]
    SimulateWithdrawOne { lp: Uint128, coin: u8 },
    /// What `lp` LP tokens are worth in coin `coin` at a value no single transaction can move:
    /// their share of the invariant D (swaps only raise it); in coin 1, coin 0 is priced at the
    /// lesser of its moving-average price and its redemption rate; in coin 0, coin 1 converts
    /// at the redemption rate. This is the valuation to mint or burn against;
    /// `SimulateWithdrawOne` is spot and must not be.
    #[returns(Uint128)]
    FairValue { lp: Uint128, coin: u8 },
    /// Prices of coin 0 in coin 1: spot, moving average, and the redemption rate with the discount.
    #[returns(PegResponse)]
    Peg {},
}

/// Response to [`QueryMsg::Config`].
#[cw_serde]
pub struct PoolConfigResponse {
    pub assets: [AssetInfo; 2],
    pub decimals: [u8; 2],
    pub rate_source: RateSource,
    pub lp_token: String,
    pub fee: u64,
    pub admin_fee: u64,
    pub fee_recipient: String,
    pub ema_time: u64,
    /// A ramp: (initial A, start, future A, end), A × 100.
    pub ramp: (u64, Timestamp, u64, Timestamp),
    pub paused: PoolPauseFlags,
}

/// Response to [`QueryMsg::Pool`].
#[cw_serde]
pub struct PoolResponse {
    /// Balances that belong to LPs.
    pub balances: [Uint128; 2],
    /// Admin fees held, not yet collected.
    pub admin_balances: [Uint128; 2],
    pub lp_supply: Uint128,
    /// A now (× 100).
    pub amp: u64,
    /// Coin 0's rate in coin 1 now.
    pub rate: Decimal,
    /// D per LP.
    pub virtual_price: Decimal,
    /// Share of coin 0 in the pool's value at the rate, bps.
    pub coin0_share_bps: u16,
}

/// Response to [`QueryMsg::SimulateSwap`].
#[cw_serde]
pub struct SimulateSwapResponse {
    pub return_amount: Uint128,
    pub fee: Uint128,
    pub admin_fee: Uint128,
}

/// Response to [`QueryMsg::Peg`].
#[cw_serde]
pub struct PegResponse {
    /// Redemption rate of coin 0 in coin 1 (what the hub or vault pays).
    pub redemption_rate: Decimal,
    /// Marginal market price of coin 0 in coin 1 now.
    pub spot_price: Decimal,
    /// Moving-average market price.
    pub ema_price: Decimal,
    /// How far the spot price is below the redemption rate, bps (0 at or above it).
    pub spot_discount_bps: u16,
    /// How far the moving average is below the redemption rate, bps.
    pub ema_discount_bps: u16,
}
