//! How families reach help (R21, R33): the SENCO's name, email and telephone, the local
//! authority's Local Offer and the SEND information, advice and support service, kept
//! by the SENCO or an administrator and shown in the portal.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::{AppError, schools};
use senplan_core::school::FamilyContacts;
use serde::Deserialize;

use super::fields::{ErrorLink, Errors, Text};
use super::form::Posted;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/contacts", show).post("/schools/{school}/contacts", save)
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    nav: Nav,
    school_name: String,
    version: i64,
    saved: bool,
    errors: Vec<ErrorLink>,
    fields: Vec<Text>,
}

fn page(viewer: &Viewer, school_name: String, version: i64, c: &FamilyContacts, errors: &Errors, saved: bool) -> ContactsPage {
    let text = |path: &str, label: &str, value: &str, hint: &str| Text::new(path, label, value, errors).hint(hint);
    ContactsPage {
        nav: Nav::for_viewer(viewer),
        school_name,
        version,
        saved,
        errors: errors.summary(),
        fields: vec![
            text("senco_name", "The SENCO's name", &c.senco_name, "As families should ask for them, for example Ms Rivera"),
            text("senco_email", "The SENCO's email address", &c.senco_email, "For example, senco@school.example"),
            text("senco_phone", "Telephone number", &c.senco_phone, "For example, 01632 960 001"),
            text("local_offer_url", "The local authority's Local Offer (web address)", &c.local_offer_url, "Starting with https://"),
            text(
                "iass_name",
                "The local SEND information, advice and support service (name)",
                &c.iass_name,
                "For example, Example SENDIASS",
            ),
            text("iass_url", "Its web address", &c.iass_url, "Starting with https://"),
        ],
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(done): Query<Done>) -> PageResult {
    let sc = schools::family_contacts(&s.store, &viewer.actor, school).await?;
    let p = page(&viewer, sc.details.name.clone(), sc.version, &sc.contacts, &Errors::default(), done.done.is_some());
    Ok(render_with(StatusCode::OK, &p))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let sc = schools::family_contacts(&s.store, &viewer.actor, school).await?;
    let typed = FamilyContacts {
        senco_name: form.get("senco_name").to_owned(),
        senco_email: form.get("senco_email").to_owned(),
        senco_phone: form.get("senco_phone").to_owned(),
        local_offer_url: form.get("local_offer_url").to_owned(),
        iass_name: form.get("iass_name").to_owned(),
        iass_url: form.get("iass_url").to_owned(),
    };
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    match schools::save_family_contacts(&s.store, &viewer.actor, school, version, typed.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/contacts?done=saved")).into_response()),
        Err(AppError::Invalid(i)) => {
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, sc.details.name, sc.version, &typed, &Errors::new(i), false)))
        }
        Err(e) => Err(e.into()),
    }
}
