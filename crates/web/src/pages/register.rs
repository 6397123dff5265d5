//! The SEN register page: every pupil on K or E with year, status, primary need,
//! current stage and next review date; counts at the top.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use senplan_core::access::{Permission, allows};
use senplan_core::pupil::YearGroup;
use senplan_core::record::RegisterRow;
use senplan_core::status::SenStatus;

use super::nav::Nav;
use super::{long_date, render};
use crate::session::Viewer;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/schools/{school}", get(register))
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    nav: Nav,
    school_name: String,
    count_k: usize,
    count_e: usize,
    count_overdue: usize,
    rows: Vec<RegisterLine>,
}

struct RegisterLine {
    name: String,
    year: String,
    status_code: &'static str,
    status_meaning: &'static str,
    need: Option<(&'static str, &'static str)>,
    stage: &'static str,
    next_review: Option<String>,
    overdue: bool,
}

impl RegisterLine {
    fn new(r: &RegisterRow, today: chrono::NaiveDate) -> Self {
        RegisterLine {
            name: r.name.clone(),
            year: YearGroup::parse(&r.year_group).map_or_else(|| r.year_group.clone(), YearGroup::label),
            status_code: r.status.code(),
            status_meaning: r.status.meaning(),
            need: r.primary_need.map(|n| (n.code(), n.meaning())),
            stage: r.stage.map_or("No open cycle", |s| s.label()),
            next_review: r.next_review.map(long_date),
            overdue: r.review_overdue(today),
        }
    }
}

/// Staff who see records start at their school's register; everyone else at their own start page.
async fn home(viewer: Viewer) -> Result<Response, ApiError> {
    if allows(viewer.user.role, Permission::ViewRecord) {
        return Ok(Redirect::to(&format!("/schools/{}", viewer.user.school_id)).into_response());
    }
    Ok(Redirect::to(&super::auth::landing(viewer.user.role)).into_response())
}

async fn register(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Response, ApiError> {
    viewer.require(Permission::ViewRecord)?;
    let school = s.store.school(viewer.school(school)?).await?;
    let rows = s.store.register(viewer.scope()).await?;
    let today = chrono::Utc::now().date_naive();
    let lines: Vec<_> = rows.iter().map(|r| RegisterLine::new(r, today)).collect();
    Ok(render(&RegisterPage {
        nav: Nav::for_viewer(&viewer),
        school_name: school.details.name,
        count_k: rows.iter().filter(|r| r.status == SenStatus::K).count(),
        count_e: rows.iter().filter(|r| r.status == SenStatus::E).count(),
        count_overdue: lines.iter().filter(|l| l.overdue).count(),
        rows: lines,
    }))
}
