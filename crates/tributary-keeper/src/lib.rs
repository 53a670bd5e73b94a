//! Tributary's keeper: the operator's bot. Each [`Keeper::tick`] runs one pass of every job:
//!
//! * **hub crank** — when an epoch has started: harvest, fee, compound, rebalance, submit the
//!   pending unbond batch (claims then work as soon as batches mature);
//! * **vault crank** — once per epoch, or as soon as LST is idle or the streamed service rewards
//!   reach the hub's minimum bond: harvest service rewards, complete undelegations, finalize due
//!   withdrawals, reallocate;
//! * **slash execution** — every slash request whose veto window has passed;
//! * **monitors** — peg discount above a threshold, a validator slashed (chain below the books),
//!   a stale crank (an epoch overdue), the hub's bonds or instant unstaking paused by the
//!   guardian or automatically (a fall of the rate, a depeg), the hub in bunker mode, the
//!   vault's deposits paused (a fall of the LRT rate, or its guardian), the vault in bunker
//!   mode (service slashes pending) or withholding value above its APR ceiling — reported as
//!   [`Alert`]s and logged.
//!
//! The keeper talks to the chain only through [`tributary_client::Chain`], so the same code
//! runs against the devnet's HTTP API (`tributary_client::DevnetApi`), the in-process devnet,
//! or any other implementation.

use tributary_client::Chain;
use tributary_types::hub::{
    ConfigResponse as HubConfig, ExecuteMsg as HubMsg, QueryMsg as HubQuery,
    StateResponse as HubState, ValidatorResponse,
};
use tributary_types::registry::{
    ExecuteMsg as RegistryMsg, QueryMsg as RegistryQuery, SlashRequestResponse, SlashStatus,
};
use tributary_types::stableswap::{PegResponse, QueryMsg as PoolQuery};
use tributary_types::vault::{
    ExecuteMsg as VaultMsg, QueryMsg as VaultQuery, VaultConfigResponse, VaultStateResponse,
};

/// The account the keeper signs with.
pub const KEEPER: &str = "keeper";

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
    /// The hub paused operations by itself or through its guardian: `reason` is `rate_drop`,
    /// `depeg` or `guardian` (the hub's `pause_cause`), `operations` what is paused now (e.g.
    /// `bond`, `instant_unstake`), `at` when (seconds). Only the owner unpauses.
    AutoPaused {
        reason: String,
        operations: Vec<String>,
        at: u64,
    },
    /// A mass slash is in progress: the hub is in bunker mode (the pending unbond batch is not
    /// priced) since `since`, the last slash booked at `last_slash_at` (seconds).
    Bunker { since: u64, last_slash_at: u64 },
    /// The vault's deposits were paused by its guardian or automatically: `reason` is
    /// `rate_drop` (the LRT rate fell beyond `max_drop_bps` between cranks) or `guardian` (the
    /// vault's `pause_cause`), `at` when (seconds). Only the owner unpauses.
    VaultAutoPaused { reason: String, at: u64 },
    /// Service slashes are pending against the vault's operators (`pending_slash` LST): the
    /// vault is in bunker mode, and withdrawals asked for now wait until they resolve.
    VaultBunker { pending_slash: u128 },
    /// The vault withholds `withheld` LST above its APR ceiling (recognised over time).
    VaultWithheld { withheld: u128 },
}

impl std::fmt::Display for Alert {
    /// The alert as an operator reads it (amounts in tokens, times as UTC dates).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use tributary_client::{human_time, human_tokens};
        match self {
            Alert::Depeg { spot_bps, ema_bps } => write!(
                f,
                "the LST trades {:.2} % under its redemption rate ({:.2} % on the moving average)",
                f64::from(*spot_bps) / 100.0,
                f64::from(*ema_bps) / 100.0
            ),
            Alert::ValidatorSlashed { validator, missing } => write!(
                f,
                "{validator} was slashed: {} native missing from the hub's books until the next crank",
                human_tokens(*missing)
            ),
            Alert::StaleCrank { overdue } => write!(
                f,
                "the hub's crank is overdue by {}",
                tributary_client::human_duration(*overdue)
            ),
            Alert::AutoPaused {
                reason,
                operations,
                at,
            } => write!(
                f,
                "the hub paused {} ({reason}) at {}; only the owner unpauses",
                operations.join(", "),
                human_time(*at)
            ),
            Alert::Bunker {
                since,
                last_slash_at,
            } => write!(
                f,
                "bunker mode since {}: batches wait (last slash {})",
                human_time(*since),
                human_time(*last_slash_at)
            ),
            Alert::VaultAutoPaused { reason, at } => write!(
                f,
                "the vault paused deposits ({reason}) at {}; only the owner unpauses",
                human_time(*at)
            ),
            Alert::VaultBunker { pending_slash } => write!(
                f,
                "{} LST of service slashes pending: vault withdrawals wait for them",
                human_tokens(*pending_slash)
            ),
            Alert::VaultWithheld { withheld } => write!(
                f,
                "the vault withholds {} LST above its APR ceiling",
                human_tokens(*withheld)
            ),
        }
    }
}

/// The names of the paused operations of the hub, in a fixed order.
pub fn paused_operations(paused: &tributary_types::hub::PauseFlags) -> Vec<String> {
    [
        ("bond", paused.bond),
        ("unbond", paused.unbond),
        ("claim", paused.claim),
        ("crank", paused.crank),
        ("instant_unstake", paused.instant_unstake),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(name, _)| name.to_string())
    .collect()
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
type Job<C> = fn(&mut Keeper<C>, u64, &mut TickReport) -> anyhow::Result<()>;

/// The keeper.
pub struct Keeper<C: Chain> {
    /// The chain it keeps.
    pub chain: C,
    pub monitors: MonitorConfig,
    last_vault_crank: Option<u64>,
}

impl<C: Chain> Keeper<C> {
    pub fn new(chain: C) -> Self {
        Keeper {
            chain,
            monitors: MonitorConfig::default(),
            last_vault_crank: None,
        }
    }

    /// Executes a message as the keeper.
    fn execute<M: serde::Serialize>(&self, contract: &str, msg: &M) -> anyhow::Result<()> {
        self.chain.execute(KEEPER, contract, msg, &[])?;
        Ok(())
    }

    /// One pass of every job.
    pub fn tick(&mut self) -> TickReport {
        let mut report = TickReport::default();
        let now = match self.chain.block_time() {
            Ok(now) => now,
            Err(e) => {
                report.errors.push(format!("reading the clock: {e}"));
                return report;
            }
        };
        let jobs: [(&str, Job<C>); 4] = [
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
        Ok(self.chain.query("hub", &HubQuery::State {})?)
    }

    fn hub_crank(&mut self, now: u64, report: &mut TickReport) -> anyhow::Result<()> {
        let state = self.hub_state()?;
        if now >= state.next_epoch_at.seconds() {
            self.execute("hub", &HubMsg::Crank {})?;
            report.hub_cranked = true;
        }
        Ok(())
    }

    fn vault_crank(&mut self, now: u64, report: &mut TickReport) -> anyhow::Result<()> {
        let hub: HubConfig = self.chain.query("hub", &HubQuery::Config {})?;
        let vault: VaultStateResponse = self.chain.query("vault", &VaultQuery::State {})?;
        let epoch_passed = self
            .last_vault_crank
            .is_none_or(|last| now >= last + hub.epoch_period);
        // service rewards stream into the registry every second: harvest them early only once
        // they are worth bonding (the hub's minimum), not on every tick
        let rewards_waiting =
            !vault.rewards_native.is_zero() && vault.rewards_native >= hub.min_bond;
        let work_waiting = rewards_waiting || !vault.idle.is_zero();
        if epoch_passed || (work_waiting && self.last_vault_crank != Some(now)) {
            self.execute("vault", &VaultMsg::Crank {})?;
            self.last_vault_crank = Some(now);
            report.vault_cranked = true;
        }
        Ok(())
    }

    fn execute_slashes(&mut self, now: u64, report: &mut TickReport) -> anyhow::Result<()> {
        let mut start_after: Option<u64> = None;
        loop {
            let page: Vec<SlashRequestResponse> = self.chain.query(
                "registry",
                &RegistryQuery::SlashRequests {
                    start_after,
                    limit: Some(30),
                },
            )?;
            let Some(last) = page.last() else { break };
            start_after = Some(last.id);
            for r in page {
                if r.status == SlashStatus::Pending && now >= r.executable_at.seconds() {
                    // a request whose cap is used up this epoch waits for the next tick
                    if self
                        .execute("registry", &RegistryMsg::ExecuteSlash { request_id: r.id })
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
        let peg: PegResponse = self.chain.query("pool", &PoolQuery::Peg {})?;
        if peg.spot_discount_bps >= self.monitors.peg_discount_bps {
            report.alerts.push(Alert::Depeg {
                spot_bps: peg.spot_discount_bps,
                ema_bps: peg.ema_discount_bps,
            });
        }
        let validators: Vec<ValidatorResponse> =
            self.chain.query("hub", &HubQuery::Validators {})?;
        for v in validators {
            if v.actual < v.booked {
                report.alerts.push(Alert::ValidatorSlashed {
                    validator: v.address,
                    missing: (v.booked - v.actual).u128(),
                });
            }
        }
        let state = self.hub_state()?;
        let hub: HubConfig = self.chain.query("hub", &HubQuery::Config {})?;
        let due = state.next_epoch_at.seconds();
        if now > due + hub.epoch_period {
            report.alerts.push(Alert::StaleCrank { overdue: now - due });
        }
        if let Some(cause) = &hub.pause_cause {
            report.alerts.push(Alert::AutoPaused {
                reason: cause.reason.clone(),
                operations: paused_operations(&hub.paused),
                at: cause.at.seconds(),
            });
        }
        if let Some(bunker) = &state.bunker {
            report.alerts.push(Alert::Bunker {
                since: bunker.since.seconds(),
                last_slash_at: bunker.last_slash_at.seconds(),
            });
        }
        let vault_config: VaultConfigResponse =
            self.chain.query("vault", &VaultQuery::Config {})?;
        if let Some(cause) = &vault_config.pause_cause {
            report.alerts.push(Alert::VaultAutoPaused {
                reason: cause.reason.clone(),
                at: cause.at.seconds(),
            });
        }
        let vault: VaultStateResponse = self.chain.query("vault", &VaultQuery::State {})?;
        if !vault.pending_slash.is_zero() {
            report.alerts.push(Alert::VaultBunker {
                pending_slash: vault.pending_slash.u128(),
            });
        }
        if !vault.withheld.is_zero() {
            report.alerts.push(Alert::VaultWithheld {
                withheld: vault.withheld.u128(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Alert;

    #[test]
    fn alerts_read_as_an_operator_would_say_them() {
        let slashed = Alert::ValidatorSlashed {
            validator: "validator1".to_string(),
            missing: 1_666_666_667,
        };
        assert_eq!(
            slashed.to_string(),
            "validator1 was slashed: 1,666.666667 native missing from the hub's books until the next crank"
        );
        let paused = Alert::AutoPaused {
            reason: "rate_drop".to_string(),
            operations: vec!["bond".to_string(), "instant_unstake".to_string()],
            at: 1_700_794_880,
        };
        assert_eq!(
            paused.to_string(),
            "the hub paused bond, instant_unstake (rate_drop) at 2023-11-24 03:01 UTC; only the owner unpauses"
        );
        assert_eq!(
            Alert::StaleCrank { overdue: 7_200 }.to_string(),
            "the hub's crank is overdue by 2 hours"
        );
    }
}
