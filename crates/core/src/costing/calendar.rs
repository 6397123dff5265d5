//! The school calendar: term dates and the weeks-per-year factor for annual costs
//! (standards.md §4: default 39). Counts school days (Monday to Friday inside a term)
//! and school weeks (school days / 5, exactly) in any inclusive date range, and the
//! part of an academic year a date range covers ([`SchoolCalendar::part_of_year`]),
//! which pro-rates annual costs.

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
                    e.push(
                        f("start"),
                        "terms_overlap",
                        format!("This term starts before the previous one ends ({})", crate::dates::in_words(prev_end)),
                    );
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

    /// Academic years whose terms hold more school weeks than `weeks_per_year`, with
    /// the weeks they hold: usually half-term holidays entered as term time. Costs over
    /// a date range count the calendar's weeks, so such a year of provision would cost
    /// more than its annual cost.
    pub fn years_over_weeks_per_year(&self) -> Vec<(NaiveDate, Fraction)> {
        let mut years: Vec<(NaiveDate, NaiveDate)> = self.terms.iter().map(|t| academic_year(t.start)).collect();
        years.dedup();
        years
            .into_iter()
            .map(|(from, to)| (from, self.school_weeks(from, to)))
            .filter(|(_, weeks)| *weeks > self.weeks_per_year_fraction())
            .collect()
    }

    /// The part of the academic year containing `on` (1 September – 31 August) that
    /// `from..=to` covers, exactly: the year's school days inside `from..=to` over all
    /// the year's school days (days outside the year count for nothing). The year's
    /// school days are the weekdays in its terms; when none of that year's terms is
    /// entered yet, every weekday of the year counts instead, so provision is still
    /// pro-rated (terms for only part of a year are taken as the whole year: enter
    /// them all). The whole year is exactly 1, whatever the terms hold.
    pub fn part_of_year(&self, on: NaiveDate, from: NaiveDate, to: NaiveDate) -> Fraction {
        let (part, all) = self.days_of_year(on, from, to);
        Fraction::new(i128::from(part), i128::from(all)).unwrap_or(Fraction::ZERO)
    }

    /// The two counts [`Self::part_of_year`] divides: the school days of the academic
    /// year containing `on` inside `from..=to`, and all the year's school days
    /// (weekdays, when none of the year's terms is entered).
    pub fn days_of_year(&self, on: NaiveDate, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
        let (start, end) = academic_year(on);
        let terms_entered = self.school_days(start, end) > 0;
        let days = |a: NaiveDate, b: NaiveDate| if terms_entered { self.school_days(a, b) } else { weekdays_between(a, b) };
        (days(from.max(start), to.min(end)), days(start, end))
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
        assert_eq!(weekdays_between(d(2026, 9, 4), d(2026, 9, 4)), 1, "one weekday");
    }

    #[test]
    fn r15_school_weeks_in_the_year() {
        // Autumn: Wed 2 Sep – Fri 23 Oct (3 days + 7 weeks = 38) and Mon 2 Nov – Fri
        // 18 Dec (7 weeks = 35): 73 days, the half-term week not counted.
        // Spring: Tue 5 Jan – Fri 12 Feb (4 + 25 = 29) and Mon 22 Feb – Fri 26 Mar (25): 54.
        // Summer: Mon 12 Apr – Fri 28 May (35) and Mon 7 Jun – Wed 21 Jul (30 + 3 = 33): 68.
        let cal = calendar();
        assert_eq!(cal.school_days(d(2026, 9, 1), d(2026, 12, 31)), 73);
        assert_eq!(cal.school_days(d(2026, 10, 26), d(2026, 10, 30)), 0, "half term");
        assert_eq!(cal.school_days(d(2027, 1, 1), d(2027, 3, 31)), 54);
        assert_eq!(cal.school_days(d(2027, 4, 1), d(2027, 8, 31)), 68);
        // 195 days = 39 weeks, the weeks-per-year factor: the calendar and annual costs agree.
        assert_eq!(cal.school_weeks(d(2026, 9, 1), d(2027, 8, 31)), Fraction::int(39));
        assert_eq!(cal.school_weeks(d(2026, 9, 1), d(2027, 8, 31)), cal.weeks_per_year_fraction());
    }

    #[test]
    fn r15_a_year_of_terms_longer_than_weeks_per_year_is_noticed() {
        assert!(calendar().years_over_weeks_per_year().is_empty(), "39 weeks, as annual costs assume");
        // The same year entered as three terms, half terms included: 210 days = 42 weeks.
        let mut whole = calendar();
        whole.terms = vec![
            Term { name: "Autumn".into(), start: d(2026, 9, 2), end: d(2026, 12, 18) },
            Term { name: "Spring".into(), start: d(2027, 1, 5), end: d(2027, 3, 26) },
            Term { name: "Summer".into(), start: d(2027, 4, 12), end: d(2027, 7, 21) },
        ];
        assert_eq!(whole.years_over_weeks_per_year(), vec![(d(2026, 9, 1), Fraction::int(42))]);
        // Exactly 42 weeks a year is then consistent; one term alone is not over.
        whole.weeks_per_year = 42;
        assert!(whole.years_over_weeks_per_year().is_empty());
        whole.weeks_per_year = 39;
        whole.terms.truncate(1);
        assert!(whole.years_over_weeks_per_year().is_empty(), "a year not yet entered in full");
    }

    #[test]
    fn r15_part_of_year_counts_the_years_school_days() {
        let cal = calendar();
        let on = d(2026, 11, 23);
        // Spring, 5 Jan – 26 Mar 2027: 54 of the year's 195 school days = 18/65.
        assert_eq!(cal.part_of_year(on, d(2027, 1, 5), d(2027, 3, 26)), Fraction::new(54, 195).unwrap());
        // The whole year, however it is asked: 1; from the first day of term: 1 too.
        assert_eq!(cal.part_of_year(on, d(2026, 9, 1), d(2027, 8, 31)), Fraction::ONE);
        assert_eq!(cal.part_of_year(on, d(2025, 1, 1), d(2028, 1, 1)), Fraction::ONE);
        assert_eq!(cal.part_of_year(on, d(2026, 9, 2), d(2027, 7, 21)), Fraction::ONE);
        // Days in another year, or in a holiday, count for nothing in this one.
        assert_eq!(cal.part_of_year(on, d(2027, 9, 1), d(2027, 12, 31)), Fraction::ZERO);
        assert_eq!(cal.part_of_year(on, d(2026, 10, 26), d(2026, 10, 30)), Fraction::ZERO);
        // 2027–28 has no terms entered: every weekday counts. 1 Sep 2027 (Wed) –
        // 31 Aug 2028 (Thu) has 262 weekdays; September 2027 has 22.
        assert_eq!(cal.part_of_year(d(2027, 10, 1), d(2027, 9, 1), d(2027, 9, 30)), Fraction::new(22, 262).unwrap());
        assert_eq!(cal.part_of_year(d(2027, 10, 1), d(2027, 9, 1), d(2028, 8, 31)), Fraction::ONE);
    }

    #[test]
    fn calendar_errors_name_the_field() {
        let mut cal = calendar();
        cal.terms[1].end = d(2026, 11, 1);
        cal.weeks_per_year = 0;
        let err = cal.validate().unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, vec![("weeks_per_year", "out_of_range"), ("terms[1].end", "end_before_start")]);

        let mut cal = calendar();
        cal.terms[2].start = d(2026, 12, 1);
        let err = cal.validate().unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("terms[2].start", "terms_overlap"));

        let mut cal = calendar();
        cal.terms.swap(0, 1);
        assert_eq!(cal.validate().unwrap_err().errors[0].code, "terms_out_of_order");

        // Two terms starting the same day overlap; a one-day term is a term.
        let mut cal = calendar();
        cal.terms[1].start = cal.terms[0].start;
        assert_eq!(cal.validate().unwrap_err().errors[0].code, "terms_overlap");
        let mut cal = calendar();
        cal.terms[0].end = cal.terms[0].start;
        assert!(cal.validate().is_ok());

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
