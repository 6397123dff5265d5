//! Find any pupil: the whole-school pupil list (every status, not only the SEN
//! register), searched by name, UPN and year group by GET parameters. A pupil not on
//! the register is one click from their record and, for the SENCO, from "Add to SEN
//! support".

use askama::Template;
use axum::extract::{Path, Query, State};
use senplan_app::access::menu;
use senplan_app::pupils::find_pupils;
use senplan_core::pupil::YearGroup;
use senplan_store::register::PupilSearch;
use serde::Deserialize;

use super::fields::Choice;
use super::text;
use super::{PageResult, render};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/pupils", pupils)
}

/// At most this many pupils are listed; a search narrows the rest.
const SHOWN: usize = 200;

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    year: String,
}

struct Line {
    href: String,
    name: String,
    upn: String,
    year: String,
    status: String,
    need: String,
    /// "Add to SEN support" for a pupil with no SEN, for those who may change records.
    add_href: Option<String>,
}

#[derive(Template)]
#[template(path = "pupils.html")]
struct PupilsPage {
    nav: Nav,
    school: i64,
    q: String,
    years: Vec<Choice>,
    found: String,
    searched: bool,
    lines: Vec<Line>,
}

async fn pupils(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(search): Query<Search>) -> PageResult {
    let year = YearGroup::parse(search.year.trim()).map(YearGroup::code);
    let wanted = PupilSearch { text: search.q.trim().to_owned(), year: year.clone() };
    let (rows, years) = find_pupils(&s.store, &viewer.actor, school, &wanted).await?;
    let may_add = menu(&viewer.actor).change_records;
    let mut year_groups: Vec<YearGroup> = years.iter().filter_map(|y| YearGroup::parse(y)).collect();
    year_groups.sort_by_key(|y| school_order(*y));
    let selected = year.unwrap_or_default();
    let mut choices = vec![Choice::new("", "Any year", selected.is_empty())];
    choices.extend(year_groups.into_iter().map(|y| Choice::new(y.code(), y.label(), y.code() == selected)));
    let total = rows.len();
    let lines = rows
        .into_iter()
        .take(SHOWN)
        .map(|r| Line {
            href: format!("/schools/{school}/pupils/{}", r.pupil_id.0),
            name: r.name.clone(),
            upn: r.upn.clone(),
            year: YearGroup::parse(&r.year_group).map_or_else(|| r.year_group.clone(), YearGroup::label),
            status: text::status(r.status),
            need: r.primary_need.map(text::need).unwrap_or_default(),
            add_href: (may_add && !r.status.has_sen()).then(|| format!("/schools/{school}/pupils/{}/status", r.pupil_id.0)),
        })
        .collect();
    let found = match total {
        0 => "No pupils found".to_owned(),
        1 => "1 pupil found".to_owned(),
        n if n > SHOWN => format!("{n} pupils found: the first {SHOWN} are shown. Search by name, UPN or year to narrow the list."),
        n => format!("{n} pupils found"),
    };
    Ok(render(&PupilsPage {
        nav: Nav::for_viewer(&viewer),
        school,
        q: search.q.trim().to_owned(),
        years: choices,
        found,
        searched: !search.q.trim().is_empty() || !selected.is_empty(),
        lines,
    }))
}

/// Nursery, reception, then years 1 to 14, then "not applicable".
fn school_order(y: YearGroup) -> i32 {
    match y {
        YearGroup::Nursery(n) => i32::from(n) - 10,
        YearGroup::Reception => 0,
        YearGroup::Year(n) => i32::from(n),
        YearGroup::NotApplicable => 99,
    }
}
