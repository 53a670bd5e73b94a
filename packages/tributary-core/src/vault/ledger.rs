//! What the vault holds and is owed, valued in LST, and the transitions that mint and burn LRT
//! against it.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};
use tributary_math::{fee_amount, QueueSplit, SharePool};

use super::VaultError;

/// The vault's value with one strategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrategyPosition {
    /// The strategy contract.
    pub strategy: Addr,
    /// Its target share of the vault's value, bps (0: retired, drained by the crank).
    pub target_bps: u16,
    /// The LST value it reports for the vault.
    pub value: Uint128,
}

/// The vault's stake with one operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorPosition {
    /// The operator.
    pub operator: Addr,
    /// Its target weight (0: no longer targeted, drained first by withdrawals).
    pub weight: u64,
    /// LST value delegated to it (active).
    pub value: Uint128,
}

/// The withdrawal queue's running totals.
#[cw_serde]
#[derive(Default, Copy, Eq)]
pub struct QueueTotals {
    /// LRT burned into withdrawal requests not yet finalized.
    pub pending_lrt: Uint128,
    /// Their values when requested, summed (LST): the most the queue is owed.
    pub pending_cap: Uint128,
}

/// What the vault holds and is owed, as of now, in LST unless named `native` or `lrt`. The
/// contract reads it live from the chain, the registry, the hub and the strategies, so slashes
/// in the registry (which move tokens at once) and unharvested service rewards are always in
/// the rate: nobody can mint ahead of rewards or burn ahead of a slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    /// LST held and not reserved for finalized withdrawals (nor attached to the current message).
    pub idle: Uint128,
    /// LST delegated to operators through the registry (active).
    pub delegated: Uint128,
    /// LST being undelegated in the registry (still slashable).
    pub undelegating: Uint128,
    /// LST the registry's pending slash requests would take from the vault if executed.
    pub pending_slash: Uint128,
    /// Strategies, in the order the crank visits them.
    pub strategies: Vec<StrategyPosition>,
    /// Operators: the targeted ones, then any still delegated to but no longer targeted.
    pub operators: Vec<OperatorPosition>,
    /// Native held and not reserved for finalized withdrawals (rewards claimed but not yet
    /// bonded, and donations).
    pub native_held: Uint128,
    /// Unharvested service rewards (native): in the registry and already in the vault.
    pub rewards_native: Uint128,
    /// Their LST value net of the fee (see [`rewards_value`]).
    pub rewards_value: Uint128,
    /// The hub's pool (native per LST), for native valuations.
    pub hub_pool: SharePool,
    /// LRT in circulation.
    pub lrt_supply: Uint128,
    /// The withdrawal queue.
    pub queue: QueueTotals,
    /// Value above the APR ceiling, not counted in [`Self::total_value`] (see
    /// [`Self::apply_ceiling`]); zero until the ceiling is applied.
    pub withheld: Uint128,
    /// Room left below the APR ceiling (`None`: no ceiling yet): how much of a pending slash a
    /// veto would bring back into the recognised value (see [`Self::apply_ceiling`]).
    pub headroom: Option<Uint128>,
}

/// The LST value of `rewards_native` unharvested rewards: the LST bonding them through the hub
/// would give, less the vault's fee on them.
pub fn rewards_value(
    rewards_native: Uint128,
    hub_pool: &SharePool,
    fee_bps: u16,
) -> Result<Uint128, VaultError> {
    let rewards_lst = if rewards_native.is_zero() {
        Uint128::zero()
    } else {
        hub_pool.shares_for_deposit(rewards_native)?
    };
    Ok(rewards_lst.checked_sub(fee_amount(rewards_lst, fee_bps)?)?)
}

/// What a deposit minted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mint {
    /// LRT minted to the depositor.
    pub lrt_minted: Uint128,
}

/// What a withdrawal request burned and is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithdrawalRequested {
    /// LRT burned into the request.
    pub lrt_burned: Uint128,
    /// Its value now, in LST: the most it will be paid.
    pub value_at_request: Uint128,
}

impl Ledger {
    /// Value in strategies.
    pub fn in_strategies(&self) -> Result<Uint128, VaultError> {
        Ok(self
            .strategies
            .iter()
            .try_fold(Uint128::zero(), |acc, s| acc.checked_add(s.value))?)
    }

    /// Value delegated to operators, summed over [`Self::operators`].
    pub fn with_operators(&self) -> Result<Uint128, VaultError> {
        Ok(self
            .operators
            .iter()
            .try_fold(Uint128::zero(), |acc, o| acc.checked_add(o.value))?)
    }

    /// Total value recognised in LST: idle, delegated, undelegating, strategies, rewards net of
    /// the fee ([`Self::gross_value`]), less what the APR ceiling withholds.
    pub fn total_value(&self) -> Result<Uint128, VaultError> {
        Ok(self.gross_value()?.checked_sub(self.withheld)?)
    }

    /// Everything over every LRT: the supply and the LRT in pending withdrawals, all at the
    /// same rate. Pending requests are owed at most their value when they asked
    /// ([`Self::queue_owed`]), so this is not the rate an LRT holder gets: see [`Self::pool`].
    pub fn nominal_pool(&self) -> Result<SharePool, VaultError> {
        Ok(SharePool::new(
            self.total_value()?,
            self.lrt_supply.checked_add(self.queue.pending_lrt)?,
        ))
    }

    /// The pool split between those who stay and the withdrawal queue.
    pub fn queue_split(&self) -> Result<QueueSplit, VaultError> {
        Ok(self
            .nominal_pool()?
            .split_queue(self.queue.pending_lrt, self.queue.pending_cap)?)
    }

    /// The LRT pool every burn and valuation uses: the value of those who stay (everything
    /// less what the withdrawal queue is owed) over the LRT supply. Rewards that accrue after a
    /// request go to those who stay; a slash is shared with the queue.
    pub fn pool(&self) -> Result<SharePool, VaultError> {
        Ok(self.queue_split()?.stay)
    }

    /// The pool deposits are minted at: as [`Self::pool`], with the value the APR ceiling
    /// withholds and the slashes pending in the registry counted as if they were vetoed — the
    /// full value, the worse price for the depositor. A deposit pays for its share of what is
    /// withheld (its LRT carry the same share of it as everyone's, recognised with theirs), so
    /// nobody who enters while value is withheld takes any of it from those already there; a
    /// deposit made while a slash is pending shares it if it executes, and takes nothing of what
    /// a veto gives back to those who were there when it was requested.
    pub fn mint_pool(&self) -> Result<SharePool, VaultError> {
        let stay = self.pool()?;
        Ok(SharePool::new(
            stay.assets
                .checked_add(self.withheld)?
                .checked_add(self.pending_slash)?,
            stay.shares,
        ))
    }

    /// What the withdrawal queue is owed now: the lesser of its value at the nominal rate and
    /// its value when requested.
    pub fn queue_owed(&self) -> Result<Uint128, VaultError> {
        Ok(self.queue_split()?.owed)
    }

    /// Deposits `amount` LST (already received, not yet counted in [`Self::idle`]) for LRT at
    /// [`Self::mint_pool`]. Fails above the deposit cap (on the value the vault would hold), at
    /// zero LRT, or below `min_out`. On success the LST is idle and the LRT in the supply.
    pub fn mint(
        &mut self,
        amount: Uint128,
        deposit_cap: Option<Uint128>,
        min_out: Option<Uint128>,
    ) -> Result<Mint, VaultError> {
        let mut pool = self.mint_pool()?;
        if let Some(cap) = deposit_cap {
            let would_hold = pool.assets.checked_add(amount)?;
            if would_hold > cap {
                return Err(VaultError::DepositCapExceeded { cap, would_hold });
            }
        }
        let minted = pool.deposit(amount)?;
        if minted.is_zero() {
            return Err(VaultError::ZeroMint {});
        }
        if let Some(min_out) = min_out {
            if minted < min_out {
                return Err(VaultError::SlippageExceeded { min_out, minted });
            }
        }
        self.idle = self.idle.checked_add(amount)?;
        self.lrt_supply = self.lrt_supply.checked_add(minted)?;
        Ok(Mint { lrt_minted: minted })
    }

    /// Burns `lrt` (still in the supply) into a withdrawal request valued now at
    /// [`Self::pool`]: the most it will be paid. The LRT leaves the supply and joins the queue.
    ///
    /// While a service slash is pending the pool is already net of it, so a request made then
    /// bears it in full; if the slash is vetoed, what it gives back stays with those who stay.
    /// (Valuing such a request as if the slash were vetoed would let the queue, whose total is
    /// capped as a whole, be owed more than its requests are: see the soak's finding in the
    /// vault's README.)
    pub fn request_withdrawal(&mut self, lrt: Uint128) -> Result<WithdrawalRequested, VaultError> {
        let value_at_request = self.pool()?.assets_for_redeem(lrt)?;
        self.lrt_supply = self.lrt_supply.checked_sub(lrt)?;
        self.queue.pending_lrt = self.queue.pending_lrt.checked_add(lrt)?;
        self.queue.pending_cap = self.queue.pending_cap.checked_add(value_at_request)?;
        Ok(WithdrawalRequested {
            lrt_burned: lrt,
            value_at_request,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn u(n: u128) -> Uint128 {
        Uint128::new(n)
    }

    /// A vault with `idle` LST and `lrt` LRT, nothing else, at the hub's 1:1 rate.
    pub(crate) fn simple(idle: u128, lrt: u128) -> Ledger {
        Ledger {
            idle: u(idle),
            delegated: Uint128::zero(),
            undelegating: Uint128::zero(),
            pending_slash: Uint128::zero(),
            strategies: vec![],
            operators: vec![],
            native_held: Uint128::zero(),
            rewards_native: Uint128::zero(),
            rewards_value: Uint128::zero(),
            hub_pool: SharePool::new(1_000_000_000_000_000u128, 1_000_000_000_000_000u128),
            lrt_supply: u(lrt),
            queue: QueueTotals::default(),
            withheld: Uint128::zero(),
            headroom: None,
        }
    }

    #[test]
    fn total_value_counts_every_holding() {
        let mut ledger = simple(100, 0);
        ledger.delegated = u(1_000);
        ledger.undelegating = u(50);
        ledger.rewards_value = u(7);
        ledger.strategies = vec![
            StrategyPosition {
                strategy: Addr::unchecked("s1"),
                target_bps: 1_000,
                value: u(200),
            },
            StrategyPosition {
                strategy: Addr::unchecked("s2"),
                target_bps: 0,
                value: u(3),
            },
        ];
        assert_eq!(ledger.in_strategies().unwrap(), u(203));
        assert_eq!(ledger.total_value().unwrap(), u(1_360));
        // a pending slash is not in the value (the registry has not moved the LST yet)
        ledger.pending_slash = u(500);
        assert_eq!(ledger.total_value().unwrap(), u(1_360));
    }

    #[test]
    fn rewards_are_valued_at_the_hub_rate_less_the_fee() {
        // 2 native per LST: 1,000 native buy 500 LST, less 10 %
        let hub = SharePool::new(2_000_000_000u128, 1_000_000_000u128);
        assert_eq!(rewards_value(u(1_000), &hub, 1_000).unwrap(), u(450));
        assert_eq!(rewards_value(u(0), &hub, 1_000).unwrap(), u(0));
        assert_eq!(rewards_value(u(1_000), &hub, 0).unwrap(), u(500));
    }

    #[test]
    fn first_deposit_mints_one_to_one_and_counts_as_idle() {
        let mut ledger = simple(0, 0);
        let mint = ledger.mint(u(1_000_000), None, None).unwrap();
        assert_eq!(mint.lrt_minted, u(1_000_000));
        assert_eq!(ledger.idle, u(1_000_000));
        assert_eq!(ledger.lrt_supply, u(1_000_000));
    }

    #[test]
    fn deposits_mint_at_the_rate_of_those_who_stay() {
        // 2 LST per LRT (the virtual offset pulls the price of a share slightly below 2)
        let mut ledger = simple(2_000_000_000, 1_000_000_000);
        let mint = ledger.mint(u(1_000_000), None, None).unwrap();
        assert_eq!(mint.lrt_minted, u(500_249));
        assert_eq!(ledger.total_value().unwrap(), u(2_001_000_000));
        assert_eq!(ledger.lrt_supply, u(1_000_500_249));
    }

    #[test]
    fn a_pending_slash_makes_deposits_pay_the_unslashed_price() {
        let mut ledger = simple(900_000_000, 1_000_000_000);
        // a slash of 100 is requested, not executed: the LST is still there
        ledger.pending_slash = u(100_000_000);
        assert_eq!(
            ledger.pool().unwrap(),
            SharePool::new(900_000_000u128, 1_000_000_000u128)
        );
        assert_eq!(
            ledger.mint_pool().unwrap(),
            SharePool::new(1_000_000_000u128, 1_000_000_000u128)
        );
        // 1,000 LST buy 1,000 LRT (not 1,111 at the slashed rate)
        assert_eq!(
            ledger.mint(u(1_000), None, None).unwrap().lrt_minted,
            u(1_000)
        );
    }

    #[test]
    fn mint_guards() {
        struct Case {
            name: &'static str,
            amount: u128,
            cap: Option<u128>,
            min_out: Option<u128>,
            expected: Result<u128, VaultError>,
        }
        let cases = [
            Case {
                name: "within the cap",
                amount: 1_000,
                cap: Some(1_000_002_000),
                min_out: None,
                expected: Ok(1_000),
            },
            Case {
                name: "at the cap exactly",
                amount: 1_000,
                cap: Some(1_000_001_000),
                min_out: None,
                expected: Ok(1_000),
            },
            Case {
                name: "above the cap",
                amount: 1_001,
                cap: Some(1_000_001_000),
                min_out: None,
                expected: Err(VaultError::DepositCapExceeded {
                    cap: u(1_000_001_000),
                    would_hold: u(1_000_001_001),
                }),
            },
            Case {
                name: "nothing mints nothing",
                amount: 0,
                cap: None,
                min_out: None,
                expected: Err(VaultError::ZeroMint {}),
            },
            Case {
                name: "min_out met",
                amount: 1_000,
                cap: None,
                min_out: Some(1_000),
                expected: Ok(1_000),
            },
            Case {
                name: "min_out missed",
                amount: 1_000,
                cap: None,
                min_out: Some(1_001),
                expected: Err(VaultError::SlippageExceeded {
                    min_out: u(1_001),
                    minted: u(1_000),
                }),
            },
        ];
        for case in cases {
            let mut ledger = simple(1_000_000_000, 1_000_000_000);
            let before = ledger.clone();
            let got = ledger
                .mint(u(case.amount), case.cap.map(u), case.min_out.map(u))
                .map(|m| m.lrt_minted.u128());
            assert_eq!(got, case.expected, "{}", case.name);
            if got.is_err() {
                assert_eq!(
                    ledger, before,
                    "{}: a failed mint changes nothing",
                    case.name
                );
            }
        }
    }

    #[test]
    fn a_request_is_valued_now_and_joins_the_queue() {
        let mut ledger = simple(2_000_000_000, 1_000_000_000);
        let request = ledger.request_withdrawal(u(100_000_000)).unwrap();
        assert_eq!(
            request,
            WithdrawalRequested {
                lrt_burned: u(100_000_000),
                // 2 per LRT, less the virtual offset's pull towards 1:1 (the vault's favour)
                value_at_request: u(199_900_099)
            }
        );
        assert_eq!(ledger.lrt_supply, u(900_000_000));
        assert_eq!(
            ledger.queue,
            QueueTotals {
                pending_lrt: u(100_000_000),
                pending_cap: u(199_900_099)
            }
        );
        // the queue is owed its cap; those who stay keep the rest
        assert_eq!(ledger.queue_owed().unwrap(), u(199_900_099));
        assert_eq!(
            ledger.pool().unwrap(),
            SharePool::new(1_800_099_901u128, 900_000_000u128)
        );
    }

    #[test]
    fn rewards_after_a_request_go_to_those_who_stay() {
        let mut ledger = simple(1_000_000_000, 1_000_000_000);
        ledger.request_withdrawal(u(500_000_000)).unwrap();
        // 100 LST of rewards arrive
        ledger.idle += u(100_000_000);
        assert_eq!(
            ledger.queue_owed().unwrap(),
            u(500_000_000),
            "the queue keeps its cap"
        );
        assert_eq!(
            ledger.pool().unwrap(),
            SharePool::new(600_000_000u128, 500_000_000u128)
        );
    }

    #[test]
    fn a_slash_after_a_request_is_shared_with_the_queue() {
        let mut ledger = simple(1_000_000_000, 1_000_000_000);
        ledger.request_withdrawal(u(500_000_000)).unwrap();
        // 10 % slashed
        ledger.idle = u(900_000_000);
        assert_eq!(ledger.queue_owed().unwrap(), u(450_000_000));
        assert_eq!(
            ledger.pool().unwrap(),
            SharePool::new(450_000_000u128, 500_000_000u128)
        );
    }

    #[test]
    fn a_request_below_the_queues_caps_adds_at_most_its_cap_to_what_the_queue_is_owed() {
        // found by the random test (`a_withdrawal_request_never_lowers_the_lrt_value`): 411.6
        // LST for 410.9 LRT, of which 10,086,314 asked to leave at 10,104,686 and a pending
        // slash has left below their cap (10,104,664 at the real rate)
        let mut ledger = simple(411_626_408, 400_792_572);
        ledger.queue = QueueTotals {
            pending_lrt: u(10_086_314),
            pending_cap: u(10_104_686),
        };
        let stayers = u(400_792_572 - 3_836_128);
        let owed_before = ledger.queue_owed().unwrap();
        let stayers_before = ledger.pool().unwrap().assets_for_redeem(stayers).unwrap();
        let request = ledger.request_withdrawal(u(3_836_128)).unwrap();
        // valued at the stayers' rate (the virtual one, 17 below the real rate)
        assert_eq!(request.value_at_request, u(3_843_090));
        // the queue, still below its caps, is valued at that rate too, and the request adds
        // exactly its cap to it. At the real rate the queue went from 10,104,664 to 13,947,771
        // (+3,843,107 for a cap of 3,843,089: 18 owed to the older request, taken from those
        // who stay, whose 1e9 LRT fell by 44 native)
        assert_eq!(owed_before, u(10_104_619));
        assert_eq!(ledger.queue_owed().unwrap(), u(13_947_709));
        assert!(ledger.queue_owed().unwrap() - owed_before <= request.value_at_request);
        let stayers_after = ledger.pool().unwrap().assets_for_redeem(stayers).unwrap();
        assert_eq!(
            (stayers_before, stayers_after),
            (u(397_676_883), u(397_676_884))
        );
    }

    #[test]
    fn a_deposit_around_rewards_takes_less_than_its_share_of_them() {
        // the second move of `just_in_time_deposits_never_profit`: 2,000 LRT stay (2,205 LST),
        // a request of 1,000,000 LRT at its cap of 1,000,204; mallory deposits 1,856,877,679
        // LST, 3,707 LST of rewards accrue, she asks for it all back
        let mut ledger = simple(1_002_409, 2_000);
        ledger.queue = QueueTotals {
            pending_lrt: u(1_000_000),
            pending_cap: u(1_000_204),
        };
        let minted = ledger
            .mint(u(1_856_877_679), None, None)
            .unwrap()
            .lrt_minted;
        assert_eq!(minted, u(1_856_497_856));
        ledger.idle += u(3_707);
        let share = u(3_707).multiply_ratio(minted, ledger.lrt_supply);
        let request = ledger.request_withdrawal(minted).unwrap();
        // 3,705 more than she deposited
        assert_eq!(request.value_at_request, u(1_856_881_384));
        // her share of the rewards by LRT, 3,706.996, rounded down
        assert_eq!(share, u(3_706));
        assert!(request.value_at_request <= u(1_856_877_679) + share);
    }

    #[test]
    fn requesting_more_than_the_supply_fails() {
        let mut ledger = simple(1_000, 1_000);
        assert!(ledger.request_withdrawal(u(1_001)).is_err());
    }

    /// The most a deposit immediately asked back can return above what was deposited, in LST
    /// units. Two effects of the arithmetic (in `tributary_math::SharePool`, unchanged here):
    /// - a unit of rounding: when the queue's caps sit within rounding of its nominal value,
    ///   the deposit's own rounding can tip the queue from being owed its caps to being owed its
    ///   nominal value (`split_queue`), which hands a unit to those who stay;
    /// - the virtual offset: a pool prices deposits at the lower of its real rate and its rate
    ///   with `VIRTUAL_OFFSET` added to both sides. Above a rate of one the latter is lower, so a
    ///   deposit gets slightly more LRT than the real rate gives, at most the offset's worth of
    ///   the rate's excess over one: `VIRTUAL_OFFSET * (assets - shares) / shares` units (at
    ///   most one LST at a rate of two), taken from those already in. It is the price of the
    ///   offset that makes first-deposit inflation attacks worthless.
    pub(crate) fn profit_bound(ledger: &Ledger) -> Uint128 {
        let pool = ledger.mint_pool().unwrap();
        let excess = pool.assets.saturating_sub(pool.shares);
        let offset_gain = if pool.shares.is_zero() {
            Uint128::zero()
        } else {
            tributary_math::VIRTUAL_OFFSET.multiply_ratio(excess, pool.shares) + u(1)
        };
        u(1) + offset_gain
    }

    /// Any ledger, however lopsided (empty pools, rates far from one).
    fn arb_ledger() -> impl Strategy<Value = Ledger> {
        (
            0u128..1_000_000_000_000,
            0u128..1_000_000_000_000,
            0u128..1_000_000_000_000,
            0u128..100_000_000_000,
            0u128..1_000_000_000_000,
            0u128..1_000_000_000_000,
        )
            .prop_map(|(idle, delegated, lrt, pending_slash, pending_lrt, cap)| {
                let mut ledger = simple(idle, lrt);
                ledger.delegated = u(delegated);
                ledger.pending_slash = u(pending_slash);
                ledger.queue = QueueTotals {
                    pending_lrt: u(pending_lrt.min(lrt)),
                    pending_cap: u(cap.min(idle + delegated)),
                };
                ledger
            })
    }

    /// A ledger as a running vault has: at least a thousand LST, a rate between 0.5 and 2, a
    /// queue of up to half the LRT valued within 20 % of its nominal value.
    pub(crate) fn arb_running_ledger() -> impl Strategy<Value = Ledger> {
        (
            1_000_000_000u128..1_000_000_000_000_000,
            0u128..=100,
            50u128..=200,
            0u128..=50,
            80u128..=120,
        )
            .prop_map(|(value, idle_pct, rate_pct, queue_pct, cap_pct)| {
                let idle = value * idle_pct / 100;
                let mut ledger = simple(idle, 0);
                ledger.delegated = u(value - idle);
                let all_lrt = value * 100 / rate_pct;
                let pending_lrt = all_lrt * queue_pct / 100;
                ledger.lrt_supply = u(all_lrt - pending_lrt);
                ledger.queue = QueueTotals {
                    pending_lrt: u(pending_lrt),
                    pending_cap: u(pending_lrt * rate_pct / 100 * cap_pct / 100),
                };
                ledger
            })
    }

    proptest! {
        /// A withdrawal request never lowers the rate of those who stay (beyond a unit of
        /// rounding), whatever the queue and the slashes pending: the soak found that valuing
        /// a request made during a pending slash as if it were vetoed did, since the queue is
        /// owed the lesser of its nominal value and its caps as a whole.
        #[test]
        fn a_request_never_lowers_the_stayers_rate(
            value in 1_000_000u128..1_000_000_000_000,
            supply in 1_000_000u128..1_000_000_000_000,
            queued in 0u128..1_000_000_000_000,
            cap_pct in 1u128..=100,
            pending_pct in 0u128..=50,
            request_pct in 1u128..=100,
        ) {
            let mut ledger = simple(value, supply);
            let nominal = SharePool::new(value, supply + queued);
            let share = nominal.value_of(u(queued)).unwrap();
            ledger.queue = QueueTotals {
                pending_lrt: u(queued),
                pending_cap: share.multiply_ratio(cap_pct, 100u128),
            };
            ledger.pending_slash = u(value * pending_pct / 100);
            let before = ledger.pool().unwrap();
            let lrt = u(supply * request_pct / 100).max(u(1));
            ledger.request_withdrawal(lrt).unwrap();
            let after = ledger.pool().unwrap();
            if !after.shares.is_zero() {
                // after / after.shares >= before / before.shares, less a unit of rounding
                let lhs = cosmwasm_std::Uint256::from(after.assets + u(1))
                    * cosmwasm_std::Uint256::from(before.shares);
                let rhs = cosmwasm_std::Uint256::from(before.assets)
                    * cosmwasm_std::Uint256::from(after.shares);
                prop_assert!(lhs >= rhs, "stayers' pool {before:?} -> {after:?}");
            }
        }

        /// Depositing and immediately asking to withdraw never gives back more than was put in,
        /// beyond [`profit_bound`] (rounding, and the virtual offset's price at a rate above
        /// one).
        #[test]
        fn deposit_then_withdraw_never_profits(ledger in arb_ledger(), amount in 1u128..1_000_000_000_000) {
            let mut ledger = ledger;
            let bound = profit_bound(&ledger);
            let Ok(mint) = ledger.mint(u(amount), None, None) else {
                return Ok(());
            };
            let request = ledger.request_withdrawal(mint.lrt_minted).unwrap();
            prop_assert!(request.value_at_request <= u(amount) + bound,
                "deposited {amount}, valued {} (bound {bound})", request.value_at_request);
        }

        /// The same in a running vault (a rate near one, a queue valued near its caps).
        #[test]
        fn deposit_then_withdraw_never_profits_when_running(ledger in arb_running_ledger(), amount in 1u128..1_000_000_000_000) {
            let mut ledger = ledger;
            let bound = profit_bound(&ledger);
            let mint = ledger.mint(u(amount), None, None).unwrap();
            let request = ledger.request_withdrawal(mint.lrt_minted).unwrap();
            prop_assert!(request.value_at_request <= u(amount) + bound,
                "deposited {amount}, valued {} (bound {bound})", request.value_at_request);
        }

        /// A deposit at a rate of one or below is never worth more than it cost (beyond a unit):
        /// there the virtual offset prices it at the real rate.
        #[test]
        fn at_a_rate_of_one_or_below_deposits_never_profit(ledger in arb_running_ledger(), amount in 1u128..1_000_000_000_000) {
            let pool = ledger.mint_pool().unwrap();
            if pool.assets > pool.shares {
                return Ok(());
            }
            let mut ledger = ledger;
            let mint = ledger.mint(u(amount), None, None).unwrap();
            let request = ledger.request_withdrawal(mint.lrt_minted).unwrap();
            prop_assert!(request.value_at_request <= u(amount + 1));
        }

        /// Two deposits in a row never mint more than one deposit of their sum.
        #[test]
        fn splitting_a_deposit_never_pays(ledger in arb_running_ledger(), a in 1u128..1_000_000_000, b in 1u128..1_000_000_000) {
            let mut split = ledger.clone();
            let mut whole = ledger;
            let (Ok(first), Ok(second), Ok(one)) = (
                split.mint(u(a), None, None),
                split.mint(u(b), None, None),
                whole.mint(u(a + b), None, None),
            ) else {
                return Ok(());
            };
            prop_assert!(first.lrt_minted + second.lrt_minted <= one.lrt_minted);
        }

        /// A request takes from those who stay at most what its value falls short of its
        /// nominal value (plus a unit of rounding). The queue's caps are summed (see the
        /// README's accounting): when earlier requests are above their nominal value (a loss
        /// since they asked) and a new one is valued below its own (rounding, the virtual
        /// offset), the sum can tip the queue to being owed its caps — erring towards the
        /// queue, by no more than that shortfall.
        #[test]
        fn requests_take_from_those_who_stay_at_most_their_rounding(ledger in arb_running_ledger(), share in 1u128..=100) {
            let lrt = ledger.lrt_supply.multiply_ratio(share, 100u128);
            if lrt.is_zero() || lrt == ledger.lrt_supply {
                return Ok(());
            }
            let stayers = ledger.lrt_supply - lrt;
            let nominal = ledger.nominal_pool().unwrap();
            let nominal_value = lrt.multiply_ratio(nominal.assets, nominal.shares);
            let before = ledger.pool().unwrap().assets_for_redeem(stayers).unwrap();
            let mut after = ledger;
            let request = after.request_withdrawal(lrt).unwrap();
            let now = after.pool().unwrap().assets_for_redeem(stayers).unwrap();
            let shortfall = nominal_value.saturating_sub(request.value_at_request);
            prop_assert!(now + shortfall + u(1) >= before,
                "stayers' value {before} -> {now}, request short of nominal by {shortfall}");
        }

        /// The queue is never owed more than its caps, nor more than the vault holds.
        #[test]
        fn the_queue_is_owed_at_most_its_caps(ledger in arb_ledger()) {
            let owed = ledger.queue_owed().unwrap();
            prop_assert!(owed <= ledger.queue.pending_cap);
            prop_assert!(owed <= ledger.total_value().unwrap());
        }
    }
}
