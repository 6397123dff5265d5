//! School-wide SEN figures without names (R25): counts by status and by primary
//! need, with small numbers suppressed, for the headteacher, governors and the local authority.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use senplan_core::access::Permission;
use senplan_core::disclosure::suppressed;
use senplan_core::need::NeedCode;
use senplan_core::status::SenStatus;
use senplan_store::Scope;

use super::nav::Nav;
use super::render;
use crate::AppState;
use crate::error::ApiError;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/figures", figures)
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage {
    nav: Nav,
    school_name: String,
    by_status: Vec<(String, String)>,
    by_need: Vec<(String, String)>,
}

async fn figures(State(s): State<AppState>, viewer: Viewer) -> Result<Response, ApiError> {
    viewer.require(Permission::ViewAggregates)?;
    let school = s.store.school(viewer.user.school_id).await?;
    // Whole-school counts; no pupil detail leaves this function.
    let roll = s.store.roll(Scope::whole_school(school.id)).await?;
    let count = |st: SenStatus| roll.iter().filter(|r| r.status == st).count();
    let by_status = vec![
        ("On roll".to_owned(), suppressed(roll.len())),
        (format!("{} ({})", SenStatus::K.meaning(), SenStatus::K.code()), suppressed(count(SenStatus::K))),
        (format!("{} ({})", SenStatus::E.meaning(), SenStatus::E.code()), suppressed(count(SenStatus::E))),
    ];
    let by_need = NeedCode::ALL
        .iter()
        .map(|n| {
            (
                format!("{} ({})", n.meaning(), n.code()),
                suppressed(roll.iter().filter(|r| r.status.has_sen() && r.primary_need == Some(*n)).count()),
            )
        })
        .collect();
    Ok(render(&FiguresPage { nav: Nav::for_viewer(&viewer), school_name: school.details.name, by_status, by_need }))
}
