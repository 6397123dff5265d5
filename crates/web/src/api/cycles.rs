//! Cycles (R05): read a cycle, move it on (start delivery, start review), and record
//! assessment contributions (R06).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use senplan_core::assessment::ContributionInput;
use senplan_core::cycle::Action;
use senplan_core::ids::CycleId;
use senplan_core::record::{ContributionRecord, Cycle};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;
use senplan_app::cycles;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_cycle)).routes(routes!(transition)).routes(routes!(list_contributions, add_contribution))
}

/// Moves a cycle on. `action` is `start_delivery` (plan → do) or `start_review` (do → review);
/// the other stages move when their content is written.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    pub version: i64,
    pub action: Action,
}

#[utoipa::path(get, path = "/api/schools/{school}/cycles/{cycle}", tag = "cycles", params(("school" = i64, Path), ("cycle" = i64, Path)),
    responses((status = 200, body = Cycle), (status = 404, body = ErrorBody)))]
async fn get_cycle(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>) -> Result<Json<Cycle>, ApiError> {
    let c = cycles::cycle(&s.store, &viewer.actor, school, CycleId(cycle)).await?;
    Ok(Json(c))
}

#[utoipa::path(post, path = "/api/schools/{school}/cycles/{cycle}/transitions", tag = "cycles", params(("school" = i64, Path), ("cycle" = i64, Path)), request_body = TransitionRequest,
    responses((status = 200, body = Cycle), (status = 400, description = "Not allowed at this stage: the message lists what is", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn transition(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, cycle)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> Result<Json<Cycle>, ApiError> {
    Ok(Json(cycles::transition(&s.store, &viewer.actor, school, CycleId(cycle), req.version, req.action).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/cycles/{cycle}/contributions", tag = "cycles", params(("school" = i64, Path), ("cycle" = i64, Path)),
    responses((status = 200, body = Vec<ContributionRecord>), (status = 404, body = ErrorBody)))]
async fn list_contributions(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, cycle)): Path<(i64, i64)>,
) -> Result<Json<Vec<ContributionRecord>>, ApiError> {
    let all = cycles::contributions(&s.store, &viewer.actor, school, CycleId(cycle)).await?;
    Ok(Json(all))
}

#[utoipa::path(post, path = "/api/schools/{school}/cycles/{cycle}/contributions", tag = "cycles", params(("school" = i64, Path), ("cycle" = i64, Path)), request_body = ContributionInput,
    responses((status = 201, body = ContributionRecord), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add_contribution(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, cycle)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<ContributionInput>,
) -> Result<(StatusCode, Json<ContributionRecord>), ApiError> {
    Ok((StatusCode::CREATED, Json(cycles::contribute(&s.store, &viewer.actor, school, CycleId(cycle), &input).await?)))
}
