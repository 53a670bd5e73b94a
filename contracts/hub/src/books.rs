//! The hub's view of what it owns, reconciled with the chain.
//!
//! Every message that mints or burns LST, and the crank, starts with [`Books::load`] and
//! [`Books::sync`]: the chain's delegations are compared with the books (a shortfall is a slash,
//! which also shrinks the batch entries still unbonding from that validator, as the chain
//! does), batches whose unbonding time has passed are moved to the claimable reserve, and a
//! queued fee change whose delay has passed takes effect. Rewards accrued since the last crank
//! count towards the rate (net of the fee), so nobody can bond just before a crank to capture
//! them, and a slash counts as soon as it happened, so nobody can unbond ahead of it.
//!
//! Queries run the same code on a copy that is never saved.

use cosmwasm_std::{Deps, Env, Storage, Timestamp, Uint128};
use tributary_math::{fee_amount, SharePool};
use tributary_types::hub::BatchStatus;

use crate::state::{Batch, Config, State, Validator, BATCHES, CONFIG, STATE, VALIDATORS};
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
        })
    }

    /// Brings the books up to date with the chain (see the module documentation).
    pub fn sync(&mut self, now: Timestamp) -> Result<SyncReport, ContractError> {
        let mut report = SyncReport::default();
        self.reconcile_slashing(now, &mut report)?;
        self.mature_batches(now, &mut report)?;
        self.apply_due_fee(now);
        self.prune_removed_validators();
        Ok(report)
    }

    /// A shortfall on a validator is a slash: the books drop to the chain's figure, and every
    /// batch entry still unbonding from that validator shrinks by the same fraction. Batches whose
    /// unbonding time has passed were already paid out by the chain and are not touched.
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
                let paid_out = batch.claimable_at.is_some_and(|at| now >= at);
                if batch.status != BatchStatus::Unbonding || paid_out {
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

    /// Batches whose unbonding time has passed become claimable once their native is here.
    /// A shortfall of at most one unit per entry (the chain's rounding of a slash) is accepted;
    /// a larger one waits, unless a full epoch has passed since the payout time, in which case
    /// what arrived is what the batch gets (a slash the books could not see).
    fn mature_batches(
        &mut self,
        now: Timestamp,
        report: &mut SyncReport,
    ) -> Result<(), ContractError> {
        let mut free = self.free_balance()?;
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
            let received = if free >= expected {
                expected
            } else if expected.checked_sub(free)? <= tolerance
                || now >= claimable_at.plus_seconds(grace)
            {
                free
            } else {
                // not arrived yet; later batches cannot have arrived either
                break;
            };
            report.slashed_batches = report
                .slashed_batches
                .checked_add(expected.checked_sub(received)?)?;
            batch.native_amount = received;
            batch.status = BatchStatus::Claimable;
            free = free.checked_sub(received)?;
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

    fn apply_due_fee(&mut self, now: Timestamp) {
        if let Some(pending) = &self.config.pending_fee {
            if now >= pending.effective_at {
                self.config.fee_bps = pending.fee_bps;
                self.config.pending_fee = None;
            }
        }
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
                || referenced(&v.address, &self.batches)
        });
        self.validators = keep;
        self.pruned.extend(drop.into_iter().map(|v| v.address));
    }

    /// Native that is the hub's and not yet counted anywhere: rewards withdrawn (by the crank or
    /// automatically by the chain) and donations.
    pub fn free_balance(&self) -> Result<Uint128, ContractError> {
        Ok(self.balance.checked_sub(self.state.unclaimed_reserve)?)
    }

    /// Rewards not yet compounded: free balance plus rewards accrued on the chain.
    pub fn pending_rewards(&self) -> Result<Uint128, ContractError> {
        let accrued = self
            .validators
            .iter()
            .try_fold(Uint128::zero(), |acc, v| acc.checked_add(v.accrued))?;
        Ok(self.free_balance()?.checked_add(accrued)?)
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
        let net = rewards.checked_sub(fee_amount(rewards, self.config.fee_bps)?)?;
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

    /// Removes `split` from the booked delegations; the counterpart of [`Self::credit`].
    pub fn debit(&mut self, split: &[Uint128]) -> Result<Vec<(String, Uint128)>, ContractError> {
        let mut debited = vec![];
        for (v, amount) in self.validators.iter_mut().zip(split) {
            if amount.is_zero() {
                continue;
            }
            v.record.booked = v.record.booked.checked_sub(*amount)?;
            debited.push((v.address.clone(), *amount));
        }
        Ok(debited)
    }

    /// Finds a validator by address.
    pub fn validator_index(&self, address: &str) -> Option<usize> {
        self.validators.iter().position(|v| v.address == address)
    }

    /// Writes config, state, validators and the loaded batches back.
    pub fn save(&self, storage: &mut dyn Storage) -> Result<(), ContractError> {
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
