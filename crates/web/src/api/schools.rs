//! Schools: the signed-in person's own school; administrators create schools.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use senplan_core::record::School;
use senplan_core::school::SchoolInput;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;
use senplan_core::access::Permission;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_schools, create_school)).routes(routes!(get_school))
}

#[utoipa::path(get, path = "/api/schools", tag = "schools", responses((status = 200, body = Vec<School>)))]
async fn list_schools(State(s): State<AppState>, viewer: Viewer) -> Result<Json<Vec<School>>, ApiError> {
    Ok(Json(vec![s.store.school(viewer.user.school_id).await?]))
}

#[utoipa::path(post, path = "/api/schools", tag = "schools", request_body = SchoolInput,
    responses((status = 201, body = School), (status = 400, body = ErrorBody)))]
async fn create_school(
    State(s): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<(StatusCode, Json<School>), ApiError> {
    viewer.require(Permission::Administer)?;
    let details = input.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_school(&details, &viewer.ctx()).await?)))
}

#[utoipa::path(get, path = "/api/schools/{school}", tag = "schools", params(("school" = i64, Path)),
    responses((status = 200, body = School), (status = 404, body = ErrorBody)))]
async fn get_school(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<School>, ApiError> {
    Ok(Json(s.store.school(viewer.school(school)?).await?))
}
