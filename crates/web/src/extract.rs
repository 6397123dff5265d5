//! Request extractors: JSON bodies whose errors name the field at fault. (Who is
//! asking comes from [`crate::session::Viewer`].)

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

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
