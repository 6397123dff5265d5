//! A college student's choice of what their parents see in the portal (R26): the form
//! on their portal page posts here. The rule is `senplan_core::sharing`; the use case
//! `app::sharing::save_choice`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use senplan_app::sharing;
use senplan_core::ids::PupilId;
use senplan_core::sharing::Shared;

use super::PageResult;
use super::form::Posted;
use crate::AppState;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().post("/portal/pupils/{pupil}/sharing", save)
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>, form: Posted) -> PageResult {
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    let codes = form.all("share");
    let shared = Shared::of(&codes.iter().map(String::as_str).collect::<Vec<_>>());
    sharing::save_choice(&s.store, &viewer.actor, PupilId(pupil), version, shared).await?;
    Ok(Redirect::to(&format!("/portal/pupils/{pupil}?done=sharing#sharing")).into_response())
}
