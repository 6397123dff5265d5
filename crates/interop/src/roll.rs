//! A school roll exported as CSV from a management information system (Arbor, SIMS,
//! Bromcom, Scholarpack), read one row at a time into checked pupils.
//!
//! The file is streamed: [`RollReader`] reads the header row, then yields one item per
//! data row in file order, so a roll of 250,000 pupils never sits in memory whole (only
//! the UPNs seen so far are kept, to find duplicates). A row is either a [`RollRow`] of
//! checked values or every [`RowProblem`] it has, each naming its line, its field and
//! the value found; nothing is guessed.
//!
//! Columns are found by name, whatever their order, case, spacing or punctuation, with
//! the spellings the common MIS exports use ([`ROLL_COLUMNS`] lists the canonical names
//! and what each means). Columns senplan does not read are ignored and listed by
//! [`RollReader::ignored_columns`].
//!
//! Text is UTF-8 where it is valid and otherwise read as Latin-1 (ISO-8859-1), field by
//! field, since spreadsheet programs still save CSV that way; a UTF-8 byte order mark,
//! Windows (and old Macintosh) line endings and quoted fields holding commas or line
//! breaks are all read. Line numbers are those of the file as a text editor shows them
//! (the header is line 1), counted so that a line break inside a quoted field, or a
//! blank line, does not shift later rows. A row whose values hold more than a few line
//! breaks is refused as a quote left open, rather than silently taking in the rows
//! below it; rows of nothing but empty cells are passed over.
//!
//! Dates may be `yyyy-mm-dd`, `dd/mm/yyyy` (or `d/m/yyyy`) or `dd-mm-yyyy`, optionally
//! followed by a midnight time (`00:00` or `00:00:00`) as spreadsheets add; a two-digit
//! year is refused, since its century would be a guess.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::io::Read;

use chrono::NaiveDate;
use csv::ByteRecord;
use senplan_core::need::NeedCode;
use senplan_core::pupil::{Sex, YearGroup};
use senplan_core::status::SenStatus;
use senplan_core::upn::Upn;

use crate::RankedNeed;
use crate::needs::{self, Issue};

mod columns;
mod row;
mod values;
pub use columns::ROLL_COLUMNS;
use columns::{Col, column_for};
pub(crate) use values::shown;
use values::{DateError, decode, parse_date, status, upn_message, year_group};

/// A ranked type of need read from a roll.
pub type RolledNeed = RankedNeed;

/// Longest name, class or form accepted, in characters (not bytes).
pub const MAX_TEXT_CHARS: usize = 100;

/// A roll that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RollFileError {
    #[error("The file is empty: expected a header row naming the columns, with at least UPN, Legal Forename, Legal Surname, DOB and Year")]
    Empty,
    #[error("The file is not a CSV file: {reason}. Export the roll from the MIS as CSV (comma-separated values) and try again")]
    NotCsv { reason: String },
    /// Required columns the header row lacks (canonical headings, as in [`ROLL_COLUMNS`]).
    #[error("{}", missing_message(missing, found))]
    MissingColumns { missing: Vec<&'static str>, found: Vec<String> },
    /// Two columns of the header row hold the same thing.
    #[error(
        "The header row has two columns for the {what}: \"{first}\" and \"{second}\". Keep one of them and try again. The header row read was: {}",
        quoted_list(found)
    )]
    DuplicateColumn { what: &'static str, first: String, second: String, found: Vec<String> },
    #[error("The file could not be read: {message}")]
    Read { message: String },
}

fn quoted_list(items: &[String]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

fn missing_message(missing: &[&'static str], found: &[String]) -> String {
    let each: Vec<String> = missing
        .iter()
        .filter_map(|m| Col::REQUIRED.into_iter().find(|c| c.spellings()[0] == *m))
        .map(|c| {
            let spellings = c.spellings().iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ");
            format!("the {} (a column headed {spellings})", c.what())
        })
        .collect();
    let mut message = format!("The header row has no column for {}.", each.join("; nor for "));
    message.push_str(&format!(" The header row read was: {}", quoted_list(found)));
    if let [only] = found
        && (only.contains(';') || only.contains('\t'))
    {
        message.push_str(". It looks separated by semicolons or tabs: export the roll with commas between the columns");
    }
    message
}

/// A pupil read from one row of the roll, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollRow {
    /// The line the row starts on (the header is line 1).
    pub line: u64,
    pub upn: Upn,
    pub former_upn: Option<Upn>,
    pub given_name: String,
    pub family_name: String,
    /// `None` when empty or the same as the given name.
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub sex: Option<Sex>,
    pub year_group: YearGroup,
    pub form: Option<String>,
    pub entry_date: Option<NaiveDate>,
    pub leaving_date: Option<NaiveDate>,
    /// `None` when the roll has no status column or the cell is empty. Never historic.
    pub status: Option<SenStatus>,
    /// In rank order, ranks 1, 2, 3 … A K or E pupil may have none: the caller may warn.
    pub needs: Vec<RolledNeed>,
}

/// One thing wrong with a row: where, a machine code, and a message for people naming
/// the value found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    /// `upn`, `former_upn`, `given_name`, `family_name`, `preferred_name`,
    /// `date_of_birth`, `sex`, `year_group`, `form`, `entry_date`, `leaving_date`,
    /// `status`, `needs`, or `row` (the row as a whole) and `file` (reading stopped).
    pub field: &'static str,
    /// For example `upn_wrong_check_letter`, `upn_duplicate`, `need_for_status_n`.
    pub code: String,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.message)
    }
}

/// Where each column the roll has sits in a row.
#[derive(Debug, Default)]
struct Columns {
    at: Vec<(Col, usize)>,
    /// Ranked need columns, by rank.
    ranked: Vec<(u8, usize)>,
}

impl Columns {
    fn get(&self, col: Col) -> Option<usize> {
        self.at.iter().find(|(c, _)| *c == col).map(|(_, i)| *i)
    }
}

/// Most line breaks inside one row's quoted values (a multi-line address has a few):
/// more means a quote left open has taken in the rows below.
const MAX_BREAKS_IN_ROW: u64 = 20;

/// Longest column heading accepted, in characters.
const MAX_HEADING_CHARS: usize = 200;

/// How much of the file is looked at first, to see how its lines end. A header row
/// longer than this is not a header row.
const HEAD_BYTES: u64 = 64 * 1024;

/// The bytes under the CSV reader: the start of the file already read, then the rest;
/// for a file whose lines end with a carriage return alone (old Macintosh CSV), each
/// one made a line feed. Counted, so a row's first line can be told from where the
/// reader stopped (see [`RollReader::line_of_record`]).
struct Input<R> {
    head: std::io::Cursor<Vec<u8>>,
    inner: R,
    cr_only: bool,
    /// Bytes read so far.
    total: u64,
    /// The last two bytes read, the last last.
    last: [Option<u8>; 2],
    /// Whether the end of the input has been reached.
    eof: bool,
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = self.head.read(buf)?;
        if n == 0 {
            n = self.inner.read(buf)?;
        }
        if n == 0 {
            self.eof |= !buf.is_empty();
            return Ok(0);
        }
        if self.cr_only {
            for b in buf.iter_mut().take(n).filter(|b| **b == b'\r') {
                *b = b'\n';
            }
        }
        self.total += n as u64;
        self.last = [if n >= 2 { buf.get(n - 2).copied() } else { self.last[1] }, buf.get(n - 1).copied()];
        Ok(n)
    }
}

/// Reads a roll one row at a time: one item per data row, in file order.
pub struct RollReader<R: Read> {
    csv: csv::Reader<Input<R>>,
    columns: Columns,
    header: Vec<String>,
    ignored: Vec<String>,
    /// Each UPN seen, with the line it was first on.
    seen: HashMap<[u8; 13], u64>,
    record: ByteRecord,
    done: bool,
}

impl<R: Read> fmt::Debug for RollReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RollReader").field("header", &self.header).field("ignored", &self.ignored).finish_non_exhaustive()
    }
}

impl<R: Read> RollReader<R> {
    /// Reads the header row and finds the columns.
    pub fn new(mut reader: R) -> Result<Self, RollFileError> {
        let mut head = Vec::new();
        reader.by_ref().take(HEAD_BYTES).read_to_end(&mut head).map_err(|e| RollFileError::Read { message: e.to_string() })?;
        let head_is_full = head.len() as u64 == HEAD_BYTES;
        let not_csv = |reason: &str| Err(RollFileError::NotCsv { reason: reason.to_owned() });
        if head.starts_with(b"PK\x03\x04") {
            return not_csv("it is an Excel workbook (.xlsx) or another zip file");
        }
        if head.starts_with(b"\xD0\xCF\x11\xE0") {
            return not_csv("it is an old Excel workbook (.xls)");
        }
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return not_csv("it is UTF-16 text (as Excel's \"Unicode Text\" saves), not UTF-8");
        }
        // A byte order mark goes before the CSV is read, so a quoted first heading is read
        // as quoted.
        if head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        let cr_only = match head.iter().position(|b| matches!(b, b'\r' | b'\n')) {
            Some(i) => head[i] == b'\r' && head.get(i + 1).is_some_and(|b| *b != b'\n'),
            None if head_is_full => return not_csv("its first line is longer than 64 KB, so it is not a header row"),
            None => false,
        };
        // Rows end at a line feed only: a carriage return before it (Windows) is trimmed
        // with the last value, and line numbers can then be counted back from a row's end.
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(Input { head: std::io::Cursor::new(head), inner: reader, cr_only, total: 0, last: [None, None], eof: false });
        let mut record = ByteRecord::new();
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Err(RollFileError::Empty),
            Err(e) => return Err(RollFileError::Read { message: e.to_string() }),
        }
        if record.iter().any(|f| f.contains(&0)) {
            return not_csv("its first line holds binary data (a zero byte), not text");
        }
        let header: Vec<String> = record.iter().map(|f| decode(f).trim().trim_start_matches('\u{feff}').trim().to_owned()).collect();
        if header.iter().all(String::is_empty) {
            return Err(RollFileError::Empty);
        }
        if let Some(long) = header.iter().find(|h| h.contains('\n') || h.chars().count() > MAX_HEADING_CHARS) {
            return Err(RollFileError::NotCsv {
                reason: format!(
                    "its first line has a heading {} characters long{}: a quote mark may be left open, so the header row cannot be told apart from the rows",
                    long.chars().count(),
                    if long.contains('\n') { " running over several lines" } else { "" }
                ),
            });
        }
        let mut columns = Columns::default();
        let mut ignored = Vec::new();
        let mut names: Vec<(Col, usize)> = Vec::new();
        for (i, heading) in header.iter().enumerate() {
            let Some(col) = column_for(heading) else {
                if !heading.is_empty() {
                    ignored.push(heading.clone());
                }
                continue;
            };
            // Ranked need columns and a needs list are two ways to give the same thing.
            let clash =
                names.iter().find(|(c, _)| *c == col || matches!((c, col), (Col::Needs, Col::Need(_)) | (Col::Need(_), Col::Needs)));
            if let Some((_, j)) = clash {
                return Err(RollFileError::DuplicateColumn {
                    what: col.what(),
                    first: header[*j].clone(),
                    second: heading.clone(),
                    found: header.clone(),
                });
            }
            names.push((col, i));
            match col {
                Col::Need(rank) => columns.ranked.push((rank, i)),
                _ => columns.at.push((col, i)),
            }
        }
        columns.ranked.sort_unstable();
        let missing: Vec<&'static str> =
            Col::REQUIRED.into_iter().filter(|c| columns.get(*c).is_none()).map(|c| c.spellings()[0]).collect();
        if !missing.is_empty() {
            return Err(RollFileError::MissingColumns { missing, found: header });
        }
        Ok(Self { csv, columns, header, ignored, seen: HashMap::new(), record, done: false })
    }

    /// The header row as read (trimmed, byte order mark removed).
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Headings of the columns senplan does not read, in file order.
    pub fn ignored_columns(&self) -> &[String] {
        &self.ignored
    }

    /// Whether the roll has a column for the SEN status.
    pub fn has_status(&self) -> bool {
        self.columns.get(Col::Status).is_some()
    }

    /// Whether the roll has columns for types of need.
    pub fn has_needs(&self) -> bool {
        self.columns.get(Col::Needs).is_some() || !self.columns.ranked.is_empty()
    }

    /// The line the record just read starts on. The CSV reader's own position for a
    /// record is taken before the line break ending the row above and any blank lines
    /// are passed over, so it is counted back from where the record ends instead: the
    /// line there, less the line breaks inside quoted values, less the one ending the
    /// row. Only the last row of a file may have none after it: when the file's last
    /// byte is a line break, it ends the row unless the row's last value ends with it
    /// too and no quote closes that value (a quote left open to the end of the file).
    /// Returns the line and the number of line breaks inside the record's values.
    fn line_of_record(&self) -> (u64, u64) {
        let end = self.csv.position();
        let values = self.record.as_slice();
        let inside = values.iter().filter(|&&b| b == b'\n').count() as u64;
        let input = self.csv.get_ref();
        let at_end = input.eof && end.byte() >= input.total;
        let ended_by_break = !at_end
            || match input.last {
                [before, Some(b'\n')] => values.last() != Some(&b'\n') || before == Some(b'"'),
                _ => false,
            };
        (end.line().saturating_sub(inside + u64::from(ended_by_break)).max(1), inside)
    }
}

impl<R: Read> Iterator for RollReader<R> {
    type Item = Result<RollRow, Vec<RowProblem>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            match self.csv.read_byte_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    let line = e.position().map_or_else(|| self.csv.position().line(), csv::Position::line);
                    return Some(Err(vec![RowProblem {
                        line,
                        field: "file",
                        code: "read_error".into(),
                        message: format!("The file could not be read past this line, so the rows after it are missing: {e}"),
                    }]));
                }
                Ok(true) => {}
            }
            // Rows of empty cells, as spreadsheets leave below the data, are not pupils.
            if self.record.iter().all(|f| decode(f).trim().is_empty()) {
                continue;
            }
            let (line, breaks_inside) = self.line_of_record();
            return Some(self.row(line, breaks_inside));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn r24_roll_dates_in_every_accepted_form() {
        assert_eq!(parse_date("2015-03-04"), Ok(d(2015, 3, 4)));
        assert_eq!(parse_date("04/03/2015"), Ok(d(2015, 3, 4)));
        assert_eq!(parse_date("4/3/2015"), Ok(d(2015, 3, 4)));
        assert_eq!(parse_date("04-03-2015"), Ok(d(2015, 3, 4)));
        assert_eq!(parse_date("04/03/2015 00:00"), Ok(d(2015, 3, 4)));
        assert_eq!(parse_date("2015-03-04T00:00:00"), Ok(d(2015, 3, 4)));
        assert_eq!(parse_date("04/03/15"), Err(DateError::TwoDigitYear));
        assert_eq!(parse_date("04-03-15"), Err(DateError::TwoDigitYear));
        assert_eq!(parse_date("31/02/2015"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("2015/03/04"), Err(DateError::Form));
        assert_eq!(parse_date("04/03/2015 09:30"), Err(DateError::Form));
        assert_eq!(parse_date("March 2015"), Err(DateError::Form));
        assert_eq!(parse_date("+4/3/2015"), Err(DateError::Form));
    }

    #[test]
    fn r24_roll_year_groups_and_statuses_as_mis_exports_spell_them() {
        assert_eq!(year_group("4"), Some(YearGroup::Year(4)));
        assert_eq!(year_group("Year 4"), Some(YearGroup::Year(4)));
        assert_eq!(year_group("Y11"), Some(YearGroup::Year(11)));
        assert_eq!(year_group("Reception"), Some(YearGroup::Reception));
        assert_eq!(year_group("n1"), Some(YearGroup::Nursery(1)));
        assert_eq!(year_group("Year 15"), None);
        assert_eq!(year_group("Y"), None);
        assert_eq!(status("k"), Some(SenStatus::K));
        assert_eq!(status("K - SEN Support"), Some(SenStatus::K));
        assert_eq!(status("EHC Plan"), Some(SenStatus::E));
        assert_eq!(status("No Special Educational Needs"), Some(SenStatus::N));
        assert_eq!(status("Statement of SEN (before 2018)"), Some(SenStatus::S));
        assert_eq!(status("Q"), None);
    }

    #[test]
    fn r24_roll_headings_match_whatever_their_case_and_punctuation() {
        assert_eq!(column_for("\u{feff}UPN"), Some(Col::Upn));
        assert_eq!(column_for("unique_pupil_number"), Some(Col::Upn));
        assert_eq!(column_for("Date-of-Birth"), Some(Col::Dob));
        assert_eq!(column_for("N.C. Year Actual"), Some(Col::Year));
        assert_eq!(column_for("SEN Need 3"), Some(Col::Need(3)));
        assert_eq!(column_for("Need12"), Some(Col::Need(12)));
        assert_eq!(column_for("Need 0"), None);
        assert_eq!(column_for("SEN Needs"), Some(Col::Needs));
        assert_eq!(column_for("Address"), None);
        for (heading, _) in ROLL_COLUMNS {
            assert!(column_for(heading).is_some(), "{heading} is read");
        }
    }

    #[test]
    fn r24_roll_shown_values_are_short_and_visible() {
        assert_eq!(shown("a\tb"), "'a\\tb'");
        assert_eq!(shown(&"x".repeat(50)), format!("'{}…'", "x".repeat(40)));
        assert_eq!(decode(b"Zo\xEB"), "Zoë");
    }
}
