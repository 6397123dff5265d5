//! Who is asking: the signed-in person behind a request, from the session cookie.
//! [`Viewer`] is the extractor every protected handler takes; it turns the person
//! into a [`Scope`] (which pupils exist for them) and a [`Ctx`] (who is changing
//! what, from where), and checks role permissions. Relationship checks happen inside
//! the store's queries, so a pupil outside someone's scope is simply not found.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use senplan_app::access;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::record::User;
use senplan_store::{Ctx, Scope};

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "senplan_session";

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    /// The person as the use cases see them: role, school, time and origin.
    pub actor: Actor,
    /// This session's CSRF token, for forms and the `X-CSRF-Token` header.
    pub csrf: String,
    /// Where the request came from (the client's IP address).
    pub origin: String,
}

impl Viewer {
    /// The pupils this person may see.
    pub fn scope(&self) -> Scope {
        self.actor.scope()
    }

    /// Who is making a change, for history and the audit trail.
    pub fn ctx(&self) -> Ctx {
        Ctx::of(&self.actor)
    }

    /// The school in a path, which must be the person's own: any other is "not found"
    /// (the rule: `senplan_app::access`).
    pub fn school(&self, school: i64) -> Result<SchoolId, ApiError> {
        Ok(access::own_school(&self.actor, school)?)
    }

    /// Checks the role may do something (the rule: `senplan_app::access::require`).
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        Ok(access::require(&self.actor, p)?)
    }

    /// The school in a path, for a role that may see its costs (rates, budget figures).
    pub fn costs_of(&self, school: i64) -> Result<SchoolId, ApiError> {
        Ok(access::school_for(&self.actor, school, Permission::ViewCosts)?)
    }

    /// The school in a path, for costs that name pupils (provision map, threshold,
    /// delivery, impact, recap): the role must also see pupils' records.
    pub fn pupil_costs_of(&self, school: i64) -> Result<SchoolId, ApiError> {
        Ok(access::pupil_costs(&self.actor, school)?)
    }

    /// Appends "viewed" to the pupil's audit trail.
    pub async fn viewed(&self, state: &AppState, pupil: PupilId, what: &str) -> Result<(), ApiError> {
        state.store.audit_view(&self.scope(), pupil, what, &self.ctx()).await?;
        Ok(())
    }
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

pub(crate) fn client_origin(parts: &Parts) -> String {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = SignInRequired;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SignInRequired> {
        let path = parts.uri.path().to_owned();
        let reject = || if path.starts_with("/api/") { SignInRequired::Api } else { SignInRequired::Page(path.clone()) };
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else { return Err(reject()) };
        let session = state.store.session(&token, chrono::Utc::now()).await.map_err(|_| reject())?.ok_or_else(reject)?;
        let origin = client_origin(parts);
        let u = &session.user;
        let actor = Actor::person(u.id, u.role, u.school_id, u.name.clone(), origin.clone(), chrono::Utc::now());
        Ok(Viewer { actor, user: session.user, csrf: session.csrf_token, origin })
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
