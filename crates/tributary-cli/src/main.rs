//! `tributary`: liquid restaking on a local devnet.

mod commands;

use clap::{Parser, Subcommand};

/// Tributary: stake, restake, and compare staking models on a local devnet.
#[derive(Parser, Debug)]
#[command(name = "tributary", version)]
struct Cli {
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start the devnet with its clock and keeper, and serve its API.
    Devnet(commands::devnet::Args),
    /// Compare traditional staking, liquid staking and liquid restaking.
    Compare(commands::compare::Args),
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Devnet(args) => {
            tokio::runtime::Runtime::new()?.block_on(commands::devnet::run(args))
        }
        Command::Compare(args) => commands::compare::run(args, cli.json),
    }
}
