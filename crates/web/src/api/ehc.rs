//! Requests for an EHC needs assessment and the evidence pack (R19), and the copy of
//! the records as data (R20), and the application for top-up funding (R16), through
//! the API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use senplan_app::ehc;
use senplan_core::ehc::EhcRequest;
use senplan_core::ids::PupilId;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::pages::documents::pdf_response;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_requests, add_request)).routes(routes!(evidence_pack)).routes(routes!(records_copy)).routes(routes!(topup_application))
}

/// A request as stored.
#[derive(Serialize, ToSchema)]
pub struct EhcRequestOut {
    pub id: i64,
    pub version: i64,
    pub updated_at: String,
    pub request: EhcRequest,
    /// "Asked by the school on 20 November 2026; the parents were told …".
    pub in_words: String,
}

impl From<senplan_store::ehc::EhcRequestRecord> for EhcRequestOut {
    fn from(r: senplan_store::ehc::EhcRequestRecord) -> Self {
        EhcRequestOut { id: r.id, version: r.version, updated_at: r.updated_at, in_words: r.request.in_words(), request: r.request }
    }
}

/// The pupil's requests, the latest first, and the review that decided to ask while
/// no request names it.
#[derive(Serialize, ToSchema)]
pub struct EhcRequestsOut {
    pub requests: Vec<EhcRequestOut>,
    pub review_asking: Option<i64>,
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/ehc-requests", tag = "documents", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, body = EhcRequestsOut), (status = 404, body = ErrorBody)))]
async fn list_requests(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<EhcRequestsOut>, ApiError> {
    let p = ehc::ehc_page(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(Json(EhcRequestsOut {
        review_asking: p.review_asking.map(|r| r.review_id),
        requests: p.requests.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils/{pupil}/ehc-requests", tag = "documents", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = EhcRequest,
    responses((status = 201, body = EhcRequestOut),
        (status = 400, description = "A date after today, the parents' telling not recorded, a sign without evidence, a part-time timetable of six weeks or less, a young person under 16", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn add_request(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(r): ApiJson<EhcRequest>,
) -> Result<(StatusCode, Json<EhcRequestOut>), ApiError> {
    let saved = ehc::record_request(&s.store, &viewer.actor, school, PupilId(pupil), r).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/evidence-pack", tag = "documents", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, description = "The EHC needs assessment evidence pack, a tagged PDF conforming to PDF/UA-1", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "Costing is not set up", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn evidence_pack(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Response, ApiError> {
    Ok(pdf_response(ehc::evidence_pack(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/records-copy", tag = "documents", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, description = "Everything senplan holds on the pupil (format `senplan-records-copy/1`): the copy of the records as data", content_type = "application/json", body = Object),
        (status = 404, body = ErrorBody)))]
async fn records_copy(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<senplan_app::records_copy::RecordsBundle>, ApiError> {
    Ok(Json(senplan_app::records_copy::records_bundle(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/top-up-application", tag = "documents", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, description = "The application for top-up funding (R16), a tagged PDF conforming to PDF/UA-1", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "No threshold in force, or the pupil's support does not cost more than it", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn topup_application(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Response, ApiError> {
    Ok(pdf_response(senplan_app::topup::topup_pdf(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}
