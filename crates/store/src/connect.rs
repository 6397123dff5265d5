//! Opening a database from its URL. `sqlite:` (a file; created if missing) is the
//! embedded default, `postgres://` selects PostgreSQL, and anything else is refused.

use std::sync::Arc;
use std::time::Duration;

use sqlx::Executor;
use sqlx::any::AnyPoolOptions;

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Decides the backend from the URL's scheme.
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            Err(StoreError::UnknownScheme(scheme.to_owned()))
        }
    }
}

/// The file of a `sqlite:` URL (`None` for other schemes and in-memory databases).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let file = rest.split('?').next().unwrap_or_default();
    (!file.is_empty() && !file.contains(":memory:")).then(|| std::path::PathBuf::from(file))
}

/// Adds `mode=rwc` to a SQLite URL so a new file is created, unless a mode is given.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

impl Store {
    /// Connects and applies any migrations not yet applied.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(&sqlite_url(url))
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(10)
                    .acquire_timeout(Duration::from_secs(10))
                    // Dates read back as text are `YYYY-MM-DD` whatever the server's defaults.
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC';").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
        };
        Ok(Store { pool, backend, writer: Arc::new(tokio::sync::Mutex::new(())), url: Arc::from(url), audit: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(Backend::from_url("sqlite:senplan.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("postgres://localhost/test").unwrap(), Backend::Postgres);
        let err = Backend::from_url("mysql://localhost/x").unwrap_err();
        assert_eq!(err.to_string(), "the database URL must start with sqlite: or postgres:// (got 'mysql')");
    }

    #[test]
    fn the_file_of_a_sqlite_url() {
        use std::path::PathBuf;
        assert_eq!(sqlite_path("sqlite:/tmp/x.db"), Some(PathBuf::from("/tmp/x.db")));
        assert_eq!(sqlite_path("sqlite://data/x.db?mode=rwc"), Some(PathBuf::from("data/x.db")));
        assert_eq!(sqlite_path("sqlite:senplan.db"), Some(PathBuf::from("senplan.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/x"), None);
    }

    #[test]
    fn sqlite_urls_create_the_file() {
        assert_eq!(sqlite_url("sqlite:a.db"), "sqlite:a.db?mode=rwc");
        assert_eq!(sqlite_url("sqlite:a.db?mode=ro"), "sqlite:a.db?mode=ro");
    }
}
