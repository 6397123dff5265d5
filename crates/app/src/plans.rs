//! The SEN support plan (R07): reading it (audited), drafting, changing, adding an
//! outcome or a provision; the editor's read model carries the school's costing
//! settings so a provision can name its kind and staff role.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::SchoolCosting;
use senplan_core::cycle::Action;
use senplan_core::ids::{CycleId, PlanId, PupilId};
use senplan_core::plan::{Outcome, PlanContent, Provision};
use senplan_core::record::Plan;
use senplan_store::history::Entity;
use senplan_store::{Ctx, Scope, Store, Work};

use crate::access::school_for;
use crate::cycles::{CycleView, load};
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};

/// What the plan editor shows: the cycle (pupil, needs, plan) and the costing settings.
#[derive(Debug, Clone)]
pub struct PlanEditor {
    pub cycle: CycleView,
    pub costing: SchoolCosting,
}

/// The plan editor for a cycle; `view` audits it as a view (the page), otherwise it
/// is a form shown again to someone changing it.
pub async fn plan_editor(store: &Store, actor: &Actor, school: i64, cycle: CycleId, view: bool) -> Result<PlanEditor> {
    let permission = if view { Permission::ViewRecord } else { Permission::EditRecord };
    let school_id = school_for(actor, school, permission)?;
    let c = load(store, actor, cycle, "plan").await?;
    if view {
        viewed(store, actor, c.cycle.pupil_id, "plan").await?;
    }
    Ok(PlanEditor { cycle: c, costing: store.costing_settings(school_id).await?.costing })
}

/// A cycle's plan: audited.
pub async fn cycle_plan(store: &Store, actor: &Actor, school: i64, cycle: CycleId) -> Result<Plan> {
    school_for(actor, school, Permission::ViewRecord)?;
    let r = store.cycle_plan(&actor.scope(), cycle).await;
    let p = seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "plan", r).await?.ok_or(AppError::NotFound("plan"))?;
    viewed(store, actor, p.pupil_id, "plan").await?;
    Ok(p)
}

/// A plan by id: audited.
pub async fn plan(store: &Store, actor: &Actor, school: i64, plan: PlanId) -> Result<Plan> {
    school_for(actor, school, Permission::ViewRecord)?;
    let p = seen(store, actor, Target::Record(Entity::Plan, plan.0), "plan", store.plan(&actor.scope(), plan).await).await?;
    viewed(store, actor, p.pupil_id, "plan").await?;
    Ok(p)
}

/// Writes the first version of a cycle's plan, in one unit of work: the content is
/// checked against the pupil's recorded needs (R07) and the school's costing settings,
/// the cycle moves from assess to plan, and the plan is stored as version 1.
pub async fn draft_plan(store: &Store, actor: &Actor, school: i64, cycle: CycleId, content: PlanContent) -> Result<Plan> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        let c = work.cycle(&scope, cycle).await?;
        let content = checked(&mut work, &scope, c.pupil_id, content).await?;
        let c = work.advance_cycle(&scope, cycle, None, Action::DraftPlan).await?;
        let plan = work.add_plan(&scope, &c, content).await?;
        work.commit().await?;
        Ok::<_, AppError>(plan)
    }
    .await;
    seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "plan", r).await
}

/// Saves a plan as a new version based on `version` (the cycle must still allow the
/// plan to change: plan or do).
pub async fn update_plan(store: &Store, actor: &Actor, school: i64, plan: PlanId, version: i64, content: PlanContent) -> Result<Plan> {
    change_plan(store, actor, school, plan, version, |_| content).await
}

/// Adds one outcome to a plan (numbered after the last), as a new version.
pub async fn add_outcome(store: &Store, actor: &Actor, school: i64, plan: PlanId, version: i64, mut outcome: Outcome) -> Result<Plan> {
    change_plan(store, actor, school, plan, version, |mut content| {
        outcome.number = content.outcomes.iter().map(|o| o.number).max().unwrap_or(0) + 1;
        content.outcomes.push(outcome);
        content
    })
    .await
}

/// Adds one provision to a plan (numbered after the last), as a new version.
pub async fn add_provision(
    store: &Store,
    actor: &Actor,
    school: i64,
    plan: PlanId,
    version: i64,
    mut provision: Provision,
) -> Result<Plan> {
    change_plan(store, actor, school, plan, version, |mut content| {
        provision.number = content.provision.iter().map(|p| p.number).max().unwrap_or(0) + 1;
        content.provision.push(provision);
        content
    })
    .await
}

/// One unit of work changing a plan: `change` turns the stored content into the new
/// one, which is checked as a draft is; the cycle records the edit (R05).
async fn change_plan(
    store: &Store,
    actor: &Actor,
    school: i64,
    plan: PlanId,
    version: i64,
    change: impl FnOnce(PlanContent) -> PlanContent,
) -> Result<Plan> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        let current = work.plan(&scope, plan).await?;
        let content = change(current.content.clone());
        let content = checked(&mut work, &scope, current.pupil_id, content).await?;
        work.advance_cycle(&scope, current.cycle_id, None, Action::EditPlan).await?;
        let saved = work.save_plan(&scope, current, version, content).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Record(Entity::Plan, plan.0), "plan", r).await
}

/// A plan's content checked against the pupil's recorded needs and, for any costing
/// key it names, the school's costing settings.
pub(crate) async fn checked(work: &mut Work<'_>, scope: &Scope, pupil: PupilId, content: PlanContent) -> Result<PlanContent> {
    let needs = work.needs(scope, pupil).await?;
    let content = content.validate(&needs.codes())?;
    if content.provision.iter().any(|p| p.staff_role.is_some() || p.provision_type.is_some() || p.other_cost.is_some()) {
        let costing = work.costing_settings(scope).await?.costing;
        senplan_core::costing::check_plan_keys(&content, &costing)?;
    }
    Ok(content)
}

/// Saves the plan of a cycle from the editor: drafts it when there is none, or saves
/// a new version of it based on `version` (0 when the editor started a new plan, so a
/// plan someone else drafted meanwhile is a conflict, not overwritten).
pub async fn save_plan(store: &Store, actor: &Actor, school: i64, cycle: CycleId, version: i64, content: PlanContent) -> Result<Plan> {
    school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let current = seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "plan", store.cycle_plan(&scope, cycle).await).await?;
    match current {
        Some(p) if version > 0 => update_plan(store, actor, school, p.id, version, content).await,
        Some(p) => {
            let stored = store.history(&scope, Entity::Plan, p.id.0).await?.pop().map(Box::new);
            Err(AppError::Conflict { what: "plan", expected: 0, current: p.version, stored })
        }
        None => draft_plan(store, actor, school, cycle, content).await,
    }
}
