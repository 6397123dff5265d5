//! Bringing the school's roll in from its MIS (R24), for the SENCO and administrators:
//! upload the CSV the MIS exports, see what it would change (added, changed, left,
//! refused lines with their reasons) and import it, all or nothing. The use case is
//! `app::roll_import`; the columns it reads are `senplan_interop::roll::ROLL_COLUMNS`.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use senplan_app::AppError;
use senplan_app::roll_import::{self, RollPlan};
use senplan_core::Invalid;
use senplan_interop::roll::ROLL_COLUMNS;

use super::fields::{ErrorLink, Errors};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/roll-import", form)
}

pub(crate) fn upload_routes() -> Routes {
    Routes::new().post("/schools/{school}/roll-import", upload)
}

/// The most lines of each list the page shows; the counts are always whole.
const SHOWN: usize = 500;

#[derive(Template)]
#[template(path = "roll_import.html")]
struct Page {
    nav: Nav,
    school: i64,
    errors: Vec<ErrorLink>,
    columns: &'static [(&'static str, &'static str)],
    upload_mb: usize,
    plan: Option<Shown>,
}

/// A plan as the page shows it.
struct Shown {
    applied: bool,
    rows: u64,
    added: usize,
    changed: usize,
    unchanged: u64,
    leaving: usize,
    left_on: String,
    refused_lines: usize,
    refused: Vec<(u64, String, String)>,
    added_list: Vec<(u64, String, String)>,
    changed_list: Vec<(u64, String, String, String)>,
    leaving_list: Vec<(String, String)>,
    notes: Vec<(u64, String, String)>,
    ignored: String,
    more: bool,
}

fn shown(p: &RollPlan) -> Shown {
    let mut lines: Vec<u64> = p.refused.iter().map(|r| r.line).collect();
    lines.dedup();
    Shown {
        applied: p.applied,
        rows: p.rows,
        added: p.added.len(),
        changed: p.changed.len(),
        unchanged: p.unchanged,
        leaving: p.leaving.len(),
        left_on: p.left_on.map(senplan_core::dates::in_words).unwrap_or_default(),
        refused_lines: lines.len(),
        refused: p.refused.iter().take(SHOWN).map(|r| (r.line, r.field.clone(), r.message.clone())).collect(),
        added_list: p.added.iter().take(SHOWN).map(|a| (a.line, a.upn.clone(), a.name.clone())).collect(),
        changed_list: p.changed.iter().take(SHOWN).map(|c| (c.line, c.upn.clone(), c.name.clone(), c.fields.join(", "))).collect(),
        leaving_list: p.leaving.iter().take(SHOWN).map(|l| (l.upn.clone(), l.name.clone())).collect(),
        notes: p.notes.iter().take(SHOWN).map(|n| (n.line, n.upn.clone(), n.message.clone())).collect(),
        ignored: p.ignored_columns.join(", "),
        more: [p.refused.len(), p.added.len(), p.changed.len(), p.leaving.len(), p.notes.len()].iter().any(|n| *n > SHOWN),
    }
}

fn page(viewer: &Viewer, school: i64, errors: &Errors, plan: Option<Shown>) -> Page {
    Page {
        nav: Nav::for_viewer(viewer),
        school,
        errors: errors.summary(),
        columns: ROLL_COLUMNS,
        upload_mb: crate::MAX_UPLOAD_BYTES / (1024 * 1024) - 1,
        plan,
    }
}

async fn form(State(_s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> PageResult {
    roll_import::may_import(&viewer.actor, school)?;
    Ok(render_with(StatusCode::OK, &page(&viewer, school, &Errors::default(), None)))
}

async fn upload(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    m: Result<Multipart, MultipartRejection>,
) -> PageResult {
    roll_import::may_import(&viewer.actor, school)?;
    let read = super::form::checked_upload(m, "roll", "the roll").await;
    let r = match read {
        Ok((Some(bytes), import)) => {
            let mut quiet = |_| {};
            if import {
                roll_import::import_roll(&s.store, &viewer.actor, school, bytes.as_slice(), &mut quiet).await
            } else {
                roll_import::preview_roll(&s.store, &viewer.actor, school, bytes.as_slice(), &mut quiet).await
            }
        }
        Ok((None, _)) => Err(AppError::Invalid(Invalid::one("roll", "required", "Choose the roll file exported from your MIS"))),
        Err(i) => Err(AppError::Invalid(i)),
    };
    match r {
        Ok(plan) => {
            let status = if plan.refused.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
            Ok(render_with(status, &page(&viewer, school, &Errors::default(), Some(shown(&plan)))))
        }
        Err(AppError::Invalid(i)) => Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, school, &Errors::new(i), None))),
        Err(e) => Err(e.into()),
    }
}
