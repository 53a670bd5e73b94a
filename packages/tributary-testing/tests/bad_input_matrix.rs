//! The bad-input matrix (issue 11, item 6): every execute message of every contract (and every
//! cw20 hook, sent through its token's `Send`), each from one valid sample, against seven bad
//! inputs — an unauthorized sender, zero amounts, overflow-sized amounts, the wrong denom or
//! token, extra funds, the contract paused, malformed JSON. Every refused cell must leave
//! everything observable unchanged; the matrix (message x case -> error text) is written to
//! `docs/bad-input-matrix.md`, which this test keeps current: it fails when the text it
//! generates differs from the committed file (so a new gap cannot appear unnoticed). Update the
//! file with `UPDATE_MATRIX=1 cargo test -p tributary-testing --test bad_input_matrix`.
//!
//! The messages are walked exhaustively: the variants of each `ExecuteMsg` (and of its hook and
//! callback enums) are read from the enum's JSON schema, and the test fails if one has no sample.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::Result as AnyResult;
use cosmwasm_schema::schemars::{gen::SchemaGenerator, schema::Schema, JsonSchema};
use cosmwasm_std::{
    coin, to_json_binary, Addr, Binary, Coin, CosmosMsg, Decimal, Uint128, WasmMsg,
};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use cw_multi_test::{AppResponse, BankSudo, Executor, SudoMsg};
use serde::Serialize;
use tributary_testing::{FullSuite, SuiteBuilder, DAY, DENOM};
use tributary_types::{hub, registry, stableswap, strategy, vault};

const TOKEN: u128 = 1_000_000;
const MATRIX: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/bad-input-matrix.md"
);
const WRONG: &str = "uwrong";
const EXTRA: &str = "uextra";
const GAP: &str = "ACCEPTED (gap)";

// ---------------------------------------------------------------------------------------------
// The chain every cell starts from.

/// Addresses and ids of the deployed chain (the same on every build: cw-multi-test's addresses
/// and genesis time are deterministic).
#[derive(Clone, Debug, PartialEq)]
struct Ctx {
    hub: Addr,
    lst: Addr,
    registry: Addr,
    vault: Addr,
    lrt: Addr,
    mock_strategy: Addr,
    pool: Addr,
    lp: Addr,
    lp_strategy: Addr,
    owner: Addr,
    fee_addr: Addr,
    service: u64,
    old_slash: u64,
    new_slash: u64,
    alice_lp: u128,
    now: u64,
}

fn build() -> (FullSuite, Ctx) {
    let mut s = SuiteBuilder::new()
        .with_apr(Decimal::zero())
        .with_restaking()
        .with_market(100_000 * TOKEN)
        .with_funds("alice", 1_000_000 * TOKEN)
        .with_funds("mallory", 1_000_000 * TOKEN)
        .with_funds("svc", 1_000_000 * TOKEN)
        .build();
    let rs = s.restaking();
    let market = s.market();

    s.bond("alice", 200_000 * TOKEN).unwrap();
    s.unbond("alice", 1_000 * TOKEN).unwrap();
    // the owner is also the hub's guardian, so one sender has every role of the samples
    let owner = s.owner.to_string();
    s.execute(
        "owner",
        &tributary_types::hub::ExecuteMsg::UpdateConfig {
            fee_addr: None,
            min_bond: None,
            max_rebalance_per_epoch: None,
            guardian: Some(tributary_types::hub::GuardianUpdate::Set {
                address: owner.clone(),
            }),
            rails: None,
        },
    )
    .unwrap();

    // and the vault's
    s.vault_update_rails(
        "owner",
        Some(vault::GuardianUpdate::Set { address: owner }),
        None,
    )
    .unwrap();

    for op in ["op1", "op2", "op3"] {
        s.register_operator(op, 500);
    }
    let service = s.register_service("svc", 1_000, DAY);
    s.serve("op1", service, 5_000);
    s.approve_operator(service, "op2").unwrap();
    s.set_operator_targets(&[("op1", 1)]);
    let lp_strategy = s.deploy_lp_strategy();

    s.set_strategy(&lp_strategy, 1_000);
    s.vault_deposit_lst("alice", 20_000 * TOKEN, None).unwrap();
    s.registry_delegate("alice", "op1", 5_000 * TOKEN).unwrap();
    s.registry_exec(
        "alice",
        &registry::ExecuteMsg::Undelegate {
            operator: s.addr("op1").to_string(),
            amount: Uint128::new(100 * TOKEN),
        },
        0,
    )
    .unwrap();
    s.provide_liquidity("alice", 0, 1_000 * TOKEN).unwrap();
    s.vault_crank().unwrap();
    s.request_withdrawal("alice", 10 * TOKEN).unwrap();

    // Batches, undelegations and withdrawals come due.
    s.advance_days(3);
    s.crank().unwrap();
    s.advance_days(23);
    s.crank().unwrap();
    s.vault_crank().unwrap();
    s.advance_days(9);
    s.crank().unwrap();
    s.vault_crank().unwrap();
    s.advance_days(1);
    s.vault_crank().unwrap();

    s.pay_service_rewards("svc", service, 1_000 * TOKEN)
        .unwrap();
    let old_slash = s.request_slash("svc", service, "op1", 10).unwrap();

    // The vault holds some LST and LP of its own, as the strategy's depositor would.
    let lst = s.lst.clone();
    let alice = s.addr("alice");
    s.app
        .execute_contract(
            alice.clone(),
            lst,
            &Cw20ExecuteMsg::Transfer {
                recipient: rs.vault.to_string(),
                amount: Uint128::new(50 * TOKEN),
            },
            &[],
        )
        .unwrap();
    let alice_lp = s.lp_balance("alice");
    s.app
        .execute_contract(
            alice,
            market.lp.clone(),
            &Cw20ExecuteMsg::Transfer {
                recipient: rs.vault.to_string(),
                amount: Uint128::new(alice_lp / 10),
            },
            &[],
        )
        .unwrap();
    let alice_lp = alice_lp - alice_lp / 10;
    s.advance_days(2);
    let new_slash = s.request_slash("svc", service, "op1", 10).unwrap();

    let ctx = Ctx {
        hub: s.hub.clone(),
        lst: s.lst.clone(),
        registry: rs.registry,
        vault: rs.vault,
        lrt: rs.lrt,
        mock_strategy: rs.strategy,
        pool: market.pool,
        lp: market.lp,
        lp_strategy,
        owner: s.owner.clone(),
        fee_addr: s.fee_addr.clone(),
        service,
        old_slash,
        new_slash,
        alice_lp,
        now: s.app.block_info().time.seconds(),
    };
    (s, ctx)
}

// ---------------------------------------------------------------------------------------------
// Samples.

/// An amount override: `None` for the sample's own amounts, `Some(x)` to set every amount field
/// and every attached amount to `x`.
type Amt = Option<Uint128>;

/// How a message reaches the contract.
enum Shape {
    /// Executed on the contract, with funds.
    Direct {
        contract: Addr,
        msg: Binary,
        funds: Vec<Coin>,
    },
    /// A cw20 hook: `amount` of `token` sent to `contract` with `hook`; `alt_token` is another
    /// cw20 the sender holds (the "wrong denom" of a hook).
    Hook {
        token: Addr,
        alt_token: Addr,
        contract: Addr,
        amount: Uint128,
        hook: Binary,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Auth {
    Restricted,
    Permissionless,
}

#[derive(Clone, Copy, PartialEq)]
enum Pause {
    /// The contract's pause flags should stop it.
    Paused,
    /// Never paused, with the reason.
    Never(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    Sample,
    Unauthorized,
    Zero,
    Overflow,
    WrongDenom,
    ExtraFunds,
    Paused,
    Malformed,
}

const CASES: [Case; 8] = [
    Case::Sample,
    Case::Unauthorized,
    Case::Zero,
    Case::Overflow,
    Case::WrongDenom,
    Case::ExtraFunds,
    Case::Paused,
    Case::Malformed,
];

impl Case {
    fn title(self) -> &'static str {
        match self {
            Case::Sample => "valid sample",
            Case::Unauthorized => "unauthorized",
            Case::Zero => "zero",
            Case::Overflow => "overflow-sized",
            Case::WrongDenom => "wrong denom",
            Case::ExtraFunds => "extra funds",
            Case::Paused => "paused",
            Case::Malformed => "malformed JSON",
        }
    }
}

/// Which contract a message belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
enum Contract {
    Hub,
    Registry,
    Vault,
    Pool,
    LpStrategy,
}

const CONTRACTS: [Contract; 5] = [
    Contract::Hub,
    Contract::Registry,
    Contract::Vault,
    Contract::Pool,
    Contract::LpStrategy,
];

impl Contract {
    fn title(self) -> &'static str {
        match self {
            Contract::Hub => "hub",
            Contract::Registry => "restaking-registry",
            Contract::Vault => "restaking-vault",
            Contract::Pool => "stableswap (LST/native pool)",
            Contract::LpStrategy => "lp-strategy",
        }
    }
}

struct Sample {
    contract: Contract,
    /// The variant: its JSON key, `receive/<hook>` for a hook, `callback/<step>` for a callback.
    key: String,
    sender: Addr,
    build: Box<dyn Fn(Amt) -> Shape>,
    /// Whether the message has an amount (a field, attached funds or a cw20 amount).
    has_amount: bool,
    auth: Auth,
    pause: Pause,
    /// Cases in which acceptance is by design, with the reason.
    accepts: Vec<(Case, &'static str)>,
}

fn key_of<T: Serialize>(msg: &T) -> String {
    let json = String::from_utf8(to_json_binary(msg).unwrap().to_vec()).unwrap();
    json.trim_start_matches("{\"")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

fn amount(a: Amt, normal: u128) -> Uint128 {
    a.unwrap_or(Uint128::new(normal))
}

fn native(a: Amt, normal: u128) -> Vec<Coin> {
    let x = amount(a, normal);
    if x.is_zero() {
        vec![]
    } else {
        vec![Coin::new(x, DENOM)]
    }
}

fn direct<T: Serialize>(contract: &Addr, msg: &T, funds: Vec<Coin>) -> Shape {
    Shape::Direct {
        contract: contract.clone(),
        msg: to_json_binary(msg).unwrap(),
        funds,
    }
}

impl Sample {
    fn new(
        contract: Contract,
        key: String,
        sender: &Addr,
        build: impl Fn(Amt) -> Shape + 'static,
    ) -> Self {
        Sample {
            contract,
            key,
            sender: sender.clone(),
            build: Box::new(build),
            has_amount: false,
            auth: Auth::Restricted,
            pause: Pause::Paused,
            accepts: vec![],
        }
    }

    /// A restricted message without amount that pauses never stop (an admin or role action).
    fn admin(mut self) -> Self {
        self.pause = Pause::Never("admin");
        self
    }

    fn amount(mut self) -> Self {
        self.has_amount = true;
        self
    }

    fn open(mut self) -> Self {
        self.auth = Auth::Permissionless;
        self
    }

    fn never_paused(mut self, why: &'static str) -> Self {
        self.pause = Pause::Never(why);
        self
    }

    fn accepts(mut self, case: Case, why: &'static str) -> Self {
        self.accepts.push((case, why));
        self
    }
}

/// A direct sample: the typed message is built from the amount override.
fn msg_sample<T: Serialize + 'static>(
    contract: Contract,
    target: &Addr,
    sender: &Addr,
    funds: impl Fn(Amt) -> Vec<Coin> + 'static,
    make: impl Fn(Amt) -> T + 'static,
) -> Sample {
    let key = key_of(&make(None));
    let target = target.clone();
    Sample::new(contract, key, sender, move |a| {
        direct(&target, &make(a), funds(a))
    })
}

fn no_funds(_: Amt) -> Vec<Coin> {
    vec![]
}

/// A hook sample: `normal` of `token` sent to `target` with the hook.
fn hook_sample<T: Serialize + 'static>(
    contract: Contract,
    target: &Addr,
    sender: &Addr,
    (token, alt_token): (&Addr, &Addr),
    normal: u128,
    hook: T,
) -> Sample {
    let key = format!("receive/{}", key_of(&hook));
    let (target, token, alt_token) = (target.clone(), token.clone(), alt_token.clone());
    let hook = to_json_binary(&hook).unwrap();
    Sample::new(contract, key, sender, move |a| Shape::Hook {
        token: token.clone(),
        alt_token: alt_token.clone(),
        contract: target.clone(),
        amount: amount(a, normal),
        hook: hook.clone(),
    })
    .amount()
}

fn callback_sample<T: Serialize + 'static>(
    contract: Contract,
    target: &Addr,
    step: &T,
    make: impl Fn(Amt) -> T + 'static,
) -> Sample {
    let key = format!("callback/{}", key_of(step));
    let target = target.clone();
    Sample::new(contract, key, &target.clone(), move |a| {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Wrap<T> {
            Callback(T),
        }
        direct(&target, &Wrap::Callback(make(a)), vec![])
    })
    .never_paused("internal")
}

fn transfer_ownership(contract: Contract, target: &Addr, owner: &Addr) -> Sample {
    msg_sample(contract, target, owner, no_funds, |_| {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Own {
            UpdateOwnership(cw_ownable::Action),
        }
        Own::UpdateOwnership(cw_ownable::Action::TransferOwnership {
            new_owner: "newowner".into_bech32_string(),
            expiry: None,
        })
    })
    .admin()
}

trait Bech32 {
    fn into_bech32_string(self) -> String;
}

impl Bech32 for &str {
    fn into_bech32_string(self) -> String {
        use cw_multi_test::IntoBech32;
        self.into_bech32().to_string()
    }
}

fn user(name: &str) -> Addr {
    Addr::unchecked(name.into_bech32_string())
}

fn hub_samples(c: &Ctx) -> Vec<Sample> {
    use hub::{CallbackMsg, ExecuteMsg as M, PauseFlags, ReceiveMsg as R};
    let (h, hub, owner) = (Contract::Hub, &c.hub, &c.owner);
    let alice = &user("alice");
    vec![
        msg_sample(
            h,
            hub,
            alice,
            |a| native(a, 1_000 * TOKEN),
            |_| M::Bond { min_out: None },
        )
        .amount()
        .open(),
        hook_sample(
            h,
            hub,
            alice,
            (&c.lst, &c.lrt),
            100 * TOKEN,
            R::Unbond { receiver: None },
        ),
        hook_sample(
            h,
            hub,
            alice,
            (&c.lst, &c.lrt),
            10 * TOKEN,
            R::InstantUnstake { min_out: None },
        ),
        msg_sample(h, hub, alice, no_funds, |_| M::Claim {}).open(),
        msg_sample(h, hub, &user("keeper"), no_funds, |_| M::Crank {}).open(),
        msg_sample(h, hub, owner, no_funds, |_| M::AddValidator {
            address: "spare1".to_string(),
            weight: 1,
        })
        .admin(),
        msg_sample(h, hub, owner, no_funds, |_| M::UpdateValidatorWeight {
            address: "validator1".to_string(),
            weight: 2,
        })
        .admin(),
        msg_sample(h, hub, owner, no_funds, |_| M::RemoveValidator {
            address: "validator3".to_string(),
        })
        .admin(),
        msg_sample(h, hub, owner, no_funds, |_| M::QueueFeeChange {
            fee_bps: 500,
        })
        .admin(),
        msg_sample(h, hub, owner, no_funds, |a| M::UpdateConfig {
            fee_addr: None,
            min_bond: Some(amount(a, 2_000)),
            max_rebalance_per_epoch: Some(amount(a, 1_000 * TOKEN)),
            guardian: None,
            rails: None,
        })
        .admin()
        .amount(),
        msg_sample(h, hub, owner, no_funds, |a| M::SetDepositCap {
            cap: Some(amount(a, 10_000_000 * TOKEN)),
        })
        .admin()
        .amount()
        .accepts(Case::Zero, "a cap of 0 closes deposits")
        .accepts(Case::Overflow, "the largest cap"),
        msg_sample(h, hub, owner, no_funds, |_| {
            M::SetPause(PauseFlags::default())
        })
        .admin(),
        msg_sample(h, hub, owner, no_funds, |_| M::GuardianPause {
            bond: true,
            instant_unstake: false,
        })
        .admin(),
        {
            let pool = c.pool.to_string();
            msg_sample(h, hub, owner, no_funds, move |_| M::SetInstantUnstakePool {
                pool: Some(pool.clone()),
            })
            .admin()
        },
        callback_sample(h, hub, &CallbackMsg::Reinvest {}, |_| {
            CallbackMsg::Reinvest {}
        }),
        transfer_ownership(h, hub, owner),
    ]
}

fn registry_samples(c: &Ctx) -> Vec<Sample> {
    use registry::{ExecuteMsg as M, ReceiveMsg as R, RegistryPauseFlags};
    let (r, reg, owner, service) = (Contract::Registry, &c.registry, &c.owner, c.service);
    let (alice, svc, op1) = (&user("alice"), &user("svc"), &user("op1"));
    let (old_slash, new_slash) = (c.old_slash, c.new_slash);
    vec![
        msg_sample(r, reg, &user("op4"), no_funds, |_| M::RegisterOperator {
            name: "op4".to_string(),
            commission_bps: 100,
        })
        .open()
        .never_paused("registration"),
        msg_sample(r, reg, op1, no_funds, |_| M::QueueCommissionChange {
            commission_bps: 200,
        })
        .admin(),
        msg_sample(r, reg, &user("svc2"), no_funds, |_| M::RegisterService {
            name: "svc2".to_string(),
            reward_rate_bps: 100,
            max_slash_bps_per_epoch: 1_000,
            veto_window: DAY,
            resolver: "svc2-resolver".into_bech32_string(),
            slash_destination: "svc2-treasury".into_bech32_string(),
        })
        .open()
        .never_paused("registration"),
        msg_sample(r, reg, svc, no_funds, move |_| M::ApproveOperator {
            service,
            operator: "op3".into_bech32_string(),
        })
        .admin(),
        msg_sample(r, reg, svc, no_funds, move |_| M::RevokeOperator {
            service,
            operator: "op1".into_bech32_string(),
        })
        .admin(),
        msg_sample(r, reg, &user("op2"), no_funds, move |_| M::OptIn {
            service,
        })
        .admin(),
        msg_sample(r, reg, op1, no_funds, move |_| M::OptOut { service }).admin(),
        msg_sample(r, reg, op1, no_funds, move |_| M::SetAllocation {
            service,
            bps: 6_000,
        })
        .admin(),
        msg_sample(
            r,
            reg,
            svc,
            |a| native(a, 1_000 * TOKEN),
            move |_| M::DepositRewards { service },
        )
        .amount(),
        msg_sample(r, reg, svc, no_funds, move |_| M::RequestSlash {
            service,
            operator: "op1".into_bech32_string(),
            fraction_bps: 10,
            reason: "double signing".to_string(),
        })
        .never_paused("slashing"),
        msg_sample(r, reg, &user("svc-resolver"), no_funds, move |_| {
            M::VetoSlash {
                request_id: new_slash,
            }
        })
        .never_paused("slashing"),
        msg_sample(r, reg, &user("keeper"), no_funds, move |_| {
            M::ExecuteSlash {
                request_id: old_slash,
            }
        })
        .open()
        .never_paused("slashing"),
        hook_sample(
            r,
            reg,
            alice,
            (&c.lst, &c.lrt),
            100 * TOKEN,
            R::Delegate {
                operator: "op2".into_bech32_string(),
            },
        ),
        msg_sample(r, reg, alice, no_funds, |a| M::Undelegate {
            operator: "op1".into_bech32_string(),
            amount: amount(a, 10 * TOKEN),
        })
        .amount(),
        msg_sample(r, reg, alice, no_funds, |_| M::CompleteUndelegations {}),
        msg_sample(r, reg, alice, no_funds, |_| M::ClaimRewards {}),
        msg_sample(r, reg, op1, no_funds, |_| M::ClaimCommission {}),
        msg_sample(r, reg, owner, no_funds, |_| {
            M::SetPause(RegistryPauseFlags::default())
        })
        .admin(),
        transfer_ownership(r, reg, owner),
    ]
}

fn vault_samples(c: &Ctx) -> Vec<Sample> {
    use vault::{CallbackMsg, ExecuteMsg as M, OperatorTarget, ReceiveMsg as R, VaultPauseFlags};
    let (v, vlt, owner) = (Contract::Vault, &c.vault, &c.owner);
    let alice = &user("alice");
    let mock = c.mock_strategy.to_string();
    vec![
        msg_sample(
            v,
            vlt,
            alice,
            |a| native(a, 1_000 * TOKEN),
            |_| M::Deposit { min_out: None },
        )
        .amount()
        .open(),
        hook_sample(
            v,
            vlt,
            alice,
            (&c.lst, &c.lrt),
            100 * TOKEN,
            R::Deposit { min_out: None },
        ),
        hook_sample(
            v,
            vlt,
            alice,
            (&c.lrt, &c.lst),
            2 * TOKEN,
            R::RequestWithdrawal {},
        ),
        msg_sample(v, vlt, alice, no_funds, |_| M::ClaimWithdrawals {
            unbond: false,
        })
        .open(),
        msg_sample(v, vlt, &user("keeper"), no_funds, |_| M::Crank {}).open(),
        msg_sample(v, vlt, owner, no_funds, |_| M::SetOperatorTargets {
            targets: vec![
                OperatorTarget {
                    operator: "op1".into_bech32_string(),
                    weight: 1,
                },
                OperatorTarget {
                    operator: "op2".into_bech32_string(),
                    weight: 1,
                },
            ],
        })
        .admin(),
        msg_sample(v, vlt, owner, no_funds, move |_| M::SetStrategy {
            contract: mock.clone(),
            target_bps: 500,
        })
        .admin(),
        msg_sample(v, vlt, owner, no_funds, |_| M::QueueFeeChange {
            fee_bps: 500,
        })
        .admin(),
        msg_sample(v, vlt, owner, no_funds, |_| M::UpdateConfig {
            fee_addr: None,
            withdrawal_delay: Some(9 * DAY),
            max_operator_bps: None,
            max_service_exposure_bps: None,
            guardian: None,
            rails: None,
        })
        .admin(),
        msg_sample(v, vlt, owner, no_funds, |a| M::SetDepositCap {
            cap: Some(amount(a, 10_000_000 * TOKEN)),
        })
        .admin()
        .amount()
        .accepts(Case::Zero, "a cap of 0 closes deposits")
        .accepts(Case::Overflow, "the largest cap"),
        msg_sample(v, vlt, owner, no_funds, |_| {
            M::SetPause(VaultPauseFlags::default())
        })
        .admin(),
        msg_sample(v, vlt, owner, no_funds, |_| M::GuardianPause {}).admin(),
        callback_sample(
            v,
            vlt,
            &CallbackMsg::AfterBond {
                user: String::new(),
                min_out: None,
                lst_before: Uint128::zero(),
            },
            |a| CallbackMsg::AfterBond {
                user: "alice".into_bech32_string(),
                min_out: None,
                lst_before: amount(a, TOKEN),
            },
        )
        .amount()
        .accepts(Case::Zero, "internal balance, 0 is valid"),
        callback_sample(
            v,
            vlt,
            &CallbackMsg::AfterHarvest {
                bond_native: Uint128::zero(),
                bond_lst: Uint128::zero(),
            },
            |a| CallbackMsg::AfterHarvest {
                bond_native: amount(a, TOKEN),
                bond_lst: amount(a, TOKEN),
            },
        )
        .amount()
        .accepts(Case::Zero, "the hub's figures, 0 is valid"),
        callback_sample(
            v,
            vlt,
            &CallbackMsg::AfterRewardBond {
                lst_before: Uint128::zero(),
            },
            |a| CallbackMsg::AfterRewardBond {
                lst_before: amount(a, TOKEN),
            },
        )
        .amount()
        .accepts(Case::Zero, "internal balance, 0 is valid"),
        transfer_ownership(v, vlt, owner),
    ]
}

fn pool_samples(c: &Ctx) -> Vec<Sample> {
    use stableswap::{ExecuteMsg as M, PoolPauseFlags, ReceiveMsg as R};
    let (p, pool, owner) = (Contract::Pool, &c.pool, &c.owner);
    let alice = &user("alice");
    let now = c.now;
    let lp = c.alice_lp / 10;
    vec![
        msg_sample(
            p,
            pool,
            alice,
            |a| native(a, 1_000 * TOKEN),
            |a| M::ProvideLiquidity {
                amounts: [Uint128::zero(), amount(a, 1_000 * TOKEN)],
                min_lp: None,
            },
        )
        .amount()
        .open(),
        msg_sample(
            p,
            pool,
            alice,
            |a| native(a, 100 * TOKEN),
            |_| M::Swap {
                min_out: None,
                to: None,
            },
        )
        .amount()
        .open(),
        hook_sample(
            p,
            pool,
            alice,
            (&c.lst, &c.lrt),
            100 * TOKEN,
            R::Swap {
                min_out: None,
                to: None,
            },
        ),
        hook_sample(
            p,
            pool,
            alice,
            (&c.lst, &c.lrt),
            100 * TOKEN,
            R::Provide { min_lp: None },
        ),
        hook_sample(
            p,
            pool,
            alice,
            (&c.lp, &c.lst),
            lp,
            R::WithdrawLiquidity { min_amounts: None },
        )
        .never_paused("safe exit"),
        hook_sample(
            p,
            pool,
            alice,
            (&c.lp, &c.lst),
            lp,
            R::WithdrawOne {
                coin: 1,
                min_out: None,
            },
        ),
        msg_sample(p, pool, owner, no_funds, move |_| M::RampA {
            future_a: 100,
            future_time: now + 2 * DAY,
        })
        .admin(),
        msg_sample(p, pool, owner, no_funds, |_| M::StopRampA {}).admin(),
        msg_sample(p, pool, owner, no_funds, |_| M::SetFees {
            fee: 4_000_000,
            admin_fee: 5_000_000_000,
        })
        .admin(),
        msg_sample(p, pool, &user("keeper"), no_funds, |_| {
            M::CollectAdminFees {}
        })
        .open()
        .never_paused("fee collection"),
        msg_sample(p, pool, owner, no_funds, |_| {
            M::SetPause(PoolPauseFlags::default())
        })
        .admin(),
        transfer_ownership(p, pool, owner),
    ]
}

fn lp_strategy_samples(c: &Ctx) -> Vec<Sample> {
    use strategy::{LpStrategyExecuteMsg as M, StrategyReceiveMsg as R};
    let (l, strat, vlt) = (Contract::LpStrategy, &c.lp_strategy, &c.vault);
    vec![
        hook_sample(l, strat, vlt, (&c.lst, &c.lp), 10 * TOKEN, R::Deposit {})
            .never_paused("no pause flags"),
        msg_sample(l, strat, vlt, no_funds, |a| M::Withdraw {
            amount: amount(a, TOKEN),
        })
        .amount()
        .accepts(
            Case::Overflow,
            "returns everything it holds, as the interface says",
        )
        .never_paused("no pause flags"),
        msg_sample(l, strat, strat, no_funds, |_| M::ForwardToVault {})
            .never_paused("no pause flags"),
    ]
}

fn samples(c: &Ctx) -> Vec<Sample> {
    let mut all = hub_samples(c);
    all.extend(registry_samples(c));
    all.extend(vault_samples(c));
    all.extend(pool_samples(c));
    all.extend(lp_strategy_samples(c));
    all
}

// ---------------------------------------------------------------------------------------------
// Exhaustiveness: the variants of each enum, from its JSON schema.

fn variants<T: JsonSchema>() -> Vec<String> {
    let root = SchemaGenerator::default().into_root_schema_for::<T>();
    let one_of = root
        .schema
        .subschemas
        .as_ref()
        .and_then(|s| s.one_of.clone())
        .expect("a cw_serde enum's schema is a oneOf");
    one_of
        .iter()
        .map(|s| match s {
            Schema::Object(o) => o
                .object
                .as_ref()
                .and_then(|o| o.required.iter().next().cloned())
                .expect("each variant is an object with one required key"),
            Schema::Bool(_) => panic!("unexpected schema"),
        })
        .collect()
}

/// The variants of an `ExecuteMsg`, `receive` replaced by the hook variants and `callback` by
/// the callback variants.
fn expand(top: Vec<String>, hooks: Vec<String>, callbacks: Vec<String>) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for v in top {
        match v.as_str() {
            "receive" => all.extend(hooks.iter().map(|h| format!("receive/{h}"))),
            "callback" => all.extend(callbacks.iter().map(|h| format!("callback/{h}"))),
            _ => {
                all.insert(v);
            }
        }
    }
    all
}

fn expected_variants(contract: Contract) -> BTreeSet<String> {
    match contract {
        Contract::Hub => expand(
            variants::<hub::ExecuteMsg>(),
            variants::<hub::ReceiveMsg>(),
            variants::<hub::CallbackMsg>(),
        ),
        Contract::Registry => expand(
            variants::<registry::ExecuteMsg>(),
            variants::<registry::ReceiveMsg>(),
            vec![],
        ),
        Contract::Vault => expand(
            variants::<vault::ExecuteMsg>(),
            variants::<vault::ReceiveMsg>(),
            variants::<vault::CallbackMsg>(),
        ),
        Contract::Pool => expand(
            variants::<stableswap::ExecuteMsg>(),
            variants::<stableswap::ReceiveMsg>(),
            vec![],
        ),
        Contract::LpStrategy => expand(
            variants::<strategy::LpStrategyExecuteMsg>(),
            variants::<strategy::StrategyReceiveMsg>(),
            vec![],
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Running a cell.

/// Everything observable: the hub, the restaking side, the pool, the strategy, and the balances
/// of every account involved.
fn observe(s: &FullSuite, c: &Ctx, sender: &Addr) -> String {
    let accounts = [
        sender.clone(),
        user("alice"),
        user("mallory"),
        user("svc"),
        user("op1"),
        c.hub.clone(),
        c.registry.clone(),
        c.vault.clone(),
        c.mock_strategy.clone(),
        c.pool.clone(),
        c.lp_strategy.clone(),
        c.owner.clone(),
        c.fee_addr.clone(),
    ];
    let mut out = String::new();
    for a in &accounts {
        let bank: Vec<Uint128> = [DENOM, WRONG, EXTRA]
            .iter()
            .map(|d| s.app.wrap().query_balance(a, *d).unwrap().amount)
            .collect();
        let cw20s: Vec<u128> = [&c.lst, &c.lrt, &c.lp]
            .iter()
            .map(|t| {
                let r: cw20::BalanceResponse = s
                    .app
                    .wrap()
                    .query_wasm_smart(
                        *t,
                        &cw20::Cw20QueryMsg::Balance {
                            address: a.to_string(),
                        },
                    )
                    .unwrap();
                r.balance.u128()
            })
            .collect();
        writeln!(out, "{a}: {bank:?} {cw20s:?}").unwrap();
    }
    let pool_config: stableswap::PoolConfigResponse = s
        .app
        .wrap()
        .query_wasm_smart(&c.pool, &stableswap::QueryMsg::Config {})
        .unwrap();
    let strategy_value: Uint128 = s
        .app
        .wrap()
        .query_wasm_smart(
            &c.lp_strategy,
            &strategy::StrategyQueryMsg::Value {
                owner: c.vault.to_string(),
            },
        )
        .unwrap();
    writeln!(
        out,
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        s.snapshot("alice"),
        s.vault_snapshot("alice"),
        s.registry_position(&user("alice")),
        s.pool_info(),
        pool_config,
        s.peg(),
        strategy_value,
    )
    .unwrap();
    out
}

/// What a case sends, or why it does not apply.
enum Plan {
    NotApplicable(String),
    Run {
        sender: Addr,
        call: (Addr, Binary, Vec<Coin>),
        /// Native coins minted to the sender before the cell (not part of what is compared).
        mint: Vec<Coin>,
        /// Mint the sender the most native it can hold (the overflow case).
        mint_max: bool,
        pause: bool,
    },
}

fn send(token: &Addr, contract: &Addr, amount: Uint128, hook: Binary) -> (Addr, Binary, Vec<Coin>) {
    (
        token.clone(),
        to_json_binary(&Cw20ExecuteMsg::Send {
            contract: contract.to_string(),
            amount,
            msg: hook,
        })
        .unwrap(),
        vec![],
    )
}

fn truncated(msg: &Binary) -> Binary {
    let bytes = msg.to_vec();
    Binary::from(&bytes[..bytes.len() - 1])
}

/// `headroom`: the most native one account can be given without any balance overflowing (the
/// largest attached amount the bank can carry).
fn plan(sample: &Sample, case: Case, headroom: Uint128) -> Plan {
    let run = |sender: &Addr, call, mint: Vec<Coin>| Plan::Run {
        sender: sender.clone(),
        call,
        mint,
        mint_max: false,
        pause: false,
    };
    let na = |why: &str| Plan::NotApplicable(format!("n/a: {why}"));
    let shape = match case {
        Case::Zero if sample.has_amount => (sample.build)(Some(Uint128::zero())),
        Case::Overflow if sample.has_amount => match (sample.build)(Some(Uint128::MAX)) {
            Shape::Direct { funds, .. } if !funds.is_empty() => (sample.build)(Some(headroom)),
            shape => shape,
        },
        Case::Zero | Case::Overflow => return na("no amount"),
        _ => (sample.build)(None),
    };
    let sender = &sample.sender;
    match (shape, case) {
        (
            Shape::Direct {
                contract,
                msg,
                funds,
            },
            _,
        ) => match case {
            Case::Sample | Case::Zero => run(sender, (contract, msg, funds), vec![]),
            Case::Overflow => Plan::Run {
                sender: sender.clone(),
                mint_max: !funds.is_empty(),
                call: (contract, msg, funds),
                mint: vec![],
                pause: false,
            },
            Case::Unauthorized => run(&user("mallory"), (contract, msg, funds), vec![]),
            Case::WrongDenom if funds.is_empty() => na("takes no funds"),
            Case::WrongDenom => {
                let wrong: Vec<Coin> = funds.iter().map(|f| coin(f.amount.u128(), WRONG)).collect();
                run(sender, (contract, msg, wrong.clone()), wrong)
            }
            Case::ExtraFunds => {
                let extra = if funds.is_empty() {
                    coin(TOKEN, DENOM)
                } else {
                    coin(TOKEN, EXTRA)
                };
                let mut all = funds;
                all.push(extra.clone());
                all.sort_by(|a, b| a.denom.cmp(&b.denom));
                run(sender, (contract, msg, all), vec![extra])
            }
            Case::Paused => Plan::Run {
                sender: sender.clone(),
                call: (contract, msg, funds),
                mint: vec![],
                mint_max: false,
                pause: true,
            },
            Case::Malformed => run(sender, (contract, truncated(&msg), funds), vec![]),
        },
        (
            Shape::Hook {
                token,
                alt_token,
                contract,
                amount,
                hook,
            },
            _,
        ) => match case {
            Case::Sample | Case::Zero | Case::Overflow => {
                run(sender, send(&token, &contract, amount, hook), vec![])
            }
            // A forged hook: the cw20 call made directly, claiming `sender` sent the tokens.
            Case::Unauthorized => {
                #[derive(Serialize)]
                #[serde(rename_all = "snake_case")]
                enum Wrap {
                    Receive(Cw20ReceiveMsg),
                }
                let forged = Wrap::Receive(Cw20ReceiveMsg {
                    sender: sender.to_string(),
                    amount,
                    msg: hook,
                });
                run(
                    &user("mallory"),
                    (contract, to_json_binary(&forged).unwrap(), vec![]),
                    vec![],
                )
            }
            Case::WrongDenom => run(sender, send(&alt_token, &contract, amount, hook), vec![]),
            Case::ExtraFunds => na("cw20 hook (the token calls with no funds)"),
            Case::Paused => Plan::Run {
                sender: sender.clone(),
                call: send(&token, &contract, amount, hook),
                mint: vec![],
                mint_max: false,
                pause: true,
            },
            Case::Malformed => run(
                sender,
                send(&token, &contract, amount, truncated(&hook)),
                vec![],
            ),
        },
    }
}

/// The owner's message that sets every pause flag of the contract, if it has any.
fn pause_all(c: &Ctx, contract: Contract) -> Option<(Addr, Binary)> {
    let msg = match contract {
        Contract::Hub => to_json_binary(&hub::ExecuteMsg::SetPause(hub::PauseFlags {
            bond: true,
            unbond: true,
            claim: true,
            crank: true,
            instant_unstake: true,
        })),
        Contract::Registry => to_json_binary(&registry::ExecuteMsg::SetPause(
            registry::RegistryPauseFlags {
                delegate: true,
                undelegate: true,
                rewards: true,
            },
        )),
        Contract::Vault => to_json_binary(&vault::ExecuteMsg::SetPause(vault::VaultPauseFlags {
            deposit: true,
            withdraw: true,
            claim: true,
            crank: true,
        })),
        Contract::Pool => to_json_binary(&stableswap::ExecuteMsg::SetPause(
            stableswap::PoolPauseFlags {
                provide: true,
                swap: true,
                withdraw_one: true,
            },
        )),
        Contract::LpStrategy => return None,
    }
    .unwrap();
    let addr = match contract {
        Contract::Hub => &c.hub,
        Contract::Registry => &c.registry,
        Contract::Vault => &c.vault,
        Contract::Pool => &c.pool,
        Contract::LpStrategy => unreachable!(),
    };
    Some((addr.clone(), msg))
}

fn exec(
    s: &mut FullSuite,
    sender: &Addr,
    (contract, msg, funds): (Addr, Binary, Vec<Coin>),
) -> AnyResult<AppResponse> {
    s.app.execute(
        sender.clone(),
        CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr: contract.to_string(),
            msg,
            funds,
        }),
    )
}

fn name_of(c: &Ctx, addr: &str) -> String {
    let names = [
        (&c.hub, "hub"),
        (&c.lst, "LST (cw20-base)"),
        (&c.registry, "registry"),
        (&c.vault, "vault"),
        (&c.lrt, "LRT (cw20-base)"),
        (&c.mock_strategy, "mock strategy"),
        (&c.pool, "pool"),
        (&c.lp, "LP (cw20-base)"),
        (&c.lp_strategy, "lp-strategy"),
    ];
    names
        .iter()
        .find(|(a, _)| a.as_str() == addr)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| addr.to_string())
}

fn is_ours(name: &str) -> bool {
    matches!(name, "hub" | "registry" | "vault" | "pool" | "lp-strategy")
}

/// The innermost contract that failed (from cw-multi-test's "Error executing WasmMsg"
/// contexts) and the root message of the error.
fn root(c: &Ctx, err: &anyhow::Error) -> (Option<String>, String) {
    let mut who = None;
    for cause in err.chain() {
        let text = cause.to_string();
        if let Some(i) = text.find("contract_addr: \"") {
            let rest = &text[i + "contract_addr: \"".len()..];
            let addr = rest.split('"').next().unwrap();
            who = Some(name_of(c, addr));
        }
    }
    let root = err.root_cause().to_string();
    (who, root.replace('\n', " ").replace('|', "\\|"))
}

fn is_raw(text: &str) -> bool {
    text.contains("with given operands")
        || text.contains("Divide by zero")
        || text.contains("Cannot divide")
        || text.contains("Error parsing into type")
        || text.contains("ConversionOverflow")
        || text.starts_with("Overflow")
}

fn target_name(sample: &Sample) -> &'static str {
    match sample.contract {
        Contract::Hub => "hub",
        Contract::Registry => "registry",
        Contract::Vault => "vault",
        Contract::Pool => "pool",
        Contract::LpStrategy => "lp-strategy",
    }
}

/// The chain a cell runs on: rebuilt whenever the last cell changed it.
struct Chain {
    suite: FullSuite,
    ctx: Ctx,
    dirty: bool,
    builds: usize,
}

impl Chain {
    fn fresh(&mut self) -> &mut FullSuite {
        if self.dirty {
            let (suite, ctx) = build();
            assert_eq!(ctx, self.ctx, "the chain must be deterministic");
            self.suite = suite;
            self.dirty = false;
            self.builds += 1;
        }
        &mut self.suite
    }
}

fn run_cell(chain: &mut Chain, sample: &Sample, case: Case) -> String {
    let supply = chain.fresh().app.wrap().query_supply(DENOM).unwrap().amount;
    let (sender, call, mint, mint_max, pause) = match plan(sample, case, Uint128::MAX - supply) {
        Plan::NotApplicable(text) => return text,
        Plan::Run {
            sender,
            call,
            mint,
            mint_max,
            pause,
        } => (sender, call, mint, mint_max, pause),
    };
    let ctx = chain.ctx.clone();
    if pause {
        match pause_all(&ctx, sample.contract) {
            None => {
                return match sample.pause {
                    Pause::Never(why) => format!("n/a: {why}"),
                    Pause::Paused => "n/a: no pause flags".to_string(),
                }
            }
            Some((contract, msg)) => {
                let s = chain.fresh();
                let owner = ctx.owner.clone();
                exec(s, &owner, (contract, msg, vec![])).unwrap();
            }
        }
    }
    chain.fresh();
    // From here on the chain is changed (pause, mint) until the cell is refused unchanged.
    chain.dirty = pause;
    let s = &mut chain.suite;
    if !mint.is_empty() {
        s.app
            .sudo(SudoMsg::Bank(BankSudo::Mint {
                to_address: sender.to_string(),
                amount: mint,
            }))
            .unwrap();
    }
    if mint_max {
        let attached = call.2.iter().map(|c| c.amount).sum::<Uint128>();
        s.app
            .sudo(SudoMsg::Bank(BankSudo::Mint {
                to_address: sender.to_string(),
                amount: vec![Coin::new(attached, DENOM)],
            }))
            .unwrap();
        chain.dirty = true;
    }
    let s = &mut chain.suite;
    let before = observe(s, &ctx, &sender);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| exec(s, &sender, call)));
    let result = match result {
        Ok(result) => result,
        Err(panic) => {
            chain.dirty = true;
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return format!("inconclusive: the simulator panicked ({text})");
        }
    };
    match result {
        Ok(_) => {
            chain.dirty = true;
            match case {
                Case::Sample => "ok".to_string(),
                Case::Unauthorized if sample.auth == Auth::Permissionless => {
                    "accepted: permissionless".to_string()
                }
                Case::Paused => match sample.pause {
                    Pause::Never(why) => format!("accepted: never paused ({why})"),
                    Pause::Paused => GAP.to_string(),
                },
                _ => sample
                    .accepts
                    .iter()
                    .find(|(c, _)| *c == case)
                    .map(|(_, why)| format!("accepted: {why}"))
                    .unwrap_or_else(|| GAP.to_string()),
            }
        }
        Err(err) => {
            let after = observe(s, &ctx, &sender);
            assert_eq!(
                before,
                after,
                "{} {} ({}): a refused message changed state",
                sample.contract.title(),
                sample.key,
                case.title()
            );
            let (who, text) = root(&ctx, &err);
            let who = who.unwrap_or_else(|| "chain".to_string());
            let raw = is_ours(&who) && case != Case::Malformed && is_raw(&text);
            let text = if who == target_name(sample) {
                text
            } else {
                format!("[{who}] {text}")
            };
            if raw {
                format!("RAW (gap): {text}")
            } else {
                text
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The matrix.

fn is_gap(cell: &str) -> bool {
    cell.starts_with(GAP) || cell.starts_with("RAW (gap)")
}

#[test]
fn bad_input_matrix() {
    let started = std::time::Instant::now();
    let (suite, ctx) = build();
    let samples = samples(&ctx);

    for contract in CONTRACTS {
        let have: Vec<&String> = samples
            .iter()
            .filter(|s| s.contract == contract)
            .map(|s| &s.key)
            .collect();
        let unique: BTreeSet<String> = have.iter().map(|k| k.to_string()).collect();
        assert_eq!(
            unique.len(),
            have.len(),
            "{contract:?}: two samples of one variant"
        );
        assert_eq!(
            unique,
            expected_variants(contract),
            "{contract:?}: every execute variant (and hook and callback) needs exactly one sample"
        );
    }

    let mut chain = Chain {
        suite,
        ctx,
        dirty: false,
        builds: 1,
    };
    let mut rows: Vec<(Contract, String, Vec<String>)> = vec![];
    for sample in &samples {
        // Paused and the valid sample last: they change the chain.
        let order = [
            Case::Unauthorized,
            Case::Zero,
            Case::Overflow,
            Case::WrongDenom,
            Case::ExtraFunds,
            Case::Malformed,
            Case::Paused,
            Case::Sample,
        ];
        let mut cells = vec![String::new(); CASES.len()];
        for case in order {
            let i = CASES.iter().position(|c| *c == case).unwrap();
            cells[i] = run_cell(&mut chain, sample, case);
        }
        rows.push((sample.contract, sample.key.clone(), cells));
    }

    let gaps: Vec<String> = rows
        .iter()
        .flat_map(|(contract, key, cells)| {
            cells
                .iter()
                .zip(CASES)
                .filter(|(cell, _)| is_gap(cell))
                .map(move |(cell, case)| {
                    format!("- {} `{key}` x {}: {cell}", contract.title(), case.title())
                })
        })
        .collect();
    let n_cells = rows.len() * (CASES.len() - 1);

    let mut md = String::new();
    writeln!(md, "# Bad-input matrix").unwrap();
    writeln!(md).unwrap();
    writeln!(
        md,
        "Generated by `packages/tributary-testing/tests/bad_input_matrix.rs`; do not edit by \
         hand. The test fails when this file differs from what it generates; regenerate with \
         `UPDATE_MATRIX=1 cargo test -p tributary-testing --test bad_input_matrix`."
    )
    .unwrap();
    writeln!(md).unwrap();
    writeln!(
        md,
        "Every execute message of every contract (each cw20 hook sent through its token's \
         `Send`, each internal callback from the contract itself) starts from one valid sample \
         with its proper sender and funds (column \"valid sample\"), then is mutated: \
         **unauthorized** (sender `mallory`, who has no role; for a hook, the `Receive` call \
         forged by `mallory` directly), **zero** (every amount field and the attached or sent \
         amount set to 0; zero coins are not attached), **overflow-sized** (the same set to \
         `Uint128::MAX`; attached native is the most the bank can carry, `Uint128::MAX` minus \
         the supply, minted to the sender first; a cw20 sender cannot hold such an amount, so \
         its token refuses; `inconclusive` marks a cell where cw-multi-test itself panicked, \
         e.g. its staking module on such a delegation), **wrong denom** (the attached coins in `{WRONG}`; for a hook, another cw20 the \
         sender holds), **extra funds** (`1000000{EXTRA}` added to the attached coins, or \
         `1000000{DENOM}` attached to a message that takes none), **paused** (every pause flag \
         of the contract set by the owner first), **malformed JSON** (the message's JSON, or \
         the hook's, with its last byte cut). Slippage bounds are left unset."
    )
    .unwrap();
    writeln!(md).unwrap();
    writeln!(
        md,
        "A refused cell shows the error's root message, prefixed with `[contract]` when another \
         contract than the one addressed refused it; each was checked to leave everything \
         observable unchanged (hub, registry, vault, pool and strategy state and the balances \
         of every account involved). `{GAP}` marks a cell accepted where it should have been \
         refused; `RAW (gap)` a raw arithmetic or parse message from one of our contracts \
         outside the malformed-JSON column."
    )
    .unwrap();
    writeln!(md).unwrap();
    writeln!(
        md,
        "{} messages, {n_cells} cells (plus the valid samples).",
        rows.len()
    )
    .unwrap();
    writeln!(md).unwrap();
    writeln!(md, "## Gaps").unwrap();
    writeln!(md).unwrap();
    if gaps.is_empty() {
        writeln!(md, "None.").unwrap();
    }
    for gap in &gaps {
        writeln!(md, "{gap}").unwrap();
    }
    for contract in CONTRACTS {
        writeln!(md).unwrap();
        writeln!(md, "## {}", contract.title()).unwrap();
        writeln!(md).unwrap();
        let header: Vec<&str> = CASES.iter().map(|c| c.title()).collect();
        writeln!(md, "| message | {} |", header.join(" | ")).unwrap();
        writeln!(md, "|---|{}", "---|".repeat(CASES.len())).unwrap();
        for (_, key, cells) in rows.iter().filter(|(c, _, _)| *c == contract) {
            writeln!(md, "| `{key}` | {} |", cells.join(" | ")).unwrap();
        }
    }

    eprintln!(
        "{} messages, {n_cells} cells, {} builds, {:.1}s; gaps:\n{}",
        rows.len(),
        chain.builds,
        started.elapsed().as_secs_f64(),
        gaps.join("\n")
    );

    if std::env::var("UPDATE_MATRIX").is_ok() {
        std::fs::write(MATRIX, &md).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(MATRIX).unwrap_or_default();
    if committed != md {
        let first = committed
            .lines()
            .zip(md.lines())
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("committed: {a}\ngenerated: {b}"))
            .unwrap_or_else(|| "(one is a prefix of the other)".to_string());
        panic!(
            "docs/bad-input-matrix.md is out of date (a new gap or a changed error?); first \
             difference:\n{first}\nreview it and update with `UPDATE_MATRIX=1 cargo test -p \
             tributary-testing --test bad_input_matrix`"
        );
    }
}
