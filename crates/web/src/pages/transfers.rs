//! Transfers and the census (R24), for the SENCO and administrators: the census
//! return's SEN codes for a census day (checked, as CSV or XML), a Common Transfer File
//! for pupils leaving (a download named by the DfE convention), and a CTF from another
//! school read in (checked first, then imported). The use cases are `app::census` and
//! `app::transfer`.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use senplan_app::AppError;
use senplan_app::census::{self, CensusReturn};
use senplan_app::transfer::{self, CtfImport, Destination};
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::status::SenStatus;

use super::fields::{ErrorLink, Errors};
use super::form::Posted;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/transfers", show)
        .get("/schools/{school}/census.csv", census_csv)
        .get("/schools/{school}/census.xml", census_xml)
        .post("/schools/{school}/transfers/ctf", export)
}

pub(crate) fn upload_routes() -> Routes {
    Routes::new().post("/schools/{school}/transfers/ctf-import", import)
}

#[derive(serde::Deserialize)]
struct DayQuery {
    day: Option<String>,
}

/// The census day asked for, as a date, or a field error on `day`.
fn day(q: &DayQuery) -> Result<Option<chrono::NaiveDate>, AppError> {
    match q.day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(v) => match senplan_core::dates::parse_typed(v) {
            Some(Ok(d)) => Ok(Some(d)),
            Some(Err(why)) => Err(AppError::Invalid(Invalid::one("day", "invalid_date", why))),
            None => Err(AppError::Invalid(Invalid::one(
                "day",
                "invalid_date",
                format!("'{v}' is not a date: use YYYY-MM-DD, for example 2026-10-01"),
            ))),
        },
    }
}

struct CensusShown {
    day: String,
    day_iso: String,
    k: usize,
    e: usize,
    n: usize,
    problems: Vec<(String, String)>,
}

fn census_shown(r: &CensusReturn) -> CensusShown {
    CensusShown {
        day: senplan_core::dates::in_words(r.day),
        day_iso: r.day.to_string(),
        k: r.count(SenStatus::K),
        e: r.count(SenStatus::E),
        n: r.count(SenStatus::N),
        problems: r.problems.iter().map(|p| (p.upn.clone(), p.message.clone())).collect(),
    }
}

struct Choice {
    /// The records copy (PDF) to send beside the transfer file, for the SENCO.
    copy: bool,
    id: i64,
    upn: String,
    name: String,
    left: String,
    checked: bool,
}

struct ImportShown {
    from: String,
    version: String,
    applied: bool,
    pupils: usize,
    added: Vec<String>,
    merged: Vec<String>,
    unchanged: usize,
    conflicts: Vec<(String, String)>,
    refused: Vec<(usize, String, String)>,
    warnings: Vec<String>,
}

fn import_shown(i: CtfImport) -> ImportShown {
    ImportShown {
        from: i.from,
        version: i.version,
        applied: i.applied,
        pupils: i.pupils,
        added: i.added,
        merged: i.merged,
        unchanged: i.unchanged.len(),
        conflicts: i.conflicts,
        refused: i.refused,
        warnings: i.warnings,
    }
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct Page {
    nav: Nav,
    school: i64,
    errors: Vec<ErrorLink>,
    census: Option<CensusShown>,
    census_day: String,
    pupils: Vec<Choice>,
    destination: String,
    destination_urn: String,
    imported: Option<ImportShown>,
}

async fn page(
    s: &AppState,
    viewer: &Viewer,
    school: i64,
    census_day: Option<chrono::NaiveDate>,
    form: &Posted,
    errors: &Errors,
    imported: Option<ImportShown>,
) -> Result<Page, AppError> {
    let (census, day_typed) = match census::census_return(&s.store, &viewer.actor, school, census_day).await {
        Ok(r) => (Some(census_shown(&r)), r.day.to_string()),
        Err(AppError::Invalid(_)) => (None, census_day.map(|d| d.to_string()).unwrap_or_default()),
        Err(e) => return Err(e),
    };
    let chosen = form.all("pupils");
    let copies = viewer.actor.may(senplan_core::access::Permission::EditRecord);
    let pupils = transfer::sendable(&s.store, &viewer.actor, school)
        .await?
        .into_iter()
        .map(|p| Choice {
            copy: copies,
            checked: chosen.contains(&p.pupil.0.to_string()),
            id: p.pupil.0,
            upn: p.upn,
            name: p.name,
            left: p.left_on.map(senplan_core::dates::in_words).unwrap_or_default(),
        })
        .collect();
    Ok(Page {
        nav: Nav::for_viewer(viewer),
        school,
        errors: errors.summary(),
        census,
        census_day: day_typed,
        pupils,
        destination: form.get("destination").to_owned(),
        destination_urn: form.get("destination_urn").to_owned(),
        imported,
    })
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<DayQuery>) -> PageResult {
    transfer::may_transfer(&viewer.actor, school)?;
    let (asked, errors) = match day(&q) {
        Ok(d) => match d.map(|d| census::census_day(Some(d), viewer.actor.today())) {
            Some(Err(AppError::Invalid(i))) => (d, Errors::new(i)),
            _ => (d, Errors::default()),
        },
        Err(AppError::Invalid(i)) => (None, Errors::new(i)),
        Err(e) => return Err(e.into()),
    };
    let status = if errors.summary().is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok(render_with(status, &page(&s, &viewer, school, asked, &Posted::default(), &errors, None).await?))
}

fn file(content_type: &str, name: &str, body: Vec<u8>) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

async fn census_csv(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<DayQuery>) -> PageResult {
    let r = census::census_return(&s.store, &viewer.actor, school, day(&q)?).await?;
    Ok(file("text/csv; charset=utf-8", &format!("census-sen-{}.csv", r.day), r.csv()))
}

async fn census_xml(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<DayQuery>) -> PageResult {
    let r = census::census_return(&s.store, &viewer.actor, school, day(&q)?).await?;
    Ok(file("application/xml", &format!("census-sen-{}.xml", r.day), r.xml()))
}

async fn export(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    transfer::may_transfer(&viewer.actor, school)?;
    let pupils: Vec<PupilId> = form.all("pupils").iter().filter_map(|p| p.trim().parse().ok()).map(PupilId).collect();
    let r = if form.get("format") == "bundle" {
        senplan_app::transfer_bundle::export_bundle(&s.store, &viewer.actor, school, &pupils).await.and_then(|b| {
            let name = format!("{}_senplan_transfer_{}.json", b.source.laestab, viewer.actor.today());
            serde_json::to_vec_pretty(&b)
                .map(|json| ("application/json", name, json))
                .map_err(|e| AppError::Invalid(Invalid::one("pupils", "unwritable", e.to_string())))
        })
    } else {
        match Destination::parse(form.get("destination"), form.get("destination_urn")) {
            Ok(dest) => {
                transfer::export_ctf(&s.store, &viewer.actor, school, &pupils, &dest).await.map(|f| ("application/xml", f.file_name, f.xml))
            }
            Err(e) => Err(e),
        }
    };
    match r {
        Ok((kind, name, body)) => Ok(file(kind, &name, body)),
        Err(AppError::Invalid(i)) => {
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&s, &viewer, school, None, &form, &Errors::new(i), None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

async fn import(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    m: Result<Multipart, MultipartRejection>,
) -> PageResult {
    transfer::may_transfer(&viewer.actor, school)?;
    let read = super::form::checked_upload(m, "ctf", "the CTF").await;
    let r = match read {
        // A senplan transfer bundle is JSON; anything else is read as a CTF.
        Ok((Some(bytes), apply)) if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => {
            let done = match senplan_app::transfer_bundle::read_bundle(&bytes) {
                Ok(bundle) => senplan_app::transfer_bundle::import_bundle(&s.store, &viewer.actor, school, bundle, apply).await,
                Err(e) => Err(e),
            };
            done.map(|b| CtfImport {
                from: b.from,
                version: senplan_core::transfer::bundle::SCHEMA.to_owned(),
                pupils: b.added.len() + b.refused.len(),
                added: b.added,
                refused: b.refused.into_iter().enumerate().map(|(i, (upn, why))| (i + 1, upn, why)).collect(),
                conflicts: b.notes,
                applied: b.applied,
                ..CtfImport::default()
            })
        }
        Ok((Some(bytes), apply)) => transfer::import_ctf(&s.store, &viewer.actor, school, &bytes, apply).await,
        Ok((None, _)) => Err(AppError::Invalid(Invalid::one("ctf", "required", "Choose the Common Transfer File (.xml)"))),
        Err(i) => Err(AppError::Invalid(i)),
    };
    match r {
        Ok(done) => {
            let status = if done.refused.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
            Ok(render_with(
                status,
                &page(&s, &viewer, school, None, &Posted::default(), &Errors::default(), Some(import_shown(done))).await?,
            ))
        }
        Err(AppError::Invalid(i)) => {
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&s, &viewer, school, None, &Posted::default(), &Errors::new(i), None).await?))
        }
        Err(e) => Err(e.into()),
    }
}
