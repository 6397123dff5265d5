//! One log line per request, at `info`: a request id, the method, the route the
//! request matched, the status and the time taken.
//!
//! - The id is new for every request (128 random bits; one sent by the client or a
//!   proxy is not trusted, since it would be text from outside in the logs). It goes
//!   back as the `X-Request-Id` header, so someone reporting a problem can quote it,
//!   and everything logged while the request is handled (a store error, say) carries
//!   it, in the request's span.
//! - The route is the template axum matched (`/reset/{token}`,
//!   `/schools/{school}/pupils/{pupil}`, from [`MatchedPath`]), never the path itself:
//!   paths carry reset tokens and the ids of children. A request that matched no
//!   route is logged as [`NO_ROUTE`]. Query strings are never logged.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The response header that carries the request id.
pub const REQUEST_ID: &str = "x-request-id";

/// The route logged for a request that matched none.
pub const NO_ROUTE: &str = "(no route)";

/// Logs the request once it is answered, and sends its id back.
pub async fn log(req: Request, next: Next) -> Response {
    let id = format!("{:032x}", rand::random::<u128>());
    let route = req.extensions().get::<MatchedPath>().map_or(NO_ROUTE, MatchedPath::as_str).to_owned();
    let span = tracing::info_span!("request", id = %id, method = %req.method(), route = %route);
    let started = Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status = res.status().as_u16(), elapsed_ms = format_args!("{elapsed_ms:.1}"), "answered"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    res
}
