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

/// Trims a text field and limits its length, so stored text is tidy and bounded. Line
/// breaks are kept (a browser's `\r\n` becomes `\n`) and tabs too; any other control
/// character (a NUL, an escape, a backspace…) is refused with a field error: it is
/// never what someone meant to type, and some databases cannot store it.
pub fn clean_text(field: &str, value: &str, max_chars: usize, errors: &mut Invalid) -> String {
    let t = value.trim().replace("\r\n", "\n");
    if t.chars().count() > max_chars {
        errors.push(field, "too_long", format!("Must be {max_chars} characters or fewer"));
    }
    if let Some(c) = t.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        errors.push(
            field,
            "control_character",
            format!("Remove the invisible control character (U+{:04X}): only letters, numbers, punctuation, spaces, tabs and new lines can be saved", u32::from(c)),
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r20_text_keeps_lines_and_tabs_and_refuses_other_control_characters() {
        let mut e = Invalid::default();
        assert_eq!(clean_text("notes", "  line one\r\nline two\tend  ", 100, &mut e), "line one\nline two\tend");
        assert!(e.is_empty());
        for bad in ["a\u{0}b", "bell\u{7}", "esc\u{1b}[31m", "\u{8}", "cr\ralone", "del\u{7f}x", "c1\u{85}x"] {
            let mut e = Invalid::default();
            clean_text("notes", bad, 100, &mut e);
            assert_eq!(e.errors.len(), 1, "{bad:?}");
            assert_eq!((e.errors[0].field.as_str(), e.errors[0].code.as_str()), ("notes", "control_character"));
        }
        let mut e = Invalid::default();
        clean_text("notes", "a\u{0}", 100, &mut e);
        assert!(e.errors[0].message.contains("U+0000"), "{}", e.errors[0].message);
        let mut e = Invalid::default();
        clean_text("notes", &"x".repeat(101), 100, &mut e);
        assert_eq!(e.errors[0].code, "too_long");
        let mut e = Invalid::default();
        assert_eq!(clean_text("notes", &"é".repeat(100), 100, &mut e).chars().count(), 100);
        assert!(e.is_empty(), "exactly the limit, counted in characters, is kept");
    }

    #[test]
    fn errors_are_empty_until_one_is_pushed_and_read_field_by_field() {
        let mut e = Invalid::default();
        assert!(e.is_empty());
        e.push("name", "required", "Enter the name");
        e.push("urn", "invalid_urn", "Enter the URN as 6 digits");
        assert!(!e.is_empty());
        assert_eq!(e.to_string(), "name: Enter the name; urn: Enter the URN as 6 digits");
    }
}
