//! The market half of the suite: an LST/native StableSwap pool priced at the hub's rate, seeded
//! with liquidity and set as the hub's instant-unstake route, and the actions around it.

use anyhow::Result as AnyResult;
use cosmwasm_std::{coin, to_json_binary, Addr, Uint128};
use cw_multi_test::{AppResponse, Executor};
use tributary_types::stableswap::{
    ExecuteMsg as PoolMsg, PegResponse, PoolResponse, QueryMsg as PoolQuery,
    ReceiveMsg as PoolReceive, SimulateSwapResponse,
};

use crate::suite::{Suite, DENOM};

pub use tributary_deploy::Market;

impl<R> Suite<R, Market> {
    /// The market contracts' addresses.
    pub fn market(&self) -> Market {
        self.market.clone()
    }

    /// Executes a pool message as `user` with optional native funds.
    pub fn pool_exec(&mut self, user: &str, msg: &PoolMsg, native: u128) -> AnyResult<AppResponse> {
        let (sender, pool) = (self.addr(user), self.market().pool);
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
        let (sender, token, pool) = (self.addr(user), self.lst.clone(), self.market().pool);
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
        let (sender, pool) = (self.addr(user), self.market().pool);
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
            .query_wasm_smart(self.market().pool, &PoolQuery::Peg {})
            .unwrap()
    }

    pub fn pool_info(&self) -> PoolResponse {
        self.app
            .wrap()
            .query_wasm_smart(self.market().pool, &PoolQuery::Pool {})
            .unwrap()
    }

    pub fn simulate_swap(&self, offer: u8, amount: u128) -> SimulateSwapResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                self.market().pool,
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
                self.market().lp,
                &cw20::Cw20QueryMsg::Balance {
                    address: self.addr(user).to_string(),
                },
            )
            .unwrap();
        res.balance.u128()
    }
}

impl Suite<tributary_deploy::Restaking, Market> {
    /// Deploys the liquidity-provision strategy for the vault on the LST/native pool.
    pub fn deploy_lp_strategy(&mut self) -> Addr {
        let (vault, pool) = (self.restaking().vault, self.market().pool);
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
        let code = self.app.store_code(
            tributary_deploy::Code::LpStrategy
                .contract(self.engine)
                .unwrap(),
        );
        let owner = self.owner.clone();
        self.app
            .instantiate_contract(code, owner, &msg, &[], "lp-strategy", None)
            .unwrap()
    }
}
