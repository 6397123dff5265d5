//! The SENCO works through the progress flags (R03): for each, add the pupil to SEN
//! support (which starts an assessment), keep them under review until a date, or take
//! no action with a reason. A decision answers one flag: the same pupil, subject (in
//! any case), rule and first date of evidence; a later assessment that moves the flag's
//! evidence makes a new flag. A review date hides the flag until that day has passed.
//!
//! Also the school's settings for the rules: its [`Scale`](super::Scale) and
//! [`ProgressRules`](super::ProgressRules), with a default scale most primary schools
//! use (working towards, expected, greater depth).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Flag, Level, ProgressRules, RuleKind, Scale, ScaleInput};
use crate::error::{Invalid, clean_text};
use crate::pupil::YearGroup;

/// What the SENCO decided about a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// Add to SEN support: the graduated approach starts with an assessment.
    AddToSupport,
    /// Keep under review until a date (the flag comes back after it).
    ReviewUntil { until: NaiveDate },
    /// No action, and why.
    NoAction { reason: String },
}

impl Decision {
    /// Checks a decision made on `today`: a review date after today, a reason for no action.
    pub fn validate(self, today: NaiveDate) -> Result<Decision, Invalid> {
        match self {
            Self::ReviewUntil { until } if until <= today => {
                Err(Invalid::one("until", "not_after_today", "Choose a date after today to look at this again"))
            }
            Self::NoAction { reason } => {
                let mut e = Invalid::default();
                let reason = clean_text("reason", &reason, 1000, &mut e);
                e.require_text("reason", &reason, "why no action is needed");
                e.into_result().map(|()| Self::NoAction { reason })
            }
            d => Ok(d),
        }
    }

    pub fn in_words(&self) -> String {
        match self {
            Self::AddToSupport => "Added to SEN support".into(),
            Self::ReviewUntil { until } => format!("Under review until {}", crate::dates::in_words(*until)),
            Self::NoAction { reason } => format!("No action: {reason}"),
        }
    }

    /// The decision as the dated answer to the concern that raised the flag, for
    /// whoever raised it.
    pub fn as_answer(&self) -> String {
        match self {
            Self::AddToSupport => {
                "The school is adding the pupil to SEN support and will start by assessing their needs, with the family.".into()
            }
            Self::ReviewUntil { until } => {
                format!("The school will keep the pupil's progress under review and look at it again after {}.", crate::dates::in_words(*until))
            }
            Self::NoAction { reason } => format!("The school has decided that no further action is needed: {reason}"),
        }
    }
}

/// A decision as recorded against one flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decided {
    pub subject: String,
    pub rule: RuleKind,
    pub since: NaiveDate,
    pub decision: Decision,
    pub by: String,
    pub on: NaiveDate,
}

impl Decided {
    /// Whether this decision answers `flag` on `today`.
    pub fn answers(&self, flag: &Flag, today: NaiveDate) -> bool {
        let same = self.subject.trim().eq_ignore_ascii_case(flag.subject.trim()) && self.rule == flag.rule && self.since == flag.since;
        same && !matches!(self.decision, Decision::ReviewUntil { until } if until < today)
    }
}

/// The flags no decision answers on `today`.
pub fn undecided(flags: Vec<Flag>, decided: &[Decided], today: NaiveDate) -> Vec<Flag> {
    flags.into_iter().filter(|f| !decided.iter().any(|d| d.answers(f, today))).collect()
}

/// A school's progress settings: its scale and the rules' numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressSettings {
    pub scale: ScaleInput,
    #[serde(default)]
    pub rules: ProgressRules,
}

impl Default for ProgressSettings {
    /// Working towards, expected, greater depth; the expected standard in every year
    /// group from Year 1 to Year 11; the default rules.
    fn default() -> Self {
        let level = |code: &str, label: &str| Level { code: code.into(), label: label.into() };
        let expected: BTreeMap<YearGroup, usize> = (1..=11).filter_map(|y| YearGroup::parse(&y.to_string())).map(|y| (y, 1)).collect();
        ProgressSettings {
            scale: ScaleInput {
                name: "Working towards, expected, greater depth".into(),
                levels: vec![
                    level("WTS", "Working towards the expected standard"),
                    level("EXS", "Working at the expected standard"),
                    level("GDS", "Working at greater depth"),
                ],
                expected,
            },
            rules: ProgressRules::default(),
        }
    }
}

impl ProgressSettings {
    /// The checked scale and rules, or every error (the scale's under `scale.`).
    pub fn validate(&self) -> Result<(Scale, ProgressRules), Invalid> {
        let mut e = Invalid::default();
        let scale = self.scale.validate().map_err(|inner| e.nest("scale", inner)).ok();
        if let Err(inner) = self.rules.validate() {
            e.nest("rules", inner);
        }
        e.into_result()?;
        scale.map(|s| (s, self.rules)).ok_or_else(|| Invalid::one("scale", "invalid", "Check the scale"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    fn flag() -> Flag {
        Flag { subject: "Reading".into(), rule: RuleKind::FellBelowExpected, words: "Fell…".into(), since: d(3, 3) }
    }

    fn decided(decision: Decision) -> Decided {
        Decided { subject: " reading ".into(), rule: RuleKind::FellBelowExpected, since: d(3, 3), decision, by: "Ms Rivera".into(), on: d(11, 2) }
    }

    #[test]
    fn r03_a_decision_answers_its_own_flag_until_its_review_date_passes() {
        let today = d(11, 27);
        assert!(decided(Decision::AddToSupport).answers(&flag(), today));
        assert!(decided(Decision::NoAction { reason: "Was ill during the tests".into() }).answers(&flag(), today));
        assert!(decided(Decision::ReviewUntil { until: today }).answers(&flag(), today), "on the day itself, still under review");
        assert!(!decided(Decision::ReviewUntil { until: d(11, 26) }).answers(&flag(), today), "the date has passed: it comes back");
        let later = Flag { since: d(7, 1), ..flag() };
        assert!(!decided(Decision::AddToSupport).answers(&later, today), "new evidence, a new flag");
        let other = Flag { rule: RuleKind::LowScore, ..flag() };
        assert!(!decided(Decision::AddToSupport).answers(&other, today));
        let left = undecided(vec![flag(), later.clone()], &[decided(Decision::AddToSupport)], today);
        assert_eq!(left, vec![later]);
    }

    #[test]
    fn r03_a_concern_is_a_flag_of_its_own_and_a_decision_answers_it() {
        let concern = |id: i64, by: &str, staff: bool| crate::record::Concern {
            id,
            pupil_id: crate::ids::PupilId(4),
            raised_by: by.into(),
            raised_on: d(11, 20),
            concern: "Cannot copy from the board".into(),
            response: None,
            status: "open".into(),
            version: 1,
            raised_by_staff: staff,
        };
        let teacher = crate::progress::concern_flag(&concern(12, "Ms Patel (Teacher)", true));
        assert_eq!(teacher.words, "Ms Patel (Teacher) raised a concern on 20 November 2026: \u{201c}Cannot copy from the board\u{201d}");
        assert_eq!((teacher.rule, teacher.since, teacher.subject.as_str()), (RuleKind::Concern, d(11, 20), "Concern 12"));
        let family = crate::progress::concern_flag(&concern(13, "Mrs Khan", false));
        assert!(family.words.starts_with("Mrs Khan (family) raised a concern"), "{}", family.words);
        assert_eq!(crate::progress::concern_of(&teacher), Some(12));
        assert_eq!(crate::progress::concern_of(&flag()), None, "a flag from results has no concern");
        let two = undecided(vec![teacher.clone(), family.clone()], &[Decided { subject: "Concern 12".into(), rule: RuleKind::Concern, since: d(11, 20), decision: Decision::AddToSupport, by: "Ms Rivera".into(), on: d(11, 27) }], d(11, 27));
        assert_eq!(two, vec![family], "two concerns raised on one day are two flags");
        assert!(Decision::AddToSupport.as_answer().starts_with("The school is adding the pupil to SEN support"));
        assert_eq!(
            Decision::NoAction { reason: "Settled after the move".into() }.as_answer(),
            "The school has decided that no further action is needed: Settled after the move"
        );
    }

    #[test]
    fn r03_decisions_are_checked() {
        let today = d(11, 27);
        assert_eq!(Decision::ReviewUntil { until: d(11, 28) }.validate(today), Ok(Decision::ReviewUntil { until: d(11, 28) }), "tomorrow is after today");
        let e = Decision::ReviewUntil { until: today }.validate(today).unwrap_err();
        assert_eq!(e.errors[0].field, "until");
        let e = Decision::NoAction { reason: "  ".into() }.validate(today).unwrap_err();
        assert_eq!((e.errors[0].field.as_str(), e.errors[0].code.as_str()), ("reason", "required"));
        assert_eq!(Decision::NoAction { reason: " Ill ".into() }.validate(today), Ok(Decision::NoAction { reason: "Ill".into() }));
        assert_eq!(Decision::ReviewUntil { until: d(12, 11) }.in_words(), "Under review until 11 December 2026");
    }

    #[test]
    fn r03_the_default_settings_expect_the_expected_standard_from_year_1_to_11() {
        let (scale, rules) = ProgressSettings::default().validate().unwrap();
        assert_eq!(scale.codes(), "WTS, EXS, GDS");
        let y = |s: &str| YearGroup::parse(s).unwrap();
        assert_eq!(scale.expected_for(y("1")), Some(1));
        assert_eq!(scale.expected_for(y("11")), Some(1));
        assert_eq!(scale.expected_for(y("R")), None, "no expectation in Reception");
        assert_eq!(rules, ProgressRules::default());
        let mut bad = ProgressSettings::default();
        bad.rules.score_below = 200;
        bad.scale.levels.truncate(1);
        let e = bad.validate().unwrap_err();
        let f: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(f.iter().any(|f| f.starts_with("scale.")) && f.contains(&"rules.score_below"), "{f:?}");
    }
}
