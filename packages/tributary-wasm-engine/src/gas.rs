//! Gas as wasmd charges it by default, in Cosmos SDK gas units unless a name says otherwise.
//!
//! Sources (looked up in wasmd v0.70 and cosmos-sdk v0.50+; see `docs/research/issue12-wasm-engine.md`):
//! - `x/wasm/types/gas_register.go`: the gas multiplier, instance costs, event costs;
//! - `x/wasm/keeper/api.go`: address costs; `x/wasm/keeper/keeper.go`: JSON deserialization;
//! - `store/types/gas.go` (`KVGasConfig`) and `store/gaskv/store.go`: storage access;
//! - `x/wasm/types/keys.go`: the contract store prefix every key carries.
//!
//! One transaction is metered by a [`Meter`] that lives on the thread that runs the chain (the
//! cw-multi-test `App`); [`metered`] runs a closure as one transaction and returns its
//! [`GasReport`]. Outside [`metered`] the engine charges an unreported ambient meter with a
//! generous limit, so tests that do not look at gas are never stopped by it.

use std::cell::RefCell;
use std::collections::HashSet;

use cosmwasm_std::{Attribute, Checksum, Event};
use serde::Serialize;

/// CosmWasm gas per SDK gas (`DefaultGasMultiplier`, `gas_register.go`; 140_000 since wasmd
/// v0.51, when CosmWasm 2.0 made its unit 1000x smaller).
pub const GAS_MULTIPLIER: u64 = 140_000;
/// Loading a contract's code the first time in a transaction (`DefaultInstanceCost`).
pub const INSTANCE_COST: u64 = 60_000;
/// Loading a code already loaded in the transaction, or pinned, and every reply
/// (`DefaultInstanceCostDiscount`; the discount: `keeper.go` `checkDiscountEligibility`).
pub const INSTANCE_COST_DISCOUNT: u64 = 2_000;
/// Per byte of event attribute keys and values beyond the free tier
/// (`DefaultEventAttributeDataCost`).
pub const EVENT_ATTRIBUTE_DATA_COST: u64 = 1;
/// Attribute bytes free per response (`DefaultEventAttributeDataFreeTier`).
pub const EVENT_ATTRIBUTE_DATA_FREE_TIER: u64 = 100;
/// Per attribute (`DefaultPerAttributeCost`).
pub const PER_ATTRIBUTE_COST: u64 = 10;
/// Per custom event, plus [`EVENT_ATTRIBUTE_DATA_COST`] per byte of its type, with no free tier
/// (`DefaultPerCustomEventCost`).
pub const PER_CUSTOM_EVENT_COST: u64 = 20;
/// Per byte of a contract's JSON result (`DefaultDeserializationCostPerByte`, `keeper.go`,
/// added to the VM's internal gas by wasmvm).
pub const DESERIALIZATION_COST_PER_BYTE: u64 = 1;
/// `addr_humanize` (`DefaultGasCostHumanAddress`, `api.go`).
pub const COST_HUMANIZE: u64 = 5;
/// `addr_canonicalize` (`DefaultGasCostCanonicalAddress`).
pub const COST_CANONICALIZE: u64 = 4;
/// `addr_validate`: humanize + canonicalize (`api.go` `validateAddress`).
pub const COST_VALIDATE: u64 = COST_HUMANIZE + COST_CANONICALIZE;

/// Cosmos SDK `KVGasConfig` (`store/types/gas.go`).
pub const HAS_COST: u64 = 1_000;
/// `DeleteCost`.
pub const DELETE_COST: u64 = 1_000;
/// `ReadCostFlat`.
pub const READ_COST_FLAT: u64 = 1_000;
/// `ReadCostPerByte`, on the key and the value read.
pub const READ_COST_PER_BYTE: u64 = 3;
/// `WriteCostFlat`.
pub const WRITE_COST_FLAT: u64 = 2_000;
/// `WriteCostPerByte`, on the key and the value written.
pub const WRITE_COST_PER_BYTE: u64 = 30;
/// `IterNextCostFlat`: creating an iterator and each step.
pub const ITER_NEXT_COST_FLAT: u64 = 30;
/// Every contract key is stored under `0x03 || contract address` (32 bytes), and the metered
/// store sees the whole key (`keys.go` `GetContractStorePrefix`, `keeper.go` `prefix.NewStore`).
pub const CONTRACT_KEY_PREFIX_LEN: u64 = 33;

/// Queries to the chain's own modules (bank balances, staking delegations and validators) are
/// served by the SDK keepers on the transaction's meter. This engine prices each as one store
/// read of its request and response bytes: [`READ_COST_FLAT`] + [`READ_COST_PER_BYTE`] per byte.
/// An estimate (a list query iterates on chain: 30 per entry plus the same bytes), stated in
/// `docs/gas.md`.
pub fn chain_query_cost(request_len: usize, response_len: usize) -> u64 {
    READ_COST_FLAT + READ_COST_PER_BYTE * (request_len as u64 + response_len as u64)
}

fn key_len(key: &[u8]) -> u64 {
    key.len() as u64 + CONTRACT_KEY_PREFIX_LEN
}

/// A read: flat, plus the key's and the value's bytes (none when absent).
pub fn read_cost(key: &[u8], value: Option<&[u8]>) -> u64 {
    READ_COST_FLAT
        + READ_COST_PER_BYTE * key_len(key)
        + READ_COST_PER_BYTE * value.map_or(0, |v| v.len() as u64)
}

/// A write: flat, plus the key's and the value's bytes.
pub fn write_cost(key: &[u8], value: &[u8]) -> u64 {
    WRITE_COST_FLAT + WRITE_COST_PER_BYTE * (key_len(key) + value.len() as u64)
}

/// One seek of an iterator (at creation and at each step): flat, plus the current record's
/// bytes if there is one (`gaskv` `consumeSeekGas`).
pub fn seek_cost(record: Option<(&[u8], &[u8])>) -> u64 {
    ITER_NEXT_COST_FLAT
        + record.map_or(0, |(k, v)| {
            READ_COST_PER_BYTE * (key_len(k) + v.len() as u64)
        })
}

/// Gas for a response's attributes and events (`gas_register.go` `EventCosts`).
pub fn event_cost(attributes: &[Attribute], events: &[Event]) -> u64 {
    let (mut gas, mut free) = attribute_cost(attributes, EVENT_ATTRIBUTE_DATA_FREE_TIER);
    for event in events {
        gas += PER_CUSTOM_EVENT_COST + EVENT_ATTRIBUTE_DATA_COST * event.ty.len() as u64;
        let (cost, left) = attribute_cost(&event.attributes, free);
        gas += cost;
        free = left;
    }
    gas
}

fn attribute_cost(attributes: &[Attribute], free: u64) -> (u64, u64) {
    if attributes.is_empty() {
        return (0, free);
    }
    let bytes: u64 = attributes
        .iter()
        .map(|a| (a.key.len() + a.value.len()) as u64)
        .sum();
    let charged = bytes.saturating_sub(free);
    let left = free.saturating_sub(bytes);
    (
        EVENT_ATTRIBUTE_DATA_COST * charged + PER_ATTRIBUTE_COST * attributes.len() as u64,
        left,
    )
}

/// Storage access counted for a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KvStats {
    /// Reads (`get`), found or not.
    pub reads: u64,
    /// Bytes read: keys (with the contract prefix) and values.
    pub read_bytes: u64,
    /// Writes (`set`).
    pub writes: u64,
    /// Bytes written: keys (with the contract prefix) and values.
    pub write_bytes: u64,
    /// Deletes.
    pub deletes: u64,
    /// Iterator seeks: one at creation and one per record returned.
    pub iter_steps: u64,
    /// SDK gas of all of the above.
    pub gas: u64,
}

impl KvStats {
    pub(crate) fn add(&mut self, other: &KvStats) {
        self.reads += other.reads;
        self.read_bytes += other.read_bytes;
        self.writes += other.writes;
        self.write_bytes += other.write_bytes;
        self.deletes += other.deletes;
        self.iter_steps += other.iter_steps;
        self.gas += other.gas;
    }

    pub(crate) fn read(&mut self, key: &[u8], value: Option<&[u8]>) -> u64 {
        let cost = read_cost(key, value);
        self.reads += 1;
        self.read_bytes += key_len(key) + value.map_or(0, |v| v.len() as u64);
        self.gas += cost;
        cost
    }

    pub(crate) fn write(&mut self, key: &[u8], value: &[u8]) -> u64 {
        let cost = write_cost(key, value);
        self.writes += 1;
        self.write_bytes += key_len(key) + value.len() as u64;
        self.gas += cost;
        cost
    }

    pub(crate) fn delete(&mut self) -> u64 {
        self.deletes += 1;
        self.gas += DELETE_COST;
        DELETE_COST
    }

    pub(crate) fn seek(&mut self, record: Option<(&[u8], &[u8])>) -> u64 {
        let cost = seek_cost(record);
        self.iter_steps += 1;
        if let Some((k, v)) = record {
            self.read_bytes += key_len(k) + v.len() as u64;
        }
        self.gas += cost;
        cost
    }
}

/// The gas of one transaction, in SDK gas unless a name says otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GasReport {
    /// The whole: what the chain would charge against the transaction's gas limit.
    pub gas_used: u64,
    /// The limit it ran under.
    pub gas_limit: u64,
    /// Whether it ran out (the transaction failed; `gas_used` is then the limit).
    pub out_of_gas: bool,
    /// Contract calls (instantiate, execute, query from a contract, reply, sudo, migrate).
    pub calls: u64,
    /// Calls that paid the full [`INSTANCE_COST`] (first load of a code in the transaction).
    pub instances_full: u64,
    /// Calls that paid [`INSTANCE_COST_DISCOUNT`].
    pub instances_discounted: u64,
    /// SDK gas of loading instances.
    pub instance_gas: u64,
    /// CosmWasm gas the VM used executing wasm and host functions (its own unit).
    pub vm_gas: u64,
    /// The same in SDK gas (each call's VM gas divided by [`GAS_MULTIPLIER`], as wasmd does).
    pub vm_sdk_gas: u64,
    /// Storage access by the contracts.
    pub kv: KvStats,
    /// Gas of queries to the chain's modules ([`chain_query_cost`]).
    pub chain_query_gas: u64,
    /// Gas of events and attributes ([`event_cost`]).
    pub event_gas: u64,
    /// Gas of deserializing results ([`DESERIALIZATION_COST_PER_BYTE`]).
    pub deserialization_gas: u64,
}

/// The limit of the ambient meter that runs outside [`metered`]: large enough for anything a
/// test does, small enough that a runaway loop still stops.
pub const AMBIENT_GAS_LIMIT: u64 = 10_000_000_000;

/// The meter of the transaction running on this thread.
pub(crate) struct Meter {
    pub(crate) report: GasReport,
    seen: HashSet<Checksum>,
    /// Whether this is a [`metered`] transaction (out of gas is then sticky).
    reported: bool,
}

impl Meter {
    fn new(limit: u64, reported: bool) -> Self {
        Meter {
            report: GasReport {
                gas_limit: limit,
                ..GasReport::default()
            },
            seen: HashSet::new(),
            reported,
        }
    }

    pub(crate) fn remaining(&self) -> u64 {
        self.report.gas_limit.saturating_sub(self.report.gas_used)
    }

    /// Charges loading `checksum` (replies always get the discount) and counts the call.
    pub(crate) fn charge_instance(&mut self, checksum: Checksum, reply: bool) {
        let first = self.seen.insert(checksum);
        let cost = if first && !reply {
            self.report.instances_full += 1;
            INSTANCE_COST
        } else {
            self.report.instances_discounted += 1;
            INSTANCE_COST_DISCOUNT
        };
        self.report.calls += 1;
        self.report.instance_gas += cost;
        self.charge(cost);
    }

    pub(crate) fn charge(&mut self, gas: u64) {
        self.report.gas_used = self.report.gas_used.saturating_add(gas);
    }

    /// Whether the limit is exceeded; in a reported transaction this marks it out of gas for
    /// every later call (an out-of-gas on chain aborts the whole transaction; a `reply_on_error`
    /// cannot catch it).
    pub(crate) fn check(&mut self) -> bool {
        if self.report.gas_used > self.report.gas_limit || self.report.out_of_gas {
            if self.reported {
                self.report.out_of_gas = true;
            }
            return true;
        }
        false
    }

    pub(crate) fn mark_out_of_gas(&mut self) {
        if self.reported {
            self.report.out_of_gas = true;
        }
    }

    /// Whether an earlier call of this transaction ran out of gas.
    pub(crate) fn exhausted(&self) -> bool {
        self.reported && self.report.out_of_gas
    }
}

thread_local! {
    static METER: RefCell<Meter> = RefCell::new(Meter::new(AMBIENT_GAS_LIMIT, false));
}

/// Runs `f` with this thread's meter (never across a VM call: calls re-enter).
pub(crate) fn with_meter<T>(f: impl FnOnce(&mut Meter) -> T) -> T {
    METER.with(|m| f(&mut m.borrow_mut()))
}

/// Runs `f` (one transaction on the chain of this thread) under a gas limit of `gas_limit` SDK
/// gas, and returns its result with the gas it used. A call that goes over the limit fails with
/// [`crate::EngineError::OutOfGas`], and so does every later call inside `f`; cw-multi-test then
/// discards the transaction's writes.
pub fn metered<T>(gas_limit: u64, f: impl FnOnce() -> T) -> (T, GasReport) {
    let outer = METER.with(|m| m.replace(Meter::new(gas_limit, true)));
    let out = f();
    let mut meter = METER.with(|m| m.replace(outer));
    if meter.report.out_of_gas {
        meter.report.gas_used = meter.report.gas_limit;
    }
    (out, meter.report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_costs_follow_the_sdk_config_with_the_contract_prefix() {
        // a 10-byte key is 43 bytes in the store
        assert_eq!(read_cost(&[0; 10], None), 1_000 + 3 * 43);
        assert_eq!(read_cost(&[0; 10], Some(&[0; 7])), 1_000 + 3 * 50);
        assert_eq!(write_cost(&[0; 10], &[0; 7]), 2_000 + 30 * 50);
        assert_eq!(seek_cost(None), 30);
        assert_eq!(seek_cost(Some((&[0; 10], &[0; 7]))), 30 + 3 * 50);
    }

    #[test]
    fn events_have_a_free_tier_shared_by_the_response() {
        let attrs = vec![Attribute::new("action", "bond")]; // 10 bytes, free
        assert_eq!(event_cost(&attrs, &[]), 10);
        let big = vec![Attribute::new("k", "v".repeat(149))]; // 150 bytes, 50 over
        assert_eq!(event_cost(&big, &[]), 50 + 10);
        // the event type is never free; attributes use what is left of the tier
        let ev = Event::new("wasm-x").add_attribute("k", "v".repeat(99)); // 100 bytes
        assert_eq!(event_cost(&attrs, &[ev]), 10 + 20 + 6 + (10 + 10));
    }

    #[test]
    fn the_first_load_of_a_code_pays_the_full_instance_cost() {
        let (_, report) = metered(1_000_000, || {
            with_meter(|m| {
                let a = Checksum::from([1; 32]);
                m.charge_instance(a, false);
                m.charge_instance(a, false);
                m.charge_instance(a, true);
                m.charge_instance(Checksum::from([2; 32]), true);
            })
        });
        assert_eq!(report.instance_gas, 60_000 + 2_000 * 3);
        assert_eq!((report.instances_full, report.instances_discounted), (1, 3));
        assert_eq!(report.gas_used, 66_000);
    }

    #[test]
    fn going_over_the_limit_is_sticky_and_reports_the_limit() {
        let (after, report) = metered(100_000, || {
            with_meter(|m| {
                m.charge(150_000);
                let first = m.check();
                m.report.gas_used = 0;
                (first, m.check(), m.exhausted())
            })
        });
        assert_eq!(after, (true, true, true));
        assert!(report.out_of_gas);
        assert_eq!(report.gas_used, 100_000);
        // the ambient meter is back and untouched
        assert!(!with_meter(|m| m.exhausted()));
    }
}
