//! The pupil's record: details, status history, needs by broad area, the current
//! cycle with its assess–plan–do–review task list, the current plan, and every past
//! cycle with its plan and review. Everything dated and attributed.

use askama::Template;
use axum::extract::{Path, Query, State};
use senplan_core::ids::PupilId;
use senplan_core::need::BroadArea;
use senplan_core::pupil::age_on;
use senplan_core::status::SenStatus;
use serde::Deserialize;

use super::summary::{PlanSummary, ReviewSummary, Task, tasks};
use super::text::{self, long_date, when};
use super::{PageResult, render};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;
use senplan_app::records::{ClosedCycle, OpenCycle, PupilRecord, open_pupil_record};

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/pupils/{pupil}", show)
}

/// What the previous page did, for the success banner.
#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

impl Done {
    pub fn is(&self, what: &str) -> bool {
        self.done.as_deref() == Some(what)
    }
}

struct StatusLine {
    status: String,
    start: String,
    end: String,
    reason: String,
    recorded: String,
}

struct NeedLine {
    rank: String,
    need: String,
    description: String,
}

struct AreaNeeds {
    area: &'static str,
    needs: Vec<NeedLine>,
}

struct CurrentCycle {
    number: u32,
    href: String,
    opened: String,
    stage: &'static str,
    tasks: Vec<Task>,
    carried: usize,
}

struct PastCycle {
    number: u32,
    href: String,
    dates: String,
    decision: String,
}

#[derive(Template)]
#[template(path = "pupil.html")]
struct PupilPage {
    nav: Nav,
    /// Referrals to services (R18), newest first.
    referrals: Vec<super::referrals::Line>,
    /// "Asthma; Type 1 diabetes": the medical conditions with a healthcare plan (R35).
    medical: String,
    /// Adjustments in place, counted.
    adjustments: usize,
    school: i64,
    pupil: i64,
    name: String,
    upn: String,
    date_of_birth: String,
    age: u32,
    year: String,
    status: String,
    on_support: bool,
    banner: Option<String>,
    statuses: Vec<StatusLine>,
    areas: Vec<AreaNeeds>,
    needs_recorded: bool,
    needs_history: Option<String>,
    current: Option<CurrentCycle>,
    plan: Option<PlanSummary>,
    last_review: Option<ReviewSummary>,
    past: Vec<PastCycle>,
    /// The viewer may change the record (status, needs, details).
    can_edit: bool,
    /// The viewer may see who can see the record, and its audit trail.
    can_audit: bool,
    /// The viewer may raise a concern about the pupil's progress (R03: staff who
    /// contribute, for a pupil not on SEN support).
    can_raise_concern: bool,
    /// Aged under four: the progress check at age two can be recorded (R26).
    two_year_check: bool,
    /// "How best to help me" from the pupil passport (R30), when there is one, and
    /// whether the viewer may write it.
    passport_help: Option<Vec<String>>,
    can_write_passport: bool,
    /// Views given through the family portal: (date, who, views).
    family_views: Vec<(String, String, String)>,
    /// Concerns and requests from the family, for the SENCO and headteacher.
    correspondence: Option<super::concerns::Correspondence>,
}

/// "Alex Smith", or "Alexander (Alex) Smith" with a preferred name.
pub(super) fn display_name(p: &senplan_core::record::Pupil) -> String {
    let d = &p.details;
    match d.preferred_name.as_deref().filter(|n| !n.is_empty() && *n != d.given_name) {
        Some(pref) => format!("{} ({pref}) {}", d.given_name, d.family_name),
        None => format!("{} {}", d.given_name, d.family_name),
    }
}

fn ordinal(rank: u32) -> String {
    match rank {
        1 => "Primary need".into(),
        2 => "Secondary need".into(),
        n => format!("Need ranked {n}"),
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, Query(done): Query<Done>) -> PageResult {
    let record = open_pupil_record(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let PupilRecord {
        referrals,
        pupil: p,
        statuses,
        needs,
        open,
        closed,
        last_reviewed_plan,
        family_views,
        can_edit,
        can_audit,
        concerns,
        requests,
        sees_correspondence,
        passport,
        records_due,
        adjustments,
    } = record;
    let correspondence = sees_correspondence.then(|| super::concerns::Correspondence::new(school, pupil, &concerns, &requests, (&records_due, viewer.actor.today()), can_edit));
    let today = viewer.actor.today();
    let (current, plan) = match open {
        Some(OpenCycle { cycle: c, plan, contributions }) => {
            let current = CurrentCycle {
                number: c.number,
                href: format!("/schools/{school}/cycles/{}", c.id),
                opened: long_date(c.opened_on),
                stage: text::stage(c.stage),
                tasks: tasks(school, &c, contributions, plan.is_some(), false, can_edit),
                carried: c.carried.outcomes.len(),
            };
            (Some(current), plan.map(|p| PlanSummary::new(school, format!("Current plan (cycle {})", c.number), &p).family_copy(can_edit).sources(&senplan_app::referrals::plan_sources(&referrals, p.id))))
        }
        None => (None, None),
    };
    let last_review = closed
        .iter()
        .find_map(|c| c.review.as_ref())
        .map(|r| ReviewSummary::new(school, r, last_reviewed_plan.as_ref().map(|p| &p.content)).family_copy(can_edit));
    let past: Vec<PastCycle> = closed
        .iter()
        .map(|ClosedCycle { cycle: c, review }| PastCycle {
            number: c.number,
            href: format!("/schools/{school}/cycles/{}", c.id),
            dates: format!("{} to {}", long_date(c.opened_on), c.closed_on.map_or_else(|| "not closed".to_owned(), long_date)),
            decision: review
                .as_ref()
                .map_or_else(|| "Closed without a review (SEN support ended)".to_owned(), |r| r.content.decision.label().to_owned()),
        })
        .collect();
    let areas = BroadArea::ALL
        .into_iter()
        .filter_map(|area| {
            let list: Vec<NeedLine> = needs
                .needs
                .iter()
                .filter(|n| n.area == area)
                .map(|n| NeedLine { rank: ordinal(n.rank), need: text::need(n.code), description: n.description.clone() })
                .collect();
            (!list.is_empty()).then_some(AreaNeeds { area: text::area(area), needs: list })
        })
        .collect();
    let banner = match done.done.as_deref() {
        Some("status") => Some("The SEN status has been changed.".to_owned()),
        Some("needs") => Some("The needs have been saved.".to_owned()),
        Some("details") => Some("The pupil's details have been saved.".to_owned()),
        Some("raised") => Some("Your concern has been sent to the SENCO.".to_owned()),
        Some("review") => Some(match &current {
            Some(c) if c.carried > 0 => format!(
                "The review has been recorded. Cycle {} has started with {} outcome{} carried forward.",
                c.number,
                c.carried,
                if c.carried == 1 { "" } else { "s" }
            ),
            Some(c) => format!("The review has been recorded. Cycle {} has started.", c.number),
            None => "The review has been recorded and SEN support has ended.".to_owned(),
        }),
        _ => None,
    };
    Ok(render(&PupilPage {
        referrals: referrals.iter().map(|r| super::referrals::line(school, r, today)).collect(),
        medical: adjustments.as_ref().map(|a| a.conditions.iter().map(|c| c.condition.as_str()).collect::<Vec<_>>().join("; ")).unwrap_or_default(),
        adjustments: adjustments.as_ref().map_or(0, |a| a.in_place(today).len()),
        nav: Nav::for_viewer(&viewer),
        school,
        pupil,
        name: display_name(&p),
        upn: p.details.upn.as_str().to_owned(),
        date_of_birth: long_date(p.details.date_of_birth),
        age: age_on(p.details.date_of_birth, today),
        year: p.details.year_group.label(),
        status: text::status(p.status),
        on_support: matches!(p.status, SenStatus::K | SenStatus::E),
        banner,
        statuses: statuses
            .iter()
            .map(|e| StatusLine {
                status: text::status(e.period.status),
                start: long_date(e.period.start),
                end: e.period.end.map_or_else(|| "Current".to_owned(), long_date),
                reason: e.period.reason.clone(),
                recorded: format!("{} on {}", e.recorded_by, when(&e.recorded_at)),
            })
            .collect(),
        areas,
        needs_recorded: !needs.needs.is_empty(),
        needs_history: (needs.version > 0).then(|| format!("/schools/{school}/history/needs/{pupil}")),
        current,
        plan,
        last_review,
        past,
        can_edit,
        can_audit,
        passport_help: passport.map(|r| r.passport.how_to_help_me),
        can_write_passport: senplan_app::access::menu(&viewer.actor).contribute,
        two_year_check: senplan_app::access::menu(&viewer.actor).contribute && age_on(p.details.date_of_birth, today) < 4,
        can_raise_concern: senplan_app::access::menu(&viewer.actor).contribute && !matches!(p.status, SenStatus::K | SenStatus::E),
        family_views: family_views
            .into_iter()
            .map(|v| (when(&v.given_at), format!("{} ({})", v.given_by, v.relationship), v.views))
            .collect(),
        correspondence,
    }))
}
