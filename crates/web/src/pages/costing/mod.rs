//! Costing pages (R11, R15–R17, R29, R34): settings, the costed provision map, the
//! Element 2 threshold, the notional SEN budget (SVG chart and table), delivery
//! logging, impact and the meeting recap, each with its CSV download. Handlers
//! parse, call one store operation and render a view model; cost pages are meant
//! for the SENCO, leadership and administrators (the accounts work restricts them
//! with an extractor on these routes).

mod attendees;
mod chart;
mod delivery;
mod form;
mod impact;
mod reports;
mod settings;

use axum::Router;
use axum::response::Response;
use axum::routing::get;
use senplan_store::StoreError;

use super::render;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/schools/{school}/costing", get(reports::overview))
        .route("/schools/{school}/costing/settings", get(settings::page))
        .route("/schools/{school}/costing/settings/{part}", axum::routing::post(settings::save))
        .route("/schools/{school}/costing/provision-map", get(reports::map))
        .route("/schools/{school}/costing/threshold", get(reports::threshold))
        .route("/schools/{school}/costing/budget", get(reports::budget))
        .route("/schools/{school}/costing/impact", get(impact::page))
        .route("/schools/{school}/costing/impact/record", get(impact::record_page).post(impact::record))
        .route("/schools/{school}/costing/recap", get(reports::recap))
        .route("/schools/{school}/costing/delivery", get(delivery::page).post(delivery::log))
}

/// The links at the top of every costing page; `current` is marked for screen readers.
#[derive(Clone)]
pub(crate) struct Nav {
    pub school_id: i64,
    pub school_name: String,
    pub current: &'static str,
    /// The header menu's fields (see `pages::nav`), so these pages share `app.html`.
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    pub links: Vec<(String, &'static str)>,
}

impl Nav {
    pub fn new(viewer: &crate::session::Viewer, school_id: i64, school_name: String, current: &'static str) -> Nav {
        let header = crate::pages::nav::Nav::for_viewer(viewer);
        Nav { school_id, school_name, current, name: header.name, role: header.role, csrf: header.csrf, links: header.links }
    }

    /// (path under /schools/{id}/costing, label, is current)
    pub fn links(&self) -> Vec<(String, &'static str, bool)> {
        [
            ("", "Overview"),
            ("/provision-map", "Provision map"),
            ("/threshold", "£6,000 threshold"),
            ("/budget", "Budget"),
            ("/delivery", "Delivery"),
            ("/impact", "Impact"),
            ("/recap", "Meeting recap"),
            ("/settings", "Settings"),
        ]
        .into_iter()
        .map(|(path, label)| (format!("/schools/{}/costing{path}", self.school_id), label, label == self.current))
        .collect()
    }
}

#[derive(askama::Template)]
#[template(path = "costing_not_set_up.html")]
struct NotSetUp {
    nav: Nav,
    message: String,
}

/// Shows "set up costing first" (or the report's own reason, e.g. no budget for the
/// year) as a page instead of an error, when the store says the input was not enough.
pub(crate) fn or_explain(result: Result<Response, StoreError>, nav: Nav) -> Result<Response, ApiError> {
    match result {
        Ok(r) => Ok(r),
        Err(StoreError::Invalid(i)) => {
            let message = i.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(". ");
            Ok(render(&NotSetUp { nav, message }))
        }
        Err(e) => Err(e.into()),
    }
}
