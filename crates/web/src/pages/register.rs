//! The SEN register page: every pupil on K or E with year, status, primary need,
//! current stage and next review date; counts at the top; filters and sorting by
//! GET query parameters, so it works without JavaScript and any view can be linked.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use senplan_app::register::{SortBy, register_for};
use senplan_core::cycle::Stage;
use senplan_core::need::{BroadArea, NeedCode};
use senplan_core::pupil::YearGroup;
use senplan_core::status::SenStatus;
use senplan_store::register::{RegisterFilter, ReviewDue};
use serde::Deserialize;

use super::fields::Choice;
use super::text::{self, Glossary, glossary};
use super::{PageResult, long_date, render};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/", home).get("/schools/{school}", register)
}

/// Days ahead in which a review counts as "due soon".
/// Reviews are "due" within this many days (the rule: `RegisterRow::review_due_soon`).
pub const DUE_SOON_DAYS: u64 = senplan_core::record::REVIEW_DUE_SOON_DAYS;

/// The register's filters and sort order, as GET parameters (all optional).
#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    status: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    need: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    nav: Nav,
    school: i64,
    school_name: String,
    count_k: i64,
    count_e: i64,
    count_overdue: i64,
    count_due: i64,
    total: i64,
    filtered: bool,
    rows: Vec<RegisterLine>,
    filters: Vec<Filter>,
    headers: Vec<Header>,
    glossary: Glossary,
}

struct Filter {
    id: &'static str,
    label: &'static str,
    options: Vec<Choice>,
}

struct Header {
    label: &'static str,
    href: String,
    aria_sort: &'static str,
}

struct RegisterLine {
    href: String,
    name: String,
    year: String,
    status: String,
    need: String,
    stage: String,
    next_review: Option<String>,
    overdue: bool,
    due: bool,
}

fn options(selected: &str, any: &str, list: impl IntoIterator<Item = (String, String)>) -> Vec<Choice> {
    let mut v = vec![Choice::new("", any, selected.is_empty())];
    v.extend(list.into_iter().map(|(value, label)| {
        let on = value == selected;
        Choice::new(value, label, on)
    }));
    v
}

fn query(f: &Filters, sort: &str, dir: &str) -> String {
    let pairs =
        [("status", &f.status), ("area", &f.area), ("need", &f.need), ("year", &f.year), ("stage", &f.stage), ("review", &f.review)];
    let mut q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", v.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "")))
        .collect();
    q.push(format!("sort={sort}"));
    q.push(format!("dir={dir}"));
    format!("?{}", q.join("&"))
}

/// Staff who see records start at their school's register; everyone else at their own start page.
async fn home(viewer: Viewer) -> PageResult {
    if senplan_app::access::menu(&viewer.actor).register {
        return Ok(Redirect::to(&format!("/schools/{}", viewer.user.school_id)).into_response());
    }
    Ok(Redirect::to(&super::auth::landing(viewer.user.role)).into_response())
}

/// The typed filters, parsed; a value that is not one of the choices keeps everyone
/// (the page only offers valid choices).
fn parsed(f: &Filters) -> RegisterFilter {
    RegisterFilter {
        status: SenStatus::parse(&f.status).filter(|s| matches!(s, SenStatus::K | SenStatus::E)),
        year: YearGroup::parse(&f.year).map(YearGroup::code),
        stage: Stage::parse(&f.stage),
        need: NeedCode::parse(&f.need).filter(|_| !f.need.is_empty()),
        area: BroadArea::parse(&f.area),
        review: match f.review.as_str() {
            "overdue" => Some(ReviewDue::Overdue),
            "due" => Some(ReviewDue::Soon),
            _ => None,
        },
    }
}

async fn register(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(f): Query<Filters>) -> PageResult {
    let sort_by = SortBy::parse(&f.sort).unwrap_or_default();
    let sort = sort_by.as_str();
    let desc = f.dir == "desc";
    let filter = parsed(&f);
    let reg = register_for(&s.store, &viewer.actor, school, &filter, sort_by, desc).await?;
    let today = viewer.actor.today();
    let lines: Vec<RegisterLine> = reg
        .rows
        .iter()
        .map(|r| RegisterLine {
            href: format!("/schools/{school}/pupils/{}", r.pupil_id),
            name: r.name.clone(),
            year: YearGroup::parse(&r.year_group).map_or_else(|| r.year_group.clone(), YearGroup::label),
            status: text::status(r.status),
            need: r.primary_need.map_or_else(|| "Not recorded".to_owned(), text::need),
            stage: r.stage.map_or_else(|| "No open cycle".to_owned(), |s| text::stage_short(s).to_owned()),
            next_review: r.next_review.map(long_date),
            overdue: r.review_overdue(today),
            due: r.review_due_soon(today),
        })
        .collect();
    let years = reg.years;
    let filters = vec![
        Filter {
            id: "status",
            label: "SEN status",
            options: options(&f.status, "Any status", [SenStatus::K, SenStatus::E].map(|s| (s.code().to_owned(), text::status(s)))),
        },
        Filter {
            id: "area",
            label: "Broad area of need",
            options: options(&f.area, "Any area", BroadArea::ALL.map(|a| (a.as_str().to_owned(), a.label().to_owned()))),
        },
        Filter {
            id: "need",
            label: "Type of need",
            options: options(&f.need, "Any need", NeedCode::ALL.map(|n| (n.code().to_owned(), text::need(n)))),
        },
        Filter { id: "year", label: "Year group", options: options(&f.year, "Any year", years.into_iter().map(|y| (y.code(), y.label()))) },
        Filter {
            id: "stage",
            label: "Stage of the cycle",
            options: options(&f.stage, "Any stage", Stage::OPEN.map(|s| (s.as_str().to_owned(), s.label().to_owned()))),
        },
        Filter {
            id: "review",
            label: "Review",
            options: options(
                &f.review,
                "Any review date",
                [("due".to_owned(), format!("Due in the next {DUE_SOON_DAYS} days")), ("overdue".to_owned(), "Overdue".to_owned())],
            ),
        },
    ];
    let headers = [
        ("Pupil", "name"),
        ("Year", "year"),
        ("Status", "status"),
        ("Primary need", "need"),
        ("Stage", "stage"),
        ("Next review", "review"),
    ]
    .into_iter()
    .map(|(label, key)| {
        let current = key == sort;
        let next_dir = if current && !desc { "desc" } else { "asc" };
        Header {
            label,
            href: query(&f, key, next_dir),
            aria_sort: if !current {
                "none"
            } else if desc {
                "descending"
            } else {
                "ascending"
            },
        }
    })
    .collect();
    Ok(render(&RegisterPage {
        nav: Nav::for_viewer(&viewer),
        school,
        school_name: reg.school_name,
        count_k: reg.counts.on_support,
        count_e: reg.counts.with_ehc_plan,
        count_overdue: reg.counts.overdue,
        count_due: reg.counts.due_soon,
        total: reg.counts.total,
        filtered: filter != RegisterFilter::default(),
        rows: lines,
        filters,
        headers,
        glossary: glossary(),
    }))
}
