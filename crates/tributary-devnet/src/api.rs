//! The devnet's HTTP JSON API (axum). `app()` builds the router; errors are JSON
//! `{"error": ..., "status": ...}` with a status code for the kind of failure: 400 for a
//! malformed request, 404 for an unknown account/contract/validator, 422 when a contract (or
//! chain module) refuses the operation (nothing changed), 503 when the devnet cannot write.

use std::convert::Infallible;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cosmwasm_std::{Coin, Decimal, Uint128};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use tributary_client::http::Health;
use tributary_types::hub::QueryMsg as HubQuery;
use tributary_types::stableswap::QueryMsg as PoolQuery;
use tributary_types::vault::QueryMsg as VaultQuery;

use crate::chain::{ChainError, Op, DEMO_ACCOUNTS};
use crate::Devnet;

/// The OpenAPI description of this API.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// An API error: a status and a message, rendered as JSON.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl From<ChainError> for ApiError {
    fn from(e: ChainError) -> Self {
        let status = match &e {
            ChainError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ChainError::NotFound(_) => StatusCode::NOT_FOUND,
            ChainError::Rejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ChainError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        ApiError(status, e.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError(
            StatusCode::BAD_REQUEST,
            format!("bad request: {}", e.body_text()),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.1,
            status: self.0.as_u16(),
        };
        (self.0, Json(body)).into_response()
    }
}

/// The body of an error.
#[derive(serde::Serialize)]
struct ErrorBody {
    error: String,
    status: u16,
}

/// `GET /overview`: the block, the hub's and the vault's state, the vault's exposure, the peg.
#[derive(serde::Serialize)]
struct Overview {
    height: u64,
    time: u64,
    hub: serde_json::Value,
    vault: serde_json::Value,
    exposure: serde_json::Value,
    peg: serde_json::Value,
}

type ApiResult = Result<Json<serde_json::Value>, ApiError>;

/// The router over a shared devnet.
pub fn app(devnet: Devnet) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/overview", get(overview))
        .route("/contracts", get(contracts))
        .route("/accounts", get(accounts))
        .route("/accounts/{name}", get(account))
        .route("/accounts/{name}/delegations/{validator}", get(delegation))
        .route("/tx", post(tx))
        .route("/query", post(query))
        .route("/advance", post(advance))
        .route("/slash", post(slash))
        .route("/fund", post(fund))
        .route("/delegate", post(delegate))
        .route("/undelegate", post(undelegate))
        .route("/withdraw-rewards", post(withdraw_rewards))
        .route("/events", get(events))
        .route("/openapi.json", get(openapi))
        .with_state(devnet)
}

/// Applies and logs a write on the chain's thread.
async fn submit(devnet: Devnet, op: Op) -> ApiResult {
    Ok(Json(devnet.submit(op).await?))
}

async fn health(State(d): State<Devnet>) -> ApiResult {
    let (block, ops) = d.call(|w| (w.chain().block(), w.log_len())).await?;
    json(&Health {
        status: "ok".to_string(),
        height: block.height,
        time: block.time.seconds(),
        operations: ops,
    })
}

async fn overview(State(d): State<Devnet>) -> ApiResult {
    let out = d
        .call(|w| -> Result<Overview, ChainError> {
            let c = w.chain();
            let block = c.block();
            Ok(Overview {
                height: block.height,
                time: block.time.seconds(),
                hub: c.query("hub", &HubQuery::State {})?,
                vault: c.query("vault", &VaultQuery::State {})?,
                exposure: c.query("vault", &VaultQuery::Exposure {})?,
                peg: c.query("pool", &PoolQuery::Peg {})?,
            })
        })
        .await??;
    json(&out)
}

async fn contracts(State(d): State<Devnet>) -> ApiResult {
    let list = d
        .call(|w| {
            w.chain()
                .contracts()
                .into_iter()
                .map(|(n, a)| (n.to_string(), serde_json::Value::String(a.to_string())))
                .collect::<serde_json::Map<_, _>>()
        })
        .await?;
    Ok(Json(serde_json::Value::Object(list)))
}

async fn accounts(State(d): State<Devnet>) -> ApiResult {
    let list = d
        .call(|w| {
            DEMO_ACCOUNTS
                .iter()
                .map(|a| w.chain().balances(a))
                .collect::<Result<Vec<_>, _>>()
        })
        .await??;
    json(&list)
}

async fn account(State(d): State<Devnet>, Path(name): Path<String>) -> ApiResult {
    json(&d.call(move |w| w.chain().balances(&name)).await??)
}

async fn delegation(
    State(d): State<Devnet>,
    Path((name, validator)): Path<(String, String)>,
) -> ApiResult {
    let (amount, rewards) = d
        .call(move |w| w.chain().direct_delegation(&name, &validator))
        .await??;
    json(&tributary_client::Delegation {
        amount: Uint128::new(amount),
        rewards: Uint128::new(rewards),
    })
}

/// A typed answer as JSON.
fn json<T: serde::Serialize>(answer: &T) -> ApiResult {
    serde_json::to_value(answer)
        .map(Json)
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// Body of `POST /tx`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TxBody {
    sender: String,
    contract: String,
    msg: serde_json::Value,
    #[serde(default)]
    funds: Vec<Coin>,
}

async fn tx(State(d): State<Devnet>, body: Result<Json<TxBody>, JsonRejection>) -> ApiResult {
    let Json(b) = body?;
    submit(
        d,
        Op::Execute {
            sender: b.sender,
            contract: b.contract,
            msg: b.msg,
            funds: b.funds,
        },
    )
    .await
}

/// Body of `POST /query`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryBody {
    contract: String,
    msg: serde_json::Value,
}

async fn query(State(d): State<Devnet>, body: Result<Json<QueryBody>, JsonRejection>) -> ApiResult {
    let Json(b) = body?;
    Ok(Json(
        d.call(move |w| w.chain().query(&b.contract, &b.msg))
            .await??,
    ))
}

/// Body of `POST /advance`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceBody {
    seconds: u64,
}

async fn advance(
    State(d): State<Devnet>,
    body: Result<Json<AdvanceBody>, JsonRejection>,
) -> ApiResult {
    let Json(b) = body?;
    submit(d, Op::Advance { seconds: b.seconds }).await
}

/// Body of `POST /slash`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlashBody {
    validator: String,
    fraction: Decimal,
}

async fn slash(State(d): State<Devnet>, body: Result<Json<SlashBody>, JsonRejection>) -> ApiResult {
    let Json(b) = body?;
    submit(
        d,
        Op::SlashValidator {
            validator: b.validator,
            fraction: b.fraction,
        },
    )
    .await
}

/// Body of `POST /fund`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FundBody {
    account: String,
    amount: Uint128,
}

async fn fund(State(d): State<Devnet>, body: Result<Json<FundBody>, JsonRejection>) -> ApiResult {
    let Json(b) = body?;
    submit(
        d,
        Op::Fund {
            account: b.account,
            amount: b.amount,
        },
    )
    .await
}

/// Body of `POST /delegate` and `POST /undelegate` (traditional staking).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StakeBody {
    sender: String,
    validator: String,
    amount: Uint128,
}

async fn delegate(
    State(d): State<Devnet>,
    body: Result<Json<StakeBody>, JsonRejection>,
) -> ApiResult {
    let Json(b) = body?;
    submit(
        d,
        Op::Delegate {
            sender: b.sender,
            validator: b.validator,
            amount: b.amount,
        },
    )
    .await
}

async fn undelegate(
    State(d): State<Devnet>,
    body: Result<Json<StakeBody>, JsonRejection>,
) -> ApiResult {
    let Json(b) = body?;
    submit(
        d,
        Op::Undelegate {
            sender: b.sender,
            validator: b.validator,
            amount: b.amount,
        },
    )
    .await
}

/// Body of `POST /withdraw-rewards` (traditional staking).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawRewardsBody {
    sender: String,
    validator: String,
}

async fn withdraw_rewards(
    State(d): State<Devnet>,
    body: Result<Json<WithdrawRewardsBody>, JsonRejection>,
) -> ApiResult {
    let Json(b) = body?;
    submit(
        d,
        Op::WithdrawRewards {
            sender: b.sender,
            validator: b.validator,
        },
    )
    .await
}

async fn events(State(d): State<Devnet>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let stream = BroadcastStream::new(d.subscribe()).filter_map(|item| {
        item.ok().map(|e| {
            Ok(SseEvent::default()
                .event(e.kind.clone())
                .data(serde_json::to_string(&e).unwrap_or_default()))
        })
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn openapi() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
}

/// Serves the API on `addr` until the process is stopped.
pub async fn serve(devnet: Devnet, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("devnet API listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app(devnet)).await?;
    Ok(())
}
