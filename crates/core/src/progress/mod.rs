//! Spotting need early (R03, CoP 6.17) and the progress check at age two (R26).
//!
//! Teachers record regular assessments; senplan flags pupils "making less than
//! expected progress given their age and starting point" for the SENCO to consider.
//! A flag is a prompt to look, never a label. Each assessment is a level on the
//! school's own [`Scale`] (compared with the level the scale expects of the pupil's
//! year group) or a standardised score (compared with a threshold, 85 by default).
//! The rules, in words (the settings are [`ProgressRules`]):
//! - **fell below**: at or above expected before, then below expected in each of the
//!   latest `fell_below_after` (2) or more assessments of a subject;
//! - **stuck below**: below expected in each of the latest `stuck_below_after` (3)
//!   assessments, and the latest no higher than the first of them;
//! - **low score**: the latest score below `score_below` (85) and not higher than the
//!   one before; a first score below the threshold flags too, as nothing shows it rising.
//!
//! Levels and scores are never compared with each other: each subject has a series
//! of levels and a series of scores. Modules: [`flags`](mod@flags) (the rules), [`import`] (the
//! progress CSV), [`decide`] (the SENCO's decisions, the school's settings), [`two_year`]
//! (the check at age two, R26).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};
use crate::pupil::YearGroup;

pub mod decide;
pub mod flags;
pub mod import;
pub mod two_year;

pub use flags::flags;
pub use import::{LineError, Row, parse_csv};

/// The lowest standardised score recorded.
pub const SCORE_MIN: u16 = 40;
/// The highest standardised score recorded.
pub const SCORE_MAX: u16 = 160;

/// One level of a scale: a short code teachers type ("WTS") and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Level {
    pub code: String,
    pub label: String,
}

/// A scale as entered by the school, before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScaleInput {
    pub name: String,
    /// Lowest first.
    pub levels: Vec<Level>,
    /// The level (an index into `levels`) expected of each year group, keyed by the
    /// census code ("R", "4"). A year group left out does not use the scale.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub expected: BTreeMap<YearGroup, usize>,
}

/// A school's attainment scale, checked: at least two levels, codes unique (ignoring
/// case) and never a number alone (so a code is never mistaken for a score), and every
/// expected level on the scale. Built only by [`ScaleInput::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "ScaleInput")]
pub struct Scale {
    name: String,
    levels: Vec<Level>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    expected: BTreeMap<YearGroup, usize>,
}

impl ScaleInput {
    /// Checks the scale, naming each field at fault (`levels[2].code`, `expected.4`).
    pub fn validate(&self) -> Result<Scale, Invalid> {
        let mut e = Invalid::default();
        let name = clean_text("name", &self.name, 100, &mut e);
        e.require_text("name", &name, "the scale's name");
        if self.levels.len() < 2 {
            e.push("levels", "too_few_levels", "A scale needs at least two levels, lowest first");
        }
        let mut levels: Vec<Level> = Vec::with_capacity(self.levels.len());
        for (i, level) in self.levels.iter().enumerate() {
            let field = format!("levels[{i}].code");
            let code = clean_text(&field, &level.code, 10, &mut e);
            e.require_text(&field, &code, "a short code for the level, such as EXS");
            if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) {
                e.push(&field, "numeric_code", "A level code needs a letter: a number alone would be read as a standardised score");
            } else if let Some(other) = levels.iter().position(|l| !code.is_empty() && l.code.eq_ignore_ascii_case(&code)) {
                e.push(&field, "duplicate_code", format!("The code '{code}' is used by level {} already", other + 1));
            }
            let label_field = format!("levels[{i}].label");
            let label = clean_text(&label_field, &level.label, 100, &mut e);
            e.require_text(&label_field, &label, "what the level means, such as 'Working at the expected standard'");
            levels.push(Level { code, label });
        }
        if self.expected.is_empty() {
            e.push("expected", "required", "Give the expected level for at least one year group");
        }
        for (year, &index) in &self.expected {
            if index >= self.levels.len() {
                e.push(
                    format!("expected.{}", year.code()),
                    "not_on_scale",
                    format!(
                        "{}'s expected level must be one of the scale's levels (0 to {})",
                        year.label(),
                        self.levels.len().saturating_sub(1)
                    ),
                );
            }
        }
        e.into_result().map(|()| Scale { name, levels, expected: self.expected.clone() })
    }
}

impl TryFrom<ScaleInput> for Scale {
    type Error = Invalid;

    fn try_from(input: ScaleInput) -> Result<Self, Invalid> {
        input.validate()
    }
}

impl Scale {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Lowest first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// The level expected of a year group, or `None` when the scale is not used for it.
    pub fn expected_for(&self, year: YearGroup) -> Option<usize> {
        self.expected.get(&year).copied()
    }

    /// The index of the level with this code, ignoring case and surrounding spaces.
    pub fn level_index(&self, code: &str) -> Option<usize> {
        let code = code.trim();
        self.levels.iter().position(|l| l.code.eq_ignore_ascii_case(code))
    }

    /// The codes in order, for messages: "WTS, EXS, GDS".
    pub fn codes(&self) -> String {
        self.levels.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// One result: a level on the school's scale (its index, lowest 0) or a standardised
/// score ([`SCORE_MIN`]..=[`SCORE_MAX`], mean 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Level(usize),
    Score(u16),
}

impl Value {
    /// Why the value cannot be recorded on this scale, if it cannot.
    pub fn problem(self, scale: &Scale) -> Option<String> {
        match self {
            Self::Level(i) if i >= scale.levels.len() => {
                Some(format!("There is no level {i} on the scale '{}' ({})", scale.name, scale.codes()))
            }
            Self::Score(s) if !(SCORE_MIN..=SCORE_MAX).contains(&s) => {
                Some(format!("A standardised score is from {SCORE_MIN} to {SCORE_MAX}, found {s}"))
            }
            _ => None,
        }
    }
}

/// One assessment of one pupil in one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub subject: String,
    pub on: NaiveDate,
    pub value: Value,
}

impl Assessment {
    /// Checks an assessment typed in a form: a subject, a date not in the future, and
    /// a value the scale has. Returns it with the subject tidied.
    pub fn check(&self, scale: &Scale, today: NaiveDate) -> Result<Assessment, Invalid> {
        let mut e = Invalid::default();
        let subject = clean_text("subject", &self.subject, 100, &mut e);
        e.require_text("subject", &subject, "the subject, such as Reading");
        if self.on > today {
            e.push("on", "in_future", "The assessment date cannot be in the future");
        }
        if let Some(problem) = self.value.problem(scale) {
            e.push("value", "not_on_scale", problem);
        }
        e.into_result().map(|()| Assessment { subject, on: self.on, value: self.value })
    }
}

/// A school's settings for the rules above. Out-of-range settings are refused by
/// [`ProgressRules::validate`]; [`flags()`] reads a 0 as the smallest count that works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProgressRules {
    /// Flag a pupil who was at or above expected and is below expected in each of the
    /// latest this-many assessments of a subject (1 to 10).
    pub fell_below_after: u32,
    /// Flag a pupil below expected in each of the latest this-many assessments and not
    /// rising across them (2 to 10: "not rising" needs two to compare).
    pub stuck_below_after: u32,
    /// Flag a latest standardised score below this that is not higher than the one
    /// before (41 to 160).
    pub score_below: u16,
}

impl Default for ProgressRules {
    fn default() -> Self {
        Self { fell_below_after: 2, stuck_below_after: 3, score_below: 85 }
    }
}

impl ProgressRules {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        if !(1..=10).contains(&self.fell_below_after) {
            e.push("fell_below_after", "out_of_range", "Enter a number of assessments from 1 to 10");
        }
        if !(2..=10).contains(&self.stuck_below_after) {
            e.push("stuck_below_after", "out_of_range", "Enter a number of assessments from 2 to 10: not rising needs two to compare");
        }
        if !(SCORE_MIN + 1..=SCORE_MAX).contains(&self.score_below) {
            e.push(
                "score_below",
                "out_of_range",
                format!("Enter a score from {} to {SCORE_MAX}: standardised scores run from {SCORE_MIN} to {SCORE_MAX}", SCORE_MIN + 1),
            );
        }
        e.into_result()
    }
}

/// Which rule raised a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    FellBelowExpected,
    StuckBelowExpected,
    LowScore,
    /// A prime area not on track at the check at age two (R26).
    TwoYearCheckConcern,
    /// No check at age two recorded and the window has closed (R26).
    TwoYearCheckMissing,
    /// A teacher or the family raised a concern ([`concern_flag`]).
    Concern,
}

/// Something for the SENCO to consider, said in words with the subject and dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    /// The subject as last typed ("Reading"), or "Progress check at age two".
    pub subject: String,
    pub rule: RuleKind,
    pub words: String,
    /// The first date of the evidence the flag rests on.
    pub since: NaiveDate,
}

/// The flag a concern raises for a pupil not on SEN support (R03: "teachers and
/// parents can also raise a concern that lands in the same list"). Its subject names
/// the concern ("Concern 12"), so two concerns raised on one day are two flags.
pub fn concern_flag(c: &crate::record::Concern) -> Flag {
    let who = if c.raised_by_staff { c.raised_by.clone() } else { format!("{} (family)", c.raised_by) };
    Flag {
        subject: format!("Concern {}", c.id),
        rule: RuleKind::Concern,
        words: format!("{who} raised a concern on {}: \u{201c}{}\u{201d}", crate::dates::in_words(c.raised_on), c.concern),
        since: c.raised_on,
    }
}

/// The concern a flag was raised by, if a concern raised it.
pub fn concern_of(flag: &Flag) -> Option<i64> {
    if flag.rule != RuleKind::Concern {
        return None;
    }
    flag.subject.strip_prefix("Concern ")?.parse().ok()
}

/// "two", "three"… up to ten in words, then digits.
fn count_in_words(n: usize) -> String {
    const WORDS: [&str; 11] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    WORDS.get(n).map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

#[cfg(test)]
#[path = "scale_tests.rs"]
mod tests;
