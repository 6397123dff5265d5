//! The school's referral settings (R18): how many weeks a referral may wait for the
//! service before the compliance dashboard lists it. Kept by the SENCO or an
//! administrator; the rule is `senplan_core::referral::ReferralSettings`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::{AppError, referrals};
use serde::Deserialize;

use super::fields::{ErrorLink, Errors, Text};
use super::form::Posted;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/referral-settings", show).post("/schools/{school}/referral-settings", save)
}

#[derive(Template)]
#[template(path = "referral_settings.html")]
struct SettingsPage {
    nav: Nav,
    school: i64,
    version: i64,
    saved: bool,
    errors: Vec<ErrorLink>,
    weeks: Text,
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(d): Query<Done>) -> PageResult {
    let (sc, settings) = referrals::settings(&s.store, &viewer.actor, school).await?;
    let errors = Errors::default();
    let weeks = Text::new("wait_weeks", "Weeks a referral may wait", settings.wait_weeks.to_string(), &errors).numeric().hint("A whole number from 1 to 104: 12 is about a term");
    let page = SettingsPage { nav: Nav::for_viewer(&viewer), school, version: sc.version, saved: d.done.is_some(), errors: Vec::new(), weeks };
    Ok(render_with(StatusCode::OK, &page))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let (sc, _) = referrals::settings(&s.store, &viewer.actor, school).await?;
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    match referrals::save_settings(&s.store, &viewer.actor, school, version, form.get("wait_weeks")).await {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/referral-settings?done=saved")).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = Errors::new(i);
            let weeks = Text::new("wait_weeks", "Weeks a referral may wait", form.get("wait_weeks"), &errors).numeric().hint("A whole number from 1 to 104: 12 is about a term");
            let page = SettingsPage { nav: Nav::for_viewer(&viewer), school, version: sc.version, saved: false, errors: errors.summary(), weeks };
            Ok(render_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(e) => Err(e.into()),
    }
}
