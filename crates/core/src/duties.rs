//! The school's own duties (R22, R26): a designated SENCO who is a qualified teacher
//! and gains the NPQ for SENCOs (or the older NASENCO award) within three years of
//! appointment, unless exempt. An early years setting designates a SENCO without the
//! award duty; a further education college has a named person instead, with no SENCO
//! duty at all.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::in_words;
use crate::error::{Invalid, clean_text};
use crate::school::SettingType;

/// The SENCO's qualification for the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Award {
    /// Not gained yet.
    None,
    /// The National Professional Qualification for SENCOs (from September 2024).
    Npq,
    /// The National Award for SEN Co-ordination (before September 2024).
    Nasenco,
}

impl Award {
    pub const ALL: [Award; 3] = [Self::None, Self::Npq, Self::Nasenco];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Npq => "npq",
            Self::Nasenco => "nasenco",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::None => "Not gained yet",
            Self::Npq => "NPQ for SENCOs",
            Self::Nasenco => "National Award for SEN Co-ordination (NASENCO)",
        }
    }
}

/// The designated SENCO (or, in further education, the named person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Senco {
    pub name: String,
    pub qualified_teacher: bool,
    pub appointed_on: NaiveDate,
    pub award: Award,
    /// When the award was gained (required with an award).
    #[serde(default)]
    pub gained_on: Option<NaiveDate>,
    /// Exempt from the award (a SENCO in post for more than a year before 1 September 2009).
    #[serde(default)]
    pub exempt: bool,
}

impl Senco {
    pub fn validate(self, today: NaiveDate) -> Result<Senco, Invalid> {
        let mut e = Invalid::default();
        let name = clean_text("name", &self.name, 200, &mut e);
        e.require_text("name", &name, "the SENCO's name");
        if self.appointed_on > today {
            e.push("appointed_on", "in_future", "Enter the day they were appointed: it cannot be in the future");
        }
        match (self.award, self.gained_on) {
            (Award::None, Some(_)) => e.push("gained_on", "no_award", "Choose the award gained, or leave the date empty"),
            (Award::Npq | Award::Nasenco, None) => e.push("gained_on", "required", "Enter the date the award was gained"),
            (_, Some(g)) if g > today => e.push("gained_on", "in_future", "The award cannot have been gained in the future"),
            _ => {}
        }
        e.into_result().map(|()| Senco { name, ..self })
    }

    /// The day the award is due: three years after appointment.
    pub fn award_due_by(&self) -> NaiveDate {
        self.appointed_on.checked_add_months(Months::new(36)).unwrap_or(NaiveDate::MAX)
    }
}

/// Where the school stands on its SENCO duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum SencoStanding {
    /// No SENCO recorded.
    NotRecorded,
    /// A school's SENCO must be a qualified teacher.
    NotQualifiedTeacher,
    Gained { award: Award, on: NaiveDate },
    Exempt,
    /// Not gained yet; due by the day given, which has not passed.
    Due { by: NaiveDate },
    /// Not gained and the three years have passed.
    Overdue { by: NaiveDate },
    /// Designated, in a setting without the award duty (early years).
    Designated,
    /// Further education: a named person, no SENCO duty.
    NamedPerson,
}

impl SencoStanding {
    /// Whether the duty needs attention.
    pub fn needs_attention(&self) -> bool {
        matches!(self, Self::NotRecorded | Self::NotQualifiedTeacher | Self::Overdue { .. })
    }

    /// In words, for the dashboard.
    pub fn in_words(&self) -> String {
        match self {
            Self::NotRecorded => "No SENCO recorded".into(),
            Self::NotQualifiedTeacher => "The SENCO must be a qualified teacher".into(),
            Self::Gained { award, on } => format!("{} gained on {}", award.label(), in_words(*on)),
            Self::Exempt => "Exempt from the SENCO award".into(),
            Self::Due { by } => format!("NPQ for SENCOs due by {}", in_words(*by)),
            Self::Overdue { by } => format!("NPQ for SENCOs overdue: it was due by {}", in_words(*by)),
            Self::Designated => "SENCO designated".into(),
            Self::NamedPerson => "Named person recorded (no SENCO duty in further education)".into(),
        }
    }
}

/// Where a setting of kind `setting` stands on `today` with `senco` designated.
pub fn senco_standing(setting: SettingType, senco: Option<&Senco>, today: NaiveDate) -> SencoStanding {
    let Some(s) = senco else { return SencoStanding::NotRecorded };
    match setting {
        SettingType::FurtherEducation => SencoStanding::NamedPerson,
        SettingType::EarlyYears => SencoStanding::Designated,
        SettingType::School if !s.qualified_teacher => SencoStanding::NotQualifiedTeacher,
        SettingType::School => match (s.award, s.gained_on) {
            (Award::Npq | Award::Nasenco, Some(on)) => SencoStanding::Gained { award: s.award, on },
            _ if s.exempt => SencoStanding::Exempt,
            _ if today > s.award_due_by() => SencoStanding::Overdue { by: s.award_due_by() },
            _ => SencoStanding::Due { by: s.award_due_by() },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn senco(appointed_on: NaiveDate) -> Senco {
        Senco { name: "Ms Rivera".into(), qualified_teacher: true, appointed_on, award: Award::None, gained_on: None, exempt: false }
    }

    #[test]
    fn r22_a_senco_record_is_tidied_and_its_award_named() {
        let today = d(2026, 11, 27);
        let s = Senco { name: "  Ms Rivera ".into(), ..senco(d(2024, 1, 8)) }.validate(today).unwrap();
        assert_eq!(s.name, "Ms Rivera");
        assert_eq!(Award::None.label(), "Not gained yet");
        assert_eq!(Award::Npq.label(), "NPQ for SENCOs");
        assert!(Award::Nasenco.label().contains("NASENCO"));
    }

    #[test]
    fn r22_the_award_is_due_within_three_years_of_appointment() {
        let today = d(2026, 11, 27);
        let s = senco(d(2024, 1, 8));
        assert_eq!(s.award_due_by(), d(2027, 1, 8));
        assert_eq!(senco_standing(SettingType::School, Some(&s), today), SencoStanding::Due { by: d(2027, 1, 8) });
        let late = senco(d(2023, 11, 26));
        assert_eq!(senco_standing(SettingType::School, Some(&late), today), SencoStanding::Overdue { by: d(2026, 11, 26) });
        assert!(senco_standing(SettingType::School, Some(&late), today).needs_attention());
        let on_the_day = senco(d(2023, 11, 27));
        assert_eq!(
            senco_standing(SettingType::School, Some(&on_the_day), today),
            SencoStanding::Due { by: d(2026, 11, 27) },
            "due today is not overdue yet"
        );
        let gained = Senco { award: Award::Npq, gained_on: Some(d(2025, 7, 1)), ..late.clone() };
        assert_eq!(senco_standing(SettingType::School, Some(&gained), today), SencoStanding::Gained { award: Award::Npq, on: d(2025, 7, 1) });
        let exempt = Senco { exempt: true, ..late.clone() };
        assert_eq!(senco_standing(SettingType::School, Some(&exempt), today), SencoStanding::Exempt);
        assert_eq!(
            senco_standing(SettingType::School, Some(&Senco { qualified_teacher: false, ..gained }), today),
            SencoStanding::NotQualifiedTeacher
        );
        assert_eq!(senco_standing(SettingType::School, None, today), SencoStanding::NotRecorded);
        assert_eq!(SencoStanding::Due { by: d(2027, 1, 8) }.in_words(), "NPQ for SENCOs due by 8 January 2027");
        assert!(!SencoStanding::Due { by: d(2027, 1, 8) }.needs_attention());
    }

    #[test]
    fn r26_early_years_and_further_education_have_their_own_duty() {
        let today = d(2026, 11, 27);
        let s = Senco { qualified_teacher: false, ..senco(d(2020, 1, 1)) };
        assert_eq!(senco_standing(SettingType::EarlyYears, Some(&s), today), SencoStanding::Designated);
        assert_eq!(senco_standing(SettingType::FurtherEducation, Some(&s), today), SencoStanding::NamedPerson);
        assert!(!SencoStanding::NamedPerson.needs_attention());
        assert_eq!(senco_standing(SettingType::FurtherEducation, None, today), SencoStanding::NotRecorded);
    }

    #[test]
    fn r22_a_senco_record_is_checked() {
        let today = d(2026, 11, 27);
        let e = Senco { name: " ".into(), appointed_on: d(2026, 11, 28), award: Award::Npq, ..senco(today) }.validate(today).unwrap_err();
        let f: Vec<_> = e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(f, vec![("name", "required"), ("appointed_on", "in_future"), ("gained_on", "required")]);
        let e = Senco { gained_on: Some(d(2025, 1, 1)), ..senco(today) }.validate(today).unwrap_err();
        assert_eq!(e.errors[0].code, "no_award");
        let e = Senco { award: Award::Nasenco, gained_on: Some(d(2026, 12, 1)), ..senco(today) }.validate(today).unwrap_err();
        assert_eq!(e.errors[0].code, "in_future");
        assert!(Senco { award: Award::Nasenco, gained_on: Some(today), ..senco(today) }.validate(today).is_ok());
        for a in Award::ALL {
            assert_eq!(Award::parse(a.as_str()), Some(a));
        }
    }
}
