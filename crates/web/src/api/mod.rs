//! The JSON API. Each area has its own module and router; this module joins them and
//! serves the OpenAPI document generated from the handlers' annotations.
//!
//! Every route is under `/api/schools/{school}`: a record of another school answers
//! 404, exactly as a missing one.

mod access;
mod audit;
mod costing;
mod costing_reports;
mod cycles;
mod history;
mod info_report;
mod roll_import;
mod transfers;
mod letters;
mod local_offer;
mod referrals;
mod referral_reports;

mod adjustments;
mod meetings;
pub(crate) use meetings::as_of;
mod ehc;
mod passport;
mod plans;
mod documents;
mod progress;
mod pupils;
mod reviews;
mod schools;
mod session;

use axum::Json;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "senplan API",
        description = "SEN support in English schools: pupils, SEN status, needs, the assess–plan–do–review cycle, the costed provision map (settings, sessions delivered, impact, threshold, budget, recap), and the audit trail. Errors are JSON with a stable `code`, the `field` at fault and a `message`. Writes take the `version` they were based on; a stale one is refused with 409. Sign in with POST /api/session; send the returned `csrf_token` as an `X-CSRF-Token` header on every POST, PUT and DELETE. Records of pupils outside your relationships answer 404, exactly like missing ones.",
    ),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(session::router())
        .merge(schools::router())
        .merge(pupils::router())
        .merge(access::router())
        .merge(cycles::router())
        .merge(plans::router())
        .merge(reviews::router())
        .merge(history::router())
        .merge(audit::router())
        .merge(costing::router())
        .merge(costing_reports::router())
        .merge(meetings::router())
        .merge(progress::router())
        .merge(documents::router())
        .merge(passport::router())
        .merge(ehc::router())
        .merge(letters::router())
        .merge(info_report::router())
        .merge(transfers::router())
        .merge(local_offer::router())
        .merge(referrals::router())
        .merge(adjustments::router())
}

/// The OpenAPI document, generated from the code, with every status a route can
/// answer ([`every_status`]).
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    let mut doc = router().merge(upload_router()).into_openapi();
    every_status(&mut doc);
    Json(doc)
}

/// Adds to each operation the error answers every route shares, each with the
/// `ErrorBody` JSON: 401 (not signed in) and 403 (the role may not; a write without its
/// CSRF token) on all but signing in; 404 where the path names a record; and for a
/// body: 400 (unreadable, an unknown field, an impossible date), 413 (over the limit)
/// and 415 (not JSON). A status an operation documents itself is kept as written.
pub fn every_status(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        RefOr::T(ResponseBuilder::new().description(description).content("application/json", body).build())
    };
    for (path, item) in &mut doc.paths.paths {
        let signing_in = path == "/api/session";
        let names_a_record = path.contains('{');
        for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
            let mut add = |status: &str, description: &str| {
                op.responses.responses.entry(status.to_owned()).or_insert_with(|| error(description));
            };
            if !signing_in {
                add("401", "Not signed in");
                add("403", "Your role may not do this, or a write came without its CSRF token");
            }
            if names_a_record {
                add("404", "No such record, or one outside your school or relationships");
            }
            if op.request_body.is_some() {
                add(
                    "400",
                    "The body could not be read: malformed JSON, a field of the wrong type, an unknown field or a date that cannot exist",
                );
                add("413", "The body is larger than 1 MB");
                // A file upload's type is read from its content, not its Content-Type.
                let json_body = match &op.request_body {
                    Some(utoipa::openapi::RefOr::T(b)) => b.content.contains_key("application/json"),
                    _ => true,
                };
                if json_body {
                    add("415", "The body was not sent as JSON (Content-Type: application/json)");
                }
            }
        }
    }
}

/// The routes that take a file as their body, merged with the upload routes' larger
/// body limit and into the OpenAPI document.
pub(crate) fn upload_router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    referral_reports::upload_router().merge(roll_import::upload_router()).merge(transfers::upload_router())
}
