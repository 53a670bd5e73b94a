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
pub use tributary_core::market::{EMA_FEED_CAP_BPS, MAX_A, MAX_A_CHANGE, MIN_RAMP_TIME};

/// A coin of the pool.
#[cw_serde]
pub enum AssetInfo {
    /// A bank denom.
    Native {
        /// The denom.
        denom: String,
    },
    /// A cw20 token.
    Cw20 {
        /// The token's address.
        contract: String,
    },
}

/// Where a coin's redemption rate comes from. The pool prices that coin at its rate (like Curve's
/// pools for exchange-rate tokens), so a balanced pool trades at the redemption rate and the peg
/// query measures the discount against it.
#[cw_serde]
pub enum RateSource {
    /// Pegged one to one.
    Fixed {},
    /// A Tributary hub: native per LST at what a bond pays, its `total_native` plus `withheld`
    /// over `lst_supply` plus `pending_unbond_lst` (the `exchange_rate` without the APR
    /// ceiling's holding back; the same while nothing is withheld).
    Hub {
        /// The hub's address.
        contract: String,
    },
    /// A Tributary vault: LST per LRT (its `rate`).
    Vault {
        /// The vault's address.
        contract: String,
    },
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
        /// Amounts of coin 0 and coin 1.
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
    RampA {
        /// A at the end of the ramp (plain, not × 100).
        future_a: u64,
        /// When the ramp ends, seconds.
        future_time: u64,
    },
    /// Owner: freeze A where it is.
    StopRampA {},
    /// Owner: set the swap fee and admin share.
    SetFees {
        /// Swap fee, fractions of 1e10, at most [`MAX_FEE`].
        fee: u64,
        /// Admin share of fees, fractions of 1e10, at most [`MAX_ADMIN_FEE`].
        admin_fee: u64,
    },
    /// Anyone: send accrued admin fees to the fee recipient.
    CollectAdminFees {},
    /// Owner: set pause flags.
    SetPause(PoolPauseFlags),
}

impl ExecuteMsg {
    /// Whether this message takes native funds (`ProvideLiquidity`, `Swap`); every other message refuses funds
    /// attached to it, so nobody loses coins sent by mistake.
    pub fn takes_funds(&self) -> bool {
        matches!(
            self,
            ExecuteMsg::ProvideLiquidity { .. } | ExecuteMsg::Swap { .. }
        )
    }
}

/// Hooks accepted through cw20 `Send`.
#[cw_serde]
pub enum ReceiveMsg {
    /// With a cw20 coin: swap it for the other coin.
    Swap {
        /// Least output accepted.
        min_out: Option<Uint128>,
        /// Recipient (default: the sender of the cw20).
        to: Option<String>,
    },
    /// With a cw20 coin: deposit it one-sided.
    Provide {
        /// Least LP accepted.
        min_lp: Option<Uint128>,
    },
    /// With LP: withdraw both coins in proportion. Never paused.
    WithdrawLiquidity {
        /// Least of each coin accepted.
        min_amounts: Option<[Uint128; 2]>,
    },
    /// With LP: withdraw one coin.
    WithdrawOne {
        /// The coin to receive: 0 or 1.
        coin: u8,
        /// Least output accepted.
        min_out: Option<Uint128>,
    },
}

/// Migration parameters (none yet).
#[cw_serde]
pub struct MigrateMsg {}

/// Queries of the pool.
#[cw_ownable_query]
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The pool's parameters.
    #[returns(PoolConfigResponse)]
    Config {},
    /// Balances, LP supply, A now, invariant, virtual price.
    #[returns(PoolResponse)]
    Pool {},
    /// What selling `amount` of coin `offer` returns now.
    #[returns(SimulateSwapResponse)]
    SimulateSwap {
        /// The coin sold: 0 or 1.
        offer: u8,
        /// How much of it.
        amount: Uint128,
    },
    /// LP minted for depositing `amounts` now.
    #[returns(Uint128)]
    SimulateProvide {
        /// Amounts of coin 0 and coin 1.
        amounts: [Uint128; 2],
    },
    /// Coins paid for burning `lp` in proportion.
    #[returns([Uint128; 2])]
    SimulateWithdraw {
        /// LP burned.
        lp: Uint128,
    },
    /// Coin `coin` paid for burning `lp` one-sided.
    #[returns(Uint128)]
    SimulateWithdrawOne {
        /// LP burned.
        lp: Uint128,
        /// The coin received: 0 or 1.
        coin: u8,
    },
    /// What `lp` LP tokens are worth in coin `coin` at a value no single transaction can move:
    /// their share of the invariant D (swaps only raise it); in coin 1, coin 0 is priced at the
    /// lesser of its moving-average price and its redemption rate; in coin 0, coin 1 converts
    /// at the redemption rate. This is the valuation to mint or burn against;
    /// `SimulateWithdrawOne` is spot and must not be.
    #[returns(Uint128)]
    FairValue {
        /// LP valued.
        lp: Uint128,
        /// The coin to value it in: 0 or 1.
        coin: u8,
    },
    /// Prices of coin 0 in coin 1: spot, moving average, and the redemption rate with the discount.
    #[returns(PegResponse)]
    Peg {},
}

/// Response to [`QueryMsg::Config`].
#[cw_serde]
pub struct PoolConfigResponse {
    /// The two coins.
    pub assets: [AssetInfo; 2],
    /// Their decimals.
    pub decimals: [u8; 2],
    /// Where coin 0's rate comes from.
    pub rate_source: RateSource,
    /// The LP token's address.
    pub lp_token: String,
    /// Swap fee, fractions of 1e10.
    pub fee: u64,
    /// Admin share of fees, fractions of 1e10.
    pub admin_fee: u64,
    /// Receives the admin fees.
    pub fee_recipient: String,
    /// Time constant of the moving-average price, seconds.
    pub ema_time: u64,
    /// The A ramp.
    pub ramp: RampResponse,
    /// Paused operations.
    pub paused: PoolPauseFlags,
}

/// The A ramp: A moves linearly from `initial_a` at `initial_time` to `future_a` at
/// `future_time` (values are A × 100).
#[cw_serde]
pub struct RampResponse {
    /// A when the ramp began, × 100.
    pub initial_a: u64,
    /// When the ramp began.
    pub initial_time: Timestamp,
    /// A at the end of the ramp, × 100.
    pub future_a: u64,
    /// When the ramp ends.
    pub future_time: Timestamp,
}

/// Response to [`QueryMsg::Pool`].
#[cw_serde]
pub struct PoolResponse {
    /// Balances that belong to LPs.
    pub balances: [Uint128; 2],
    /// Admin fees held, not yet collected.
    pub admin_balances: [Uint128; 2],
    /// LP tokens outstanding.
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
    /// What the seller receives, after the fee.
    pub return_amount: Uint128,
    /// The swap fee taken from the output.
    pub fee: Uint128,
    /// Of the fee, the admin share.
    pub admin_fee: Uint128,
}

/// Response to [`QueryMsg::Peg`].
#[cw_serde]
pub struct PegResponse {
    /// The rate coin 0 is scaled by, in coin 1: the rate source's value of coin 0 (for a hub,
    /// what a bond pays per LST; see [`RateSource::Hub`]).
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
