//! View models for GOV.UK form components and the error summary. Every input's `name`
//! is the core field path and its `id` is [`field_id`] of it, so the error summary's
//! links (`href="#outcomes-1-measure"`) land on the input that core named.
//! Rendered by the macros in `templates/fields.html`.

use senplan_core::Invalid;

use super::form::DateParts;

/// The element id for a field path: `outcomes[1].measure` → `outcomes-1-measure`,
/// `checklist.all_needs_identified` → `checklist-all_needs_identified`.
pub fn field_id(path: &str) -> String {
    let mut id = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => id.push(c),
            _ => id.push('_'),
        }
    }
    id
}

/// The errors of one submission, for the summary at the top and for each field.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    invalid: Invalid,
    /// Fields whose errors are shown on another input (e.g. `strategies[2]` on `strategies`).
    redirects: Vec<(String, String)>,
}

/// One link of the error summary.
pub struct ErrorLink {
    pub href: String,
    pub message: String,
}

impl Errors {
    pub fn new(invalid: Invalid) -> Self {
        Self { invalid, redirects: Vec::new() }
    }

    /// Shows errors on fields starting with `prefix` on the input `to` instead.
    pub fn redirect(mut self, prefix: &str, to: &str) -> Self {
        self.redirects.push((prefix.to_owned(), to.to_owned()));
        self
    }

    fn target(&self, field: &str) -> String {
        self.redirects.iter().find(|(prefix, _)| field.starts_with(prefix.as_str())).map_or_else(|| field.to_owned(), |(_, to)| to.clone())
    }

    /// The summary's links, in the order the rules reported them.
    pub fn summary(&self) -> Vec<ErrorLink> {
        self.invalid
            .errors
            .iter()
            .map(|e| ErrorLink { href: format!("#{}", field_id(&self.target(&e.field))), message: e.message.clone() })
            .collect()
    }

    /// The message(s) for the input named `path`.
    pub fn on(&self, path: &str) -> Option<String> {
        let msgs: Vec<&str> = self.invalid.errors.iter().filter(|e| self.target(&e.field) == path).map(|e| e.message.as_str()).collect();
        (!msgs.is_empty()).then(|| msgs.join(". "))
    }
}

/// A text input or textarea.
pub struct Text {
    pub id: String,
    pub name: String,
    pub label: String,
    pub label_class: &'static str,
    /// Said to screen readers after the label, e.g. " (outcome 2)" in a repeated row.
    pub context: String,
    pub hint: String,
    pub value: String,
    pub error: Option<String>,
    /// Width class for an input, e.g. `govuk-input--width-4`.
    pub width: &'static str,
    /// 0 for a one-line input; otherwise a textarea of this many rows.
    pub rows: u8,
    pub numeric: bool,
}

impl Text {
    pub fn new(path: &str, label: impl Into<String>, value: impl Into<String>, errors: &Errors) -> Self {
        Self {
            id: field_id(path),
            name: path.to_owned(),
            label: label.into(),
            label_class: "",
            context: String::new(),
            hint: String::new(),
            value: value.into(),
            error: errors.on(path),
            width: "",
            rows: 0,
            numeric: false,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// Visually hidden words after the label, so each row's fields have their own names.
    pub fn context(mut self, context: impl Into<String>) -> Self {
        self.context = context.into();
        self
    }

    pub fn width(mut self, class: &'static str) -> Self {
        self.width = class;
        self
    }

    pub fn area(mut self, rows: u8) -> Self {
        self.rows = rows;
        self
    }

    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self.width = "govuk-input--width-4";
        self
    }

    pub fn bold(mut self) -> Self {
        self.label_class = "govuk-label--s";
        self
    }

    pub fn describedby(&self) -> String {
        described(&self.id, !self.hint.is_empty(), self.error.is_some())
    }
}

/// A GOV.UK date input: day, month and year inside a fieldset.
pub struct DateInput {
    pub id: String,
    pub name: String,
    pub legend: String,
    pub hint: String,
    pub parts: DateParts,
    pub error: Option<String>,
}

impl DateInput {
    pub fn new(path: &str, legend: impl Into<String>, parts: DateParts, errors: &Errors) -> Self {
        Self {
            id: field_id(path),
            name: path.to_owned(),
            legend: legend.into(),
            hint: "For example, 12 2 2027".into(),
            parts,
            error: errors.on(path),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn describedby(&self) -> String {
        described(&self.id, !self.hint.is_empty(), self.error.is_some())
    }
}

/// One radio, checkbox or select option.
pub struct Choice {
    /// Set by [`Choices::new`]: the field id for the first option, then `<id>-2`, ...
    pub id: String,
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, checked: bool) -> Self {
        Self { id: String::new(), value: value.into(), label: label.into(), hint: String::new(), checked }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

/// Radios, checkboxes, or a select. The first option's id is the field id, so the
/// error summary's link lands on it.
pub struct Choices {
    pub id: String,
    pub name: String,
    pub legend: String,
    pub legend_class: &'static str,
    pub hint: String,
    pub options: Vec<Choice>,
    pub error: Option<String>,
    pub small: bool,
    pub inline: bool,
}

impl Choices {
    pub fn new(path: &str, legend: impl Into<String>, mut options: Vec<Choice>, errors: &Errors) -> Self {
        let id = field_id(path);
        for (i, o) in options.iter_mut().enumerate() {
            o.id = if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) };
        }
        Self {
            id,
            name: path.to_owned(),
            legend: legend.into(),
            legend_class: "govuk-fieldset__legend--s",
            hint: String::new(),
            options,
            error: errors.on(path),
            small: false,
            inline: false,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn small(mut self) -> Self {
        self.small = true;
        self
    }

    pub fn inline(mut self) -> Self {
        self.inline = true;
        self
    }

    pub fn legend_m(mut self) -> Self {
        self.legend_class = "govuk-fieldset__legend--m";
        self
    }

    pub fn describedby(&self) -> String {
        described(&self.id, !self.hint.is_empty(), self.error.is_some())
    }
}

fn described(id: &str, hint: bool, error: bool) -> String {
    let mut parts = Vec::new();
    if hint {
        parts.push(format!("{id}-hint"));
    }
    if error {
        parts.push(format!("{id}-error"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_map_to_ids_consistently() {
        assert_eq!(field_id("outcomes[1].measure"), "outcomes-1-measure");
        assert_eq!(field_id("provision[0].outcomes"), "provision-0-outcomes");
        assert_eq!(field_id("checklist.all_needs_identified"), "checklist-all_needs_identified");
        assert_eq!(field_id("needs[2].code"), "needs-2-code");
        assert_eq!(field_id("review_date"), "review_date");
    }

    #[test]
    fn summary_links_to_each_field_and_fields_get_their_messages() {
        let mut inv = Invalid::default();
        inv.push("outcomes[1].measure", "required", "Enter how progress will be measured");
        inv.push("strategies[3]", "too_long", "Must be 500 characters or fewer");
        let errors = Errors::new(inv).redirect("strategies", "strategies");
        let links: Vec<_> = errors.summary().into_iter().map(|l| (l.href, l.message)).collect();
        assert_eq!(links[0], ("#outcomes-1-measure".into(), "Enter how progress will be measured".into()));
        assert_eq!(links[1].0, "#strategies");
        assert_eq!(errors.on("strategies").as_deref(), Some("Must be 500 characters or fewer"));
        assert!(errors.on("outcomes[0].measure").is_none());
    }

    #[test]
    fn inputs_are_described_by_hint_and_error() {
        let mut inv = Invalid::default();
        inv.push("reason", "required", "Enter the reason");
        let t = Text::new("reason", "Reason", "", &Errors::new(inv)).hint("Why");
        assert_eq!(t.describedby(), "reason-hint reason-error");
        assert_eq!(t.error.as_deref(), Some("Enter the reason"));
    }
}
