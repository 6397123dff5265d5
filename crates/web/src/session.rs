//! Who is asking: the signed-in person behind a request, from the session cookie.
//! [`Viewer`] is the extractor every protected handler takes; it turns the person
//! into a [`Scope`] (which pupils exist for them) and a [`Ctx`] (who is changing
//! what, from where), and checks role permissions. Relationship checks happen inside
//! the store's queries, so a pupil outside someone's scope is simply not found.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use senplan_core::access::{Permission, allows};
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::record::User;
use senplan_store::{Ctx, Scope};

use crate::AppState;
use crate::error::ApiError;
use crate::security::client::ClientAddr;

pub const SESSION_COOKIE: &str = "senplan_session";

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    /// This session's CSRF token, for forms and the `X-CSRF-Token` header.
    pub csrf: String,
    /// Where the request came from (the client's IP address, through trusted proxies).
    pub origin: String,
}

impl Viewer {
    /// The pupils this person may see.
    pub fn scope(&self) -> Scope {
        if self.user.role.sees_whole_school() {
            Scope::whole_school(self.user.school_id)
        } else {
            Scope::related(self.user.school_id, self.user.id, chrono::Utc::now().date_naive())
        }
    }

    /// Who is making a change, for history and the audit trail.
    pub fn ctx(&self) -> Ctx {
        Ctx::signed_in(self.user.name.clone(), self.user.id, self.origin.clone(), chrono::Utc::now())
    }

    /// The school in a path, which must be the person's own: any other is "not found".
    pub fn school(&self, school: i64) -> Result<SchoolId, ApiError> {
        if self.user.school_id.0 == school { Ok(self.user.school_id) } else { Err(ApiError::NotFound("school")) }
    }

    /// Checks the role may do something. A role that may not even see records gets
    /// "not found"; one that may see but not do this gets "forbidden".
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        if allows(self.user.role, p) {
            Ok(())
        } else if allows(self.user.role, Permission::ViewRecord) && p != Permission::UsePortal {
            Err(ApiError::Forbidden)
        } else {
            Err(ApiError::NotFound("page"))
        }
    }

    /// The school in a path, for a role that may see its costs (rates, budget figures).
    pub fn costs_of(&self, school: i64) -> Result<SchoolId, ApiError> {
        let school = self.school(school)?;
        self.require(Permission::ViewCosts)?;
        Ok(school)
    }

    /// The school in a path, for costs that name pupils (provision map, threshold,
    /// delivery, impact, recap): the role must also see pupils' records.
    pub fn pupil_costs_of(&self, school: i64) -> Result<SchoolId, ApiError> {
        let school = self.costs_of(school)?;
        self.require(Permission::ViewRecord)?;
        Ok(school)
    }

    /// Appends "viewed" to the pupil's audit trail.
    pub async fn viewed(&self, state: &AppState, pupil: PupilId, what: &str) -> Result<(), ApiError> {
        state.store.audit_view(self.user.school_id, pupil, what, &self.ctx()).await?;
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

impl FromRequestParts<AppState> for Viewer {
    type Rejection = SignInRequired;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SignInRequired> {
        let path = parts.uri.path().to_owned();
        let reject = || if path.starts_with("/api/") { SignInRequired::Api } else { SignInRequired::Page(path.clone()) };
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else { return Err(reject()) };
        let session = state.store.session(&token, chrono::Utc::now()).await.map_err(|_| reject())?.ok_or_else(reject)?;
        Ok(Viewer { user: session.user, csrf: session.csrf_token, origin: ClientAddr::of(parts, state).0.to_string() })
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
