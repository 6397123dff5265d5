//! Posted forms: `application/x-www-form-urlencoded` bodies read as an ordered list of
//! (name, value) pairs. Field names are the core's field paths (`outcomes[1].measure`,
//! `checklist.all_needs_identified`), so an `Invalid` error from core names exactly the
//! input it belongs to. Dates are GOV.UK date inputs: `<path>.day`, `.month`, `.year`.

use axum::extract::{FromRequest, Request};
use chrono::NaiveDate;
use senplan_core::Invalid;

use super::PageError;
use crate::error::ApiError;

/// A posted form body.
#[derive(Debug, Clone, Default)]
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    /// The first value posted under `name`, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value posted under `name` (checkboxes), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// How many rows `prefix[0]`, `prefix[1]`, ... were posted: one more than the
    /// highest index seen (missing indexes in between count as blank rows).
    pub fn rows(&self, prefix: &str) -> usize {
        let open = format!("{prefix}[");
        self.0
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(&open)?.split(']').next()?.parse::<usize>().ok())
            .filter(|i| *i < MAX_ROWS)
            .map(|i| i + 1)
            .max()
            .unwrap_or(0)
    }

    /// The date parts typed into the GOV.UK date input named `path`.
    pub fn date(&self, path: &str) -> DateParts {
        DateParts {
            day: self.get(&format!("{path}.day")).trim().to_owned(),
            month: self.get(&format!("{path}.month")).trim().to_owned(),
            year: self.get(&format!("{path}.year")).trim().to_owned(),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, PageError> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state).await.map_err(|e| {
            PageError(ApiError::BadRequest { code: "unreadable_form", field: None, message: format!("The form could not be read: {e}") })
        })?;
        Ok(Posted(pairs))
    }
}

/// Rows beyond this are ignored, so a crafted body cannot make a huge form.
pub const MAX_ROWS: usize = 50;

/// A date as typed into a GOV.UK date input (day, month, year), kept as text so what
/// was typed can be shown again exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    pub fn from_date(d: NaiveDate) -> Self {
        use chrono::Datelike;
        Self { day: d.day().to_string(), month: d.month().to_string(), year: d.year().to_string() }
    }

    pub fn from_opt(d: Option<NaiveDate>) -> Self {
        d.map(Self::from_date).unwrap_or_default()
    }

    pub fn is_blank(&self) -> bool {
        self.day.is_empty() && self.month.is_empty() && self.year.is_empty()
    }

    /// The date, or an error on `path` saying what is wrong, GOV.UK style.
    pub fn parse(&self, path: &str, what: &str, errors: &mut Invalid) -> Option<NaiveDate> {
        if self.is_blank() {
            errors.push(path, "required", format!("Enter {what}"));
            return None;
        }
        self.parse_filled(path, what, errors)
    }

    /// Like [`parse`](Self::parse), but a blank date is `None` without an error.
    pub fn parse_optional(&self, path: &str, what: &str, errors: &mut Invalid) -> Option<NaiveDate> {
        if self.is_blank() { None } else { self.parse_filled(path, what, errors) }
    }

    fn parse_filled(&self, path: &str, what: &str, errors: &mut Invalid) -> Option<NaiveDate> {
        let missing: Vec<&str> = [("day", &self.day), ("month", &self.month), ("year", &self.year)]
            .into_iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(n, _)| n)
            .collect();
        if !missing.is_empty() {
            errors.push(path, "incomplete_date", format!("{} must include a {}", capitalise(what), missing.join(" and a ")));
            return None;
        }
        let day = self.day.parse::<u32>().ok();
        let month = self.month.parse::<u32>().ok();
        let year = self.year.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
        match (day, month, year) {
            (Some(d), Some(m), Some(y)) => match senplan_core::dates::from_parts(y, m, d) {
                Ok(date) => Some(date),
                Err(why) => {
                    errors.push(path, "invalid_date", format!("{} must be a real date: {why}", capitalise(what)));
                    None
                }
            },
            (_, _, None) if day.is_some() && month.is_some() => {
                errors.push(path, "invalid_date", format!("The year of {what} must be 4 numbers, like 2027"));
                None
            }
            _ => {
                errors.push(path, "invalid_date", format!("{} must be a real date, for example 12 2 2027", capitalise(what)));
                None
            }
        }
    }
}

/// A whole number typed into a text input, or an error on `path`.
pub fn parse_number(value: &str, path: &str, what: &str, errors: &mut Invalid) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        errors.push(path, "required", format!("Enter {what}"));
        return None;
    }
    v.parse::<u32>().ok().or_else(|| {
        errors.push(path, "not_a_number", format!("{} must be a whole number, like 30", capitalise(what)));
        None
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Adds core's errors, except for fields that already have an error from reading the
/// form (a date that is not a date need not also be "out of range").
pub fn merge(mut read: Invalid, rules: Invalid) -> Invalid {
    for e in rules.errors {
        if !read.errors.iter().any(|r| r.field == e.field) {
            read.errors.push(e);
        }
    }
    read
}

/// Puts errors in the order their fields appear on the page, as GOV.UK's error summary
/// asks. `order` lists field paths with row indexes written `[]`, e.g.
/// `outcomes[].measure`; rows sort by index within their list; unknown fields go last.
pub fn in_page_order(mut inv: Invalid, order: &[&str]) -> Invalid {
    let key = |field: &str| {
        let mut pattern = String::new();
        let mut row = 0usize;
        let mut rest = field;
        while let Some(open) = rest.find('[') {
            pattern.push_str(&rest[..=open]);
            let close = rest[open..].find(']').map_or(rest.len(), |c| open + c);
            if row == 0 {
                row = rest[open + 1..close].parse().unwrap_or(0);
            }
            rest = &rest[close..];
        }
        pattern.push_str(rest);
        let rank = |p: &str| order.iter().position(|o| *o == p).unwrap_or(order.len());
        let section = pattern.split(['[', '.']).next().unwrap_or("");
        (rank(section), row, rank(&pattern))
    };
    inv.errors.sort_by_key(|e| key(&e.field));
    inv
}

/// A file upload that is checked, then imported: the file in field `file` (`None` when
/// none was chosen) and whether `action` asked to import rather than only check. A body
/// that is not `multipart/form-data`, or cannot be read, is an error on `file` naming
/// `what` was expected.
pub async fn checked_upload(
    m: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    file: &str,
    what: &str,
) -> Result<(Option<Vec<u8>>, bool), Invalid> {
    let Ok(mut m) = m else {
        return Err(Invalid::one(file, "not_an_upload", format!("Send {what} as a file upload (multipart/form-data)")));
    };
    let unreadable = || Invalid::one(file, "unreadable", "The upload could not be read: choose the file again");
    let (mut bytes, mut import) = (None, false);
    while let Some(field) = m.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some(name) if name == file => {
                let named = field.file_name().is_some_and(|n| !n.is_empty());
                let data = field.bytes().await.map_err(|_| unreadable())?;
                bytes = (named || !data.is_empty()).then(|| data.to_vec());
            }
            Some("action") => import = field.text().await.is_ok_and(|v| v == "import"),
            _ => {}
        }
    }
    Ok((bytes, import))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Posted {
        Posted(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn counts_indexed_rows_and_reads_checkbox_lists() {
        let p = posted(&[
            ("outcomes[0].measure", "a"),
            ("outcomes[2].measure", "b"),
            ("provision[0].outcomes", "1"),
            ("provision[0].outcomes", "2"),
        ]);
        assert_eq!(p.rows("outcomes"), 3);
        assert_eq!(p.rows("provision"), 1);
        assert_eq!(p.rows("strategies"), 0);
        assert_eq!(p.all("provision[0].outcomes"), vec!["1", "2"]);
        assert_eq!(p.get("missing"), "");
    }

    #[test]
    fn errors_sort_into_page_order() {
        let mut inv = Invalid::default();
        for f in ["provision[0].minutes", "outcomes[1].measure", "outcomes[0].target", "responsible", "outcomes[1].description"] {
            inv.push(f, "x", "y");
        }
        let order = [
            "outcomes",
            "outcomes[].description",
            "outcomes[].measure",
            "outcomes[].target",
            "provision",
            "provision[].minutes",
            "responsible",
        ];
        let sorted: Vec<_> = in_page_order(inv, &order).errors.into_iter().map(|e| e.field).collect();
        assert_eq!(
            sorted,
            vec!["outcomes[0].target", "outcomes[1].description", "outcomes[1].measure", "provision[0].minutes", "responsible"]
        );
    }

    #[test]
    fn huge_indexes_are_ignored() {
        assert_eq!(posted(&[("outcomes[999999].measure", "x")]).rows("outcomes"), 0);
    }

    #[test]
    fn dates_read_from_three_parts_with_govuk_messages() {
        let p = posted(&[("d.day", "12"), ("d.month", "2"), ("d.year", "2027")]);
        let mut e = Invalid::default();
        assert_eq!(p.date("d").parse("d", "the target date", &mut e), NaiveDate::from_ymd_opt(2027, 2, 12));
        assert!(e.is_empty());
        let cases = [
            (("", "", ""), "Enter the target date"),
            (("12", "", ""), "The target date must include a month and a year"),
            (("31", "2", "2027"), "The target date must be a real date: 31 February 2027 does not exist"),
            (("1", "13", "2027"), "The target date must be a real date: There is no month 13: a month is from 1 to 12"),
            (("1", "2", "27"), "The year of the target date must be 4 numbers, like 2027"),
        ];
        for ((d, m, y), msg) in cases {
            let mut e = Invalid::default();
            DateParts { day: d.into(), month: m.into(), year: y.into() }.parse("d", "the target date", &mut e);
            assert_eq!(e.errors[0].message, msg);
            assert_eq!(e.errors[0].field, "d");
        }
        let mut e = Invalid::default();
        assert_eq!(DateParts::default().parse_optional("d", "x", &mut e), None);
        assert!(e.is_empty());
    }

    #[test]
    fn numbers_and_merging_keep_one_error_per_field() {
        let mut read = Invalid::default();
        assert_eq!(parse_number("thirty", "p.minutes", "minutes", &mut read), None);
        let rules = Invalid {
            errors: vec![
                senplan_core::FieldError::new("p.minutes", "out_of_range", "x"),
                senplan_core::FieldError::new("p.what", "required", "y"),
            ],
        };
        let merged = merge(read, rules);
        let fields: Vec<_> = merged.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, vec![("p.minutes", "not_a_number"), ("p.what", "required")]);
    }
}
