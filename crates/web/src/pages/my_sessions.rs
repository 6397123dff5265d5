//! "My sessions" (R11): the provision a teaching assistant, teacher or SENCO delivers
//! this week for their pupils, each to mark held or missed (with minutes and a note)
//! and save together. No costs are shown. Rows due today come first.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::Datelike;
use senplan_app::AppError;
use senplan_app::my_sessions::{Marked, MySessions, log_my_sessions, my_sessions};
use senplan_core::Invalid;
use senplan_core::costing::PlannedSession;
use senplan_core::ids::PlanId;
use serde::Deserialize;

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted};
use super::{PageResult, long_date, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/my-sessions", show).post("/schools/{school}/my-sessions", save)
}

/// One session row of the form.
struct Row {
    index: usize,
    pupil_href: String,
    pupil: String,
    what: String,
    how_often: String,
    logged: String,
    plan: i64,
    provision: u32,
    outcome: Choices,
    minutes: Text,
    note: Text,
}

#[derive(Template)]
#[template(path = "my_sessions.html")]
struct MySessionsPage {
    nav: Nav,
    week: String,
    banner: Option<String>,
    errors: Vec<ErrorLink>,
    date: DateInput,
    today: Vec<Row>,
    later: Vec<Row>,
}

/// What was typed in one row: held / missed / "" (not marked), minutes, note.
#[derive(Default, Clone)]
struct Typed {
    outcome: String,
    minutes: String,
    note: String,
}

fn weekday(d: chrono::NaiveDate) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d.weekday().num_days_from_monday() as usize]
}

fn row(school: i64, index: usize, s: &PlannedSession, typed: &Typed, errors: &Errors) -> Row {
    let path = |f: &str| format!("sessions[{index}].{f}");
    let context = format!("{}: {}", s.name, s.what);
    let outcome = Choices::new(
        &path("outcome"),
        format!("{} – {}", s.name, s.what),
        vec![
            Choice::new("held", "Held", typed.outcome == "held"),
            Choice::new("missed", "Missed", typed.outcome == "missed"),
            Choice::new("", "Not logging this now", typed.outcome.is_empty()),
        ],
        errors,
    )
    .small()
    .inline();
    let logged = if s.logged.is_empty() {
        "Nothing logged yet this week".to_owned()
    } else {
        let each: Vec<String> = s
            .logged
            .iter()
            .map(|l| if l.held { format!("{} held, {} min", weekday(l.date), l.minutes) } else { format!("{} missed", weekday(l.date)) })
            .collect();
        format!("Logged {} of {}: {}", s.logged.len(), s.sessions_per_week, each.join("; "))
    };
    Row {
        index,
        pupil_href: format!("/schools/{school}/pupils/{}", s.pupil_id),
        pupil: format!("{} (Year {})", s.name, s.year_group),
        what: s.what.clone(),
        how_often: format!(
            "{} minutes, {} a week{}",
            s.minutes_per_session,
            s.sessions_per_week,
            if s.group_size > 1 { format!(", in a group of {}", s.group_size) } else { ", one to one".to_owned() }
        ),
        logged,
        plan: s.plan_id,
        provision: s.provision_number,
        outcome,
        minutes: Text::new(&path("minutes"), "Minutes", &typed.minutes, errors)
            .numeric()
            .width("govuk-input--width-3")
            .context(context.clone()),
        note: Text::new(&path("note"), "Note (the reason, if missed)", &typed.note, errors).context(context),
    }
}

fn page(viewer: &Viewer, m: &MySessions, date: DateParts, typed: &[Typed], errors: &Errors, banner: Option<String>) -> MySessionsPage {
    let school = viewer.user.school_id.0;
    let (mut today, mut later) = (Vec::new(), Vec::new());
    for (i, s) in ordered(m).into_iter().enumerate() {
        let t = typed.get(i).cloned().unwrap_or_else(|| Typed { minutes: s.minutes_per_session.to_string(), ..Typed::default() });
        let r = row(school, i, s, &t, errors);
        if s.due_today() { today.push(r) } else { later.push(r) }
    }
    MySessionsPage {
        nav: Nav::for_viewer(viewer),
        week: format!("Week of {} to {}", long_date(m.monday), long_date(m.friday)),
        banner,
        errors: errors.summary(),
        date: DateInput::new("date", "Date of the sessions", date, errors)
            .hint("For example, 26 11 2026. Today unless you are logging an earlier day."),
        today,
        later,
    }
}

/// The rows in the order of the form: due today first, then the rest of the week.
fn ordered(m: &MySessions) -> Vec<&PlannedSession> {
    let mut rows: Vec<&PlannedSession> = m.due_today().collect();
    rows.extend(m.sessions.iter().filter(|s| !s.due_today()));
    rows
}

#[derive(Deserialize)]
struct Done {
    logged: Option<usize>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(done): Query<Done>) -> PageResult {
    let m = my_sessions(&s.store, &viewer.actor, school).await?;
    let banner = done.logged.map(|n| if n == 1 { "1 session logged".to_owned() } else { format!("{n} sessions logged") });
    let date = DateParts::from_date(m.today);
    Ok(render_with(StatusCode::OK, &page(&viewer, &m, date, &[], &Errors::default(), banner)))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let m = my_sessions(&s.store, &viewer.actor, school).await?;
    let rows = ordered(&m);
    let mut read = Invalid::default();
    let date_parts = form.date("date");
    let date = date_parts.parse("date", "the date of the sessions", &mut read);
    let mut typed = Vec::new();
    let mut marked = Vec::new();
    for (i, planned) in rows.iter().enumerate() {
        let get = |f: &str| form.get(&format!("sessions[{i}].{f}")).trim().to_owned();
        let t = Typed { outcome: get("outcome"), minutes: get("minutes"), note: get("note") };
        // The row names its plan and provision; a form from before the week changed is refused.
        let same = get("plan") == planned.plan_id.to_string() && get("provision") == planned.provision_number.to_string();
        if !t.outcome.is_empty() {
            if !same {
                read.push(
                    format!("sessions[{i}].outcome"),
                    "stale_form",
                    "This list has changed since the page was opened: check this row and save again",
                );
            }
            let held = t.outcome == "held";
            let minutes = if held && !t.minutes.is_empty() {
                // Blank is 0, which the rules name ("Enter the minutes delivered").
                match t.minutes.parse::<i64>() {
                    Ok(n) => n,
                    Err(_) => {
                        read.push(
                            format!("sessions[{i}].minutes"),
                            "not_a_number",
                            "Enter the minutes delivered as a whole number, like 30",
                        );
                        0
                    }
                }
            } else {
                0
            };
            marked.push((
                i,
                Marked { plan: PlanId(planned.plan_id), provision: planned.provision_number, held, minutes, note: t.note.clone() },
            ));
        }
        typed.push(t);
    }
    let result = match date {
        Some(date) if read.is_empty() => log_my_sessions(&s.store, &viewer.actor, school, date, &marked).await,
        _ => Err(AppError::Invalid(read)),
    };
    match result {
        Ok(n) => Ok(Redirect::to(&format!("/schools/{school}/my-sessions?logged={n}")).into_response()),
        Err(AppError::Invalid(mut inv)) => {
            for e in &mut inv.errors {
                e.field = form_field(&e.field);
            }
            let errors = Errors::new(inv);
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &m, date_parts, &typed, &errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The input an error from the rules belongs on: a row's minutes or note, else its
/// held / missed choice (its date, its pupil); "mark at least one" on the first row.
fn form_field(field: &str) -> String {
    let Some(rest) = field.strip_prefix("sessions[") else {
        return if field == "sessions" { "sessions[0].outcome".to_owned() } else { field.to_owned() };
    };
    let Some((index, leaf)) = rest.split_once(']') else { return field.to_owned() };
    let input = match leaf {
        ".minutes_delivered" | ".minutes" => "minutes",
        ".reason_missed" | ".note" => "note",
        _ => "outcome",
    };
    format!("sessions[{index}].{input}")
}

#[cfg(test)]
mod tests {
    use super::form_field;

    #[test]
    fn r11_each_rule_error_lands_on_its_rows_input() {
        assert_eq!(form_field("sessions[3].minutes_delivered"), "sessions[3].minutes");
        assert_eq!(form_field("sessions[12].reason_missed"), "sessions[12].note");
        assert_eq!(form_field("sessions[1].date"), "sessions[1].outcome");
        assert_eq!(form_field("sessions[1]"), "sessions[1].outcome");
        assert_eq!(form_field("sessions"), "sessions[0].outcome");
        assert_eq!(form_field("date"), "date");
    }
}
