//! Who can see a pupil's record, and time-limited access for outside professionals
//! (R31), as JSON: the same use cases as the access page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use senplan_app::oversight;
use senplan_core::ids::{PupilId, UserId};
use senplan_core::record::RelationshipRecord;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_access)).routes(routes!(grant_access)).routes(routes!(withdraw_access))
}

/// Access for an outside professional from today until `expires_on` (required: a grant always ends).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct GrantRequest {
    /// The outside professional's account.
    pub user: i64,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Granted {
    /// The relationship's id, to withdraw it.
    pub id: i64,
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/access", tag = "access", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, description = "Everyone connected to the pupil, current and past (withdrawn access keeps its date)", body = Vec<RelationshipRecord>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_access(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
) -> Result<Json<Vec<RelationshipRecord>>, ApiError> {
    Ok(Json(oversight::relationships(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils/{pupil}/grants", tag = "access", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = GrantRequest,
    responses((status = 201, body = Granted), (status = 400, description = "No end date, an end date in the past, or an account that is not an outside professional's", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn grant_access(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<GrantRequest>,
) -> Result<(StatusCode, Json<Granted>), ApiError> {
    let id = oversight::grant_access(&s.store, &viewer.actor, school, PupilId(pupil), UserId(req.user), req.expires_on).await?;
    Ok((StatusCode::CREATED, Json(Granted { id })))
}

#[utoipa::path(delete, path = "/api/schools/{school}/pupils/{pupil}/access/{id}", tag = "access", params(("school" = i64, Path), ("pupil" = i64, Path), ("id" = i64, Path)),
    responses((status = 204, description = "Access ended now; the relationship is kept with the date it ended"), (status = 404, body = ErrorBody)))]
async fn withdraw_access(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil, id)): Path<(i64, i64, i64)>,
) -> Result<StatusCode, ApiError> {
    oversight::withdraw_access(&s.store, &viewer.actor, school, PupilId(pupil), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
