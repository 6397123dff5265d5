//! Relationships between people and pupils, which decide what each person sees
//! (R10): a teacher teaches a pupil, a TA delivers their provision, a parent is
//! their parent, a young person is the pupil, an outside professional holds a
//! time-limited grant (R31). Relationships are withdrawn, never deleted.

use chrono::NaiveDate;
use senplan_core::access::{Proposed, Relationship, Role, check_relationship};
use senplan_core::ids::{PupilId, UserId};
use senplan_core::record::RelationshipRecord;

use crate::access::{Scope, check_pupil};
use crate::audit::{Event, append};
use crate::rows::{date, opt_date, ymd};
use crate::{Ctx, Result, Store, StoreError};

/// A connection to make between a person and a pupil.
#[derive(Debug, Clone)]
pub struct NewRelationship {
    pub user: UserId,
    pub pupil: PupilId,
    pub kind: Relationship,
    pub starts_on: NaiveDate,
    /// Required for a grant to an outside professional.
    pub expires_on: Option<NaiveDate>,
}

type RelationshipRow = (i64, i64, String, String, String, Option<String>, String, Option<String>);

impl Store {
    /// Connects a person to a pupil. The kind must fit the person's role, and a
    /// grant to an outside professional must have an expiry date.
    pub async fn relate(&self, scope: &Scope, new: &NewRelationship, ctx: &Ctx) -> Result<i64> {
        let school = scope.school();
        let NewRelationship { user, pupil, kind, starts_on, expires_on } = new.clone();
        let u = self.user(user).await?;
        if u.school_id != school {
            return Err(StoreError::NotFound { what: "user" });
        }
        let p = self.pupil(scope, pupil).await?;
        check_relationship(u.role, &Proposed { kind, date_of_birth: p.details.date_of_birth, starts_on, expires_on })?;
        let (_g, mut tx) = self.write().await?;
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO relationships (school_id, user_id, pupil_id, kind, starts_on, expires_on, granted_by, granted_at, withdrawn_at, withdrawn_by) \
             VALUES ($1, $2, $3, $4, $5::date, $6::date, $7, $8::timestamptz, NULL, NULL) RETURNING id",
        ))
        .bind(school.0)
        .bind(user.0)
        .bind(pupil.0)
        .bind(kind.as_str())
        .bind(ymd(starts_on))
        .bind(expires_on.map(ymd))
        .bind(&ctx.by)
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            &Event { school: Some(school), action: "grant_access", entity: "relationship", entity_id: Some(id), pupil: Some(pupil) },
            ctx,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends a relationship now.
    pub async fn withdraw_relationship(&self, scope: &Scope, id: i64, ctx: &Ctx) -> Result<()> {
        let school = scope.school();
        let (_g, mut tx) = self.write().await?;
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT pupil_id FROM relationships WHERE school_id = $1 AND id = $2 AND withdrawn_at IS NULL")
                .bind(school.0)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let (pupil,) = row.ok_or(StoreError::NotFound { what: "relationship" })?;
        check_pupil(tx.backend, &mut *tx, scope, PupilId(pupil), "relationship").await?;
        sqlx::query(tx.backend.sql("UPDATE relationships SET withdrawn_at = $1::timestamptz, withdrawn_by = $2 WHERE id = $3"))
            .bind(ctx.stamp())
            .bind(&ctx.by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &Event {
                school: Some(school),
                action: "withdraw_access",
                entity: "relationship",
                entity_id: Some(id),
                pupil: Some(PupilId(pupil)),
            },
            ctx,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everyone connected to a pupil, current and past.
    pub async fn pupil_relationships(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<RelationshipRecord>> {
        let school = scope.school();
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let rows: Vec<RelationshipRow> = sqlx::query_as(self.backend.sql(
            "SELECT r.id, r.user_id, u.name, r.kind, r.starts_on::text, r.expires_on::text, r.granted_by, iso(r.withdrawn_at) \
             FROM relationships r JOIN users u ON u.id = r.user_id WHERE r.school_id = $1 AND r.pupil_id = $2 ORDER BY r.id",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, user_id, user_name, kind, starts_on, expires_on, granted_by, withdrawn_at)| {
                Ok(RelationshipRecord {
                    id,
                    user_id: UserId(user_id),
                    user_name,
                    pupil_id: pupil,
                    kind: Relationship::parse(&kind).ok_or_else(|| StoreError::corrupt("relationship", &kind))?,
                    starts_on: date("relationship", &starts_on)?,
                    expires_on: opt_date("relationship", expires_on.as_deref())?,
                    granted_by,
                    withdrawn_at,
                })
            })
            .collect()
    }

    /// The pupils a family member may see in the portal today (their children, or themselves).
    pub async fn family_pupils(&self, user: UserId, role: Role, today: NaiveDate) -> Result<Vec<PupilId>> {
        if !role.is_family() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64,)> = sqlx::query_as(self.backend.sql(
            "SELECT pupil_id FROM relationships WHERE user_id = $1 AND withdrawn_at IS NULL AND starts_on <= $2::date AND (expires_on IS NULL OR expires_on >= $2::date) ORDER BY pupil_id",
        ))
        .bind(user.0)
        .bind(ymd(today))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|r| PupilId(r.0)).collect())
    }
}
