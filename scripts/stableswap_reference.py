#!/usr/bin/env python3
"""Reference vectors for tributary-math's StableSwap, from a plain-Python transcription of the
integer math of Curve's two-coin pool template (get_D, get_y, get_dy, add_liquidity,
calc_withdraw_one_coin). Python integers are unbounded and `//` floors like Vyper's uint256
division, so the results are what a Curve pool returns for the same balances, rates, A and fee.

Prints Rust tuples for packages/tributary-math/tests/stableswap_vectors.rs:
    python3 scripts/stableswap_reference.py
"""
A_PRECISION = 100
FEE_DENOMINATOR = 10**10
PRECISION = 10**18
N = 2


def get_D(xp, amp):
    S = sum(xp)
    if S == 0:
        return 0
    D, Ann = S, amp * N
    for _ in range(255):
        D_P = D
        for x in xp:
            D_P = D_P * D // (x * N)
        Dprev = D
        D = (Ann * S // A_PRECISION + D_P * N) * D // ((Ann - A_PRECISION) * D // A_PRECISION + (N + 1) * D_P)
        if abs(D - Dprev) <= 1:
            return D
    raise ValueError("no convergence")


def solve(S, c, D, Ann):
    c = c * D * A_PRECISION // (Ann * N)
    b = S + D * A_PRECISION // Ann
    y = D
    for _ in range(255):
        y_prev = y
        y = (y * y + c) // (2 * y + b - D)
        if abs(y - y_prev) <= 1:
            return y
    raise ValueError("no convergence")


def get_y(i, j, x, xp, amp):
    D = get_D(xp, amp)
    Ann = amp * N
    c = D
    c = c * D // (x * N)
    return solve(x, c, D, Ann)


def get_y_D(amp, i, xp, D):
    Ann = amp * N
    other = xp[1 - i]
    c = D * D // (other * N)
    return solve(other, c, D, Ann)


def xp_of(balances, rates):
    return [b * r // PRECISION for b, r in zip(balances, rates)]


def get_dy(balances, rates, amp, fee, i, j, dx):
    xp = xp_of(balances, rates)
    x = xp[i] + dx * rates[i] // PRECISION
    y = get_y(i, j, x, xp, amp)
    dy = xp[j] - y - 1
    f = fee * dy // FEE_DENOMINATOR
    return (dy - f) * PRECISION // rates[j]


def add_liquidity(balances, rates, amp, fee, amounts, supply):
    D0 = get_D(xp_of(balances, rates), amp)
    new = [b + a for b, a in zip(balances, amounts)]
    D1 = get_D(xp_of(new, rates), amp)
    if supply == 0:
        return D1
    f = fee * N // (4 * (N - 1))
    charged = list(new)
    for k in range(N):
        ideal = D1 * balances[k] // D0
        diff = abs(ideal - new[k])
        charged[k] -= f * diff // FEE_DENOMINATOR
    D2 = get_D(xp_of(charged, rates), amp)
    return supply * (D2 - D0) // D0


def withdraw_one(balances, rates, amp, fee, lp, i, supply):
    xp = xp_of(balances, rates)
    D0 = get_D(xp, amp)
    D1 = D0 - lp * D0 // supply
    new_y = get_y_D(amp, i, xp, D1)
    f = fee * N // (4 * (N - 1))
    reduced = list(xp)
    for k in range(N):
        if k == i:
            expected = xp[k] * D1 // D0 - new_y
        else:
            expected = xp[k] - xp[k] * D1 // D0
        reduced[k] -= f * expected // FEE_DENOMINATOR
    dy = reduced[i] - get_y_D(amp, i, reduced, D1)
    return (dy - 1) * PRECISION // rates[i]


R6 = 10**30  # a 6-decimal coin at its peg
CASES = [
    # (balances, rates, A, fee, dx)
    ([500_000 * 10**6, 500_000 * 10**6], [R6, R6], 50, 4_000_000, 10**6),
    ([800_000 * 10**6, 200_000 * 10**6], [R6, R6], 50, 4_000_000, 10**6),
    ([800_000 * 10**6, 200_000 * 10**6], [R6, R6], 50, 4_000_000, 100_000 * 10**6),
    ([10**12, 10**12], [R6, R6], 1, 4_000_000, 10**9),
    ([10**12, 10**12], [R6, R6], 5000, 4_000_000, 10**11),
    ([999_000 * 10**6, 1_000 * 10**6], [R6, R6], 200, 1_000_000, 10**6),
    ([123_456_789_012, 987_654_321], [R6, R6], 85, 30_000_000, 5_000_000),
    ([500_000 * 10**6, 500_000 * 10**6], [R6 * 105 // 100, R6], 100, 4_000_000, 10**6),
]


def main():
    print("// (balances, rates, A, fee, dx, dy(0->1), dy(1->0), mint one-sided 0, withdraw_one 0)")
    for balances, rates, A, fee, dx in CASES:
        amp = A * A_PRECISION
        d = get_D(xp_of(balances, rates), amp)
        dy01 = get_dy(balances, rates, amp, fee, 0, 1, dx)
        dy10 = get_dy(balances, rates, amp, fee, 1, 0, dx)
        supply = d
        mint = add_liquidity(balances, rates, amp, fee, [dx, 0], supply)
        one = withdraw_one(balances, rates, amp, fee, supply // 1000, 0, supply)
        print(f"    ([{balances[0]}, {balances[1]}], [\"{rates[0]}\", \"{rates[1]}\"], {A}, {fee}, {dx}, \"{d}\", {dy01}, {dy10}, {mint}, {one}),")


if __name__ == "__main__":
    main()
