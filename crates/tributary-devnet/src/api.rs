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
        let body = serde_json::json!({ "error": self.1, "status": self.0.as_u16() });
        (self.0, Json(body)).into_response()
    }
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
        .route("/tx", post(tx))
        .route("/query", post(query))
        .route("/advance", post(advance))
        .route("/slash", post(slash))
        .route("/fund", post(fund))
        .route("/delegate", post(delegate))
        .route("/undelegate", post(undelegate))
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
    Ok(Json(serde_json::json!({
        "status": "ok",
        "height": block.height,
        "time": block.time.seconds(),
        "operations": ops,
    })))
}

async fn overview(State(d): State<Devnet>) -> ApiResult {
    let out = d
        .call(|w| -> Result<serde_json::Value, ChainError> {
            let c = w.chain();
            let block = c.block();
            Ok(serde_json::json!({
                "height": block.height,
                "time": block.time.seconds(),
                "hub": c.query("hub", &serde_json::json!({ "state": {} }))?,
                "vault": c.query("vault", &serde_json::json!({ "state": {} }))?,
                "exposure": c.query("vault", &serde_json::json!({ "exposure": {} }))?,
                "peg": c.query("pool", &serde_json::json!({ "peg": {} }))?,
            }))
        })
        .await??;
    Ok(Json(out))
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
    Ok(Json(serde_json::Value::Array(list)))
}

async fn account(State(d): State<Devnet>, Path(name): Path<String>) -> ApiResult {
    Ok(Json(d.call(move |w| w.chain().balances(&name)).await??))
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
