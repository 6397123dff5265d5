//! Documents to download (R09): a copy of a plan or a review as an accessible PDF, for
//! staff from the pupil's record, the cycle and the plan, and for the family from the
//! portal; the pupil passport on one page (R30); the evidence pack (R19), the records
//! copy (R20) and the application for top-up funding (R16, PDF and CSV). The use cases in `senplan_app::documents` decide who gets which copy and
//! audit it; these handlers read the query and send the file.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use senplan_app::documents::{self, CopyFor};
use senplan_core::Invalid;
use senplan_core::ids::{PlanId, PupilId, ReviewId};
use senplan_docs::Pdf;
use serde::Deserialize;

use super::PageResult;
use crate::AppState;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/plans/{plan}/copy.pdf", plan_copy)
        .get("/schools/{school}/reviews/{review}/copy.pdf", review_copy)
        .get("/schools/{school}/pupils/{pupil}/letters/sen-support.pdf", sen_support_letter)
        .get("/portal/pupils/{pupil}/plan.pdf", portal_plan)
        .get("/portal/pupils/{pupil}/reviews/{review}/copy.pdf", portal_review)
        .get("/schools/{school}/pupils/{pupil}/passport.pdf", passport)
        .get("/schools/{school}/pupils/{pupil}/evidence-pack.pdf", evidence_pack)
        .get("/schools/{school}/pupils/{pupil}/records-copy.pdf", records_copy)
        .get("/schools/{school}/pupils/{pupil}/records-copy.json", records_json)
        .get("/schools/{school}/plan-copies.zip", plan_copies)
        .get("/schools/{school}/pupils/{pupil}/top-up-application.pdf", topup_pdf)
        .get("/schools/{school}/pupils/{pupil}/top-up-application.csv", topup_csv)
        .get("/portal/pupils/{pupil}/passport.pdf", portal_passport)
}

/// Which copy, and which version: `?for=staff|family|parent|young_person&version=2`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CopyQuery {
    /// `staff` (the default), `family` (the parent's, or the young person's from 16),
    /// `parent` or `young_person`.
    #[serde(rename = "for")]
    pub for_: Option<String>,
    /// A version of the record; the current one if left out.
    pub version: Option<String>,
}

impl CopyQuery {
    /// The copy asked for, or an error naming the parameter at fault.
    pub fn read(&self) -> Result<(CopyFor, Option<i64>), Invalid> {
        let mut e = Invalid::default();
        let for_ = match self.for_.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            None => Some(CopyFor::Staff),
            Some(f) => CopyFor::parse(f).or_else(|| {
                e.push("for", "unknown_audience", format!("'{f}' is not a copy senplan makes: use staff, family, parent or young_person"));
                None
            }),
        };
        let version = match self.version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => match v.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    e.push("version", "not_a_version", format!("'{v}' is not a version: versions are numbered from 1"));
                    None
                }
            },
        };
        e.into_result()?;
        Ok((for_.unwrap_or(CopyFor::Staff), version))
    }
}

/// The PDF as a download named by the document.
pub fn pdf_response(pdf: Pdf) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", pdf.file_name)),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf.bytes,
    )
        .into_response()
}

async fn plan_copy(State(s): State<AppState>, viewer: Viewer, Path((school, plan)): Path<(i64, i64)>, Query(q): Query<CopyQuery>) -> PageResult {
    let (for_, version) = q.read().map_err(crate::error::ApiError::Invalid)?;
    Ok(pdf_response(documents::plan_copy(&s.store, &viewer.actor, school, PlanId(plan), version, for_).await?))
}

async fn review_copy(State(s): State<AppState>, viewer: Viewer, Path((school, review)): Path<(i64, i64)>, Query(q): Query<CopyQuery>) -> PageResult {
    let (for_, version) = q.read().map_err(crate::error::ApiError::Invalid)?;
    Ok(pdf_response(documents::review_copy(&s.store, &viewer.actor, school, ReviewId(review), version, for_).await?))
}

async fn portal_plan(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>) -> PageResult {
    Ok(pdf_response(documents::portal_plan_copy(&s.store, &viewer.actor, PupilId(pupil)).await?))
}

async fn portal_review(State(s): State<AppState>, viewer: Viewer, Path((pupil, review)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(documents::portal_review_copy(&s.store, &viewer.actor, PupilId(pupil), ReviewId(review)).await?))
}

async fn sen_support_letter(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(senplan_app::letters::sen_support_letter(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

async fn passport(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, Query(q): Query<CopyQuery>) -> PageResult {
    let (_, version) = q.read().map_err(crate::error::ApiError::Invalid)?;
    let via = senplan_app::passports::Via::Staff { school };
    Ok(pdf_response(senplan_app::passports::passport_pdf(&s.store, &viewer.actor, via, PupilId(pupil), version).await?))
}

async fn portal_passport(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>, Query(q): Query<CopyQuery>) -> PageResult {
    let (_, version) = q.read().map_err(crate::error::ApiError::Invalid)?;
    Ok(pdf_response(senplan_app::passports::passport_pdf(&s.store, &viewer.actor, senplan_app::passports::Via::Portal, PupilId(pupil), version).await?))
}

async fn evidence_pack(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(senplan_app::ehc::evidence_pack(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

/// Which class's plan copies: `?year=4&for=staff`.
#[derive(Debug, Default, Deserialize)]
struct ClassQuery {
    year: Option<String>,
    #[serde(rename = "for")]
    for_: Option<String>,
}

/// A class's plan copies in one zip (R09).
async fn plan_copies(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<ClassQuery>) -> PageResult {
    let (for_, _) = CopyQuery { for_: q.for_, version: None }.read().map_err(crate::error::ApiError::Invalid)?;
    let year = q.year.as_deref().map(str::trim).filter(|y| !y.is_empty());
    let z = senplan_app::class_copies::plan_copies(&s.store, &viewer.actor, school, year, for_).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", z.file_name)),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        z.bytes,
    )
        .into_response())
}

async fn topup_pdf(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(senplan_app::topup::topup_pdf(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

/// The top-up application's figures as a spreadsheet (R16).
async fn topup_csv(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    let doc = senplan_app::topup::topup_for_csv(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let name = senplan_docs::file_name(&["top-up funding application", &doc.context.pupil_full_name, &doc.context.produced_on.to_string()], "csv");
    Ok(crate::costing::csv_export::download(&name, crate::costing::csv_export::topup(&doc)?))
}

async fn records_copy(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(senplan_app::records_copy::records_copy_pdf(&s.store, &viewer.actor, school, PupilId(pupil)).await?))
}

/// The copy of the records as data, a JSON file to download.
async fn records_json(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    let bundle = senplan_app::records_copy::records_bundle(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let d = &bundle.pupil.details;
    let name = senplan_docs::file_name(&["sen records", &d.given_name, &d.family_name, &bundle.produced_on.to_string()], "json");
    let body = serde_json::to_vec_pretty(&bundle).map_err(|_| crate::error::ApiError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
