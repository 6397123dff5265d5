//! A service's report kept with a referral (R18) through the API: the file is the
//! request's body (its type read from its content, never from a header or its name),
//! up to 10 MB, on the upload routes with their larger body limit; read back by those
//! who may see the referral. The use cases are `app::referrals::{add_report, report}`.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use senplan_app::referrals;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::referrals::{ReferralOut, out};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::session::Viewer;

/// The upload route and the download beside it: merged with the upload routes' larger
/// body limit, and into the OpenAPI document.
pub fn upload_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(upload)).routes(routes!(download))
}

/// The referral's version the upload is based on, and the file's name (for people).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// Required.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub name: String,
}

#[utoipa::path(post, path = "/api/schools/{school}/referrals/{id}/reports", tag = "referrals",
    params(("school" = i64, Path), ("id" = i64, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The report: a PDF or a PNG, JPEG, GIF or WebP picture of at most 10 MB"),
    responses((status = 201, body = ReferralOut), (status = 400, description = "Not a PDF or a picture by its content, empty, over 10 MB, or the referral not sent yet", body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, description = "The body is larger than 11 MB", body = ErrorBody)))]
async fn upload(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, Query(q): Query<UploadQuery>, body: Bytes) -> Result<(StatusCode, Json<ReferralOut>), ApiError> {
    let saved = referrals::add_report(&s.store, &viewer.actor, school, id, q.version, &q.name, &body).await?;
    Ok((StatusCode::CREATED, Json(out(saved))))
}

#[utoipa::path(get, path = "/api/schools/{school}/referrals/{id}/reports/{sha}", tag = "referrals",
    params(("school" = i64, Path), ("id" = i64, Path), ("sha" = String, Path, description = "The report's SHA-256, hex")),
    responses((status = 200, description = "The report's bytes, with its media type", content_type = "application/octet-stream", body = Vec<u8>)))]
async fn download(State(s): State<AppState>, viewer: Viewer, Path((school, id, sha)): Path<(i64, i64, String)>) -> Result<Response, ApiError> {
    let (_, bytes) = referrals::report(&s.store, &viewer.actor, school, id, &sha).await?;
    Ok(([(header::CONTENT_TYPE, bytes.media_type), (header::CACHE_CONTROL, "private, no-store".to_owned())], Body::from(bytes.bytes)).into_response())
}
