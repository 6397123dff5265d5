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

/// The words a setting uses for the same things (R26): an early years setting has
/// children and key people, a college students, tutors and a named person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// "school", "setting", "college".
    pub setting: &'static str,
    /// "pupil", "child", "student".
    pub learner: &'static str,
    /// "Pupils", "Children", "Students": a heading or a menu item.
    pub learners: &'static str,
    /// "class teacher", "key person", "tutor".
    pub teacher: &'static str,
    /// "SENCO", "named person".
    pub coordinator: &'static str,
    /// What the support is planned within: "curriculum", "areas of learning (EYFS)",
    /// "study programme".
    pub programme: &'static str,
}

impl SettingType {
    pub fn words(self) -> Words {
        match self {
            Self::EarlyYears => Words {
                setting: "setting",
                learner: "child",
                learners: "Children",
                teacher: "key person",
                coordinator: self.coordinator_title(),
                programme: "areas of learning (EYFS)",
            },
            Self::School => Words { setting: "school", learner: "pupil", learners: "Pupils", teacher: "class teacher", coordinator: self.coordinator_title(), programme: "curriculum" },
            Self::FurtherEducation => Words {
                setting: "college",
                learner: "student",
                learners: "Students",
                teacher: "tutor",
                coordinator: self.coordinator_title(),
                programme: "study programme",
            },
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

    #[test]
    fn r26_each_setting_speaks_its_own_words() {
        let (ey, school, fe) = (SettingType::EarlyYears.words(), SettingType::School.words(), SettingType::FurtherEducation.words());
        assert_eq!((ey.setting, ey.learner, ey.teacher, ey.coordinator), ("setting", "child", "key person", "SENCO"));
        assert_eq!((school.setting, school.learners, school.teacher), ("school", "Pupils", "class teacher"));
        assert_eq!((fe.setting, fe.learner, fe.learners, fe.coordinator, fe.programme), ("college", "student", "Students", "named person", "study programme"));
    }

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
    fn a_urn_and_laestab_of_the_right_length_with_a_letter_are_refused() {
        for (urn, laestab, field) in [("12345a", "9192001", "urn"), ("123456", "919200a", "laestab"), ("1234567", "9192001", "urn")] {
            let err = input(urn, laestab).validate().unwrap_err();
            assert_eq!(err.errors[0].field, field, "{urn} {laestab}");
        }
    }

    #[test]
    fn further_education_has_a_named_person() {
        assert_eq!(SettingType::FurtherEducation.coordinator_title(), "named person");
        assert_eq!(SettingType::School.coordinator_title(), "SENCO");
    }
}

/// How a family reaches help, shown in the portal (R21, R33): the school's SENCO (or
/// named person) and how to contact them, the local authority's Local Offer, and the
/// local SEND information, advice and support service (SENDIASS). Every part may be
/// left empty; what is given must be usable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FamilyContacts {
    pub senco_name: String,
    pub senco_email: String,
    pub senco_phone: String,
    pub local_offer_url: String,
    pub iass_name: String,
    pub iass_url: String,
}

impl FamilyContacts {
    pub fn validate(self) -> Result<FamilyContacts, Invalid> {
        let mut e = Invalid::default();
        let senco_name = clean_text("senco_name", &self.senco_name, 200, &mut e);
        let senco_email = clean_text("senco_email", &self.senco_email, 254, &mut e);
        if !senco_email.is_empty() && !looks_like_email(&senco_email) {
            e.push("senco_email", "invalid_email", "Enter an email address like senco@school.example");
        }
        let senco_phone = clean_text("senco_phone", &self.senco_phone, 30, &mut e);
        let digits = senco_phone.chars().filter(char::is_ascii_digit).count();
        if !senco_phone.is_empty()
            && (!senco_phone.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) || !(10..=13).contains(&digits))
        {
            e.push("senco_phone", "invalid_phone", "Enter a telephone number like 01632 960 001");
        }
        let local_offer_url = clean_text("local_offer_url", &self.local_offer_url, 500, &mut e);
        let iass_name = clean_text("iass_name", &self.iass_name, 200, &mut e);
        let iass_url = clean_text("iass_url", &self.iass_url, 500, &mut e);
        for (field, url) in [("local_offer_url", &local_offer_url), ("iass_url", &iass_url)] {
            if !url.is_empty() && !is_web_address(url) {
                e.push(field, "invalid_url", "Enter a full web address starting with https://, like https://www.example.gov.uk/send");
            }
        }
        e.into_result().map(|()| FamilyContacts { senco_name, senco_email, senco_phone, local_offer_url, iass_name, iass_url })
    }
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !s.contains(char::is_whitespace)
}

/// `https://host/…` (or `http://`), with a host that has a dot and no spaces anywhere.
fn is_web_address(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.contains('.') && !host.starts_with('.') && !s.contains(char::is_whitespace)
}

#[cfg(test)]
mod contact_tests {
    use super::*;

    #[test]
    fn setting_types_round_trip_and_name_the_coordinator() {
        for (s, text) in [
            (SettingType::EarlyYears, "early_years"),
            (SettingType::School, "school"),
            (SettingType::FurtherEducation, "further_education"),
        ] {
            assert_eq!((s.as_str(), SettingType::parse(text)), (text, Some(s)));
        }
        assert_eq!(SettingType::parse("college"), None);
        assert_eq!(SettingType::FurtherEducation.coordinator_title(), "named person");
        assert_eq!(SettingType::School.coordinator_title(), "SENCO");
    }

    #[test]
    fn r21_family_contacts_are_usable_or_refused_by_field() {
        let good = FamilyContacts {
            senco_name: " Ms Rivera ".into(),
            senco_email: "senco@school.example".into(),
            senco_phone: "01632 960 001".into(),
            local_offer_url: "https://www.example.gov.uk/local-offer".into(),
            iass_name: "Example SENDIASS".into(),
            iass_url: "https://sendiass.example.org".into(),
        };
        assert_eq!(good.clone().validate().unwrap().senco_name, "Ms Rivera");
        assert_eq!(FamilyContacts::default().validate(), Ok(FamilyContacts::default()), "all may be empty");
        let bad = FamilyContacts {
            senco_email: "senco at school".into(),
            senco_phone: "call the office".into(),
            local_offer_url: "javascript:alert(1)".into(),
            iass_url: "www.example.org".into(),
            ..good
        };
        let fields: Vec<_> = bad.validate().unwrap_err().errors.into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("senco_email".to_owned(), "invalid_email".to_owned()),
                ("senco_phone".to_owned(), "invalid_phone".to_owned()),
                ("local_offer_url".to_owned(), "invalid_url".to_owned()),
                ("iass_url".to_owned(), "invalid_url".to_owned()),
            ]
        );
        for url in ["https://x", "https:// example.org", "ftp://example.org", "https://.example.org"] {
            assert!(!is_web_address(url), "{url}");
        }
        for email in ["@school.example", "senco@school", "senco@.school.example", "senco@school.example.", "sen co@school.example", "senco"]
        {
            assert!(!looks_like_email(email), "{email}");
        }
        assert!(looks_like_email("a.b@c.example"));
        let phone = |p: &str| FamilyContacts { senco_phone: p.into(), ..FamilyContacts::default() }.validate().is_ok();
        assert!(phone("+44 1632 960001") && phone("(01632) 960-001"));
        assert!(!phone("0163296") && !phone("01632 960 001 ext 3") && !phone("01632 960 001 234 5"), "too few digits, letters, too many");
    }
}
