//! Costing records (R11, R15–R17, R29): the school's costing settings (read, save
//! with a version check; every version in history), session logs of a plan's
//! provision (append-only), and entry and exit measures (versioned). Cost figures
//! are for the SENCO, the headteacher, governors and administrators.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use senplan_core::costing::{CostingRecord, ImpactInput, ImpactMeasure, SchoolCosting, SessionLog, SessionRecord};
use senplan_core::ids::PlanId;
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
        .routes(routes!(get_settings, save_settings))
        .routes(routes!(list_sessions, log_session))
        .routes(routes!(record_impact))
        .routes(routes!(list_impact))
        .routes(routes!(get_impact, update_impact))
}

/// The whole settings, and the version they replace (0 for the first save).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SettingsUpdate {
    pub version: i64,
    pub costing: SchoolCosting,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ImpactUpdate {
    pub version: i64,
    pub measures: ImpactInput,
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/settings", tag = "costing", params(("school" = i64, Path)),
    responses((status = 200, description = "Version 0 until the school first saves its settings", body = CostingRecord), (status = 404, body = ErrorBody)))]
async fn get_settings(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<CostingRecord>, ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::ViewCosts)?;
    Ok(Json(s.store.costing_settings(viewer.user.school_id).await?))
}

#[utoipa::path(put, path = "/api/schools/{school}/costing/settings", tag = "costing", params(("school" = i64, Path)), request_body = SettingsUpdate,
    responses((status = 200, body = CostingRecord), (status = 400, description = "Bad settings: nothing changed; each error names its field, e.g. `settings.staff_roles[0].hourly_cost`", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn save_settings(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    ApiJson(req): ApiJson<SettingsUpdate>,
) -> Result<Json<CostingRecord>, ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::EditCosts)?;
    let ctx = viewer.ctx();
    Ok(Json(s.store.save_costing_settings(viewer.user.school_id, req.version, req.costing, &ctx).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/plans/{plan}/provision/{number}/sessions", tag = "costing",
    params(("school" = i64, Path), ("plan" = i64, Path), ("number" = u32, Path, description = "The provision's number in the plan")),
    responses((status = 200, body = Vec<SessionRecord>), (status = 404, body = ErrorBody)))]
async fn list_sessions(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan, number)): Path<(i64, i64, u32)>,
) -> Result<Json<Vec<SessionRecord>>, ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::LogDelivery)?;
    s.store.plan(&viewer.scope(), PlanId(plan)).await?;
    Ok(Json(s.store.provision_sessions(&viewer.scope(), PlanId(plan), number).await?))
}

#[utoipa::path(post, path = "/api/schools/{school}/plans/{plan}/provision/{number}/sessions", tag = "costing",
    params(("school" = i64, Path), ("plan" = i64, Path), ("number" = u32, Path)), request_body = SessionLog,
    responses((status = 201, body = SessionRecord), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn log_session(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan, number)): Path<(i64, i64, u32)>,
    ApiJson(log): ApiJson<SessionLog>,
) -> Result<(StatusCode, Json<SessionRecord>), ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::LogDelivery)?;
    let ctx = viewer.ctx();
    Ok((StatusCode::CREATED, Json(s.store.log_session(&viewer.scope(), PlanId(plan), number, log, &ctx).await?)))
}

#[utoipa::path(post, path = "/api/schools/{school}/plans/{plan}/provision/{number}/impact", tag = "costing",
    params(("school" = i64, Path), ("plan" = i64, Path), ("number" = u32, Path)), request_body = ImpactInput,
    responses((status = 201, body = ImpactMeasure), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn record_impact(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan, number)): Path<(i64, i64, u32)>,
    ApiJson(input): ApiJson<ImpactInput>,
) -> Result<(StatusCode, Json<ImpactMeasure>), ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::LogDelivery)?;
    s.store.plan(&viewer.scope(), PlanId(plan)).await?;
    let ctx = viewer.ctx();
    Ok((StatusCode::CREATED, Json(s.store.record_impact(&viewer.scope(), PlanId(plan), number, input, &ctx).await?)))
}

#[utoipa::path(get, path = "/api/schools/{school}/impact", tag = "costing", params(("school" = i64, Path)),
    responses((status = 200, body = Vec<ImpactMeasure>), (status = 404, body = ErrorBody)))]
async fn list_impact(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<Vec<ImpactMeasure>>, ApiError> {
    // Every pupil's measures: the SENCO and the headteacher (R10), never governors.
    viewer.pupil_costs_of(school)?;
    Ok(Json(s.store.impact_measures(&viewer.scope()).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/impact/{id}", tag = "costing", params(("school" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ImpactMeasure), (status = 404, body = ErrorBody)))]
async fn get_impact(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id)): Path<(i64, i64)>,
) -> Result<Json<ImpactMeasure>, ApiError> {
    viewer.school(school)?;
    viewer.require(Permission::ViewRecord)?;
    let m = s.store.impact_measure(&viewer.scope(), id).await?;
    // Part of the pupil's record: only those who see the pupil (R10), and audited.
    let pupil = visible(&s, &viewer, &m).await?;
    viewer.viewed(&s, pupil, "impact").await?;
    Ok(Json(m))
}

#[utoipa::path(put, path = "/api/schools/{school}/impact/{id}", tag = "costing", params(("school" = i64, Path), ("id" = i64, Path)), request_body = ImpactUpdate,
    responses((status = 200, body = ImpactMeasure), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_impact(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<ImpactUpdate>,
) -> Result<Json<ImpactMeasure>, ApiError> {
    viewer.school(school)?;
    // As for recording a measure: the SENCO, or the pupil's own teacher or TA (R29).
    viewer.require(Permission::LogDelivery)?;
    let m = s.store.impact_measure(&viewer.scope(), id).await?;
    visible(&s, &viewer, &m).await?;
    let ctx = viewer.ctx();
    Ok(Json(s.store.update_impact(&viewer.scope(), id, req.version, req.measures, &ctx).await?))
}

/// An impact measure belongs to a pupil's plan: someone who cannot see that pupil is
/// told the measure does not exist, exactly as for a missing one. Returns the pupil.
async fn visible(s: &AppState, viewer: &Viewer, m: &ImpactMeasure) -> Result<senplan_core::ids::PupilId, ApiError> {
    match s.store.plan(&viewer.scope(), PlanId(m.plan_id)).await {
        Ok(plan) => Ok(plan.pupil_id),
        Err(senplan_store::StoreError::NotFound { .. }) => Err(ApiError::NotFound("impact measure")),
        Err(e) => Err(e.into()),
    }
}
