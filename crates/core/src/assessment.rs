//! Assess (R06): views and information from the parent or carer, the child or young
//! person, staff and specialists, each dated and attributed. Involving an outside
//! specialist needs the agreement first of the parent, or of a young person aged 16+
//! (R21).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};
use crate::pupil::ConsentGiver;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    ParentCarer,
    ChildOrYoungPerson,
    Staff,
    Specialist,
    /// The recorded discussion and agreement to involve a specialist.
    SpecialistAgreement,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ParentCarer => "parent_carer",
            Self::ChildOrYoungPerson => "child_or_young_person",
            Self::Staff => "staff",
            Self::Specialist => "specialist",
            Self::SpecialistAgreement => "specialist_agreement",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::ParentCarer, Self::ChildOrYoungPerson, Self::Staff, Self::Specialist, Self::SpecialistAgreement]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ParentCarer => "Parent or carer",
            Self::ChildOrYoungPerson => "Child or young person",
            Self::Staff => "Staff",
            Self::Specialist => "Specialist",
            Self::SpecialistAgreement => "Agreement to involve a specialist",
        }
    }
}

/// A contribution as entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContributionInput {
    pub source: Source,
    /// Who gave it: a name and role, e.g. "Ms Patel, class teacher".
    pub contributor: String,
    pub date: NaiveDate,
    pub content: String,
    /// For a specialist: their service, e.g. "Speech and language therapy".
    #[serde(default)]
    pub specialist_service: Option<String>,
    /// For an agreement: who agreed (the parent, or the young person at 16+).
    #[serde(default)]
    pub agreed_by: Option<ConsentGiver>,
}

/// A validated contribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contribution {
    pub source: Source,
    pub contributor: String,
    pub date: NaiveDate,
    pub content: String,
    pub specialist_service: Option<String>,
    pub agreed_by: Option<ConsentGiver>,
}

/// Validates a contribution against what the cycle already holds: a specialist's
/// contribution needs an earlier (or same-day) agreement from the right person.
pub fn validate_contribution(
    input: &ContributionInput,
    existing: &[Contribution],
    consent_from: ConsentGiver,
    today: NaiveDate,
) -> Result<Contribution, Invalid> {
    let mut e = Invalid::default();
    let contributor = clean_text("contributor", &input.contributor, 200, &mut e);
    e.require_text("contributor", &contributor, "who gave this contribution");
    let content = clean_text("content", &input.content, 20_000, &mut e);
    e.require_text("content", &content, "what was said or found");
    if input.date > today {
        e.push("date", "in_future", "The date cannot be in the future");
    }
    let service = input.specialist_service.as_deref().map(|s| clean_text("specialist_service", s, 200, &mut e)).filter(|s| !s.is_empty());
    match input.source {
        Source::Specialist => {
            if service.is_none() {
                e.push("specialist_service", "required", "Enter the specialist's service, for example educational psychology");
            }
            let agreed = existing
                .iter()
                .any(|c| c.source == Source::SpecialistAgreement && c.date <= input.date && c.agreed_by == Some(consent_from));
            if !agreed {
                let who = match consent_from {
                    ConsentGiver::Parent => "the parent or carer",
                    ConsentGiver::YoungPerson => "the young person (aged 16 or over)",
                };
                e.push(
                    "source",
                    "specialist_needs_agreement",
                    format!(
                        "Record the discussion and agreement with {who} to involve a specialist before adding the specialist's contribution"
                    ),
                );
            }
        }
        Source::SpecialistAgreement => match input.agreed_by {
            None => e.push("agreed_by", "required", "Say who agreed to involve the specialist"),
            Some(who) if who != consent_from => e.push(
                "agreed_by",
                "wrong_consent_giver",
                match consent_from {
                    ConsentGiver::YoungPerson => "This young person is 16 or over and gives their own agreement",
                    ConsentGiver::Parent => "For a child under 16 the parent or carer gives agreement",
                },
            ),
            Some(_) => {}
        },
        _ => {}
    }
    e.into_result()?;
    Ok(Contribution {
        source: input.source,
        contributor,
        date: input.date,
        content,
        specialist_service: service,
        agreed_by: input.agreed_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, day).unwrap()
    }

    fn input(source: Source, day: u32) -> ContributionInput {
        ContributionInput {
            source,
            contributor: "Dr Lowe, educational psychologist".into(),
            date: d(day),
            content: "Observed in class".into(),
            specialist_service: Some("Educational psychology".into()),
            agreed_by: Some(ConsentGiver::Parent),
        }
    }

    #[test]
    fn r06_specialist_needs_parent_agreement_first() {
        let err = validate_contribution(&input(Source::Specialist, 10), &[], ConsentGiver::Parent, d(20)).unwrap_err();
        assert_eq!(err.errors[0].code, "specialist_needs_agreement");
        assert!(err.errors[0].message.contains("parent"));
        let agreement = validate_contribution(&input(Source::SpecialistAgreement, 5), &[], ConsentGiver::Parent, d(20)).unwrap();
        assert!(
            validate_contribution(&input(Source::Specialist, 10), std::slice::from_ref(&agreement), ConsentGiver::Parent, d(20)).is_ok()
        );
        // An agreement dated after the specialist's visit does not count.
        let late = Contribution { date: d(12), ..agreement };
        assert!(validate_contribution(&input(Source::Specialist, 10), &[late], ConsentGiver::Parent, d(20)).is_err());
    }

    #[test]
    fn r06_each_contribution_is_dated_and_attributed() {
        let mut i = input(Source::ParentCarer, 25);
        i.contributor = " ".into();
        let err = validate_contribution(&i, &[], ConsentGiver::Parent, d(20)).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["contributor", "date"]);
    }

    #[test]
    fn r21_young_person_agrees_for_themselves() {
        let err = validate_contribution(&input(Source::SpecialistAgreement, 5), &[], ConsentGiver::YoungPerson, d(20)).unwrap_err();
        assert_eq!(err.errors[0].code, "wrong_consent_giver");
        let mut yp = input(Source::SpecialistAgreement, 5);
        yp.agreed_by = Some(ConsentGiver::YoungPerson);
        let agreement = validate_contribution(&yp, &[], ConsentGiver::YoungPerson, d(20)).unwrap();
        let err = validate_contribution(&input(Source::Specialist, 10), &[], ConsentGiver::YoungPerson, d(20)).unwrap_err();
        assert!(err.errors[0].message.contains("young person"));
        assert!(validate_contribution(&input(Source::Specialist, 10), &[agreement], ConsentGiver::YoungPerson, d(20)).is_ok());
    }
}
