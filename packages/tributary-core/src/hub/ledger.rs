//! [`Ledger`]: everything the hub owns and owes, and its reconciliation with the chain.

use std::collections::BTreeMap;

use cosmwasm_std::{Timestamp, Uint128};
use tributary_math::{fee_amount, most_underweight, MathError, SharePool};

use super::records::{
    Batch, BatchStatus, FeeCarry, RedelegationEntry, Snapshot, State, Validator, MAX_CHAIN_ENTRIES,
};
use super::{HubError, StakingAction};
use crate::Delayed;

/// The hub's parameters the ledger needs (a subset of the contract's configuration).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerParams {
    /// Epoch zero starts here (instantiation time).
    pub genesis: Timestamp,
    /// Epoch length, seconds. Also the grace a due batch is given to receive its payout, and the
    /// margin after which a completed chain entry is forgotten.
    pub epoch_period: u64,
    /// The chain's unbonding time, seconds.
    pub unbonding_period: u64,
    /// Minimum seconds between batch submissions.
    pub batch_interval: u64,
    /// Most native moved by rebalancing redelegations in one crank.
    pub max_rebalance_per_epoch: Uint128,
}

/// One validator as loaded: the stored record and the chain's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidatorPosition {
    /// Operator address.
    pub address: String,
    /// Stored record (weight, booked delegation, chain entries).
    pub record: Validator,
    /// Delegation the chain reports.
    pub actual: Uint128,
    /// Rewards (staking denom) accrued on the chain and not yet withdrawn.
    pub accrued: Uint128,
}

impl ValidatorPosition {
    /// A validator the chain reports nothing for yet.
    pub fn new(address: impl Into<String>, record: Validator) -> Self {
        ValidatorPosition {
            address: address.into(),
            record,
            actual: Uint128::zero(),
            accrued: Uint128::zero(),
        }
    }
}

/// A submitted batch still in flight (unbonding, or matured during this sync), with its id.
#[derive(Clone, Debug, PartialEq)]
pub struct InFlightBatch {
    /// Batch id.
    pub id: u64,
    /// The batch.
    pub batch: Batch,
}

/// What a sync found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Native lost from delegations to slashing.
    pub slashed_delegations: Uint128,
    /// Native lost by batches still unbonding.
    pub slashed_batches: Uint128,
    /// Batches that became claimable.
    pub matured: Vec<u64>,
    /// Native that arrived and was attributed to due unbonding batches.
    pub payouts_received: Uint128,
    /// Native that arrived and, no batch being owed it, was classified as rewards.
    pub unexplained_rewards: Uint128,
}

/// Why the chain would refuse a staking message now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainLimit {
    /// The validator already has [`MAX_CHAIN_ENTRIES`] unbonding entries of the hub's.
    UnbondingEntriesFull(String),
    /// Stake was redelegated into the validator within the unbonding period: nothing can be
    /// redelegated out of it yet.
    TransitiveRedelegation(String),
    /// The pair (source, destination) already has [`MAX_CHAIN_ENTRIES`] redelegation entries of
    /// the hub's.
    RedelegationEntriesFull(String, String),
}

impl ChainLimit {
    /// Attribute value: `reason:validator` (or `reason:src>dst`).
    pub fn describe(&self) -> String {
        match self {
            ChainLimit::UnbondingEntriesFull(v) => format!("unbonding_entries_full:{v}"),
            ChainLimit::TransitiveRedelegation(v) => format!("transitive_redelegation:{v}"),
            ChainLimit::RedelegationEntriesFull(s, d) => {
                format!("redelegation_entries_full:{s}>{d}")
            }
        }
    }
}

/// The hub's full accounting snapshot: everything it owns and owes, as stored, together with the
/// chain's figures (delegations, accrued rewards, balance, LST supply) gathered by the contract
/// just before. The contract builds it, calls [`Ledger::sync`] and the transition of the message,
/// saves it back and turns the returned plan into messages. (The restaking vault's equivalent is
/// `tributary_core::vault::Ledger`.)
#[derive(Clone, Debug, PartialEq)]
pub struct Ledger {
    /// Parameters.
    pub params: LedgerParams,
    /// Fee on rewards, basis points, with its queued change. A due change is applied by
    /// [`Ledger::sync`]; the contract writes it back to its configuration.
    pub fee: Delayed<u16>,
    /// Running totals.
    pub state: State,
    /// Every stored validator, removed ones still draining included, in storage order.
    pub validators: Vec<ValidatorPosition>,
    /// Submitted batches not yet claimable (and those that matured during this sync), oldest
    /// first.
    pub batches: Vec<InFlightBatch>,
    /// The hub's native balance, less funds attached to the current message.
    pub balance: Uint128,
    /// LST token supply.
    pub lst_supply: Uint128,
    /// Validators the last sync dropped (drained and no longer referenced): the contract removes
    /// them from storage. Empty when loaded.
    pub pruned: Vec<String>,
    /// Block time of the message.
    pub now: Timestamp,
    /// The validator records as loaded from storage, by address, so the contract writes back
    /// only those that changed. Empty: every record is written.
    pub stored: BTreeMap<String, Validator>,
}

impl Ledger {
    /// Brings the ledger up to date with the chain:
    ///
    /// 1. **Payouts first.** Native that arrived since the last sync (the balance less the claim
    ///    reserve, less what unbonding batches have already received, less the rewards the hub
    ///    knows it holds) is attributed to the unbonding batches whose `claimable_at` has passed,
    ///    each up to what the chain still owes it: those that fell due since the last saved sync
    ///    first, then those due before and still short, oldest first within each. Only what is
    ///    left over is rewards.
    /// 2. **Slashing.** A shortfall of a delegation is a slash: the books drop to the chain's
    ///    figure and every batch entry on that validator whose payout time has not come shrinks
    ///    by the same fraction (as the chain does).
    /// 3. **Maturity.** A due batch becomes claimable once it has received what it is owed
    ///    (within one unit per entry of the chain's rounding), or, a full epoch after its payout
    ///    time, at what it actually received. What it did not receive is reported as slashed.
    ///    Its per-validator entries are dropped (they only track slashing while unbonding).
    /// 4. **Fee.** A queued fee change whose time has come takes effect; the rewards that
    ///    accrued before it keep the fee in force while they accrued.
    /// 5. Chain entries past their completion (plus an epoch) are forgotten, and drained,
    ///    unreferenced removed validators are pruned.
    ///
    /// Syncing twice at the same time changes nothing the second time.
    ///
    /// **A slash and a payout with no saved sync in between.** Batch holders bear a slash of their
    /// entries: a sync that sees a slash before the batch's payout time shrinks its entries
    /// (step 2), and once saved, the batch is owed only that. Nothing else tells the hub when a
    /// slash happened. If it first sees a slash on a validator in the same sync in which a batch
    /// with an entry on it fell due, the chain's figures (delegations, balance) can be exactly the
    /// same whether the chain slashed that entry before paying it (and native also arrived from
    /// elsewhere, e.g. a donation) or paid it in full and was slashed afterwards: a 90 batch whose
    /// entry lost 9 plus a donation of 9, and a 90 batch paid in full, both leave 90 more in the
    /// balance. The hub then presumes the slash came after the payout: the batch is owed what it
    /// was owed at the last saved sync, and inflow pays it first (step 1), so the smallest possible
    /// part of the inflow is counted as rewards. The other presumption would hand LST holders, out
    /// of a batch's real payout, the slash of entries the chain never slashed; this one can only
    /// let a donation (a gift nobody is owed) make the batch whole, by at most the slash its
    /// entries would have taken. Queries show the same synced view, so a query made before the
    /// payout time (entries shrunk, the donation counted as rewards) may show a rate higher, by at
    /// most that, than one made after it. Any message between the slash and the payout time settles
    /// it as a slash before the payout. Likewise, in the block at a batch's payout time, before
    /// the chain pays it (at the end of the block), unsaved inflow such as a donation is taken as
    /// its payout; once the chain pays, the excess is rewards again.
    pub fn sync(&mut self) -> Result<SyncReport, HubError> {
        let now = self.now;
        let mut report = SyncReport::default();
        self.attribute_inflow(now, &mut report)?;
        self.reconcile_slashing(now, &mut report)?;
        self.mature_batches(now, &mut report)?;
        self.apply_due_fee(now)?;
        self.forget_settled_entries(now);
        self.prune_removed_validators();
        Ok(report)
    }

    /// Native the unbonding batches have received and not yet moved to the claim reserve.
    pub fn received_by_batches(&self) -> Result<Uint128, HubError> {
        Ok(self
            .batches
            .iter()
            .filter(|in_flight| in_flight.batch.status == BatchStatus::Unbonding)
            .try_fold(Uint128::zero(), |acc, b| acc.checked_add(b.batch.received))?)
    }

    /// Step 1: attributes native that arrived since the last sync to the due batches it pays,
    /// oldest first, each up to what it is still owed; the remainder is rewards.
    fn attribute_inflow(
        &mut self,
        now: Timestamp,
        report: &mut SyncReport,
    ) -> Result<(), HubError> {
        let committed = self
            .state
            .unclaimed_reserve
            .checked_add(self.received_by_batches()?)?;
        let uncommitted = self
            .balance
            .checked_sub(committed)
            .map_err(|_| HubError::Insolvent {
                balance: self.balance,
                owed: committed,
            })?;
        // rewards the hub withdrew are in the balance; never count more than is there
        self.state.rewards_held = self.state.rewards_held.min(uncommitted);
        let mut inflow = uncommitted.checked_sub(self.state.rewards_held)?;
        // Batches that fell due since the last saved sync first (what arrived since then is
        // theirs before anyone's), then those already due then and still short (the chain pays
        // at the end of a block, or a slash shrank them unseen); oldest first within each.
        let seen = self.state.observed_at;
        for newly_due in [true, false] {
            for InFlightBatch { batch, .. } in &mut self.batches {
                if inflow.is_zero() {
                    break;
                }
                let Some(at) = batch.claimable_at else {
                    continue;
                };
                if batch.status != BatchStatus::Unbonding || now < at {
                    continue;
                }
                if seen.is_none_or(|seen| seen < at) != newly_due {
                    continue;
                }
                let paid = batch.still_owed().min(inflow);
                batch.received = batch.received.checked_add(paid)?;
                inflow = inflow.checked_sub(paid)?;
                report.payouts_received = report.payouts_received.checked_add(paid)?;
            }
        }
        self.state.rewards_held = self.state.rewards_held.checked_add(inflow)?;
        report.unexplained_rewards = inflow;
        Ok(())
    }

    /// Step 2: a shortfall on a validator is a slash: the books drop to the chain's figure, and
    /// every batch entry on that validator whose payout time has not come shrinks by the same
    /// fraction (as the chain does). A batch whose payout time has passed is not touched: the
    /// chain has paid it (or pays it at the end of this block), and the slash may have come after
    /// the payout; what the chain actually paid is settled by attribution and maturity (step 3).
    /// (Why a slash first seen once the payout time has passed is read as after the payout: see
    /// [`Ledger::sync`].)
    fn reconcile_slashing(
        &mut self,
        now: Timestamp,
        report: &mut SyncReport,
    ) -> Result<(), HubError> {
        let booked_before = self.booked_total()?;
        let mut slashed = Uint128::zero();
        for validator in &mut self.validators {
            let booked = validator.record.booked;
            if validator.actual >= booked {
                continue;
            }
            let loss = booked.checked_sub(validator.actual)?;
            slashed = slashed.checked_add(loss)?;
            report.slashed_delegations = report.slashed_delegations.checked_add(loss)?;
            for InFlightBatch { batch, .. } in &mut self.batches {
                let due = batch.claimable_at.is_some_and(|at| now >= at);
                if batch.status != BatchStatus::Unbonding || due {
                    continue;
                }
                let mut changed = false;
                for entry in batch
                    .entries
                    .iter_mut()
                    .filter(|e| e.validator == validator.address)
                {
                    let after = entry
                        .amount
                        .checked_multiply_ratio(validator.actual, booked)?;
                    report.slashed_batches = report
                        .slashed_batches
                        .checked_add(entry.amount.checked_sub(after)?)?;
                    entry.amount = after;
                    changed = true;
                }
                if changed {
                    batch.native_amount = batch
                        .entries
                        .iter()
                        .try_fold(Uint128::zero(), |acc, e| acc.checked_add(e.amount))?;
                }
            }
            validator.record.booked = validator.actual;
        }
        if material_slash(slashed, booked_before) {
            self.restart_rate_measurement(now)?;
        }
        Ok(())
    }

    /// Staking rewards earned so far: withdrawn plus accrued on the chain (a running total that
    /// withdrawing does not change, and a donation cannot move).
    fn staking_rewards(&self) -> Result<Uint128, HubError> {
        Ok(self.state.rewards_withdrawn.checked_add(
            self.validators
                .iter()
                .try_fold(Uint128::zero(), |acc, v| acc.checked_add(v.accrued))?,
        )?)
    }

    /// Discards the staking reward rate measured so far and starts a new window now. Called when
    /// a slash is booked: the window's delegated native × seconds counted the slashed stake at
    /// its booked amount since the slash, so the rate it gives is too low for the stake as
    /// booked now, and a quick bond priced from it would mint too much (found by the hub's
    /// property test: 749 units on a bond of 1,554 tokens an hour after a booked slash). Until
    /// a new window of an eighth of an epoch is measured, bonds take the full path.
    fn restart_rate_measurement(&mut self, now: Timestamp) -> Result<(), HubError> {
        let staking_rewards = self.staking_rewards()?;
        if let Some(snapshot) = self.state.snapshot.as_mut() {
            snapshot.accrual = Uint128::zero();
            snapshot.accrual_stake_seconds = Uint128::zero();
            snapshot.window_start = now;
            snapshot.window_rewards = staking_rewards;
            snapshot.window_stake_seconds = Uint128::zero();
            snapshot.stake_at = now;
        }
        Ok(())
    }

    /// Step 3: a due batch becomes claimable once it has received what it is owed, within one
    /// unit per entry (the chain's rounding of a slash); or, a full epoch after its payout time,
    /// at what it actually received. It is never paid from anything but its own payout.
    fn mature_batches(&mut self, now: Timestamp, report: &mut SyncReport) -> Result<(), HubError> {
        let grace = self.params.epoch_period;
        for InFlightBatch { id, batch } in &mut self.batches {
            let Some(claimable_at) = batch.claimable_at else {
                continue;
            };
            if batch.status != BatchStatus::Unbonding || now < claimable_at {
                continue;
            }
            let expected = batch.native_amount;
            let tolerance = Uint128::from(batch.entries.len() as u64);
            let received = batch.received;
            let complete = expected.saturating_sub(received) <= tolerance;
            if !complete && now < claimable_at.plus_seconds(grace) {
                continue;
            }
            report.slashed_batches = report
                .slashed_batches
                .checked_add(expected.checked_sub(received)?)?;
            batch.native_amount = received;
            batch.status = BatchStatus::Claimable;
            // the per-validator entries only track slashing while unbonding; dropping them keeps
            // the record every claim reads and writes small (a claim's cost does not grow with
            // the number of validators the batch undelegated from)
            batch.entries.clear();
            self.state.unclaimed_reserve = self.state.unclaimed_reserve.checked_add(received)?;
            report.matured.push(*id);
        }
        self.state.unbonding_batches = self
            .batches
            .iter()
            .filter(|in_flight| in_flight.batch.status == BatchStatus::Unbonding)
            .map(|in_flight| in_flight.id)
            .collect();
        Ok(())
    }

    /// Step 4: a queued fee change whose time has come takes effect. Rewards not yet compounded
    /// that accrued before its `effective_at` keep the old fee: between the last saved sync and
    /// now the delegations did not change, so rewards accrued linearly and are split by time.
    fn apply_due_fee(&mut self, now: Timestamp) -> Result<(), HubError> {
        let Some(pending) = self.fee.pending.clone() else {
            return Ok(());
        };
        if now < pending.effective_at {
            return Ok(());
        }
        let rewards = self.pending_rewards()?;
        let before_change = match self.state.observed_at {
            Some(seen) if seen < pending.effective_at => {
                let since = self.state.observed_rewards.min(rewards);
                let grown = rewards.checked_sub(since)?;
                let span = now.seconds().saturating_sub(seen.seconds());
                let part = pending
                    .effective_at
                    .seconds()
                    .saturating_sub(seen.seconds());
                let share = if span == 0 {
                    grown
                } else {
                    grown.checked_multiply_ratio(part.min(span), span)?
                };
                since.checked_add(share)?
            }
            // observed at or after the change (cannot happen: that sync applied it), or never
            // observed (state from before this field): everything accrued under the old fee
            _ => rewards,
        };
        let carried = self.state.fee_carry.rewards.min(before_change);
        let newly = before_change.checked_sub(carried)?;
        self.state.fee_carry = FeeCarry {
            rewards: before_change,
            fee: self
                .state
                .fee_carry
                .fee
                .checked_add(fee_amount(newly, self.fee.current)?)?,
        };
        self.fee.apply_due(now);
        Ok(())
    }

    /// Forgets unbonding and redelegation entries the chain no longer holds: one epoch after
    /// their completion time (the chain removes them at the end of the first block past it).
    fn forget_settled_entries(&mut self, now: Timestamp) {
        let margin = self.params.epoch_period;
        for validator in &mut self.validators {
            validator
                .record
                .unbonding_entries
                .retain(|at| at.plus_seconds(margin) > now);
            validator
                .record
                .redelegations_in
                .retain(|r| r.completes_at.plus_seconds(margin) > now);
        }
    }

    /// Drops removed validators with nothing left on them: no weight, stake, accrued rewards,
    /// chain entries, nor an entry of a batch still unbonding.
    fn prune_removed_validators(&mut self) {
        let referenced = |address: &str, batches: &[InFlightBatch]| {
            batches.iter().any(|in_flight| {
                in_flight.batch.status == BatchStatus::Unbonding
                    && in_flight
                        .batch
                        .entries
                        .iter()
                        .any(|e| e.validator == address)
            })
        };
        let (keep, drop): (Vec<_>, Vec<_>) = self.validators.drain(..).partition(|validator| {
            validator.record.weight > 0
                || !validator.record.booked.is_zero()
                || !validator.accrued.is_zero()
                || !validator.record.unbonding_entries.is_empty()
                || !validator.record.redelegations_in.is_empty()
                || referenced(&validator.address, &self.batches)
        });
        self.validators = keep;
        self.pruned
            .extend(drop.into_iter().map(|validator| validator.address));
    }

    /// Whether the chain would accept an `Undelegate` from validator `index` now.
    pub fn can_undelegate(&self, index: usize) -> Result<(), ChainLimit> {
        let validator = &self.validators[index];
        if validator.record.unbonding_entries.len() >= MAX_CHAIN_ENTRIES {
            return Err(ChainLimit::UnbondingEntriesFull(validator.address.clone()));
        }
        Ok(())
    }

    /// Whether the chain would accept a `Redelegate` from validator `from` to `to` now.
    pub fn can_redelegate(&self, from: usize, to: usize) -> Result<(), ChainLimit> {
        let src = &self.validators[from];
        let dst = &self.validators[to];
        if !src.record.redelegations_in.is_empty() {
            return Err(ChainLimit::TransitiveRedelegation(src.address.clone()));
        }
        let pair = dst
            .record
            .redelegations_in
            .iter()
            .filter(|r| r.src == src.address)
            .count();
        if pair >= MAX_CHAIN_ENTRIES {
            return Err(ChainLimit::RedelegationEntriesFull(
                src.address.clone(),
                dst.address.clone(),
            ));
        }
        Ok(())
    }

    /// Records an `Undelegate` from validator `index` completing at `completes_at`.
    pub fn record_unbonding(&mut self, index: usize, completes_at: Timestamp) {
        self.validators[index]
            .record
            .unbonding_entries
            .push(completes_at);
    }

    /// Records a `Redelegate` from `from` to `to`, completing an unbonding period from now.
    pub fn record_redelegation(&mut self, from: usize, to: usize) {
        let entry = RedelegationEntry {
            src: self.validators[from].address.clone(),
            completes_at: self.now.plus_seconds(self.params.unbonding_period),
        };
        self.validators[to].record.redelegations_in.push(entry);
    }

    /// Before any staking message to validator `index`: if it has accrued rewards, withdraw them
    /// explicitly (the real chain would withdraw them implicitly, cw-multi-test does not) and
    /// book them as rewards held.
    pub fn withdraw_before_staking(
        &mut self,
        index: usize,
    ) -> Result<Option<StakingAction>, HubError> {
        let validator = &mut self.validators[index];
        if validator.accrued.is_zero() {
            return Ok(None);
        }
        self.state.rewards_held = self.state.rewards_held.checked_add(validator.accrued)?;
        self.state.rewards_withdrawn = self
            .state
            .rewards_withdrawn
            .checked_add(validator.accrued)?;
        validator.accrued = Uint128::zero();
        Ok(Some(StakingAction::WithdrawRewards {
            validator: validator.address.clone(),
        }))
    }

    /// Withdraws (and books) the accrued rewards of every validator.
    pub fn withdraw_all_rewards(&mut self) -> Result<Vec<StakingAction>, HubError> {
        let mut actions = vec![];
        for index in 0..self.validators.len() {
            actions.extend(self.withdraw_before_staking(index)?);
        }
        Ok(actions)
    }

    /// The fee on `rewards` (the rewards not yet compounded): the carried fee on those that
    /// accrued before the last fee change, the current fee on the rest; never more than
    /// `rewards`.
    pub fn fee_on(&self, rewards: Uint128) -> Result<Uint128, HubError> {
        fee_on(&self.state.fee_carry, self.fee.current, rewards)
    }

    /// Called once the rewards held have been compounded: nothing carried remains.
    pub fn rewards_compounded(&mut self) {
        self.state.rewards_held = Uint128::zero();
        self.state.fee_carry = FeeCarry::default();
    }

    /// Native in the balance that is known to be rewards (see [`State::rewards_held`]); never
    /// a pending payout, never the claim reserve.
    pub fn free_balance(&self) -> Uint128 {
        self.state.rewards_held
    }

    /// Rewards not yet compounded: rewards held plus rewards accrued on the chain.
    pub fn pending_rewards(&self) -> Result<Uint128, HubError> {
        let accrued = self
            .validators
            .iter()
            .try_fold(Uint128::zero(), |acc, validator| {
                acc.checked_add(validator.accrued)
            })?;
        Ok(self.free_balance().checked_add(accrued)?)
    }

    /// Sum of booked delegations.
    pub fn booked_total(&self) -> Result<Uint128, HubError> {
        Ok(self
            .validators
            .iter()
            .try_fold(Uint128::zero(), |acc, validator| {
                acc.checked_add(validator.record.booked)
            })?)
    }

    /// LST counted in the rate: the token supply plus LST burned into the pending batch.
    pub fn total_lst(&self) -> Result<Uint128, HubError> {
        Ok(self.lst_supply.checked_add(self.state.pending_lst)?)
    }

    /// The pool a bond mints against ([`full_value_pool`] of the synced books): booked
    /// delegations plus pending rewards net of the fee, withheld rewards included.
    pub fn full_value_pool(&self) -> Result<SharePool, HubError> {
        full_value_pool(
            &self.state,
            self.fee.current,
            self.booked_total()?,
            self.pending_rewards()?,
            self.lst_supply,
        )
    }

    /// The exchange-rate pool LST is minted and redeemed against: booked delegations plus
    /// pending rewards net of the fee, less the rewards withheld by the APR ceiling (see
    /// `rails.rs`), over the LST counted in the rate.
    pub fn pool(&self) -> Result<SharePool, HubError> {
        let full = self.full_value_pool()?;
        Ok(SharePool::new(
            full.assets.checked_sub(self.state.withheld)?,
            full.shares,
        ))
    }

    /// Booked delegations, in validator order.
    pub fn booked(&self) -> Vec<Uint128> {
        self.validators
            .iter()
            .map(|validator| validator.record.booked)
            .collect()
    }

    /// Target weights, in validator order (zero for removed validators).
    pub fn weights(&self) -> Vec<u64> {
        self.validators
            .iter()
            .map(|validator| validator.record.weight)
            .collect()
    }

    /// Finds a validator by address.
    pub fn validator_index(&self, address: &str) -> Option<usize> {
        self.validators
            .iter()
            .position(|validator| validator.address == address)
    }

    /// Finds a validator with a positive weight by address.
    pub fn active_index(&self, address: &str) -> Result<usize, HubError> {
        self.validator_index(address)
            .filter(|index| self.validators[*index].record.weight > 0)
            .ok_or_else(|| HubError::ValidatorNotFound {
                address: address.to_string(),
            })
    }

    /// A batch as of this ledger, if it is in flight.
    pub fn in_flight(&self, id: u64) -> Option<&Batch> {
        self.batches
            .iter()
            .find(|in_flight| in_flight.id == id)
            .map(|in_flight| &in_flight.batch)
    }

    /// Records the rewards observed now (for splitting rewards across a fee change): call just
    /// before saving.
    /// Also writes the [`Snapshot`] the quick paths price from (see `hub::quick`): the booked
    /// total, the rewards not yet compounded, what the unbonding batches have received, the
    /// total weight, the validator quick bonds delegate to (with its accrued rewards on its
    /// record), and the staking reward rate (measured over at least an eighth of an epoch).
    pub fn mark_observed(&mut self) -> Result<(), HubError> {
        let rewards = self.pending_rewards()?;
        let booked = self.booked_total()?;
        let staking_rewards = self.staking_rewards()?;
        let mut snapshot = match self.state.snapshot.take() {
            Some(previous) => previous,
            None => Snapshot {
                epoch: 0,
                at: self.now,
                booked,
                rewards,
                seen: Uint128::zero(),
                received: Uint128::zero(),
                total_weight: 0,
                deposit_validator: None,
                accrual: Uint128::zero(),
                accrual_stake_seconds: Uint128::zero(),
                window_start: self.now,
                window_rewards: staking_rewards,
                window_stake_seconds: Uint128::zero(),
                stake_at: self.now,
            },
        };
        // the booked total held since `stake_at` (it changes now)
        snapshot.advance_stake(self.now)?;
        let elapsed = self
            .now
            .seconds()
            .saturating_sub(snapshot.window_start.seconds());
        if staking_rewards < snapshot.window_rewards {
            // state from before the running total existed: start the window again
            snapshot.window_start = self.now;
            snapshot.window_rewards = staking_rewards;
            snapshot.window_stake_seconds = Uint128::zero();
        } else if elapsed > 0
            && elapsed >= self.params.epoch_period / 8
            && !snapshot.window_stake_seconds.is_zero()
        {
            snapshot.accrual = staking_rewards.checked_sub(snapshot.window_rewards)?;
            snapshot.accrual_stake_seconds = snapshot.window_stake_seconds;
            snapshot.window_start = self.now;
            snapshot.window_rewards = staking_rewards;
            snapshot.window_stake_seconds = Uint128::zero();
        }
        let weights = self.weights();
        let deposit = most_underweight(&self.booked(), &weights, Uint128::zero())?;
        // only the deposit validator's figure is ever read (by quick bonds); writing it on every
        // record would rewrite the whole set at every sync
        if let Some(index) = deposit {
            let validator = &mut self.validators[index];
            validator.record.accrued_at_sync = validator.accrued;
        }
        snapshot.deposit_validator = deposit.map(|index| self.validators[index].address.clone());
        snapshot.total_weight = weights.iter().try_fold(0u64, |acc, w| {
            acc.checked_add(*w).ok_or(MathError::Overflow)
        })?;
        snapshot.epoch = epoch_at(self.params.genesis, self.params.epoch_period, self.now);
        snapshot.at = self.now;
        snapshot.booked = booked;
        snapshot.rewards = rewards;
        snapshot.seen = Uint128::zero();
        snapshot.received = self.received_by_batches()?;
        self.state.snapshot = Some(snapshot);
        self.state.observed_at = Some(self.now);
        self.state.observed_rewards = rewards;
        Ok(())
    }
}

/// Whether a slash of `slashed` out of `booked` biases the measured reward rate enough to
/// measure it again: more than a millionth of the stake. A chain's share-to-token rounding can
/// show a delegation to a validator slashed in the past a unit or so below what was delegated;
/// booked as a slash, that must not restart the measurement (anyone bonding the minimum often
/// enough would otherwise keep every bond on the full path), and its effect on the rate is a
/// millionth or less of it.
pub fn material_slash(slashed: Uint128, booked: Uint128) -> bool {
    slashed
        .checked_mul(Uint128::new(1_000_000))
        .map_or(true, |scaled| scaled > booked)
}

/// The fee on `rewards` not yet compounded: the carried fee on those that accrued before the
/// last fee change, `current` on the rest; never more than `rewards`.
pub fn fee_on(carry: &FeeCarry, current: u16, rewards: Uint128) -> Result<Uint128, HubError> {
    let after_change = rewards.saturating_sub(carry.rewards);
    let fee = carry.fee.checked_add(fee_amount(after_change, current)?)?;
    Ok(fee.min(rewards))
}

/// The pool a bond mints against: booked delegations plus the rewards not yet compounded net
/// of the fee (rewards the APR ceiling withholds included: a bond's LST carry the same share of
/// them as everyone's), over the LST supply plus the LST burned into the pending batch.
pub fn full_value_pool(
    state: &State,
    fee: u16,
    booked: Uint128,
    rewards: Uint128,
    lst_supply: Uint128,
) -> Result<SharePool, HubError> {
    let net = rewards.checked_sub(fee_on(&state.fee_carry, fee, rewards)?)?;
    Ok(SharePool::new(
        booked.checked_add(net)?,
        lst_supply.checked_add(state.pending_lst)?,
    ))
}

/// Epoch number of `now` (epoch zero starts at `genesis`).
pub fn epoch_at(genesis: Timestamp, epoch_period: u64, now: Timestamp) -> u64 {
    now.seconds().saturating_sub(genesis.seconds()) / epoch_period.max(1)
}

/// When the epoch after `epoch` starts.
pub fn next_epoch_at(genesis: Timestamp, epoch_period: u64, epoch: u64) -> Timestamp {
    genesis.plus_seconds(epoch.saturating_add(1).saturating_mul(epoch_period))
}
