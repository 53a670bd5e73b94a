//! Random sequences with an attacker in them. Honest alice and bob restake and withdraw; mallory
//! has capital in native and LST and every move the audits found: she sandwiches deposits,
//! withdrawal requests and cranks between a trade in the LST/native pool and its reverse (the
//! vault holds an LP strategy on that pool), deposits and withdraws around anything, donates
//! native to every contract (hub, vault, strategy, registry, pool), runs both cranks, executes
//! pending service slashes in whatever order she likes, and lets time pass. Validators and
//! operators get slashed along the way.
//!
//! The chain pays no staking rewards here (APR 0) and services pay none, so there is nothing
//! anyone can honestly earn. After every step:
//! * mallory holds no more value than she started with, beyond a few units of rounding per
//!   action, what a passive holder of her largest vault position could have made between the
//!   vault's lowest and highest rate (the vault's own trading moves its rate a little), and the
//!   bound on what the vault's own trades can cost it (1 % of what its strategies move, which a
//!   sandwich inside the strategy's price and slippage bounds can take): none of her sequences
//!   pays beyond that. (Her trades are round trips: a one-way trade into a
//!   pool the vault's strategy has left off balance is ordinary arbitrage, paid by the pool's
//!   LPs, and is bounded below.)
//! * alice and bob lose nothing except to slashes and to the vault's own trading with the pool,
//!   which is bounded by the strategy's slippage bound (1 %) of what a crank moves, and to
//!   pending withdrawal requests recovering, up to their value when requested, a loss they shared
//!   after it (a request is owed the lesser of its value then and now: when value the APR ceiling
//!   withheld is released, the requests' part of the rise is theirs, not only the stayers');
//! * the vault's books balance.
//!
//! Reward capture just before a payment is covered separately, with the streaming rule, in the
//! registry's tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{coin, Decimal, Uint128};
use cw_multi_test::{AppResponse, Executor};
use proptest::prelude::*;
use tributary_math::{QueueSplit, SharePool};
use tributary_testing::{FullSuite, SuiteBuilder, DAY, DENOM};

const TOKEN: u128 = 1_000_000;
const HONEST: [&str; 2] = ["alice", "bob"];

#[derive(Clone, Debug)]
enum Action {
    /// Mallory deposits LST into the vault (tokens).
    MalloryDeposit(u128),
    /// Mallory deposits native into the vault (tokens).
    MalloryDepositNative(u128),
    /// Mallory requests a withdrawal of a share of her LRT.
    MalloryWithdraw(u128),
    /// Mallory claims what is finalized.
    MalloryClaim,
    /// A sandwich in one go: sell, crank the vault, buy back with what the sale paid.
    SandwichCrank(u128),
    /// A sandwich of her own deposit: buy LST, deposit, sell it back.
    SandwichDeposit(u128, u128),
    /// The other way round: buy LST, crank the vault, sell back what she bought.
    BuyCrankSell(u128),
    /// Sell LST, request a withdrawal of a share of her LRT, buy back.
    SandwichWithdraw(u128, u128),
    /// Mallory donates native (units) to the hub, the vault, the strategy, the registry or the
    /// pool.
    Donate(usize, u128),
    HonestDeposit(usize, u128),
    HonestWithdraw(usize, u128),
    HonestClaim(usize),
    VaultCrank,
    HubCrank,
    RequestServiceSlash(u16),
    /// Mallory executes the pending service slashes, newest or oldest first.
    ExecuteSlashes(bool),
    ValidatorSlash(u64),
    Advance(u64),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (1u128..200_000).prop_map(Action::MalloryDeposit),
        1 => (1u128..50_000).prop_map(Action::MalloryDepositNative),
        2 => (1u128..=100).prop_map(Action::MalloryWithdraw),
        2 => Just(Action::MalloryClaim),
        2 => (1u128..200_000).prop_map(Action::SandwichCrank),
        2 => (1u128..100_000, 1u128..300_000).prop_map(|(b, d)| Action::SandwichDeposit(b, d)),
        2 => (1u128..100_000).prop_map(Action::BuyCrankSell),
        2 => (1u128..100_000, 1u128..=100).prop_map(|(n, p)| Action::SandwichWithdraw(n, p)),
        2 => (0usize..5, 1u128..5_000_000_000).prop_map(|(to, n)| Action::Donate(to, n)),
        2 => (0usize..2, 1u128..50_000).prop_map(|(u, n)| Action::HonestDeposit(u, n)),
        2 => (0usize..2, 1u128..=100).prop_map(|(u, p)| Action::HonestWithdraw(u, p)),
        1 => (0usize..2).prop_map(Action::HonestClaim),
        3 => Just(Action::VaultCrank),
        2 => Just(Action::HubCrank),
        1 => (1u16..=1_000).prop_map(Action::RequestServiceSlash),
        1 => any::<bool>().prop_map(Action::ExecuteSlashes),
        1 => (1u64..=5).prop_map(Action::ValidatorSlash),
        3 => prop_oneof![Just(5u64), Just(3_600), Just(DAY), Just(3 * DAY), Just(9 * DAY)]
            .prop_map(Action::Advance),
    ]
}

struct World {
    suite: FullSuite,
    svc: u64,
    strategy: cosmwasm_std::Addr,
    pending_slashes: Vec<u64>,
}

fn world() -> World {
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_restaking()
        .with_market(200_000 * TOKEN)
        .with_funds("alice", 1_000_000 * TOKEN)
        .with_funds("bob", 1_000_000 * TOKEN)
        .with_funds("mallory", 3_000_000 * TOKEN)
        .build();
    suite.register_operator("op1", 1_000);
    let svc = suite.register_service("svc", 1_000, 2 * DAY);
    suite.serve("op1", svc, 5_000);
    suite.set_operator_targets(&[("op1", 1)]);
    let strategy = suite.deploy_lp_strategy();
    suite.set_strategy(&strategy, 2_000);
    for user in HONEST {
        suite.vault_deposit(user, 100_000 * TOKEN).unwrap();
    }
    // the strategy fills its 20 % over a few hourly cranks (2 % of the pool per deposit)
    for _ in 0..12 {
        suite.vault_crank().unwrap();
        suite.advance_time(3_600);
    }
    assert!(suite.vault_state().strategies[0].value.u128() > 30_000 * TOKEN);
    suite.bond("mallory", 1_000_000 * TOKEN).unwrap();
    World {
        suite,
        svc,
        strategy,
        pending_slashes: vec![],
    }
}

/// What an LST is worth in native: the hub's recognised value and what its APR ceiling
/// withholds (the LST's, recognised later; a bond pays for its share of it, as a vault deposit
/// pays for the LRT's share of the vault's), over the LST counted in the rate.
fn hub_value(suite: &FullSuite) -> SharePool {
    let hub = suite.state();
    SharePool::new(
        hub.total_native + hub.withheld,
        hub.lst_supply + hub.pending_unbond_lst,
    )
}

/// A user's wealth in native: native, LST at the hub's full value ([`hub_value`]), the vault
/// position (with its share of the value withheld by the APR ceiling) and what is finalized for
/// them, and pending requests at the vault's rate. (The LP strategy's native is priced in LST at
/// the same full value: the pool's rate is the hub's bond price.)
fn wealth(suite: &FullSuite, user: &str) -> u128 {
    let hub_pool = hub_value(suite);
    let p = suite.position(user);
    let vault = queue(suite);
    // each pending request at the lesser of its value now and when requested
    let pending_lst: u128 = p
        .withdrawals
        .iter()
        .filter(|w| w.lst.is_none())
        .map(|w| {
            vault
                .owed_to(w.lrt, w.value_at_request.unwrap())
                .unwrap()
                .u128()
        })
        .sum();
    // the LRT's share of what the APR ceiling withholds is theirs too (recognised later; a
    // deposit pays for it)
    let v = suite.vault_state();
    let withheld = if v.lrt_supply.is_zero() {
        0
    } else {
        v.withheld.multiply_ratio(p.lrt, v.lrt_supply).u128()
    };
    let lst =
        suite.lst_balance(user) + p.value.u128() + withheld + p.claimable.u128() + pending_lst;
    suite.native_balance(user)
        + p.claimable_native.u128()
        + hub_pool.value_of(Uint128::new(lst)).unwrap().u128()
}

/// Alice's and bob's LRT, and the vault's withheld value and LRT supply.
fn withheld_shares(suite: &FullSuite) -> (Vec<u128>, u128, u128) {
    let v = suite.vault_state();
    (
        HONEST.iter().map(|u| suite.lrt_balance(u)).collect(),
        v.withheld.u128(),
        v.lrt_supply.u128(),
    )
}

/// What alice's and bob's LRT that left their hands in a step (withdrawal requests) forfeited,
/// in native: their share of what the APR ceiling withheld, which a request leaves to those who
/// stay (by design: requests are priced at the recognised value).
fn forfeit(suite: &FullSuite, before: (Vec<u128>, u128, u128)) -> u128 {
    let (lrt_before, withheld, supply) = before;
    if supply == 0 || withheld == 0 {
        return 0;
    }
    let left: u128 = HONEST
        .iter()
        .zip(lrt_before)
        .map(|(u, lrt)| lrt.saturating_sub(suite.lrt_balance(u)))
        .sum();
    let lst = Uint128::new(withheld).multiply_ratio(left, supply).u128() + 1;
    hub_value(suite).value_of(Uint128::new(lst)).unwrap().u128() + 1
}

/// What the pending withdrawal requests were worth when requested (the most they can be owed).
fn request_caps(suite: &FullSuite) -> u128 {
    ["alice", "bob", "mallory"]
        .iter()
        .flat_map(|u| suite.position(u).withdrawals)
        .filter(|w| w.lst.is_none())
        .map(|w| w.value_at_request.unwrap().u128())
        .sum()
}

/// The withdrawal queue's LRT and what it is owed.
fn queue_owed(suite: &FullSuite) -> (u128, u128) {
    let v = suite.vault_state();
    (v.pending_withdrawal_lrt.u128(), v.queue_owed.u128())
}

/// What the same pending requests (the queue's LRT unchanged) recovered in a step, in native:
/// the rise of what they are owed, never above their value when requested (the contract caps
/// it there). Zero when requests were added or finalized.
fn recovered(suite: &FullSuite, before: (u128, u128)) -> u128 {
    let (lrt, owed) = queue_owed(suite);
    if lrt != before.0 || owed <= before.1 {
        return 0;
    }
    let caps = request_caps(suite);
    assert!(
        owed <= caps,
        "the queue is owed {owed}, above its value when requested {caps}"
    );
    hub_value(suite)
        .value_of(Uint128::new(owed - before.1))
        .unwrap()
        .u128()
        + 1
}

/// What the shares' virtual offset can give a deposit of `lst` beyond the exact rate, in
/// native. A deposit mints at the lower of the virtual rate (the pool plus one offset of assets
/// and of shares, `VIRTUAL_OFFSET`, the guard against the inflation attack) and the real one;
/// while the vault's mint pool is worth more than one LST per LRT (value withheld by its APR
/// ceiling counts in it), the virtual rate is the lower, and the deposit gets
/// `lst × offset × (assets − shares) / (assets × (assets + offset))` more LRT than the exact
/// rate gives: about `offset × (1 − 1 / rate)` over the pool's assets, of the deposit (1.6e-6 of
/// it in the worst case found, a vault of 50,000 LST at 1.085 after a donation of 4,353 to it).
/// Those already in (pending requests included, through the lesser-of rule) pay it.
fn offset_bound(suite: &FullSuite, lst: u128) -> u128 {
    let v = suite.vault_state();
    let assets = (v.total_value - v.queue_owed + v.withheld + v.pending_slash).u128();
    let shares = v.lrt_supply.u128();
    if shares == 0 || assets <= shares {
        return 0;
    }
    let offset = tributary_math::VIRTUAL_OFFSET.u128();
    let extra_lrt = Uint128::new(lst * offset)
        .multiply_ratio(assets - shares, assets)
        .multiply_ratio(1u128, assets + offset)
        .u128()
        + 1;
    let extra_lst = Uint128::new(extra_lrt)
        .multiply_ratio(assets, shares)
        .u128()
        + 1;
    hub_value(suite)
        .value_of(Uint128::new(extra_lst))
        .unwrap()
        .u128()
        + 1
}

/// The most LST a deposit action can bring into the vault (native bonded at the hub's value).
fn deposited_lst(suite: &FullSuite, action: &Action) -> u128 {
    let bonded = |native: u128| {
        let hub = hub_value(suite);
        Uint128::new(native)
            .multiply_ratio(hub.shares + Uint128::one(), hub.assets.max(Uint128::one()))
            .u128()
            + 1
    };
    match action {
        Action::MalloryDeposit(n) | Action::SandwichDeposit(_, n) => *n * TOKEN,
        Action::MalloryDepositNative(n) | Action::HonestDeposit(_, n) => bonded(*n * TOKEN),
        _ => 0,
    }
}

/// The vault's pool split between those who stay and the withdrawal queue.
fn queue(suite: &FullSuite) -> QueueSplit {
    let v = suite.vault_state();
    let caps = request_caps(suite);
    let queue = SharePool::new(v.total_value, v.lrt_supply + v.pending_withdrawal_lrt)
        .split_queue(v.pending_withdrawal_lrt, Uint128::new(caps))
        .unwrap();
    assert_eq!(queue.owed, v.queue_owed);
    queue
}

/// What alice and bob hold together.
fn victims(suite: &FullSuite) -> u128 {
    HONEST.iter().map(|u| wealth(suite, u)).sum()
}

fn books_balance(suite: &FullSuite) {
    let rs = suite.restaking();
    let v = suite.vault_state();
    let parts = v.idle.u128()
        + v.operators.iter().map(|o| o.value.u128()).sum::<u128>()
        + v.undelegating.u128()
        + v.strategies.iter().map(|s| s.value.u128()).sum::<u128>()
        + v.rewards_value.u128();
    assert_eq!(
        v.total_value.u128() + v.withheld.u128(),
        parts,
        "value (recognised + withheld) != sum of its parts"
    );
    assert_eq!(
        suite.lst_balance_of(&rs.vault),
        v.idle.u128() + v.reserved.u128(),
        "LST held != idle + reserved"
    );
    let users = ["alice", "bob", "mallory"];
    let reserved_native: u128 = users
        .iter()
        .map(|u| suite.position(u).claimable_native.u128())
        .sum();
    assert_eq!(v.reserved_native.u128(), reserved_native);
    assert!(suite.native_balance_of(&rs.vault) >= reserved_native);
    let claimable: u128 = users
        .iter()
        .map(|u| suite.position(u).claimable.u128())
        .sum();
    assert_eq!(v.reserved.u128(), claimable, "reserve != finalized");
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
        .map(|a| a.value.parse::<u128>().unwrap())
        .sum()
}

/// Mallory sells `lst` and returns the native it paid (zero if the sale failed).
fn sell(s: &mut FullSuite, lst: u128) -> u128 {
    let lst = lst.min(s.lst_balance("mallory"));
    let before = s.native_balance("mallory");
    if lst == 0 || s.sell_lst("mallory", lst, None).is_err() {
        return 0;
    }
    s.native_balance("mallory") - before
}

/// Mallory buys with `native` and returns the LST it paid (zero if the purchase failed).
fn buy(s: &mut FullSuite, native: u128) -> u128 {
    let native = native.min(s.native_balance("mallory"));
    let before = s.lst_balance("mallory");
    if native == 0 || s.buy_lst("mallory", native).is_err() {
        return 0;
    }
    s.lst_balance("mallory") - before
}

/// Runs one action; returns the LST the vault's strategies moved in the cranks it ran.
fn step(w: &mut World, action: &Action) -> u128 {
    let s = &mut w.suite;
    let mut moved = 0;
    let mut crank = |s: &mut FullSuite| {
        if let Ok(res) = s.vault_crank() {
            moved += strategy_moves(&res);
        }
    };
    // every call may fail (bounds, pauses, empty queues); failures change nothing, which the
    // guard tests check; here only the outcome of what succeeds matters
    match action {
        Action::MalloryDeposit(n) => {
            let amount = (*n * TOKEN).min(s.lst_balance("mallory"));
            let _ = s.vault_deposit_lst("mallory", amount, None);
        }
        Action::MalloryDepositNative(n) => {
            let _ = s.vault_deposit("mallory", *n * TOKEN);
        }
        Action::MalloryWithdraw(p) => {
            let lrt = s.lrt_balance("mallory") * p / 100;
            let _ = s.request_withdrawal("mallory", lrt);
        }
        Action::MalloryClaim => {
            let _ = s.claim_withdrawals("mallory", false);
        }
        Action::SandwichCrank(n) => {
            let got = sell(s, *n * TOKEN);
            crank(s);
            buy(s, got);
        }
        Action::BuyCrankSell(n) => {
            let got = buy(s, *n * TOKEN);
            crank(s);
            sell(s, got);
        }
        Action::SandwichDeposit(b, d) => {
            let bought = buy(s, *b * TOKEN);
            let amount = (*d * TOKEN).min(s.lst_balance("mallory"));
            let _ = s.vault_deposit_lst("mallory", amount, None);
            sell(s, bought);
        }
        Action::SandwichWithdraw(n, p) => {
            let got = sell(s, *n * TOKEN);
            let lrt = s.lrt_balance("mallory") * p / 100;
            let _ = s.request_withdrawal("mallory", lrt);
            buy(s, got);
        }
        Action::Donate(to, n) => {
            let target = match to {
                0 => s.hub.clone(),
                1 => s.restaking().vault,
                2 => w.strategy.clone(),
                3 => s.restaking().registry,
                _ => s.market().pool,
            };
            let mallory = s.addr("mallory");
            let _ = s.app.send_tokens(mallory, target, &[coin(*n, DENOM)]);
        }
        Action::HonestDeposit(u, n) => {
            let _ = s.vault_deposit(HONEST[*u], *n * TOKEN);
        }
        Action::HonestWithdraw(u, p) => {
            let lrt = s.lrt_balance(HONEST[*u]) * p / 100;
            let _ = s.request_withdrawal(HONEST[*u], lrt);
        }
        Action::HonestClaim(u) => {
            let _ = s.claim_withdrawals(HONEST[*u], false);
        }
        Action::VaultCrank => crank(s),
        Action::HubCrank => {
            let _ = s.crank();
        }
        Action::RequestServiceSlash(bps) => {
            if let Ok(id) = s.request_slash("svc", w.svc, "op1", *bps) {
                w.pending_slashes.push(id);
            }
        }
        Action::ExecuteSlashes(newest_first) => {
            let mut ids = w.pending_slashes.clone();
            if *newest_first {
                ids.reverse();
            }
            for id in ids {
                let _ = s.execute_slash(id);
            }
        }
        Action::ValidatorSlash(p) => s.slash_validator("validator1", Decimal::percent(*p)),
        Action::Advance(seconds) => s.advance_time(*seconds),
    }
    moved
}

/// What lets every withdrawal finalize: four rounds of nine days and both cranks (mallory's
/// claims follow, see [`run`]). Each step is checked like any other, with the same allowances.
fn settling() -> Vec<Action> {
    (0..4)
        .flat_map(|_| {
            [
                Action::Advance(9 * DAY),
                Action::HubCrank,
                Action::VaultCrank,
                Action::VaultCrank,
            ]
        })
        .collect()
}

/// Mallory's vault position in LST: her LRT and her pending requests.
fn mallory_in_vault(suite: &FullSuite) -> u128 {
    let p = suite.position("mallory");
    let queue = queue(suite);
    p.value.u128()
        + p.withdrawals
            .iter()
            .filter(|w| w.lst.is_none())
            .map(|w| {
                queue
                    .owed_to(w.lrt, w.value_at_request.unwrap())
                    .unwrap()
                    .u128()
            })
            .sum::<u128>()
}

/// Tracks what a passive holder could have made: the vault's rate (LST per LRT) moves with its
/// own trading and fees even with no rewards (the strategy realizes gains when it withdraws
/// from a pool its deposits left off balance), and mallory is one of its holders.
struct Passive {
    low: Decimal,
    high: Decimal,
    largest: u128,
}

impl Passive {
    fn see(&mut self, suite: &FullSuite) {
        let rate = suite.vault_state().rate;
        self.low = self.low.min(rate);
        self.high = self.high.max(rate);
        self.largest = self.largest.max(mallory_in_vault(suite));
    }

    /// The most her largest position could have gained, from the lowest rate to the highest.
    fn bound(&self) -> u128 {
        let growth = (self.high - self.low) / self.low;
        Uint128::new(self.largest).mul_ceil(growth).u128()
    }
}

/// What a step may cost alice and bob beyond rounding.
struct Allowed {
    /// LST the vault's strategies moved (1 % of it: the vault's own trading).
    moved: u128,
    /// A slash landed (alice and bob bear their share).
    slashing: bool,
    /// What their requests forfeited or the queue recovered ([`forfeit`], [`recovered`]).
    forfeit: u128,
    /// What the shares' virtual offset gave a deposit ([`offset_bound`]).
    offset: u128,
}

fn run(actions: Vec<Action>) {
    let mut w = world();
    let start = wealth(&w.suite, "mallory");
    // a few units per step, settling's steps included
    let slack = 10 * (actions.len() as u128 + 40);
    let mut passive = Passive {
        low: w.suite.vault_state().rate,
        high: w.suite.vault_state().rate,
        largest: 0,
    };
    // what the vault's own trades with the pool may cost it, summed: a sandwich of them within
    // the strategy's bounds is ordinary MEV on the vault, bounded by its slippage bound (1 %)
    let mut trading = 0u128;
    // what the shares' virtual offset gave deposits beyond the exact rate, summed
    let mut offsets = 0u128;
    let mut check = |w: &World, what: &str, before: u128, allowed: Allowed| {
        let Allowed {
            moved,
            slashing,
            forfeit,
            offset,
        } = allowed;
        books_balance(&w.suite);
        passive.see(&w.suite);
        trading += moved / 100;
        offsets += offset;
        let now = wealth(&w.suite, "mallory");
        assert!(
            now <= start + slack + passive.bound() + trading + offsets,
            "after {what} mallory holds {now}, above her {start} (+{}, a passive holder's best: \
             {}, the vault's trading bound: {trading})",
            now - start,
            passive.bound()
        );
        let after = victims(&w.suite);
        // the vault's trading costs its holders at most 1 % of what it moved; alice and bob
        // hold most of the vault, so their share of that bound is covered by the whole of it.
        // Rounding: a few units, and a ten-millionth of what they hold (a deposit minted at the
        // virtual rate, a hair below the real one, dilutes a request valued at the real rate by
        // about the virtual offset's share: 11 units of 65,000 tokens in the worst case found)
        if !slashing {
            assert!(
                after + moved / 100 + 10 + before / 10_000_000 + forfeit + offset >= before,
                "{what} took {} from alice and bob (strategies moved {moved})",
                before - after
            );
        }
    };
    let mut checked_step = |w: &mut World, action: &Action, what: &str| {
        let before = victims(&w.suite);
        // while a slash is pending, a deposit is minted as if it were vetoed: an honest
        // depositor pays that premium (it is not taken by anyone; it stays with the vault)
        let vault = w.suite.restaking().vault;
        let pending = !w
            .suite
            .registry_position(&vault)
            .pending_slash_value
            .is_zero();
        let forfeit_before = withheld_shares(&w.suite);
        let queue_before = queue_owed(&w.suite);
        let offset = offset_bound(&w.suite, deposited_lst(&w.suite, action));
        let moved = step(w, action);
        let forfeit = forfeit(&w.suite, forfeit_before) + recovered(&w.suite, queue_before);
        let slashing = matches!(
            action,
            Action::ValidatorSlash(_) | Action::ExecuteSlashes(_) | Action::RequestServiceSlash(_)
        ) || (pending && matches!(action, Action::HonestDeposit(..)));
        let allowed = Allowed {
            moved,
            slashing,
            forfeit,
            offset,
        };
        check(w, &format!("{what}{action:?}"), before, allowed);
    };
    for action in &actions {
        checked_step(&mut w, action, "");
    }
    // settling: every withdrawal finalizes, then mallory claims what is hers
    for action in settling() {
        checked_step(&mut w, &action, "settling: ");
    }
    for _ in 0..20 {
        let p = w.suite.position("mallory");
        if p.claimable.is_zero() && p.claimable_native.is_zero() {
            break;
        }
        checked_step(&mut w, &Action::MalloryClaim, "settling: ");
    }
    let p = w.suite.position("mallory");
    assert!(p.claimable.is_zero() && p.claimable_native.is_zero());
}

/// Found by `no_attacker_sequence_pays` (2026-11-26): after mallory's deposit and partial
/// withdrawal, a donation to the hub and a vault crank, settling seemed to take 295,050 base
/// units from alice and bob. Explained, not a loss: the hub's crank recognised the withheld
/// donation, and mallory's pending request, owed the lesser of its value when requested and now,
/// recovered 288,631 units of the loss it had shared (its part of the rise, by design). The
/// check allowed that recovery in every step but the settling, which ran as one unchecked block;
/// settling's steps are now checked one by one with the same allowances.
#[test]
fn a_donation_before_a_vault_crank_settles_fairly() {
    run(vec![
        Action::MalloryDeposit(13_949),
        Action::VaultCrank,
        Action::MalloryWithdraw(45),
        Action::Donate(0, 3_683_169_663),
        Action::VaultCrank,
    ]);
}

/// Found the same day (seed 20,261,126): a sandwiched withdrawal and crank, a day, the hub's
/// crank and a donation to the hub of 3,127 tokens; the next hub crank took 36.6 tokens from
/// alice and bob in this test's terms, with nothing moved. The LP strategy's native was priced in
/// LST at the pool's rate, then the hub's recognised one, while the donation, withheld by the
/// hub's APR ceiling, already counted in every LST's value (a bond pays for it): the vault's LRT
/// were valued above what they held, by the strategy's ~18,000 native × 0.2 %, until the hub
/// recognised the donation. Nobody took it here, but anyone entering the vault meanwhile paid it
/// to those already in (next test). The pool's rate is now what a bond pays.
#[test]
fn a_donation_after_a_sandwiched_withdrawal_settles_fairly() {
    run(vec![
        Action::SandwichWithdraw(750, 9),
        Action::SandwichCrank(28_586),
        Action::Advance(86_400),
        Action::HubCrank,
        Action::Donate(0, 3_127_721_357),
    ]);
}

/// Found by `no_attacker_sequence_pays` once the two cases above were explained: 0.75 tokens
/// of a donation were withheld by the hub's APR ceiling when alice deposited 46,565 native; when
/// the hub recognised them, alice and bob held 9.3 tokens less (9,318,811 units). The LP
/// strategy's native was counted in LST at the pool's rate, then the hub's recognised one,
/// while every LST was worth the full value a bond pays: the vault's LRT were valued above what
/// they held (alice's deposit, minted at the full value, paid those already in), and fell back
/// when the withheld value was recognised. The pool's rate is now what a bond pays, and the
/// vault values the native it holds at it too, so nothing moves when the hub recognises it.
#[test]
fn recognising_withheld_value_moves_nothing_in_the_vault() {
    let mut w = world();
    for a in [
        Action::Advance(DAY),
        Action::MalloryDeposit(10_918),
        Action::HubCrank,
        Action::Donate(0, 831_848_706),
        Action::HonestDeposit(0, 46_565),
    ] {
        step(&mut w, &a);
    }
    assert!(w.suite.state().withheld.u128() > 700 * TOKEN / 1_000);
    let (before, rate) = (victims(&w.suite), w.suite.state().exchange_rate);
    w.suite.advance_time(9 * DAY);
    w.suite.crank().unwrap();
    assert!(w.suite.state().withheld.is_zero() && w.suite.state().exchange_rate > rate);
    let after = victims(&w.suite);
    assert!(
        after + 10 >= before,
        "alice and bob lost {}",
        before - after
    );
    // and the whole sequence, with every check of the property
    run(vec![
        Action::Advance(DAY),
        Action::MalloryDeposit(10_918),
        Action::HubCrank,
        Action::Donate(0, 831_848_706),
        Action::HonestDeposit(0, 46_565),
    ]);
}

/// Found by `no_attacker_sequence_pays` with random seeds restored: alice and bob request
/// withdrawals of 55 % and 99 %, 4,353 native are donated to the vault (its APR ceiling
/// withholds most: its mint pool stands at 1.085 LST per LRT), and mallory deposits 189,155 LST,
/// four times what stays. Alice and bob held 200,400 units less, where rounding allows
/// 200,000. Not a new leak: it is the shares' virtual offset, the guard against the inflation
/// attack, which mints at the virtual rate while that is the lower; here it gave mallory's
/// deposit 296,595 LRT units more than the exact rate (1.6e-6 of it), which lowered the rate the
/// pending requests are owed at. The property now allows exactly that ([`offset_bound`]).
#[test]
fn a_large_deposit_into_a_vault_above_par_costs_only_the_virtual_offset() {
    let actions = vec![
        Action::HonestWithdraw(0, 55),
        Action::Donate(1, 4_353_703_739),
        Action::HonestWithdraw(1, 99),
    ];
    let mut w = world();
    for a in &actions {
        step(&mut w, a);
    }
    let deposit = Action::MalloryDeposit(189_155);
    let bound = offset_bound(&w.suite, deposited_lst(&w.suite, &deposit));
    let before = victims(&w.suite);
    step(&mut w, &deposit);
    let lost = before - victims(&w.suite);
    // what the offset gave is what alice and bob paid, within the bound (it is tight)
    assert!(
        lost <= bound && lost > bound / 2,
        "lost {lost}, bound {bound}"
    );
    run(actions.into_iter().chain([deposit]).collect());
}

proptest! {
    // 24 random sequences on the native engine; 12 on the wasm engine, whose run is there to
    // show the artifacts behave the same and takes about 30 s a sequence
    #![proptest_config(ProptestConfig {
        cases: if matches!(tributary_deploy::Engine::from_env(), Ok(tributary_deploy::Engine::Wasm)) {
            12
        } else {
            24
        },
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_attacker_sequence_pays(actions in proptest::collection::vec(action(), 1..25)) {
        run(actions);
    }
}

/// Found by `no_attacker_sequence_pays`: a deposit raised the ceiling by more than its share of
/// the value the stayers have recognised (the share was measured over the whole vault, queue
/// included, while the queue holds none of what is withheld), so the recognised rate rose and a
/// pending request — owed the lesser of its value when requested and now — took 1,141,230 units
/// from alice and bob. A deposit must leave what the queue is owed, and every stayer's value
/// with its share of what is withheld, where they were.
#[test]
fn a_deposit_releases_no_withheld_value_to_pending_requests() {
    use Action::*;
    let mut w = world();
    for a in [
        SandwichDeposit(1, 39090),
        MalloryWithdraw(89),
        MalloryDeposit(1),
        VaultCrank,
        SandwichCrank(3595),
        ValidatorSlash(2),
    ] {
        step(&mut w, &a);
    }
    let bob = |w: &World| {
        let v = w.suite.vault_state();
        let p = w.suite.position("bob");
        p.value.u128() + v.withheld.multiply_ratio(p.lrt, v.lrt_supply).u128()
    };
    let (owed, bob_before) = (w.suite.vault_state().queue_owed.u128(), bob(&w));
    assert!(owed > 0 && w.suite.vault_state().withheld.u128() > 0);
    w.suite.vault_deposit("alice", 36_812 * TOKEN).unwrap();
    let owed_after = w.suite.vault_state().queue_owed.u128();
    assert!(
        owed_after <= owed + 1,
        "the queue is owed {owed_after}, was {owed}"
    );
    // rounding as the property allows it (the virtual offset's effect: 117 units here)
    assert!(
        bob(&w) + 10 + bob_before / 10_000_000 >= bob_before,
        "bob holds {}, held {bob_before}",
        bob(&w)
    );
    // and the whole sequence, with every check of the property
    run(vec![
        SandwichDeposit(1, 39090),
        MalloryWithdraw(89),
        MalloryDeposit(1),
        VaultCrank,
        SandwichCrank(3595),
        ValidatorSlash(2),
        HonestDeposit(0, 36812),
    ]);
}
