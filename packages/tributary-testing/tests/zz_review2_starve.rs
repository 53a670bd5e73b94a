#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]
mod common;
use common::restaking_suite;
use tributary_testing::Suite;
use tributary_types::registry::ExecuteMsg as RegistryMsg;
const TOKEN: u128 = 1_000_000;
fn bond_lst(suite: &mut Suite, user: &str, amount: u128) {
    suite.fund(user, amount);
    suite.bond(user, amount).unwrap();
}
fn undel(suite: &mut Suite, user: &str, op: &str, amount: u128) {
    let operator = suite.addr(op).to_string();
    suite.registry_exec(user, &RegistryMsg::Undelegate { operator, amount: amount.into() }, 0).unwrap();
}
#[test]
fn held_entries_starve_other_operators() {
    let (mut suite, svc) = restaking_suite();
    suite.register_operator("op2", 1_000);
    bond_lst(&mut suite, "alice", 20_000 * TOKEN);
    suite.registry_delegate("alice", "op1", 10_000 * TOKEN).unwrap();
    suite.registry_delegate("alice", "op2", 10_000 * TOKEN).unwrap();
    let mut ids = vec![];
    for _ in 0..31 {
        undel(&mut suite, "alice", "op1", TOKEN);
        ids.push(suite.request_slash("svc", svc, "op1", 1).unwrap());
        suite.advance_days(1);
        for id in ids.clone() { let _ = suite.execute_slash(id); }
    }
    undel(&mut suite, "alice", "op2", 5_000 * TOKEN);
    for _ in 0..10 {
        ids.push(suite.request_slash("svc", svc, "op1", 1).unwrap());
        suite.advance_days(1);
        for id in ids.clone() { let _ = suite.execute_slash(id); }
    }
    let a = suite.addr("alice");
    let p = suite.registry_position(&a);
    println!("completable (query) {} undelegating {}", p.completable_value, p.undelegating_value);
    let r = suite.registry_exec("alice", &RegistryMsg::CompleteUndelegations {}, 0);
    println!("complete -> {:?}", r.map(|_| ()).map_err(|e| format!("{e:#}").chars().skip(200).take(80).collect::<String>()));
    println!("alice lst {}", suite.lst_balance("alice"));
}
