//! Running many paths: in parallel with rayon, in shards for a batch runner, with progress.

use rayon::prelude::*;

use crate::path::{run_path, Prepared};
use crate::summary::Summary;

/// Paths a worker takes at a time (progress is reported per chunk).
pub const CHUNK: u64 = 256;

/// Shard `index` of `count` (`I/N` on the command line, `0 <= I < N`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("a shard is written I/N, like 0/8 (got {s:?})"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("the shard index {i:?} is not a number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("the shard count {n:?} is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index}/{count}: the index must be below the count"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The whole run.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// The paths `[start, end)` of this shard of `paths`: contiguous, disjoint, together all.
    pub fn range(&self, paths: u64) -> (u64, u64) {
        let at = |k: u64| (u128::from(paths) * u128::from(k) / u128::from(self.count)) as u64;
        (at(self.index), at(self.index + 1))
    }
}

/// Runs paths `[start, end)` and returns their summary. `progress` is called with the number of
/// paths each finished chunk held. The result does not depend on the number of threads.
pub fn run_range(
    p: &Prepared,
    (start, end): (u64, u64),
    progress: &(dyn Fn(u64) + Sync),
) -> anyhow::Result<Summary> {
    let days = p.config.days;
    let chunks = end.saturating_sub(start).div_ceil(CHUNK);
    let chunks = usize::try_from(chunks)?;
    let parts: Vec<Summary> = (0..chunks)
        .into_par_iter()
        .with_min_len(4)
        .fold(
            || Summary::new(days, &p.fan_days),
            |mut acc, k| {
                let first = start + k as u64 * CHUNK;
                let last = (first + CHUNK).min(end);
                for path in first..last {
                    run_one(p, path, &mut acc);
                }
                progress(last - first);
                acc
            },
        )
        .collect();
    let mut total = Summary::new(days, &p.fan_days);
    for part in &parts {
        total.merge_counts(part)?;
    }
    if end > start {
        total.paths = vec![(start, end)];
    }
    Ok(total)
}

/// Runs one path into `acc`.
pub fn run_one(p: &Prepared, path: u64, acc: &mut Summary) {
    let mut k = 0;
    let fan_days = &p.fan_days;
    let result = run_path(
        p,
        path,
        |rec| {
            if k < fan_days.len() && fan_days[k] == rec.day {
                acc.add_fan(k, &rec.market_value);
                k += 1;
            }
        },
        false,
    );
    acc.add_path(&result);
}

/// Runs the shard `shard` of the configured paths.
pub fn run(p: &Prepared, shard: Shard, progress: &(dyn Fn(u64) + Sync)) -> anyhow::Result<Summary> {
    run_range(p, shard.range(p.config.paths), progress)
}
