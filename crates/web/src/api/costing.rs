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
use senplan_app::{costing, delivery};

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
    Ok(Json(costing::settings(&s.store, &viewer.actor, school).await?.1))
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
    Ok(Json(costing::save_settings(&s.store, &viewer.actor, school, req.version, req.costing).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/plans/{plan}/provision/{number}/sessions", tag = "costing",
    params(("school" = i64, Path), ("plan" = i64, Path), ("number" = u32, Path, description = "The provision's number in the plan")),
    responses((status = 200, body = Vec<SessionRecord>), (status = 404, body = ErrorBody)))]
async fn list_sessions(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, plan, number)): Path<(i64, i64, u32)>,
) -> Result<Json<Vec<SessionRecord>>, ApiError> {
    Ok(Json(delivery::provision_sessions(&s.store, &viewer.actor, school, PlanId(plan), number).await?))
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
    Ok((StatusCode::CREATED, Json(delivery::log_session(&s.store, &viewer.actor, school, PlanId(plan), number, log).await?)))
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
    Ok((StatusCode::CREATED, Json(delivery::record_impact(&s.store, &viewer.actor, school, PlanId(plan), number, input).await?)))
}

#[utoipa::path(get, path = "/api/schools/{school}/impact", tag = "costing", params(("school" = i64, Path)),
    responses((status = 200, body = Vec<ImpactMeasure>), (status = 404, body = ErrorBody)))]
async fn list_impact(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<Vec<ImpactMeasure>>, ApiError> {
    // Every pupil's measures: the SENCO and the headteacher (R10), never governors.
    Ok(Json(delivery::impact_measures(&s.store, &viewer.actor, school).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/impact/{id}", tag = "costing", params(("school" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ImpactMeasure), (status = 404, body = ErrorBody)))]
async fn get_impact(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id)): Path<(i64, i64)>,
) -> Result<Json<ImpactMeasure>, ApiError> {
    // Part of the pupil's record: only those who see the pupil (R10), and audited.
    Ok(Json(delivery::impact_measure(&s.store, &viewer.actor, school, id).await?))
}

#[utoipa::path(put, path = "/api/schools/{school}/impact/{id}", tag = "costing", params(("school" = i64, Path), ("id" = i64, Path)), request_body = ImpactUpdate,
    responses((status = 200, body = ImpactMeasure), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_impact(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<ImpactUpdate>,
) -> Result<Json<ImpactMeasure>, ApiError> {
    // As for recording a measure: the SENCO, or the pupil's own teacher or TA (R29).
    Ok(Json(delivery::update_impact(&s.store, &viewer.actor, school, id, req.version, req.measures).await?))
}
