use cosmwasm_std::Uint128;

use crate::MathError;

/// Basis points in one whole (100 %).
pub const BPS_DENOMINATOR: u16 = 10_000;

/// `bps` basis points of `amount`, rounded down. More than 100 % is an error.
pub fn bps_of(amount: Uint128, bps: u16) -> Result<Uint128, MathError> {
    if bps > BPS_DENOMINATOR {
        return Err(MathError::FeeTooHigh { bps });
    }
    Ok(amount.checked_multiply_ratio(bps, BPS_DENOMINATOR)?)
}

/// `part` as a share of `whole` in basis points, rounded down, at most 100 %; zero of nothing.
pub fn share_bps(part: Uint128, whole: Uint128) -> Result<u16, MathError> {
    if whole.is_zero() {
        return Ok(0);
    }
    let bps = part
        .min(whole)
        .checked_multiply_ratio(BPS_DENOMINATOR, whole)?;
    Ok(u16::try_from(bps.u128()).unwrap_or(BPS_DENOMINATOR))
}

/// The protocol's fee on `rewards` at `fee_bps`, rounded down so it never exceeds its rate.
pub fn fee_amount(rewards: Uint128, fee_bps: u16) -> Result<Uint128, MathError> {
    bps_of(rewards, fee_bps)
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
    fn bps_helpers() {
        assert_eq!(
            bps_of(Uint128::new(1_999), 5_000).unwrap(),
            Uint128::new(999)
        );
        assert_eq!(share_bps(Uint128::new(1), Uint128::new(3)).unwrap(), 3_333);
        assert_eq!(share_bps(Uint128::new(5), Uint128::new(3)).unwrap(), 10_000);
        assert_eq!(share_bps(Uint128::new(5), Uint128::zero()).unwrap(), 0);
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
