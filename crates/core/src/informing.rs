//! Informing parents (R08, CoP 6.2): when a school first places a pupil on SEN support
//! or first makes special educational provision for them, it must tell the parents.
//! The school records that it did (the day, how, and who told them); until it has,
//! the pupil is listed as "parents not yet told". The letter that tells them is
//! [`crate::letters::LetterKind::SenSupport`].

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
}
