//! The quick path of a bond: priced from the [`Snapshot`] the last saved sync left, plus the one
//! validator it delegates to, so its cost does not grow with the validator set.
//!
//! A full sync (every delegation queried, every validator record read and written) runs in the
//! crank, in admin actions, and in any message that finds the snapshot unusable; a quick bond
//! reads and writes only the state and its deposit validator's record, and queries only that
//! delegation and the LST supply.
//!
//! **What a quick bond does not see, and why it cannot be used against anyone.**
//! - *Native that arrived unbooked* (a batch's payout, a donation): the hub's balance is
//!   queried (O(1)) and must be exactly the claim reserve, what the unbonding batches had
//!   received and the rewards held; anything else sends the bond to the full path, which
//!   attributes it (payouts first).
//! - *Rewards accrued since the snapshot on other validators.* The bond is priced as if they had
//!   grown at the staking reward rate last measured: staking rewards earned (withdrawn plus
//!   accrued, so a donation cannot move it) per delegated native-second, time-weighted over a
//!   window of at least an eighth of an epoch, applied to the snapshot's delegations and rounded
//!   up; never below what quick bonds have seen on their deposit validators. So a bond just
//!   before a crank pays for the rewards it joins (nobody can snipe them) to within the change
//!   of the chain's reward rate since the measurement, and an honest bond pays no premium.
//! - *A slash on another validator since the snapshot.* The bond is priced before that loss:
//!   the bonder overpays, by at most the slash's share of the hub, and those already holding
//!   LST gain it; nobody can profit from it (unbonding is priced at the batch's submission,
//!   after a full sync). A slash on the deposit validator itself is seen (its delegation is
//!   queried) and sends the bond to the full path, which books the slash and applies the rails
//!   first. The snapshot is at most one epoch old: the first bond of an epoch syncs.
//! - *A slash booked since the rate was measured.* Until a sync books a slash, the measuring
//!   window counts the slashed stake at its booked amount, so the rate it gives is too low for
//!   the stake booked afterwards, and growth priced from it would let a bond mint too much. A
//!   sync that books a slash of more than a millionth of the stake discards the measurement and
//!   starts a new window; bonds take the full path (`NoRateMeasured`) until it is an eighth of
//!   an epoch long. (A unit or so of a chain's share rounding does not: see `material_slash`.)
//! - *The APR ceiling's anchor.* A full path re-anchors the ceiling at the rate it recognises
//!   before the bond; a quick bond re-anchors it at the value it priced, capped at the
//!   ceiling's own rate now. The ceiling's schedule is kept; it is looser than a full sync's
//!   anchor only by the priced growth above the real one, until the next sync.
//! - *The spread of stake.* Quick bonds all go to the snapshot's deposit validator (the one most
//!   under its target) until it would be more than [`DRIFT_BPS`] above its target; the bond
//!   that would take it there syncs and picks the next one.

use cosmwasm_std::{Timestamp, Uint128, Uint256};
use tributary_math::MathError;

use super::ledger::{epoch_at, full_value_pool, ValidatorPosition};
use super::plans::{mint_for_bond, BondPlan, StakingAction};
use super::rails::rate_ceiling;
use super::records::{RateAnchor, Snapshot, State};
use super::{HubError, LedgerParams};
use crate::Delayed;

/// How far above its target weight (basis points of the target) quick bonds may take the
/// deposit validator; the crank's rebalancing brings it back.
pub const DRIFT_BPS: u128 = 1_000;

/// Why a message takes the full path (a full sync) instead of the quick one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncNeeded {
    /// No sync has been saved yet.
    NoSnapshot,
    /// The staking reward rate has not been measured yet (the first eighth of an epoch after
    /// the first saved sync).
    NoRateMeasured,
    /// The last saved sync is from an earlier epoch.
    NewEpoch,
    /// A queued fee change has come due (a sync applies it).
    FeeChangeDue,
    /// A slash is being worked through (bunker mode): every bond syncs.
    Bunker,
    /// No validator takes deposits (none is active, or the chosen one was removed).
    NoDepositValidator,
    /// The deposit validator's delegation is below the books: it was slashed.
    SlashSeen,
    /// The hub's balance is not what the books say: native arrived unbooked (a payout, a
    /// donation) or left.
    UnbookedBalance,
    /// The bond would take the deposit validator more than [`DRIFT_BPS`] above its target.
    DepositValidatorFull,
}

impl SyncNeeded {
    /// Attribute value.
    pub fn describe(&self) -> &'static str {
        match self {
            SyncNeeded::NoSnapshot => "no_snapshot",
            SyncNeeded::NoRateMeasured => "no_rate_measured",
            SyncNeeded::NewEpoch => "new_epoch",
            SyncNeeded::FeeChangeDue => "fee_change_due",
            SyncNeeded::Bunker => "bunker",
            SyncNeeded::NoDepositValidator => "no_deposit_validator",
            SyncNeeded::SlashSeen => "slash_seen",
            SyncNeeded::UnbookedBalance => "unbooked_balance",
            SyncNeeded::DepositValidatorFull => "deposit_validator_full",
        }
    }
}

/// The hub's parameters and the chain's figures a quick bond needs.
#[derive(Clone, Debug)]
pub struct QuickContext<'a> {
    /// Ledger parameters (genesis and epoch length).
    pub params: &'a LedgerParams,
    /// The fee on rewards.
    pub fee: &'a Delayed<u16>,
    /// The APR ceiling, basis points a year (for re-anchoring it).
    pub max_apr_bps: u16,
    /// Block time.
    pub now: Timestamp,
}

/// The snapshot a quick bond can be priced from, and the validator it delegates to; or why the
/// message must sync in full.
pub fn usable_snapshot<'s>(
    state: &'s State,
    ctx: &QuickContext,
) -> Result<(&'s Snapshot, &'s str), SyncNeeded> {
    let snapshot = state.snapshot.as_ref().ok_or(SyncNeeded::NoSnapshot)?;
    if snapshot.epoch != epoch_at(ctx.params.genesis, ctx.params.epoch_period, ctx.now) {
        return Err(SyncNeeded::NewEpoch);
    }
    if snapshot.accrual_stake_seconds.is_zero() {
        return Err(SyncNeeded::NoRateMeasured);
    }
    if ctx
        .fee
        .pending
        .as_ref()
        .is_some_and(|change| ctx.now >= change.effective_at)
    {
        return Err(SyncNeeded::FeeChangeDue);
    }
    if state.bunker.is_some() {
        return Err(SyncNeeded::Bunker);
    }
    let deposit = snapshot
        .deposit_validator
        .as_deref()
        .ok_or(SyncNeeded::NoDepositValidator)?;
    Ok((snapshot, deposit))
}

/// Rewards accrued since the snapshot as a quick bond prices them: the staking reward rate last
/// measured (rewards per delegated native-second, time-weighted over at least an eighth of an
/// epoch; staking rewards only, so a donation cannot move it) on the snapshot's delegations over
/// the seconds since, rounded up; never below what quick bonds have seen.
pub fn priced_growth(snapshot: &Snapshot, ctx: &QuickContext) -> Result<Uint128, HubError> {
    let elapsed = ctx.now.seconds().saturating_sub(snapshot.at.seconds());
    let measured = if snapshot.accrual_stake_seconds.is_zero() {
        Uint128::zero()
    } else {
        let numerator = Uint256::from(snapshot.accrual)
            .checked_mul(Uint256::from(snapshot.booked))?
            .checked_mul(Uint256::from(elapsed))?;
        let denominator = Uint256::from(snapshot.accrual_stake_seconds);
        let up = numerator
            .checked_add(denominator.checked_sub(Uint256::one())?)?
            .checked_div(denominator)
            .map_err(|_| MathError::DivideByZero)?;
        Uint128::try_from(up).map_err(|_| MathError::Overflow)?
    };
    Ok(measured.max(snapshot.seen))
}

/// The chain's figures a quick bond reads: the LST supply and the hub's balance less the bond's
/// own funds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuickFigures {
    /// LST token supply.
    pub lst_supply: Uint128,
    /// The hub's native balance, less the funds attached to the bond.
    pub balance: Uint128,
}

/// Bonds `amount` on the quick path: `deposit` is the snapshot's deposit validator as loaded
/// (record and the chain's delegation). Mints at the snapshot's value plus the priced growth
/// (see [`priced_growth`]); withdraws the deposit validator's accrued rewards (booked as held)
/// and delegates to it. `Ok(Err(_))`: take the full path instead (nothing was changed).
pub fn quick_bond(
    state: &mut State,
    deposit: &mut ValidatorPosition,
    ctx: &QuickContext,
    figures: QuickFigures,
    amount: Uint128,
    deposit_cap: Option<Uint128>,
    min_out: Option<Uint128>,
) -> Result<Result<BondPlan, SyncNeeded>, HubError> {
    let snapshot = match usable_snapshot(state, ctx) {
        Ok((snapshot, address)) if address == deposit.address => snapshot.clone(),
        Ok(_) => return Ok(Err(SyncNeeded::NoDepositValidator)),
        Err(needed) => return Ok(Err(needed)),
    };
    if deposit.record.weight == 0 {
        return Ok(Err(SyncNeeded::NoDepositValidator));
    }
    if deposit.actual < deposit.record.booked {
        return Ok(Err(SyncNeeded::SlashSeen));
    }
    let booked_balance = state
        .unclaimed_reserve
        .checked_add(snapshot.received)?
        .checked_add(state.rewards_held)?;
    if figures.balance != booked_balance {
        return Ok(Err(SyncNeeded::UnbookedBalance));
    }
    let target = snapshot
        .booked
        .checked_add(amount)?
        .checked_multiply_ratio(deposit.record.weight, snapshot.total_weight.max(1))?;
    let allowed = target.checked_multiply_ratio(10_000 + DRIFT_BPS, 10_000u128)?;
    if deposit.record.booked.checked_add(amount)? > allowed {
        return Ok(Err(SyncNeeded::DepositValidatorFull));
    }
    let mut next = snapshot;
    let growth = deposit
        .accrued
        .saturating_sub(deposit.record.accrued_at_sync);
    next.seen = next.seen.checked_add(growth)?;
    let rewards = next.rewards.checked_add(priced_growth(&next, ctx)?)?;
    let pool = full_value_pool(
        state,
        ctx.fee.current,
        next.booked,
        rewards,
        figures.lst_supply,
    )?;
    let minted = mint_for_bond(pool, amount, deposit_cap, min_out)?;
    state.withhold_bond_share(&pool, amount, minted)?;

    let mut actions = vec![];
    if !deposit.accrued.is_zero() {
        state.rewards_held = state.rewards_held.checked_add(deposit.accrued)?;
        state.rewards_withdrawn = state.rewards_withdrawn.checked_add(deposit.accrued)?;
        actions.push(StakingAction::WithdrawRewards {
            validator: deposit.address.clone(),
        });
    }
    deposit.accrued = Uint128::zero();
    deposit.record.accrued_at_sync = Uint128::zero();
    deposit.record.booked = deposit.record.booked.checked_add(amount)?;
    next.advance_stake(ctx.now)?;
    next.booked = next.booked.checked_add(amount)?;
    state.snapshot = Some(next);
    // re-anchor the APR ceiling before the bond, as a full path's sync does: at the value
    // priced, never above the ceiling's own rate now (so the ceiling's schedule is kept), over
    // the LST counted before the bond
    if let Some(anchor) = state.rate_anchor.as_ref() {
        let lst = pool.shares;
        let recognised = match rate_ceiling(anchor, lst, ctx.now, ctx.max_apr_bps)? {
            Some(cap) => pool.assets.min(cap),
            None => pool.assets,
        };
        state.rate_anchor = Some(RateAnchor {
            assets: recognised,
            lst,
            at: ctx.now,
        });
    }
    actions.push(StakingAction::Delegate {
        validator: deposit.address.clone(),
        amount,
    });
    Ok(Ok(BondPlan {
        minted,
        validator: deposit.address.clone(),
        actions,
    }))
}
