//! The dashboard: three static files compiled into the binary (no build step, nothing fetched
//! from elsewhere), served beside the API, and the two read routes only it needs: the rates'
//! history and the simulator's distributions.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::chain::RateSample;
use crate::Devnet;

/// The page.
pub const INDEX_HTML: &str = include_str!("../web/index.html");
/// Its script.
pub const APP_JS: &str = include_str!("../web/app.js");
/// Its style sheet.
pub const APP_CSS: &str = include_str!("../web/app.css");

#[utoipa::path(get, path = "/", tag = "dashboard", summary = "The dashboard (HTML)",
    responses((status = 200, description = "the page", content_type = "text/html", body = String)))]
pub async fn index() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        INDEX_HTML,
    )
}

#[utoipa::path(get, path = "/app.js", tag = "dashboard", summary = "The dashboard's script",
    responses((status = 200, description = "JavaScript", content_type = "text/javascript", body = String)))]
pub async fn app_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        APP_JS,
    )
}

#[utoipa::path(get, path = "/app.css", tag = "dashboard", summary = "The dashboard's style sheet",
    responses((status = 200, description = "CSS", content_type = "text/css", body = String)))]
pub async fn app_css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], APP_CSS)
}

/// `GET /history`: the protocol's rates after each operation that moved them, oldest first.
#[utoipa::path(get, path = "/history", tag = "dashboard", summary = "The rates after each operation that moved them, oldest first",
    responses((status = 200, description = "rate samples", body = Vec<RateSample>)))]
pub async fn history(State(d): State<Devnet>) -> Result<Json<Vec<RateSample>>, ApiError> {
    Ok(Json(d.call(|w| w.chain().history()).await?))
}

/// `GET /alerts`: what the keeper running beside the devnet last noticed.
#[utoipa::path(get, path = "/alerts", tag = "dashboard", summary = "The keeper's alerts from its last pass",
    responses((status = 200, description = "the alerts, for people", body = crate::KeeperAlerts)))]
pub async fn alerts(State(d): State<Devnet>) -> Json<crate::KeeperAlerts> {
    Json(d.alerts())
}

/// Query of `GET /simulate`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SimulateParams {
    /// Tokens put into each model (default 10,000).
    pub amount: Option<f64>,
    /// Horizon, days (default 365).
    pub days: Option<u32>,
    /// Paths, at most 20,000 (default 5,000).
    pub paths: Option<u64>,
    /// Seed (default 1).
    pub seed: Option<u64>,
}

/// Answer of `GET /simulate`.
#[derive(Debug, Serialize)]
pub struct SimulateAnswer {
    /// Per model: yield, loss probability, CVaR, drawdown, exit cost, time to liquidity.
    pub stats: tributary_sim::Stats,
    /// The days the fan chart samples.
    pub fan_days: Vec<u32>,
    /// Per model, per fan day: the 5th, 25th, 50th, 75th and 95th percentile of value /
    /// deposit.
    pub bands: Vec<Vec<[f64; 5]>>,
}

/// The most paths `GET /simulate` runs.
pub const MAX_PATHS: u64 = 20_000;
/// The most path-days `GET /simulate` runs (20,000 paths over a year: well under a second in a
/// release build), so a request cannot hold a worker for minutes.
pub const MAX_PATH_DAYS: u64 = 20_000 * 365;

/// `GET /simulate`: the risk simulator's distributions for an amount and a horizon.
#[utoipa::path(get, path = "/simulate", tag = "dashboard", summary = "The risk simulator's distributions of the three staking models",
    params(SimulateParams),
    responses((status = 200, description = "statistics per model and fan-chart bands", body = Object),
              (status = 400, description = "parameters out of range", body = crate::api::ErrorBody)))]
pub async fn simulate(
    params: Result<Query<SimulateParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SimulateAnswer>, ApiError> {
    let Query(p) = params.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let paths = p.paths.unwrap_or(5_000);
    if paths == 0 || paths > MAX_PATHS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("paths must be between 1 and {MAX_PATHS}"),
        ));
    }
    let days = p.days.unwrap_or(365);
    if paths.saturating_mul(u64::from(days)) > MAX_PATH_DAYS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "paths × days must be at most {MAX_PATH_DAYS} (asked {paths} × {days}); use `tributary simulate` for more"
            ),
        ));
    }
    let config = tributary_sim::SimConfig {
        deposit: p.amount.unwrap_or(10_000.0),
        days,
        paths,
        seed: p.seed.unwrap_or(1),
        ..tributary_sim::SimConfig::default()
    };
    let answer = tokio::task::spawn_blocking(move || -> anyhow::Result<SimulateAnswer> {
        let prepared = tributary_sim::Prepared::new(config)?;
        let summary = tributary_sim::run::run(&prepared, tributary_sim::Shard::ALL, &|_| {})?;
        Ok(SimulateAnswer {
            stats: summary.stats(prepared.config.deposit),
            fan_days: summary.fan_days.clone(),
            bands: summary.fan_bands(),
        })
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    Ok(Json(answer))
}
