//! The store's errors: each maps to one HTTP status and one stable code in `web`.

use senplan_core::Invalid;
use senplan_core::cycle::IllegalTransition;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Missing, or belonging to another school: the two are deliberately the same.
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// The write was based on an older version than the one stored.
    #[error("{what} was changed by someone else: you edited version {expected}, the current version is {current}")]
    Conflict {
        what: &'static str,
        expected: i64,
        current: i64,
        /// The record as stored now (its latest version in history), so whoever sent the
        /// stale write can see both and lose nothing.
        stored: Option<Box<senplan_core::record::HistoryEntry>>,
    },
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Transition(#[from] IllegalTransition),
    #[error("the database URL must start with sqlite: or postgres:// (got '{0}')")]
    UnknownScheme(String),
    #[error("stored {what} could not be read: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("migration {name} failed: {source}")]
    Migration { name: &'static str, source: sqlx::Error },
    /// Something was to be written to the audit trail, but the store has no audit key.
    #[error("the audit trail cannot be written: the store was opened without the audit key")]
    NoAuditKey,
    /// The audit trail or its checkpoint could not be checked or written (the detail
    /// names chains, entry numbers and paths, never people).
    #[error("audit trail: {0}")]
    Audit(String),
    /// The checkpoint file could not be written (a missing or read-only directory).
    #[error("{0}")]
    CheckpointIo(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub fn corrupt(what: &'static str, e: impl std::fmt::Display) -> Self {
        Self::Corrupt { what, detail: e.to_string() }
    }
}
