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
use std::io::{self, BufRead, Write};

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

fn school_from(node: &Node) -> (Option<CtfSchool>, Vec<String>) {
    let mut problems = Vec::new();
    let lea = node.text_of("LEA");
    let estab = node.text_of("Estab");
    if lea.is_none() {
        problems.push(format!("{} has no LEA (local authority number)", node.name));
    }
    if estab.is_none() {
        problems.push(format!("{} has no Estab (establishment number)", node.name));
    }
    let school = match (lea, estab) {
        (Some(lea), Some(estab)) => Some(CtfSchool {
            lea,
            estab,
            urn: node.text_of("URN"),
            name: node.text_of("SchoolName"),
            academic_year: node.text_of("AcademicYear"),
        }),
        _ => None,
    };
    (school, problems)
}

fn header_from(node: &Node, warnings: &mut Vec<String>) -> Result<CtfHeader, CtfError> {
    let text = |name: &str| node.text_of(name).unwrap_or_default();
    let source = match node.first("SourceSchool") {
        None => return Err(CtfError::BadHeader { problems: vec!["it has no SourceSchool, so who sent the file is unknown".into()] }),
        Some(s) => match school_from(s) {
            (Some(school), _) => school,
            (None, problems) => return Err(CtfError::BadHeader { problems }),
        },
    };
    let dest = match node.first("DestSchool") {
        None => None,
        Some(d) => {
            let (school, problems) = school_from(d);
            for p in problems {
                warnings.push(format!("The header's {p}: the destination school is not known"));
            }
            school
        }
    };
    let date_time = match node.text_of("DateTime") {
        None => None,
        Some(raw) => {
            let parsed =
                NaiveDateTime::parse_from_str(&raw, DATE_TIME).or_else(|_| NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M:%S%.f"));
            if parsed.is_err() {
                warnings.push(format!(
                    "The header's DateTime {} is not in the form yyyy-MM-ddTHH:mm:ss, so when the file was made is unknown",
                    shown(&raw)
                ));
            }
            parsed.ok()
        }
    };
    Ok(CtfHeader {
        document_name: text("DocumentName"),
        version: text("CTFversion"),
        date_time,
        document_qualifier: text("DocumentQualifier"),
        supplier_id: text("SupplierID"),
        source,
        dest,
    })
}

/// The one child `name`, or a problem when it is given more than once.
fn single(node: &Node, name: &str, problems: &mut Vec<String>) -> Option<String> {
    let mut values = node.all(name).map(|n| n.text.trim().to_owned());
    let first = values.next();
    if values.next().is_some() {
        problems.push(format!("{name} is given more than once"));
    }
    first.filter(|t| !t.is_empty())
}

fn name(node: &Node, element: &str, problems: &mut Vec<String>) -> Option<String> {
    let Some(v) = single(node, element, problems) else {
        problems.push(format!("{element} is missing or empty: it is required"));
        return None;
    };
    let chars = v.chars().count();
    if chars > MAX_NAME_CHARS {
        problems.push(format!("{element} {} is {chars} characters long: at most {MAX_NAME_CHARS} are allowed", shown(&v)));
        return None;
    }
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        problems.push(format!(
            "{element} {} holds an invisible control character (U+{:04X}): only letters, spaces and punctuation are allowed",
            shown(&v),
            u32::from(c)
        ));
        return None;
    }
    Some(v)
}

fn date(raw: &str, element: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(raw, DATE).ok().filter(|_| raw.len() == 10);
    if d.is_none() {
        problems.push(format!("{element} {} is not a date in the form yyyy-MM-dd", shown(raw)));
    }
    d
}

fn upn(raw: &str, element: &str, problems: &mut Vec<String>) -> Option<Upn> {
    match Upn::parse(raw) {
        Ok(u) => Some(u),
        Err(e) => {
            let census = e.census_code().map(|c| format!("Census error {c}: ")).unwrap_or_default();
            problems.push(format!("{element}: {census}{e}, in {}", shown(raw)));
            None
        }
    }
}

fn pupil_from(node: &Node, index: usize) -> Result<CtfPupil, PupilProblem> {
    let mut problems = Vec::new();
    let upn_raw = single(node, "UPN", &mut problems);
    let upn_value = match &upn_raw {
        None => {
            problems.push("UPN: Census error 1500: UPN is missing: expected 13 characters".to_owned());
            None
        }
        Some(raw) => upn(raw, "UPN", &mut problems),
    };
    let surname = name(node, "Surname", &mut problems);
    let forename = name(node, "Forename", &mut problems);
    let date_of_birth = match single(node, "DOB", &mut problems) {
        None => {
            problems.push("DOB is missing or empty: it is required".to_owned());
            None
        }
        Some(raw) => date(&raw, "DOB", &mut problems),
    };
    let sex = single(node, "Sex", &mut problems).and_then(|raw| {
        let s = Sex::parse(&raw);
        if s.is_none() {
            problems.push(format!("Sex {} is not M or F", shown(&raw)));
        }
        s
    });
    let basic = node.first("BasicDetails");
    let year_group = basic.and_then(|b| single(b, "NCyearActual", &mut problems)).and_then(|raw| {
        let y = YearGroup::parse(&raw);
        if y.is_none() {
            problems.push(format!("NCyearActual {} is not a year group: expected N1, N2, R, 1 to 14, or X", shown(&raw)));
        }
        y
    });
    let mut former_upns: Vec<Upn> = Vec::new();
    let mut former_seen: HashSet<Upn> = HashSet::new();
    let former_nodes = basic.into_iter().flat_map(|b| b.all("FormerUPN").chain(b.all("FormerUPNs").flat_map(|f| f.all("FormerUPN"))));
    for f in former_nodes {
        let raw = f.text.trim();
        if raw.is_empty() {
            continue;
        }
        if let Some(u) = upn(raw, "FormerUPN", &mut problems) {
            if Some(&u) == upn_value.as_ref() {
                problems.push(format!("FormerUPN {u} is the same as the pupil's UPN"));
            } else if former_seen.insert(u.clone()) {
                former_upns.push(u);
            }
        }
    }

    let history = node.first("SENhistory");
    let mut sen_history = Vec::new();
    for sen in history.into_iter().flat_map(|h| h.all("SEN")) {
        let mut ok = true;
        let start = match single(sen, "StartDate", &mut problems) {
            Some(raw) => date(&raw, "SEN StartDate", &mut problems),
            None => {
                problems.push("A SEN period has no StartDate".to_owned());
                None
            }
        };
        let end = match single(sen, "EndDate", &mut problems) {
            Some(raw) => {
                let d = date(&raw, "SEN EndDate", &mut problems);
                ok &= d.is_some();
                d
            }
            None => None,
        };
        let status = match single(sen, "SENprovision", &mut problems) {
            Some(raw) => {
                let s = SenStatus::parse(&raw);
                if s.is_none() {
                    problems.push(format!(
                        "SENprovision {} is not a SEN provision code: expected N, K or E (or the historic S, A or P)",
                        shown(&raw)
                    ));
                }
                s
            }
            None => {
                problems.push("A SEN period has no SENprovision".to_owned());
                None
            }
        };
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            problems.push(format!("The SEN period starting {start} ends on {end}, before it starts"));
            ok = false;
        }
        if let (true, Some(start), Some(status)) = (ok, start, status) {
            sen_history.push(SenPeriod { start, end, status });
        }
    }
    sen_history.sort_by_key(|p| p.start);
    let starts: Vec<NaiveDate> = sen_history.iter().map(|p| p.start).collect();
    for (period, next) in sen_history.iter_mut().zip(starts.iter().skip(1)) {
        if period.end.is_none() {
            period.end = Some(*next);
        }
    }

    let mut needs_read: Vec<CtfNeed> = Vec::new();
    let mut codes_ok = true;
    let need_nodes: Vec<&Node> = history.into_iter().flat_map(|h| h.all("SENneeds")).flat_map(|n| n.all("SENneed")).collect();
    if need_nodes.len() > needs::MAX_NEEDS {
        codes_ok = false;
        problems.push(format!(
            "SENneeds has {} SENneed elements: there are {} census types of need, each given once",
            need_nodes.len(),
            NeedCode::ALL.len()
        ));
    }
    for need in need_nodes.into_iter().take(needs::MAX_NEEDS) {
        let rank = match single(need, "SENtypeRank", &mut problems) {
            Some(raw) => {
                let r = raw.parse::<u8>().ok().filter(|r| *r >= 1);
                if r.is_none() {
                    problems.push(format!("SENtypeRank {} is not a rank: expected a whole number from 1", shown(&raw)));
                }
                r
            }
            None => {
                problems.push("A SENneed has no SENtypeRank".to_owned());
                None
            }
        };
        let code = match single(need, "SENtype", &mut problems) {
            Some(raw) => {
                let c = NeedCode::parse(&raw);
                if c.is_none() {
                    problems.push(format!("SENtype: {}", needs::unknown_code(&raw).message));
                }
                c
            }
            None => {
                problems.push("A SENneed has no SENtype".to_owned());
                None
            }
        };
        match (rank, code) {
            (Some(rank), Some(code)) => needs_read.push(RankedNeed { rank, code }),
            _ => codes_ok = false,
        }
    }
    if codes_ok {
        problems.extend(needs::check_ranks(&needs_read).into_iter().map(|i| format!("SENneeds: {}", i.message)));
    }
    let current = sen_history.last().filter(|p| p.end.is_none()).map(|p| p.status);
    if current == Some(SenStatus::E) && needs_read.iter().any(|n| n.code == NeedCode::Nsa) {
        problems.push(format!("SENneeds: {}", needs::nsa_for_ehc_plan().message));
    }
    needs_read.sort_by_key(|n| n.rank);

    match (upn_value, surname, forename, date_of_birth) {
        (Some(upn), Some(surname), Some(forename), Some(date_of_birth)) if problems.is_empty() => {
            Ok(CtfPupil { upn, former_upns, surname, forename, date_of_birth, sex, year_group, sen_history, needs: needs_read })
        }
        _ => {
            if problems.len() > MAX_PROBLEMS {
                let more = problems.len() - MAX_PROBLEMS;
                problems.truncate(MAX_PROBLEMS);
                problems.push(format!("… and {more} more problems"));
            }
            Err(PupilProblem { index, upn: upn_raw, problems })
        }
    }
}

/// Writes a CTF one pupil at a time: [`CtfWriter::start`], [`CtfWriter::pupil`] for
/// each, then [`CtfWriter::finish`].
#[derive(Debug)]
pub struct CtfWriter<W: Write> {
    w: W,
}

impl<W: Write> CtfWriter<W> {
    /// Writes the XML declaration, the `Header` and opens `CTFpupilData`.
    pub fn start(mut w: W, header: &CtfHeader) -> io::Result<Self> {
        writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(w, "<CTfile>")?;
        writeln!(w, "  <Header>")?;
        element(&mut w, 4, "DocumentName", &header.document_name)?;
        element(&mut w, 4, "CTFversion", &header.version)?;
        if let Some(dt) = header.date_time {
            element(&mut w, 4, "DateTime", &dt.format(DATE_TIME).to_string())?;
        }
        element(&mut w, 4, "DocumentQualifier", &header.document_qualifier)?;
        element(&mut w, 4, "SupplierID", &header.supplier_id)?;
        writeln!(w, "    <SourceSchool>")?;
        let s = &header.source;
        element(&mut w, 6, "LEA", &s.lea)?;
        element(&mut w, 6, "Estab", &s.estab)?;
        optional(&mut w, 6, "URN", s.urn.as_deref())?;
        optional(&mut w, 6, "SchoolName", s.name.as_deref())?;
        optional(&mut w, 6, "AcademicYear", s.academic_year.as_deref())?;
        writeln!(w, "    </SourceSchool>")?;
        if let Some(d) = &header.dest {
            writeln!(w, "    <DestSchool>")?;
            element(&mut w, 6, "LEA", &d.lea)?;
            element(&mut w, 6, "Estab", &d.estab)?;
            optional(&mut w, 6, "URN", d.urn.as_deref())?;
            writeln!(w, "    </DestSchool>")?;
        }
        writeln!(w, "  </Header>")?;
        writeln!(w, "  <CTFpupilData>")?;
        Ok(Self { w })
    }

    pub fn pupil(&mut self, p: &CtfPupil) -> io::Result<()> {
        let w = &mut self.w;
        writeln!(w, "    <Pupil>")?;
        element(w, 6, "UPN", p.upn.as_str())?;
        element(w, 6, "Surname", &p.surname)?;
        element(w, 6, "Forename", &p.forename)?;
        element(w, 6, "DOB", &p.date_of_birth.format(DATE).to_string())?;
        optional(w, 6, "Sex", p.sex.map(Sex::code))?;
        if !p.former_upns.is_empty() || p.year_group.is_some() {
            writeln!(w, "      <BasicDetails>")?;
            for f in &p.former_upns {
                element(w, 8, "FormerUPN", f.as_str())?;
            }
            optional(w, 8, "NCyearActual", p.year_group.map(YearGroup::code).as_deref())?;
            writeln!(w, "      </BasicDetails>")?;
        }
        if !p.sen_history.is_empty() || !p.needs.is_empty() {
            writeln!(w, "      <SENhistory>")?;
            for period in &p.sen_history {
                writeln!(w, "        <SEN>")?;
                element(w, 10, "StartDate", &period.start.format(DATE).to_string())?;
                optional(w, 10, "EndDate", period.end.map(|e| e.format(DATE).to_string()).as_deref())?;
                element(w, 10, "SENprovision", period.status.code())?;
                writeln!(w, "        </SEN>")?;
            }
            if !p.needs.is_empty() {
                writeln!(w, "        <SENneeds>")?;
                for n in &p.needs {
                    writeln!(w, "          <SENneed>")?;
                    element(w, 12, "SENtypeRank", &n.rank.to_string())?;
                    element(w, 12, "SENtype", n.code.code())?;
                    writeln!(w, "          </SENneed>")?;
                }
                writeln!(w, "        </SENneeds>")?;
            }
            writeln!(w, "      </SENhistory>")?;
        }
        writeln!(w, "    </Pupil>")
    }

    /// Closes the file and hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.w, "  </CTFpupilData>")?;
        writeln!(self.w, "</CTfile>")?;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes a whole CTF: the header and each pupil's details and SEN history.
pub fn write_ctf(w: impl Write, header: &CtfHeader, pupils: &[CtfPupil]) -> io::Result<()> {
    let mut writer = CtfWriter::start(w, header)?;
    for p in pupils {
        writer.pupil(p)?;
    }
    writer.finish().map(drop)
}

fn optional(w: &mut impl Write, indent: usize, name: &str, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(v) => element(w, indent, name, v),
        None => Ok(()),
    }
}

fn element(w: &mut impl Write, indent: usize, name: &str, value: &str) -> io::Result<()> {
    writeln!(w, "{:indent$}<{name}>{}</{name}>", "", escape(name, value)?)
}

/// Text escaped for XML; a character XML 1.0 cannot hold at all is an error.
pub(crate) fn escape(element: &str, value: &str) -> io::Result<String> {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{element} holds the control character U+{:04X}, which XML cannot carry", u32::from(c)),
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
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
