//! An operator's delegation pool, its reward stream (Synthetix-style `reward_per_share`
//! accumulator released linearly over `reward_period`), its stake over time, and the
//! delegations to it: delegate, undelegate, complete, claim, and receiving a payment.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Decimal256, Timestamp, Uint128};
use tributary_math::SharePool;

use super::RegistryError;
use crate::Delayed;

/// An operator and its delegation pool.
#[cw_serde]
pub struct Operator {
    /// Display name.
    pub name: String,
    /// Commission on the service rewards its stake earns, bps: in force and queued.
    pub commission_bps: Delayed<u16>,
    /// LST held for the pool (active and withdrawing shares).
    pub assets: Uint128,
    /// Shares outstanding (active and withdrawing).
    pub shares: Uint128,
    /// Of `shares`, those queued for withdrawal: slashable, not earning.
    pub withdrawing: Uint128,
    /// Native rewards accumulated per earning (active) share (Synthetix-style accumulator).
    pub reward_per_share: Decimal256,
    /// Unclaimed commission, native.
    pub commission_unclaimed: Uint128,
    /// Rewards (native, net of commission) paid for the delegators and not yet streamed.
    pub stream_remaining: Uint128,
    /// When the stream ends: `stream_remaining` is released linearly until then.
    pub stream_end: Timestamp,
    /// When the stream was last advanced.
    pub stream_updated: Timestamp,
    /// Services this operator is opted in to (opting-out ones included).
    pub services: u32,
    /// Earning stake over time: the sum of earning LST x seconds since registration (a payment
    /// is split between a service's operators by what this grew since the service's last
    /// payment, so stake present for no time weighs nothing).
    pub stake_seconds: Uint128,
    /// When `stake_seconds` was last brought up to date.
    pub stake_updated: Timestamp,
    /// LST still to be taken by the slash requests pending against this operator (valued when
    /// requested, less what has executed or been vetoed). The pool is priced net of it.
    #[serde(default)]
    pub pending_slash: Uint128,
}

/// A delegator's position with one operator.
#[cw_serde]
#[derive(Default)]
pub struct Delegation {
    /// Active shares (earning).
    pub shares: Uint128,
    /// Shares queued for withdrawal (still in the pool and slashable, no longer earning).
    pub withdrawing: Uint128,
    /// Accumulator value at the last settlement.
    pub reward_per_share_paid: Decimal256,
    /// Settled, unclaimed rewards (native).
    pub rewards_owed: Uint128,
}

impl Delegation {
    /// Whether nothing is left: no shares, none withdrawing, no rewards owed.
    pub fn is_empty(&self) -> bool {
        self.shares.is_zero() && self.withdrawing.is_zero() && self.rewards_owed.is_zero()
    }
}

/// What an operator's part of a service payment became.
#[cw_serde]
#[derive(Default, Copy)]
pub struct OperatorPayment {
    /// The operator's part of the payment.
    pub gross: Uint128,
    /// Of it, the operator's commission (claimable at once).
    pub commission: Uint128,
    /// The rest, added to the operator's reward stream for its delegators.
    pub net: Uint128,
}

impl Operator {
    /// A new operator at `now` with this commission, an empty pool and no stream.
    pub fn new(name: String, commission_bps: u16, now: Timestamp) -> Self {
        Operator {
            name,
            commission_bps: Delayed::new(commission_bps),
            assets: Uint128::zero(),
            shares: Uint128::zero(),
            withdrawing: Uint128::zero(),
            reward_per_share: Decimal256::zero(),
            commission_unclaimed: Uint128::zero(),
            stream_remaining: Uint128::zero(),
            stream_end: now,
            stream_updated: now,
            services: 0,
            stake_seconds: Uint128::zero(),
            stake_updated: now,
            pending_slash: Uint128::zero(),
        }
    }

    /// The operator's delegation pool as it holds: what a completion redeems against.
    pub fn pool(&self) -> SharePool {
        SharePool::new(self.assets, self.shares)
    }

    /// The pool priced net of the slashes pending against the operator: what a delegation is
    /// minted at, what a position is worth, what an undelegation asks for. A position's value
    /// falls when a slash is requested, not in one predictable step when anyone executes it; if
    /// the slash is vetoed, the price returns to the pool's.
    pub fn priced_pool(&self) -> SharePool {
        SharePool::new(self.assets.saturating_sub(self.pending_slash), self.shares)
    }

    /// Shares that earn rewards: active ones (withdrawing shares stay slashable but stop
    /// earning).
    pub fn earning_shares(&self) -> Result<Uint128, RegistryError> {
        Ok(self.shares.checked_sub(self.withdrawing)?)
    }

    /// LST value of the earning shares.
    pub fn earning_assets(&self) -> Result<Uint128, RegistryError> {
        if self.shares.is_zero() {
            return Ok(Uint128::zero());
        }
        Ok(self
            .assets
            .checked_multiply_ratio(self.earning_shares()?, self.shares)?)
    }

    /// Brings `stake_seconds` up to `now` with the earning stake held since the last update and
    /// returns what it grew by. Must run before any change of the earning stake (shares or
    /// assets).
    pub fn checkpoint_stake(&mut self, now: Timestamp) -> Result<Uint128, RegistryError> {
        if now <= self.stake_updated {
            return Ok(Uint128::zero());
        }
        let elapsed = now.seconds().saturating_sub(self.stake_updated.seconds());
        let added = self.earning_assets()?.checked_mul(Uint128::from(elapsed))?;
        self.stake_seconds = self.stake_seconds.checked_add(added)?;
        self.stake_updated = now;
        Ok(added)
    }

    /// Brings the operator up to `now`: its stake over time, then its reward stream. Returns
    /// the rewards the stream released to the earning shares.
    pub fn advance(
        &mut self,
        now: Timestamp,
        reward_period: u64,
    ) -> Result<Uint128, RegistryError> {
        self.checkpoint_stake(now)?;
        self.accrue(now, reward_period)
    }

    /// Advances the reward stream to `now` and returns what it released: the part of
    /// `stream_remaining` that the time since the last update releases (linearly until
    /// `stream_end`) is credited to the earning shares through the accumulator. If no share
    /// earns, nothing is released and what remains restarts over a fresh `reward_period` from
    /// now, so that nobody can collect it faster than a new payment would stream. Must run
    /// before any change of the earning shares.
    pub fn accrue(&mut self, now: Timestamp, reward_period: u64) -> Result<Uint128, RegistryError> {
        if self.stream_remaining.is_zero() {
            return Ok(Uint128::zero());
        }
        let earning = self.earning_shares()?;
        if earning.is_zero() {
            self.stream_updated = now;
            self.stream_end = now.plus_seconds(reward_period);
            return Ok(Uint128::zero());
        }
        let until = now.min(self.stream_end);
        if until <= self.stream_updated {
            return Ok(Uint128::zero());
        }
        let left = self
            .stream_end
            .seconds()
            .saturating_sub(self.stream_updated.seconds());
        let elapsed = until
            .seconds()
            .saturating_sub(self.stream_updated.seconds());
        let released = self
            .stream_remaining
            .checked_multiply_ratio(elapsed, left)?;
        self.reward_per_share = self
            .reward_per_share
            .checked_add(Decimal256::checked_from_ratio(released, earning)?)?;
        self.stream_remaining = self.stream_remaining.checked_sub(released)?;
        self.stream_updated = until;
        Ok(released)
    }

    /// Adds `amount` (net of commission) to the stream at `now`: what is left of the current
    /// stream plus `amount` stream over a fresh `reward_period`. Call [`Operator::accrue`]
    /// first.
    pub fn add_to_stream(
        &mut self,
        amount: Uint128,
        now: Timestamp,
        reward_period: u64,
    ) -> Result<(), RegistryError> {
        self.stream_remaining = self.stream_remaining.checked_add(amount)?;
        self.stream_updated = now;
        self.stream_end = now.plus_seconds(reward_period);
        Ok(())
    }

    /// Receives the operator's part `gross` of a service payment at `now`: a commission change
    /// that has come due applies first, the commission is set aside (claimable at once) and the
    /// rest is added to the stream. The operator must have been advanced to `now`.
    pub fn receive_payment(
        &mut self,
        gross: Uint128,
        now: Timestamp,
        reward_period: u64,
    ) -> Result<OperatorPayment, RegistryError> {
        self.commission_bps.apply_due(now);
        let commission = tributary_math::bps_of(gross, self.commission_bps.current)?;
        let net = gross.checked_sub(commission)?;
        self.commission_unclaimed = self.commission_unclaimed.checked_add(commission)?;
        self.add_to_stream(net, now, reward_period)?;
        Ok(OperatorPayment {
            gross,
            commission,
            net,
        })
    }

    /// Takes the unclaimed commission (zero if there is none).
    pub fn take_commission(&mut self) -> Uint128 {
        std::mem::take(&mut self.commission_unclaimed)
    }

    /// A new, empty position that has earned nothing so far.
    pub fn open_delegation(&self) -> Delegation {
        Delegation {
            reward_per_share_paid: self.reward_per_share,
            ..Delegation::default()
        }
    }

    /// Moves the rewards `delegation` earned since its last settlement into its `rewards_owed`
    /// and returns them. Only active shares earn. The operator must have been advanced to now.
    pub fn settle(&self, delegation: &mut Delegation) -> Result<Uint128, RegistryError> {
        let delta = self
            .reward_per_share
            .checked_sub(delegation.reward_per_share_paid)?;
        let earned = delta
            .checked_mul(Decimal256::checked_from_ratio(delegation.shares, 1u128)?)?
            .to_uint_floor();
        let earned = Uint128::try_from(earned)?;
        delegation.rewards_owed = delegation.rewards_owed.checked_add(earned)?;
        delegation.reward_per_share_paid = self.reward_per_share;
        Ok(earned)
    }

    /// Delegates `amount` LST into the pool for `delegation` and returns the shares minted
    /// (at the pool's price). The operator must have been advanced to now; the contract refuses
    /// delegations while a slash is pending before calling this.
    pub fn delegate(
        &mut self,
        delegation: &mut Delegation,
        amount: Uint128,
    ) -> Result<Uint128, RegistryError> {
        if amount.is_zero() {
            return Err(RegistryError::ZeroAmount {});
        }
        self.settle(delegation)?;
        let shares = self.pool().shares_for_deposit(amount)?;
        if shares.is_zero() {
            return Err(RegistryError::ZeroAmount {});
        }
        self.assets = self.assets.checked_add(amount)?;
        self.shares = self.shares.checked_add(shares)?;
        delegation.shares = delegation.shares.checked_add(shares)?;
        Ok(shares)
    }

    /// Queues the active shares of `delegation` worth `amount` LST (net of the pending slashes)
    /// for withdrawal and returns how many: they stay in the pool, slashable, but stop earning.
    /// Asking for the whole position's value queues all its shares. The operator must have been
    /// advanced to now.
    pub fn undelegate(
        &mut self,
        delegation: &mut Delegation,
        amount: Uint128,
    ) -> Result<Uint128, RegistryError> {
        if amount.is_zero() {
            return Err(RegistryError::ZeroAmount {});
        }
        let pool = self.priced_pool();
        let available = pool.assets_for_redeem(delegation.shares)?;
        if amount > available {
            return Err(RegistryError::InsufficientDelegation {
                requested: amount,
                available,
            });
        }
        self.settle(delegation)?;
        let shares = if amount == available {
            delegation.shares
        } else {
            pool.shares_for_deposit(amount)?.min(delegation.shares)
        };
        if shares.is_zero() {
            return Err(RegistryError::ZeroAmount {});
        }
        delegation.shares = delegation.shares.checked_sub(shares)?;
        delegation.withdrawing = delegation.withdrawing.checked_add(shares)?;
        self.withdrawing = self.withdrawing.checked_add(shares)?;
        Ok(shares)
    }

    /// Redeems `shares` of `delegation`'s withdrawing shares at the pool's value now (slashes
    /// during the delay are shared) and returns the LST paid. The operator must have been
    /// advanced to now.
    pub fn complete(
        &mut self,
        delegation: &mut Delegation,
        shares: Uint128,
    ) -> Result<Uint128, RegistryError> {
        self.settle(delegation)?;
        let mut pool = self.pool();
        let paid = pool.redeem(shares)?;
        self.assets = pool.assets;
        self.shares = pool.shares;
        self.withdrawing = self.withdrawing.checked_sub(shares)?;
        delegation.withdrawing = delegation.withdrawing.checked_sub(shares)?;
        Ok(paid)
    }

    /// Settles `delegation` and takes everything it is owed. The operator must have been
    /// advanced to now.
    pub fn claim(&self, delegation: &mut Delegation) -> Result<Uint128, RegistryError> {
        self.settle(delegation)?;
        Ok(std::mem::take(&mut delegation.rewards_owed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(seconds: u64) -> Timestamp {
        Timestamp::from_seconds(seconds)
    }

    const WEEK: u64 = 7 * 24 * 3600;

    /// An operator registered at 0 with a delegation of `stake` LST.
    fn staked(stake: u128) -> (Operator, Delegation) {
        let mut operator = Operator::new("op".to_string(), 1_000, t(0));
        let mut delegation = operator.open_delegation();
        if stake > 0 {
            operator
                .delegate(&mut delegation, Uint128::new(stake))
                .unwrap();
        }
        (operator, delegation)
    }

    #[test]
    fn a_new_operator_is_empty_and_priced_at_one() {
        let operator = Operator::new("op".to_string(), 500, t(10));
        assert_eq!(operator.commission_bps, Delayed::new(500));
        assert_eq!(operator.stream_end, t(10));
        assert_eq!(operator.stake_updated, t(10));
        assert_eq!(operator.earning_assets().unwrap(), Uint128::zero());
        assert_eq!(
            operator
                .pool()
                .shares_for_deposit(Uint128::new(1_000))
                .unwrap(),
            Uint128::new(1_000)
        );
    }

    #[test]
    fn delegate_mints_at_the_pool_price() {
        let (mut operator, mut delegation) = staked(1_000);
        assert_eq!(delegation.shares, Uint128::new(1_000));
        assert_eq!(operator.assets, Uint128::new(1_000));
        // a slash halves the pool: the next delegation gets twice the shares per LST
        operator.assets = Uint128::new(500);
        let mut other = operator.open_delegation();
        let minted = operator.delegate(&mut other, Uint128::new(500)).unwrap();
        assert_eq!(minted, Uint128::new(1_000));
        assert_eq!(operator.shares, Uint128::new(2_000));
        assert_eq!(
            operator.delegate(&mut delegation, Uint128::zero()),
            Err(RegistryError::ZeroAmount {})
        );
    }

    #[test]
    fn undelegate_moves_shares_to_withdrawing_and_checks_the_value() {
        let (mut operator, mut delegation) = staked(1_000);
        assert_eq!(
            operator.undelegate(&mut delegation, Uint128::new(1_001)),
            Err(RegistryError::InsufficientDelegation {
                requested: Uint128::new(1_001),
                available: Uint128::new(1_000)
            })
        );
        let queued = operator
            .undelegate(&mut delegation, Uint128::new(400))
            .unwrap();
        assert_eq!(queued, Uint128::new(400));
        assert_eq!(delegation.shares, Uint128::new(600));
        assert_eq!(delegation.withdrawing, Uint128::new(400));
        assert_eq!(operator.withdrawing, Uint128::new(400));
        assert_eq!(operator.earning_shares().unwrap(), Uint128::new(600));
        assert_eq!(
            operator.undelegate(&mut delegation, Uint128::zero()),
            Err(RegistryError::ZeroAmount {})
        );
    }

    #[test]
    fn undelegate_is_priced_net_of_pending_slashes() {
        let (mut operator, mut delegation) = staked(1_000);
        operator.pending_slash = Uint128::new(100);
        assert_eq!(
            operator.undelegate(&mut delegation, Uint128::new(901)),
            Err(RegistryError::InsufficientDelegation {
                requested: Uint128::new(901),
                available: Uint128::new(900)
            })
        );
        // the whole value takes every share
        let queued = operator
            .undelegate(&mut delegation, Uint128::new(900))
            .unwrap();
        assert_eq!(queued, Uint128::new(1_000));
        assert_eq!(delegation.shares, Uint128::zero());
    }

    #[test]
    fn complete_pays_the_pool_value_then() {
        let (mut operator, mut delegation) = staked(1_000);
        operator
            .undelegate(&mut delegation, Uint128::new(500))
            .unwrap();
        // a 10 % slash during the delay is shared
        operator.assets = Uint128::new(900);
        let paid = operator
            .complete(&mut delegation, Uint128::new(500))
            .unwrap();
        assert_eq!(paid, Uint128::new(450));
        assert_eq!(operator.assets, Uint128::new(450));
        assert_eq!(operator.shares, Uint128::new(500));
        assert_eq!(operator.withdrawing, Uint128::zero());
        assert_eq!(delegation.withdrawing, Uint128::zero());
    }

    #[test]
    fn a_stream_releases_linearly_to_earning_shares() {
        let (mut operator, mut delegation) = staked(1_000);
        operator
            .add_to_stream(Uint128::new(7_000), t(0), 7)
            .unwrap();
        assert_eq!(operator.accrue(t(2), 7).unwrap(), Uint128::new(2_000));
        assert_eq!(
            operator.claim(&mut delegation).unwrap(),
            Uint128::new(2_000)
        );
        assert_eq!(operator.accrue(t(100), 7).unwrap(), Uint128::new(5_000));
        assert_eq!(operator.stream_remaining, Uint128::zero());
        assert_eq!(operator.stream_updated, t(7));
        assert_eq!(
            operator.claim(&mut delegation).unwrap(),
            Uint128::new(5_000)
        );
        assert_eq!(operator.claim(&mut delegation).unwrap(), Uint128::zero());
    }

    #[test]
    fn a_stream_with_nobody_earning_restarts() {
        let (mut operator, mut delegation) = staked(1_000);
        operator
            .undelegate(&mut delegation, Uint128::new(1_000))
            .unwrap();
        operator
            .add_to_stream(Uint128::new(700), t(0), WEEK)
            .unwrap();
        assert_eq!(operator.accrue(t(WEEK / 2), WEEK).unwrap(), Uint128::zero());
        assert_eq!(operator.stream_end, t(WEEK / 2 + WEEK));
        assert_eq!(operator.stream_remaining, Uint128::new(700));
    }

    #[test]
    fn withdrawing_shares_earn_nothing() {
        let (mut operator, mut alice) = staked(1_000);
        let mut bob = operator.open_delegation();
        operator.delegate(&mut bob, Uint128::new(1_000)).unwrap();
        operator.undelegate(&mut bob, Uint128::new(1_000)).unwrap();
        operator
            .add_to_stream(Uint128::new(1_000), t(0), 10)
            .unwrap();
        operator.accrue(t(10), 10).unwrap();
        assert_eq!(operator.claim(&mut alice).unwrap(), Uint128::new(1_000));
        assert_eq!(operator.claim(&mut bob).unwrap(), Uint128::zero());
    }

    #[test]
    fn a_later_delegation_earns_only_from_when_it_came() {
        let (mut operator, mut alice) = staked(1_000);
        operator
            .add_to_stream(Uint128::new(1_000), t(0), 10)
            .unwrap();
        operator.advance(t(5), 10).unwrap();
        let mut bob = operator.open_delegation();
        operator.delegate(&mut bob, Uint128::new(1_000)).unwrap();
        operator.advance(t(10), 10).unwrap();
        assert_eq!(operator.claim(&mut alice).unwrap(), Uint128::new(750));
        assert_eq!(operator.claim(&mut bob).unwrap(), Uint128::new(250));
    }

    #[test]
    fn stake_seconds_count_earning_stake_over_time() {
        let (mut operator, mut delegation) = staked(1_000);
        assert_eq!(
            operator.checkpoint_stake(t(10)).unwrap(),
            Uint128::new(10_000)
        );
        operator
            .undelegate(&mut delegation, Uint128::new(500))
            .unwrap();
        assert_eq!(
            operator.checkpoint_stake(t(20)).unwrap(),
            Uint128::new(5_000)
        );
        assert_eq!(operator.stake_seconds, Uint128::new(15_000));
        // no time, no weight
        assert_eq!(operator.checkpoint_stake(t(20)).unwrap(), Uint128::zero());
        assert_eq!(operator.checkpoint_stake(t(5)).unwrap(), Uint128::zero());
    }

    #[test]
    fn a_payment_takes_the_commission_in_force_then() {
        let (mut operator, _) = staked(1_000);
        operator.commission_bps.queue(2_000, t(0), 100);
        let before = operator
            .receive_payment(Uint128::new(1_000), t(99), 10)
            .unwrap();
        assert_eq!(
            before,
            OperatorPayment {
                gross: Uint128::new(1_000),
                commission: Uint128::new(100),
                net: Uint128::new(900)
            }
        );
        let after = operator
            .receive_payment(Uint128::new(1_000), t(100), 10)
            .unwrap();
        assert_eq!(after.commission, Uint128::new(200));
        assert_eq!(operator.commission_bps, Delayed::new(2_000));
        assert_eq!(operator.stream_remaining, Uint128::new(1_700));
        assert_eq!(operator.stream_end, t(110));
        assert_eq!(operator.take_commission(), Uint128::new(300));
        assert_eq!(operator.take_commission(), Uint128::zero());
    }

    #[test]
    fn a_stream_touched_twice_in_a_block_releases_once() {
        let (mut operator, _) = staked(1_000);
        operator
            .add_to_stream(Uint128::new(1_000), t(0), 10)
            .unwrap();
        assert_eq!(operator.accrue(t(5), 10).unwrap(), Uint128::new(500));
        assert_eq!(operator.accrue(t(5), 10).unwrap(), Uint128::zero());
        assert_eq!(
            operator.accrue(t(4), 10).unwrap(),
            Uint128::zero(),
            "time never goes back"
        );
        assert_eq!(operator.reward_per_share, Decimal256::percent(50));
    }

    #[test]
    fn a_new_payment_restreams_what_is_left_over_a_fresh_period() {
        let (mut operator, mut delegation) = staked(1_000);
        operator
            .add_to_stream(Uint128::new(1_000), t(0), 10)
            .unwrap();
        operator.advance(t(5), 10).unwrap();
        // 500 at 10 % commission: 450 join the 500 left
        operator
            .receive_payment(Uint128::new(500), t(5), 10)
            .unwrap();
        assert_eq!(operator.stream_remaining, Uint128::new(950));
        assert_eq!(operator.stream_end, t(15));
        operator.advance(t(10), 10).unwrap();
        assert_eq!(
            operator.claim(&mut delegation).unwrap(),
            Uint128::new(500 + 475)
        );
    }

    #[test]
    fn an_emptied_position_is_empty() {
        let (mut operator, mut delegation) = staked(1_000);
        assert!(!delegation.is_empty());
        let shares = operator
            .undelegate(&mut delegation, Uint128::new(1_000))
            .unwrap();
        assert!(
            !delegation.is_empty(),
            "withdrawing shares are still a position"
        );
        operator.complete(&mut delegation, shares).unwrap();
        assert!(delegation.is_empty());
        assert_eq!(operator.assets, Uint128::zero());
    }

    proptest! {
        /// Bringing the stake over time up to date in steps or at once gives the same total.
        #[test]
        fn stake_seconds_do_not_depend_on_when_they_are_checkpointed(
            stake in 0u128..1_000_000_000_000,
            stops in proptest::collection::vec(0u64..1_000_000, 0..10),
            end in 0u64..1_000_000,
        ) {
            let (mut stepped, _) = staked(stake);
            let (mut once, _) = staked(stake);
            let mut stops = stops;
            stops.sort_unstable();
            for stop in stops.into_iter().filter(|stop| *stop <= end) {
                stepped.checkpoint_stake(t(stop)).unwrap();
            }
            stepped.checkpoint_stake(t(end)).unwrap();
            once.checkpoint_stake(t(end)).unwrap();
            prop_assert_eq!(stepped.stake_seconds, once.stake_seconds);
            prop_assert_eq!(once.stake_seconds, Uint128::new(stake) * Uint128::from(end));
        }

        /// Several delegators never claim more, together, than the stream released.
        #[test]
        fn delegators_never_claim_more_than_was_released(
            stakes in proptest::collection::vec(1u128..1_000_000_000, 1..6),
            paid in 0u128..1_000_000_000_000,
            touches in proptest::collection::vec((0usize..6, 0u64..200), 0..20),
        ) {
            let mut operator = Operator::new("op".to_string(), 0, t(0));
            let mut delegations: Vec<Delegation> = stakes
                .iter()
                .map(|stake| {
                    let mut delegation = operator.open_delegation();
                    operator.delegate(&mut delegation, Uint128::new(*stake)).unwrap();
                    delegation
                })
                .collect();
            operator.add_to_stream(Uint128::new(paid), t(0), 100).unwrap();
            let mut now = 0;
            let mut released = Uint128::zero();
            let mut claimed = Uint128::zero();
            for (who, elapsed) in touches {
                now += elapsed;
                released += operator.advance(t(now), 100).unwrap();
                let index = who % delegations.len();
                claimed += operator.claim(&mut delegations[index]).unwrap();
            }
            released += operator.advance(t(now + 100), 100).unwrap();
            for delegation in delegations.iter_mut() {
                claimed += operator.claim(delegation).unwrap();
            }
            prop_assert_eq!(released, Uint128::new(paid));
            prop_assert!(claimed <= released);
            // rounding leaves at most one unit per delegator per settlement behind
            prop_assert!(released - claimed <= Uint128::from(40u128 + stakes.len() as u128));
        }

        /// A stream never releases more than was paid into it, however it is touched.
        #[test]
        fn streamed_rewards_never_exceed_what_was_paid(
            paid in 0u128..1_000_000_000_000,
            period in 1u64..1_000_000,
            touches in proptest::collection::vec(0u64..2_000_000, 0..12),
            stake in 1u128..1_000_000_000_000,
        ) {
            let (mut operator, mut delegation) = staked(stake);
            operator.add_to_stream(Uint128::new(paid), t(0), period).unwrap();
            let mut times = touches;
            times.sort_unstable();
            let mut released = Uint128::zero();
            let mut claimed = Uint128::zero();
            for now in times {
                released += operator.advance(t(now), period).unwrap();
                claimed += operator.claim(&mut delegation).unwrap();
            }
            released += operator.advance(t(period.saturating_mul(3)), period).unwrap();
            claimed += operator.claim(&mut delegation).unwrap();
            prop_assert_eq!(released + operator.stream_remaining, Uint128::new(paid));
            prop_assert!(claimed <= released);
            prop_assert_eq!(operator.stream_remaining, Uint128::zero());
        }

        /// A delegation present for no time earns nothing, however large.
        #[test]
        fn stake_present_for_no_time_earns_nothing(
            paid in 1u128..1_000_000_000_000,
            at in 0u64..1_000,
            incoming in 1u128..1_000_000_000_000_000,
        ) {
            let (mut operator, _) = staked(1_000);
            operator.add_to_stream(Uint128::new(paid), t(0), 1_000).unwrap();
            operator.advance(t(at), 1_000).unwrap();
            let stake_seconds = operator.stake_seconds;
            let mut newcomer = operator.open_delegation();
            operator.delegate(&mut newcomer, Uint128::new(incoming)).unwrap();
            operator.advance(t(at), 1_000).unwrap();
            prop_assert_eq!(operator.claim(&mut newcomer).unwrap(), Uint128::zero());
            prop_assert_eq!(operator.stake_seconds, stake_seconds);
        }

        /// Delegating then undelegating at once never gives back more than was put in.
        #[test]
        fn a_round_trip_never_gains(
            existing in 0u128..1_000_000_000,
            slashed_bps in 0u16..=10_000,
            amount in 1u128..1_000_000_000,
        ) {
            let (mut operator, _) = staked(existing);
            operator.assets = tributary_math::bps_of(
                operator.assets, 10_000 - slashed_bps).unwrap();
            let mut delegation = operator.open_delegation();
            if operator.delegate(&mut delegation, Uint128::new(amount)).is_err() {
                return Ok(());
            }
            let value = operator.priced_pool().assets_for_redeem(delegation.shares).unwrap();
            prop_assert!(value <= Uint128::new(amount));
            if value.is_zero() {
                return Ok(());
            }
            let shares = operator.undelegate(&mut delegation, value).unwrap();
            let paid = operator.complete(&mut delegation, shares).unwrap();
            prop_assert!(paid <= Uint128::new(amount));
        }
    }
}
