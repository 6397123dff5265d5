//! Reviews (R12, R13): record a cycle's review (which closes it and opens the next),
//! read it, and correct it as a new version.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use senplan_core::ids::{CycleId, ReviewId};
use senplan_core::record::{Cycle, Review};
use senplan_core::review::ReviewContent;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;
use senplan_app::reviews;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_cycle_review, record_review)).routes(routes!(get_review, correct_review))
}

/// The recorded review and the next cycle it opened (none when SEN support ended).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReviewRecorded {
    pub review: Review,
    pub next_cycle: Option<Cycle>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewCorrection {
    pub version: i64,
    pub content: ReviewContent,
}

#[utoipa::path(get, path = "/api/schools/{school}/cycles/{cycle}/review", tag = "reviews", params(("school" = i64, Path), ("cycle" = i64, Path)),
    responses((status = 200, body = Review), (status = 404, body = ErrorBody)))]
async fn get_cycle_review(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, cycle)): Path<(i64, i64)>,
) -> Result<Json<Review>, ApiError> {
    let r = reviews::cycle_review(&s.store, &viewer.actor, school, CycleId(cycle)).await?;
    Ok(Json(r))
}

#[utoipa::path(post, path = "/api/schools/{school}/cycles/{cycle}/review", tag = "reviews", params(("school" = i64, Path), ("cycle" = i64, Path)), request_body = ReviewContent,
    responses((status = 201, body = ReviewRecorded), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn record_review(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, cycle)): Path<(i64, i64)>,
    ApiJson(content): ApiJson<ReviewContent>,
) -> Result<(StatusCode, Json<ReviewRecorded>), ApiError> {
    let r = reviews::record_review(&s.store, &viewer.actor, school, CycleId(cycle), content).await?;
    Ok((StatusCode::CREATED, Json(ReviewRecorded { review: r.review, next_cycle: r.next_cycle })))
}

#[utoipa::path(get, path = "/api/schools/{school}/reviews/{review}", tag = "reviews", params(("school" = i64, Path), ("review" = i64, Path)),
    responses((status = 200, body = Review), (status = 404, body = ErrorBody)))]
async fn get_review(State(s): State<AppState>, viewer: Viewer, Path((school, review)): Path<(i64, i64)>) -> Result<Json<Review>, ApiError> {
    let r = reviews::review(&s.store, &viewer.actor, school, ReviewId(review)).await?;
    Ok(Json(r))
}

#[utoipa::path(put, path = "/api/schools/{school}/reviews/{review}", tag = "reviews", params(("school" = i64, Path), ("review" = i64, Path)), request_body = ReviewCorrection,
    responses((status = 200, body = Review), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn correct_review(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, review)): Path<(i64, i64)>,
    ApiJson(req): ApiJson<ReviewCorrection>,
) -> Result<Json<Review>, ApiError> {
    Ok(Json(reviews::correct_review(&s.store, &viewer.actor, school, ReviewId(review), req.version, req.content).await?))
}
