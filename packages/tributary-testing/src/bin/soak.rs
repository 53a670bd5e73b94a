//! Soak: long random sequences (deterministic by seed) across hub, registry, vault, pool and LP
//! strategy, with every invariant of the design checked after every step. The checks are the
//! ones of the random-sequence tests (`tests/hub_invariants.rs`, `tests/restaking_invariants.rs`,
//! `tests/attacker_sequences.rs`), with their accepted exceptions, on one world where everything
//! happens at once:
//!
//! * solvency: the hub's books are covered by what it really has and cover every LST and every
//!   claim; the vault's books equal what it holds and is owed and cover every LRT and request;
//!   the registry holds what it owes;
//! * conservation: payouts are never counted as rewards; the vault's value is the sum of its
//!   parts;
//! * the hub's rate moves down only with a validator slash and moves up by more than rounding
//!   only with time (rewards) or a donation; an LRT's native value falls only with a slash
//!   (validator or service, requested, executed) beyond rounding and the vault's own trading;
//! * no round trip (bond, deposit, withdraw at once) is worth more than it cost; claims pay
//!   exactly what was claimable;
//! * every failed message leaves everything observable unchanged;
//! * the attacker (mallory) never holds more than she started with plus what a passive holder of
//!   her largest positions could have earned between the lowest and highest rates (the rewards
//!   she was exposed to), rounding, and the vault's trading bound; honest vault users (alice,
//!   bob) lose nothing except to slashes and that trading bound.
//!
//! `soak --steps N --seed S` ends with `steps N violations V steps/s X`; on a violation it prints
//! the step, the action and the broken invariant and exits non-zero.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cmp::Ordering;
use std::time::Instant;

use anyhow::Result as AnyResult;
use clap::Parser;
use cosmwasm_std::{coin, Addr, Decimal, Uint128};
use cw_multi_test::{AppResponse, Executor};
use tributary_math::{QueueSplit, SharePool};
use tributary_testing::{virtual_offset_effect, FullSuite, SuiteBuilder, DAY, DENOM};
use tributary_types::hub::{BatchResponse, BatchStatus, ExecuteMsg as HubMsg, PauseFlags};
use tributary_types::registry::{ExecuteMsg as RegistryMsg, RegistryPauseFlags, SlashStatus};
use tributary_types::stableswap::{
    ExecuteMsg as PoolMsg, PoolPauseFlags, ReceiveMsg as PoolReceive,
};
use tributary_types::vault::{ExecuteMsg as VaultMsg, GuardianUpdate, VaultPauseFlags};

#[derive(Parser, Debug)]
#[command(about = "Random action sequences across the protocol with every invariant checked")]
struct Args {
    /// Number of steps.
    #[arg(long, default_value_t = 10_000)]
    steps: u64,
    /// RNG seed (the run is deterministic by seed).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print a progress line to stderr every this many steps.
    #[arg(long, default_value_t = 10_000)]
    progress: u64,
    /// Print every step's action to stderr.
    #[arg(long)]
    verbose: bool,
}

const TOKEN: u128 = 1_000_000;
const HONEST: [&str; 2] = ["alice", "bob"];
/// Everyone with positions: the honest vault users, carol (hub, pool, vault, everything) and
/// mallory (the attacker).
const USERS: [&str; 4] = ["alice", "bob", "carol", "mallory"];
const VALIDATORS: [&str; 2] = ["validator1", "validator2"];

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: u128, hi: u128) -> u128 {
        lo + u128::from(self.next()) % (hi - lo + 1)
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

#[derive(Clone, Debug)]
enum Action {
    // hub
    Bond(&'static str, u128),
    Unbond(&'static str, u128),
    Claim(&'static str),
    InstantUnstake(&'static str, u128),
    HubCrank,
    // vault (percent of the balance)
    Deposit(&'static str, u128),
    DepositLst(&'static str, u128),
    Withdraw(&'static str, u128),
    ClaimWithdrawals(&'static str, bool),
    VaultCrank,
    // pool (carol; percent of the balance)
    BuyLst(u128),
    SellLst(u128),
    Provide(u128, u128),
    WithdrawLiquidity(u128),
    // registry
    ServiceRewards(u128),
    RequestSlash(u16),
    VetoSlash,
    ExecuteSlashes(bool),
    // attacker moves (mallory)
    SandwichCrank(u128),
    BuyCrankSell(u128),
    SandwichDeposit(u128, u128),
    SandwichWithdraw(u128, u128),
    JustInTime(u128, u128),
    Donate(usize, u128),
    /// carol: bond, deposit the LST into the vault, ask for it back, at once
    RoundTrip(u128),
    // chain and admin
    ValidatorSlash(usize, u64),
    Advance(u64),
    Pause(usize, bool),
    /// The guardian pauses the hub (0: bonds and instant unstaking) or the vault (1: deposits).
    GuardianPause(usize),
    ToggleValidator(usize),
}

impl Action {
    fn random(r: &mut Rng) -> Action {
        let user = |r: &mut Rng| r.pick(&["alice", "bob", "carol", "mallory"]);
        let pct = |r: &mut Rng| r.range(1, 100);
        // weights
        let table: &[(u64, u8)] = &[
            (4, 0),
            (3, 1),
            (2, 2),
            (1, 3),
            (3, 4),
            (4, 5),
            (2, 6),
            (3, 7),
            (2, 8),
            (4, 9),
            (2, 10),
            (2, 11),
            (1, 12),
            (1, 13),
            (2, 14),
            (1, 15),
            (1, 16),
            (1, 17),
            (2, 18),
            (2, 19),
            (2, 20),
            (2, 21),
            (1, 22),
            (1, 23),
            (1, 24),
            (1, 25),
            (5, 26),
            (1, 27),
            (1, 28),
            (1, 29),
        ];
        let total: u64 = table.iter().map(|t| t.0).sum();
        let mut x = r.below(total);
        let mut kind = 0;
        for (w, k) in table {
            if x < *w {
                kind = *k;
                break;
            }
            x -= w;
        }
        match kind {
            0 => Action::Bond(r.pick(&["carol", "mallory"]), pct(r)),
            1 => Action::Unbond("carol", pct(r)),
            2 => Action::Claim("carol"),
            3 => Action::InstantUnstake("carol", pct(r)),
            4 => Action::HubCrank,
            5 => Action::Deposit(user(r), pct(r)),
            6 => Action::DepositLst(r.pick(&["carol", "mallory"]), pct(r)),
            7 => Action::Withdraw(user(r), pct(r)),
            8 => {
                let u = user(r);
                let unbond = u == "carol" && r.below(2) == 0;
                Action::ClaimWithdrawals(u, unbond)
            }
            9 => Action::VaultCrank,
            10 => Action::BuyLst(pct(r)),
            11 => Action::SellLst(pct(r)),
            12 => Action::Provide(r.range(0, 20), r.range(0, 20)),
            13 => Action::WithdrawLiquidity(pct(r)),
            14 => Action::ServiceRewards(r.range(1, 20_000_000)),
            15 => Action::RequestSlash(r.range(1, 1_000) as u16),
            16 => Action::VetoSlash,
            17 => Action::ExecuteSlashes(r.below(2) == 0),
            18 => Action::SandwichCrank(r.range(1, 20_000)),
            19 => Action::BuyCrankSell(r.range(1, 10_000)),
            20 => Action::SandwichDeposit(r.range(1, 10_000), r.range(1, 30_000)),
            21 => Action::SandwichWithdraw(r.range(1, 10_000), pct(r)),
            22 => Action::JustInTime(r.range(1, 30_000), r.range(1, 20_000_000)),
            23 => Action::Donate(r.below(5) as usize, r.range(1, 500_000_000)),
            24 => Action::RoundTrip(r.range(1_000, 100_000) * TOKEN / 100),
            25 => Action::ValidatorSlash(r.below(2) as usize, r.range(1, 5) as u64),
            26 => Action::Advance(r.pick(&[5, 3_600, DAY, 3 * DAY, 9 * DAY])),
            27 => Action::Pause(r.below(4) as usize, r.below(2) == 0),
            28 => Action::ToggleValidator(r.below(2) as usize),
            _ => Action::GuardianPause(r.below(2) as usize),
        }
    }

    fn slashing(&self) -> bool {
        matches!(
            self,
            Action::ValidatorSlash(..) | Action::ExecuteSlashes(_) | Action::RequestSlash(_)
        )
    }
}

/// A broken invariant.
type Check = Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)*) => {
        if !$cond {
            return Err(format!($($fmt)*));
        }
    };
}

struct World {
    s: FullSuite,
    svc: u64,
    strategy: Addr,
    pending_slashes: Vec<u64>,
    /// Batches below this id are claimable and no longer checked one by one.
    batch_floor: u64,
    paused: [bool; 4],
}

fn world() -> World {
    let mut s = SuiteBuilder::new()
        .with_validators(&[
            ("validator1", 1, Decimal::zero()),
            ("validator2", 1, Decimal::zero()),
        ])
        .with_fee_bps(500)
        // cw-multi-test computes a delegator's rewards as stake x rewards in a `Decimal` (at most
        // 3.4e20): stakes stay around 1e11 units and the APR low, so that decades of simulated
        // time neither compound past that nor overflow it
        .with_apr(Decimal::percent(1))
        .with_restaking()
        .with_market(20_000 * TOKEN)
        .with_funds("alice", 100_000 * TOKEN)
        .with_funds("bob", 100_000 * TOKEN)
        .with_funds("carol", 300_000 * TOKEN)
        .with_funds("mallory", 300_000 * TOKEN)
        .build();
    s.register_operator("op1", 1_000);
    let svc = s.register_service("svc", 1_000, 2 * DAY);
    s.serve("op1", svc, 5_000);
    s.set_operator_targets(&[("op1", 1)]);
    let strategy = s.deploy_lp_strategy();
    s.set_strategy(&strategy, 2_000);
    for user in HONEST {
        s.vault_deposit(user, 10_000 * TOKEN).unwrap();
    }
    for _ in 0..12 {
        s.vault_crank().unwrap();
        s.advance_time(3_600);
    }
    s.bond("mallory", 50_000 * TOKEN).unwrap();
    s.bond("carol", 20_000 * TOKEN).unwrap();
    // a guardian for the hub and the vault: it may only ever pause entries
    let guard = s.addr("guard").to_string();
    s.execute(
        "owner",
        &HubMsg::UpdateConfig {
            fee_addr: None,
            min_bond: None,
            max_rebalance_per_epoch: None,
            guardian: Some(GuardianUpdate::Set {
                address: guard.clone(),
            }),
            rails: None,
        },
    )
    .unwrap();
    s.vault_update_rails("owner", Some(GuardianUpdate::Set { address: guard }), None)
        .unwrap();
    World {
        s,
        svc,
        strategy,
        pending_slashes: vec![],
        batch_floor: 0,
        paused: [false; 4],
    }
}

fn hub_pool(s: &FullSuite) -> SharePool {
    let h = s.state();
    SharePool::new(h.total_native, h.lst_supply + h.pending_unbond_lst)
}

impl World {
    /// Batches from the floor on (older ones were claimable and stay so).
    fn batches(&mut self) -> Vec<BatchResponse> {
        let mut all: Vec<BatchResponse> = vec![];
        let mut start = self.batch_floor.checked_sub(1);
        loop {
            let page: Vec<BatchResponse> = self.s.query(&tributary_types::hub::QueryMsg::Batches {
                start_after: start,
                limit: Some(30),
            });
            if page.is_empty() {
                break;
            }
            start = page.last().map(|b| b.id);
            all.extend(page);
        }
        // keep the floor below the last batch and every unfinished one
        let mut floor = self.batch_floor;
        for b in &all {
            if b.status == BatchStatus::Claimable && b.id == floor && all.len() > 8 {
                floor += 1;
            }
        }
        self.batch_floor = floor;
        all
    }

    /// Everything observable for "a failed message changed nothing".
    fn observe(&mut self, user: &str) -> String {
        let batches = self.batches();
        let s = &self.s;
        let rs = s.restaking();
        let m = s.market();
        let holders = [
            s.hub.clone(),
            rs.vault.clone(),
            rs.registry.clone(),
            m.pool.clone(),
            self.strategy.clone(),
            s.addr(user),
        ];
        let cw20 = |token: &Addr, a: &Addr| -> u128 {
            let r: cw20::BalanceResponse = s
                .app
                .wrap()
                .query_wasm_smart(
                    token,
                    &cw20::Cw20QueryMsg::Balance {
                        address: a.to_string(),
                    },
                )
                .unwrap();
            r.balance.u128()
        };
        let balances: Vec<_> = holders
            .iter()
            .map(|a| {
                (
                    s.native_balance_of(a),
                    cw20(&s.lst, a),
                    cw20(&rs.lrt, a),
                    cw20(&m.lp, a),
                )
            })
            .collect();
        let slashes: Vec<_> = self
            .pending_slashes
            .iter()
            .map(|id| s.slash_request(*id))
            .collect();
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            s.state(),
            s.config(),
            s.validators(),
            batches,
            s.unbond_requests(user),
            s.vault_snapshot(user),
            s.pool_info(),
            balances,
            slashes,
            s.app.wrap().query_all_delegations(&s.hub).unwrap(),
            s.position(user),
        )
    }
}

/// Runs one message, checking that a failure changes nothing observable.
fn attempt(
    w: &mut World,
    user: &str,
    f: impl FnOnce(&mut FullSuite) -> AnyResult<AppResponse>,
) -> Result<Option<AppResponse>, String> {
    let before = w.observe(user);
    match f(&mut w.s) {
        Ok(res) => Ok(Some(res)),
        Err(err) => {
            let after = w.observe(user);
            if before != after {
                return Err(format!(
                    "a failed message changed state (error: {err:#})\nbefore:\n{before}\nafter:\n{after}"
                ));
            }
            Ok(None)
        }
    }
}

/// LST the vault's strategies took in or gave back in a crank's response.
fn strategy_moves(res: &AppResponse) -> u128 {
    res.events
        .iter()
        .filter(|e| {
            e.attributes.iter().any(|a| {
                a.key == "action"
                    && (a.value == "strategy_deposit" || a.value == "forward_to_vault")
            })
        })
        .flat_map(|e| e.attributes.iter())
        .filter(|a| a.key == "lst")
        .map(|a| a.value.parse::<u128>().unwrap_or(0))
        .sum()
}

/// What the checks read, queried once after each step (and reused as the next step's "before").
struct View {
    hub: tributary_types::hub::StateResponse,
    vault: tributary_types::vault::VaultStateResponse,
    positions: Vec<tributary_types::vault::PositionResponse>,
    lst: Vec<u128>,
    native: Vec<u128>,
    hub_claimable: Vec<u128>,
    queue: QueueSplit,
    caps: u128,
}

fn view(s: &FullSuite) -> View {
    let hub = s.state();
    let vault = s.vault_state();
    let positions: Vec<_> = USERS.iter().map(|u| s.position(u)).collect();
    let caps: u128 = positions
        .iter()
        .flat_map(|p| p.withdrawals.iter())
        .filter(|w| w.lst.is_none())
        .map(|w| w.value_at_request.unwrap().u128())
        .sum();
    let queue = SharePool::new(
        vault.total_value,
        vault.lrt_supply + vault.pending_withdrawal_lrt,
    )
    .split_queue(vault.pending_withdrawal_lrt, Uint128::new(caps))
    .unwrap();
    View {
        lst: USERS.iter().map(|u| s.lst_balance(u)).collect(),
        native: USERS.iter().map(|u| s.native_balance(u)).collect(),
        hub_claimable: USERS
            .iter()
            .map(|u| s.unbond_requests(u).claimable.u128())
            .collect(),
        hub,
        vault,
        positions,
        queue,
        caps,
    }
}

impl View {
    fn hub_pool(&self) -> SharePool {
        SharePool::new(
            self.hub.total_native,
            self.hub.lst_supply + self.hub.pending_unbond_lst,
        )
    }

    /// The hub's full value per LST (what its APR ceiling withholds included): what a bond pays
    /// and what the pool scales LST by; users' LST are worth it (see [`View::lrt_native_value`]).
    fn value_pool(&self) -> SharePool {
        SharePool::new(
            self.hub.total_native + self.hub.withheld,
            self.hub.lst_supply + self.hub.pending_unbond_lst,
        )
    }

    fn index(user: &str) -> usize {
        USERS.iter().position(|u| *u == user).unwrap()
    }

    /// A user's vault position in LST: LRT and pending requests at the lesser of their value
    /// now and when requested.
    /// A user's LST in the vault: their LRT's value, their share of what the APR ceiling
    /// withholds (theirs, recognised later: a deposit pays for it), and their pending requests.
    fn in_vault(&self, user: &str) -> u128 {
        let p = &self.positions[Self::index(user)];
        p.value.u128()
            + withheld_share(&self.vault, p.lrt)
            + p.withdrawals
                .iter()
                .filter(|w| w.lst.is_none())
                .map(|w| {
                    self.queue
                        .owed_to(w.lrt, w.value_at_request.unwrap())
                        .unwrap()
                        .u128()
                })
                .sum::<u128>()
    }

    /// A user's holdings in LST: LST, the vault position, what is finalized.
    fn lst_holdings(&self, user: &str) -> u128 {
        let i = Self::index(user);
        self.lst[i] + self.in_vault(user) + self.positions[i].claimable.u128()
    }

    /// A user's wealth in native (claimable hub and vault native included).
    fn wealth(&self, user: &str) -> u128 {
        let i = Self::index(user);
        self.native[i]
            + self.positions[i].claimable_native.u128()
            + self.hub_claimable[i]
            + self
                .value_pool()
                .value_of(Uint128::new(self.lst_holdings(user)))
                .unwrap()
                .u128()
    }

    fn victims(&self) -> u128 {
        HONEST.iter().map(|u| self.wealth(u)).sum()
    }

    /// Native value of 1e9 LRT at the real rates (assets over shares) of the vault and the
    /// hub. Both pools mint and pay at the lower of the real rate and the virtual offset's
    /// (see `SharePool`), which differ by about `|rate - 1| * V / shares`: a deposit minted at
    /// the virtual rate dilutes the real one by up to that, and a withdrawal moves the virtual
    /// one toward par by up to that, without anyone gaining; [`View::offset_slack`] allows it.
    fn lrt_native_value(&self) -> u128 {
        let v = &self.vault;
        let h = &self.hub;
        if v.lrt_supply.is_zero() {
            return 0;
        }
        let lst =
            Uint128::new(1_000_000_000).multiply_ratio(v.total_value - v.queue_owed, v.lrt_supply);
        let shares = h.lst_supply + h.pending_unbond_lst;
        if shares.is_zero() {
            return lst.u128();
        }
        // LST at what a bond pays (the hub's value, what its APR ceiling withholds included):
        // the price the pool scales LST by, so the vault's LP strategy values its native in LST
        // at it; at the recognised rate alone, a donation to the hub (withheld) would show as a
        // fall of the LRT, whose strategy's native is then worth fewer LST
        lst.multiply_ratio(h.total_native + h.withheld, shares)
            .u128()
    }

    /// The virtual offset's effect on 1e9 LRT's value (see [`View::lrt_native_value`]) for a
    /// step from `self` to `after`, doubled, in native. The vault's is the larger of its stayers'
    /// pool and its mint pool (deposits are minted at the full value: the stayers' value, what
    /// the ceiling withholds and the pending slashes as if vetoed), whose rate can be far above
    /// the stayers' when much is withheld.
    fn offset_slack(&self, after: &View) -> u128 {
        let effect = virtual_offset_effect;
        let vault = |v: &View| {
            let stay = v.vault.total_value - v.vault.queue_owed;
            let mint = stay + v.vault.withheld + v.vault.pending_slash;
            effect(stay, v.vault.lrt_supply).max(effect(mint, v.vault.lrt_supply))
        };
        let hub = |v: &View| {
            effect(
                v.hub.total_native,
                v.hub.lst_supply + v.hub.pending_unbond_lst,
            )
        };
        2 * (vault(self).max(vault(after)) + hub(self).max(hub(after))) * 2
    }
}

/// `lrt`'s share of what the vault's APR ceiling withholds (those who stay hold all of it: the
/// queue is owed at most its requests' values).
fn withheld_share(vault: &tributary_types::vault::VaultStateResponse, lrt: Uint128) -> u128 {
    if vault.lrt_supply.is_zero() {
        return 0;
    }
    vault.withheld.multiply_ratio(lrt, vault.lrt_supply).u128()
}

/// What the hub really has, from the chain: delegations, accrued rewards, free balance.
fn hub_real_assets(s: &FullSuite) -> u128 {
    let hub = s.hub.clone();
    let mut total = 0u128;
    for d in s.app.wrap().query_all_delegations(&hub).unwrap() {
        let Some(full) = s.app.wrap().query_delegation(&hub, d.validator).unwrap() else {
            continue;
        };
        total += full.amount.amount.u128();
        total += full
            .accumulated_rewards
            .iter()
            .map(|c| c.amount.u128())
            .sum::<u128>();
    }
    total + s.native_balance_of(&hub)
}

fn check_hub(w: &mut World, view: &View, held_before: Option<u128>) -> Check {
    let batches = w.batches();
    let s = &w.s;
    let state = &view.hub;
    let books = state.total_native.u128();
    let real = hub_real_assets(s) - state.unclaimed_reserve.u128();
    ensure!(
        books <= real,
        "hub solvency: books {books} exceed what the hub has {real}"
    );
    let p = view.hub_pool();
    let all_lst = p.assets_for_redeem(p.shares).unwrap().u128();
    ensure!(
        all_lst <= books,
        "hub solvency: all LST redeem for {all_lst}, books hold {books}"
    );
    let reserve = state.unclaimed_reserve.u128();
    let balance = s.native_balance_of(&s.hub);
    ensure!(
        reserve <= balance,
        "hub: claim reserve {reserve} above its balance {balance}"
    );
    let mut claimers: Vec<Addr> = USERS.iter().map(|u| s.addr(u)).collect();
    claimers.push(s.restaking().vault);
    let claimable: u128 = claimers
        .iter()
        .map(|a| {
            let r: tributary_types::hub::UnbondRequestsResponse =
                s.query(&tributary_types::hub::QueryMsg::UnbondRequests {
                    user: a.to_string(),
                });
            r.claimable.u128()
        })
        .sum();
    ensure!(
        claimable <= reserve,
        "hub: claimable {claimable} above the reserve {reserve}"
    );
    // payouts are never rewards
    let now = s.app.block_info().time;
    let mut received = 0u128;
    let mut owed_and_due = false;
    for b in &batches {
        ensure!(
            b.native_received <= b.native_amount,
            "hub: a batch received more than owed: {b:?}"
        );
        if b.status == BatchStatus::Claimable {
            ensure!(
                b.native_claimed <= b.native_amount,
                "hub: a batch paid more than it had: {b:?}"
            );
        }
        if b.status == BatchStatus::Unbonding {
            received += b.native_received.u128();
            if b.claimable_at.is_some_and(|at| at <= now) && b.native_received < b.native_amount {
                owed_and_due = true;
            }
        }
    }
    let held = state.rewards_held.u128();
    ensure!(
        reserve + received + held <= balance,
        "hub conservation: reserve {reserve} + received {received} + rewards held {held} above the balance {balance}"
    );
    let delegations = s.total_delegated();
    let on_chain = state.accrued_rewards.u128() - held;
    ensure!(
        books <= delegations + on_chain + (balance - reserve - received),
        "hub conservation: the rate counts a payout"
    );
    if let (true, Some(before)) = (owed_and_due, held_before) {
        ensure!(
            held <= before,
            "hub conservation: native counted as rewards while a due batch is owed: {before} -> {held}"
        );
    }
    Ok(())
}

fn check_vault(s: &FullSuite, view: &View) -> Check {
    let rs = s.restaking();
    let v = &view.vault;
    let positions = &view.positions;
    let claimable: u128 = positions.iter().map(|p| p.claimable.u128()).sum();
    ensure!(
        v.reserved.u128() == claimable,
        "vault: reserve {} != finalized withdrawals {claimable}",
        v.reserved
    );
    let reserved_native: u128 = positions.iter().map(|p| p.claimable_native.u128()).sum();
    ensure!(
        v.reserved_native.u128() == reserved_native,
        "vault: native reserve {} != finalized {reserved_native}",
        v.reserved_native
    );
    ensure!(
        s.native_balance_of(&rs.vault) >= reserved_native,
        "vault: native reserve not held"
    );
    let unfinalized: u128 = positions
        .iter()
        .flat_map(|p| p.withdrawals.iter())
        .filter(|w| w.lst.is_none())
        .map(|w| w.lrt.u128())
        .sum();
    ensure!(
        v.pending_withdrawal_lrt.u128() == unfinalized,
        "vault: pending LRT {} != requests {unfinalized}",
        v.pending_withdrawal_lrt
    );
    let held = s.lst_balance_of(&rs.vault);
    ensure!(
        held == v.idle.u128() + v.reserved.u128(),
        "vault: holds {held} LST, books idle {} + reserved {}",
        v.idle,
        v.reserved
    );
    let operators: u128 = v.operators.iter().map(|o| o.value.u128()).sum();
    let parts = v.idle.u128()
        + operators
        + v.undelegating.u128()
        + v.strategies.iter().map(|s| s.value.u128()).sum::<u128>()
        + v.rewards_value.u128();
    ensure!(
        v.total_value.u128() + v.withheld.u128() == parts,
        "vault conservation: value {} + withheld {} != sum of its parts {parts}",
        v.total_value,
        v.withheld
    );
    let reg = s.registry_position(&rs.vault);
    ensure!(
        reg.delegated_value.u128() == operators,
        "vault: registry says {} delegated, the vault {operators}",
        reg.delegated_value
    );
    let op1 = s.operator("op1");
    ensure!(
        s.lst_balance_of(&rs.registry) >= op1.stake.u128(),
        "registry solvency: LST below the operator's stake"
    );
    let owed_native = reg.rewards.u128() + op1.commission_unclaimed.u128();
    ensure!(
        s.native_balance_of(&rs.registry) >= owed_native,
        "registry solvency: cannot pay its rewards"
    );
    let pool = SharePool::new(v.total_value - v.queue_owed, v.lrt_supply);
    ensure!(
        pool.assets_for_redeem(pool.shares).unwrap() + v.queue_owed <= v.total_value,
        "vault solvency: LRT and queue redeem for more than the vault's value"
    );
    ensure!(
        v.queue_owed.u128() <= view.caps,
        "vault: the queue is owed more than it asked for"
    );
    ensure!(
        view.queue.owed == v.queue_owed,
        "vault: queue owed {} != the split's {}",
        v.queue_owed,
        view.queue.owed
    );
    Ok(())
}

/// Tracks what a passive holder could have made: the lowest and highest rates of the hub
/// (native per LST) and the vault (LST per LRT) seen, and mallory's largest holdings.
struct Passive {
    hub_low: Decimal,
    hub_high: Decimal,
    vault_low: Decimal,
    vault_high: Decimal,
    largest_lst: u128,
    largest_vault: u128,
}

impl Passive {
    fn new(v: &View) -> Self {
        let h = v.hub_pool().rate().unwrap();
        Passive {
            hub_low: h,
            hub_high: h,
            vault_low: v.vault.rate,
            vault_high: v.vault.rate,
            largest_lst: 0,
            largest_vault: 0,
        }
    }

    fn see(&mut self, v: &View) {
        let h = v.hub_pool().rate().unwrap();
        self.hub_low = self.hub_low.min(h);
        self.hub_high = self.hub_high.max(h);
        self.vault_low = self.vault_low.min(v.vault.rate);
        self.vault_high = self.vault_high.max(v.vault.rate);
        self.largest_lst = self.largest_lst.max(v.lst_holdings("mallory"));
        self.largest_vault = self.largest_vault.max(v.in_vault("mallory"));
    }

    /// Native: her largest LST holdings from the hub's lowest rate to its highest, plus her
    /// largest vault position from the vault's lowest rate to its highest at the hub's highest.
    fn bound(&self) -> u128 {
        let hub = Uint128::new(self.largest_lst).mul_ceil(self.hub_high - self.hub_low);
        let growth = (self.vault_high - self.vault_low) / self.vault_low;
        let vault = Uint128::new(self.largest_vault)
            .mul_ceil(growth)
            .mul_ceil(self.hub_high);
        (hub + vault).u128()
    }
}

/// Mallory sells `lst` and returns the native it paid.
fn sell(w: &mut World, user: &str, lst: u128) -> Result<u128, String> {
    let lst = lst.min(w.s.lst_balance(user));
    let before = w.s.native_balance(user);
    if lst == 0 {
        return Ok(0);
    }
    attempt(w, user, |s| s.sell_lst(user, lst, None))?;
    Ok(w.s.native_balance(user) - before)
}

fn buy(w: &mut World, user: &str, native: u128) -> Result<u128, String> {
    let native = native.min(w.s.native_balance(user));
    let before = w.s.lst_balance(user);
    if native == 0 {
        return Ok(0);
    }
    attempt(w, user, |s| s.buy_lst(user, native))?;
    Ok(w.s.lst_balance(user) - before)
}

fn vault_crank(w: &mut World) -> Result<u128, String> {
    Ok(attempt(w, "keeper", |s| s.vault_crank())?
        .map(|r| strategy_moves(&r))
        .unwrap_or(0))
}

/// Runs an action; returns the LST the vault's strategies moved in the cranks it ran.
fn step(w: &mut World, action: &Action) -> Result<u128, String> {
    let mut moved = 0;
    let svc = w.svc;
    match *action {
        Action::Bond(u, p) => {
            let n = w.s.native_balance(u) * p / 200;
            attempt(w, u, |s| s.bond(u, n))?;
        }
        Action::Unbond(u, p) => {
            let n = w.s.lst_balance(u) * p / 100;
            attempt(w, u, |s| s.unbond(u, n))?;
        }
        Action::Claim(u) => {
            let claimable = w.s.unbond_requests(u).claimable.u128();
            let before = w.s.native_balance(u);
            if attempt(w, u, |s| s.claim(u))?.is_some() {
                let got = w.s.native_balance(u) - before;
                ensure!(
                    got == claimable,
                    "claim: paid {got}, the query said {claimable}"
                );
            }
        }
        Action::InstantUnstake(u, p) => {
            let n = w.s.lst_balance(u) * p / 1_000;
            attempt(w, u, |s| s.instant_unstake(u, n, None))?;
        }
        Action::HubCrank => {
            attempt(w, "keeper", |s| s.crank())?;
        }
        Action::Deposit(u, p) => {
            let n = w.s.native_balance(u) * p / 1_000;
            attempt(w, u, |s| s.vault_deposit(u, n))?;
        }
        Action::DepositLst(u, p) => {
            let n = w.s.lst_balance(u) * p / 200;
            attempt(w, u, |s| s.vault_deposit_lst(u, n, None))?;
        }
        Action::Withdraw(u, p) => {
            let n = w.s.lrt_balance(u) * p / 100;
            attempt(w, u, |s| s.request_withdrawal(u, n))?;
        }
        Action::ClaimWithdrawals(u, unbond) => {
            let claimable = w.s.position(u).claimable.u128();
            let before = w.s.lst_balance(u);
            if attempt(w, u, |s| s.claim_withdrawals(u, unbond))?.is_some() && !unbond {
                let got = w.s.lst_balance(u) - before;
                ensure!(
                    got == claimable,
                    "vault claim: paid {got} LST, the query said {claimable}"
                );
            }
        }
        Action::VaultCrank => moved += vault_crank(w)?,
        Action::BuyLst(p) => {
            let n = w.s.native_balance("carol") * p / 1_000;
            buy(w, "carol", n)?;
        }
        Action::SellLst(p) => {
            let n = w.s.lst_balance("carol") * p / 1_000;
            sell(w, "carol", n)?;
        }
        Action::Provide(a, b) => {
            let lst = w.s.lst_balance("carol") * a / 1_000;
            let native = w.s.native_balance("carol") * b / 1_000;
            attempt(w, "carol", |s| s.provide_liquidity("carol", lst, native))?;
        }
        Action::WithdrawLiquidity(p) => {
            let lp = w.s.lp_balance("carol") * p / 100;
            let token = w.s.market().lp;
            attempt(w, "carol", |s| {
                s.pool_send(
                    "carol",
                    &token,
                    lp,
                    &PoolReceive::WithdrawLiquidity { min_amounts: None },
                )
            })?;
        }
        Action::ServiceRewards(n) => {
            w.s.fund("svc", n);
            attempt(w, "svc", |s| {
                s.registry_exec("svc", &RegistryMsg::DepositRewards { service: svc }, n)
            })?;
        }
        Action::RequestSlash(bps) => {
            let op = w.s.addr("op1").to_string();
            let res = attempt(w, "svc", |s| {
                s.registry_exec(
                    "svc",
                    &RegistryMsg::RequestSlash {
                        service: svc,
                        operator: op,
                        fraction_bps: bps,
                        reason: "soak".to_string(),
                    },
                    0,
                )
            })?;
            if let Some(res) = res {
                let id = tributary_testing::event_attr(&res, "request_id")
                    .unwrap()
                    .parse()
                    .unwrap();
                w.pending_slashes.push(id);
            }
        }
        Action::VetoSlash => {
            if let Some(&id) = w.pending_slashes.first() {
                attempt(w, "svc-resolver", |s| {
                    s.registry_exec(
                        "svc-resolver",
                        &RegistryMsg::VetoSlash { request_id: id },
                        0,
                    )
                })?;
            }
        }
        Action::ExecuteSlashes(newest_first) => {
            let mut ids = w.pending_slashes.clone();
            if newest_first {
                ids.reverse();
            }
            for id in ids {
                attempt(w, "mallory", |s| s.execute_slash(id))?;
            }
        }
        Action::SandwichCrank(n) => {
            let got = sell(w, "mallory", n * TOKEN)?;
            moved += vault_crank(w)?;
            buy(w, "mallory", got)?;
        }
        Action::BuyCrankSell(n) => {
            let got = buy(w, "mallory", n * TOKEN)?;
            moved += vault_crank(w)?;
            sell(w, "mallory", got)?;
        }
        Action::SandwichDeposit(b, d) => {
            let bought = buy(w, "mallory", b * TOKEN)?;
            let amount = (d * TOKEN).min(w.s.lst_balance("mallory"));
            attempt(w, "mallory", |s| {
                s.vault_deposit_lst("mallory", amount, None)
            })?;
            sell(w, "mallory", bought)?;
        }
        Action::SandwichWithdraw(n, p) => {
            let got = sell(w, "mallory", n * TOKEN)?;
            let lrt = w.s.lrt_balance("mallory") * p / 100;
            attempt(w, "mallory", |s| s.request_withdrawal("mallory", lrt))?;
            buy(w, "mallory", got)?;
        }
        Action::JustInTime(lst, reward) => {
            let lst = (lst * TOKEN).min(w.s.lst_balance("mallory"));
            attempt(w, "mallory", |s| s.vault_deposit_lst("mallory", lst, None))?;
            w.s.advance_time(5);
            w.s.fund("svc", reward);
            attempt(w, "svc", |s| {
                s.registry_exec("svc", &RegistryMsg::DepositRewards { service: svc }, reward)
            })?;
            w.s.advance_time(5);
            let lrt = w.s.lrt_balance("mallory");
            if lrt > 0 {
                attempt(w, "mallory", |s| s.request_withdrawal("mallory", lrt))?;
            }
        }
        Action::Donate(to, n) => {
            let target = match to {
                0 => w.s.hub.clone(),
                1 => w.s.restaking().vault,
                2 => w.strategy.clone(),
                3 => w.s.restaking().registry,
                _ => w.s.market().pool,
            };
            let mallory = w.s.addr("mallory");
            let n = n.min(w.s.native_balance("mallory"));
            if n > 0 {
                w.s.app
                    .send_tokens(mallory, target, &[coin(n, DENOM)])
                    .map_err(|e| format!("donation failed: {e:#}"))?;
            }
        }
        Action::RoundTrip(n) => {
            let lst_before = w.s.lst_balance("carol");
            if attempt(w, "carol", |s| s.bond("carol", n))?.is_some() {
                let minted = w.s.lst_balance("carol") - lst_before;
                let worth = hub_pool(&w.s)
                    .assets_for_redeem(Uint128::new(minted))
                    .unwrap()
                    .u128();
                ensure!(
                    worth <= n,
                    "round trip: bonding {n} minted {minted} LST worth {worth}"
                );
                let lrt_before = w.s.lrt_balance("carol");
                if attempt(w, "carol", |s| s.vault_deposit_lst("carol", minted, None))?.is_some() {
                    let lrt = w.s.lrt_balance("carol") - lrt_before;
                    let before = w.s.position("carol").withdrawals.len();
                    if lrt > 0
                        && attempt(w, "carol", |s| s.request_withdrawal("carol", lrt))?.is_some()
                    {
                        let p = w.s.position("carol");
                        if p.withdrawals.len() > before {
                            let last = p.withdrawals.iter().max_by_key(|x| x.id).unwrap();
                            let asked = last.value_at_request.unwrap_or_default().u128();
                            ensure!(
                                asked <= minted,
                                "round trip: {minted} LST into the vault asked back {asked}"
                            );
                        }
                    }
                }
            }
        }
        Action::ValidatorSlash(v, p) => w.s.slash_validator(VALIDATORS[v], Decimal::percent(p)),
        Action::Advance(secs) => w.s.advance_time(secs),
        Action::Pause(which, on) => {
            w.paused[which] = on;
            let res = match which {
                0 => attempt(w, "owner", |s| {
                    s.execute(
                        "owner",
                        &HubMsg::SetPause(PauseFlags {
                            bond: on,
                            unbond: on,
                            claim: on,
                            crank: false,
                            instant_unstake: on,
                        }),
                    )
                }),
                1 => attempt(w, "owner", |s| {
                    s.vault_exec(
                        "owner",
                        &VaultMsg::SetPause(VaultPauseFlags {
                            deposit: on,
                            withdraw: on,
                            claim: on,
                            crank: false,
                        }),
                        0,
                    )
                }),
                2 => attempt(w, "owner", |s| {
                    s.registry_exec(
                        "owner",
                        &RegistryMsg::SetPause(RegistryPauseFlags {
                            delegate: on,
                            undelegate: on,
                            rewards: on,
                        }),
                        0,
                    )
                }),
                _ => attempt(w, "owner", |s| {
                    s.pool_exec(
                        "owner",
                        &PoolMsg::SetPause(PoolPauseFlags {
                            provide: on,
                            swap: on,
                            withdraw_one: on,
                        }),
                        0,
                    )
                }),
            }?;
            if res.is_none() {
                return Err(format!("the owner could not set pause {which} to {on}"));
            }
        }
        Action::GuardianPause(which) => {
            // the guardian can always pause, and pausing touches nothing but the entries
            if which == 0 {
                let before = w.s.config().paused;
                attempt(w, "guard", |s| {
                    s.execute(
                        "guard",
                        &HubMsg::GuardianPause {
                            bond: true,
                            instant_unstake: true,
                        },
                    )
                })?
                .ok_or("the guardian could not pause the hub")?;
                let after = w.s.config().paused;
                ensure!(
                    after
                        == PauseFlags {
                            bond: true,
                            instant_unstake: true,
                            ..before
                        },
                    "the hub's guardian pause changed {before:?} into {after:?}"
                );
            } else {
                let before = w.s.vault_config().paused;
                attempt(w, "guard", |s| {
                    s.vault_exec("guard", &VaultMsg::GuardianPause {}, 0)
                })?
                .ok_or("the guardian could not pause the vault")?;
                let after = w.s.vault_config().paused;
                ensure!(
                    after
                        == VaultPauseFlags {
                            deposit: true,
                            ..before
                        },
                    "the vault's guardian pause changed {before:?} into {after:?}"
                );
            }
        }
        Action::ToggleValidator(v) => {
            let address = VALIDATORS[v].to_string();
            let active: Vec<_> =
                w.s.validators()
                    .into_iter()
                    .filter(|x| x.weight > 0)
                    .collect();
            let is_active = active.iter().any(|x| x.address == address);
            if is_active && active.len() == 1 {
                return Ok(0);
            }
            let msg = if is_active {
                HubMsg::RemoveValidator { address }
            } else {
                HubMsg::AddValidator { address, weight: 1 }
            };
            attempt(w, "owner", |s| s.execute("owner", &msg))?;
        }
    }
    // slash requests leave the pending list once settled
    let pending = w.pending_slashes.clone();
    w.pending_slashes = pending
        .into_iter()
        .filter(|id| w.s.slash_request(*id).status == SlashStatus::Pending)
        .collect();
    Ok(moved)
}

struct Run {
    w: World,
    start: u128,
    slack: u128,
    passive: Passive,
    trading: u128,
    /// The view after the last step.
    last: View,
    /// A validator was slashed and no crank has synced since: a quick bond (priced from the
    /// hub's last saved sync) is priced before that loss, so it may raise the rate (the bonder
    /// overpays; those holding gain).
    unseen_slash: bool,
}

impl Run {
    fn one(&mut self, n: u64, action: &Action) -> Check {
        let before = &self.last;
        let victims_before = before.victims();
        let hub_before = before.hub_pool();
        let lrt_before = before.lrt_native_value();
        let held_before = before.hub.rewards_held.u128();
        let vault = self.w.s.restaking().vault;
        let pending = !self
            .w
            .s
            .registry_position(&vault)
            .pending_slash_value
            .is_zero();
        let moved = step(&mut self.w, action)?;
        let after = view(&self.w.s);
        let unseen_slash = self.unseen_slash;
        match action {
            Action::ValidatorSlash(..) => self.unseen_slash = true,
            _ if after.hub.epoch > self.last.hub.epoch => self.unseen_slash = false,
            _ => {}
        }
        let no_message = matches!(
            action,
            Action::Advance(_) | Action::ValidatorSlash(..) | Action::Donate(..)
        );
        check_hub(&mut self.w, &after, no_message.then_some(held_before))?;
        check_vault(&self.w.s, &after)?;

        // the hub's rate: down only with a validator slash; up beyond rounding only with
        // time or a donation
        let hub_after = after.hub_pool();
        let order = hub_after.cmp_rate(&hub_before).unwrap();
        match action {
            Action::ValidatorSlash(..) => {
                ensure!(order != Ordering::Greater, "hub rate: a slash raised it")
            }
            _ => {
                ensure!(order != Ordering::Less, "hub rate: fell without a slash");
                let bonds = matches!(
                    action,
                    Action::Bond(..) | Action::Deposit(..) | Action::RoundTrip(..)
                );
                let rewards = matches!(
                    action,
                    Action::Advance(_) | Action::Donate(0, _) | Action::JustInTime(..)
                ) || (bonds && unseen_slash);
                let reference = Uint128::new(1_000_000_000);
                if !rewards && hub_before.shares >= reference && hub_after.shares >= reference {
                    let value = |p: &SharePool| {
                        SharePool::new(p.assets, p.shares.max(reference))
                            .assets_for_redeem(reference)
                            .unwrap()
                            .u128()
                    };
                    let gain = value(&hub_after).saturating_sub(value(&hub_before));
                    let rate_ceil = hub_after.assets.u128() / hub_after.shares.u128() + 1;
                    ensure!(
                        gain <= 5 * rate_ceil,
                        "hub rate: rose by more than rounding without rewards ({gain} on 1e9 LST)"
                    );
                }
            }
        }

        // an LRT's native value: down only with a slash, beyond rounding and the vault's trading
        let lrt_after = after.lrt_native_value();
        let v = &after.vault;
        let trading_per = if v.lrt_supply.is_zero() {
            0
        } else {
            (moved / 100) * 1_000_000_000 / v.lrt_supply.u128() * 2 + 1
        } + self.last.offset_slack(&after);
        let slashing = action.slashing() || matches!(action, Action::VetoSlash);
        if !slashing {
            ensure!(
                lrt_after + 3 + trading_per >= lrt_before,
                "LRT value: 1e9 LRT fell from {lrt_before} to {lrt_after} native without a slash\n  vault before {:?}\n  vault after {:?}\n  hub before {:?}\n  hub after {:?}",
                self.last.vault,
                after.vault,
                self.last.hub,
                after.hub
            );
        }

        // no account ends with more than it put in plus what it was exposed to
        self.passive.see(&after);
        self.trading += moved / 100;
        let now = after.wealth("mallory");
        let hub_high = self.passive.hub_high;
        let trading = Uint128::new(self.trading).mul_ceil(hub_high).u128();
        let bound = self.start + self.slack * (n as u128 + 1) + self.passive.bound() + trading;
        ensure!(
            now <= bound,
            "no profit: mallory holds {now}, above her {} plus her exposure ({} passive, {trading} trading)",
            self.start,
            self.passive.bound()
        );
        let victims_after = after.victims();
        // LRT that left alice's and bob's hands (a withdrawal request) forfeits its share of
        // what the APR ceiling withholds, to those who stay: by design, a request is priced at
        // the recognised value
        let forfeit: u128 = HONEST
            .iter()
            .map(|u| {
                let i = View::index(u);
                let left = before.positions[i]
                    .lrt
                    .saturating_sub(after.positions[i].lrt);
                withheld_share(&before.vault, left) + 1
            })
            .sum();
        let forfeit = before
            .value_pool()
            .value_of(Uint128::new(forfeit))
            .unwrap()
            .u128()
            + 1;
        let honest_deposit_while_pending =
            pending && matches!(action, Action::Deposit(u, _) if HONEST.contains(u));
        if !slashing && !honest_deposit_while_pending {
            let trading = Uint128::new(moved / 100).mul_ceil(hub_high).u128();
            // rounding, and the virtual offset's effect on their holdings (see
            // `View::offset_slack`, per 1e9)
            let offset = (victims_before * self.last.offset_slack(&after)).div_ceil(1_000_000_000);
            ensure!(
                victims_after + trading + 10 + victims_before / 10_000_000 + offset + forfeit
                    >= victims_before,
                "no loss: alice and bob lost {} (strategies moved {moved}, allowed {})",
                victims_before - victims_after,
                trading + 10 + victims_before / 10_000_000 + offset + forfeit
            );
        }
        self.last = after;
        Ok(())
    }
}

fn main() {
    let args = Args::parse();
    let mut rng = Rng(args.seed);
    let started = Instant::now();
    let w = world();
    let last = view(&w.s);
    let mut run = Run {
        start: last.wealth("mallory"),
        passive: Passive::new(&last),
        w,
        slack: 10,
        trading: 0,
        last,
        unseen_slash: false,
    };
    let mut violations = 0u64;
    let mut done = 0u64;
    let timer = Instant::now();
    for n in 1..=args.steps {
        let action = Action::random(&mut rng);
        if args.verbose {
            eprintln!("step {n}: {action:?}");
        }
        done = n;
        if let Err(broken) = run.one(n, &action) {
            violations += 1;
            println!("VIOLATION at step {n} (seed {}): {action:?}", args.seed);
            println!("  broken invariant: {broken}");
            println!(
                "  reproduce: cargo run --release -p tributary-testing --bin soak -- --steps {n} --seed {}",
                args.seed
            );
            break;
        }
        if args.progress > 0 && n % args.progress == 0 {
            eprintln!(
                "soak: seed {} step {n} ({:.0} steps/s, {:.0} s)",
                args.seed,
                n as f64 / timer.elapsed().as_secs_f64(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    let rate = done as f64 / timer.elapsed().as_secs_f64().max(1e-9);
    println!("steps {done} violations {violations} steps/s {rate:.1}");
    if violations > 0 {
        std::process::exit(1);
    }
}
