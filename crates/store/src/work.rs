//! A write transaction a use case owns ([`Store::work`]). A use case that changes more
//! than one record (a review closes its cycle, opens the next and may end SEN support)
//! calls the repositories' operations on one [`Work`], then [`Work::commit`]s: every
//! step is kept, or none is. Dropping a `Work` without committing rolls it back.
//!
//! On SQLite, which has one writer, a `Work` holds the writers' queue until it ends.

use chrono::NaiveDate;
use senplan_core::ids::{PupilId, SchoolId};
use serde::Serialize;

use crate::dialect::translate;
use crate::history::{Entity, append, check_version, conflict};
use crate::rows::ymd;
use crate::{Ctx, Result, Store, Tx};

/// One unit of work: a write transaction, and who is making the change and when.
pub struct Work<'s> {
    _turn: Option<tokio::sync::MutexGuard<'s, ()>>,
    pub(crate) tx: Tx<'static>,
    pub(crate) ctx: Ctx,
}

impl Store {
    /// Begins a unit of work for `ctx` (queued behind other writers on SQLite).
    pub async fn work(&self, ctx: Ctx) -> Result<Work<'_>> {
        let (turn, tx) = self.write().await?;
        Ok(Work { _turn: turn, tx, ctx })
    }
}

impl Work<'_> {
    /// Who is making the change, and when.
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Appends `ev` to the audit trail in this unit of work (kept only if it commits).
    pub async fn audit(&mut self, ev: &crate::audit::Event<'_>) -> Result<()> {
        crate::audit::append(&mut self.tx, ev, &self.ctx).await
    }

    /// Keeps every change made in this unit of work.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// A value written to a column by [`versioned_update`], with its column's kind.
pub(crate) enum Value {
    Text(String),
    OptText(Option<String>),
    Date(NaiveDate),
    OptDate(Option<NaiveDate>),
    /// A JSON document (already serialised).
    Json(String),
    Int(i64),
}

/// Which row a versioned change is to, within its school.
pub(crate) enum Key {
    /// A pupil's record with its own id (`school_id` and `id`).
    Row(i64),
    /// A record kept once per pupil (`school_id` and `pupil_id`); absent means version 0.
    Pupil(PupilId),
    /// A record kept once per school (`school_id`); absent means version 0.
    Settings,
    /// The school itself (`schools.id`).
    School,
}

impl Key {
    /// The condition selecting the row from parameter `$n` on, and the values to bind.
    fn condition(&self, school: SchoolId, n: usize) -> (String, Vec<i64>) {
        match self {
            Key::Row(id) => (format!("school_id = ${n} AND id = ${}", n + 1), vec![school.0, *id]),
            Key::Pupil(p) => (format!("school_id = ${n} AND pupil_id = ${}", n + 1), vec![school.0, p.0]),
            Key::Settings => (format!("school_id = ${n}"), vec![school.0]),
            Key::School => (format!("id = ${n}"), vec![school.0]),
        }
    }

    /// The id history files the versions under.
    fn history_id(&self, school: SchoolId) -> i64 {
        match self {
            Key::Row(id) => *id,
            Key::Pupil(p) => p.0,
            Key::Settings | Key::School => school.0,
        }
    }
}

/// One version-checked change of a versioned record.
pub(crate) struct Versioned {
    /// The table, and the row within the school.
    pub table: &'static str,
    pub key: Key,
    /// The kind of record, for its history, and its name in messages ("plan").
    pub entity: Entity,
    pub what: &'static str,
    pub school: SchoolId,
    /// The version the writer saw.
    pub expected: i64,
    /// The columns written, with their values.
    pub set: Vec<(&'static str, Value)>,
}

/// The one versioned write: checks the version the writer saw, writes the columns with
/// the version one higher and the time of the change, and appends the record `saved`
/// builds from the new version and time to its history (and the audit trail). A stale
/// version is a conflict naming both versions; a missing row (or another school's)
/// is not found, except for records that exist implicitly at version 0.
pub(crate) async fn versioned_update<R: Serialize>(
    tx: &mut Tx<'_>,
    w: Versioned,
    ctx: &Ctx,
    saved: impl FnOnce(i64, String) -> R,
) -> Result<R> {
    check_version(w.expected)?;
    let mut sql = format!("UPDATE {} SET ", w.table);
    for (i, (column, value)) in w.set.iter().enumerate() {
        let cast = match value {
            Value::Text(_) | Value::OptText(_) | Value::Int(_) => "",
            Value::Date(_) | Value::OptDate(_) => "::date",
            Value::Json(_) => "::jsonb",
        };
        sql.push_str(&format!("{column} = ${}{cast}, ", i + 1));
    }
    let n = w.set.len();
    let (condition, keys) = w.key.condition(w.school, n + 2);
    sql.push_str(&format!(
        "version = version + 1, updated_at = ${}::timestamptz WHERE {condition} AND version = ${}",
        n + 1,
        n + 2 + keys.len()
    ));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(translate(tx.backend, &sql)));
    for (_, value) in w.set {
        q = match value {
            Value::Text(s) | Value::Json(s) => q.bind(s),
            Value::OptText(s) => q.bind(s),
            Value::Date(d) => q.bind(ymd(d)),
            Value::OptDate(d) => q.bind(d.map(ymd)),
            Value::Int(n) => q.bind(n),
        };
    }
    let stamp = ctx.stamp();
    q = q.bind(stamp.clone());
    for k in &keys {
        q = q.bind(*k);
    }
    let done = q.bind(w.expected).execute(&mut **tx).await?;
    if done.rows_affected() == 0 {
        let (condition, keys) = w.key.condition(w.school, 1);
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT version FROM {} WHERE {condition}", w.table)));
        for k in keys {
            q = q.bind(k);
        }
        let current: Option<(i64,)> = q.fetch_optional(&mut **tx).await?;
        let implicit = matches!(w.key, Key::Pupil(_) | Key::Settings);
        let current = current.map(|c| c.0).or(implicit.then_some(0));
        return Err(conflict(tx, w.school, w.entity, w.key.history_id(w.school), w.what, w.expected, current).await);
    }
    let record = saved(w.expected + 1, stamp);
    append(tx, w.school, w.entity, w.key.history_id(w.school), w.expected + 1, &record, ctx).await?;
    Ok(record)
}

/// A record kept once per pupil as one JSON document in its `body` (that the parents
/// were told, the pupil passport): its table, its kind for history, and its name in
/// messages.
pub(crate) struct PupilDocument {
    pub table: &'static str,
    pub entity: Entity,
    pub what: &'static str,
}

/// Saves a new version of a once-per-pupil document based on `expected`: 0 writes the
/// first version (a conflict if another writer got there first), any other number is
/// a [`versioned_update`]. The version is appended to history either way.
pub(crate) async fn save_pupil_document<R: Serialize>(
    work: &mut Work<'_>,
    doc: PupilDocument,
    scope: &crate::access::Scope,
    pupil: PupilId,
    expected: i64,
    body: String,
    saved: impl FnOnce(i64, String) -> R,
) -> Result<R> {
    let school = scope.school();
    crate::access::check_pupil(work.tx.backend, &mut *work.tx, scope, pupil, "pupil").await?;
    if expected != 0 {
        let change = Versioned {
            table: doc.table,
            key: Key::Pupil(pupil),
            entity: doc.entity,
            what: doc.what,
            school,
            expected,
            set: vec![("body", Value::Json(body))],
        };
        return versioned_update(&mut work.tx, change, &work.ctx, saved).await;
    }
    let exists: Option<(i64,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT version FROM {} WHERE school_id = $1 AND pupil_id = $2", doc.table)))
            .bind(school.0)
            .bind(pupil.0)
            .fetch_optional(&mut *work.tx)
            .await?;
    if let Some((current,)) = exists {
        return Err(conflict(&mut work.tx, school, doc.entity, pupil.0, doc.what, expected, Some(current)).await);
    }
    let stamp = work.ctx.stamp();
    let sql = format!("INSERT INTO {} (school_id, pupil_id, body, version, updated_at) VALUES ($1, $2, $3::jsonb, 1, $4::timestamptz)", doc.table);
    sqlx::query(sqlx::AssertSqlSafe(translate(work.tx.backend, &sql)))
        .bind(school.0)
        .bind(pupil.0)
        .bind(&body)
        .bind(&stamp)
        .execute(&mut *work.tx)
        .await?;
    let record = saved(1, stamp);
    append(&mut work.tx, school, doc.entity, pupil.0, 1, &record, &work.ctx).await?;
    Ok(record)
}
