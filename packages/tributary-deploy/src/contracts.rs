//! The Tributary contracts (and their token code, cw20-base) for cw-multi-test, on either
//! [`Engine`]: native Rust (fast; the default) or the built wasm artifacts in the CosmWasm VM.

use std::str::FromStr;

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, ContractWrapper};
use tributary_wasm_engine::WasmContract;

use crate::{DeployError, DeployResult};

/// What runs the contracts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The contracts' Rust compiled into the host: fast, no gas.
    #[default]
    Native,
    /// The built artifacts (`artifacts/*.wasm`) in the CosmWasm VM, metered as wasmd meters.
    Wasm,
}

impl FromStr for Engine {
    type Err = DeployError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "native" => Ok(Engine::Native),
            "wasm" => Ok(Engine::Wasm),
            other => Err(DeployError::InvalidOptions(format!(
                "unknown engine {other:?}: use \"native\" or \"wasm\""
            ))),
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Engine::Native => "native",
            Engine::Wasm => "wasm",
        })
    }
}

impl Engine {
    /// The engine named by the `TRIBUTARY_ENGINE` environment variable (`native` or `wasm`),
    /// native if it is unset.
    pub fn from_env() -> DeployResult<Engine> {
        match std::env::var("TRIBUTARY_ENGINE") {
            Ok(name) if !name.is_empty() => name.parse(),
            _ => Ok(Engine::Native),
        }
    }
}

/// A contract code of the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The hub (liquid staking).
    Hub,
    /// cw20-base: the code of the LST, the LRT and the LP shares.
    Token,
    /// The restaking registry.
    Registry,
    /// The restaking vault.
    Vault,
    /// The StableSwap pool.
    Stableswap,
    /// The vault's liquidity-provision strategy.
    LpStrategy,
    /// The holding strategy deployed with restaking.
    HoldStrategy,
}

impl Code {
    /// Every code.
    pub const ALL: [Code; 7] = [
        Code::Hub,
        Code::Token,
        Code::Registry,
        Code::Vault,
        Code::Stableswap,
        Code::LpStrategy,
        Code::HoldStrategy,
    ];

    /// Its artifact's name in `artifacts/` (without `.wasm`).
    pub fn artifact(self) -> &'static str {
        match self {
            Code::Hub => "tributary_hub",
            Code::Token => "tributary_token",
            Code::Registry => "tributary_restaking_registry",
            Code::Vault => "tributary_restaking_vault",
            Code::Stableswap => "tributary_stableswap",
            Code::LpStrategy => "tributary_lp_strategy",
            Code::HoldStrategy => "tributary_hold_strategy",
        }
    }

    /// The contract on `engine`.
    pub fn contract(self, engine: Engine) -> DeployResult<Box<dyn Contract<Empty>>> {
        match engine {
            Engine::Native => Ok(self.native()),
            Engine::Wasm => WasmContract::load(self.artifact())
                .map(|c| Box::new(c) as Box<dyn Contract<Empty>>)
                .map_err(|e| DeployError::Step {
                    step: format!("load the {} artifact", self.artifact()),
                    message: e.to_string(),
                }),
        }
    }

    fn native(self) -> Box<dyn Contract<Empty>> {
        match self {
            Code::Hub => Box::new(
                ContractWrapper::new(
                    tributary_hub::contract::execute,
                    tributary_hub::contract::instantiate,
                    tributary_hub::contract::query,
                )
                .with_migrate(tributary_hub::contract::migrate),
            ),
            Code::Token => Box::new(ContractWrapper::new(
                tributary_token::execute,
                tributary_token::instantiate,
                tributary_token::query,
            )),
            Code::Registry => Box::new(
                ContractWrapper::new(
                    tributary_restaking_registry::contract::execute,
                    tributary_restaking_registry::contract::instantiate,
                    tributary_restaking_registry::contract::query,
                )
                .with_migrate(tributary_restaking_registry::contract::migrate),
            ),
            Code::Vault => Box::new(
                ContractWrapper::new(
                    tributary_restaking_vault::contract::execute,
                    tributary_restaking_vault::contract::instantiate,
                    tributary_restaking_vault::contract::query,
                )
                .with_reply(tributary_restaking_vault::contract::reply)
                .with_migrate(tributary_restaking_vault::contract::migrate),
            ),
            Code::Stableswap => Box::new(
                ContractWrapper::new(
                    tributary_stableswap::contract::execute,
                    tributary_stableswap::contract::instantiate,
                    tributary_stableswap::contract::query,
                )
                .with_migrate(tributary_stableswap::contract::migrate),
            ),
            Code::LpStrategy => Box::new(ContractWrapper::new(
                tributary_lp_strategy::contract::execute,
                tributary_lp_strategy::contract::instantiate,
                tributary_lp_strategy::contract::query,
            )),
            Code::HoldStrategy => Box::new(ContractWrapper::new(
                tributary_hold_strategy::execute,
                tributary_hold_strategy::instantiate,
                tributary_hold_strategy::query,
            )),
        }
    }
}
