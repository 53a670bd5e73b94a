//! `tributary compare`: traditional staking, liquid staking and liquid restaking side by side.

use tributary_cli::compare::{self, CompareConfig};

/// Put the same amount through traditional staking, liquid staking and liquid restaking on a
/// scratch devnet, live through a period with a validator slash, a service slash and a depeg
/// sell-off, and report each model's value, yield, exit routes and losses.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Amount put into each model, in tokens.
    #[arg(long, default_value_t = 10_000)]
    pub amount: u128,
    /// Length of the period, in days.
    #[arg(long, default_value_t = 30)]
    pub days: u64,
    /// Slash validator1 by this percent a third of the way in (0: none).
    #[arg(long, default_value_t = 5)]
    pub validator_slash: u64,
    /// Have the oracle network slash operator-a by this many bps halfway in (0: none).
    #[arg(long, default_value_t = 500)]
    pub service_slash_bps: u16,
    /// Sell this many tokens of LST into the pool on the last day (0: none).
    #[arg(long, default_value_t = 20_000)]
    pub depeg_sell: u128,
    /// Also draw each model's value over the period to this SVG file.
    #[arg(long)]
    pub chart: Option<std::path::PathBuf>,
}

pub fn run(args: Args, json: bool) -> anyhow::Result<()> {
    let config = CompareConfig {
        amount: args.amount,
        days: args.days,
        validator_slash_pct: args.validator_slash,
        service_slash_bps: args.service_slash_bps,
        depeg_sell: args.depeg_sell,
    };
    let dir = std::env::temp_dir().join(format!("tributary-compare-{}", std::process::id()));
    eprintln!("simulating {} days on a scratch devnet...", config.days);
    let (reports, lab) = compare::run(&config, &dir)?;
    drop(lab);
    let _ = std::fs::remove_dir_all(&dir);
    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    } else {
        print!("{}", compare::render(&reports, config.days));
    }
    if let Some(path) = args.chart {
        let title = format!(
            "{} tokens staked three ways over {} days",
            config.amount, config.days
        );
        tributary_cli::chart::write_values(&reports, &path, &title)?;
        eprintln!("chart written to {}", path.display());
    }
    Ok(())
}
