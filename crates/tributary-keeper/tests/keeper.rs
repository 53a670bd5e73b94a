//! The keeper alone, with no manual crank, keeps unbonding, withdrawals and slashes flowing over
//! simulated weeks, and its monitors raise alerts when they should.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{coin, Decimal};
use serde_json::{json, Value};
use tributary_devnet::{Devnet, Op};
use tributary_keeper::{Alert, Keeper};

fn devnet(name: &str) -> Devnet {
    let dir = std::env::temp_dir().join(format!("tributary-keeper-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Devnet::open(&dir.join("devnet.redb")).unwrap()
}

fn submit(d: &Devnet, op: Op) -> Value {
    d.call_blocking(move |w| w.submit(op)).unwrap().unwrap()
}

fn exec(
    d: &Devnet,
    sender: &str,
    contract: &str,
    msg: Value,
    funds: Vec<cosmwasm_std::Coin>,
) -> Value {
    submit(
        d,
        Op::Execute {
            sender: sender.into(),
            contract: contract.into(),
            msg,
            funds,
        },
    )
}

fn query(d: &Devnet, contract: &'static str, msg: Value) -> Value {
    d.call_blocking(move |w| w.chain().query(contract, &msg))
        .unwrap()
        .unwrap()
}

fn native(d: &Devnet, who: &'static str) -> u128 {
    let b = d
        .call_blocking(move |w| w.chain().balances(who))
        .unwrap()
        .unwrap();
    b.native.u128()
}

#[test]
fn the_keeper_alone_keeps_unbonding_withdrawals_and_slashes_flowing() {
    let d = devnet("flow");
    let addr = |who: &'static str| {
        d.call_blocking(move |w| w.chain().account(who).unwrap().to_string())
            .unwrap()
    };
    // alice stakes and asks to unbond a fifth; bob restakes and asks to withdraw half
    exec(
        &d,
        "alice",
        "hub",
        json!({"bond": {}}),
        vec![coin(50_000_000_000, "ustake")],
    );
    let hub = d
        .call_blocking(|w| w.chain().contract("hub").unwrap().to_string())
        .unwrap();
    let vault = d
        .call_blocking(|w| w.chain().contract("vault").unwrap().to_string())
        .unwrap();
    let unbond_hook = cosmwasm_std::to_json_binary(&json!({"unbond": {}})).unwrap();
    exec(
        &d,
        "alice",
        "lst",
        json!({"send": {"contract": hub, "amount": "10000000000", "msg": unbond_hook}}),
        vec![],
    );
    exec(
        &d,
        "bob",
        "vault",
        json!({"deposit": {}}),
        vec![coin(20_000_000_000, "ustake")],
    );
    let lrt_hook = cosmwasm_std::to_json_binary(&json!({"request_withdrawal": {}})).unwrap();
    exec(
        &d,
        "bob",
        "lrt",
        json!({"send": {"contract": vault, "amount": "10000000000", "msg": lrt_hook}}),
        vec![],
    );
    let mut keeper = Keeper::new(d.clone());
    // the keeper's first pass puts bob's LST with the operators; then the oracle network asks
    // to slash operator-a by 1 % (a request against an operator with nothing to slash fails)
    let first = keeper.tick();
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let op_a = addr("operator-a");
    exec(
        &d,
        "oracle-network",
        "registry",
        json!({"request_slash": {"service": 1, "operator": op_a, "fraction_bps": 100, "reason": "missed reports"}}),
        vec![],
    );

    let (mut hub_cranks, mut vault_cranks, mut slashes) = (0, 0, vec![]);
    // five weeks, a keeper pass every six hours; nobody else cranks
    for _ in 0..(5 * 7 * 4) {
        submit(&d, Op::Advance { seconds: 6 * 3_600 });
        let report = keeper.tick();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert!(
            !report
                .alerts
                .iter()
                .any(|a| matches!(a, Alert::StaleCrank { .. })),
            "{report:?}"
        );
        hub_cranks += report.hub_cranked as u32;
        vault_cranks += report.vault_cranked as u32;
        slashes.extend(report.slashes_executed);
    }
    assert_eq!(hub_cranks, 35, "one hub crank per day");
    assert!(vault_cranks >= 35);
    assert_eq!(
        slashes,
        vec![1],
        "the slash was executed once its veto window passed"
    );

    // alice's batch was submitted and has matured: her claim pays
    let requests = query(
        &d,
        "hub",
        json!({"unbond_requests": {"user": addr("alice")}}),
    );
    let claimable: u128 = requests["claimable"].as_str().unwrap().parse().unwrap();
    assert!(claimable >= 10_000_000_000, "{requests}");
    let before = native(&d, "alice");
    exec(&d, "alice", "hub", json!({"claim": {}}), vec![]);
    assert_eq!(native(&d, "alice") - before, claimable);
    // bob's withdrawal was finalized: his claim pays LST
    let position = query(&d, "vault", json!({"position": {"user": addr("bob")}}));
    let lst_owed: u128 = position["claimable"].as_str().unwrap().parse().unwrap();
    assert!(lst_owed > 9_000_000_000, "{position}");
    exec(
        &d,
        "bob",
        "vault",
        json!({"claim_withdrawals": {"unbond": false}}),
        vec![],
    );
}

#[test]
fn monitors_raise_alerts() {
    let d = devnet("monitors");
    let mut keeper = Keeper::new(d.clone());
    exec(
        &d,
        "alice",
        "hub",
        json!({"bond": {}}),
        vec![coin(30_000_000_000, "ustake")],
    );
    submit(&d, Op::Advance { seconds: 86_400 });
    let quiet = keeper.tick();
    assert!(quiet.alerts.is_empty(), "{quiet:?}");

    // three days without a keeper: stale crank
    submit(
        &d,
        Op::Advance {
            seconds: 3 * 86_400,
        },
    );
    let mut alerts = vec![];
    {
        // read the monitors before the keeper cranks: a keeper that was down reports first
        let report = keeper.tick();
        alerts.extend(report.alerts);
    }
    assert!(
        alerts
            .iter()
            .any(|a| matches!(a, Alert::StaleCrank { overdue } if *overdue >= 2 * 86_400)),
        "{alerts:?}"
    );

    // a validator slash shows up before the crank books it
    submit(
        &d,
        Op::SlashValidator {
            validator: "validator1".into(),
            fraction: Decimal::percent(10),
        },
    );
    let report = keeper.tick();
    assert!(
        report.alerts.iter().any(
            |a| matches!(a, Alert::ValidatorSlashed { validator, .. } if validator == "validator1")
        ),
        "{report:?}"
    );

    // a sell-off depegs the LST in the pool
    let pool = d
        .call_blocking(|w| w.chain().contract("pool").unwrap().to_string())
        .unwrap();
    let sell = cosmwasm_std::to_json_binary(&json!({"swap": {}})).unwrap();
    exec(
        &d,
        "alice",
        "lst",
        json!({"send": {"contract": pool, "amount": "25000000000", "msg": sell}}),
        vec![],
    );
    let report = keeper.tick();
    assert!(
        report
            .alerts
            .iter()
            .any(|a| matches!(a, Alert::Depeg { spot_bps, .. } if *spot_bps >= 50)),
        "{report:?}"
    );
}

#[test]
fn monitors_report_automatic_pauses_and_bunker() {
    let d = devnet("rails");
    let mut keeper = Keeper::new(d.clone());
    exec(
        &d,
        "alice",
        "hub",
        json!({"bond": {}}),
        vec![coin(30_000_000_000, "ustake")],
    );
    submit(&d, Op::Advance { seconds: 86_400 });
    let quiet = keeper.tick();
    assert!(quiet.hub_cranked);
    assert!(
        !quiet
            .alerts
            .iter()
            .any(|a| matches!(a, Alert::AutoPaused { .. } | Alert::Bunker { .. })),
        "{quiet:?}"
    );

    // a 10 % slash of one of three validators: a 3.3 % fall of the rate, above the hub's 1 %
    // threshold; the keeper's crank books it, the hub pauses bonds and enters bunker mode
    submit(
        &d,
        Op::SlashValidator {
            validator: "validator1".into(),
            fraction: Decimal::percent(10),
        },
    );
    submit(&d, Op::Advance { seconds: 86_400 });
    assert!(keeper.tick().hub_cranked);
    let report = keeper.tick();
    assert!(
        report.alerts.iter().any(|a| matches!(
            a,
            Alert::AutoPaused { reason, operations, .. }
                if reason == "rate_drop"
                    && operations == &["bond".to_string(), "instant_unstake".to_string()]
        )),
        "{report:?}"
    );
    assert!(
        report
            .alerts
            .iter()
            .any(|a| matches!(a, Alert::Bunker { since, last_slash_at } if since == last_slash_at)),
        "{report:?}"
    );
    let state = query(&d, "hub", json!({"state": {}}));
    assert!(!state["bunker"].is_null(), "{state}");
}

#[test]
fn the_keeper_reports_the_vaults_protective_mode_and_bunker() {
    let d = devnet("vault-rails");
    exec(
        &d,
        "bob",
        "vault",
        json!({"deposit": {}}),
        vec![coin(20_000_000_000, "ustake")],
    );
    let mut keeper = Keeper::new(d.clone());
    // the keeper's first pass puts bob's LST with the operators and anchors the LRT rate
    let quiet = keeper.tick();
    assert!(quiet.vault_cranked, "{quiet:?}");
    assert!(
        !quiet
            .alerts
            .iter()
            .any(|a| matches!(a, Alert::VaultAutoPaused { .. } | Alert::VaultBunker { .. })),
        "{quiet:?}"
    );
    // operator-a holds half the vault (10,000 LST) and allocates 30 % of it to the bridge, which
    // asks to slash 10 % of that: 300 LST, 1.5 % of the vault, beyond the vault's 1 % threshold
    let op_a = d
        .call_blocking(|w| w.chain().account("operator-a").unwrap().to_string())
        .unwrap();
    exec(
        &d,
        "bridge",
        "registry",
        json!({"request_slash": {"service": 2, "operator": op_a, "fraction_bps": 1000, "reason": "bad relay"}}),
        vec![],
    );
    submit(&d, Op::Advance { seconds: 86_400 });
    let report = keeper.tick();
    assert!(report.vault_cranked, "{report:?}");
    let report = keeper.tick();
    assert!(
        report.alerts.iter().any(|a| matches!(
            a,
            Alert::VaultAutoPaused { reason, .. } if reason == "rate_drop"
        )),
        "{report:?}"
    );
    assert!(
        report.alerts.iter().any(|a| matches!(
            a,
            Alert::VaultBunker { pending_slash } if *pending_slash > 0
        )),
        "{report:?}"
    );
    let config = query(&d, "vault", json!({"config": {}}));
    assert_eq!(config["paused"]["deposit"], json!(true), "{config}");
}
