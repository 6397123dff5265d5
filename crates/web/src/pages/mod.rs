//! Server-rendered HTML pages. Each page has its own view model built from store
//! records; templates (checked at compile time by askama) never see database rows.
//!
//! One module per page area: [`register`] (the SEN register), [`pupil`] (the pupil's
//! record), [`details`] (the pupil's details, with the stale-edit conflict), [`status`] (add to SEN support / change status), [`needs`], [`assess`]
//! (contributions), [`plan`] (the plan editor and the stale-edit conflict), [`cycle`]
//! (a cycle's page and its stage buttons), [`review`], [`history`] (every version,
//! with what changed). Shared pieces: [`form`] (posted bodies), [`fields`] (form
//! component view models and the error summary), [`text`] (dates and plain language).
//!
//! Conventions: handlers take the school from the path (`/schools/{school}/...`);
//! every `<form method="post">` starts with `{% include "csrf.html" %}`; a form that
//! fails validation is rendered again with status 400, an error summary linking to
//! each field, and everything typed kept; nothing is stored.

mod adjustments;
mod admin;
mod assess;
mod auth;
mod chart;
mod concerns;
pub(crate) mod documents;
mod contacts;
mod costing;
mod cycle;
mod dashboard;
mod ehc;
mod details;
mod due;
mod fields;
mod figures;
mod form;
mod history;
mod ics;
mod info_report;
mod roll_import;
mod transfers;
mod letters;
mod local_offer;
mod referrals;
mod meetings;
mod my_sessions;
pub(crate) mod nav;
mod needs;
mod oversight;
mod plan;
mod portal;
mod portal_letter;
mod portal_referrals;
mod portal_sharing;
mod progress;
mod progress_settings;
mod two_year;
mod passport;
mod referral_reports;
mod referral_settings;
mod pupil;
mod pupils;
mod register;
mod review;
mod senco;
mod status;
mod strategies;
mod summary;
mod text;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use senplan_store::StoreError;

use crate::error::ApiError;
use crate::routes::Routes;

pub use form::Posted;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .merge(register::routes())
        .merge(pupil::routes())
        .merge(status::routes())
        .merge(details::routes())
        .merge(needs::routes())
        .merge(assess::routes())
        .merge(plan::routes())
        .merge(cycle::routes())
        .merge(review::routes())
        .merge(history::routes())
        .merge(auth::routes())
        .merge(portal::routes())
        .merge(oversight::routes())
        .merge(admin::routes())
        .merge(figures::routes())
        .merge(costing::routes())
        .merge(my_sessions::routes())
        .merge(pupils::routes())
        .merge(strategies::routes())
        .merge(concerns::routes())
        .merge(contacts::routes())
        .merge(meetings::routes())
        .merge(dashboard::routes())
        .merge(senco::routes())
        .merge(progress::routes())
        .merge(documents::routes())
        .merge(progress_settings::routes())
        .merge(two_year::routes())
        .merge(due::routes())
        .merge(passport::routes())
        .merge(ehc::routes())
        .merge(letters::routes())
        .merge(info_report::routes())
        .merge(roll_import::routes())
        .merge(transfers::routes())
        .merge(local_offer::routes())
        .merge(referrals::routes())
        .merge(adjustments::routes())
        .merge(referral_reports::routes())
        .merge(referral_settings::routes())
        .merge(portal_letter::routes())
        .merge(portal_referrals::routes())
        .merge(portal_sharing::routes())
}

/// The routes that take a file upload, with their own body limit.
pub(crate) fn upload_routes() -> Routes {
    passport::upload_routes().merge(local_offer::upload_routes()).merge(referral_reports::upload_routes()).merge(roll_import::upload_routes()).merge(transfers::upload_routes())
}

/// Renders a template, or a plain error page if rendering fails.
pub(crate) fn render(t: &impl Template) -> Response {
    render_with(StatusCode::OK, t)
}

/// Renders a template with a status (400 for a form shown again with errors, 409 for a conflict).
pub(crate) fn render_with(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong showing this page").into_response()
        }
    }
}

/// "12 February 2027", the GOV.UK style for dates.
pub(crate) fn long_date(d: chrono::NaiveDate) -> String {
    text::long_date(d)
}

/// An error on a page: the same cases as the API, shown as an HTML page.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<senplan_app::AppError> for PageError {
    fn from(e: senplan_app::AppError) -> Self {
        Self(e.into())
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        Self(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let body = self.0.body();
        let title = match (&self.0, status) {
            (ApiError::Forbidden, _) => "Your role does not give you access to this",
            (_, StatusCode::NOT_FOUND) => "Page not found",
            (_, StatusCode::CONFLICT) => "Someone else changed this record",
            (_, StatusCode::BAD_REQUEST | StatusCode::METHOD_NOT_ALLOWED | StatusCode::UNSUPPORTED_MEDIA_TYPE) => "This cannot be done",
            (_, StatusCode::PAYLOAD_TOO_LARGE) => "What you sent is too large",
            (_, StatusCode::TOO_MANY_REQUESTS) => "Too many attempts",
            (ApiError::CsrfFailed, _) => "This form has expired",
            _ => "Sorry, there is a problem with the service",
        };
        render_with(status, &ErrorPage { title: title.into(), message: body.message })
    }
}

pub(crate) type PageResult = Result<Response, PageError>;
