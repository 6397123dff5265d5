//! SEN support plans (R07): draft, read, change with a version check, and add one
//! outcome or one provision at a time.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use senplan_core::ids::{CycleId, PlanId};
use senplan_core::plan::{Outcome, PlanContent, Provision};
use senplan_core::record::Plan;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;
use senplan_app::plans;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_cycle_plan, draft_plan))
        .routes(routes!(get_plan, update_plan))
        .routes(routes!(add_outcome))
        .routes(routes!(add_provision))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PlanUpdate {
    pub version: i64,
    pub content: PlanContent,
}

/// One outcome to add; its `number` is assigned by the server.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct OutcomeAdd {
    pub version: i64,
    pub outcome: Outcome,
}

/// One provision to add; its `number` is assigned by the server.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ProvisionAdd {
    pub version: i64,
    pub provision: Provision,
}

#[utoipa::path(get, path = "/api/schools/{school}/cycles/{cycle}/plan", tag = "plans", params(("school" = i64, Path), ("cycle" = i64, Path)),
    responses((status = 200, body = Plan), (status = 404, description = "No such cycle, or no plan written yet", body = ErrorBody)))]
async fn get_cycle_plan(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, cycle)): Path<(i64, i64)>,
) -> Result<Json<Plan>, ApiError> {
    let p = plans::cycle_plan(&s.store, &viewer.actor, school, CycleId(cycle)).await?;
    Ok(Json(p))
}

#[utoipa::path(post, path = "/api/schools/{school}/cycles/{cycle}/plan", tag = "plans", params(("school" = i64, Path), ("cycle" = i64, Path)), request_body = PlanContent,
    responses((status = 201, description = "The plan's first version; the cycle moves to 'plan'", body = Plan), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn draft_plan(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, cycle)): Path<(i64, i64)>,
    ApiJson(content): ApiJson<PlanContent>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    Ok((StatusCode::CREATED, Json(plans::draft_plan(&s.store, &viewer.actor, school, CycleId(cycle), content).await?)))
}

#[utoipa::path(get, path = "/api/schools/{school}/plans/{plan}", tag = "plans", params(("school" = i64, Path), ("plan" = i64, Path)),
    responses((status = 200, body = Plan), (status = 404, body = ErrorBody)))]
async fn get_plan(State(s): State<AppState>, viewer: Viewer, Path((school, plan)): Path<(i64, i64)>) -> Result<Json<Plan>, ApiError> {
    let p = plans::plan(&s.store, &viewer.actor, school, PlanId(plan)).await?;
    Ok(Json(p))
}

#[utoipa::path(put, path = "/api/schools/{school}/plans/{plan}", tag = "plans", params(("school" = i64, Path), ("plan" = i64, Path)), request_body = PlanUpdate,
    responses((status = 200, body = Plan), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_plan(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<PlanUpdate>,
) -> Result<Json<Plan>, ApiError> {
    Ok(Json(plans::update_plan(&s.store, &viewer.actor, school, PlanId(plan), req.version, req.content).await?))
}

#[utoipa::path(post, path = "/api/schools/{school}/plans/{plan}/outcomes", tag = "plans", params(("school" = i64, Path), ("plan" = i64, Path)), request_body = OutcomeAdd,
    responses((status = 201, body = Plan), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn add_outcome(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<OutcomeAdd>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    Ok((StatusCode::CREATED, Json(plans::add_outcome(&s.store, &viewer.actor, school, PlanId(plan), req.version, req.outcome).await?)))
}

#[utoipa::path(post, path = "/api/schools/{school}/plans/{plan}/provision", tag = "plans", params(("school" = i64, Path), ("plan" = i64, Path)), request_body = ProvisionAdd,
    responses((status = 201, body = Plan), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn add_provision(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<ProvisionAdd>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    Ok((StatusCode::CREATED, Json(plans::add_provision(&s.store, &viewer.actor, school, PlanId(plan), req.version, req.provision).await?)))
}
