//! Referrals to services (R18, R35): one versioned row per referral, the referral as a
//! JSON document with its stage and kind beside it, every version kept in history.
//! The rules (consent before sending, the order of the steps) are in
//! `senplan_core::referral`; who may see which kind is decided in `app::referrals`.

use senplan_core::ids::PupilId;
use senplan_core::referral::{Referral, ReferralKind, Stage};
use serde::Serialize;

use crate::access::{Scope, check_pupil};
use crate::passports::file_sha256;
use crate::history::{Entity, append};
use crate::rows::{json, to_json};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Ctx, Result, Store, StoreError, Work};

/// A report's bytes as stored, checked against its SHA-256 when read.
#[derive(Clone, PartialEq, Eq)]
pub struct ReportBytes {
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for ReportBytes {
    /// The bytes are left out: a child's health record.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportBytes").field("media_type", &self.media_type).field("len", &self.bytes.len()).finish()
    }
}

/// A referral as stored (and as each version is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralRecord {
    pub id: i64,
    pub pupil_id: PupilId,
    pub referral: Referral,
    pub version: i64,
    pub updated_at: String,
}

type Row = (i64, i64, String, i64, String);

fn record(row: Row) -> Result<ReferralRecord> {
    let (id, pupil, body, version, updated_at) = row;
    Ok(ReferralRecord { id, pupil_id: PupilId(pupil), referral: json("referral", &body)?, version, updated_at })
}

fn word<T: Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The stage's stored word (`draft`, `sent`, …).
pub fn stage_word(s: Stage) -> String {
    word(s)
}

fn kind_word(k: ReferralKind) -> String {
    word(k)
}

impl Store {
    /// A pupil's referrals within the scope, newest first.
    pub async fn referrals(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<ReferralRecord>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let rows: Vec<Row> = sqlx::query_as(self.backend.sql(
            "SELECT id, pupil_id, body::text, version, iso(updated_at) FROM referrals WHERE school_id = $1 AND pupil_id = $2 ORDER BY id DESC",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(record).collect()
    }

    /// One referral, if its pupil is within the scope.
    pub async fn referral(&self, scope: &Scope, id: i64) -> Result<ReferralRecord> {
        let row: Option<Row> = sqlx::query_as(
            self.backend.sql("SELECT id, pupil_id, body::text, version, iso(updated_at) FROM referrals WHERE school_id = $1 AND id = $2"),
        )
        .bind(scope.school().0)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let r = record(row.ok_or(StoreError::NotFound { what: "referral" })?)?;
        check_pupil(self.backend, self.pool(), scope, r.pupil_id, "referral").await?;
        Ok(r)
    }

    /// One of the referral's reports by its SHA-256, if the referral's pupil is within
    /// the scope; refused as corrupt when the bytes no longer match their checksum.
    pub async fn referral_report(&self, scope: &Scope, referral: i64, sha256: &str) -> Result<Option<ReportBytes>> {
        let r = self.referral(scope, referral).await?;
        let row: Option<(String, Vec<u8>)> =
            sqlx::query_as("SELECT media_type, bytes FROM referral_reports WHERE school_id = $1 AND referral_id = $2 AND sha256 = $3")
                .bind(scope.school().0)
                .bind(r.id)
                .bind(sha256)
                .fetch_optional(self.pool())
                .await?;
        match row {
            Some((_, bytes)) if file_sha256(&bytes) != sha256 => Err(StoreError::corrupt("referral report", sha256.to_owned())),
            Some((media_type, bytes)) => Ok(Some(ReportBytes { media_type, bytes })),
            None => Ok(None),
        }
    }

    /// Every referral not yet closed of the pupils within the scope, oldest first
    /// (for the compliance dashboard's long waits), read in one query.
    pub async fn open_referrals(&self, scope: &Scope) -> Result<Vec<ReferralRecord>> {
        const SQL: &str = concat!(
            "SELECT r.id, r.pupil_id, r.body::text, r.version, iso(r.updated_at) FROM referrals r JOIN pupils p ON p.id = r.pupil_id WHERE ",
            crate::visible_pupil_sql!(),
            " AND r.school_id = $1 AND r.stage <> 'closed' ORDER BY r.id"
        );
        let rows: Vec<Row> = crate::access::bind_scope(sqlx::query_as(self.backend.sql(SQL)), scope).fetch_all(self.pool()).await?;
        rows.into_iter().map(record).collect()
    }

    /// Records a new referral (already checked) for a pupil within the scope.
    pub async fn add_referral(&self, scope: &Scope, pupil: PupilId, referral: Referral, ctx: &Ctx) -> Result<ReferralRecord> {
        let body = to_json("referral", &referral)?;
        let (_g, mut tx) = self.write().await?;
        check_pupil(tx.backend, &mut *tx, scope, pupil, "pupil").await?;
        let stamp = ctx.stamp();
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO referrals (school_id, pupil_id, service_id, kind, stage, body, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6::jsonb, 1, $7::timestamptz, $7::timestamptz) RETURNING id",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .bind(referral.service_id)
        .bind(kind_word(referral.kind))
        .bind(stage_word(referral.stage()))
        .bind(&body)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await?;
        let saved = ReferralRecord { id, pupil_id: pupil, referral, version: 1, updated_at: stamp };
        append(&mut tx, scope.school(), Entity::Referral, id, 1, &saved, ctx).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Saves a referral (already checked) as a new version, based on `expected`.
    pub async fn save_referral(&self, scope: &Scope, id: i64, expected: i64, referral: Referral, ctx: &Ctx) -> Result<ReferralRecord> {
        let mut work = self.work(ctx.clone()).await?;
        let saved = work.save_referral(scope, id, expected, referral).await?;
        work.commit().await?;
        Ok(saved)
    }
}

impl Work<'_> {
    /// Saves a referral (already checked) as a new version, based on `expected`, as
    /// part of a larger change (a recommendation added to the plan with its link).
    pub async fn save_referral(&mut self, scope: &Scope, id: i64, expected: i64, referral: Referral) -> Result<ReferralRecord> {
        let body = to_json("referral", &referral)?;
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT pupil_id FROM referrals WHERE school_id = $1 AND id = $2").bind(scope.school().0).bind(id).fetch_optional(&mut *self.tx).await?;
        let pupil = PupilId(found.ok_or(StoreError::NotFound { what: "referral" })?.0);
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "referral").await?;
        let change = Versioned {
            table: "referrals",
            key: Key::Row(id),
            entity: Entity::Referral,
            what: "referral",
            school: scope.school(),
            expected,
            set: vec![("stage", Value::Text(stage_word(referral.stage()))), ("body", Value::Json(body))],
        };
        versioned_update(&mut self.tx, change, &self.ctx, |version, updated_at| ReferralRecord { id, pupil_id: pupil, referral, version, updated_at }).await
    }

    /// Keeps a report's bytes (already checked) for a referral whose pupil is within
    /// the scope; returns their SHA-256. The same file kept twice is kept once.
    pub async fn add_referral_report(&mut self, scope: &Scope, referral: i64, media_type: &str, bytes: &[u8]) -> Result<String> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT pupil_id FROM referrals WHERE school_id = $1 AND id = $2")
            .bind(scope.school().0)
            .bind(referral)
            .fetch_optional(&mut *self.tx)
            .await?;
        let pupil = PupilId(found.ok_or(StoreError::NotFound { what: "referral" })?.0);
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "referral").await?;
        let sha = file_sha256(bytes);
        sqlx::query(self.tx.backend.sql(
            "INSERT INTO referral_reports (school_id, referral_id, sha256, media_type, bytes, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6::timestamptz) ON CONFLICT (school_id, referral_id, sha256) DO NOTHING",
        ))
        .bind(scope.school().0)
        .bind(referral)
        .bind(&sha)
        .bind(media_type)
        .bind(bytes)
        .bind(self.ctx.stamp())
        .execute(&mut *self.tx)
        .await?;
        Ok(sha)
    }
}
