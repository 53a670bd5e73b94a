//! What to deploy: [`DeployOptions`] and the parts it is made of.

use cosmwasm_std::{Decimal, Uint128};

use crate::{DeployError, DeployResult, DAY, TOKEN};

/// A validator in the hub's set.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidatorOptions {
    /// Operator address (a plain name on this chain).
    pub name: String,
    /// The hub's target weight.
    pub weight: u64,
    pub commission: Decimal,
}

/// A restaking operator registered at genesis (it registers itself).
#[derive(Clone, Debug, PartialEq)]
pub struct OperatorOptions {
    pub name: String,
    pub commission_bps: u16,
}

/// A restaking service registered at genesis by `admin`; its resolver is "{admin}-resolver" and
/// slashed LST goes to "{admin}-treasury". Ids count from 1 in registration order.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceOptions {
    pub admin: String,
    pub reward_rate_bps: u16,
    pub max_slash_bps_per_epoch: u16,
    pub veto_window: u64,
}

/// An operator serving a service at genesis: approved by the service's admin, opted in,
/// allocating `bps` of its stake.
#[derive(Clone, Debug, PartialEq)]
pub struct AllocationOptions {
    pub operator: String,
    pub service: u64,
    pub bps: u16,
}

/// What to deploy. [`Default`] is the test suite's chain: three validators with equal weight and
/// no commission (plus "spare1", 5 % commission, on the chain but not in the hub's set), 36.5 %
/// APR, 21-day unbonding, 1-day epochs, batches every 3 days, 10 % fee with a 7-day change
/// delay, minimum bond 1,000, no restaking, no market, nobody funded. [`DeployOptions::devnet`]
/// is the devnet's genesis.
#[derive(Clone, Debug, PartialEq)]
pub struct DeployOptions {
    /// The hub's validator set (at least one, total weight above zero).
    pub validators: Vec<ValidatorOptions>,
    /// Validators on the chain but not in the hub's set: (name, commission).
    pub spare_validators: Vec<(String, Decimal)>,
    pub apr: Decimal,
    pub unbonding_time: u64,
    pub epoch_period: u64,
    pub batch_interval: u64,
    pub fee_bps: u16,
    pub fee_change_delay: u64,
    pub min_bond: Uint128,
    pub deposit_cap: Option<Uint128>,
    pub max_rebalance_per_epoch: Uint128,
    /// The hub's rails (APR ceiling, drop threshold, depeg pause, bunker length); `None` for
    /// the hub's defaults.
    pub hub_rails: Option<tributary_types::hub::Rails>,
    /// The vault's rails (APR ceiling, drop threshold); `None` for the vault's defaults.
    pub vault_rails: Option<tributary_types::vault::VaultRails>,
    /// Seconds the chain pays an unbonding after the hub's `claimable_at` (models a real
    /// chain's first block past the completion time).
    pub chain_payout_delay: u64,
    /// Deploy the restaking registry (1-day slashing epochs, 7-day withdrawal and opt-out
    /// delays, commission at most 50 % changed after 3 days), the vault (10 % fee, 8-day
    /// withdrawal delay, no caps) and the holding strategy.
    pub with_restaking: bool,
    /// Deploy an LST/native StableSwap pool (A = 50, 4 bps, half to the admin) priced at the
    /// hub's rate, seeded by [`LP_SEEDER`] with this much LST and native each, and set as the
    /// hub's instant-unstake route (0: no market).
    pub market_liquidity: u128,
    /// What runs the contracts (native Rust or the wasm artifacts in the VM).
    pub engine: crate::Engine,
    /// (account name, native amount) minted at genesis, after the market is seeded.
    pub funded: Vec<(String, u128)>,
    /// Restaking operators to register (needs `with_restaking`).
    pub operators: Vec<OperatorOptions>,
    /// Restaking services to register (needs `with_restaking`).
    pub services: Vec<ServiceOptions>,
    /// Operators serving services (needs `with_restaking`).
    pub allocations: Vec<AllocationOptions>,
    /// The vault's operator targets: (operator name, weight) (needs `with_restaking`).
    pub operator_targets: Vec<(String, u64)>,
}

impl Default for DeployOptions {
    fn default() -> Self {
        DeployOptions {
            validators: (1..=3)
                .map(|i| ValidatorOptions {
                    name: format!("validator{i}"),
                    weight: 1,
                    commission: Decimal::zero(),
                })
                .collect(),
            spare_validators: vec![("spare1".to_string(), Decimal::percent(5))],
            apr: Decimal::permille(365),
            unbonding_time: 21 * DAY,
            epoch_period: DAY,
            batch_interval: 3 * DAY,
            fee_bps: 1_000,
            fee_change_delay: 7 * DAY,
            min_bond: Uint128::new(1_000),
            deposit_cap: None,
            max_rebalance_per_epoch: Uint128::new(1_000_000_000_000),
            hub_rails: None,
            vault_rails: None,
            chain_payout_delay: 0,
            with_restaking: false,
            market_liquidity: 0,
            engine: crate::Engine::Native,
            funded: vec![],
            operators: vec![],
            services: vec![],
            allocations: vec![],
            operator_targets: vec![],
        }
    }
}

impl DeployOptions {
    /// The devnet's genesis: three validators (5 %, 5 %, 10 % commission), 10 % APR, the hub,
    /// the registry with two operators and two services, the vault targeting both operators,
    /// an LST/native pool with 100,000 of each, and `funded` demo accounts with 100,000 each.
    pub fn devnet(funded: &[&str]) -> Self {
        let validator = |name: &str, commission| ValidatorOptions {
            name: name.to_string(),
            weight: 1,
            commission,
        };
        let operator = |name: &str, commission_bps| OperatorOptions {
            name: name.to_string(),
            commission_bps,
        };
        let service = |admin: &str, max_slash_bps_per_epoch| ServiceOptions {
            admin: admin.to_string(),
            reward_rate_bps: 500,
            max_slash_bps_per_epoch,
            veto_window: 2 * DAY,
        };
        let allocation = |operator: &str, service, bps| AllocationOptions {
            operator: operator.to_string(),
            service,
            bps,
        };
        DeployOptions {
            validators: vec![
                validator("validator1", Decimal::percent(5)),
                validator("validator2", Decimal::percent(5)),
                validator("validator3", Decimal::percent(10)),
            ],
            apr: Decimal::percent(10),
            with_restaking: true,
            market_liquidity: 100_000 * TOKEN,
            funded: funded
                .iter()
                .map(|name| (name.to_string(), 100_000 * TOKEN))
                .collect(),
            operators: vec![operator("operator-a", 1_000), operator("operator-b", 500)],
            services: vec![service("oracle-network", 1_000), service("bridge", 2_000)],
            allocations: vec![
                allocation("operator-a", 1, 5_000),
                allocation("operator-a", 2, 3_000),
                allocation("operator-b", 1, 10_000),
            ],
            operator_targets: vec![("operator-a".to_string(), 1), ("operator-b".to_string(), 1)],
            ..DeployOptions::default()
        }
    }

    /// Checks the options before anything is built.
    pub fn validate(&self) -> DeployResult<()> {
        let invalid = |m: &str| Err(DeployError::InvalidOptions(m.to_string()));
        if self.validators.is_empty() {
            return invalid("at least one validator");
        }
        if self.validators.iter().map(|v| v.weight).sum::<u64>() == 0 {
            return invalid("the validators' total weight must be above zero");
        }
        let mut names: Vec<&str> = self
            .validators
            .iter()
            .map(|v| v.name.as_str())
            .chain(self.spare_validators.iter().map(|(n, _)| n.as_str()))
            .collect();
        if names.iter().any(|n| n.is_empty()) {
            return invalid("a validator needs a name");
        }
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return invalid("validator names must be unique");
        }
        if self.epoch_period == 0 {
            return invalid("the epoch period must be above zero");
        }
        if self.batch_interval == 0 {
            return invalid("the batch interval must be above zero");
        }
        if self.fee_bps > 10_000 {
            return invalid("the fee is at most 10,000 bps");
        }
        let restaking_seeded = !self.operators.is_empty()
            || !self.services.is_empty()
            || !self.allocations.is_empty()
            || !self.operator_targets.is_empty();
        if restaking_seeded && !self.with_restaking {
            return invalid("operators, services, allocations and targets need with_restaking");
        }
        let services = self.services.len() as u64;
        if let Some(a) = self
            .allocations
            .iter()
            .find(|a| a.service == 0 || a.service > services)
        {
            return Err(DeployError::InvalidOptions(format!(
                "allocation to service {} but {services} services are registered",
                a.service
            )));
        }
        Ok(())
    }
}
