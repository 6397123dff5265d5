//! Review (R12, R13): every outcome of the plan rated met / partly met / not met with
//! evidence, progress on a five-point scale, the five checklist questions of seed 000,
//! the parent's and child's views, and a decision. Unmet outcomes carry forward into
//! the next cycle; SEN support ends only when every outcome is met, or with a reason.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};
use crate::plan::{Carried, CarriedFrom, Outcome, PlanContent, Provision};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Met,
    PartlyMet,
    NotMet,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "Met",
            Self::PartlyMet => "Partly met",
            Self::NotMet => "Not met",
        }
    }
}

/// One outcome's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeRating {
    pub outcome: u32,
    pub rating: Rating,
    /// What shows it, e.g. "Read 38 of 40 words on 5 February".
    pub evidence: String,
}

/// Progress on a five-point scale: -2 much less than expected .. +2 much more (R29).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "i8", into = "i8")]
pub struct Progress(i8);

impl Progress {
    pub fn new(v: i8) -> Option<Self> {
        (-2..=2).contains(&v).then_some(Self(v))
    }

    /// The nearest point on the scale.
    pub fn clamped(v: i8) -> Self {
        Self(v.clamp(-2, 2))
    }

    pub fn value(self) -> i8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            -2 => "Much less progress than expected",
            -1 => "Less progress than expected",
            0 => "Expected progress",
            1 => "More progress than expected",
            _ => "Much more progress than expected",
        }
    }
}

impl TryFrom<i8> for Progress {
    type Error = String;
    fn try_from(v: i8) -> Result<Self, String> {
        Self::new(v).ok_or_else(|| format!("progress must be between -2 and 2, got {v}"))
    }
}

impl From<Progress> for i8 {
    fn from(p: Progress) -> i8 {
        p.0
    }
}

/// The review meeting checklist from seed 000 (R13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checklist {
    /// Have all the pupil's needs been identified?
    pub all_needs_identified: bool,
    /// Is help in place to meet all their needs?
    pub help_in_place_for_all_needs: bool,
    /// Have outcomes been agreed that are specific and measurable?
    pub outcomes_agreed_specific_measurable: bool,
    /// What progress is the pupil making towards their outcomes?
    pub progress_towards_outcomes: String,
    /// What difference is the help making?
    pub difference_help_is_making: String,
}

impl Checklist {
    pub const QUESTIONS: [&'static str; 5] = [
        "Have all the pupil's needs been identified?",
        "Is help in place to meet all their needs?",
        "Have outcomes been agreed that are specific and measurable?",
        "What progress is the pupil making towards their outcomes?",
        "What difference is the help making?",
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Continue,
    Adjust,
    AddSpecialistInvolvement,
    RequestEhcNeedsAssessment,
    EndSenSupport,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Self::Continue => "Continue with the plan",
            Self::Adjust => "Adjust the outcomes or provision",
            Self::AddSpecialistInvolvement => "Involve a specialist",
            Self::RequestEhcNeedsAssessment => "Request an EHC needs assessment",
            Self::EndSenSupport => "End SEN support",
        }
    }

    /// Every decision but ending SEN support opens the next cycle.
    pub fn opens_next_cycle(self) -> bool {
        self != Self::EndSenSupport
    }
}

/// The review as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewContent {
    pub held_on: NaiveDate,
    pub ratings: Vec<OutcomeRating>,
    pub progress: Progress,
    pub checklist: Checklist,
    #[serde(default)]
    pub parent_views: String,
    /// The child's, or the young person's, own views.
    #[serde(default)]
    pub child_views: String,
    pub decision: Decision,
    /// Required to end SEN support while an outcome is not met.
    #[serde(default)]
    pub decision_reason: String,
}

impl ReviewContent {
    /// Checks the review against the plan it reviews, held between the day its cycle
    /// opened and today.
    pub fn validate(mut self, plan: &PlanContent, opened_on: NaiveDate, today: NaiveDate) -> Result<ReviewContent, Invalid> {
        let mut e = Invalid::default();
        if self.held_on > today {
            e.push("held_on", "in_future", "The review date cannot be in the future");
        } else if self.held_on < opened_on {
            e.push(
                "held_on",
                "before_cycle",
                format!("The review date must be on or after {}, when this cycle began", crate::dates::in_words(opened_on)),
            );
        }
        for (i, r) in self.ratings.iter_mut().enumerate() {
            if plan.outcome(r.outcome).is_none() {
                e.push(format!("ratings[{i}].outcome"), "unknown_outcome", format!("There is no outcome {} in the plan", r.outcome));
            }
            r.evidence = clean_text(&format!("ratings[{i}].evidence"), &r.evidence, 5000, &mut e);
            e.require_text(&format!("ratings[{i}].evidence"), &r.evidence, "the evidence for this rating");
        }
        for o in &plan.outcomes {
            match self.ratings.iter().filter(|r| r.outcome == o.number).count() {
                0 => e.push("ratings", "outcome_not_rated", format!("Rate outcome {} ({})", o.number, o.description)),
                1 => {}
                _ => e.push("ratings", "outcome_rated_twice", format!("Outcome {} is rated more than once", o.number)),
            }
        }
        let c = &mut self.checklist;
        c.progress_towards_outcomes = clean_text("checklist.progress_towards_outcomes", &c.progress_towards_outcomes, 5000, &mut e);
        e.require_text("checklist.progress_towards_outcomes", &c.progress_towards_outcomes, "what progress the pupil is making");
        c.difference_help_is_making = clean_text("checklist.difference_help_is_making", &c.difference_help_is_making, 5000, &mut e);
        e.require_text("checklist.difference_help_is_making", &c.difference_help_is_making, "what difference the help is making");
        self.parent_views = clean_text("parent_views", &self.parent_views, 5000, &mut e);
        self.child_views = clean_text("child_views", &self.child_views, 5000, &mut e);
        self.decision_reason = clean_text("decision_reason", &self.decision_reason, 2000, &mut e);
        let all_met = self.ratings.iter().all(|r| r.rating == Rating::Met);
        if self.decision == Decision::EndSenSupport && !all_met && self.decision_reason.is_empty() {
            e.push("decision_reason", "reason_required_to_end", "Not every outcome is met: enter the reason for ending SEN support");
        }
        e.into_result()?;
        Ok(self)
    }

    /// What the next cycle's plan starts from when this review continues or adjusts
    /// the support (R05, R07), the next cycle opening on `opened_on`:
    /// - the outcomes not fully met ([`Self::carried_forward`]);
    /// - the provision still running after that day (no end, or an end after it),
    ///   starting that day at the latest, linked to the carried outcomes it served
    ///   (renumbered as they are; links to met outcomes are dropped, so a provision that
    ///   served only met outcomes asks the SENCO which outcome it serves now);
    /// - the strategies and the person responsible, unchanged.
    ///
    /// Ending SEN support carries nothing.
    pub fn carried_into_next(&self, plan: &PlanContent, cycle_number: u32, opened_on: NaiveDate) -> Carried {
        if !self.decision.opens_next_cycle() {
            return Carried::default();
        }
        let outcomes = self.carried_forward(plan, cycle_number);
        let renumbered =
            |old: u32| outcomes.iter().find(|o| o.carried_from.as_ref().is_some_and(|c| c.outcome_number == old)).map(|o| o.number);
        let provision = plan
            .provision
            .iter()
            .filter(|p| p.end.is_none_or(|end| end > opened_on))
            .zip(1..)
            .map(|(p, number)| Provision {
                number,
                start: p.start.max(opened_on),
                outcomes: p.outcomes.iter().filter_map(|o| renumbered(*o)).collect(),
                ..p.clone()
            })
            .collect();
        Carried { outcomes, provision, strategies: plan.strategies.clone(), responsible: plan.responsible.clone() }
    }

    /// The plan's outcomes not fully met, re-numbered for the next cycle's plan and
    /// marked with where they came from.
    pub fn carried_forward(&self, plan: &PlanContent, cycle_number: u32) -> Vec<Outcome> {
        if !self.decision.opens_next_cycle() {
            return Vec::new();
        }
        let unmet = plan.outcomes.iter().filter(|o| self.ratings.iter().any(|r| r.outcome == o.number && r.rating != Rating::Met));
        unmet
            .zip(1..)
            .map(|(o, number)| Outcome { number, carried_from: Some(CarriedFrom { cycle_number, outcome_number: o.number }), ..o.clone() })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::tests::{d, plan};

    fn review() -> ReviewContent {
        ReviewContent {
            held_on: d(2027, 2, 12),
            ratings: vec![
                OutcomeRating { outcome: 1, rating: Rating::Met, evidence: "Read 41 words".into() },
                OutcomeRating { outcome: 2, rating: Rating::PartlyMet, evidence: "Half way".into() },
            ],
            progress: Progress::new(1).unwrap(),
            checklist: Checklist {
                all_needs_identified: true,
                help_in_place_for_all_needs: true,
                outcomes_agreed_specific_measurable: true,
                progress_towards_outcomes: "Good progress in reading".into(),
                difference_help_is_making: "More confident in class".into(),
            },
            parent_views: "Pleased".into(),
            child_views: "I can read more".into(),
            decision: Decision::Continue,
            decision_reason: String::new(),
        }
    }

    #[test]
    fn r12_every_outcome_must_be_rated_with_evidence() {
        let mut r = review();
        r.ratings.pop();
        r.ratings[0].evidence = " ".into();
        let err = r.validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).unwrap_err();
        let codes: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, vec![("ratings[0].evidence", "required"), ("ratings", "outcome_not_rated")]);
    }

    #[test]
    fn r12_an_outcome_rated_twice_and_one_not_rated_are_both_named() {
        let mut r = review();
        r.ratings[1].outcome = 1;
        let err = r.validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.code.as_str(), e.message.as_str())).collect();
        assert_eq!(
            got,
            [("outcome_rated_twice", "Outcome 1 is rated more than once"), ("outcome_not_rated", "Rate outcome 2 (Outcome 2)")]
        );
        let mut r = review();
        r.ratings[0].outcome = 9;
        let err = r.validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("ratings[0].outcome", "unknown_outcome"));
    }

    #[test]
    fn r12_ending_sen_support_needs_all_met_or_a_reason() {
        let mut r = review();
        r.decision = Decision::EndSenSupport;
        let err = r.clone().validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).unwrap_err();
        assert_eq!(err.errors[0].code, "reason_required_to_end");
        r.decision_reason = "Family moving abroad".into();
        assert!(r.clone().validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).is_ok());
        r.decision_reason.clear();
        r.ratings[1].rating = Rating::Met;
        assert!(r.validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).is_ok());
    }

    #[test]
    fn r12_unmet_outcomes_carry_into_the_next_cycle() {
        let carried = review().carried_forward(&plan(), 3);
        assert_eq!(carried.len(), 1);
        assert_eq!(carried[0].number, 1);
        assert_eq!(carried[0].description, "Outcome 2");
        assert_eq!(carried[0].carried_from, Some(CarriedFrom { cycle_number: 3, outcome_number: 2 }));
        let mut end = review();
        end.decision = Decision::EndSenSupport;
        assert!(end.carried_forward(&plan(), 3).is_empty());
    }

    #[test]
    fn r05_r07_the_next_plan_starts_from_the_last_one() {
        let mut last = plan();
        last.strategies = vec!["Visual timetable".into(), "Instructions one step at a time".into()];
        last.responsible = "Mrs Green (class teacher)".into();
        let mut ended = last.provision[0].clone();
        ended.what = "Lunchtime club".into();
        ended.end = Some(d(2027, 2, 12));
        let mut only_met = last.provision[0].clone();
        only_met.what = "Reading buddy".into();
        only_met.outcomes = vec![1];
        only_met.end = Some(d(2027, 7, 21));
        last.provision.extend([ended, only_met]);
        // Outcome 1 met, outcome 2 partly met; the next cycle opens on the day of the review.
        let next = review().carried_into_next(&last, 3, d(2027, 2, 12));
        assert_eq!(next.outcomes.iter().map(|o| (o.number, o.description.as_str())).collect::<Vec<_>>(), [(1, "Outcome 2")]);
        let got: Vec<_> = next.provision.iter().map(|p| (p.number, p.what.as_str(), p.start, p.end, p.outcomes.clone())).collect();
        assert_eq!(
            got,
            [
                // Ran from 2 November: continues from the review, serving outcome 2, now numbered 1.
                (1, last.provision[0].what.as_str(), d(2027, 2, 12), None, vec![1]),
                // Served only the met outcome: carried, asking which outcome it serves now.
                (2, "Reading buddy", d(2027, 2, 12), Some(d(2027, 7, 21)), vec![]),
            ],
            "the lunchtime club ended on the day of the review and is not carried"
        );
        assert_eq!(next.strategies, last.strategies);
        assert_eq!(next.responsible, "Mrs Green (class teacher)");
        // A provision starting after the review keeps its own start.
        last.provision[0].start = d(2027, 3, 1);
        assert_eq!(review().carried_into_next(&last, 3, d(2027, 2, 12)).provision[0].start, d(2027, 3, 1));
        let mut end = review();
        end.decision = Decision::EndSenSupport;
        assert_eq!(end.carried_into_next(&last, 3, d(2027, 2, 12)), Carried::default());
    }

    #[test]
    fn r13_checklist_answers_are_required() {
        let mut r = review();
        r.checklist.progress_towards_outcomes = " ".into();
        r.checklist.difference_help_is_making = "".into();
        let err = r.validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, [("checklist.progress_towards_outcomes", "required"), ("checklist.difference_help_is_making", "required")]);
        // The answers are kept exactly as given, trimmed.
        let mut r = review();
        r.checklist.all_needs_identified = false;
        r.checklist.progress_towards_outcomes = "  Reads 38 of 40 words ".into();
        let ok = r.validate(&plan(), d(2026, 9, 1), d(2027, 3, 1)).unwrap();
        assert_eq!(ok.checklist.progress_towards_outcomes, "Reads 38 of 40 words");
        assert!(!ok.checklist.all_needs_identified && ok.checklist.help_in_place_for_all_needs);
    }

    #[test]
    fn r12_a_review_is_held_between_the_cycle_opening_and_today() {
        let r = review(); // held 12 February 2027
        assert!(r.clone().validate(&plan(), d(2027, 2, 12), d(2027, 2, 12)).is_ok(), "on the day the cycle opened, and today");
        let early = r.clone().validate(&plan(), d(2027, 2, 13), d(2027, 3, 1)).unwrap_err();
        assert_eq!((early.errors[0].field.as_str(), early.errors[0].code.as_str()), ("held_on", "before_cycle"));
        assert_eq!(early.errors[0].message, "The review date must be on or after 13 February 2027, when this cycle began");
        let future = r.validate(&plan(), d(2026, 9, 1), d(2027, 2, 11)).unwrap_err();
        assert_eq!((future.errors[0].field.as_str(), future.errors[0].code.as_str()), ("held_on", "in_future"));
    }

    #[test]
    fn r33_ratings_progress_and_decisions_read_in_plain_language() {
        let labels: Vec<_> = [Rating::Met, Rating::PartlyMet, Rating::NotMet].iter().map(|r| r.label()).collect();
        assert_eq!(labels, ["Met", "Partly met", "Not met"]);
        let scale: Vec<_> = (-2..=2).map(|v| Progress::new(v).unwrap().label()).collect();
        assert_eq!(
            scale,
            [
                "Much less progress than expected",
                "Less progress than expected",
                "Expected progress",
                "More progress than expected",
                "Much more progress than expected"
            ]
        );
        let decisions: Vec<_> = [
            Decision::Continue,
            Decision::Adjust,
            Decision::AddSpecialistInvolvement,
            Decision::RequestEhcNeedsAssessment,
            Decision::EndSenSupport,
        ]
        .iter()
        .map(|d| (d.label(), d.opens_next_cycle()))
        .collect();
        assert_eq!(
            decisions,
            [
                ("Continue with the plan", true),
                ("Adjust the outcomes or provision", true),
                ("Involve a specialist", true),
                ("Request an EHC needs assessment", true),
                ("End SEN support", false)
            ]
        );
    }

    #[test]
    fn r29_progress_outside_the_scale_is_brought_to_its_nearest_point() {
        assert_eq!(Progress::clamped(-5).value(), -2);
        assert_eq!(Progress::clamped(-1).value(), -1);
        assert_eq!(Progress::clamped(7).value(), 2);
        assert_eq!(i8::from(Progress::clamped(-9)), -2);
        assert_eq!(serde_json::to_string(&Progress::new(1).unwrap()).unwrap(), "1", "stored and sent as a number");
        assert_eq!(Progress::try_from(3), Err("progress must be between -2 and 2, got 3".to_owned()));
    }

    #[test]
    fn r29_progress_scale_is_minus_two_to_plus_two() {
        assert!(Progress::new(-3).is_none());
        assert_eq!(Progress::new(-2).unwrap().label(), "Much less progress than expected");
        let json: Result<Progress, _> = serde_json::from_str("3");
        assert!(json.is_err());
    }
}
