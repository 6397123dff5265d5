//! The SEN register page: every pupil on K or E with year, status, primary need,
//! current stage and next review date; counts at the top; filters and sorting by
//! GET query parameters, so it works without JavaScript and any view can be linked.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use senplan_core::cycle::Stage;
use senplan_core::need::{BroadArea, NeedCode};
use senplan_core::pupil::YearGroup;
use senplan_core::record::RegisterRow;
use senplan_core::status::SenStatus;
use serde::Deserialize;

use super::fields::Choice;
use super::text::{self, Glossary, glossary};
use super::{PageResult, long_date, render};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;
use senplan_core::access::{Permission, allows};

pub(crate) fn routes() -> Routes {
    Routes::new().get("/", home).get("/schools/{school}", register)
}

/// Days ahead in which a review counts as "due soon".
pub const DUE_SOON_DAYS: i64 = 28;

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
    count_k: usize,
    count_e: usize,
    count_overdue: usize,
    count_due: usize,
    total: usize,
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

/// Whether a review is overdue (`Some(true)`), due within [`DUE_SOON_DAYS`] (`Some(false)`), or neither.
fn review_state(r: &RegisterRow, today: chrono::NaiveDate) -> Option<bool> {
    if r.review_overdue(today) {
        return Some(true);
    }
    let soon = today + chrono::Duration::days(DUE_SOON_DAYS);
    r.next_review.filter(|d| *d >= today && *d <= soon && r.stage.is_some_and(|s| s != Stage::Closed)).map(|_| false)
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
    if allows(viewer.user.role, Permission::ViewRecord) {
        return Ok(Redirect::to(&format!("/schools/{}", viewer.user.school_id)).into_response());
    }
    Ok(Redirect::to(&super::auth::landing(viewer.user.role)).into_response())
}

async fn register(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(f): Query<Filters>) -> PageResult {
    viewer.school(school)?;
    viewer.require(Permission::ViewRecord)?;
    let sid = viewer.scope();
    let school_rec = s.store.school(viewer.user.school_id).await?;
    let all = s.store.register(&sid).await?;
    let today = chrono::Utc::now().date_naive();
    let need = NeedCode::parse(&f.need).filter(|_| !f.need.is_empty());
    let area = BroadArea::parse(&f.area);
    let mut rows = Vec::new();
    for r in &all {
        let keep = (f.status.is_empty() || r.status.code() == f.status)
            && (f.year.is_empty() || r.year_group == f.year)
            && (f.stage.is_empty() || r.stage.map(Stage::as_str) == Some(f.stage.as_str()))
            && match f.review.as_str() {
                "overdue" => review_state(r, today) == Some(true),
                "due" => review_state(r, today) == Some(false),
                _ => true,
            };
        if !keep {
            continue;
        }
        if need.is_some() || area.is_some() {
            // Any recorded need counts, not only the primary one.
            let needs = s.store.needs(&sid, r.pupil_id).await?;
            if need.is_some_and(|n| !needs.needs.iter().any(|x| x.code == n))
                || area.is_some_and(|a| !needs.needs.iter().any(|x| x.area == a))
            {
                continue;
            }
        }
        rows.push(r);
    }
    let sort = if ["name", "year", "status", "need", "stage", "review"].contains(&f.sort.as_str()) { f.sort.as_str() } else { "name" };
    let desc = f.dir == "desc";
    rows.sort_by(|a, b| {
        let year = |r: &RegisterRow| YearGroup::parse(&r.year_group);
        let stage = |r: &RegisterRow| r.stage.map(|s| Stage::OPEN.iter().position(|x| *x == s).unwrap_or(9));
        let o = match sort {
            "year" => year(a).cmp(&year(b)),
            "status" => a.status.code().cmp(b.status.code()),
            "need" => a.primary_need.map(NeedCode::code).cmp(&b.primary_need.map(NeedCode::code)),
            "stage" => stage(a).cmp(&stage(b)),
            "review" => a.next_review.cmp(&b.next_review),
            _ => std::cmp::Ordering::Equal,
        };
        let o = o.then_with(|| a.name.cmp(&b.name));
        if desc { o.reverse() } else { o }
    });
    let lines: Vec<RegisterLine> = rows
        .iter()
        .map(|r| RegisterLine {
            href: format!("/schools/{school}/pupils/{}", r.pupil_id),
            name: r.name.clone(),
            year: YearGroup::parse(&r.year_group).map_or_else(|| r.year_group.clone(), YearGroup::label),
            status: text::status(r.status),
            need: r.primary_need.map_or_else(|| "Not recorded".to_owned(), text::need),
            stage: r.stage.map_or_else(|| "No open cycle".to_owned(), |s| text::stage_short(s).to_owned()),
            next_review: r.next_review.map(long_date),
            overdue: review_state(r, today) == Some(true),
            due: review_state(r, today) == Some(false),
        })
        .collect();
    let mut years: Vec<YearGroup> = all.iter().filter_map(|r| YearGroup::parse(&r.year_group)).collect();
    years.sort();
    years.dedup();
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
        school_name: school_rec.details.name,
        count_k: all.iter().filter(|r| r.status == SenStatus::K).count(),
        count_e: all.iter().filter(|r| r.status == SenStatus::E).count(),
        count_overdue: all.iter().filter(|r| review_state(r, today) == Some(true)).count(),
        count_due: all.iter().filter(|r| review_state(r, today) == Some(false)).count(),
        total: all.len(),
        filtered: lines.len() != all.len() || [&f.status, &f.area, &f.need, &f.year, &f.stage, &f.review].iter().any(|v| !v.is_empty()),
        rows: lines,
        filters,
        headers,
        glossary: glossary(),
    }))
}
