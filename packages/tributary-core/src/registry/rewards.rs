//! A service's payment split between its operators by allocated earning stake over the time
//! since its last payment, less each operator's commission; each operator's net part is added to
//! its reward stream.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Timestamp, Uint128};
use tributary_math::pro_rata;

use super::allocation::{OptIn, Service};
use super::operator::{Operator, OperatorPayment};
use super::RegistryError;

/// One operator's stake in a service: the operator and its opt-in (in force).
#[cw_serde]
pub struct ServiceStake {
    /// The operator.
    pub operator: Operator,
    /// Its opt-in to the service.
    pub opt_in: OptIn,
}

/// What a service payment did.
#[cw_serde]
pub struct ServicePayment {
    /// The whole payment.
    pub amount: Uint128,
    /// The operators' weights summed (allocated LST x seconds since the last payment).
    pub total_weight: Uint128,
    /// Per stake, in the order given: its weight and what its operator received (all zero for
    /// a weight of zero).
    pub parts: Vec<PaymentPart>,
}

/// One operator's part in a service payment.
#[cw_serde]
#[derive(Copy)]
pub struct PaymentPart {
    /// Its allocated earning stake over the time since the last payment.
    pub weight: Uint128,
    /// What it received.
    pub payment: OperatorPayment,
}

impl ServicePayment {
    /// How many operators received a part.
    pub fn recipients(&self) -> usize {
        self.parts.iter().filter(|p| !p.weight.is_zero()).count()
    }
}

/// Splits `amount` by `weights`, rounding down, with the last positive weight taking the
/// remainder so every unit is paid out. Zero weights get nothing. Fails with
/// [`tributary_math::MathError::DivideByZero`] if every weight is zero and `amount` is not.
pub fn split_payment(amount: Uint128, weights: &[Uint128]) -> Result<Vec<Uint128>, RegistryError> {
    let mut total = Uint128::zero();
    for weight in weights {
        total = total.checked_add(*weight)?;
    }
    let last = weights.iter().rposition(|w| !w.is_zero());
    let mut distributed = Uint128::zero();
    let mut shares = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let share = if weight.is_zero() {
            Uint128::zero()
        } else if Some(index) == last {
            amount.checked_sub(distributed)?
        } else {
            pro_rata(amount, *weight, total)?
        };
        distributed = distributed.checked_add(share)?;
        shares.push(share);
    }
    Ok(shares)
}

/// Pays `amount` from service `service_id` at `now` to the stakes opted in to it (in force):
/// each operator is advanced to now, its weight (allocated earning stake over the time since
/// the service's last payment) is taken, `amount` is split by those weights
/// ([`split_payment`]) and each operator receives its part (commission, then its stream,
/// [`Operator::receive_payment`]). Fails if no stake weighs anything.
pub fn pay_service(
    service: &mut Service,
    service_id: u64,
    amount: Uint128,
    now: Timestamp,
    reward_period: u64,
    stakes: &mut [ServiceStake],
) -> Result<ServicePayment, RegistryError> {
    let mut weights = Vec::with_capacity(stakes.len());
    let mut total_weight = Uint128::zero();
    for stake in stakes.iter_mut() {
        stake.operator.advance(now, reward_period)?;
        let weight = stake.opt_in.take_weight(stake.operator.stake_seconds)?;
        total_weight = total_weight.checked_add(weight)?;
        weights.push(weight);
    }
    if total_weight.is_zero() {
        return Err(RegistryError::NoAllocatedStake {
            service: service_id,
        });
    }
    let gross = split_payment(amount, &weights)?;
    let mut parts = Vec::with_capacity(stakes.len());
    for ((stake, weight), gross) in stakes.iter_mut().zip(weights).zip(gross) {
        let payment = if weight.is_zero() {
            OperatorPayment::default()
        } else {
            stake.operator.receive_payment(gross, now, reward_period)?
        };
        parts.push(PaymentPart { weight, payment });
    }
    service.rewards_paid = service.rewards_paid.checked_add(amount)?;
    Ok(ServicePayment {
        amount,
        total_weight,
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::allocation::{opt_in, set_allocation};
    use cosmwasm_std::Addr;
    use proptest::prelude::*;

    fn t(seconds: u64) -> Timestamp {
        Timestamp::from_seconds(seconds)
    }

    fn service() -> Service {
        Service {
            name: "oracle".to_string(),
            admin: Addr::unchecked("admin"),
            reward_rate_bps: 0,
            max_slash_bps_per_epoch: 1_000,
            veto_window: 0,
            resolver: Addr::unchecked("resolver"),
            slash_destination: Addr::unchecked("sink"),
            rewards_paid: Uint128::zero(),
            slashed: Uint128::zero(),
            operators: 0,
        }
    }

    /// An operator with `stake` LST and `commission_bps`, opted in at 0 with `bps` allocated.
    fn stake(svc: &mut Service, stake: u128, commission_bps: u16, bps: u16) -> ServiceStake {
        let mut operator = Operator::new("op".to_string(), commission_bps, t(0));
        if stake > 0 {
            let mut delegation = operator.open_delegation();
            operator
                .delegate(&mut delegation, Uint128::new(stake))
                .unwrap();
        }
        let mut opt = opt_in(&mut operator, svc, 1, t(0)).unwrap();
        set_allocation(&mut operator, &mut opt, 1, bps, 0, t(0)).unwrap();
        ServiceStake {
            operator,
            opt_in: opt,
        }
    }

    #[test]
    fn split_rounds_down_and_the_last_takes_the_rest() {
        let weights = [1u128, 1, 1].map(Uint128::new);
        let shares = split_payment(Uint128::new(100), &weights).unwrap();
        assert_eq!(shares, [33u128, 33, 34].map(Uint128::new).to_vec());
        let weights = [1u128, 2, 0].map(Uint128::new);
        let shares = split_payment(Uint128::new(10), &weights).unwrap();
        assert_eq!(shares, [3u128, 7, 0].map(Uint128::new).to_vec());
        assert!(split_payment(Uint128::new(10), &[]).unwrap().is_empty());
    }

    #[test]
    fn a_payment_splits_by_allocated_stake_over_time_less_commission() {
        let mut svc = service();
        let mut stakes = vec![
            stake(&mut svc, 1_000, 1_000, 10_000),
            stake(&mut svc, 3_000, 0, 5_000),
        ];
        // 10 s: weights 1,000 x 10 and 1,500 x 10
        let payment =
            pay_service(&mut svc, 1, Uint128::new(5_000), t(10), 100, &mut stakes).unwrap();
        assert_eq!(payment.total_weight, Uint128::new(25_000));
        assert_eq!(payment.recipients(), 2);
        assert_eq!(
            payment.parts[0].payment,
            OperatorPayment {
                gross: Uint128::new(2_000),
                commission: Uint128::new(200),
                net: Uint128::new(1_800)
            }
        );
        assert_eq!(payment.parts[1].payment.gross, Uint128::new(3_000));
        assert_eq!(payment.parts[1].payment.commission, Uint128::zero());
        assert_eq!(stakes[0].operator.stream_remaining, Uint128::new(1_800));
        assert_eq!(stakes[0].operator.commission_unclaimed, Uint128::new(200));
        assert_eq!(stakes[1].operator.stream_end, t(110));
        assert_eq!(svc.rewards_paid, Uint128::new(5_000));
        // the weights restart from the payment
        assert_eq!(
            pay_service(&mut svc, 1, Uint128::new(1), t(10), 100, &mut stakes),
            Err(RegistryError::NoAllocatedStake { service: 1 })
        );
    }

    #[test]
    fn stake_with_no_allocation_or_no_time_gets_nothing() {
        let mut svc = service();
        let mut stakes = vec![
            stake(&mut svc, 1_000, 0, 0),
            stake(&mut svc, 1_000, 0, 10_000),
        ];
        let payment = pay_service(&mut svc, 1, Uint128::new(999), t(1), 10, &mut stakes).unwrap();
        assert_eq!(payment.parts[0].payment, OperatorPayment::default());
        assert_eq!(payment.parts[1].payment.gross, Uint128::new(999));
        assert_eq!(payment.recipients(), 1);
        assert_eq!(stakes[0].operator.stream_remaining, Uint128::zero());

        let mut svc = service();
        let mut stakes = vec![stake(&mut svc, 1_000, 0, 10_000)];
        assert_eq!(
            pay_service(&mut svc, 4, Uint128::new(1), t(0), 10, &mut stakes),
            Err(RegistryError::NoAllocatedStake { service: 4 })
        );
    }

    #[test]
    fn an_opted_out_stake_is_left_to_the_contract() {
        // the contract passes only the stakes in force; one that is passed weighs as allocated
        let mut svc = service();
        let mut stakes = vec![stake(&mut svc, 1_000, 0, 10_000)];
        let payment = pay_service(&mut svc, 1, Uint128::new(7), t(3), 10, &mut stakes).unwrap();
        assert_eq!(payment.total_weight, Uint128::new(3_000));
        assert_eq!(payment.parts[0].payment.gross, Uint128::new(7));
    }

    proptest! {
        /// Stake delegated to an operator just before a payment weighs nothing in the split:
        /// the operator gets what it would have got without it.
        #[test]
        fn stake_present_for_no_time_weighs_nothing(
            first in 1u128..1_000_000_000,
            second in 1u128..1_000_000_000,
            incoming in 1u128..1_000_000_000_000,
            elapsed in 1u64..1_000_000,
            amount in 0u128..1_000_000_000_000,
        ) {
            let mut svc = service();
            let mut without = vec![stake(&mut svc, first, 0, 10_000), stake(&mut svc, second, 0, 10_000)];
            let mut with = without.clone();
            let mut other = svc.clone();
            let mut late = with[1].operator.open_delegation();
            with[1].operator.advance(t(elapsed), 100).unwrap();
            with[1].operator.delegate(&mut late, Uint128::new(incoming)).unwrap();
            let expected = pay_service(&mut svc, 1, Uint128::new(amount), t(elapsed), 100, &mut without).unwrap();
            let got = pay_service(&mut other, 1, Uint128::new(amount), t(elapsed), 100, &mut with).unwrap();
            prop_assert_eq!(expected.parts, got.parts);
        }

        /// Splitting a payment between operators conserves it and gives each at most one unit
        /// less than its exact share (the last one takes the remainder).
        #[test]
        fn a_split_conserves_the_payment(
            amount in 0u128..1_000_000_000_000_000,
            weights in proptest::collection::vec(0u128..1_000_000_000_000, 1..50),
        ) {
            let weights: Vec<Uint128> = weights.into_iter().map(Uint128::new).collect();
            let total: Uint128 = weights.iter().copied().sum();
            prop_assume!(!total.is_zero());
            let shares = split_payment(Uint128::new(amount), &weights).unwrap();
            prop_assert_eq!(shares.iter().copied().sum::<Uint128>(), Uint128::new(amount));
            for (share, weight) in shares.iter().zip(&weights) {
                if weight.is_zero() {
                    prop_assert!(share.is_zero());
                }
            }
        }

        /// A payment to operators is conserved: commissions plus streamed parts make it up.
        #[test]
        fn a_service_payment_is_conserved(
            amount in 0u128..1_000_000_000_000,
            operators in proptest::collection::vec(
                (1u128..1_000_000_000, 0u16..=5_000, 1u16..=10_000), 1..10),
            elapsed in 1u64..1_000_000,
        ) {
            let mut svc = service();
            let mut stakes: Vec<ServiceStake> = operators
                .into_iter()
                .map(|(lst, commission, bps)| stake(&mut svc, lst, commission, bps))
                .collect();
            let payment = pay_service(
                &mut svc, 1, Uint128::new(amount), t(elapsed), 100, &mut stakes).unwrap();
            let mut total = Uint128::zero();
            for (part, stake) in payment.parts.iter().zip(&stakes) {
                prop_assert_eq!(part.payment.commission + part.payment.net, part.payment.gross);
                prop_assert_eq!(stake.operator.stream_remaining, part.payment.net);
                prop_assert_eq!(stake.operator.commission_unclaimed, part.payment.commission);
                total += part.payment.gross;
            }
            prop_assert_eq!(total, Uint128::new(amount));
        }
    }
}
