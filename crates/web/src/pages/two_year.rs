//! The progress check at age two (R26): an early years practitioner judges the three
//! prime areas between 24 and 36 months; an area not on track lands in the SENCO's
//! flags to consider with the family.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::{AppError, progress};
use senplan_core::Invalid;
use senplan_core::dates::in_words;
use senplan_core::ids::PupilId;
use senplan_core::progress::two_year::{Judgement, PrimeArea, TwoYearCheckInput};

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, merge};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/pupils/{pupil}/two-year-check", show)
        .post("/schools/{school}/pupils/{pupil}/two-year-check", save)
}

const AREAS: [(PrimeArea, &str); 3] = [
    (PrimeArea::CommunicationAndLanguage, "communication_and_language"),
    (PrimeArea::PhysicalDevelopment, "physical_development"),
    (PrimeArea::PersonalSocialAndEmotionalDevelopment, "personal_social_and_emotional_development"),
];
const JUDGEMENTS: [(Judgement, &str); 3] =
    [(Judgement::OnTrack, "on_track"), (Judgement::SomeConcerns, "some_concerns"), (Judgement::NotOnTrack, "not_on_track")];

/// A check already recorded, in words.
struct Recorded {
    on: String,
    areas: Vec<(String, &'static str)>,
    note: String,
}

#[derive(Template)]
#[template(path = "two_year_check.html")]
struct CheckPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    window: String,
    early_years: bool,
    saved: bool,
    recorded: Vec<Recorded>,
    errors: Vec<ErrorLink>,
    on: DateInput,
    areas: Vec<Choices>,
    note: Text,
}

fn page(viewer: &Viewer, school: i64, c: &progress::TwoYearChecks, typed: &Posted, errors: &Errors, saved: bool) -> CheckPage {
    let name = super::pupil::display_name(&c.pupil);
    let on = if typed.has("on.day") { typed.date("on") } else { DateParts::from_date(viewer.actor.today()) };
    CheckPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: c.pupil.id.0,
        window: format!("from {} to {}", in_words(c.window.0), in_words(c.window.1)),
        early_years: c.early_years,
        saved,
        recorded: c
            .checks
            .iter()
            .map(|k| Recorded {
                on: in_words(k.on),
                areas: k.areas().into_iter().map(|(a, j)| (capitalise(a.label()), j.label())).collect(),
                note: k.note.clone(),
            })
            .collect(),
        errors: errors.summary(),
        on: DateInput::new("on", "Date of the check", on, errors),
        areas: AREAS
            .iter()
            .map(|(area, field)| {
                let typed_value = typed.get(field);
                Choices::new(
                    field,
                    capitalise(area.label()),
                    JUDGEMENTS.iter().map(|(j, v)| Choice::new(*v, capitalise(j.label()), typed_value == *v)).collect(),
                    errors,
                )
                .small()
            })
            .collect(),
        note: Text::new("note", "The practitioner's summary (optional)", typed.get("note"), errors).area(4),
        name,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    let c = progress::two_year_checks(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &page(&viewer, school, &c, &Posted::default(), &Errors::default(), d.done.is_some())))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let c = progress::two_year_checks(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let mut read = Invalid::default();
    let on = form.date("on").parse("on", "the date of the check", &mut read);
    let judged = |field: &str| JUDGEMENTS.iter().find(|(_, v)| *v == form.get(field)).map(|(j, _)| *j);
    let r = match on {
        Some(on) if read.is_empty() => {
            let input = TwoYearCheckInput {
                on,
                communication_and_language: judged(AREAS[0].1),
                physical_development: judged(AREAS[1].1),
                personal_social_and_emotional_development: judged(AREAS[2].1),
                note: form.get("note").to_owned(),
            };
            progress::record_two_year_check(&s.store, &viewer.actor, school, PupilId(pupil), input).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(read.clone())),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}/two-year-check?done=saved")).into_response()),
        Err(AppError::Invalid(i)) => Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, school, &c, &form, &Errors::new(merge(read, i)), false))),
        Err(e) => Err(e.into()),
    }
}
