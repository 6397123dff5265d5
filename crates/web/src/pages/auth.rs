//! Signing in and out, and choosing a new password from a one-time reset link.
//! The sign-in form carries its own CSRF token (a cookie set with the form), the
//! session id is new at every sign-in, and failures say the same thing whether the
//! email exists or not.

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use senplan_core::access::Role;
use senplan_store::Ctx;
use senplan_store::accounts::SignInError;
use serde::Deserialize;

use super::{render, render_with};
use crate::AppState;
use crate::pages::PageError;
use crate::routes::Routes;
use crate::security::PRESESSION_COOKIE;
use crate::session::{SESSION_COOKIE, Viewer, session_cookie};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/sign-in", sign_in_form)
        .post("/sign-in", sign_in)
        .post("/sign-out", sign_out)
        .get("/reset/{token}", reset_form)
        .post("/reset/{token}", reset)
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    csrf: String,
    next: String,
    email: String,
    error: Option<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "reset.html")]
pub(crate) struct ResetPage {
    csrf: String,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub title: String,
    pub body: String,
    pub link: Option<(String, String)>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only paths on this site: never `//host` or `https://...`.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next.to_owned() } else { "/".to_owned() }
}

fn presession(jar: CookieJar, secure: bool) -> (CookieJar, String) {
    if let Some(c) = jar.get(PRESESSION_COOKIE) {
        let v = c.value().to_owned();
        return (jar, v);
    }
    let token: String = rand::random::<[u8; 16]>().iter().map(|b| format!("{b:02x}")).collect();
    let mut c = Cookie::new(PRESESSION_COOKIE, token.clone());
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_secure(secure);
    c.set_path("/");
    (jar.add(c), token)
}

async fn sign_in_form(State(s): State<AppState>, jar: CookieJar, Query(q): Query<NextQuery>) -> (CookieJar, Response) {
    let (jar, csrf) = presession(jar, s.config.behind_tls);
    let page = SignInPage { csrf, next: safe_next(q.next.as_deref().unwrap_or("/")), email: String::new(), error: None };
    (jar, render(&page))
}

async fn sign_in(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    jar: CookieJar,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = presession(jar, s.config.behind_tls);
    let again = |error| SignInPage { csrf: csrf.clone(), next: safe_next(&f.next), email: f.email.clone(), error: Some(error) };
    if !s.limiter.allow(Some(addr.ip())) {
        return Ok((
            jar,
            render_with(
                StatusCode::TOO_MANY_REQUESTS,
                &again(("email", "Too many sign-in attempts from your address. Wait a minute and try again")),
            ),
        )
            .into_response());
    }
    let now = chrono::Utc::now();
    let user = match s.store.check_sign_in(&f.email, &f.password, now).await? {
        Ok(u) => u,
        Err(SignInError::WrongEmailOrPassword) => {
            return Ok((jar, render_with(StatusCode::BAD_REQUEST, &again(("email", "The email address or password is not right"))))
                .into_response());
        }
        Err(SignInError::Locked) => {
            return Ok((
                jar,
                render_with(StatusCode::BAD_REQUEST, &again(("email", "Too many failed attempts: this account is locked for 15 minutes"))),
            )
                .into_response());
        }
    };
    let new = s.store.start_session(user.id, now).await?;
    let jar = jar.remove(PRESESSION_COOKIE).add(session_cookie(new.token, s.config.behind_tls));
    let ctx = Ctx::signed_in(user.name.clone(), user.id, addr.ip().to_string(), now);
    s.store
        .audit_event(
            &senplan_store::audit::Event {
                school: Some(user.school_id),
                action: "sign_in",
                entity: "session",
                entity_id: Some(user.id.0),
                pupil: None,
            },
            &ctx,
        )
        .await?;
    let home = if f.next.is_empty() || f.next == "/" { landing(user.role) } else { safe_next(&f.next) };
    Ok((jar, Redirect::to(&home)).into_response())
}

/// Where each role starts.
pub(crate) fn landing(role: Role) -> String {
    match role {
        Role::ParentCarer | Role::YoungPerson => "/portal".into(),
        Role::Administrator => "/admin/users".into(),
        Role::LaOfficer | Role::Governor => "/figures".into(),
        _ => "/".into(),
    }
}

async fn sign_out(State(s): State<AppState>, _viewer: Viewer, jar: CookieJar) -> Result<(CookieJar, Redirect), PageError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        s.store.end_session(c.value(), chrono::Utc::now()).await?;
    }
    Ok((jar.remove(SESSION_COOKIE), Redirect::to("/sign-in")))
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
}

fn link_expired() -> MessagePage {
    MessagePage {
        title: "This link has expired".into(),
        body: "Reset links work once, for 24 hours. Ask your school's senplan administrator for a new one.".into(),
        link: Some(("/sign-in".into(), "Go to sign in".into())),
    }
}

async fn reset_form(State(s): State<AppState>, jar: CookieJar, Path(token): Path<String>) -> Result<(CookieJar, Response), PageError> {
    let (jar, csrf) = presession(jar, s.config.behind_tls);
    Ok(match s.store.reset_target(&token, chrono::Utc::now()).await? {
        Some(u) => (jar, render(&ResetPage { csrf, email: u.email, error: None })),
        None => (jar, render_with(StatusCode::NOT_FOUND, &link_expired())),
    })
}

async fn reset(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = presession(jar, s.config.behind_tls);
    let Some(u) = s.store.reset_target(&token, chrono::Utc::now()).await? else {
        return Ok((jar, render_with(StatusCode::NOT_FOUND, &link_expired())).into_response());
    };
    let ctx = Ctx::signed_in(u.name.clone(), u.id, addr.ip().to_string(), chrono::Utc::now());
    match s.store.use_reset(&token, &f.password, &ctx).await {
        Ok(_) => Ok((
            jar,
            render(&MessagePage {
                title: "Password saved".into(),
                body: "You can now sign in with your new password.".into(),
                link: Some(("/sign-in".into(), "Sign in".into())),
            }),
        )
            .into_response()),
        Err(senplan_store::StoreError::Invalid(i)) => {
            let msg = i.errors.first().map(|e| e.message.clone()).unwrap_or_default();
            Ok((jar, render_with(StatusCode::BAD_REQUEST, &ResetPage { csrf, email: u.email, error: Some(msg) })).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/schools/1"), "/schools/1");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }
}
