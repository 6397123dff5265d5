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

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::io::Read;

use chrono::NaiveDate;
use csv::ByteRecord;
use senplan_core::need::NeedCode;
use senplan_core::pupil::{Sex, YearGroup};
use senplan_core::status::SenStatus;
use senplan_core::upn::{Upn, UpnError};

use crate::RankedNeed;
use crate::needs::{self, Issue};

/// A ranked type of need read from a roll.
pub type RolledNeed = RankedNeed;

/// Longest name, class or form accepted, in characters (not bytes).
pub const MAX_TEXT_CHARS: usize = 100;

/// Each column senplan reads from a roll: the canonical heading and what it holds,
/// with the other spellings accepted, for a help page.
pub const ROLL_COLUMNS: &[(&str, &str)] = &[
    ("UPN", "Unique Pupil Number: 13 characters, checked as the school census checks it. Required. Also read: Unique Pupil Number."),
    ("Former UPN", "A UPN the pupil had before, checked the same way. Optional. Also read: Previous UPN."),
    ("Legal Forename", "The pupil's legal given name. Required. Also read: Forename, First Name, Legal First Name, Given Name."),
    ("Legal Surname", "The pupil's legal family name. Required. Also read: Surname, Last Name, Family Name."),
    (
        "Preferred Forename",
        "The name the pupil is known by, when it differs from the legal one. Optional. Also read: Preferred First Name, Preferred Name, Known As.",
    ),
    ("DOB", "Date of birth, as yyyy-mm-dd or dd/mm/yyyy (a two-digit year is refused). Required. Also read: Date of Birth, Birth Date."),
    ("Sex", "M or F (or Male, Female). Optional. Also read: Gender."),
    (
        "Year",
        "National Curriculum year group: N1, N2, R, 1 to 14, or X (not following it); \"Year 4\" and \"Reception\" are read too. Required. Also read: Year Group, NC Year, NC Year Actual, Curriculum Year.",
    ),
    ("Reg Group", "The pupil's class or registration form. Optional. Also read: Registration Group, Form, Class, Tutor Group."),
    ("Entry Date", "The day the pupil joined the school. Optional. Also read: Date of Entry, Admission Date, Start Date."),
    ("Leaving Date", "The day the pupil left, once they have. Optional. Also read: Date of Leaving, Leave Date."),
    (
        "SEN Status",
        "SEN provision: N no SEN, K SEN support, E EHC plan (\"K - SEN Support\" and the words alone are read too). The historic S, A and P are refused: they come only from a Common Transfer File. Optional. Also read: SEN Provision, SEN, SEN Stage.",
    ),
    (
        "Primary Need",
        "The type of need at rank 1, as a census code such as SLCN (or its meaning in full). Then Secondary Need (rank 2), SEN Need 3 and so on. Also read: SEN Need 1, SEN Type 1, Need 1; SEN Need 2, SEN Type 2, Need 2.",
    ),
    (
        "SEN Needs",
        "Instead of ranked columns, one column with the codes in rank order, separated by ; , or |, each optionally with its rank as CODE:rank (SLCN:1;SEMH:2). Also read: SEN Need Types, Needs.",
    ),
];

/// The columns senplan reads, and how each is recognised in a header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Upn,
    FormerUpn,
    Given,
    Family,
    Preferred,
    Dob,
    Sex,
    Year,
    Form,
    Entry,
    Leaving,
    Status,
    /// A ranked need column: Primary Need is rank 1.
    Need(u8),
    /// One column of needs in rank order.
    Needs,
}

impl Col {
    /// The spellings accepted, as people write them; compared after [`normalise`].
    fn spellings(self) -> &'static [&'static str] {
        match self {
            Self::Upn => &["UPN", "Unique Pupil Number"],
            Self::FormerUpn => &["Former UPN", "Previous UPN"],
            Self::Given => &["Legal Forename", "Forename", "First Name", "Legal First Name", "Given Name"],
            Self::Family => &["Legal Surname", "Surname", "Last Name", "Family Name"],
            Self::Preferred => &["Preferred Forename", "Preferred First Name", "Preferred Name", "Known As"],
            Self::Dob => &["DOB", "Date of Birth", "Birth Date"],
            Self::Sex => &["Sex", "Gender"],
            Self::Year => &["Year", "Year Group", "NC Year", "NC Year Actual", "Curriculum Year"],
            Self::Form => &["Reg Group", "Registration Group", "Form", "Class", "Tutor Group"],
            Self::Entry => &["Entry Date", "Date of Entry", "Admission Date", "Start Date"],
            Self::Leaving => &["Leaving Date", "Date of Leaving", "Leave Date"],
            Self::Status => &["SEN Status", "SEN Provision", "SEN", "SEN Stage"],
            Self::Need(1) => &["Primary Need", "SEN Need 1", "SEN Type 1", "Need 1"],
            Self::Need(2) => &["Secondary Need", "SEN Need 2", "SEN Type 2", "Need 2"],
            Self::Need(_) => &["SEN Need N", "SEN Type N", "Need N"],
            Self::Needs => &["SEN Needs", "SEN Need Types", "Needs"],
        }
    }

    /// What the column holds, for messages ("the date of birth").
    fn what(self) -> &'static str {
        match self {
            Self::Upn => "UPN",
            Self::FormerUpn => "former UPN",
            Self::Given => "legal given name",
            Self::Family => "legal family name",
            Self::Preferred => "preferred name",
            Self::Dob => "date of birth",
            Self::Sex => "sex",
            Self::Year => "year group",
            Self::Form => "class or form",
            Self::Entry => "entry date",
            Self::Leaving => "leaving date",
            Self::Status => "SEN status",
            Self::Need(_) | Self::Needs => "types of need",
        }
    }

    /// The [`RowProblem::field`] for the column.
    fn field(self) -> &'static str {
        match self {
            Self::Upn => "upn",
            Self::FormerUpn => "former_upn",
            Self::Given => "given_name",
            Self::Family => "family_name",
            Self::Preferred => "preferred_name",
            Self::Dob => "date_of_birth",
            Self::Sex => "sex",
            Self::Year => "year_group",
            Self::Form => "form",
            Self::Entry => "entry_date",
            Self::Leaving => "leaving_date",
            Self::Status => "status",
            Self::Need(_) | Self::Needs => "needs",
        }
    }

    const REQUIRED: [Col; 5] = [Col::Upn, Col::Given, Col::Family, Col::Dob, Col::Year];
    const SIMPLE: [Col; 13] = [
        Col::Upn,
        Col::FormerUpn,
        Col::Given,
        Col::Family,
        Col::Preferred,
        Col::Dob,
        Col::Sex,
        Col::Year,
        Col::Form,
        Col::Entry,
        Col::Leaving,
        Col::Status,
        Col::Needs,
    ];
}

/// A heading reduced for comparison: no byte order mark, spaces, underscores, hyphens
/// or dots, lower case.
fn normalise(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{feff}') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column a heading names, if senplan reads it.
fn column_for(heading: &str) -> Option<Col> {
    let h = normalise(heading);
    if h.is_empty() {
        return None;
    }
    if let Some(col) = Col::SIMPLE.into_iter().chain([Col::Need(1), Col::Need(2)]).find(|c| c.spellings().iter().any(|s| normalise(s) == h))
    {
        return Some(col);
    }
    ["senneed", "sentype", "need"].iter().find_map(|prefix| {
        let digits = h.strip_prefix(prefix)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<u8>().ok().filter(|n| *n >= 1).map(Col::Need)
    })
}

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

    fn row(&mut self, line: u64, breaks_inside: u64) -> Result<RollRow, Vec<RowProblem>> {
        let rec = &self.record;
        let width = self.header.len();
        let mut p = Problems { line, list: Vec::new() };
        if breaks_inside > MAX_BREAKS_IN_ROW {
            p.push(
                "row",
                "quote_left_open",
                format!(
                    "This row's values hold {breaks_inside} line breaks: a quote mark is probably left open, taking in the rows below it as part of a value. Close the quote and read the file again"
                ),
            );
            return Err(p.list);
        }
        if rec.len() < width {
            p.push(
                "row",
                "too_few_values",
                format!(
                    "This row has {} values but the header row names {width} columns: a value or a comma is missing, so which value belongs to which column cannot be told",
                    rec.len()
                ),
            );
            return Err(p.list);
        }
        if rec.iter().skip(width).any(|f| !decode(f).trim().is_empty()) {
            p.push(
                "row",
                "too_many_values",
                format!(
                    "This row has {} values but the header row names {width} columns: a value may hold a comma without quotes around it",
                    rec.len()
                ),
            );
            return Err(p.list);
        }
        let cols = &self.columns;
        let cell = |col: Col| -> Option<String> { cols.get(col).map(|i| decode(rec.get(i).unwrap_or_default()).trim().to_owned()) };
        let text = |i: usize| decode(rec.get(i).unwrap_or_default()).trim().to_owned();

        let upn_raw = cell(Col::Upn).unwrap_or_default();
        let upn = match Upn::parse(&upn_raw) {
            Ok(u) => Some(u),
            Err(e) => {
                p.push("upn", e.code(), upn_message(&e, &upn_raw));
                None
            }
        };
        if let Some(u) = &upn
            && let Ok(key) = <[u8; 13]>::try_from(u.as_str().as_bytes())
        {
            match self.seen.entry(key) {
                Entry::Occupied(first) => {
                    p.push("upn", "upn_duplicate", format!("Census error 1520: UPN {u} is also on line {}", first.get()));
                }
                Entry::Vacant(v) => {
                    v.insert(line);
                }
            }
        }
        let former_upn = match cell(Col::FormerUpn).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match Upn::parse(&raw) {
                Ok(f) if upn.as_ref() == Some(&f) => {
                    p.push(
                        "former_upn",
                        "former_upn_same_as_upn",
                        format!("The former UPN {f} is the same as the UPN: leave it empty unless the pupil had a different UPN before"),
                    );
                    None
                }
                Ok(f) => Some(f),
                Err(e) => {
                    p.push("former_upn", e.code(), format!("Former {}", upn_message(&e, &raw)));
                    None
                }
            },
        };
        let given_name = p.text(Col::Given, cell(Col::Given), true);
        let family_name = p.text(Col::Family, cell(Col::Family), true);
        let preferred_name = p.text(Col::Preferred, cell(Col::Preferred), false).filter(|n| Some(n) != given_name.as_ref());
        let date_of_birth = p.date(Col::Dob, cell(Col::Dob), true);
        let sex = match cell(Col::Sex).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => Sex::parse(&raw).or_else(|| {
                p.push(
                    "sex",
                    "invalid_sex",
                    format!(
                        "{} is not a sex the census records: expected M or F (or Male, Female), or an empty cell when not known",
                        shown(&raw)
                    ),
                );
                None
            }),
        };
        let year_raw = cell(Col::Year).unwrap_or_default();
        let year_group = year_group(&year_raw);
        if year_group.is_none() {
            let message = if year_raw.is_empty() {
                "The year group is empty: expected N1, N2, R, 1 to 14, or X".to_owned()
            } else {
                format!(
                    "{} is not a year group: expected N1, N2, R, 1 to 14, or X (not following the National Curriculum)",
                    shown(&year_raw)
                )
            };
            p.push("year_group", if year_raw.is_empty() { "required" } else { "invalid_year_group" }, message);
        }
        let form = p.text(Col::Form, cell(Col::Form), false);
        let entry_date = p.date(Col::Entry, cell(Col::Entry), false);
        let leaving_date = p.date(Col::Leaving, cell(Col::Leaving), false);
        if let (Some(dob), Some(entry)) = (date_of_birth, entry_date)
            && entry < dob
        {
            p.push(
                "entry_date",
                "entry_before_birth",
                format!(
                    "The entry date {} is before the date of birth {}",
                    shown(&cell(Col::Entry).unwrap_or_default()),
                    shown(&cell(Col::Dob).unwrap_or_default())
                ),
            );
        }
        if let (Some(entry), Some(leaving)) = (entry_date, leaving_date)
            && leaving < entry
        {
            p.push(
                "leaving_date",
                "leaving_before_entry",
                format!(
                    "The leaving date {} is before the entry date {}",
                    shown(&cell(Col::Leaving).unwrap_or_default()),
                    shown(&cell(Col::Entry).unwrap_or_default())
                ),
            );
        }
        let status = match cell(Col::Status).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match status(&raw) {
                Some(s) if s.is_historic() => {
                    p.push(
                        "status",
                        "historic_status",
                        format!(
                            "{} is the historic code {} ({}): a roll holds current SEN status, N, K or E. Historic codes are taken only from a Common Transfer File",
                            shown(&raw),
                            s.code(),
                            s.meaning()
                        ),
                    );
                    None
                }
                Some(s) => Some(s),
                None => {
                    p.push(
                        "status",
                        "invalid_status",
                        format!("{} is not a SEN status: expected N (no SEN), K (SEN support) or E (EHC plan)", shown(&raw)),
                    );
                    None
                }
            },
        };

        // Needs: ranked columns, or one list.
        let mut needs: Vec<RankedNeed> = Vec::new();
        let mut issues: Vec<Issue> = Vec::new();
        let mut codes_ok = true;
        if let Some(raw) = cell(Col::Needs) {
            let tokens = raw.split([';', ',', '|']).map(str::trim).filter(|t| !t.is_empty());
            if tokens.clone().nth(needs::MAX_NEEDS).is_some() {
                codes_ok = false;
                issues.push(Issue {
                    code: "too_many_needs",
                    message: format!(
                        "The types of need hold more than {} codes: there are {} census codes, each given once",
                        needs::MAX_NEEDS,
                        NeedCode::ALL.len()
                    ),
                });
            }
            for (position, token) in tokens.take(needs::MAX_NEEDS).enumerate() {
                let (code_raw, rank) = match token.split_once(':') {
                    Some((code, rank)) => match rank.trim().parse::<u8>() {
                        Ok(r) if r >= 1 => (code, r),
                        _ => {
                            codes_ok = false;
                            issues.push(Issue {
                                code: "need_rank_invalid",
                                message: format!("{}: the rank after the colon must be a whole number from 1", shown(token)),
                            });
                            continue;
                        }
                    },
                    None => (token, u8::try_from(position + 1).unwrap_or(u8::MAX)),
                };
                match NeedCode::parse(code_raw) {
                    Some(code) => needs.push(RankedNeed { rank, code }),
                    None => {
                        codes_ok = false;
                        issues.push(needs::unknown_code(code_raw));
                    }
                }
            }
        }
        for &(rank, i) in &cols.ranked {
            let raw = text(i);
            if raw.is_empty() {
                continue;
            }
            let code_text = raw.split_once(" - ").map_or(raw.as_str(), |(code, _)| code);
            match needs::parse_code(code_text).or_else(|| needs::parse_code(&raw)) {
                Some(code) => needs.push(RankedNeed { rank, code }),
                None => {
                    codes_ok = false;
                    issues.push(needs::unknown_code(&raw));
                }
            }
        }
        if codes_ok {
            issues.extend(needs::check_ranks(&needs));
        }
        match status {
            Some(SenStatus::N) if !needs.is_empty() => issues.push(needs::need_for_status_n(&needs)),
            Some(SenStatus::E) if needs.iter().any(|n| n.code == NeedCode::Nsa) => issues.push(needs::nsa_for_ehc_plan()),
            _ => {}
        }
        for issue in issues {
            p.push("needs", issue.code, issue.message);
        }
        needs.sort_by_key(|n| n.rank);

        match (upn, given_name, family_name, date_of_birth, year_group) {
            (Some(upn), Some(given_name), Some(family_name), Some(date_of_birth), Some(year_group)) if p.list.is_empty() => Ok(RollRow {
                line,
                upn,
                former_upn,
                given_name,
                family_name,
                preferred_name,
                date_of_birth,
                sex,
                year_group,
                form,
                entry_date,
                leaving_date,
                status,
                needs,
            }),
            _ => Err(p.list),
        }
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

/// Problems of one row, collected so the row reports them all together.
struct Problems {
    line: u64,
    list: Vec<RowProblem>,
}

impl Problems {
    fn push(&mut self, field: &'static str, code: impl Into<String>, message: impl Into<String>) {
        self.list.push(RowProblem { line: self.line, field, code: code.into(), message: message.into() });
    }

    /// A name or other short text: trimmed, at most [`MAX_TEXT_CHARS`] characters, no
    /// control characters. `None` when empty (a problem if `required`) or refused.
    fn text(&mut self, col: Col, raw: Option<String>, required: bool) -> Option<String> {
        let raw = raw.unwrap_or_default();
        if raw.is_empty() {
            if required {
                self.push(col.field(), "required", format!("The {} is empty: it is required", col.what()));
            }
            return None;
        }
        let mut ok = true;
        let chars = raw.chars().count();
        if chars > MAX_TEXT_CHARS {
            ok = false;
            self.push(
                col.field(),
                "too_long",
                format!("The {} {} is {chars} characters long: at most {MAX_TEXT_CHARS} are allowed", col.what(), shown(&raw)),
            );
        }
        if let Some(c) = raw.chars().find(|c| c.is_control()) {
            ok = false;
            self.push(
                col.field(),
                "control_character",
                format!(
                    "The {} {} holds an invisible control character (U+{:04X}), such as a tab or a line break inside the cell: only letters, spaces and punctuation are allowed",
                    col.what(),
                    shown(&raw),
                    u32::from(c)
                ),
            );
        }
        ok.then_some(raw)
    }

    fn date(&mut self, col: Col, raw: Option<String>, required: bool) -> Option<NaiveDate> {
        let raw = raw.unwrap_or_default();
        if raw.is_empty() {
            if required {
                self.push(col.field(), "required", format!("The {} is empty: it is required", col.what()));
            }
            return None;
        }
        match parse_date(&raw) {
            Ok(d) => Some(d),
            Err(DateError::TwoDigitYear) => {
                self.push(
                    col.field(),
                    "ambiguous_date",
                    format!(
                        "The {} {} has a two-digit year, so its century is unknown: write the year in full, as dd/mm/yyyy or yyyy-mm-dd",
                        col.what(),
                        shown(&raw)
                    ),
                );
                None
            }
            Err(DateError::NoSuchDay) => {
                self.push(col.field(), "invalid_date", format!("The {} {} is not a day of the calendar", col.what(), shown(&raw)));
                None
            }
            Err(DateError::Form) => {
                self.push(
                    col.field(),
                    "invalid_date",
                    format!("The {} {} is not a date: expected dd/mm/yyyy or yyyy-mm-dd", col.what(), shown(&raw)),
                );
                None
            }
        }
    }
}

/// The message for a UPN the census would refuse: its census error number first, then
/// what is wrong and the value found.
fn upn_message(e: &UpnError, raw: &str) -> String {
    let what = match e {
        UpnError::Missing => return format!("Census error 1500: {e}"),
        _ => format!("{e}, in {}", shown(raw)),
    };
    match e.census_code() {
        Some(code) => format!("Census error {code}: {what}"),
        None => what,
    }
}

/// A value quoted for a message: at most 40 characters, control characters made visible.
pub(crate) fn shown(s: &str) -> String {
    let mut out = String::from("'");
    for (i, c) in s.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A field's text: UTF-8 where valid, else Latin-1 (each byte the character it numbers).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateError {
    /// `dd/mm/yy`: the century would be a guess.
    TwoDigitYear,
    /// The right shape, but no such day (31/02/2015).
    NoSuchDay,
    /// Not a date in an accepted form.
    Form,
}

/// `yyyy-mm-dd`, `dd/mm/yyyy`, `d/m/yyyy` or `dd-mm-yyyy`, optionally followed by a
/// midnight time (`00:00`, `00:00:00`, or `T00:00:00`).
fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let s = [" 00:00:00", " 00:00", "T00:00:00"].iter().find_map(|t| s.strip_suffix(t)).unwrap_or(s).trim();
    let sep = if s.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else { return Err(DateError::Form) };
    let digits = |p: &str, min: usize, max: usize| (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let (y, m, d) = if sep == '-' && digits(a, 4, 4) && digits(b, 1, 2) && digits(c, 1, 2) {
        (*a, *b, *c)
    } else if digits(a, 1, 2) && digits(b, 1, 2) && digits(c, 4, 4) {
        (*c, *b, *a)
    } else if digits(a, 1, 2) && digits(b, 1, 2) && digits(c, 2, 2) {
        return Err(DateError::TwoDigitYear);
    } else {
        return Err(DateError::Form);
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else { return Err(DateError::Form) };
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDay)
}

/// A year group as the census writes it, or as MIS exports spell it ("Year 4", "Y4",
/// "Reception", "Nursery 1").
fn year_group(raw: &str) -> Option<YearGroup> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if let Some(y) = YearGroup::parse(&compact) {
        return Some(y);
    }
    let rest =
        ["YEAR", "YR", "Y"].iter().find_map(|p| compact.strip_prefix(p).filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit())));
    if let Some(rest) = rest {
        return YearGroup::parse(rest);
    }
    match compact.as_str() {
        "RECEPTION" | "REC" => Some(YearGroup::Reception),
        "NURSERY1" => Some(YearGroup::Nursery(1)),
        "NURSERY2" => Some(YearGroup::Nursery(2)),
        _ => None,
    }
}

/// A SEN status as a code, as "K - SEN Support", or in words ("SEN Support", "EHC Plan").
fn status(raw: &str) -> Option<SenStatus> {
    if let Some(s) = SenStatus::parse(raw) {
        return Some(s);
    }
    if let Some((code, _)) = raw.split_once(" - ")
        && let Some(s) = SenStatus::parse(code)
    {
        return Some(s);
    }
    let words = raw.trim().to_ascii_lowercase();
    let all = [SenStatus::N, SenStatus::K, SenStatus::E, SenStatus::S, SenStatus::A, SenStatus::P];
    if let Some(s) = all.into_iter().find(|s| s.meaning().eq_ignore_ascii_case(&words)) {
        return Some(s);
    }
    match words.as_str() {
        "no sen" | "no special educational need" | "no special educational needs" => Some(SenStatus::N),
        "sen support" => Some(SenStatus::K),
        "ehc plan" | "ehcp" | "education, health and care plan" | "education health and care plan" => Some(SenStatus::E),
        _ => None,
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
