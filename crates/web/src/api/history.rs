//! History (R20): every version of a school, pupil, needs list, cycle, plan or review,
//! with who saved it and when.

use axum::Json;
use axum::extract::{Path, State};
use senplan_core::record::HistoryEntry;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(history))
}

#[utoipa::path(get, path = "/api/schools/{school}/history/{entity}/{id}", tag = "history",
    params(("school" = i64, Path), ("entity" = String, Path, description = "school, pupil, needs (by pupil id), cycle, plan, review, costing_settings (by school id) or impact"), ("id" = i64, Path)),
    responses((status = 200, description = "Every version, oldest first", body = Vec<HistoryEntry>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn history(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, entity, id)): Path<(i64, String, i64)>,
) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    Ok(Json(senplan_app::history::history(&s.store, &viewer.actor, school, &entity, id).await?.entries))
}
