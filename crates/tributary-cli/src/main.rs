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
    /// The devnet's API.
    #[arg(long, global = true, default_value = "http://127.0.0.1:26657")]
    api: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start the devnet with its clock and keeper, and serve its API.
    Devnet(commands::devnet::Args),
    /// Compare traditional staking, liquid staking and liquid restaking.
    Compare(commands::compare::Args),
    /// Simulate the three models over many random paths: distributions of yield and risk.
    Simulate(commands::simulate::Args),
    /// Stake native tokens for LST.
    Stake(commands::user::Stake),
    /// Unstake LST (batch, or --instant through the pool).
    Unstake(commands::user::Unstake),
    /// Claim matured unbonding from the hub.
    Claim(commands::user::Claim),
    /// Restake native or LST for LRT.
    Restake(commands::user::Restake),
    /// Request or claim a vault withdrawal.
    Withdraw(commands::user::Withdraw),
    /// Traditional staking: delegate directly to a validator.
    Delegate(commands::user::Delegate),
    /// Balances and positions of an account.
    Balance(commands::user::Balance),
    /// Protocol overview.
    Status,
    /// The hub's validators.
    Validators,
    /// Restaking operators.
    Operators,
    /// Restaking services.
    Services,
    /// Run the hub's and the vault's cranks.
    Crank(commands::operator::Crank),
    /// Slash a validator on the devnet.
    SlashValidator(commands::operator::SlashValidator),
    /// Request a service slash of an operator.
    RequestSlash(commands::operator::RequestSlash),
    /// Veto a slash request.
    Veto(commands::operator::Veto),
    /// Advance the devnet's clock.
    Advance(commands::operator::Advance),
    /// Run the keeper against the devnet's API.
    Keeper(commands::operator::KeeperArgs),
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
    let api = tributary_cli::client::Api::new(&cli.api);
    let json = cli.json;
    use commands::{info, operator, user};
    match cli.command {
        Command::Devnet(args) => {
            tokio::runtime::Runtime::new()?.block_on(commands::devnet::run(args))
        }
        Command::Compare(args) => commands::compare::run(args, json),
        Command::Simulate(args) => commands::simulate::run_cmd(args, json),
        Command::Stake(a) => user::stake(&api, a, json),
        Command::Unstake(a) => user::unstake(&api, a, json),
        Command::Claim(a) => user::claim(&api, a, json),
        Command::Restake(a) => user::restake(&api, a, json),
        Command::Withdraw(a) => user::withdraw(&api, a, json),
        Command::Delegate(a) => user::delegate(&api, a, json),
        Command::Balance(a) => user::balance(&api, a, json),
        Command::Status => info::status(&api, json),
        Command::Validators => info::validators(&api, json),
        Command::Operators => info::operators(&api, json),
        Command::Services => info::services(&api, json),
        Command::Crank(a) => operator::crank(&api, a),
        Command::SlashValidator(a) => operator::slash_validator(&api, a),
        Command::RequestSlash(a) => operator::request_slash(&api, a),
        Command::Veto(a) => operator::veto(&api, a),
        Command::Advance(a) => operator::advance(&api, a),
        Command::Keeper(a) => operator::keeper(&api, a),
    }
}
