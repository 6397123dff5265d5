//! Change a pupil's details: UPN, names, date of birth, year group. The form carries
//! the version it was read at; if someone else saved first, the page says so, shows
//! what they saved next to what this user typed, and keeps everything typed.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::pupils;
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::pupil::{PupilInput, YearGroup};
use senplan_core::record::Pupil;

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, in_page_order};
use super::pupil::display_name;
use super::text::long_date;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/pupils/{pupil}/details", show).post("/schools/{school}/pupils/{pupil}/details", save)
}

const ORDER: [&str; 7] = ["upn", "former_upn", "given_name", "family_name", "preferred_name", "date_of_birth", "year_group"];

struct Typed {
    version: i64,
    upn: String,
    former_upn: String,
    given_name: String,
    family_name: String,
    preferred_name: String,
    date_of_birth: DateParts,
    year_group: String,
}

impl Typed {
    fn from_pupil(p: &Pupil) -> Self {
        let d = &p.details;
        Typed {
            version: p.version,
            upn: d.upn.as_str().to_owned(),
            former_upn: d.former_upn.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default(),
            given_name: d.given_name.clone(),
            family_name: d.family_name.clone(),
            preferred_name: d.preferred_name.clone().unwrap_or_default(),
            date_of_birth: DateParts::from_date(d.date_of_birth),
            year_group: d.year_group.code(),
        }
    }
}

#[derive(Template)]
#[template(path = "details.html")]
struct DetailsPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    version: i64,
    errors: Vec<ErrorLink>,
    /// After a stale save: what the other person saved, as (field, value) lines.
    theirs: Option<(String, Vec<(&'static str, String)>)>,
    upn: Text,
    former_upn: Text,
    given_name: Text,
    family_name: Text,
    preferred_name: Text,
    date_of_birth: DateInput,
    year_group: Choices,
}

fn page(viewer: &Viewer, p: &Pupil, t: &Typed, errors: &Errors, theirs: Option<(String, Vec<(&'static str, String)>)>) -> DetailsPage {
    let school = viewer.user.school_id.0;
    let mut years = vec![YearGroup::Nursery(1), YearGroup::Nursery(2), YearGroup::Reception];
    years.extend((1..=14).map(YearGroup::Year));
    years.push(YearGroup::NotApplicable);
    let options = years.into_iter().map(|y| Choice::new(y.code(), y.label(), y.code() == t.year_group)).collect();
    DetailsPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: p.id.0,
        name: display_name(p),
        version: t.version,
        errors: errors.summary(),
        theirs,
        upn: Text::new("upn", "UPN (unique pupil number)", &t.upn, errors)
            .hint("13 characters: a check letter, then 12 digits, for example A380200124417")
            .width("govuk-input--width-20"),
        former_upn: Text::new("former_upn", "Former UPN (optional)", &t.former_upn, errors).width("govuk-input--width-20"),
        given_name: Text::new("given_name", "Given name", &t.given_name, errors).width("govuk-input--width-20"),
        family_name: Text::new("family_name", "Family name", &t.family_name, errors).width("govuk-input--width-20"),
        preferred_name: Text::new("preferred_name", "Preferred name (optional)", &t.preferred_name, errors)
            .hint("The name the pupil likes to be called, if different")
            .width("govuk-input--width-20"),
        date_of_birth: DateInput::new("date_of_birth", "Date of birth", t.date_of_birth.clone(), errors).hint("For example, 4 5 2017"),
        year_group: Choices::new("year_group", "Year group", options, errors),
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    let p = pupils::pupil(&s.store, &viewer.actor, school, PupilId(pupil), "details").await?;
    Ok(render_with(StatusCode::OK, &page(&viewer, &p, &Typed::from_pupil(&p), &Errors::default(), None)))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let (actor, pid) = (&viewer.actor, PupilId(pupil));
    let p = pupils::pupil_to_change(&s.store, actor, school, pid).await?;
    let g = |n: &str| form.get(n).to_owned();
    let mut t = Typed {
        version: form.get("version").parse().unwrap_or(-1),
        upn: g("upn"),
        former_upn: g("former_upn"),
        given_name: g("given_name"),
        family_name: g("family_name"),
        preferred_name: g("preferred_name"),
        date_of_birth: form.date("date_of_birth"),
        year_group: g("year_group"),
    };
    let mut read = Invalid::default();
    let dob = t.date_of_birth.parse("date_of_birth", "the date of birth", &mut read);
    let input = PupilInput {
        upn: t.upn.clone(),
        former_upn: Some(t.former_upn.clone()).filter(|u| !u.trim().is_empty()),
        given_name: t.given_name.clone(),
        family_name: t.family_name.clone(),
        preferred_name: Some(t.preferred_name.clone()).filter(|u| !u.trim().is_empty()),
        date_of_birth: dob.unwrap_or(actor.today()),
        year_group: t.year_group.clone(),
    };
    let result = match pupils::check_details(actor, input) {
        Ok(details) if read.is_empty() => pupils::update_pupil(&s.store, actor, school, pid, t.version, &details).await.map(|_| ()),
        Ok(_) => Err(AppError::Invalid(read)),
        Err(AppError::Invalid(rules)) => Err(AppError::Invalid(super::form::merge(read, rules))),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}?done=details")).into_response()),
        Err(AppError::Invalid(inv)) => {
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &p, &t, &Errors::new(in_page_order(inv, &ORDER)), None)))
        }
        Err(AppError::Conflict { .. }) => {
            let now = pupils::pupil_to_change(&s.store, actor, school, pid).await?;
            let d = &now.details;
            let theirs = vec![
                ("UPN", d.upn.as_str().to_owned()),
                ("Name", display_name(&now)),
                ("Date of birth", long_date(d.date_of_birth)),
                ("Year group", d.year_group.label()),
            ];
            t.version = now.version;
            Ok(render_with(
                StatusCode::CONFLICT,
                &page(
                    &viewer,
                    &now,
                    &t,
                    &Errors::default(),
                    Some((format!("version {}, saved on {}", now.version, super::text::when(&now.updated_at)), theirs)),
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
