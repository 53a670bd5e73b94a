//! The genesis of a Tributary chain as a library: a cw-multi-test [`App`] with the staking and
//! distribution modules and its validators, the contracts uploaded, instantiated, wired and
//! seeded, configured by a plain [`DeployOptions`] and returned as a [`Deployment`]. Every
//! failure is returned as a [`DeployError`]; nothing here panics.
//!
//! Used by the devnet (its genesis) and by the test `Suite` (which wraps it in user actions).

pub mod contracts;

pub use contracts::{Code, Engine};
mod deployment;
mod options;

pub use deployment::{Deployment, Market, Restaking};
pub use options::{
    AllocationOptions, DeployOptions, OperatorOptions, ServiceOptions, ValidatorOptions,
};

use anyhow::Context;
use cosmwasm_std::{coin, Addr, BlockInfo, Coin, Decimal, Timestamp, Validator as ChainValidator};
use cw_multi_test::{App, Executor, StakingInfo};
use tributary_types::hub::{
    ConfigResponse, InstantiateMsg as HubInit, LstTokenInfo, QueryMsg as HubQuery, ValidatorWeight,
};

/// The chain's staking denom.
pub const DENOM: &str = "ustake";
/// One day in seconds.
pub const DAY: u64 = 86_400;
/// One year in seconds, as cw-multi-test counts it for rewards.
pub const YEAR: u64 = 365 * DAY;
/// Seconds over which the registry streams each reward payment (a week).
pub const REWARD_PERIOD: u64 = 7 * DAY;
/// Block time at genesis, seconds.
pub const GENESIS_TIME: u64 = 1_700_000_000;
/// The chain id.
pub const CHAIN_ID: &str = "tributary-test";
/// Simulated seconds per block when time advances.
pub const BLOCK_SECONDS: u64 = 5;
/// One token (six decimals).
pub const TOKEN: u128 = 1_000_000;
/// The account that seeds the market's liquidity.
pub const LP_SEEDER: &str = "lp-seeder";

/// Why a genesis could not be built.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DeployError {
    /// The options are inconsistent; nothing was built.
    #[error("invalid deploy options: {0}")]
    InvalidOptions(String),
    /// A step of the genesis failed (the chain refused it).
    #[error("{step} failed: {message}")]
    Step {
        /// What was being done.
        step: String,
        /// The chain's error, with its causes.
        message: String,
    },
}

/// The result of a genesis step.
pub type DeployResult<T> = Result<T, DeployError>;

pub(crate) fn step<T>(name: impl Into<String>, r: anyhow::Result<T>) -> DeployResult<T> {
    r.map_err(|e| DeployError::Step {
        step: name.into(),
        message: format!("{e:#}"),
    })
}

fn genesis_block() -> BlockInfo {
    BlockInfo {
        height: 1,
        time: Timestamp::from_seconds(GENESIS_TIME),
        chain_id: CHAIN_ID.to_string(),
    }
}

pub(crate) fn native(amount: u128) -> Vec<Coin> {
    if amount > 0 {
        vec![coin(amount, DENOM)]
    } else {
        vec![]
    }
}

/// Builds the chain and deploys, wires and seeds the protocol as `options` say.
pub fn deploy(options: &DeployOptions) -> DeployResult<Deployment> {
    options.validate()?;
    let staking = StakingInfo {
        bonded_denom: DENOM.to_string(),
        unbonding_time: options.unbonding_time + options.chain_payout_delay,
        apr: options.apr,
    };
    let chain_validators: Vec<(String, Decimal)> = options
        .validators
        .iter()
        .map(|v| (v.name.clone(), v.commission))
        .chain(options.spare_validators.iter().cloned())
        .collect();
    let mut setup: anyhow::Result<()> = Ok(());
    let mut app = App::new(|router, api, storage| {
        setup = (|| {
            router
                .staking
                .setup(storage, staking)
                .context("staking module")?;
            for (name, commission) in &chain_validators {
                router
                    .staking
                    .add_validator(
                        api,
                        storage,
                        &genesis_block(),
                        ChainValidator::create(
                            name.clone(),
                            *commission,
                            Decimal::one(),
                            Decimal::one(),
                        ),
                    )
                    .with_context(|| format!("validator {name}"))?;
            }
            Ok(())
        })();
    });
    step("chain setup", setup)?;
    app.set_block(genesis_block());
    let owner = app.api().addr_make("owner");
    let fee_addr = app.api().addr_make("treasury");
    let hub_code = app.store_code(Code::Hub.contract(options.engine)?);
    let cw20_code = app.store_code(Code::Token.contract(options.engine)?);
    let hub = step(
        "instantiate the hub",
        app.instantiate_contract(
            hub_code,
            owner.clone(),
            &HubInit {
                owner: owner.to_string(),
                denom: DENOM.to_string(),
                lst: LstTokenInfo {
                    code_id: cw20_code,
                    name: "Tributary Staked Token".to_string(),
                    symbol: "tSTAKE".to_string(),
                    decimals: 6,
                },
                validators: options
                    .validators
                    .iter()
                    .map(|v| ValidatorWeight {
                        address: v.name.clone(),
                        weight: v.weight,
                    })
                    .collect(),
                epoch_period: options.epoch_period,
                unbonding_period: options.unbonding_time,
                batch_interval: options.batch_interval,
                fee_bps: options.fee_bps,
                fee_addr: fee_addr.to_string(),
                fee_change_delay: options.fee_change_delay,
                min_bond: options.min_bond,
                deposit_cap: options.deposit_cap,
                max_rebalance_per_epoch: options.max_rebalance_per_epoch,
                guardian: None,
                rails: options.hub_rails,
            },
            &[],
            "tributary-hub",
            Some(owner.to_string()),
        ),
    )?;
    let config: ConfigResponse = step(
        "query the hub's config",
        app.wrap()
            .query_wasm_smart(&hub, &HubQuery::Config {})
            .map_err(Into::into),
    )?;
    let lst = Addr::unchecked(config.lst_token);
    let mut d = Deployment {
        app,
        hub,
        lst,
        owner,
        fee_addr,
        hub_code,
        cw20_code,
        engine: options.engine,
        restaking: None,
        market: None,
    };
    if options.with_restaking {
        d.restaking = Some(d.deploy_restaking(options.vault_rails)?);
    }
    if options.market_liquidity > 0 {
        d.market = Some(d.deploy_market()?);
        d.seed_market(options.market_liquidity)?;
    }
    for (user, amount) in &options.funded {
        d.fund(user, *amount)?;
    }
    d.seed_restaking(options)?;
    Ok(d)
}

#[cfg(test)]
mod tests;
