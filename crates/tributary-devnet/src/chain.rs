//! The in-process chain: the real contracts on cw-multi-test, seeded at genesis, and the
//! operations that change it.

use cosmwasm_std::{
    to_json_binary, Addr, Api, BlockInfo, Coin, CosmosMsg, Decimal, Uint128, WasmMsg,
};
use cw_multi_test::Executor;
use serde::{Deserialize, Serialize};
use tributary_client::{human_tokens, Balances, Block, ChainEvent, StakingResponse, TxResponse};
use tributary_deploy::{DeployOptions, Deployment, Engine, DENOM};

pub use tributary_deploy::TOKEN;
/// Demo accounts funded at genesis.
pub const DEMO_ACCOUNTS: [&str; 3] = ["alice", "bob", "carol"];
/// The gas limit of one transaction on the wasm engine (SDK gas, wasmd's schedule): what a
/// wallet would typically allow, and the budget the cranks are designed to fit.
pub const TX_GAS_LIMIT: u64 = 10_000_000;
/// The most one `advance` may move the clock (a year).
pub const MAX_ADVANCE: u64 = 365 * 86_400;

/// An operation that changes the chain. Every acknowledged one is in the log, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Execute a contract message as an account.
    Execute {
        /// Account name (e.g. "alice") or address.
        sender: String,
        /// Contract name ("hub", "lst", "registry", "vault", "lrt", "pool", "lp") or address.
        contract: String,
        /// The message, as JSON.
        msg: serde_json::Value,
        /// Native funds attached.
        #[serde(default)]
        funds: Vec<Coin>,
    },
    /// Move the clock forward (blocks of 5 seconds); matured unbondings pay out.
    Advance { seconds: u64 },
    /// Slash a validator on the chain by a fraction.
    SlashValidator {
        validator: String,
        fraction: Decimal,
    },
    /// Faucet: mint native tokens to an account.
    Fund { account: String, amount: Uint128 },
    /// Traditional staking: delegate native directly to a validator.
    Delegate {
        sender: String,
        validator: String,
        amount: Uint128,
    },
    /// Traditional staking: undelegate (paid after the chain's unbonding time).
    Undelegate {
        sender: String,
        validator: String,
        amount: Uint128,
    },
    /// Traditional staking: withdraw accrued rewards from a validator.
    WithdrawRewards { sender: String, validator: String },
}

impl Op {
    /// A short name of the operation, for events.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Execute { .. } => "tx",
            Op::Advance { .. } => "advance",
            Op::SlashValidator { .. } => "slash_validator",
            Op::Fund { .. } => "fund",
            Op::Delegate { .. } => "delegate",
            Op::Undelegate { .. } => "undelegate",
            Op::WithdrawRewards { .. } => "withdraw_rewards",
        }
    }
}

/// Why an operation or query failed.
#[derive(Debug, PartialEq)]
pub enum ChainError {
    /// The request itself is malformed or out of range.
    BadRequest(String),
    /// An account, contract or validator that does not exist.
    NotFound(String),
    /// The contract (or chain module) refused it; nothing changed.
    Rejected(String),
    /// The devnet cannot accept writes.
    Unavailable(String),
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainError::BadRequest(m) => write!(f, "bad request: {m}"),
            ChainError::NotFound(m) => write!(f, "{m}"),
            ChainError::Rejected(m) => write!(f, "{m}"),
            ChainError::Unavailable(m) => write!(f, "unavailable: {m}"),
        }
    }
}

impl std::error::Error for ChainError {}

/// The chain and its deployed contracts.
pub struct Chain {
    pub deployment: Deployment,
    /// The account names the devnet knows: the demo accounts, the genesis's own (owner,
    /// keeper, operators, service admins and their resolvers and treasuries) and every name
    /// the faucet has paid. Another name is an account only once it holds something.
    named: std::collections::BTreeSet<String>,
    /// The protocol's rates after each operation that can move them, oldest first (at most
    /// [`HISTORY_LEN`]; rebuilt by the log's replay on a restart).
    history: std::collections::VecDeque<RateSample>,
}

/// Samples of the rates kept for the dashboard's charts.
pub const HISTORY_LEN: usize = 5_000;

/// The protocol's rates at a moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RateSample {
    /// Block height.
    pub height: u64,
    /// Block time, unix seconds.
    pub time: u64,
    /// The hub's exchange rate (native per LST), a decimal string.
    #[schema(value_type = String)]
    pub lst_rate: Decimal,
    /// The vault's rate in native (native per LRT), a decimal string.
    #[schema(value_type = String)]
    pub lrt_rate: Decimal,
    /// The LST's spot price in the pool (native per LST), a decimal string.
    #[schema(value_type = String)]
    pub lst_price: Decimal,
    /// Native staked through the hub, base units.
    #[schema(value_type = String)]
    pub total_staked: Uint128,
    /// The vault's value, LST base units.
    #[schema(value_type = String)]
    pub total_restaked: Uint128,
}

/// What a user would call sending `funds` with `msg` to `contract`.
fn native_verb(contract: &str, msg: &serde_json::Value) -> &'static str {
    let key = msg
        .as_object()
        .and_then(|o| o.keys().next().map(String::as_str));
    match (contract, key) {
        ("hub", Some("bond")) => "stake",
        ("vault", Some("deposit")) => "restake",
        ("pool", Some("swap")) => "swap",
        ("pool", Some("provide_liquidity")) => "provide",
        _ => "send",
    }
}

/// A cw20 `send`/`transfer`'s amount and what a user would call it (from the hook it
/// carries), or `None` for another message.
fn token_spend(msg: &serde_json::Value) -> Option<(u128, &'static str)> {
    let (kind, body) = msg.as_object()?.iter().next()?;
    if kind != "send" && kind != "transfer" {
        return None;
    }
    let amount: u128 = body.get("amount")?.as_str()?.parse().ok()?;
    let hook = body
        .get("msg")
        .and_then(|m| m.as_str())
        .and_then(|b64| cosmwasm_std::Binary::from_base64(b64).ok())
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    let key = hook
        .as_ref()
        .and_then(|h| h.as_object())
        .and_then(|o| o.keys().next().cloned());
    let verb = match key.as_deref() {
        Some("unbond") => "unstake",
        Some("instant_unstake") => "unstake instantly",
        Some("deposit") => "restake",
        Some("request_withdrawal") => "withdraw",
        Some("swap") => "swap",
        _ => "send",
    };
    Some((amount, verb))
}

/// The answer to a validator slash.
#[derive(Serialize)]
struct SlashResponse {
    validator: String,
    fraction: Decimal,
}

/// The answer to a faucet payment.
#[derive(Serialize)]
struct FundResponse {
    account: String,
    amount: Uint128,
}

/// An answer as JSON.
fn to_value<T: Serialize>(answer: &T) -> Result<serde_json::Value, ChainError> {
    serde_json::to_value(answer).map_err(|e| ChainError::Rejected(e.to_string()))
}

/// The root cause of a failed transaction, as a user would read it.
fn root_cause(e: &anyhow::Error) -> String {
    e.root_cause().to_string()
}

impl Chain {
    /// The chain at genesis: three validators, the hub (10 % fee, daily epochs, 21-day
    /// unbonding), the registry with two operators and two services, the vault targeting both
    /// operators, an LST/native pool with 100,000 of each, and three funded demo accounts.
    /// Deterministic: the same genesis every time, so a log replays to the same state.
    pub fn genesis() -> anyhow::Result<Chain> {
        Self::genesis_on(Engine::Native)
    }

    /// The same genesis with the contracts run by `engine`.
    pub fn genesis_on(engine: Engine) -> anyhow::Result<Chain> {
        let options = DeployOptions {
            engine,
            ..DeployOptions::devnet(&DEMO_ACCOUNTS)
        };
        let deployment = tributary_deploy::deploy(&options)?;
        let mut named: std::collections::BTreeSet<String> = DEMO_ACCOUNTS
            .iter()
            .chain(&["owner", "keeper"])
            .map(|n| n.to_string())
            .collect();
        named.extend(options.operators.iter().map(|o| o.name.clone()));
        for s in &options.services {
            for suffix in ["", "-resolver", "-treasury"] {
                named.insert(format!("{}{suffix}", s.admin));
            }
        }
        let mut chain = Chain {
            deployment,
            named,
            history: Default::default(),
        };
        chain.sample();
        Ok(chain)
    }

    /// The current block.
    pub fn block(&self) -> BlockInfo {
        self.deployment.block()
    }

    /// Contract addresses by name.
    pub fn contracts(&self) -> Vec<(&'static str, Addr)> {
        self.deployment.contracts()
    }

    /// Resolves a contract name or address.
    pub fn contract(&self, name: &str) -> Result<Addr, ChainError> {
        if let Some((_, addr)) = self
            .contracts()
            .into_iter()
            .find(|(n, a)| *n == name || a.as_str() == name)
        {
            return Ok(addr);
        }
        Err(ChainError::NotFound(format!(
            "no contract {name:?}; known: {}",
            self.contracts()
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    /// Resolves an account name or address.
    pub fn account(&self, name: &str) -> Result<Addr, ChainError> {
        if name.is_empty() {
            return Err(ChainError::BadRequest("empty account".to_string()));
        }
        if name.starts_with("cosmwasm1") {
            return self
                .deployment
                .app
                .api()
                .addr_validate(name)
                .map_err(|e| ChainError::BadRequest(format!("invalid address {name:?}: {e}")));
        }
        Ok(self.deployment.addr(name))
    }

    /// Resolves an account that exists: a known name, an address, or a name that holds
    /// something; otherwise `no account "name"`.
    pub fn existing_account(&self, name: &str) -> Result<Addr, ChainError> {
        let addr = self.account(name)?;
        if name.starts_with("cosmwasm1") || self.named.contains(name) {
            return Ok(addr);
        }
        let d = &self.deployment;
        let holds = d.native_balance(&addr).unwrap_or_default() > 0
            || d.cw20_balance(&d.lst, &addr).unwrap_or_default() > 0
            || d.restaking
                .as_ref()
                .is_some_and(|rs| d.cw20_balance(&rs.lrt, &addr).unwrap_or_default() > 0);
        if holds {
            Ok(addr)
        } else {
            Err(ChainError::NotFound(format!("no account {name:?}")))
        }
    }

    /// Refuses, in the user's terms, a transaction that spends more than `who` holds.
    fn check_spend(
        &self,
        who: &str,
        addr: &Addr,
        contract: &str,
        msg: &serde_json::Value,
        funds: &[Coin],
    ) -> Result<(), ChainError> {
        let d = &self.deployment;
        let need: u128 = funds
            .iter()
            .filter(|c| c.denom == DENOM)
            .map(|c| c.amount.u128())
            .sum();
        if need > 0 {
            let has = d.native_balance(addr).unwrap_or_default();
            if need > has {
                return Err(ChainError::Rejected(format!(
                    "{who} has {} native; cannot {} {}",
                    human_tokens(has),
                    native_verb(contract, msg),
                    human_tokens(need)
                )));
            }
        }
        let token = match contract {
            "lst" => Some(("LST", d.lst.clone())),
            "lrt" => d.restaking.as_ref().map(|rs| ("LRT", rs.lrt.clone())),
            _ => None,
        };
        if let (Some((symbol, token)), Some((amount, verb))) = (token, token_spend(msg)) {
            let has = d.cw20_balance(&token, addr).unwrap_or_default();
            if amount > has {
                return Err(ChainError::Rejected(format!(
                    "{who} has {} {symbol}; cannot {verb} {}",
                    human_tokens(has),
                    human_tokens(amount)
                )));
            }
        }
        Ok(())
    }

    /// Records the rates now (skipped, with a log line, if a query fails).
    fn sample(&mut self) {
        let read = || -> Result<RateSample, ChainError> {
            let hub: tributary_types::hub::StateResponse = serde_json::from_value(
                self.query("hub", &tributary_types::hub::QueryMsg::State {})?,
            )
            .map_err(|e| ChainError::Rejected(e.to_string()))?;
            let vault: tributary_types::vault::VaultStateResponse = serde_json::from_value(
                self.query("vault", &tributary_types::vault::QueryMsg::State {})?,
            )
            .map_err(|e| ChainError::Rejected(e.to_string()))?;
            let peg: tributary_types::stableswap::PegResponse = serde_json::from_value(
                self.query("pool", &tributary_types::stableswap::QueryMsg::Peg {})?,
            )
            .map_err(|e| ChainError::Rejected(e.to_string()))?;
            let block = self.block();
            Ok(RateSample {
                height: block.height,
                time: block.time.seconds(),
                lst_rate: hub.exchange_rate,
                lrt_rate: vault.rate_native,
                lst_price: peg.spot_price,
                total_staked: hub.total_native,
                total_restaked: vault.total_value,
            })
        };
        match read() {
            Ok(sample) => {
                if self.history.back().map(|s| {
                    (
                        s.lst_rate,
                        s.lrt_rate,
                        s.lst_price,
                        s.total_staked,
                        s.total_restaked,
                    )
                }) == Some((
                    sample.lst_rate,
                    sample.lrt_rate,
                    sample.lst_price,
                    sample.total_staked,
                    sample.total_restaked,
                )) {
                    return;
                }
                if self.history.len() == HISTORY_LEN {
                    self.history.pop_front();
                }
                self.history.push_back(sample);
            }
            Err(e) => tracing::debug!("no rate sample: {e}"),
        }
    }

    /// The rates after each operation that moved them, oldest first.
    pub fn history(&self) -> Vec<RateSample> {
        self.history.iter().cloned().collect()
    }

    /// Applies an operation. A rejected operation changes nothing.
    pub fn apply(&mut self, op: &Op) -> Result<serde_json::Value, ChainError> {
        let result = self.apply_op(op)?;
        if !matches!(op, Op::Fund { .. }) {
            self.sample();
        }
        Ok(result)
    }

    fn apply_op(&mut self, op: &Op) -> Result<serde_json::Value, ChainError> {
        match op {
            Op::Execute {
                sender,
                contract,
                msg,
                funds,
            } => {
                let who = sender.as_str();
                let sender = self.existing_account(sender)?;
                self.check_spend(who, &sender, contract, msg, funds)?;
                let contract = self.contract(contract)?;
                let msg = to_json_binary(msg).map_err(|e| ChainError::BadRequest(e.to_string()))?;
                let wasm = CosmosMsg::Wasm(WasmMsg::Execute {
                    contract_addr: contract.to_string(),
                    msg,
                    funds: funds.clone(),
                });
                let app = &mut self.deployment.app;
                let (res, gas_used) = match self.deployment.engine {
                    Engine::Native => (app.execute(sender, wasm), None),
                    Engine::Wasm => {
                        let (res, gas) = tributary_wasm_engine::metered(TX_GAS_LIMIT, || {
                            app.execute(sender, wasm)
                        });
                        (res, Some(gas.gas_used))
                    }
                };
                let res = res.map_err(|e| ChainError::Rejected(root_cause(&e)))?;
                let events = res
                    .events
                    .iter()
                    .filter(|e| e.ty == "wasm")
                    .map(|e| {
                        e.attributes
                            .iter()
                            .map(|a| (a.key.clone(), a.value.clone()))
                            .collect()
                    })
                    .collect();
                to_value(&TxResponse { events, gas_used })
            }
            Op::Advance { seconds } => {
                if *seconds == 0 || *seconds > MAX_ADVANCE {
                    return Err(ChainError::BadRequest(format!(
                        "seconds must be between 1 and {MAX_ADVANCE}"
                    )));
                }
                self.deployment.advance_time(*seconds);
                let b = self.block();
                to_value(&Block {
                    height: b.height,
                    time: b.time.seconds(),
                })
            }
            Op::SlashValidator {
                validator,
                fraction,
            } => {
                if fraction.is_zero() || *fraction > Decimal::one() {
                    return Err(ChainError::BadRequest(
                        "fraction must be above 0 and at most 1".to_string(),
                    ));
                }
                let known = self
                    .deployment
                    .app
                    .wrap()
                    .query_validator(validator)
                    .map_err(|e| ChainError::Rejected(e.to_string()))?;
                if known.is_none() {
                    return Err(ChainError::NotFound(format!("no validator {validator:?}")));
                }
                self.deployment
                    .slash_validator(validator, *fraction)
                    .map_err(|e| ChainError::Rejected(root_cause(&e)))?;
                to_value(&SlashResponse {
                    validator: validator.clone(),
                    fraction: *fraction,
                })
            }
            Op::Fund { account, amount } => {
                if amount.is_zero() {
                    return Err(ChainError::BadRequest(
                        "amount must be positive".to_string(),
                    ));
                }
                if amount.u128() > 1_000_000 * TOKEN {
                    return Err(ChainError::BadRequest(
                        "the faucet gives at most 1,000,000 tokens at a time".to_string(),
                    ));
                }
                let to = self.account(account)?;
                self.deployment
                    .mint(&to, amount.u128())
                    .map_err(|e| ChainError::Rejected(e.to_string()))?;
                if !account.starts_with("cosmwasm1") {
                    self.named.insert(account.clone());
                }
                to_value(&FundResponse {
                    account: to.to_string(),
                    amount: *amount,
                })
            }
            Op::Delegate {
                sender,
                validator,
                amount,
            } => {
                let addr = self.existing_account(sender)?;
                let has = self.deployment.native_balance(&addr).unwrap_or_default();
                if amount.u128() > has {
                    return Err(ChainError::Rejected(format!(
                        "{sender} has {} native; cannot delegate {}",
                        human_tokens(has),
                        human_tokens(amount.u128())
                    )));
                }
                self.staking(
                    sender,
                    cosmwasm_std::StakingMsg::Delegate {
                        validator: validator.clone(),
                        amount: cosmwasm_std::coin(amount.u128(), DENOM),
                    }
                    .into(),
                )
            }
            Op::Undelegate {
                sender,
                validator,
                amount,
            } => {
                let (delegated, _) = self.direct_delegation(sender, validator)?;
                if amount.u128() > delegated {
                    return Err(ChainError::Rejected(format!(
                        "{sender} has {} delegated to {validator}; cannot undelegate {}",
                        human_tokens(delegated),
                        human_tokens(amount.u128())
                    )));
                }
                self.staking(
                    sender,
                    cosmwasm_std::StakingMsg::Undelegate {
                        validator: validator.clone(),
                        amount: cosmwasm_std::coin(amount.u128(), DENOM),
                    }
                    .into(),
                )
            }
            Op::WithdrawRewards { sender, validator } => self.staking(
                sender,
                cosmwasm_std::DistributionMsg::WithdrawDelegatorReward {
                    validator: validator.clone(),
                }
                .into(),
            ),
        }
    }

    /// Runs a staking or distribution message as an account.
    fn staking(&mut self, sender: &str, msg: CosmosMsg) -> Result<serde_json::Value, ChainError> {
        let sender = self.existing_account(sender)?;
        let res = self
            .deployment
            .app
            .execute(sender, msg)
            .map_err(|e| ChainError::Rejected(root_cause(&e)))?;
        let events = res
            .events
            .iter()
            .map(|e| ChainEvent {
                ty: e.ty.clone(),
                attributes: e
                    .attributes
                    .iter()
                    .map(|a| (a.key.clone(), a.value.clone()))
                    .collect(),
            })
            .collect();
        to_value(&StakingResponse { events })
    }

    /// A direct delegation and its accrued rewards: (amount, rewards).
    pub fn direct_delegation(
        &self,
        account: &str,
        validator: &str,
    ) -> Result<(u128, u128), ChainError> {
        let addr = self.existing_account(account)?;
        let d = self
            .deployment
            .app
            .wrap()
            .query_delegation(&addr, validator)
            .map_err(|e| ChainError::Rejected(e.to_string()))?;
        Ok(d.map(|d| {
            (
                d.amount.amount.u128(),
                d.accumulated_rewards.iter().map(|c| c.amount.u128()).sum(),
            )
        })
        .unwrap_or((0, 0)))
    }

    /// Queries a contract.
    pub fn query<Q: Serialize>(
        &self,
        contract: &str,
        msg: &Q,
    ) -> Result<serde_json::Value, ChainError> {
        let addr = self.contract(contract)?;
        self.deployment
            .app
            .wrap()
            .query_wasm_smart(addr, msg)
            .map_err(|e| ChainError::Rejected(e.to_string()))
    }

    /// Native, LST and LRT balances of an account.
    pub fn balances(&self, account: &str) -> Result<Balances, ChainError> {
        let addr = self.existing_account(account)?;
        let d = &self.deployment;
        let rejected = |e: anyhow::Error| ChainError::Rejected(e.to_string());
        let lrt = match &d.restaking {
            Some(rs) => d.cw20_balance(&rs.lrt, &addr).unwrap_or_default(),
            None => 0,
        };
        Ok(Balances {
            account: account.to_string(),
            address: addr.to_string(),
            native: Uint128::new(d.native_balance(&addr).map_err(rejected)?),
            lst: Uint128::new(d.cw20_balance(&d.lst, &addr).map_err(rejected)?),
            lrt: Uint128::new(lrt),
        })
    }
}
