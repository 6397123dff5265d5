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
mod plans;
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
}

/// The OpenAPI document, generated from the code.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(router().into_openapi())
}
