//! The crank's planning: the fee on bonded rewards, finalizing due withdrawals, liquidity for
//! the pending ones, and putting free LST to work in strategies and with operators.

use std::collections::BTreeMap;
use std::ops::Range;

use cosmwasm_std::{Addr, Timestamp, Uint128};
use tributary_math::{
    allocate_to_deficits, bps_of, fee_amount, pro_rata, take_from_surpluses, MathError, SharePool,
    BPS_DENOMINATOR,
};

use super::{rate_drop_bps, Ledger, QueueTotals, RateAnchor, VaultError};

/// Withdrawal requests the crank looks at per call (finalized or skipped); the next call
/// resumes where this one stopped, so the queue's length never limits a crank.
pub const MAX_FINALIZE_PER_CRANK: u64 = 50;

/// The ids of the withdrawal requests a crank looks at: from `next_to_finalize` up to the last
/// issued, at most [`MAX_FINALIZE_PER_CRANK`] of them. The contract loads these (some may have
/// been claimed and removed) into [`CrankInputs::requests`].
pub fn finalize_window(next_to_finalize: u64, last_withdrawal_id: u64) -> Range<u64> {
    let stop = next_to_finalize.saturating_add(MAX_FINALIZE_PER_CRANK);
    let end = last_withdrawal_id.saturating_add(1).min(stop);
    next_to_finalize..end.max(next_to_finalize)
}

/// A withdrawal request as the crank sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedWithdrawal {
    /// LRT burned into it.
    pub lrt: Uint128,
    /// Earliest finalization.
    pub finalize_at: Timestamp,
    /// Its value when requested (LST), the most it is paid; `None` for requests from before
    /// caps were kept (paid at the rate of all LRT alike).
    pub value_at_request: Option<Uint128>,
    /// Whether it is already finalized (waiting to be claimed).
    pub finalized: bool,
    /// When it was requested.
    pub requested_at: Timestamp,
    /// It was requested while a service slash was pending against the vault's operators
    /// (bunker mode): it is finalized only once none is pending, or
    /// [`CrankParams::slash_resolution`] after it was requested.
    pub awaits_slashes: bool,
}

/// One service's slice of an operator's stake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceShare {
    /// The service.
    pub service: u64,
    /// Share of the operator's stake allocated to it (slashable by it), bps.
    pub bps: u16,
}

/// How much of the vault's LST one service can reach (through its operators).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceExposure {
    /// The service.
    pub service: u64,
    /// Vault LST allocated to it.
    pub allocated: Uint128,
}

/// The vault's parameters the crank needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrankParams {
    /// Fee on restaking rewards in force, bps.
    pub fee_bps: u16,
    /// Seconds a withdrawal waits; also how long a strategy that refused to give LST back is
    /// not counted on.
    pub withdrawal_delay: u64,
    /// Per-operator cap, bps of total value.
    pub max_operator_bps: u16,
    /// Per-service exposure cap, bps of total value.
    pub max_service_exposure_bps: u16,
    /// A fall of the rate beyond this since the last crank (bps) pauses deposits.
    pub max_drop_bps: u16,
    /// The longest a service slash can stay pending, seconds (the registry's withdrawal delay,
    /// which exceeds every veto window, plus [`crate::registry::MAX_SLASH_EPOCHS`] of its
    /// epochs): a request waiting for slashes is finalized after this even if slashes are still
    /// pending, so a stream of new slash requests cannot hold withdrawals forever.
    pub slash_resolution: u64,
}

/// Everything the crank's last step decides on, gathered by the contract beforehand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrankInputs {
    /// The block time.
    pub now: Timestamp,
    /// The vault's holdings after the reward bond (its LST already idle).
    pub ledger: Ledger,
    /// Parameters.
    pub params: CrankParams,
    /// LST the reward bond of this crank gave (the fee is taken on it).
    pub rewards_received: Uint128,
    /// The oldest request that may still be unfinalized.
    pub next_to_finalize: u64,
    /// The last request id issued.
    pub last_withdrawal_id: u64,
    /// The requests in [`finalize_window`] that still exist, by id.
    pub requests: BTreeMap<u64, QueuedWithdrawal>,
    /// When a strategy last refused to give LST back for pending withdrawals.
    pub strategy_exit_failed_at: Option<Timestamp>,
    /// The most each strategy takes in one deposit now (`None`: no limit). A strategy missing
    /// here takes nothing this time.
    pub deposit_capacity: BTreeMap<Addr, Option<Uint128>>,
    /// How each targeted operator splits its stake among services. An operator missing here
    /// has no allocations.
    pub operator_services: BTreeMap<Addr, Vec<ServiceShare>>,
    /// The vault's current exposure per service.
    pub exposure: Vec<ServiceExposure>,
    /// The rate recognised at the last crank (`None` before the first).
    pub anchor: Option<RateAnchor>,
}

/// The fee on bonded rewards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeeCharge {
    /// The fee, in LST.
    pub fee_lst: Uint128,
    /// The LRT minted to the fee address for it.
    pub fee_lrt: Uint128,
}

/// A finalized withdrawal: what it is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payout {
    /// The request.
    pub id: u64,
    /// What it is owed, in LST.
    pub value: Uint128,
    /// The part paid in LST (reserved for its claim).
    pub lst: Uint128,
    /// Native paid for the rest (reserved for its claim): zero unless the idle LST ran short
    /// and the vault held native it could not bond.
    pub native: Uint128,
}

/// LST moved to or from one operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorMove {
    /// The operator.
    pub operator: Addr,
    /// LST.
    pub amount: Uint128,
}

/// LST moved to or from one strategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StrategyMove {
    /// Send LST to the strategy.
    Deposit {
        /// The strategy.
        strategy: Addr,
        /// LST.
        amount: Uint128,
    },
    /// Ask the strategy for LST back.
    Withdraw {
        /// The strategy.
        strategy: Addr,
        /// LST value.
        amount: Uint128,
    },
}

/// What the crank's last step does, in the order its messages go out: mint the fee, withdraw
/// from strategies for liquidity, undelegate, move LST to and from strategies toward their
/// targets, delegate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrankPlan {
    /// The fee on the rewards received.
    pub fee: FeeCharge,
    /// Requests finalized, oldest first.
    pub payouts: Vec<Payout>,
    /// Where the next crank resumes finalizing.
    pub next_to_finalize: u64,
    /// The queue after finalization.
    pub queue: QueueTotals,
    /// LST the payouts reserve.
    pub reserved_lst: Uint128,
    /// Native the payouts reserve.
    pub reserved_native: Uint128,
    /// Strategy withdrawals for the liquidity pending withdrawals need.
    pub liquidity_withdrawals: Vec<StrategyMove>,
    /// Undelegations for the liquidity pending withdrawals need.
    pub undelegations: Vec<OperatorMove>,
    /// Deposits toward strategy targets and withdrawals of what is above them, by strategy.
    pub strategy_moves: Vec<StrategyMove>,
    /// Retired strategies (target 0) that hold nothing any more: forget them.
    pub retired_strategies: Vec<Addr>,
    /// Delegations of free LST.
    pub delegations: Vec<OperatorMove>,
    /// How far the recognised rate fell since the last crank, bps (0 if it did not).
    pub drop_bps: u16,
    /// The fall passed [`CrankParams::max_drop_bps`]: deposits must pause.
    pub rate_drop: bool,
    /// The first due request held back because it waits for pending service slashes (bunker
    /// mode), if any.
    pub held_for_slashes: Option<u64>,
    /// The rate recognised after this crank, the next ceiling's anchor.
    pub anchor: Option<RateAnchor>,
}

impl CrankPlan {
    /// LST undelegated in total.
    pub fn undelegated(&self) -> Result<Uint128, VaultError> {
        sum(self
            .undelegations
            .iter()
            .map(|undelegation| undelegation.amount))
    }

    /// LST delegated in total.
    pub fn delegated(&self) -> Result<Uint128, VaultError> {
        sum(self.delegations.iter().map(|delegation| delegation.amount))
    }
}

fn sum(mut amounts: impl Iterator<Item = Uint128>) -> Result<Uint128, VaultError> {
    Ok(amounts.try_fold(Uint128::zero(), |acc, a| acc.checked_add(a))?)
}

/// The books a crank settles withdrawals against: the nominal pool (every LRT, the queue's
/// included), the queue, and the LST and native free to pay with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settlement {
    /// Total value over every LRT.
    pub nominal: SharePool,
    /// The withdrawal queue.
    pub queue: QueueTotals,
    /// LST free to pay with.
    pub idle: Uint128,
    /// Native free to pay with.
    pub native: Uint128,
    /// The hub's pool, to convert LST owed into native.
    pub hub_pool: SharePool,
}

impl Settlement {
    /// The books of `ledger`.
    pub fn new(ledger: &Ledger) -> Result<Self, VaultError> {
        Ok(Settlement {
            nominal: ledger.nominal_pool()?,
            queue: ledger.queue,
            idle: ledger.idle,
            native: ledger.native_held,
            hub_pool: ledger.hub_pool,
        })
    }

    /// Takes `fee_bps` of `rewards` (LST just added to the pool) and mints LRT for it, charged
    /// to whoever the rewards went to: those who stay, and the withdrawal queue too while it
    /// shares gains (below its caps).
    ///
    /// Before the crank the ledger already counted these rewards net of the fee
    /// ([`super::rewards_value`]), and split the pool with the queue on that: the split here is
    /// made on the same books (the pool without the fee), and the fee is priced against the part
    /// it falls on. Splitting the pool with the fee still in it could put a queue just below its
    /// caps at them — owed more than before the crank, and the fee priced against a smaller
    /// stayers' pool for more LRT — and once those LRT were minted the queue fell back below its
    /// caps: the fee's LRT were worth more than the fee, taken from the queue and those who stay.
    /// The LRT are priced, rounded down, at the rate of the part the fee falls on: every LRT
    /// alike at the real rate (the rate the queue is valued at; the lower of the real and the
    /// virtual rate would, above one, value the fee at the queue's expense), those who stay at
    /// their own rate.
    pub fn charge_fee(&mut self, rewards: Uint128, fee_bps: u16) -> Result<FeeCharge, VaultError> {
        let fee_lst = fee_amount(rewards, fee_bps)?;
        self.charge_fee_valued(fee_lst, fee_lst)
    }

    /// As [`Settlement::charge_fee`], for a fee of `fee_lst` of which `fee_value` is in the
    /// recognised value (all of it, unless the APR ceiling withholds value: then the fee's LRT
    /// are priced like a deposit's, at the full value, and carry their share of what is
    /// withheld; see [`plan`]).
    pub fn charge_fee_valued(
        &mut self,
        fee_lst: Uint128,
        fee_value: Uint128,
    ) -> Result<FeeCharge, VaultError> {
        if fee_lst.is_zero() || fee_value.is_zero() {
            return Ok(FeeCharge {
                fee_lst,
                fee_lrt: Uint128::zero(),
            });
        }
        let without_fee = SharePool::new(
            self.nominal.assets.checked_sub(fee_value)?,
            self.nominal.shares,
        );
        let queue = without_fee.split_queue(self.queue.pending_lrt, self.queue.pending_cap)?;
        let fee_lrt = if queue.shares_gains() {
            pro_rata(fee_value, without_fee.shares, without_fee.assets)?
        } else {
            // the queue is at its caps (those who stay hold at least its rate): the fee falls on
            // those who stay, at their rate
            queue.stay.shares_for_deposit(fee_value)?
        };
        self.nominal.shares = self.nominal.shares.checked_add(fee_lrt)?;
        Ok(FeeCharge { fee_lst, fee_lrt })
    }

    /// What the queue is owed now.
    pub fn queue_owed(&self) -> Result<Uint128, VaultError> {
        Ok(self
            .nominal
            .split_queue(self.queue.pending_lrt, self.queue.pending_cap)?
            .owed)
    }

    /// Finalizes `request` if the LST (and then native) is there to pay it: at the lesser of
    /// its value now and when it was requested (a request shares the slashes of its delay but
    /// earns nothing after asking to leave), in LST while there is, the rest from native the
    /// hub could not take (at the native the rest redeems for at the hub), never from anyone's
    /// LST. `None` if it cannot be paid yet.
    pub fn finalize(
        &mut self,
        id: u64,
        request: &QueuedWithdrawal,
    ) -> Result<Option<Payout>, VaultError> {
        let queue = self
            .nominal
            .split_queue(self.queue.pending_lrt, self.queue.pending_cap)?;
        let owed = match request.value_at_request {
            Some(cap) => queue.owed_to(request.lrt, cap)?,
            // a request from before caps were kept: at the rate of all LRT alike
            None => self.nominal.value_of(request.lrt)?.min(self.nominal.assets),
        };
        let (lst, native) = if owed <= self.idle {
            (owed, Uint128::zero())
        } else {
            let rest = owed.checked_sub(self.idle)?;
            let native = self.hub_pool.assets_for_redeem(rest)?;
            if native > self.native || native.is_zero() {
                return Ok(None);
            }
            (self.idle, native)
        };
        self.nominal.assets = self.nominal.assets.checked_sub(owed)?;
        self.nominal.shares = self.nominal.shares.checked_sub(request.lrt)?;
        self.idle = self.idle.checked_sub(lst)?;
        self.native = self.native.checked_sub(native)?;
        self.queue.pending_lrt = self.queue.pending_lrt.checked_sub(request.lrt)?;
        self.queue.pending_cap = self
            .queue
            .pending_cap
            .saturating_sub(request.value_at_request.unwrap_or(owed));
        Ok(Some(Payout {
            id,
            value: owed,
            lst,
            native,
        }))
    }
}

/// Plans the crank's last step (see [`CrankPlan`]): the fee on the rewards received; due
/// withdrawals finalized oldest first while LST (or native) is there to pay them, stopping at
/// the first not yet due; liquidity for the rest — idle first, then what is already
/// undelegating, then strategies (unless one refused within a withdrawal delay), then new
/// undelegations from operators' surpluses; then strategies topped up toward their targets
/// (within their deposit capacity; what they cannot take stays idle) and what is above a target
/// withdrawn; and free LST delegated by weight, each operator kept under `max_operator_bps` and
/// each service's reach under `max_service_exposure_bps` of the value (what the caps refuse
/// stays idle).
pub fn plan(inputs: &CrankInputs) -> Result<CrankPlan, VaultError> {
    let ledger = &inputs.ledger;
    let params = &inputs.params;
    let mut books = Settlement::new(ledger)?;
    // the fall since the last crank, on the recognised rate before this crank's fee
    let drop_bps = match &inputs.anchor {
        Some(anchor) => rate_drop_bps(anchor, books.nominal.assets, books.nominal.shares)?,
        None => 0,
    };
    // the fee is owed before anything counts as rewards, and is paid like a deposit of its LST
    // by the fee address: while the APR ceiling withholds value, its LRT are minted at the full
    // value those who stay hold (recognised and withheld, as a deposit's are) and carry their
    // share of what is withheld; only their recognised value enters the recognised books, so
    // neither the holders' recognised value nor their share of what is withheld pays for it
    let fee_lst = fee_amount(inputs.rewards_received, params.fee_bps)?;
    let gross_without_fee = ledger.gross_value()?.checked_sub(fee_lst)?;
    let recognised_without_fee = books.nominal.assets.min(gross_without_fee);
    let withheld_without_fee = gross_without_fee.checked_sub(recognised_without_fee)?;
    books.nominal.assets = recognised_without_fee;
    let fee = if withheld_without_fee.is_zero() || fee_lst.is_zero() {
        books.nominal.assets = books.nominal.assets.checked_add(fee_lst)?;
        books.charge_fee_valued(fee_lst, fee_lst)?
    } else {
        let stay = books
            .nominal
            .split_queue(books.queue.pending_lrt, books.queue.pending_cap)?
            .stay;
        let full = SharePool::new(stay.assets.checked_add(withheld_without_fee)?, stay.shares);
        let fee_lrt = full.shares_for_deposit(fee_lst)?;
        let fee_value = stay.value_of(fee_lrt)?;
        books.nominal.assets = books.nominal.assets.checked_add(fee_value)?;
        books.nominal.shares = books.nominal.shares.checked_add(fee_lrt)?;
        FeeCharge { fee_lst, fee_lrt }
    };
    let mut plan = CrankPlan {
        fee,
        drop_bps,
        rate_drop: drop_bps > params.max_drop_bps,
        ..CrankPlan::default()
    };

    // finalize due withdrawals
    let window = finalize_window(inputs.next_to_finalize, inputs.last_withdrawal_id);
    let mut next = window.start;
    while next < window.end {
        let id = next;
        let Some(request) = inputs.requests.get(&id) else {
            next += 1;
            continue;
        };
        if request.finalized {
            next += 1;
            continue;
        }
        if request.finalize_at > inputs.now {
            break;
        }
        // bunker mode: a request made while a service slash was pending waits until none is
        // (or until the longest a slash can stay pending has passed), so it shares the loss
        let slash_deadline = Timestamp::from_seconds(
            request
                .requested_at
                .seconds()
                .saturating_add(params.slash_resolution),
        );
        if request.awaits_slashes && !ledger.pending_slash.is_zero() && inputs.now < slash_deadline
        {
            plan.held_for_slashes = Some(id);
            break;
        }
        let Some(payout) = books.finalize(id, request)? else {
            break;
        };
        plan.reserved_lst = plan.reserved_lst.checked_add(payout.lst)?;
        plan.reserved_native = plan.reserved_native.checked_add(payout.native)?;
        plan.payouts.push(payout);
        next += 1;
    }
    plan.next_to_finalize = next;
    plan.queue = books.queue;

    // liquidity for the withdrawals still pending: idle first, then what is already being
    // undelegated, then strategies (instant), then new undelegations
    let pending_value = books.queue_owed()?;
    let mut shortfall = pending_value
        .saturating_sub(books.idle)
        .saturating_sub(ledger.undelegating);
    let mut strategies = ledger.strategies.clone();
    // a strategy that recently refused to give LST back is not counted on: the operators are
    let strategies_refused = inputs
        .strategy_exit_failed_at
        .is_some_and(|at| inputs.now < at.plus_seconds(params.withdrawal_delay));
    for position in strategies.iter_mut() {
        if shortfall.is_zero() || strategies_refused {
            break;
        }
        let take = position.value.min(shortfall);
        if take.is_zero() {
            continue;
        }
        plan.liquidity_withdrawals.push(StrategyMove::Withdraw {
            strategy: position.strategy.clone(),
            amount: take,
        });
        position.value = position.value.checked_sub(take)?;
        shortfall = shortfall.checked_sub(take)?;
    }
    if !shortfall.is_zero() {
        let values: Vec<Uint128> = ledger
            .operators
            .iter()
            .map(|position| position.value)
            .collect();
        let weights: Vec<u64> = ledger
            .operators
            .iter()
            .map(|position| position.weight)
            .collect();
        let need = shortfall.min(ledger.with_operators()?);
        if !need.is_zero() {
            let split = if weights.iter().all(|weight| *weight == 0) {
                take_from_surpluses(&values, &vec![1; values.len()], need)?
            } else {
                take_from_surpluses(&values, &weights, need)?
            };
            for (position, amount) in ledger.operators.iter().zip(split) {
                if !amount.is_zero() {
                    plan.undelegations.push(OperatorMove {
                        operator: position.operator.clone(),
                        amount,
                    });
                }
            }
        }
    }

    // put free LST to work: strategies up to their targets, then operators by weight
    let total = books.nominal.assets;
    let mut free = books.idle.saturating_sub(pending_value);
    let mut held_back = Uint128::zero();
    for position in &strategies {
        let target = bps_of(total, position.target_bps)?;
        if position.value < target && shortfall.is_zero() {
            let capacity = inputs
                .deposit_capacity
                .get(&position.strategy)
                .copied()
                .unwrap_or(Some(Uint128::zero()));
            let wanted = target.checked_sub(position.value)?.min(free);
            let amount = capacity.map_or(wanted, |capacity| wanted.min(capacity));
            // what the strategy cannot take this time stays idle for the next crank instead of
            // going to the operators (from whom it could only come back by undelegating)
            held_back = held_back.checked_add(wanted.checked_sub(amount)?)?;
            if !amount.is_zero() {
                plan.strategy_moves.push(StrategyMove::Deposit {
                    strategy: position.strategy.clone(),
                    amount,
                });
                free = free.checked_sub(amount)?;
            }
        } else if position.value > target {
            plan.strategy_moves.push(StrategyMove::Withdraw {
                strategy: position.strategy.clone(),
                amount: position.value.checked_sub(target)?,
            });
        }
        if position.target_bps == 0 && position.value.is_zero() {
            plan.retired_strategies.push(position.strategy.clone());
        }
    }
    let free = free.saturating_sub(held_back);
    plan.delegations = allocate_to_operators(inputs, total, free)?;
    // the anchor keeps room for what a veto of the pending slashes would bring back
    plan.anchor = RateAnchor::new(
        books.nominal.assets,
        ledger.pending_effect(),
        books.nominal.shares,
        inputs.now,
    )?;
    Ok(plan)
}

/// Splits `free` LST among operators toward their target weights, keeping each operator under
/// `max_operator_bps` of `total` and each service's reach under `max_service_exposure_bps`.
/// Whatever the caps refuse stays idle.
fn allocate_to_operators(
    inputs: &CrankInputs,
    total: Uint128,
    free: Uint128,
) -> Result<Vec<OperatorMove>, VaultError> {
    let operators = &inputs.ledger.operators;
    let weights: Vec<u64> = operators.iter().map(|position| position.weight).collect();
    if free.is_zero() || weights.iter().all(|weight| *weight == 0) {
        return Ok(vec![]);
    }
    let values: Vec<Uint128> = operators.iter().map(|position| position.value).collect();
    let split = allocate_to_deficits(&values, &weights, free)?;
    let operator_cap = bps_of(total, inputs.params.max_operator_bps)?;
    let service_cap = bps_of(total, inputs.params.max_service_exposure_bps)?;
    let mut exposure: BTreeMap<u64, Uint128> = inputs
        .exposure
        .iter()
        .map(|reach| (reach.service, reach.allocated))
        .collect();
    let no_services = vec![];
    let mut delegations = vec![];
    for (position, wanted) in operators.iter().zip(split) {
        if position.weight == 0 || wanted.is_zero() {
            continue;
        }
        let mut amount = wanted.min(operator_cap.saturating_sub(position.value));
        let services = inputs
            .operator_services
            .get(&position.operator)
            .unwrap_or(&no_services);
        for share in services.iter().filter(|share| share.bps > 0) {
            let room = service_cap
                .saturating_sub(exposure.get(&share.service).copied().unwrap_or_default());
            amount = amount.min(room.checked_multiply_ratio(BPS_DENOMINATOR, share.bps)?);
        }
        if amount.is_zero() {
            continue;
        }
        for share in services.iter().filter(|share| share.bps > 0) {
            let reach = exposure.entry(share.service).or_default();
            *reach = reach.checked_add(bps_of(amount, share.bps)?)?;
        }
        delegations.push(OperatorMove {
            operator: position.operator.clone(),
            amount,
        });
    }
    Ok(delegations)
}

/// What the hub allows a reward bond now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HubBondTerms {
    /// Room below the hub's deposit cap (native), from its full value as the hub checks the cap
    /// (what its APR ceiling withholds included); `None` if it has no cap.
    pub room_below_cap: Option<Uint128>,
    /// Whether the hub's bonding is paused.
    pub bond_paused: bool,
    /// The hub's minimum bond.
    pub min_bond: Uint128,
    /// The pool a bond mints against as the vault values its native (the hub's full value over
    /// the LST it counts, read from every delegation): the bond's slippage bound is priced from
    /// it.
    pub bond_pool: SharePool,
}

/// How far below the LST the vault counts its native at a reward bond may mint, in basis points.
/// The hub's quick path prices a bond from its last snapshot: after a validator slash that no
/// sync has booked yet it mints at the old, higher price, and the vault's depositors would pay
/// the difference to the LST holders. A bond beyond this bound fails and is skipped; the native
/// waits for a crank after the hub has booked the slash (the next epoch's first bond syncs in
/// full). Ten basis points leave room for the quick path's estimate of rewards accrued since
/// its snapshot.
pub const REWARD_BOND_SLIPPAGE_BPS: u16 = 10;

/// Why native rewards are not bonded this time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BondDeferral {
    /// The hub's bonding is paused.
    HubPaused,
    /// The hub is at its deposit cap.
    HubCapReached,
    /// Less than the hub's minimum bond.
    BelowMinimum,
}

impl BondDeferral {
    /// The reason, as the crank's `reason` attribute reports it.
    pub fn reason(self) -> &'static str {
        match self {
            BondDeferral::HubPaused => "hub bond is paused",
            BondDeferral::HubCapReached => "hub deposit cap reached",
            BondDeferral::BelowMinimum => "below the hub's minimum bond",
        }
    }
}

/// What the crank does with the native rewards it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RewardBond {
    /// No native to bond.
    Nothing,
    /// Bond this much through the hub (at most its room below the cap).
    Bond {
        /// Native to bond.
        amount: Uint128,
        /// The fewest LST the bond may mint: what the vault counts the native at, less
        /// [`REWARD_BOND_SLIPPAGE_BPS`].
        min_out: Uint128,
    },
    /// Bond nothing now; the native waits for a later crank (still counted in the rate).
    Deferred {
        /// Native held.
        native: Uint128,
        /// Why.
        why: BondDeferral,
    },
}

/// Sizes the reward bond to the hub's room below its deposit cap, bounds what it must mint (see
/// [`REWARD_BOND_SLIPPAGE_BPS`]), and defers it when the hub is paused, full, or the amount is
/// below its minimum bond.
pub fn plan_reward_bond(native: Uint128, hub: &HubBondTerms) -> Result<RewardBond, MathError> {
    let room = hub.room_below_cap.unwrap_or(native);
    let bond = native.min(room);
    Ok(if native.is_zero() {
        RewardBond::Nothing
    } else if hub.bond_paused {
        RewardBond::Deferred {
            native,
            why: BondDeferral::HubPaused,
        }
    } else if bond < hub.min_bond || bond.is_zero() {
        RewardBond::Deferred {
            native,
            why: if room < native {
                BondDeferral::HubCapReached
            } else {
                BondDeferral::BelowMinimum
            },
        }
    } else {
        let fair = hub.bond_pool.shares_for_deposit(bond)?;
        RewardBond::Bond {
            amount: bond,
            min_out: fair
                .multiply_ratio(BPS_DENOMINATOR - REWARD_BOND_SLIPPAGE_BPS, BPS_DENOMINATOR),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::ledger::tests::{arb_running_ledger, profit_bound, simple, u};
    use crate::vault::{OperatorPosition, StrategyPosition};
    use proptest::prelude::*;

    const DAY: u64 = 86_400;

    fn t(seconds: u64) -> Timestamp {
        Timestamp::from_seconds(seconds)
    }

    fn addr(name: &str) -> Addr {
        Addr::unchecked(name)
    }

    fn operator(name: &str, weight: u64, value: u128) -> OperatorPosition {
        OperatorPosition {
            operator: addr(name),
            weight,
            value: u(value),
        }
    }

    fn strategy(name: &str, target_bps: u16, value: u128) -> StrategyPosition {
        StrategyPosition {
            strategy: addr(name),
            target_bps,
            value: u(value),
        }
    }

    /// A crank at day 10 over `ledger`, with no fee, no caps, nothing queued.
    fn inputs(ledger: Ledger) -> CrankInputs {
        CrankInputs {
            now: t(10 * DAY),
            ledger,
            params: CrankParams {
                fee_bps: 0,
                withdrawal_delay: 8 * DAY,
                max_operator_bps: 10_000,
                max_service_exposure_bps: 10_000,
                max_drop_bps: 100,
                slash_resolution: 20 * DAY,
            },
            rewards_received: Uint128::zero(),
            next_to_finalize: 1,
            last_withdrawal_id: 0,
            requests: BTreeMap::new(),
            strategy_exit_failed_at: None,
            deposit_capacity: BTreeMap::new(),
            operator_services: BTreeMap::new(),
            exposure: vec![],
            anchor: None,
        }
    }

    /// Adds request `id` of `lrt` valued `cap`, due at `due_day`, to the inputs and the queue.
    fn queue(inputs: &mut CrankInputs, id: u64, lrt: u128, cap: u128, due_day: u64) {
        inputs.requests.insert(
            id,
            QueuedWithdrawal {
                lrt: u(lrt),
                finalize_at: t(due_day * DAY),
                value_at_request: Some(u(cap)),
                finalized: false,
                requested_at: t(due_day.saturating_sub(8) * DAY),
                awaits_slashes: false,
            },
        );
        inputs.ledger.queue.pending_lrt += u(lrt);
        inputs.ledger.queue.pending_cap += u(cap);
        inputs.last_withdrawal_id = inputs.last_withdrawal_id.max(id);
    }

    #[test]
    fn the_finalize_window_is_bounded() {
        for (next, last, expected) in [
            (1, 0, 1..1),
            (1, 1, 1..2),
            (1, 49, 1..50),
            (1, 50, 1..51),
            (1, 51, 1..51),
            (7, 1_000, 7..57),
            (12, 11, 12..12),
            (u64::MAX - 1, u64::MAX, u64::MAX - 1..u64::MAX),
        ] {
            assert_eq!(
                finalize_window(next, last),
                expected,
                "next {next}, last {last}"
            );
        }
    }

    #[test]
    fn nothing_to_do_plans_nothing() {
        let plan = plan(&inputs(simple(0, 0))).unwrap();
        assert_eq!(
            plan,
            CrankPlan {
                next_to_finalize: 1,
                ..CrankPlan::default()
            }
        );
    }

    #[test]
    fn the_fee_is_minted_at_the_rate_after_the_rewards() {
        // 1,000 LST for 1,000 LRT, then 100 LST of rewards; 10 % fee
        let mut crank = inputs(simple(1_100_000_000, 1_000_000_000));
        crank.rewards_received = u(100_000_000);
        crank.params.fee_bps = 1_000;
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.fee.fee_lst, u(10_000_000));
        // 10 LST at the rate of 1,090 LST per 1,000 LRT (less the virtual offset's pull)
        assert_eq!(plan.fee.fee_lrt, u(9_175_068));
    }

    #[test]
    fn rewards_that_refill_a_short_queue_pay_the_fee_the_ledger_counted() {
        // everyone asked to leave (4 LRT at 40 LST) and the vault lost it all; then 52 LST of
        // rewards with a 25 % fee (13): the ledger counted them at 39 net of it, all owed to the
        // queue (below its caps). The crank used to fail on this, then to price the fee against
        // an empty stayers' pool at 12 LRT, leaving the queue 13 of its 39
        let mut crank = inputs(simple(52, 0));
        for id in 1..=4 {
            queue(&mut crank, id, 1, 10, 0);
        }
        crank.rewards_received = u(52);
        crank.params.fee_bps = 2_500;
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.fee.fee_lst, u(13));
        // 13 LST at 39 LST per 4 LRT: 1.33, rounded down in the queue's favour, which lifts it
        // to its caps; the fee keeps the 12 left
        assert_eq!(plan.fee.fee_lrt, u(1));
        assert_eq!(plan.payouts.len(), 4);
        assert!(plan.payouts.iter().all(|p| p.value == u(10)));
    }

    #[test]
    fn the_fee_does_not_lift_the_queue_to_its_caps_and_drop_it_back() {
        // 800 LRT and a queue of 200 LRT asked at 200.5 LST (a loss since), 1,005 LST once 50
        // LST of rewards are bonded, 10 % fee (5). Net of the fee (as the ledger counted the
        // rewards) the queue is worth 200, below its caps, and shares gains; with the fee still
        // in the pool it would be worth 201, at its caps. Priced that way the fee got 5,003,126 LRT, the
        // queue fell back below its caps once they were minted (owed 199,999,377) and the fee's
        // LRT were worth 5,003,110 LST, taken from the queue and those who stay
        let mut crank = inputs(simple(1_005_000_000, 800_000_000));
        queue(&mut crank, 1, 200_000_000, 200_500_000, 11);
        let mut books = Settlement::new(&crank.ledger).unwrap();
        let fee = books.charge_fee(u(50_000_000), 1_000).unwrap();
        assert_eq!(fee.fee_lst, u(5_000_000));
        assert_eq!(fee.fee_lrt, u(5_000_000));
        assert_eq!(books.queue_owed().unwrap(), u(200_000_000));
        let split = books
            .nominal
            .split_queue(books.queue.pending_lrt, books.queue.pending_cap)
            .unwrap();
        assert_eq!(split.stay, SharePool::new(805_000_000u128, 805_000_000u128));
    }

    #[test]
    fn the_fee_falls_on_the_queue_too_while_it_shares_gains() {
        // 1,000 LST for 1,000 LRT; 200 LRT asked to leave at 200 LST; then a 10 % slash (the
        // queue is below its caps) and 50 LST of rewards
        let mut crank = inputs(simple(950_000_000, 800_000_000));
        queue(&mut crank, 1, 200_000_000, 200_000_000, 11);
        crank.rewards_received = u(50_000_000);
        crank.params.fee_bps = 1_000;
        let books = Settlement::new(&crank.ledger).unwrap();
        assert!(books
            .nominal
            .split_queue(books.queue.pending_lrt, books.queue.pending_cap)
            .unwrap()
            .shares_gains());
        let plan = plan(&crank).unwrap();
        // minted against every LRT (the queue's included), not only those who stay
        let mut nominal = books.nominal;
        assert_eq!(plan.fee.fee_lst, u(5_000_000));
        assert_eq!(plan.fee.fee_lrt, nominal.mint_fee(u(5_000_000)).unwrap());
        assert_eq!(plan.fee.fee_lrt, u(5_291_005));
    }

    #[test]
    fn the_fee_falls_on_those_who_stay_once_the_queue_is_at_its_caps() {
        // as above without the slash: the rewards (and their fee) go to those who stay
        let mut crank = inputs(simple(1_050_000_000, 800_000_000));
        queue(&mut crank, 1, 200_000_000, 200_000_000, 11);
        crank.rewards_received = u(50_000_000);
        crank.params.fee_bps = 1_000;
        let books = Settlement::new(&crank.ledger).unwrap();
        let mut stay = books
            .nominal
            .split_queue(books.queue.pending_lrt, books.queue.pending_cap)
            .unwrap()
            .stay;
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.fee.fee_lrt, stay.mint_fee(u(5_000_000)).unwrap());
        assert_eq!(plan.fee.fee_lrt, u(4_734_042));
    }

    #[test]
    fn no_rewards_no_fee() {
        let mut crank = inputs(simple(1_100_000_000, 1_000_000_000));
        crank.params.fee_bps = 3_000;
        assert_eq!(plan(&crank).unwrap().fee, FeeCharge::default());
    }

    #[test]
    fn a_due_request_is_paid_its_value_at_request_and_no_more() {
        // 1,000 LST, 1,000 LRT; 100 LRT asked to leave valued 100 LST; 100 LST rewards since
        let mut crank = inputs(simple(1_100_000_000, 900_000_000));
        queue(&mut crank, 1, 100_000_000, 100_000_000, 9);
        let plan = plan(&crank).unwrap();
        assert_eq!(
            plan.payouts,
            vec![Payout {
                id: 1,
                value: u(100_000_000),
                lst: u(100_000_000),
                native: Uint128::zero()
            }]
        );
        assert_eq!(plan.reserved_lst, u(100_000_000));
        assert_eq!(plan.next_to_finalize, 2);
        assert_eq!(plan.queue, QueueTotals::default());
    }

    #[test]
    fn a_slash_during_the_delay_is_shared() {
        // 1,000 LST for 1,000 LRT, 100 LRT asked to leave at 100 LST, then 10 % slashed
        let mut crank = inputs(simple(900_000_000, 900_000_000));
        queue(&mut crank, 1, 100_000_000, 100_000_000, 9);
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.payouts[0].value, u(90_000_000));
        assert_eq!(plan.payouts[0].lst, u(90_000_000));
    }

    #[test]
    fn a_request_from_before_caps_is_paid_at_the_nominal_rate() {
        let mut crank = inputs(simple(1_100_000_000, 900_000_000));
        queue(&mut crank, 1, 100_000_000, 0, 9);
        crank.ledger.queue.pending_cap = Uint128::zero();
        crank.requests.get_mut(&1).unwrap().value_at_request = None;
        let plan = plan(&crank).unwrap();
        // 1.1 per LRT less the virtual offset's pull
        assert_eq!(plan.payouts[0].value, u(109_990_009));
    }

    #[test]
    fn finalization_stops_at_the_first_request_not_yet_due() {
        let mut crank = inputs(simple(1_000_000_000, 700_000_000));
        queue(&mut crank, 1, 100_000_000, 100_000_000, 9);
        queue(&mut crank, 2, 100_000_000, 100_000_000, 11);
        queue(&mut crank, 3, 100_000_000, 100_000_000, 9);
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.payouts.iter().map(|p| p.id).collect::<Vec<_>>(), [1]);
        assert_eq!(plan.next_to_finalize, 2);
        assert_eq!(
            plan.queue,
            QueueTotals {
                pending_lrt: u(200_000_000),
                pending_cap: u(200_000_000)
            }
        );
    }

    #[test]
    fn bunker_mode_holds_requests_made_during_a_pending_slash() {
        // 1,000 LST over 1,000 LRT; request 1 (100 LRT) was made before any slash, request 2
        // (100 LRT) while a slash of 50 LST was pending; both are due at day 9
        let mut crank = inputs(simple(1_000_000_000, 800_000_000));
        crank.ledger.pending_slash = u(50_000_000);
        queue(&mut crank, 1, 100_000_000, 100_000_000, 9);
        queue(&mut crank, 2, 100_000_000, 100_000_000, 9);
        crank.requests.get_mut(&2).unwrap().awaits_slashes = true;
        // the slash is still pending: request 1 is paid, request 2 waits (and so does every
        // later request: first in, first out)
        let held = plan(&crank).unwrap();
        assert_eq!(held.payouts.iter().map(|p| p.id).collect::<Vec<_>>(), [1]);
        assert_eq!(held.held_for_slashes, Some(2));
        assert_eq!(held.next_to_finalize, 2);
        // once the slash is resolved (executed or vetoed: nothing pending), it is paid
        crank.ledger.pending_slash = Uint128::zero();
        let resolved = plan(&crank).unwrap();
        assert_eq!(
            resolved.payouts.iter().map(|p| p.id).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(resolved.held_for_slashes, None);
        // new slashes keep coming: it is still paid once the longest a slash can stay pending
        // (20 days here) has passed since it asked (day 1)
        crank.ledger.pending_slash = u(1);
        crank.now = t(21 * DAY);
        let timed_out = plan(&crank).unwrap();
        assert_eq!(
            timed_out.payouts.iter().map(|p| p.id).collect::<Vec<_>>(),
            [1, 2]
        );
        crank.now = t(21 * DAY - 1);
        assert_eq!(plan(&crank).unwrap().held_for_slashes, Some(2));
    }

    #[test]
    fn a_fall_of_the_rate_beyond_the_threshold_is_reported() {
        // anchored at 1 LST per LRT; the rate is now 0.98 (a 2 % service slash)
        let mut crank = inputs(simple(980_000_000, 1_000_000_000));
        crank.anchor =
            RateAnchor::new(u(1_000_000_000), u(0), u(1_000_000_000), t(9 * DAY)).unwrap();
        let fell = plan(&crank).unwrap();
        assert_eq!(fell.drop_bps, 200);
        assert!(fell.rate_drop);
        // 1 % is not beyond the default 100 bps
        crank.ledger.idle = u(990_000_000);
        let within = plan(&crank).unwrap();
        assert_eq!(within.drop_bps, 100);
        assert!(!within.rate_drop);
        // no anchor (before the first crank): nothing to compare with
        crank.anchor = None;
        crank.ledger.idle = u(1);
        assert_eq!(plan(&crank).unwrap().drop_bps, 0);
    }

    #[test]
    fn the_fee_on_withheld_rewards_is_priced_like_a_deposit() {
        // 1,000 LST recognised over 1,000 LRT; the crank bonded 100 LST of rewards (fee 10 %)
        // and the ceiling withholds all of them. Without the fee's 10 LST, 1,090 are held, 90
        // withheld (0.09 per LRT). The fee's LRT are priced at that full value: 10 / 1.09 =
        // 9.174311 LRT (9.175068 with the virtual offset's rounding, as for any deposit),
        // whose recognised value enters the recognised books; the holders' rate stays 1 and
        // their share of what is withheld stays 0.09 per LRT.
        let mut ledger = simple(1_100_000_000, 1_000_000_000);
        ledger.withheld = u(100_000_000);
        let mut crank = inputs(ledger);
        crank.rewards_received = u(100_000_000);
        crank.params.fee_bps = 1_000;
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.fee.fee_lst, u(10_000_000));
        assert_eq!(plan.fee.fee_lrt, u(9_175_068));
        let anchor = plan.anchor.unwrap();
        assert_eq!(
            (anchor.value, anchor.lrt),
            (u(1_009_175_068), u(1_009_175_068))
        );
        let withheld_after = u(1_100_000_000) - anchor.value;
        // 0.09 per LRT, less the virtual offset's rounding (under a millionth)
        let per_lrt = withheld_after
            .multiply_ratio(1_000_000_000u128, anchor.lrt)
            .u128();
        assert!((89_999_000..=90_000_000).contains(&per_lrt), "{per_lrt}");
        // without the ceiling binding the fee was already in the value: priced the same way
        let mut free = inputs(simple(1_100_000_000, 1_000_000_000));
        free.rewards_received = u(100_000_000);
        free.params.fee_bps = 1_000;
        let unbound = super::plan(&free).unwrap();
        // (the rewards already in the value: 1,090 over 1,000 LRT before the fee, so about
        // 10 / 1.09 LRT; the virtual offset's rounding gives the last digits)
        assert_eq!(unbound.fee.fee_lrt, u(9_175_068));
    }

    #[test]
    fn the_crank_anchors_the_rate_it_leaves() {
        // 1,100 LST over 1,000 LRT, 100 LRT finalized at their cap of 100 LST: 1,000 LST over
        // 900 LRT remain, and that is the next anchor
        let mut crank = inputs(simple(1_100_000_000, 900_000_000));
        queue(&mut crank, 1, 100_000_000, 100_000_000, 9);
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.payouts.len(), 1);
        let anchor = plan.anchor.unwrap();
        assert_eq!(
            (anchor.value, anchor.pending_slash, anchor.lrt, anchor.at),
            (u(1_000_000_000), u(0), u(900_000_000), t(10 * DAY))
        );
    }

    #[test]
    fn finalized_and_claimed_requests_are_passed_over() {
        let mut crank = inputs(simple(1_000_000_000, 900_000_000));
        crank.next_to_finalize = 3;
        // 3 was claimed (gone), 4 is finalized and waits for its claim
        crank.requests.insert(
            4,
            QueuedWithdrawal {
                lrt: u(50_000_000),
                finalize_at: t(DAY),
                value_at_request: Some(u(50_000_000)),
                finalized: true,
                requested_at: t(0),
                awaits_slashes: false,
            },
        );
        queue(&mut crank, 5, 100_000_000, 100_000_000, 9);
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.payouts.iter().map(|p| p.id).collect::<Vec<_>>(), [5]);
        assert_eq!(plan.next_to_finalize, 6);
    }

    #[test]
    fn without_lst_a_request_waits_or_is_paid_from_native() {
        // everything delegated: nothing to pay with
        let mut crank = inputs(simple(40_000_000, 900_000_000));
        crank.ledger.delegated = u(960_000_000);
        crank.ledger.operators = vec![operator("op1", 1, 960_000_000)];
        queue(&mut crank, 1, 100_000_000, 100_000_000, 9);
        let waiting = plan(&crank).unwrap();
        assert!(waiting.payouts.is_empty());
        assert_eq!(waiting.next_to_finalize, 1, "the next crank tries again");
        // the rest is undelegated for it
        assert_eq!(
            waiting.undelegations,
            vec![OperatorMove {
                operator: addr("op1"),
                amount: u(60_000_000)
            }]
        );
        // with native the hub could not take (2 native per LST), the rest is paid from it
        crank.ledger.hub_pool = SharePool::new(2_000_000_000u128, 1_000_000_000u128);
        crank.ledger.native_held = u(500_000_000);
        let paid = plan(&crank).unwrap();
        assert_eq!(
            paid.payouts,
            vec![Payout {
                id: 1,
                value: u(100_000_000),
                lst: u(40_000_000),
                native: u(119_940_059),
            }]
        );
        assert_eq!(paid.reserved_native, u(119_940_059));
        assert!(paid.undelegations.is_empty());
    }

    #[test]
    fn at_most_fifty_requests_per_crank() {
        let mut crank = inputs(simple(1_000_000_000, 0));
        for id in 1..=60 {
            queue(&mut crank, id, 1_000_000, 1_000_000, 9);
        }
        crank.ledger.lrt_supply = u(1_000_000_000 - 60_000_000);
        let plan = plan(&crank).unwrap();
        assert_eq!(plan.payouts.len(), 50);
        assert_eq!(plan.next_to_finalize, 51);
        assert_eq!(plan.queue.pending_lrt, u(10_000_000));
    }

    #[test]
    fn liquidity_comes_from_strategies_first_then_operators() {
        // 100 idle, 300 in a strategy, 600 with two operators; 500 LRT asked to leave, not due
        let mut crank = inputs(simple(100_000_000, 500_000_000));
        crank.ledger.strategies = vec![strategy("s1", 3_000, 300_000_000)];
        crank.ledger.delegated = u(600_000_000);
        crank.ledger.operators = vec![
            operator("op1", 1, 400_000_000),
            operator("op2", 1, 200_000_000),
        ];
        queue(&mut crank, 1, 500_000_000, 500_000_000, 11);
        let plan = plan(&crank).unwrap();
        assert_eq!(
            plan.liquidity_withdrawals,
            vec![StrategyMove::Withdraw {
                strategy: addr("s1"),
                amount: u(300_000_000)
            }]
        );
        // the rest (100) from the operator furthest above its share
        assert_eq!(
            plan.undelegations,
            vec![OperatorMove {
                operator: addr("op1"),
                amount: u(100_000_000)
            }]
        );
        // nothing is free: nothing moves to strategies or operators
        assert!(plan.strategy_moves.is_empty());
        assert!(plan.delegations.is_empty());
    }

    #[test]
    fn what_is_already_undelegating_counts() {
        let mut crank = inputs(simple(100_000_000, 500_000_000));
        crank.ledger.undelegating = u(400_000_000);
        crank.ledger.delegated = u(500_000_000);
        crank.ledger.operators = vec![operator("op1", 1, 500_000_000)];
        queue(&mut crank, 1, 500_000_000, 500_000_000, 11);
        let plan = plan(&crank).unwrap();
        assert!(plan.undelegations.is_empty());
    }

    #[test]
    fn a_strategy_that_refused_is_not_counted_on_for_a_withdrawal_delay() {
        let mut crank = inputs(simple(0, 500_000_000));
        crank.ledger.strategies = vec![strategy("s1", 5_000, 500_000_000)];
        crank.ledger.delegated = u(500_000_000);
        crank.ledger.operators = vec![operator("op1", 1, 500_000_000)];
        queue(&mut crank, 1, 500_000_000, 500_000_000, 11);
        // refused 7 days ago (the delay is 8): the operators provide
        crank.strategy_exit_failed_at = Some(t(3 * DAY));
        let refused = plan(&crank).unwrap();
        assert!(refused.liquidity_withdrawals.is_empty());
        assert_eq!(refused.undelegations[0].amount, u(500_000_000));
        // 8 days later it is asked again
        crank.strategy_exit_failed_at = Some(t(2 * DAY));
        let again = plan(&crank).unwrap();
        assert_eq!(again.liquidity_withdrawals.len(), 1);
        assert!(again.undelegations.is_empty());
    }

    #[test]
    fn untargeted_operators_are_undelegated_from_evenly_when_no_weights() {
        let mut crank = inputs(simple(0, 500_000_000));
        crank.ledger.delegated = u(1_000_000_000);
        crank.ledger.operators = vec![
            operator("op1", 0, 500_000_000),
            operator("op2", 0, 500_000_000),
        ];
        queue(&mut crank, 1, 500_000_000, 500_000_000, 11);
        let plan = plan(&crank).unwrap();
        assert_eq!(
            plan.undelegations,
            vec![
                OperatorMove {
                    operator: addr("op1"),
                    amount: u(250_000_000)
                },
                OperatorMove {
                    operator: addr("op2"),
                    amount: u(250_000_000)
                },
            ]
        );
    }

    #[test]
    fn strategies_are_topped_up_within_their_capacity_and_the_rest_waits() {
        // 1,000 idle; s1 targets 30 % but takes 100 at a time; s2 targets 10 %, no limit
        let mut crank = inputs(simple(1_000_000_000, 1_000_000_000));
        crank.ledger.strategies = vec![strategy("s1", 3_000, 0), strategy("s2", 1_000, 0)];
        crank
            .deposit_capacity
            .insert(addr("s1"), Some(u(100_000_000)));
        crank.deposit_capacity.insert(addr("s2"), None);
        crank.ledger.operators = vec![operator("op1", 1, 0)];
        let plan = plan(&crank).unwrap();
        assert_eq!(
            plan.strategy_moves,
            vec![
                StrategyMove::Deposit {
                    strategy: addr("s1"),
                    amount: u(100_000_000)
                },
                StrategyMove::Deposit {
                    strategy: addr("s2"),
                    amount: u(100_000_000)
                },
            ]
        );
        // 200 of s1's target stay idle for the next crank; the other 600 go to the operator
        assert_eq!(
            plan.delegations,
            vec![OperatorMove {
                operator: addr("op1"),
                amount: u(600_000_000)
            }]
        );
        assert_eq!(plan.delegated().unwrap(), u(600_000_000));
    }

    #[test]
    fn a_strategy_without_a_known_capacity_takes_nothing() {
        let mut crank = inputs(simple(1_000_000_000, 1_000_000_000));
        crank.ledger.strategies = vec![strategy("s1", 3_000, 0)];
        let plan = plan(&crank).unwrap();
        assert!(plan.strategy_moves.is_empty());
    }

    #[test]
    fn strategies_above_target_are_drawn_down_and_retired_ones_forgotten() {
        let mut crank = inputs(simple(600_000_000, 1_000_000_000));
        crank.ledger.strategies = vec![
            strategy("s1", 1_000, 300_000_000),
            strategy("s2", 0, 100_000_000),
            strategy("s3", 0, 0),
        ];
        let plan = plan(&crank).unwrap();
        assert_eq!(
            plan.strategy_moves,
            vec![
                StrategyMove::Withdraw {
                    strategy: addr("s1"),
                    amount: u(200_000_000)
                },
                StrategyMove::Withdraw {
                    strategy: addr("s2"),
                    amount: u(100_000_000)
                },
            ]
        );
        assert_eq!(plan.retired_strategies, vec![addr("s3")]);
    }

    #[test]
    fn delegations_respect_the_operator_cap() {
        // 1,000 idle, two operators of equal weight, at most 30 % each
        let mut crank = inputs(simple(1_000_000_000, 1_000_000_000));
        crank.params.max_operator_bps = 3_000;
        crank.ledger.operators = vec![operator("op1", 1, 0), operator("op2", 1, 0)];
        let plan = plan(&crank).unwrap();
        assert_eq!(
            plan.delegations,
            vec![
                OperatorMove {
                    operator: addr("op1"),
                    amount: u(300_000_000)
                },
                OperatorMove {
                    operator: addr("op2"),
                    amount: u(300_000_000)
                },
            ]
        );
    }

    #[test]
    fn delegations_respect_the_service_cap() {
        // service 1 may reach 20 % of the value; op1 gives it half its stake, op2 a quarter,
        // and it already reaches 50 LST
        let mut crank = inputs(simple(1_000_000_000, 1_000_000_000));
        crank.params.max_service_exposure_bps = 2_000;
        crank.ledger.operators = vec![operator("op1", 1, 0), operator("op2", 1, 0)];
        crank.operator_services.insert(
            addr("op1"),
            vec![ServiceShare {
                service: 1,
                bps: 5_000,
            }],
        );
        crank.operator_services.insert(
            addr("op2"),
            vec![
                ServiceShare {
                    service: 1,
                    bps: 2_500,
                },
                ServiceShare { service: 2, bps: 0 },
            ],
        );
        crank.exposure = vec![ServiceExposure {
            service: 1,
            allocated: u(50_000_000),
        }];
        let plan = plan(&crank).unwrap();
        // op1: room 150 at 50 % -> 300; op2: room 0 left
        assert_eq!(
            plan.delegations,
            vec![OperatorMove {
                operator: addr("op1"),
                amount: u(300_000_000)
            }]
        );
    }

    #[test]
    fn no_weights_no_delegations() {
        let mut crank = inputs(simple(1_000_000_000, 1_000_000_000));
        crank.ledger.operators = vec![operator("op1", 0, 100)];
        assert!(plan(&crank).unwrap().delegations.is_empty());
    }

    #[test]
    fn reward_bonds_are_sized_to_the_hub() {
        // the hub's full value: 1.25 native per LST
        let terms = |room: Option<u128>, paused: bool, min: u128| HubBondTerms {
            room_below_cap: room.map(u),
            bond_paused: paused,
            min_bond: u(min),
            bond_pool: SharePool::new(1_250_000_000_000u128, 1_000_000_000_000u128),
        };
        // 500 native buy 400 LST (at the pool's virtual rate, rounded down); ten basis points
        // less is the bound
        let bond = |amount: u128| RewardBond::Bond {
            amount: u(amount),
            min_out: u(amount * 4 / 5 * 9_990 / 10_000),
        };
        let deferred = |native: u128, why| RewardBond::Deferred {
            native: u(native),
            why,
        };
        for (native, hub, expected) in [
            (0, terms(None, false, 0), RewardBond::Nothing),
            (0, terms(None, true, 0), RewardBond::Nothing),
            (500, terms(None, false, 100), bond(500)),
            (500, terms(Some(300), false, 100), bond(300)),
            (
                500,
                terms(Some(0), false, 0),
                deferred(500, BondDeferral::HubCapReached),
            ),
            (
                500,
                terms(Some(50), false, 100),
                deferred(500, BondDeferral::HubCapReached),
            ),
            (
                50,
                terms(None, false, 100),
                deferred(50, BondDeferral::BelowMinimum),
            ),
            (
                500,
                terms(None, true, 100),
                deferred(500, BondDeferral::HubPaused),
            ),
        ] {
            assert_eq!(
                plan_reward_bond(u(native), &hub).unwrap(),
                expected,
                "{native} {hub:?}"
            );
        }
        assert_eq!(
            BondDeferral::HubCapReached.reason(),
            "hub deposit cap reached"
        );
    }

    /// A running vault with a queue, strategies and operators, and a crank over it.
    fn arb_crank() -> impl Strategy<Value = CrankInputs> {
        (
            (
                0u128..1_000_000_000_000,
                0u128..1_000_000_000_000,
                0u128..1_000_000_000_000,
                proptest::collection::vec((0u64..5, 0u128..500_000_000_000), 0..6),
                proptest::collection::vec((0u16..5_000, 0u128..500_000_000_000), 0..3),
            ),
            (
                proptest::collection::vec((1u128..10_000_000_000, 80u128..=120, 0u64..20), 0..70),
                0u128..1_000_000_000_000,
                0u128..100_000_000_000,
                1u16..=10_000,
                1u16..=10_000,
                0u16..=3_000,
                proptest::collection::vec(proptest::option::of(0u128..1_000_000_000_000), 3),
                // an operator allocates to each service once
                proptest::collection::btree_map(0u64..4, 0u16..=10_000, 0..4),
            ),
        )
            .prop_map(
                |(
                    (idle, undelegating, lrt, operators, strategies),
                    (
                        requests,
                        native,
                        rewards,
                        max_operator_bps,
                        max_service_bps,
                        fee_bps,
                        capacities,
                        services,
                    ),
                )| {
                    let mut ledger = simple(idle + rewards, lrt);
                    ledger.undelegating = u(undelegating);
                    ledger.native_held = u(native);
                    ledger.hub_pool = SharePool::new(
                        1_100_000_000_000_000_000u128,
                        1_000_000_000_000_000_000u128,
                    );
                    ledger.operators = operators
                        .iter()
                        .enumerate()
                        .map(|(i, (weight, value))| operator(&format!("op{i}"), *weight, *value))
                        .collect();
                    ledger.delegated = ledger.with_operators().unwrap();
                    ledger.strategies = strategies
                        .iter()
                        .enumerate()
                        .map(|(i, (bps, value))| strategy(&format!("s{i}"), *bps, *value))
                        .collect();
                    let mut crank = inputs(ledger);
                    crank.rewards_received = u(rewards);
                    crank.params.fee_bps = fee_bps;
                    crank.params.max_operator_bps = max_operator_bps;
                    crank.params.max_service_exposure_bps = max_service_bps;
                    for (i, capacity) in capacities.iter().enumerate() {
                        crank
                            .deposit_capacity
                            .insert(addr(&format!("s{i}")), capacity.map(u));
                    }
                    for (i, _) in operators.iter().enumerate() {
                        crank.operator_services.insert(
                            addr(&format!("op{i}")),
                            services
                                .iter()
                                .map(|(service, bps)| ServiceShare {
                                    service: *service,
                                    bps: *bps,
                                })
                                .collect(),
                        );
                    }
                    // requests valued near their nominal value, due on random days
                    let total = crank.ledger.total_value().unwrap().u128().max(1);
                    let shares = (lrt + requests.iter().map(|r| r.0).sum::<u128>()).max(1);
                    for (id, (request_lrt, cap_pct, due_day)) in requests.iter().enumerate() {
                        let cap = request_lrt * total / shares * cap_pct / 100;
                        queue(&mut crank, id as u64 + 1, *request_lrt, cap, *due_day);
                    }
                    crank
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// A request never gets more than its value when requested, and the payouts never take
        /// more LST or native than the vault holds free.
        #[test]
        fn payouts_are_capped_and_covered(crank in arb_crank()) {
            let plan = plan(&crank).unwrap();
            let mut lst = Uint128::zero();
            let mut native = Uint128::zero();
            for payout in &plan.payouts {
                let request = &crank.requests[&payout.id];
                prop_assert!(request.finalize_at <= crank.now);
                prop_assert!(payout.value <= request.value_at_request.unwrap());
                prop_assert!(payout.lst <= payout.value);
                lst += payout.lst;
                native += payout.native;
            }
            prop_assert_eq!(lst, plan.reserved_lst);
            prop_assert_eq!(native, plan.reserved_native);
            prop_assert!(lst <= crank.ledger.idle);
            prop_assert!(native <= crank.ledger.native_held);
            prop_assert!(plan.payouts.len() as u64 <= MAX_FINALIZE_PER_CRANK);
            prop_assert!(plan.next_to_finalize >= crank.next_to_finalize);
            prop_assert!(plan.next_to_finalize <= crank.last_withdrawal_id + 1);
        }

        /// Depositing, asking to withdraw at once and being paid by a crank after the delay
        /// never gives back more than was put in (beyond the ledger tests' `profit_bound`:
        /// rounding and the virtual offset), whatever rewards or slash come during the delay.
        #[test]
        fn deposit_request_and_payout_never_profit(
            ledger in arb_running_ledger(),
            amount in 1_000_000u128..1_000_000_000_000,
            rewards_pct in 0u128..=20,
            slash_pct in 0u128..=50,
            fee_bps in 0u16..=3_000,
        ) {
            let mut ledger = ledger;
            let bound = profit_bound(&ledger);
            let minted = ledger.mint(u(amount), None, None).unwrap().lrt_minted;
            let request = ledger.request_withdrawal(minted).unwrap();
            // the delay: rewards bonded by the crank, or a slash of the delegated stake
            let rewards = ledger.idle.multiply_ratio(rewards_pct, 100u128);
            ledger.idle += rewards;
            ledger.delegated -= ledger.delegated.multiply_ratio(slash_pct, 100u128);
            let mut crank = inputs(ledger);
            crank.rewards_received = rewards;
            crank.params.fee_bps = fee_bps;
            crank.last_withdrawal_id = 1;
            crank.requests.insert(1, QueuedWithdrawal {
                lrt: minted,
                finalize_at: t(DAY),
                value_at_request: Some(request.value_at_request),
                finalized: false,
                requested_at: t(0),
                awaits_slashes: false,
            });
            let plan = plan(&crank).unwrap();
            for payout in &plan.payouts {
                prop_assert!(payout.value <= request.value_at_request);
                prop_assert!(payout.value <= u(amount) + bound,
                    "deposited {amount}, paid {} (bound {bound})", payout.value);
            }
        }

        /// Finalization is first in, first out: the payouts are the requests from the window's
        /// start, in order, and stop at the first that is not due or cannot be paid.
        #[test]
        fn finalization_is_in_order(crank in arb_crank()) {
            let plan = plan(&crank).unwrap();
            let ids: Vec<u64> = plan.payouts.iter().map(|p| p.id).collect();
            let expected: Vec<u64> = (crank.next_to_finalize..plan.next_to_finalize).collect();
            prop_assert_eq!(ids, expected);
        }

        /// The plan never moves more than is free: deposits and delegations come out of the
        /// idle LST left after the payouts and what the pending queue is owed.
        #[test]
        fn the_plan_never_moves_more_than_is_free(crank in arb_crank()) {
            let plan = plan(&crank).unwrap();
            let deposits = plan.strategy_moves.iter().try_fold(Uint128::zero(), |acc, m| match m {
                StrategyMove::Deposit { amount, .. } => acc.checked_add(*amount),
                StrategyMove::Withdraw { .. } => Ok(acc),
            }).unwrap();
            let idle_after = crank.ledger.idle - plan.reserved_lst;
            let mut books = Settlement::new(&crank.ledger).unwrap();
            books.charge_fee(crank.rewards_received, crank.params.fee_bps).unwrap();
            for payout in &plan.payouts {
                books.finalize(payout.id, &crank.requests[&payout.id]).unwrap();
            }
            let free = idle_after.saturating_sub(books.queue_owed().unwrap());
            prop_assert!(deposits + plan.delegated().unwrap() <= free,
                "moved {} + {}, free {free}", deposits, plan.delegated().unwrap());
        }

        /// Withdrawals and undelegations never ask for more than a strategy or operator holds.
        #[test]
        fn the_plan_never_takes_more_than_is_there(crank in arb_crank()) {
            let plan = plan(&crank).unwrap();
            for position in &crank.ledger.strategies {
                let taken = plan
                    .liquidity_withdrawals
                    .iter()
                    .chain(&plan.strategy_moves)
                    .filter_map(|m| match m {
                        StrategyMove::Withdraw { strategy, amount } if *strategy == position.strategy => Some(*amount),
                        _ => None,
                    })
                    .fold(Uint128::zero(), |a, b| a + b);
                prop_assert!(taken <= position.value);
            }
            for position in &crank.ledger.operators {
                let taken = plan
                    .undelegations
                    .iter()
                    .filter(|m| m.operator == position.operator)
                    .fold(Uint128::zero(), |a, m| a + m.amount);
                prop_assert!(taken <= position.value);
                prop_assert!(plan.delegations.iter().all(|m| !m.amount.is_zero()));
            }
            prop_assert!(plan.undelegated().unwrap() <= crank.ledger.with_operators().unwrap());
        }

        /// Delegations keep every operator under its cap and every service they touch under
        /// its cap (of the value after the payouts), and go only to targeted operators.
        #[test]
        fn the_plan_respects_the_caps(crank in arb_crank()) {
            let plan = plan(&crank).unwrap();
            let mut books = Settlement::new(&crank.ledger).unwrap();
            books.charge_fee(crank.rewards_received, crank.params.fee_bps).unwrap();
            for payout in &plan.payouts {
                books.finalize(payout.id, &crank.requests[&payout.id]).unwrap();
            }
            let total = books.nominal.assets;
            let operator_cap = bps_of(total, crank.params.max_operator_bps).unwrap();
            let service_cap = bps_of(total, crank.params.max_service_exposure_bps).unwrap();
            let mut exposure: BTreeMap<u64, Uint128> =
                crank.exposure.iter().map(|e| (e.service, e.allocated)).collect();
            let mut touched = std::collections::BTreeSet::new();
            for delegation in &plan.delegations {
                let position = crank
                    .ledger
                    .operators
                    .iter()
                    .find(|o| o.operator == delegation.operator)
                    .unwrap();
                prop_assert!(position.weight > 0);
                prop_assert!(position.value + delegation.amount <= operator_cap);
                for share in crank.operator_services[&delegation.operator].iter().filter(|s| s.bps > 0) {
                    *exposure.entry(share.service).or_default() += bps_of(delegation.amount, share.bps).unwrap();
                    touched.insert(share.service);
                }
            }
            for service in touched {
                prop_assert!(exposure[&service] <= service_cap,
                    "service {service}: {} above {service_cap}", exposure[&service]);
            }
        }
    }
}
