//! User commands: stake, unstake, claim, restake, withdraw, delegate, balance.

use cosmwasm_std::{to_json_binary, Uint128};
use serde::Serialize;
use tributary_cli::client::Api;
use tributary_cli::table::{render, tokens};
use tributary_cli::units::parse_tokens;
use tributary_client::{native, Balances, Chain, TxResponse};
use tributary_types::hub::{
    ExecuteMsg as HubMsg, QueryMsg as HubQuery, ReceiveMsg as HubReceive, UnbondRequestsResponse,
};
use tributary_types::vault::{
    ExecuteMsg as VaultMsg, PositionResponse, QueryMsg as VaultQuery, ReceiveMsg as VaultReceive,
};

/// The value of the first event attribute `key` in a transaction result.
fn attr(res: &TxResponse, key: &str) -> String {
    res.attr(key).unwrap_or("?").to_string()
}

fn amount_of(res: &TxResponse, key: &str) -> String {
    attr(res, key)
        .parse::<u128>()
        .map(tokens)
        .unwrap_or_else(|_| "?".into())
}

fn print(json_out: bool, res: &impl Serialize, line: String) {
    if json_out {
        println!("{}", serde_json::to_string_pretty(res).unwrap_or_default());
        return;
    }
    // a transaction on a chain that meters gas says what it used
    let gas = serde_json::to_value(res)
        .ok()
        .and_then(|v| v.get("gas_used").and_then(serde_json::Value::as_u64));
    match gas {
        Some(gas) => println!("{line} (gas used: {})", tributary_client::thousands(gas)),
        None => println!("{line}"),
    }
}

/// Sends `amount` of a cw20 token (by contract name) to the contract `to` with a hook.
fn send(
    api: &Api,
    from: &str,
    token: &str,
    to: &str,
    amount: u128,
    hook: &impl Serialize,
) -> anyhow::Result<TxResponse> {
    let msg = cw20::Cw20ExecuteMsg::Send {
        contract: api.contract_address(to)?,
        amount: Uint128::new(amount),
        msg: to_json_binary(hook)?,
    };
    Ok(api.execute(from, token, &msg, &[])?)
}

/// Stake native tokens in the hub for LST.
#[derive(clap::Args, Debug)]
pub struct Stake {
    /// Amount of native tokens (for example 100 or 2.5).
    pub amount: String,
    /// Account that stakes.
    #[arg(long)]
    pub from: String,
    /// Least LST accepted.
    #[arg(long)]
    pub min_out: Option<String>,
}

pub fn stake(api: &Api, a: Stake, json_out: bool) -> anyhow::Result<()> {
    let amount = parse_tokens(&a.amount).map_err(anyhow::Error::msg)?;
    let min_out = a
        .min_out
        .map(|m| parse_tokens(&m).map(Uint128::new))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let res = api.execute(&a.from, "hub", &HubMsg::Bond { min_out }, &native(amount))?;
    let line = format!(
        "staked {} -> {} LST",
        tokens(amount),
        amount_of(&res, "lst_minted")
    );
    print(json_out, &res, line);
    Ok(())
}

/// Unstake LST: through the next unbond batch (full value after the unbonding time) or
/// instantly through the pool (at the market price).
#[derive(clap::Args, Debug)]
pub struct Unstake {
    /// Amount of LST.
    pub amount: String,
    /// Account that unstakes.
    #[arg(long)]
    pub from: String,
    /// Sell through the pool now instead of waiting.
    #[arg(long)]
    pub instant: bool,
    /// With --instant: least native accepted.
    #[arg(long)]
    pub min_out: Option<String>,
}

pub fn unstake(api: &Api, a: Unstake, json_out: bool) -> anyhow::Result<()> {
    let amount = parse_tokens(&a.amount).map_err(anyhow::Error::msg)?;
    let hook = if a.instant {
        let min_out = a
            .min_out
            .map(|m| parse_tokens(&m).map(Uint128::new))
            .transpose()
            .map_err(anyhow::Error::msg)?;
        HubReceive::InstantUnstake { min_out }
    } else {
        HubReceive::Unbond { receiver: None }
    };
    let res = send(api, &a.from, "lst", "hub", amount, &hook)?;
    let line = if a.instant {
        format!(
            "sold {} LST in the pool for {} native",
            tokens(amount),
            amount_of(&res, "return_amount")
        )
    } else {
        format!(
            "unbonding {} LST in batch {}; claim after the batch's unbonding time (`tributary balance {}`)",
            tokens(amount),
            attr(&res, "batch_id"),
            a.from
        )
    };
    print(json_out, &res, line);
    Ok(())
}

/// Claim native from unbond batches that have matured.
#[derive(clap::Args, Debug)]
pub struct Claim {
    /// Account that claims.
    #[arg(long)]
    pub from: String,
}

pub fn claim(api: &Api, a: Claim, json_out: bool) -> anyhow::Result<()> {
    let res = api.execute(&a.from, "hub", &HubMsg::Claim {}, &[])?;
    let line = format!("claimed {} native", amount_of(&res, "amount"));
    print(json_out, &res, line);
    Ok(())
}

/// Restake: deposit native (bonded through the hub) or LST into the vault for LRT.
#[derive(clap::Args, Debug)]
pub struct Restake {
    /// Amount (native, or LST with --lst).
    pub amount: String,
    /// Account that restakes.
    #[arg(long)]
    pub from: String,
    /// Deposit LST instead of native.
    #[arg(long)]
    pub lst: bool,
}

pub fn restake(api: &Api, a: Restake, json_out: bool) -> anyhow::Result<()> {
    let amount = parse_tokens(&a.amount).map_err(anyhow::Error::msg)?;
    let res = if a.lst {
        let hook = VaultReceive::Deposit { min_out: None };
        send(api, &a.from, "lst", "vault", amount, &hook)?
    } else {
        let msg = VaultMsg::Deposit { min_out: None };
        api.execute(&a.from, "vault", &msg, &native(amount))?
    };
    let line = format!(
        "restaked {} -> {} LRT",
        tokens(amount),
        amount_of(&res, "lrt_minted")
    );
    print(json_out, &res, line);
    Ok(())
}

/// Withdraw from the vault: request (burns LRT; finalized after the withdrawal delay) or claim
/// finalized withdrawals (in LST, or unbonded through the hub with --unbond).
#[derive(clap::Args, Debug)]
pub struct Withdraw {
    /// Amount of LRT to withdraw (omit with --claim).
    pub amount: Option<String>,
    /// Account that withdraws.
    #[arg(long)]
    pub from: String,
    /// Claim finalized withdrawals instead of requesting one.
    #[arg(long)]
    pub claim: bool,
    /// With --claim: unbond the LST through the hub instead of receiving it.
    #[arg(long)]
    pub unbond: bool,
}

pub fn withdraw(api: &Api, a: Withdraw, json_out: bool) -> anyhow::Result<()> {
    if a.claim {
        let msg = VaultMsg::ClaimWithdrawals { unbond: a.unbond };
        let res = api.execute(&a.from, "vault", &msg, &[])?;
        let line = format!(
            "claimed {} LST{}",
            amount_of(&res, "lst"),
            if a.unbond {
                " (unbonding through the hub)"
            } else {
                ""
            }
        );
        print(json_out, &res, line);
        return Ok(());
    }
    let amount = a
        .amount
        .ok_or_else(|| anyhow::anyhow!("give an amount of LRT, or --claim"))
        .and_then(|t| parse_tokens(&t).map_err(anyhow::Error::msg))?;
    let hook = VaultReceive::RequestWithdrawal {};
    let res = send(api, &a.from, "lrt", "vault", amount, &hook)?;
    // `finalize_at` is a timestamp (`seconds.nanos`)
    let finalize_at = attr(&res, "finalize_at")
        .split('.')
        .next()
        .and_then(|s| s.parse::<u64>().ok());
    let when = match finalize_at {
        Some(at) => tributary_client::human_when(at, api.block()?.time),
        None => "?".to_string(),
    };
    let line = format!(
        "withdrawal {} of {} LRT requested; finalized from {when}",
        attr(&res, "withdrawal_id"),
        tokens(amount),
    );
    print(json_out, &res, line);
    Ok(())
}

/// Traditional staking, for comparison: delegate native directly to a validator.
#[derive(clap::Args, Debug)]
pub struct Delegate {
    /// Amount of native tokens.
    pub amount: String,
    /// Validator to delegate to.
    #[arg(long)]
    pub validator: String,
    /// Account that delegates.
    #[arg(long)]
    pub from: String,
}

pub fn delegate(api: &Api, a: Delegate, json_out: bool) -> anyhow::Result<()> {
    let amount = parse_tokens(&a.amount).map_err(anyhow::Error::msg)?;
    let res = api.delegate(&a.from, &a.validator, amount)?;
    print(
        json_out,
        &res,
        format!("delegated {} to {}", tokens(amount), a.validator),
    );
    Ok(())
}

/// An account's balances and positions: native, LST, LRT, unbonding and withdrawals.
#[derive(clap::Args, Debug)]
pub struct Balance {
    /// Account name or address.
    pub account: String,
}

/// `tributary balance --json`.
#[derive(Serialize)]
struct BalanceReport {
    balances: Balances,
    unbonding: UnbondRequestsResponse,
    restaking: PositionResponse,
}

pub fn balance(api: &Api, a: Balance, json_out: bool) -> anyhow::Result<()> {
    let b = api.balances(&a.account)?;
    let user = b.address.clone();
    let unbonding: UnbondRequestsResponse =
        api.query("hub", &HubQuery::UnbondRequests { user: user.clone() })?;
    let position: PositionResponse = api.query("vault", &VaultQuery::Position { user })?;
    let t = |v: Uint128| tokens(v.u128());
    let rows = vec![
        vec!["native".into(), t(b.native)],
        vec!["LST".into(), t(b.lst)],
        vec!["LRT".into(), t(b.lrt)],
        vec!["LRT value (native)".into(), t(position.value_native)],
        vec![
            "unbond requests".into(),
            unbonding.requests.len().to_string(),
        ],
        vec![
            "claimable from the hub (native)".into(),
            t(unbonding.claimable),
        ],
        vec![
            "vault withdrawals".into(),
            position.withdrawals.len().to_string(),
        ],
        vec![
            "claimable from the vault (LST)".into(),
            t(position.claimable),
        ],
    ];
    if json_out {
        let report = BalanceReport {
            balances: b,
            unbonding,
            restaking: position,
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!("{}", render(&[&a.account, ""], &rows));
    Ok(())
}
