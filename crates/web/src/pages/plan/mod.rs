//! The plan editor (R07): outcomes, provision linked to outcomes, strategies, who is
//! responsible, the review date, and the parent's and pupil's views. Works without
//! JavaScript: "Add another outcome" and "Add provision" re-render the form with a
//! blank row, keeping everything typed. Saving drafts the cycle's plan or saves a new
//! version; if someone else saved first, the conflict is shown with both versions.

mod form;
mod view;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::cycles::CycleView;
use senplan_app::plans;
use senplan_core::cycle::{Action, Stage};
use senplan_core::ids::CycleId;
use senplan_core::record::{Cycle, Plan};

use self::form::PlanForm;
use self::view::{ConflictView, Context, PlanEditor};
use super::fields::Errors;
use super::form::{Posted, in_page_order, merge};
use super::pupil::display_name;
use super::summary::PlanSummary;
use super::{PageResult, render_with};
use crate::AppState;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/cycles/{cycle}/plan", show).post("/schools/{school}/cycles/{cycle}/plan", save)
}

/// The editor's fields, top to bottom, for the error summary's order.
const ORDER: [&str; 24] = [
    "needs_addressed",
    "needs_addressed[]",
    "outcomes",
    "outcomes[].number",
    "outcomes[].description",
    "outcomes[].measure",
    "outcomes[].baseline",
    "outcomes[].target",
    "outcomes[].target_date",
    "outcomes[].need",
    "provision",
    "provision[].number",
    "provision[].what",
    "provision[].delivered_by",
    "provision[].minutes_per_session",
    "provision[].sessions_per_week",
    "provision[].group_size",
    "provision[].start",
    "provision[].end",
    "provision[].outcomes",
    "strategies",
    "responsible",
    "review_date",
    "parent_views",
];

fn errors(inv: senplan_core::Invalid) -> Errors {
    Errors::new(in_page_order(inv, &ORDER)).redirect("strategies", "strategies").redirect("needs_addressed", "needs_addressed")
}

/// The editor's data: opened to read (audited) or for a save.
async fn load(s: &AppState, viewer: &Viewer, school: i64, cycle: i64, view: bool) -> Result<(Cycle, Option<Plan>, Context), AppError> {
    let editor = plans::plan_editor(&s.store, &viewer.actor, school, CycleId(cycle), view).await?;
    let (CycleView { cycle: c, pupil: p, needs, plan, .. }, costing) = (editor.cycle, editor.costing);
    let staff_roles = costing.settings.staff_roles.iter().map(|r| (r.key.clone(), r.name.clone())).collect();
    let provision_types = costing.library().into_iter().map(|t| (t.key, t.label)).collect();
    let ctx = Context {
        school,
        pupil: p.id.0,
        cycle,
        cycle_number: c.number,
        name: display_name(&p),
        recorded_needs: needs.codes(),
        nav: crate::pages::nav::Nav::for_viewer(viewer),
        staff_roles,
        provision_types,
    };
    Ok((c, plan, ctx))
}

fn editable(c: &Cycle) -> bool {
    matches!(c.stage, Stage::Assess | Stage::Plan | Stage::Do)
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>) -> PageResult {
    let (c, plan, ctx) = load(&s, &viewer, school, cycle, true).await?;
    // Someone who may not change the plan (a headteacher) reads it on the cycle's page.
    if !editable(&c) || !senplan_app::access::menu(&viewer.actor).change_records {
        return Ok(Redirect::to(&format!("/schools/{school}/cycles/{cycle}")).into_response());
    }
    let form = match &plan {
        Some(p) => PlanForm::from_plan(p.version, &p.content),
        None => PlanForm::new_plan(&ctx.recorded_needs, &c.carried),
    };
    Ok(render_with(StatusCode::OK, &PlanEditor::new(&ctx, &form, &Errors::default(), None)))
}

/// What a button on the editor asks for.
enum Intent {
    Save,
    AddOutcome,
    AddProvision,
    RemoveOutcome(usize),
    RemoveProvision(usize),
}

fn intent(posted: &Posted) -> Intent {
    let action = posted.get("action");
    let index = |prefix: &str| action.strip_prefix(prefix).and_then(|i| i.parse::<usize>().ok());
    match action {
        "add-outcome" => Intent::AddOutcome,
        "add-provision" => Intent::AddProvision,
        _ => match (index("remove-outcome-"), index("remove-provision-")) {
            (Some(i), _) => Intent::RemoveOutcome(i),
            (_, Some(i)) => Intent::RemoveProvision(i),
            _ => Intent::Save,
        },
    }
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>, posted: Posted) -> PageResult {
    let (c, _, ctx) = load(&s, &viewer, school, cycle, false).await?;
    let mut form = PlanForm::from_posted(&posted);
    let rerender = |form: &PlanForm| Ok(render_with(StatusCode::OK, &PlanEditor::new(&ctx, form, &Errors::default(), None)));
    match intent(&posted) {
        Intent::AddOutcome => {
            form.add_outcome();
            return rerender(&form);
        }
        Intent::AddProvision => {
            form.add_provision();
            return rerender(&form);
        }
        Intent::RemoveOutcome(i) => {
            form.remove_outcome(i);
            return rerender(&form);
        }
        Intent::RemoveProvision(i) => {
            form.remove_provision(i);
            return rerender(&form);
        }
        Intent::Save => {}
    }
    let (content, read) = form.to_content();
    if !read.is_empty() {
        // Show every problem at once: what could not be read, and what core says of the rest.
        let rules = content.validate(&ctx.recorded_needs).err().unwrap_or_default();
        return Ok(render_with(StatusCode::BAD_REQUEST, &PlanEditor::new(&ctx, &form, &errors(merge(read, rules)), None)));
    }
    let result = plans::save_plan(&s.store, &viewer.actor, school, c.id, form.version, content).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/cycles/{cycle}?done=plan")).into_response()),
        Err(AppError::Invalid(inv)) => Ok(render_with(StatusCode::BAD_REQUEST, &PlanEditor::new(&ctx, &form, &errors(inv), None))),
        Err(AppError::Transition(t)) if t.action == Action::EditPlan || t.action == Action::DraftPlan => {
            Ok(Redirect::to(&format!("/schools/{school}/cycles/{cycle}")).into_response())
        }
        Err(AppError::Conflict { .. }) => {
            let (_, theirs, _) = load(&s, &viewer, school, cycle, false).await?;
            let theirs = theirs.ok_or(AppError::NotFound("plan"))?;
            form.version = theirs.version;
            let conflict =
                ConflictView { theirs: PlanSummary::new(school, format!("Their saved version (version {})", theirs.version), &theirs) };
            Ok(render_with(StatusCode::CONFLICT, &PlanEditor::new(&ctx, &form, &Errors::default(), Some(conflict))))
        }
        Err(e) => Err(e.into()),
    }
}
