//! Pupils: their details, their SEN status history (R01) and their needs (R02).
//! Putting a pupil on SEN support opens their first cycle; returning them to N
//! closes the open cycle, because "a pupil on SEN support always has a current cycle".

use senplan_core::Invalid;
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::need::{Need, NeedInput, validate_needs};
use senplan_core::pupil::PupilDetails;
use senplan_core::record::{NeedSet, Pupil, StatusEntry};
use senplan_core::status::{self, ChangeSource, SenStatus, StatusChange, StatusPeriod};

use crate::access::{Scope, check_pupil};
use crate::history::{Entity, append};
use crate::rows::{date, json, opt_date, to_json, ymd};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Backend, Ctx, Result, Store, StoreError, Work};

type PupilRow = (i64, i64, String, i64, String, Option<String>);

const SELECT_PUPIL: &str = "SELECT p.id, p.school_id, p.body::text, p.version, iso(p.updated_at), \
    (SELECT s.status FROM status_periods s WHERE s.pupil_id = p.id AND s.end_date IS NULL) \
    FROM pupils p WHERE p.school_id = $1 AND p.id = $2";

fn pupil(row: PupilRow) -> Result<Pupil> {
    let (id, school_id, body, version, updated_at, status) = row;
    Ok(Pupil {
        id: PupilId(id),
        school_id: SchoolId(school_id),
        version,
        updated_at,
        status: status.as_deref().and_then(SenStatus::parse).unwrap_or(SenStatus::N),
        details: json("pupil", &body)?,
    })
}

fn duplicate_upn(upn: &str) -> StoreError {
    Invalid::one("upn", "upn_duplicate", format!("Census error 1520: UPN {upn} already belongs to another pupil in this school")).into()
}

impl Store {
    pub async fn create_pupil(&self, scope: &Scope, details: &PupilDetails, ctx: &Ctx) -> Result<Pupil> {
        self.school(scope.school()).await?;
        let mut work = self.work(ctx.clone()).await?;
        let p = work.add_pupil(scope, details).await?;
        work.commit().await?;
        Ok(p)
    }

    pub async fn pupil(&self, scope: &Scope, id: PupilId) -> Result<Pupil> {
        let school = scope.school();
        check_pupil(self.backend, self.pool(), scope, id, "pupil").await?;
        let row: Option<PupilRow> =
            sqlx::query_as(self.backend.sql(SELECT_PUPIL)).bind(school.0).bind(id.0).fetch_optional(self.pool()).await?;
        pupil(row.ok_or(StoreError::NotFound { what: "pupil" })?)
    }

    pub async fn update_pupil(&self, scope: &Scope, id: PupilId, expected: i64, details: &PupilDetails, ctx: &Ctx) -> Result<Pupil> {
        let mut work = self.work(ctx.clone()).await?;
        let p = work.update_pupil(scope, id, expected, details).await?;
        work.commit().await?;
        Ok(p)
    }

    /// The pupil's status history, newest first.
    pub async fn status_history(&self, scope: &Scope, id: PupilId) -> Result<Vec<StatusEntry>> {
        let school = scope.school();
        self.pupil(scope, id).await?;
        status_rows(self.backend, self.pool(), school, id).await
    }

    /// The pupil's needs, primary first; version 0 if none were ever recorded.
    pub async fn needs(&self, scope: &Scope, id: PupilId) -> Result<NeedSet> {
        self.pupil(scope, id).await?;
        load_needs(self.backend, self.pool(), scope.school(), id).await
    }

    /// Replaces the pupil's list of needs (the old list stays in history).
    /// `expected` is the version read, 0 when none were recorded.
    pub async fn set_needs(&self, scope: &Scope, id: PupilId, expected: i64, inputs: &[NeedInput], ctx: &Ctx) -> Result<NeedSet> {
        let p = self.pupil(scope, id).await?;
        let needs: Vec<Need> = validate_needs(inputs, p.status)?;
        let mut work = self.work(ctx.clone()).await?;
        let set = work.set_needs(scope, id, expected, needs).await?;
        work.commit().await?;
        Ok(set)
    }
}

async fn load_needs<'e>(
    backend: Backend,
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    school: SchoolId,
    id: PupilId,
) -> Result<NeedSet> {
    let row: Option<(String, i64)> =
        sqlx::query_as(backend.sql("SELECT body::text, version FROM needs WHERE school_id = $1 AND pupil_id = $2"))
            .bind(school.0)
            .bind(id.0)
            .fetch_optional(exec)
            .await?;
    Ok(match row {
        Some((body, version)) => NeedSet { pupil_id: id, version, needs: json("needs", &body)? },
        None => NeedSet { pupil_id: id, version: 0, needs: Vec::new() },
    })
}

impl Work<'_> {
    /// Adds a pupil (status N until a status is recorded); a UPN already in the school
    /// is refused (census error 1520).
    pub async fn add_pupil(&mut self, scope: &Scope, details: &PupilDetails) -> Result<Pupil> {
        let school = scope.school();
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM pupils WHERE school_id = $1 AND upn = $2")
            .bind(school.0)
            .bind(details.upn.as_str())
            .fetch_optional(&mut *self.tx)
            .await?;
        if taken.is_some() {
            return Err(duplicate_upn(details.upn.as_str()));
        }
        let stamp = self.ctx.stamp();
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO pupils (school_id, upn, family_name, given_name, year_group, body, version, updated_at, left_on) \
             VALUES ($1, $2, $3, $4, $5, $6::jsonb, 1, $7::timestamptz, $8::date) RETURNING id",
        ))
        .bind(school.0)
        .bind(details.upn.as_str())
        .bind(&details.family_name)
        .bind(&details.given_name)
        .bind(details.year_group.code())
        .bind(to_json("pupil", details)?)
        .bind(&stamp)
        .bind(details.roll.left_on.map(ymd))
        .fetch_one(&mut *self.tx)
        .await?;
        let p = Pupil { id: PupilId(id), school_id: school, version: 1, updated_at: stamp, status: SenStatus::N, details: details.clone() };
        append(&mut self.tx, school, Entity::Pupil, id, 1, &p, &self.ctx).await?;
        Ok(p)
    }

    /// Adds many pupils at once (a roll import), many to a statement, each with its
    /// history and audit entry as [`Work::add_pupil`] writes them. The UPNs must be
    /// new to the school and distinct (the caller has checked; the database refuses
    /// otherwise). Returns the pupils in the order given.
    pub async fn add_pupils(&mut self, scope: &Scope, all: &[PupilDetails]) -> Result<Vec<Pupil>> {
        const PER_INSERT: usize = 200;
        let school = scope.school();
        let stamp = self.ctx.stamp();
        let mut out = Vec::with_capacity(all.len());
        for chunk in all.chunks(PER_INSERT) {
            let mut sql = String::from("INSERT INTO pupils (school_id, upn, family_name, given_name, year_group, body, version, updated_at, left_on) VALUES ");
            for i in 0..chunk.len() {
                let n = i * 8;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}::jsonb, 1, ${}::timestamptz, ${}::date)",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7,
                    n + 8
                ));
            }
            // The ids the database gives, by UPN (RETURNING, so no lookup reads a table
            // whose statistics do not yet know the rows this transaction added).
            sql.push_str(" RETURNING id, upn");
            let sql = crate::dialect::translate(self.tx.backend, &sql);
            let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
            for d in chunk {
                q = q
                    .bind(school.0)
                    .bind(d.upn.as_str().to_owned())
                    .bind(d.family_name.clone())
                    .bind(d.given_name.clone())
                    .bind(d.year_group.code())
                    .bind(to_json("pupil", d)?)
                    .bind(stamp.clone())
                    .bind(d.roll.left_on.map(ymd));
            }
            let ids: std::collections::HashMap<String, i64> = q.fetch_all(&mut *self.tx).await?.into_iter().map(|(id, upn)| (upn, id)).collect();
            let mut pupils = Vec::with_capacity(chunk.len());
            for d in chunk {
                let id = *ids.get(d.upn.as_str()).ok_or(StoreError::NotFound { what: "pupil" })?;
                pupils.push(Pupil { id: PupilId(id), school_id: school, version: 1, updated_at: stamp.clone(), status: SenStatus::N, details: d.clone() });
            }
            crate::history::append_many(&mut self.tx, school, Entity::Pupil, &pupils.iter().map(|p| (p.id.0, 1, p)).collect::<Vec<_>>(), &self.ctx).await?;
            out.extend(pupils);
        }
        Ok(out)
    }

    /// Replaces a pupil's details based on `expected`; the date they left follows the
    /// details' roll facts.
    pub async fn update_pupil(&mut self, scope: &Scope, id: PupilId, expected: i64, details: &PupilDetails) -> Result<Pupil> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, id, "pupil").await?;
        let clash: Option<(i64,)> = sqlx::query_as("SELECT id FROM pupils WHERE school_id = $1 AND upn = $2 AND id <> $3")
            .bind(school.0)
            .bind(details.upn.as_str())
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await?;
        if clash.is_some() {
            return Err(duplicate_upn(details.upn.as_str()));
        }
        let before: Option<PupilRow> =
            sqlx::query_as(self.tx.backend.sql(SELECT_PUPIL)).bind(school.0).bind(id.0).fetch_optional(&mut *self.tx).await?;
        let before = pupil(before.ok_or(StoreError::NotFound { what: "pupil" })?)?;
        let change = Versioned {
            table: "pupils",
            key: Key::Row(id.0),
            entity: Entity::Pupil,
            what: "pupil",
            school,
            expected,
            set: vec![
                ("upn", Value::Text(details.upn.as_str().to_owned())),
                ("family_name", Value::Text(details.family_name.clone())),
                ("given_name", Value::Text(details.given_name.clone())),
                ("year_group", Value::Text(details.year_group.code().to_owned())),
                ("body", Value::Json(to_json("pupil", details)?)),
                ("left_on", Value::OptDate(details.roll.left_on)),
            ],
        };
        versioned_update(&mut self.tx, change, &self.ctx, |version, updated_at| Pupil { version, updated_at, details: details.clone(), ..before })
            .await
    }

    /// Replaces the pupil's list of needs (checked) based on `expected` (0 when none
    /// were recorded); the old list stays in history and the register's index follows.
    pub async fn set_needs(&mut self, scope: &Scope, id: PupilId, expected: i64, needs: Vec<Need>) -> Result<NeedSet> {
        let school = scope.school();
        let body = to_json("needs", &needs)?;
        let primary = needs.first().map(|n| n.code.code());
        let tx = &mut self.tx;
        let set = if expected == 0 {
            let existing: Option<(i64,)> = sqlx::query_as("SELECT version FROM needs WHERE school_id = $1 AND pupil_id = $2")
                .bind(school.0)
                .bind(id.0)
                .fetch_optional(&mut **tx)
                .await?;
            if let Some((current,)) = existing {
                return Err(crate::history::conflict(tx, school, Entity::Needs, id.0, "needs", expected, Some(current)).await);
            }
            sqlx::query(tx.backend.sql(
                "INSERT INTO needs (pupil_id, school_id, primary_code, body, version, updated_at) VALUES ($1, $2, $3, $4::jsonb, 1, $5::timestamptz)",
            ))
            .bind(id.0)
            .bind(school.0)
            .bind(primary)
            .bind(&body)
            .bind(self.ctx.stamp())
            .execute(&mut **tx)
            .await?;
            let set = NeedSet { pupil_id: id, version: 1, needs };
            append(tx, school, Entity::Needs, id.0, 1, &set, &self.ctx).await?;
            set
        } else {
            let change = Versioned {
                table: "needs",
                key: Key::Pupil(id),
                entity: Entity::Needs,
                what: "needs",
                school,
                expected,
                set: vec![("primary_code", Value::OptText(primary.map(str::to_owned))), ("body", Value::Json(body))],
            };
            versioned_update(tx, change, &self.ctx, |version, _| NeedSet { pupil_id: id, version, needs }).await?
        };
        // The register's index of current needs follows the record in the same transaction.
        sqlx::query("DELETE FROM pupil_needs WHERE school_id = $1 AND pupil_id = $2").bind(school.0).bind(id.0).execute(&mut **tx).await?;
        for n in &set.needs {
            sqlx::query("INSERT INTO pupil_needs (school_id, pupil_id, code, area, rank) VALUES ($1, $2, $3, $4, $5)")
                .bind(school.0)
                .bind(id.0)
                .bind(n.code.code())
                .bind(n.area.as_str())
                .bind(i64::from(n.rank))
                .execute(&mut **tx)
                .await?;
        }
        Ok(set)
    }

    /// The pupil's needs, primary first; version 0 if none were ever recorded.
    pub async fn needs(&mut self, scope: &Scope, pupil: PupilId) -> Result<NeedSet> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        load_needs(self.tx.backend, &mut *self.tx, scope.school(), pupil).await
    }

    /// The pupil's status periods (for the rules in `core::status`).
    pub async fn status_periods(&mut self, scope: &Scope, pupil: PupilId) -> Result<Vec<StatusPeriod>> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        Ok(status_rows(self.tx.backend, &mut *self.tx, scope.school(), pupil).await?.into_iter().map(|e| e.period).collect())
    }

    /// Checks and records a change of SEN status (R01), closing the open period. What
    /// the change means for the graduated-approach cycle is the use case's to decide.
    pub async fn record_status(&mut self, scope: &Scope, pupil: PupilId, change: &StatusChange, source: ChangeSource) -> Result<()> {
        let school = scope.school();
        let history = self.status_periods(scope, pupil).await?;
        let close_on = status::check_change(&history, change, source, self.ctx.today())?;
        if let Some(end) = close_on {
            sqlx::query(
                self.tx
                    .backend
                    .sql("UPDATE status_periods SET end_date = $1::date WHERE school_id = $2 AND pupil_id = $3 AND end_date IS NULL"),
            )
            .bind(ymd(end))
            .bind(school.0)
            .bind(pupil.0)
            .execute(&mut *self.tx)
            .await?;
        }
        sqlx::query(self.tx.backend.sql(
            "INSERT INTO status_periods (school_id, pupil_id, status, start_date, end_date, reason, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4::date, NULL, $5, $6, $7::timestamptz)",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .bind(change.status.code())
        .bind(ymd(change.start))
        .bind(change.reason.trim())
        .bind(&self.ctx.by)
        .bind(self.ctx.stamp())
        .execute(&mut *self.tx)
        .await?;
        let ev = crate::audit::Event {
            school: Some(school),
            action: "change_status",
            entity: "status",
            entity_id: Some(pupil.0),
            pupil: Some(pupil),
        };
        crate::audit::append(&mut self.tx, &ev, &self.ctx).await
    }
}

async fn status_rows<'e>(
    backend: Backend,
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    school: SchoolId,
    id: PupilId,
) -> Result<Vec<StatusEntry>> {
    let rows: Vec<(String, String, Option<String>, String, String, String)> = sqlx::query_as(backend.sql(
        "SELECT status, start_date::text, end_date::text, reason, recorded_by, iso(recorded_at) FROM status_periods \
         WHERE school_id = $1 AND pupil_id = $2 ORDER BY start_date DESC, id DESC",
    ))
    .bind(school.0)
    .bind(id.0)
    .fetch_all(exec)
    .await?;
    rows.into_iter()
        .map(|(status, start, end, reason, recorded_by, recorded_at)| {
            Ok(StatusEntry {
                period: StatusPeriod {
                    status: SenStatus::parse(&status).ok_or_else(|| StoreError::corrupt("status", &status))?,
                    start: date("status", &start)?,
                    end: opt_date("status", end.as_deref())?,
                    reason,
                },
                recorded_by,
                recorded_at,
            })
        })
        .collect()
}
