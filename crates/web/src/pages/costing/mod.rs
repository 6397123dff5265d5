//! Costing pages (R11, R15–R17, R29, R34): settings, the costed provision map, the
//! Element 2 threshold, the notional SEN budget (SVG chart and table), delivery
//! logging, impact and the meeting recap, each with its CSV download. Handlers
//! parse, call one store operation and render a view model; cost pages are meant
//! for the SENCO, the headteacher, governors and administrators (the accounts work restricts them
//! with an extractor on these routes).

mod attendees;
mod delivery;
mod form;
mod impact;
mod reports;
mod settings;

use axum::response::Response;
use senplan_app::AppError;

use super::{render, render_with};
use crate::pages::PageError;
use crate::routes::Routes;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/costing", reports::overview)
        .get("/schools/{school}/costing/settings", settings::page)
        .post("/schools/{school}/costing/settings/{part}", settings::save)
        .get("/schools/{school}/costing/provision-map", reports::map)
        .get("/schools/{school}/costing/threshold", reports::threshold)
        .get("/schools/{school}/costing/budget", reports::budget)
        .get("/schools/{school}/costing/impact", impact::page)
        .get("/schools/{school}/costing/impact/record", impact::record_page)
        .post("/schools/{school}/costing/impact/record", impact::record)
        .get("/schools/{school}/costing/recap", reports::recap)
        .get("/schools/{school}/costing/delivery", delivery::page)
        .post("/schools/{school}/costing/delivery", delivery::log)
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
    /// Whether the person sees the reports that name pupils (not governors or
    /// administrators, who see the budget and the settings).
    pub pupil_reports: bool,
}

/// The costing pages that name pupils, under /schools/{id}/costing.
const PUPIL_REPORTS: [&str; 5] = ["/provision-map", "/threshold", "/delivery", "/impact", "/recap"];

impl Nav {
    pub fn new(viewer: &crate::session::Viewer, school_id: i64, school_name: String, current: &'static str) -> Nav {
        let header = crate::pages::nav::Nav::for_viewer(viewer);
        let pupil_reports = senplan_app::access::menu(&viewer.actor).pupil_costs;
        Nav { school_id, school_name, current, name: header.name, role: header.role, csrf: header.csrf, links: header.links, pupil_reports }
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
        .filter(|(path, _)| self.pupil_reports || !PUPIL_REPORTS.contains(path))
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
pub(crate) fn or_explain(result: Result<Response, impl Into<AppError>>, nav: Nav) -> Result<Response, PageError> {
    match result.map_err(Into::into) {
        Ok(r) => Ok(r),
        Err(AppError::Invalid(i)) => {
            let message = i.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(". ");
            Ok(render(&NotSetUp { nav, message }))
        }
        Err(e) => Err(e.into()),
    }
}

/// A form shown again because what was posted could not be saved answers 400, as
/// every form does (an explanation page keeps its own status).
pub(crate) fn shown_again(page: Result<Response, PageError>) -> Result<Response, PageError> {
    page.map(|mut r| {
        if r.status() == axum::http::StatusCode::OK {
            *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        }
        r
    })
}
