//! `tributary devnet`: the devnet with its block clock and the keeper, served over HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use tributary_client::Chain as _;
use tributary_devnet::{api, clock, Devnet};
use tributary_keeper::Keeper;

/// Start the devnet (deployed and seeded on first start; resumed from disk after), its block
/// clock, and the keeper; serve the HTTP API.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Directory holding the devnet's database.
    #[arg(long, default_value = ".tributary-devnet")]
    pub data: PathBuf,
    /// Address the API listens on.
    #[arg(long, default_value = "127.0.0.1:26657")]
    pub listen: SocketAddr,
    /// Real milliseconds between blocks (0: time moves only on request).
    #[arg(long, default_value_t = 1000)]
    pub tick_ms: u64,
    /// Simulated seconds per block: 5 is real time, 8640 makes a day pass every 10 blocks.
    #[arg(long, default_value_t = 8640)]
    pub block_seconds: u64,
    /// What runs the contracts: `wasm` (the built artifacts in the CosmWasm VM, with gas
    /// metered as wasmd meters it; every transaction shows its gas) or `native` (the same
    /// contracts compiled into this binary: faster, no gas).
    #[arg(long, default_value = "native")]
    pub engine: tributary_devnet::Engine,
    /// Real seconds between keeper passes (0: no keeper).
    #[arg(long, default_value_t = 2)]
    pub keeper_secs: u64,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let path = args.data.join("devnet.redb");
    eprintln!(
        "opening the devnet at {} on the {} engine (first start deploys and seeds it)...",
        path.display(),
        args.engine
    );
    let devnet = Devnet::open_on(&path, args.engine)?;
    if args.tick_ms > 0 {
        tokio::spawn(clock::run(
            devnet.clone(),
            clock::ClockConfig {
                tick: Duration::from_millis(args.tick_ms),
                simulated_seconds: args.block_seconds.max(1),
            },
        ));
    }
    if args.keeper_secs > 0 {
        let chain = devnet.clone();
        let alerts = devnet.clone();
        let every = Duration::from_secs(args.keeper_secs);
        std::thread::Builder::new()
            .name("keeper".to_string())
            .spawn(move || {
                let mut keeper = Keeper::new(chain);
                let chain = alerts;
                loop {
                    std::thread::sleep(every);
                    let report = keeper.tick();
                    let now = chain.block_time().unwrap_or_default();
                    chain.set_alerts(now, report.alerts.iter().map(|a| a.to_string()).collect());
                    if report.hub_cranked
                        || report.vault_cranked
                        || !report.slashes_executed.is_empty()
                    {
                        tracing::info!(
                            hub = report.hub_cranked,
                            vault = report.vault_cranked,
                            slashes = ?report.slashes_executed,
                            "keeper pass"
                        );
                    }
                }
            })?;
    }
    println!(
        "Tributary devnet API: http://{}  (OpenAPI: http://{}/openapi.json)",
        args.listen, args.listen
    );
    api::serve_with(devnet, args.listen, tributary_cli::web::extra_routes()).await
}
