//! Small helpers for reading stored text back into typed values.

use chrono::NaiveDate;
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
