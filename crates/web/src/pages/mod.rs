//! Server-rendered HTML pages. Each page has its own view model built from store
//! records; templates (checked at compile time by askama) never see database rows.

mod costing;
mod register;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::AppState;

pub fn router() -> Router<AppState> {
    register::router().merge(costing::router())
}

/// Renders a template, or a plain error page if rendering fails.
pub(crate) fn render(t: &impl askama::Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong showing this page").into_response()
        }
    }
}

/// "12 February 2027", the GOV.UK style for dates.
pub(crate) fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}
