//! Costing reports as JSON and CSV (R11, R15–R17, R29, R34): the costed provision
//! map for a date range, pupils against the Element 2 threshold, the notional SEN
//! budget, planned against delivered, impact by provision type, and the meeting
//! recap. Dates come from the query string (`from`/`to`, or `on`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use senplan_app::costing::{self, Use};
use senplan_core::costing::{BudgetReport, DeliveryReport, ImpactRow, ProvisionMap, RecapRow, ThresholdReport};
use senplan_core::ids::PupilId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::costing::csv_export::{self, download};
use crate::costing::query::{OnQuery, RangeQuery, today};
use crate::error::{ApiError, ErrorBody};
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(provision_map))
        .routes(routes!(provision_map_csv))
        .routes(routes!(threshold))
        .routes(routes!(threshold_csv))
        .routes(routes!(budget))
        .routes(routes!(budget_csv))
        .routes(routes!(delivery))
        .routes(routes!(impact))
        .routes(routes!(recap))
        .routes(routes!(recap_csv))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/provision-map", tag = "costing reports", params(("school" = i64, Path), RangeQuery),
    responses((status = 200, body = ProvisionMap), (status = 400, description = "Bad dates, or costing not set up", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn provision_map(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Json<ProvisionMap>, ApiError> {
    let (from, to) = q.range(today())?;
    Ok(Json(costing::provision_map(&s.store, &viewer.actor, school, from, to, None, Use::View).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/provision-map.csv", tag = "costing reports", params(("school" = i64, Path), RangeQuery),
    responses((status = 200, description = "The costed provision map, one row per provision per pupil (`pupil` for one pupil)", content_type = "text/csv", body = String), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn provision_map_csv(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, ApiError> {
    let (from, to) = q.range(today())?;
    let m = costing::provision_map(&s.store, &viewer.actor, school, from, to, q.pupil.map(PupilId), Use::Export("csv")).await?;
    Ok(download(&format!("provision-map-{from}-to-{to}.csv"), csv_export::provision_map(&m, q.pupil)?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/threshold", tag = "costing reports", params(("school" = i64, Path), OnQuery),
    responses((status = 200, body = ThresholdReport), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn threshold(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Json<ThresholdReport>, ApiError> {
    Ok(Json(costing::threshold_report(&s.store, &viewer.actor, school, q.day(today())?, Use::View).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/threshold.csv", tag = "costing reports", params(("school" = i64, Path), OnQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn threshold_csv(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Response, ApiError> {
    let on = q.day(today())?;
    let r = costing::threshold_report(&s.store, &viewer.actor, school, on, Use::Export("csv")).await?;
    Ok(download(&format!("element2-threshold-{on}.csv"), csv_export::threshold(&r)?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/budget", tag = "costing reports", params(("school" = i64, Path), OnQuery),
    responses((status = 200, body = BudgetReport), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn budget(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Json<BudgetReport>, ApiError> {
    Ok(Json(costing::budget_report(&s.store, &viewer.actor, school, q.day(today())?, Use::View).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/budget.csv", tag = "costing reports", params(("school" = i64, Path), OnQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn budget_csv(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Response, ApiError> {
    let b = costing::budget_report(&s.store, &viewer.actor, school, q.day(today())?, Use::Export("csv")).await?;
    Ok(download(&format!("sen-budget-{}-to-{}.csv", b.year_start, b.year_end), csv_export::budget(&b)?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/delivery", tag = "costing reports", params(("school" = i64, Path), RangeQuery),
    responses((status = 200, body = DeliveryReport), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delivery(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Json<DeliveryReport>, ApiError> {
    let (from, to) = q.range(today())?;
    Ok(Json(costing::delivery_report(&s.store, &viewer.actor, school, from, to).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/impact", tag = "costing reports", params(("school" = i64, Path)),
    responses((status = 200, body = Vec<ImpactRow>), (status = 404, body = ErrorBody)))]
async fn impact(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<Vec<ImpactRow>>, ApiError> {
    Ok(Json(costing::impact_report(&s.store, &viewer.actor, school).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/recap", tag = "costing reports", params(("school" = i64, Path), RangeQuery),
    responses((status = 200, body = Vec<RecapRow>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn recap(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Json<Vec<RecapRow>>, ApiError> {
    let (from, to) = q.range(today())?;
    Ok(Json(costing::meeting_recap(&s.store, &viewer.actor, school, from, to, Use::View).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}/costing/recap.csv", tag = "costing reports", params(("school" = i64, Path), RangeQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn recap_csv(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, ApiError> {
    let (from, to) = q.range(today())?;
    let rows = costing::meeting_recap(&s.store, &viewer.actor, school, from, to, Use::Export("csv")).await?;
    Ok(download(&format!("meeting-recap-{from}-to-{to}.csv"), csv_export::recap(&rows)?))
}
