//! The compliance dashboard (R22), the SENCO's and leadership's home page: each check
//! a count that opens its list of pupils (the SENCO), each pupil linking to the page
//! that puts it right; the SENCO's designation; the same figures as CSV. Leadership
//! sees the counts only. `?on=YYYY-MM-DD` computes it as of another day.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use senplan_app::dashboard::{dashboard, finding};
use senplan_core::compliance::{Finding, Fix};

use super::{PageResult, long_date, render_with};
use crate::AppState;
use crate::api::as_of;
use crate::costing::csv_export::{Sheet, fail, finish};
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/dashboard", show)
        .get("/schools/{school}/dashboard.csv", csv)
        .get("/schools/{school}/dashboard/{check}", show_finding)
}

struct Row {
    label: &'static str,
    count: usize,
    href: Option<String>,
    warning: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    school: i64,
    as_of: String,
    on: String,
    rows: Vec<Row>,
    names: bool,
    senco: String,
    senco_attention: bool,
    coordinator: &'static str,
    /// The weeks a referral may wait before it is listed.
    referral_weeks: u32,
    report: String,
    report_flagged: bool,
}

/// The page that puts a finding right for one pupil.
fn fix_href(school: i64, pupil: i64, fix: Fix) -> String {
    let record = format!("/schools/{school}/pupils/{pupil}");
    match fix {
        Fix::Cycle | Fix::Progress => record,
        Fix::Plan => format!("{record}#plan"),
        Fix::ParentsTold => format!("{record}/meetings#told"),
        Fix::Meetings => format!("{record}/meetings"),
        Fix::Inbox => format!("/schools/{school}/concerns"),
        Fix::Delivery => format!("/schools/{school}/costing/delivery"),
        Fix::Referrals => format!("{record}/referrals"),
        Fix::Adjustments => format!("{record}/adjustments"),
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<as_of::AsOf>) -> PageResult {
    let d = dashboard(&s.store, &viewer.actor, school, q.day().map_err(crate::error::ApiError::from)?).await?;
    let on = q.on.clone().unwrap_or_default();
    let suffix = if on.is_empty() { String::new() } else { format!("?on={}", d.as_of) };
    let rows = d
        .findings
        .iter()
        .map(|f| Row {
            label: f.check.label(),
            count: f.count,
            href: (d.names && f.count > 0).then(|| format!("/schools/{school}/dashboard/{}{suffix}", f.check.slug())),
            warning: f.check.is_warning() && f.count > 0,
        })
        .collect();
    let page = DashboardPage {
        nav: Nav::for_viewer(&viewer),
        school,
        as_of: long_date(d.as_of),
        on,
        rows,
        names: d.names,
        senco_attention: d.senco.needs_attention(),
        senco: d.senco.in_words(),
        coordinator: d.coordinator,
        referral_weeks: d.referral_weeks,
        report: d.report.describe(),
        report_flagged: d.report.needs_action(),
    };
    Ok(render_with(StatusCode::OK, &page))
}

struct PupilLine {
    name: String,
    href: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "dashboard_finding.html")]
struct FindingPage {
    nav: Nav,
    school: i64,
    label: &'static str,
    as_of: String,
    pupils: Vec<PupilLine>,
}

async fn show_finding(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((school, check)): Path<(i64, String)>,
    Query(q): Query<as_of::AsOf>,
) -> PageResult {
    let (f, on): (Finding, _) = finding(&s.store, &viewer.actor, school, &check, q.day().map_err(crate::error::ApiError::from)?).await?;
    let fix = f.check.fix();
    let page = FindingPage {
        nav: Nav::for_viewer(&viewer),
        school,
        label: f.check.label(),
        as_of: long_date(on),
        pupils: f
            .pupils
            .into_iter()
            .map(|l| PupilLine { href: fix_href(school, l.pupil.0, fix), name: l.name, detail: l.detail })
            .collect(),
    };
    Ok(render_with(StatusCode::OK, &page))
}

/// One line per check (the SENCO: one per pupil found), with a header row.
async fn csv(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<as_of::AsOf>) -> PageResult {
    let d = dashboard(&s.store, &viewer.actor, school, q.day().map_err(crate::error::ApiError::from)?).await?;
    let mut w = Sheet::new();
    let io = fail;
    if d.names {
        w.write_record(["as_of", "check", "label", "count", "pupil_id", "pupil", "detail"]).map_err(io)?;
    } else {
        w.write_record(["as_of", "check", "label", "count"]).map_err(io)?;
    }
    for f in &d.findings {
        let day = d.as_of.to_string();
        let count = f.count.to_string();
        if d.names && !f.pupils.is_empty() {
            for l in &f.pupils {
                let id = l.pupil.0.to_string();
                w.write_record([day.as_str(), f.check.slug(), f.check.label(), &count, &id, &l.name, &l.detail]).map_err(io)?;
            }
        } else if d.names {
            w.write_record([day.as_str(), f.check.slug(), f.check.label(), &count, "", "", ""]).map_err(io)?;
        } else {
            w.write_record([day.as_str(), f.check.slug(), f.check.label(), &count]).map_err(io)?;
        }
    }
    let body = finish(w)?;
    let name = format!("attachment; filename=\"compliance-{}.csv\"", d.as_of);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)], body).into_response())
}
