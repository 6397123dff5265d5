//! Reasonable adjustments and medical conditions (R35): what the Equality Act asks a
//! school to change so a disabled pupil is not at a disadvantage (in the classroom,
//! exam access arrangements, equipment, the environment, getting around school), each
//! dated with its review; and the pupil's medical conditions, each with its individual
//! healthcare plan (who wrote it, its review date, the emergency procedure in plain
//! words, the medicines held in school), as the guidance on supporting pupils with
//! medical conditions asks. One document per pupil, versioned; every adult who works
//! with the pupil reads it beside the plan's strategies.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::in_words;
use crate::error::{Invalid, clean_text};

/// Adjustments or conditions one pupil's document may hold.
pub const MAX_ITEMS: usize = 30;
/// Days before a review date that it counts as due (four weeks, as plan reviews).
pub const DUE_SOON_DAYS: u64 = 28;

/// The kind of an adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    Classroom,
    ExamAccess,
    Equipment,
    Environment,
    Transport,
}

impl AdjustmentKind {
    pub const ALL: [AdjustmentKind; 5] = [Self::Classroom, Self::ExamAccess, Self::Equipment, Self::Environment, Self::Transport];

    pub fn label(self) -> &'static str {
        match self {
            Self::Classroom => "In the classroom",
            Self::ExamAccess => "Exam access arrangement",
            Self::Equipment => "Equipment",
            Self::Environment => "The environment",
            Self::Transport => "Getting around school",
        }
    }

    /// Its stored word: `exam_access`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Classroom => "classroom",
            Self::ExamAccess => "exam_access",
            Self::Equipment => "equipment",
            Self::Environment => "environment",
            Self::Transport => "transport",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// One reasonable adjustment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    /// What is done differently, in words every adult can follow.
    pub what: String,
    pub starts_on: NaiveDate,
    pub review_on: NaiveDate,
}

/// A medical condition and its individual healthcare plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MedicalCondition {
    /// The condition, as the family and the health professional name it.
    pub condition: String,
    /// Who wrote the healthcare plan (a school nurse, the specialist, with the family).
    pub written_by: String,
    pub review_on: NaiveDate,
    /// What to do in an emergency, in plain words, step by step.
    pub emergency: String,
    /// The medicines held in school, one each, with where they are kept.
    #[serde(default)]
    pub medicines: Vec<String>,
}

/// A pupil's adjustments and medical conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustments {
    #[serde(default)]
    pub adjustments: Vec<Adjustment>,
    #[serde(default)]
    pub conditions: Vec<MedicalCondition>,
}

/// A review that is due: what, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDue {
    /// "Exam access arrangement: 25% extra time" or "Healthcare plan: Asthma".
    pub what: String,
    pub on: NaiveDate,
}

impl ReviewDue {
    /// "… review due on 3 March 2027" or "… review overdue since 3 March 2027".
    pub fn words(&self, today: NaiveDate) -> String {
        if self.on < today { format!("{}: review overdue since {}", self.what, in_words(self.on)) } else { format!("{}: review due on {}", self.what, in_words(self.on)) }
    }
}

impl Adjustments {
    /// Checks and tidies the whole document: every field named by its place
    /// (`adjustments[1].what`, `conditions[0].emergency`).
    pub fn validate(self) -> Result<Adjustments, Invalid> {
        let mut e = Invalid::default();
        if self.adjustments.len() > MAX_ITEMS {
            e.push("adjustments", "too_many", format!("A pupil may have at most {MAX_ITEMS} adjustments recorded"));
        }
        if self.conditions.len() > MAX_ITEMS {
            e.push("conditions", "too_many", format!("A pupil may have at most {MAX_ITEMS} medical conditions recorded"));
        }
        let adjustments = self
            .adjustments
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let at = format!("adjustments[{i}]");
                let what = clean_text(&format!("{at}.what"), &a.what, 500, &mut e);
                e.require_text(&format!("{at}.what"), &what, "what is done differently");
                if a.review_on <= a.starts_on {
                    e.push(format!("{at}.review_on"), "before_start", format!("The review must be after the start, {}", in_words(a.starts_on)));
                }
                Adjustment { what, ..a }
            })
            .collect();
        let conditions = self
            .conditions
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let at = format!("conditions[{i}]");
                let condition = clean_text(&format!("{at}.condition"), &c.condition, 200, &mut e);
                e.require_text(&format!("{at}.condition"), &condition, "the medical condition");
                let written_by = clean_text(&format!("{at}.written_by"), &c.written_by, 200, &mut e);
                e.require_text(&format!("{at}.written_by"), &written_by, "who wrote the healthcare plan");
                let emergency = clean_text(&format!("{at}.emergency"), &c.emergency, 3000, &mut e);
                e.require_text(&format!("{at}.emergency"), &emergency, "what to do in an emergency, in plain words");
                if c.medicines.len() > 20 {
                    e.push(format!("{at}.medicines"), "too_many", "List at most 20 medicines");
                }
                let medicines = c
                    .medicines
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| !m.trim().is_empty())
                    .map(|(j, m)| clean_text(&format!("{at}.medicines[{j}]"), m, 300, &mut e))
                    .collect();
                MedicalCondition { condition, written_by, emergency, medicines, ..c }
            })
            .collect();
        e.into_result()?;
        Ok(Adjustments { adjustments, conditions })
    }

    /// The adjustments in place on `today` (started).
    pub fn in_place(&self, today: NaiveDate) -> Vec<&Adjustment> {
        self.adjustments.iter().filter(|a| a.starts_on <= today).collect()
    }

    /// Reviews of adjustments and healthcare plans due within [`DUE_SOON_DAYS`] of
    /// `today` or overdue, soonest first.
    pub fn reviews_due(&self, today: NaiveDate) -> Vec<ReviewDue> {
        let soon = today.checked_add_days(chrono::Days::new(DUE_SOON_DAYS)).unwrap_or(today);
        let mut due: Vec<ReviewDue> = self
            .adjustments
            .iter()
            .filter(|a| a.review_on <= soon)
            .map(|a| ReviewDue { what: format!("{}: {}", a.kind.label(), a.what), on: a.review_on })
            .chain(self.conditions.iter().filter(|c| c.review_on <= soon).map(|c| ReviewDue { what: format!("Healthcare plan: {}", c.condition), on: c.review_on }))
            .collect();
        due.sort_by_key(|d| d.on);
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn asthma() -> MedicalCondition {
        MedicalCondition {
            condition: "Asthma".into(),
            written_by: "School nurse with the family".into(),
            review_on: d(2027, 9, 1),
            emergency: "Sit them upright, two puffs of the blue inhaler every two minutes up to ten; call 999 if no better.".into(),
            medicines: vec!["Salbutamol inhaler: class medical bag".into(), " ".into()],
        }
    }

    fn extra_time() -> Adjustment {
        Adjustment { kind: AdjustmentKind::ExamAccess, what: "25% extra time in tests".into(), starts_on: d(2026, 9, 1), review_on: d(2026, 12, 10) }
    }

    #[test]
    fn r35_adjustments_and_healthcare_plans_are_checked_item_by_item() {
        let ok = Adjustments { adjustments: vec![extra_time()], conditions: vec![MedicalCondition { condition: " Asthma ".into(), ..asthma() }] }.validate().unwrap();
        assert_eq!(ok.conditions[0].condition, "Asthma");
        assert_eq!(ok.conditions[0].medicines, ["Salbutamol inhaler: class medical bag"], "blank medicine lines dropped");
        let bad = Adjustments {
            adjustments: vec![extra_time(), Adjustment { what: " ".into(), review_on: d(2026, 9, 1), ..extra_time() }],
            conditions: vec![MedicalCondition { emergency: "".into(), written_by: " ".into(), ..asthma() }],
        };
        assert_eq!(
            codes(&bad.validate().unwrap_err()),
            [
                ("adjustments[1].what", "required"),
                ("adjustments[1].review_on", "before_start"),
                ("conditions[0].written_by", "required"),
                ("conditions[0].emergency", "required"),
            ]
        );
        let many = Adjustments { adjustments: vec![extra_time(); MAX_ITEMS + 1], conditions: vec![] };
        assert_eq!(codes(&many.validate().unwrap_err()), [("adjustments", "too_many")]);
        assert!(Adjustments { adjustments: vec![extra_time(); MAX_ITEMS], conditions: vec![] }.validate().is_ok());
    }

    #[test]
    fn r35_reviews_due_within_four_weeks_or_overdue_soonest_first() {
        let a = Adjustments { adjustments: vec![extra_time()], conditions: vec![MedicalCondition { review_on: d(2026, 11, 20), ..asthma() }] };
        let today = d(2026, 11, 27);
        let due = a.reviews_due(today);
        assert_eq!(due.iter().map(|r| r.on).collect::<Vec<_>>(), [d(2026, 11, 20), d(2026, 12, 10)]);
        assert_eq!(due[0].words(today), "Healthcare plan: Asthma: review overdue since 20 November 2026");
        assert_eq!(due[1].words(today), "Exam access arrangement: 25% extra time in tests: review due on 10 December 2026");
        // Exactly 28 days ahead is due; 29 is not.
        assert_eq!(a.reviews_due(d(2026, 11, 12)).len(), 2, "extra time is exactly 28 days away: due");
        assert_eq!(a.reviews_due(d(2026, 11, 11)).len(), 1, "the healthcare plan is 9 days away; extra time 29");
        assert_eq!(a.reviews_due(d(2026, 10, 22)).len(), 0);
        assert_eq!(a.reviews_due(d(2026, 10, 23)).len(), 1);
        assert_eq!(a.in_place(d(2026, 8, 31)).len(), 0);
        assert_eq!(a.in_place(d(2026, 9, 1)).len(), 1);
        assert_eq!(AdjustmentKind::parse("exam_access"), Some(AdjustmentKind::ExamAccess));
        assert!(AdjustmentKind::ALL.iter().all(|k| AdjustmentKind::parse(k.code()) == Some(*k)));
    }
}
