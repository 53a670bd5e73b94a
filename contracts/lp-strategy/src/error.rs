use cosmwasm_std::StdError;
use thiserror::Error;
use tributary_math::MathError;

/// Every way a strategy message can fail. A failed message changes nothing.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Math(#[from] MathError),

    #[error(transparent)]
    Common(#[from] tributary_common::CommonError),

    #[error("only the vault's LST is accepted here")]
    NotVaultLst {},

    #[error("the pool's coin 0 must be the LST (a cw20 token)")]
    PoolCoinNotLst {},

    #[error("nothing to withdraw: the strategy holds no liquidity")]
    NothingToWithdraw {},

    #[error("a slippage bound of {bps} bps is above the maximum of {max} bps")]
    SlippageTooHigh { bps: u16, max: u16 },

    #[error("the pool is empty: there is no fair price to deposit at")]
    EmptyPool {},

    #[error(
        "the pool's spot price {spot} is more than {max_bps} bps from its moving average \
         {average}: not trading with a pool pushed off balance"
    )]
    PoolOffBalance {
        spot: cosmwasm_std::Decimal,
        average: cosmwasm_std::Decimal,
        max_bps: u16,
    },
}

tributary_math::impl_from_math_errors!(ContractError);
