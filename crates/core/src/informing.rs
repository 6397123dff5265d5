//! Informing parents (R08, CoP 6.2): when a school first places a pupil on SEN support
//! or first makes special educational provision for them, it must tell the parents.
//! The school records that it did (the day, how, and who told them); until it has,
//! the pupil is listed as "parents not yet told". The letter that tells them can be
//! written from [`letter`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::in_words;
use crate::error::{Invalid, clean_text};
use crate::status::SenStatus;

/// How the parents were told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Meeting,
    Letter,
    Phone,
    Email,
}

impl Method {
    pub const ALL: [Method; 4] = [Self::Meeting, Self::Letter, Self::Phone, Self::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Letter => "letter",
            Self::Phone => "phone",
            Self::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Meeting => "At a meeting",
            Self::Letter => "By letter",
            Self::Phone => "By phone",
            Self::Email => "By e-mail",
        }
    }
}

/// The record that the parents were told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParentsTold {
    pub on: NaiveDate,
    pub method: Method,
    /// Who told them.
    pub by: String,
    #[serde(default)]
    pub note: String,
}

impl ParentsTold {
    /// Checks the record made on `today`: dated today or before, and saying who told
    /// the parents.
    pub fn validate(self, today: NaiveDate) -> Result<ParentsTold, Invalid> {
        let mut e = Invalid::default();
        if self.on > today {
            e.push("on", "in_future", "The parents cannot have been told on a day still to come");
        }
        let by = clean_text("by", &self.by, 200, &mut e);
        e.require_text("by", &by, "who told the parents");
        let note = clean_text("note", &self.note, 2000, &mut e);
        e.into_result().map(|()| ParentsTold { by, note, ..self })
    }

    /// "Told by letter on 3 November 2026 by Ms Rivera".
    pub fn in_words(&self) -> String {
        let how = match self.method {
            Method::Meeting => "at a meeting",
            Method::Letter => "by letter",
            Method::Phone => "by phone",
            Method::Email => "by e-mail",
        };
        format!("Told {how} on {} by {}", in_words(self.on), self.by)
    }
}

/// Whether the school must record that it told the parents: the pupil receives SEN
/// support or has an EHC plan (so the school makes special educational provision),
/// or has a cycle under way, and no record says they were told.
pub fn must_tell(status: SenStatus, cycle_under_way: bool, told: bool) -> bool {
    !told && (matches!(status, SenStatus::K | SenStatus::E) || cycle_under_way)
}

/// What a letter telling the parents says, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFacts<'a> {
    pub school: &'a str,
    /// The pupil's first (preferred) name.
    pub child: &'a str,
    /// The SENCO (or the named person) who signs it, and their title.
    pub from: &'a str,
    pub title: &'a str,
    pub on: NaiveDate,
    /// How to reach the school's SENCO, if recorded.
    pub contact: &'a str,
}

/// The letter telling the parents that their child is receiving SEN support.
pub fn letter(f: &LetterFacts<'_>) -> String {
    let contact =
        if f.contact.is_empty() { "through the school office".to_owned() } else { format!("at {}", f.contact) };
    format!(
        "{date}\n\nDear parent or carer of {child},\n\n\
I am writing to let you know that {school} has placed {child} on SEN support. This means \
we will give {child} help that is additional to, or different from, what most children \
of the same age receive, to help them make progress.\n\n\
SEN support works in a cycle: we assess what {child} needs, plan the support with you, \
put it in place, and review how it is going. We would like to meet you to talk about \
{child}'s needs and agree the plan, and we will meet you at least three times a year.\n\n\
Your views, and {child}'s, matter to us. You can contact me {contact}, and you can ask \
for a meeting at any time.\n\n\
Yours sincerely,\n\n{from}\n{title}, {school}\n",
        date = in_words(f.on),
        child = f.child,
        school = f.school,
        from = f.from,
        title = f.title,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default()
    }

    fn told(on: NaiveDate) -> ParentsTold {
        ParentsTold { on, method: Method::Letter, by: " Ms Rivera ".into(), note: String::new() }
    }

    #[test]
    fn r08_a_record_of_telling_the_parents_is_dated_and_names_who_told_them() {
        let t = told(d(27)).validate(d(27)).unwrap();
        assert_eq!(t.by, "Ms Rivera");
        assert_eq!(t.in_words(), "Told by letter on 27 November 2026 by Ms Rivera");
        let e = told(d(28)).validate(d(27)).unwrap_err();
        assert_eq!(e.errors[0].field, "on");
        let e = ParentsTold { by: " ".into(), ..told(d(3)) }.validate(d(27)).unwrap_err();
        assert_eq!((e.errors[0].field.as_str(), e.errors[0].code.as_str()), ("by", "required"));
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
        assert_eq!(Method::Meeting.label(), "At a meeting");
        assert_eq!(Method::Email.label(), "By e-mail");
        let noted = ParentsTold { note: "  Sent home in the book bag ".into(), ..told(d(3)) }.validate(d(27)).unwrap();
        assert_eq!(noted.note, "Sent home in the book bag");
        assert_eq!(ParentsTold { method: Method::Phone, by: "Mr Shah".into(), ..told(d(3)) }.in_words(), "Told by phone on 3 November 2026 by Mr Shah");
    }

    #[test]
    fn r08_parents_not_yet_told_until_it_is_recorded() {
        assert!(must_tell(SenStatus::K, false, false));
        assert!(must_tell(SenStatus::E, false, false));
        assert!(must_tell(SenStatus::N, true, false), "an assessment under way before the status is set");
        assert!(!must_tell(SenStatus::N, false, false), "no SEN, nothing to tell");
        assert!(!must_tell(SenStatus::K, true, true));
    }

    #[test]
    fn r08_the_letter_names_the_child_the_school_and_who_to_contact() {
        let f = LetterFacts {
            school: "Oakfield Primary",
            child: "Amira",
            from: "Ms Rivera",
            title: "SENCO",
            on: d(27),
            contact: "senco@oakfield.example",
        };
        let text = letter(&f);
        assert!(text.starts_with("27 November 2026\n\nDear parent or carer of Amira,"), "{text}");
        assert!(text.contains("Oakfield Primary has placed Amira on SEN support"));
        assert!(text.contains("at least three times a year"));
        assert!(text.contains("contact me at senco@oakfield.example"));
        assert!(text.ends_with("Ms Rivera\nSENCO, Oakfield Primary\n"));
        assert!(letter(&LetterFacts { contact: "", ..f }).contains("contact me through the school office"));
    }
}
