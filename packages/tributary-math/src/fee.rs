use cosmwasm_std::Uint128;

use crate::MathError;

/// Basis points in one whole (100 %).
pub const BPS_DENOMINATOR: u16 = 10_000;

/// The protocol's fee on `rewards` at `fee_bps`, rounded down so it never exceeds its rate.
pub fn fee_amount(rewards: Uint128, fee_bps: u16) -> Result<Uint128, MathError> {
    if fee_bps > BPS_DENOMINATOR {
        return Err(MathError::FeeTooHigh { bps: fee_bps });
    }
    Ok(rewards.checked_multiply_ratio(fee_bps, BPS_DENOMINATOR)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fee_rounds_down() {
        assert_eq!(
            fee_amount(Uint128::new(999), 1_000).unwrap(),
            Uint128::new(99)
        );
        assert_eq!(
            fee_amount(Uint128::new(1_000), 1_000).unwrap(),
            Uint128::new(100)
        );
        assert_eq!(fee_amount(Uint128::new(9), 1_000).unwrap(), Uint128::zero());
    }

    #[test]
    fn fee_bounds() {
        assert_eq!(fee_amount(Uint128::MAX, 10_000).unwrap(), Uint128::MAX);
        assert_eq!(fee_amount(Uint128::MAX, 0).unwrap(), Uint128::zero());
        assert_eq!(
            fee_amount(Uint128::new(1), 10_001),
            Err(MathError::FeeTooHigh { bps: 10_001 })
        );
    }
}
