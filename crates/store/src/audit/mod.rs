//! The audit trail: every view and every change of a pupil's record, appended with
//! who, what, when and from where, in the same transaction as the change. Entries are
//! never updated or deleted.
//!
//! Each school has its own hash chain, and LA-level and system events one more
//! ([`Chain`]); appending locks only its own chain. Each entry's hash is an
//! HMAC-SHA256 under the audit key ([`key`]), which is kept outside the database, over
//! the entry and the hash before it ([`rules`]). The server writes each chain's head to
//! a signed checkpoint file outside the database ([`checkpoint`]), so removing the
//! newest entries is found too. [`Store::verify_audit`] ([`verify`]) checks every chain
//! and names the first bad entry of each, and how it went wrong.
//!
//! Entries written before keyed chains (migration `0004`) keep their original unkeyed
//! hashes and are checked under their original rule; every keyed chain starts from the
//! last of them, so they cannot be rewritten unnoticed once a keyed entry exists.

pub mod checkpoint;
pub mod key;
pub mod rules;
pub mod verify;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use senplan_core::ids::{PupilId, SchoolId, UserId};
use senplan_core::record::{AuditEntry, AuditPage};

pub use checkpoint::{Checkpoint, CheckpointTask, Written};
pub use key::AuditKey;
pub use verify::{AuditReport, Break, BreakKind, ChainReport, CheckpointStatus};

use crate::access::Scope;
use crate::{Ctx, Result, Store, StoreError, Tx};
use rules::{SCHEME_KEYED, StoredEntry, columns};

/// Hash of the (empty) entry before the first.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Key of the PostgreSQL advisory locks that serialise appends, one per chain
/// (`pg_advisory_xact_lock(AUDIT_LOCK, chain)`).
const AUDIT_LOCK: i32 = 7263;

/// What happened, to which record.
pub struct Event<'a> {
    pub school: Option<SchoolId>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub pupil: Option<PupilId>,
}

/// One hash chain of the trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Chain {
    /// The entries written before keyed chains: one global chain, checked under its
    /// own, unkeyed rule. Nothing is appended to it any more.
    Legacy,
    /// LA-level and system events (no school).
    System,
    School(SchoolId),
}

impl Chain {
    /// The chain an event belongs to.
    pub fn of(school: Option<SchoolId>) -> Chain {
        school.map_or(Chain::System, Chain::School)
    }

    /// The stored `chain_id` (the school's id, 0 for the system chain).
    pub(crate) fn id(self) -> i64 {
        match self {
            Chain::Legacy => -1,
            Chain::System => 0,
            Chain::School(s) => s.0,
        }
    }

    pub(crate) fn from_id(id: i64) -> Chain {
        match id {
            -1 => Chain::Legacy,
            0 => Chain::System,
            id => Chain::School(SchoolId(id)),
        }
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chain::Legacy => f.write_str("entries from before keyed chains"),
            Chain::System => f.write_str("LA and system events"),
            Chain::School(s) => write!(f, "school {}", s.0),
        }
    }
}

/// The audit key and where checkpoints go, given when the store is opened.
#[derive(Debug, Clone)]
pub struct AuditConfig {
    pub key: AuditKey,
    /// The directory of the checkpoint file; `None` where no checkpoints are kept
    /// (then removing the newest entries cannot be detected).
    pub checkpoints: Option<PathBuf>,
}

/// The configuration, and whether anything was appended since the last checkpoint.
#[derive(Debug)]
pub(crate) struct AuditState {
    pub(crate) config: AuditConfig,
    pub(crate) dirty: AtomicBool,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 == 1 || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// The last entry written before keyed chains, which every keyed chain starts from
/// ([`GENESIS`] when there is none).
pub(crate) async fn legacy_anchor(conn: &mut sqlx::AnyConnection) -> Result<(i64, String)> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT legacy_seq, hash FROM audit_entries WHERE legacy_seq IS NOT NULL ORDER BY legacy_seq DESC LIMIT 1")
            .fetch_optional(conn)
            .await?;
    Ok(row.unwrap_or((0, GENESIS.to_owned())))
}

/// Appends one entry inside the caller's write transaction.
pub(crate) async fn append(tx: &mut Tx<'_>, ev: &Event<'_>, ctx: &Ctx) -> Result<()> {
    append_many(tx, std::slice::from_ref(ev), ctx).await
}

/// The sequence number and previous hash the next entry of `chain` follows: the
/// transaction's own last entry, or the chain's head read under its lock.
async fn next_link(tx: &mut Tx<'_>, chain: Chain) -> Result<(i64, String)> {
    if let Some((id, seq, hash)) = tx.audit_head.take() {
        // This transaction already holds the chain's lock and appended its head.
        if id == chain.id() {
            return Ok((seq + 1, hash));
        }
    }
    if tx.backend_name() == "PostgreSQL" {
        // Serialise appenders to this chain only, so two cannot chain onto the same
        // entry, and a school never waits for another school's appends. Ids beyond
        // the 32-bit range share a lock with another chain: slower, never wrong.
        let lock = i32::try_from(chain.id()).unwrap_or((chain.id() % i64::from(i32::MAX)) as i32);
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)").bind(AUDIT_LOCK).bind(lock).execute(&mut **tx).await?;
    }
    let head: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT seq, hash, scheme FROM audit_entries WHERE chain_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(chain.id())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match head {
        Some((seq, hash, SCHEME_KEYED)) => (seq + 1, hash),
        // A chain's first keyed entry starts from the last entry of the old global chain.
        Some((seq, _, _)) => (seq + 1, legacy_anchor(tx).await?.1),
        None => (1, legacy_anchor(tx).await?.1),
    })
}

/// Entries written by one INSERT (15 values each, well within both databases' limits).
const ENTRIES_PER_INSERT: usize = 200;

/// Appends `evs` in order inside the caller's write transaction, chained one to the
/// next and written many to a statement (a roll import audits thousands at once).
pub(crate) async fn append_many(tx: &mut Tx<'_>, evs: &[Event<'_>], ctx: &Ctx) -> Result<()> {
    let state = tx.audit.clone().ok_or(StoreError::NoAuditKey)?;
    let mut entries: Vec<StoredEntry> = Vec::with_capacity(evs.len());
    for ev in evs {
        let chain = Chain::of(ev.school);
        let (seq, prev) = match entries.last() {
            Some(last) if last.chain_id == chain.id() => (last.seq + 1, last.hash.clone()),
            _ => {
                if let Some(last) = entries.last() {
                    tx.audit_head = Some((last.chain_id, last.seq, last.hash.clone()));
                    insert_entries(tx, &entries).await?;
                    entries.clear();
                }
                next_link(tx, chain).await?
            }
        };
        let mut entry = StoredEntry {
            chain_id: chain.id(),
            seq,
            scheme: SCHEME_KEYED,
            legacy_seq: None,
            school_id: ev.school.map(|s| s.0),
            at: ctx.stamp(),
            user_id: ctx.user.map(|u| u.0),
            actor: ctx.by.clone(),
            action: ev.action.to_owned(),
            entity: ev.entity.to_owned(),
            entity_id: ev.entity_id,
            pupil_id: ev.pupil.map(|p| p.0),
            origin: ctx.origin.clone(),
            prev_hash: prev,
            hash: String::new(),
        };
        entry.hash = state.config.key.sign(&entry.keyed_message());
        entries.push(entry);
    }
    if let Some(last) = entries.last() {
        let head = (last.chain_id, last.seq, last.hash.clone());
        insert_entries(tx, &entries).await?;
        tx.audit_head = Some(head);
    }
    state.dirty.store(true, Ordering::Relaxed);
    Ok(())
}

async fn insert_entries(tx: &mut Tx<'_>, entries: &[StoredEntry]) -> Result<()> {
    for chunk in entries.chunks(ENTRIES_PER_INSERT) {
        let mut sql = String::from(
            "INSERT INTO audit_entries (chain_id, seq, scheme, legacy_seq, school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash) VALUES ",
        );
        for i in 0..chunk.len() {
            let n = i * 14;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, NULL, ${}, ${}::timestamptz, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8, n + 9, n + 10, n + 11, n + 12, n + 13, n + 14
            ));
        }
        let sql = crate::dialect::translate(tx.backend, &sql);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for e in chunk {
            q = q
                .bind(e.chain_id)
                .bind(e.seq)
                .bind(e.scheme)
                .bind(e.school_id)
                .bind(e.at.clone())
                .bind(e.user_id)
                .bind(e.actor.clone())
                .bind(e.action.clone())
                .bind(e.entity.clone())
                .bind(e.entity_id)
                .bind(e.pupil_id)
                .bind(e.origin.clone())
                .bind(e.prev_hash.clone())
                .bind(e.hash.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Which entries of a school's trail to show ([`Store::audit_trail`]).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only entries about this pupil.
    pub pupil: Option<PupilId>,
    /// Only entries by this person's account.
    pub person: Option<UserId>,
    /// From this day (UTC), inclusive.
    pub from: Option<NaiveDate>,
    /// To this day (UTC), inclusive.
    pub to: Option<NaiveDate>,
    /// Only entries before this one (the `next_before` of the previous page).
    pub before: Option<i64>,
    /// At most this many entries (1 to [`MAX_PAGE`]).
    pub limit: u32,
}

/// The most entries one page of the trail holds.
pub const MAX_PAGE: u32 = 500;

fn entry_of(e: StoredEntry) -> AuditEntry {
    AuditEntry {
        seq: e.seq,
        at: e.at,
        user_id: e.user_id.map(UserId),
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id,
        pupil_id: e.pupil_id.map(PupilId),
        origin: e.origin,
    }
}

impl Store {
    /// Gives the store its audit key (and checkpoint directory). Without one, anything
    /// that writes to the audit trail fails with [`StoreError::NoAuditKey`].
    pub fn with_audit(mut self, config: AuditConfig) -> Store {
        self.audit = Some(Arc::new(AuditState { config, dirty: AtomicBool::new(true) }));
        self
    }

    /// The audit configuration, if the store was given one.
    pub fn audit_config(&self) -> Option<&AuditConfig> {
        self.audit.as_deref().map(|s| &s.config)
    }

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
        crate::access::check_pupil(self.backend, self.pool(), scope, pupil, "pupil").await?;
        let rows: Vec<StoredEntry> = sqlx::query_as(self.backend.sql(concat!(
            "SELECT ",
            columns!(),
            " FROM audit_entries WHERE chain_id = $1 AND pupil_id = $2 ORDER BY seq DESC"
        )))
        .bind(school.0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(entry_of).collect())
    }

    /// One page of a school's trail, newest first, filtered; the read itself is
    /// appended to the trail ("view", "audit trail", with the pupil asked about).
    pub async fn audit_trail(&self, scope: &Scope, filter: &AuditFilter, ctx: &Ctx) -> Result<AuditPage> {
        let school = scope.school();
        if let Some(p) = filter.pupil {
            crate::access::check_pupil(self.backend, self.pool(), scope, p, "pupil").await?;
        }
        let limit = filter.limit.clamp(1, MAX_PAGE);
        // From the start of `from` to the end of `to` (UTC), as instants in senplan's
        // form: SQLite compares the text (RFC 3339 UTC of one fixed width, so comparing
        // text compares time), PostgreSQL the TIMESTAMPTZ. No bound: NULL.
        let midnight = |d: NaiveDate| crate::rows::stamp(d.and_time(chrono::NaiveTime::MIN).and_utc());
        let from = filter.from.map(midnight);
        let to = filter.to.and_then(|d| d.succ_opt()).map(midnight);
        let rows: Vec<StoredEntry> = sqlx::query_as(self.backend.sql(concat!(
            "SELECT ",
            columns!(),
            " FROM audit_entries WHERE chain_id = $1 AND seq < $2 \
             AND ($3 = 0 OR pupil_id = $3) AND ($4 = 0 OR user_id = $4) \
             AND ($5::timestamptz IS NULL OR at >= $5::timestamptz) AND ($6::timestamptz IS NULL OR at < $6::timestamptz) \
             ORDER BY seq DESC LIMIT $7"
        )))
        .bind(school.0)
        .bind(filter.before.unwrap_or(i64::MAX))
        .bind(filter.pupil.map_or(0, |p| p.0))
        .bind(filter.person.map_or(0, |u| u.0))
        .bind(from)
        .bind(to)
        .bind(i64::from(limit) + 1)
        .fetch_all(self.pool())
        .await?;
        let more = rows.len() > limit as usize;
        let entries: Vec<AuditEntry> = rows.into_iter().take(limit as usize).map(entry_of).collect();
        let next_before = if more { entries.last().map(|e| e.seq) } else { None };
        self.audit_event(&Event { school: Some(school), action: "view", entity: "audit trail", entity_id: None, pupil: filter.pupil }, ctx)
            .await?;
        Ok(AuditPage { entries, next_before })
    }

    /// Whether the store's key is the one the trail was written with, from the newest
    /// keyed entry of each chain (quick enough for start-up; `verify_audit` checks all).
    pub async fn audit_key_check(&self) -> Result<KeyCheck> {
        let key = &self.audit_config().ok_or(StoreError::NoAuditKey)?.key;
        let mut ids: Vec<i64> =
            sqlx::query_as::<_, (i64,)>("SELECT id FROM schools").fetch_all(self.pool()).await?.into_iter().map(|r| r.0).collect();
        ids.push(0);
        let mut check = KeyCheck::default();
        for id in ids {
            let newest: Option<StoredEntry> = sqlx::query_as(self.backend.sql(concat!(
                "SELECT ",
                columns!(),
                " FROM audit_entries WHERE chain_id = $1 AND scheme = $2 ORDER BY seq DESC LIMIT 1"
            )))
            .bind(id)
            .bind(SCHEME_KEYED)
            .fetch_optional(self.pool())
            .await?;
            if let Some(e) = newest {
                check.chains += 1;
                if key.verifies(&e.keyed_message(), &e.hash) {
                    check.verified += 1;
                }
            }
        }
        Ok(check)
    }
}

/// Of the chains with keyed entries, how many end in an entry the key verifies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyCheck {
    pub chains: usize,
    pub verified: usize,
}

impl KeyCheck {
    /// Keyed entries exist, and the key verifies none of the chains' newest: almost
    /// certainly the wrong key.
    pub fn wrong_key(&self) -> bool {
        self.chains > 0 && self.verified == 0
    }
}

impl crate::Store {
    /// Records in the pupil's audit trail that someone was refused `what` (a pupil
    /// outside their relationships, an expired or withdrawn grant). Only a pupil who
    /// exists in the school gets an entry: a missing id leaves nothing to audit. The
    /// person refused is answered "not found" either way, by the caller.
    pub async fn audit_refusal(&self, school: senplan_core::ids::SchoolId, pupil: PupilId, what: &str, ctx: &crate::Ctx) -> Result<bool> {
        let (_g, mut tx) = self.write().await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM pupils WHERE school_id = $1 AND id = $2")
            .bind(school.0)
            .bind(pupil.0)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(false);
        }
        let ev = Event { school: Some(school), action: "refused", entity: what, entity_id: Some(pupil.0), pupil: Some(pupil) };
        append(&mut tx, &ev, ctx).await?;
        tx.commit().await?;
        Ok(true)
    }
}
