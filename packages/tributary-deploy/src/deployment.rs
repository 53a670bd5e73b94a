//! The deployed protocol: [`Deployment`], its contracts, and the steps that deploy and seed
//! restaking and the market.

use cosmwasm_std::{coin, Addr, BlockInfo, Coin, Decimal, Uint128};
use cw_multi_test::{App, AppResponse, BankSudo, Executor, IntoBech32, StakingSudo, SudoMsg};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tributary_types::hub::ExecuteMsg as HubMsg;
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

use crate::{
    native, step, Code, DeployError, DeployOptions, DeployResult, Engine, BLOCK_SECONDS, DAY,
    DENOM, LP_SEEDER, REWARD_PERIOD,
};

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
    /// What runs the contracts.
    pub engine: Engine,
    /// The restaking contracts, when deployed `with_restaking`.
    pub restaking: Option<Restaking>,
    /// The market contracts, when deployed with market liquidity.
    pub market: Option<Market>,
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

    pub(crate) fn deploy_restaking(
        &mut self,
        vault_rails: Option<tributary_types::vault::VaultRails>,
    ) -> DeployResult<Restaking> {
        let owner = self.owner.clone();
        let registry_code = self.app.store_code(Code::Registry.contract(self.engine)?);
        let vault_code = self.app.store_code(Code::Vault.contract(self.engine)?);
        let strategy_code = self
            .app
            .store_code(Code::HoldStrategy.contract(self.engine)?);
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
                    guardian: None,
                    rails: vault_rails,
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
                &tributary_hold_strategy::InstantiateMsg {
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

    pub(crate) fn deploy_market(&mut self) -> DeployResult<Market> {
        let owner = self.owner.clone();
        let pool_code = self.app.store_code(Code::Stableswap.contract(self.engine)?);
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
    pub(crate) fn seed_market(&mut self, each: u128) -> DeployResult<()> {
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
    pub(crate) fn seed_restaking(&mut self, options: &DeployOptions) -> DeployResult<()> {
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
                .map(|(name, weight)| tributary_types::vault::OperatorTarget {
                    operator: self.addr(name).to_string(),
                    weight: *weight,
                })
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
