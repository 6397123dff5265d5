//! Documents through the API (R09): a copy of a plan or a review as an accessible PDF
//! (PDF/UA-1), the same use cases as the pages' downloads.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use senplan_app::documents;
use senplan_core::ids::{PlanId, ReviewId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::pages::documents::{CopyQuery, pdf_response};
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(plan_copy)).routes(routes!(review_copy))
}

#[utoipa::path(get, path = "/api/schools/{school}/plans/{plan}/copy", tag = "documents", params(("school" = i64, Path), ("plan" = i64, Path), CopyQuery),
    responses((status = 200, description = "The plan copy, a tagged PDF conforming to PDF/UA-1", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "An unknown audience or version", body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn plan_copy(State(s): State<AppState>, viewer: Viewer, Path((school, plan)): Path<(i64, i64)>, Query(q): Query<CopyQuery>) -> Result<Response, ApiError> {
    let (for_, version) = q.read()?;
    Ok(pdf_response(documents::plan_copy(&s.store, &viewer.actor, school, PlanId(plan), version, for_).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/reviews/{review}/copy", tag = "documents", params(("school" = i64, Path), ("review" = i64, Path), CopyQuery),
    responses((status = 200, description = "The review copy, a tagged PDF conforming to PDF/UA-1", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "An unknown audience or version", body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn review_copy(State(s): State<AppState>, viewer: Viewer, Path((school, review)): Path<(i64, i64)>, Query(q): Query<CopyQuery>) -> Result<Response, ApiError> {
    let (for_, version) = q.read()?;
    Ok(pdf_response(documents::review_copy(&s.store, &viewer.actor, school, ReviewId(review), version, for_).await?))
}
