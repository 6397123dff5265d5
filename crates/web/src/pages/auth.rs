//! Signing in and out, and choosing a new password from a one-time reset link.
//! The sign-in form carries its own CSRF token (a cookie set with the form), the
//! session id is new at every sign-in (see [`crate::sign_in`]), failures say the same
//! thing whether the email has an account, the account is locked or the password is
//! wrong, and the page someone is sent on to is only ever a path on this site
//! ([`safe_next`]).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use senplan_core::access::Role;
use senplan_store::Ctx;
use serde::Deserialize;

use super::{render, render_with};
use crate::AppState;
use crate::pages::PageError;
use crate::routes::Routes;
use crate::security::PRESESSION_COOKIE;
use crate::security::client::ClientAddr;
use crate::security::next_path::safe_next;
use crate::session::{SESSION_COOKIE, Viewer, session_cookie};
use crate::sign_in::{self, SignIn};

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
    let page = SignInPage { csrf, next: next_field(q.next.as_deref()), email: String::new(), error: None };
    (jar, render(&page))
}

/// The `next` the form carries on: a path on this site, or `/`.
fn next_field(next: Option<&str>) -> String {
    next.and_then(safe_next).map_or_else(|| "/".to_owned(), |p| p.to_string())
}

async fn sign_in(
    State(s): State<AppState>,
    ClientAddr(from): ClientAddr,
    jar: CookieJar,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = presession(jar, s.config.behind_tls);
    let again = |status, message| {
        let page =
            SignInPage { csrf: csrf.clone(), next: next_field(Some(&f.next)), email: f.email.clone(), error: Some(("email", message)) };
        Ok((jar.clone(), render_with(status, &page)).into_response())
    };
    match sign_in::sign_in(&s, from, &f.email, &f.password).await? {
        SignIn::Done { user, session } => {
            let jar = jar.clone().remove(PRESESSION_COOKIE).add(session_cookie(session.token, s.config.behind_tls));
            // A bad `next` is not an error: the person simply starts on their home page.
            let home = match safe_next(&f.next) {
                Some(next) if next.as_str() != "/" => next.to_string(),
                _ => landing(user.role),
            };
            Ok((jar, Redirect::to(&home)).into_response())
        }
        SignIn::Refused => again(StatusCode::BAD_REQUEST, sign_in::REFUSED),
        SignIn::TooMany(limit) => again(StatusCode::TOO_MANY_REQUESTS, sign_in::too_many_message(limit)),
    }
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
    ClientAddr(from): ClientAddr,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = presession(jar, s.config.behind_tls);
    let Some(u) = s.store.reset_target(&token, chrono::Utc::now()).await? else {
        return Ok((jar, render_with(StatusCode::NOT_FOUND, &link_expired())).into_response());
    };
    let ctx = Ctx::signed_in(u.name.clone(), u.id, from.to_string(), chrono::Utc::now());
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
