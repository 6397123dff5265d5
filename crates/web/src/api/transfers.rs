//! Transfers and the census (R24) through the API: the SEN codes of a census return,
//! a Common Transfer File for leaving pupils (the XML, named by the DfE convention in
//! `Content-Disposition`), and a CTF from another school read in (`dry_run=true` to
//! check it first), on the upload routes' larger limit. The use cases are
//! `app::census` and `app::transfer`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use senplan_app::AppError;
use senplan_app::census;
use senplan_app::transfer::{self, Destination};
use senplan_core::ids::PupilId;
use senplan_core::status::SenStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_census)).routes(routes!(post_ctf)).routes(routes!(post_bundle))
}

pub fn upload_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_ctf)).routes(routes!(import_bundle))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CensusQuery {
    /// A census day (YYYY-MM-DD); the latest one if not given.
    pub day: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CensusNeedOut {
    pub rank: u8,
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct CensusPupilOut {
    pub upn: String,
    pub surname: String,
    pub forename: String,
    pub provision: SenStatus,
    pub needs: Vec<CensusNeedOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CensusProblemOut {
    pub upn: String,
    pub code: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct CensusOut {
    pub day: chrono::NaiveDate,
    pub pupils: Vec<CensusPupilOut>,
    /// What census software would refuse or query.
    pub problems: Vec<CensusProblemOut>,
}

#[utoipa::path(get, path = "/api/schools/{school}/census", tag = "pupils", params(("school" = i64, Path), CensusQuery),
    responses((status = 200, body = CensusOut), (status = 400, description = "Not a date, or not a census day", body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_census(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<CensusQuery>) -> Result<Json<CensusOut>, ApiError> {
    let day = match q.day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(v) => Some(match senplan_core::dates::parse_typed(v) {
            Some(Ok(d)) => d,
            Some(Err(why)) => return Err(AppError::Invalid(senplan_core::Invalid::one("day", "invalid_date", why)).into()),
            None => return Err(AppError::Invalid(senplan_core::Invalid::one("day", "invalid_date", format!("'{v}' is not a date: use YYYY-MM-DD"))).into()),
        }),
    };
    let r = census::census_return(&s.store, &viewer.actor, school, day).await?;
    Ok(Json(CensusOut {
        day: r.day,
        pupils: r
            .pupils
            .into_iter()
            .map(|p| CensusPupilOut {
                upn: p.upn.as_str().to_owned(),
                surname: p.surname,
                forename: p.forename,
                provision: p.provision,
                needs: p.needs.iter().map(|n| CensusNeedOut { rank: n.rank, code: n.code.code().to_owned() }).collect(),
            })
            .collect(),
        problems: r.problems.into_iter().map(|p| CensusProblemOut { upn: p.upn, code: p.code, message: p.message }).collect(),
    }))
}

/// Pupils leaving, and where to.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CtfIn {
    /// The destination's LAESTAB (7 digits).
    pub destination: String,
    #[serde(default)]
    pub destination_urn: String,
    pub pupils: Vec<i64>,
}

#[utoipa::path(post, path = "/api/schools/{school}/ctf", tag = "pupils", params(("school" = i64, Path)), request_body = CtfIn,
    responses((status = 200, description = "The Common Transfer File, named in Content-Disposition", content_type = "application/xml", body = String),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn post_ctf(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(b): ApiJson<CtfIn>) -> Result<Response, ApiError> {
    transfer::may_transfer(&viewer.actor, school)?;
    let dest = Destination::parse(&b.destination, &b.destination_urn)?;
    let pupils: Vec<PupilId> = b.pupils.into_iter().map(PupilId).collect();
    let f = transfer::export_ctf(&s.store, &viewer.actor, school, &pupils, &dest).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/xml".to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", f.file_name))],
        f.xml,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DryRun {
    /// Only say what the file would change.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ConflictOut {
    pub upn: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct RefusedPupilOut {
    /// The pupil's place in the file (1 = first).
    pub index: usize,
    pub upn: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct CtfImportOut {
    pub from: String,
    pub version: String,
    pub warnings: Vec<String>,
    pub pupils: usize,
    pub added: Vec<String>,
    pub merged: Vec<String>,
    pub unchanged: Vec<String>,
    pub conflicts: Vec<ConflictOut>,
    pub refused: Vec<RefusedPupilOut>,
    pub applied: bool,
}

#[utoipa::path(post, path = "/api/schools/{school}/ctf-import", tag = "pupils", params(("school" = i64, Path), DryRun),
    request_body(content = String, content_type = "application/xml", description = "A Common Transfer File"),
    responses((status = 200, body = CtfImportOut), (status = 400, description = "Not a CTF, or a pupil in it refused (nothing changed)", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn import_ctf(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<DryRun>, body: Bytes) -> Result<(StatusCode, Json<CtfImportOut>), ApiError> {
    let i = transfer::import_ctf(&s.store, &viewer.actor, school, &body, !q.dry_run).await?;
    let status = if i.refused.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok((
        status,
        Json(CtfImportOut {
            from: i.from,
            version: i.version,
            warnings: i.warnings,
            pupils: i.pupils,
            added: i.added,
            merged: i.merged,
            unchanged: i.unchanged,
            conflicts: i.conflicts.into_iter().map(|(upn, message)| ConflictOut { upn, message }).collect(),
            refused: i.refused.into_iter().map(|(index, upn, message)| RefusedPupilOut { index, upn, message }).collect(),
            applied: i.applied,
        }),
    ))
}

/// Pupils whose whole SEN record to send.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleIn {
    pub pupils: Vec<i64>,
}

#[utoipa::path(post, path = "/api/schools/{school}/transfer-bundle", tag = "pupils", params(("school" = i64, Path)), request_body = BundleIn,
    responses((status = 200, description = "The senplan transfer bundle (senplan-transfer/1)", body = senplan_core::transfer::bundle::TransferBundle),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn post_bundle(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(b): ApiJson<BundleIn>) -> Result<Json<senplan_core::transfer::bundle::TransferBundle>, ApiError> {
    let pupils: Vec<PupilId> = b.pupils.into_iter().map(PupilId).collect();
    Ok(Json(senplan_app::transfer_bundle::export_bundle(&s.store, &viewer.actor, school, &pupils).await?))
}

#[derive(Serialize, ToSchema)]
pub struct BundleImportOut {
    pub from: String,
    pub added: Vec<String>,
    pub refused: Vec<ConflictOut>,
    /// What to check: provision that arrives not yet costed.
    pub notes: Vec<ConflictOut>,
    pub applied: bool,
}

#[utoipa::path(post, path = "/api/schools/{school}/transfer-bundle/import", tag = "pupils", params(("school" = i64, Path), DryRun),
    request_body(content = senplan_core::transfer::bundle::TransferBundle, content_type = "application/json", description = "A senplan transfer bundle"),
    responses((status = 200, body = BundleImportOut), (status = 400, description = "Not a transfer bundle (the field at fault named), or a pupil already at this school (nothing changed)", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn import_bundle(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<DryRun>, body: Bytes) -> Result<(StatusCode, Json<BundleImportOut>), ApiError> {
    transfer::may_transfer(&viewer.actor, school)?;
    let bundle = senplan_app::transfer_bundle::read_bundle(&body)?;
    let i = senplan_app::transfer_bundle::import_bundle(&s.store, &viewer.actor, school, bundle, !q.dry_run).await?;
    let status = if i.refused.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok((
        status,
        Json(BundleImportOut {
            from: i.from,
            added: i.added,
            refused: i.refused.into_iter().map(|(upn, message)| ConflictOut { upn, message }).collect(),
            notes: i.notes.into_iter().map(|(upn, message)| ConflictOut { upn, message }).collect(),
            applied: i.applied,
        }),
    ))
}
