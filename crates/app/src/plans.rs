//! The SEN support plan (R07): reading it (audited), drafting, changing, adding an
//! outcome or a provision; the editor's read model carries the school's costing
//! settings so a provision can name its kind and staff role.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::SchoolCosting;
use senplan_core::ids::{CycleId, PlanId};
use senplan_core::plan::{Outcome, PlanContent, Provision};
use senplan_core::record::Plan;
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

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

/// Writes the first version of a cycle's plan.
pub async fn draft_plan(store: &Store, actor: &Actor, school: i64, cycle: CycleId, content: PlanContent) -> Result<Plan> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = store.draft_plan(&actor.scope(), cycle, content, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "plan", r).await
}

/// Saves a plan as a new version, based on `version`.
pub async fn update_plan(store: &Store, actor: &Actor, school: i64, plan: PlanId, version: i64, content: PlanContent) -> Result<Plan> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = store.update_plan(&actor.scope(), plan, version, content, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Plan, plan.0), "plan", r).await
}

/// Adds one outcome to a plan, as a new version.
pub async fn add_outcome(store: &Store, actor: &Actor, school: i64, plan: PlanId, version: i64, outcome: Outcome) -> Result<Plan> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = store.add_outcome(&actor.scope(), plan, version, outcome, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Plan, plan.0), "plan", r).await
}

/// Adds one provision to a plan, as a new version.
pub async fn add_provision(store: &Store, actor: &Actor, school: i64, plan: PlanId, version: i64, provision: Provision) -> Result<Plan> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = store.add_provision(&actor.scope(), plan, version, provision, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Plan, plan.0), "plan", r).await
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
