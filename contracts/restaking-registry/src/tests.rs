//! Unit tests of the entry points against mock storage: validation, guards (typed errors) and
//! queries. The state transitions themselves are tested in `tributary_core::registry`; the
//! whole flows with a chain in `tributary-testing`.

use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    coins, from_json, to_json_binary, Addr, Env, OwnedDeps, Response, Timestamp, Uint128,
};
use cw20::Cw20ReceiveMsg;
use tributary_common::CommonError;
use tributary_core::registry::RegistryError;
use tributary_core::{Delayed, DelayedChange};
use tributary_types::registry::{
    ExecuteMsg, InstantiateMsg, OperatorResponse, QueryMsg, ReceiveMsg, RegistryConfigResponse,
    RegistryPauseFlags, SlashRequestResponse, SlashStatus,
};

use crate::contract::{execute, instantiate, query};
use crate::ContractError;

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

const DAY: u64 = 24 * 3600;

fn addr(deps: &Deps, name: &str) -> Addr {
    deps.api.addr_make(name)
}

fn instantiate_msg(deps: &Deps) -> InstantiateMsg {
    InstantiateMsg {
        owner: addr(deps, "owner").to_string(),
        lst_token: addr(deps, "lst").to_string(),
        reward_denom: "untrn".to_string(),
        epoch_period: DAY,
        withdrawal_delay: 7 * DAY,
        opt_out_delay: 7 * DAY,
        reward_period: 7 * DAY,
        max_commission_bps: 5_000,
        commission_change_delay: 3 * DAY,
    }
}

fn env_at(seconds: u64) -> Env {
    let mut env = mock_env();
    env.block.time = Timestamp::from_seconds(seconds);
    env
}

fn setup() -> Deps {
    let mut deps = mock_dependencies();
    let msg = instantiate_msg(&deps);
    let owner = addr(&deps, "owner");
    instantiate(deps.as_mut(), env_at(0), message_info(&owner, &[]), msg).unwrap();
    deps
}

fn exec(
    deps: &mut Deps,
    sender: &str,
    msg: ExecuteMsg,
    now: u64,
) -> Result<Response, ContractError> {
    let sender = addr(deps, sender);
    execute(deps.as_mut(), env_at(now), message_info(&sender, &[]), msg)
}

fn delegate_msg(deps: &Deps, delegator: &str, operator: &str, amount: u128) -> ExecuteMsg {
    ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: addr(deps, delegator).to_string(),
        amount: Uint128::new(amount),
        msg: to_json_binary(&ReceiveMsg::Delegate {
            operator: addr(deps, operator).to_string(),
        })
        .unwrap(),
    })
}

/// An operator `op` with 10 % commission, and a service (id 1) administered by `admin` that
/// approved it, with `op` opted in at 50 % and 10,000 LST delegated by `alice`.
fn with_service(deps: &mut Deps) {
    exec(
        deps,
        "op",
        ExecuteMsg::RegisterOperator {
            name: "op".to_string(),
            commission_bps: 1_000,
        },
        0,
    )
    .unwrap();
    let resolver = addr(deps, "resolver").to_string();
    let sink = addr(deps, "sink").to_string();
    exec(
        deps,
        "admin",
        ExecuteMsg::RegisterService {
            name: "oracle".to_string(),
            reward_rate_bps: 500,
            max_slash_bps_per_epoch: 1_000,
            veto_window: DAY,
            resolver,
            slash_destination: sink,
        },
        0,
    )
    .unwrap();
    let operator = addr(deps, "op").to_string();
    exec(
        deps,
        "admin",
        ExecuteMsg::ApproveOperator {
            service: 1,
            operator,
        },
        0,
    )
    .unwrap();
    exec(deps, "op", ExecuteMsg::OptIn { service: 1 }, 0).unwrap();
    exec(
        deps,
        "op",
        ExecuteMsg::SetAllocation {
            service: 1,
            bps: 5_000,
        },
        0,
    )
    .unwrap();
    let msg = delegate_msg(deps, "alice", "op", 10_000);
    exec(deps, "lst", msg, 0).unwrap();
}

#[test]
fn instantiate_validates_its_parameters() {
    type Change = fn(&mut InstantiateMsg);
    let cases: Vec<(Change, ContractError)> = vec![
        (
            |m| m.epoch_period = 0,
            CommonError::invalid_config("epoch_period must be positive").into(),
        ),
        (
            |m| m.reward_period = 0,
            CommonError::invalid_config("reward_period must be positive").into(),
        ),
        (
            |m| m.withdrawal_delay = 61 * DAY,
            CommonError::invalid_config("withdrawal_delay may be at most 60 epochs").into(),
        ),
        (
            |m| m.reward_denom = String::new(),
            CommonError::invalid_config("reward_denom must not be empty").into(),
        ),
        (
            |m| m.max_commission_bps = 10_001,
            CommonError::FeeTooHigh {
                fee_bps: 10_001,
                max_bps: 10_000,
            }
            .into(),
        ),
    ];
    for (change, expected) in cases {
        let mut deps = mock_dependencies();
        let mut msg = instantiate_msg(&deps);
        change(&mut msg);
        let owner = addr(&deps, "owner");
        let err =
            instantiate(deps.as_mut(), env_at(0), message_info(&owner, &[]), msg).unwrap_err();
        assert_eq!(err, expected);
    }
    let mut deps = mock_dependencies();
    let mut msg = instantiate_msg(&deps);
    msg.lst_token = "not an address".to_string();
    let owner = addr(&deps, "owner");
    let err = instantiate(deps.as_mut(), env_at(0), message_info(&owner, &[]), msg).unwrap_err();
    assert!(matches!(
        err,
        ContractError::Common(CommonError::InvalidAddress { .. })
    ));
}

#[test]
fn config_query_reports_the_parameters() {
    let deps = setup();
    let config: RegistryConfigResponse =
        from_json(query(deps.as_ref(), env_at(0), QueryMsg::Config {}).unwrap()).unwrap();
    assert_eq!(config.lst_token, addr(&deps, "lst").to_string());
    assert_eq!(config.epoch_period, DAY);
    assert_eq!(config.max_commission_bps, 5_000);
    assert_eq!(config.paused, RegistryPauseFlags::default());
}

#[test]
fn execute_guards_return_typed_errors() {
    let mut deps = setup();
    with_service(&mut deps);
    // only the LST may be delegated
    let msg = delegate_msg(&deps, "alice", "op", 1);
    let err = exec(&mut deps, "fake", msg, 0).unwrap_err();
    assert!(matches!(
        err,
        ContractError::Common(CommonError::WrongToken { .. })
    ));
    // zero amounts
    let msg = delegate_msg(&deps, "alice", "op", 0);
    assert_eq!(
        exec(&mut deps, "lst", msg, 0).unwrap_err(),
        ContractError::Common(CommonError::ZeroAmount {})
    );
    let operator = addr(&deps, "op").to_string();
    assert_eq!(
        exec(
            &mut deps,
            "alice",
            ExecuteMsg::Undelegate {
                operator,
                amount: Uint128::zero()
            },
            0
        )
        .unwrap_err(),
        ContractError::Common(CommonError::ZeroAmount {})
    );
    // the owner alone pauses; a paused delegation is refused
    let pause = ExecuteMsg::SetPause(RegistryPauseFlags {
        delegate: true,
        undelegate: false,
        rewards: false,
    });
    assert!(matches!(
        exec(&mut deps, "alice", pause.clone(), 0).unwrap_err(),
        ContractError::Common(CommonError::Unauthorized { .. })
    ));
    exec(&mut deps, "owner", pause, 0).unwrap();
    let msg = delegate_msg(&deps, "alice", "op", 1_000);
    assert_eq!(
        exec(&mut deps, "lst", msg, 0).unwrap_err(),
        ContractError::Common(CommonError::Paused {
            operation: "delegate".to_string()
        })
    );
    // commissions above the maximum
    assert_eq!(
        exec(
            &mut deps,
            "op",
            ExecuteMsg::QueueCommissionChange {
                commission_bps: 5_001
            },
            0
        )
        .unwrap_err(),
        ContractError::Common(CommonError::FeeTooHigh {
            fee_bps: 5_001,
            max_bps: 5_000
        })
    );
    assert_eq!(
        exec(
            &mut deps,
            "op",
            ExecuteMsg::RegisterOperator {
                name: "again".to_string(),
                commission_bps: 0
            },
            0
        )
        .unwrap_err(),
        ContractError::OperatorExists {
            address: addr(&deps, "op").to_string()
        }
    );
}

#[test]
fn slash_guards_return_typed_errors() {
    let mut deps = setup();
    with_service(&mut deps);
    let operator = addr(&deps, "op").to_string();
    let request = |fraction_bps: u16| ExecuteMsg::RequestSlash {
        service: 1,
        operator: operator.clone(),
        fraction_bps,
        reason: "double sign".to_string(),
    };
    assert!(matches!(
        exec(&mut deps, "alice", request(100), 0).unwrap_err(),
        ContractError::Common(CommonError::Unauthorized { .. })
    ));
    assert_eq!(
        exec(&mut deps, "admin", request(0), 0).unwrap_err(),
        ContractError::Registry(RegistryError::InvalidFraction { bps: 0 })
    );
    let stranger = addr(&deps, "stranger").to_string();
    assert_eq!(
        exec(
            &mut deps,
            "admin",
            ExecuteMsg::RequestSlash {
                service: 1,
                operator: stranger.clone(),
                fraction_bps: 100,
                reason: String::new(),
            },
            0
        )
        .unwrap_err(),
        ContractError::OperatorNotFound { address: stranger }
    );
    let mut deps = setup();
    with_service(&mut deps);
    exec(&mut deps, "admin", request(2_000), 0).unwrap();
    assert_eq!(
        exec(
            &mut deps,
            "anyone",
            ExecuteMsg::ExecuteSlash { request_id: 1 },
            10
        )
        .unwrap_err(),
        ContractError::Registry(RegistryError::VetoWindowOpen {
            id: 1,
            at: Timestamp::from_seconds(DAY)
        })
    );
    // nobody enters while it is pending
    let msg = delegate_msg(&deps, "bob", "op", 1_000);
    assert_eq!(
        exec(&mut deps, "lst", msg, 10).unwrap_err(),
        ContractError::SlashPending {
            operator: addr(&deps, "op").to_string()
        }
    );
    // half executes in this epoch (cap 10 % of 20 %), the rest waits for the next
    exec(
        &mut deps,
        "anyone",
        ExecuteMsg::ExecuteSlash { request_id: 1 },
        DAY,
    )
    .unwrap();
    assert_eq!(
        exec(
            &mut deps,
            "anyone",
            ExecuteMsg::ExecuteSlash { request_id: 1 },
            DAY + 1
        )
        .unwrap_err(),
        ContractError::Registry(RegistryError::SlashCapReached {
            next_epoch_at: Timestamp::from_seconds(2 * DAY)
        })
    );
    let response: SlashRequestResponse =
        from_json(query(deps.as_ref(), env_at(DAY), QueryMsg::SlashRequest { id: 1 }).unwrap())
            .unwrap();
    assert_eq!(response.status, SlashStatus::Pending);
    assert_eq!(response.amount, Uint128::new(1_000));
    assert_eq!(response.executed_bps, 1_000);
    assert_eq!(response.slashed, Uint128::new(500));
    assert!(matches!(
        exec(
            &mut deps,
            "resolver",
            ExecuteMsg::VetoSlash { request_id: 1 },
            DAY
        )
        .unwrap_err(),
        ContractError::Registry(RegistryError::VetoWindowClosed { id: 1, .. })
    ));
}

#[test]
fn operator_query_shows_the_commission_and_its_queued_change() {
    let mut deps = setup();
    with_service(&mut deps);
    exec(
        &mut deps,
        "op",
        ExecuteMsg::QueueCommissionChange {
            commission_bps: 2_000,
        },
        100,
    )
    .unwrap();
    let operator = addr(&deps, "op").to_string();
    let at = |now: u64| -> OperatorResponse {
        from_json(
            query(
                deps.as_ref(),
                env_at(now),
                QueryMsg::Operator {
                    operator: operator.clone(),
                },
            )
            .unwrap(),
        )
        .unwrap()
    };
    let before = at(100);
    assert_eq!(before.stake, Uint128::new(10_000));
    assert_eq!(before.allocations.len(), 1);
    assert_eq!(before.allocations[0].amount, Uint128::new(5_000));
    assert_eq!(
        before.commission_bps,
        Delayed {
            current: 1_000,
            pending: Some(DelayedChange {
                value: 2_000,
                effective_at: Timestamp::from_seconds(100 + 3 * DAY)
            })
        }
    );
    assert_eq!(at(100 + 3 * DAY).commission_bps, Delayed::new(2_000));
}

#[test]
fn a_payment_streams_to_the_delegators_less_commission() {
    let mut deps = setup();
    with_service(&mut deps);
    let admin = addr(&deps, "admin");
    execute(
        deps.as_mut(),
        env_at(DAY),
        message_info(&admin, &coins(1_000, "untrn")),
        ExecuteMsg::DepositRewards { service: 1 },
    )
    .unwrap();
    let operator: OperatorResponse = from_json(
        query(
            deps.as_ref(),
            env_at(DAY),
            QueryMsg::Operator {
                operator: addr(&deps, "op").to_string(),
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(operator.commission_unclaimed, Uint128::new(100));
    assert_eq!(operator.rewards_streaming, Uint128::new(900));
    assert_eq!(operator.stream_ends_at, Timestamp::from_seconds(8 * DAY));
    // a payment covering no new time has nobody to pay
    let err = execute(
        deps.as_mut(),
        env_at(DAY),
        message_info(&admin, &coins(1_000, "untrn")),
        ExecuteMsg::DepositRewards { service: 1 },
    )
    .unwrap_err();
    assert_eq!(
        err,
        ContractError::Registry(RegistryError::NoAllocatedStake { service: 1 })
    );
}

#[test]
fn list_queries_are_paged() {
    let mut deps = setup();
    for index in 0..35 {
        exec(
            &mut deps,
            &format!("op{index}"),
            ExecuteMsg::RegisterOperator {
                name: format!("op{index}"),
                commission_bps: 0,
            },
            0,
        )
        .unwrap();
    }
    let page = |deps: &Deps, limit: Option<u32>| -> Vec<OperatorResponse> {
        from_json(
            query(
                deps.as_ref(),
                env_at(0),
                QueryMsg::Operators {
                    start_after: None,
                    limit,
                },
            )
            .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(page(&deps, None).len(), 10);
    assert_eq!(page(&deps, Some(100)).len(), 30);
}
