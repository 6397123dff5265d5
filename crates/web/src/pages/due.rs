//! "Due for me" (R32): each person's reminders of the last 30 days, whether or not
//! they were e-mailed, with the page each is about; their choice of e-mail reminders;
//! and, for administrators, the e-mails that failed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::reminders;
use senplan_core::reminders::{Kind, Preferences};
use serde::Deserialize;

use super::fields::{Choice, Choices, Errors};
use super::form::Posted;
use super::{PageResult, long_date, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/due", show)
        .post("/due", save)
        .get("/schools/{school}/email-problems", problems)
}

struct Line {
    due: String,
    subject: String,
    body: String,
    href: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "due.html")]
struct DuePage {
    nav: Nav,
    saved: bool,
    lines: Vec<Line>,
    choices: Choices,
}

fn state_words(state: &str) -> &'static str {
    match state {
        "sent" => "E-mailed",
        "pending" | "sending" => "E-mail on its way",
        "failed" => "The e-mail could not be sent",
        _ => "In senplan only",
    }
}

#[derive(Deserialize)]
struct Done {
    saved: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Query(d): Query<Done>) -> PageResult {
    let rows = reminders::due_for_me(&s.store, &viewer.actor).await?;
    let prefs = reminders::preferences(&s.store, &viewer.actor).await?;
    let lines = rows
        .into_iter()
        .map(|r| Line {
            due: long_date(r.due_on),
            subject: r.subject,
            body: r.body.lines().next().unwrap_or_default().to_owned(),
            href: r.link,
            state: state_words(&r.state),
        })
        .collect();
    let staff = !senplan_app::access::menu(&viewer.actor).portal;
    let options = Kind::ALL
        .iter()
        .filter(|k| staff || **k == Kind::MeetingDue)
        .map(|k| Choice::new(k.as_str(), k.label(), prefs.wants(*k)))
        .collect();
    let choices = Choices::new("kinds", "E-mail me about", options, &Errors::default()).hint("Everything still shows on this page.").small();
    Ok(render_with(StatusCode::OK, &DuePage { nav: Nav::for_viewer(&viewer), saved: d.saved.is_some(), lines, choices }))
}

async fn save(State(s): State<AppState>, viewer: Viewer, form: Posted) -> PageResult {
    let chosen = form.all("kinds");
    let has = |k: Kind| chosen.iter().any(|c| c == k.as_str());
    let staff = !senplan_app::access::menu(&viewer.actor).portal;
    let mut p = Preferences { review_due: has(Kind::ReviewDue), meeting_due: has(Kind::MeetingDue), action_due: has(Kind::ActionDue), weekly_digest: has(Kind::WeeklyDigest) };
    if !staff {
        // A family is offered meetings only; keep the rest as they were.
        let before = reminders::preferences(&s.store, &viewer.actor).await?;
        p = Preferences { meeting_due: p.meeting_due, ..before };
    }
    reminders::save_preferences(&s.store, &viewer.actor, p).await?;
    Ok(Redirect::to("/due?saved=1").into_response())
}

struct Problem {
    when: String,
    to: String,
    subject: String,
    error: String,
    state: String,
}

#[derive(Template)]
#[template(path = "email_problems.html")]
struct ProblemsPage {
    nav: Nav,
    problems: Vec<Problem>,
}

async fn problems(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> PageResult {
    let rows = reminders::problems(&s.store, &viewer.actor, school).await?;
    let problems = rows
        .into_iter()
        .map(|r| Problem {
            when: super::text::when(&r.created_at),
            to: r.email,
            subject: r.subject,
            error: r.last_error.unwrap_or_else(|| "Left mid-send when the server stopped: not sent again, to be sure it is never sent twice".into()),
            state: match r.state.as_str() {
                "pending" => format!("Will be tried again (tried {} times)", r.attempts),
                "failed" => "Failed: not tried again".into(),
                _ => "Unknown".into(),
            },
        })
        .collect();
    Ok(render_with(StatusCode::OK, &ProblemsPage { nav: Nav::for_viewer(&viewer), problems }))
}
