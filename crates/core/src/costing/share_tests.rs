//! Tests for [`super`]: worked examples with exact figures (R15, R34).

use chrono::NaiveDate;

use super::*;
use crate::costing::calendar::Term;
use crate::costing::test_support::{calendar, costed, d, other_costs, resolved, roles};

fn fields(e: &Invalid) -> Vec<(&str, &str)> {
    e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
}

#[test]
fn r15_group_of_four_for_an_hour_a_week_is_a_quarter() {
    // TA at £15.00/h, 60 min once a week, group of 4.
    // Share: 60 / 4 = 15 min a week = 0.25 h = 25% of the cost.
    // Year: 1500p × 60/60 × 1 × 39 weeks / 4 = 58500 / 4 = 14625p = £146.25,
    // exactly a quarter of the one-to-one £585.00.
    let group = resolved("teaching_assistant", 60, 1, 4, d(2026, 9, 2));
    assert_eq!(group.weekly_share_minutes(), Fraction::int(15));
    assert_eq!(group.weekly_share_hours(), "0.25");
    assert_eq!(group.share_basis_points(), 2500);
    assert_eq!(group.annual_cost(39), Pence(14_625));
    assert_eq!(group.annual_cost(39).to_string(), "£146.25");
    let alone = resolved("teaching_assistant", 60, 1, 1, d(2026, 9, 2));
    assert_eq!(alone.annual_cost(39), Pence(58_500));
    // Over the whole school year of 39 weeks: 375p × 39 = 14625p for the pupil, exactly
    // the annual cost; 1500p × 39 = 58500p for the whole group.
    let year = group.whole_cost_between(&calendar(), d(2026, 9, 1), d(2027, 8, 31));
    assert_eq!(year.school_weeks, Fraction::int(39));
    assert_eq!(year.staff_minutes, Fraction::int(2340));
    assert_eq!(year.staff_hours, "39.00");
    assert_eq!(year.whole_cost, Pence(58_500));
    assert_eq!(year.per_pupil.cost, Pence(14_625));
    assert_eq!(year.per_pupil.cost, group.annual_cost(39), "a year of the calendar costs what a year costs");
    assert_eq!(year.per_pupil.hours, "9.75");
}

#[test]
fn r15_annual_cost_is_rounded_once_at_the_end() {
    // £14.99/h, 20 min once a week, group of 3, 39 weeks:
    // 1499 × 20 × 39 / (60 × 3) = 1169220 / 180 = 6495.67p -> 6496p.
    // (Rounding the weekly 166.56p to 167p first would give 6513p.)
    let roles = vec![StaffRole::new("hlta", "HLTA", Pence(1499)).unwrap()];
    let p = costed("hlta", 20, 1, 3, d(2026, 9, 2)).resolve(&roles, &[]).unwrap();
    assert_eq!(p.weekly_share_minutes(), Fraction::new(20, 3).unwrap());
    assert_eq!(p.weekly_share_hours(), "0.11");
    assert_eq!(p.annual_cost(39), Pence(6_496));
}

#[test]
fn r15_other_costs_are_shared_by_their_basis() {
    // Group of 4 with a £120 licence per group: 14625 + 12000 / 4 = 17625p.
    // With a £25 writing slope per pupil instead: 14625 + 2500 = 17125p.
    let mut c = costed("teaching_assistant", 60, 1, 4, d(2026, 9, 2));
    c.other_cost = Some("reading_licence".into());
    let p = c.resolve(&roles(), &other_costs()).unwrap();
    assert_eq!(p.annual_cost(39), Pence(17_625));
    // Autumn term, 73 days = 14.6 weeks: staff 375p × 14.6 = 5475p; licence
    // 3000p × 14.6 / 39 = 1123.08p; pupil 6598.08p -> 6598p. Whole group 21900p +
    // 12000p × 14.6 / 39 = 4492.31p: 26392.31p -> 26392p (rounded once, at the end).
    let autumn = p.whole_cost_between(&calendar(), d(2026, 9, 1), d(2026, 12, 31));
    assert_eq!(autumn.school_weeks, Fraction::new(73, 5).unwrap());
    assert_eq!(autumn.per_pupil.cost, Pence(6_598));
    assert_eq!(autumn.whole_cost, Pence(26_392));
    // A whole year of the licence is its annual share: 3000p.
    let year = p.whole_cost_between(&calendar(), d(2026, 9, 1), d(2027, 8, 31));
    assert_eq!(year.per_pupil.cost, p.annual_cost(39));
    c.other_cost = Some("writing_slope".into());
    assert_eq!(c.resolve(&roles(), &other_costs()).unwrap().annual_cost(39), Pence(17_125));
}

#[test]
fn r15_provision_starting_mid_term_counts_from_its_start() {
    // TA £15/h, 30 min twice a week, group of 2: 30 min and 750p a week for the pupil.
    // Starts Wed 4 Nov 2026; autumn ends Fri 18 Dec. Wed 4 – Fri 6 Nov = 3 days,
    // Mon 9 Nov – Fri 18 Dec = 6 weeks = 30 days; 33 days = 6.6 weeks.
    // Cost 750p × 6.6 = 4950p; time 30 × 6.6 = 198 min = 3.30 h.
    let p = resolved("teaching_assistant", 30, 2, 2, d(2026, 11, 4));
    let cal = calendar();
    let autumn = p.cost_between(&cal, d(2026, 9, 1), d(2026, 12, 31));
    assert_eq!(autumn.school_weeks, Fraction::new(33, 5).unwrap());
    assert_eq!(autumn.share_minutes, Fraction::int(198));
    assert_eq!(autumn.hours, "3.30");
    assert_eq!(autumn.cost, Pence(4_950));
    // From the start of term instead: 73 days = 14.6 weeks, 750p × 14.6 = 10950p.
    let from_start = resolved("teaching_assistant", 30, 2, 2, d(2026, 9, 2));
    assert_eq!(from_start.cost_between(&cal, d(2026, 9, 1), d(2026, 12, 31)).cost, Pence(10_950));
    // Ending Fri 27 Nov: 3 + 15 = 18 days = 3.6 weeks, 750p × 3.6 = 2700p.
    let mut c = costed("teaching_assistant", 30, 2, 2, d(2026, 11, 4));
    c.end = Some(d(2026, 11, 27));
    let ended = c.resolve(&roles(), &[]).unwrap();
    assert_eq!(ended.cost_between(&cal, d(2026, 9, 1), d(2026, 12, 31)).cost, Pence(2_700));
    // A period before it starts costs nothing.
    let before = p.cost_between(&cal, d(2026, 9, 1), d(2026, 11, 3));
    assert_eq!((before.school_weeks, before.cost), (Fraction::ZERO, Pence::ZERO));
}

#[test]
fn r15_date_range_spanning_a_holiday_counts_only_term_weeks() {
    // Teacher £40/h, 45 min three times a week, group of 6: 135 / 6 = 22.5 min and
    // 4000 × 22.5 / 60 = 1500p a week for the pupil.
    // Mon 14 Dec 2026 – Fri 15 Jan 2027 is 33 days, but only Mon 14 – Fri 18 Dec (5)
    // and Tue 5 – Fri 15 Jan (9) are in term: 14 days = 2.8 weeks.
    // Cost 1500p × 2.8 = 4200p = £42.00; time 22.5 × 2.8 = 63 min = 1.05 h.
    let p = resolved("teacher", 45, 3, 6, d(2026, 9, 2));
    let cal = calendar();
    let span = p.cost_between(&cal, d(2026, 12, 14), d(2027, 1, 15));
    assert_eq!(span.school_weeks, Fraction::new(14, 5).unwrap());
    assert_eq!(span.share_minutes, Fraction::int(63));
    assert_eq!(span.hours, "1.05");
    assert_eq!(span.cost.to_string(), "£42.00");
    // Wholly inside the Christmas holiday: nothing.
    assert_eq!(p.cost_between(&cal, d(2026, 12, 19), d(2027, 1, 4)).cost, Pence::ZERO);
}

#[test]
fn r15_totals_per_pupil_in_hours_and_pounds() {
    // Line 1: group of 4, 1 h a week: 15 min, £146.25 a year.
    // Line 2: teacher 45 min × 3, group of 6: 22.5 min, 1500p × 39 = £585.00.
    // Total 37.5 min = 0.625 h -> "0.63"; £731.25.
    let ps = [resolved("teaching_assistant", 60, 1, 4, d(2026, 9, 2)), resolved("teacher", 45, 3, 6, d(2026, 9, 2))];
    let year = pupil_annual_total(&ps, &calendar(), d(2026, 11, 23));
    assert_eq!(year.lines[1].annual_cost, Pence(58_500));
    assert_eq!(year.weekly_share_minutes, Fraction::new(75, 2).unwrap());
    assert_eq!(year.hours_per_week, "0.63");
    assert_eq!(year.annual_cost, Pence(73_125));
    // Over the holiday span (2.8 weeks): 375 × 2.8 = 1050p + 4200p = 5250p;
    // 15 × 2.8 + 63 = 105 min = 1.75 h.
    let span = pupil_period_total(&ps, &calendar(), d(2026, 12, 14), d(2027, 1, 15));
    assert_eq!(span.lines[0].cost, Pence(1_050));
    assert_eq!(span.cost, Pence(5_250));
    assert_eq!(span.hours, "1.75");
}

#[test]
fn r15_unknown_staff_role_names_the_role_and_lists_known_ones() {
    let err = costed("Mrs Green", 30, 1, 1, d(2026, 9, 2)).resolve(&roles(), &[]).unwrap_err();
    assert_eq!(fields(&err), vec![("staff_role", "unknown_staff_role")]);
    let msg = &err.errors[0].message;
    assert!(
        msg.contains("'Mrs Green'") && msg.contains("teaching_assistant (Teaching assistant)") && msg.contains("teacher (Teacher)"),
        "{msg}"
    );
    let err = costed("teacher", 30, 1, 1, d(2026, 9, 2)).resolve(&[], &[]).unwrap_err();
    assert!(err.errors[0].message.contains("no staff roles are set up yet"));
}

#[test]
fn r15_negative_minutes_zero_group_and_end_before_start_are_refused() {
    let mut c = costed("teacher", -30, 0, 0, d(2026, 9, 2));
    c.end = Some(d(2026, 9, 1));
    c.other_cost = Some("tablet".into());
    let err = c.resolve(&roles(), &other_costs()).unwrap_err();
    assert_eq!(
        fields(&err),
        vec![
            ("other_cost", "unknown_other_cost"),
            ("minutes_per_session", "out_of_range"),
            ("sessions_per_week", "out_of_range"),
            ("group_size", "out_of_range"),
            ("end", "end_before_start"),
        ]
    );
    assert!(err.errors[1].message.contains("got -30"));
    assert!(costed("teacher", 0, 1, 1, d(2026, 9, 2)).resolve(&roles(), &[]).is_err(), "zero minutes");
    assert!(costed("teacher", 601, 1, 1, d(2026, 9, 2)).resolve(&roles(), &[]).is_err(), "over 10 hours");
}

#[test]
fn r15_plan_provision_is_costed_with_a_role() {
    // The plan's provision: 30 min twice a week in a group of 4 = 15 min a week.
    let plan = crate::plan::tests::plan();
    let p = CostedProvision::from_plan(&plan.provision[0], "teaching_assistant", None).resolve(&roles(), &[]).unwrap();
    assert_eq!(p.weekly_share_minutes(), Fraction::int(15));
    assert_eq!(p.start(), d(2026, 11, 2));
}

#[test]
fn r34_recap_says_how_often_and_whether_it_runs() {
    let mut c = costed("teaching_assistant", 30, 2, 4, d(2026, 11, 2));
    c.end = Some(d(2026, 12, 18));
    let p = c.resolve(&roles(), &[]).unwrap();
    assert_eq!(p.how_often(), "2 sessions a week of 30 minutes, in a group of 4");
    assert_eq!(resolved("teacher", 20, 1, 1, d(2026, 9, 2)).how_often(), "1 session a week of 20 minutes, one-to-one");
    assert!(p.overlaps(d(2026, 12, 1), d(2027, 1, 31)));
    assert!(!p.overlaps(d(2027, 1, 1), d(2027, 1, 31)));
    assert_eq!(p.active_between(d(2026, 9, 1), d(2026, 11, 30)), Some((d(2026, 11, 2), d(2026, 11, 30))));
}

#[test]
fn r15_a_per_pupil_cost_is_bought_for_every_pupil_of_the_group() {
    // Group of 4 with a £25 writing slope each: over the whole year of 39 weeks the group
    // costs 58500p of staff time and 4 × 2500p = 10000p of slopes; each pupil 14625p + 2500p.
    let mut c = costed("teaching_assistant", 60, 1, 4, d(2026, 9, 2));
    c.other_cost = Some("writing_slope".into());
    let p = c.resolve(&roles(), &other_costs()).unwrap();
    let year = p.whole_cost_between(&calendar(), d(2026, 9, 1), d(2027, 8, 31));
    assert_eq!((year.whole_cost, year.per_pupil.cost), (Pence(68_500), Pence(17_125)));
}

#[test]
fn r15_a_provision_may_run_for_a_single_day() {
    let mut c = costed("teaching_assistant", 60, 1, 1, d(2026, 11, 2));
    c.end = Some(d(2026, 11, 2));
    let p = c.resolve(&roles(), &[]).unwrap();
    // Monday 2 November alone: a fifth of a week, 12 minutes and 300p.
    assert_eq!(p.cost_between(&calendar(), d(2026, 11, 1), d(2026, 11, 30)).cost, Pence(300));
}

/// `resolved` from `start` to `end`.
fn running(role: &str, minutes: i64, sessions: i64, group: i64, start: NaiveDate, end: Option<NaiveDate>) -> ResolvedProvision {
    let mut c = costed(role, minutes, sessions, group, start);
    c.end = end;
    c.resolve(&roles(), &other_costs()).unwrap()
}

#[test]
fn r15_part_year_provision_costs_only_the_weeks_it_runs() {
    let cal = calendar();
    let on = d(2026, 11, 23);
    // TA one-to-one an hour a day: 5 h = 7500p a week. All year from the first day of
    // term: 7500p × 39 = 292500p = £2,925.00, the full-year rate exactly; the same
    // when it started in an earlier year.
    let all_year = resolved("teaching_assistant", 60, 5, 1, d(2026, 9, 2));
    assert_eq!(all_year.year_cost(&cal, on), Pence(292_500));
    assert_eq!(all_year.year_cost(&cal, on), all_year.annual_cost(39));
    assert_eq!(resolved("teaching_assistant", 60, 5, 1, d(2025, 9, 3)).year_cost(&cal, on), Pence(292_500));
    // The spring term only (Tue 5 Jan – Fri 26 Mar 2027): 54 of the year's 195 school
    // days, 10.8 weeks: 292500p × 54 / 195 = 7500p × 10.8 = 81000p = £810.00, not
    // £2,925.00. The same whichever day of 2026–27 is asked about; nothing in 2027–28.
    let spring = running("teaching_assistant", 60, 5, 1, d(2027, 1, 5), Some(d(2027, 3, 26)));
    assert_eq!(spring.year_cost(&cal, on).to_string(), "£810.00");
    assert_eq!(spring.year_cost(&cal, d(2027, 7, 1)), Pence(81_000));
    assert_eq!(spring.year_cost(&cal, d(2027, 10, 1)), Pence::ZERO);
    // It is the cost over the year's dates, because these terms hold exactly 39 weeks.
    assert_eq!(spring.cost_between(&cal, d(2026, 9, 1), d(2027, 8, 31)).cost, Pence(81_000));
    // Rounded once, for the line: a group of 7 for an hour a week in spring is
    // 1500p / 7 × 10.8 = 16200p / 7 = 2314.29p -> 2314p (rounding the weekly 214.29p
    // first would give 214p × 10.8 = 2311p).
    let seven = running("teaching_assistant", 60, 1, 7, d(2027, 1, 5), Some(d(2027, 3, 26)));
    assert_eq!(seven.year_cost(&cal, on), Pence(2_314));
    // An other cost is pro-rated the same way: a group of 4 with a £120 licence in
    // spring: (375p × 39 + 12000p / 4) × 54 / 195 = 17625p × 54 / 195 = 4880.77p -> 4881p.
    let mut licensed = costed("teaching_assistant", 60, 1, 4, d(2027, 1, 5));
    licensed.end = Some(d(2027, 3, 26));
    licensed.other_cost = Some("reading_licence".into());
    assert_eq!(licensed.resolve(&roles(), &other_costs()).unwrap().year_cost(&cal, on), Pence(4_881));
}

#[test]
fn r15_provision_running_into_the_next_year_is_costed_in_each_year_for_its_days() {
    // 30 min twice a week in a group of 2 (750p a week) from Wed 4 Nov 2026, open-ended.
    // 2026–27: 33 + 54 + 68 = 155 school days = 31 weeks: 750p × 31 = 23250p.
    let p = resolved("teaching_assistant", 30, 2, 2, d(2026, 11, 4));
    let cal = calendar();
    assert_eq!(p.year_cost(&cal, d(2026, 11, 23)), Pence(23_250));
    assert_eq!(p.cost_between(&cal, d(2026, 9, 1), d(2027, 8, 31)).cost, Pence(23_250));
    // 2027–28 has no terms entered: every weekday counts, and it runs on all of them.
    assert_eq!(p.year_cost(&cal, d(2027, 10, 1)), Pence(29_250));
    // Ending on Thu 30 Sep 2027: 22 of that year's 262 weekdays: 29250p × 22 / 262 = 2456.11p -> 2456p.
    let ends = running("teaching_assistant", 30, 2, 2, d(2026, 11, 4), Some(d(2027, 9, 30)));
    assert_eq!(ends.year_cost(&cal, d(2027, 10, 1)), Pence(2_456));
    assert_eq!(ends.year_cost(&cal, d(2026, 11, 23)), Pence(23_250));
}

#[test]
fn r15_a_year_whose_terms_hold_more_weeks_is_scaled_to_weeks_per_year() {
    // 2026–27 entered as three terms with the half terms inside: 210 days = 42 weeks,
    // with 39 weeks a year for annual costs. TA one-to-one an hour a week (1500p).
    let mut cal = calendar();
    cal.terms = vec![
        Term { name: "Autumn".into(), start: d(2026, 9, 2), end: d(2026, 12, 18) },
        Term { name: "Spring".into(), start: d(2027, 1, 5), end: d(2027, 3, 26) },
        Term { name: "Summer".into(), start: d(2027, 4, 12), end: d(2027, 7, 21) },
    ];
    let on = d(2026, 11, 23);
    // All year: 1500p × 39 = 58500p, not the 42 weeks' 63000p the dates hold.
    let all_year = resolved("teaching_assistant", 60, 1, 1, d(2026, 9, 2));
    assert_eq!(all_year.year_cost(&cal, on), Pence(58_500));
    assert_eq!(all_year.cost_between(&cal, d(2026, 9, 1), d(2027, 8, 31)).cost, Pence(63_000));
    // Spring, 59 of the 210 days: 58500p × 59 / 210 = 16435.71p -> 16436p.
    let spring = running("teaching_assistant", 60, 1, 1, d(2027, 1, 5), Some(d(2027, 3, 26)));
    assert_eq!(spring.year_cost(&cal, on), Pence(16_436));
}

#[test]
fn r16_each_line_shows_how_its_cost_in_the_year_is_worked_out() {
    // TA £15/h, 60 min once a week in a group of 4 with a £120 licence per group,
    // from Wed 4 Nov 2026: 0.25 h a week, staff 1500p × 0.25 × 39 = 14625p a full
    // year, licence 12000p / 4 = 3000p, full year 17625p. It runs on 33 of Autumn 2's
    // school days and all 122 of spring and summer: 155 of 195. 17625p × 155 / 195 =
    // 14009.6p, rounded once: 14010p.
    let mut c = costed("teaching_assistant", 60, 1, 4, d(2026, 11, 4));
    c.other_cost = Some("reading_licence".into());
    let p = c.resolve(&roles(), &other_costs()).unwrap();
    let cal = calendar();
    let w = p.working(&cal, d(2026, 11, 20));
    assert_eq!(w.hourly_cost, Pence(1500));
    assert_eq!(w.hours_per_week, "0.25");
    assert_eq!(w.weeks_per_year, 39);
    assert_eq!(w.staff_full_year, Pence(14_625));
    assert_eq!(w.other_cost.as_deref(), Some("Reading programme licence"));
    assert_eq!(w.other_full_year, Pence(3_000));
    assert_eq!(w.full_year, Pence(17_625));
    assert_eq!((w.days_running, w.days_in_year), (155, 195));
    assert_eq!(w.year_cost, Pence(14_010));
    assert_eq!(w.year_cost, p.year_cost(&cal, d(2026, 11, 20)));
    // All year: every school day, the full-year rate.
    let all = resolved("teaching_assistant", 60, 1, 4, d(2026, 9, 2)).working(&cal, d(2026, 9, 2));
    assert_eq!((all.days_running, all.days_in_year, all.year_cost), (195, 195, Pence(14_625)));
    assert_eq!(all.other_cost, None);
    // The next academic year, with no terms entered: weekdays count, and provision
    // that ended before it runs on none of them.
    c.end = Some(d(2027, 7, 21));
    let ended = c.resolve(&roles(), &other_costs()).unwrap().working(&cal, d(2027, 10, 1));
    assert_eq!((ended.days_running, ended.year_cost), (0, Pence::ZERO));
    assert!(ended.days_in_year > 250, "{}", ended.days_in_year);
}
