//! Tributary's embedded devnet: an in-process chain (cw-multi-test with staking, distribution
//! and slashing) holding the real contracts, deployed and seeded at genesis, persisted to disk,
//! and served over HTTP.
//!
//! Persistence is event-sourced: every operation that changes the chain (a transaction, a time
//! advance, a validator slash) is applied, then appended to an embedded redb log and committed
//! durably before it is acknowledged. Opening the devnet rebuilds the chain from genesis by
//! replaying the log; the chain is deterministic, so a restart resumes exactly where it stopped
//! and a crash loses nothing that was acknowledged.
//!
//! The genesis is `tributary-deploy`'s ([`tributary_deploy::DeployOptions::devnet`]); a
//! [`Devnet`] handle is a [`tributary_client::Chain`], as the HTTP API is through
//! [`tributary_client::DevnetApi`]. The `tributary devnet` command runs it.

pub mod api;
pub mod chain;
pub mod client;
pub mod clock;
pub mod store;
pub mod web;

pub use chain::{Chain, ChainError, Op};
pub use store::Store;
pub use tributary_deploy::Engine;

use std::path::Path;

use tokio::sync::{broadcast, oneshot};

/// A chain event for subscribers (the SSE stream).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Event {
    /// Sequence number of the operation in the log.
    pub seq: u64,
    /// Block height after it.
    pub height: u64,
    /// Block time after it, seconds.
    pub time: u64,
    /// What happened.
    pub kind: String,
    /// Details (the transaction's wasm events, the slash, ...).
    pub detail: serde_json::Value,
}

/// The thread that owns the chain (cw-multi-test's `App` is not `Send`), its log and the poison
/// flag, and runs jobs one at a time.
pub struct Worker {
    chain: Chain,
    store: Store,
    events: broadcast::Sender<Event>,
    /// Set if a log write failed after an operation was applied: the chain is then ahead of the
    /// log and the devnet refuses further writes until it is reopened.
    poisoned: bool,
}

impl Worker {
    /// Applies `op`; if it succeeds, logs it durably, then acknowledges it.
    pub fn submit(&mut self, op: Op) -> Result<serde_json::Value, ChainError> {
        if self.poisoned {
            return Err(ChainError::Unavailable(
                "a log write failed; restart the devnet".to_string(),
            ));
        }
        let result = self.chain.apply(&op)?;
        let seq = match self.store.append(&op) {
            Ok(seq) => seq,
            Err(e) => {
                self.poisoned = true;
                return Err(ChainError::Unavailable(format!("could not persist: {e}")));
            }
        };
        let block = self.chain.block();
        let _ = self.events.send(Event {
            seq,
            height: block.height,
            time: block.time.seconds(),
            kind: op.kind().to_string(),
            detail: result.clone(),
        });
        Ok(result)
    }

    /// The chain, for reads.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// Operations in the log.
    pub fn log_len(&self) -> u64 {
        self.store.len().unwrap_or_default()
    }
}

type Job = Box<dyn FnOnce(&mut Worker) + Send>;

/// What the keeper running beside the devnet last reported.
#[derive(Clone, Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct KeeperAlerts {
    /// Block time of the keeper pass, unix seconds.
    pub time: u64,
    /// Each alert, as an operator reads it.
    pub alerts: Vec<String>,
}

/// A handle to the devnet: cheap to clone, usable from any thread or task.
#[derive(Clone)]
pub struct Devnet {
    jobs: std::sync::mpsc::Sender<Job>,
    events: broadcast::Sender<Event>,
    alerts: std::sync::Arc<std::sync::Mutex<KeeperAlerts>>,
    thread: std::sync::Arc<std::sync::Mutex<Option<std::thread::JoinHandle<()>>>>,
}

impl Devnet {
    /// Opens (or creates) the devnet stored at `path`: builds the genesis chain and replays the
    /// log on the worker thread.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        Self::open_on(path, Engine::Native)
    }

    /// [`Devnet::open`] with the contracts run by `engine` (the log replays on any engine: the
    /// engines agree on every result).
    pub fn open_on(path: &Path, engine: Engine) -> anyhow::Result<Self> {
        let (events, _) = broadcast::channel(1024);
        let (jobs, inbox) = std::sync::mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<anyhow::Result<()>>();
        let path = path.to_path_buf();
        let worker_events = events.clone();
        let thread = std::thread::Builder::new()
            .name("devnet-chain".to_string())
            .spawn(move || {
                let opened = (|| -> anyhow::Result<Worker> {
                    let store = Store::open(&path)?;
                    let mut chain = Chain::genesis_on(engine)?;
                    let ops = store.load()?;
                    for (seq, op) in &ops {
                        chain.apply(op).map_err(|e| {
                            anyhow::anyhow!("replaying operation {seq} failed: {e}")
                        })?;
                    }
                    tracing::info!(operations = ops.len(), "devnet opened");
                    Ok(Worker {
                        chain,
                        store,
                        events: worker_events,
                        poisoned: false,
                    })
                })();
                let mut worker = match opened {
                    Ok(w) => {
                        let _ = ready_tx.send(Ok(()));
                        w
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                // runs until every handle is dropped
                while let Ok(job) = inbox.recv() {
                    job(&mut worker);
                }
            })?;
        ready_rx
            .recv()
            .map_err(|_| anyhow::anyhow!("the devnet thread stopped while opening"))??;
        Ok(Devnet {
            jobs,
            events,
            alerts: Default::default(),
            thread: std::sync::Arc::new(std::sync::Mutex::new(Some(thread))),
        })
    }

    /// Stops the chain's thread and closes the database. Every other handle must have been
    /// dropped, or this waits for them.
    pub fn close(self) -> anyhow::Result<()> {
        let thread = self
            .thread
            .lock()
            .map_err(|_| anyhow::anyhow!("lock poisoned"))?
            .take();
        drop(self.jobs);
        if let Some(t) = thread {
            t.join()
                .map_err(|_| anyhow::anyhow!("the devnet thread panicked"))?;
        }
        Ok(())
    }

    fn send<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, ChainError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Box::new(move |w| {
                let _ = reply.send(f(w));
            }))
            .map_err(|_| ChainError::Unavailable("the devnet has stopped".to_string()))?;
        Ok(answer)
    }

    /// Runs `f` on the chain's thread and awaits its result.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> Result<T, ChainError> {
        self.send(f)?
            .await
            .map_err(|_| ChainError::Unavailable("the devnet has stopped".to_string()))
    }

    /// Runs `f` on the chain's thread and blocks for its result (outside async code).
    pub fn call_blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> Result<T, ChainError> {
        self.send(f)?
            .blocking_recv()
            .map_err(|_| ChainError::Unavailable("the devnet has stopped".to_string()))
    }

    /// Applies and logs an operation (async).
    pub async fn submit(&self, op: Op) -> Result<serde_json::Value, ChainError> {
        self.call(move |w| w.submit(op)).await?
    }

    /// Records the alerts of a keeper pass (they replace the previous pass's); a change is
    /// announced on the event stream as an `alert` event.
    pub fn set_alerts(&self, time: u64, alerts: Vec<String>) {
        let changed = match self.alerts.lock() {
            Ok(mut current) => {
                let changed = current.alerts != alerts;
                *current = KeeperAlerts {
                    time,
                    alerts: alerts.clone(),
                };
                changed
            }
            Err(_) => false,
        };
        if changed {
            let _ = self.events.send(Event {
                seq: 0,
                height: 0,
                time,
                kind: "alert".to_string(),
                detail: serde_json::json!({ "alerts": alerts }),
            });
        }
    }

    /// The keeper's last alerts.
    pub fn alerts(&self) -> KeeperAlerts {
        self.alerts.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// Subscribes to chain events.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }
}
