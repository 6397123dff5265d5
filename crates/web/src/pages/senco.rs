//! The designated SENCO (R22): who, whether a qualified teacher, when appointed, and
//! the NPQ for SENCOs (or the older NASENCO award) gained or when it is due; in further
//! education, the named person. Kept by the SENCO or an administrator; the dashboard
//! shows where the school stands.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::{AppError, schools};
use senplan_core::Invalid;
use senplan_core::duties::{Award, Senco, senco_standing};

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, merge};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/senco", show).post("/schools/{school}/senco", save)
}

#[derive(Template)]
#[template(path = "senco.html")]
struct SencoPage {
    nav: Nav,
    school: i64,
    school_name: String,
    title: &'static str,
    standing: String,
    version: i64,
    saved: bool,
    errors: Vec<ErrorLink>,
    name: Text,
    qualified: Choices,
    appointed_on: DateInput,
    award: Choices,
    gained_on: DateInput,
    exempt: Choices,
}

fn page(viewer: &Viewer, sc: &senplan_core::record::School, typed: &Posted, errors: &Errors, saved: bool) -> SencoPage {
    let s = sc.senco.as_ref();
    let get = |field: &str, stored: String| if typed.has(field) { typed.get(field).to_owned() } else { stored };
    let date = |field: &str, stored: Option<chrono::NaiveDate>| {
        if typed.has(&format!("{field}.day")) { typed.date(field) } else { DateParts::from_opt(stored) }
    };
    let qualified = get("qualified_teacher", s.map_or(String::new(), |s| if s.qualified_teacher { "yes".into() } else { "no".into() }));
    let award = get("award", s.map_or("none".into(), |s| s.award.as_str().to_owned()));
    let exempt = if typed.0.is_empty() { s.is_some_and(|s| s.exempt) } else { typed.get("exempt") == "yes" };
    SencoPage {
        nav: Nav::for_viewer(viewer),
        school: sc.id.0,
        school_name: sc.details.name.clone(),
        title: sc.details.setting.coordinator_title(),
        standing: senco_standing(sc.details.setting, s, viewer.actor.today()).in_words(),
        version: sc.version,
        saved,
        errors: errors.summary(),
        name: Text::new("name", "Name", get("name", s.map_or(String::new(), |s| s.name.clone())), errors),
        qualified: Choices::new(
            "qualified_teacher",
            "Are they a qualified teacher?",
            vec![Choice::new("yes", "Yes", qualified == "yes"), Choice::new("no", "No", qualified == "no")],
            errors,
        )
        .small()
        .inline(),
        appointed_on: DateInput::new("appointed_on", "When were they appointed?", date("appointed_on", s.map(|s| s.appointed_on)), errors),
        award: Choices::new("award", "Their award", Award::ALL.iter().map(|a| Choice::new(a.as_str(), a.label(), a.as_str() == award)).collect(), errors)
            .hint("A school's SENCO gains it within three years of appointment")
            .small(),
        gained_on: DateInput::new("gained_on", "When was it gained?", date("gained_on", s.and_then(|s| s.gained_on)), errors)
            .hint("Leave empty if not gained yet"),
        exempt: Choices::new(
            "exempt",
            "Exemption",
            vec![Choice::new("yes", "Exempt: a SENCO for more than a year before 1 September 2009", exempt)],
            errors,
        )
        .small(),
    }
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(d): Query<Done>) -> PageResult {
    let sc = schools::family_contacts(&s.store, &viewer.actor, school).await?;
    Ok(render_with(StatusCode::OK, &page(&viewer, &sc, &Posted::default(), &Errors::default(), d.done.is_some())))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let sc = schools::family_contacts(&s.store, &viewer.actor, school).await?;
    let mut read = Invalid::default();
    let appointed_on = form.date("appointed_on").parse("appointed_on", "the date they were appointed", &mut read);
    let gained_on = form.date("gained_on").parse_optional("gained_on", "the date the award was gained", &mut read);
    let qualified = form.get("qualified_teacher");
    if qualified.is_empty() {
        read.push("qualified_teacher", "required", "Choose whether they are a qualified teacher");
    }
    let award = Award::parse(form.get("award"));
    if award.is_none() {
        read.push("award", "required", "Choose their award, or 'Not gained yet'");
    }
    let senco = Senco {
        name: form.get("name").to_owned(),
        qualified_teacher: qualified == "yes",
        appointed_on: appointed_on.unwrap_or_default(),
        award: award.unwrap_or(Award::None),
        gained_on,
        exempt: form.get("exempt") == "yes",
    };
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    let r = if read.is_empty() { schools::save_senco(&s.store, &viewer.actor, school, version, senco).await.map(|_| ()) } else { Err(AppError::Invalid(read.clone())) };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/senco?done=saved")).into_response()),
        Err(AppError::Invalid(i)) => Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &sc, &form, &Errors::new(merge(read, i)), false))),
        Err(e) => Err(e.into()),
    }
}
