//! senplan's persistence: SQLite (the embedded default) and PostgreSQL behind one
//! [`Store`], chosen by the database URL's scheme.
//!
//! Invariants every module here keeps:
//! - every query is scoped by school, so another school's record looks exactly like a
//!   missing one;
//! - nothing is deleted, and every version of a versioned record is written to
//!   `history` with its author and time (R20);
//! - a write names the version it was based on; a stale one is refused as a conflict;
//! - the rules themselves live in `senplan-core`; operations here load what a rule
//!   needs, call it, and write the result in one transaction;
//! - every query that touches a date, an instant or a JSON document is written in
//!   PostgreSQL's form and goes through [`dialect`]: PostgreSQL's columns are `DATE`,
//!   `TIMESTAMPTZ` and `JSONB` (migration `0006`), SQLite's are text, and the `Any`
//!   driver carries only integers, reals, text and bytes, so binds are cast
//!   (`$1::date`), dates and documents read back as `::text` and instants through
//!   `iso(…)`. Instants are written as RFC 3339 UTC to the millisecond (`rows::stamp`),
//!   which is what `iso(…)` gives back, so the audit chain's hashes still match.
//!
//! Table of contents: [`access`] (which pupils a request may see), [`accounts`]
//! (users, passwords, lockout, resets), [`sessions`], [`relationships`], [`audit`]
//! (per-school keyed hash chains, checkpoints, verification), [`portal`] (concerns, requests, views), [`meetings`] (meetings with parents, parents told), [`compliance`] (the dashboard's facts), [`progress`] (assessments, flag decisions, the scale), [`outbox`] (reminders, sent at most once), [`connect`] (URLs, pools, pragmas), [`dialect`] (one query text for both databases), [`migrate`] (per-backend
//! migrations), [`history`] (versions), [`schools`], [`pupils`] (details, status,
//! needs), [`cycles`] (stages, contributions), [`plans`], [`reviews`], [`register`],
//! [`costing_settings`] (rates, calendar, thresholds, budgets), [`delivery`] (session
//! logs), [`impact`] (entry and exit measures), [`costing_reports`] (provision map,
//! threshold, budget, delivered, impact, recap).

pub mod access;
pub mod accounts;
pub mod audit;
pub mod compliance;
pub mod connect;
pub mod costing_reports;
pub mod costing_settings;
pub mod cycles;
pub mod delivery;
pub mod ehc;
pub mod dialect;
pub mod error;
pub mod exchange;
pub mod history;
pub mod letters;
pub mod local_offer;
pub mod impact;
pub mod info_report;
pub mod meetings;
pub mod migrate;
pub mod outbox;
pub mod adjustments;
pub mod passports;
pub mod sharing;
pub mod plans;
pub mod portal;
pub mod progress;
pub mod pupils;
mod reads;
pub mod referrals;
pub mod register;
pub mod relationships;
pub mod reviews;
pub mod roll;
mod rows;
pub mod schools;
pub mod sessions;
#[cfg(feature = "testing")]
pub mod testing;
mod tokens;
pub mod work;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AnyPool;

pub use access::Scope;
pub use connect::Backend;
pub use error::StoreError;
pub use work::Work;

/// Who is making a change, and when. Author and time go into every history entry.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The person making the change, as shown in history.
    pub by: String,
    pub now: DateTime<Utc>,
    /// Their account, when signed in (command-line and demo changes have none).
    pub user: Option<senplan_core::ids::UserId>,
    /// Where the request came from (an IP address, or "command line"), for the audit trail.
    pub origin: String,
}

impl Ctx {
    pub fn new(by: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self { by: by.into(), now, user: None, origin: "local".into() }
    }

    /// A change by a signed-in person from an address.
    pub fn signed_in(by: impl Into<String>, user: senplan_core::ids::UserId, origin: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self { by: by.into(), now, user: Some(user), origin: origin.into() }
    }

    /// Who and when, from the actor behind a request.
    pub fn of(actor: &senplan_core::actor::Actor) -> Self {
        Self { by: actor.name().to_owned(), now: actor.now(), user: actor.user(), origin: actor.origin().to_owned() }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    pub(crate) fn stamp(&self) -> String {
        rows::stamp(self.now)
    }
}

/// The database, with the operations senplan performs on it.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer: writes queue here instead of failing with "busy".
    writer: Arc<tokio::sync::Mutex<()>>,
    url: Arc<str>,
    /// The audit key and checkpoint directory ([`Store::with_audit`]).
    audit: Option<Arc<audit::AuditState>>,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A transaction, with what appending to the audit trail inside it needs (the key).
/// It dereferences to the connection, so `&mut *tx` is an executor.
pub(crate) struct Tx<'a> {
    tx: sqlx::Transaction<'a, sqlx::Any>,
    audit: Option<Arc<audit::AuditState>>,
    /// The database, for translating query text ([`Backend::sql`]).
    pub(crate) backend: Backend,
    /// The last audit entry this transaction appended (chain, sequence, hash): a
    /// transaction holds its chain's lock until it ends, so its next entry follows it
    /// without reading the chain's head again.
    pub(crate) audit_head: Option<(i64, i64, String)>,
}

impl Tx<'_> {
    pub(crate) async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl Store {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL the store was opened with (it may hold a password: never log it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Begins a write transaction, queued behind other writers on SQLite.
    pub(crate) async fn write(&self) -> Result<(Option<tokio::sync::MutexGuard<'_, ()>>, Tx<'static>)> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        };
        Ok((guard, Tx { tx: self.pool.begin().await?, backend: self.backend, audit: self.audit.clone(), audit_head: None }))
    }

    /// Begins a transaction for reading several tables consistently.
    pub(crate) async fn read(&self) -> Result<Tx<'static>> {
        Ok(Tx { tx: self.pool.begin().await?, backend: self.backend, audit: None, audit_head: None })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(self.pool()).await?;
        Ok(())
    }

    /// Closes every connection; used at shutdown and by tests before dropping a database.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
