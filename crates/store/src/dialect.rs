//! One SQL text for both databases. Queries are written in PostgreSQL's form, with the
//! column types it declares (`DATE`, `TIMESTAMPTZ`, `JSONB`) made explicit where a
//! value crosses the `Any` driver, which only carries integers, reals, text and bytes:
//!
//! - a bound value is cast to its column's type: `$1::date`, `$2::timestamptz`,
//!   `$3::jsonb` (the driver sends text);
//! - a date or JSON column read back is cast to text: `held_on::text`, `body::text`
//!   (dates come back as `YYYY-MM-DD`: every PostgreSQL connection sets `DateStyle`);
//! - an instant read back is wrapped in `iso(…)`, which gives the RFC 3339 text senplan
//!   writes (`2026-11-27T16:24:52.123Z`), so values read back equal values written and
//!   the audit chain's hashes still match.
//!
//! For SQLite, which stores all three as text, the casts are removed and `iso(x)` is
//! `x`. Translations are made once per query text and kept.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use crate::Backend;

/// The casts SQLite has no use for (its columns hold text either way).
const CASTS: [&str; 5] = ["date", "timestamptz", "jsonb", "text", "bigint"];

/// PostgreSQL's rendering of an instant as senplan's RFC 3339 text (milliseconds, UTC).
const PG_ISO: &str = "to_char(({}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

impl Backend {
    /// The query text for this database, translated once and kept.
    pub fn sql(self, portable: &'static str) -> &'static str {
        static CACHE: OnceLock<RwLock<HashMap<(Backend, &'static str), &'static str>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(done) = cache.read().unwrap_or_else(|e| e.into_inner()).get(&(self, portable)) {
            return done;
        }
        let done: &'static str = Box::leak(translate(self, portable).into_boxed_str());
        cache.write().unwrap_or_else(|e| e.into_inner()).insert((self, portable), done);
        done
    }
}

/// Translates a query written in PostgreSQL's form for `backend` (used directly for
/// query text built at run time, which is not kept).
pub fn translate(backend: Backend, portable: &str) -> String {
    let expanded = expand_iso(backend, portable);
    match backend {
        Backend::Postgres => expanded,
        Backend::Sqlite => strip_casts(&expanded),
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces every `iso(x)` (a whole word, with balanced parentheses inside).
fn expand_iso(backend: Backend, sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(at) = rest.find("iso(") {
        let starts_word = rest[..at].chars().next_back().is_none_or(|c| !is_ident(c));
        if !starts_word {
            out.push_str(&rest[..at + 4]);
            rest = &rest[at + 4..];
            continue;
        }
        out.push_str(&rest[..at]);
        let inner_start = at + 4;
        let mut depth = 1usize;
        let mut end = None;
        for (i, c) in rest[inner_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(inner_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            // Unbalanced: leave the text as written for the database to reject.
            out.push_str(&rest[at..]);
            return out;
        };
        let inner = expand_iso(backend, &rest[inner_start..end]);
        match backend {
            Backend::Postgres => out.push_str(&PG_ISO.replace("{}", &inner)),
            Backend::Sqlite => out.push_str(&inner),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Removes `::type` casts that SQLite would not parse.
fn strip_casts(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find("::") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let word_len = after.find(|c: char| !is_ident(c)).unwrap_or(after.len());
        let word = &after[..word_len];
        if CASTS.contains(&word.to_ascii_lowercase().as_str()) {
            rest = &after[word_len..];
        } else {
            out.push_str("::");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_loses_the_casts_and_iso() {
        let q = "SELECT held_on::text, iso(updated_at), body::text FROM reviews WHERE held_on <= $1::date AND body = $2::jsonb AND at > $3::timestamptz";
        assert_eq!(
            translate(Backend::Sqlite, q),
            "SELECT held_on, updated_at, body FROM reviews WHERE held_on <= $1 AND body = $2 AND at > $3"
        );
    }

    #[test]
    fn postgres_keeps_the_casts_and_renders_instants_as_rfc3339() {
        let q = "SELECT iso(MAX(changed_at)), held_on::text FROM history WHERE at > $1::timestamptz";
        assert_eq!(
            translate(Backend::Postgres, q),
            "SELECT to_char((MAX(changed_at)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), held_on::text FROM history WHERE at > $1::timestamptz"
        );
    }

    #[test]
    fn only_whole_words_and_known_casts_change() {
        assert_eq!(translate(Backend::Sqlite, "SELECT radio(x), a::interval FROM t"), "SELECT radio(x), a::interval FROM t");
        assert_eq!(translate(Backend::Postgres, "SELECT radio(x) FROM t"), "SELECT radio(x) FROM t");
        assert_eq!(translate(Backend::Sqlite, "SELECT iso(a) || iso(b)"), "SELECT a || b");
    }

    #[test]
    fn translations_are_kept() {
        let q: &'static str = "SELECT iso(updated_at) FROM pupils";
        let first = Backend::Sqlite.sql(q);
        assert!(std::ptr::eq(first, Backend::Sqlite.sql(q)));
        assert_eq!(first, "SELECT updated_at FROM pupils");
        assert_ne!(Backend::Postgres.sql(q), first);
    }
}
