//! School-wide SEN figures without names (R25): counts by status and by primary
//! need, with small numbers suppressed, for the headteacher, governors and the local authority.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::nav::Nav;
use super::render;
use crate::AppState;
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

async fn figures(State(s): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let f = senplan_app::figures::school_figures(&s.store, &viewer.actor).await?;
    Ok(render(&FiguresPage { nav: Nav::for_viewer(&viewer), school_name: f.school_name, by_status: f.by_status, by_need: f.by_need }))
}

/// The same figures as a CSV file, for the local authority or governors' papers.
async fn figures_csv(State(s): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let f = senplan_app::figures::school_figures(&s.store, &viewer.actor).await?;
    let rows = f.by_status.iter().map(|r| ("Pupils by SEN status", r)).chain(f.by_need.iter().map(|r| ("Primary need", r)));
    let bytes = crate::costing::csv_export::counts(rows)?;
    Ok(crate::costing::csv_export::download("sen-figures.csv", bytes))
}
