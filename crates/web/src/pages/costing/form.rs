//! A submitted HTML form: what was typed (kept, so nothing is lost on an error) and
//! the errors to show, each tied to a field's id for the GOV.UK error summary.

use std::collections::HashMap;

use senplan_app::AppError;
use senplan_core::Invalid;

use crate::error::ApiError;

#[derive(Debug, Default, Clone)]
pub(crate) struct Form {
    pub values: HashMap<String, String>,
    /// (field id, message), in the order shown.
    pub errors: Vec<(String, String)>,
}

impl Form {
    pub fn new(values: HashMap<String, String>) -> Form {
        Form { values, errors: Vec::new() }
    }

    /// What was typed in `name`, or "".
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// Trimmed text of `name`.
    pub fn text(&self, name: &str) -> String {
        self.value(name).trim().to_owned()
    }

    pub fn is(&self, name: &str, value: &str) -> bool {
        self.value(name) == value
    }

    /// The message for the field with this id, if any.
    pub fn error(&self, id: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.as_str())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn push(&mut self, id: &str, message: impl Into<String>) {
        self.errors.push((id.to_owned(), message.into()));
    }

    /// Adds core's errors, turning each field path into a field id with `id_of`.
    pub fn add_invalid(&mut self, invalid: &Invalid, id_of: impl Fn(&str) -> String) {
        for e in &invalid.errors {
            self.errors.push((id_of(&e.field), e.message.clone()));
        }
    }

    /// Adds a refused save's reasons (invalid or stale); other errors are returned.
    pub fn add_app_error(&mut self, e: AppError, first_id: &str, id_of: impl Fn(&str) -> String) -> Result<(), ApiError> {
        match e {
            AppError::Invalid(i) => self.add_invalid(&i, id_of),
            AppError::Conflict { .. } => {
                self.push(first_id, "Someone else changed these settings while you were editing, so your change was not saved. Check the settings below and try again.")
            }
            other => return Err(other.into()),
        }
        Ok(())
    }
}

/// The last part of a field path without indexes: `settings.staff_roles[2].hourly_cost` → `hourly_cost`.
pub(crate) fn leaf(field: &str) -> &str {
    let last = field.rsplit('.').next().unwrap_or(field);
    last.split('[').next().unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_drops_path_and_index() {
        assert_eq!(leaf("settings.staff_roles[2].hourly_cost"), "hourly_cost");
        assert_eq!(leaf("attendees[1]"), "attendees");
        assert_eq!(leaf("date"), "date");
    }
}
