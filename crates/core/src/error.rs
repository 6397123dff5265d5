//! Validation errors. Every rule that refuses input says which field, what was
//! wrong and what was expected, with a stable snake_case code clients can rely on.

use serde::Serialize;

/// One thing wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Path of the field at fault, e.g. `outcomes[1].target_date`.
    pub field: String,
    /// Stable machine-readable code, e.g. `required`.
    pub code: String,
    /// A sentence for people, saying what was expected.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.to_owned(), message: message.into() }
    }
}

/// Input that broke one or more rules. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("{}", self.summary())]
pub struct Invalid {
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn one(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self { errors: vec![FieldError::new(field, code, message)] }
    }

    pub fn push(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Records that a required text field is blank.
    pub fn require_text(&mut self, field: &str, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.push(field, "required", format!("Enter {what}"));
        }
    }

    /// Adds the errors of a nested value under a field prefix.
    pub fn nest(&mut self, prefix: &str, inner: Invalid) {
        for e in inner.errors {
            self.errors.push(FieldError { field: format!("{prefix}.{}", e.field), ..e });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing was wrong.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.errors.is_empty() { Ok(()) } else { Err(self) }
    }

    fn summary(&self) -> String {
        self.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
    }
}

/// Trims a text field and limits its length, so stored text is tidy and bounded.
pub fn clean_text(field: &str, value: &str, max_chars: usize, errors: &mut Invalid) -> String {
    let t = value.trim();
    if t.chars().count() > max_chars {
        errors.push(field, "too_long", format!("Must be {max_chars} characters or fewer"));
    }
    t.to_owned()
}
