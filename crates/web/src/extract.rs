//! Request extractors: JSON bodies whose errors name the field at fault. (Who is
//! asking comes from [`crate::session::Viewer`].)
//!
//! A body is refused, before anything is done with it, when it is not sent as JSON
//! (415), is not well-formed (400 `malformed_json`), has a field of the wrong type or a
//! date that cannot exist (400 `invalid_field`, naming the field: "30 February 2026
//! does not exist"), or has a field senplan does not know (400 `unknown_field`): a
//! misspelt field must not be silently dropped.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use crate::error::ApiError;

/// A JSON body. Malformed JSON and wrong types are 400s that say where and what.
pub struct ApiJson<T>(pub T);

/// `application/json`, with or without parameters, or a `+json` type.
fn is_json(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(is_json) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| ApiError::BadRequest {
            code: "body_unreadable",
            field: None,
            message: format!("The request body could not be read: {e}"),
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body into `T`, refusing unknown fields and explaining impossible dates.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut unknown: Vec<String> = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let json = &mut serde_json::Deserializer::from_slice(bytes);
    let tracked = serde_path_to_error::Deserializer::new(json, &mut track);
    let read: Result<T, _> = serde_ignored::deserialize(tracked, |path| unknown.push(field_path(&path)));
    match read {
        Ok(value) => match unknown.first() {
            None => Ok(value),
            Some(first) => Err(ApiError::BadRequest {
                code: "unknown_field",
                field: Some(first.clone()),
                message: format!(
                    "senplan does not know the field {}: check its spelling against the API document (/api/openapi.json)",
                    unknown.join(", ")
                ),
            }),
        },
        Err(inner) => {
            let path = track.path();
            if inner.is_syntax() || inner.is_eof() {
                return Err(ApiError::BadRequest { code: "malformed_json", field: None, message: format!("{inner}") });
            }
            let message = impossible_date(bytes, &path).unwrap_or_else(|| format!("{inner}"));
            Err(ApiError::BadRequest { code: "invalid_field", field: Some(path.to_string()), message })
        }
    }
}

/// `outcomes[0].target_date`, as core's field paths are written.
fn field_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", field_path(parent)),
        Path::Map { parent, key } => {
            let p = field_path(parent);
            if p.is_empty() { key.clone() } else { format!("{p}.{key}") }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => field_path(parent),
    }
}

/// "30 February 2026 does not exist" when the value at `path` is an ISO date that names
/// no day.
fn impossible_date(bytes: &[u8], path: &serde_path_to_error::Path) -> Option<String> {
    let mut value = &serde_json::from_slice::<serde_json::Value>(bytes).ok()?;
    for segment in path.iter() {
        value = match segment {
            Segment::Seq { index } => value.get(*index)?,
            Segment::Map { key } => value.get(key)?,
            Segment::Enum { .. } | Segment::Unknown => return None,
        };
    }
    senplan_core::dates::impossible_iso(value.as_str()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outcome {
        number: u32,
        target_date: chrono::NaiveDate,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        version: i64,
        outcomes: Vec<Outcome>,
        #[serde(default)]
        note: Option<String>,
    }

    fn refused(json: &str) -> (String, Option<String>, String) {
        match parse::<Body>(json.as_bytes()) {
            Err(ApiError::BadRequest { code, field, message }) => (code.to_owned(), field, message),
            other => panic!("expected a 400, got {other:?}"),
        }
    }

    #[test]
    fn r20_a_misspelt_field_is_refused_not_dropped() {
        let (code, field, message) =
            refused(r#"{"version": 1, "outcomes": [{"number": 1, "target_date": "2027-02-12", "targte": 4}], "nots": "x"}"#);
        assert_eq!((code.as_str(), field.as_deref()), ("unknown_field", Some("outcomes[0].targte")));
        assert!(message.contains("outcomes[0].targte, nots"), "{message}");
        assert!(parse::<Body>(br#"{"version": 1, "outcomes": [], "note": null}"#).is_ok());
    }

    #[test]
    fn r20_an_impossible_date_says_so_and_names_its_field() {
        let (code, field, message) = refused(r#"{"version": 1, "outcomes": [{"number": 1, "target_date": "2026-02-30"}]}"#);
        assert_eq!((code.as_str(), field.as_deref()), ("invalid_field", Some("outcomes[0].target_date")));
        assert_eq!(message, "30 February 2026 does not exist");
        let (_, _, message) = refused(r#"{"version": 1, "outcomes": [{"number": 1, "target_date": "soon"}]}"#);
        assert!(message.contains("input contains invalid characters"), "other bad dates keep the parser's words: {message}");
        assert_eq!(refused(r#"{"version": 1, "#).0, "malformed_json");
    }

    #[test]
    fn only_json_content_types_are_json() {
        for yes in ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/problem+json"] {
            assert!(is_json(yes), "{yes}");
        }
        for no in ["text/plain", "application/x-www-form-urlencoded", "", "application/jsonp"] {
            assert!(!is_json(no), "{no}");
        }
    }
}
