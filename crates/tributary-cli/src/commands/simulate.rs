//! `tributary simulate`: the risk simulator. Runs the three staking models over many random
//! paths (or one of the named scenarios), prints the comparison, writes a report with charts,
//! and splits into shards for a batch runner (`--shard I/N --out part.json`, then `merge`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use tributary_sim::config::LrtRoute;
use tributary_sim::report;
use tributary_sim::run::{run, Shard};
use tributary_sim::scenario::{self, ScenarioResult};
use tributary_sim::{Prepared, SimConfig, Stats, Summary};

/// Simulate traditional staking, liquid staking and liquid restaking over many random paths
/// (validator and service slashing, market stress, forced exits) and compare them as
/// distributions: yield, probability of loss, CVaR, drawdown, exit cost and time.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// Merge the outputs of `--shard I/N --out FILE` runs into one result (the same as one
    /// run of all the paths).
    Merge {
        /// The shard files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also write the report (markdown and SVG charts) into this directory.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Number of paths.
    #[arg(long, default_value_t = 10_000)]
    pub paths: u64,
    /// Horizon in days.
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Tokens put into each model.
    #[arg(long, default_value_t = 10_000.0)]
    pub amount: f64,
    /// Seed: the same seed gives the same result on any number of threads.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// A named scenario on top of the random paths: steth-2022, ezeth-2024, correlated-slash,
    /// exit-run.
    #[arg(long)]
    pub scenario: Option<String>,
    /// The chain's staking APR, percent.
    #[arg(long)]
    pub apr: Option<f64>,
    /// Probability that the user must exit before the horizon.
    #[arg(long)]
    pub exit_probability: Option<f64>,
    /// How the LRT holder exits when forced: `withdraw` (vault withdrawal, then sell the LST)
    /// or `pool` (sell the LRT in its pool at once).
    #[arg(long)]
    pub lrt_route: Option<String>,
    /// Share of the vault's LST in the LP strategy (0 to 1).
    #[arg(long)]
    pub lp_share: Option<f64>,
    /// Every parameter from a JSON file (the `config` object a `--json` run prints); the
    /// flags above override it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Run only shard I of N (paths split evenly by index): for a batch runner.
    #[arg(long)]
    pub shard: Option<Shard>,
    /// Write the shard's mergeable summary to this file (for `tributary simulate merge`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the report (report.md, fan.svg, terminal.svg, price.svg) into this directory.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Measure throughput: ends with the line `path-days/s X threads T`.
    #[arg(long)]
    pub bench: bool,
}

/// What a shard writes, and what `merge` reads.
#[derive(Serialize, Deserialize)]
struct ShardFile {
    config: SimConfig,
    scenario: Option<ScenarioResult>,
    summary: Summary,
}

/// What `--json` prints.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    scenario: Option<&'a ScenarioResult>,
    config: &'a SimConfig,
}

fn config_from(args: &RunArgs) -> anyhow::Result<SimConfig> {
    let mut c = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!("{} is not a simulator configuration: {e}", path.display())
            })?
        }
        None => SimConfig::default(),
    };
    c.paths = args.paths;
    c.days = args.days;
    c.deposit = args.amount;
    c.seed = args.seed;
    if let Some(apr) = args.apr {
        c.staking.apr = apr / 100.0;
    }
    if let Some(p) = args.exit_probability {
        c.liquidity.exit_probability = p;
    }
    if let Some(r) = &args.lrt_route {
        c.liquidity.lrt_route = match r.as_str() {
            "withdraw" => LrtRoute::Withdraw,
            "pool" => LrtRoute::Pool,
            other => anyhow::bail!("no LRT route {other:?}: use withdraw or pool"),
        };
    }
    if let Some(s) = args.lp_share {
        c.restaking.lp_share = s;
    }
    Ok(c)
}

fn progress_bar(paths: u64) -> ProgressBar {
    let bar = ProgressBar::new(paths);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} paths, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub fn run_cmd(args: Args, json: bool) -> anyhow::Result<()> {
    match args.command {
        Some(Sub::Merge { files, report }) => merge(&files, report.as_deref(), json),
        None => simulate(args.run, json),
    }
}

fn simulate(args: RunArgs, json: bool) -> anyhow::Result<()> {
    let mut config = config_from(&args)?;
    let mut scenario_result = None;
    if let Some(name) = &args.scenario {
        let (c, s) = scenario::apply(name, config)?;
        config = c;
        scenario_result = Some(s);
    }
    let prepared = Prepared::new(config.clone())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let threads = pool.current_num_threads();
    let shard = args.shard.unwrap_or(Shard::ALL);
    let (start, end) = shard.range(config.paths);
    let bar = progress_bar(end - start);
    let started = Instant::now();
    let summary = pool.install(|| run(&prepared, shard, &|n| bar.inc(n)))?;
    let elapsed = started.elapsed().as_secs_f64();
    bar.finish_and_clear();

    if let Some(out) = &args.out {
        let file = ShardFile {
            config: config.clone(),
            scenario: scenario_result.clone(),
            summary: summary.clone(),
        };
        std::fs::write(out, serde_json::to_vec(&file)?)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
        eprintln!(
            "shard {}/{} (paths {start}..{end}) written to {}",
            shard.index,
            shard.count,
            out.display()
        );
    }
    finish(
        &config,
        &summary,
        scenario_result.as_ref(),
        args.report.as_deref(),
        json,
    )?;
    if args.bench {
        let path_days = (end - start) as f64 * f64::from(config.days);
        println!(
            "{} path-days in {elapsed:.3} s on {threads} threads",
            path_days as u64
        );
        println!("path-days/s {:.0} threads {threads}", path_days / elapsed);
    }
    Ok(())
}

fn finish(
    config: &SimConfig,
    summary: &Summary,
    scenario: Option<&ScenarioResult>,
    report_dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let stats = summary.stats(config.deposit);
    if json {
        let out = Output {
            stats: &stats,
            scenario,
            config,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print!("{}", report::render(&stats, scenario, config));
    }
    if let Some(dir) = report_dir {
        let path = report::write_report(dir, config, summary, scenario)?;
        eprintln!("report written to {}", path.display());
    }
    Ok(())
}

fn merge(files: &[PathBuf], report_dir: Option<&Path>, json: bool) -> anyhow::Result<()> {
    let mut merged: Option<ShardFile> = None;
    for f in files {
        let text =
            std::fs::read(f).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?;
        let part: ShardFile = serde_json::from_slice(&text)
            .map_err(|e| anyhow::anyhow!("{} is not a shard's output: {e}", f.display()))?;
        match merged.as_mut() {
            None => merged = Some(part),
            Some(m) => {
                if m.config != part.config {
                    anyhow::bail!(
                        "{} was run with other parameters than the first shard",
                        f.display()
                    );
                }
                m.summary
                    .merge(&part.summary)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
            }
        }
    }
    let m = merged.ok_or_else(|| anyhow::anyhow!("no shard files given"))?;
    let covered: u64 = m.summary.paths.iter().map(|(a, b)| b - a).sum();
    if covered != m.config.paths {
        eprintln!(
            "warning: the shards cover {covered} of the run's {} paths ({:?})",
            m.config.paths, m.summary.paths
        );
    }
    finish(&m.config, &m.summary, m.scenario.as_ref(), report_dir, json)
}
