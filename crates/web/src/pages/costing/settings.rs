//! The costing settings page: the school calendar, staff roles and hourly costs,
//! other costs, the Element 2 threshold, the notional SEN budget and the school's
//! own provision types. Each form changes one part and saves the whole settings as
//! a new version; on an error the page comes back with a GOV.UK error summary
//! linking to each field, and with everything that was typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use senplan_core::costing::{CostBasis, CostingRecord, Dated, OtherCost, OtherCostBasis, Pence, ProvisionType, SenBudget, StaffRole, Term};
use senplan_core::need::BroadArea;
use serde::Deserialize;

use super::form::{Form, leaf};
use super::{Nav, render};
use crate::AppState;
use crate::costing::query::date;
use crate::error::ApiError;
use crate::pages::PageError;
use crate::pages::long_date;
use crate::session::Viewer;

/// Rows in the calendar form (terms or half terms).
const TERM_ROWS: usize = 6;

#[derive(Template)]
#[template(path = "costing_settings.html")]
struct SettingsPage {
    nav: Nav,
    version: i64,
    saved: Option<&'static str>,
    roles: Vec<(String, String, String)>,
    other_costs: Vec<(String, &'static str, String)>,
    terms: Vec<(String, String, String)>,
    /// Whether the person may change the settings (the SENCO and administrators); the
    /// headteacher and governors read them.
    can_edit: bool,
    /// Years whose terms hold more weeks than annual costs use (half terms left in).
    too_many_weeks: Vec<String>,
    weeks_per_year: u32,
    thresholds: Vec<(String, String)>,
    budgets: Vec<(String, String, String)>,
    own_types: Vec<(String, String, String, &'static str)>,
    term_rows: Vec<usize>,
    areas: Vec<(&'static str, &'static str)>,
    bases: Vec<(&'static str, &'static str)>,
    calendar: Form,
    role: Form,
    other: Form,
    threshold: Form,
    budget: Form,
    kind: Form,
    /// When too little of the planned help is given (R37).
    alert: Form,
}

impl SettingsPage {
    fn errors(&self) -> Vec<(String, String)> {
        [&self.calendar, &self.role, &self.other, &self.threshold, &self.budget, &self.kind, &self.alert].iter().flat_map(|f| f.errors.clone()).collect()
    }
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn saved_message(part: &str) -> Option<&'static str> {
    Some(match part {
        "calendar" => "The school calendar was saved.",
        "staff-role" => "The staff role was saved.",
        "other-cost" => "The other cost was saved.",
        "threshold" => "The threshold was saved.",
        "budget" => "The budget was saved.",
        "provision-type" => "The provision type was saved.",
        "delivery-alert" => "The alert for help falling short was saved.",
        _ => return None,
    })
}

/// The calendar form filled in from the saved terms.
fn calendar_form(r: &CostingRecord) -> Form {
    let mut values = HashMap::new();
    let cal = &r.costing.settings.calendar;
    values.insert("weeks-per-year".to_owned(), cal.weeks_per_year.to_string());
    for (i, t) in cal.terms.iter().enumerate() {
        values.insert(format!("term-{i}-name"), t.name.clone());
        values.insert(format!("term-{i}-start"), t.start.to_string());
        values.insert(format!("term-{i}-end"), t.end.to_string());
    }
    Form::new(values)
}

/// The delivery alert's form filled in from the saved setting.
fn alert_form(r: &CostingRecord) -> Form {
    let a = r.costing.settings.delivery_alert;
    Form::new(HashMap::from([("alert-share".to_owned(), a.share.to_string()), ("alert-weeks".to_owned(), a.weeks.to_string())]))
}

fn page_for(viewer: &Viewer, school_name: String, r: CostingRecord, saved: Option<&'static str>) -> SettingsPage {
    let s = &r.costing.settings;
    SettingsPage {
        nav: Nav::new(viewer, r.school_id.0, school_name, "Settings"),
        version: r.version,
        saved,
        roles: s.staff_roles.iter().map(|x| (x.name.clone(), x.key.clone(), x.hourly_cost.to_string())).collect(),
        other_costs: s.other_costs.iter().map(|c| (c.name.clone(), basis_label(c.basis), c.annual_cost.to_string())).collect(),
        terms: s.calendar.terms.iter().map(|t| (t.name.clone(), long_date(t.start), long_date(t.end))).collect(),
        weeks_per_year: s.calendar.weeks_per_year,
        can_edit: senplan_app::access::menu(&viewer.actor).edit_costs,
        too_many_weeks: s
            .calendar
            .years_over_weeks_per_year()
            .into_iter()
            .map(|(from, weeks)| {
                format!(
                    "The terms for {} to {} hold {} school weeks, but annual costs use {} weeks a year, so a year of support would cost more over these dates than its annual cost. If the half-term holidays are inside the terms, enter each half term on its own.",
                    chrono::Datelike::year(&from),
                    chrono::Datelike::year(&from) + 1,
                    weeks.to_decimal(1).trim_end_matches(".0"),
                    s.calendar.weeks_per_year
                )
            })
            .collect(),
        thresholds: s.element2_thresholds.iter().map(|t| (long_date(t.from), t.value.to_string())).collect(),
        budgets: s.sen_budgets.iter().map(|b| (long_date(b.year_start), long_date(b.year_end), b.amount.to_string())).collect(),
        own_types: r
            .costing
            .provision_types
            .iter()
            .map(|t| {
                (t.label.clone(), t.description.clone(), t.default_area.map_or("Any", |a| a.label()).to_owned(), t.default_basis.label())
            })
            .collect(),
        term_rows: (0..TERM_ROWS).collect(),
        areas: BroadArea::ALL.iter().map(|a| (a.as_str(), a.label())).collect(),
        bases: [CostBasis::StaffTime, CostBasis::PerPupil, CostBasis::PerGroup, CostBasis::NoAdditionalCost]
            .iter()
            .map(|b| (basis_key(*b), b.label()))
            .collect(),
        calendar: calendar_form(&r),
        role: Form::default(),
        other: Form::default(),
        threshold: Form::default(),
        budget: Form::default(),
        kind: Form::default(),
        alert: alert_form(&r),
    }
}

fn basis_label(b: OtherCostBasis) -> &'static str {
    match b {
        OtherCostBasis::PerPupil => "For each pupil",
        OtherCostBasis::PerGroup => "For the group, shared",
    }
}

fn basis_key(b: CostBasis) -> &'static str {
    match b {
        CostBasis::StaffTime => "staff_time",
        CostBasis::PerPupil => "per_pupil",
        CostBasis::PerGroup => "per_group",
        CostBasis::NoAdditionalCost => "no_additional_cost",
    }
}

pub async fn page(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let (name, r) = senplan_app::costing::settings(&s.store, &viewer.actor, school).await?;
    Ok(render(&page_for(&viewer, name, r, q.saved.as_deref().and_then(saved_message))))
}

/// A key from a name: "Teaching assistant" → `teaching_assistant`.
fn key_from(name: &str) -> String {
    let mut key: String = name.trim().to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    while key.contains("__") {
        key = key.replace("__", "_");
    }
    key.trim_matches('_').chars().take(40).collect()
}

fn pounds(form: &mut Form, name: &str, what: &str) -> Pence {
    match Pence::parse_pounds(form.value(name)) {
        Some(p) => p,
        None => {
            let typed = form.text(name);
            let msg = if typed.is_empty() {
                format!("Enter {what} in pounds, for example 14.50")
            } else {
                format!("Enter {what} in pounds, for example 14.50 (you typed '{typed}')")
            };
            form.push(name, msg);
            Pence::ZERO
        }
    }
}

fn day(form: &mut Form, name: &str, what: &str) -> Option<chrono::NaiveDate> {
    match date(name, Some(form.value(name))) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            form.push(name, format!("Enter {what}, for example 2026-09-01"));
            None
        }
        Err(e) => {
            form.push(name, e.errors.first().map(|e| e.message.clone()).unwrap_or_default());
            None
        }
    }
}

/// Applies one form to the settings; returns the form (with any errors) and the field
/// id that core's error paths map to.
/// Turns a core field path into the id of the form field to show it at.
type FieldId = fn(&str) -> String;

fn apply(part: &str, values: HashMap<String, String>, r: &mut CostingRecord) -> Option<(Form, FieldId)> {
    let mut f = Form::new(values);
    let s = &mut r.costing.settings;
    let id_of: FieldId = match part {
        "calendar" => {
            s.calendar.weeks_per_year = f.text("weeks-per-year").parse().unwrap_or(0);
            let mut terms = Vec::new();
            for i in 0..TERM_ROWS {
                let (n, a, b) = (format!("term-{i}-name"), format!("term-{i}-start"), format!("term-{i}-end"));
                if f.text(&n).is_empty() && f.text(&a).is_empty() && f.text(&b).is_empty() {
                    continue;
                }
                let start = day(&mut f, &a, "the first day of the term");
                let end = day(&mut f, &b, "the last day of the term");
                if let (Some(start), Some(end)) = (start, end) {
                    terms.push(Term { name: f.text(&n), start, end });
                }
            }
            s.calendar.terms = terms;
            |field| match (leaf(field), field.split("terms[").nth(1).and_then(|x| x.split(']').next())) {
                ("weeks_per_year", _) => "weeks-per-year".into(),
                (l @ ("name" | "start" | "end"), Some(i)) => format!("term-{i}-{l}"),
                _ => "term-0-name".into(),
            }
        }
        "staff-role" => {
            let name = f.text("role-name");
            let cost = pounds(&mut f, "role-rate", "the hourly cost");
            let key = key_from(&name);
            let role = StaffRole { key: if key.is_empty() { "role".into() } else { key.clone() }, name, hourly_cost: cost };
            match s.staff_roles.iter_mut().find(|x| x.key == key) {
                Some(x) => *x = role,
                None => s.staff_roles.push(role),
            }
            |field| if leaf(field) == "hourly_cost" { "role-rate".into() } else { "role-name".into() }
        }
        "other-cost" => {
            let name = f.text("other-name");
            let cost = pounds(&mut f, "other-amount", "the cost for a year");
            let basis = if f.is("other-basis", "per_group") { OtherCostBasis::PerGroup } else { OtherCostBasis::PerPupil };
            let key = key_from(&name);
            let c = OtherCost { key: if key.is_empty() { "cost".into() } else { key.clone() }, name, basis, annual_cost: cost };
            match s.other_costs.iter_mut().find(|x| x.key == key) {
                Some(x) => *x = c,
                None => s.other_costs.push(c),
            }
            |field| if leaf(field) == "annual_cost" { "other-amount".into() } else { "other-name".into() }
        }
        "threshold" => {
            let from = day(&mut f, "threshold-from", "the day it applies from");
            let value = pounds(&mut f, "threshold-amount", "the threshold");
            if let Some(from) = from {
                s.element2_thresholds.retain(|t| t.from != from);
                s.element2_thresholds.push(Dated { from, value });
            }
            |field| if leaf(field) == "from" { "threshold-from".into() } else { "threshold-amount".into() }
        }
        "budget" => {
            let start = day(&mut f, "budget-start", "the first day of the year");
            let end = day(&mut f, "budget-end", "the last day of the year");
            let amount = pounds(&mut f, "budget-amount", "the budget");
            if let (Some(year_start), Some(year_end)) = (start, end) {
                s.sen_budgets.retain(|b| b.year_start != year_start);
                s.sen_budgets.push(SenBudget { year_start, year_end, amount });
            }
            |field| match leaf(field) {
                "year_end" => "budget-end".into(),
                "amount" => "budget-amount".into(),
                _ => "budget-start".into(),
            }
        }
        "provision-type" => {
            let label = f.text("type-label");
            let area = BroadArea::parse(f.value("type-area"));
            let basis = match f.value("type-basis") {
                "per_pupil" => CostBasis::PerPupil,
                "per_group" => CostBasis::PerGroup,
                "no_additional_cost" => CostBasis::NoAdditionalCost,
                _ => CostBasis::StaffTime,
            };
            let t = ProvisionType {
                key: key_from(&label),
                label,
                description: f.text("type-description"),
                default_area: area,
                default_basis: basis,
                seeded: false,
            };
            r.costing.provision_types.push(t);
            |field| if leaf(field) == "description" { "type-description".into() } else { "type-label".into() }
        }
        "delivery-alert" => {
            let share = f.text("alert-share").parse::<u32>();
            let weeks = f.text("alert-weeks").parse::<u32>();
            match share {
                Ok(share) => s.delivery_alert.share = share,
                Err(_) => f.push("alert-share", "Enter the share as a whole number of per cent, from 1 to 100"),
            }
            match weeks {
                Ok(weeks) => s.delivery_alert.weeks = weeks,
                Err(_) => f.push("alert-weeks", "Enter the number of weeks as a whole number, from 1 to 12"),
            }
            |field| if leaf(field) == "weeks" { "alert-weeks".into() } else { "alert-share".into() }
        }
        _ => return None,
    };
    Some((f, id_of))
}

pub async fn save(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, part)): Path<(i64, String)>,
    axum::Form(values): axum::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (name, saved) = senplan_app::costing::settings_to_change(&s.store, &viewer.actor, school).await?;
    let expected: i64 = values.get("version").and_then(|v| v.parse().ok()).unwrap_or(-1);
    let mut changed = saved.clone();
    let (mut form, id_of) = apply(&part, values, &mut changed).ok_or(ApiError::NotFound("page"))?;
    if !form.has_errors() {
        match senplan_app::costing::save_settings(&s.store, &viewer.actor, school, expected, changed.costing).await {
            Ok(_) => return Ok(Redirect::to(&format!("/schools/{school}/costing/settings?saved={part}")).into_response()),
            Err(e) => form.add_app_error(e, first_field(&part), id_of)?,
        }
    }
    let mut page = page_for(&viewer, name, saved, None);
    match part.as_str() {
        "calendar" => page.calendar = form,
        "staff-role" => page.role = form,
        "other-cost" => page.other = form,
        "threshold" => page.threshold = form,
        "budget" => page.budget = form,
        "delivery-alert" => page.alert = form,
        _ => page.kind = form,
    }
    Ok(super::render_with(axum::http::StatusCode::BAD_REQUEST, &page))
}

fn first_field(part: &str) -> &'static str {
    match part {
        "calendar" => "term-0-name",
        "staff-role" => "role-name",
        "other-cost" => "other-name",
        "threshold" => "threshold-from",
        "budget" => "budget-start",
        "delivery-alert" => "alert-share",
        _ => "type-label",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_fields_map_to_the_calendar_form() {
        let mut r = CostingRecord {
            school_id: senplan_core::ids::SchoolId(1),
            version: 0,
            updated_at: String::new(),
            updated_by: String::new(),
            costing: senplan_core::costing::SchoolCosting::empty(),
        };
        let (_, id_of) = apply("calendar", HashMap::new(), &mut r).unwrap();
        assert_eq!(id_of("settings.calendar.terms[2].end"), "term-2-end");
        assert_eq!(id_of("settings.calendar.weeks_per_year"), "weeks-per-year");
        assert_eq!(id_of("settings.calendar.terms"), "term-0-name");
        assert_eq!(id_of("settings.staff_roles[0].hourly_cost"), "term-0-name");
    }

    #[test]
    fn keys_come_from_names() {
        assert_eq!(key_from(" Teaching Assistant (Level 3) "), "teaching_assistant_level_3");
        assert_eq!(key_from("HLTA"), "hlta");
        assert_eq!(key_from("!!"), "");
    }
}
