//! One interface over a Tributary chain, in the spirit of cw-orch's `CwEnv`: the [`Chain`]
//! trait executes and queries contracts with typed messages (the `tributary-types` messages,
//! `cw20` messages, anything `Serialize`), reads balances and the clock, moves time, and does
//! traditional staking. The keeper and the CLI talk to a chain only through it.
//!
//! Implementations: `DevnetApi` here (feature `http`, on by default), over the devnet's HTTP
//! API; and the in-process devnet
//! (`tributary_devnet::Devnet`), in the devnet crate. This crate stays light on purpose: no
//! cw-multi-test, no contracts, no server.

#[cfg(feature = "http")]
pub mod http;

#[cfg(feature = "http")]
pub use http::DevnetApi;

use std::collections::BTreeMap;

use cosmwasm_std::{Coin, Decimal, Uint128};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The chain's staking denom.
pub const DENOM: &str = "ustake";

/// `amount` of the native token as funds (none when zero).
pub fn native(amount: u128) -> Vec<Coin> {
    if amount > 0 {
        vec![cosmwasm_std::coin(amount, DENOM)]
    } else {
        vec![]
    }
}

/// Why a call on a chain failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The chain could not be reached.
    #[error("{0}")]
    Unreachable(String),
    /// The chain answered with an error: `status` is the HTTP status of its kind (400 a bad
    /// request, 404 an unknown account, contract or validator, 422 refused by a contract or
    /// chain module — nothing changed, 503 unavailable).
    #[error("{message}")]
    Refused { status: u16, message: String },
    /// The answer could not be read as the expected type.
    #[error("unexpected answer: {0}")]
    Decode(String),
}

impl ClientError {
    /// Whether the chain refused the operation itself (as opposed to being unreachable).
    pub fn is_refused(&self) -> bool {
        matches!(self, ClientError::Refused { .. })
    }
}

/// The result of a call on a chain.
pub type ClientResult<T> = Result<T, ClientError>;

/// A whole number with thousands separators, as people read it: `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// Decimal digits with commas between groups of three.
fn group_thousands(digits: &str) -> String {
    let mut groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .map(|g| std::str::from_utf8(g).unwrap_or_default())
        .collect();
    groups.reverse();
    groups.join(",")
}

/// Base units (6 decimals) as tokens for people: thousands separators, at most the decimals
/// that are not zero (`95_098_350_000` → `95,098.35`; `1_000_000_000_000` → `1,000,000`).
pub fn human_tokens(units: u128) -> String {
    let whole = units / 1_000_000;
    let frac = units % 1_000_000;
    let whole = group_thousands(&whole.to_string());
    if frac == 0 {
        return whole;
    }
    let frac = format!("{frac:06}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// Unix seconds as a UTC date and time for people (`2023-11-24 03:01 UTC`).
pub fn human_time(unix_seconds: u64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| format!("{unix_seconds} s after 1970"))
}

/// A duration for people: days and hours, hours and minutes, or minutes and seconds.
pub fn human_duration(seconds: u64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
        seconds % 60,
    );
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match (d, h, m) {
        (0, 0, 0) => plural(s, "second"),
        (0, 0, _) if s == 0 => plural(m, "minute"),
        (0, 0, _) => format!("{} {}", plural(m, "minute"), plural(s, "second")),
        (0, _, 0) => plural(h, "hour"),
        (0, _, _) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
        (_, 0, _) => plural(d, "day"),
        _ => format!("{} {}", plural(d, "day"), plural(h, "hour")),
    }
}

/// A moment relative to `now`, both unix seconds: `2023-11-24 03:01 UTC (in 8 days)` or
/// `(3 hours ago)`.
pub fn human_when(at: u64, now: u64) -> String {
    let rel = if at >= now {
        format!("in {}", human_duration(at - now))
    } else {
        format!("{} ago", human_duration(now - at))
    };
    format!("{} ({rel})", human_time(at))
}

/// Decodes a JSON answer as `R`.
pub fn decode<R: DeserializeOwned>(value: serde_json::Value) -> ClientResult<R> {
    serde_json::from_value(value).map_err(|e| ClientError::Decode(e.to_string()))
}

/// Encodes a message as JSON.
pub fn encode<M: Serialize + ?Sized>(msg: &M) -> ClientResult<serde_json::Value> {
    serde_json::to_value(msg).map_err(|e| ClientError::Decode(e.to_string()))
}

/// A contract transaction's result: its wasm events, each as its attributes, and the gas it
/// used when the chain meters gas (the devnet on the wasm engine).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TxResponse {
    pub events: Vec<BTreeMap<String, String>>,
    /// SDK gas the transaction used (wasmd's default schedule); absent on the native engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gas_used: Option<u64>,
}

impl TxResponse {
    /// The value of the first attribute `key` in any event.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.events
            .iter()
            .find_map(|e| e.get(key).map(String::as_str))
    }
}

/// An event of a staking or distribution transaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainEvent {
    #[serde(rename = "type")]
    pub ty: String,
    pub attributes: BTreeMap<String, String>,
}

/// A staking or distribution transaction's result: all its events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StakingResponse {
    pub events: Vec<ChainEvent>,
}

/// A block: height and time (seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub height: u64,
    pub time: u64,
}

/// An account's address and balances: native, LST and LRT (0 without restaking).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Balances {
    pub account: String,
    pub address: String,
    pub native: Uint128,
    pub lst: Uint128,
    pub lrt: Uint128,
}

/// A direct delegation and its accrued rewards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Delegation {
    pub amount: Uint128,
    pub rewards: Uint128,
}

/// A Tributary chain. Accounts are names ("alice", "owner", ...) or addresses; contracts are
/// names ("hub", "lst", "registry", "vault", "lrt", "pool", "lp") or addresses.
pub trait Chain {
    /// Executes a contract message as `sender` with `funds` attached.
    fn execute<M: Serialize + ?Sized>(
        &self,
        sender: &str,
        contract: &str,
        msg: &M,
        funds: &[Coin],
    ) -> ClientResult<TxResponse>;

    /// Queries a contract.
    fn query<Q: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
    ) -> ClientResult<R>;

    /// The current block.
    fn block(&self) -> ClientResult<Block>;

    /// The current block time, seconds.
    fn block_time(&self) -> ClientResult<u64> {
        Ok(self.block()?.time)
    }

    /// Moves the clock forward; matured unbondings pay out. Returns the new block.
    fn advance_time(&self, seconds: u64) -> ClientResult<Block>;

    /// An account's address and balances.
    fn balances(&self, account: &str) -> ClientResult<Balances>;

    /// An account's native (bank) balance.
    fn bank_balance(&self, account: &str) -> ClientResult<u128> {
        Ok(self.balances(account)?.native.u128())
    }

    /// An account's address.
    fn address(&self, account: &str) -> ClientResult<String> {
        Ok(self.balances(account)?.address)
    }

    /// A contract's address by name.
    fn contract_address(&self, name: &str) -> ClientResult<String>;

    /// Traditional staking: delegates `amount` native to `validator`.
    fn delegate(
        &self,
        sender: &str,
        validator: &str,
        amount: u128,
    ) -> ClientResult<StakingResponse>;

    /// Traditional staking: undelegates (paid after the chain's unbonding time).
    fn undelegate(
        &self,
        sender: &str,
        validator: &str,
        amount: u128,
    ) -> ClientResult<StakingResponse>;

    /// Traditional staking: withdraws the rewards accrued with `validator`.
    fn withdraw_rewards(&self, sender: &str, validator: &str) -> ClientResult<StakingResponse>;

    /// A direct delegation of `account` to `validator` and its accrued rewards.
    fn delegation(&self, account: &str, validator: &str) -> ClientResult<Delegation>;

    /// Devnet faucet: mints native tokens to an account.
    fn fund(&self, account: &str, amount: u128) -> ClientResult<()>;

    /// Devnet operator tool: slashes a validator on the chain by `fraction`.
    fn slash_validator(&self, validator: &str, fraction: Decimal) -> ClientResult<()>;
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_and_times_read_as_people_write_them() {
        assert_eq!(super::human_tokens(95_098_350_000), "95,098.35");
        assert_eq!(super::human_tokens(1_000_000_000_000), "1,000,000");
        assert_eq!(super::human_tokens(1), "0.000001");
        assert_eq!(super::human_tokens(0), "0");
        assert_eq!(super::human_time(1_700_794_880), "2023-11-24 03:01 UTC");
        assert_eq!(super::human_duration(8 * 86_400), "8 days");
        assert_eq!(super::human_duration(86_400 + 3_600), "1 day 1 hour");
        assert_eq!(super::human_duration(90), "1 minute 30 seconds");
        assert_eq!(
            super::human_when(1_700_794_880, 1_700_794_880 - 3 * 3_600),
            "2023-11-24 03:01 UTC (in 3 hours)"
        );
        assert_eq!(
            super::human_when(1_700_794_880, 1_700_794_880 + 120),
            "2023-11-24 03:01 UTC (2 minutes ago)"
        );
    }

    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
        assert_eq!(super::thousands(123_456_789), "123,456,789");
    }
}
