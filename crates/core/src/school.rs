//! Schools: name, URN, LAESTAB and the kind of setting. In further education the
//! SENCO duty is held by a "named person"; early years settings have their own checks.

use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};
use crate::upn::is_known_la;

/// The kind of setting, which decides a few words and rules (R01, R26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SettingType {
    EarlyYears,
    School,
    FurtherEducation,
}

impl SettingType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EarlyYears => "early_years",
            Self::School => "school",
            Self::FurtherEducation => "further_education",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "early_years" => Some(Self::EarlyYears),
            "school" => Some(Self::School),
            "further_education" => Some(Self::FurtherEducation),
            _ => None,
        }
    }

    /// What the person co-ordinating SEN is called in this setting.
    pub fn coordinator_title(self) -> &'static str {
        match self {
            Self::FurtherEducation => "named person",
            _ => "SENCO",
        }
    }
}

/// A school as entered by an administrator, before validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolInput {
    pub name: String,
    /// Unique Reference Number: 6 digits.
    pub urn: String,
    /// LA number and DfE establishment number: 7 digits.
    pub laestab: String,
    pub setting: SettingType,
}

/// A validated school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolDetails {
    pub name: String,
    pub urn: String,
    pub laestab: String,
    pub setting: SettingType,
}

impl SchoolInput {
    pub fn validate(&self) -> Result<SchoolDetails, Invalid> {
        let mut e = Invalid::default();
        let name = clean_text("name", &self.name, 200, &mut e);
        e.require_text("name", &name, "the school's name");
        let urn = self.urn.trim().to_owned();
        if urn.len() != 6 || !urn.bytes().all(|b| b.is_ascii_digit()) {
            e.push("urn", "invalid_urn", "Enter the URN as 6 digits, like 123456");
        }
        let laestab = self.laestab.trim().replace('/', "");
        if laestab.len() != 7 || !laestab.bytes().all(|b| b.is_ascii_digit()) {
            e.push(
                "laestab",
                "invalid_laestab",
                "Enter the LAESTAB as 7 digits: the 3-digit LA number then the 4-digit establishment number",
            );
        } else if !laestab[..3].parse().is_ok_and(is_known_la) {
            e.push("laestab", "unknown_la", format!("{} is not a recognised local authority number", &laestab[..3]));
        }
        e.into_result()?;
        Ok(SchoolDetails { name, urn, laestab, setting: self.setting })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(urn: &str, laestab: &str) -> SchoolInput {
        SchoolInput { name: "Oakfield Primary".into(), urn: urn.into(), laestab: laestab.into(), setting: SettingType::School }
    }

    #[test]
    fn accepts_valid_school_and_strips_slash_from_laestab() {
        let s = input("123456", "919/2001").validate().unwrap();
        assert_eq!(s.laestab, "9192001");
    }

    #[test]
    fn rejects_bad_urn_and_unknown_la_naming_each_field() {
        let err = input("12345", "9002001").validate().unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, vec![("urn", "invalid_urn"), ("laestab", "unknown_la")]);
    }

    #[test]
    fn further_education_has_a_named_person() {
        assert_eq!(SettingType::FurtherEducation.coordinator_title(), "named person");
        assert_eq!(SettingType::School.coordinator_title(), "SENCO");
    }
}
