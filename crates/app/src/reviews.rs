//! Reviews (R12, R13): recording one closes the cycle on the day it was held and,
//! unless support ends, opens the next; correcting one keeps its decision and date.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::{CycleId, ReviewId};
use senplan_core::record::Review;
use senplan_core::review::ReviewContent;
use senplan_store::history::Entity;
use senplan_store::reviews::ReviewRecorded;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};

/// Records the review of a cycle.
pub async fn record_review(store: &Store, actor: &Actor, school: i64, cycle: CycleId, content: ReviewContent) -> Result<ReviewRecorded> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = store.record_review(&actor.scope(), cycle, content, &Ctx::of(actor)).await;
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
