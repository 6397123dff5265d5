//! The school calendar: term dates and the weeks-per-year factor for annual costs
//! (standards.md §4: default 39). Counts school days (Monday to Friday inside a term)
//! and school weeks (school days / 5, exactly) in any inclusive date range.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use crate::error::{Invalid, clean_text};

/// One term (or half term) as the school enters it, both dates inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    /// E.g. "Autumn 2026".
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The school's terms, in date order without overlaps, and the weeks-per-year factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolCalendar {
    pub terms: Vec<Term>,
    /// Weeks a year used for annual costs (support staff are usually paid for 39).
    #[serde(default = "default_weeks_per_year")]
    pub weeks_per_year: u32,
}

fn default_weeks_per_year() -> u32 {
    SchoolCalendar::DEFAULT_WEEKS_PER_YEAR
}

impl SchoolCalendar {
    pub const DEFAULT_WEEKS_PER_YEAR: u32 = 39;

    /// Checks the calendar: at least one term, each named, ending on or after it
    /// starts, in date order and not overlapping; weeks per year from 1 to 52.
    pub fn validate(mut self) -> Result<SchoolCalendar, Invalid> {
        let mut e = Invalid::default();
        if !(1..=52).contains(&self.weeks_per_year) {
            e.push(
                "weeks_per_year",
                "out_of_range",
                format!("Weeks per year must be between 1 and 52 (usually 39); got {}", self.weeks_per_year),
            );
        }
        if self.terms.is_empty() {
            e.push("terms", "required", "Enter at least one term's dates");
        }
        let mut previous: Option<(NaiveDate, NaiveDate)> = None;
        for (i, t) in self.terms.iter_mut().enumerate() {
            let f = |name: &str| format!("terms[{i}].{name}");
            t.name = clean_text(&f("name"), &t.name, 100, &mut e);
            e.require_text(&f("name"), &t.name, "the term's name");
            if t.end < t.start {
                e.push(f("end"), "end_before_start", format!("The term must end on or after it starts ({})", t.start));
            }
            if let Some((prev_start, prev_end)) = previous {
                if t.start < prev_start {
                    e.push(f("start"), "terms_out_of_order", "List the terms in date order");
                } else if t.start <= prev_end {
                    e.push(f("start"), "terms_overlap", format!("This term starts before the previous one ends ({prev_end})"));
                }
            }
            previous = Some((t.start, t.end));
        }
        e.into_result()?;
        Ok(self)
    }

    /// School days in `from..=to`: weekdays inside a term.
    pub fn school_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.terms.iter().map(|t| weekdays_between(from.max(t.start), to.min(t.end))).sum()
    }

    /// School weeks in `from..=to`, exactly: school days / 5.
    pub fn school_weeks(&self, from: NaiveDate, to: NaiveDate) -> Fraction {
        Fraction::new(i128::from(self.school_days(from, to)), 5).unwrap_or(Fraction::ZERO)
    }

    /// `weeks_per_year` as a fraction, for pro-rating annual amounts.
    pub fn weeks_per_year_fraction(&self) -> Fraction {
        Fraction::int(i128::from(self.weeks_per_year))
    }
}

/// The academic year (1 September to 31 August, standards.md §4) containing `day`.
pub fn academic_year(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start_year = if day.month() >= 9 { day.year() } else { day.year() - 1 };
    let start = NaiveDate::from_ymd_opt(start_year, 9, 1).unwrap_or(day);
    let end = NaiveDate::from_ymd_opt(start_year + 1, 8, 31).unwrap_or(day);
    (start, end)
}

/// Weekdays (Monday to Friday) in `from..=to`; 0 when `to` is before `from`.
pub fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return 0;
    }
    let days = (to - from).num_days() + 1;
    let whole_weeks = days / 7;
    let first_weekday = from.weekday().num_days_from_monday();
    let rest = (0..days % 7).filter(|k| (u32::try_from(*k).unwrap_or(0) + first_weekday) % 7 < Weekday::Sat.num_days_from_monday()).count();
    whole_weeks * 5 + i64::try_from(rest).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::test_support::{calendar, d};

    #[test]
    fn weekdays_are_counted_monday_to_friday_inclusive() {
        // Wed 2 Sep 2026 .. Fri 4 Sep: 3 days. Mon 7 .. Sun 13 Sep: 5.
        assert_eq!(weekdays_between(d(2026, 9, 2), d(2026, 9, 4)), 3);
        assert_eq!(weekdays_between(d(2026, 9, 7), d(2026, 9, 13)), 5);
        assert_eq!(weekdays_between(d(2026, 9, 5), d(2026, 9, 6)), 0, "a weekend");
        assert_eq!(weekdays_between(d(2026, 9, 4), d(2026, 9, 3)), 0, "empty range");
        // Fri 4 Sep .. Tue 15 Sep: Fri, Mon-Fri, Mon, Tue = 8.
        assert_eq!(weekdays_between(d(2026, 9, 4), d(2026, 9, 15)), 8);
    }

    #[test]
    fn r15_school_weeks_in_the_year() {
        // Autumn Wed 2 Sep – Fri 18 Dec 2026: 3 days + 15 full weeks = 78 days.
        // Spring Tue 5 Jan – Fri 26 Mar 2027: 4 days + 11 weeks = 59 days.
        // Summer Mon 12 Apr – Wed 21 Jul 2027: 14 weeks + 3 days = 73 days.
        let cal = calendar();
        assert_eq!(cal.school_days(d(2026, 9, 1), d(2026, 12, 31)), 78);
        assert_eq!(cal.school_days(d(2027, 1, 1), d(2027, 3, 31)), 59);
        assert_eq!(cal.school_days(d(2027, 4, 1), d(2027, 8, 31)), 73);
        // 210 days = 42 weeks (no INSET days or bank holidays unless the school splits terms).
        assert_eq!(cal.school_weeks(d(2026, 9, 1), d(2027, 8, 31)), Fraction::int(42));
    }

    #[test]
    fn calendar_errors_name_the_field() {
        let mut cal = calendar();
        cal.terms[1].end = d(2027, 1, 1);
        cal.weeks_per_year = 0;
        let err = cal.validate().unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, vec![("weeks_per_year", "out_of_range"), ("terms[1].end", "end_before_start")]);

        let mut cal = calendar();
        cal.terms[2].start = d(2027, 3, 1);
        let err = cal.validate().unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("terms[2].start", "terms_overlap"));

        let mut cal = calendar();
        cal.terms.swap(0, 1);
        assert_eq!(cal.validate().unwrap_err().errors[0].code, "terms_out_of_order");

        let cal = SchoolCalendar { terms: vec![], weeks_per_year: 39 };
        assert_eq!(cal.validate().unwrap_err().errors[0].field, "terms");
    }

    #[test]
    fn academic_year_runs_september_to_august() {
        assert_eq!(academic_year(d(2026, 11, 23)), (d(2026, 9, 1), d(2027, 8, 31)));
        assert_eq!(academic_year(d(2027, 8, 31)), (d(2026, 9, 1), d(2027, 8, 31)));
        assert_eq!(academic_year(d(2027, 9, 1)), (d(2027, 9, 1), d(2028, 8, 31)));
    }

    #[test]
    fn weeks_per_year_defaults_to_39() {
        let cal: SchoolCalendar = serde_json::from_str(r#"{"terms":[]}"#).unwrap();
        assert_eq!(cal.weeks_per_year, 39);
    }
}
