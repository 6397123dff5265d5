//! Spotting need early (R03): progress assessments of every pupil (append-only), the
//! SENCO's decisions on the flags (append-only), the checks at age two (R26,
//! append-only), and the school's scale and rules
//! (versioned with the school). The rules are `senplan_core::progress`.

use std::collections::HashMap;

use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::progress::decide::{Decided, ProgressSettings};
use senplan_core::progress::two_year::TwoYearCheck;
use senplan_core::progress::{Assessment, Value};
use senplan_core::record::School;

use crate::access::{Scope, bind_scope, check_pupil};
use crate::rows::{date, json, to_json, ymd};
use crate::work::Work;
use crate::{Ctx, Result, Store, StoreError};

/// (pupil, subject, day, level, score).
type AssessmentRow = (i64, String, String, Option<i64>, Option<i64>);

const ASSESSMENTS: &str = concat!(
    "SELECT a.pupil_id, a.subject, a.assessed_on::text, a.level, a.score FROM assessments a WHERE a.school_id = $1 \
     AND a.pupil_id IN (SELECT p.id FROM pupils p WHERE ",
    crate::visible_pupil_sql!(),
    ") ORDER BY a.pupil_id, a.assessed_on, a.id"
);

const DECISIONS: &str = concat!(
    "SELECT d.pupil_id, d.body::text FROM progress_decisions d WHERE d.school_id = $1 \
     AND d.pupil_id IN (SELECT p.id FROM pupils p WHERE ",
    crate::visible_pupil_sql!(),
    ") ORDER BY d.id"
);

const TWO_YEAR: &str = concat!(
    "SELECT c.pupil_id, c.body::text FROM two_year_checks c WHERE c.school_id = $1 \
     AND c.pupil_id IN (SELECT p.id FROM pupils p WHERE ",
    crate::visible_pupil_sql!(),
    ") ORDER BY c.id"
);

const UPNS: &str = concat!("SELECT p.upn, p.id FROM pupils p WHERE ", crate::visible_pupil_sql!());

impl Store {
    /// Every assessment of the pupils within the scope, by pupil then date.
    pub async fn assessments(&self, scope: &Scope) -> Result<Vec<(PupilId, Assessment)>> {
        let rows: Vec<AssessmentRow> =
            bind_scope(sqlx::query_as(self.backend.sql(ASSESSMENTS)), scope).fetch_all(self.pool()).await?;
        rows.into_iter()
            .map(|(pupil, subject, on, level, score)| {
                let value = match (level, score) {
                    (Some(l), None) => Value::Level(usize::try_from(l).map_err(|e| StoreError::corrupt("assessment", e))?),
                    (None, Some(s)) => Value::Score(u16::try_from(s).map_err(|e| StoreError::corrupt("assessment", e))?),
                    _ => return Err(StoreError::corrupt("assessment", "a level or a score")),
                };
                Ok((PupilId(pupil), Assessment { subject, on: date("assessment", &on)?, value }))
            })
            .collect()
    }

    /// The decisions on progress flags about the pupils within the scope, oldest first.
    pub async fn progress_decisions(&self, scope: &Scope) -> Result<Vec<(PupilId, Decided)>> {
        let rows: Vec<(i64, String)> = bind_scope(sqlx::query_as(self.backend.sql(DECISIONS)), scope).fetch_all(self.pool()).await?;
        rows.into_iter().map(|(p, body)| Ok((PupilId(p), json("progress decision", &body)?))).collect()
    }

    /// The checks at age two of the pupils within the scope (R26), oldest first.
    pub async fn two_year_checks(&self, scope: &Scope) -> Result<Vec<(PupilId, TwoYearCheck)>> {
        let rows: Vec<(i64, String)> = bind_scope(sqlx::query_as(self.backend.sql(TWO_YEAR)), scope).fetch_all(self.pool()).await?;
        rows.into_iter().map(|(p, body)| Ok((PupilId(p), json("check at age two", &body)?))).collect()
    }

    /// The pupils within the scope by UPN, for an import.
    pub async fn pupils_by_upn(&self, scope: &Scope) -> Result<HashMap<String, PupilId>> {
        let rows: Vec<(String, i64)> = bind_scope(sqlx::query_as(self.backend.sql(UPNS)), scope).fetch_all(self.pool()).await?;
        Ok(rows.into_iter().map(|(u, id)| (u, PupilId(id))).collect())
    }

    /// Saves the school's progress settings (already checked) as a new version of the
    /// school, based on `expected`.
    pub async fn save_progress_settings(&self, id: SchoolId, expected: i64, settings: ProgressSettings, ctx: &Ctx) -> Result<School> {
        let json = to_json("school", &Some(&settings))?;
        self.save_school_part(id, expected, "progress", json, |s| School { progress: Some(settings), ..s }, ctx).await
    }
}

impl Work<'_> {
    /// Stores assessments (already checked against the scale), each pupil within the
    /// scope, with one audit entry per pupil.
    pub async fn add_assessments(&mut self, scope: &Scope, rows: &[(PupilId, Assessment)]) -> Result<usize> {
        let school = scope.school();
        let mut audited: Vec<PupilId> = Vec::new();
        for (pupil, a) in rows {
            if !audited.contains(pupil) {
                check_pupil(self.tx.backend, &mut *self.tx, scope, *pupil, "pupil").await?;
            }
            let (level, score) = match a.value {
                Value::Level(l) => (Some(i64::try_from(l).unwrap_or(i64::MAX)), None),
                Value::Score(s) => (None, Some(i64::from(s))),
            };
            sqlx::query(self.tx.backend.sql(
                "INSERT INTO assessments (school_id, pupil_id, subject, assessed_on, level, score, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8::timestamptz)",
            ))
            .bind(school.0)
            .bind(pupil.0)
            .bind(&a.subject)
            .bind(ymd(a.on))
            .bind(level)
            .bind(score)
            .bind(&self.ctx.by)
            .bind(self.ctx.stamp())
            .execute(&mut *self.tx)
            .await?;
            if !audited.contains(pupil) {
                let ev = crate::audit::Event { school: Some(school), action: "create", entity: "assessment", entity_id: None, pupil: Some(*pupil) };
                crate::audit::append(&mut self.tx, &ev, &self.ctx).await?;
                audited.push(*pupil);
            }
        }
        Ok(rows.len())
    }

    /// Records a check at age two (already checked against the child's age).
    pub async fn add_two_year_check(&mut self, scope: &Scope, pupil: PupilId, check: &TwoYearCheck) -> Result<()> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO two_year_checks (school_id, pupil_id, body, recorded_by, recorded_at) VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .bind(to_json("check at age two", check)?)
        .bind(&self.ctx.by)
        .bind(self.ctx.stamp())
        .fetch_one(&mut *self.tx)
        .await?;
        let ev = crate::audit::Event { school: Some(school), action: "create", entity: "two_year_check", entity_id: Some(id), pupil: Some(pupil) };
        crate::audit::append(&mut self.tx, &ev, &self.ctx).await?;
        Ok(())
    }

    /// Records the SENCO's decision on a pupil's progress flag (already checked).
    pub async fn decide_flag(&mut self, scope: &Scope, pupil: PupilId, decided: &Decided) -> Result<()> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO progress_decisions (school_id, pupil_id, body, decided_at) VALUES ($1, $2, $3::jsonb, $4::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .bind(to_json("progress decision", decided)?)
        .bind(self.ctx.stamp())
        .fetch_one(&mut *self.tx)
        .await?;
        let ev = crate::audit::Event { school: Some(school), action: "create", entity: "progress_decision", entity_id: Some(id), pupil: Some(pupil) };
        crate::audit::append(&mut self.tx, &ev, &self.ctx).await?;
        Ok(())
    }
}
