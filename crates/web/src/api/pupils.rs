//! Pupils: details, SEN status history (R01) and needs (R02).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use senplan_core::ids::PupilId;
use senplan_core::need::NeedInput;
use senplan_core::pupil::PupilInput;
use senplan_core::record::{Cycle, NeedSet, Pupil, RegisterRow, StatusEntry};
use senplan_core::status::StatusChange;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;
use senplan_app::pupils;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pupils, create_pupil))
        .routes(routes!(get_pupil, update_pupil))
        .routes(routes!(get_register))
        .routes(routes!(status_history, change_status))
        .routes(routes!(get_needs, set_needs))
        .routes(routes!(pupil_cycles))
}

/// A change to a pupil's details, based on `version`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PupilUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub pupil: PupilInput,
}

/// The pupil's whole list of needs, replacing the list at `version` (0 if none yet).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NeedsUpdate {
    pub version: i64,
    pub needs: Vec<NeedInput>,
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils", tag = "pupils", params(("school" = i64, Path)),
    responses((status = 200, description = "Every pupil, whatever their status", body = Vec<RegisterRow>), (status = 404, body = ErrorBody)))]
async fn list_pupils(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<Vec<RegisterRow>>, ApiError> {
    Ok(Json(pupils::roll(&s.store, &viewer.actor, school).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/register", tag = "pupils", params(("school" = i64, Path)),
    responses((status = 200, description = "The SEN register: pupils on K or E", body = Vec<RegisterRow>), (status = 404, body = ErrorBody)))]
async fn get_register(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<Vec<RegisterRow>>, ApiError> {
    let r = senplan_app::register::register_for(&s.store, &viewer.actor, school, &Default::default(), Default::default(), false).await?;
    Ok(Json(r.rows))
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils", tag = "pupils", params(("school" = i64, Path)), request_body = PupilInput,
    responses((status = 201, body = Pupil), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_pupil(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    ApiJson(input): ApiJson<PupilInput>,
) -> Result<(StatusCode, Json<Pupil>), ApiError> {
    Ok((StatusCode::CREATED, Json(pupils::create_pupil(&s.store, &viewer.actor, school, input).await?)))
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}", tag = "pupils", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, body = Pupil), (status = 404, body = ErrorBody)))]
async fn get_pupil(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<Pupil>, ApiError> {
    Ok(Json(senplan_app::records::view_pupil(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

#[utoipa::path(put, path = "/api/schools/{school}/pupils/{pupil}", tag = "pupils", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = PupilUpdate,
    responses((status = 200, body = Pupil), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_pupil(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<PupilUpdate>,
) -> Result<Json<Pupil>, ApiError> {
    // A pupil out of sight is not found, whatever was sent.
    pupils::pupil_to_change(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let details = pupils::check_details(&viewer.actor, input.pupil)?;
    Ok(Json(pupils::update_pupil(&s.store, &viewer.actor, school, PupilId(pupil), input.version, &details).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/status", tag = "pupils", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, description = "Status history, newest first", body = Vec<StatusEntry>), (status = 404, body = ErrorBody)))]
async fn status_history(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
) -> Result<Json<Vec<StatusEntry>>, ApiError> {
    Ok(Json(pupils::status_history(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils/{pupil}/status", tag = "pupils", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = StatusChange,
    responses((status = 201, description = "Status history after the change; K opens a cycle, N closes it", body = Vec<StatusEntry>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn change_status(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(change): ApiJson<StatusChange>,
) -> Result<(StatusCode, Json<Vec<StatusEntry>>), ApiError> {
    Ok((StatusCode::CREATED, Json(pupils::change_status(&s.store, &viewer.actor, school, PupilId(pupil), &change).await?)))
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/needs", tag = "pupils", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, body = NeedSet), (status = 404, body = ErrorBody)))]
async fn get_needs(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<NeedSet>, ApiError> {
    Ok(Json(pupils::needs(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

#[utoipa::path(put, path = "/api/schools/{school}/pupils/{pupil}/needs", tag = "pupils", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = NeedsUpdate,
    responses((status = 200, body = NeedSet), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn set_needs(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<NeedsUpdate>,
) -> Result<Json<NeedSet>, ApiError> {
    Ok(Json(pupils::set_needs(&s.store, &viewer.actor, school, PupilId(pupil), input.version, &input.needs).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/cycles", tag = "cycles", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, description = "The pupil's cycles, newest first", body = Vec<Cycle>), (status = 404, body = ErrorBody)))]
async fn pupil_cycles(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
) -> Result<Json<Vec<Cycle>>, ApiError> {
    Ok(Json(pupils::cycles(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}
