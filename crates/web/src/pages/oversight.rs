//! The SENCO's oversight pages: concerns waiting for a dated answer (R04), and who
//! can see a pupil's record, with time-limited access for outside professionals
//! (R31) and the record's audit trail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_app::oversight;
use senplan_core::access::Relationship;
use senplan_core::ids::{PupilId, UserId};
use serde::Deserialize;

use super::nav::Nav;
use super::{PageResult, long_date, render, render_with};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::PageError;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/concerns", concerns)
        .post("/schools/{school}/concerns/{id}/answer", answer)
        .get("/schools/{school}/pupils/{pupil}/concerns/{concern}/letter.pdf", family_letter)
        .post("/schools/{school}/requests/{id}", work_request)
        .get("/schools/{school}/pupils/{pupil}/access", access)
        .post("/schools/{school}/pupils/{pupil}/access", grant)
        .post("/schools/{school}/pupils/{pupil}/access/{id}/withdraw", withdraw)
}

#[derive(Template)]
#[template(path = "concerns.html")]
struct ConcernsPage {
    nav: Nav,
    errors: Vec<(String, String)>,
    school: i64,
    concerns: Vec<ConcernCard>,
    requests: Vec<RequestCard>,
    today: String,
}

struct RequestCard {
    pupil: String,
    pupil_id: i64,
    line: super::concerns::RequestLine,
    /// The error of the last attempt to move this request on.
    error: Option<String>,
}

struct ConcernCard {
    id: i64,
    version: i64,
    pupil: String,
    pupil_id: i64,
    /// Raised by the family (their concern prints as their letter), not by staff.
    from_family: bool,
    raised_on: String,
    raised_by: String,
    text: String,
    error: bool,
}

/// A family's concern as their letter (PDF), from the concerns page or the pupil's record.
async fn family_letter(State(s): State<AppState>, viewer: Viewer, Path((school, pupil, concern)): Path<(i64, i64, i64)>) -> PageResult {
    Ok(super::documents::pdf_response(oversight::family_letter_pdf(&s.store, &viewer.actor, school, PupilId(pupil), concern).await?))
}

async fn concerns_page(s: &AppState, viewer: &Viewer, school: i64, error_on: Option<i64>) -> Result<ConcernsPage, ApiError> {
    concerns_page_with(s, viewer, school, error_on, None).await
}

async fn concerns_page_with(
    s: &AppState,
    viewer: &Viewer,
    school: i64,
    error_on: Option<i64>,
    request_error: Option<(i64, String)>,
) -> Result<ConcernsPage, ApiError> {
    let inbox = oversight::inbox(&s.store, &viewer.actor, school).await?;
    let mut cards = Vec::new();
    for (c, pupil) in inbox.concerns {
        cards.push(ConcernCard {
            id: c.id,
            version: c.version,
            pupil: pupil.details.display_name(),
            pupil_id: pupil.id.0,
            from_family: !c.raised_by_staff,
            raised_on: long_date(c.raised_on),
            raised_by: c.raised_by,
            text: c.concern,
            error: error_on == Some(c.id),
        });
    }
    let mut errors: Vec<(String, String)> =
        error_on.map(|id| vec![(format!("response-{id}"), "Enter the school's response".to_owned())]).unwrap_or_default();
    if let Some((id, message)) = &request_error {
        errors.push((format!("request-{id}"), message.clone()));
    }
    let requests = inbox
        .requests
        .iter()
        .map(|(r, pupil)| RequestCard {
            pupil: pupil.details.display_name(),
            pupil_id: pupil.id.0,
            line: super::concerns::request_line(r, &inbox.records_due, viewer.actor.today()),
            error: request_error.as_ref().filter(|(id, _)| *id == r.id).map(|(_, m)| m.clone()),
        })
        .collect();
    Ok(ConcernsPage {
        nav: Nav::for_viewer(viewer),
        errors,
        school: viewer.user.school_id.0,
        concerns: cards,
        requests,
        today: viewer.actor.today().format("%-d/%-m/%Y").to_string(),
    })
}

async fn concerns(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Response, PageError> {
    Ok(render(&concerns_page(&s, &viewer, school, None).await?))
}

#[derive(Deserialize)]
struct AnswerForm {
    version: i64,
    #[serde(default)]
    response: String,
}

async fn answer(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id)): Path<(i64, i64)>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, PageError> {
    match oversight::answer_concern(&s.store, &viewer.actor, school, id, f.version, &f.response).await {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/concerns")).into_response()),
        Err(AppError::Invalid(_)) => Ok(render_with(StatusCode::BAD_REQUEST, &concerns_page(&s, &viewer, school, Some(id)).await?)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct StepForm {
    version: i64,
    #[serde(default)]
    state: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    note: String,
}

/// Moves a family's request on: in hand, or done with a note for the family.
async fn work_request(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, id)): Path<(i64, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    let state = senplan_core::request::RequestState::parse(&f.state);
    let on = senplan_core::dates::parse_typed(&f.on);
    let result = match (state, on) {
        (Some(to), Some(Ok(on))) => {
            let step = oversight::StepTaken { to, on, note: f.note.clone() };
            oversight::work_request(&s.store, &viewer.actor, school, id, f.version, &step).await
        }
        (None, _) => Err(AppError::Invalid(senplan_core::Invalid::one("state", "required", "Choose what has happened: in hand, or done"))),
        (_, Some(Err(why))) => Err(AppError::Invalid(senplan_core::Invalid::one("on", "invalid_date", why))),
        (_, None) => {
            Err(AppError::Invalid(senplan_core::Invalid::one("on", "invalid_date", "Enter the date as day month year, like 27 11 2026")))
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/concerns#request-{id}")).into_response()),
        Err(AppError::Invalid(i)) => {
            let message = i.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(". ");
            Ok(render_with(StatusCode::BAD_REQUEST, &concerns_page_with(&s, &viewer, school, None, Some((id, message))).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "access.html")]
struct AccessPage {
    nav: Nav,
    errors: Vec<(&'static str, String)>,
    school: i64,
    pupil_id: i64,
    pupil: String,
    relationships: Vec<RelationshipLine>,
    professionals: Vec<(i64, String)>,
    example_date: String,
    until_typed: String,
    expiry_error: Option<String>,
    audit: Vec<senplan_core::record::AuditEntry>,
}

struct RelationshipLine {
    id: i64,
    person: String,
    kind: &'static str,
    from: String,
    until: String,
    active: bool,
}

fn kind_label(k: Relationship) -> &'static str {
    match k {
        Relationship::Teaches => "Teaches them",
        Relationship::DeliversProvision => "Delivers their support",
        Relationship::ParentOf => "Parent or carer",
        Relationship::Is => "Their own account",
        Relationship::Grant => "Outside professional",
    }
}

async fn access_page(
    s: &AppState,
    viewer: &Viewer,
    school: i64,
    pupil: PupilId,
    until_typed: String,
    expiry_error: Option<String>,
) -> Result<AccessPage, ApiError> {
    let view = oversight::access_view(&s.store, &viewer.actor, school, pupil).await?;
    let (p, audit) = (view.pupil, view.audit);
    let today = viewer.actor.today();
    let relationships = view
        .relationships
        .into_iter()
        .map(|r| RelationshipLine {
            id: r.id,
            active: r.withdrawn_at.is_none() && r.expires_on.is_none_or(|e| e >= today),
            person: r.user_name,
            kind: kind_label(r.kind),
            from: long_date(r.starts_on),
            until: r.expires_on.map_or_else(|| "No end date".to_owned(), long_date),
        })
        .collect();
    let professionals = view.professionals.into_iter().map(|(id, name)| (id.0, name)).collect();
    Ok(AccessPage {
        nav: Nav::for_viewer(viewer),
        errors: expiry_error.iter().map(|e| ("until", e.clone())).collect(),
        school: viewer.user.school_id.0,
        pupil_id: pupil.0,
        pupil: p.details.display_name(),
        relationships,
        professionals,
        example_date: (today + chrono::Days::new(30)).format("%d/%m/%Y").to_string(),
        until_typed,
        expiry_error,
        audit: audit.into_iter().map(|a| senplan_core::record::AuditEntry { at: super::text::when(&a.at), ..a }).collect(),
    })
}

async fn access(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> Result<Response, PageError> {
    Ok(render(&access_page(&s, &viewer, school, PupilId(pupil), String::new(), None).await?))
}

#[derive(Deserialize)]
struct GrantForm {
    user: i64,
    #[serde(default)]
    until: String,
}

async fn grant(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil)): Path<(i64, i64)>,
    Form(f): Form<GrantForm>,
) -> Result<Response, PageError> {
    let until = NaiveDate::parse_from_str(f.until.trim(), "%Y-%m-%d").ok();
    let problem = match until {
        None => "Enter the day access ends, for example 31/12/2026".to_owned(),
        Some(_) => match oversight::grant_access(&s.store, &viewer.actor, school, PupilId(pupil), UserId(f.user), until).await {
            Ok(_) => return Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}/access")).into_response()),
            Err(AppError::Invalid(i)) if i.errors.iter().any(|e| e.field == "expires_on") => {
                "The day access ends must be today or later".to_owned()
            }
            Err(e) => return Err(e.into()),
        },
    };
    Ok(render_with(StatusCode::BAD_REQUEST, &access_page(&s, &viewer, school, PupilId(pupil), f.until, Some(problem)).await?))
}

async fn withdraw(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, pupil, id)): Path<(i64, i64, i64)>,
) -> Result<Response, PageError> {
    oversight::withdraw_access(&s.store, &viewer.actor, school, PupilId(pupil), id).await?;
    Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}/access")).into_response())
}
