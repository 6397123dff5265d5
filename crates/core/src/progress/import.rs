//! The progress CSV a school exports from its assessment system: a header naming the
//! columns `UPN`, `Subject`, `Date` and `Value` (any case, any order; other columns,
//! such as a pupil's name, are ignored), then one assessment a line. Fields may be in
//! double quotes (a subject "Reading, writing"). A date is `2026-03-03` or `03/03/2026`
//! (day first) and not in the future; a value is a level code of the school's scale
//! (any case) or a standardised score from 40 to 160.
//!
//! Any error means no rows: nothing is stored from a bad file. Every error names the
//! line (the header is line 1) and the column, and says what was expected. Blank lines
//! and lines of empty fields (spreadsheets leave them) are skipped; a line with more
//! fields than the header is refused, as it usually means a comma outside quotes; the
//! same pupil, subject, date and kind of value twice in one file is refused, as which
//! one is meant cannot be told.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{SCORE_MAX, SCORE_MIN, Scale, Value};
use crate::dates::{in_words, parse_typed};
use crate::upn::Upn;

/// One assessment read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub upn: Upn,
    pub subject: String,
    pub on: NaiveDate,
    pub value: Value,
    /// The line of the file it came from (the header is line 1).
    #[serde(default)]
    pub line: u64,
}

impl Row {
    /// The pupil, and the assessment to store for them.
    pub fn into_assessment(self) -> (Upn, super::Assessment) {
        (self.upn, super::Assessment { subject: self.subject, on: self.on, value: self.value })
    }
}

/// One thing wrong in the file: "line 7, UPN: …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineError {
    /// 1 is the header.
    pub line: u64,
    /// The column as the header names it (`UPN`), or none when the whole line is at fault.
    pub column: Option<String>,
    /// Stable snake_case code.
    pub code: String,
    pub message: String,
}

impl LineError {
    fn new(line: u64, column: Option<&str>, code: &str, message: impl Into<String>) -> Self {
        Self { line, column: column.map(str::to_owned), code: code.to_owned(), message: message.into() }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, {column}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

const COLUMNS: [&str; 4] = ["UPN", "Subject", "Date", "Value"];
const HEADER: &str = "UPN,Subject,Date,Value";

/// Reads a progress CSV against the school's scale. `today` bounds the dates.
pub fn parse_csv(text: &str, scale: &Scale, today: NaiveDate) -> Result<Vec<Row>, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err(vec![LineError::new(
                1,
                None,
                "empty_file",
                format!("The file is empty: the first line must be the header {HEADER}"),
            )]);
        }
        Some(Err(err)) => return Err(vec![unreadable(&err)]),
        Some(Ok(header)) => header,
    };
    let index = columns(&header)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(Upn, String, NaiveDate, bool), u64> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                errors.push(unreadable(&err));
                continue;
            }
        };
        // The line the record starts on, counted from its byte offset (the csv crate's
        // own count skips blank lines and counts a "\r\n" file differently).
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > header.len() {
            errors.push(LineError::new(
                line,
                None,
                "too_many_fields",
                format!(
                    "This line has {} fields but the header has {} columns: put a value containing a comma in double quotes",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let field = |i: usize| record.get(index[i]).unwrap_or("");
        let before = errors.len();
        let upn = Upn::parse(field(0)).map_err(|err| errors.push(LineError::new(line, Some("UPN"), err.code(), err.message()))).ok();
        let subject = read_subject(field(1)).map_err(|(code, m)| errors.push(LineError::new(line, Some("Subject"), code, m))).ok();
        let on = read_date(field(2), today).map_err(|(code, m)| errors.push(LineError::new(line, Some("Date"), code, m))).ok();
        let value = read_value(field(3), scale).map_err(|m| errors.push(LineError::new(line, Some("Value"), "invalid_value", m))).ok();
        let (Some(upn), Some(subject), Some(on), Some(value)) = (upn, subject, on, value) else {
            debug_assert!(errors.len() > before);
            continue;
        };
        let key = (upn.clone(), subject.to_lowercase(), on, matches!(value, Value::Score(_)));
        if let Some(first) = seen.get(&key) {
            let kind = if key.3 { "a score" } else { "a level" };
            errors.push(LineError::new(
                line,
                None,
                "duplicate",
                format!("Line {first} already gives {kind} in {subject} for {upn} on {}: keep one of the two lines", in_words(on)),
            ));
            continue;
        }
        seen.insert(key, line);
        rows.push(Row { upn, subject, on, value, line });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Where each of [`COLUMNS`] is in the header, or what is wrong with the header.
fn columns(header: &csv::StringRecord) -> Result<[usize; 4], Vec<LineError>> {
    let mut index = [usize::MAX; 4];
    let mut errors = Vec::new();
    for (i, name) in COLUMNS.iter().enumerate() {
        let found: Vec<usize> = header.iter().enumerate().filter(|(_, h)| h.eq_ignore_ascii_case(name)).map(|(at, _)| at).collect();
        match found.as_slice() {
            [at] => index[i] = *at,
            [] => errors.push(LineError::new(
                1,
                Some(name),
                "missing_column",
                format!("The header has no {name} column: the first line must name the columns {HEADER} (in any order)"),
            )),
            _ => errors.push(LineError::new(
                1,
                Some(name),
                "duplicate_column",
                format!("The header has {} {name} columns: keep one", found.len()),
            )),
        }
    }
    if errors.is_empty() { Ok(index) } else { Err(errors) }
}

fn unreadable(err: &csv::Error) -> LineError {
    let line = err.position().map_or(0, csv::Position::line);
    LineError::new(line, None, "unreadable", format!("This line cannot be read as CSV ({err})"))
}

fn read_subject(text: &str) -> Result<String, (&'static str, String)> {
    if text.is_empty() {
        return Err(("required", "Enter the subject, such as Reading".to_owned()));
    }
    if text.chars().count() > 100 {
        return Err(("too_long", "The subject must be 100 characters or fewer".to_owned()));
    }
    if text.chars().any(char::is_control) {
        return Err(("control_character", "Remove the invisible control character from the subject".to_owned()));
    }
    Ok(text.to_owned())
}

fn read_date(text: &str, today: NaiveDate) -> Result<NaiveDate, (&'static str, String)> {
    match parse_typed(text) {
        None => Err(("invalid_date", format!("Expected a date such as 03/03/2026 or 2026-03-03, found '{text}'"))),
        Some(Err(why)) => Err(("invalid_date", why)),
        Some(Ok(on)) if on > today => {
            Err(("in_future", format!("{} is in the future: record an assessment once it has happened", in_words(on))))
        }
        Some(Ok(on)) => Ok(on),
    }
}

/// A level code of the scale, or else a whole number read as a standardised score.
fn read_value(text: &str, scale: &Scale) -> Result<Value, String> {
    if let Some(i) = scale.level_index(text) {
        return Ok(Value::Level(i));
    }
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        let score = text.parse::<u32>().ok().and_then(|s| u16::try_from(s).ok()).filter(|s| (SCORE_MIN..=SCORE_MAX).contains(s));
        return score.map(Value::Score).ok_or_else(|| format!("A standardised score is from {SCORE_MIN} to {SCORE_MAX}, found {text}"));
    }
    Err(format!(
        "Expected a level code of the scale '{}' ({}) or a standardised score from {SCORE_MIN} to {SCORE_MAX}, found '{text}'",
        scale.name(),
        scale.codes()
    ))
}

/// The 1-based line of `text` where the record at byte `offset` starts. The csv crate
/// may give the offset of the line break before the record (a CRLF file, blank lines):
/// those breaks are skipped first.
fn line_at(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    let newlines = text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count();
    u64::try_from(newlines).unwrap_or(u64::MAX) + 1
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;

