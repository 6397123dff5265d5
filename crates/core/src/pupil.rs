//! Pupils and students: names, date of birth, year group, and the age rules
//! (ages 0 to 25, R01; young people aged 16+ speak for themselves, R21).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};
use crate::upn::Upn;

/// Age at which a young person gives their own views and consent (R21).
pub const YOUNG_PERSON_AGE: u32 = 16;
/// Oldest age the SEND framework covers (R01).
pub const MAX_AGE: u32 = 25;

/// National Curriculum year group as the census records it (`NCyearActual`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum YearGroup {
    /// Nursery first year (N1), nursery second year (N2).
    Nursery(u8),
    Reception,
    /// Years 1 to 14.
    Year(u8),
    /// Not following the National Curriculum.
    NotApplicable,
}

impl YearGroup {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "N1" => Some(Self::Nursery(1)),
            "N2" => Some(Self::Nursery(2)),
            "R" => Some(Self::Reception),
            "X" => Some(Self::NotApplicable),
            other => other.parse::<u8>().ok().filter(|y| (1..=14).contains(y)).map(Self::Year),
        }
    }

    /// The census spelling: N1, N2, R, 1..14, X.
    pub fn code(self) -> String {
        match self {
            Self::Nursery(n) => format!("N{n}"),
            Self::Reception => "R".into(),
            Self::Year(y) => y.to_string(),
            Self::NotApplicable => "X".into(),
        }
    }

    /// How people say it: "Year 4", "Reception".
    pub fn label(self) -> String {
        match self {
            Self::Nursery(n) => format!("Nursery {n}"),
            Self::Reception => "Reception".into(),
            Self::Year(y) => format!("Year {y}"),
            Self::NotApplicable => "Not in a year group".into(),
        }
    }
}

impl Serialize for YearGroup {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for YearGroup {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| serde::de::Error::custom("expected a year group: N1, N2, R, 1 to 14, or X"))
    }
}

/// Whole years between `dob` and `on`.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Who gives consent and whose views are "the child's" (R21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentGiver {
    /// Under 16: the parent or carer agrees.
    Parent,
    /// 16 or over: the young person agrees for themselves.
    YoungPerson,
}

/// Who must agree to decisions such as involving a specialist, on a date.
pub fn consent_giver(dob: NaiveDate, on: NaiveDate) -> ConsentGiver {
    if age_on(dob, on) >= YOUNG_PERSON_AGE { ConsentGiver::YoungPerson } else { ConsentGiver::Parent }
}

/// A pupil as entered, before validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PupilInput {
    #[cfg_attr(feature = "openapi", schema(example = "A380200124417"))]
    pub upn: String,
    #[serde(default)]
    pub former_upn: Option<String>,
    pub given_name: String,
    pub family_name: String,
    /// The name the pupil likes to be called, if different.
    #[serde(default)]
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    /// N1, N2, R, 1 to 14, or X.
    pub year_group: String,
}

/// A validated pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PupilDetails {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub upn: Upn,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub former_upn: Option<Upn>,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub year_group: YearGroup,
    /// What the school's roll (its MIS) says beyond the record itself; empty for a
    /// pupil entered by hand.
    #[serde(default, skip_serializing_if = "RollFacts::is_empty")]
    pub roll: RollFacts,
}

/// Sex as the census and the Common Transfer File record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sex {
    #[serde(rename = "F")]
    Female,
    #[serde(rename = "M")]
    Male,
}

impl Sex {
    /// `M`/`F` (any case) or the words.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "f" | "female" => Some(Self::Female),
            "m" | "male" => Some(Self::Male),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Female => "F",
            Self::Male => "M",
        }
    }
}

/// A pupil's facts from the school's roll: sex, class or form, the date they joined
/// and, once they have gone, the date they left (a pupil who leaves is kept, never
/// deleted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Class or registration form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_on: Option<NaiveDate>,
}

impl RollFacts {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl PupilDetails {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.preferred_name.as_deref().unwrap_or(&self.given_name), self.family_name)
    }
}

impl PupilInput {
    /// Validates every field at once so the user sees all problems together.
    pub fn validate(&self, today: NaiveDate) -> Result<PupilDetails, Invalid> {
        let mut e = Invalid::default();
        let upn = Upn::parse(&self.upn).map_err(|err| e.push("upn", err.code(), err.message())).ok();
        let former_upn = match self.former_upn.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Upn::parse(s).map_err(|err| e.push("former_upn", err.code(), err.message())).ok(),
        };
        let given_name = clean_text("given_name", &self.given_name, 100, &mut e);
        e.require_text("given_name", &given_name, "the pupil's given name");
        let family_name = clean_text("family_name", &self.family_name, 100, &mut e);
        e.require_text("family_name", &family_name, "the pupil's family name");
        let preferred_name = self.preferred_name.as_deref().map(|p| clean_text("preferred_name", p, 100, &mut e)).filter(|p| !p.is_empty());
        if self.date_of_birth > today {
            e.push("date_of_birth", "in_future", "Date of birth must be in the past");
        } else if age_on(self.date_of_birth, today) > MAX_AGE {
            e.push("date_of_birth", "too_old", format!("senplan covers children and young people aged 0 to {MAX_AGE}"));
        }
        let year_group = YearGroup::parse(&self.year_group);
        if year_group.is_none() {
            e.push("year_group", "invalid_year_group", "Enter a year group: N1, N2, R, 1 to 14, or X");
        }
        e.into_result()?;
        match (upn, year_group) {
            (Some(upn), Some(year_group)) => {
                Ok(PupilDetails {
                upn,
                former_upn,
                given_name,
                family_name,
                preferred_name,
                date_of_birth: self.date_of_birth,
                year_group,
                roll: RollFacts::default(),
            })
            }
            _ => Err(Invalid::one("upn", "invalid", "Check the pupil's details")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input() -> PupilInput {
        PupilInput {
            upn: "A380200124417".into(),
            former_upn: None,
            given_name: " Amira ".into(),
            family_name: "Khan".into(),
            preferred_name: Some("".into()),
            date_of_birth: d(2016, 3, 1),
            year_group: "4".into(),
        }
    }

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        assert_eq!(age_on(d(2010, 6, 15), d(2026, 6, 14)), 15);
        assert_eq!(age_on(d(2010, 6, 15), d(2026, 6, 15)), 16);
    }

    #[test]
    fn r21_young_person_of_16_gives_their_own_consent() {
        assert_eq!(consent_giver(d(2010, 6, 15), d(2026, 6, 14)), ConsentGiver::Parent);
        assert_eq!(consent_giver(d(2010, 6, 15), d(2026, 6, 15)), ConsentGiver::YoungPerson);
    }

    #[test]
    fn r01_pupil_validates_and_trims_names() {
        let p = input().validate(d(2026, 11, 23)).unwrap();
        assert_eq!(p.given_name, "Amira");
        assert_eq!(p.preferred_name, None);
        assert_eq!(p.year_group, YearGroup::Year(4));
    }

    #[test]
    fn r01_rejects_ages_over_25_and_bad_fields_together() {
        let mut i = input();
        i.date_of_birth = d(1990, 1, 1);
        i.upn = "Z380200124417".into();
        i.year_group = "15".into();
        let err = i.validate(d(2026, 11, 23)).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["upn", "date_of_birth", "year_group"]);
    }

    #[test]
    fn year_group_round_trips_census_codes() {
        for code in ["N1", "N2", "R", "1", "11", "14", "X"] {
            assert_eq!(YearGroup::parse(code).unwrap().code(), code);
        }
        assert!(YearGroup::parse("0").is_none());
    }
}
