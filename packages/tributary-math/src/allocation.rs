//! Splitting an amount across a weighted set (validators, operators) so the set moves towards
//! its target weights. All functions return exactly the requested total.

use cosmwasm_std::Uint128;

use crate::MathError;

/// Target amount per member for `total` split by `weights`, each rounded down.
pub fn targets_by_weight(total: Uint128, weights: &[u64]) -> Result<Vec<Uint128>, MathError> {
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 {
        return Err(MathError::ZeroWeights);
    }
    weights
        .iter()
        .map(|w| Ok(total.checked_multiply_ratio(*w, sum)?))
        .collect()
}

fn sum(values: &[Uint128]) -> Result<Uint128, MathError> {
    values
        .iter()
        .try_fold(Uint128::zero(), |acc, v| acc.checked_add(*v))
        .map_err(MathError::from)
}

/// Splits `amount` of new stake across members, filling the largest deficits (target after the
/// addition minus current) first. Any remainder left by rounding goes to the member with the
/// largest weight. The result sums to `amount`.
pub fn allocate_to_deficits(
    current: &[Uint128],
    weights: &[u64],
    amount: Uint128,
) -> Result<Vec<Uint128>, MathError> {
    let total_after = sum(current)?.checked_add(amount)?;
    let targets = targets_by_weight(total_after, weights)?;
    let mut order: Vec<usize> = (0..current.len()).collect();
    let deficit = |i: usize| targets[i].saturating_sub(current[i]);
    order.sort_by(|a, b| deficit(*b).cmp(&deficit(*a)).then(a.cmp(b)));
    let mut out = vec![Uint128::zero(); current.len()];
    let mut left = amount;
    for i in order {
        let take = deficit(i).min(left);
        out[i] = take;
        left -= take;
    }
    if !left.is_zero() {
        let heaviest = heaviest(weights);
        out[heaviest] = out[heaviest].checked_add(left)?;
    }
    Ok(out)
}

/// Splits a withdrawal of `amount` across members, taking from the largest surpluses (current
/// minus target after the withdrawal) first, then from whoever still holds the most. The result
/// sums to `amount` and never takes more than a member holds.
pub fn take_from_surpluses(
    current: &[Uint128],
    weights: &[u64],
    amount: Uint128,
) -> Result<Vec<Uint128>, MathError> {
    let total = sum(current)?;
    let total_after = total.checked_sub(amount)?;
    let targets = targets_by_weight(total_after, weights)?;
    let mut out = vec![Uint128::zero(); current.len()];
    let mut left = amount;
    let surplus = |i: usize| current[i].saturating_sub(targets[i]);
    let mut order: Vec<usize> = (0..current.len()).collect();
    order.sort_by(|a, b| surplus(*b).cmp(&surplus(*a)).then(a.cmp(b)));
    for &i in &order {
        let take = surplus(i).min(left);
        out[i] = take;
        left -= take;
    }
    // rounding leftovers: take from the largest remaining holdings
    order.sort_by(|a, b| {
        (current[*b] - out[*b])
            .cmp(&(current[*a] - out[*a]))
            .then(a.cmp(b))
    });
    for &i in &order {
        if left.is_zero() {
            break;
        }
        let take = (current[i] - out[i]).min(left);
        out[i] += take;
        left -= take;
    }
    Ok(out)
}

/// The member whose deficit (target after adding `amount`, minus current) is largest: where a
/// single deposit should go. `None` if all weights are zero.
pub fn most_underweight(
    current: &[Uint128],
    weights: &[u64],
    amount: Uint128,
) -> Result<Option<usize>, MathError> {
    if weights.iter().all(|w| *w == 0) {
        return Ok(None);
    }
    let total_after = sum(current)?.checked_add(amount)?;
    let targets = targets_by_weight(total_after, weights)?;
    let mut best: Option<(usize, Uint128)> = None;
    for (i, w) in weights.iter().enumerate() {
        if *w == 0 {
            continue;
        }
        let deficit = targets[i].saturating_sub(current[i]);
        if best.is_none_or(|(_, d)| deficit > d) {
            best = Some((i, deficit));
        }
    }
    Ok(best.map(|(i, _)| i))
}

/// One redelegation of a rebalancing plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    /// Index of the member to take from.
    pub from: usize,
    /// Index of the member to give to.
    pub to: usize,
    /// Amount moved.
    pub amount: Uint128,
}

/// Moves that bring `current` towards its weighted targets, largest surplus to largest deficit,
/// moving at most `budget` in total. Members end no further from target than they started.
pub fn plan_rebalance(
    current: &[Uint128],
    weights: &[u64],
    budget: Uint128,
) -> Result<Vec<Move>, MathError> {
    let targets = targets_by_weight(sum(current)?, weights)?;
    let mut now = current.to_vec();
    let mut left = budget;
    let mut moves = vec![];
    // each move closes a surplus or a deficit (or exhausts the budget), so this terminates
    for _ in 0..(2 * current.len() + 1) {
        let surplus = |v: &[Uint128], i: usize| v[i].saturating_sub(targets[i]);
        let deficit = |v: &[Uint128], i: usize| targets[i].saturating_sub(v[i]);
        let from =
            (0..now.len()).max_by(|a, b| surplus(&now, *a).cmp(&surplus(&now, *b)).then(b.cmp(a)));
        let to =
            (0..now.len()).max_by(|a, b| deficit(&now, *a).cmp(&deficit(&now, *b)).then(b.cmp(a)));
        let (Some(from), Some(to)) = (from, to) else {
            break;
        };
        let amount = surplus(&now, from).min(deficit(&now, to)).min(left);
        if amount.is_zero() || from == to {
            break;
        }
        now[from] = now[from].checked_sub(amount)?;
        now[to] = now[to].checked_add(amount)?;
        left = left.checked_sub(amount)?;
        moves.push(Move { from, to, amount });
    }
    Ok(moves)
}

fn heaviest(weights: &[u64]) -> usize {
    let mut best = 0;
    for (i, w) in weights.iter().enumerate() {
        if *w > weights[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(v: &[u128]) -> Vec<Uint128> {
        v.iter().map(|x| Uint128::new(*x)).collect()
    }

    #[test]
    fn targets_split_by_weight() {
        assert_eq!(
            targets_by_weight(Uint128::new(100), &[1, 1, 2]).unwrap(),
            us(&[25, 25, 50])
        );
        assert_eq!(
            targets_by_weight(Uint128::new(10), &[1, 2]).unwrap(),
            us(&[3, 6])
        );
        assert_eq!(
            targets_by_weight(Uint128::new(10), &[0, 0]),
            Err(MathError::ZeroWeights)
        );
    }

    #[test]
    fn deposit_fills_largest_deficit() {
        // targets after +100: [100, 100]; deficits [100, 0]
        assert_eq!(
            allocate_to_deficits(&us(&[0, 100]), &[1, 1], Uint128::new(100)).unwrap(),
            us(&[100, 0])
        );
        // targets after +100 of 300: [150, 150]; deficits [50, 50]
        assert_eq!(
            allocate_to_deficits(&us(&[100, 100]), &[1, 1], Uint128::new(100)).unwrap(),
            us(&[50, 50])
        );
        // rounding leftover goes to the heaviest: total 3, weights 1:1 -> targets [1, 1]
        assert_eq!(
            allocate_to_deficits(&us(&[0, 0]), &[1, 2], Uint128::new(3)).unwrap(),
            us(&[1, 2])
        );
    }

    #[test]
    fn most_underweight_picks_largest_deficit() {
        assert_eq!(
            most_underweight(&us(&[100, 0, 50]), &[1, 1, 1], Uint128::new(30)).unwrap(),
            Some(1)
        );
        // a removed member (weight 0) is never chosen
        assert_eq!(
            most_underweight(&us(&[0, 100]), &[0, 1], Uint128::new(1)).unwrap(),
            Some(1)
        );
        assert_eq!(
            most_underweight(&us(&[0]), &[0], Uint128::new(1)).unwrap(),
            None
        );
    }

    #[test]
    fn rebalance_is_bounded_and_moves_towards_target() {
        let moves = plan_rebalance(&us(&[300, 0, 0]), &[1, 1, 1], Uint128::new(150)).unwrap();
        assert_eq!(
            moves,
            vec![
                Move {
                    from: 0,
                    to: 1,
                    amount: Uint128::new(100)
                },
                Move {
                    from: 0,
                    to: 2,
                    amount: Uint128::new(50)
                },
            ]
        );
        assert!(
            plan_rebalance(&us(&[100, 100]), &[1, 1], Uint128::new(1_000))
                .unwrap()
                .is_empty()
        );
        assert!(plan_rebalance(&us(&[300, 0]), &[1, 1], Uint128::zero())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn withdrawal_takes_from_surplus_and_sums_exactly() {
        assert_eq!(
            take_from_surpluses(&us(&[200, 100]), &[1, 1], Uint128::new(100)).unwrap(),
            us(&[100, 0])
        );
        assert_eq!(
            take_from_surpluses(&us(&[5, 5, 5]), &[1, 1, 1], Uint128::new(14))
                .unwrap()
                .iter()
                .map(|x| x.u128())
                .sum::<u128>(),
            14
        );
        assert_eq!(
            take_from_surpluses(&us(&[5]), &[1], Uint128::new(6)),
            Err(MathError::Overflow)
        );
    }
}
