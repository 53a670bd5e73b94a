//! Every contract's execute entry point (hub, registry, vault, pool, LP strategy, and the LST,
//! LRT and LP cw20 tokens, directly or through a cw20 `Send` hook into a contract) fed arbitrary
//! JSON — raw bytes, or messages built from the contracts' own variant and field names — with
//! arbitrary native funds, from the owner, users, a keeper, a service admin, its resolver and an
//! operator, on a fully deployed protocol (restaking, a market, an LP strategy, positions in
//! every contract), deployed afresh for each input (the App cannot be cloned). Never a panic; a call
//! that fails leaves everything observable unchanged (the hub's and the vault's snapshots for
//! the sender, the pool, the balances of every contract and of the sender).

#![no_main]



use arbitrary::Unstructured;
use cosmwasm_std::{coin, Addr, Binary, Decimal, Uint128};
use cw_multi_test::Executor;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use tributary_testing::{FullSuite, SuiteBuilder, DAY, DENOM};

/// The contracts' execute, receive and callback variants and field names (from their schemas),
/// and cw20's.
const KEYS: &[&str] = &[
    "add_validator", "address", "admin_fee", "after_bond", "after_harvest", "after_reward_bond",
    "amount", "amounts", "approve_operator", "at_height", "at_time", "bond", "bps", "callback",
    "cap", "claim", "claim_commission", "claim_rewards", "claim_withdrawals", "coin",
    "collect_admin_fees", "commission_bps", "complete_undelegations", "contract", "crank",
    "delegate", "deposit", "deposit_rewards", "execute_slash", "expiry", "fee", "fee_addr",
    "fee_bps", "forward_to_vault", "fraction_bps", "future_a", "future_time", "instant_unstake",
    "lst_before", "max_operator_bps", "max_rebalance_per_epoch", "max_service_exposure_bps",
    "max_slash_bps_per_epoch", "min_amounts", "min_bond", "min_lp", "min_out", "msg", "name",
    "never", "new_owner", "operator", "opt_in", "opt_out", "pool", "provide",
    "provide_liquidity", "queue_commission_change", "queue_fee_change", "ramp_a", "reason",
    "receive", "receiver", "register_operator", "register_service", "reinvest",
    "remove_validator", "request_id", "request_slash", "request_withdrawal", "resolver",
    "revoke_operator", "reward_rate_bps", "rewards", "sender", "service", "set_allocation",
    "set_deposit_cap", "set_fees", "set_instant_unstake_pool", "set_operator_targets",
    "set_pause", "set_strategy", "slash_destination", "stop_ramp_a", "swap", "target_bps",
    "targets", "to", "transfer_ownership", "unbond", "undelegate", "update_config",
    "update_ownership", "update_validator_weight", "user", "veto_slash", "veto_window", "weight",
    "withdraw", "withdraw_liquidity", "withdraw_one", "withdrawal_delay", "accept_ownership",
    "renounce_ownership", "transfer", "send", "burn", "mint", "increase_allowance",
    "decrease_allowance", "transfer_from", "send_from", "burn_from", "update_minter",
    "update_marketing", "recipient", "spender", "owner", "expires", "minter", "pause",
    "guardian", "guardian_pause", "rails", "max_apr_bps", "max_drop_bps", "depeg_pause_bps",
    "bunker_epochs", "set", "remove",
];

const SENDERS: [&str; 7] = ["owner", "alice", "mallory", "keeper", "svc", "svc-resolver", "op1"];

struct World {
    suite: FullSuite,
    strategy: Addr,
}

/// The deployed protocol with positions everywhere.
fn genesis() -> World {
    // cw-multi-test computes rewards as stake x rewards in a `Decimal` (at most 3.4e20): the
    // stakes stay around 1e11 with a low APR, so the simulator itself never overflows
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero()), ("validator2", 1, Decimal::zero())])
        .with_apr(Decimal::percent(1))
        .with_restaking()
        .with_market(10_000_000_000)
        .with_funds("alice", 100_000_000_000)
        .with_funds("mallory", 100_000_000_000)
        .with_funds("svc", 10_000_000_000)
        .with_funds("owner", 10_000_000_000)
        .build();
    suite.register_operator("op1", 1_000);
    let svc = suite.register_service("svc", 1_000, 2 * DAY);
    suite.serve("op1", svc, 5_000);
    suite.set_operator_targets(&[("op1", 1)]);
    let strategy = suite.deploy_lp_strategy();
    suite.set_strategy(&strategy, 2_000);
    suite.vault_deposit("alice", 10_000_000_000).unwrap();
    suite.bond("mallory", 20_000_000_000).unwrap();
    suite.vault_deposit_lst("mallory", 5_000_000_000, None).unwrap();
    suite.provide_liquidity("mallory", 1_000_000_000, 1_000_000_000).unwrap();
    suite.vault_crank().unwrap();
    suite.advance_time(DAY);
    suite.crank().unwrap();
    suite.vault_crank().unwrap();
    suite.advance_time(60);
    suite.pay_service_rewards("svc", svc, 100_000_000).unwrap();
    suite.request_withdrawal("alice", 1_000_000_000).unwrap();
    suite.unbond("mallory", 1_000_000_000).unwrap();
    suite.request_slash("svc", svc, "op1", 100).unwrap();
    World { suite, strategy }
}

fn world() -> World {
    genesis()
}

fn value(u: &mut Unstructured, world: &World, depth: u32) -> arbitrary::Result<Value> {
    let s = &world.suite;
    Ok(match u.int_in_range(0..=9)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.int_in_range(0u64..=20_000)?),
        3 => json!(u.arbitrary::<u128>()?.to_string()),
        4 => json!(u.int_in_range(0u128..=2_000_000_000)?.to_string()),
        5 => {
            let who = match u.int_in_range(0..=9)? {
                0 => s.hub.to_string(),
                1 => s.lst.to_string(),
                2 => s.restaking.vault.to_string(),
                3 => s.restaking.registry.to_string(),
                4 => s.restaking.lrt.to_string(),
                5 => s.market.pool.to_string(),
                6 => world.strategy.to_string(),
                7 => "validator1".to_string(),
                8 => s.market.lp.to_string(),
                _ => s.addr(u.choose(&SENDERS)?).to_string(),
            };
            json!(who)
        }
        6 => json!(*u.choose(KEYS)?),
        7 if depth < 3 => {
            let n = u.int_in_range(1..=2)?;
            Value::Array((0..n).map(|_| value(u, world, depth + 1)).collect::<Result<_, _>>()?)
        }
        8 => json!(Binary::from(serde_json::to_vec(&message(u, world, depth + 1)?).unwrap_or_default()).to_base64()),
        _ if depth < 3 => object(u, world, depth + 1)?,
        _ => json!({}),
    })
}

fn object(u: &mut Unstructured, world: &World, depth: u32) -> arbitrary::Result<Value> {
    let mut m = Map::new();
    for _ in 0..u.int_in_range(0..=4)? {
        m.insert(u.choose(KEYS)?.to_string(), value(u, world, depth)?);
    }
    Ok(Value::Object(m))
}

/// A message: `{variant: {fields}}` or a bare variant name.
fn message(u: &mut Unstructured, world: &World, depth: u32) -> arbitrary::Result<Value> {
    let variant = u.choose(KEYS)?.to_string();
    Ok(if u.ratio(1, 8)? {
        json!(variant)
    } else {
        let body = if depth < 3 { object(u, world, depth)? } else { json!({}) };
        json!({ variant: body })
    })
}

fn payload(u: &mut Unstructured, world: &World) -> arbitrary::Result<Vec<u8>> {
    if u.ratio(1, 6)? {
        let n = u.int_in_range(0..=64)?;
        u.bytes(n).map(<[u8]>::to_vec)
    } else {
        Ok(serde_json::to_vec(&message(u, world, 0)?).unwrap_or_default())
    }
}

/// Everything observable for a check that a failed call changed nothing.
fn observe(w: &World, sender: &str) -> String {
    let s = &w.suite;
    let rs = &s.restaking;
    let m = &s.market;
    let holders = [
        s.hub.clone(),
        rs.vault.clone(),
        rs.registry.clone(),
        m.pool.clone(),
        w.strategy.clone(),
        s.addr(sender),
    ];
    let balances: Vec<_> = holders
        .iter()
        .map(|a| {
            let cw20 = |token: &Addr| -> u128 {
                let r: cw20::BalanceResponse = s
                    .app
                    .wrap()
                    .query_wasm_smart(token, &cw20::Cw20QueryMsg::Balance { address: a.to_string() })
                    .unwrap();
                r.balance.u128()
            };
            (s.native_balance_of(a), cw20(&s.lst), cw20(&rs.lrt), cw20(&m.lp))
        })
        .collect();
    let delegations = s.app.wrap().query_all_delegations(&s.hub).unwrap();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        s.snapshot(sender),
        s.vault_snapshot(sender),
        s.pool_info(),
        balances,
        delegations
    )
}

fn run(data: &[u8]) -> arbitrary::Result<()> {
    let mut w = world();
    let mut u = Unstructured::new(data);
    for _ in 0..u.int_in_range(1..=4)? {
        let sender = *u.choose(&SENDERS)?;
        let target = u.int_in_range(0..=7)?;
        let body = payload(&mut u, &w)?;
        let native = match u.int_in_range(0..=3)? {
            0 => 0,
            1 => u.int_in_range(1u128..=10_000_000_000)?,
            2 => u.arbitrary()?,
            _ => u.int_in_range(1u128..=1_000)?,
        };
        let via = if u.ratio(1, 3)? {
            Some((u.int_in_range(0..=2)?, u.int_in_range(0u128..=20_000_000_000)?))
        } else {
            None
        };
        let s = &w.suite;
        let contracts = [
            s.hub.clone(),
            s.restaking.registry.clone(),
            s.restaking.vault.clone(),
            s.market.pool.clone(),
            w.strategy.clone(),
            s.lst.clone(),
            s.restaking.lrt.clone(),
            s.market.lp.clone(),
        ];
        let contract = contracts[target].clone();
        let tokens = [s.lst.clone(), s.restaking.lrt.clone(), s.market.lp.clone()];
        let from = s.addr(sender);
        let before = observe(&w, sender);
        let result = match via {
            Some((token, amount)) => {
                let send = cw20::Cw20ExecuteMsg::Send {
                    contract: contract.to_string(),
                    amount: Uint128::new(amount),
                    msg: Binary::from(body.clone()),
                };
                w.suite.app.execute_contract(from, tokens[token].clone(), &send, &[])
            }
            None => {
                let funds = if native > 0 { vec![coin(native, DENOM)] } else { vec![] };
                let msg = cosmwasm_std::WasmMsg::Execute {
                    contract_addr: contract.to_string(),
                    msg: Binary::from(body.clone()),
                    funds,
                };
                w.suite.app.execute(from, msg.into())
            }
        };
        if let Err(err) = result {
            let after = observe(&w, sender);
            assert!(
                before == after,
                "a failed call changed state: {sender} -> {target} ({via:?}, {native}): {}\nerror: {err:#}\nbefore: {before}\nafter: {after}",
                String::from_utf8_lossy(&body)
            );
        }
        if u.ratio(1, 4)? {
            w.suite.advance_time(u.int_in_range(5..=10 * DAY)?);
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});

