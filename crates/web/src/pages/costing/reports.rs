//! The costing report pages: an overview, the costed provision map, pupils against
//! the £6,000 threshold, the budget (chart and table) and the meeting recap (impact
//! has its own module, with its form). Each shows the dates it covers, explains its terms where
//! they appear, and links to its CSV download.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use senplan_app::costing::{self, Pages, Use};
use senplan_core::costing::{BudgetRow, ProvisionMap, PupilMap, RecapRow, ThresholdBand, ThresholdReport, percent_from_basis_points};
use senplan_core::pupil::YearGroup;

use crate::pages::chart::{Bar, bar_chart};
use super::{Nav, or_explain, render};
use crate::AppState;
use crate::costing::query::{OnQuery, RangeQuery, today};
use crate::error::ApiError;
use crate::pages::PageError;
use crate::pages::long_date;
use crate::session::Viewer;

/// The costing pages' navigation; opening it checks the actor may see these pages.
async fn nav(s: &AppState, viewer: &Viewer, school: i64, current: &'static str, pages: Pages) -> Result<Nav, ApiError> {
    let name = costing::page_heading(&s.store, &viewer.actor, school, pages).await?;
    Ok(Nav::new(viewer, school, name, current))
}

/// Whole pounds without pence, as people say them: "£6,000"; otherwise "£6,000.50".
fn pounds(p: senplan_core::costing::Pence) -> String {
    let full = p.to_string();
    full.strip_suffix(".00").map_or(full.clone(), str::to_owned)
}

fn year(code: &str) -> String {
    YearGroup::parse(code).map_or_else(|| code.to_owned(), YearGroup::label)
}

/// The school year starting on `start` (1 September), as the settings page says it: "2026 to 2027".
fn school_year(start: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} to {}", start.year(), start.year() + 1)
}

/// A range form's values: what was asked for, or the defaults used.
struct Range {
    from: String,
    to: String,
    said: String,
    error: Option<String>,
}

fn range(q: &RangeQuery) -> (Range, Option<(chrono::NaiveDate, chrono::NaiveDate)>) {
    match q.range(today()) {
        Ok((from, to)) => (
            Range { from: from.to_string(), to: to.to_string(), said: format!("{} to {}", long_date(from), long_date(to)), error: None },
            Some((from, to)),
        ),
        Err(e) => {
            let msg = e.errors.first().map(|e| e.message.clone()).unwrap_or_default();
            (
                Range {
                    from: q.from.clone().unwrap_or_default(),
                    to: q.to.clone().unwrap_or_default(),
                    said: String::new(),
                    error: Some(msg),
                },
                None,
            )
        }
    }
}

#[derive(Template)]
#[template(path = "costing_overview.html")]
struct Overview {
    nav: Nav,
}

pub async fn overview(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> Result<Response, PageError> {
    Ok(render(&Overview { nav: nav(&s, &viewer, school, "Overview", Pages::SchoolWide).await? }))
}

/// A pupil's row in a map or threshold table.
struct PupilLine {
    id: i64,
    name: String,
    year: String,
    hours_per_week: String,
    annual: String,
    period_hours: String,
    period: String,
    band: Option<(&'static str, &'static str, String)>,
}

fn pupil_line(p: &PupilMap) -> PupilLine {
    PupilLine {
        id: p.pupil_id,
        name: p.name.clone(),
        year: year(&p.year_group),
        hours_per_week: p.hours_per_week.clone(),
        annual: p.annual_cost.to_string(),
        period_hours: p.period_hours.clone(),
        period: p.period_cost.to_string(),
        band: p.threshold.as_ref().map(|t| match t.band {
            ThresholdBand::Above => ("Above £6,000: top-up candidate", "govuk-tag--red", format!("{} over", t.over_by)),
            ThresholdBand::At => ("At the threshold", "govuk-tag--yellow", String::new()),
            ThresholdBand::Below => ("Below the threshold", "govuk-tag--grey", format!("{} under", t.under_by)),
        }),
    }
}

#[derive(Template)]
#[template(path = "costing_map.html")]
struct MapPage {
    nav: Nav,
    range: Range,
    csv: String,
    weeks: String,
    weeks_per_year: u32,
    /// The school year the annual costs are for, e.g. "2026 to 2027", and its dates.
    year: String,
    year_said: String,
    from_said: String,
    annual: String,
    period: String,
    not_costed: i64,
    pupils: Vec<PupilLine>,
    lines: Vec<[String; 8]>,
    by_provision: Vec<[String; 7]>,
}

fn map_page(nav: Nav, range: Range, m: &ProvisionMap) -> MapPage {
    let csv = format!("/api/schools/{}/costing/provision-map.csv?from={}&to={}", nav.school_id, m.from, m.to);
    let lines = m
        .pupils
        .iter()
        .flat_map(|p| {
            p.lines.iter().map(|l| {
                let period = l.period.as_ref();
                [
                    p.name.clone(),
                    format!("{}{}", l.what, l.provision_type_label.as_ref().map_or_else(String::new, |t| format!(" ({t})"))),
                    format!("{}{}", l.delivered_by, l.staff_role.as_ref().map_or_else(String::new, |r| format!(", {r}"))),
                    format!("{} ({} share)", l.how_often, percent_from_basis_points(l.share_bp)),
                    l.hours_per_week.clone(),
                    l.annual_cost.map_or_else(|| "Not costed".to_owned(), |c| c.to_string()),
                    period.map(|p| p.hours.clone()).unwrap_or_default(),
                    match (period.and_then(|p| p.cost), &l.not_costed) {
                        (Some(c), _) => c.to_string(),
                        (None, Some(why)) => format!("Not costed: {why}"),
                        (None, None) => String::new(),
                    },
                ]
            })
        })
        .collect();
    let by_provision = m
        .by_provision
        .iter()
        .map(|s| {
            [
                s.what.clone(),
                s.staff_role.clone().unwrap_or_else(|| "Not given".into()),
                s.provision_type_label.clone().unwrap_or_else(|| "Not given".into()),
                s.pupils.to_string(),
                s.hours_per_week.clone(),
                s.annual_cost.to_string(),
                s.period_cost.to_string(),
            ]
        })
        .collect();
    MapPage {
        csv,
        weeks: m.school_weeks.to_decimal(1),
        weeks_per_year: m.weeks_per_year,
        year: school_year(m.year_start),
        year_said: format!("{} to {}", long_date(m.year_start), long_date(m.year_end)),
        from_said: long_date(m.from),
        annual: m.annual_cost.to_string(),
        period: m.period_cost.to_string(),
        not_costed: m.not_costed,
        pupils: m.pupils.iter().map(pupil_line).collect(),
        lines,
        by_provision,
        nav,
        range,
    }
}

pub async fn map(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, PageError> {
    let nav = nav(&s, &viewer, school, "Provision map", Pages::NamingPupils).await?;
    let (range, dates) = range(&q);
    let Some((from, to)) = dates else {
        return Ok(render(&MapPage {
            nav,
            range,
            csv: String::new(),
            weeks: String::new(),
            weeks_per_year: 39,
            year: String::new(),
            year_said: String::new(),
            from_said: String::new(),
            annual: String::new(),
            period: String::new(),
            not_costed: 0,
            pupils: vec![],
            lines: vec![],
            by_provision: vec![],
        }));
    };
    let result = costing::provision_map(&s.store, &viewer.actor, school, from, to, None, Use::View).await;
    or_explain(result.map(|m| render(&map_page(nav.clone(), range, &m))), nav)
}

#[derive(Template)]
#[template(path = "costing_threshold.html")]
struct ThresholdPage {
    nav: Nav,
    on: String,
    on_said: String,
    threshold: String,
    hours: Option<String>,
    weeks_per_year: u32,
    year: String,
    above: i64,
    below: i64,
    at: i64,
    pupils: Vec<PupilLine>,
    csv: String,
    map_csv: String,
    /// The last day the map's CSV covers (the end of the school year), in words.
    map_until: String,
}

fn threshold_page(nav: Nav, r: &ThresholdReport) -> ThresholdPage {
    ThresholdPage {
        csv: format!("/api/schools/{}/costing/threshold.csv?on={}", nav.school_id, r.on),
        // The map from the day asked about to the end of its school year: the same
        // provision and the same annual costs as this page.
        map_csv: format!("/api/schools/{}/costing/provision-map.csv?from={}&to={}", nav.school_id, r.on, r.year_end),
        map_until: long_date(r.year_end),
        year: school_year(r.year_start),
        on: r.on.to_string(),
        on_said: long_date(r.on),
        threshold: pounds(r.threshold),
        hours: r.threshold_hours_per_week.clone(),
        weeks_per_year: r.weeks_per_year,
        above: r.above,
        below: r.below,
        at: r.at,
        pupils: r.pupils.iter().map(pupil_line).collect(),
        nav,
    }
}

pub async fn threshold(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Response, PageError> {
    let n = nav(&s, &viewer, school, "£6,000 threshold", Pages::NamingPupils).await?;
    let on = match q.day(today()) {
        Ok(on) => on,
        Err(e) => return or_explain(Err(senplan_app::AppError::from(e)), n),
    };
    let result = costing::threshold_report(&s.store, &viewer.actor, school, on, Use::View).await;
    or_explain(result.map(|r| render(&threshold_page(n.clone(), &r))), n)
}

/// One breakdown of the budget: a chart and a table of the same rows.
struct Breakdown {
    id: &'static str,
    title: &'static str,
    svg: String,
    rows: Vec<[String; 4]>,
}

fn breakdown(id: &'static str, title: &'static str, rows: &[BudgetRow]) -> Breakdown {
    let pct = |bp: Option<i64>| bp.map_or_else(|| "–".to_owned(), percent_from_basis_points);
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar { label: r.label.clone(), value: r.committed.0, text: format!("{} ({})", r.committed, pct(r.of_budget_bp)) })
        .collect();
    Breakdown {
        id,
        title,
        svg: bar_chart(id, title, &bars),
        rows: rows.iter().map(|r| [r.label.clone(), r.committed.to_string(), pct(r.of_budget_bp), pct(r.of_committed_bp)]).collect(),
    }
}

#[derive(Template)]
#[template(path = "costing_budget.html")]
struct BudgetPage {
    nav: Nav,
    on: String,
    year: String,
    budget: String,
    committed: String,
    remaining: String,
    used: String,
    over: bool,
    breakdowns: Vec<Breakdown>,
    csv: String,
}

pub async fn budget(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Response, PageError> {
    let n = nav(&s, &viewer, school, "Budget", Pages::SchoolWide).await?;
    let on = match q.day(today()) {
        Ok(on) => on,
        Err(e) => return or_explain(Err(senplan_app::AppError::from(e)), n),
    };
    let result = costing::budget_report(&s.store, &viewer.actor, school, on, Use::View).await.map(|b| {
        render(&BudgetPage {
            on: on.to_string(),
            year: format!("{} to {}", long_date(b.year_start), long_date(b.year_end)),
            budget: b.budget.to_string(),
            committed: b.committed.to_string(),
            remaining: b.remaining.to_string(),
            used: b.used_bp.map_or_else(|| "–".to_owned(), percent_from_basis_points),
            over: b.over_budget,
            breakdowns: vec![
                breakdown("by-area", "Committed by area of need", &b.by_area),
                breakdown("by-type", "Committed by kind of provision", &b.by_provision_type),
                breakdown("by-year", "Committed by year group", &b.by_year_group),
            ],
            csv: format!("/api/schools/{}/costing/budget.csv?on={on}", n.school_id),
            nav: n.clone(),
        })
    });
    or_explain(result, n)
}

#[derive(Template)]
#[template(path = "costing_recap.html")]
struct RecapPage {
    nav: Nav,
    range: Range,
    rows: Vec<RecapRow>,
    csv: String,
}

impl RecapPage {
    fn year(&self, code: &str) -> String {
        year(code)
    }
    fn dates(&self, r: &RecapRow) -> String {
        match r.end {
            Some(end) => format!("{} to {}", long_date(r.start), long_date(end)),
            None => format!("From {}", long_date(r.start)),
        }
    }
    fn review(&self, r: &RecapRow) -> String {
        long_date(r.review_date)
    }
}

pub async fn recap(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(school): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, PageError> {
    let nav = nav(&s, &viewer, school, "Meeting recap", Pages::NamingPupils).await?;
    // By default the next six weeks: what staff are about to deliver.
    let t = today();
    let q = RangeQuery {
        from: Some(q.from.clone().unwrap_or_else(|| t.to_string())),
        to: Some(q.to.clone().unwrap_or_else(|| (t + chrono::Days::new(41)).to_string())),
        pupil: None,
    };
    let (range, dates) = range(&q);
    let (rows, csv) = match dates {
        Some((from, to)) => (
            costing::meeting_recap(&s.store, &viewer.actor, school, from, to, Use::View).await?,
            format!("/api/schools/{school}/costing/recap.csv?from={from}&to={to}"),
        ),
        None => (vec![], String::new()),
    };
    Ok(render(&RecapPage { nav, range, rows, csv }))
}
