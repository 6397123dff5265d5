//! Around the cycle (issue 11): meetings with parents (R14), telling parents about SEN
//! support (R08), the designated SENCO (R22) and the compliance dashboard (R22).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use senplan_app::dashboard::dashboard;
use senplan_app::meetings::{self, Answering};
use senplan_core::compliance::Finding;
use senplan_core::duties::{Senco, SencoStanding};
use senplan_core::ids::PupilId;
use senplan_core::informing::ParentsTold;
use senplan_core::meeting::{Held, Meeting, MeetingsInYear, Outcome, Schedule};
use senplan_core::record::School;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;
use as_of::AsOf;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, add_meeting))
        .routes(routes!(get_meeting))
        .routes(routes!(conclude))
        .routes(routes!(action_done))
        .routes(routes!(parents_told))
        .routes(routes!(save_senco))
        .routes(routes!(compliance))
}

/// A meeting as stored.
#[derive(Serialize, ToSchema)]
pub struct MeetingOut {
    pub id: i64,
    pub pupil_id: PupilId,
    /// The family's request for a meeting this one answered.
    pub request_id: Option<i64>,
    pub version: i64,
    pub updated_at: String,
    /// `scheduled`, `held` or `cancelled`.
    pub state: String,
    pub meeting: Meeting,
}

impl From<senplan_store::meetings::MeetingRecord> for MeetingOut {
    fn from(m: senplan_store::meetings::MeetingRecord) -> Self {
        MeetingOut {
            id: m.id,
            pupil_id: m.pupil_id,
            request_id: m.request_id,
            version: m.version,
            updated_at: m.updated_at,
            state: m.meeting.state().to_owned(),
            meeting: m.meeting,
        }
    }
}

/// A pupil's meetings and where they stand.
#[derive(Serialize, ToSchema)]
pub struct MeetingsOut {
    /// Latest first.
    pub meetings: Vec<MeetingOut>,
    /// Qualifying meetings in the last twelve months against those expected (pupils on SEN support).
    pub year: Option<MeetingsInYear>,
    /// That the parents were told about SEN support, once recorded.
    pub parents_told: Option<ParentsTold>,
    /// The version of that record (0 before it exists), for the next change.
    pub parents_told_version: i64,
    pub parents_not_yet_told: bool,
    /// The letter telling the parents, as text.
    pub letter: String,
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/meetings", tag = "meetings", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, body = MeetingsOut), (status = 404, body = ErrorBody)))]
async fn list_meetings(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<MeetingsOut>, ApiError> {
    let v = meetings::meetings(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(Json(MeetingsOut {
        meetings: v.meetings.into_iter().map(Into::into).collect(),
        year: v.year,
        parents_told_version: v.told.as_ref().map_or(0, |t| t.version),
        parents_told: v.told.map(|t| t.told),
        parents_not_yet_told: v.must_tell,
        letter: v.letter,
    }))
}

/// The family's request a meeting answers, and the request's version.
#[derive(Deserialize, ToSchema)]
pub struct AnsweringIn {
    pub request: i64,
    pub version: i64,
}

/// A meeting to schedule (today or later), or — with `held` — one already held
/// (dated today or before) with what happened.
#[derive(Deserialize, ToSchema)]
pub struct NewMeeting {
    pub schedule: Schedule,
    #[serde(default)]
    pub held: Option<Held>,
    /// The family's request for a meeting this one answers (it is then done, with the booking as its note).
    #[serde(default)]
    pub answering: Option<AnsweringIn>,
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils/{pupil}/meetings", tag = "meetings", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = NewMeeting,
    responses((status = 201, body = MeetingOut), (status = 400, description = "A field is wrong: a date passed, no family invited, an action without an owner…", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn add_meeting(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<NewMeeting>,
) -> Result<(StatusCode, Json<MeetingOut>), ApiError> {
    let pupil = PupilId(pupil);
    let saved = match input.held {
        Some(held) => meetings::record_held(&s.store, &viewer.actor, school, pupil, input.schedule, held).await?,
        None => {
            let answering = input.answering.map(|a| Answering { request: a.request, version: a.version });
            meetings::schedule(&s.store, &viewer.actor, school, pupil, input.schedule, answering).await?
        }
    };
    Ok((StatusCode::CREATED, Json(saved.into())))
}

#[utoipa::path(get, path = "/api/schools/{school}/meetings/{meeting}", tag = "meetings", params(("school" = i64, Path), ("meeting" = i64, Path)),
    responses((status = 200, body = MeetingOut), (status = 404, body = ErrorBody)))]
async fn get_meeting(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>) -> Result<Json<MeetingOut>, ApiError> {
    Ok(Json(meetings::meeting(&s.store, &viewer.actor, school, id).await?.0.into()))
}

/// What happened to a scheduled meeting: `{"state": "held", ...}` with who came, notes
/// and agreed actions, or `{"state": "cancelled", "on": …, "reason": …}`.
#[derive(Deserialize, ToSchema)]
pub struct Conclusion {
    pub version: i64,
    pub outcome: Outcome,
}

#[utoipa::path(post, path = "/api/schools/{school}/meetings/{meeting}/outcome", tag = "meetings", params(("school" = i64, Path), ("meeting" = i64, Path)), request_body = Conclusion,
    responses((status = 200, body = MeetingOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn conclude(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id)): Path<(i64, i64)>,
    ApiJson(c): ApiJson<Conclusion>,
) -> Result<Json<MeetingOut>, ApiError> {
    Ok(Json(meetings::conclude_meeting(&s.store, &viewer.actor, school, id, c.version, c.outcome).await?.into()))
}

/// The day an agreed action was done.
#[derive(Deserialize, ToSchema)]
pub struct ActionDone {
    pub version: i64,
    pub on: NaiveDate,
}

#[utoipa::path(post, path = "/api/schools/{school}/meetings/{meeting}/actions/{action}/done", tag = "meetings",
    params(("school" = i64, Path), ("meeting" = i64, Path), ("action" = usize, Path, description = "The action's position, from 0")), request_body = ActionDone,
    responses((status = 200, body = MeetingOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn action_done(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id, index)): Path<(i64, i64, usize)>,
    ApiJson(d): ApiJson<ActionDone>,
) -> Result<Json<MeetingOut>, ApiError> {
    Ok(Json(meetings::complete(&s.store, &viewer.actor, school, id, d.version, index, d.on).await?.into()))
}

/// That the parents were told, based on `version` (0 for the first record).
#[derive(Deserialize, ToSchema)]
pub struct ToldIn {
    pub version: i64,
    pub told: ParentsTold,
}

/// The record as stored.
#[derive(Serialize, ToSchema)]
pub struct ToldOut {
    pub version: i64,
    pub told: ParentsTold,
}

#[utoipa::path(put, path = "/api/schools/{school}/pupils/{pupil}/parents-told", tag = "meetings", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = ToldIn,
    responses((status = 200, body = ToldOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn parents_told(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    ApiJson(t): ApiJson<ToldIn>,
) -> Result<Json<ToldOut>, ApiError> {
    let r = meetings::record_parents_told(&s.store, &viewer.actor, school, PupilId(pupil), t.version, t.told).await?;
    Ok(Json(ToldOut { version: r.version, told: r.told }))
}

/// The designated SENCO, based on the school's `version`.
#[derive(Deserialize, ToSchema)]
pub struct SencoIn {
    pub version: i64,
    pub senco: Senco,
}

#[utoipa::path(put, path = "/api/schools/{school}/senco", tag = "meetings", params(("school" = i64, Path)), request_body = SencoIn,
    responses((status = 200, body = School), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn save_senco(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(b): ApiJson<SencoIn>) -> Result<Json<School>, ApiError> {
    Ok(Json(senplan_app::schools::save_senco(&s.store, &viewer.actor, school, b.version, b.senco).await?))
}

/// The compliance dashboard: every check with its count; the pupils it concerns for
/// the SENCO (empty for leadership, who see counts only).
#[derive(Serialize, ToSchema)]
pub struct ComplianceOut {
    pub as_of: NaiveDate,
    pub names: bool,
    pub findings: Vec<Finding>,
    pub senco: SencoStanding,
    pub senco_in_words: String,
    /// Where the published SEN information report stands: missing, current, or
    /// overdue for its annual review (R23).
    pub information_report: senplan_core::info_report::ReportStanding,
}

#[utoipa::path(get, path = "/api/schools/{school}/compliance", tag = "meetings", params(("school" = i64, Path), AsOf),
    responses((status = 200, body = ComplianceOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn compliance(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<AsOf>) -> Result<Json<ComplianceOut>, ApiError> {
    let d = dashboard(&s.store, &viewer.actor, school, q.day()?).await?;
    Ok(Json(ComplianceOut {
        as_of: d.as_of,
        names: d.names,
        senco_in_words: d.senco.in_words(),
        senco: d.senco,
        findings: d.findings,
        information_report: d.report,
    }))
}

/// The day a figure is computed for, as a query parameter (the dashboard's page, CSV and API).
pub mod as_of {
    use chrono::NaiveDate;
    use senplan_core::Invalid;
    use serde::Deserialize;

    /// `?on=YYYY-MM-DD`: the day the dashboard is computed for (today if absent).
    #[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
    #[into_params(parameter_in = Query)]
    pub struct AsOf {
        pub on: Option<String>,
    }

    impl AsOf {
        /// The day asked for, or a field error naming `on`.
        pub fn day(&self) -> Result<Option<NaiveDate>, Invalid> {
            match self.on.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => match senplan_core::dates::parse_typed(v) {
                    Some(Ok(d)) => Ok(Some(d)),
                    Some(Err(why)) => Err(Invalid::one("on", "invalid_date", why)),
                    None => Err(Invalid::one("on", "invalid_date", format!("'{v}' is not a date: use YYYY-MM-DD, for example 2026-11-27"))),
                },
            }
        }
    }
}
