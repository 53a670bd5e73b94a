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

/// An API error: a status and a message, rendered as JSON.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError(status, message.into())
    }
}

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
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
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

/// The API's description: the handlers' `#[utoipa::path]`s and their types, collected by the
/// router that serves them (so the document and the routes cannot drift apart).
#[derive(utoipa::OpenApi)]
#[openapi(info(
    title = "Tributary devnet API",
    description = "The embedded devnet: the real Tributary contracts on an in-process chain, and its dashboard at `/`. Writes are applied, logged durably, then acknowledged. Errors are JSON {error, status} in the user's terms: 400 malformed request, 404 unknown account/contract/validator, 422 refused by a contract or the chain (nothing changed; an overdraft says who has what), 503 the devnet cannot write."
))]
struct ApiDoc;

/// More routes for the same router (the `tributary` binary adds `/compare`, which needs a
/// scratch devnet of its own), documented the same way.
pub type ExtraRoutes = utoipa_axum::router::OpenApiRouter<Devnet>;

/// The routes, with `extra`, and the OpenAPI document generated from all of them.
pub fn routes_with(extra: ExtraRoutes) -> (Router<Devnet>, utoipa::openapi::OpenApi) {
    use utoipa::OpenApi;
    use utoipa_axum::router::OpenApiRouter;
    use utoipa_axum::routes;
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(overview))
        .routes(routes!(contracts))
        .routes(routes!(accounts))
        .routes(routes!(account))
        .routes(routes!(delegation))
        .routes(routes!(tx))
        .routes(routes!(query))
        .routes(routes!(advance))
        .routes(routes!(slash))
        .routes(routes!(fund))
        .routes(routes!(delegate))
        .routes(routes!(undelegate))
        .routes(routes!(withdraw_rewards))
        .routes(routes!(events))
        .routes(routes!(openapi_json))
        .routes(routes!(crate::web::history))
        .routes(routes!(crate::web::alerts))
        .routes(routes!(crate::web::simulate))
        .routes(routes!(crate::web::index))
        .routes(routes!(crate::web::app_js))
        .routes(routes!(crate::web::app_css))
        .merge(extra)
        .split_for_parts()
}

/// The OpenAPI document of [`app`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes_with(ExtraRoutes::new()).1
}

/// The router over a shared devnet.
pub fn app(devnet: Devnet) -> Router {
    app_with(devnet, ExtraRoutes::new())
}

/// The router with `extra` routes; `/openapi.json` describes them too.
pub fn app_with(devnet: Devnet, extra: ExtraRoutes) -> Router {
    let (router, doc) = routes_with(extra);
    let doc = std::sync::Arc::new(serde_json::to_value(doc).unwrap_or_default());
    router.layer(axum::Extension(doc)).with_state(devnet)
}

/// Applies and logs a write on the chain's thread.
async fn submit(devnet: Devnet, op: Op) -> ApiResult {
    Ok(Json(devnet.submit(op).await?))
}

#[utoipa::path(get, path = "/health", tag = "meta", summary = "Liveness, height, time and number of logged operations", responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
async fn health(State(d): State<Devnet>) -> ApiResult {
    let (block, ops) = d.call(|w| (w.chain().block(), w.log_len())).await?;
    json(&Health {
        status: "ok".to_string(),
        height: block.height,
        time: block.time.seconds(),
        operations: ops,
    })
}

#[utoipa::path(get, path = "/overview", tag = "chain", summary = "Protocol overview: hub state, vault state and exposure, pool peg", responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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

#[utoipa::path(get, path = "/contracts", tag = "chain", summary = "Contract addresses by name", responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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

#[utoipa::path(get, path = "/accounts", tag = "chain", summary = "The demo accounts' balances", responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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

#[utoipa::path(get, path = "/accounts/{name}", tag = "chain", summary = "An account's native, LST and LRT balances", params(("name" = String, Path, description = "account name or address")), responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
async fn account(State(d): State<Devnet>, Path(name): Path<String>) -> ApiResult {
    json(&d.call(move |w| w.chain().balances(&name)).await??)
}

#[utoipa::path(get, path = "/accounts/{name}/delegations/{validator}", tag = "chain", summary = "A direct delegation and its accrued rewards", params(("name" = String, Path, description = "account name or address"), ("validator" = String, Path, description = "validator name")), responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct TxBody {
    /// Account name (e.g. "alice") or address.
    sender: String,
    /// Contract name ("hub", "lst", "registry", "vault", "lrt", "pool", "lp") or address.
    contract: String,
    /// The message, as JSON.
    #[schema(value_type = Object)]
    msg: serde_json::Value,
    /// Native funds attached: `[{"denom": "ustake", "amount": "1000000"}]`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    funds: Vec<Coin>,
}

#[utoipa::path(post, path = "/tx", tag = "chain", summary = "Execute a contract message as an account", request_body = TxBody, responses((status = 200, description = "the transaction's wasm events (and gas used on the wasm engine)", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct QueryBody {
    /// Contract name or address.
    contract: String,
    /// The query, as JSON.
    #[schema(value_type = Object)]
    msg: serde_json::Value,
}

#[utoipa::path(post, path = "/query", tag = "chain", summary = "Query a contract", request_body = QueryBody, responses((status = 200, description = "the contract's answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
async fn query(State(d): State<Devnet>, body: Result<Json<QueryBody>, JsonRejection>) -> ApiResult {
    let Json(b) = body?;
    Ok(Json(
        d.call(move |w| w.chain().query(&b.contract, &b.msg))
            .await??,
    ))
}

/// Body of `POST /advance`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct AdvanceBody {
    /// Seconds to move the clock (at most a year).
    seconds: u64,
}

#[utoipa::path(post, path = "/advance", tag = "chain", summary = "Move the clock forward", request_body = AdvanceBody, responses((status = 200, description = "the new block", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
async fn advance(
    State(d): State<Devnet>,
    body: Result<Json<AdvanceBody>, JsonRejection>,
) -> ApiResult {
    let Json(b) = body?;
    submit(d, Op::Advance { seconds: b.seconds }).await
}

/// Body of `POST /slash`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SlashBody {
    /// Validator name.
    validator: String,
    /// Fraction of its stake, above 0 and at most 1 (a decimal string: "0.05").
    #[schema(value_type = String)]
    fraction: Decimal,
}

#[utoipa::path(post, path = "/slash", tag = "chain", summary = "Slash a validator by a fraction", request_body = SlashBody, responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct FundBody {
    /// Account name or address.
    account: String,
    /// Base units (6 decimals), at most 1,000,000 tokens.
    #[schema(value_type = String)]
    amount: Uint128,
}

#[utoipa::path(post, path = "/fund", tag = "chain", summary = "Faucet: mint native tokens to an account (creates a named account)", request_body = FundBody, responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct StakeBody {
    /// Account name or address.
    sender: String,
    /// Validator name.
    validator: String,
    /// Base units (6 decimals).
    #[schema(value_type = String)]
    amount: Uint128,
}

#[utoipa::path(post, path = "/delegate", tag = "chain", summary = "Traditional staking: delegate directly to a validator", request_body = StakeBody, responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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

#[utoipa::path(post, path = "/undelegate", tag = "chain", summary = "Traditional staking: undelegate (paid after the unbonding time)", request_body = StakeBody, responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct WithdrawRewardsBody {
    /// Account name or address.
    sender: String,
    /// Validator name.
    validator: String,
}

#[utoipa::path(post, path = "/withdraw-rewards", tag = "chain", summary = "Traditional staking: withdraw accrued rewards", request_body = WithdrawRewardsBody, responses((status = 200, description = "the answer", body = Object), (status = 400, description = "malformed request", body = ErrorBody), (status = 404, description = "unknown account, contract or validator", body = ErrorBody), (status = 422, description = "refused by a contract or the chain; nothing changed", body = ErrorBody)))]
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

#[utoipa::path(get, path = "/events", tag = "chain", summary = "Server-sent events: one per applied operation (seq, height, time, kind, detail)",
    responses((status = 200, description = "an event stream (text/event-stream); event names are the operation kinds", content_type = "text/event-stream", body = String)))]
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

/// `GET /openapi.json`: this document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API, generated from its handlers", body = Object)))]
async fn openapi_json(
    axum::Extension(doc): axum::Extension<std::sync::Arc<serde_json::Value>>,
) -> Json<serde_json::Value> {
    Json(doc.as_ref().clone())
}

/// Serves the API on `addr` until the process is stopped.
pub async fn serve(devnet: Devnet, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    serve_with(devnet, addr, ExtraRoutes::new()).await
}

/// [`serve`] with `extra` routes.
pub async fn serve_with(
    devnet: Devnet,
    addr: std::net::SocketAddr,
    extra: ExtraRoutes,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("devnet API listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app_with(devnet, extra)).await?;
    Ok(())
}
