//! Schools: the signed-in person's own school.
//!
//! Adding a school is a system-level act, above any one school: it is done on the
//! command line (`senplan school add`) by whoever runs the installation. There is no
//! route for it here, so no school's administrator can create schools through the
//! web; `POST /api/schools` answers 405 `method_not_allowed`. When senplan has a
//! system administrator's role, the route can come back behind it.

use axum::Json;
use axum::extract::{Path, State};
use senplan_core::record::School;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_schools)).routes(routes!(get_school))
}

#[utoipa::path(get, path = "/api/schools", tag = "schools", responses((status = 200, body = Vec<School>)))]
async fn list_schools(State(s): State<AppState>, viewer: Viewer) -> Result<Json<Vec<School>>, ApiError> {
    Ok(Json(senplan_app::schools::schools(&s.store, &viewer.actor).await?))
}

#[utoipa::path(get, path = "/api/schools/{school}", tag = "schools", params(("school" = i64, Path)),
    responses((status = 200, body = School), (status = 404, body = ErrorBody)))]
async fn get_school(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<School>, ApiError> {
    Ok(Json(senplan_app::schools::school(&s.store, &viewer.actor, school).await?))
}
