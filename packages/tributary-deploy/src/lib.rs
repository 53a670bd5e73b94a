//! The genesis of a Tributary chain as a library: a cw-multi-test [`App`] with the staking and
//! distribution modules and its validators, the contracts uploaded, instantiated, wired and
//! seeded, configured by a plain [`DeployOptions`] and returned as a [`Deployment`]. Every
//! failure is returned as a [`DeployError`]; nothing here panics.
//!
//! Used by the devnet (its genesis) and by the test `Suite` (which wraps it in user actions).

pub mod contracts;
pub mod mock_strategy;

use anyhow::Context;
use cosmwasm_std::{
    coin, Addr, BlockInfo, Coin, Decimal, Timestamp, Uint128, Validator as ChainValidator,
};
use cw_multi_test::{
    App, AppResponse, BankSudo, Executor, IntoBech32, StakingInfo, StakingSudo, SudoMsg,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tributary_types::hub::{
    ConfigResponse, ExecuteMsg as HubMsg, InstantiateMsg as HubInit, LstTokenInfo,
    QueryMsg as HubQuery, ValidatorWeight,
};
use tributary_types::registry::{ExecuteMsg as RegistryMsg, InstantiateMsg as RegistryInit};
use tributary_types::stableswap::{
    AssetInfo, ExecuteMsg as PoolMsg, InstantiateMsg as PoolInit, PoolConfigResponse,
    QueryMsg as PoolQuery, RateSource,
};
use tributary_types::token::TokenInfo;
use tributary_types::vault::{
    ExecuteMsg as VaultMsg, InstantiateMsg as VaultInit, QueryMsg as VaultQuery,
    VaultConfigResponse,
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

fn step<T>(name: impl Into<String>, r: anyhow::Result<T>) -> DeployResult<T> {
    r.map_err(|e| DeployError::Step {
        step: name.into(),
        message: format!("{e:#}"),
    })
}

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
            chain_payout_delay: 0,
            with_restaking: false,
            market_liquidity: 0,
            funded: vec![],
            operators: vec![],
            services: vec![],
            allocations: vec![],
            operator_targets: vec![],
        }
    }
}

/// One token (six decimals).
pub const TOKEN: u128 = 1_000_000;

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

/// Addresses of the restaking contracts.
#[derive(Clone, Debug)]
pub struct Restaking {
    pub registry: Addr,
    pub vault: Addr,
    pub lrt: Addr,
    pub strategy: Addr,
    pub registry_code: u64,
    pub vault_code: u64,
}

/// Addresses of the market contracts.
#[derive(Clone, Debug)]
pub struct Market {
    pub pool: Addr,
    pub lp: Addr,
    pub pool_code: u64,
}

/// The deployed protocol on its chain.
pub struct Deployment {
    pub app: App,
    pub hub: Addr,
    pub lst: Addr,
    pub owner: Addr,
    pub fee_addr: Addr,
    pub hub_code: u64,
    pub cw20_code: u64,
    /// The restaking contracts, when deployed `with_restaking`.
    pub restaking: Option<Restaking>,
    /// The market contracts, when deployed with market liquidity.
    pub market: Option<Market>,
}

fn genesis_block() -> BlockInfo {
    BlockInfo {
        height: 1,
        time: Timestamp::from_seconds(GENESIS_TIME),
        chain_id: CHAIN_ID.to_string(),
    }
}

fn native(amount: u128) -> Vec<Coin> {
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
    let hub_code = app.store_code(contracts::hub());
    let cw20_code = app.store_code(contracts::cw20());
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
        restaking: None,
        market: None,
    };
    if options.with_restaking {
        d.restaking = Some(d.deploy_restaking()?);
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

impl Deployment {
    /// The address of a named account ("owner" is the protocol's owner).
    pub fn addr(&self, name: &str) -> Addr {
        if name == "owner" {
            return self.owner.clone();
        }
        name.into_bech32()
    }

    /// The current block.
    pub fn block(&self) -> BlockInfo {
        self.app.block_info()
    }

    /// Moves the clock forward (5-second blocks); matured unbondings pay out.
    pub fn advance_time(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += seconds / BLOCK_SECONDS;
        });
    }

    /// Mints native tokens to a named account.
    pub fn fund(&mut self, name: &str, amount: u128) -> DeployResult<()> {
        let to = self.addr(name);
        self.mint(&to, amount)
    }

    /// Mints native tokens to an address.
    pub fn mint(&mut self, to: &Addr, amount: u128) -> DeployResult<()> {
        step(
            format!("mint to {to}"),
            self.app
                .sudo(SudoMsg::Bank(BankSudo::Mint {
                    to_address: to.to_string(),
                    amount: vec![coin(amount, DENOM)],
                }))
                .map(|_| ()),
        )
    }

    /// Slashes a validator on the chain (the staking module's slash).
    pub fn slash_validator(&mut self, validator: &str, fraction: Decimal) -> anyhow::Result<()> {
        self.app
            .sudo(SudoMsg::Staking(StakingSudo::Slash {
                validator: validator.to_string(),
                percentage: fraction,
            }))
            .map(|_| ())
    }

    /// Executes a contract message as a named account.
    pub fn execute<M: Serialize + std::fmt::Debug>(
        &mut self,
        sender: &str,
        contract: &Addr,
        msg: &M,
        funds: &[Coin],
    ) -> anyhow::Result<AppResponse> {
        let sender = self.addr(sender);
        self.app
            .execute_contract(sender, contract.clone(), msg, funds)
    }

    /// Queries a contract.
    pub fn query<Q: Serialize, R: DeserializeOwned>(
        &self,
        contract: &Addr,
        msg: &Q,
    ) -> anyhow::Result<R> {
        Ok(self.app.wrap().query_wasm_smart(contract, msg)?)
    }

    /// The native balance of an address.
    pub fn native_balance(&self, addr: &Addr) -> anyhow::Result<u128> {
        Ok(self.app.wrap().query_balance(addr, DENOM)?.amount.u128())
    }

    /// The balance of a cw20 token of an address.
    pub fn cw20_balance(&self, token: &Addr, addr: &Addr) -> anyhow::Result<u128> {
        let res: cw20::BalanceResponse = self.query(
            token,
            &cw20::Cw20QueryMsg::Balance {
                address: addr.to_string(),
            },
        )?;
        Ok(res.balance.u128())
    }

    /// Contract addresses by name: "hub", "lst", and with restaking "registry", "vault",
    /// "lrt", with a market "pool", "lp".
    pub fn contracts(&self) -> Vec<(&'static str, Addr)> {
        let mut out = vec![("hub", self.hub.clone()), ("lst", self.lst.clone())];
        if let Some(rs) = &self.restaking {
            out.push(("registry", rs.registry.clone()));
            out.push(("vault", rs.vault.clone()));
            out.push(("lrt", rs.lrt.clone()));
        }
        if let Some(m) = &self.market {
            out.push(("pool", m.pool.clone()));
            out.push(("lp", m.lp.clone()));
        }
        out
    }

    fn deploy_restaking(&mut self) -> DeployResult<Restaking> {
        let owner = self.owner.clone();
        let registry_code = self.app.store_code(contracts::registry());
        let vault_code = self.app.store_code(contracts::vault());
        let strategy_code = self.app.store_code(contracts::mock_strategy());
        let registry = step(
            "instantiate the registry",
            self.app.instantiate_contract(
                registry_code,
                owner.clone(),
                &RegistryInit {
                    owner: owner.to_string(),
                    lst_token: self.lst.to_string(),
                    reward_denom: DENOM.to_string(),
                    epoch_period: DAY,
                    withdrawal_delay: 7 * DAY,
                    opt_out_delay: 7 * DAY,
                    max_commission_bps: 5_000,
                    commission_change_delay: 3 * DAY,
                    reward_period: REWARD_PERIOD,
                },
                &[],
                "tributary-registry",
                Some(owner.to_string()),
            ),
        )?;
        let vault = step(
            "instantiate the vault",
            self.app.instantiate_contract(
                vault_code,
                owner.clone(),
                &VaultInit {
                    owner: owner.to_string(),
                    hub: self.hub.to_string(),
                    registry: registry.to_string(),
                    lrt: TokenInfo {
                        code_id: self.cw20_code,
                        name: "Tributary Restaked Token".to_string(),
                        symbol: "rSTAKE".to_string(),
                        decimals: 6,
                    },
                    fee_bps: 1_000,
                    fee_addr: self.fee_addr.to_string(),
                    fee_change_delay: 7 * DAY,
                    withdrawal_delay: 8 * DAY,
                    deposit_cap: None,
                    max_operator_bps: 10_000,
                    max_service_exposure_bps: 10_000,
                },
                &[],
                "tributary-vault",
                Some(owner.to_string()),
            ),
        )?;
        let config: VaultConfigResponse = step(
            "query the vault's config",
            self.query(&vault, &VaultQuery::Config {}),
        )?;
        let strategy = step(
            "instantiate the strategy",
            self.app.instantiate_contract(
                strategy_code,
                owner,
                &mock_strategy::InstantiateMsg {
                    lst: self.lst.to_string(),
                },
                &[],
                "mock-strategy",
                None,
            ),
        )?;
        Ok(Restaking {
            registry,
            vault,
            lrt: Addr::unchecked(config.lrt_token),
            strategy,
            registry_code,
            vault_code,
        })
    }

    fn deploy_market(&mut self) -> DeployResult<Market> {
        let owner = self.owner.clone();
        let pool_code = self.app.store_code(contracts::stableswap());
        let pool = step(
            "instantiate the pool",
            self.app.instantiate_contract(
                pool_code,
                owner.clone(),
                &PoolInit {
                    owner: owner.to_string(),
                    assets: [
                        AssetInfo::Cw20 {
                            contract: self.lst.to_string(),
                        },
                        AssetInfo::Native {
                            denom: DENOM.to_string(),
                        },
                    ],
                    decimals: [6, 6],
                    rate_source: RateSource::Hub {
                        contract: self.hub.to_string(),
                    },
                    amp: 50,
                    fee: 4_000_000,
                    admin_fee: 5_000_000_000,
                    fee_recipient: self.fee_addr.to_string(),
                    ema_time: 600,
                    lp: TokenInfo {
                        code_id: self.cw20_code,
                        name: "Tributary LST-native LP".to_string(),
                        symbol: "tLP".to_string(),
                        decimals: 18,
                    },
                },
                &[],
                "tributary-pool",
                Some(owner.to_string()),
            ),
        )?;
        let config: PoolConfigResponse = step(
            "query the pool's config",
            self.query(&pool, &PoolQuery::Config {}),
        )?;
        Ok(Market {
            pool,
            lp: Addr::unchecked(config.lp_token),
            pool_code,
        })
    }

    /// The seeder bonds `each` and provides `each` LST and `each` native; the pool becomes the
    /// hub's instant-unstake route.
    fn seed_market(&mut self, each: u128) -> DeployResult<()> {
        let Some(pool) = self.market.as_ref().map(|m| m.pool.clone()) else {
            return Ok(());
        };
        let (hub, lst) = (self.hub.clone(), self.lst.clone());
        self.fund(LP_SEEDER, 2 * each)?;
        step(
            "seed the market: bond",
            self.execute(
                LP_SEEDER,
                &hub,
                &HubMsg::Bond { min_out: None },
                &native(each),
            ),
        )?;
        step(
            "seed the market: approve",
            self.execute(
                LP_SEEDER,
                &lst,
                &cw20::Cw20ExecuteMsg::IncreaseAllowance {
                    spender: pool.to_string(),
                    amount: Uint128::new(each),
                    expires: None,
                },
                &[],
            ),
        )?;
        step(
            "seed the market: provide liquidity",
            self.execute(
                LP_SEEDER,
                &pool,
                &PoolMsg::ProvideLiquidity {
                    amounts: [Uint128::new(each), Uint128::new(each)],
                    min_lp: None,
                },
                &native(each),
            ),
        )?;
        step(
            "set the instant-unstake pool",
            self.execute(
                "owner",
                &hub,
                &HubMsg::SetInstantUnstakePool {
                    pool: Some(pool.to_string()),
                },
                &[],
            ),
        )?;
        Ok(())
    }

    /// Registers the operators and services, allocates and sets the vault's targets.
    fn seed_restaking(&mut self, options: &DeployOptions) -> DeployResult<()> {
        let Some(rs) = self.restaking.clone() else {
            return Ok(());
        };
        for o in &options.operators {
            step(
                format!("register operator {}", o.name),
                self.execute(
                    &o.name,
                    &rs.registry,
                    &RegistryMsg::RegisterOperator {
                        name: o.name.clone(),
                        commission_bps: o.commission_bps,
                    },
                    &[],
                ),
            )?;
        }
        for s in &options.services {
            let msg = RegistryMsg::RegisterService {
                name: s.admin.clone(),
                reward_rate_bps: s.reward_rate_bps,
                max_slash_bps_per_epoch: s.max_slash_bps_per_epoch,
                veto_window: s.veto_window,
                resolver: self.addr(&format!("{}-resolver", s.admin)).to_string(),
                slash_destination: self.addr(&format!("{}-treasury", s.admin)).to_string(),
            };
            step(
                format!("register service {}", s.admin),
                self.execute(&s.admin, &rs.registry, &msg, &[]),
            )?;
        }
        for a in &options.allocations {
            let admin = options
                .services
                .get((a.service as usize).saturating_sub(1))
                .map(|s| s.admin.clone())
                .ok_or_else(|| DeployError::InvalidOptions(format!("no service {}", a.service)))?;
            let (service, operator) = (a.service, self.addr(&a.operator).to_string());
            let what = format!("{} serves service {service}", a.operator);
            step(
                what.clone(),
                self.execute(
                    &admin,
                    &rs.registry,
                    &RegistryMsg::ApproveOperator { service, operator },
                    &[],
                ),
            )?;
            step(
                what.clone(),
                self.execute(
                    &a.operator,
                    &rs.registry,
                    &RegistryMsg::OptIn { service },
                    &[],
                ),
            )?;
            step(
                what,
                self.execute(
                    &a.operator,
                    &rs.registry,
                    &RegistryMsg::SetAllocation {
                        service,
                        bps: a.bps,
                    },
                    &[],
                ),
            )?;
        }
        if !options.operator_targets.is_empty() {
            let targets = options
                .operator_targets
                .iter()
                .map(|(n, w)| (self.addr(n).to_string(), *w))
                .collect();
            step(
                "set the vault's operator targets",
                self.execute(
                    "owner",
                    &rs.vault,
                    &VaultMsg::SetOperatorTargets { targets },
                    &[],
                ),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
