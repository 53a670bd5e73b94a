use thiserror::Error;

/// Every way a calculation in this crate can fail. None of them panic.
#[derive(Error, Debug, Clone, PartialEq, Eq)]
pub enum MathError {
    /// A result or intermediate value does not fit in 128 bits.
    #[error("arithmetic overflow: the amount is too large")]
    Overflow,
    /// A division by zero was requested (for example a ratio over an empty total).
    #[error("division by zero")]
    DivideByZero,
    /// More shares were redeemed than exist.
    #[error("cannot redeem {requested} shares: only {available} exist")]
    InsufficientShares {
        requested: cosmwasm_std::Uint128,
        available: cosmwasm_std::Uint128,
    },
    /// A fee rate above 100 % (10,000 bps) was given.
    #[error("fee of {bps} bps is above 100 %")]
    FeeTooHigh { bps: u16 },
    /// Weights that sum to zero cannot define targets.
    #[error("weights sum to zero")]
    ZeroWeights,
    /// Newton's method did not converge (a pool so imbalanced it cannot be priced).
    #[error("the pool's invariant did not converge; it is too imbalanced to price")]
    NoConvergence,
    /// A coin index outside the pool, or the same coin on both sides.
    #[error("invalid coin index")]
    InvalidCoin,
    /// The first deposit into a pool must include every coin.
    #[error("the first deposit must include both coins")]
    InitialDepositNeedsAllCoins,
    /// A deposit that does not raise the invariant.
    #[error("zero amount: the deposit adds nothing")]
    ZeroAmount,
}

impl From<cosmwasm_std::CheckedMultiplyRatioError> for MathError {
    fn from(e: cosmwasm_std::CheckedMultiplyRatioError) -> Self {
        match e {
            cosmwasm_std::CheckedMultiplyRatioError::DivideByZero => MathError::DivideByZero,
            cosmwasm_std::CheckedMultiplyRatioError::Overflow => MathError::Overflow,
        }
    }
}

impl From<cosmwasm_std::OverflowError> for MathError {
    fn from(_: cosmwasm_std::OverflowError) -> Self {
        MathError::Overflow
    }
}

/// Implements `From` for cosmwasm-std's arithmetic errors on a contract error type that has a
/// `From<MathError>` conversion, so `?` works on checked arithmetic everywhere.
#[macro_export]
macro_rules! impl_from_math_errors {
    ($t:ty) => {
        impl From<cosmwasm_std::OverflowError> for $t {
            fn from(_: cosmwasm_std::OverflowError) -> Self {
                $crate::MathError::Overflow.into()
            }
        }
        impl From<cosmwasm_std::CheckedMultiplyRatioError> for $t {
            fn from(e: cosmwasm_std::CheckedMultiplyRatioError) -> Self {
                $crate::MathError::from(e).into()
            }
        }
        impl From<cosmwasm_std::ConversionOverflowError> for $t {
            fn from(_: cosmwasm_std::ConversionOverflowError) -> Self {
                $crate::MathError::Overflow.into()
            }
        }
        impl From<cosmwasm_std::DecimalRangeExceeded> for $t {
            fn from(_: cosmwasm_std::DecimalRangeExceeded) -> Self {
                $crate::MathError::Overflow.into()
            }
        }
        impl From<cosmwasm_std::Decimal256RangeExceeded> for $t {
            fn from(_: cosmwasm_std::Decimal256RangeExceeded) -> Self {
                $crate::MathError::Overflow.into()
            }
        }
        impl From<cosmwasm_std::CheckedFromRatioError> for $t {
            fn from(_: cosmwasm_std::CheckedFromRatioError) -> Self {
                $crate::MathError::Overflow.into()
            }
        }
    };
}
