//! [`DevnetApi`]: the [`Chain`] over the devnet's HTTP JSON API (plain HTTP: the devnet is on
//! loopback).

use std::collections::BTreeMap;

use cosmwasm_std::{Coin, Decimal, Uint128};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    decode, encode, Balances, Block, Chain, ClientError, ClientResult, Delegation, StakingResponse,
    TxResponse,
};

/// Body of `POST /tx`.
#[derive(Serialize)]
struct TxRequest<'a> {
    sender: &'a str,
    contract: &'a str,
    msg: Value,
    funds: &'a [Coin],
}

/// Body of `POST /query`.
#[derive(Serialize)]
struct QueryRequest<'a> {
    contract: &'a str,
    msg: Value,
}

/// Body of `POST /advance`.
#[derive(Serialize)]
struct AdvanceRequest {
    seconds: u64,
}

/// Body of `POST /slash`.
#[derive(Serialize)]
struct SlashRequest<'a> {
    validator: &'a str,
    fraction: Decimal,
}

/// Body of `POST /fund`.
#[derive(Serialize)]
struct FundRequest<'a> {
    account: &'a str,
    amount: Uint128,
}

/// Body of `POST /delegate` and `POST /undelegate`.
#[derive(Serialize)]
struct StakeRequest<'a> {
    sender: &'a str,
    validator: &'a str,
    amount: Uint128,
}

/// Body of `POST /withdraw-rewards`.
#[derive(Serialize)]
struct WithdrawRewardsRequest<'a> {
    sender: &'a str,
    validator: &'a str,
}

/// The devnet's error body.
#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

/// `GET /health`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub height: u64,
    pub time: u64,
    /// Operations in the devnet's log.
    pub operations: u64,
}

/// The devnet's API at a base URL.
#[derive(Clone, Debug)]
pub struct DevnetApi {
    base: String,
    agent: ureq::Agent,
}

impl DevnetApi {
    /// The API at `base`, for example `http://127.0.0.1:26657`.
    pub fn new(base: &str) -> DevnetApi {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        DevnetApi {
            base: base.trim_end_matches('/').to_string(),
            agent,
        }
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn handle(
        &self,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> ClientResult<Value> {
        let mut response = result.map_err(|e| {
            ClientError::Unreachable(format!(
                "cannot reach the devnet at {} ({e}); is `tributary devnet` running?",
                self.base
            ))
        })?;
        let status = response.status();
        let body: Value = response.body_mut().read_json().map_err(|e| {
            ClientError::Decode(format!(
                "the devnet answered {status} with an unreadable body: {e}"
            ))
        })?;
        if status.is_success() {
            Ok(body)
        } else {
            let message = serde_json::from_value::<ErrorBody>(body)
                .map(|b| b.error)
                .unwrap_or_else(|_| "unknown error".to_string());
            Err(ClientError::Refused {
                status: status.as_u16(),
                message,
            })
        }
    }

    /// `GET path`, the answer as JSON.
    pub fn get(&self, path: &str) -> ClientResult<Value> {
        let result = self.agent.get(&format!("{}{path}", self.base)).call();
        self.handle(result)
    }

    /// `POST path` with a JSON body, the answer as JSON.
    pub fn post<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> ClientResult<Value> {
        let result = self
            .agent
            .post(&format!("{}{path}", self.base))
            .send_json(body);
        self.handle(result)
    }

    fn get_as<R: DeserializeOwned>(&self, path: &str) -> ClientResult<R> {
        decode(self.get(path)?)
    }

    fn post_as<B: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> ClientResult<R> {
        decode(self.post(path, body)?)
    }

    /// `GET /health`.
    pub fn health(&self) -> ClientResult<Health> {
        self.get_as("/health")
    }

    /// Every contract by name.
    pub fn contracts(&self) -> ClientResult<BTreeMap<String, String>> {
        self.get_as("/contracts")
    }
}

impl Chain for DevnetApi {
    fn execute<M: Serialize + ?Sized>(
        &self,
        sender: &str,
        contract: &str,
        msg: &M,
        funds: &[Coin],
    ) -> ClientResult<TxResponse> {
        self.post_as(
            "/tx",
            &TxRequest {
                sender,
                contract,
                msg: encode(msg)?,
                funds,
            },
        )
    }

    fn query<Q: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
    ) -> ClientResult<R> {
        self.post_as(
            "/query",
            &QueryRequest {
                contract,
                msg: encode(msg)?,
            },
        )
    }

    fn block(&self) -> ClientResult<Block> {
        let h = self.health()?;
        Ok(Block {
            height: h.height,
            time: h.time,
        })
    }

    fn advance_time(&self, seconds: u64) -> ClientResult<Block> {
        self.post_as("/advance", &AdvanceRequest { seconds })
    }

    fn balances(&self, account: &str) -> ClientResult<Balances> {
        self.get_as(&format!("/accounts/{account}"))
    }

    fn contract_address(&self, name: &str) -> ClientResult<String> {
        self.contracts()?
            .remove(name)
            .ok_or_else(|| ClientError::Refused {
                status: 404,
                message: format!("the devnet has no contract {name:?}"),
            })
    }

    fn delegate(
        &self,
        sender: &str,
        validator: &str,
        amount: u128,
    ) -> ClientResult<StakingResponse> {
        self.post_as(
            "/delegate",
            &StakeRequest {
                sender,
                validator,
                amount: Uint128::new(amount),
            },
        )
    }

    fn undelegate(
        &self,
        sender: &str,
        validator: &str,
        amount: u128,
    ) -> ClientResult<StakingResponse> {
        self.post_as(
            "/undelegate",
            &StakeRequest {
                sender,
                validator,
                amount: Uint128::new(amount),
            },
        )
    }

    fn withdraw_rewards(&self, sender: &str, validator: &str) -> ClientResult<StakingResponse> {
        self.post_as(
            "/withdraw-rewards",
            &WithdrawRewardsRequest { sender, validator },
        )
    }

    fn delegation(&self, account: &str, validator: &str) -> ClientResult<Delegation> {
        self.get_as(&format!("/accounts/{account}/delegations/{validator}"))
    }

    fn fund(&self, account: &str, amount: u128) -> ClientResult<()> {
        self.post(
            "/fund",
            &FundRequest {
                account,
                amount: Uint128::new(amount),
            },
        )
        .map(|_| ())
    }

    fn slash_validator(&self, validator: &str, fraction: Decimal) -> ClientResult<()> {
        self.post(
            "/slash",
            &SlashRequest {
                validator,
                fraction,
            },
        )
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests;
