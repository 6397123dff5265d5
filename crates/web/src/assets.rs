//! Static assets compiled into the binary: the GOV.UK Frontend stylesheet and script
//! (built from the npm package by `frontend/build-assets.mjs`, committed so a fresh
//! clone builds with cargo alone), senplan's own stylesheet and script, and images.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::error::ApiError;

/// (path under /assets/, content type, bytes)
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("govuk-frontend.min.css", "text/css; charset=utf-8", include_bytes!("../assets/govuk-frontend.min.css")),
    ("govuk-frontend.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/govuk-frontend.min.js")),
    ("senplan.css", "text/css; charset=utf-8", include_bytes!("../assets/senplan.css")),
    ("senplan.js", "text/javascript; charset=utf-8", include_bytes!("../assets/senplan.js")),
    ("images/favicon.svg", "image/svg+xml", include_bytes!("../assets/images/favicon.svg")),
    ("images/favicon.ico", "image/x-icon", include_bytes!("../assets/images/favicon.ico")),
];

/// Where the assets are served.
pub const ROUTE: &str = "/assets/{*path}";

pub fn router() -> Router<AppState> {
    Router::new().route(ROUTE, get(asset))
}

async fn asset(Path(path): Path<String>) -> Result<Response, ApiError> {
    let (_, mime, bytes) = ASSETS.iter().find(|(p, _, _)| *p == path).ok_or(ApiError::NotFound("file"))?;
    let mut res = bytes.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    Ok(res)
}
