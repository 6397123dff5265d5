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
use senplan_core::access::Permission;

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

/// The school's group provision running in `from..=to`; none when it cannot be costed.
async fn groups(s: &AppState, scope: &senplan_store::Scope, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Groups {
    s.store.provision_map(scope, from, to).await.map(|m| Groups::new(&m)).unwrap_or_default()
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
    let name = s.store.school(viewer.user.school_id).await?.details.name;
    let nav = Nav::new(viewer, school, name, "Delivery");
    // By default the last four weeks: what staff have just delivered.
    let t = today();
    let recent = RangeQuery {
        from: Some(q.from.clone().unwrap_or_else(|| (t - chrono::Days::new(27)).to_string())),
        to: Some(q.to.clone().unwrap_or_else(|| t.to_string())),
        pupil: None,
    };
    let (from, to) = match recent.range(t) {
        Ok(r) => r,
        Err(e) => return or_explain(Err(senplan_app::AppError::from(e)), nav),
    };
    // The form offers provision running in the dates shown or today.
    let recap = s.store.meeting_recap(&viewer.scope(), from.min(t), to.max(t)).await?;
    let chosen = target(form.value("session-provision"));
    let others = groups(s, &viewer.scope(), from.min(t), to.max(t)).await.candidates(chosen);
    let chosen_group = chosen.is_some() && !others.is_empty();
    let result = s.store.delivery_report(&viewer.scope(), from, to).await.map(|r| {
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
    // The page names pupils: costs and sight of records (not governors or administrators).
    viewer.pupil_costs_of(school)?;
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
    Some((PlanId(plan), number, SessionLog { date, held, minutes_delivered: minutes, attendees, reason_missed: reason }))
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
    viewer.school(school)?;
    viewer.require(Permission::LogDelivery)?;
    viewer.require(Permission::ViewCosts)?;
    let ctx = viewer.ctx();
    let mut form = Form::new(values);
    if let Some((plan, number, mut log)) = read(&mut form) {
        // The form's "attended" box means the plan's own pupil; a group session
        // adds every other pupil ticked. One-to-one provision has no others.
        let others = ticked(&form);
        let own = s.store.plan(&viewer.scope(), plan).await?.pupil_id.0;
        let mut attendees = if log.attendees.is_empty() { vec![] } else { vec![own] };
        if log.held {
            attendees.extend(others.iter().copied().filter(|id| *id != own));
        }
        log.attendees = attendees;
        if !others.is_empty() && groups(&s, &viewer.scope(), log.date, log.date).await.is_one_to_one(plan.0, number) {
            form.push(
                "session-provision",
                "This provision is one-to-one, so only its own pupil attends: choose the group's provision, or untick the other pupils",
            );
        } else {
            match s.store.log_session(&viewer.scope(), plan, number, log, &ctx).await {
                Ok(_) => return Ok(Redirect::to(&format!("/schools/{school}/costing/delivery?logged=1")).into_response()),
                Err(senplan_store::StoreError::Transition(_)) => form.push(
                    "session-provision",
                    "This pupil's support has not started yet: start the support on their cycle's page, then log its sessions",
                ),
                Err(e) => form.add_store_error(e, "session-provision", field_id)?,
            }
        }
    }
    super::shown_again(build(&s, &viewer, school, &q, form, false).await)
}
