//! One cycle of the graduated approach: its task list, contributions, plan and review,
//! and the buttons that move it on: start the support (plan → do) and start the
//! review (do → review). A refused move is shown as an error summary on this page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::cycles::{self, CycleView};
use senplan_core::Invalid;
use senplan_core::cycle::{Action, Stage};
use senplan_core::ids::CycleId;

use super::fields::{ErrorLink, Errors};
use super::form::Posted;
use super::pupil::{Done, display_name};
use super::summary::{PlanSummary, ReviewSummary, Task, tasks};
use super::text::{self, long_date};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/cycles/{cycle}", show).post("/schools/{school}/cycles/{cycle}/transition", transition)
}

#[derive(Template)]
#[template(path = "cycle.html")]
struct CyclePage {
    nav: Nav,
    school: i64,
    pupil: i64,
    cycle: i64,
    number: u32,
    name: String,
    version: i64,
    stage: &'static str,
    dates: String,
    banner: Option<&'static str>,
    errors: Vec<ErrorLink>,
    tasks: Vec<Task>,
    contributions: usize,
    plan: Option<PlanSummary>,
    /// Gaps in the golden thread (R27) and vague wording (R28) of the plan.
    plan_checks: Vec<String>,
    review: Option<ReviewSummary>,
    can_edit_plan: bool,
    can_start_delivery: bool,
    /// The parents have not yet been told (R08): asked for when the support starts.
    not_told: bool,
    told_href: String,
    can_start_review: bool,
    can_record_review: bool,
    history_href: String,
    /// The pupil's referrals (R18): specialist advice is part of assessing need.
    referrals: Vec<super::referrals::Line>,
    assessing: bool,
}

async fn page(
    s: &AppState,
    viewer: &Viewer,
    school: i64,
    cycle: i64,
    banner: Option<&'static str>,
    errors: &Errors,
) -> Result<CyclePage, AppError> {
    let CycleView { cycle: c, pupil: p, contributions, plan, review, referrals, .. } =
        cycles::open_cycle(&s.store, &viewer.actor, school, CycleId(cycle), "cycle").await?;
    let contributions = contributions.len();
    let not_told = senplan_app::meetings::parents_not_yet_told(&s.store, &viewer.actor, school, p.id).await?;
    let allowed = c.stage.allowed();
    let may_edit = senplan_app::access::menu(&viewer.actor).change_records;
    let plan_checks = plan
        .as_ref()
        .map(|p| {
            let c = &p.content;
            senplan_core::plan_checks::golden_thread(c)
                .into_iter()
                .chain(senplan_core::plan_checks::wording(c))
                .map(|g| g.message)
                .collect()
        })
        .unwrap_or_default();
    Ok(CyclePage {
        nav: Nav::for_viewer(viewer),
        plan_checks,
        school,
        pupil: p.id.0,
        cycle,
        number: c.number,
        name: display_name(&p),
        version: c.version,
        stage: text::stage(c.stage),
        dates: match c.closed_on {
            Some(closed) => format!("{} to {}", long_date(c.opened_on), long_date(closed)),
            None => format!("Opened on {}", long_date(c.opened_on)),
        },
        banner,
        errors: errors.summary(),
        tasks: tasks(school, &c, contributions, plan.is_some(), review.is_some(), may_edit),
        contributions,
        review: review.as_ref().map(|r| ReviewSummary::new(school, r, plan.as_ref().map(|p| &p.content)).family_copy(may_edit)),
        plan: plan.as_ref().map(|p| PlanSummary::new(school, "The plan", p).family_copy(may_edit).sources(&senplan_app::referrals::plan_sources(&referrals, p.id))),
        referrals: referrals.iter().map(|r| super::referrals::line(school, r, viewer.actor.today())).collect(),
        assessing: c.stage == Stage::Assess,
        // Only what this person may do is offered (a headteacher reads, never changes).
        can_edit_plan: may_edit && (allowed.contains(&Action::EditPlan) || allowed.contains(&Action::DraftPlan)),
        can_start_delivery: may_edit && c.stage == Stage::Plan,
        not_told: not_told && may_edit && matches!(c.stage, Stage::Plan | Stage::Do),
        told_href: format!("/schools/{school}/pupils/{}/meetings#told", p.id.0),
        can_start_review: may_edit && c.stage == Stage::Do,
        can_record_review: may_edit && allowed.contains(&Action::RecordReview),
        history_href: format!("/schools/{school}/history/cycle/{cycle}"),
    })
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>, Query(done): Query<Done>) -> PageResult {
    let banner = if done.is("plan") {
        Some("The plan has been saved.")
    } else if done.is("start_delivery") {
        Some("The support has started: the cycle is now at 'do'.")
    } else if done.is("start_review") {
        Some("The review has started.")
    } else {
        None
    };
    Ok(render_with(StatusCode::OK, &page(&s, &viewer, school, cycle, banner, &Errors::default()).await?))
}

async fn transition(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let action = match form.get("action") {
        "start_delivery" => Action::StartDelivery,
        "start_review" => Action::StartReview,
        _ => {
            return Err(AppError::Invalid(Invalid::one("action", "unknown_action", "Choose start the support or start the review")).into());
        }
    };
    let version: i64 = form.get("version").parse().unwrap_or(-1);
    let result = cycles::transition(&s.store, &viewer.actor, school, CycleId(cycle), version, action).await;
    let problem = match result {
        Ok(_) => {
            let done = if action == Action::StartDelivery { "start_delivery" } else { "start_review" };
            return Ok(Redirect::to(&format!("/schools/{school}/cycles/{cycle}?done={done}")).into_response());
        }
        // The plan is not ready: its errors point at the stage buttons (the plan is edited elsewhere).
        Err(AppError::Invalid(inv)) => {
            Invalid { errors: inv.errors.into_iter().map(|e| senplan_core::FieldError { field: "stage".into(), ..e }).collect() }
        }
        Err(AppError::Transition(t)) => Invalid::one("stage", "illegal_transition", t.message()),
        Err(AppError::Conflict { .. }) => Invalid::one(
            "stage",
            "conflict",
            "Someone else moved this cycle on while you were looking at it. Check where it is now and try again.",
        ),
        Err(e) => return Err(e.into()),
    };
    Ok(render_with(StatusCode::BAD_REQUEST, &page(&s, &viewer, school, cycle, None, &Errors::new(problem)).await?))
}
