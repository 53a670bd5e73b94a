//! `tributary-devnet`: runs the embedded devnet and its HTTP API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use tributary_devnet::{api, clock, Devnet};

/// Runs Tributary's devnet: the real contracts on an in-process chain, deployed and seeded at
/// genesis, persisted to disk (a restart resumes where it stopped), served over HTTP.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Directory holding the devnet's database.
    #[arg(long, default_value = ".tributary-devnet")]
    data: PathBuf,
    /// Address the API listens on.
    #[arg(long, default_value = "127.0.0.1:26657")]
    listen: SocketAddr,
    /// Real milliseconds between blocks (0 stops the clock: time moves only on request).
    #[arg(long, default_value_t = 1000)]
    tick_ms: u64,
    /// Simulated seconds per block (5 is a normal block time; 8640 makes a day pass in 10 blocks).
    #[arg(long, default_value_t = 5)]
    block_seconds: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let devnet = Devnet::open(&args.data.join("devnet.redb"))?;
    if args.tick_ms > 0 {
        tokio::spawn(clock::run(
            devnet.clone(),
            clock::ClockConfig {
                tick: Duration::from_millis(args.tick_ms),
                simulated_seconds: args.block_seconds.max(1),
            },
        ));
    }
    api::serve(devnet, args.listen).await
}
