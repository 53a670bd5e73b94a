//! Tributary's keeper: the operator's bot. Each [`Keeper::tick`] runs one pass of every job:
//!
//! * **hub crank** — when an epoch has started: harvest, fee, compound, rebalance, submit the
//!   pending unbond batch (claims then work as soon as batches mature);
//! * **vault crank** — once per epoch, or as soon as LST is idle or the streamed service rewards
//!   reach the hub's minimum bond: harvest service rewards, complete undelegations, finalize due
//!   withdrawals, reallocate;
//! * **slash execution** — every slash request whose veto window has passed;
//! * **monitors** — peg discount above a threshold, a validator slashed (chain below the books),
//!   a stale crank (an epoch overdue) — reported as [`Alert`]s and logged.
//!
//! The keeper talks to the chain through [`Backend`], so the same code runs inside the devnet
//! ([`DevnetBackend`]) or against another backend.

use serde_json::{json, Value};
use tributary_types::hub::StateResponse as HubState;
use tributary_types::registry::{SlashRequestResponse, SlashStatus};
use tributary_types::stableswap::PegResponse;

/// How the keeper reads and writes the chain.
pub trait Backend {
    /// Current block time, seconds.
    fn now(&self) -> anyhow::Result<u64>;
    /// Queries a contract by name.
    fn query(&self, contract: &str, msg: Value) -> anyhow::Result<Value>;
    /// Executes a contract message as the keeper.
    fn execute(&self, contract: &str, msg: Value) -> anyhow::Result<Value>;
}

/// The devnet, driven in-process.
pub struct DevnetBackend(pub tributary_devnet::Devnet);

/// The account the keeper signs with.
pub const KEEPER: &str = "keeper";

impl Backend for DevnetBackend {
    fn now(&self) -> anyhow::Result<u64> {
        Ok(self.0.call_blocking(|w| w.chain().block().time.seconds())?)
    }

    fn query(&self, contract: &str, msg: Value) -> anyhow::Result<Value> {
        let contract = contract.to_string();
        Ok(self
            .0
            .call_blocking(move |w| w.chain().query(&contract, &msg))??)
    }

    fn execute(&self, contract: &str, msg: Value) -> anyhow::Result<Value> {
        let op = tributary_devnet::Op::Execute {
            sender: KEEPER.to_string(),
            contract: contract.to_string(),
            msg,
            funds: vec![],
        };
        Ok(self.0.call_blocking(move |w| w.submit(op))??)
    }
}

/// Thresholds of the monitors.
#[derive(Clone, Debug)]
pub struct MonitorConfig {
    /// Alert when the pool's spot discount to the redemption rate is at least this, bps.
    pub peg_discount_bps: u16,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        MonitorConfig {
            peg_discount_bps: 50,
        }
    }
}

/// Something a monitor noticed.
#[derive(Clone, Debug, PartialEq)]
pub enum Alert {
    /// The LST trades below its redemption rate by `bps`.
    Depeg { spot_bps: u16, ema_bps: u16 },
    /// A validator's delegation on the chain is below the hub's books (a slash the crank has not
    /// booked yet).
    ValidatorSlashed { validator: String, missing: u128 },
    /// The hub's crank is overdue by this many seconds.
    StaleCrank { overdue: u64 },
}

/// What one tick did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickReport {
    pub hub_cranked: bool,
    pub vault_cranked: bool,
    pub slashes_executed: Vec<u64>,
    pub alerts: Vec<Alert>,
    /// Jobs that failed (the keeper goes on with the others).
    pub errors: Vec<String>,
}

/// One of the keeper's jobs.
type Job<B> = fn(&mut Keeper<B>, u64, &mut TickReport) -> anyhow::Result<()>;

/// The keeper.
pub struct Keeper<B: Backend> {
    pub backend: B,
    pub monitors: MonitorConfig,
    last_vault_crank: Option<u64>,
}

fn from<T: serde::de::DeserializeOwned>(v: Value) -> anyhow::Result<T> {
    Ok(serde_json::from_value(v)?)
}

impl<B: Backend> Keeper<B> {
    pub fn new(backend: B) -> Self {
        Keeper {
            backend,
            monitors: MonitorConfig::default(),
            last_vault_crank: None,
        }
    }

    /// One pass of every job.
    pub fn tick(&mut self) -> TickReport {
        let mut report = TickReport::default();
        let now = match self.backend.now() {
            Ok(now) => now,
            Err(e) => {
                report.errors.push(format!("reading the clock: {e}"));
                return report;
            }
        };
        let jobs: [(&str, Job<B>); 4] = [
            ("monitors", Self::monitor),
            ("hub crank", Self::hub_crank),
            ("vault crank", Self::vault_crank),
            ("slashes", Self::execute_slashes),
        ];
        for (name, job) in jobs {
            if let Err(e) = job(self, now, &mut report) {
                tracing::warn!("keeper job {name} failed: {e:#}");
                report.errors.push(format!("{name}: {e:#}"));
            }
        }
        for alert in &report.alerts {
            tracing::warn!(?alert, "keeper alert");
        }
        report
    }

    fn hub_state(&self) -> anyhow::Result<HubState> {
        from(self.backend.query("hub", json!({ "state": {} }))?)
    }

    fn hub_crank(&mut self, now: u64, report: &mut TickReport) -> anyhow::Result<()> {
        let state = self.hub_state()?;
        if now >= state.next_epoch_at.seconds() {
            self.backend.execute("hub", json!({ "crank": {} }))?;
            report.hub_cranked = true;
        }
        Ok(())
    }

    fn vault_crank(&mut self, now: u64, report: &mut TickReport) -> anyhow::Result<()> {
        let hub: tributary_types::hub::ConfigResponse =
            from(self.backend.query("hub", json!({ "config": {} }))?)?;
        let vault: tributary_types::vault::VaultStateResponse =
            from(self.backend.query("vault", json!({ "state": {} }))?)?;
        let epoch_passed = self
            .last_vault_crank
            .is_none_or(|last| now >= last + hub.epoch_period);
        // service rewards stream into the registry every second: harvest them early only once
        // they are worth bonding (the hub's minimum), not on every tick
        let rewards_waiting =
            !vault.rewards_native.is_zero() && vault.rewards_native >= hub.min_bond;
        let work_waiting = rewards_waiting || !vault.idle.is_zero();
        if epoch_passed || (work_waiting && self.last_vault_crank != Some(now)) {
            self.backend.execute("vault", json!({ "crank": {} }))?;
            self.last_vault_crank = Some(now);
            report.vault_cranked = true;
        }
        Ok(())
    }

    fn execute_slashes(&mut self, now: u64, report: &mut TickReport) -> anyhow::Result<()> {
        let mut start_after: Option<u64> = None;
        loop {
            let page: Vec<SlashRequestResponse> = from(self.backend.query(
                "registry",
                json!({ "slash_requests": { "start_after": start_after, "limit": 30 } }),
            )?)?;
            let Some(last) = page.last() else { break };
            start_after = Some(last.id);
            for r in page {
                if r.status == SlashStatus::Pending && now >= r.executable_at.seconds() {
                    // a request whose cap is used up this epoch waits for the next tick
                    if self
                        .backend
                        .execute(
                            "registry",
                            json!({ "execute_slash": { "request_id": r.id } }),
                        )
                        .is_ok()
                    {
                        report.slashes_executed.push(r.id);
                    }
                }
            }
        }
        Ok(())
    }

    fn monitor(&mut self, now: u64, report: &mut TickReport) -> anyhow::Result<()> {
        let peg: PegResponse = from(self.backend.query("pool", json!({ "peg": {} }))?)?;
        if peg.spot_discount_bps >= self.monitors.peg_discount_bps {
            report.alerts.push(Alert::Depeg {
                spot_bps: peg.spot_discount_bps,
                ema_bps: peg.ema_discount_bps,
            });
        }
        let validators: Vec<tributary_types::hub::ValidatorResponse> =
            from(self.backend.query("hub", json!({ "validators": {} }))?)?;
        for v in validators {
            if v.actual < v.booked {
                report.alerts.push(Alert::ValidatorSlashed {
                    validator: v.address,
                    missing: (v.booked - v.actual).u128(),
                });
            }
        }
        let state = self.hub_state()?;
        let hub: tributary_types::hub::ConfigResponse =
            from(self.backend.query("hub", json!({ "config": {} }))?)?;
        let due = state.next_epoch_at.seconds();
        if now > due + hub.epoch_period {
            report.alerts.push(Alert::StaleCrank { overdue: now - due });
        }
        Ok(())
    }
}
