//! The bridge between the VM and cw-multi-test.
//!
//! The VM wants a storage, an API and a querier it owns (`'static`), but cw-multi-test only
//! lends a contract its storage and querier for the length of one call. So the VM runs on a
//! scoped worker thread whose backend forwards every host call over a channel, and the calling
//! thread — which keeps the borrowed storage, API and querier — serves them until the worker is
//! done. A query from the contract to another wasm contract re-enters the App on the calling
//! thread, which opens a nested bridge of its own. No `unsafe`, no copy of the contract's state.

use std::collections::HashMap;
use std::sync::mpsc::{channel, Sender};

use cosmwasm_std::{Api, Binary, CanonicalAddr, Order, Querier, Record, Storage, SystemResult};
use cosmwasm_vm::{
    Backend, BackendApi, BackendError, BackendResult, GasInfo, Instance, VmError, VmResult,
};

use crate::gas::{self, KvStats, COST_CANONICALIZE, COST_HUMANIZE, COST_VALIDATE, GAS_MULTIPLIER};

/// What the worker asks of the calling thread.
enum HostCall {
    Get(Vec<u8>),
    Set(Vec<u8>, Vec<u8>),
    Remove(Vec<u8>),
    Range(Option<Vec<u8>>, Option<Vec<u8>>, Order),
    Validate(String),
    Canonicalize(String),
    Humanize(Vec<u8>),
    Query(Vec<u8>),
}

enum HostReply {
    Value(Option<Vec<u8>>),
    Done,
    Records(Vec<Record>),
    Canonical(Vec<u8>),
    Human(String),
    /// The querier's answer and the SDK gas the query cost (charged on the meter already).
    Query(cosmwasm_std::QuerierResult, u64),
    Err(String),
}

struct Envelope {
    call: HostCall,
    reply: Sender<HostReply>,
}

#[derive(Clone)]
struct Link(Sender<Envelope>);

impl Link {
    fn ask(&self, call: HostCall) -> Result<HostReply, BackendError> {
        let (tx, rx) = channel();
        self.0
            .send(Envelope { call, reply: tx })
            .map_err(|_| BackendError::unknown("the host side of the bridge is gone"))?;
        rx.recv()
            .map_err(|_| BackendError::unknown("the host did not answer"))
    }
}

fn unexpected<T>() -> BackendResult<T> {
    (
        Err(BackendError::unknown("unexpected reply on the bridge")),
        GasInfo::free(),
    )
}

/// The VM's storage: forwards to the contract's storage on the calling thread, charging the SDK
/// KV gas of each access (reported to the VM as externally used, so its limit shrinks too).
pub(crate) struct BridgeStorage {
    link: Link,
    iterators: HashMap<u32, (Vec<Record>, usize)>,
    /// `get` takes `&self`, hence the cell.
    pub(crate) kv: std::cell::RefCell<KvStats>,
}

fn external(sdk_gas: u64) -> GasInfo {
    GasInfo::with_externally_used(sdk_gas.saturating_mul(GAS_MULTIPLIER))
}

impl cosmwasm_vm::Storage for BridgeStorage {
    fn get(&self, key: &[u8]) -> BackendResult<Option<Vec<u8>>> {
        match self.link.ask(HostCall::Get(key.to_vec())) {
            Ok(HostReply::Value(v)) => {
                let cost = self.kv.borrow_mut().read(key, v.as_deref());
                (Ok(v), external(cost))
            }
            Ok(HostReply::Err(msg)) => (Err(BackendError::unknown(msg)), GasInfo::free()),
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }

    fn scan(
        &mut self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> BackendResult<u32> {
        match self.link.ask(HostCall::Range(
            start.map(<[u8]>::to_vec),
            end.map(<[u8]>::to_vec),
            order,
        )) {
            Ok(HostReply::Records(records)) => {
                let cost = self
                    .kv
                    .borrow_mut()
                    .seek(records.first().map(|(k, v)| (k.as_slice(), v.as_slice())));
                let id = self.iterators.len() as u32 + 1;
                self.iterators.insert(id, (records, 0));
                (Ok(id), external(cost))
            }
            Ok(HostReply::Err(msg)) => (Err(BackendError::unknown(msg)), GasInfo::free()),
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }

    fn next(&mut self, iterator_id: u32) -> BackendResult<Option<Record>> {
        let Some((records, position)) = self.iterators.get_mut(&iterator_id) else {
            return (
                Err(BackendError::iterator_does_not_exist(iterator_id)),
                GasInfo::free(),
            );
        };
        match records.get(*position).cloned() {
            Some(record) => {
                *position += 1;
                let cost = self.kv.borrow_mut().seek(Some((&record.0, &record.1)));
                (Ok(Some(record)), external(cost))
            }
            // an exhausted iterator is not stepped (wasmvm checks `Valid()` first)
            None => (Ok(None), GasInfo::free()),
        }
    }

    fn set(&mut self, key: &[u8], value: &[u8]) -> BackendResult<()> {
        match self.link.ask(HostCall::Set(key.to_vec(), value.to_vec())) {
            Ok(HostReply::Done) => (Ok(()), external(self.kv.borrow_mut().write(key, value))),
            Ok(HostReply::Err(msg)) => (Err(BackendError::unknown(msg)), GasInfo::free()),
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }

    fn remove(&mut self, key: &[u8]) -> BackendResult<()> {
        match self.link.ask(HostCall::Remove(key.to_vec())) {
            Ok(HostReply::Done) => (Ok(()), external(self.kv.borrow_mut().delete())),
            Ok(HostReply::Err(msg)) => (Err(BackendError::unknown(msg)), GasInfo::free()),
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }
}

/// The VM's address API: the App's own, so addresses agree with the native engine.
#[derive(Clone)]
pub(crate) struct BridgeApi(Link);

fn api_gas(cost: u64) -> GasInfo {
    GasInfo::with_cost(cost * GAS_MULTIPLIER)
}

impl BackendApi for BridgeApi {
    fn addr_validate(&self, input: &str) -> BackendResult<()> {
        match self.0.ask(HostCall::Validate(input.to_string())) {
            Ok(HostReply::Done) => (Ok(()), api_gas(COST_VALIDATE)),
            Ok(HostReply::Err(msg)) => (Err(BackendError::user_err(msg)), api_gas(COST_VALIDATE)),
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }

    fn addr_canonicalize(&self, human: &str) -> BackendResult<Vec<u8>> {
        match self.0.ask(HostCall::Canonicalize(human.to_string())) {
            Ok(HostReply::Canonical(c)) => (Ok(c), api_gas(COST_CANONICALIZE)),
            Ok(HostReply::Err(msg)) => {
                (Err(BackendError::user_err(msg)), api_gas(COST_CANONICALIZE))
            }
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }

    fn addr_humanize(&self, canonical: &[u8]) -> BackendResult<String> {
        match self.0.ask(HostCall::Humanize(canonical.to_vec())) {
            Ok(HostReply::Human(h)) => (Ok(h), api_gas(COST_HUMANIZE)),
            Ok(HostReply::Err(msg)) => (Err(BackendError::user_err(msg)), api_gas(COST_HUMANIZE)),
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }
}

/// The VM's querier: the App's router, on the calling thread.
pub(crate) struct BridgeQuerier(Link);

impl cosmwasm_vm::Querier for BridgeQuerier {
    fn query_raw(
        &self,
        request: &[u8],
        gas_limit: u64,
    ) -> BackendResult<SystemResult<cosmwasm_std::ContractResult<Binary>>> {
        match self.0.ask(HostCall::Query(request.to_vec())) {
            Ok(HostReply::Query(result, sdk_gas)) => {
                let used = sdk_gas.saturating_mul(GAS_MULTIPLIER);
                if used > gas_limit {
                    return (Err(BackendError::out_of_gas()), GasInfo::free());
                }
                (Ok(result), GasInfo::with_externally_used(used))
            }
            Ok(HostReply::Err(msg)) => (Err(BackendError::unknown(msg)), GasInfo::free()),
            Ok(_) => unexpected(),
            Err(e) => (Err(e), GasInfo::free()),
        }
    }
}

/// The VM backend the worker owns.
pub(crate) type BridgeBackend = Backend<BridgeApi, BridgeStorage, BridgeQuerier>;
/// An instance on the bridge.
pub(crate) type BridgeInstance = Instance<BridgeApi, BridgeStorage, BridgeQuerier>;

/// The calling thread's side: what cw-multi-test lent the contract for this call.
pub(crate) struct Host<'a> {
    pub(crate) storage: HostStorage<'a>,
    pub(crate) api: &'a dyn Api,
    pub(crate) querier: &'a dyn Querier,
}

pub(crate) enum HostStorage<'a> {
    Mut(&'a mut dyn Storage),
    Ref(&'a dyn Storage),
}

impl HostStorage<'_> {
    fn get(&self) -> &dyn Storage {
        match self {
            HostStorage::Mut(s) => &**s,
            HostStorage::Ref(s) => *s,
        }
    }
}

impl Host<'_> {
    fn serve(&mut self, call: HostCall) -> HostReply {
        match call {
            HostCall::Get(key) => HostReply::Value(self.storage.get().get(&key)),
            HostCall::Set(key, value) => match &mut self.storage {
                HostStorage::Mut(s) => {
                    s.set(&key, &value);
                    HostReply::Done
                }
                HostStorage::Ref(_) => HostReply::Err("storage is read-only in a query".into()),
            },
            HostCall::Remove(key) => match &mut self.storage {
                HostStorage::Mut(s) => {
                    s.remove(&key);
                    HostReply::Done
                }
                HostStorage::Ref(_) => HostReply::Err("storage is read-only in a query".into()),
            },
            HostCall::Range(start, end, order) => HostReply::Records(
                self.storage
                    .get()
                    .range(start.as_deref(), end.as_deref(), order)
                    .collect(),
            ),
            HostCall::Validate(input) => match self.api.addr_validate(&input) {
                Ok(_) => HostReply::Done,
                Err(e) => HostReply::Err(e.to_string()),
            },
            HostCall::Canonicalize(human) => match self.api.addr_canonicalize(&human) {
                Ok(c) => HostReply::Canonical(c.to_vec()),
                Err(e) => HostReply::Err(e.to_string()),
            },
            HostCall::Humanize(canonical) => {
                match self.api.addr_humanize(&CanonicalAddr::from(canonical)) {
                    Ok(h) => HostReply::Human(h.to_string()),
                    Err(e) => HostReply::Err(e.to_string()),
                }
            }
            HostCall::Query(request) => {
                let before = gas::with_meter(|m| m.report.gas_used);
                let result = self.querier.raw_query(&request);
                if !is_smart_query(&request) {
                    // served by the chain's modules; a smart query charged its contract's call
                    let response_len = match &result {
                        SystemResult::Ok(cosmwasm_std::ContractResult::Ok(b)) => b.len(),
                        _ => 0,
                    };
                    let cost = gas::chain_query_cost(request.len(), response_len);
                    gas::with_meter(|m| {
                        m.report.chain_query_gas += cost;
                        m.charge(cost);
                    });
                }
                let after = gas::with_meter(|m| m.report.gas_used);
                HostReply::Query(result, after.saturating_sub(before))
            }
        }
    }
}

fn is_smart_query(request: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(request)
        .ok()
        .and_then(|v| v.get("wasm").map(|w| w.get("smart").is_some()))
        .unwrap_or(false)
}

/// A VM backend whose every host call goes over `link`.
fn backend(link: Link) -> BridgeBackend {
    Backend {
        api: BridgeApi(link.clone()),
        storage: BridgeStorage {
            link: link.clone(),
            iterators: HashMap::new(),
            kv: Default::default(),
        },
        querier: BridgeQuerier(link),
    }
}

/// What a call on the worker gives back.
pub(crate) struct WorkerOutcome<T> {
    pub(crate) result: VmResult<T>,
    /// CosmWasm gas used inside the VM (wasm and host-function costs).
    pub(crate) vm_gas: u64,
    pub(crate) kv: KvStats,
}

/// Runs `call` on a fresh instance of `code` on a worker thread, serving its host calls from
/// `host` on this thread, with `vm_gas_limit` CosmWasm gas.
pub(crate) fn run<T: Send>(
    code: &crate::WasmCode,
    vm_gas_limit: u64,
    readonly: bool,
    mut host: Host<'_>,
    call: impl FnOnce(&mut BridgeInstance) -> VmResult<T> + Send,
) -> Result<WorkerOutcome<T>, String> {
    std::thread::scope(|scope| {
        let (tx, rx) = channel::<Envelope>();
        let worker = std::thread::Builder::new()
            .name(format!("wasm-{}", code.name))
            .stack_size(16 * 1024 * 1024)
            .spawn_scoped(scope, move || {
                let backend = backend(Link(tx));
                let store = wasmer::Store::new(code.engine.clone());
                let mut instance = match cosmwasm_vm::internals::instance_from_module(
                    store,
                    &code.module,
                    backend,
                    vm_gas_limit,
                    None,
                ) {
                    Ok(i) => i,
                    Err(e) => {
                        return WorkerOutcome {
                            result: Err(e),
                            vm_gas: 0,
                            kv: KvStats::default(),
                        }
                    }
                };
                instance.set_storage_readonly(readonly);
                let result = call(&mut instance);
                let report = instance.create_gas_report();
                let kv = instance
                    .recycle()
                    .map(|b| b.storage.kv.into_inner())
                    .unwrap_or_default();
                WorkerOutcome {
                    result,
                    vm_gas: report.used_internally,
                    kv,
                }
            })
            .map_err(|e| format!("cannot start the VM thread: {e}"))?;
        // serve until every link is dropped (the worker is done)
        for envelope in rx {
            let reply = host.serve(envelope.call);
            // the worker may have given up waiting (it never does); nothing to do then
            let _ = envelope.reply.send(reply);
        }
        worker
            .join()
            .map_err(|_| format!("the VM thread running {} panicked", code.name))
    })
}

/// Whether a VM error means the gas ran out: in wasm (`GasDepletion`), or in a host function
/// (storage, query, API), whose depletion reaches us as a runtime error carrying its message.
pub(crate) fn is_out_of_gas(e: &VmError) -> bool {
    matches!(
        e,
        VmError::GasDepletion { .. }
            | VmError::BackendErr {
                source: BackendError::OutOfGas {},
                ..
            }
    ) || e.to_string().contains("Ran out of gas")
}

/// Creates and drops one instance of `code` with a backend that serves nothing (for measuring
/// the cost of instantiation alone).
#[doc(hidden)]
pub fn bench_instantiate(code: &crate::WasmCode) -> bool {
    let (tx, _rx) = channel::<Envelope>();
    let backend = backend(Link(tx));
    let store = wasmer::Store::new(code.engine.clone());
    cosmwasm_vm::internals::instance_from_module(store, &code.module, backend, u64::MAX / 2, None)
        .is_ok()
}
