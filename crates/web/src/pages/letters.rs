//! The school's letters (R04, R08, R14), for the SENCO: each kind with the wording the
//! school uses now, a page to reword one — the placeholders it can fill listed beside
//! it, senplan's own wording to go back to, and every earlier version — and the
//! meeting letters (an invitation, the notes) as PDFs from a meeting.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::letters::{self, LetterEditor, SchoolLetter};
use senplan_core::Invalid;
use senplan_core::letters::{LetterKind, LetterTemplate};

use super::documents::pdf_response;
use super::fields::{ErrorLink, Errors, Text};
use super::form::Posted;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/letters", list)
        .get("/schools/{school}/letters/{kind}", show)
        .post("/schools/{school}/letters/{kind}", save)
        .get("/schools/{school}/meetings/{meeting}/invitation.pdf", invitation)
        .get("/schools/{school}/meetings/{meeting}/notes.pdf", notes)
}

/// A kind of letter in the list.
struct Listed {
    kind: &'static str,
    label: &'static str,
    subject: String,
    wording: String,
}

#[derive(Template)]
#[template(path = "letters.html")]
struct ListPage {
    nav: Nav,
    school: i64,
    saved: Option<&'static str>,
    letters: Vec<Listed>,
}

fn wording(l: &SchoolLetter) -> String {
    match &l.saved {
        None => "senplan's wording".to_owned(),
        Some(s) => format!("The school's wording, version {}, saved {}", s.version, super::text::when(&s.updated_at)),
    }
}

#[derive(serde::Deserialize)]
struct Done {
    saved: Option<String>,
}

async fn list(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(d): Query<Done>) -> PageResult {
    let all = letters::letters(&s.store, &viewer.actor, school).await?;
    let saved = d.saved.as_deref().and_then(LetterKind::parse).map(LetterKind::label);
    let letters = all
        .iter()
        .map(|l| Listed { kind: l.kind.as_str(), label: l.kind.label(), subject: l.template.subject.clone(), wording: wording(l) })
        .collect();
    Ok(render_with(StatusCode::OK, &ListPage { nav: Nav::for_viewer(&viewer), school, saved, letters }))
}

/// An earlier version, for the list under the form.
struct Version {
    version: i64,
    by: String,
    at: String,
    subject: String,
    body: String,
}

#[derive(Template)]
#[template(path = "letter_edit.html")]
struct EditPage {
    nav: Nav,
    school: i64,
    label: &'static str,
    wording: String,
    version: i64,
    errors: Vec<ErrorLink>,
    subject: Text,
    body: Text,
    placeholders: Vec<(String, &'static str)>,
    default_subject: String,
    default_body: String,
    history: Vec<Version>,
}

fn edit_page(viewer: &Viewer, school: i64, e: &LetterEditor, typed: Option<&LetterTemplate>, errors: &Errors) -> EditPage {
    let t = typed.unwrap_or(&e.letter.template);
    EditPage {
        nav: Nav::for_viewer(viewer),
        school,
        label: e.letter.kind.label(),
        wording: wording(&e.letter),
        version: e.letter.version(),
        errors: errors.summary(),
        subject: Text::new("subject", "Subject", t.subject.clone(), errors).hint("The letter's heading"),
        body: Text::new("body", "The letter", t.body.clone(), errors)
            .hint("Leave a blank line between paragraphs. Put a placeholder from the list in braces, like {child}; write {{ or }} for a brace.")
            .area(18),
        placeholders: e.placeholders.iter().map(|p| (format!("{{{}}}", p.name), p.means)).collect(),
        default_subject: e.default.subject.clone(),
        default_body: e.default.body.clone(),
        history: e
            .history
            .iter()
            .map(|h| Version {
                version: h.version,
                by: h.changed_by.clone(),
                at: super::text::when(&h.changed_at),
                subject: h.body["template"]["subject"].as_str().unwrap_or_default().to_owned(),
                body: h.body["template"]["body"].as_str().unwrap_or_default().to_owned(),
            })
            .collect(),
    }
}

fn kind(text: &str) -> Result<LetterKind, AppError> {
    LetterKind::parse(text).ok_or(AppError::NotFound("letter"))
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, k)): Path<(i64, String)>) -> PageResult {
    let e = letters::letter_editor(&s.store, &viewer.actor, school, kind(&k)?).await?;
    Ok(render_with(StatusCode::OK, &edit_page(&viewer, school, &e, None, &Errors::default())))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, k)): Path<(i64, String)>, form: Posted) -> PageResult {
    let kind = kind(&k)?;
    let typed = LetterTemplate { subject: form.get("subject").to_owned(), body: form.get("body").to_owned() };
    let version = form.get("version").trim().parse::<i64>();
    let r = match version {
        Ok(v) => letters::save_letter(&s.store, &viewer.actor, school, kind, v, typed.clone()).await.map(|_| ()),
        Err(_) => Err(AppError::Invalid(Invalid::one("version", "required", "The form is missing the version it was read at: open the letter again"))),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/letters?saved={}", kind.as_str())).into_response()),
        Err(AppError::Invalid(i)) => {
            let e = letters::letter_editor(&s.store, &viewer.actor, school, kind).await?;
            Ok(render_with(StatusCode::BAD_REQUEST, &edit_page(&viewer, school, &e, Some(&typed), &Errors::new(i))))
        }
        Err(e) => Err(e.into()),
    }
}

async fn invitation(State(s): State<AppState>, viewer: Viewer, Path((school, meeting)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(letters::meeting_letter(&s.store, &viewer.actor, school, meeting, LetterKind::MeetingInvitation).await?))
}

async fn notes(State(s): State<AppState>, viewer: Viewer, Path((school, meeting)): Path<(i64, i64)>) -> PageResult {
    Ok(pdf_response(letters::meeting_letter(&s.store, &viewer.actor, school, meeting, LetterKind::MeetingNotes).await?))
}
