//! The pupil passport (R30) through the API: read it, and write its words (the picture
//! is added on the passport page, as a file upload).

use axum::Json;
use axum::extract::{Path, State};
use senplan_app::passports::{self, PassportInput, Via};
use senplan_core::ids::PupilId;
use senplan_core::passport::{Passport, WrittenWith};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_passport, put_passport))
}

/// The passport as stored: `passport` is null and `version` 0 before it is written.
#[derive(Serialize, ToSchema)]
pub struct PassportOut {
    pub version: i64,
    pub updated_at: Option<String>,
    pub passport: Option<Passport>,
}

/// The passport's words, based on `version` (0 for the first). Each section is a list
/// of points in the child's words. A picture already on the passport is kept, with
/// `photo_alt` as its new description when given; `remove_photo` takes it off.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassportIn {
    pub version: i64,
    #[serde(default)]
    pub like_about_me: Vec<String>,
    #[serde(default)]
    pub matters_to_me: Vec<String>,
    #[serde(default)]
    pub how_to_help_me: Vec<String>,
    #[serde(default)]
    pub find_hard: Vec<String>,
    pub written_with: Option<WrittenWith>,
    #[serde(default)]
    pub written_with_names: String,
    #[serde(default)]
    pub photo_alt: String,
    #[serde(default)]
    pub remove_photo: bool,
}

fn out(r: Option<senplan_store::passports::PassportRecord>) -> PassportOut {
    match r {
        Some(r) => PassportOut { version: r.version, updated_at: Some(r.updated_at), passport: Some(r.passport) },
        None => PassportOut { version: 0, updated_at: None, passport: None },
    }
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/passport", tag = "documents", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, body = PassportOut), (status = 404, body = ErrorBody)))]
async fn get_passport(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<PassportOut>, ApiError> {
    let p = passports::passport(&s.store, &viewer.actor, Via::Staff { school }, PupilId(pupil)).await?;
    Ok(Json(out(p.record)))
}

#[utoipa::path(put, path = "/api/schools/{school}/pupils/{pupil}/passport", tag = "documents", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = PassportIn,
    responses((status = 200, body = PassportOut), (status = 400, description = "Nothing written, a section over 8 points, too long for one page, no one named as writing it", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn put_passport(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<PassportIn>,
) -> Result<Json<PassportOut>, ApiError> {
    let input = PassportInput {
        like_about_me: b.like_about_me,
        matters_to_me: b.matters_to_me,
        how_to_help_me: b.how_to_help_me,
        find_hard: b.find_hard,
        written_with: b.written_with,
        written_with_names: b.written_with_names,
        photo_alt: b.photo_alt,
        new_photo: None,
        remove_photo: b.remove_photo,
    };
    let r = passports::save_passport(&s.store, &viewer.actor, Via::Staff { school }, PupilId(pupil), b.version, input).await?;
    Ok(Json(out(Some(r))))
}
