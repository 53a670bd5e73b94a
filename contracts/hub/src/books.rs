//! The hub's view of what it owns, reconciled with the chain.
//!
//! Every message that mints or burns LST, and the crank, starts with [`Books::load`] and
//! [`Books::sync`]:
//!
//! 1. **Payouts first.** Native that arrived since the last sync (the balance less the claim
//!    reserve, less what unbonding batches have already received, less the rewards the hub knows
//!    it holds) is attributed to the unbonding batches whose `claimable_at` has passed, each up
//!    to what the chain still owes it: those that fell due since the last saved sync first, then
//!    those due before and still short, oldest first within each. Only what is left over is
//!    rewards. The rate never counts a pending payout, and a batch is never paid from rewards.
//! 2. **Slashing.** A shortfall of a delegation is a slash: the books drop to the chain's figure
//!    and every batch entry on that validator whose payout time has not come shrinks by the same
//!    fraction (as the chain does). A due batch is settled by what the chain actually paid.
//! 3. **Maturity.** A due batch becomes claimable once it has received what it is owed (within
//!    one unit per entry of the chain's rounding), or, a full epoch after its payout time, at
//!    what it actually received (a slash the books could not see, e.g. on a validator the hub has
//!    left). What it did not receive is reported as slashed; it is never topped up.
//! 4. **Fee.** A queued fee change whose time has come takes effect; the rewards that accrued
//!    before it keep the fee in force while they accrued.
//!
//! Rewards accrued since the last crank count towards the rate (net of the fee), so nobody can
//! bond just before a crank to capture them, and a slash counts as soon as it happened, so nobody
//! can unbond ahead of it. The real chain withdraws a delegation's rewards on every staking
//! message to it, cw-multi-test does not: the hub withdraws them explicitly (and books them as
//! rewards it holds) before any staking message to a validator with accrued rewards, so both
//! behave the same.
//!
//! Queries run the same code on a copy that is never saved.

use cosmwasm_std::{CosmosMsg, Deps, DistributionMsg, Env, Storage, Timestamp, Uint128};
use tributary_math::{fee_amount, SharePool};
use tributary_types::hub::{BatchStatus, MAX_CHAIN_ENTRIES};

use crate::state::{
    Batch, Config, FeeCarry, RedelegationEntry, State, Validator, BATCHES, CONFIG, STATE,
    VALIDATORS,
};
use crate::ContractError;

/// One validator as loaded: books and the chain's figures.
#[derive(Clone, Debug)]
pub struct ValidatorBook {
    /// Operator address.
    pub address: String,
    /// Stored record (weight, booked delegation).
    pub record: Validator,
    /// Delegation the chain reports.
    pub actual: Uint128,
    /// Rewards accrued on the chain and not yet withdrawn.
    pub accrued: Uint128,
}

/// What a sync found.
#[derive(Clone, Debug, Default)]
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
    /// The pair already has [`MAX_CHAIN_ENTRIES`] redelegation entries of the hub's.
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

/// Everything the hub owns and owes, loaded from storage and the chain.
#[derive(Clone, Debug)]
pub struct Books {
    pub config: Config,
    pub state: State,
    pub validators: Vec<ValidatorBook>,
    /// Submitted batches not yet claimable (and those that matured during this sync).
    pub batches: Vec<(u64, Batch)>,
    /// The hub's native balance, less funds attached to the current message.
    pub balance: Uint128,
    /// LST token supply.
    pub lst_supply: Uint128,
    /// Validators removed from storage by this sync (drained and no longer referenced).
    pruned: Vec<String>,
    /// Block time of the message.
    pub now: Timestamp,
}

impl Books {
    /// Loads the books and queries the chain. `incoming` is native attached to the current
    /// message, which is not yet the hub's to count.
    pub fn load(deps: Deps, env: &Env, incoming: Uint128) -> Result<Self, ContractError> {
        let config = CONFIG.load(deps.storage)?;
        let state = STATE.load(deps.storage)?;
        let hub = &env.contract.address;
        let validators = VALIDATORS
            .range(deps.storage, None, None, cosmwasm_std::Order::Ascending)
            .map(|item| {
                let (address, record) = item?;
                let delegation = deps.querier.query_delegation(hub, &address)?;
                let (actual, accrued) = match delegation {
                    Some(d) => (
                        d.amount.amount,
                        d.accumulated_rewards
                            .iter()
                            .filter(|c| c.denom == config.denom)
                            .map(|c| c.amount)
                            .sum(),
                    ),
                    None => (Uint128::zero(), Uint128::zero()),
                };
                Ok(ValidatorBook {
                    address,
                    record,
                    actual,
                    accrued,
                })
            })
            .collect::<Result<Vec<_>, ContractError>>()?;
        let batches = state
            .unbonding_batches
            .iter()
            .map(|id| Ok((*id, BATCHES.load(deps.storage, *id)?)))
            .collect::<Result<Vec<_>, ContractError>>()?;
        let balance = deps
            .querier
            .query_balance(hub, &config.denom)?
            .amount
            .checked_sub(incoming)?;
        let lst_supply = match &config.lst_token {
            Some(token) => {
                let info: cw20::TokenInfoResponse = deps
                    .querier
                    .query_wasm_smart(token, &cw20::Cw20QueryMsg::TokenInfo {})?;
                info.total_supply
            }
            None => return Err(ContractError::TokenNotReady {}),
        };
        Ok(Books {
            config,
            state,
            validators,
            batches,
            balance,
            lst_supply,
            pruned: vec![],
            now: env.block.time,
        })
    }

    /// Brings the books up to date with the chain (see the module documentation).
    pub fn sync(&mut self, now: Timestamp) -> Result<SyncReport, ContractError> {
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
    fn received_by_batches(&self) -> Result<Uint128, ContractError> {
        Ok(self
            .batches
            .iter()
            .filter(|(_, b)| b.status == BatchStatus::Unbonding)
            .try_fold(Uint128::zero(), |acc, (_, b)| acc.checked_add(b.received))?)
    }

    /// Step 1: attributes native that arrived since the last sync to the due batches it pays,
    /// oldest first, each up to what it is still owed; the remainder is rewards.
    fn attribute_inflow(
        &mut self,
        now: Timestamp,
        report: &mut SyncReport,
    ) -> Result<(), ContractError> {
        let committed = self
            .state
            .unclaimed_reserve
            .checked_add(self.received_by_batches()?)?;
        let uncommitted =
            self.balance
                .checked_sub(committed)
                .map_err(|_| ContractError::Insolvent {
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
            for (_, batch) in &mut self.batches {
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
                let owed = batch.native_amount.saturating_sub(batch.received);
                let paid = owed.min(inflow);
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
    fn reconcile_slashing(
        &mut self,
        now: Timestamp,
        report: &mut SyncReport,
    ) -> Result<(), ContractError> {
        for v in &mut self.validators {
            let booked = v.record.booked;
            if v.actual >= booked {
                continue;
            }
            report.slashed_delegations = report
                .slashed_delegations
                .checked_add(booked.checked_sub(v.actual)?)?;
            for (_, batch) in &mut self.batches {
                let due = batch.claimable_at.is_some_and(|at| now >= at);
                if batch.status != BatchStatus::Unbonding || due {
                    continue;
                }
                let mut changed = false;
                for entry in batch
                    .entries
                    .iter_mut()
                    .filter(|e| e.validator == v.address)
                {
                    let after = entry.amount.checked_multiply_ratio(v.actual, booked)?;
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
            v.record.booked = v.actual;
        }
        Ok(())
    }

    /// Step 3: a due batch becomes claimable once it has received what it is owed, within one
    /// unit per entry (the chain's rounding of a slash); or, a full epoch after its payout time,
    /// at what it actually received. It is never paid from anything but its own payout.
    fn mature_batches(
        &mut self,
        now: Timestamp,
        report: &mut SyncReport,
    ) -> Result<(), ContractError> {
        let grace = self.config.epoch_period;
        for (id, batch) in &mut self.batches {
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
            self.state.unclaimed_reserve = self.state.unclaimed_reserve.checked_add(received)?;
            report.matured.push(*id);
        }
        self.state.unbonding_batches = self
            .batches
            .iter()
            .filter(|(_, b)| b.status == BatchStatus::Unbonding)
            .map(|(id, _)| *id)
            .collect();
        Ok(())
    }

    /// Step 4: a queued fee change whose time has come takes effect. Rewards not yet compounded
    /// that accrued before `effective_at` keep the old fee: between the last saved sync and now
    /// the delegations did not change, so rewards accrued linearly and are split by time.
    fn apply_due_fee(&mut self, now: Timestamp) -> Result<(), ContractError> {
        let Some(pending) = self.config.pending_fee.clone() else {
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
                .checked_add(fee_amount(newly, self.config.fee_bps)?)?,
        };
        self.config.fee_bps = pending.fee_bps;
        self.config.pending_fee = None;
        Ok(())
    }

    /// Forgets unbonding and redelegation entries the chain no longer holds: one epoch after
    /// their completion time (the chain removes them at the end of the first block past it).
    fn forget_settled_entries(&mut self, now: Timestamp) {
        let margin = self.config.epoch_period;
        for v in &mut self.validators {
            v.record
                .unbonding_entries
                .retain(|at| at.plus_seconds(margin) > now);
            v.record
                .redelegations_in
                .retain(|r| r.completes_at.plus_seconds(margin) > now);
        }
    }

    /// Whether the chain would accept an `Undelegate` from validator `index` now.
    pub fn can_undelegate(&self, index: usize) -> Result<(), ChainLimit> {
        let v = &self.validators[index];
        if v.record.unbonding_entries.len() >= MAX_CHAIN_ENTRIES {
            return Err(ChainLimit::UnbondingEntriesFull(v.address.clone()));
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
            completes_at: self.now.plus_seconds(self.config.unbonding_period),
        };
        self.validators[to].record.redelegations_in.push(entry);
    }

    /// Before any staking message to validator `index`: if it has accrued rewards, withdraw them
    /// explicitly (the real chain would withdraw them implicitly) and book them as rewards held.
    pub fn withdraw_before_staking(
        &mut self,
        index: usize,
    ) -> Result<Option<CosmosMsg>, ContractError> {
        let v = &mut self.validators[index];
        if v.accrued.is_zero() {
            return Ok(None);
        }
        self.state.rewards_held = self.state.rewards_held.checked_add(v.accrued)?;
        v.accrued = Uint128::zero();
        Ok(Some(
            DistributionMsg::WithdrawDelegatorReward {
                validator: v.address.clone(),
            }
            .into(),
        ))
    }

    /// Withdraws (and books) the accrued rewards of every validator.
    pub fn withdraw_all_rewards(&mut self) -> Result<Vec<CosmosMsg>, ContractError> {
        let mut msgs = vec![];
        for i in 0..self.validators.len() {
            msgs.extend(self.withdraw_before_staking(i)?);
        }
        Ok(msgs)
    }

    /// The fee on `rewards` (the rewards not yet compounded): the carried fee on those that
    /// accrued before the last fee change, the current fee on the rest; never more than
    /// `rewards`.
    pub fn fee_on(&self, rewards: Uint128) -> Result<Uint128, ContractError> {
        let carry = &self.state.fee_carry;
        let after_change = rewards.saturating_sub(carry.rewards);
        let fee = carry
            .fee
            .checked_add(fee_amount(after_change, self.config.fee_bps)?)?;
        Ok(fee.min(rewards))
    }

    /// Called once the rewards held have been compounded: nothing carried remains.
    pub fn rewards_compounded(&mut self) {
        self.state.rewards_held = Uint128::zero();
        self.state.fee_carry = FeeCarry::default();
    }

    fn prune_removed_validators(&mut self) {
        let referenced = |address: &str, batches: &[(u64, Batch)]| {
            batches.iter().any(|(_, b)| {
                b.status == BatchStatus::Unbonding
                    && b.entries.iter().any(|e| e.validator == address)
            })
        };
        let (keep, drop): (Vec<_>, Vec<_>) = self.validators.drain(..).partition(|v| {
            v.record.weight > 0
                || !v.record.booked.is_zero()
                || !v.accrued.is_zero()
                || !v.record.unbonding_entries.is_empty()
                || !v.record.redelegations_in.is_empty()
                || referenced(&v.address, &self.batches)
        });
        self.validators = keep;
        self.pruned.extend(drop.into_iter().map(|v| v.address));
    }

    /// Native in the balance that is known to be rewards (see [`State::rewards_held`]); never
    /// a pending payout, never the claim reserve.
    pub fn free_balance(&self) -> Uint128 {
        self.state.rewards_held
    }

    /// Rewards not yet compounded: rewards held plus rewards accrued on the chain.
    pub fn pending_rewards(&self) -> Result<Uint128, ContractError> {
        let accrued = self
            .validators
            .iter()
            .try_fold(Uint128::zero(), |acc, v| acc.checked_add(v.accrued))?;
        Ok(self.free_balance().checked_add(accrued)?)
    }

    /// Sum of booked delegations.
    pub fn booked_total(&self) -> Result<Uint128, ContractError> {
        Ok(self
            .validators
            .iter()
            .try_fold(Uint128::zero(), |acc, v| acc.checked_add(v.record.booked))?)
    }

    /// LST counted in the rate: the token supply plus LST burned into the pending batch.
    pub fn total_lst(&self) -> Result<Uint128, ContractError> {
        Ok(self.lst_supply.checked_add(self.state.pending_lst)?)
    }

    /// The exchange-rate pool LST is minted and redeemed against: booked delegations plus
    /// pending rewards net of the fee, over the LST counted in the rate.
    pub fn pool(&self) -> Result<SharePool, ContractError> {
        let rewards = self.pending_rewards()?;
        let net = rewards.checked_sub(self.fee_on(rewards)?)?;
        Ok(SharePool::new(
            self.booked_total()?.checked_add(net)?,
            self.total_lst()?,
        ))
    }

    /// Booked delegations, in validator order.
    pub fn booked(&self) -> Vec<Uint128> {
        self.validators.iter().map(|v| v.record.booked).collect()
    }

    /// Target weights, in validator order (zero for removed validators).
    pub fn weights(&self) -> Vec<u64> {
        self.validators.iter().map(|v| v.record.weight).collect()
    }

    /// Adds `split` (one amount per validator, in order) to the booked delegations and returns
    /// the validators that received a non-zero amount, for the caller's staking messages.
    pub fn credit(&mut self, split: &[Uint128]) -> Result<Vec<(String, Uint128)>, ContractError> {
        let mut credited = vec![];
        for (v, amount) in self.validators.iter_mut().zip(split) {
            if amount.is_zero() {
                continue;
            }
            v.record.booked = v.record.booked.checked_add(*amount)?;
            credited.push((v.address.clone(), *amount));
        }
        Ok(credited)
    }

    /// Finds a validator by address.
    pub fn validator_index(&self, address: &str) -> Option<usize> {
        self.validators.iter().position(|v| v.address == address)
    }

    /// Writes config, state, validators and the loaded batches back, and records the rewards
    /// observed now (for splitting rewards across a fee change).
    pub fn save(&mut self, storage: &mut dyn Storage) -> Result<(), ContractError> {
        self.state.observed_at = Some(self.now);
        self.state.observed_rewards = self.pending_rewards()?;
        CONFIG.save(storage, &self.config)?;
        STATE.save(storage, &self.state)?;
        for v in &self.validators {
            VALIDATORS.save(storage, &v.address, &v.record)?;
        }
        for address in &self.pruned {
            VALIDATORS.remove(storage, address);
        }
        for (id, batch) in &self.batches {
            BATCHES.save(storage, *id, batch)?;
        }
        Ok(())
    }
}
