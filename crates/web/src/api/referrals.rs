//! Referrals from a pupil's record (R18, R35) through the API: list and open them,
//! record the family's consent, move them on, record the advice received.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use senplan_app::referrals;
use senplan_core::ids::PupilId;
use senplan_core::plan::{Outcome, Provision};
use senplan_core::record::Plan;
use senplan_core::referral::{Consent, Referral, ReferralKind, ReferralSettings, Stage};
use senplan_store::referrals::ReferralRecord;
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
        .routes(routes!(list, open))
        .routes(routes!(get_referral))
        .routes(routes!(consent))
        .routes(routes!(step))
        .routes(routes!(advice))
        .routes(routes!(adopt))
        .routes(routes!(get_settings, put_settings))
}

/// The school's referral settings, with the school's version to change them.
#[derive(Serialize, ToSchema)]
pub struct SettingsOut {
    pub version: i64,
    pub settings: ReferralSettings,
}

#[utoipa::path(get, path = "/api/schools/{school}/referral-settings", tag = "referrals", params(("school" = i64, Path)),
    responses((status = 200, body = SettingsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_settings(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<SettingsOut>, ApiError> {
    let (school, settings) = referrals::settings(&s.store, &viewer.actor, school).await?;
    Ok(Json(SettingsOut { version: school.version, settings }))
}

/// The weeks a referral may wait for the service before the dashboard lists it, based
/// on the school's `version`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsIn {
    pub version: i64,
    /// A whole number from 1 to 104.
    pub wait_weeks: u32,
}

#[utoipa::path(put, path = "/api/schools/{school}/referral-settings", tag = "referrals", params(("school" = i64, Path)), request_body = SettingsIn,
    responses((status = 200, body = SettingsOut), (status = 400, description = "Weeks outside 1 to 104", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn put_settings(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(b): ApiJson<SettingsIn>) -> Result<Json<SettingsOut>, ApiError> {
    let saved = referrals::save_settings(&s.store, &viewer.actor, school, b.version, &b.wait_weeks.to_string()).await?;
    Ok(Json(SettingsOut { version: saved.version, settings: saved.referrals.unwrap_or_default() }))
}

/// A referral with where it stands.
#[derive(Serialize, ToSchema)]
pub struct ReferralOut {
    pub id: i64,
    pub pupil: i64,
    pub version: i64,
    pub stage: Stage,
    pub referral: Referral,
}

pub(crate) fn out(r: ReferralRecord) -> ReferralOut {
    ReferralOut { id: r.id, pupil: r.pupil_id.0, version: r.version, stage: r.referral.stage(), referral: r.referral }
}

#[utoipa::path(get, path = "/api/schools/{school}/pupils/{pupil}/referrals", tag = "referrals", params(("school" = i64, Path), ("pupil" = i64, Path)),
    responses((status = 200, body = Vec<ReferralOut>), (status = 404, body = ErrorBody)))]
async fn list(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Json<Vec<ReferralOut>>, ApiError> {
    Ok(Json(referrals::pupil_referrals(&s.store, &viewer.actor, school, PupilId(pupil)).await?.referrals.into_iter().map(out).collect()))
}

/// A new referral: its kind, the service (from the school's directory) and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenIn {
    pub kind: ReferralKind,
    pub service: i64,
    pub reason: String,
}

#[utoipa::path(post, path = "/api/schools/{school}/pupils/{pupil}/referrals", tag = "referrals", params(("school" = i64, Path), ("pupil" = i64, Path)), request_body = OpenIn,
    responses((status = 201, body = ReferralOut), (status = 400, description = "A service not in the directory, or no reason", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn open(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, ApiJson(b): ApiJson<OpenIn>) -> Result<(StatusCode, Json<ReferralOut>), ApiError> {
    let r = referrals::open_referral(&s.store, &viewer.actor, school, PupilId(pupil), b.kind, b.service, &b.reason).await?;
    Ok((StatusCode::CREATED, Json(out(r))))
}

#[utoipa::path(get, path = "/api/schools/{school}/referrals/{id}", tag = "referrals", params(("school" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ReferralOut), (status = 404, body = ErrorBody)))]
async fn get_referral(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>) -> Result<Json<ReferralOut>, ApiError> {
    Ok(Json(out(referrals::referral(&s.store, &viewer.actor, school, id).await?)))
}

/// The family's consent, based on the referral's `version`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentIn {
    pub version: i64,
    pub consent: Consent,
}

#[utoipa::path(post, path = "/api/schools/{school}/referrals/{id}/consent", tag = "referrals", params(("school" = i64, Path), ("id" = i64, Path)), request_body = ConsentIn,
    responses((status = 200, body = ReferralOut), (status = 400, description = "No name or discussion, a day to come, or the wrong person for the pupil's age", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn consent(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, ApiJson(b): ApiJson<ConsentIn>) -> Result<Json<ReferralOut>, ApiError> {
    Ok(Json(out(referrals::record_consent(&s.store, &viewer.actor, school, id, b.version, b.consent).await?)))
}

/// A step: the stage it moves to, the day, a note (why, when declined).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepIn {
    pub version: i64,
    pub stage: Stage,
    pub on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/schools/{school}/referrals/{id}/steps", tag = "referrals", params(("school" = i64, Path), ("id" = i64, Path)), request_body = StepIn,
    responses((status = 200, body = ReferralOut), (status = 400, description = "Sent without consent, a step out of order, a date before the last or to come", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn step(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, ApiJson(b): ApiJson<StepIn>) -> Result<Json<ReferralOut>, ApiError> {
    Ok(Json(out(referrals::move_referral(&s.store, &viewer.actor, school, id, b.version, &referrals::Step { to: b.stage, on: b.on, note: b.note }).await?)))
}

/// The advice received and the recommendations, one each.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceIn {
    pub version: i64,
    #[serde(default)]
    pub advice: String,
    /// The date of the advice (the report's date).
    pub on: NaiveDate,
    #[serde(default)]
    pub recommendations: Vec<String>,
}

#[utoipa::path(put, path = "/api/schools/{school}/referrals/{id}/advice", tag = "referrals", params(("school" = i64, Path), ("id" = i64, Path)), request_body = AdviceIn,
    responses((status = 200, body = ReferralOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn advice(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, ApiJson(b): ApiJson<AdviceIn>) -> Result<Json<ReferralOut>, ApiError> {
    Ok(Json(out(referrals::record_advice(&s.store, &viewer.actor, school, id, b.version, &referrals::Advice { text: b.advice, on: b.on, recommendations: b.recommendations }).await?)))
}

/// What a recommendation becomes in the pupil's current plan.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "as")]
pub enum AdoptAs {
    /// A strategy, in the recommendation's words.
    Strategy,
    /// An outcome (its number is given by the plan).
    Outcome { outcome: Outcome },
    /// Provision (its number is given by the plan).
    Provision { provision: Provision },
}

/// A recommendation added to the plan, based on the referral's and the plan's versions.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptIn {
    pub version: i64,
    pub plan_version: i64,
    pub adopt: AdoptAs,
}

/// The referral with its new link, and the plan with the recommendation in it.
#[derive(Serialize, ToSchema)]
pub struct AdoptOut {
    pub referral: ReferralOut,
    pub plan: Plan,
}

#[utoipa::path(post, path = "/api/schools/{school}/referrals/{id}/recommendations/{index}", tag = "referrals",
    params(("school" = i64, Path), ("id" = i64, Path), ("index" = usize, Path, description = "The recommendation's place, from 0")), request_body = AdoptIn,
    responses((status = 200, body = AdoptOut), (status = 400, description = "No such recommendation, no plan yet, or an outcome or provision the plan's rules refuse", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn adopt(State(s): State<AppState>, viewer: Viewer, Path((school, id, index)): Path<(i64, i64, usize)>, ApiJson(b): ApiJson<AdoptIn>) -> Result<Json<AdoptOut>, ApiError> {
    let which = referrals::Recommendation { referral: id, version: b.version, index, plan_version: b.plan_version };
    let adopt = match b.adopt {
        AdoptAs::Strategy => referrals::Adopt::Strategy,
        AdoptAs::Outcome { outcome } => referrals::Adopt::Outcome(outcome),
        AdoptAs::Provision { provision } => referrals::Adopt::Provision(provision),
    };
    let (r, plan) = referrals::adopt_recommendation(&s.store, &viewer.actor, school, which, adopt).await?;
    Ok(Json(AdoptOut { referral: out(r), plan }))
}
