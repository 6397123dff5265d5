//! The family's letter to the school (R04): seed 003's draft letter as a form in the
//! portal — what worries them, a meeting, a friend or adviser, their questions, the
//! records and the SEN policy — sent as their concern with the requests it makes, and
//! kept as a PDF they can print and take to the meeting.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::portal;
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::parent_letter::ParentLetter;

use super::documents::pdf_response;
use super::fields::{Choice, Choices, ErrorLink, Errors, Text};
use super::form::Posted;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/portal/pupils/{pupil}/letter", show)
        .post("/portal/pupils/{pupil}/letter", send)
        .get("/portal/pupils/{pupil}/letters/{concern}/letter.pdf", download)
}

#[derive(Template)]
#[template(path = "portal_letter.html")]
struct Page {
    nav: Nav,
    pupil: i64,
    first: String,
    /// The concern the letter was sent as, just now.
    sent: Option<i64>,
    errors: Vec<ErrorLink>,
    to: Text,
    concerns: Text,
    asks: Choices,
    adviser: Text,
    questions: Text,
    from: Text,
}

fn page(viewer: &Viewer, p: &senplan_core::record::Pupil, typed: Option<&Posted>, errors: &Errors, sent: Option<i64>) -> Page {
    let d = &p.details;
    let first = d.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| d.given_name.clone());
    let get = |name: &str| typed.map_or(String::new(), |t| t.get(name).to_owned());
    let asked = |value: &str| typed.is_none_or(|t| t.all("asks").iter().any(|a| a == value));
    Page {
        nav: Nav::for_viewer(viewer),
        pupil: p.id.0,
        sent,
        errors: errors.summary(),
        to: Text::new("to", "Who you are writing to", get("to"), errors)
            .hint("For example, the headteacher's name. Left blank, the letter begins \"Dear Headteacher\""),
        concerns: Text::new("concerns", format!("What worries you about {first}"), get("concerns"), errors)
            .hint("Put each worry on its own line, for example: slow progress in reading")
            .area(6),
        asks: Choices::new(
            "asks",
            "In the letter, ask",
            vec![
                Choice::new("meeting", "for a meeting to talk about your concerns", asked("meeting")),
                Choice::new("records", format!("for a copy of {first}'s school records"), asked("records")),
                Choice::new("sen_policy", "for a copy of the school's SEN policy", asked("sen_policy")),
            ],
            errors,
        )
        .small(),
        adviser: Text::new("adviser", "A friend or adviser you would like to bring (optional)", get("adviser"), errors)
            .hint("Their name and who they are, for example: Ms Jones from SENDIASS (the local SEND Information, Advice and Support Service)"),
        questions: Text::new("questions", "Questions you would like to talk about (optional)", get("questions"), errors)
            .hint("One question on each line")
            .area(4),
        from: Text::new("from", "Your name, to sign the letter", typed.map_or_else(|| viewer.actor.name().to_owned(), |t| t.get("from").to_owned()), errors),
        first,
    }
}

#[derive(serde::Deserialize)]
struct Sent {
    sent: Option<i64>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>, Query(q): Query<Sent>) -> PageResult {
    let p = portal::letter_form(&s.store, &viewer.actor, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &page(&viewer, &p, None, &Errors::default(), q.sent)))
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// Core numbers each point by its line; on the page the error says which line.
fn by_line(mut i: Invalid) -> Invalid {
    for e in &mut i.errors {
        for field in ["concerns", "questions"] {
            if let Some(n) = e.field.strip_prefix(field).and_then(|r| r.strip_prefix('[')).and_then(|r| r.strip_suffix(']')).and_then(|n| n.parse::<usize>().ok()) {
                e.message = format!("Line {}: {}", n + 1, e.message);
                e.field = field.to_owned();
            }
        }
    }
    i
}

async fn send(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>, form: Posted) -> PageResult {
    let asks = form.all("asks");
    let letter = ParentLetter {
        to: form.get("to").to_owned(),
        concerns: lines(form.get("concerns")),
        meeting: asks.iter().any(|a| a == "meeting"),
        adviser: form.get("adviser").to_owned(),
        questions: lines(form.get("questions")),
        records: asks.iter().any(|a| a == "records"),
        sen_policy: asks.iter().any(|a| a == "sen_policy"),
        from: form.get("from").to_owned(),
    };
    match portal::send_letter(&s.store, &viewer.actor, PupilId(pupil), letter).await {
        Ok(sent) => Ok(Redirect::to(&format!("/portal/pupils/{pupil}/letter?sent={}", sent.concern.id)).into_response()),
        Err(AppError::Invalid(i)) => {
            let p = portal::letter_form(&s.store, &viewer.actor, PupilId(pupil)).await?;
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &p, Some(&form), &Errors::new(by_line(i)), None)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn download(State(s): State<AppState>, viewer: Viewer, Path((pupil, concern)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(portal::letter_pdf(&s.store, &viewer.actor, PupilId(pupil), concern).await?))
}
