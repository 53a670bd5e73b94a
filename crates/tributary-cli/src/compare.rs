//! `tributary compare`: the same amount through traditional staking, liquid staking and liquid
//! restaking on a scratch devnet, over a period with configurable events (a validator slash, a
//! service slash, a depeg sell-off), with a report per model from the contracts' own numbers:
//! value now, realized yield (annualized), time and cost to exit right now, and the loss each
//! risk caused.
//!
//! The scratch devnet is fresh and deterministic, so the same configuration always gives the
//! same report; the keeper runs once a day, as in production.

use std::path::Path;

use cosmwasm_std::{to_json_binary, Decimal, Uint128};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tributary_client::{native, Chain, TxResponse};
use tributary_devnet::Devnet;
use tributary_keeper::Keeper;
use tributary_math::SharePool;
use tributary_types::hub::{
    ConfigResponse as HubConfig, ExecuteMsg as HubMsg, QueryMsg as HubQuery,
    StateResponse as HubState,
};
use tributary_types::registry::{
    ExecuteMsg as RegistryMsg, QueryMsg as RegistryQuery, ServiceResponse,
};
use tributary_types::stableswap::{
    QueryMsg as PoolQuery, ReceiveMsg as PoolReceive, SimulateSwapResponse,
};
use tributary_types::vault::{
    ExecuteMsg as VaultMsg, PositionResponse, QueryMsg as VaultQuery, VaultConfigResponse,
};

/// Seconds in a day.
pub const DAY: u64 = 86_400;
const TOKEN: u128 = 1_000_000;

/// What to compare.
#[derive(Clone, Debug)]
pub struct CompareConfig {
    /// Amount put into each model, in tokens.
    pub amount: u128,
    /// Length of the period, days (at least 6, so every event fits).
    pub days: u64,
    /// Slash a validator by this percent a third of the way in (0: none).
    pub validator_slash_pct: u64,
    /// Have a service slash an operator by this many bps halfway in (0: none).
    pub service_slash_bps: u16,
    /// Sell this many tokens' worth of LST into the pool on the last day (0: none).
    pub depeg_sell: u128,
}

impl Default for CompareConfig {
    fn default() -> Self {
        CompareConfig {
            amount: 10_000,
            days: 30,
            validator_slash_pct: 5,
            service_slash_bps: 500,
            depeg_sell: 20_000,
        }
    }
}

/// How a position can be turned back into the native token now.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Exit {
    /// How it is done.
    pub route: String,
    /// Seconds until the native is in hand.
    pub seconds: u64,
    /// What it costs against the position's value, native units.
    pub cost: u128,
}

/// The result for one model.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModelReport {
    pub model: String,
    /// Native put in.
    pub deposited: u128,
    /// Native value now (at redemption rates; accrued rewards included).
    pub value_now: u128,
    /// (value now - deposited) / deposited, annualized, in bps.
    pub yield_annualized_bps: i64,
    /// Exit routes available now.
    pub exits: Vec<Exit>,
    /// Loss caused by each risk that occurred (native units).
    pub losses: Vec<(String, u128)>,
    /// Native value at the end of each day (day 0 is the deposit).
    pub daily_values: Vec<u128>,
}

/// The three accounts, one per model.
pub const MODELS: [(&str, &str); 3] = [
    ("traditional", "Traditional staking (direct delegation)"),
    ("liquid", "Liquid staking (LST)"),
    ("restaked", "Liquid restaking (LRT)"),
];

/// The lab: a scratch devnet and its keeper, driven through [`tributary_client::Chain`].
pub struct Lab {
    pub devnet: Devnet,
    keeper: Keeper<Devnet>,
}

impl Lab {
    /// A fresh devnet stored under `dir` (removed first).
    pub fn open(dir: &Path) -> anyhow::Result<Lab> {
        let _ = std::fs::remove_dir_all(dir);
        let devnet = Devnet::open(&dir.join("devnet.redb"))?;
        let keeper = Keeper::new(devnet.clone());
        Ok(Lab { devnet, keeper })
    }

    /// Executes a contract message as `sender` with `native` attached.
    pub fn exec<M: Serialize + ?Sized>(
        &self,
        sender: &str,
        contract: &str,
        msg: &M,
        native_funds: u128,
    ) -> anyhow::Result<TxResponse> {
        Ok(self
            .devnet
            .execute(sender, contract, msg, &native(native_funds))?)
    }

    /// Queries a contract, the answer as `R`.
    pub fn query_as<Q: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
    ) -> anyhow::Result<R> {
        Ok(self.devnet.query(contract, msg)?)
    }

    /// Queries a contract, the answer as JSON.
    pub fn query(&self, contract: &str, msg: impl Serialize) -> anyhow::Result<Value> {
        self.query_as(contract, &msg)
    }

    pub fn address(&self, name: &str) -> anyhow::Result<String> {
        Ok(self.devnet.address(name)?)
    }

    pub fn now(&self) -> anyhow::Result<u64> {
        Ok(self.devnet.block_time()?)
    }

    /// The hub's pool (native per LST).
    pub fn hub_pool(&self) -> anyhow::Result<SharePool> {
        let s: HubState = self.query_as("hub", &HubQuery::State {})?;
        Ok(SharePool::new(
            s.total_native,
            s.lst_supply + s.pending_unbond_lst,
        ))
    }

    fn position(&self, name: &str) -> anyhow::Result<PositionResponse> {
        let user = self.address(name)?;
        self.query_as("vault", &VaultQuery::Position { user })
    }

    /// Native value of each model's position now, in `MODELS` order.
    pub fn values(&self) -> anyhow::Result<[u128; 3]> {
        let d = self.devnet.delegation("traditional", "validator1")?;
        let traditional =
            d.amount.u128() + d.rewards.u128() + self.devnet.bank_balance("traditional")?;
        let lst = self.devnet.balances("liquid")?.lst;
        let liquid = self.hub_pool()?.value_of(lst)?.u128();
        let restaked = self.position("restaked")?.value_native.u128();
        Ok([traditional, liquid, restaked])
    }

    /// What selling `lst` LST in the pool pays now.
    pub fn pool_quote(&self, lst: u128) -> anyhow::Result<u128> {
        if lst == 0 {
            return Ok(0);
        }
        let q: SimulateSwapResponse = self.query_as(
            "pool",
            &PoolQuery::SimulateSwap {
                offer: 0,
                amount: Uint128::new(lst),
            },
        )?;
        Ok(q.return_amount.u128())
    }

    /// Each service pays `days` of the reward it declared on the stake allocated to it.
    pub fn pay_service_rewards(&self, days: u64) -> anyhow::Result<u128> {
        let mut paid = 0;
        for (id, admin) in [(1u64, "oracle-network"), (2, "bridge")] {
            let svc: ServiceResponse = self.query_as("registry", &RegistryQuery::Service { id })?;
            let amount = svc.allocated.u128() * u128::from(svc.reward_rate_bps) * u128::from(days)
                / (10_000 * 365);
            if amount == 0 {
                continue;
            }
            self.devnet.fund(admin, amount)?;
            self.exec(
                admin,
                "registry",
                &RegistryMsg::DepositRewards { service: id },
                amount,
            )?;
            paid += amount;
        }
        Ok(paid)
    }

    /// One keeper pass.
    pub fn keep(&mut self) -> anyhow::Result<()> {
        let report = self.keeper.tick();
        if let Some(e) = report.errors.first() {
            anyhow::bail!("keeper: {e}");
        }
        Ok(())
    }
}

fn loss(before: [u128; 3], after: [u128; 3]) -> [u128; 3] {
    [0, 1, 2].map(|i| before[i].saturating_sub(after[i]))
}

/// Runs the comparison on a scratch devnet under `dir`; returns the reports and the lab (whose
/// devnet is left as the reports describe it).
pub fn run(config: &CompareConfig, dir: &Path) -> anyhow::Result<(Vec<ModelReport>, Lab)> {
    if config.amount == 0 || config.amount > 100_000 {
        anyhow::bail!("the amount must be between 1 and 100,000 tokens");
    }
    if config.days < 6 || config.days > 365 {
        anyhow::bail!("the period must be between 6 and 365 days");
    }
    if config.validator_slash_pct > 100 || config.service_slash_bps > 10_000 {
        anyhow::bail!("a slash is at most 100 %");
    }
    let mut lab = Lab::open(dir)?;
    let amount = config.amount * TOKEN;
    for (name, _) in MODELS {
        lab.devnet.fund(name, amount)?;
    }
    lab.devnet.delegate("traditional", "validator1", amount)?;
    lab.exec("liquid", "hub", &HubMsg::Bond { min_out: None }, amount)?;
    lab.exec(
        "restaked",
        "vault",
        &VaultMsg::Deposit { min_out: None },
        amount,
    )?;
    lab.keep()?;

    let mut validator_loss = [0u128; 3];
    let mut service_loss = [0u128; 3];
    let slash_day = config.days / 3;
    let request_day = config.days / 2;
    let mut pending_slash: Option<u64> = None;
    let mut daily: Vec<[u128; 3]> = vec![lab.values()?];
    for day in 1..=config.days {
        lab.devnet.advance_time(DAY)?;
        if day == slash_day && config.validator_slash_pct > 0 {
            let before = lab.values()?;
            lab.devnet
                .slash_validator("validator1", Decimal::percent(config.validator_slash_pct))?;
            validator_loss = loss(before, lab.values()?);
        }
        if day == request_day && config.service_slash_bps > 0 {
            // the registry prices a position net of a slash from the moment it is requested
            // (nobody can leave or enter ahead of it): that is when the loss shows
            let before = lab.values()?;
            let operator = lab.address("operator-a")?;
            let res = lab.exec(
                "oracle-network",
                "registry",
                &RegistryMsg::RequestSlash {
                    service: 1,
                    operator,
                    fraction_bps: config.service_slash_bps,
                    reason: "compare scenario".to_string(),
                },
                0,
            )?;
            pending_slash = res.attr("request_id").and_then(|s| s.parse().ok());
            service_loss = loss(before, lab.values()?);
        }
        if day == request_day + 2 {
            if let Some(id) = pending_slash.take() {
                lab.exec(
                    "keeper",
                    "registry",
                    &RegistryMsg::ExecuteSlash { request_id: id },
                    0,
                )?;
            }
        }
        if day % 7 == 0 {
            lab.pay_service_rewards(7)?;
        }
        if day == config.days && config.depeg_sell > 0 {
            // a validator slash above the hub's drop threshold paused bonds (protective mode):
            // the owner, having reviewed it, lifts the pause before the sell-off
            let hub_config: HubConfig = lab.query_as("hub", &HubQuery::Config {})?;
            if hub_config.paused.bond {
                lab.exec(
                    "owner",
                    "hub",
                    &HubMsg::SetPause(tributary_types::hub::PauseFlags::default()),
                    0,
                )?;
            }
            let whale_amount = config.depeg_sell * TOKEN;
            lab.devnet.fund("whale", whale_amount)?;
            lab.exec(
                "whale",
                "hub",
                &HubMsg::Bond { min_out: None },
                whale_amount,
            )?;
            let pool = lab.devnet.contract_address("pool")?;
            let hook = to_json_binary(&PoolReceive::Swap {
                min_out: None,
                to: None,
            })?;
            let lst = lab.devnet.balances("whale")?.lst;
            lab.exec(
                "whale",
                "lst",
                &cw20::Cw20ExecuteMsg::Send {
                    contract: pool,
                    amount: lst,
                    msg: hook,
                },
                0,
            )?;
        }
        lab.keep()?;
        daily.push(lab.values()?);
    }

    // exits, now
    let values = lab.values()?;
    let hub_config: HubConfig = lab.query_as("hub", &HubQuery::Config {})?;
    let hub_state: HubState = lab.query_as("hub", &HubQuery::State {})?;
    let unbonding = hub_config.unbonding_period;
    let now = lab.now()?;
    let next_batch = hub_state.next_batch_submit_at.seconds();
    let batch_wait = next_batch.saturating_sub(now) + unbonding;
    let vault_config: VaultConfigResponse = lab.query_as("vault", &VaultQuery::Config {})?;
    let vault_delay = vault_config.withdrawal_delay;
    let liquid_lst = lab.devnet.balances("liquid")?.lst.u128();
    let restaked_lst = lab.position("restaked")?.value.u128();
    let depeg_cost = |value: u128, lst: u128| -> anyhow::Result<u128> {
        Ok(value.saturating_sub(lab.pool_quote(lst)?))
    };
    let liquid_instant_cost = depeg_cost(values[1], liquid_lst)?;
    let restaked_instant_cost = depeg_cost(values[2], restaked_lst)?;

    let exits = [
        vec![Exit {
            route: "undelegate".into(),
            seconds: unbonding,
            cost: 0,
        }],
        vec![
            Exit {
                route: "instant unstake (sell LST in the pool)".into(),
                seconds: 0,
                cost: liquid_instant_cost,
            },
            Exit {
                route: "unbond batch".into(),
                seconds: batch_wait,
                cost: 0,
            },
        ],
        vec![
            Exit {
                route: "vault withdrawal, then sell the LST".into(),
                seconds: vault_delay,
                cost: restaked_instant_cost,
            },
            Exit {
                route: "vault withdrawal, then unbond batch".into(),
                seconds: vault_delay + batch_wait,
                cost: 0,
            },
        ],
    ];
    let depeg = [0, liquid_instant_cost, restaked_instant_cost];
    let reports = MODELS
        .iter()
        .enumerate()
        .map(|(i, (_, title))| {
            let gain = values[i] as i128 - amount as i128;
            let yield_bps = gain * 10_000 * 365 / (amount as i128 * i128::from(config.days));
            let mut losses = vec![];
            if config.validator_slash_pct > 0 {
                losses.push(("validator slash".to_string(), validator_loss[i]));
            }
            if config.service_slash_bps > 0 {
                losses.push(("service slash".to_string(), service_loss[i]));
            }
            if config.depeg_sell > 0 {
                losses.push(("depeg (cost of selling now)".to_string(), depeg[i]));
            }
            ModelReport {
                model: title.to_string(),
                deposited: amount,
                value_now: values[i],
                yield_annualized_bps: yield_bps as i64,
                exits: exits[i].clone(),
                losses,
                daily_values: daily.iter().map(|v| v[i]).collect(),
            }
        })
        .collect();
    Ok((reports, lab))
}

/// The reports as tables, one per model.
pub fn render(reports: &[ModelReport], days: u64) -> String {
    use crate::table::{days as d, percent, render, tokens};
    let mut out = String::new();
    for r in reports {
        let mut rows = vec![
            vec!["deposited".to_string(), tokens(r.deposited)],
            vec![format!("value after {days} days"), tokens(r.value_now)],
            vec![
                "realized yield, annualized".to_string(),
                percent(r.yield_annualized_bps),
            ],
        ];
        for e in &r.exits {
            rows.push(vec![
                format!("exit: {}", e.route),
                format!("{}, cost {}", d(e.seconds), tokens(e.cost)),
            ]);
        }
        for (risk, l) in &r.losses {
            rows.push(vec![format!("loss: {risk}"), tokens(*l)]);
        }
        out.push_str(&render(&[&r.model, ""], &rows));
        out.push_str("\n\n");
    }
    out
}
