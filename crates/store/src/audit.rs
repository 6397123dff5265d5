//! The audit trail: every view and every change of a pupil's record, appended with
//! who, what, when and from where. Each entry's hash covers the previous entry's
//! hash, so altering or removing an entry breaks the chain; [`Store::verify_audit`]
//! finds the first break. Entries are never updated or deleted.

use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::record::AuditEntry;
use sha2::{Digest, Sha256};

use crate::access::Scope;
use crate::{Ctx, Result, Store, Tx};

/// Hash of the (empty) entry before the first.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, to which record.
pub struct Event<'a> {
    pub school: Option<SchoolId>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub pupil: Option<PupilId>,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The chain hash of one entry.
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    school: Option<i64>,
    at: &str,
    user: Option<i64>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    pupil: Option<i64>,
    origin: &str,
) -> String {
    let opt = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    let fields = [
        prev.to_owned(),
        seq.to_string(),
        opt(school),
        at.to_owned(),
        opt(user),
        actor.to_owned(),
        action.to_owned(),
        entity.to_owned(),
        opt(entity_id),
        opt(pupil),
        origin.to_owned(),
    ];
    hex(&Sha256::digest(fields.join("\u{1f}").as_bytes()))
}

/// Appends one entry inside the caller's write transaction.
pub(crate) async fn append(tx: &mut Tx<'_>, ev: &Event<'_>, ctx: &Ctx) -> Result<()> {
    if tx.backend_name() == "PostgreSQL" {
        // Serialise appenders so two cannot chain onto the same previous entry.
        sqlx::query("SELECT pg_advisory_xact_lock(7263)").execute(&mut **tx).await?;
    }
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetch_optional(&mut **tx).await?;
    let (seq, prev) = head.map_or((1, GENESIS.to_owned()), |(s, h)| (s + 1, h));
    let at = ctx.stamp();
    let user = ctx.user.map(|u| u.0);
    let school = ev.school.map(|s| s.0);
    let pupil = ev.pupil.map(|p| p.0);
    let hash = entry_hash(&prev, seq, school, &at, user, &ctx.by, ev.action, ev.entity, ev.entity_id, pupil, &ctx.origin);
    sqlx::query(
        "INSERT INTO audit (seq, school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(seq)
    .bind(school)
    .bind(at)
    .bind(user)
    .bind(&ctx.by)
    .bind(ev.action)
    .bind(ev.entity)
    .bind(ev.entity_id)
    .bind(pupil)
    .bind(&ctx.origin)
    .bind(prev)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCheck {
    /// The whole chain holds: the number of entries and the last hash (record it
    /// somewhere else to detect removal of entries from the end).
    Intact { entries: i64, head: String },
    /// Entry `seq` was altered, or entries before it were removed.
    Broken { seq: i64, reason: String },
}

type AuditRow = (i64, String, String, String, String, Option<i64>, String);
type Row = (i64, Option<i64>, String, Option<i64>, String, String, String, Option<i64>, Option<i64>, String, String, String);

impl Store {
    /// Records that someone viewed part of a pupil's record.
    pub async fn audit_view(&self, scope: &Scope, pupil: PupilId, what: &str, ctx: &Ctx) -> Result<()> {
        let school = scope.school();
        let (_g, mut tx) = self.write().await?;
        append(&mut tx, &Event { school: Some(school), action: "view", entity: what, entity_id: Some(pupil.0), pupil: Some(pupil) }, ctx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an event that is not a change of a versioned record (sign-in, grant, export).
    pub async fn audit_event(&self, ev: &Event<'_>, ctx: &Ctx) -> Result<()> {
        let (_g, mut tx) = self.write().await?;
        append(&mut tx, ev, ctx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who has viewed or changed a pupil's record, newest first.
    pub async fn audit_for_pupil(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<AuditEntry>> {
        let school = scope.school();
        crate::access::check_pupil(self.pool(), scope, pupil, "pupil").await?;
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT seq, at, actor, action, entity, entity_id, origin FROM audit WHERE school_id = $1 AND pupil_id = $2 ORDER BY seq DESC",
        )
        .bind(school.0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, at, actor, action, entity, entity_id, origin)| AuditEntry { seq, at, actor, action, entity, entity_id, origin })
            .collect())
    }

    /// Recomputes the whole chain.
    pub async fn verify_audit(&self) -> Result<AuditCheck> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT seq, school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash FROM audit ORDER BY seq",
        )
        .fetch_all(self.pool())
        .await?;
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        for (seq, school, at, user, actor, action, entity, entity_id, pupil, origin, prev_hash, hash) in &rows {
            if *seq != expected_seq {
                return Ok(AuditCheck::Broken { seq: *seq, reason: format!("entries {expected_seq} to {} are missing", seq - 1) });
            }
            if *prev_hash != prev {
                return Ok(AuditCheck::Broken { seq: *seq, reason: "it does not follow the entry before it".into() });
            }
            if entry_hash(prev_hash, *seq, *school, at, *user, actor, action, entity, *entity_id, *pupil, origin) != *hash {
                return Ok(AuditCheck::Broken { seq: *seq, reason: "its contents were altered".into() });
            }
            prev.clone_from(hash);
            expected_seq += 1;
        }
        Ok(AuditCheck::Intact { entries: expected_seq - 1, head: prev })
    }
}
