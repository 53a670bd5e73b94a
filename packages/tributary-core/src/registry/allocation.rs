//! Services, operators' opt-ins to them and the allocations of their stake: the caps on
//! operators per service and services per operator, opt-outs with their delay, allocations that
//! only grow and never total more than 100 %, and each opt-in's weight in the service's next
//! payment (allocated stake over time).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128};

use super::operator::Operator;
use super::{RegistryError, FULL_BPS, MAX_OPERATORS_PER_SERVICE, MAX_SERVICES_PER_OPERATOR};

/// A service and its terms.
#[cw_serde]
pub struct Service {
    /// Display name.
    pub name: String,
    /// Deposits rewards and requests slashes.
    pub admin: Addr,
    /// Declared annual reward rate on allocated stake, bps.
    pub reward_rate_bps: u16,
    /// Largest fraction of an operator's allocation slashed per epoch, bps.
    pub max_slash_bps_per_epoch: u16,
    /// Seconds a slash request waits, during which the resolver may veto it.
    pub veto_window: u64,
    /// May veto the service's slash requests.
    pub resolver: Addr,
    /// Receives the slashed LST.
    pub slash_destination: Addr,
    /// Native rewards paid so far.
    pub rewards_paid: Uint128,
    /// LST slashed so far.
    pub slashed: Uint128,
    /// Operators opted in (opting-out ones included), at most [`MAX_OPERATORS_PER_SERVICE`].
    pub operators: u32,
}

/// An operator's opt-in to a service.
#[cw_serde]
pub struct OptIn {
    /// Share of the operator's stake allocated, bps.
    pub bps: u16,
    /// When a requested opt-out takes effect; slashable until then.
    pub opt_out_at: Option<Timestamp>,
    /// The operator's `stake_seconds` when this opt-in's weight was last brought up to date
    /// (opt-in, allocation change, payment by the service).
    pub stake_seconds_paid: Uint128,
    /// Allocated stake x seconds accrued since the service's last payment, up to the last
    /// allocation change (each stretch at the allocation in force during it).
    pub weight: Uint128,
}

/// What an allocation change did.
#[cw_serde]
#[derive(Copy)]
pub struct AllocationChange {
    /// The allocation before, bps.
    pub previous_bps: u16,
    /// The allocation now, bps.
    pub bps: u16,
    /// All the operator's allocations in force now, bps.
    pub total_bps: u32,
}

impl OptIn {
    /// Whether the allocation still stands (and is slashable) at `now`.
    pub fn in_force(&self, now: Timestamp) -> bool {
        self.opt_out_at.is_none_or(|at| now < at)
    }

    /// This opt-in's weight in the next payment: what accrued before the last allocation change
    /// plus the allocation of the operator's stake over time since. `stake_seconds` must be up to
    /// date.
    pub fn weight_now(&self, stake_seconds: Uint128) -> Result<Uint128, RegistryError> {
        let since = stake_seconds.checked_sub(self.stake_seconds_paid)?;
        Ok(self
            .weight
            .checked_add(tributary_math::bps_of(since, self.bps)?)?)
    }

    /// Takes this opt-in's weight for a payment and starts the next one from `stake_seconds`
    /// (which must be up to date).
    pub fn take_weight(&mut self, stake_seconds: Uint128) -> Result<Uint128, RegistryError> {
        let weight = self.weight_now(stake_seconds)?;
        self.weight = Uint128::zero();
        self.stake_seconds_paid = stake_seconds;
        Ok(weight)
    }
}

/// When an opt-out requested at `now` takes effect: after the opt-out delay or the service's
/// veto window, whichever is longer.
pub fn opt_out_time(now: Timestamp, opt_out_delay: u64, veto_window: u64) -> Timestamp {
    now.plus_seconds(opt_out_delay.max(veto_window))
}

/// `operator` opts in to `service` (id `service_id`) at `now`, within the caps on operators per
/// service and services per operator, and returns the new opt-in (nothing allocated yet). The
/// operator's stake over time is brought up to now: the opt-in weighs from now on.
pub fn opt_in(
    operator: &mut Operator,
    service: &mut Service,
    service_id: u64,
    now: Timestamp,
) -> Result<OptIn, RegistryError> {
    if service.operators >= MAX_OPERATORS_PER_SERVICE {
        return Err(RegistryError::TooManyOperators {
            service: service_id,
            max: MAX_OPERATORS_PER_SERVICE,
        });
    }
    if operator.services >= MAX_SERVICES_PER_OPERATOR {
        return Err(RegistryError::TooManyServices {
            max: MAX_SERVICES_PER_OPERATOR,
        });
    }
    // both below their maximum, checked above
    service.operators = service.operators.saturating_add(1);
    operator.services = operator.services.saturating_add(1);
    operator.checkpoint_stake(now)?;
    Ok(OptIn {
        bps: 0,
        opt_out_at: None,
        stake_seconds_paid: operator.stake_seconds,
        weight: Uint128::zero(),
    })
}

/// Requests the opt-out of `opt_in` (to service `service_id`) at `now` and returns when it
/// takes effect (see [`opt_out_time`]); refused if one is already under way.
pub fn opt_out(
    opt_in: &mut OptIn,
    service_id: u64,
    now: Timestamp,
    opt_out_delay: u64,
    veto_window: u64,
) -> Result<Timestamp, RegistryError> {
    if let Some(at) = opt_in.opt_out_at {
        return Err(RegistryError::OptingOut {
            service: service_id,
            at,
        });
    }
    let at = opt_out_time(now, opt_out_delay, veto_window);
    opt_in.opt_out_at = Some(at);
    Ok(at)
}

/// Raises the allocation of `opt_in` (to service `service_id`) to `bps` at `now`, where
/// `other_bps` totals the operator's other allocations in force (opting-out ones included: they
/// are still slashable). Allocations only grow and total at most 100 %. The stake over time so
/// far weighs at the old allocation, from now on at the new one.
pub fn set_allocation(
    operator: &mut Operator,
    opt_in: &mut OptIn,
    service_id: u64,
    bps: u16,
    other_bps: u32,
    now: Timestamp,
) -> Result<AllocationChange, RegistryError> {
    if let Some(at) = opt_in.opt_out_at {
        return Err(RegistryError::OptingOut {
            service: service_id,
            at,
        });
    }
    if bps < opt_in.bps {
        return Err(RegistryError::AllocationDecrease {});
    }
    let total_bps = other_bps.saturating_add(u32::from(bps));
    if total_bps > u32::from(FULL_BPS) {
        return Err(RegistryError::OverAllocated { total_bps });
    }
    operator.checkpoint_stake(now)?;
    opt_in.weight = opt_in.weight_now(operator.stake_seconds)?;
    opt_in.stake_seconds_paid = operator.stake_seconds;
    let previous_bps = opt_in.bps;
    opt_in.bps = bps;
    Ok(AllocationChange {
        previous_bps,
        bps,
        total_bps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(seconds: u64) -> Timestamp {
        Timestamp::from_seconds(seconds)
    }

    fn service() -> Service {
        Service {
            name: "oracle".to_string(),
            admin: Addr::unchecked("admin"),
            reward_rate_bps: 500,
            max_slash_bps_per_epoch: 1_000,
            veto_window: 100,
            resolver: Addr::unchecked("resolver"),
            slash_destination: Addr::unchecked("sink"),
            rewards_paid: Uint128::zero(),
            slashed: Uint128::zero(),
            operators: 0,
        }
    }

    fn operator_with(stake: u128) -> Operator {
        let mut operator = Operator::new("op".to_string(), 0, t(0));
        let mut delegation = operator.open_delegation();
        operator
            .delegate(&mut delegation, Uint128::new(stake))
            .unwrap();
        operator
    }

    #[test]
    fn opt_in_counts_both_sides_and_checkpoints() {
        let mut operator = operator_with(1_000);
        let mut svc = service();
        let opt = opt_in(&mut operator, &mut svc, 1, t(10)).unwrap();
        assert_eq!(svc.operators, 1);
        assert_eq!(operator.services, 1);
        assert_eq!(opt.stake_seconds_paid, Uint128::new(10_000));
        assert_eq!(opt.bps, 0);
        assert!(opt.in_force(t(1_000_000)));
    }

    #[test]
    fn opt_in_caps() {
        let mut operator = operator_with(1);
        let mut svc = service();
        svc.operators = MAX_OPERATORS_PER_SERVICE;
        assert_eq!(
            opt_in(&mut operator, &mut svc, 7, t(0)),
            Err(RegistryError::TooManyOperators {
                service: 7,
                max: MAX_OPERATORS_PER_SERVICE
            })
        );
        svc.operators = 0;
        operator.services = MAX_SERVICES_PER_OPERATOR;
        assert_eq!(
            opt_in(&mut operator, &mut svc, 7, t(0)),
            Err(RegistryError::TooManyServices {
                max: MAX_SERVICES_PER_OPERATOR
            })
        );
    }

    #[test]
    fn opt_out_waits_the_longer_delay_once() {
        let mut operator = operator_with(1);
        let mut opt = opt_in(&mut operator, &mut service(), 1, t(0)).unwrap();
        assert_eq!(opt_out(&mut opt, 1, t(10), 50, 200), Ok(t(210)));
        assert!(opt.in_force(t(209)));
        assert!(!opt.in_force(t(210)));
        assert_eq!(
            opt_out(&mut opt, 1, t(20), 50, 200),
            Err(RegistryError::OptingOut {
                service: 1,
                at: t(210)
            })
        );
        assert_eq!(opt_out_time(t(0), 300, 200), t(300));
    }

    #[test]
    fn allocations_only_grow_and_never_exceed_everything() {
        let mut operator = operator_with(1_000);
        let mut opt = opt_in(&mut operator, &mut service(), 1, t(0)).unwrap();
        let change = set_allocation(&mut operator, &mut opt, 1, 4_000, 6_000, t(0)).unwrap();
        assert_eq!(
            change,
            AllocationChange {
                previous_bps: 0,
                bps: 4_000,
                total_bps: 10_000
            }
        );
        assert_eq!(
            set_allocation(&mut operator, &mut opt, 1, 3_999, 0, t(0)),
            Err(RegistryError::AllocationDecrease {})
        );
        assert_eq!(
            set_allocation(&mut operator, &mut opt, 1, 4_001, 6_000, t(0)),
            Err(RegistryError::OverAllocated { total_bps: 10_001 })
        );
        opt.opt_out_at = Some(t(5));
        assert_eq!(
            set_allocation(&mut operator, &mut opt, 1, 5_000, 0, t(0)),
            Err(RegistryError::OptingOut {
                service: 1,
                at: t(5)
            })
        );
    }

    #[test]
    fn weight_accrues_at_the_allocation_in_force() {
        let mut operator = operator_with(1_000);
        let mut opt = opt_in(&mut operator, &mut service(), 1, t(0)).unwrap();
        set_allocation(&mut operator, &mut opt, 1, 1_000, 0, t(0)).unwrap();
        // 10 s at 10 %, then 10 s at 50 %
        set_allocation(&mut operator, &mut opt, 1, 5_000, 0, t(10)).unwrap();
        assert_eq!(opt.weight, Uint128::new(1_000));
        operator.checkpoint_stake(t(20)).unwrap();
        assert_eq!(
            opt.weight_now(operator.stake_seconds).unwrap(),
            Uint128::new(6_000)
        );
        assert_eq!(
            opt.take_weight(operator.stake_seconds).unwrap(),
            Uint128::new(6_000)
        );
        assert_eq!(
            opt.weight_now(operator.stake_seconds).unwrap(),
            Uint128::zero()
        );
    }

    proptest! {
        /// Whatever sequence of allocation changes is tried, the ones accepted never total more
        /// than 100 % and never decrease.
        #[test]
        fn accepted_allocations_stay_within_everything(
            others in 0u32..=10_000,
            tries in proptest::collection::vec(0u16..=10_000, 1..20),
        ) {
            let mut operator = operator_with(1_000);
            let mut opt = opt_in(&mut operator, &mut service(), 1, t(0)).unwrap();
            let mut last = 0u16;
            for (i, bps) in tries.into_iter().enumerate() {
                let now = t(i as u64);
                if set_allocation(&mut operator, &mut opt, 1, bps, others, now).is_ok() {
                    prop_assert!(bps >= last);
                    prop_assert!(others + u32::from(bps) <= 10_000);
                    last = bps;
                }
                prop_assert_eq!(opt.bps, last);
            }
        }
    }
}
