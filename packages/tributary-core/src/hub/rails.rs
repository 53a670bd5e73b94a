//! The hub's safety rails on its exchange rate (issue 11), applied right after every
//! [`Ledger::sync`]:
//!
//! * **APR ceiling.** The rate (recognised native per LST) may rise no faster than
//!   [`Rails::max_apr_bps`] a year, pro rata to the seconds since the last sync
//!   ([`State::rate_anchor`]; compounding from sync to sync, so at most e^0.2 − 1 = 22.1 % in a
//!   year at the default). Rewards above it are *withheld* ([`State::withheld`]): they stay
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

use cosmwasm_std::{Timestamp, Uint128, Uint256};
use tributary_math::{MathError, VIRTUAL_OFFSET};

use super::ledger::{epoch_at, Ledger, SyncReport};
use super::records::{BunkerInfo, Rails, RateAnchor};
use super::HubError;

/// Seconds in the year the APR ceiling is measured in (365 days).
pub const SECONDS_PER_YEAR: u64 = 31_536_000;

const BPS: u64 = 10_000;

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
        Ok(self.full_value_pool()?.assets)
    }

    /// The most native the rate may count now: the anchor's rate grown by the APR ceiling over
    /// the seconds since it, applied to the LST counted now, rounded up. Rates are the share
    /// pool's (the lower of `(assets + VIRTUAL_OFFSET) / (lst + VIRTUAL_OFFSET)` and
    /// `assets / lst`), so that a mint or a redemption at the capped rate leaves it where it is.
    /// (While the ceiling binds, their rounding dust goes to the withheld rewards, not the
    /// rate.) `None` before the first crank, or with no LST.
    pub fn rate_ceiling(&self, rails: &Rails) -> Result<Option<Uint128>, HubError> {
        let Some(anchor) = &self.state.rate_anchor else {
            return Ok(None);
        };
        rate_ceiling(anchor, self.total_lst()?, self.now, rails.max_apr_bps)
    }

    /// Applies the rails after [`Ledger::sync`] (`report` is what it found): recomputes the
    /// withheld rewards under the APR ceiling, books a slash at its full loss (the ceiling drops
    /// by the loss), enters bunker mode if the fall passes `max_drop_bps` (a new slash during
    /// bunker mode restarts its count), and re-anchors the ceiling at the rate recognised now
    /// (once the first crank has anchored it).
    /// Applying it twice at the same time changes nothing the second time.
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
        // the ceiling is measured from the rate recognised now: a later bond or redemption at
        // this rate cannot lower it (the cap only rounds up), and a loss is not made up. (The
        // first anchor is set by the first crank: before it there is no ceiling.)
        if self.state.rate_anchor.is_some() {
            self.state.rate_anchor = Some(RateAnchor {
                assets: recognised,
                lst: self.total_lst()?,
                at: self.now,
            });
        }
        out.withheld = self.state.withheld;
        Ok(out)
    }

    /// The rails at a crank, after [`Ledger::start_crank`]: a bunker that has lasted an
    /// unbonding period ends first (a mass slash in this very sync then starts a new one);
    /// then [`Ledger::apply_rails`]; then, if no slash was booked in the epoch the crank
    /// processes (by its sync or by any message before it), the crank counts as quiet, and
    /// `bunker_epochs` quiet cranks in a row end bunker mode.
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
        let (genesis, epoch_period) = (self.params.genesis, self.params.epoch_period);
        let epoch = self.state.epoch;
        if let Some(bunker) = &mut self.state.bunker {
            // quiet: no slash booked in the epoch this crank processes (by it, or by any
            // message before it)
            if epoch_at(genesis, epoch_period, bunker.last_slash_at) < epoch {
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

/// The most native the rate may count for `lst` LST at `now`: `anchor`'s rate grown by the APR
/// ceiling (`max_apr_bps` a year) over the seconds since it, rounded up (see
/// [`Ledger::rate_ceiling`]). `None` with no LST.
pub fn rate_ceiling(
    anchor: &RateAnchor,
    lst: Uint128,
    now: Timestamp,
    max_apr_bps: u16,
) -> Result<Option<Uint128>, HubError> {
    let lst = Uint256::from(lst);
    if lst.is_zero() {
        return Ok(None);
    }
    let offset = Uint256::from(VIRTUAL_OFFSET);
    // the anchor's rate, num / den: the lower of the virtual and the actual one
    let (virtual_num, virtual_den) = (
        Uint256::from(anchor.assets).checked_add(offset)?,
        Uint256::from(anchor.lst).checked_add(offset)?,
    );
    let (actual_num, actual_den) = (Uint256::from(anchor.assets), Uint256::from(anchor.lst));
    let actual_lower = !actual_den.is_zero()
        && actual_num.checked_mul(virtual_den)? < virtual_num.checked_mul(actual_den)?;
    let (num, den) = if actual_lower {
        (actual_num, actual_den)
    } else {
        (virtual_num, virtual_den)
    };
    let elapsed = now.seconds().saturating_sub(anchor.at.seconds());
    let year = Uint256::from(BPS).checked_mul(Uint256::from(SECONDS_PER_YEAR))?;
    let growth = year.checked_add(Uint256::from(max_apr_bps).checked_mul(elapsed.into())?)?;
    let denominator = den.checked_mul(year)?;
    let at_rate = |shares: Uint256| -> Result<Uint256, HubError> {
        let numerator = shares.checked_mul(num)?.checked_mul(growth)?;
        Ok(numerator
            .checked_add(denominator.checked_sub(Uint256::one())?)?
            .checked_div(denominator)
            .map_err(|_| MathError::DivideByZero)?)
    };
    // the pool's rate is the lower of its two: either one at the ceiling keeps it there
    let virtual_cap = at_rate(lst.checked_add(offset)?)?.saturating_sub(offset);
    let actual_cap = at_rate(lst)?;
    Ok(Some(Uint128::try_from(virtual_cap.max(actual_cap))?))
}
