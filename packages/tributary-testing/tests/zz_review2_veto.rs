#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]
mod common;
use common::restaking_suite;
use tributary_testing::{Suite, DAY};
use tributary_types::registry::ExecuteMsg as RegistryMsg;
const BPS: u16 = 1_000;
const TOKEN: u128 = 1_000_000;

fn bond_lst(suite: &mut Suite, user: &str, amount: u128) {
    suite.fund(user, amount);
    suite.bond(user, amount).unwrap();
}
fn val(suite: &Suite, user: &str) -> u128 {
    let a = suite.addr(user);
    let p = suite.registry_position(&a);
    p.delegated_value.u128() + p.undelegating_value.u128()
}

#[test]
fn veto_frontrun_direct() {
    let (mut suite, svc) = restaking_suite();
    bond_lst(&mut suite, "alice", 10_000 * TOKEN);
    suite.registry_delegate("alice", "op1", 10_000 * TOKEN).unwrap();
    bond_lst(&mut suite, "mallory", 10_000 * TOKEN);
    // largest request allowed by cap (10%/epoch) -- try 10000 then fall back
    let id = suite
        .request_slash("svc", svc, "op1", BPS)
        .unwrap();
    println!("request amount {}", suite.slash_request(id).amount);
    println!("alice after request {}", val(&suite, "alice"));
    suite.registry_delegate("mallory", "op1", 10_000 * TOKEN).unwrap();
    println!("mallory after delegate {}", val(&suite, "mallory"));
    suite.advance_time(DAY);
    suite
        .registry_exec("svc-resolver", &RegistryMsg::VetoSlash { request_id: id }, 0)
        .unwrap();
    println!("after veto alice {} mallory {}", val(&suite, "alice"), val(&suite, "mallory"));
    let op = suite.addr("op1").to_string();
    let v = val(&suite, "mallory");
    suite
        .registry_exec("mallory", &RegistryMsg::Undelegate { operator: op, amount: v.into() }, 0)
        .unwrap();
    suite.advance_days(10);
    suite.registry_exec("mallory", &RegistryMsg::CompleteUndelegations {}, 0).unwrap();
    let m = suite.lst_balance("mallory");
    println!("mallory lst {} gain {}", m, m as i128 - (10_000 * TOKEN) as i128);
    println!("alice final {}", val(&suite, "alice"));
}

#[test]
fn veto_frontrun_vault() {
    let (mut suite, svc) = restaking_suite();
    suite.vault_deposit("alice", 10_000 * TOKEN).unwrap();
    suite.vault_crank().unwrap();
    suite.fund("mallory", 10_000 * TOKEN);
    let id = suite
        .request_slash("svc", svc, "op1", BPS)
        .unwrap();
    println!("request amount {}", suite.slash_request(id).amount);
    suite.vault_deposit("mallory", 10_000 * TOKEN).unwrap();
    println!("mallory lrt {} value {}", suite.position("mallory").lrt, suite.position("mallory").value);
    suite.advance_time(DAY);
    suite
        .registry_exec("svc-resolver", &RegistryMsg::VetoSlash { request_id: id }, 0)
        .unwrap();
    let p = suite.position("mallory");
    let a = suite.position("alice");
    println!("after veto mallory lrt {} value {}; alice value {}", p.lrt, p.value, a.value);
    suite.request_withdrawal("mallory", p.lrt.u128()).unwrap();
    for _ in 0..12 {
        let _ = suite.vault_crank();
        suite.advance_days(1);
    }
    let _ = suite.vault_crank();
    let p = suite.position("mallory");
    println!("mallory claimable {}", p.claimable);
    suite.claim_withdrawals("mallory", false).unwrap();
    println!("mallory lst {} ; alice value {}", suite.lst_balance("mallory"), suite.position("alice").value);
}

#[test]
fn rolling_requests_hold_exits() {
    let (mut suite, svc) = restaking_suite();
    bond_lst(&mut suite, "alice", 10_000 * TOKEN);
    suite.registry_delegate("alice", "op1", 10_000 * TOKEN).unwrap();
    let op = suite.addr("op1").to_string();
    suite
        .registry_exec("alice", &RegistryMsg::Undelegate { operator: op, amount: (10_000 * TOKEN).into() }, 0)
        .unwrap();
    let mut ids = vec![];
    for day in 0..40 {
        ids.push(suite.request_slash("svc", svc, "op1", 1).unwrap());
        suite.advance_days(1);
        for id in ids.clone() { let _ = suite.execute_slash(id); }
        if day % 5 == 4 {
            let r = suite.registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0);
            println!("day {day}: complete -> {:?}", r.map(|_| ()).map_err(|e| format!("{e:#}").chars().skip(150).take(120).collect::<String>()));
        }
    }
    println!("treasury {}", suite.lst_balance("svc-treasury"));
}

#[test]
fn executed_branch_is_neutral_for_mallory() {
    let (mut suite, svc) = restaking_suite();
    bond_lst(&mut suite, "alice", 10_000 * TOKEN);
    suite.registry_delegate("alice", "op1", 10_000 * TOKEN).unwrap();
    bond_lst(&mut suite, "mallory", 10_000 * TOKEN);
    let id = suite.request_slash("svc", svc, "op1", BPS).unwrap();
    suite.registry_delegate("mallory", "op1", 10_000 * TOKEN).unwrap();
    suite.advance_time(2 * DAY);
    suite.execute_slash(id).unwrap();
    let op = suite.addr("op1").to_string();
    let v = val(&suite, "mallory");
    suite.registry_exec("mallory", &RegistryMsg::Undelegate { operator: op, amount: v.into() }, 0).unwrap();
    suite.advance_days(10);
    suite.registry_exec("mallory", &RegistryMsg::CompleteUndelegations {}, 0).unwrap();
    println!("executed branch: mallory lst {} treasury {} alice {}", suite.lst_balance("mallory"), suite.lst_balance("svc-treasury"), val(&suite, "alice"));
}
