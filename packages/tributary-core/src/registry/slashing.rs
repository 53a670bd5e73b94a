//! Slash requests: fixed amounts valued when requested and priced into the operator's pool at
//! once (`pending_slash`), executed after a veto window as far as the service's per-epoch cap
//! allows (the rest carried over to later epochs, at most [`MAX_SLASH_EPOCHS`] of them), and the
//! holds they put on exits that were due after them.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128};
use tributary_math::MathError;

use super::allocation::Service;
use super::operator::Operator;
use super::{allocated, RegistryError, FULL_BPS, MAX_SLASH_EPOCHS};

/// Life of a slash request.
#[cw_serde]
#[derive(Copy)]
pub enum SlashStatus {
    /// Waiting out the veto window, or executed in part and waiting for room under the
    /// per-epoch cap.
    Pending,
    /// Cancelled by the resolver.
    Vetoed,
    /// Executed.
    Executed,
}

/// A slash request.
#[cw_serde]
pub struct SlashRequest {
    /// Service id.
    pub service: u64,
    /// The operator slashed.
    pub operator: Addr,
    /// Fraction of the operator's allocation to the service, bps.
    pub fraction_bps: u16,
    /// Evidence or reason, for the record.
    pub reason: String,
    /// Pending, vetoed or executed.
    pub status: SlashStatus,
    /// When it was requested.
    pub requested_at: Timestamp,
    /// When the veto window ends and anyone may execute it.
    pub executable_at: Timestamp,
    /// The operator's allocation to the service when the request was made, bps.
    pub allocation_bps: u16,
    /// LST the whole request was worth when requested: `fraction_bps` of the allocation then.
    pub amount: Uint128,
    /// The operator pool's shares when requested. The request executes at `amount / shares` LST
    /// per share then outstanding: stake that left the pool meanwhile takes its part with it
    /// rather than leaving it to the stake that stayed.
    pub shares: Uint128,
    /// Part of `fraction_bps` executed so far (the per-epoch cap may split a request).
    pub executed_bps: u16,
    /// LST slashed so far.
    pub slashed: Uint128,
}

/// What a service asks to slash, once the contract has checked who asks and found the
/// operator's allocation in force.
#[cw_serde]
pub struct SlashRequestInput {
    /// Service id.
    pub service: u64,
    /// The operator to slash.
    pub operator: Addr,
    /// Fraction of the allocation, bps.
    pub fraction_bps: u16,
    /// Evidence or reason.
    pub reason: String,
    /// The operator's allocation to the service now, bps.
    pub allocation_bps: u16,
}

/// What one execution of a request did.
#[cw_serde]
#[derive(Copy)]
pub struct SlashExecution {
    /// The epoch it executed in (`now / epoch_period`).
    pub epoch: u64,
    /// Bps of the request executed now.
    pub step_bps: u16,
    /// Bps of the request executed so far, this step included.
    pub executed_bps: u16,
    /// Bps of the request still to execute.
    pub remaining_bps: u16,
    /// The service's cap used for this operator in this epoch, this step included.
    pub epoch_used_bps: u16,
    /// LST taken from the operator's pool now (goes to the service's slash destination).
    pub slashed: Uint128,
    /// LST this step took off the operator's `pending_slash` (valued when requested).
    pub released: Uint128,
    /// Whether the request has now executed in full.
    pub completed: bool,
}

/// The epoch `now` falls in.
pub fn epoch_of(now: Timestamp, epoch_period: u64) -> Result<u64, RegistryError> {
    now.seconds()
        .checked_div(epoch_period)
        .ok_or(RegistryError::Math(MathError::DivideByZero))
}

/// Checks a requested fraction against 1..=100 % and against the service's cap: a request must
/// execute within [`MAX_SLASH_EPOCHS`] epochs of the cap, since exits are held meanwhile.
pub fn check_fraction(
    fraction_bps: u16,
    max_slash_bps_per_epoch: u16,
) -> Result<(), RegistryError> {
    if fraction_bps == 0 || fraction_bps > FULL_BPS {
        return Err(RegistryError::InvalidFraction { bps: fraction_bps });
    }
    let max = u32::from(max_slash_bps_per_epoch) * u32::from(MAX_SLASH_EPOCHS);
    if u32::from(fraction_bps) > max {
        return Err(RegistryError::SlashTooSlow {
            bps: fraction_bps,
            cap: max_slash_bps_per_epoch,
            epochs: MAX_SLASH_EPOCHS,
            max,
        });
    }
    Ok(())
}

/// Records a slash request against `operator` at `now` and returns it (pending). What the whole
/// request is worth is fixed now (`fraction_bps` of the allocation of the pool's assets), at
/// most what is left once the pending requests have executed, and priced into the pool at once
/// (`pending_slash`), so the order in which requests execute (and the per-epoch cap splitting
/// them) cannot change what they slash in total.
pub fn request_slash(
    operator: &mut Operator,
    service: &Service,
    input: SlashRequestInput,
    now: Timestamp,
) -> Result<SlashRequest, RegistryError> {
    check_fraction(input.fraction_bps, service.max_slash_bps_per_epoch)?;
    let amount = allocated(
        allocated(operator.assets, input.allocation_bps)?,
        input.fraction_bps,
    )?;
    // a request cannot promise more than what is left once the pending ones have executed
    let amount = amount.min(operator.assets.saturating_sub(operator.pending_slash));
    if amount.is_zero() {
        return Err(RegistryError::NothingLeftToSlash {
            operator: input.operator.to_string(),
        });
    }
    operator.pending_slash = operator.pending_slash.checked_add(amount)?;
    Ok(SlashRequest {
        service: input.service,
        operator: input.operator,
        fraction_bps: input.fraction_bps,
        reason: input.reason,
        status: SlashStatus::Pending,
        requested_at: now,
        executable_at: now.plus_seconds(service.veto_window),
        allocation_bps: input.allocation_bps,
        amount,
        shares: operator.shares,
        executed_bps: 0,
        slashed: Uint128::zero(),
    })
}

impl SlashRequest {
    /// Refuses a request (number `id`) that was vetoed or has executed.
    pub fn ensure_pending(&self, id: u64) -> Result<(), RegistryError> {
        if self.status != SlashStatus::Pending {
            return Err(RegistryError::SlashNotPending { id });
        }
        Ok(())
    }

    /// The request's value (fixed when requested) covered by its first `executed_bps`.
    fn value_of(&self, executed_bps: u16) -> Result<Uint128, RegistryError> {
        Ok(self
            .amount
            .checked_multiply_ratio(executed_bps, self.fraction_bps)?)
    }

    /// What the request has still to take, valued when requested.
    pub fn remaining_amount(&self) -> Result<Uint128, RegistryError> {
        Ok(self.amount.checked_sub(self.value_of(self.executed_bps)?)?)
    }

    /// Bps of the request still to execute.
    pub fn remaining_bps(&self) -> u16 {
        self.fraction_bps.saturating_sub(self.executed_bps)
    }
}

/// The resolver vetoes request `id` at `now`, inside its veto window: what was left of it no
/// longer weighs on `operator`'s price. Returns that amount.
pub fn veto_slash(
    request: &mut SlashRequest,
    operator: &mut Operator,
    id: u64,
    now: Timestamp,
) -> Result<Uint128, RegistryError> {
    request.ensure_pending(id)?;
    if now >= request.executable_at {
        return Err(RegistryError::VetoWindowClosed {
            id,
            at: request.executable_at,
        });
    }
    request.status = SlashStatus::Vetoed;
    let released = request.remaining_amount()?;
    operator.pending_slash = operator.pending_slash.saturating_sub(released);
    Ok(released)
}

/// Executes request `id` at `now`, after its veto window, as far as the service's per-epoch cap
/// for this operator allows: `epoch_used_bps` is what the cap has already let through in the
/// epoch of `now` ([`epoch_of`]). Executing `x` more bps of the request's `fraction_bps` slashes
/// `amount x x / fraction_bps` (cumulatively, so the steps add up to `amount`), scaled down by
/// the pool shares that left since the request (their part leaves with them) and at most what
/// the pool holds. The LST is taken from the whole pool, so active and withdrawing stake lose
/// pro rata; the rest stays pending for later epochs.
pub fn execute_slash(
    request: &mut SlashRequest,
    operator: &mut Operator,
    service: &mut Service,
    id: u64,
    now: Timestamp,
    epoch_period: u64,
    epoch_used_bps: u16,
) -> Result<SlashExecution, RegistryError> {
    request.ensure_pending(id)?;
    if now < request.executable_at {
        return Err(RegistryError::VetoWindowOpen {
            id,
            at: request.executable_at,
        });
    }
    // the earning stake changes: bring the stake over time up to now first
    operator.checkpoint_stake(now)?;
    let epoch = epoch_of(now, epoch_period)?;
    let room = service
        .max_slash_bps_per_epoch
        .saturating_sub(epoch_used_bps);
    if room == 0 {
        return Err(RegistryError::SlashCapReached {
            next_epoch_at: Timestamp::from_seconds(
                epoch.saturating_add(1).saturating_mul(epoch_period),
            ),
        });
    }
    let step_bps = request.remaining_bps().min(room);
    let executed_bps = request.executed_bps.saturating_add(step_bps);
    // the part executed now, valued as when requested: the cumulative target less what the
    // steps before it covered ...
    let released = request
        .value_of(executed_bps)?
        .checked_sub(request.value_of(request.executed_bps)?)?;
    // ... taken from the shares still in the pool at the request's LST per share
    let slashed = if request.shares.is_zero() {
        Uint128::zero()
    } else {
        released
            .checked_multiply_ratio(operator.shares.min(request.shares), request.shares)?
            .min(operator.assets)
    };
    operator.assets = operator.assets.checked_sub(slashed)?;
    operator.pending_slash = operator.pending_slash.saturating_sub(released);
    service.slashed = service.slashed.checked_add(slashed)?;
    request.executed_bps = executed_bps;
    request.slashed = request.slashed.checked_add(slashed)?;
    let completed = executed_bps >= request.fraction_bps;
    if completed {
        request.status = SlashStatus::Executed;
    }
    Ok(SlashExecution {
        epoch,
        step_bps,
        executed_bps,
        remaining_bps: request.remaining_bps(),
        epoch_used_bps: epoch_used_bps.saturating_add(step_bps),
        slashed,
        released,
        completed,
    })
}

/// Whether an undelegation due at `completes_at` (seconds) is held, given when the oldest slash
/// request still pending against its operator was made: stake that was in the pool when a
/// slash was requested cannot leave before it is resolved; requests made after an entry was
/// due do not hold it, so no stream of new requests can hold an exit for longer than its delay,
/// a veto window and [`MAX_SLASH_EPOCHS`] epochs.
pub fn is_held(oldest_pending_requested_at: Option<Timestamp>, completes_at: u64) -> bool {
    oldest_pending_requested_at.is_some_and(|requested_at| requested_at.seconds() < completes_at)
}

/// When an undelegation requested at `now` completes: after `withdrawal_delay`, rounded up to
/// the end of an epoch (so a delegator has at most one entry per operator and epoch).
pub fn completion_time(
    now: Timestamp,
    withdrawal_delay: u64,
    epoch_period: u64,
) -> Result<Timestamp, RegistryError> {
    let earliest = now
        .seconds()
        .checked_add(withdrawal_delay)
        .ok_or(RegistryError::CompletionTimeOverflow {})?;
    if epoch_period == 0 {
        return Err(RegistryError::Math(MathError::DivideByZero));
    }
    let at = earliest
        .div_ceil(epoch_period)
        .checked_mul(epoch_period)
        .ok_or(RegistryError::CompletionTimeOverflow {})?;
    Ok(Timestamp::from_seconds(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(seconds: u64) -> Timestamp {
        Timestamp::from_seconds(seconds)
    }

    const EPOCH: u64 = 100;

    fn service(cap_bps: u16) -> Service {
        Service {
            name: "oracle".to_string(),
            admin: Addr::unchecked("admin"),
            reward_rate_bps: 0,
            max_slash_bps_per_epoch: cap_bps,
            veto_window: 50,
            resolver: Addr::unchecked("resolver"),
            slash_destination: Addr::unchecked("sink"),
            rewards_paid: Uint128::zero(),
            slashed: Uint128::zero(),
            operators: 0,
        }
    }

    fn operator_with(stake: u128) -> Operator {
        let mut operator = Operator::new("op".to_string(), 0, t(0));
        if stake > 0 {
            let mut delegation = operator.open_delegation();
            operator
                .delegate(&mut delegation, Uint128::new(stake))
                .unwrap();
        }
        operator
    }

    fn input(fraction_bps: u16, allocation_bps: u16) -> SlashRequestInput {
        SlashRequestInput {
            service: 1,
            operator: Addr::unchecked("op"),
            fraction_bps,
            reason: "double sign".to_string(),
            allocation_bps,
        }
    }

    #[test]
    fn fractions_are_checked_against_full_and_the_cap() {
        assert_eq!(
            check_fraction(0, 100),
            Err(RegistryError::InvalidFraction { bps: 0 })
        );
        assert_eq!(
            check_fraction(10_001, 10_000),
            Err(RegistryError::InvalidFraction { bps: 10_001 })
        );
        assert_eq!(check_fraction(1_000, 100), Ok(()));
        assert_eq!(
            check_fraction(1_001, 100),
            Err(RegistryError::SlashTooSlow {
                bps: 1_001,
                cap: 100,
                epochs: MAX_SLASH_EPOCHS,
                max: 1_000
            })
        );
    }

    #[test]
    fn a_request_is_valued_now_and_priced_in() {
        let mut operator = operator_with(10_000);
        let request =
            request_slash(&mut operator, &service(1_000), input(1_000, 5_000), t(7)).unwrap();
        assert_eq!(request.amount, Uint128::new(500));
        assert_eq!(request.shares, Uint128::new(10_000));
        assert_eq!(request.executable_at, t(57));
        assert_eq!(request.status, SlashStatus::Pending);
        assert_eq!(operator.pending_slash, Uint128::new(500));
        assert_eq!(
            operator
                .priced_pool()
                .assets_for_redeem(Uint128::new(10_000))
                .unwrap(),
            Uint128::new(9_500)
        );
    }

    #[test]
    fn a_request_promises_at_most_what_is_left() {
        let mut operator = operator_with(1_000);
        operator.pending_slash = Uint128::new(900);
        let request =
            request_slash(&mut operator, &service(10_000), input(10_000, 10_000), t(0)).unwrap();
        assert_eq!(request.amount, Uint128::new(100));
        assert_eq!(
            request_slash(&mut operator, &service(10_000), input(10_000, 10_000), t(0)),
            Err(RegistryError::NothingLeftToSlash {
                operator: "op".to_string()
            })
        );
        let mut empty = operator_with(0);
        assert!(matches!(
            request_slash(&mut empty, &service(10_000), input(1, 10_000), t(0)),
            Err(RegistryError::NothingLeftToSlash { .. })
        ));
    }

    #[test]
    fn a_veto_only_inside_the_window_gives_the_price_back() {
        let mut operator = operator_with(10_000);
        let mut request =
            request_slash(&mut operator, &service(1_000), input(1_000, 10_000), t(0)).unwrap();
        let mut late = request.clone();
        assert_eq!(
            veto_slash(&mut late, &mut operator.clone(), 1, t(50)),
            Err(RegistryError::VetoWindowClosed { id: 1, at: t(50) })
        );
        assert_eq!(
            veto_slash(&mut request, &mut operator, 1, t(49)),
            Ok(Uint128::new(1_000))
        );
        assert_eq!(request.status, SlashStatus::Vetoed);
        assert_eq!(operator.pending_slash, Uint128::zero());
        assert_eq!(
            veto_slash(&mut request, &mut operator, 1, t(1)),
            Err(RegistryError::SlashNotPending { id: 1 })
        );
    }

    #[test]
    fn execution_waits_for_the_window_and_is_capped_per_epoch() {
        let mut operator = operator_with(10_000);
        let mut svc = service(500);
        let mut request = request_slash(&mut operator, &svc, input(1_200, 10_000), t(0)).unwrap();
        assert_eq!(request.amount, Uint128::new(1_200));
        assert_eq!(
            execute_slash(&mut request, &mut operator, &mut svc, 3, t(49), EPOCH, 0),
            Err(RegistryError::VetoWindowOpen { id: 3, at: t(50) })
        );
        let first =
            execute_slash(&mut request, &mut operator, &mut svc, 3, t(50), EPOCH, 0).unwrap();
        assert_eq!(
            first,
            SlashExecution {
                epoch: 0,
                step_bps: 500,
                executed_bps: 500,
                remaining_bps: 700,
                epoch_used_bps: 500,
                slashed: Uint128::new(500),
                released: Uint128::new(500),
                completed: false
            }
        );
        assert_eq!(
            execute_slash(&mut request, &mut operator, &mut svc, 3, t(60), EPOCH, 500),
            Err(RegistryError::SlashCapReached {
                next_epoch_at: t(100)
            })
        );
        let second =
            execute_slash(&mut request, &mut operator, &mut svc, 3, t(100), EPOCH, 0).unwrap();
        assert_eq!(second.step_bps, 500);
        let third =
            execute_slash(&mut request, &mut operator, &mut svc, 3, t(200), EPOCH, 300).unwrap();
        assert_eq!(third.step_bps, 200);
        assert!(third.completed);
        assert_eq!(request.status, SlashStatus::Executed);
        assert_eq!(request.slashed, Uint128::new(1_200));
        assert_eq!(operator.assets, Uint128::new(8_800));
        assert_eq!(operator.pending_slash, Uint128::zero());
        assert_eq!(svc.slashed, Uint128::new(1_200));
        assert_eq!(
            execute_slash(&mut request, &mut operator, &mut svc, 3, t(300), EPOCH, 0),
            Err(RegistryError::SlashNotPending { id: 3 })
        );
    }

    #[test]
    fn stake_that_left_takes_its_part_with_it() {
        let mut operator = operator_with(10_000);
        let mut svc = service(10_000);
        let mut request = request_slash(&mut operator, &svc, input(1_000, 10_000), t(0)).unwrap();
        // half the shares leave (at the priced value) before the slash executes
        let mut pool = operator.pool();
        pool.redeem(Uint128::new(5_000)).unwrap();
        operator.assets = pool.assets;
        operator.shares = pool.shares;
        let done =
            execute_slash(&mut request, &mut operator, &mut svc, 1, t(50), EPOCH, 0).unwrap();
        assert_eq!(done.released, Uint128::new(1_000));
        assert_eq!(done.slashed, Uint128::new(500));
    }

    #[test]
    fn holds_and_completion_times() {
        assert!(!is_held(None, 100));
        assert!(is_held(Some(t(99)), 100));
        assert!(
            !is_held(Some(t(100)), 100),
            "a request made when the entry was due does not hold it"
        );
        assert_eq!(completion_time(t(10), 150, 100), Ok(t(200)));
        assert_eq!(completion_time(t(50), 150, 100), Ok(t(200)));
        assert_eq!(completion_time(t(51), 150, 100), Ok(t(300)));
        assert_eq!(
            completion_time(t(1_000), u64::MAX, 100),
            Err(RegistryError::CompletionTimeOverflow {})
        );
        assert_eq!(epoch_of(t(250), 100), Ok(2));
        assert!(epoch_of(t(250), 0).is_err());
    }

    #[test]
    fn remaining_amounts_follow_the_executed_part() {
        let mut operator = operator_with(10_000);
        let mut svc = service(300);
        let mut request = request_slash(&mut operator, &svc, input(1_000, 10_000), t(0)).unwrap();
        assert_eq!(request.remaining_amount(), Ok(Uint128::new(1_000)));
        assert_eq!(request.remaining_bps(), 1_000);
        execute_slash(&mut request, &mut operator, &mut svc, 1, t(50), EPOCH, 0).unwrap();
        assert_eq!(request.remaining_bps(), 700);
        assert_eq!(request.remaining_amount(), Ok(Uint128::new(700)));
        assert_eq!(operator.pending_slash, Uint128::new(700));
    }

    #[test]
    fn a_request_against_an_emptied_pool_slashes_nothing_but_resolves() {
        let mut operator = operator_with(1_000);
        let mut svc = service(10_000);
        let mut request = request_slash(&mut operator, &svc, input(5_000, 10_000), t(0)).unwrap();
        // everyone leaves before it executes
        let mut pool = operator.pool();
        pool.redeem(operator.shares).unwrap();
        operator.assets = pool.assets;
        operator.shares = pool.shares;
        let done =
            execute_slash(&mut request, &mut operator, &mut svc, 1, t(50), EPOCH, 0).unwrap();
        assert_eq!(done.slashed, Uint128::zero());
        assert!(done.completed);
        assert_eq!(operator.pending_slash, Uint128::zero());
    }

    proptest! {
        /// With several requests against one operator, vetoed or executed in any order,
        /// `pending_slash` is always what the pending ones still have to take, the pool is never
        /// priced above what it holds, and requests never promise more than it holds.
        #[test]
        fn pending_slash_tracks_the_pending_requests(
            stake in 1u128..1_000_000_000_000,
            requests in proptest::collection::vec((1u16..=1_000, 1u16..=10_000), 1..6),
            actions in proptest::collection::vec((0usize..6, any::<bool>(), 0u64..3), 0..30),
        ) {
            let mut operator = operator_with(stake);
            let mut svc = service(1_000);
            let mut pending: Vec<SlashRequest> = vec![];
            for (fraction_bps, allocation_bps) in requests {
                if let Ok(request) = request_slash(
                    &mut operator, &svc, input(fraction_bps, allocation_bps), t(0)) {
                    pending.push(request);
                }
                prop_assert!(operator.pending_slash <= operator.assets);
            }
            prop_assume!(!pending.is_empty());
            let mut now = 0u64;
            let mut used = std::collections::BTreeMap::<u64, u16>::new();
            for (index, veto, epochs) in actions {
                now += epochs * EPOCH;
                let count = pending.len();
                let request = &mut pending[index % count];
                if veto {
                    let _ = veto_slash(request, &mut operator, 1, t(now));
                } else {
                    let epoch = epoch_of(t(now), EPOCH).unwrap();
                    let already = used.get(&epoch).copied().unwrap_or(0);
                    if let Ok(done) = execute_slash(
                        request, &mut operator, &mut svc, 1, t(now), EPOCH, already) {
                        used.insert(epoch, done.epoch_used_bps);
                    }
                }
                let still_owed = pending
                    .iter()
                    .filter(|request| request.status == SlashStatus::Pending)
                    .map(|request| request.remaining_amount().unwrap())
                    .sum::<Uint128>();
                prop_assert_eq!(operator.pending_slash, still_owed);
                prop_assert!(operator.priced_pool().assets <= operator.assets);
            }
            let slashed: Uint128 = pending.iter().map(|request| request.slashed).sum();
            prop_assert_eq!(operator.assets + slashed, Uint128::new(stake));
        }

        /// However requests are executed (any epochs, any cap already used), a step never takes
        /// more than the cap left in its epoch, the steps never take more than the request's
        /// amount nor more than the operator holds, and `pending_slash` goes back to zero.
        #[test]
        fn a_slash_never_takes_more_than_the_cap_or_the_stake(
            stake in 1u128..1_000_000_000_000,
            allocation_bps in 1u16..=10_000,
            cap_bps in 1u16..=10_000,
            fraction_bps in 1u16..=10_000,
            steps in proptest::collection::vec((0u64..5, 0u16..=10_000, 0u16..=5_000), 1..30),
        ) {
            prop_assume!(check_fraction(fraction_bps, cap_bps).is_ok());
            let mut operator = operator_with(stake);
            let mut svc = service(cap_bps);
            let Ok(mut request) = request_slash(
                &mut operator, &svc, input(fraction_bps, allocation_bps), t(0)) else {
                return Ok(());
            };
            let allocated_stake = tributary_math::bps_of(Uint128::new(stake), allocation_bps).unwrap();
            prop_assert!(request.amount <= tributary_math::bps_of(allocated_stake, fraction_bps).unwrap());
            let mut now = 50u64;
            let mut total = Uint128::zero();
            for (epochs, used, leaving) in steps {
                now += epochs * EPOCH;
                // some shares leave between steps
                let leaving = Uint128::from(leaving).min(operator.shares);
                let mut pool = operator.pool();
                pool.redeem(leaving).unwrap();
                operator.assets = pool.assets;
                operator.shares = pool.shares;
                let held = operator.assets;
                let used = used.min(cap_bps);
                match execute_slash(&mut request, &mut operator, &mut svc, 1, t(now), EPOCH, used) {
                    Ok(done) => {
                        prop_assert!(done.step_bps <= cap_bps - used);
                        prop_assert!(done.epoch_used_bps <= cap_bps);
                        prop_assert!(done.slashed <= held);
                        prop_assert!(done.slashed <= done.released);
                        total += done.slashed;
                    }
                    Err(RegistryError::SlashCapReached { .. }) => prop_assert_eq!(used, cap_bps),
                    Err(RegistryError::SlashNotPending { .. }) => break,
                    Err(other) => return Err(TestCaseError::fail(format!("{other}"))),
                }
            }
            prop_assert!(total <= request.amount);
            prop_assert_eq!(total, request.slashed);
            prop_assert_eq!(svc.slashed, total);
            if request.status == SlashStatus::Executed {
                prop_assert_eq!(operator.pending_slash, Uint128::zero());
            } else {
                prop_assert_eq!(operator.pending_slash, request.remaining_amount().unwrap());
            }
        }

        /// The steps of a request add up to its amount exactly when no stake leaves, whatever
        /// the cap splits it into.
        #[test]
        fn the_steps_of_a_request_add_up_to_its_amount(
            stake in 1u128..1_000_000_000_000,
            cap_bps in 1u16..=10_000,
            fraction_bps in 1u16..=10_000,
        ) {
            prop_assume!(check_fraction(fraction_bps, cap_bps).is_ok());
            let mut operator = operator_with(stake);
            let mut svc = service(cap_bps);
            let Ok(mut request) = request_slash(
                &mut operator, &svc, input(fraction_bps, 10_000), t(0)) else {
                return Ok(());
            };
            let mut now = 50;
            let mut epochs = 0;
            while request.status == SlashStatus::Pending {
                execute_slash(&mut request, &mut operator, &mut svc, 1, t(now), EPOCH, 0).unwrap();
                now += EPOCH;
                epochs += 1;
            }
            prop_assert!(epochs <= MAX_SLASH_EPOCHS);
            prop_assert_eq!(request.slashed, request.amount);
            prop_assert_eq!(operator.assets + request.amount, Uint128::new(stake));
        }

        /// A hold never lasts past the resolution of a request made before the entry was due.
        #[test]
        fn holds_only_for_requests_made_before_due(requested in 0u64..1_000, due in 0u64..1_000) {
            prop_assert_eq!(is_held(Some(t(requested)), due), requested < due);
        }
    }
}
