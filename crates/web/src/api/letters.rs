//! The school's letters (R04, R08) through the API: each kind with its wording now and
//! what it can fill in; and saving the school's wording of one, checked for
//! placeholders.

use axum::Json;
use axum::extract::{Path, State};
use senplan_app::AppError;
use senplan_app::letters::{self, SchoolLetter};
use senplan_core::letters::{LetterKind, LetterTemplate, Placeholder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_letters)).routes(routes!(put_letter))
}

/// One kind of letter: the wording used now (senplan's while `version` is 0).
#[derive(Serialize, ToSchema)]
pub struct LetterOut {
    pub kind: LetterKind,
    pub label: String,
    pub version: i64,
    pub updated_at: Option<String>,
    pub template: LetterTemplate,
    pub placeholders: Vec<Placeholder>,
}

fn out(l: SchoolLetter) -> LetterOut {
    LetterOut {
        kind: l.kind,
        label: l.kind.label().to_owned(),
        version: l.version(),
        updated_at: l.saved.map(|s| s.updated_at),
        template: l.template,
        placeholders: l.kind.placeholders(),
    }
}

/// The school's wording of a letter, based on `version` (0 to replace senplan's).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterIn {
    pub version: i64,
    pub subject: String,
    pub body: String,
}

#[utoipa::path(get, path = "/api/schools/{school}/letters", tag = "documents", params(("school" = i64, Path)),
    responses((status = 200, body = Vec<LetterOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_letters(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<Vec<LetterOut>>, ApiError> {
    Ok(Json(letters::letters(&s.store, &viewer.actor, school).await?.into_iter().map(out).collect()))
}

#[utoipa::path(put, path = "/api/schools/{school}/letters/{kind}", tag = "documents", params(("school" = i64, Path), ("kind" = LetterKind, Path)), request_body = LetterIn,
    responses((status = 200, body = LetterOut),
        (status = 400, description = "A placeholder the letter cannot fill, a brace left open, no subject or no text", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn put_letter(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, kind)): Path<(i64, String)>,
    ApiJson(b): ApiJson<LetterIn>,
) -> Result<Json<LetterOut>, ApiError> {
    let kind = LetterKind::parse(&kind).ok_or(AppError::NotFound("letter"))?;
    let template = LetterTemplate { subject: b.subject, body: b.body };
    let saved = letters::save_letter(&s.store, &viewer.actor, school, kind, b.version, template).await?;
    Ok(Json(out(SchoolLetter { kind, template: saved.template.clone(), saved: Some(saved) })))
}
