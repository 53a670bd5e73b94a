//! Operator commands: crank, slash-validator, request-slash, veto, advance; and the standalone
//! keeper.

use std::time::Duration;

use cosmwasm_std::Decimal;
use tributary_cli::client::Api;
use tributary_client::Chain;
use tributary_keeper::Keeper;
use tributary_types::hub::ExecuteMsg as HubMsg;
use tributary_types::registry::ExecuteMsg as RegistryMsg;
use tributary_types::vault::ExecuteMsg as VaultMsg;

/// Run the hub's and the vault's cranks now.
#[derive(clap::Args, Debug)]
pub struct Crank {
    /// Account that sends the cranks.
    #[arg(long, default_value = "keeper")]
    pub from: String,
}

pub fn crank(api: &Api, a: Crank) -> anyhow::Result<()> {
    match api.execute(&a.from, "hub", &HubMsg::Crank {}, &[]) {
        Ok(_) => println!("hub cranked"),
        Err(e) => println!("hub: {e}"),
    }
    api.execute(&a.from, "vault", &VaultMsg::Crank {}, &[])?;
    println!("vault cranked");
    Ok(())
}

/// Slash a validator on the chain (a devnet operator tool).
#[derive(clap::Args, Debug)]
pub struct SlashValidator {
    /// Validator to slash.
    pub validator: String,
    /// Fraction to slash, for example 0.05.
    pub fraction: String,
}

pub fn slash_validator(api: &Api, a: SlashValidator) -> anyhow::Result<()> {
    let fraction: Decimal = a
        .fraction
        .parse()
        .map_err(|e| anyhow::anyhow!("bad request: fraction {:?}: {e}", a.fraction))?;
    api.slash_validator(&a.validator, fraction)?;
    println!("slashed {} by {}", a.validator, a.fraction);
    Ok(())
}

/// As a service's admin, request a slash of an operator (executable after the veto window).
#[derive(clap::Args, Debug)]
pub struct RequestSlash {
    /// Service id.
    #[arg(long)]
    pub service: u64,
    /// Operator account name.
    #[arg(long)]
    pub operator: String,
    /// Fraction of the operator's allocation, in bps.
    #[arg(long)]
    pub bps: u16,
    /// The service's admin account.
    #[arg(long)]
    pub from: String,
    /// Reason, for the record.
    #[arg(long, default_value = "misbehaviour")]
    pub reason: String,
}

pub fn request_slash(api: &Api, a: RequestSlash) -> anyhow::Result<()> {
    let msg = RegistryMsg::RequestSlash {
        service: a.service,
        operator: api.address(&a.operator)?,
        fraction_bps: a.bps,
        reason: a.reason,
    };
    let res = api.execute(&a.from, "registry", &msg, &[])?;
    let id = res.attr("request_id").unwrap_or("?");
    println!("slash request {id} made; the resolver may veto it until the window ends");
    Ok(())
}

/// As a service's resolver, veto a slash request inside its window.
#[derive(clap::Args, Debug)]
pub struct Veto {
    /// Slash request id.
    pub request_id: u64,
    /// The resolver account.
    #[arg(long)]
    pub from: String,
}

pub fn veto(api: &Api, a: Veto) -> anyhow::Result<()> {
    let msg = RegistryMsg::VetoSlash {
        request_id: a.request_id,
    };
    api.execute(&a.from, "registry", &msg, &[])?;
    println!("slash request {} vetoed", a.request_id);
    Ok(())
}

/// Move the devnet's clock forward.
#[derive(clap::Args, Debug)]
pub struct Advance {
    /// Days to advance.
    #[arg(long, default_value_t = 0)]
    pub days: u64,
    /// Seconds to advance (added to --days).
    #[arg(long, default_value_t = 0)]
    pub seconds: u64,
}

pub fn advance(api: &Api, a: Advance) -> anyhow::Result<()> {
    let seconds = a.days.saturating_mul(86_400).saturating_add(a.seconds);
    if seconds == 0 {
        anyhow::bail!("give --days or --seconds");
    }
    let block = api.advance_time(seconds)?;
    println!(
        "now at height {} ({})",
        block.height,
        tributary_client::human_time(block.time)
    );
    Ok(())
}

/// Run the keeper against a devnet's API (it also runs inside `tributary devnet`).
#[derive(clap::Args, Debug)]
pub struct KeeperArgs {
    /// Seconds between passes.
    #[arg(long, default_value_t = 5)]
    pub every: u64,
    /// Stop after this many passes (0: run until stopped).
    #[arg(long, default_value_t = 0)]
    pub passes: u64,
}

pub fn keeper(api: &Api, a: KeeperArgs) -> anyhow::Result<()> {
    let mut keeper = Keeper::new(api.clone());
    let mut done = 0;
    loop {
        let report = keeper.tick();
        println!(
            "pass {}: hub {} vault {} slashes {:?} alerts {:?} errors {:?}",
            done + 1,
            if report.hub_cranked { "cranked" } else { "-" },
            if report.vault_cranked { "cranked" } else { "-" },
            report.slashes_executed,
            report.alerts,
            report.errors
        );
        done += 1;
        if a.passes > 0 && done >= a.passes {
            return Ok(());
        }
        std::thread::sleep(Duration::from_secs(a.every.max(1)));
    }
}
