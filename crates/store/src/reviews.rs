//! Reviews (R12, R13): adding one inside a use case's [`Work`], reading, and
//! correcting one as a new version. What recording a review does to the cycle and the
//! pupil's status is decided by the use case, `senplan_app::reviews::record_review`.

use senplan_core::Invalid;
use senplan_core::ids::{CycleId, PupilId, ReviewId};
use senplan_core::record::{Cycle, Review};
use senplan_core::review::ReviewContent;

use crate::access::{Scope, check_pupil};
use crate::cycles::load_cycle;
use crate::history::{Entity, append};
use crate::reads::plan_for_cycle;
use crate::rows::{json, to_json, ymd};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Ctx, Result, Store, StoreError, Work};

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
        let change = Versioned {
            table: "reviews",
            entity: Entity::Review,
            what: "review",
            school,
            key: Key::Row(id.0),
            expected,
            set: vec![("held_on", Value::Date(content.held_on)), ("body", Value::Json(to_json("review", &content)?))],
        };
        let by = ctx.by.clone();
        let r = versioned_update(&mut tx, change, ctx, |version, updated_at| Review {
            version,
            updated_at,
            updated_by: by,
            content,
            ..current
        })
        .await?;
        tx.commit().await?;
        Ok(r)
    }
}

impl Work<'_> {
    /// Records the review of a cycle the use case has just closed, with content
    /// already checked against its plan (`ReviewContent::validate`).
    pub async fn add_review(&mut self, scope: &Scope, cycle: &Cycle, content: ReviewContent) -> Result<Review> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, cycle.pupil_id, "cycle").await?;
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO reviews (school_id, cycle_id, pupil_id, held_on, body, version, updated_at) VALUES ($1, $2, $3, $4::date, $5::jsonb, 1, $6::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(cycle.id.0)
        .bind(cycle.pupil_id.0)
        .bind(ymd(content.held_on))
        .bind(to_json("review", &content)?)
        .bind(self.ctx.stamp())
        .fetch_one(&mut *self.tx)
        .await?;
        let r = Review {
            id: ReviewId(id),
            cycle_id: cycle.id,
            pupil_id: cycle.pupil_id,
            version: 1,
            updated_at: self.ctx.stamp(),
            updated_by: self.ctx.by.clone(),
            content,
        };
        append(&mut self.tx, school, Entity::Review, id, 1, &r, &self.ctx).await?;
        Ok(r)
    }
}
