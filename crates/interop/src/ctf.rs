//! The SEN parts of the DfE Common Transfer File (CTF), read and written, so a pupil's
//! SEN history follows them between schools (R24). See `standards.md` §3.
//!
//! [`CtfReader`] streams: it reads the `Header`, then hands out one `Pupil` at a time,
//! so a 100 MB file is never in memory whole. From each pupil it takes
//!
//! | CTF element                                            | senplan                       |
//! |--------------------------------------------------------|-------------------------------|
//! | `UPN`, `Surname`, `Forename`, `DOB`, `Sex`             | [`CtfPupil`]'s fields         |
//! | `BasicDetails/FormerUPN` (repeated, or in `FormerUPNs`) | `former_upns`                 |
//! | `BasicDetails/NCyearActual`                            | `year_group`                  |
//! | `SENhistory/SEN*/{StartDate, EndDate, SENprovision}`   | `sen_history` ([`SenPeriod`]) |
//! | `SENhistory/SENneeds/SENneed*/{SENtypeRank, SENtype}`  | `needs` ([`CtfNeed`])         |
//!
//! and skips everything else (attendance, assessments, contacts, addresses, elements it
//! does not know) at any depth without error. Names are matched without their namespace
//! prefix. A pupil whose details cannot be taken is reported as a [`PupilProblem`] with
//! its place in the file and every reason, and the rest are still read.
//!
//! Entities are never expanded: a `<!DOCTYPE>` that declares its own (`<!ENTITY`), as
//! an entity-expansion ("billion laughs") attack does, is refused before anything is
//! read from it. The five predefined entities and character references are read as usual.
//!
//! Versions: CTF NN.0 is for the academic year that starts on 1 September 20NN. A file
//! of the current or the previous version is read quietly; any other is read too, with
//! a warning naming the version found and those expected.
//!
//! [`write_ctf`] (or [`CtfWriter`], streaming) writes the same parts back in the CTF's
//! element order, and [`file_name`] names the file as the DfE convention does.

use std::collections::HashSet;
use std::io::BufRead;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};
use quick_xml::name::QName;
use senplan_core::need::NeedCode;
use senplan_core::pupil::{Sex, YearGroup};
use senplan_core::status::SenStatus;
use senplan_core::upn::Upn;

use crate::RankedNeed;
use crate::needs;
use crate::roll::shown;

mod records;
mod write;
use records::{header_from, pupil_from};
pub(crate) use write::escape;
pub use write::{CtfWriter, write_ctf};

/// A ranked type of need from a CTF.
pub type CtfNeed = RankedNeed;

/// The CTF's date and time format (`yyyy-MM-ddTHH:mm:ss`, no zone).
const DATE_TIME: &str = "%Y-%m-%dT%H:%M:%S";
/// The CTF's date format.
const DATE: &str = "%Y-%m-%d";
/// Longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 100;
/// Most problems listed for one pupil; the rest are counted.
const MAX_PROBLEMS: usize = 50;

/// A CTF that cannot be read (any further).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CtfError {
    #[error("The file is empty: expected a Common Transfer File (XML starting with <CTfile>)")]
    Empty,
    #[error("The file is not a Common Transfer File: its first element is <{found}>, expected <CTfile>")]
    NotCtf { found: String },
    #[error("The file is not well-formed XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error(
        "The file declares its own XML entities (<!ENTITY in its <!DOCTYPE>, at byte {position}). A Common Transfer File never does, and such declarations are how entity-expansion (\"billion laughs\") attacks work, so the file was refused without being read"
    )]
    EntityDeclarations { position: u64 },
    #[error("The file has no <Header> before its pupils: it is not a complete Common Transfer File")]
    NoHeader,
    #[error("The file's <Header> cannot be used: {}", problems.join("; "))]
    BadHeader { problems: Vec<String> },
    #[error("The file ends at byte {position}, inside <{open}>: it may have been cut short in copying or downloading")]
    Truncated { position: u64, open: String },
    #[error("The file could not be read: {message}")]
    Io { message: String },
}

/// A school in the header: source (who sent the file) or destination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtfSchool {
    /// The local authority number (3 digits).
    pub lea: String,
    /// The DfE establishment number (4 digits): LEA and Estab make the LAESTAB.
    pub estab: String,
    pub urn: Option<String>,
    pub name: Option<String>,
    /// As the CTF writes it, for example "2026/2027".
    pub academic_year: Option<String>,
}

impl CtfSchool {
    /// LEA and Estab together, as file names use them ("3802001").
    pub fn laestab(&self) -> String {
        format!("{}{}", self.lea, self.estab)
    }
}

/// The CTF `Header`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtfHeader {
    pub document_name: String,
    /// `CTFversion`, for example "26.0".
    pub version: String,
    pub date_time: Option<NaiveDateTime>,
    /// "full" or "partial".
    pub document_qualifier: String,
    pub supplier_id: String,
    pub source: CtfSchool,
    pub dest: Option<CtfSchool>,
}

/// One period of SEN provision. In a CTF, historic codes (S, A, P) are taken too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenPeriod {
    pub start: NaiveDate,
    /// `None` for the period open now.
    pub end: Option<NaiveDate>,
    pub status: SenStatus,
}

/// A pupil's details and SEN history from a CTF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtfPupil {
    pub upn: Upn,
    pub former_upns: Vec<Upn>,
    pub surname: String,
    pub forename: String,
    pub date_of_birth: NaiveDate,
    pub sex: Option<Sex>,
    pub year_group: Option<YearGroup>,
    /// Sorted by start date. A period without an end date ends when the next starts;
    /// the last may stay open.
    pub sen_history: Vec<SenPeriod>,
    /// Sorted by rank: 1, 2, 3 …
    pub needs: Vec<CtfNeed>,
}

/// A pupil in the file whose details could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilProblem {
    /// Where the pupil is in the file: 1 for the first `Pupil`.
    pub index: usize,
    /// The UPN as written, when there is one.
    pub upn: Option<String>,
    /// Each reason, naming the element and the value found.
    pub problems: Vec<String>,
}

/// The CTF version for the academic year `today` falls in: "26.0" from 1 September 2026
/// to 31 August 2027.
pub fn current_version(today: NaiveDate) -> String {
    let start = if today.month() >= 9 { today.year() } else { today.year() - 1 };
    format!("{:02}.0", start.rem_euclid(100))
}

/// The version before [`current_version`].
fn previous_version(today: NaiveDate) -> String {
    let start = if today.month() >= 9 { today.year() } else { today.year() - 1 };
    format!("{:02}.0", (start - 1).rem_euclid(100))
}

/// The conventional file name: `<source LAESTAB>_CTF_<destination LAESTAB>_<nnn>.xml`,
/// the serial at least three digits. The destination is written as given.
pub fn file_name(source_laestab: &str, dest_laestab: &str, serial: u16) -> String {
    format!("{source_laestab}_CTF_{dest_laestab}_{serial:03}.xml")
}

/// Elements read under `Header`, by path from it; all else is skipped.
const HEADER_PATHS: &[&str] = &[
    "DocumentName",
    "CTFversion",
    "DateTime",
    "DocumentQualifier",
    "SupplierID",
    "SourceSchool",
    "SourceSchool/LEA",
    "SourceSchool/Estab",
    "SourceSchool/URN",
    "SourceSchool/SchoolName",
    "SourceSchool/AcademicYear",
    "DestSchool",
    "DestSchool/LEA",
    "DestSchool/Estab",
    "DestSchool/URN",
    "DestSchool/SchoolName",
    "DestSchool/AcademicYear",
];

/// Elements read under each `Pupil`, by path from it; all else is skipped.
const PUPIL_PATHS: &[&str] = &[
    "UPN",
    "Surname",
    "Forename",
    "DOB",
    "Sex",
    "BasicDetails",
    "BasicDetails/FormerUPN",
    "BasicDetails/FormerUPNs",
    "BasicDetails/FormerUPNs/FormerUPN",
    "BasicDetails/NCyearActual",
    "SENhistory",
    "SENhistory/SEN",
    "SENhistory/SEN/StartDate",
    "SENhistory/SEN/EndDate",
    "SENhistory/SEN/SENprovision",
    "SENhistory/SENneeds",
    "SENhistory/SENneeds/SENneed",
    "SENhistory/SENneeds/SENneed/SENtypeRank",
    "SENhistory/SENneeds/SENneed/SENtype",
];

/// An element read into memory: only the few a pupil or header needs.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn first(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of the first child `name`, `None` when absent or empty.
    fn text_of(&self, name: &str) -> Option<String> {
        self.first(name).map(|n| n.text.trim().to_owned()).filter(|t| !t.is_empty())
    }
}

/// One XML event, owned, with what the reader needs of it.
enum Ev {
    Start { local: String, qname: String },
    Empty { local: String },
    End,
    Text(String),
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Inside `CTfile`.
    Root,
    /// Inside `CTfile/CTFpupilData`.
    PupilData,
    /// After `</CTfile>`, or after an error.
    Done,
}

/// Reads a CTF one pupil at a time.
pub struct CtfReader<R: BufRead> {
    xml: Reader<R>,
    buf: Vec<u8>,
    header: CtfHeader,
    warnings: Vec<String>,
    place: Place,
    /// How many `Pupil` elements have been met.
    index: usize,
}

impl<R: BufRead> std::fmt::Debug for CtfReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CtfReader")
            .field("header", &self.header)
            .field("warnings", &self.warnings)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<R: BufRead> CtfReader<R> {
    /// Reads up to the end of the `Header` and checks the version against `today`.
    pub fn new(reader: R, today: NaiveDate) -> Result<Self, CtfError> {
        let mut me = Self {
            xml: Reader::from_reader(reader),
            buf: Vec::new(),
            header: CtfHeader::default(),
            warnings: Vec::new(),
            place: Place::Root,
            index: 0,
        };
        loop {
            match me.event()? {
                Ev::Start { local, .. } if local == "CTfile" => break,
                Ev::Start { local, .. } | Ev::Empty { local } => return Err(CtfError::NotCtf { found: local }),
                Ev::Text(t) if t.trim().is_empty() => {}
                Ev::Text(_) => return Err(CtfError::NotCtf { found: "text, not an element".into() }),
                Ev::End => return Err(me.xml_error("an end tag before any element")),
                Ev::Eof => return Err(CtfError::Empty),
            }
        }
        loop {
            match me.event()? {
                Ev::Start { local, .. } if local == "Header" => {
                    let node = me.tree("Header", HEADER_PATHS)?;
                    me.header = header_from(&node, &mut me.warnings)?;
                    break;
                }
                Ev::Start { local, .. } | Ev::Empty { local } if local == "CTFpupilData" || local == "Header" => {
                    return Err(CtfError::NoHeader);
                }
                Ev::Start { qname, .. } => me.skip(&qname)?,
                Ev::Empty { .. } | Ev::Text(_) => {}
                Ev::End => return Err(CtfError::NoHeader),
                Ev::Eof => return Err(me.truncated("CTfile")),
            }
        }
        let (current, previous) = (current_version(today), previous_version(today));
        let version = me.header.version.trim();
        if version.is_empty() {
            me.warnings.push(format!("The file does not say its CTF version (CTFversion): expected {current} or {previous}. It was read anyway: check the SEN details"));
        } else if version != current && version != previous {
            me.warnings.push(format!(
                "The file is CTF version {version}, but on {} the versions expected are {current} (this academic year) or {previous} (the last). It was read anyway: check the SEN details",
                today.format("%-d %B %Y")
            ));
        }
        Ok(me)
    }

    pub fn header(&self) -> &CtfHeader {
        &self.header
    }

    /// Things worth telling the person importing, such as an unexpected version.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The next pupil: `Ok(None)` at the end of the file. After an error the reader
    /// stops, and later calls give `Ok(None)`.
    pub fn next_pupil(&mut self) -> Result<Option<Result<CtfPupil, PupilProblem>>, CtfError> {
        let result = self.next_inner();
        if result.is_err() {
            self.place = Place::Done;
        }
        result
    }

    fn next_inner(&mut self) -> Result<Option<Result<CtfPupil, PupilProblem>>, CtfError> {
        loop {
            if self.place == Place::Done {
                return Ok(None);
            }
            match self.event()? {
                Ev::Start { local, qname } => match (self.place, local.as_str()) {
                    (Place::Root, "CTFpupilData") => self.place = Place::PupilData,
                    (Place::PupilData, "Pupil") => {
                        self.index += 1;
                        let node = self.tree("Pupil", PUPIL_PATHS)?;
                        return Ok(Some(pupil_from(&node, self.index)));
                    }
                    _ => self.skip(&qname)?,
                },
                Ev::Empty { local } => {
                    if self.place == Place::PupilData && local == "Pupil" {
                        self.index += 1;
                        return Ok(Some(pupil_from(&Node { name: local, ..Node::default() }, self.index)));
                    }
                }
                Ev::End => {
                    self.place = match self.place {
                        Place::PupilData => Place::Root,
                        Place::Root | Place::Done => Place::Done,
                    }
                }
                Ev::Text(_) => {}
                Ev::Eof => {
                    let open = if self.place == Place::PupilData { "CTFpupilData" } else { "CTfile" };
                    return Err(self.truncated(open));
                }
            }
        }
    }

    fn xml_error(&self, message: impl Into<String>) -> CtfError {
        CtfError::Xml { position: self.xml.buffer_position(), message: message.into() }
    }

    fn truncated(&self, open: &str) -> CtfError {
        CtfError::Truncated { position: self.xml.buffer_position(), open: open.to_owned() }
    }

    /// The next event that matters: comments, processing instructions and the XML
    /// declaration are passed over; a DTD declaring entities is refused.
    fn event(&mut self) -> Result<Ev, CtfError> {
        loop {
            self.buf.clear();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => {
                    return Err(match e {
                        quick_xml::Error::Io(io) => CtfError::Io { message: io.to_string() },
                        quick_xml::Error::Encoding(_) => CtfError::Xml {
                            position: self.xml.error_position(),
                            message: "the text is not UTF-8, the encoding a Common Transfer File uses".into(),
                        },
                        other => CtfError::Xml { position: self.xml.error_position(), message: other.to_string() },
                    });
                }
            };
            return Ok(match event {
                Event::Start(e) => Ev::Start { local: e.local_name().into_inner().to_owned(), qname: e.name().into_inner().to_owned() },
                Event::Empty(e) => Ev::Empty { local: e.local_name().into_inner().to_owned() },
                Event::End(_) => Ev::End,
                Event::Text(t) => Ev::Text(t.xml10_content().into_owned()),
                Event::CData(t) => Ev::Text(t.xml10_content().into_owned()),
                Event::GeneralRef(r) => match resolve(&r) {
                    Ok(c) => Ev::Text(c.to_string()),
                    Err(message) => return Err(self.xml_error(message)),
                },
                Event::DocType(dtd) => {
                    if dtd.to_ascii_uppercase().contains("<!ENTITY") {
                        let position = self.xml.buffer_position().saturating_sub(dtd.len() as u64);
                        return Err(CtfError::EntityDeclarations { position });
                    }
                    continue;
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => continue,
                Event::Eof => Ev::Eof,
            });
        }
    }

    /// Skips the element just opened, whatever it holds.
    fn skip(&mut self, qname: &str) -> Result<(), CtfError> {
        self.buf.clear();
        match self.xml.read_to_end_into(QName(qname), &mut self.buf) {
            Ok(_) => Ok(()),
            Err(quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(_))) => Err(self.truncated(qname)),
            Err(quick_xml::Error::Io(io)) => Err(CtfError::Io { message: io.to_string() }),
            Err(e) => Err(CtfError::Xml { position: self.xml.error_position(), message: e.to_string() }),
        }
    }

    /// Reads the element just opened into a [`Node`], keeping only the `wanted` paths
    /// below it and skipping the rest unread.
    fn tree(&mut self, name: &str, wanted: &[&str]) -> Result<Node, CtfError> {
        // Each open element with its path from `name` ("" for `name` itself).
        let mut stack: Vec<(Node, String)> = vec![(Node { name: name.to_owned(), ..Node::default() }, String::new())];
        loop {
            match self.event()? {
                Ev::Start { local, qname } => {
                    let path = child_path(stack.last().map_or("", |(_, p)| p.as_str()), &local);
                    if wanted.contains(&path.as_str()) {
                        stack.push((Node { name: local, ..Node::default() }, path));
                    } else {
                        self.skip(&qname)?;
                    }
                }
                Ev::Empty { local } => {
                    let path = child_path(stack.last().map_or("", |(_, p)| p.as_str()), &local);
                    if wanted.contains(&path.as_str())
                        && let Some((parent, _)) = stack.last_mut()
                    {
                        parent.children.push(Node { name: local, ..Node::default() });
                    }
                }
                Ev::Text(t) => {
                    if let Some((node, _)) = stack.last_mut() {
                        node.text.push_str(&t);
                    }
                }
                Ev::End => {
                    let Some((node, _)) = stack.pop() else { return Err(self.xml_error("an end tag with no element open")) };
                    match stack.last_mut() {
                        Some((parent, _)) => parent.children.push(node),
                        None => return Ok(node),
                    }
                }
                Ev::Eof => {
                    let open = stack.last().map_or(name, |(n, _)| n.name.as_str()).to_owned();
                    return Err(self.truncated(&open));
                }
            }
        }
    }
}

fn child_path(parent: &str, local: &str) -> String {
    if parent.is_empty() { local.to_owned() } else { format!("{parent}/{local}") }
}

/// A predefined entity or a character reference; any other entity is undefined, since
/// declarations are refused.
fn resolve(r: &BytesRef<'_>) -> Result<char, String> {
    let name: &str = r;
    match name {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(format!(
                "the entity &{}; is not defined (only &amp; &lt; &gt; &quot; &apos; and character references are)",
                name.chars().take(40).collect::<String>()
            )),
            Err(e) => Err(format!("the character reference &{}; is not valid: {e}", name.chars().take(40).collect::<String>())),
        },
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
    fn r24_ctf_versions_follow_the_academic_year() {
        assert_eq!(current_version(d(2026, 11, 27)), "26.0");
        assert_eq!(previous_version(d(2026, 11, 27)), "25.0");
        assert_eq!(current_version(d(2026, 8, 31)), "25.0");
        assert_eq!(current_version(d(2026, 9, 1)), "26.0");
        assert_eq!(current_version(d(2100, 1, 1)), "99.0");
        assert_eq!(previous_version(d(2100, 9, 1)), "99.0");
    }

    #[test]
    fn r24_ctf_file_names_follow_the_convention() {
        assert_eq!(file_name("3802001", "8012000", 7), "3802001_CTF_8012000_007.xml");
        assert_eq!(file_name("3802001", "8012000", 1234), "3802001_CTF_8012000_1234.xml");
    }

    #[test]
    fn r24_ctf_text_is_escaped_and_control_characters_refused() {
        assert_eq!(escape("Surname", "O'Brien & <Sons>").unwrap(), "O&apos;Brien &amp; &lt;Sons&gt;");
        assert!(escape("Surname", "a\u{0}b").unwrap_err().to_string().contains("U+0000"));
    }
}
