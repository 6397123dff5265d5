//! Request extractors: JSON bodies whose errors name the field at fault, and the
//! author of a change (until accounts arrive, the `X-Senplan-User` header).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use senplan_store::Ctx;

use crate::error::ApiError;

/// A JSON body. Malformed JSON and wrong types are 400s that say where and what.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| ApiError::BadRequest {
            code: "body_unreadable",
            field: None,
            message: format!("The request body could not be read: {e}"),
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(ApiJson).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (code, field) = if inner.is_syntax() || inner.is_eof() { ("malformed_json", None) } else { ("invalid_field", Some(path)) };
            ApiError::BadRequest { code, field, message: format!("{inner}") }
        })
    }
}

/// Who is making a change, and now.
pub struct Author(pub Ctx);

/// Shown in history when no author header is sent.
pub const DEFAULT_AUTHOR: &str = "local user";

impl<S: Send + Sync> FromRequestParts<S> for Author {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let by = match parts.headers.get("x-senplan-user") {
            None => DEFAULT_AUTHOR.to_owned(),
            Some(v) => {
                let s = v.to_str().map_err(|_| ApiError::BadRequest {
                    code: "invalid_header",
                    field: Some("x-senplan-user".into()),
                    message: "The X-Senplan-User header must be plain text".into(),
                })?;
                let s = s.trim();
                if s.is_empty() || s.chars().count() > 100 {
                    return Err(ApiError::BadRequest { code: "invalid_header", field: Some("x-senplan-user".into()), message: "X-Senplan-User must be 1 to 100 characters".into() });
                }
                s.to_owned()
            }
        };
        Ok(Author(Ctx::new(by, chrono::Utc::now())))
    }
}
