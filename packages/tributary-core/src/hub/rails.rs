//! The hub's safety rails on its exchange rate (issue 11), applied right after every
//! [`Ledger::sync`]:
//!
//! * **APR ceiling.** The rate (recognised native per LST) may rise no faster than
//!   [`Rails::max_apr_bps`] a year, pro rata to the seconds since the last crank
//!   ([`State::rate_anchor`]). Rewards above it are *withheld* ([`State::withheld`]): they stay
//!   the hub's (in its balance or delegations, so they are backed), are excluded from the rate
//!   ([`Ledger::pool`] subtracts them) and are recognised as time raises the ceiling.
//! * **Drop detection.** A slash booked by a sync lowers the rate by the full loss (withheld
//!   rewards never absorb it; the ceiling is re-anchored below the loss). A fall beyond
//!   [`Rails::max_drop_bps`] in one sync is reported ([`RailsReport::rate_drop`]) and starts
//!   bunker mode ([`State::bunker`]), during which the pending batch is not priced.
//!
//! [`State::rate_anchor`]: super::State::rate_anchor
//! [`State::withheld`]: super::State::withheld
//! [`State::bunker`]: super::State::bunker

use cosmwasm_std::{Uint128, Uint256};
use tributary_math::MathError;

use super::ledger::{Ledger, SyncReport};
use super::records::{BunkerInfo, Rails, RateAnchor};
use super::HubError;

/// Seconds in the year the APR ceiling is measured in (365 days).
pub const SECONDS_PER_YEAR: u64 = 31_536_000;

const BPS: u64 = 10_000;

/// Rounding tolerance of the ceiling: one part in 10⁸ of it, plus this many units (the
/// rounding of mints and redemptions, in the pool's favour, raises the rate by dust).
const SLACK_UNITS: u128 = 2;
const SLACK_DIVISOR: u128 = 100_000_000;

/// What the rails did after a sync.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RailsReport {
    /// Rewards withheld from the rate after this sync.
    pub withheld: Uint128,
    /// Fall of the rate this sync booked, basis points of the rate before it (slashes only).
    pub drop_bps: u16,
    /// The fall passed [`Rails::max_drop_bps`]: bonds and instant unstaking must pause.
    pub rate_drop: bool,
    /// Bunker mode began with this sync.
    pub bunker_entered: bool,
    /// Bunker mode ended with this crank.
    pub bunker_ended: bool,
}

impl Ledger {
    /// Everything the hub's LST is backed by: booked delegations plus pending rewards net of
    /// the fee (withheld rewards included).
    pub fn gross_assets(&self) -> Result<Uint128, HubError> {
        let rewards = self.pending_rewards()?;
        let net = rewards.checked_sub(self.fee_on(rewards)?)?;
        Ok(self.booked_total()?.checked_add(net)?)
    }

    /// The most native the rate may count now: the anchor's rate grown by the APR ceiling over
    /// the seconds since it, times the LST counted now, rounded up, plus the rounding tolerance.
    /// `None` before the first crank, or with no LST.
    pub fn rate_ceiling(&self, rails: &Rails) -> Result<Option<Uint128>, HubError> {
        let Some(anchor) = &self.state.rate_anchor else {
            return Ok(None);
        };
        let lst = self.total_lst()?;
        if anchor.lst.is_zero() || lst.is_zero() {
            return Ok(None);
        }
        let elapsed = self.now.seconds().saturating_sub(anchor.at.seconds());
        let year = Uint256::from(BPS).checked_mul(Uint256::from(SECONDS_PER_YEAR))?;
        let growth =
            year.checked_add(Uint256::from(rails.max_apr_bps).checked_mul(elapsed.into())?)?;
        let numerator = Uint256::from(lst)
            .checked_mul(anchor.assets.into())?
            .checked_mul(growth)?;
        let denominator = Uint256::from(anchor.lst).checked_mul(year)?;
        let cap = numerator
            .checked_add(denominator.checked_sub(Uint256::one())?)?
            .checked_div(denominator)
            .map_err(|_| MathError::DivideByZero)?;
        let cap = Uint128::try_from(cap)?;
        let slack = (cap / Uint128::new(SLACK_DIVISOR)).checked_add(SLACK_UNITS.into())?;
        Ok(Some(cap.checked_add(slack)?))
    }

    /// Applies the rails after [`Ledger::sync`] (`report` is what it found): recomputes the
    /// withheld rewards under the APR ceiling, books a slash at its full loss (re-anchoring the
    /// ceiling below it), and enters bunker mode if the fall passes `max_drop_bps` (a new slash
    /// during bunker mode restarts its count). Applying it twice at the same time changes
    /// nothing the second time.
    pub fn apply_rails(
        &mut self,
        rails: &Rails,
        report: &SyncReport,
    ) -> Result<RailsReport, HubError> {
        let gross = self.gross_assets()?;
        let withheld_before = self.state.withheld.min(gross);
        let ceiling = self.rate_ceiling(rails)?;
        let slashed = report.slashed_delegations;
        let mut out = RailsReport::default();
        let recognised = if slashed.is_zero() {
            match ceiling {
                Some(cap) => gross.min(cap),
                None => gross.checked_sub(withheld_before)?,
            }
        } else {
            // the loss lowers the rate in full: withheld rewards stay withheld, and the
            // ceiling drops by the loss
            let kept = gross.checked_sub(withheld_before)?;
            let recognised = match ceiling {
                Some(cap) => kept.min(cap.saturating_sub(slashed)),
                None => kept,
            };
            let before = recognised.checked_add(slashed)?;
            out.drop_bps = if before.is_zero() {
                0
            } else {
                u16::try_from(slashed.multiply_ratio(BPS, before).u128())
                    .map_err(|_| MathError::Overflow)?
            };
            self.state.rate_anchor = Some(RateAnchor {
                assets: recognised,
                lst: self.total_lst()?,
                at: self.now,
            });
            out.rate_drop = out.drop_bps > rails.max_drop_bps;
            match &mut self.state.bunker {
                Some(bunker) => {
                    bunker.last_slash_at = self.now;
                    bunker.quiet_cranks = 0;
                }
                None if out.rate_drop => {
                    self.state.bunker = Some(BunkerInfo {
                        since: self.now,
                        last_slash_at: self.now,
                        quiet_cranks: 0,
                    });
                    out.bunker_entered = true;
                }
                None => {}
            }
            recognised
        };
        self.state.withheld = gross.checked_sub(recognised)?;
        out.withheld = self.state.withheld;
        Ok(out)
    }

    /// The rails at a crank, after [`Ledger::start_crank`]: a bunker that has lasted an
    /// unbonding period ends first (a mass slash in this very sync then starts a new one);
    /// then [`Ledger::apply_rails`]; then, if this sync booked no slash, the crank counts as
    /// quiet, and `bunker_epochs` quiet cranks in a row end bunker mode.
    pub fn crank_rails(
        &mut self,
        rails: &Rails,
        report: &SyncReport,
    ) -> Result<RailsReport, HubError> {
        let unbonding_period = self.params.unbonding_period;
        let timed_out = self
            .state
            .bunker
            .as_ref()
            .is_some_and(|b| self.now >= b.since.plus_seconds(unbonding_period));
        if timed_out {
            self.state.bunker = None;
        }
        let mut out = self.apply_rails(rails, report)?;
        out.bunker_ended = timed_out;
        if report.slashed_delegations.is_zero() {
            if let Some(bunker) = &mut self.state.bunker {
                bunker.quiet_cranks = bunker.quiet_cranks.saturating_add(1);
                if bunker.quiet_cranks >= rails.bunker_epochs {
                    self.state.bunker = None;
                    out.bunker_ended = true;
                }
            }
        }
        Ok(out)
    }

    /// Whether the hub is in bunker mode (the pending batch is not priced).
    pub fn in_bunker(&self) -> bool {
        self.state.bunker.is_some()
    }
}
