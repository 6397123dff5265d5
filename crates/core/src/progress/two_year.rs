//! The progress check at age two (R26, EYFS statutory framework): a practitioner
//! writes a short summary of a child's development in the three prime areas between
//! the ages of 24 and 36 months, judging each area. An area not on track is flagged
//! for the SENCO to consider with the family; in an early years setting, a child past
//! 36 months with no check recorded is flagged too.
//!
//! Months are whole months, counted as [`crate::pupil::age_on`] counts years: a month
//! is complete on the day of the month the child was born (a child born on 31 January
//! is one month old on 1 March, not on 28 February).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Flag, RuleKind};
use crate::dates::in_words;
use crate::error::{Invalid, clean_text};
use crate::school::SettingType;

/// Youngest age in months for the check.
pub const CHECK_FROM_MONTHS: u32 = 24;
/// Oldest age in months for the check (inclusive).
pub const CHECK_UNTIL_MONTHS: u32 = 36;

const SUBJECT: &str = "Progress check at age two";

/// The three prime areas of the EYFS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrimeArea {
    CommunicationAndLanguage,
    PhysicalDevelopment,
    PersonalSocialAndEmotionalDevelopment,
}

impl PrimeArea {
    /// As written inside a sentence: "communication and language".
    pub fn label(self) -> &'static str {
        match self {
            Self::CommunicationAndLanguage => "communication and language",
            Self::PhysicalDevelopment => "physical development",
            Self::PersonalSocialAndEmotionalDevelopment => "personal, social and emotional development",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Self::CommunicationAndLanguage => "communication_and_language",
            Self::PhysicalDevelopment => "physical_development",
            Self::PersonalSocialAndEmotionalDevelopment => "personal_social_and_emotional_development",
        }
    }
}

/// The practitioner's judgement of one area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Judgement {
    OnTrack,
    /// Emerging: some concerns.
    SomeConcerns,
    NotOnTrack,
}

impl Judgement {
    pub fn label(self) -> &'static str {
        match self {
            Self::OnTrack => "on track",
            Self::SomeConcerns => "some concerns",
            Self::NotOnTrack => "not on track",
        }
    }
}

/// A check as entered, before validation: an area may not be judged yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoYearCheckInput {
    pub on: NaiveDate,
    pub communication_and_language: Option<Judgement>,
    pub physical_development: Option<Judgement>,
    pub personal_social_and_emotional_development: Option<Judgement>,
    #[serde(default)]
    pub note: String,
}

/// A check with every prime area judged, done between 24 and 36 months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoYearCheck {
    pub on: NaiveDate,
    pub communication_and_language: Judgement,
    pub physical_development: Judgement,
    pub personal_social_and_emotional_development: Judgement,
    pub note: String,
}

impl TwoYearCheck {
    /// The three areas in the framework's order, each with its judgement.
    pub fn areas(&self) -> [(PrimeArea, Judgement); 3] {
        [
            (PrimeArea::CommunicationAndLanguage, self.communication_and_language),
            (PrimeArea::PhysicalDevelopment, self.physical_development),
            (PrimeArea::PersonalSocialAndEmotionalDevelopment, self.personal_social_and_emotional_development),
        ]
    }
}

impl TwoYearCheckInput {
    /// Checks the date (not in the future, the child aged 24 to 36 months on it), a
    /// judgement for every area, and the note.
    pub fn validate(&self, date_of_birth: NaiveDate, today: NaiveDate) -> Result<TwoYearCheck, Invalid> {
        let mut e = Invalid::default();
        if self.on > today {
            e.push("on", "in_future", "The date of the check cannot be in the future");
        } else if self.on < date_of_birth {
            e.push("on", "before_birth", format!("The date of the check is before the child's date of birth, {}", in_words(date_of_birth)));
        } else {
            let months = months_on(date_of_birth, self.on);
            if !(CHECK_FROM_MONTHS..=CHECK_UNTIL_MONTHS).contains(&months) {
                let (opens, closes) = window(date_of_birth);
                e.push(
                    "on",
                    "outside_window",
                    format!(
                        "The child was {months} months old on {}: the check at age two is done between {CHECK_FROM_MONTHS} and {CHECK_UNTIL_MONTHS} months, from {} to {}",
                        in_words(self.on),
                        in_words(opens),
                        in_words(closes)
                    ),
                );
            }
        }
        let judged = [
            (PrimeArea::CommunicationAndLanguage, self.communication_and_language),
            (PrimeArea::PhysicalDevelopment, self.physical_development),
            (PrimeArea::PersonalSocialAndEmotionalDevelopment, self.personal_social_and_emotional_development),
        ];
        for (area, judgement) in judged {
            if judgement.is_none() {
                e.push(area.field(), "required", format!("Choose a judgement for {}", area.label()));
            }
        }
        let note = clean_text("note", &self.note, 2000, &mut e);
        e.into_result()?;
        match (self.communication_and_language, self.physical_development, self.personal_social_and_emotional_development) {
            (Some(c), Some(p), Some(s)) => Ok(TwoYearCheck {
                on: self.on,
                communication_and_language: c,
                physical_development: p,
                personal_social_and_emotional_development: s,
                note,
            }),
            _ => Err(Invalid::one("on", "invalid", "Check the judgements")),
        }
    }
}

/// A flag when any prime area is not on track (some concerns, or not on track).
pub fn two_year_flags(check: &TwoYearCheck) -> Option<Flag> {
    let concerns: Vec<String> = check
        .areas()
        .into_iter()
        .filter(|(_, j)| *j != Judgement::OnTrack)
        .map(|(area, j)| format!("{} in {}", j.label(), area.label()))
        .collect();
    if concerns.is_empty() {
        return None;
    }
    let words = format!("Progress check at age two on {}: {}", in_words(check.on), concerns.join("; "));
    Some(Flag { subject: SUBJECT.to_owned(), rule: RuleKind::TwoYearCheckConcern, words, since: check.on })
}

/// A flag when a child in an early years setting is older than 36 months on `today`
/// and no check is recorded; `None` in other settings, with a check, or while the
/// window is still open. `since` is the first day past the window.
pub fn missing_two_year_check(setting: SettingType, date_of_birth: NaiveDate, checks: &[TwoYearCheck], today: NaiveDate) -> Option<Flag> {
    if setting != SettingType::EarlyYears || !checks.is_empty() || today < date_of_birth {
        return None;
    }
    if months_on(date_of_birth, today) <= CHECK_UNTIL_MONTHS {
        return None;
    }
    let (opens, closes) = window(date_of_birth);
    let since = turns(date_of_birth, CHECK_UNTIL_MONTHS + 1);
    let words = format!(
        "No progress check at age two recorded: it was due between {} and {} ({CHECK_FROM_MONTHS} to {CHECK_UNTIL_MONTHS} months)",
        in_words(opens),
        in_words(closes)
    );
    Some(Flag { subject: SUBJECT.to_owned(), rule: RuleKind::TwoYearCheckMissing, words, since })
}

/// Whole months from `dob` to `on` (0 before birth).
pub fn months_on(dob: NaiveDate, on: NaiveDate) -> u32 {
    let mut months = (on.year() - dob.year()) * 12 + on.month() as i32 - dob.month() as i32;
    if on.day() < dob.day() {
        months -= 1;
    }
    u32::try_from(months).unwrap_or(0)
}

/// The first day of the check window and the last (inclusive).
pub fn window(dob: NaiveDate) -> (NaiveDate, NaiveDate) {
    let closes = turns(dob, CHECK_UNTIL_MONTHS + 1).checked_sub_days(Days::new(1)).unwrap_or(dob);
    (turns(dob, CHECK_FROM_MONTHS), closes)
}

/// The day a child born on `dob` becomes `months` old: the same day of the month, or
/// the 1st of the next month when that month is too short.
fn turns(dob: NaiveDate, months: u32) -> NaiveDate {
    let total = dob.month0() + months;
    let year = dob.year() + (total / 12) as i32;
    let month = total % 12 + 1;
    NaiveDate::from_ymd_opt(year, month, dob.day())
        .or_else(|| if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) })
        .unwrap_or(dob)
}

#[cfg(test)]
#[path = "two_year_tests.rs"]
mod tests;
