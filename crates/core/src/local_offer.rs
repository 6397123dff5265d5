//! The Local Offer directory (R18): the services around a school that a SENCO refers to
//! — educational psychology, speech and language therapy, occupational therapy, CAMHS,
//! specialist teachers, autism outreach, early help — each with who it is for, how to
//! refer, what it costs and how long families wait, as the local authority publishes
//! it. A [`Service`] is entered by hand or comes from an Open Referral UK feed (its
//! [`Source`] says which, with the feed's own id so a re-import updates rather than
//! duplicates). [`Search`] finds services by area of need, age and words.

use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};
use crate::need::BroadArea;

/// The oldest age a SEND service can be for (the Code covers 0 to 25).
pub const MAX_AGE: u8 = 25;

/// Where a service's entry came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// Typed in by someone at the school.
    Manual,
    /// Imported from an Open Referral UK feed: the feed (its file name or address) and
    /// the service's id in it.
    Feed { feed: String, id: String },
}

/// One service in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    pub name: String,
    /// Who runs it ("Northshire County Council", "Northshire NHS Foundation Trust").
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub description: String,
    /// The youngest age it takes, in years (`None`: from birth).
    #[serde(default)]
    pub min_age: Option<u8>,
    /// The oldest age it takes, in years (`None`: to 25).
    #[serde(default)]
    pub max_age: Option<u8>,
    /// The areas of need it is for; empty when it is for any.
    #[serde(default)]
    pub areas: Vec<BroadArea>,
    /// How to refer: the route, the form, who may refer.
    #[serde(default)]
    pub how_to_refer: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    /// What it costs the school or the family, in the publisher's words ("Free").
    #[serde(default)]
    pub cost: String,
    /// The waiting time as published ("About 12 weeks from referral").
    #[serde(default)]
    pub waiting_time: String,
    pub source: Source,
}

impl Service {
    /// Checks a service before it is stored: a name, ages within 0–25 with the
    /// youngest not above the oldest, an e-mail address and a web address of the right
    /// shape, every text within its limit. Texts come back trimmed.
    pub fn validate(self) -> Result<Service, Invalid> {
        let mut e = Invalid::default();
        let name = clean_text("name", &self.name, 200, &mut e);
        e.require_text("name", &name, "the service's name");
        let organisation = clean_text("organisation", &self.organisation, 200, &mut e);
        let description = clean_text("description", &self.description, 5000, &mut e);
        for (field, age) in [("min_age", self.min_age), ("max_age", self.max_age)] {
            if age.is_some_and(|a| a > MAX_AGE) {
                e.push(field, "out_of_range", format!("Must be an age from 0 to {MAX_AGE}"));
            }
        }
        if let (Some(min), Some(max)) = (self.min_age, self.max_age)
            && min > max
        {
            e.push("max_age", "before_min_age", format!("The oldest age ({max}) must not be below the youngest ({min})"));
        }
        let how_to_refer = clean_text("how_to_refer", &self.how_to_refer, 2000, &mut e);
        let contact_name = clean_text("contact_name", &self.contact_name, 200, &mut e);
        let phone = clean_text("phone", &self.phone, 40, &mut e);
        if !phone.is_empty() && !phone.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) {
            e.push("phone", "invalid_phone", "Use digits, spaces and + ( ) - only, for example 01632 960 123");
        }
        let email = clean_text("email", &self.email, 254, &mut e);
        if !email.is_empty() && !looks_like_email(&email) {
            e.push("email", "invalid_email", "Enter an e-mail address like name@example.org");
        }
        let website = clean_text("website", &self.website, 500, &mut e);
        if !(website.is_empty() || website.starts_with("https://") || website.starts_with("http://")) {
            e.push("website", "invalid_url", "Enter a web address starting https://");
        }
        let cost = clean_text("cost", &self.cost, 500, &mut e);
        let waiting_time = clean_text("waiting_time", &self.waiting_time, 500, &mut e);
        let mut areas = self.areas;
        areas.sort();
        areas.dedup();
        e.into_result().map(|()| Service {
            name,
            organisation,
            description,
            areas,
            how_to_refer,
            contact_name,
            phone,
            email,
            website,
            cost,
            waiting_time,
            ..self
        })
    }

    /// "Ages 4 to 18", "From age 11", "Up to age 5", or "All ages".
    pub fn ages_in_words(&self) -> String {
        match (self.min_age, self.max_age) {
            (Some(a), Some(b)) if a == b => format!("Age {a}"),
            (Some(a), Some(b)) => format!("Ages {a} to {b}"),
            (Some(a), None) => format!("From age {a}"),
            (None, Some(b)) => format!("Up to age {b}"),
            (None, None) => "All ages".to_owned(),
        }
    }

    /// Whether the service takes a child of `age` years.
    pub fn takes_age(&self, age: u8) -> bool {
        self.min_age.is_none_or(|m| age >= m) && self.max_age.is_none_or(|m| age <= m)
    }

    /// Whether the service is for `area` (a service naming no area is for every area).
    pub fn for_area(&self, area: BroadArea) -> bool {
        self.areas.is_empty() || self.areas.contains(&area)
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !s.contains(' '),
        None => false,
    }
}

/// What a SENCO searches the directory for: any of an area of need, a child's age and
/// words, all of which a service must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub area: Option<BroadArea>,
    pub age: Option<u8>,
    /// Words, each of which must appear in the name, organisation, description or how
    /// to refer (case and accents as typed are ignored only for case).
    pub text: String,
}

impl Search {
    pub fn matches(&self, s: &Service) -> bool {
        if self.area.is_some_and(|a| !s.for_area(a)) || self.age.is_some_and(|a| !s.takes_age(a)) {
            return false;
        }
        let haystack = format!("{} {} {} {}", s.name, s.organisation, s.description, s.how_to_refer).to_lowercase();
        self.text.split_whitespace().all(|w| haystack.contains(&w.to_lowercase()))
    }

    /// The search as typed on a page or in a query string: the area's code, the age in
    /// years, the words. A bad area or age names its field.
    pub fn parse(area: &str, age: &str, text: &str) -> Result<Search, Invalid> {
        let mut e = Invalid::default();
        let area = match area.trim() {
            "" => None,
            a => BroadArea::parse(a).or_else(|| {
                e.push("area", "unknown_area", "Choose one of the four broad areas of need");
                None
            }),
        };
        let age = match age.trim() {
            "" => None,
            a => match a.parse::<u8>() {
                Ok(n) if n <= MAX_AGE => Some(n),
                _ => {
                    e.push("age", "invalid_age", format!("Enter an age in years from 0 to {MAX_AGE}, like 8"));
                    None
                }
            },
        };
        let mut text_errors = Invalid::default();
        let text = clean_text("text", text, 200, &mut text_errors);
        e.errors.extend(text_errors.errors);
        e.into_result().map(|()| Search { area, age, text })
    }
}

/// The broad area of need a service's published category names, read from its words:
/// "Speech, language and communication" and autism are communication and
/// interaction; learning difficulties are cognition and learning; mental health and
/// emotional wellbeing are SEMH; hearing, vision and physical needs are sensory and/or
/// physical. `None` when the words name none of them.
pub fn area_from_words(words: &str) -> Option<BroadArea> {
    let w = words.to_lowercase();
    let any = |keys: &[&str]| keys.iter().any(|k| w.contains(k));
    if any(&["speech", "language", "communication", "autis", "asd"]) {
        Some(BroadArea::CommunicationAndInteraction)
    } else if any(&["mental health", "emotional", "semh", "wellbeing", "behaviour", "camhs"]) {
        Some(BroadArea::SocialEmotionalMentalHealth)
    } else if any(&["learning difficult", "learning disabilit", "cognition", "dyslexi", "literacy", "educational psycholog"]) {
        Some(BroadArea::CognitionAndLearning)
    } else if any(&["hearing", "deaf", "visual", "vision", "sight", "physical", "sensory", "occupational therap", "motor"]) {
        Some(BroadArea::SensoryPhysical)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BroadArea::*;

    fn service() -> Service {
        Service {
            name: "  Speech and language therapy  ".into(),
            organisation: "Northshire NHS Trust".into(),
            description: "Assessment and therapy for children with speech, language and communication needs.".into(),
            min_age: Some(2),
            max_age: Some(18),
            areas: vec![CommunicationAndInteraction, CommunicationAndInteraction],
            how_to_refer: "Referral form from the SENCO, with the parent's consent".into(),
            contact_name: "Referrals team".into(),
            phone: "01632 960 101".into(),
            email: "slt@northshire.example".into(),
            website: "https://northshire.example/slt".into(),
            cost: "Free".into(),
            waiting_time: "About 18 weeks".into(),
            source: Source::Manual,
        }
    }

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn r18_a_service_is_checked_before_it_is_stored() {
        let ok = service().validate().unwrap();
        assert_eq!(ok.name, "Speech and language therapy");
        assert_eq!(ok.areas, [CommunicationAndInteraction], "each area once");
        let bad = Service {
            name: " ".into(),
            min_age: Some(19),
            max_age: Some(4),
            phone: "call us".into(),
            email: "slt at northshire".into(),
            website: "northshire.example".into(),
            ..service()
        };
        assert_eq!(
            codes(&bad.validate().unwrap_err()),
            [
                ("name", "required"),
                ("max_age", "before_min_age"),
                ("phone", "invalid_phone"),
                ("email", "invalid_email"),
                ("website", "invalid_url")
            ]
        );
        let old = Service { max_age: Some(26), ..service() };
        assert_eq!(codes(&old.validate().unwrap_err()), [("max_age", "out_of_range")]);
        // The limits themselves are allowed: 0 to 25, and one age only.
        assert!(Service { min_age: Some(0), max_age: Some(25), ..service() }.validate().is_ok());
        assert!(Service { min_age: Some(7), max_age: Some(7), ..service() }.validate().is_ok());
        for email in ["@x.org", "a@x", "a@.org", "a@org.", "a b@x.org"] {
            assert!(Service { email: email.into(), ..service() }.validate().is_err(), "{email}");
        }
    }

    #[test]
    fn r18_ages_in_words_and_who_a_service_takes() {
        let s = |min, max| Service { min_age: min, max_age: max, ..service() };
        assert_eq!(s(Some(4), Some(18)).ages_in_words(), "Ages 4 to 18");
        assert_eq!(s(Some(7), Some(7)).ages_in_words(), "Age 7");
        assert_eq!(s(Some(11), None).ages_in_words(), "From age 11");
        assert_eq!(s(None, Some(5)).ages_in_words(), "Up to age 5");
        assert_eq!(s(None, None).ages_in_words(), "All ages");
        let slt = s(Some(2), Some(18));
        assert!(slt.takes_age(2) && slt.takes_age(18) && !slt.takes_age(1) && !slt.takes_age(19));
        assert!(s(None, None).takes_age(0) && s(None, None).takes_age(25));
        assert!(slt.for_area(CommunicationAndInteraction) && !slt.for_area(SensoryPhysical));
        assert!(Service { areas: vec![], ..service() }.for_area(SensoryPhysical), "no area named: for every area");
    }

    #[test]
    fn r18_search_by_need_age_and_words() {
        let slt = service();
        let search = |area: &str, age: &str, text: &str| Search::parse(area, age, text).unwrap().matches(&slt);
        assert!(search("", "", ""), "an empty search finds everything");
        assert!(search("communication_and_interaction", "8", "speech THERAPY"));
        assert!(search("", "", "consent"), "how to refer is searched too");
        assert!(search("", "", "northshire"), "and the organisation");
        assert!(!search("sensory_physical", "", ""));
        assert!(!search("", "19", ""));
        assert!(!search("", "", "speech hearing"), "every word must match");
        let e = Search::parse("hearing", "eight", "").unwrap_err();
        assert_eq!(codes(&e), [("area", "unknown_area"), ("age", "invalid_age")]);
        assert_eq!(codes(&Search::parse("", "26", "").unwrap_err()), [("age", "invalid_age")]);
        assert_eq!(Search::parse("", " 25 ", "").unwrap().age, Some(25));
    }

    #[test]
    fn r18_a_published_category_names_an_area_of_need() {
        assert_eq!(area_from_words("Speech, language and communication needs"), Some(CommunicationAndInteraction));
        assert_eq!(area_from_words("Autistic Spectrum Disorder (ASD)"), Some(CommunicationAndInteraction));
        assert_eq!(area_from_words("Social, emotional and mental health support"), Some(SocialEmotionalMentalHealth));
        assert_eq!(area_from_words("Learning difficulties and disabilities"), Some(CognitionAndLearning));
        assert_eq!(area_from_words("Hearing impairment"), Some(SensoryPhysical));
        assert_eq!(area_from_words("Occupational therapy"), Some(SensoryPhysical));
        assert_eq!(area_from_words("Breaks and respite"), None);
    }
}
