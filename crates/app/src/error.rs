//! What a use case answers when it does not succeed. Each maps to one HTTP status in
//! `web` and one exit status on the command line.

use senplan_core::Invalid;
use senplan_core::cycle::IllegalTransition;
use senplan_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, another school's, or outside the actor's sight: deliberately the same.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The actor may see this but may not do it.
    #[error("you may not do this")]
    Forbidden,
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The change was based on an older version than the one stored.
    #[error("{what} was changed by someone else: you edited version {expected}, the current version is {current}")]
    Conflict { what: &'static str, expected: i64, current: i64, stored: Option<Box<senplan_core::record::HistoryEntry>> },
    /// The cycle's stage does not allow this now (R05).
    #[error(transparent)]
    Transition(#[from] IllegalTransition),
    #[error(transparent)]
    Store(StoreError),
    /// A document could not be produced (`senplan-docs`): never a PDF without its
    /// accessibility promise.
    #[error(transparent)]
    Document(senplan_docs::DocError),
}

impl AppError {
    /// A document's failure, for `map_err`.
    pub fn document(e: senplan_docs::DocError) -> Self {
        Self::Document(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => Self::NotFound(what),
            StoreError::Invalid(i) => Self::Invalid(i),
            StoreError::Conflict { what, expected, current, stored } => Self::Conflict { what, expected, current, stored },
            StoreError::Transition(t) => Self::Transition(t),
            other => Self::Store(other),
        }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
