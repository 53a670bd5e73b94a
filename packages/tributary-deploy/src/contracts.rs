//! The Tributary contracts (and cw20-base) wrapped for cw-multi-test.

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, ContractWrapper};

/// The hub (liquid staking).
pub fn hub() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            tributary_hub::contract::execute,
            tributary_hub::contract::instantiate,
            tributary_hub::contract::query,
        )
        .with_migrate(tributary_hub::contract::migrate),
    )
}

/// cw20-base, the code of the LST, the LRT and the LP token.
pub fn cw20() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        cw20_base::contract::execute,
        cw20_base::contract::instantiate,
        cw20_base::contract::query,
    ))
}

/// The restaking registry.
pub fn registry() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            tributary_restaking_registry::contract::execute,
            tributary_restaking_registry::contract::instantiate,
            tributary_restaking_registry::contract::query,
        )
        .with_migrate(tributary_restaking_registry::contract::migrate),
    )
}

/// The restaking vault.
pub fn vault() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            tributary_restaking_vault::contract::execute,
            tributary_restaking_vault::contract::instantiate,
            tributary_restaking_vault::contract::query,
        )
        .with_reply(tributary_restaking_vault::contract::reply)
        .with_migrate(tributary_restaking_vault::contract::migrate),
    )
}

/// The StableSwap pool.
pub fn stableswap() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            tributary_stableswap::contract::execute,
            tributary_stableswap::contract::instantiate,
            tributary_stableswap::contract::query,
        )
        .with_migrate(tributary_stableswap::contract::migrate),
    )
}

/// The vault's liquidity-provision strategy.
pub fn lp_strategy() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        tributary_lp_strategy::contract::execute,
        tributary_lp_strategy::contract::instantiate,
        tributary_lp_strategy::contract::query,
    ))
}

/// The holding strategy deployed with restaking (see [`crate::mock_strategy`]).
pub fn mock_strategy() -> Box<dyn Contract<Empty>> {
    crate::mock_strategy::contract()
}
