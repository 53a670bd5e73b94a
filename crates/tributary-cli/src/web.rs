//! The route the `tributary` binary adds to the devnet's API: `GET /compare`, `tributary
//! compare`'s scenario run on a scratch devnet of its own (the dashboard's Compare page).

use axum::extract::Query;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use tributary_devnet::api::{ApiError, ExtraRoutes};

use crate::compare::{self, CompareConfig, ModelReport};

/// Query of `GET /compare`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompareParams {
    /// Tokens put into each model, 1 to 100,000 (default 10,000).
    pub amount: Option<u64>,
    /// Days, 6 to 365 (default 30).
    pub days: Option<u64>,
}

/// `GET /compare`: the three models through the same scripted period (a validator slash, a
/// service slash, a depeg sell-off) on a scratch devnet, with the contracts' own numbers.
#[utoipa::path(get, path = "/compare", tag = "dashboard",
    summary = "tributary compare's scenario on a scratch devnet: value, yield, exits and losses per model",
    params(CompareParams),
    responses((status = 200, description = "one report per model", body = Vec<Object>),
              (status = 400, description = "parameters out of range", body = tributary_devnet::api::ErrorBody)))]
pub async fn compare_route(
    params: Result<Query<CompareParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<ModelReport>>, ApiError> {
    let Query(p) = params.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let config = CompareConfig {
        amount: u128::from(p.amount.unwrap_or(10_000)),
        days: p.days.unwrap_or(30),
        ..CompareConfig::default()
    };
    let reports = tokio::task::spawn_blocking(move || {
        let dir = std::env::temp_dir().join(format!(
            "tributary-compare-web-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        let result = compare::run(&config, &dir).map(|(reports, lab)| {
            drop(lab);
            reports
        });
        let _ = std::fs::remove_dir_all(&dir);
        result
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("{e:#}")))?;
    Ok(Json(reports))
}

/// The routes to add to the devnet's API.
pub fn extra_routes() -> ExtraRoutes {
    ExtraRoutes::new().routes(utoipa_axum::routes!(compare_route))
}
