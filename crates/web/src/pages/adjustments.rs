//! A pupil's reasonable adjustments and medical conditions (R35): every adult who works
//! with the pupil reads them; the SENCO adds an adjustment (its kind, what is done,
//! from when, the review date) or a medical condition with its healthcare plan (who
//! wrote it, the review date, the emergency procedure in plain words, the medicines
//! held in school), and ends one. The use cases are `app::adjustments`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_app::adjustments::{self, Change, PupilAdjustments};
use senplan_core::Invalid;
use senplan_core::adjustments::{Adjustment, AdjustmentKind, MedicalCondition};
use senplan_core::ids::PupilId;
use serde::Deserialize;

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, merge};
use super::{PageResult, long_date, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/pupils/{pupil}/adjustments", show).post("/schools/{school}/pupils/{pupil}/adjustments", save)
}

struct AdjustmentLine {
    index: usize,
    kind: &'static str,
    what: String,
    when: String,
    due: bool,
}

struct ConditionLine {
    index: usize,
    condition: String,
    plan: String,
    emergency: String,
    medicines: Vec<String>,
    due: bool,
}

#[derive(Template)]
#[template(path = "adjustments.html")]
struct AdjustmentsPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    version: i64,
    banner: Option<&'static str>,
    errors: Vec<ErrorLink>,
    can_edit: bool,
    adjustments: Vec<AdjustmentLine>,
    conditions: Vec<ConditionLine>,
    kind: Choices,
    what: Text,
    starts_on: DateInput,
    review_on: DateInput,
    condition: Text,
    written_by: Text,
    plan_review_on: DateInput,
    emergency: Text,
    medicines: Text,
}

fn page(viewer: &Viewer, school: i64, v: &PupilAdjustments, typed: &Posted, errors: &Errors, banner: Option<&'static str>) -> AdjustmentsPage {
    let today = viewer.actor.today();
    let due: Vec<NaiveDate> = v.adjustments.reviews_due(today).iter().map(|r| r.on).collect();
    let date = |field: &str, default: Option<NaiveDate>| if typed.has(&format!("{field}.day")) { typed.date(field) } else { default.map(DateParts::from_date).unwrap_or_default() };
    let chosen = if typed.has("adjustment.kind") { typed.get("adjustment.kind") } else { "classroom" };
    let kinds = AdjustmentKind::ALL.iter().map(|k| Choice::new(k.code(), k.label(), k.code() == chosen)).collect();
    AdjustmentsPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: v.pupil.id.0,
        name: v.pupil.details.display_name(),
        version: v.version,
        banner,
        errors: errors.summary(),
        can_edit: v.can_edit,
        adjustments: v
            .adjustments
            .adjustments
            .iter()
            .enumerate()
            .map(|(index, a)| AdjustmentLine {
                index,
                kind: a.kind.label(),
                what: a.what.clone(),
                when: format!("{} {}; review by {}", if a.starts_on > today { "From" } else { "Since" }, long_date(a.starts_on), long_date(a.review_on)),
                due: due.contains(&a.review_on),
            })
            .collect(),
        conditions: v
            .adjustments
            .conditions
            .iter()
            .enumerate()
            .map(|(index, c)| ConditionLine {
                index,
                condition: c.condition.clone(),
                plan: format!("Healthcare plan written by {}; review by {}", c.written_by, long_date(c.review_on)),
                emergency: c.emergency.clone(),
                medicines: c.medicines.clone(),
                due: due.contains(&c.review_on),
            })
            .collect(),
        kind: Choices::new("adjustment.kind", "Kind of adjustment", kinds, errors).small(),
        what: Text::new("adjustment.what", "What is done differently", typed.get("adjustment.what"), errors).area(3).hint("In words every adult can follow, for example: 25% extra time and a reader in tests"),
        starts_on: DateInput::new("adjustment.starts_on", "From", date("adjustment.starts_on", Some(today)), errors).hint("For example, 1 9 2027"),
        review_on: DateInput::new("adjustment.review_on", "Review by", date("adjustment.review_on", None), errors).hint("For example, 1 12 2027"),
        condition: Text::new("condition.condition", "Medical condition", typed.get("condition.condition"), errors),
        written_by: Text::new("condition.written_by", "Healthcare plan written by", typed.get("condition.written_by"), errors).hint("For example, the school nurse with the family and the diabetes team"),
        plan_review_on: DateInput::new("condition.review_on", "Healthcare plan review by", date("condition.review_on", None), errors).hint("For example, 1 9 2027"),
        emergency: Text::new("condition.emergency", "In an emergency, in plain words", typed.get("condition.emergency"), errors).area(5).hint("What every adult does, step by step, and when to call 999"),
        medicines: Text::new("condition.medicines", "Medicines held in school, one on each line (optional)", typed.get("condition.medicines"), errors).area(3).hint("With where each is kept, for example: Salbutamol inhaler, in the class medical bag"),
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

fn banner(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "adjustment" => Some("The adjustment has been added."),
        "condition" => Some("The medical condition and its healthcare plan have been added."),
        "removed" => Some("Removed. Its history is kept."),
        _ => None,
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    let v = adjustments::pupil_adjustments(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &page(&viewer, school, &v, &Posted::default(), &Errors::default(), banner(d.done.as_deref()))))
}

/// The change the form asks for, read; what could not be read goes in `read`.
fn read(form: &Posted, read: &mut Invalid) -> Option<(Change, &'static str)> {
    let index = || form.get("index").parse::<usize>().ok();
    match form.get("do") {
        "add_adjustment" => {
            let kind = AdjustmentKind::parse(form.get("adjustment.kind"));
            if kind.is_none() {
                read.push("adjustment.kind", "required", "Choose the kind of adjustment");
            }
            let starts_on = form.date("adjustment.starts_on").parse("adjustment.starts_on", "the day it starts", read);
            let review_on = form.date("adjustment.review_on").parse("adjustment.review_on", "the day to review it by", read);
            let a = Adjustment { kind: kind?, what: form.get("adjustment.what").to_owned(), starts_on: starts_on?, review_on: review_on? };
            Some((Change::AddAdjustment(a), "adjustment"))
        }
        "add_condition" => {
            let review_on = form.date("condition.review_on").parse("condition.review_on", "the day to review the healthcare plan by", read);
            let c = MedicalCondition {
                condition: form.get("condition.condition").to_owned(),
                written_by: form.get("condition.written_by").to_owned(),
                review_on: review_on?,
                emergency: form.get("condition.emergency").to_owned(),
                medicines: form.get("condition.medicines").lines().map(str::to_owned).collect(),
            };
            Some((Change::AddCondition(c), "condition"))
        }
        "remove_adjustment" => index().map(|i| (Change::RemoveAdjustment(i), "removed")),
        "remove_condition" => index().map(|i| (Change::RemoveCondition(i), "removed")),
        _ => {
            read.push("item", "unknown_item", "That change could not be read: open the page again");
            None
        }
    }
}

/// The rules name a new item by its place (`adjustments[3].what`): shown on the form's
/// field (`adjustment.what`).
fn on_form(i: Invalid, count: (usize, usize)) -> Invalid {
    let (a, c) = (format!("adjustments[{}].", count.0), format!("conditions[{}].", count.1));
    Invalid {
        errors: i
            .errors
            .into_iter()
            .map(|mut e| {
                if let Some(rest) = e.field.strip_prefix(&a) {
                    e.field = format!("adjustment.{rest}");
                } else if let Some(rest) = e.field.strip_prefix(&c) {
                    e.field = format!("condition.{}", rest.split('[').next().unwrap_or(rest));
                }
                e
            })
            .collect(),
    }
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    adjustments::may_change(&viewer.actor, school)?;
    let v = adjustments::pupil_adjustments(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    let count = (v.adjustments.adjustments.len(), v.adjustments.conditions.len());
    let mut typed = Invalid::default();
    let r = match read(&form, &mut typed) {
        Some((change, done)) if typed.is_empty() => adjustments::change(&s.store, &viewer.actor, school, PupilId(pupil), version, change).await.map(|_| done),
        _ => Err(AppError::Invalid(typed.clone())),
    };
    match r {
        Ok(done) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}/adjustments?done={done}")).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = Errors::new(on_form(merge(typed, i), count));
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, school, &v, &form, &errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}
