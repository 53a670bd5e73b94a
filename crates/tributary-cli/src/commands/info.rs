//! Read-only commands: status, validators, operators, services.

use serde_json::Value;
use tributary_cli::client::Api;
use tributary_cli::table::{render, tokens};
use tributary_client::Chain;
use tributary_types::hub::QueryMsg as HubQuery;
use tributary_types::registry::QueryMsg as RegistryQuery;
use tributary_types::stableswap::QueryMsg as PoolQuery;
use tributary_types::vault::QueryMsg as VaultQuery;

fn t(v: &Value) -> String {
    v.as_str()
        .and_then(|s| s.parse::<u128>().ok())
        .map(tokens)
        .unwrap_or_default()
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn out(json_out: bool, value: &Value, table: String) -> anyhow::Result<()> {
    if json_out {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        println!("{table}");
    }
    Ok(())
}

/// What `status` reads: the block, the hub's and the vault's state, the vault's exposure and
/// the pool's peg (the shape of the devnet's `/overview`), and the hub's and the vault's
/// configurations (their pauses and why).
#[derive(serde::Serialize)]
struct Overview {
    height: u64,
    time: u64,
    hub: Value,
    hub_config: Value,
    vault: Value,
    vault_config: Value,
    exposure: Value,
    peg: Value,
}

/// A contract's paused operations (of `names`) and why: `none`, or e.g. `bond,
/// instant_unstake (rate_drop at 1700000000)`.
fn paused(config: &Value, names: &[&str]) -> String {
    let operations: Vec<&str> = names
        .iter()
        .copied()
        .filter(|op| config["paused"][op].as_bool() == Some(true))
        .collect();
    if operations.is_empty() {
        return "none".into();
    }
    let cause = &config["pause_cause"];
    let why = if cause.is_null() {
        "by the owner".to_string()
    } else {
        format!("{} at {}", s(&cause["reason"]), seconds(&cause["at"]))
    };
    format!("{} ({why})", operations.join(", "))
}

/// The hub's bunker mode: `no`, or since when, the last slash and the quiet cranks so far.
fn hub_bunker(bunker: &Value) -> String {
    if bunker.is_null() {
        return "no".into();
    }
    format!(
        "since {} (last slash {}, {} quiet cranks): unbond batches wait",
        seconds(&bunker["since"]),
        seconds(&bunker["last_slash_at"]),
        s(&bunker["quiet_cranks"])
    )
}

/// The vault's bunker mode: `no`, or the service slashes pending and how long a withdrawal
/// asked for now may wait for them.
fn vault_bunker(vault: &Value) -> String {
    let pending = vault["pending_slash"]
        .as_str()
        .and_then(|n| n.parse::<u128>().ok())
        .unwrap_or_default();
    if pending == 0 {
        return "no".into();
    }
    let days = vault["slash_resolution"].as_u64().unwrap_or_default() / 86_400;
    format!(
        "{} LST of service slashes pending: withdrawals asked now wait for them (at most {days} days)",
        tokens(pending)
    )
}

/// A timestamp (nanoseconds as a string) as a UTC date and time.
fn seconds(v: &Value) -> String {
    v.as_str()
        .and_then(|n| n.parse::<u128>().ok())
        .and_then(|n| u64::try_from(n / 1_000_000_000).ok())
        .map(tributary_client::human_time)
        .unwrap_or_default()
}

/// Protocol overview: LST and LRT rates, totals, exposure, peg, the hub's and the vault's
/// pauses, withheld value and bunker modes.
pub fn status(api: &Api, json_out: bool) -> anyhow::Result<()> {
    let block = api.block()?;
    let o = serde_json::to_value(Overview {
        height: block.height,
        time: block.time,
        hub: api.query("hub", &HubQuery::State {})?,
        hub_config: api.query("hub", &HubQuery::Config {})?,
        vault: api.query("vault", &VaultQuery::State {})?,
        vault_config: api.query("vault", &VaultQuery::Config {})?,
        exposure: api.query("vault", &VaultQuery::Exposure {})?,
        peg: api.query("pool", &PoolQuery::Peg {})?,
    })?;
    let (hub, vault, peg) = (&o["hub"], &o["vault"], &o["peg"]);
    let mut rows = vec![
        vec![
            "block".into(),
            format!(
                "{} ({})",
                s(&o["height"]),
                tributary_client::human_time(block.time)
            ),
        ],
        vec!["hub epoch".into(), s(&hub["epoch"])],
        vec!["LST rate (native per LST)".into(), s(&hub["exchange_rate"])],
        vec!["staked (native)".into(), t(&hub["total_native"])],
        vec!["LST supply".into(), t(&hub["lst_supply"])],
        vec!["rewards withheld (APR ceiling)".into(), t(&hub["withheld"])],
        vec![
            "hub paused".into(),
            paused(
                &o["hub_config"],
                &["bond", "unbond", "claim", "crank", "instant_unstake"],
            ),
        ],
        vec!["hub bunker mode".into(), hub_bunker(&hub["bunker"])],
        vec!["LRT rate (LST per LRT)".into(), s(&vault["rate"])],
        vec!["LRT rate (native per LRT)".into(), s(&vault["rate_native"])],
        vec!["restaked (LST)".into(), t(&vault["total_value"])],
        vec![
            "LRT value withheld (APR ceiling)".into(),
            t(&vault["withheld"]),
        ],
        vec![
            "vault paused".into(),
            paused(
                &o["vault_config"],
                &["deposit", "withdraw", "claim", "crank"],
            ),
        ],
        vec!["vault bunker mode".into(), vault_bunker(vault)],
        vec![
            "LST market price (spot / average)".into(),
            format!("{} / {}", s(&peg["spot_price"]), s(&peg["ema_price"])),
        ],
        vec![
            "LST discount (spot / average, bps)".into(),
            format!(
                "{} / {}",
                s(&peg["spot_discount_bps"]),
                s(&peg["ema_discount_bps"])
            ),
        ],
    ];
    // services by name, not by number
    let services: Value = api.query(
        "registry",
        &RegistryQuery::Services {
            start_after: None,
            limit: Some(30),
        },
    )?;
    let name_of = |id: &Value| -> String {
        services
            .as_array()
            .and_then(|list| list.iter().find(|svc| svc["id"] == *id))
            .map(|svc| s(&svc["name"]))
            .unwrap_or_else(|| format!("service {}", s(id)))
    };
    for e in o["exposure"]["services"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        rows.push(vec![
            format!("{} can slash (LST, per epoch max)", name_of(&e["service"])),
            format!("{} ({})", t(&e["allocated"]), t(&e["max_slash_per_epoch"])),
        ]);
    }
    out(json_out, &o, render(&["Tributary", ""], &rows))
}

/// The hub's validator set: weights, targets, booked and actual delegations.
pub fn validators(api: &Api, json_out: bool) -> anyhow::Result<()> {
    let v: Value = api.query("hub", &HubQuery::Validators {})?;
    let rows = v
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            vec![
                s(&x["address"]),
                s(&x["weight"]),
                t(&x["target"]),
                t(&x["booked"]),
                t(&x["actual"]),
            ]
        })
        .collect::<Vec<_>>();
    out(
        json_out,
        &v,
        render(
            &["validator", "weight", "target", "booked", "actual"],
            &rows,
        ),
    )
}

/// Restaking operators: commission, stake, allocations.
pub fn operators(api: &Api, json_out: bool) -> anyhow::Result<()> {
    let v: Value = api.query(
        "registry",
        &RegistryQuery::Operators {
            start_after: None,
            limit: Some(30),
        },
    )?;
    let rows = v
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            let allocations = x["allocations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|a| format!("svc {}: {} bps", s(&a["service"]), s(&a["bps"])))
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                s(&x["name"]),
                format!("{} bps", s(&x["commission_bps"]["current"])),
                t(&x["stake"]),
                allocations,
            ]
        })
        .collect::<Vec<_>>();
    out(
        json_out,
        &v,
        render(
            &["operator", "commission", "stake (LST)", "allocations"],
            &rows,
        ),
    )
}

/// Services: terms, allocated stake, rewards paid, slashed.
pub fn services(api: &Api, json_out: bool) -> anyhow::Result<()> {
    let v: Value = api.query(
        "registry",
        &RegistryQuery::Services {
            start_after: None,
            limit: Some(30),
        },
    )?;
    let rows = v
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            vec![
                s(&x["id"]),
                s(&x["name"]),
                format!("{} bps/yr", s(&x["reward_rate_bps"])),
                format!("{} bps/epoch", s(&x["max_slash_bps_per_epoch"])),
                format!("{} s", s(&x["veto_window"])),
                t(&x["allocated"]),
                t(&x["rewards_paid"]),
                t(&x["slashed"]),
            ]
        })
        .collect::<Vec<_>>();
    out(
        json_out,
        &v,
        render(
            &[
                "id",
                "service",
                "reward",
                "max slash",
                "veto",
                "allocated",
                "paid",
                "slashed",
            ],
            &rows,
        ),
    )
}
