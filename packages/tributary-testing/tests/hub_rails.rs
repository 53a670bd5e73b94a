//! Issue 11, the hub's rails: the APR ceiling on the exchange rate, protective mode on a fall of
//! the rate (automatic pauses and bunker mode), the guardian, and the depeg pause.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cosmwasm_std::{Decimal, Uint128};
use tributary_hub::ContractError;
use tributary_testing::{event_attr, event_attr_of, CommonError, Suite, SuiteBuilder};
use tributary_types::hub::{
    BatchStatus, ExecuteMsg, GuardianUpdate, PauseCause, PauseFlags, Rails,
};

const DAY: u64 = 86_400;
const YEAR: u128 = 31_536_000;

fn paused(operation: &str) -> CommonError {
    CommonError::Paused {
        operation: operation.into(),
    }
}

/// The rate as an exact pair (assets, LST counted in it).
fn rate_pair(suite: &Suite) -> (u128, u128) {
    let s = suite.state();
    (
        s.total_native.u128(),
        s.lst_supply.u128() + s.pending_unbond_lst.u128(),
    )
}

#[test]
fn the_rate_rises_no_faster_than_the_apr_ceiling() {
    // the suite's chain pays 36.5 % a year; the hub's default ceiling is 20 %
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 10_000_000_000)
        .build();
    assert_eq!(suite.config().rails, Rails::default());
    suite.bond("alice", 3_000_000_000).unwrap();
    suite.advance_days(1);
    // the first crank anchors the ceiling
    suite.crank().unwrap();
    let (a0, l0) = rate_pair(&suite);
    assert_eq!(suite.state().withheld.u128(), 0);

    suite.advance_days(1);
    let state = suite.state();
    let (a1, l1) = rate_pair(&suite);
    assert_eq!(l1, l0);
    // a day of rewards on 3,003,000,000: 3,003,000, 2,702,700 net of the 10 % fee; the ceiling
    // lets a day at 20 % count, on the share pool's rate (virtual offset 1e6):
    // 3,004,000,000 × 0.2 × 86,400 / 31,536,000 = 1,646,027.4, rounded up
    assert_eq!(a0, 3_003_000_000);
    let allowed = (a0 + 1_000_000) * 2_000 * u128::from(DAY) / (10_000 * YEAR) + 1;
    assert_eq!(allowed, 1_646_028);
    assert_eq!(a1, a0 + allowed);
    // the rest is withheld, not lost: 2,702,700 − 1,646,028
    assert_eq!(state.withheld.u128(), 1_056_672);
    assert_eq!(a1 + state.withheld.u128(), a0 + 2_702_700);

    // the crank compounds everything, withheld included: it is delegated (backed) but not
    // counted in the rate
    suite.crank().unwrap();
    let state = suite.state();
    let delegated = suite.total_delegated();
    assert_eq!(delegated, 3_006_003_000);
    assert_eq!(state.withheld.u128(), 1_056_672);
    assert_eq!(state.total_native.u128(), 3_004_946_328);
    // never counted twice: what the rate counts plus what is withheld is what is delegated
    assert_eq!(state.total_native.u128() + state.withheld.u128(), delegated);
}

/// A 10 % slash of one of three validators (a 3.35 % fall of the rate, above the 1 % threshold):
/// the loss is booked in full, bonds and instant unstaking pause, bunker mode defers the
/// pending batch for two quiet cranks; unbonding and claims keep working throughout.
#[test]
fn a_mass_slash_pauses_minting_and_defers_the_batch_until_bunker_ends() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 10_000_000_000)
        .with_funds("bob", 10_000_000_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    suite.bond("bob", 3_000_000_000).unwrap();
    // alice's first batch is priced before the slash and matures
    suite.unbond("alice", 300_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    assert_eq!(suite.batch(1).status, BatchStatus::Unbonding);
    suite.advance_days(21);
    suite.crank().unwrap();
    assert_eq!(suite.batch(1).status, BatchStatus::Claimable);

    // bob asks to leave, then a validator is slashed 10 % before the next crank
    suite.unbond("bob", 600_000_000).unwrap();
    let rate_before = suite.state().exchange_rate;
    suite.slash_validator("validator1", Decimal::percent(10));
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    // the loss is booked: the rate falls (never hidden), by 3.35 % (validator1 holds a bit over
    // a third of the stake after the first batch's undelegations)
    let state = suite.state();
    assert!(state.exchange_rate < rate_before);
    let drop_bps: u16 = event_attr_of(&res, "wasm-auto_pause", "drop_bps")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(drop_bps, 335);
    assert_eq!(
        event_attr_of(&res, "wasm-auto_pause", "reason").as_deref(),
        Some("rate_drop")
    );
    assert_eq!(
        event_attr_of(&res, "wasm-bunker", "status").as_deref(),
        Some("entered")
    );
    // bonds and instant unstaking pause; unbond, claim and crank do not
    let config = suite.config();
    assert_eq!(
        config.paused,
        PauseFlags {
            bond: true,
            instant_unstake: true,
            ..PauseFlags::default()
        }
    );
    assert_eq!(
        config.pause_cause,
        Some(PauseCause {
            reason: "rate_drop".into(),
            at: suite.app.block_info().time,
        })
    );
    let bunker = state.bunker.clone().unwrap();
    assert_eq!(bunker.since, suite.app.block_info().time);
    assert_eq!(bunker.quiet_cranks, 0);
    // the batch was due (interval passed) but is not priced in bunker mode
    assert_eq!(
        event_attr(&res, "batch_deferred").as_deref(),
        Some("bunker")
    );
    assert_eq!(suite.batch(2).status, BatchStatus::Pending);
    assert_eq!(state.pending_unbond_lst.u128(), 600_000_000);
    suite.assert_fails_unchanged("alice", paused("bond"), |s| s.bond("alice", 1_000_000));
    // exits that are always safe keep working: alice claims her batch priced before the
    // slash, and unbonds more (into the deferred batch)
    let claimable = suite.unbond_requests("alice").claimable.u128();
    assert!(claimable > 0);
    suite.claim("alice").unwrap();
    suite.unbond("alice", 100_000_000).unwrap();

    // first quiet crank: still in bunker, still deferred
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert_eq!(
        event_attr(&res, "batch_deferred").as_deref(),
        Some("bunker")
    );
    assert_eq!(suite.state().bunker.unwrap().quiet_cranks, 1);

    // second quiet crank: bunker ends and the same crank prices the batch, after the loss
    suite.advance_days(1);
    let rate = suite.state().exchange_rate;
    let res = suite.crank().unwrap();
    assert_eq!(
        event_attr_of(&res, "wasm-bunker", "status").as_deref(),
        Some("ended")
    );
    assert_eq!(event_attr(&res, "submitted_batch").as_deref(), Some("2"));
    assert_eq!(suite.state().bunker, None);
    let batch = suite.batch(2);
    assert_eq!(batch.status, BatchStatus::Unbonding);
    assert_eq!(batch.lst_amount.u128(), 700_000_000);
    // priced at the rate after the loss (those who left share it with those who stay)
    assert!(batch.native_amount <= Uint128::new(700_000_000).mul_floor(rate));

    // bonds stay paused until the owner unpauses
    suite.assert_fails_unchanged("alice", paused("bond"), |s| s.bond("alice", 1_000_000));
    suite
        .execute("owner", &ExecuteMsg::SetPause(PauseFlags::default()))
        .unwrap();
    assert_eq!(suite.config().pause_cause, None);
    suite.bond("alice", 1_000_000).unwrap();
}

/// A slash below the threshold is booked without protective mode.
#[test]
fn a_small_slash_is_booked_without_pausing() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    // 2 % of one of three validators: a 0.67 % fall
    suite.slash_validator("validator1", Decimal::percent(2));
    suite.advance_days(1);
    let res = suite.crank().unwrap();
    assert_eq!(event_attr_of(&res, "wasm-auto_pause", "reason"), None);
    assert_eq!(suite.state().bunker, None);
    assert_eq!(suite.config().paused, PauseFlags::default());
    suite.bond("alice", 1_000_000).unwrap();
}

/// The guardian can pause bonds and instant unstaking, and nothing else: not unpause, not
/// touch unbonding, claims, the crank or the configuration.
#[test]
fn the_guardian_can_only_pause() {
    let mut suite = SuiteBuilder::new()
        .with_funds("alice", 10_000_000_000)
        .build();
    suite.bond("alice", 3_000_000_000).unwrap();
    let guardian = suite.addr("guardian").to_string();
    let only_the_owner = || CommonError::Unauthorized {
        reason: "only the owner may do this".into(),
    };
    // nobody is the guardian until the owner says so
    suite.assert_fails_unchanged("guardian", ContractError::NotGuardian {}, |s| {
        s.execute(
            "guardian",
            &ExecuteMsg::GuardianPause {
                bond: true,
                instant_unstake: true,
            },
        )
    });
    suite
        .execute(
            "owner",
            &ExecuteMsg::UpdateConfig {
                fee_addr: None,
                min_bond: None,
                max_rebalance_per_epoch: None,
                guardian: Some(GuardianUpdate::Set {
                    address: guardian.clone(),
                }),
                rails: None,
            },
        )
        .unwrap();
    assert_eq!(suite.config().guardian, Some(suite.addr("guardian")));
    // mallory is not the guardian
    suite.assert_fails_unchanged("mallory", ContractError::NotGuardian {}, |s| {
        s.execute(
            "mallory",
            &ExecuteMsg::GuardianPause {
                bond: true,
                instant_unstake: false,
            },
        )
    });
    // a pause of nothing is refused
    suite.assert_fails_unchanged("guardian", ContractError::NothingToPause {}, |s| {
        s.execute(
            "guardian",
            &ExecuteMsg::GuardianPause {
                bond: false,
                instant_unstake: false,
            },
        )
    });
    // the guardian pauses bonds
    suite
        .execute(
            "guardian",
            &ExecuteMsg::GuardianPause {
                bond: true,
                instant_unstake: false,
            },
        )
        .unwrap();
    let config = suite.config();
    assert_eq!(
        config.paused,
        PauseFlags {
            bond: true,
            ..PauseFlags::default()
        }
    );
    assert_eq!(config.pause_cause.unwrap().reason, "guardian");
    suite.assert_fails_unchanged("alice", paused("bond"), |s| s.bond("alice", 1_000_000));
    // and cannot unpause, nor change the configuration, nor the rails
    for msg in [
        ExecuteMsg::SetPause(PauseFlags::default()),
        ExecuteMsg::UpdateConfig {
            fee_addr: Some(guardian.clone()),
            min_bond: None,
            max_rebalance_per_epoch: None,
            guardian: None,
            rails: None,
        },
        ExecuteMsg::UpdateConfig {
            fee_addr: None,
            min_bond: None,
            max_rebalance_per_epoch: None,
            guardian: None,
            rails: Some(Rails {
                max_apr_bps: 10_000,
                ..Rails::default()
            }),
        },
        ExecuteMsg::QueueFeeChange { fee_bps: 3_000 },
    ] {
        suite.assert_fails_unchanged("guardian", only_the_owner(), |s| {
            s.execute("guardian", &msg)
        });
    }
    // a second guardian pause adds instant unstaking and leaves bonds paused
    suite
        .execute(
            "guardian",
            &ExecuteMsg::GuardianPause {
                bond: false,
                instant_unstake: true,
            },
        )
        .unwrap();
    assert_eq!(
        suite.config().paused,
        PauseFlags {
            bond: true,
            instant_unstake: true,
            ..PauseFlags::default()
        }
    );
    // unbonding, the crank and claims are never the guardian's to pause
    suite.unbond("alice", 100_000_000).unwrap();
    suite.advance_days(1);
    suite.crank().unwrap();
    suite.advance_days(21);
    suite.crank().unwrap();
    suite.claim("alice").unwrap();
    // the owner unpauses; then removes the guardian
    suite
        .execute("owner", &ExecuteMsg::SetPause(PauseFlags::default()))
        .unwrap();
    suite.bond("alice", 1_000_000).unwrap();
    suite
        .execute(
            "owner",
            &ExecuteMsg::UpdateConfig {
                fee_addr: None,
                min_bond: None,
                max_rebalance_per_epoch: None,
                guardian: Some(GuardianUpdate::Remove {}),
                rails: None,
            },
        )
        .unwrap();
    assert_eq!(suite.config().guardian, None);
}

/// Rails out of bounds are refused.
#[test]
fn invalid_rails_are_refused() {
    let mut suite = SuiteBuilder::new().build();
    let with = |rails: Rails| ExecuteMsg::UpdateConfig {
        fee_addr: None,
        min_bond: None,
        max_rebalance_per_epoch: None,
        guardian: None,
        rails: Some(rails),
    };
    let cases = [
        (
            Rails {
                max_apr_bps: 0,
                ..Rails::default()
            },
            "max_apr_bps must be at least 1",
        ),
        (
            Rails {
                max_drop_bps: 10_001,
                ..Rails::default()
            },
            "max_drop_bps must be between 1 and 10000",
        ),
        (
            Rails {
                depeg_pause_bps: 0,
                ..Rails::default()
            },
            "depeg_pause_bps must be between 1 and 10000",
        ),
        (
            Rails {
                bunker_epochs: 0,
                ..Rails::default()
            },
            "bunker_epochs must be at least 1",
        ),
    ];
    for (rails, reason) in cases {
        suite.assert_fails_unchanged("owner", CommonError::invalid_config(reason), |s| {
            s.execute("owner", &with(rails))
        });
    }
}

/// The crank pauses bonds and instant unstaking when the instant-unstake pool's moving-average
/// discount reaches `depeg_pause_bps`; instant unstaking refuses by itself before that crank.
#[test]
fn a_depeg_pauses_bonds_and_instant_unstaking() {
    const TOKEN: u128 = 1_000_000;
    let mut suite = SuiteBuilder::new()
        .with_validators(&[("validator1", 1, Decimal::zero())])
        .with_apr(Decimal::zero())
        .with_market(100_000 * TOKEN)
        .with_funds("mallory", 10_000_000 * TOKEN)
        .with_rails(Rails {
            depeg_pause_bps: 10,
            ..Rails::default()
        })
        .build();
    suite.bond("mallory", 1_000_000 * TOKEN).unwrap();
    // ten blocks of dumping LST into the pool drag its average about 17 bps below the rate
    for _ in 0..10 {
        suite.sell_lst("mallory", 50_000 * TOKEN, None).unwrap();
        suite.advance_time(5);
    }
    let discount = suite.peg().ema_discount_bps;
    assert!(discount >= 10, "{discount}");
    suite.assert_fails_unchanged(
        "mallory",
        ContractError::Depegged {
            ema_discount_bps: discount,
            limit_bps: 10,
        },
        |s| s.instant_unstake("mallory", TOKEN, None),
    );
    suite.advance_days(1);
    let discount = suite.peg().ema_discount_bps;
    let res = suite.crank().unwrap();
    assert_eq!(
        event_attr_of(&res, "wasm-auto_pause", "reason").as_deref(),
        Some("depeg")
    );
    assert_eq!(
        event_attr_of(&res, "wasm-auto_pause", "ema_discount_bps"),
        Some(discount.to_string())
    );
    let config = suite.config();
    assert!(config.paused.bond && config.paused.instant_unstake);
    assert!(!config.paused.unbond && !config.paused.claim && !config.paused.crank);
    assert_eq!(config.pause_cause.unwrap().reason, "depeg");
    suite.assert_fails_unchanged("mallory", paused("instant_unstake"), |s| {
        s.instant_unstake("mallory", TOKEN, None)
    });
    suite.assert_fails_unchanged("mallory", paused("bond"), |s| s.bond("mallory", TOKEN));
    // unbonding into a batch still works
    suite.unbond("mallory", TOKEN).unwrap();
}
