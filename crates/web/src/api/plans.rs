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
use senplan_core::access::Permission;

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
    viewer.school(school)?;
    viewer.require(Permission::ViewRecord)?;
    let p = s.store.cycle_plan(&viewer.scope(), CycleId(cycle)).await?.ok_or(ApiError::NotFound("plan"))?;
    viewer.viewed(&s, p.pupil_id, "plan").await?;
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
    viewer.school(school)?;
    viewer.require(Permission::EditRecord)?;
    let ctx = viewer.ctx();
    Ok((StatusCode::CREATED, Json(s.store.draft_plan(&viewer.scope(), CycleId(cycle), content, &ctx).await?)))
}

#[utoipa::path(get, path = "/api/schools/{school}/plans/{plan}", tag = "plans", params(("school" = i64, Path), ("plan" = i64, Path)),
    responses((status = 200, body = Plan), (status = 404, body = ErrorBody)))]
async fn get_plan(State(s): State<AppState>, viewer: Viewer, Path((school, plan)): Path<(i64, i64)>) -> Result<Json<Plan>, ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::ViewRecord)?;
    let p = s.store.plan(&viewer.scope(), PlanId(plan)).await?;
    viewer.viewed(&s, p.pupil_id, "plan").await?;
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
    viewer.school(school)?;
    viewer.require(Permission::EditRecord)?;
    let ctx = viewer.ctx();
    Ok(Json(s.store.update_plan(&viewer.scope(), PlanId(plan), req.version, req.content, &ctx).await?))
}

#[utoipa::path(post, path = "/api/schools/{school}/plans/{plan}/outcomes", tag = "plans", params(("school" = i64, Path), ("plan" = i64, Path)), request_body = OutcomeAdd,
    responses((status = 201, body = Plan), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn add_outcome(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<OutcomeAdd>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::EditRecord)?;
    let ctx = viewer.ctx();
    Ok((StatusCode::CREATED, Json(s.store.add_outcome(&viewer.scope(), PlanId(plan), req.version, req.outcome, &ctx).await?)))
}

#[utoipa::path(post, path = "/api/schools/{school}/plans/{plan}/provision", tag = "plans", params(("school" = i64, Path), ("plan" = i64, Path)), request_body = ProvisionAdd,
    responses((status = 201, body = Plan), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn add_provision(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<ProvisionAdd>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::EditRecord)?;
    let ctx = viewer.ctx();
    Ok((StatusCode::CREATED, Json(s.store.add_provision(&viewer.scope(), PlanId(plan), req.version, req.provision, &ctx).await?)))
}
