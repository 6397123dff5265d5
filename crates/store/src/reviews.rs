//! Reviews (R12, R13). Recording a review closes its cycle on the day it was held and, unless SEN support
//! ends, opens the next cycle with the unmet outcomes carried forward. Ending SEN
//! support returns the pupil to status N with the review's reason.

use senplan_core::Invalid;
use senplan_core::cycle::Action;
use senplan_core::ids::{CycleId, PupilId, ReviewId, SchoolId};
use senplan_core::record::{Cycle, Review};
use senplan_core::review::ReviewContent;
use senplan_core::status::{self, ChangeSource, SenStatus, StatusChange};

use crate::access::{Scope, check_pupil};
use crate::cycles::{close, ensure_open_cycle, load_cycle};
use crate::history::{Entity, append, stale_or_missing};
use crate::reads::plan_for_cycle;
use crate::rows::{json, to_json, ymd};
use crate::{Ctx, Result, Store, StoreError};

/// A recorded review and the cycle it opened, if any.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewRecorded {
    pub review: Review,
    pub next_cycle: Option<Cycle>,
}

type ReviewRow = (i64, i64, i64, i64, String, String);

fn review(row: ReviewRow, updated_by: String) -> Result<Review> {
    let (id, cycle_id, pupil_id, version, updated_at, body) = row;
    Ok(Review {
        id: ReviewId(id),
        cycle_id: CycleId(cycle_id),
        pupil_id: PupilId(pupil_id),
        version,
        updated_at,
        updated_by,
        content: json("review", &body)?,
    })
}

impl Store {
    pub async fn record_review(&self, scope: &Scope, cycle_id: CycleId, content: ReviewContent, ctx: &Ctx) -> Result<ReviewRecorded> {
        let school = scope.school();
        let (_g, mut tx) = self.write().await?;
        let before = load_cycle(&mut tx, school, cycle_id).await?;
        check_pupil(tx.backend, &mut *tx, scope, before.pupil_id, "cycle").await?;
        before.stage.apply(Action::RecordReview)?;
        let plan = plan_for_cycle(&mut tx, school, cycle_id)
            .await?
            .ok_or_else(|| Invalid::one("cycle", "no_plan", "This cycle has no plan to review"))?;
        let content = content.validate(&plan.content, before.opened_on, ctx.today())?;
        // The cycle ends on the day the review was held, the day the next one opens (R05).
        let closed = close(&mut tx, school, before.clone(), content.held_on, Action::RecordReview, ctx).await?;
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO reviews (school_id, cycle_id, pupil_id, held_on, body, version, updated_at) VALUES ($1, $2, $3, $4::date, $5::jsonb, 1, $6::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(cycle_id.0)
        .bind(before.pupil_id.0)
        .bind(ymd(content.held_on))
        .bind(to_json("review", &content)?)
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
        .await?;
        let r = Review {
            id: ReviewId(id),
            cycle_id,
            pupil_id: closed.pupil_id,
            version: 1,
            updated_at: ctx.stamp(),
            updated_by: ctx.by.clone(),
            content,
        };
        append(&mut tx, school, Entity::Review, id, 1, &r, ctx).await?;
        let next_cycle = if r.content.decision.opens_next_cycle() {
            let carried = r.content.carried_forward(&plan.content, closed.number);
            ensure_open_cycle(&mut tx, school, closed.pupil_id, r.content.held_on, carried, ctx).await?;
            let (next_id,): (i64,) = sqlx::query_as("SELECT id FROM cycles WHERE school_id = $1 AND pupil_id = $2 AND stage <> 'closed'")
                .bind(school.0)
                .bind(closed.pupil_id.0)
                .fetch_one(&mut *tx)
                .await?;
            Some(load_cycle(&mut tx, school, CycleId(next_id)).await?)
        } else {
            end_sen_support(&mut tx, school, closed.pupil_id, &r, ctx).await?;
            None
        };
        tx.commit().await?;
        Ok(ReviewRecorded { review: r, next_cycle })
    }

    pub async fn review(&self, scope: &Scope, id: ReviewId) -> Result<Review> {
        let school = scope.school();
        let row: Option<ReviewRow> = sqlx::query_as(
            self.backend
                .sql("SELECT id, cycle_id, pupil_id, version, iso(updated_at), body::text FROM reviews WHERE school_id = $1 AND id = $2"),
        )
        .bind(school.0)
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        let row = row.ok_or(StoreError::NotFound { what: "review" })?;
        check_pupil(self.backend, self.pool(), scope, PupilId(row.2), "review").await?;
        let by = self.history(scope, Entity::Review, row.0).await?.pop().map(|h| h.changed_by).unwrap_or_default();
        review(row, by)
    }

    /// The review of a cycle, if recorded.
    pub async fn cycle_review(&self, scope: &Scope, cycle: CycleId) -> Result<Option<Review>> {
        let school = scope.school();
        self.cycle(scope, cycle).await?;
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM reviews WHERE school_id = $1 AND cycle_id = $2")
            .bind(school.0)
            .bind(cycle.0)
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some((id,)) => Ok(Some(self.review(scope, ReviewId(id)).await?)),
            None => Ok(None),
        }
    }

    /// Corrects a recorded review as a new version. The decision cannot change,
    /// because it has already opened the next cycle or ended SEN support.
    pub async fn correct_review(&self, scope: &Scope, id: ReviewId, expected: i64, content: ReviewContent, ctx: &Ctx) -> Result<Review> {
        let school = scope.school();
        let current = self.review(scope, id).await?;
        if content.decision != current.content.decision {
            return Err(Invalid::one(
                "decision",
                "decision_final",
                "The decision of a recorded review cannot be changed: it has already taken effect",
            )
            .into());
        }
        if content.held_on != current.content.held_on {
            return Err(Invalid::one(
                "held_on",
                "held_on_final",
                format!(
                    "The date of a recorded review cannot be changed: its cycle closed and the next began on {}",
                    current.content.held_on.format("%-d %B %Y")
                ),
            )
            .into());
        }
        let (_g, mut tx) = self.write().await?;
        let plan = plan_for_cycle(&mut tx, school, current.cycle_id).await?.ok_or(StoreError::NotFound { what: "plan" })?;
        let opened_on = load_cycle(&mut tx, school, current.cycle_id).await?.opened_on;
        let content = content.validate(&plan.content, opened_on, ctx.today())?;
        let done = sqlx::query(tx.backend.sql("UPDATE reviews SET held_on = $1::date, body = $2::jsonb, version = version + 1, updated_at = $3::timestamptz WHERE school_id = $4 AND id = $5 AND version = $6"))
            .bind(ymd(content.held_on))
            .bind(to_json("review", &content)?)
            .bind(ctx.stamp())
            .bind(school.0)
            .bind(id.0)
            .bind(expected)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(stale_or_missing("review", expected, Some(current.version)));
        }
        let r = Review { version: expected + 1, updated_at: ctx.stamp(), updated_by: ctx.by.clone(), content, ..current };
        append(&mut tx, school, Entity::Review, id.0, r.version, &r, ctx).await?;
        tx.commit().await?;
        Ok(r)
    }
}

async fn end_sen_support(tx: &mut crate::Tx<'_>, school: SchoolId, pupil: PupilId, r: &Review, ctx: &Ctx) -> Result<()> {
    let history = crate::pupils::status_periods(tx, school, pupil).await?;
    if status::current(&history) != SenStatus::K {
        return Ok(());
    }
    let reason =
        if r.content.decision_reason.is_empty() { "All outcomes met at review".to_owned() } else { r.content.decision_reason.clone() };
    let change = StatusChange { status: SenStatus::N, start: r.content.held_on, reason };
    crate::pupils::apply_status_change(tx, school, pupil, &change, ChangeSource::Entered, ctx).await
}
