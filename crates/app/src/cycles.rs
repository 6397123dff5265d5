//! A cycle of the graduated approach (R05, R06): what its pages and the API show
//! (the cycle, its pupil, contributions, plan and review, audited as one view),
//! moving it on, and adding contributions.

use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::assessment::{ContributionInput, validate_contribution};
use senplan_core::cycle::Action;
use senplan_core::ids::CycleId;
use senplan_core::pupil::consent_giver;
use senplan_core::record::{ContributionRecord, Cycle, NeedSet, Plan, Pupil, Review};
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};
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
    /// The pupil's referrals the actor may see, newest first (the assess stage's
    /// specialist advice, and where parts of the plan came from).
    pub referrals: Vec<senplan_store::referrals::ReferralRecord>,
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
        referrals: crate::referrals::visible_referrals(store, actor, c.pupil_id).await?,
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

/// Moves a cycle on by an explicit action (start the support, start the review),
/// based on the version the actor saw. The support starts only once the plan is ready
/// to deliver (R07); the other actions happen by writing their content.
pub async fn transition(store: &Store, actor: &Actor, school: i64, cycle: CycleId, version: i64, action: Action) -> Result<Cycle> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        let c = work.cycle(&scope, cycle).await?;
        if !action.is_explicit() {
            c.stage.apply(action)?;
            return Err(Invalid::one(
                "action",
                "not_a_transition",
                format!("To {}, send the content itself, not a transition", action.describe()),
            )
            .into());
        }
        if action == Action::StartDelivery
            && let Some(plan) = work.cycle_plan(&scope, cycle).await?
        {
            plan.content.check_ready_for_delivery()?;
        }
        let c = work.advance_cycle(&scope, cycle, Some(version), action).await?;
        work.commit().await?;
        Ok::<_, AppError>(c)
    }
    .await;
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

/// Adds a contribution to the assessment (R06), in one unit of work: the cycle's stage
/// must allow it; a specialist's needs the agreement, recorded earlier in the cycle, of
/// the parent or of a young person aged 16 or over on its date (R21).
pub async fn contribute(
    store: &Store,
    actor: &Actor,
    school: i64,
    cycle: CycleId,
    input: &ContributionInput,
) -> Result<ContributionRecord> {
    school_for(actor, school, Permission::Contribute)?;
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        let c = work.advance_cycle(&scope, cycle, None, Action::AddContribution).await?;
        let dob = work.date_of_birth(&scope, c.pupil_id).await?;
        let existing: Vec<_> = work.contributions(&scope, &c).await?.into_iter().map(|r| r.contribution).collect();
        let contribution = validate_contribution(input, &existing, consent_giver(dob, input.date), actor.today())?;
        let record = work.add_contribution(&scope, &c, contribution).await?;
        work.commit().await?;
        Ok::<_, AppError>(record)
    }
    .await;
    seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "assessment", r).await
}
