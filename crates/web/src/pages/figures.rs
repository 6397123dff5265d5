//! School-wide SEN figures without names (R25): counts by status and by primary
//! need, with small numbers suppressed, for the headteacher, governors and the local authority.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use senplan_core::access::Permission;
use senplan_core::disclosure::{suppressed, suppressed_table};
use senplan_core::need::NeedCode;
use senplan_core::status::SenStatus;
use senplan_store::Scope;

use super::nav::Nav;
use super::render;
use crate::AppState;
use crate::error::ApiError;
use crate::pages::PageError;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/figures", figures).get("/figures.csv", figures_csv)
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage {
    nav: Nav,
    school_name: String,
    by_status: Vec<(String, String)>,
    by_need: Vec<(String, String)>,
}

/// The school's figures, every count already suppressed (R25): the only form in
/// which they leave this module.
struct Figures {
    by_status: Vec<(String, String)>,
    by_need: Vec<(String, String)>,
}

async fn school_figures(s: &AppState, viewer: &Viewer) -> Result<(String, Figures), ApiError> {
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
    // The needs add up to the pupils with SEN, so they are suppressed as a table: one
    // hidden count (here, or among K and E) must not be found by subtraction.
    let need_counts: Vec<usize> =
        NeedCode::ALL.iter().map(|n| roll.iter().filter(|r| r.status.has_sen() && r.primary_need == Some(*n)).count()).collect();
    let status_hidden = [count(SenStatus::K), count(SenStatus::E)].iter().any(|n| suppressed(*n) != n.to_string());
    let by_need = NeedCode::ALL
        .iter()
        .zip(suppressed_table(&need_counts, status_hidden))
        .map(|(n, shown)| (format!("{} ({})", n.meaning(), n.code()), shown))
        .collect();
    Ok((school.details.name, Figures { by_status, by_need }))
}

async fn figures(State(s): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let (school_name, f) = school_figures(&s, &viewer).await?;
    Ok(render(&FiguresPage { nav: Nav::for_viewer(&viewer), school_name, by_status: f.by_status, by_need: f.by_need }))
}

/// The same figures as a CSV file, for the local authority or governors' papers.
async fn figures_csv(State(s): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let (_, f) = school_figures(&s, &viewer).await?;
    let rows = f.by_status.iter().map(|r| ("Pupils by SEN status", r)).chain(f.by_need.iter().map(|r| ("Primary need", r)));
    let bytes = crate::costing::csv_export::counts(rows)?;
    Ok(crate::costing::csv_export::download("sen-figures.csv", bytes))
}
