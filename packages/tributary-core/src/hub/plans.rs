//! The hub's transitions on a synced [`Ledger`], each returning a plan: what changed and which
//! staking messages the contract must send, in order.

use cosmwasm_std::{Timestamp, Uint128};
use tributary_math::{
    allocate_to_deficits, most_underweight, plan_rebalance, take_from_surpluses, SharePool,
};

use super::ledger::{epoch_at, next_epoch_at, ChainLimit, InFlightBatch, Ledger, SyncReport};
use super::records::{Batch, BatchEntry, BatchStatus, RateAnchor, Validator};
use super::HubError;
use crate::hub::ValidatorPosition;

/// Mints for a bond of `amount` against `pool` (see [`full_value_pool`]): refused above the
/// deposit cap, when it would mint nothing, and below the bonder's `min_out`.
pub(super) fn mint_for_bond(
    mut pool: SharePool,
    amount: Uint128,
    deposit_cap: Option<Uint128>,
    min_out: Option<Uint128>,
) -> Result<Uint128, HubError> {
    if let Some(cap) = deposit_cap {
        let would_hold = pool.assets.checked_add(amount)?;
        if would_hold > cap {
            return Err(HubError::DepositCapExceeded { cap, would_hold });
        }
    }
    let minted = pool.deposit(amount)?;
    if minted.is_zero() {
        return Err(HubError::ZeroMint {});
    }
    if let Some(min_out) = min_out {
        if minted < min_out {
            return Err(HubError::SlippageExceeded { min_out, minted });
        }
    }
    Ok(minted)
}

/// A staking message the contract must send (amounts in the staking denom).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StakingAction {
    /// Withdraw the rewards accrued on a delegation (already booked as rewards held).
    WithdrawRewards {
        /// Operator address.
        validator: String,
    },
    /// Delegate to a validator.
    Delegate {
        /// Operator address.
        validator: String,
        /// Native delegated.
        amount: Uint128,
    },
    /// Undelegate from a validator.
    Undelegate {
        /// Operator address.
        validator: String,
        /// Native undelegated.
        amount: Uint128,
    },
    /// Move stake between validators.
    Redelegate {
        /// Operator address taken from.
        src_validator: String,
        /// Operator address given to.
        dst_validator: String,
        /// Native moved.
        amount: Uint128,
    },
}

/// What a bond does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondPlan {
    /// LST to mint to the bonder.
    pub minted: Uint128,
    /// The validator delegated to (the most under its target).
    pub validator: String,
    /// Staking messages: a rewards withdrawal if the validator had accrued rewards, then the
    /// delegation.
    pub actions: Vec<StakingAction>,
}

/// The first half of a crank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrankStart {
    /// The epoch now processed.
    pub epoch: u64,
    /// How many epochs this crank covers (missed epochs are caught up at once).
    pub epochs_processed: u64,
    /// What the sync found.
    pub report: SyncReport,
    /// Rewards withdrawals of every validator with accrued rewards (booked as held).
    pub withdrawals: Vec<StakingAction>,
}

/// What happened to the pending batch at a crank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchOutcome {
    /// Not due (interval not passed) or empty.
    NotDue,
    /// Submitted under this id; the next batch (id + 1) is now pending.
    Submitted {
        /// The submitted batch's id.
        id: u64,
    },
    /// Due, but the chain could not take its undelegations now, or the hub is in bunker mode
    /// (reason `bunker`); it stays pending, still counted in the rate, and the next crank tries
    /// again.
    Deferred {
        /// Why, as an attribute value (`reason:validator`, comma-separated).
        reason: String,
    },
}

/// The second half of a crank: compounding, rebalancing and the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReinvestPlan {
    /// Withdrawals of rewards accrued since the first half (normally none).
    pub withdrawals: Vec<StakingAction>,
    /// Rewards compounded (the rewards held).
    pub rewards: Uint128,
    /// Fee on them, native.
    pub fee: Uint128,
    /// LST to mint to the fee recipient for the fee (after the withdrawals, before the rest).
    pub fee_lst: Uint128,
    /// Delegations of the rewards, rebalancing redelegations, then the batch's withdrawals and
    /// undelegations, in this order.
    pub actions: Vec<StakingAction>,
    /// Native moved by rebalancing.
    pub rebalanced: Uint128,
    /// Rebalancing moves skipped because the chain would refuse them (`ChainLimit::describe`,
    /// each reason once).
    pub rebalance_skipped: Vec<String>,
    /// What happened to the pending batch.
    pub batch: BatchOutcome,
}

/// What removing a validator does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemovalPlan {
    /// Rewards withdrawals and redelegations of its stake.
    pub actions: Vec<StakingAction>,
    /// Native redelegated now.
    pub redelegated: Uint128,
    /// Destinations the chain would refuse (`ChainLimit::describe`, each reason once).
    pub refused: Vec<String>,
}

impl Ledger {
    /// Bonds `amount` (already received, not counted in [`Ledger::balance`]): mints LST at the
    /// synced rate and delegates to the validator most under its target.
    pub fn bond(
        &mut self,
        amount: Uint128,
        deposit_cap: Option<Uint128>,
        min_out: Option<Uint128>,
    ) -> Result<BondPlan, HubError> {
        // minted at the full value: rewards the APR ceiling withholds included, so a bond's LST
        // carry the same share of them as everyone's and take none from those already there
        let full = self.full_value_pool()?;
        let minted = mint_for_bond(full, amount, deposit_cap, min_out)?;
        let index = most_underweight(&self.booked(), &self.weights(), amount)?
            .ok_or(HubError::NoActiveValidator {})?;
        self.state.withhold_bond_share(&full, amount, minted)?;
        // the chain would withdraw the validator's rewards on delegation: do it explicitly
        let mut actions: Vec<StakingAction> =
            self.withdraw_before_staking(index)?.into_iter().collect();
        let validator = &mut self.validators[index];
        validator.record.booked = validator.record.booked.checked_add(amount)?;
        actions.push(StakingAction::Delegate {
            validator: validator.address.clone(),
            amount,
        });
        Ok(BondPlan {
            minted,
            validator: validator.address.clone(),
            actions,
        })
    }

    /// Adds `lst_amount` to the pending batch's count (see [`State::queue_unbond`]).
    pub fn queue_unbond(&mut self, lst_amount: Uint128) -> Result<u64, HubError> {
        self.state.queue_unbond(lst_amount)
    }

    /// Pays a claim from a claimable batch (see [`State::settle_claim`]).
    pub fn settle_claim(&mut self, batch: &mut Batch, lst: Uint128) -> Result<Uint128, HubError> {
        self.state.settle_claim(batch, lst)
    }

    /// First half of the crank: fails if the current epoch is already processed; otherwise
    /// syncs, advances the epoch (all missed epochs at once) and withdraws every validator's
    /// rewards (booked as held now; they are in the balance when the second half runs).
    pub fn start_crank(&mut self) -> Result<CrankStart, HubError> {
        let params = &self.params;
        let current = epoch_at(params.genesis, params.epoch_period, self.now);
        if current <= self.state.epoch {
            return Err(HubError::EpochNotElapsed {
                epoch: self.state.epoch,
                next_epoch_at: next_epoch_at(params.genesis, params.epoch_period, self.state.epoch),
            });
        }
        let report = self.sync()?;
        let epochs_processed = current - self.state.epoch;
        self.state.epoch = current;
        let withdrawals = self.withdraw_all_rewards()?;
        Ok(CrankStart {
            epoch: current,
            epochs_processed,
            report,
            withdrawals,
        })
    }

    /// Second half of the crank, on a synced ledger: the rewards the hub holds (never a pending
    /// payout) are compounded: the fee is taken (minted as LST), the rest delegated; stake is
    /// rebalanced within the bound, skipping moves the chain would refuse; the pending batch
    /// (`pending_batch`, loaded by the contract) is submitted if its interval has passed, or
    /// deferred if the chain could not take its undelegations now.
    pub fn reinvest(&mut self, pending_batch: Batch) -> Result<ReinvestPlan, HubError> {
        // normally nothing: the first half withdrew everything in this block
        let withdrawals = self.withdraw_all_rewards()?;
        let mut actions = vec![];

        // rewards and fee
        let rewards = self.free_balance();
        // withheld rewards (see `rails.rs`) are compounded with the rest but stay out of the
        // rate: the fee's LST and the batch are priced without them
        let mut pool = SharePool::new(
            self.booked_total()?
                .checked_add(rewards)?
                .checked_sub(self.state.withheld)?,
            self.total_lst()?,
        );
        let fee = self.fee_on(rewards)?;
        let fee_lst = pool.mint_fee(fee)?;

        // compound
        if !rewards.is_zero() {
            let split = allocate_to_deficits(&self.booked(), &self.weights(), rewards)?;
            for (validator, amount) in self.validators.iter_mut().zip(split) {
                if amount.is_zero() {
                    continue;
                }
                validator.record.booked = validator.record.booked.checked_add(amount)?;
                actions.push(StakingAction::Delegate {
                    validator: validator.address.clone(),
                    amount,
                });
            }
        }
        self.rewards_compounded();

        // bounded rebalancing, within the chain's redelegation limits
        let moves = plan_rebalance(
            &self.booked(),
            &self.weights(),
            self.params.max_rebalance_per_epoch,
        )?;
        let mut rebalanced = Uint128::zero();
        let mut rebalance_skipped: Vec<String> = vec![];
        for step in moves {
            if let Err(limit) = self.can_redelegate(step.from, step.to) {
                push_once(&mut rebalance_skipped, limit.describe());
                continue;
            }
            let src = &mut self.validators[step.from];
            src.record.booked = src.record.booked.checked_sub(step.amount)?;
            let src_validator = src.address.clone();
            let dst = &mut self.validators[step.to];
            dst.record.booked = dst.record.booked.checked_add(step.amount)?;
            let dst_validator = dst.address.clone();
            self.record_redelegation(step.from, step.to);
            rebalanced = rebalanced.checked_add(step.amount)?;
            actions.push(StakingAction::Redelegate {
                src_validator,
                dst_validator,
                amount: step.amount,
            });
        }

        let batch = self.submit_batch_if_due(pending_batch, &mut pool, &mut actions)?;
        // the APR ceiling is measured from the rate this crank leaves
        self.state.rate_anchor = Some(RateAnchor {
            assets: pool.assets,
            lst: pool.shares,
            at: self.now,
        });
        Ok(ReinvestPlan {
            withdrawals,
            rewards,
            fee,
            fee_lst,
            actions,
            rebalanced,
            rebalance_skipped,
            batch,
        })
    }

    /// Whether the pending batch may be submitted now (its interval has passed since the last
    /// submission).
    pub fn batch_due(&self) -> bool {
        match self.state.last_batch_submitted_at {
            Some(last) => self.now >= last.plus_seconds(self.params.batch_interval),
            None => true,
        }
    }

    /// Earliest time the pending batch may be submitted.
    pub fn next_batch_submit_at(&self) -> Timestamp {
        self.state
            .last_batch_submitted_at
            .map(|t| t.plus_seconds(self.params.batch_interval))
            .unwrap_or(self.params.genesis)
    }

    /// Prices the pending batch at the post-reward rate, undelegates its native (from the most
    /// over-weight validators first, among those that can take another unbonding entry) and
    /// opens the next batch. If the validators that can take an entry hold too little, the
    /// batch is deferred.
    fn submit_batch_if_due(
        &mut self,
        mut batch: Batch,
        pool: &mut SharePool,
        actions: &mut Vec<StakingAction>,
    ) -> Result<BatchOutcome, HubError> {
        if !self.batch_due() || self.state.pending_lst.is_zero() {
            return Ok(BatchOutcome::NotDue);
        }
        if self.in_bunker() {
            // a mass slash is in progress: those who leave now share the loss with those who
            // stay; the batch is priced at the first crank after bunker mode ends
            return Ok(BatchOutcome::Deferred {
                reason: "bunker".to_string(),
            });
        }
        let native = pool.assets_for_redeem(self.state.pending_lst)?;
        let split = match self.undelegation_split(native)? {
            Ok(split) => split,
            Err(reason) => return Ok(BatchOutcome::Deferred { reason }),
        };
        let native = pool.redeem(self.state.pending_lst)?;
        let id = self.state.pending_batch_id;
        let claimable_at = self.now.plus_seconds(self.params.unbonding_period);
        for (index, amount) in split.iter().enumerate() {
            if amount.is_zero() {
                continue;
            }
            actions.extend(self.withdraw_before_staking(index)?);
            let validator = &mut self.validators[index];
            validator.record.booked = validator.record.booked.checked_sub(*amount)?;
            let address = validator.address.clone();
            self.record_unbonding(index, claimable_at);
            actions.push(StakingAction::Undelegate {
                validator: address.clone(),
                amount: *amount,
            });
            batch.entries.push(BatchEntry {
                validator: address,
                amount: *amount,
            });
        }
        batch.native_amount = native;
        batch.submitted_at = Some(self.now);
        batch.claimable_at = Some(claimable_at);
        batch.status = BatchStatus::Unbonding;
        self.batches.push(InFlightBatch { id, batch });
        self.state.unbonding_batches.push(id);
        self.state.pending_lst = Uint128::zero();
        self.state.pending_batch_id = id
            .checked_add(1)
            .ok_or(tributary_math::MathError::Overflow)?;
        self.state.last_batch_submitted_at = Some(self.now);
        Ok(BatchOutcome::Submitted { id })
    }

    /// How much of `native` to undelegate from each validator: the most over-weight first, only
    /// from validators that can take another unbonding entry. `Ok(Err(reason))` if those hold
    /// less than `native` (the batch must wait).
    pub fn undelegation_split(
        &self,
        native: Uint128,
    ) -> Result<Result<Vec<Uint128>, String>, HubError> {
        let booked = self.booked();
        let weights = self.weights();
        let split = take_from_surpluses(&booked, &weights, native)?;
        let blocked: Vec<Option<ChainLimit>> = (0..self.validators.len())
            .map(|index| self.can_undelegate(index).err())
            .collect();
        let uses_blocked = split
            .iter()
            .zip(&blocked)
            .any(|(amount, limit)| !amount.is_zero() && limit.is_some());
        if !uses_blocked {
            return Ok(Ok(split));
        }
        // draw only from validators that can take another entry
        let open_booked: Vec<Uint128> = booked
            .iter()
            .zip(&blocked)
            .map(|(held, limit)| {
                if limit.is_some() {
                    Uint128::zero()
                } else {
                    *held
                }
            })
            .collect();
        let open_total = open_booked
            .iter()
            .try_fold(Uint128::zero(), |acc, held| acc.checked_add(*held))?;
        if open_total < native {
            let reasons: Vec<String> = blocked
                .iter()
                .zip(&booked)
                .filter(|(_, held)| !held.is_zero())
                .filter_map(|(limit, _)| limit.as_ref().map(ChainLimit::describe))
                .collect();
            return Ok(Err(reasons.join(",")));
        }
        let mut open_weights: Vec<u64> = weights
            .iter()
            .zip(&blocked)
            .map(|(weight, limit)| if limit.is_some() { 0 } else { *weight })
            .collect();
        if open_weights.iter().all(|w| *w == 0) {
            // only removed validators are open: draw from whoever holds the most
            open_weights = open_booked
                .iter()
                .map(|held| u64::from(!held.is_zero()))
                .collect();
        }
        Ok(Ok(take_from_surpluses(
            &open_booked,
            &open_weights,
            native,
        )?))
    }

    /// Adds a validator with `weight` (the contract has checked it exists on the chain and the
    /// weight is positive), or re-activates a removed one that is still draining.
    pub fn add_validator(&mut self, address: &str, weight: u64) -> Result<(), HubError> {
        match self.validator_index(address) {
            Some(index) if self.validators[index].record.weight > 0 => {
                Err(HubError::ValidatorExists {
                    address: address.to_string(),
                })
            }
            Some(index) => {
                self.validators[index].record.weight = weight;
                Ok(())
            }
            None => {
                self.validators
                    .push(ValidatorPosition::new(address, Validator::new(weight)));
                Ok(())
            }
        }
    }

    /// Sets an active validator's target weight. Stake follows through bounded rebalancing.
    pub fn set_weight(&mut self, address: &str, weight: u64) -> Result<(), HubError> {
        let index = self.active_index(address)?;
        self.validators[index].record.weight = weight;
        Ok(())
    }

    /// Removes a validator and redelegates all of its stake to the rest of the set now, to the
    /// destinations the chain accepts. If the chain would refuse every destination, the move is
    /// deferred: the validator's weight is zero at once, batches undelegate from it first, and
    /// the crank's rebalancing moves the rest once the chain allows it.
    pub fn remove_validator(&mut self, address: &str) -> Result<RemovalPlan, HubError> {
        let index = self.active_index(address)?;
        if self
            .validators
            .iter()
            .filter(|validator| validator.record.weight > 0)
            .count()
            <= 1
        {
            return Err(HubError::LastValidator {});
        }
        let leaving = self.validators[index].record.booked;
        self.validators[index].record.weight = 0;

        // collect its rewards first (the chain would on redelegation); compounded at the next
        // crank
        let mut actions: Vec<StakingAction> =
            self.withdraw_before_staking(index)?.into_iter().collect();
        let mut refused: Vec<String> = vec![];
        let mut redelegated = Uint128::zero();
        if !leaving.is_zero() {
            // destinations the chain accepts a redelegation to from this validator
            let mut weights = self.weights();
            for (to, weight) in weights.iter_mut().enumerate() {
                if *weight == 0 {
                    continue;
                }
                if let Err(limit) = self.can_redelegate(index, to) {
                    *weight = 0;
                    push_once(&mut refused, limit.describe());
                }
            }
            if weights.iter().any(|w| *w > 0) {
                let mut current = self.booked();
                current[index] = Uint128::zero();
                let split = allocate_to_deficits(&current, &weights, leaving)?;
                self.validators[index].record.booked = Uint128::zero();
                for (to, amount) in split.into_iter().enumerate() {
                    if amount.is_zero() {
                        continue;
                    }
                    actions.extend(self.withdraw_before_staking(to)?);
                    let dst = &mut self.validators[to];
                    dst.record.booked = dst.record.booked.checked_add(amount)?;
                    let dst_validator = dst.address.clone();
                    self.record_redelegation(index, to);
                    redelegated = redelegated.checked_add(amount)?;
                    actions.push(StakingAction::Redelegate {
                        src_validator: address.to_string(),
                        dst_validator,
                        amount,
                    });
                }
            }
        }
        Ok(RemovalPlan {
            actions,
            redelegated,
            refused,
        })
    }
}

fn push_once(reasons: &mut Vec<String>, reason: String) {
    if !reasons.contains(&reason) {
        reasons.push(reason);
    }
}
