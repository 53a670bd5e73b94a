//! The StableSwap math (`tributary_math::stableswap`):
//! * `get_d`, `get_y` and `get_y_d` on arbitrary scaled balances and A converge or return an
//!   error; they never panic;
//! * on a pool the contract could hold (A within bounds, fee at most 50 %, a 6-decimal native
//!   coin and an LST priced between 0.5 and 4 native), a swap never pays more than the pool
//!   holds, never lowers D, raises D by no more than what a fee-less swap's rounding and the
//!   fee it keeps can add, and selling what it paid straight back never returns more than was
//!   sold; deposits and withdrawals never panic, and a proportional withdrawal never pays more
//!   than the LP's share.

#![no_main]

use arbitrary::Arbitrary;
use cosmwasm_std::{Uint128, Uint256};
use libfuzzer_sys::fuzz_target;
use tributary_math::stableswap::{
    get_d, get_y, get_y_d, unit_rate, StableSwap, A_PRECISION, FEE_DENOMINATOR, MAX_A,
};

#[derive(Arbitrary, Debug)]
struct Input {
    /// Raw scaled balances and amp for the solver alone.
    raw_xp: [u128; 2],
    raw_amp: u64,
    raw_x: u128,
    /// The pool.
    balances: [u128; 2],
    /// The LST's rate above 0.5 native, in millionths (capped at 3.5 native above).
    lst_rate_millionths: u32,
    a: u32,
    fee: u64,
    admin_fee: u64,
    dx: u128,
    sell_lst: bool,
    deposit: [u128; 2],
    supply: u128,
    lp: u128,
}

fn u256(v: u128) -> Uint256 {
    Uint256::from(v)
}

fuzz_target!(|input: Input| {
    // the solver alone: any inputs, converge or fail cleanly
    let xp = [u256(input.raw_xp[0]), u256(input.raw_xp[1])];
    let amp = Uint256::from(input.raw_amp);
    if let Ok(d) = get_d(xp, amp) {
        let _ = get_y_d(amp, 0, xp, d);
        let _ = get_y_d(amp, 1, xp, d);
    }
    let _ = get_y(0, 1, u256(input.raw_x), xp, amp);
    let _ = get_y(1, 0, u256(input.raw_x), xp, amp);

    // a pool the contract could hold
    let unit = unit_rate(6).unwrap();
    let millionths = u128::from(input.lst_rate_millionths % 3_500_001) + 500_000;
    let lst_rate = unit.multiply_ratio(millionths, 1_000_000u128);
    let pool = StableSwap {
        balances: [Uint128::new(input.balances[0]), Uint128::new(input.balances[1])],
        rates: [lst_rate, unit],
        amp: (u64::from(input.a) % MAX_A + 1) * A_PRECISION,
        fee: input.fee % (FEE_DENOMINATOR / 2 + 1),
        admin_fee: input.admin_fee % (FEE_DENOMINATOR + 1),
    };
    let (i, j) = if input.sell_lst { (0, 1) } else { (1, 0) };
    let dx = Uint128::new(input.dx);
    if let (Ok(d0), Ok(s)) = (pool.d(), pool.swap(i, j, dx)) {
        assert!(s.admin_fee <= s.fee, "admin fee above the fee: {s:?}");
        assert!(
            s.dy.checked_add(s.admin_fee).is_ok_and(|out| out <= pool.balances[j]),
            "the swap pays {s:?}, the pool holds {}",
            pool.balances[j]
        );
        let mut after = pool;
        if after.apply_swap(i, j, dx, &s).is_err() {
            // what the pool pays is checked above: only the balance it receives can overflow
            assert!(pool.balances[i].checked_add(dx).is_err(), "apply_swap failed: {s:?}");
            return;
        }
        if let Ok(d1) = after.d() {
            assert!(d1 >= d0, "a swap lowered D: {d0} -> {d1}");
            // the same swap without fees changes D by rounding only; the fee the pool keeps
            // can add no more than its own value times D's sensitivity to coin j
            let free = StableSwap {
                fee: 0,
                admin_fee: 0,
                ..pool
            };
            if let Ok(s0) = free.swap(i, j, dx) {
                let mut after0 = free;
                if after0.apply_swap(i, j, dx, &s0).is_ok() {
                    if let (Ok(d_free), Ok(xp1)) = (after0.d(), tributary_math::stableswap::xp(after.balances, after.rates)) {
                        let xj = xp1[j].max(Uint256::one());
                        // dD/dx_j is at most about 1 + D / (2 x_j) for two coins
                        let sensitivity = Uint256::from(2u8) + d1 / xj;
                        let unit_j = pool.rates[j] / tributary_math::stableswap::precision();
                        let kept = u256((s.fee - s.admin_fee).u128()) * unit_j;
                        let tol = (kept + (unit_j + Uint256::from(3u8)) * Uint256::from(2u8)) * sensitivity;
                        assert!(d_free >= d0, "a fee-less swap lowered D: {d0} -> {d_free}");
                        assert!(
                            d1 <= d_free + tol,
                            "a swap raised D beyond its fee: {d0} -> {d1} (fee-less {d_free}, tolerance {tol})"
                        );
                    }
                }
            }
        }
        // sell what it paid straight back: never more than was sold
        if let Ok(back) = after.swap(j, i, s.dy) {
            assert!(back.dy <= dx, "round trip {dx} -> {} -> {}", s.dy, back.dy);
        }
    }

    let supply = Uint128::new(input.supply);
    let _ = pool.deposit([Uint128::new(input.deposit[0]), Uint128::new(input.deposit[1])], supply);
    if let Ok(out) = pool.withdraw(Uint128::new(input.lp), supply) {
        for k in 0..2 {
            assert!(out[k] <= pool.balances[k], "withdraw pays {out:?} from {:?}", pool.balances);
        }
    }
    let _ = pool.withdraw_one(Uint128::new(input.lp), usize::from(input.sell_lst), supply);
    let _ = pool.spot_price(0, 1);
    let _ = pool.virtual_price(supply);
});
