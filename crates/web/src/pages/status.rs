//! Add to SEN support, or change SEN status (R01): the new status, the day it starts
//! and the reason. K opens a cycle of the graduated approach; N closes it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::pupils;
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::status::{SenStatus, StatusChange};

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, in_page_order};
use super::pupil::display_name;
use super::{PageResult, render_with, text};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/pupils/{pupil}/status", show).post("/schools/{school}/pupils/{pupil}/status", save)
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    current: String,
    heading: &'static str,
    errors: Vec<ErrorLink>,
    status: Choices,
    start: DateInput,
    reason: Text,
}

struct Typed {
    status: String,
    start: DateParts,
    reason: String,
}

fn page(viewer: &Viewer, p: &senplan_core::record::Pupil, typed: &Typed, errors: &Errors) -> StatusPage {
    let school = viewer.user.school_id.0;
    let options = [SenStatus::K, SenStatus::E, SenStatus::N]
        .into_iter()
        .map(|s| {
            let hint = match s {
                SenStatus::K => "The school gives extra help, planned and reviewed in cycles of assess, plan, do, review",
                SenStatus::E => "The local authority has issued an education, health and care plan",
                _ => "The pupil no longer needs special educational provision",
            };
            Choice::new(s.code(), text::status(s), typed.status == s.code()).hint(hint)
        })
        .collect();
    let on_support = p.status.has_sen();
    StatusPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: p.id.0,
        name: display_name(p),
        current: text::status(p.status),
        heading: if on_support { "Change SEN status" } else { "Add to SEN support" },
        errors: errors.summary(),
        status: Choices::new("status", "New SEN status", options, errors).legend_m(),
        start: DateInput::new("start", "Date the new status starts", typed.start.clone(), errors)
            .hint("For example, 10 9 2026. It cannot be in the future."),
        reason: Text::new("reason", "Reason for the change", &typed.reason, errors)
            .hint("For example, what the assessment showed, or why extra help is no longer needed")
            .area(4)
            .bold(),
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    let p = pupils::pupil(&s.store, &viewer.actor, school, PupilId(pupil), "status").await?;
    let typed = Typed {
        status: if p.status.has_sen() { String::new() } else { "K".into() },
        start: DateParts::from_date(viewer.actor.today()),
        reason: String::new(),
    };
    Ok(render_with(StatusCode::OK, &page(&viewer, &p, &typed, &Errors::default())))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let p = pupils::pupil_to_change(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let typed = Typed { status: form.get("status").to_owned(), start: form.date("start"), reason: form.get("reason").to_owned() };
    let mut read = Invalid::default();
    let status = match SenStatus::parse(&typed.status) {
        Some(s @ (SenStatus::K | SenStatus::E | SenStatus::N)) => Some(s),
        _ => {
            read.push("status", "required", "Choose the new SEN status");
            None
        }
    };
    let start = typed.start.parse("start", "the date the new status starts", &mut read);
    let result = match (status, start) {
        (Some(status), Some(start)) if read.is_empty() => {
            let change = StatusChange { status, start, reason: typed.reason.clone() };
            pupils::change_status(&s.store, &viewer.actor, school, PupilId(pupil), &change).await.map(|_| ())
        }
        _ => {
            if typed.reason.trim().is_empty() {
                read.push("reason", "required", "Enter the reason for the change of status");
            }
            Err(AppError::Invalid(read))
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}?done=status")).into_response()),
        Err(AppError::Invalid(inv)) => {
            let inv = in_page_order(inv, &["status", "start", "reason"]);
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &p, &typed, &Errors::new(inv))))
        }
        Err(e) => Err(e.into()),
    }
}
