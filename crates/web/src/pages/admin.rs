//! Administration of people: the accounts of the school, adding a person with a
//! role, and one-time links for choosing a password (shown once, never e-mailed
//! in this version).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use senplan_app::{AppError, people};
use senplan_core::access::Role;
use senplan_core::ids::UserId;
use senplan_store::accounts::NewUser;
use serde::Deserialize;

use super::nav::Nav;
use super::{render, render_with};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::PageError;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/admin/users", users).post("/admin/users", add_user).post("/admin/users/{id}/reset", reset_link)
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    nav: Nav,
    errors: Vec<(String, String)>,
    reset_link: Option<(String, String)>,
    school_name: String,
    users: Vec<UserLine>,
    fields: Vec<Field>,
    roles: Vec<(&'static str, &'static str, bool)>,
}

struct UserLine {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
}

struct Field {
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn page(
    s: &AppState,
    viewer: &Viewer,
    typed: AddForm,
    errors: Vec<(String, String)>,
    reset_link: Option<(String, String)>,
) -> Result<UsersPage, ApiError> {
    let (school_name, users) = people::people(&s.store, &viewer.actor).await?;
    let users = users.into_iter().map(|u| UserLine { id: u.id.0, name: u.name, email: u.email, role: u.role.label() }).collect();
    let error_for = |id: &str| errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone());
    let fields = vec![
        Field { id: "name", label: "Name", kind: "text", value: typed.name.clone(), error: error_for("name") },
        Field { id: "email", label: "Email address", kind: "email", value: typed.email.clone(), error: error_for("email") },
    ];
    let roles = Role::ALL.iter().map(|r| (r.as_str(), r.label(), r.as_str() == typed.role)).collect();
    Ok(UsersPage { nav: Nav::for_viewer(viewer), errors, reset_link, school_name, users, fields, roles })
}

async fn users(State(s): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    Ok(render(&page(&s, &viewer, AddForm::default(), Vec::new(), None).await?))
}

async fn add_user(State(s): State<AppState>, viewer: Viewer, Form(f): Form<AddForm>) -> Result<Response, PageError> {
    let Some(role) = Role::parse(&f.role) else {
        let errors = vec![("role".to_owned(), "Choose a role".to_owned())];
        return Ok(render_with(StatusCode::BAD_REQUEST, &page(&s, &viewer, f, errors, None).await?));
    };
    let new = NewUser { email: f.email.clone(), name: f.name.clone(), role };
    match people::add_person(&s.store, &viewer.actor, &new).await {
        Ok((u, token)) => {
            let link = (u.name.clone(), format!("{}/reset/{token}", s.config.public_url));
            Ok(render(&page(&s, &viewer, AddForm::default(), Vec::new(), Some(link)).await?))
        }
        Err(AppError::Invalid(i)) => {
            let errors = i.errors.into_iter().map(|e| (e.field, e.message)).collect();
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&s, &viewer, f, errors, None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

async fn reset_link(State(s): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, PageError> {
    let (u, token) = people::reset_link(&s.store, &viewer.actor, UserId(id)).await?;
    let link = (u.name.clone(), format!("{}/reset/{token}", s.config.public_url));
    Ok(render(&page(&s, &viewer, AddForm::default(), Vec::new(), Some(link)).await?))
}
