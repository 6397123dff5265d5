//! The SEN information report (R23) through the API: the SENCO reads and saves it (a
//! draft, or published); anyone reads the published report of a school by its URN.

use axum::Json;
use axum::extract::{Path, State};
use senplan_app::info_report;
use senplan_core::info_report::{InfoReport, InfoReportInput, Intent, ReportStanding};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_report, put_report)).routes(routes!(public_report))
}

/// The report as last saved, what is published, and where it stands.
#[derive(Serialize, ToSchema)]
pub struct InfoReportOut {
    /// The version the next save must name: 0 before the first save.
    pub version: i64,
    pub report: InfoReport,
    pub published_version: Option<i64>,
    pub published_on: Option<chrono::NaiveDate>,
    pub standing: ReportStanding,
    /// The public page's address.
    pub public_path: String,
}

/// The report to save, based on `version`; `publish` publishes it (every section
/// written), otherwise it is kept as a draft.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InfoReportIn {
    pub version: i64,
    #[serde(default)]
    pub publish: bool,
    #[serde(flatten)]
    pub report: InfoReportInput,
}

async fn current(s: &AppState, viewer: &Viewer, school: i64) -> Result<InfoReportOut, ApiError> {
    let e = info_report::editor(&s.store, &viewer.actor, school).await?;
    Ok(InfoReportOut {
        version: e.version,
        report: e.report,
        published_version: e.published.as_ref().map(|p| p.version),
        published_on: e.published.as_ref().map(|p| p.published_on),
        standing: e.standing,
        public_path: format!("/information-report/{}", e.school.details.urn),
    })
}

#[utoipa::path(get, path = "/api/schools/{school}/information-report", tag = "schools", params(("school" = i64, Path)),
    responses((status = 200, body = InfoReportOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_report(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Json<InfoReportOut>, ApiError> {
    Ok(Json(current(&s, &viewer, school).await?))
}

#[utoipa::path(put, path = "/api/schools/{school}/information-report", tag = "schools", params(("school" = i64, Path)), request_body = InfoReportIn,
    responses((status = 200, body = InfoReportOut),
        (status = 400, description = "A section too long, an unknown section, a Local Offer address that is not a web address, no review date or one in the future; to publish, a section left empty", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn put_report(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    ApiJson(b): ApiJson<InfoReportIn>,
) -> Result<Json<InfoReportOut>, ApiError> {
    let intent = if b.publish { Intent::Publish } else { Intent::Draft };
    info_report::save(&s.store, &viewer.actor, school, b.version, &b.report, intent).await?;
    Ok(Json(current(&s, &viewer, school).await?))
}

/// A published report as the public reads it.
#[derive(Serialize, ToSchema)]
pub struct PublicReportOut {
    pub school_name: String,
    pub urn: String,
    pub version: i64,
    pub published_on: chrono::NaiveDate,
    pub standing: ReportStanding,
    pub report: InfoReport,
    /// Counts as shown: "12", "fewer than 5" or "not shown".
    pub figures: Vec<FigureOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FigureOut {
    pub label: String,
    pub shown: String,
}

#[utoipa::path(get, path = "/api/information-report/{urn}", tag = "schools", params(("urn" = String, Path)),
    responses((status = 200, body = PublicReportOut), (status = 404, description = "No school with that URN, or none published", body = ErrorBody)))]
async fn public_report(State(s): State<AppState>, Path(urn): Path<String>) -> Result<Json<PublicReportOut>, ApiError> {
    let r = info_report::public_report(&s.store, &urn, chrono::Utc::now().date_naive()).await?;
    Ok(Json(PublicReportOut {
        school_name: r.school_name,
        urn: r.urn,
        version: r.published.version,
        published_on: r.published.published_on,
        standing: r.standing,
        report: r.published.report,
        figures: r.figures.into_iter().map(|(label, shown)| FigureOut { label, shown }).collect(),
    }))
}
