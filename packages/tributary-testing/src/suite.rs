use anyhow::Result as AnyResult;
use cosmwasm_std::{coin, to_json_binary, Addr, Decimal, Uint128};
use cw_multi_test::{App, AppResponse, BankSudo, Executor, IntoBech32, StakingSudo, SudoMsg};
use tributary_deploy::{DeployOptions, ValidatorOptions};
use tributary_types::hub::{
    BatchResponse, ConfigResponse, ExecuteMsg, QueryMsg, ReceiveMsg, StateResponse,
    UnbondRequestsResponse, ValidatorResponse,
};

pub use tributary_deploy::{DAY, DENOM, YEAR};

/// The suite was built without the restaking contracts: it has no restaking actions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoRestaking;

/// The suite was built without a market: it has no market actions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoMarket;

/// What a suite's restaking slot holds once deployed: [`NoRestaking`] or
/// [`tributary_deploy::Restaking`].
pub trait RestakingSetup: Clone {
    /// Whether the genesis deploys the restaking contracts.
    const DEPLOYED: bool;
    /// The slot from what the genesis deployed.
    fn from_deployment(deployed: Option<tributary_deploy::Restaking>) -> Self;
}

impl RestakingSetup for NoRestaking {
    const DEPLOYED: bool = false;
    fn from_deployment(_: Option<tributary_deploy::Restaking>) -> Self {
        NoRestaking
    }
}

impl RestakingSetup for tributary_deploy::Restaking {
    const DEPLOYED: bool = true;
    fn from_deployment(deployed: Option<tributary_deploy::Restaking>) -> Self {
        deployed.expect("the genesis deploys restaking when the builder asks for it")
    }
}

/// What a suite's market slot holds once deployed: [`NoMarket`] or [`tributary_deploy::Market`].
pub trait MarketSetup: Clone {
    /// The slot from what the genesis deployed.
    fn from_deployment(deployed: Option<tributary_deploy::Market>) -> Self;
}

impl MarketSetup for NoMarket {
    fn from_deployment(_: Option<tributary_deploy::Market>) -> Self {
        NoMarket
    }
}

impl MarketSetup for tributary_deploy::Market {
    fn from_deployment(deployed: Option<tributary_deploy::Market>) -> Self {
        deployed.expect("the genesis deploys the market when the builder asks for it")
    }
}

/// A suite with the hub only.
pub type HubSuite = Suite<NoRestaking, NoMarket>;
/// A suite with the hub and the restaking contracts.
pub type RestakingSuite = Suite<tributary_deploy::Restaking, NoMarket>;
/// A suite with the hub and the market.
pub type MarketSuite = Suite<NoRestaking, tributary_deploy::Market>;
/// A suite with everything.
pub type FullSuite = Suite<tributary_deploy::Restaking, tributary_deploy::Market>;

/// Builds a [`Suite`]; `with_restaking` and `with_market` change the suite's type, so a suite
/// can only be asked for what it was built with (a compile error, not a failure at run time).
/// The chain also has a validator `spare1` (5 % commission) that is not in
/// the hub's set. Defaults: three validators with equal weight and no commission, 36.5 %
/// APR (so 1,000,000 staked earns exactly 1,000 a day), 21-day unbonding, 1-day epochs, batches
/// every 3 days, 10 % fee with a 7-day change delay, minimum bond 1,000.
#[derive(Clone, Debug)]
pub struct SuiteBuilder<R = NoRestaking, M = NoMarket> {
    /// What the genesis deploys ([`DeployOptions::default`], the suite's chain);
    /// `with_restaking` and `with_market` set its restaking and market parts with the type.
    pub options: DeployOptions,
    setup: std::marker::PhantomData<(R, M)>,
}

impl Default for SuiteBuilder {
    /// The suite's chain on the engine `TRIBUTARY_ENGINE` names (native if unset; `wasm` runs
    /// the built artifacts in the CosmWasm VM). Panics on an unknown engine name.
    fn default() -> Self {
        let engine = tributary_deploy::Engine::from_env()
            .unwrap_or_else(|e| panic!("TRIBUTARY_ENGINE: {e}"));
        SuiteBuilder {
            options: DeployOptions {
                engine,
                ..DeployOptions::default()
            },
            setup: std::marker::PhantomData,
        }
    }
}

impl SuiteBuilder {
    /// The default hub-only builder.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<R: RestakingSetup, M: MarketSetup> SuiteBuilder<R, M> {
    /// The same builder for another setup.
    fn into_setup<R2, M2>(self) -> SuiteBuilder<R2, M2> {
        SuiteBuilder {
            options: self.options,
            setup: std::marker::PhantomData,
        }
    }

    /// Replaces the validator set: (name, weight, commission).
    pub fn with_validators(mut self, validators: &[(&str, u64, Decimal)]) -> Self {
        self.options.validators = validators
            .iter()
            .map(|(name, weight, commission)| ValidatorOptions {
                name: name.to_string(),
                weight: *weight,
                commission: *commission,
            })
            .collect();
        self
    }

    /// Sets the chain's staking APR.
    pub fn with_apr(mut self, apr: Decimal) -> Self {
        self.options.apr = apr;
        self
    }

    /// Sets the hub's fee.
    pub fn with_fee_bps(mut self, fee_bps: u16) -> Self {
        self.options.fee_bps = fee_bps;
        self
    }

    /// Sets the hub's deposit cap.
    pub fn with_deposit_cap(mut self, cap: u128) -> Self {
        self.options.deposit_cap = Some(Uint128::new(cap));
        self
    }

    /// Sets the most the hub rebalances per epoch.
    pub fn with_max_rebalance(mut self, max: u128) -> Self {
        self.options.max_rebalance_per_epoch = Uint128::new(max);
        self
    }

    /// The hub's rails (APR ceiling, drop threshold, depeg pause, bunker length). Without it,
    /// the hub's defaults: a 20 % APR ceiling, below the suite's 36.5 % APR, so that the
    /// ceiling binds in every test.
    pub fn with_rails(mut self, rails: tributary_types::hub::Rails) -> Self {
        self.options.hub_rails = Some(rails);
        self
    }

    /// The vault's rails (APR ceiling, drop threshold); without it, the vault's defaults.
    pub fn with_vault_rails(mut self, rails: tributary_types::vault::VaultRails) -> Self {
        self.options.vault_rails = Some(rails);
        self
    }

    /// Runs the contracts on `engine` (by default the one `TRIBUTARY_ENGINE` names).
    pub fn with_engine(mut self, engine: tributary_deploy::Engine) -> Self {
        self.options.engine = engine;
        self
    }

    /// Gives `user` `amount` of the native token at genesis.
    pub fn with_funds(mut self, user: &str, amount: u128) -> Self {
        self.options.funded.push((user.to_string(), amount));
        self
    }

    /// Also deploy the restaking registry (1-day slashing epochs, 7-day withdrawal and opt-out
    /// delays, commission at most 50 % changed after 3 days), the vault (10 % fee on restaking
    /// rewards, 8-day withdrawal delay, no caps) and a mock strategy.
    pub fn with_restaking(mut self) -> SuiteBuilder<tributary_deploy::Restaking, M> {
        self.options.with_restaking = true;
        self.into_setup()
    }

    /// Also deploy an LST/native StableSwap pool (A = 50, 4 bps, half to the admin) priced at
    /// the hub's rate, seeded by "lp-seeder" with `each` LST and `each` native, and set as the
    /// hub's instant-unstake route.
    pub fn with_market(mut self, each: u128) -> SuiteBuilder<R, tributary_deploy::Market> {
        self.options.market_liquidity = each;
        self.into_setup()
    }

    /// The chain pays unbondings `seconds` after the hub's `claimable_at` (0 by default). A
    /// real chain pays at the end of the first block past the completion time, while
    /// cw-multi-test pays at the start of it; a few seconds of delay models the real chain's
    /// first block, in which the entry still exists and nothing has been paid.
    pub fn with_chain_payout_delay(mut self, seconds: u64) -> Self {
        self.options.chain_payout_delay = seconds;
        self
    }

    /// The deploy options this builder describes.
    pub fn options(&self) -> DeployOptions {
        self.options.clone()
    }

    /// Deploys the protocol (see `tributary_deploy::deploy`); panics if the genesis fails.
    pub fn build(self) -> Suite<R, M> {
        let d = tributary_deploy::deploy(&self.options())
            .unwrap_or_else(|e| panic!("the suite's genesis failed: {e}"));
        Suite {
            app: d.app,
            hub: d.hub,
            lst: d.lst,
            owner: d.owner,
            fee_addr: d.fee_addr,
            hub_code: d.hub_code,
            engine: d.engine,
            restaking: R::from_deployment(d.restaking),
            market: M::from_deployment(d.market),
        }
    }
}

/// The value of the first attribute named `key` in any event of `res` (e.g. a hub response's
/// `fee` or `slashed_delegations`).
pub fn event_attr(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

/// How far the virtual offset can move the value of 1e9 shares of a pool of `assets` over
/// `shares` without anyone gaining, in the pool's assets, rounded up: `1e9 × |assets/shares − 1|
/// × V / shares`. Both share pools mint and pay at the lower of the real rate and the virtual
/// rate `(assets + V) / (shares + V)`, which differ by about that; a deposit at the virtual rate
/// dilutes the real one by up to it, and a withdrawal moves the virtual one toward par by up to
/// it.
pub fn virtual_offset_effect(assets: Uint128, shares: Uint128) -> u128 {
    if shares.is_zero() {
        return 0;
    }
    let (a, n) = (assets.u128(), shares.u128());
    (1_000_000_000u128 * a.abs_diff(n) / n + 1) * tributary_math::VIRTUAL_OFFSET.u128() / n + 1
}

/// The value of the attribute `key` of the first event of type `ty` in `res` (a contract's
/// event `auto_pause` is `wasm-auto_pause`).
pub fn event_attr_of(res: &AppResponse, ty: &str, key: &str) -> Option<String> {
    res.events
        .iter()
        .filter(|e| e.ty == ty)
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

/// The deployed protocol on a simulated chain. `R` and `M` say whether it has the restaking
/// contracts and the market ([`HubSuite`], [`RestakingSuite`], [`MarketSuite`], [`FullSuite`]).
pub struct Suite<R = NoRestaking, M = NoMarket> {
    pub app: App,
    pub hub: Addr,
    pub lst: Addr,
    pub owner: Addr,
    pub fee_addr: Addr,
    pub hub_code: u64,
    /// What runs the contracts.
    pub engine: tributary_deploy::Engine,
    /// The restaking contracts (built `with_restaking`), or [`NoRestaking`].
    pub restaking: R,
    /// The market contracts (built `with_market`), or [`NoMarket`].
    pub market: M,
}

/// Everything observable about the hub and a user, for "state unchanged" checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub state: StateResponse,
    pub config: ConfigResponse,
    pub validators: Vec<ValidatorResponse>,
    pub batches: Vec<BatchResponse>,
    pub hub_native: Uint128,
    pub user_native: Uint128,
    pub user_lst: Uint128,
    pub user_requests: UnbondRequestsResponse,
}

impl<R, M> Suite<R, M> {
    /// The address of a named user.
    pub fn addr(&self, name: &str) -> Addr {
        if name == "owner" {
            return self.owner.clone();
        }
        name.into_bech32()
    }

    /// Mints native tokens to a user.
    pub fn fund(&mut self, user: &str, amount: u128) {
        let to = self.addr(user);
        self.app
            .sudo(SudoMsg::Bank(BankSudo::Mint {
                to_address: to.to_string(),
                amount: vec![coin(amount, DENOM)],
            }))
            .unwrap();
    }

    // ---- user actions ----

    /// Bonds `amount` native with no slippage bound.
    pub fn bond(&mut self, user: &str, amount: u128) -> AnyResult<AppResponse> {
        self.bond_with_min(user, amount, None)
    }

    /// Bonds `amount` native with a `min_out` bound.
    pub fn bond_with_min(
        &mut self,
        user: &str,
        amount: u128,
        min_out: Option<u128>,
    ) -> AnyResult<AppResponse> {
        let sender = self.addr(user);
        let hub = self.hub.clone();
        self.app.execute_contract(
            sender,
            hub,
            &ExecuteMsg::Bond {
                min_out: min_out.map(Uint128::new),
            },
            &[coin(amount, DENOM)],
        )
    }

    /// Sends `lst` LST to the hub to unbond.
    pub fn unbond(&mut self, user: &str, lst: u128) -> AnyResult<AppResponse> {
        let sender = self.addr(user);
        let (lst_token, hub) = (self.lst.clone(), self.hub.clone());
        self.app.execute_contract(
            sender,
            lst_token,
            &cw20::Cw20ExecuteMsg::Send {
                contract: hub.to_string(),
                amount: Uint128::new(lst),
                msg: to_json_binary(&ReceiveMsg::Unbond { receiver: None }).unwrap(),
            },
            &[],
        )
    }

    /// Claims everything claimable.
    pub fn claim(&mut self, user: &str) -> AnyResult<AppResponse> {
        self.execute(user, &ExecuteMsg::Claim {})
    }

    /// Runs the epoch crank as a keeper.
    pub fn crank(&mut self) -> AnyResult<AppResponse> {
        self.execute("keeper", &ExecuteMsg::Crank {})
    }

    /// Executes a hub message as `user` (use "owner" for the owner).
    pub fn execute(&mut self, user: &str, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
        let sender = self.addr(user);
        let hub = self.hub.clone();
        self.app.execute_contract(sender, hub, msg, &[])
    }

    /// Sends native tokens straight to the hub (a donation).
    pub fn donate(&mut self, user: &str, amount: u128) -> AnyResult<AppResponse> {
        let sender = self.addr(user);
        let hub = self.hub.clone();
        self.app.send_tokens(sender, hub, &[coin(amount, DENOM)])
    }

    /// Moves the chain's clock forward (5-second blocks); matured unbondings pay out.
    pub fn advance_time(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += seconds / 5;
        });
    }

    /// Moves forward `n` epochs of the default length (one day).
    pub fn advance_days(&mut self, n: u64) {
        self.advance_time(n * DAY);
    }

    /// Slashes a validator on the chain (the staking module's slash).
    pub fn slash_validator(&mut self, validator: &str, fraction: Decimal) {
        self.app
            .sudo(SudoMsg::Staking(StakingSudo::Slash {
                validator: validator.to_string(),
                percentage: fraction,
            }))
            .unwrap();
    }

    // ---- queries ----

    pub fn state(&self) -> StateResponse {
        self.query(&QueryMsg::State {})
    }

    pub fn config(&self) -> ConfigResponse {
        self.query(&QueryMsg::Config {})
    }

    pub fn validators(&self) -> Vec<ValidatorResponse> {
        self.query(&QueryMsg::Validators {})
    }

    pub fn batch(&self, id: u64) -> BatchResponse {
        self.query(&QueryMsg::Batch { id })
    }

    pub fn batches(&self) -> Vec<BatchResponse> {
        let mut all: Vec<BatchResponse> = vec![];
        loop {
            let page: Vec<BatchResponse> = self.query(&QueryMsg::Batches {
                start_after: all.last().map(|b| b.id),
                limit: Some(30),
            });
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    }

    pub fn unbond_requests(&self, user: &str) -> UnbondRequestsResponse {
        self.query(&QueryMsg::UnbondRequests {
            user: self.addr(user).to_string(),
        })
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.hub, msg).unwrap()
    }

    pub fn lst_balance(&self, user: &str) -> u128 {
        self.lst_balance_of(&self.addr(user))
    }

    pub fn lst_balance_of(&self, addr: &Addr) -> u128 {
        let res: cw20::BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.lst,
                &cw20::Cw20QueryMsg::Balance {
                    address: addr.to_string(),
                },
            )
            .unwrap();
        res.balance.u128()
    }

    pub fn lst_supply(&self) -> u128 {
        let res: cw20::TokenInfoResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.lst, &cw20::Cw20QueryMsg::TokenInfo {})
            .unwrap();
        res.total_supply.u128()
    }

    pub fn native_balance(&self, user: &str) -> u128 {
        self.native_balance_of(&self.addr(user))
    }

    pub fn native_balance_of(&self, addr: &Addr) -> u128 {
        self.app
            .wrap()
            .query_balance(addr, DENOM)
            .unwrap()
            .amount
            .u128()
    }

    /// The hub's delegation to `validator` as the chain reports it.
    pub fn delegation(&self, validator: &str) -> u128 {
        self.app
            .wrap()
            .query_delegation(&self.hub, validator)
            .unwrap()
            .map(|d| d.amount.amount.u128())
            .unwrap_or(0)
    }

    /// Sum of the hub's delegations as the chain reports them.
    pub fn total_delegated(&self) -> u128 {
        self.app
            .wrap()
            .query_all_delegations(&self.hub)
            .unwrap()
            .iter()
            .map(|d| d.amount.amount.u128())
            .sum()
    }

    /// Native value of `lst` LST at the hub's current pool (what a redemption would pay).
    pub fn lst_value(&self, lst: u128) -> u128 {
        let s = self.state();
        tributary_math::SharePool::new(s.total_native, s.lst_supply + s.pending_unbond_lst)
            .assets_for_redeem(Uint128::new(lst))
            .unwrap()
            .u128()
    }

    /// Everything observable about the hub and `user`.
    pub fn snapshot(&self, user: &str) -> Snapshot {
        Snapshot {
            state: self.state(),
            config: self.config(),
            validators: self.validators(),
            batches: self.batches(),
            hub_native: Uint128::new(self.native_balance_of(&self.hub)),
            user_native: Uint128::new(self.native_balance(user)),
            user_lst: Uint128::new(self.lst_balance(user)),
            user_requests: self.unbond_requests(user),
        }
    }

    /// Asserts that `action` fails with `expected` (a contract's typed error, or text the
    /// error must contain for failures outside the contracts), and that it changes nothing
    /// observable for the hub or `user`.
    pub fn assert_fails_unchanged(
        &mut self,
        user: &str,
        expected: impl Into<crate::Expected>,
        action: impl FnOnce(&mut Self) -> AnyResult<AppResponse>,
    ) {
        let before = self.snapshot(user);
        let err = action(self).expect_err("the action should have failed");
        expected.into().check(&err);
        assert_eq!(before, self.snapshot(user), "a failed action changed state");
    }
}
