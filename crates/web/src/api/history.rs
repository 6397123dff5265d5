//! History (R20): every version of a school, pupil, needs list, cycle, plan or review,
//! with who saved it and when.

use axum::Json;
use axum::extract::{Path, State};
use senplan_core::record::HistoryEntry;
use senplan_store::history::Entity;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::session::Viewer;
use senplan_core::access::Permission;

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
    viewer.school(school)?;
    viewer.require(Permission::ViewRecord)?;
    let entity = Entity::parse(&entity).ok_or_else(|| ApiError::BadRequest {
        code: "unknown_entity",
        field: Some("entity".into()),
        message: format!("'{entity}' keeps no history; expected school, pupil, needs, cycle, plan, review, costing_settings or impact"),
    })?;
    let versions = s.store.history(&viewer.scope(), entity, id).await?;
    if versions.is_empty() {
        return Err(ApiError::NotFound("record"));
    }
    if let Some(pupil) = s.store.pupil_of_record(&viewer.scope(), entity, id).await? {
        viewer.viewed(&s, pupil, &format!("{} history", entity.as_str())).await?;
    }
    Ok(Json(versions))
}
