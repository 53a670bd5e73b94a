//! The crank's optional steps. Each is sent as a submessage that replies only on error: a step
//! the chain refuses (a pool call beyond its slippage bound, a paused registry, a full hub, ...)
//! is undone on its own and reported, and the crank goes on with the rest — above all, it still
//! finalizes what is due. A crank never reverts because an optional step cannot be done.

use cosmwasm_std::{CosmosMsg, DepsMut, Env, Reply, Response, SubMsg, SubMsgResult};

use crate::state::STATE;
use crate::ContractError;

/// An optional step of the crank (the reply id is the step's number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Claiming service rewards from the registry.
    ClaimRewards = 10,
    /// Completing due undelegations in the registry.
    CompleteUndelegations = 11,
    /// Bonding native rewards through the hub.
    RewardBond = 12,
    /// Depositing LST into a strategy.
    StrategyDeposit = 13,
    /// Withdrawing LST from a strategy.
    StrategyWithdraw = 14,
    /// Delegating LST to an operator.
    Delegate = 15,
    /// Undelegating LST from an operator.
    Undelegate = 16,
}

impl Step {
    const ALL: [Step; 7] = [
        Step::ClaimRewards,
        Step::CompleteUndelegations,
        Step::RewardBond,
        Step::StrategyDeposit,
        Step::StrategyWithdraw,
        Step::Delegate,
        Step::Undelegate,
    ];

    /// The step's name in the `skipped` attribute.
    pub fn name(self) -> &'static str {
        match self {
            Step::ClaimRewards => "claim_rewards",
            Step::CompleteUndelegations => "complete_undelegations",
            Step::RewardBond => "reward_bond",
            Step::StrategyDeposit => "strategy_deposit",
            Step::StrategyWithdraw => "strategy_withdraw",
            Step::Delegate => "delegate",
            Step::Undelegate => "undelegate",
        }
    }

    /// The step whose reply id is `id`.
    pub fn from_id(id: u64) -> Option<Step> {
        Step::ALL.into_iter().find(|step| *step as u64 == id)
    }
}

/// `msg` as an optional step: on failure its effects are undone and [`reply`] reports it.
pub fn optional(msg: impl Into<CosmosMsg>, step: Step) -> SubMsg {
    SubMsg::reply_on_error(msg, step as u64)
}

/// `msg` as a required part of the crank (its failure fails the crank).
pub fn required(msg: impl Into<CosmosMsg>) -> SubMsg {
    SubMsg::new(msg)
}

/// The reply to a failed optional step: the crank continues; the event says what was skipped
/// and why. A strategy that refused to give LST back is remembered, so the next cranks find
/// liquidity with the operators instead.
pub fn reply(deps: DepsMut, env: Env, step: Step, msg: Reply) -> Result<Response, ContractError> {
    let reason = match msg.result {
        SubMsgResult::Err(reason) => reason,
        SubMsgResult::Ok(_) => return Ok(Response::new()),
    };
    if step == Step::StrategyWithdraw {
        let mut state = STATE.load(deps.storage)?;
        state.strategy_exit_failed_at = Some(env.block.time);
        STATE.save(deps.storage, &state)?;
    }
    Ok(Response::new()
        .add_attribute("action", "crank_step_skipped")
        .add_attribute("skipped", step.name())
        .add_attribute("reason", reason))
}
