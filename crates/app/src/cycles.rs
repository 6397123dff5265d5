//! A cycle of the graduated approach (R05, R06): what its pages and the API show
//! (the cycle, its pupil, contributions, plan and review, audited as one view),
//! moving it on, and adding contributions.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::assessment::ContributionInput;
use senplan_core::cycle::Action;
use senplan_core::ids::CycleId;
use senplan_core::record::{ContributionRecord, Cycle, NeedSet, Plan, Pupil, Review};
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::Result;
use crate::guard::{Target, seen, viewed};

/// A cycle with everything its pages show.
#[derive(Debug, Clone)]
pub struct CycleView {
    pub cycle: Cycle,
    pub pupil: Pupil,
    pub needs: NeedSet,
    pub contributions: Vec<ContributionRecord>,
    pub plan: Option<Plan>,
    pub review: Option<Review>,
}

/// Loads a cycle the actor may see (refusal audited), without auditing a view.
pub(crate) async fn load(store: &Store, actor: &Actor, cycle: CycleId, what: &str) -> Result<CycleView> {
    let scope = actor.scope();
    let c = seen(store, actor, Target::Record(Entity::Cycle, cycle.0), what, store.cycle(&scope, cycle).await).await?;
    Ok(CycleView {
        pupil: store.pupil(&scope, c.pupil_id).await?,
        needs: store.needs(&scope, c.pupil_id).await?,
        contributions: store.contributions(&scope, c.id).await?,
        plan: store.cycle_plan(&scope, c.id).await?,
        review: store.cycle_review(&scope, c.id).await?,
        cycle: c,
    })
}

/// A cycle opened to show `what` (the cycle, its assessment, plan or review): audited.
pub async fn open_cycle(store: &Store, actor: &Actor, school: i64, cycle: CycleId, what: &str) -> Result<CycleView> {
    school_for(actor, school, Permission::ViewRecord)?;
    let v = load(store, actor, cycle, what).await?;
    viewed(store, actor, v.cycle.pupil_id, what).await?;
    Ok(v)
}

/// A cycle about to be changed with `permission` (a form shown again), not a view.
pub async fn cycle_to_change(store: &Store, actor: &Actor, school: i64, cycle: CycleId, permission: Permission) -> Result<CycleView> {
    school_for(actor, school, permission)?;
    load(store, actor, cycle, "cycle").await
}

/// Just the cycle (the API's `GET …/cycles/{cycle}`): audited.
pub async fn cycle(store: &Store, actor: &Actor, school: i64, cycle: CycleId) -> Result<Cycle> {
    school_for(actor, school, Permission::ViewRecord)?;
    let c = seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "cycle", store.cycle(&actor.scope(), cycle).await).await?;
    viewed(store, actor, c.pupil_id, "cycle").await?;
    Ok(c)
}

/// Moves a cycle on by an explicit action (start the support, start the review).
pub async fn transition(store: &Store, actor: &Actor, school: i64, cycle: CycleId, version: i64, action: Action) -> Result<Cycle> {
    school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let r = store.transition(&scope, cycle, version, action, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "cycle", r).await
}

/// The cycle's contributions: audited.
pub async fn contributions(store: &Store, actor: &Actor, school: i64, cycle: CycleId) -> Result<Vec<ContributionRecord>> {
    school_for(actor, school, Permission::ViewRecord)?;
    let scope = actor.scope();
    let c = seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "contributions", store.cycle(&scope, cycle).await).await?;
    let all = store.contributions(&scope, cycle).await?;
    viewed(store, actor, c.pupil_id, "contributions").await?;
    Ok(all)
}

/// Adds a contribution to the assessment (R06).
pub async fn contribute(
    store: &Store,
    actor: &Actor,
    school: i64,
    cycle: CycleId,
    input: &ContributionInput,
) -> Result<ContributionRecord> {
    school_for(actor, school, Permission::Contribute)?;
    let r = store.add_contribution(&actor.scope(), cycle, input, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "assessment", r).await
}
