//! Migrations, one folder per backend, applied in order at start-up and recorded in
//! `schema_migrations`. Each runs in a transaction, so a failed one leaves nothing half done.

use sqlx::{AssertSqlSafe, Executor};

use crate::{Backend, Result, Store, StoreError};

/// (name, SQLite script, PostgreSQL script), in the order they apply.
const MIGRATIONS: &[(&str, &str, &str)] = &[
    ("0001_core", include_str!("../migrations/sqlite/0001_core.sql"), include_str!("../migrations/postgres/0001_core.sql")),
    ("0002_accounts", include_str!("../migrations/sqlite/0002_accounts.sql"), include_str!("../migrations/postgres/0002_accounts.sql")),
    ("0003_costing", include_str!("../migrations/sqlite/0003_costing.sql"), include_str!("../migrations/postgres/0003_costing.sql")),
    (
        "0004_audit_chains",
        include_str!("../migrations/sqlite/0004_audit_chains.sql"),
        include_str!("../migrations/postgres/0004_audit_chains.sql"),
    ),
    (
        "0005_need_index",
        include_str!("../migrations/sqlite/0005_need_index.sql"),
        include_str!("../migrations/postgres/0005_need_index.sql"),
    ),
    (
        "0006_typed_columns",
        include_str!("../migrations/sqlite/0006_typed_columns.sql"),
        include_str!("../migrations/postgres/0006_typed_columns.sql"),
    ),
    (
        "0007_request_states",
        include_str!("../migrations/sqlite/0007_request_states.sql"),
        include_str!("../migrations/postgres/0007_request_states.sql"),
    ),
    (
        "0008_family_contacts",
        include_str!("../migrations/sqlite/0008_family_contacts.sql"),
        include_str!("../migrations/postgres/0008_family_contacts.sql"),
    ),
    ("0009_meetings", include_str!("../migrations/sqlite/0009_meetings.sql"), include_str!("../migrations/postgres/0009_meetings.sql")),
    ("0010_progress", include_str!("../migrations/sqlite/0010_progress.sql"), include_str!("../migrations/postgres/0010_progress.sql")),
    ("0011_outbox", include_str!("../migrations/sqlite/0011_outbox.sql"), include_str!("../migrations/postgres/0011_outbox.sql")),
    ("0012_documents", include_str!("../migrations/sqlite/0012_documents.sql"), include_str!("../migrations/postgres/0012_documents.sql")),
    ("0013_letters", include_str!("../migrations/sqlite/0013_letters.sql"), include_str!("../migrations/postgres/0013_letters.sql")),
    ("0014_local_offer", include_str!("../migrations/sqlite/0014_local_offer.sql"), include_str!("../migrations/postgres/0014_local_offer.sql")),
    ("0015_referrals", include_str!("../migrations/sqlite/0015_referrals.sql"), include_str!("../migrations/postgres/0015_referrals.sql")),
    ("0016_referral_reports", include_str!("../migrations/sqlite/0016_referral_reports.sql"), include_str!("../migrations/postgres/0016_referral_reports.sql")),
    ("0017_adjustments", include_str!("../migrations/sqlite/0017_adjustments.sql"), include_str!("../migrations/postgres/0017_adjustments.sql")),
    ("0018_sharing", include_str!("../migrations/sqlite/0018_sharing.sql"), include_str!("../migrations/postgres/0018_sharing.sql")),
    ("0019_data_exchange", include_str!("../migrations/sqlite/0019_data_exchange.sql"), include_str!("../migrations/postgres/0019_data_exchange.sql")),
];

impl Store {
    /// Applies every migration not yet applied; returns the names applied now.
    pub async fn migrate(&self) -> Result<Vec<&'static str>> {
        self.migrate_until(None).await
    }

    /// Applies migrations up to and including `last` (tests of a migration start from
    /// the schema before it).
    #[cfg(feature = "testing")]
    pub async fn migrate_up_to(&self, last: &str) -> Result<Vec<&'static str>> {
        self.migrate_until(Some(last)).await
    }

    async fn migrate_until(&self, last: Option<&str>) -> Result<Vec<&'static str>> {
        // The same on both databases, before any migration; on PostgreSQL, 0006 makes
        // `applied_at` a TIMESTAMPTZ (the cast below also suits the TEXT it was until then).
        self.pool().execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)").await?;
        let mut applied = Vec::new();
        for (name, sqlite, postgres) in MIGRATIONS {
            let (_guard, mut tx) = self.write().await?;
            let done: Option<(String,)> =
                sqlx::query_as("SELECT name FROM schema_migrations WHERE name = $1").bind(*name).fetch_optional(&mut *tx).await?;
            if done.is_some() {
                if last == Some(*name) {
                    break;
                }
                continue;
            }
            let script = match self.backend() {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            tx.execute(AssertSqlSafe(*script)).await.map_err(|source| StoreError::Migration { name, source })?;
            sqlx::query(tx.backend.sql("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2::timestamptz)"))
                .bind(*name)
                .bind(crate::rows::stamp(chrono::Utc::now()))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            applied.push(*name);
            if last == Some(*name) {
                break;
            }
        }
        Ok(applied)
    }
}
