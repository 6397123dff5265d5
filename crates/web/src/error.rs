//! One application error type. The API renders it as JSON with a stable code, the
//! field at fault and a message for people; pages render it as HTML. Internal detail
//! is logged (without personal data) and never shown.

use axum::Json;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use senplan_core::{FieldError, Invalid};
use senplan_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub enum ApiError {
    Invalid(Invalid),
    BadRequest {
        code: &'static str,
        field: Option<String>,
        message: String,
    },
    NotFound(&'static str),
    /// The address exists, but not with this method (`POST /api/schools`).
    MethodNotAllowed,
    /// A body larger than [`crate::MAX_BODY_BYTES`].
    TooLarge,
    /// A body not sent as JSON to a route that reads JSON.
    UnsupportedMediaType,
    /// A body not sent as CSV to a route that reads a CSV file.
    NotCsv,
    /// Not signed in (API only; pages redirect to the sign-in page).
    Unauthorised,
    /// Signed in, may see this, but may not do this.
    Forbidden,
    /// A state-changing request without its session's CSRF token.
    CsrfFailed,
    /// Too many failed sign-ins for one email address, or from one network address.
    TooManyAttempts(crate::security::limits::TooMany),
    Conflict {
        message: String,
        current_version: i64,
        stored: Option<Box<senplan_core::record::HistoryEntry>>,
    },
    Internal,
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case code, e.g. `invalid`, `not_found`, `conflict`.
    pub code: String,
    /// The first field at fault, if any, e.g. `outcomes[0].measure`.
    pub field: Option<String>,
    pub message: String,
    /// Every field error when input was invalid.
    pub errors: Vec<FieldError>,
    /// For a conflict: the version now stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// For a conflict: the record as stored now (version, who saved it and when, and
    /// the whole record), to show beside what was sent so nothing typed is lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<senplan_core::record::HistoryEntry>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) | Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType | Self::NotCsv => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthorised => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::CsrfFailed => StatusCode::FORBIDDEN,
            Self::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        match self {
            Self::Invalid(i) => ErrorBody {
                code: i.errors.first().map_or("invalid", |e| e.code.as_str()).to_owned(),
                field: i.errors.first().map(|e| e.field.clone()),
                message: i.errors.first().map_or_else(|| "The input is not valid".to_owned(), |e| e.message.clone()),
                errors: i.errors.clone(),
                current_version: None,
                current: None,
            },
            Self::BadRequest { code, field, message } => ErrorBody {
                code: (*code).to_owned(),
                field: field.clone(),
                message: message.clone(),
                errors: vec![FieldError::new(field.clone().unwrap_or_default(), code, message.clone())],
                current_version: None,
                current: None,
            },
            Self::NotFound(what) => ErrorBody {
                code: "not_found".into(),
                field: None,
                message: format!("No such {what}"),
                errors: vec![],
                current_version: None,
                current: None,
            },
            Self::MethodNotAllowed => Self::simple("method_not_allowed", "This address does not accept this method"),
            Self::TooLarge => ErrorBody {
                code: "too_large".into(),
                field: None,
                message: format!("What was sent is larger than the {} MB senplan accepts", crate::MAX_BODY_BYTES / (1024 * 1024)),
                errors: vec![],
                current_version: None,
                current: None,
            },
            Self::UnsupportedMediaType => {
                Self::simple("unsupported_media_type", "Send the body as JSON, with the header Content-Type: application/json")
            }
            Self::NotCsv => Self::simple("unsupported_media_type", "Send the file as CSV, with the header Content-Type: text/csv"),
            Self::Unauthorised => Self::simple("sign_in_required", "Sign in first: POST /api/session with your email and password"),
            Self::Forbidden => Self::simple(
                "forbidden",
                "Your role does not allow this. If you need it for your work, ask the school's SENCO or administrator",
            ),
            Self::CsrfFailed => Self::simple(
                "csrf_failed",
                "This form or request has expired or did not come from senplan. Go back, reload the page and try again",
            ),
            Self::TooManyAttempts(limit) => Self::simple("too_many_attempts", crate::sign_in::too_many_message(*limit)),
            Self::Conflict { message, current_version, stored } => ErrorBody {
                code: "conflict".into(),
                field: Some("version".into()),
                message: message.clone(),
                errors: vec![],
                current_version: Some(*current_version),
                current: stored.as_deref().cloned(),
            },
            Self::Internal => ErrorBody {
                code: "internal".into(),
                field: None,
                message: "Something went wrong on our side. Nothing you entered was lost; please try again.".into(),
                errors: vec![],
                current_version: None,
                current: None,
            },
        }
    }
}

impl ApiError {
    fn simple(code: &str, message: &str) -> ErrorBody {
        ErrorBody { code: code.into(), field: None, message: message.into(), errors: vec![], current_version: None, current: None }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => Self::NotFound(what),
            StoreError::Conflict { current, ref stored, .. } => {
                let stored = stored.clone();
                Self::Conflict { message: e.to_string(), current_version: current, stored }
            }
            StoreError::Invalid(i) => Self::Invalid(i),
            StoreError::Transition(t) => Self::BadRequest { code: "illegal_transition", field: Some("stage".into()), message: t.message() },
            other => {
                // The detail names tables and SQL, never people: safe to log, not to show.
                tracing::error!(error = %other, "store error");
                Self::Internal
            }
        }
    }
}

impl From<senplan_app::AppError> for ApiError {
    fn from(e: senplan_app::AppError) -> Self {
        use senplan_app::AppError;
        match e {
            AppError::NotFound(what) => Self::NotFound(what),
            AppError::Forbidden => Self::Forbidden,
            AppError::Invalid(i) => Self::Invalid(i),
            AppError::Conflict { what, expected, current, stored } => StoreError::Conflict { what, expected, current, stored }.into(),
            AppError::Transition(t) => StoreError::Transition(t).into(),
            AppError::Store(s) => s.into(),
            AppError::Document(senplan_docs::DocError::NotAccessible(_)) => Self::BadRequest {
                code: "document_not_accessible",
                field: None,
                message: "senplan cannot make an accessible PDF of this record: some of its text (an emoji, or a script such as Chinese or Arabic) is not in the fonts the documents use. Nothing has been changed; the record can be read on its page.".into(),
            },
            AppError::Document(senplan_docs::DocError::TooLong { pages, limit }) => Self::BadRequest {
                code: "document_too_long",
                field: None,
                message: format!("The document would take {pages} pages, more than the {limit} it must fit on: shorten the text. Nothing has been changed."),
            },
            AppError::Document(d) => {
                // Typst's messages can quote the document's text: log only which kind.
                let kind = match d {
                    senplan_docs::DocError::Data(_) => "data",
                    senplan_docs::DocError::Typeset(_) => "typeset",
                    senplan_docs::DocError::NotAccessible(_) => "not accessible (PDF/UA-1)",
                    senplan_docs::DocError::Export(_) => "export",
                    senplan_docs::DocError::Picture(_) => "picture",
                    senplan_docs::DocError::TooLong { .. } => "too long",
                };
                tracing::error!(kind, "document error");
                Self::Internal
            }
        }
    }
}

impl From<Invalid> for ApiError {
    fn from(i: Invalid) -> Self {
        Self::Invalid(i)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(self.body())).into_response()
    }
}

/// An address nothing is served at: JSON under `/api/`, a page elsewhere.
pub async fn not_found_fallback(uri: Uri) -> Response {
    answer_for(&uri, ApiError::NotFound("page"))
}

/// An address served, but not with this method: JSON under `/api/`, a page elsewhere
/// (axum adds the `Allow` header).
pub async fn method_not_allowed_fallback(uri: Uri) -> Response {
    answer_for(&uri, ApiError::MethodNotAllowed)
}

fn answer_for(uri: &Uri, e: ApiError) -> Response {
    if uri.path().starts_with("/api/") { e.into_response() } else { crate::pages::PageError(e).into_response() }
}

/// The last word on every error answer: one that a layer or an extractor wrote as
/// plain text (a path id that is not a number, a body over the limit, a query string
/// or body that cannot be read) is answered again as JSON under `/api/` and as a
/// GOV.UK page elsewhere, with what went wrong in words. Answers already in JSON or
/// HTML, and successes, pass untouched.
pub async fn uniform(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let status = response.status();
    let typed = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || typed {
        return response;
    }
    let (parts, body) = response.into_parts();
    // These bodies are a line of text from axum or tower-http; never more is read.
    let text = axum::body::to_bytes(body, 4096).await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let e = rewritten(status, &text);
    let mut answer = answer_for(&uri, e);
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
}

/// What a plain-text error from a layer or extractor means, said for people.
fn rewritten(status: StatusCode, text: &str) -> ApiError {
    let bad = |code: &'static str, message: String| ApiError::BadRequest { code, field: None, message };
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        // An id in the address that is not a number names nothing: not found.
        StatusCode::BAD_REQUEST if text.starts_with("Invalid URL") => ApiError::NotFound("page"),
        StatusCode::BAD_REQUEST if text.contains("query string") => {
            bad("bad_query", format!("The query string could not be read: {}", last_part(text)))
        }
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            bad("unreadable_request", format!("What was sent could not be read: {}", last_part(text)))
        }
        StatusCode::NOT_FOUND => ApiError::NotFound("page"),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::UNAUTHORIZED => ApiError::Unauthorised,
        StatusCode::FORBIDDEN => ApiError::Forbidden,
        _ => ApiError::Internal,
    }
}

/// The part of an extractor's message after its last colon: the reason itself.
fn last_part(text: &str) -> &str {
    text.rsplit(": ").next().unwrap_or(text).trim()
}
