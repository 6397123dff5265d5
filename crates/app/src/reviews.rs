//! Reviews (R12, R13): recording one closes the cycle on the day it was held and,
//! unless support ends, opens the next; correcting one keeps its decision and date.

use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::cycle::Action;
use senplan_core::ids::{CycleId, ReviewId};
use senplan_core::record::{Cycle, Review};
use senplan_core::review::ReviewContent;
use senplan_core::status::{SenStatus, StatusChange};
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};

/// A recorded review and the cycle it opened, if any.
#[derive(Debug, Clone)]
pub struct ReviewRecorded {
    pub review: Review,
    pub next_cycle: Option<Cycle>,
}

/// Records the review of a cycle (R12, R13), all in one unit of work:
/// 1. the cycle must be at its review stage and have a plan;
/// 2. the review is checked against the plan (every outcome rated, the date within
///    the cycle and not in the future);
/// 3. the cycle closes on the day the review was held (R05);
/// 4. the review is stored, as version 1;
/// 5. continue or adjust: the next cycle opens that same day, its plan to start from
///    the unmet outcomes, the provision still running, the strategies and the person
///    responsible; end SEN support: the pupil returns to status N, with the
///    review's reason.
pub async fn record_review(store: &Store, actor: &Actor, school: i64, cycle: CycleId, content: ReviewContent) -> Result<ReviewRecorded> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        let before = work.cycle(&scope, cycle).await?;
        before.stage.apply(Action::RecordReview)?;
        let plan =
            work.cycle_plan(&scope, cycle).await?.ok_or_else(|| Invalid::one("cycle", "no_plan", "This cycle has no plan to review"))?;
        let content = content.validate(&plan.content, before.opened_on, actor.today())?;
        let held_on = content.held_on;
        let closed = work.close_cycle(&scope, before, held_on, Action::RecordReview).await?;
        let review = work.add_review(&scope, &closed, content).await?;
        let next_cycle = if review.content.decision.opens_next_cycle() {
            let carried = review.content.carried_into_next(&plan.content, closed.number, held_on);
            Some(work.open_next_cycle(&scope, closed.pupil_id, held_on, carried).await?)
        } else {
            let reason = if review.content.decision_reason.is_empty() {
                "All outcomes met at review".to_owned()
            } else {
                review.content.decision_reason.clone()
            };
            let end = StatusChange { status: SenStatus::N, start: held_on, reason };
            crate::pupils::end_support_if_on_it(&mut work, &scope, closed.pupil_id, &end).await?;
            None
        };
        work.commit().await?;
        Ok::<_, AppError>(ReviewRecorded { review, next_cycle })
    }
    .await;
    seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "review", r).await
}

/// Corrects a recorded review as a new version (decision and date are final).
pub async fn correct_review(
    store: &Store,
    actor: &Actor,
    school: i64,
    review: ReviewId,
    version: i64,
    content: ReviewContent,
) -> Result<Review> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = store.correct_review(&actor.scope(), review, version, content, &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(Entity::Review, review.0), "review", r).await
}

/// A cycle's review: audited.
pub async fn cycle_review(store: &Store, actor: &Actor, school: i64, cycle: CycleId) -> Result<Review> {
    school_for(actor, school, Permission::ViewRecord)?;
    let r = store.cycle_review(&actor.scope(), cycle).await;
    let r = seen(store, actor, Target::Record(Entity::Cycle, cycle.0), "review", r).await?.ok_or(AppError::NotFound("review"))?;
    viewed(store, actor, r.pupil_id, "review").await?;
    Ok(r)
}

/// A review by id: audited.
pub async fn review(store: &Store, actor: &Actor, school: i64, review: ReviewId) -> Result<Review> {
    school_for(actor, school, Permission::ViewRecord)?;
    let r = seen(store, actor, Target::Record(Entity::Review, review.0), "review", store.review(&actor.scope(), review).await).await?;
    viewed(store, actor, r.pupil_id, "review").await?;
    Ok(r)
}
