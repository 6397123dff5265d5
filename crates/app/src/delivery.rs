//! Sessions of provision delivered (R11) and entry and exit measures (R29): logging
//! and recording them (the SENCO, or a pupil's own teacher or teaching assistant),
//! and reading them, every read audited in the pupil's trail.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::{ImpactInput, ImpactMeasure, SessionLog, SessionRecord};
use senplan_core::ids::{PlanId, PupilId};
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

use crate::access::{pupil_costs, require, school_for};
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};

/// The sessions logged for provision `number` of a plan: audited as a read of the pupil's sessions.
pub async fn provision_sessions(store: &Store, actor: &Actor, school: i64, plan: PlanId, number: u32) -> Result<Vec<SessionRecord>> {
    school_for(actor, school, Permission::LogDelivery)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Record(Entity::Plan, plan.0), "session logs", store.plan(&scope, plan).await).await?;
    let sessions = store.provision_sessions(&scope, plan, number).await?;
    viewed(store, actor, p.pupil_id, "session logs").await?;
    Ok(sessions)
}

/// Logs one session; the store audits it in every attendee's trail.
pub async fn log_session(store: &Store, actor: &Actor, school: i64, plan: PlanId, number: u32, log: SessionLog) -> Result<SessionRecord> {
    school_for(actor, school, Permission::LogDelivery)?;
    let r = async {
        let mut work = store.work(Ctx::of(actor)).await?;
        let record = work.log_session(&actor.scope(), plan, number, log).await?;
        work.commit().await?;
        Ok::<_, AppError>(record)
    }
    .await;
    seen(store, actor, Target::Record(Entity::Plan, plan.0), "session log", r).await
}

/// Logs a session from the delivery page, which also shows costs.
pub async fn log_session_with_costs(
    store: &Store,
    actor: &Actor,
    school: i64,
    plan: PlanId,
    number: u32,
    log: SessionLog,
) -> Result<SessionRecord> {
    may_log_with_costs(actor, school)?;
    log_session(store, actor, school, plan, number, log).await
}

/// The pupil a plan belongs to, for someone logging its sessions.
pub async fn plan_pupil(store: &Store, actor: &Actor, school: i64, plan: PlanId) -> Result<PupilId> {
    school_for(actor, school, Permission::LogDelivery)?;
    let p = seen(store, actor, Target::Record(Entity::Plan, plan.0), "plan", store.plan(&actor.scope(), plan).await).await?;
    Ok(p.pupil_id)
}

/// Records the entry (and perhaps exit) measure of a plan provision's pupil.
pub async fn record_impact(
    store: &Store,
    actor: &Actor,
    school: i64,
    plan: PlanId,
    number: u32,
    input: ImpactInput,
) -> Result<ImpactMeasure> {
    school_for(actor, school, Permission::LogDelivery)?;
    let r = store.record_impact(&actor.scope(), plan, number, input, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Plan, plan.0), "impact measure", r).await
}

/// Changes a measure (adds the exit measure) as a new version, based on `version`.
pub async fn update_impact(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, input: ImpactInput) -> Result<ImpactMeasure> {
    school_for(actor, school, Permission::LogDelivery)?;
    let r = store.update_impact(&actor.scope(), id, version, input, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Impact, id), "impact measure", r).await.map_err(impact_not_found)
}

/// Records a measure, or changes the one already recorded for that provision (the
/// costing pages' form, which does not know which, for those who see costs and every
/// pupil): a change keeps the kind of provision and progress rating.
pub async fn save_impact(
    store: &Store,
    actor: &Actor,
    school: i64,
    plan: PlanId,
    number: u32,
    mut input: ImpactInput,
) -> Result<ImpactMeasure> {
    pupil_costs(actor, school)?;
    school_for(actor, school, Permission::LogDelivery)?;
    let existing = store.impact_measures(&actor.scope()).await?.into_iter().find(|m| m.plan_id == plan.0 && m.provision_number == number);
    match existing {
        Some(m) => {
            input.provision_type = Some(m.record.provision_type.clone());
            input.progress = m.record.progress;
            update_impact(store, actor, school, m.id, m.version, input).await
        }
        None => record_impact(store, actor, school, plan, number, input).await,
    }
}

/// One measure, part of the pupil's record: audited.
pub async fn impact_measure(store: &Store, actor: &Actor, school: i64, id: i64) -> Result<ImpactMeasure> {
    school_for(actor, school, Permission::ViewRecord)?;
    let r = store.impact_measure(&actor.scope(), id).await;
    let m = seen(store, actor, Target::Record(Entity::Impact, id), "impact measure", r).await.map_err(impact_not_found)?;
    viewed(store, actor, PupilId(m.record.pupil), "impact measure").await?;
    Ok(m)
}

/// Every measure of the pupils the actor sees (the SENCO and the headteacher see all):
/// audited as one read across the school.
pub async fn impact_measures(store: &Store, actor: &Actor, school: i64) -> Result<Vec<ImpactMeasure>> {
    let school = pupil_costs(actor, school)?;
    let all = store.impact_measures(&actor.scope()).await?;
    let what = format!("impact measures, {} records", all.len());
    let ev = senplan_store::audit::Event { school: Some(school), action: "view", entity: &what, entity_id: None, pupil: None };
    store.audit_event(&ev, &Ctx::of(actor)).await?;
    Ok(all)
}

fn impact_not_found(e: AppError) -> AppError {
    match e {
        AppError::NotFound(_) => AppError::NotFound("impact measure"),
        other => other,
    }
}

/// The provision of the school's current plans, for the form recording measures: the
/// SENCO (who sees costs and every pupil) or the headteacher.
pub async fn provision_for_measures(store: &Store, actor: &Actor, school: i64) -> Result<Vec<senplan_core::costing::RecapRow>> {
    pupil_costs(actor, school)?;
    require(actor, Permission::LogDelivery)?;
    crate::costing::current_provision(store, actor, school).await
}

/// Whether the actor may log sessions from the delivery page (which shows costs):
/// asked before the form is read, so someone who may not gets the same answer
/// whatever they sent.
pub fn may_log_with_costs(actor: &Actor, school: i64) -> Result<()> {
    school_for(actor, school, Permission::LogDelivery)?;
    require(actor, Permission::ViewCosts)
}
