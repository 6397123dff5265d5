//! What a use case answers when it does not succeed. Each maps to one HTTP status in
//! `web` and one exit status on the command line.

use senplan_core::Invalid;
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
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => Self::NotFound(what),
            StoreError::Invalid(i) => Self::Invalid(i),
            other => Self::Store(other),
        }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
