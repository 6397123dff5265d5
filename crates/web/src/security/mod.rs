//! Defences applied to every request: security headers (a CSP with no inline script,
//! no framing, no referrer, HSTS behind TLS) and CSRF checks on every state-changing
//! request. Beside them: [`client`] (the address a request comes from, through trusted
//! proxies), [`limits`] (failed sign-ins per account and per address) and
//! [`next_path`] (where a sign-in may send the person on to).

pub mod client;
pub mod limits;
pub mod next_path;

pub use limits::SignInLimiter;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use crate::error::ApiError;
use crate::session::SESSION_COOKIE;
use crate::{AppState, MAX_BODY_BYTES};

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
    connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// Cookie holding the sign-in form's own CSRF token (there is no session yet).
pub const PRESESSION_COOKIE: &str = "senplan_presession";

pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.behind_tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// Compares secrets without an early exit, so timing says nothing about them.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Signing in through the API needs no token: it creates the session, and its JSON
/// body cannot be sent cross-site by a plain form without a CORS preflight.
fn is_api_sign_in(req: &Request) -> bool {
    req.method() == Method::POST
        && req.uri().path() == "/api/session"
        && req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"))
}

fn is_form(req: &Request) -> bool {
    content_type(req).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn content_type(req: &Request) -> Option<&str> {
    req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
}

/// A file upload (`multipart/form-data`): its CSRF token is the form's `csrf_token`
/// part, read here from the whole body (bounded by the upload routes' own limit).
async fn multipart_token(content_type: &str, bytes: &axum::body::Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let body = bytes.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut parts = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = parts.next_field().await {
        if field.name() == Some("csrf_token") {
            return field.text().await.ok();
        }
    }
    None
}

/// Every POST, PUT, PATCH and DELETE must carry the CSRF token of its session (or,
/// before sign-in, of the sign-in form): in an `X-CSRF-Token` header or a
/// `csrf_token` form field.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_api_sign_in(&req) {
        return next.run(req).await;
    }
    let jar = CookieJar::from_headers(req.headers());
    let expected = match jar.get(SESSION_COOKIE) {
        Some(c) => match state.store.session(c.value(), chrono::Utc::now()).await {
            Ok(Some(s)) => Some(s.csrf_token),
            _ => None,
        },
        None => None,
    };
    let expected = expected.or_else(|| jar.get(PRESESSION_COOKIE).map(|c| c.value().to_owned()));
    let Some(expected) = expected else { return forbidden() };
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Some(t) = header_token {
        return if same_secret(&t, &expected) { next.run(req).await } else { forbidden() };
    }
    if let Some(multipart) = content_type(&req).filter(|v| v.starts_with("multipart/form-data")).map(str::to_owned) {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, crate::MAX_UPLOAD_BYTES).await else {
            return ApiError::TooLarge.into_response();
        };
        let ok = multipart_token(&multipart, &bytes).await.is_some_and(|t| same_secret(&t, &expected));
        return if ok { next.run(Request::from_parts(parts, Body::from(bytes))).await } else { forbidden() };
    }
    if !is_form(&req) {
        return forbidden();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return ApiError::BadRequest { code: "body_too_large", field: None, message: "The form is too large".into() }.into_response();
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let ok = fields.iter().any(|(k, v)| k == "csrf_token" && same_secret(v, &expected));
    if !ok {
        return forbidden();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn forbidden() -> Response {
    ApiError::CsrfFailed.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_content() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
