//! Small helpers for reading stored text back into typed values.

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;

use crate::StoreError;

pub(crate) fn date(what: &'static str, s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| StoreError::corrupt(what, e))
}

pub(crate) fn opt_date(what: &'static str, s: Option<&str>) -> Result<Option<NaiveDate>, StoreError> {
    s.map(|s| date(what, s)).transpose()
}

pub(crate) fn json<T: DeserializeOwned>(what: &'static str, s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::corrupt(what, e))
}

pub(crate) fn to_json(what: &'static str, v: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::corrupt(what, e))
}

pub(crate) fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An instant as senplan stores it: RFC 3339, UTC, milliseconds, `Z`
/// (`2026-11-27T16:24:52.123Z`). Every instant written goes through here, so what
/// PostgreSQL gives back through `iso(…)` is the same text, byte for byte.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
