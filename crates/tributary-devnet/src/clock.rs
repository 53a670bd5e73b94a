//! The block clock: every tick, simulated time moves forward (a logged `advance`), so staking
//! rewards accrue and unbondings mature while the devnet runs.

use std::time::Duration;

use crate::{Devnet, Op};

/// How the clock runs.
#[derive(Clone, Copy, Debug)]
pub struct ClockConfig {
    /// Real time between ticks.
    pub tick: Duration,
    /// Simulated seconds per tick (block time × speed-up).
    pub simulated_seconds: u64,
}

/// Runs the clock until the devnet stops.
pub async fn run(devnet: Devnet, config: ClockConfig) {
    let mut interval = tokio::time::interval(config.tick);
    interval.tick().await;
    loop {
        interval.tick().await;
        let op = Op::Advance {
            seconds: config.simulated_seconds,
        };
        if let Err(e) = devnet.submit(op).await {
            tracing::warn!("clock tick failed: {e}");
            if matches!(e, crate::ChainError::Unavailable(_)) {
                return;
            }
        }
    }
}
