//! Who is asking: the signed-in person behind a request, from the session cookie.
//! [`Viewer`] is the extractor every protected handler takes; it carries the person
//! as an [`Actor`] (role, school, time, address), which handlers pass to one use case
//! of `senplan_app`. Permissions, scopes and audit live there, not here.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use senplan_core::actor::Actor;
use senplan_core::record::User;

use crate::AppState;
use crate::error::ApiError;
use crate::security::client::ClientAddr;

pub const SESSION_COOKIE: &str = "senplan_session";

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    /// The person as the use cases see them: role, school, time and origin.
    pub actor: Actor,
    /// This session's CSRF token, for forms and the `X-CSRF-Token` header.
    pub csrf: String,
    /// Where the request came from (the client's IP address, through trusted proxies).
    pub origin: String,
    /// The words of the person's setting (R26): "Pupils", "Children", "Students".
    pub words: senplan_core::school::Words,
}

/// Not signed in: the API answers 401, pages send the person to sign in.
pub enum SignInRequired {
    Api,
    Page(String),
}

impl IntoResponse for SignInRequired {
    fn into_response(self) -> Response {
        match self {
            Self::Api => ApiError::Unauthorised.into_response(),
            Self::Page(next) => Redirect::to(&format!("/sign-in?next={}", urlencode(&next))).into_response(),
        }
    }
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).map(|e| e.trim_start_matches("x=").to_owned()).unwrap_or_default()
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = SignInRequired;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SignInRequired> {
        let path = parts.uri.path().to_owned();
        let reject = || if path.starts_with("/api/") { SignInRequired::Api } else { SignInRequired::Page(path.clone()) };
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else { return Err(reject()) };
        let session = state.store.session(&token, chrono::Utc::now()).await.map_err(|_| reject())?.ok_or_else(reject)?;
        let origin = ClientAddr::of(parts, state).0.to_string();
        let u = &session.user;
        let actor = Actor::person(u.id, u.role, u.school_id, u.name.clone(), origin.clone(), chrono::Utc::now());
        Ok(Viewer { actor, user: session.user, csrf: session.csrf_token, origin, words: session.setting.words() })
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure behind TLS, no expiry (it
/// ends with the browser or the server-side session, whichever is first).
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::new(SESSION_COOKIE, token);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    c.set_path("/");
    c
}
