//! The delivery page (R11): log a session of a pupil's provision, held or missed,
//! and see planned against delivered for any dates. A group session records every
//! pupil ticked as attending (see `attendees`). The form keeps what was typed and
//! links each error to its field.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use senplan_core::costing::{DeliveryReport, RecapRow, SessionLog};
use senplan_core::ids::PlanId;
use serde::Deserialize;

use super::attendees::{Candidate, Groups, ticked};
use super::form::{Form, leaf};
use super::{Nav, or_explain, render};
use crate::AppState;
use crate::costing::query::{RangeQuery, date, today};
use crate::pages::PageError;
use crate::pages::long_date;
use crate::session::Viewer;
use senplan_app::delivery;

#[derive(Template)]
#[template(path = "costing_delivery.html")]
struct DeliveryPage {
    nav: Nav,
    from: String,
    to: String,
    said: String,
    logged: bool,
    options: Vec<(String, String)>,
    /// Other pupils who may be ticked as attending a group session.
    others: Vec<Candidate>,
    /// Whether a group provision is chosen (else the list is every pupil in a group).
    chosen_group: bool,
    form: Form,
    rows: Vec<[String; 8]>,
    delivered: String,
    not_costed: i64,
}

#[derive(Deserialize)]
pub struct DeliveryQuery {
    #[serde(flatten)]
    range: RangeQuery,
    logged: Option<String>,
    /// "plan-number": the provision to log, chosen beforehand (shows its group).
    provision: Option<String>,
}

/// "plan-number" → (plan, number).
fn target(which: &str) -> Option<(i64, u32)> {
    which.split_once('-').and_then(|(p, n)| Some((p.parse::<i64>().ok()?, n.parse::<u32>().ok()?)))
}

fn options(recap: &[RecapRow]) -> Vec<(String, String)> {
    let mut rows: Vec<&RecapRow> = recap.iter().collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.what.cmp(&b.what)));
    rows.iter().map(|r| (format!("{}-{}", r.plan_id, r.provision_number), format!("{}: {} ({})", r.name, r.what, r.delivered_by))).collect()
}

fn rows(r: &DeliveryReport) -> Vec<[String; 8]> {
    r.rows
        .iter()
        .map(|x| {
            let p = &x.pupil;
            [
                x.name.clone(),
                x.what.clone(),
                p.planned_sessions.to_decimal(1),
                format!("{} held, {} missed", p.sessions_held, p.sessions_missed),
                p.sessions_attended.to_string(),
                format!("{} of {}", p.delivered_hours, p.planned_hours),
                p.delivered_bp.map_or_else(|| "Nothing planned".to_owned(), senplan_core::costing::percent_from_basis_points),
                p.delivered_cost.to_string(),
            ]
        })
        .collect()
}

async fn build(s: &AppState, viewer: &Viewer, school: i64, q: &RangeQuery, form: Form, logged: bool) -> Result<Response, PageError> {
    // By default the last four weeks: what staff have just delivered.
    let t = today();
    let recent = RangeQuery {
        from: Some(q.from.clone().unwrap_or_else(|| (t - chrono::Days::new(27)).to_string())),
        to: Some(q.to.clone().unwrap_or_else(|| t.to_string())),
        pupil: None,
    };
    let dates = recent.range(t);
    let (from, to) = dates.as_ref().map_or((t, t), |d| *d);
    // The form offers provision running in the dates shown or today.
    let view = senplan_app::costing::delivery_view(&s.store, &viewer.actor, school, from, to, t).await?;
    let nav = Nav::new(viewer, school, view.school_name, "Delivery");
    if let Err(e) = dates {
        return or_explain(Err(senplan_app::AppError::from(e)), nav);
    }
    let recap = view.recap;
    let chosen = target(form.value("session-provision"));
    let others = view.map.as_ref().map(Groups::new).unwrap_or_default().candidates(chosen);
    let chosen_group = chosen.is_some() && !others.is_empty();
    let result = view.report.map(|r| {
        render(&DeliveryPage {
            nav: nav.clone(),
            from: from.to_string(),
            to: to.to_string(),
            said: format!("{} to {}", long_date(from), long_date(to)),
            logged,
            options: options(&recap),
            others,
            chosen_group,
            form,
            rows: rows(&r),
            delivered: r.delivered_cost.to_string(),
            not_costed: r.not_costed,
        })
    });
    or_explain(result, nav)
}

pub async fn page(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<DeliveryQuery>,
) -> Result<Response, PageError> {
    // The page names pupils: costs and sight of records (not governors or administrators),
    // checked by the use case behind `build`.
    let mut form = Form::default();
    form.values.insert("session-held".into(), "yes".into());
    form.values.insert("session-attended".into(), "yes".into());
    if let Some(p) = q.provision.filter(|p| target(p).is_some()) {
        form.values.insert("session-provision".into(), p);
    }
    build(&s, &viewer, school, &q.range, form, q.logged.is_some()).await
}

/// Reads the form into a session log of one provision; errors go on the form.
fn read(form: &mut Form) -> Option<(PlanId, u32, SessionLog)> {
    let target = target(&form.text("session-provision"));
    if target.is_none() {
        form.push("session-provision", "Choose the pupil and provision the session was for");
    }
    let day = match date("session-date", Some(form.value("session-date"))) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            form.push("session-date", "Enter the date of the session, for example 2026-11-23");
            None
        }
        Err(e) => {
            form.push("session-date", e.errors.first().map(|e| e.message.clone()).unwrap_or_default());
            None
        }
    };
    let held = form.is("session-held", "yes");
    let minutes = if held {
        match form.text("session-minutes").parse::<i64>() {
            Ok(m) => m,
            Err(_) => {
                form.push("session-minutes", "Enter the minutes delivered as a whole number, for example 30");
                0
            }
        }
    } else {
        0
    };
    let (Some((plan, number)), Some(date)) = (target, day) else { return None };
    let attendees = if held && form.is("session-attended", "yes") { vec![plan] } else { vec![] };
    let reason = Some(form.text("session-reason")).filter(|r| !r.is_empty());
    if form.has_errors() {
        return None;
    }
    Some((PlanId(plan), number, SessionLog { date, held, minutes_delivered: minutes, attendees, reason_missed: reason, note: None }))
}

fn field_id(field: &str) -> String {
    match leaf(field) {
        "date" => "session-date",
        "minutes_delivered" => "session-minutes",
        "attendees" => "session-attended",
        "reason_missed" => "session-reason",
        _ => "session-provision",
    }
    .into()
}

pub async fn log(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
    axum::Form(values): axum::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    delivery::may_log_with_costs(&viewer.actor, school)?;
    let mut form = Form::new(values);
    if let Some((plan, number, mut log)) = read(&mut form) {
        // The form's "attended" box means the plan's own pupil; a group session
        // adds every other pupil ticked. One-to-one provision has no others.
        let others = ticked(&form);
        let own = delivery::plan_pupil(&s.store, &viewer.actor, school, plan).await?.0;
        let mut attendees = if log.attendees.is_empty() { vec![] } else { vec![own] };
        if log.held {
            attendees.extend(others.iter().copied().filter(|id| *id != own));
        }
        log.attendees = attendees;
        let map =
            senplan_app::costing::provision_map(&s.store, &viewer.actor, school, log.date, log.date, None, senplan_app::costing::Use::View)
                .await;
        if !others.is_empty() && map.map(|m| Groups::new(&m)).unwrap_or_default().is_one_to_one(plan.0, number) {
            form.push(
                "session-provision",
                "This provision is one-to-one, so only its own pupil attends: choose the group's provision, or untick the other pupils",
            );
        } else {
            match delivery::log_session_with_costs(&s.store, &viewer.actor, school, plan, number, log).await {
                Ok(_) => return Ok(Redirect::to(&format!("/schools/{school}/costing/delivery?logged=1")).into_response()),
                Err(senplan_app::AppError::Transition(_)) => form.push(
                    "session-provision",
                    "This pupil's support has not started yet: start the support on their cycle's page, then log its sessions",
                ),
                Err(e) => form.add_app_error(e, "session-provision", field_id)?,
            }
        }
    }
    super::shown_again(build(&s, &viewer, school, &q, form, false).await)
}
