//! The market half of the suite: an LST/native StableSwap pool priced at the hub's rate, seeded
//! with liquidity and set as the hub's instant-unstake route, and the actions around it.

use anyhow::Result as AnyResult;
use cosmwasm_std::{coin, to_json_binary, Addr, Empty, Uint128};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use tributary_types::stableswap::{
    AssetInfo, ExecuteMsg as PoolMsg, InstantiateMsg as PoolInit, PegResponse, PoolConfigResponse,
    PoolResponse, QueryMsg as PoolQuery, RateSource, ReceiveMsg as PoolReceive,
    SimulateSwapResponse,
};
use tributary_types::token::TokenInfo;

use crate::suite::{Suite, DENOM};

fn pool_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            tributary_stableswap::contract::execute,
            tributary_stableswap::contract::instantiate,
            tributary_stableswap::contract::query,
        )
        .with_migrate(tributary_stableswap::contract::migrate),
    )
}

/// Addresses of the market contracts.
#[derive(Clone, Debug)]
pub struct Market {
    pub pool: Addr,
    pub lp: Addr,
    pub pool_code: u64,
}

/// A = 50, 4 bps fee, half to the admin, 10-minute moving average.
pub(crate) fn deploy(
    app: &mut App,
    owner: &Addr,
    fee_addr: &Addr,
    hub: &Addr,
    lst: &Addr,
    cw20_code: u64,
) -> Market {
    let pool_code = app.store_code(pool_contract());
    let pool = app
        .instantiate_contract(
            pool_code,
            owner.clone(),
            &PoolInit {
                owner: owner.to_string(),
                assets: [
                    AssetInfo::Cw20 {
                        contract: lst.to_string(),
                    },
                    AssetInfo::Native {
                        denom: DENOM.to_string(),
                    },
                ],
                decimals: [6, 6],
                rate_source: RateSource::Hub {
                    contract: hub.to_string(),
                },
                amp: 50,
                fee: 4_000_000,
                admin_fee: 5_000_000_000,
                fee_recipient: fee_addr.to_string(),
                ema_time: 600,
                lp: TokenInfo {
                    code_id: cw20_code,
                    name: "Tributary LST-native LP".to_string(),
                    symbol: "tLP".to_string(),
                    decimals: 18,
                },
            },
            &[],
            "tributary-pool",
            Some(owner.to_string()),
        )
        .unwrap();
    let config: PoolConfigResponse = app
        .wrap()
        .query_wasm_smart(&pool, &PoolQuery::Config {})
        .unwrap();
    Market {
        pool,
        lp: Addr::unchecked(config.lp_token),
        pool_code,
    }
}

impl Suite {
    /// The market contracts (the suite must be built `with_market`).
    pub fn mk(&self) -> Market {
        self.market.clone().expect("build the suite with_market()")
    }

    /// Executes a pool message as `user` with optional native funds.
    pub fn pool_exec(&mut self, user: &str, msg: &PoolMsg, native: u128) -> AnyResult<AppResponse> {
        let (sender, pool) = (self.addr(user), self.mk().pool);
        let funds = if native > 0 {
            vec![coin(native, DENOM)]
        } else {
            vec![]
        };
        self.app.execute_contract(sender, pool, msg, &funds)
    }

    /// `user` deposits `lst` LST and `native` native (approving the LST first).
    pub fn provide_liquidity(
        &mut self,
        user: &str,
        lst: u128,
        native: u128,
    ) -> AnyResult<AppResponse> {
        let (sender, token, pool) = (self.addr(user), self.lst.clone(), self.mk().pool);
        if lst > 0 {
            self.app.execute_contract(
                sender,
                token,
                &cw20::Cw20ExecuteMsg::IncreaseAllowance {
                    spender: pool.to_string(),
                    amount: Uint128::new(lst),
                    expires: None,
                },
                &[],
            )?;
        }
        self.pool_exec(
            user,
            &PoolMsg::ProvideLiquidity {
                amounts: [Uint128::new(lst), Uint128::new(native)],
                min_lp: None,
            },
            native,
        )
    }

    /// Sends `amount` of `token` (a cw20) to the pool with a hook.
    pub fn pool_send(
        &mut self,
        user: &str,
        token: &Addr,
        amount: u128,
        hook: &PoolReceive,
    ) -> AnyResult<AppResponse> {
        let (sender, pool) = (self.addr(user), self.mk().pool);
        self.app.execute_contract(
            sender,
            token.clone(),
            &cw20::Cw20ExecuteMsg::Send {
                contract: pool.to_string(),
                amount: Uint128::new(amount),
                msg: to_json_binary(hook).unwrap(),
            },
            &[],
        )
    }

    /// Sells `lst` LST in the pool for native.
    pub fn sell_lst(
        &mut self,
        user: &str,
        lst: u128,
        min_out: Option<u128>,
    ) -> AnyResult<AppResponse> {
        let token = self.lst.clone();
        self.pool_send(
            user,
            &token,
            lst,
            &PoolReceive::Swap {
                min_out: min_out.map(Uint128::new),
                to: None,
            },
        )
    }

    /// Buys LST in the pool with `native`.
    pub fn buy_lst(&mut self, user: &str, native: u128) -> AnyResult<AppResponse> {
        self.pool_exec(
            user,
            &PoolMsg::Swap {
                min_out: None,
                to: None,
            },
            native,
        )
    }

    /// Unstakes `lst` instantly through the hub (sold in the pool).
    pub fn instant_unstake(
        &mut self,
        user: &str,
        lst: u128,
        min_out: Option<u128>,
    ) -> AnyResult<AppResponse> {
        let (sender, token, hub) = (self.addr(user), self.lst.clone(), self.hub.clone());
        self.app.execute_contract(
            sender,
            token,
            &cw20::Cw20ExecuteMsg::Send {
                contract: hub.to_string(),
                amount: Uint128::new(lst),
                msg: to_json_binary(&tributary_types::hub::ReceiveMsg::InstantUnstake {
                    min_out: min_out.map(Uint128::new),
                })
                .unwrap(),
            },
            &[],
        )
    }

    pub fn peg(&self) -> PegResponse {
        self.app
            .wrap()
            .query_wasm_smart(self.mk().pool, &PoolQuery::Peg {})
            .unwrap()
    }

    pub fn pool_info(&self) -> PoolResponse {
        self.app
            .wrap()
            .query_wasm_smart(self.mk().pool, &PoolQuery::Pool {})
            .unwrap()
    }

    pub fn simulate_swap(&self, offer: u8, amount: u128) -> SimulateSwapResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                self.mk().pool,
                &PoolQuery::SimulateSwap {
                    offer,
                    amount: Uint128::new(amount),
                },
            )
            .unwrap()
    }

    pub fn lp_balance(&self, user: &str) -> u128 {
        let res: cw20::BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                self.mk().lp,
                &cw20::Cw20QueryMsg::Balance {
                    address: self.addr(user).to_string(),
                },
            )
            .unwrap();
        res.balance.u128()
    }
}

fn lp_strategy_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        tributary_lp_strategy::contract::execute,
        tributary_lp_strategy::contract::instantiate,
        tributary_lp_strategy::contract::query,
    ))
}

impl Suite {
    /// Deploys the liquidity-provision strategy for the vault on the LST/native pool (the suite
    /// must be built `with_restaking` and `with_market`).
    pub fn deploy_lp_strategy(&mut self) -> Addr {
        let (vault, pool) = (self.rs().vault, self.mk().pool);
        self.deploy_lp_strategy_with(tributary_types::strategy::LpStrategyInstantiateMsg {
            vault: vault.to_string(),
            pool: pool.to_string(),
            max_slippage_bps: None,
            max_price_deviation_bps: None,
        })
    }

    /// Deploys the liquidity-provision strategy with the given parameters.
    pub fn deploy_lp_strategy_with(
        &mut self,
        msg: tributary_types::strategy::LpStrategyInstantiateMsg,
    ) -> Addr {
        let code = self.app.store_code(lp_strategy_contract());
        let owner = self.owner.clone();
        self.app
            .instantiate_contract(code, owner, &msg, &[], "lp-strategy", None)
            .unwrap()
    }
}
