//! Spotting need early (R03): assessments, the progress CSV, the flags and the SENCO's
//! decisions, the school's scale and rules.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use chrono::NaiveDate;
use senplan_app::progress::{self, FlagDecision};
use senplan_core::ids::PupilId;
use senplan_core::progress::decide::{Decision, ProgressSettings};
use senplan_core::progress::two_year::{TwoYearCheck, TwoYearCheckInput};
use senplan_core::progress::{Assessment, Flag, RuleKind};
use senplan_core::record::School;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_flags))
        .routes(routes!(decide))
        .routes(routes!(record))
        .routes(routes!(import))
        .routes(routes!(save_settings))
        .routes(routes!(two_year_check))
        .routes(routes!(raise_concern))
}

/// A member of staff's concern about a pupil's progress.
#[derive(Deserialize, ToSchema)]
pub struct StaffConcernIn {
    pub concern: String,
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils/{pupil}/staff-concerns", tag = "progress", params(("school" = i64, Path), ("pupil" = i64, Path)),
    request_body = StaffConcernIn,
    responses((status = 201, description = "Raised: it lands in the SENCO's progress flags while the pupil is not on SEN support", body = senplan_core::record::Concern),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn raise_concern(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(c): ApiJson<StaffConcernIn>,
) -> Result<(StatusCode, Json<senplan_core::record::Concern>), ApiError> {
    Ok((StatusCode::CREATED, Json(progress::raise_concern(&s.store, &viewer.actor, school, PupilId(pupil), &c.concern).await?)))
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils/{pupil}/two-year-check", tag = "progress", params(("school" = i64, Path), ("pupil" = i64, Path)),
    request_body = TwoYearCheckInput,
    responses((status = 201, body = TwoYearCheck), (status = 400, description = "An area not judged, or the child outside 24 to 36 months on the day", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn two_year_check(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<TwoYearCheckInput>,
) -> Result<(StatusCode, Json<TwoYearCheck>), ApiError> {
    Ok((StatusCode::CREATED, Json(progress::record_two_year_check(&s.store, &viewer.actor, school, PupilId(pupil), input).await?)))
}

/// One undecided flag of a pupil not on the SEN register.
#[derive(Serialize, ToSchema)]
pub struct FlagOut {
    pub pupil: PupilId,
    pub name: String,
    pub year_group: String,
    pub flag: Flag,
}

#[utoipa::path(get, path = "/api/schools/{school}/progress/flags", tag = "progress", params(("school" = i64, Path)),
    responses((status = 200, body = Vec<FlagOut>), (status = 404, body = ErrorBody)))]
async fn list_flags(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<Vec<FlagOut>>, ApiError> {
    let (_, lines) = progress::progress_flags(&s.store, &viewer.actor, school).await?;
    Ok(Json(lines.into_iter().map(|l| FlagOut { pupil: l.pupil, name: l.name, year_group: l.year_group, flag: l.flag }).collect()))
}

/// The SENCO's decision on one flag, naming it by pupil, subject, rule and first date.
#[derive(Deserialize, ToSchema)]
pub struct DecisionIn {
    pub pupil: PupilId,
    pub subject: String,
    pub rule: RuleKind,
    pub since: NaiveDate,
    pub decision: Decision,
}

#[utoipa::path(post, path = "/api/schools/{school}/progress/decisions", tag = "progress", params(("school" = i64, Path)), request_body = DecisionIn,
    responses((status = 204, description = "Decided"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn decide(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(d): ApiJson<DecisionIn>) -> Result<StatusCode, ApiError> {
    let d = FlagDecision { pupil: d.pupil, subject: d.subject, rule: d.rule, since: d.since, decision: d.decision };
    progress::decide(&s.store, &viewer.actor, school, d).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One result for one pupil.
#[derive(Deserialize, ToSchema)]
pub struct ResultIn {
    pub pupil: PupilId,
    #[serde(flatten)]
    pub assessment: Assessment,
}

/// Results to record, all or none.
#[derive(Deserialize, ToSchema)]
pub struct ResultsIn {
    pub rows: Vec<ResultIn>,
}

/// How many results were stored.
#[derive(Serialize, ToSchema)]
pub struct Stored {
    pub stored: usize,
}

#[utoipa::path(post, path = "/api/schools/{school}/progress/assessments", tag = "progress", params(("school" = i64, Path)), request_body = ResultsIn,
    responses((status = 201, body = Stored), (status = 400, description = "A row is wrong: `rows[2].value`…", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn record(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(r): ApiJson<ResultsIn>) -> Result<(StatusCode, Json<Stored>), ApiError> {
    let rows = r.rows.into_iter().map(|r| (r.pupil, r.assessment)).collect();
    let stored = progress::record(&s.store, &viewer.actor, school, rows).await?;
    Ok((StatusCode::CREATED, Json(Stored { stored })))
}

#[utoipa::path(post, path = "/api/schools/{school}/progress/import", tag = "progress", params(("school" = i64, Path)),
    request_body(content = String, content_type = "text/csv", description = "UPN,Subject,Date,Value with a header line"),
    responses((status = 201, body = Stored), (status = 400, description = "Every line with an error, as `file` errors: nothing is stored", body = ErrorBody),
        (status = 415, description = "Not sent as text/csv", body = ErrorBody)))]
async fn import(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, headers: HeaderMap, body: Bytes) -> Result<(StatusCode, Json<Stored>), ApiError> {
    progress::may_import(&viewer.actor, school)?;
    let csv = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/csv") || v.starts_with("text/plain"));
    if !csv {
        return Err(ApiError::NotCsv);
    }
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::BadRequest { code: "not_utf8", field: Some("file".into()), message: "The file is not UTF-8 text: save it as CSV UTF-8".into() })?;
    let stored = progress::import_csv(&s.store, &viewer.actor, school, &text).await?;
    Ok((StatusCode::CREATED, Json(Stored { stored })))
}

/// The school's scale and rules, based on the school's `version`.
#[derive(Deserialize, ToSchema)]
pub struct SettingsIn {
    pub version: i64,
    pub settings: ProgressSettings,
}

#[utoipa::path(put, path = "/api/schools/{school}/progress/settings", tag = "progress", params(("school" = i64, Path)), request_body = SettingsIn,
    responses((status = 200, body = School), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn save_settings(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(b): ApiJson<SettingsIn>) -> Result<Json<School>, ApiError> {
    Ok(Json(progress::save_settings(&s.store, &viewer.actor, school, b.version, b.settings).await?))
}
