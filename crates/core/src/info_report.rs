//! The SEN information report (R23): what every maintained school, academy and
//! nursery must publish about its SEN provision (Children and Families Act 2014 s69;
//! the SEND Regulations 2014, Schedule 1; CoP 6.79–6.83). The school writes it in the
//! sections the regulations ask for; senplan adds the figures (pupils on SEN support by
//! broad area, small numbers suppressed) when the report is shown. Published reports
//! are public; one last reviewed more than a year ago is flagged (the report must be
//! kept up to date and reviewed at least annually, CoP 6.79).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};

/// The longest a section may be, in characters.
pub const MAX_SECTION_CHARS: usize = 6000;

/// The sections of the report, in the order the page shows them (Schedule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    KindsOfSen,
    Identification,
    Consultation,
    ReviewingProgress,
    Transitions,
    Teaching,
    Adaptations,
    Expertise,
    Evaluation,
    Inclusion,
    Wellbeing,
    OtherBodies,
    Complaints,
    SencoContact,
    LocalOffer,
}

impl Section {
    pub const ALL: [Section; 15] = [
        Self::KindsOfSen,
        Self::Identification,
        Self::Consultation,
        Self::ReviewingProgress,
        Self::Transitions,
        Self::Teaching,
        Self::Adaptations,
        Self::Expertise,
        Self::Evaluation,
        Self::Inclusion,
        Self::Wellbeing,
        Self::OtherBodies,
        Self::Complaints,
        Self::SencoContact,
        Self::LocalOffer,
    ];

    /// The form field and JSON key.
    pub fn slug(self) -> &'static str {
        match self {
            Self::KindsOfSen => "kinds_of_sen",
            Self::Identification => "identification",
            Self::Consultation => "consultation",
            Self::ReviewingProgress => "reviewing_progress",
            Self::Transitions => "transitions",
            Self::Teaching => "teaching",
            Self::Adaptations => "adaptations",
            Self::Expertise => "expertise",
            Self::Evaluation => "evaluation",
            Self::Inclusion => "inclusion",
            Self::Wellbeing => "wellbeing",
            Self::OtherBodies => "other_bodies",
            Self::Complaints => "complaints",
            Self::SencoContact => "senco_contact",
            Self::LocalOffer => "local_offer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.slug() == s)
    }

    /// The heading a reader sees.
    pub fn heading(self) -> &'static str {
        match self {
            Self::KindsOfSen => "The kinds of special educational needs we provide for",
            Self::Identification => "How we identify and assess pupils with SEN",
            Self::Consultation => "How we consult and involve parents and young people",
            Self::ReviewingProgress => "How we assess and review progress towards outcomes",
            Self::Transitions => "Moving between phases of education and preparing for adulthood",
            Self::Teaching => "Our approach to teaching pupils with SEN",
            Self::Adaptations => "How we adapt the curriculum and the learning environment",
            Self::Expertise => "Staff expertise and training",
            Self::Evaluation => "How we evaluate the effectiveness of our provision",
            Self::Inclusion => "Inclusion in activities with other pupils",
            Self::Wellbeing => "Support for emotional and social development",
            Self::OtherBodies => "Working with health, social care, the local authority and others",
            Self::Complaints => "Complaints about SEN provision",
            Self::SencoContact => "Contact details of our SENCO",
            Self::LocalOffer => "The local authority's Local Offer",
        }
    }

    /// What the section should say, as the editor's hint.
    pub fn hint(self) -> &'static str {
        match self {
            Self::KindsOfSen => "The needs the school provides for, across the four broad areas.",
            Self::Identification => "How concerns are noticed and needs assessed, and who is involved.",
            Self::Consultation => "How parents and pupils take part in planning, and how they are kept informed.",
            Self::ReviewingProgress => "How the graduated approach (assess, plan, do, review) works here, and how often plans are reviewed.",
            Self::Transitions => "Joining, moving class or phase, leaving, and preparing for adulthood.",
            Self::Teaching => "High-quality teaching and the interventions the school uses.",
            Self::Adaptations => "Changes to the curriculum, the building, equipment and resources.",
            Self::Expertise => "Training staff have had, specialist skills, and expertise the school buys in.",
            Self::Evaluation => "How the school knows what works, and what it changes as a result.",
            Self::Inclusion => "Clubs, trips and activities, and how pupils with SEN take part.",
            Self::Wellbeing => "Pastoral support, and measures to prevent bullying.",
            Self::OtherBodies => "How the governors involve health and social care services, the local authority and voluntary organisations.",
            Self::Complaints => "How parents can complain about SEN provision, and where else they can go.",
            Self::SencoContact => "The SENCO's name, and how to contact them.",
            Self::LocalOffer => "Where the local authority publishes its Local Offer.",
        }
    }
}

/// A report as the school writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InfoReportInput {
    /// Each section's text by its key (`kinds_of_sen`, `identification`, …).
    #[serde(default)]
    pub sections: std::collections::BTreeMap<String, String>,
    /// The address of the local authority's Local Offer (https://…).
    #[serde(default)]
    pub local_offer_url: String,
    /// When the school last reviewed the whole report.
    pub reviewed_on: Option<NaiveDate>,
}

/// A checked report: every section in order (empty ones as "").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InfoReport {
    pub sections: Vec<ReportSection>,
    pub local_offer_url: String,
    pub reviewed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSection {
    pub section: Section,
    pub text: String,
}

impl InfoReport {
    pub fn text(&self, section: Section) -> &str {
        self.sections.iter().find(|s| s.section == section).map_or("", |s| s.text.as_str())
    }

    /// The sections still empty (a report may not be published with any).
    pub fn missing(&self) -> Vec<Section> {
        Section::ALL.into_iter().filter(|s| self.text(*s).trim().is_empty()).collect()
    }

    /// The report as its form takes it back.
    pub fn input(&self) -> InfoReportInput {
        InfoReportInput {
            sections: self.sections.iter().map(|s| (s.section.slug().to_owned(), s.text.clone())).collect(),
            local_offer_url: self.local_offer_url.clone(),
            reviewed_on: Some(self.reviewed_on),
        }
    }
}

/// Whether the school is saving a draft or publishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Draft,
    Publish,
}

impl InfoReportInput {
    /// Checks the report: every section's length and characters, a Local Offer address
    /// that is a web address, a review date that is not in the future. Publishing also
    /// needs every section written and the Local Offer address.
    pub fn validate(&self, intent: Intent, today: NaiveDate) -> Result<InfoReport, Invalid> {
        let mut e = Invalid::default();
        for key in self.sections.keys() {
            if Section::parse(key).is_none() {
                e.push(format!("sections.{key}"), "unknown_section", format!("'{key}' is not a section of the SEN information report"));
            }
        }
        let sections: Vec<ReportSection> = Section::ALL
            .into_iter()
            .map(|section| {
                let raw = self.sections.get(section.slug()).map_or("", String::as_str);
                let text = clean_text(&format!("sections.{}", section.slug()), raw, MAX_SECTION_CHARS, &mut e);
                ReportSection { section, text }
            })
            .collect();
        let url = self.local_offer_url.trim().to_owned();
        let web_address = (url.starts_with("https://") || url.starts_with("http://")) && !url.chars().any(char::is_whitespace);
        if !url.is_empty() && !web_address {
            e.push("local_offer_url", "invalid_url", "Enter the Local Offer's web address, starting https://");
        }
        match self.reviewed_on {
            None => e.push("reviewed_on", "required", "Enter the date the report was last reviewed"),
            Some(d) if d > today => e.push("reviewed_on", "in_future", "The review date cannot be in the future"),
            Some(_) => {}
        }
        if intent == Intent::Publish {
            for s in &sections {
                if s.text.is_empty() {
                    e.push(format!("sections.{}", s.section.slug()), "required", format!("Write '{}' before publishing", s.section.heading()));
                }
            }
            if url.is_empty() {
                e.push("local_offer_url", "required", "Enter the Local Offer's web address before publishing");
            }
        }
        e.into_result()?;
        Ok(InfoReport { sections, local_offer_url: url, reviewed_on: self.reviewed_on.unwrap_or(today) })
    }
}

/// Where the school's published report stands on a day (for the compliance dashboard).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReportStanding {
    /// Nothing published.
    Missing,
    /// Published and reviewed within the last year.
    Current { reviewed_on: NaiveDate, review_by: NaiveDate },
    /// Last reviewed more than a year ago.
    Overdue { reviewed_on: NaiveDate, review_by: NaiveDate },
}

impl ReportStanding {
    /// Whether the dashboard should flag it.
    pub fn needs_action(self) -> bool {
        !matches!(self, Self::Current { .. })
    }

    pub fn describe(self) -> String {
        match self {
            Self::Missing => "Not published".to_owned(),
            Self::Current { reviewed_on, review_by } => {
                format!("Published; last reviewed {}; next review by {}", crate::dates::in_words(reviewed_on), crate::dates::in_words(review_by))
            }
            Self::Overdue { reviewed_on, review_by } => format!(
                "Review overdue: last reviewed {}, due by {}",
                crate::dates::in_words(reviewed_on),
                crate::dates::in_words(review_by)
            ),
        }
    }
}

/// The standing of a report last reviewed on `reviewed_on` (if published), on `on`:
/// due for review one year after it was last reviewed, overdue from the day after.
pub fn standing(reviewed_on: Option<NaiveDate>, on: NaiveDate) -> ReportStanding {
    let Some(reviewed_on) = reviewed_on else { return ReportStanding::Missing };
    let review_by = reviewed_on.checked_add_months(Months::new(12)).unwrap_or(reviewed_on);
    if on > review_by { ReportStanding::Overdue { reviewed_on, review_by } } else { ReportStanding::Current { reviewed_on, review_by } }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn full() -> InfoReportInput {
        InfoReportInput {
            sections: Section::ALL.iter().map(|s| (s.slug().to_owned(), format!("Text for {}", s.slug()))).collect(),
            local_offer_url: "https://localoffer.example.gov.uk".into(),
            reviewed_on: Some(d(2026, 9, 1)),
        }
    }

    #[test]
    fn r23_a_complete_report_publishes_with_every_section_in_order() {
        let r = full().validate(Intent::Publish, d(2026, 11, 27)).unwrap();
        assert_eq!(r.sections.len(), 15);
        assert_eq!(r.sections[0].section, Section::KindsOfSen);
        assert_eq!(r.text(Section::Complaints), "Text for complaints");
        assert!(r.missing().is_empty());
    }

    #[test]
    fn r23_publishing_needs_every_section_but_a_draft_does_not() {
        let mut i = full();
        i.sections.remove("complaints");
        i.sections.insert("wellbeing".into(), "   ".into());
        let err = i.validate(Intent::Publish, d(2026, 11, 27)).unwrap_err();
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["sections.wellbeing", "sections.complaints"]);
        let draft = i.validate(Intent::Draft, d(2026, 11, 27)).unwrap();
        assert_eq!(draft.missing(), [Section::Wellbeing, Section::Complaints]);
    }

    #[test]
    fn r23_bad_fields_are_named() {
        let mut i = full();
        i.sections.insert("gossip".into(), "x".into());
        i.local_offer_url = "localoffer.example".into();
        i.reviewed_on = Some(d(2026, 11, 28));
        let err = i.validate(Intent::Draft, d(2026, 11, 27)).unwrap_err();
        let codes: Vec<(&str, &str)> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("sections.gossip", "unknown_section"), ("local_offer_url", "invalid_url"), ("reviewed_on", "in_future")]);
        i.reviewed_on = None;
        i.local_offer_url = "https://ok.example".into();
        i.sections.remove("gossip");
        i.sections.insert("teaching".into(), "a".repeat(MAX_SECTION_CHARS + 1));
        let err = i.validate(Intent::Draft, d(2026, 11, 27)).unwrap_err();
        let codes: Vec<(&str, &str)> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("sections.teaching", "too_long"), ("reviewed_on", "required")]);
    }

    #[test]
    fn r23_a_report_is_due_a_year_after_review_and_overdue_the_day_after() {
        assert_eq!(standing(None, d(2026, 11, 27)), ReportStanding::Missing);
        let reviewed = d(2025, 11, 27);
        assert_eq!(standing(Some(reviewed), d(2026, 11, 27)), ReportStanding::Current { reviewed_on: reviewed, review_by: d(2026, 11, 27) });
        assert_eq!(standing(Some(reviewed), d(2026, 11, 28)), ReportStanding::Overdue { reviewed_on: reviewed, review_by: d(2026, 11, 27) });
        assert!(standing(Some(reviewed), d(2026, 11, 28)).needs_action());
        assert!(!standing(Some(reviewed), d(2026, 11, 27)).needs_action());
        assert!(standing(None, d(2026, 11, 27)).needs_action());
        // 29 February reviewed: due 28 February next year.
        assert_eq!(standing(Some(d(2028, 2, 29)), d(2029, 3, 1)), ReportStanding::Overdue { reviewed_on: d(2028, 2, 29), review_by: d(2029, 2, 28) });
    }

    #[test]
    fn r23_the_form_gets_back_what_was_saved() {
        let r = full().validate(Intent::Publish, d(2026, 11, 27)).unwrap();
        assert_eq!(r.input().validate(Intent::Publish, d(2026, 11, 27)).unwrap(), r);
    }
}
