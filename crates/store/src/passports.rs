//! The pupil passport (R30): one versioned JSON document per pupil, and each photo or
//! drawing it has held, kept by its SHA-256 so that every version can be shown again.
//! The rules (what a passport may say, which pictures are kept) are in
//! `senplan_core::passport`; the use cases in `app::passports`.

use senplan_core::ids::PupilId;
use senplan_core::passport::Passport;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access::{Scope, check_pupil};
use crate::audit::hex;
use crate::history::Entity;
use crate::rows::{json, to_json};
use crate::work::{PupilDocument, Work, save_pupil_document};
use crate::{Result, Store};

/// A passport as stored (and as each version is kept in history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportRecord {
    pub pupil_id: PupilId,
    pub passport: Passport,
    pub version: i64,
    pub updated_at: String,
}

/// A photo or drawing as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Photo {
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Photo {
    /// The bytes are left out: a child's picture.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photo").field("media_type", &self.media_type).field("len", &self.bytes.len()).finish()
    }
}

/// The SHA-256 of a kept file, hex-encoded: its name in `passport_photos` and
/// `referral_reports`.
pub fn file_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl Store {
    /// The pupil's passport, if one has been written.
    pub async fn passport(&self, scope: &Scope, pupil: PupilId) -> Result<Option<PassportRecord>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let row: Option<(String, i64, String)> = sqlx::query_as(
            self.backend.sql("SELECT body::text, version, iso(updated_at) FROM passports WHERE school_id = $1 AND pupil_id = $2"),
        )
        .bind(scope.school().0)
        .bind(pupil.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(body, version, updated_at)| Ok(PassportRecord { pupil_id: pupil, passport: json("passport", &body)?, version, updated_at }))
            .transpose()
    }

    /// The passports of every pupil within the scope who has one, for the class
    /// strategies page (read in one query).
    pub async fn passports(&self, scope: &Scope) -> Result<Vec<PassportRecord>> {
        const SQL: &str = concat!(
            "SELECT s.pupil_id, s.body::text, s.version, iso(s.updated_at) FROM passports s JOIN pupils p ON p.id = s.pupil_id WHERE ",
            crate::visible_pupil_sql!(),
            " AND s.school_id = $1"
        );
        let rows: Vec<(i64, String, i64, String)> =
            crate::access::bind_scope(sqlx::query_as(self.backend.sql(SQL)), scope).fetch_all(self.pool()).await?;
        rows.into_iter()
            .map(|(pupil, body, version, updated_at)| {
                Ok(PassportRecord { pupil_id: PupilId(pupil), passport: json("passport", &body)?, version, updated_at })
            })
            .collect()
    }

    /// One of the pictures the pupil's passport has held, by its SHA-256.
    pub async fn passport_photo(&self, scope: &Scope, pupil: PupilId, sha256: &str) -> Result<Option<Photo>> {
        check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let row: Option<(String, Vec<u8>)> = sqlx::query_as(
            "SELECT media_type, bytes FROM passport_photos WHERE school_id = $1 AND pupil_id = $2 AND sha256 = $3",
        )
        .bind(scope.school().0)
        .bind(pupil.0)
        .bind(sha256)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(media_type, bytes)| Photo { media_type, bytes }))
    }
}

impl Work<'_> {
    /// Saves the passport (already checked) as a new version based on `expected` (0 for
    /// the first).
    pub async fn save_passport(&mut self, scope: &Scope, pupil: PupilId, expected: i64, p: Passport) -> Result<PassportRecord> {
        let doc = PupilDocument { table: "passports", entity: Entity::Passport, what: "passport" };
        let body = to_json("passport", &p)?;
        save_pupil_document(self, doc, scope, pupil, expected, body, |version, updated_at| PassportRecord {
            pupil_id: pupil,
            passport: p,
            version,
            updated_at,
        })
        .await
    }

    /// Keeps a picture (already checked) for the pupil's passport; returns its SHA-256.
    /// The same picture kept twice is kept once.
    pub async fn add_passport_photo(&mut self, scope: &Scope, pupil: PupilId, media_type: &str, bytes: &[u8]) -> Result<String> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        let sha = file_sha256(bytes);
        sqlx::query(self.tx.backend.sql(
            "INSERT INTO passport_photos (school_id, pupil_id, sha256, media_type, bytes, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6::timestamptz) ON CONFLICT (school_id, pupil_id, sha256) DO NOTHING",
        ))
        .bind(scope.school().0)
        .bind(pupil.0)
        .bind(&sha)
        .bind(media_type)
        .bind(bytes)
        .bind(self.ctx.stamp())
        .execute(&mut *self.tx)
        .await?;
        Ok(sha)
    }
}
