//! Signing in and out through the API. A client posts an email and password as JSON,
//! keeps the session cookie it gets back, and sends the returned CSRF token in an
//! `X-CSRF-Token` header with every change.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use senplan_core::record::User;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::security::client::ClientAddr;
use crate::session::{SESSION_COOKIE, Viewer, session_cookie};
use crate::sign_in::{self, SignIn};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(who_am_i, sign_in, sign_out))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// The signed-in person and the token to send as `X-CSRF-Token` with changes.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionInfo {
    pub user: User,
    pub csrf_token: String,
}

#[utoipa::path(get, path = "/api/session", tag = "session", responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
async fn who_am_i(viewer: Viewer) -> Json<SessionInfo> {
    Json(SessionInfo { user: viewer.user, csrf_token: viewer.csrf })
}

#[utoipa::path(post, path = "/api/session", tag = "session", request_body = Credentials,
    responses((status = 201, description = "Signed in; the session cookie is set", body = SessionInfo),
        (status = 400, description = "`wrong_email_or_password`, whether the password is wrong, the email has no account or the account is locked", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: too many failures for this email or from this network address; wait 15 minutes", body = ErrorBody)))]
async fn sign_in(
    State(s): State<AppState>,
    ClientAddr(from): ClientAddr,
    jar: CookieJar,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<(StatusCode, CookieJar, Json<SessionInfo>), ApiError> {
    match sign_in::sign_in(&s, from, &c.email, &c.password).await? {
        SignIn::Done { user, session } => {
            let jar = jar.add(session_cookie(session.token, s.config.behind_tls));
            Ok((StatusCode::CREATED, jar, Json(SessionInfo { user, csrf_token: session.csrf_token })))
        }
        SignIn::Refused => {
            Err(ApiError::BadRequest { code: "wrong_email_or_password", field: Some("password".into()), message: sign_in::REFUSED.into() })
        }
        SignIn::TooMany(limit) => Err(ApiError::TooManyAttempts(limit)),
    }
}

#[utoipa::path(delete, path = "/api/session", tag = "session", responses((status = 204, description = "Signed out")))]
async fn sign_out(State(s): State<AppState>, jar: CookieJar) -> Result<(StatusCode, CookieJar), ApiError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        s.store.end_session(c.value(), chrono::Utc::now()).await?;
    }
    Ok((StatusCode::NO_CONTENT, jar.remove(SESSION_COOKIE)))
}
