//! What every document says about itself — the school, the pupil, who it is for, when
//! and by whom it was produced — and the audience's voice: a staff copy speaks about
//! the pupil by first name, a parent's copy to the parent about "your child", and a
//! young person's copy (16 and over) to "you". Also the finished [`Pdf`].

use chrono::NaiveDate;
use senplan_core::dates::in_words;
use serde::{Deserialize, Serialize};

/// Who a copy is for. Only a staff copy may show hours and costs; the two family copies
/// never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// School staff: the pupil by first name, with hours and costs where given.
    Staff,
    /// A parent or carer: "your child", then the child's first name; no costs.
    Parent,
    /// A young person of 16 or over, reading their own copy: "you"; no costs.
    YoungPerson,
}

impl Audience {
    /// A copy for the family (a parent or the young person), which never shows costs.
    pub fn is_family(self) -> bool {
        self != Self::Staff
    }
}

/// Who produced a document, as it says at its top: "by Mrs J Patel, SENCO".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducedBy {
    pub name: String,
    /// Their role, e.g. "SENCO".
    pub role: String,
}

/// The context of every document: the school, the pupil, the audience, and when and by
/// whom it was produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocContext {
    pub school_name: String,
    /// The pupil's full name as the school writes it, e.g. "Ann Smith".
    pub pupil_full_name: String,
    /// The name the pupil goes by, used in sentences: "the help Ann will get".
    pub pupil_first_name: String,
    /// The year group as people say it, e.g. "Year 4" (`YearGroup::label`).
    pub year_group: String,
    pub audience: Audience,
    /// The day the copy was produced; also typst's `datetime.today()`.
    pub produced_on: NaiveDate,
    pub produced_by: ProducedBy,
}

/// A finished document.
#[derive(Clone, PartialEq, Eq)]
pub struct Pdf {
    /// The PDF file (PDF/UA-1, tagged).
    pub bytes: Vec<u8>,
    /// The document's title, as set in the PDF, e.g. "SEN support plan for Ann Smith".
    pub title: String,
    /// A suggested file name: lower-case ASCII, e.g. "sen-support-plan-ann-smith-v3.pdf".
    pub file_name: String,
}

impl std::fmt::Debug for Pdf {
    /// The bytes are left out: a PDF holds personal data and is large.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pdf").field("title", &self.title).field("file_name", &self.file_name).field("len", &self.bytes.len()).finish()
    }
}

/// How a copy refers to the pupil, for sentences written once per audience.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Voice<'a> {
    pub(crate) audience: Audience,
    first_name: &'a str,
}

impl<'a> Voice<'a> {
    pub(crate) fn new(context: &'a DocContext) -> Voice<'a> {
        Voice { audience: context.audience, first_name: context.pupil_first_name.trim() }
    }

    /// "Ann" or "you".
    pub(crate) fn name(self) -> String {
        match self.audience {
            Audience::YoungPerson => "you".to_owned(),
            _ => self.first_name.to_owned(),
        }
    }

    /// "Ann's" or "your".
    pub(crate) fn possessive(self) -> String {
        match self.audience {
            Audience::YoungPerson => "your".to_owned(),
            _ => format!("{}'s", self.first_name),
        }
    }

    /// "Ann is" or "you are".
    pub(crate) fn is(self) -> String {
        match self.audience {
            Audience::YoungPerson => "you are".to_owned(),
            _ => format!("{} is", self.first_name),
        }
    }

    /// Capitalises the first letter, for a heading or a sentence's start.
    pub(crate) fn cap(text: &str) -> String {
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

/// One line of the facts at the top of a document: "School", "Oakfield Primary".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fact {
    pub(crate) label: String,
    pub(crate) value: String,
}

impl Fact {
    pub(crate) fn new(label: &str, value: impl Into<String>) -> Fact {
        Fact { label: label.to_owned(), value: value.into() }
    }
}

/// What `base.typ` shows on every document: the title (the PDF's title and the one
/// level-1 heading), the school, the facts, who the copy is for, an introduction
/// in the audience's voice, and the footer line beside "Page N of M".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Header {
    pub(crate) title: String,
    pub(crate) school: String,
    pub(crate) facts: Vec<Fact>,
    pub(crate) copy_for: String,
    pub(crate) intro: Vec<String>,
    pub(crate) footer: String,
}

impl Header {
    /// The facts every document starts with: the pupil, the year group and when and by
    /// whom it was produced; `record_facts` (versions, dates) go between them.
    pub(crate) fn new(context: &DocContext, title: String, record_facts: Vec<Fact>, intro: Vec<String>, footer_record: &str) -> Header {
        let mut facts = vec![Fact::new("Name", context.pupil_full_name.trim()), Fact::new("Year group", context.year_group.trim())];
        facts.extend(record_facts);
        facts.push(Fact::new(
            "Produced",
            format!("{} by {}, {}", in_words(context.produced_on), context.produced_by.name.trim(), context.produced_by.role.trim()),
        ));
        let copy_for = match context.audience {
            Audience::Staff => "Staff copy: it includes the hours and cost of the help. Give the family their own copy.".to_owned(),
            Audience::Parent => "Copy for parents and carers".to_owned(),
            Audience::YoungPerson => format!("Copy for {}", context.pupil_first_name.trim()),
        };
        Header {
            footer: format!("{} · {}", context.pupil_full_name.trim(), footer_record),
            title,
            school: context.school_name.trim().to_owned(),
            facts,
            copy_for,
            intro,
        }
    }
}
