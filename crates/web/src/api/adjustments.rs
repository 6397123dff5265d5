//! A pupil's reasonable adjustments and medical conditions (R35) through the API: read
//! them, or save the whole document based on its version.

use axum::Json;
use axum::extract::{Path, State};
use senplan_app::adjustments;
use senplan_core::adjustments::Adjustments;
use senplan_core::ids::PupilId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_adjustments, put_adjustments))
}

/// The document and its version (0 before anything is recorded).
#[derive(Serialize, ToSchema)]
pub struct AdjustmentsOut {
    pub pupil: i64,
    pub version: i64,
    pub adjustments: Adjustments,
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/adjustments", tag = "adjustments", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, body = AdjustmentsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_adjustments(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<AdjustmentsOut>, ApiError> {
    let v = adjustments::pupil_adjustments(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(Json(AdjustmentsOut { pupil, version: v.version, adjustments: v.adjustments }))
}

/// The whole document, based on the `version` read (0 for the first).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentsIn {
    pub version: i64,
    pub adjustments: Adjustments,
}

#[utoipa::path(put, path = "/api/schools/{school}/pupils/{pupil}/adjustments", tag = "adjustments", params(("school" = i64, Path), ("pupil" = i64, Path)),
    request_body = AdjustmentsIn,
    responses((status = 200, body = AdjustmentsOut), (status = 400, description = "An item without its words, a review before its start", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn put_adjustments(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, ApiJson(b): ApiJson<AdjustmentsIn>) -> Result<Json<AdjustmentsOut>, ApiError> {
    let saved = adjustments::save_adjustments(&s.store, &viewer.actor, school, PupilId(pupil), b.version, b.adjustments).await?;
    Ok(Json(AdjustmentsOut { pupil, version: saved.version, adjustments: saved.adjustments }))
}
