//! Impact pages (R29): which kinds of provision work best across the school, and a
//! form to record a pupil's entry and exit measure for one plan provision. Saving
//! records the measure, or changes the one already recorded for that provision (as
//! a new version, keeping its progress rating). The form keeps what was typed and
//! links each error to its field; nothing is stored on an error.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use senplan_app::AppError;
use senplan_app::delivery;
use senplan_core::costing::{ImpactInput, ImpactRow, RecapRow, percent_from_basis_points};
use senplan_core::ids::PlanId;
use serde::Deserialize;

use super::form::{Form, leaf};
use super::{Nav, render};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::PageError;
use crate::session::Viewer;

#[derive(Template)]
#[template(path = "costing_impact.html")]
struct ImpactPage {
    nav: Nav,
    rows: Vec<ImpactRow>,
    recorded: bool,
}

impl ImpactPage {
    fn share(&self, r: &ImpactRow) -> String {
        r.at_or_above_expected_bp.map_or_else(|| "Not rated yet".to_owned(), percent_from_basis_points)
    }
}

#[derive(Deserialize)]
pub struct ImpactQuery {
    recorded: Option<String>,
}

async fn nav(s: &AppState, viewer: &Viewer, school: i64) -> Result<Nav, ApiError> {
    let name = senplan_app::schools::name(&s.store, &viewer.actor).await?;
    Ok(Nav::new(viewer, school, name, "Impact"))
}

pub async fn page(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<ImpactQuery>,
) -> Result<Response, PageError> {
    let rows = senplan_app::costing::impact_report(&s.store, &viewer.actor, school).await?;
    let n = nav(&s, &viewer, school).await?;
    Ok(render(&ImpactPage { nav: n, rows, recorded: q.recorded.is_some() }))
}

#[derive(Template)]
#[template(path = "costing_impact_record.html")]
struct RecordPage {
    nav: Nav,
    options: Vec<(String, String)>,
    form: Form,
}

/// The provision of the school's current plans (running in the last year up to
/// today), as (value "plan-number", "Pupil name – provision what"), by name.
async fn options(s: &AppState, viewer: &Viewer, school: i64) -> Result<Vec<(String, String)>, ApiError> {
    let mut rows: Vec<RecapRow> = delivery::provision_for_measures(&s.store, &viewer.actor, school).await?;
    rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.what.cmp(&b.what)).then(a.plan_id.cmp(&b.plan_id)));
    rows.dedup_by_key(|r| (r.plan_id, r.provision_number));
    Ok(rows.into_iter().map(|r| (format!("{}-{}", r.plan_id, r.provision_number), format!("{} – {}", r.name, r.what))).collect())
}

async fn show(s: &AppState, viewer: &Viewer, school: i64, form: Form) -> Result<Response, PageError> {
    let options = options(s, viewer, school).await?;
    let n = nav(s, viewer, school).await?;
    Ok(render(&RecordPage { nav: n, options, form }))
}

pub async fn record_page(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Response, PageError> {
    show(&s, &viewer, school, Form::default()).await
}

/// A whole number typed in `id`; `None` when empty, an error on the form when not whole.
fn whole(form: &mut Form, id: &str, what: &str) -> Result<Option<i64>, ()> {
    let text = form.text(id);
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .map(Some)
        .map_err(|_| form.push(id, format!("Enter the {what} as a whole number, for example 84 (you typed '{text}')")))
}

/// Reads the form into the provision and its measures; errors go on the form.
fn read(form: &mut Form) -> Option<(PlanId, u32, ImpactInput)> {
    let which = form.text("impact-provision");
    let target = which.split_once('-').and_then(|(p, n)| Some((p.parse::<i64>().ok()?, n.parse::<u32>().ok()?)));
    if target.is_none() {
        form.push("impact-provision", "Choose the pupil and provision the measures are for");
    }
    let unit = form.text("impact-unit");
    if unit.is_empty() {
        form.push("impact-unit", "Enter what the measures count, for example reading age in months");
    }
    let entry = match whole(form, "impact-entry", "entry measure") {
        Ok(Some(e)) => Some(e),
        Ok(None) => {
            form.push("impact-entry", "Enter the entry measure, the pupil's score when the provision started");
            None
        }
        Err(()) => None,
    };
    let exit = whole(form, "impact-exit", "exit measure").ok().flatten();
    let (Some((plan, number)), Some(entry)) = (target, entry) else { return None };
    if form.has_errors() {
        return None;
    }
    Some((PlanId(plan), number, ImpactInput { provision_type: None, unit, entry, exit, progress: None }))
}

fn field_id(field: &str) -> String {
    match leaf(field) {
        "unit" => "impact-unit",
        "entry" => "impact-entry",
        "exit" => "impact-exit",
        _ => "impact-provision",
    }
    .into()
}

pub async fn record(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    axum::Form(values): axum::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut form = Form::new(values);
    if let Some((plan, number, input)) = read(&mut form) {
        match delivery::save_impact(&s.store, &viewer.actor, school, plan, number, input).await {
            Ok(_) => return Ok(Redirect::to(&format!("/schools/{school}/costing/impact?recorded=1")).into_response()),
            Err(AppError::Conflict { .. }) => form.push("impact-provision", "Someone else changed these measures while you were entering them, so yours were not saved. Check the impact report and try again."),
            Err(AppError::NotFound("provision")) => form.push("impact-provision", "That provision is no longer in the pupil's plan: choose another"),
            Err(e) => form.add_app_error(e, "impact-provision", field_id)?,
        }
    }
    super::shown_again(show(&s, &viewer, school, form).await)
}
