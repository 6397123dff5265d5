//! Tests for [`super`]: the provision map with exact figures (R15, R34).

use super::*;
use crate::costing::test_support::{calendar, d, roles};
use crate::need::BroadArea::*;
use crate::plan::tests::{outcome, plan};

pub(crate) fn costing() -> SchoolCosting {
    let mut c = SchoolCosting::empty();
    c.settings.staff_roles = roles();
    c.settings.calendar = calendar();
    c
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn prov(
    number: u32,
    role: Option<&str>,
    kind: Option<&str>,
    minutes: u32,
    sessions: u32,
    group: u32,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Provision {
    Provision {
        number,
        what: format!("Provision {number}"),
        delivered_by: "Mrs Green".into(),
        minutes_per_session: minutes,
        sessions_per_week: sessions,
        group_size: group,
        start,
        end,
        outcomes: vec![1],
        staff_role: role.map(str::to_owned),
        provision_type: kind.map(str::to_owned),
        other_cost: None,
    }
}

pub(crate) fn pupil_plan(id: i64, name: &str, year: &str, area: BroadArea, provision: Vec<Provision>) -> PupilPlan {
    let mut content = plan();
    content.outcomes = vec![outcome(1)];
    content.provision = provision;
    PupilPlan { pupil_id: id, name: name.into(), year_group: year.into(), area: Some(area), plan_id: id * 10, closed_on: None, content }
}

/// Ann: TA an hour a week in a group of 4 from the start of term, and a teacher
/// one-to-one 30 minutes twice a week from Monday 2 November (mid-term).
fn ann() -> PupilPlan {
    pupil_plan(
        1,
        "Ann Example",
        "3",
        CognitionAndLearning,
        vec![
            prov(1, Some("teaching_assistant"), Some("small_group_work"), 60, 1, 4, d(2026, 9, 2), None),
            prov(2, Some("teacher"), Some("special_learning_programme"), 30, 2, 1, d(2026, 11, 2), None),
        ],
    )
}

#[test]
fn r15_map_over_a_range_spanning_the_christmas_holiday() {
    // Tue 1 Dec 2026 – Sun 31 Jan 2027: 14 school days in December (1–18), none in the
    // holiday (19 Dec – 4 Jan), 19 in January (5–29): 33 days = 6.6 school weeks.
    // Group of 4: 15 min a week × 6.6 = 99 min = 1.65 h; 375p × 6.6 = 2475p.
    // Teacher 1:1: 60 min a week × 6.6 = 396 min = 6.60 h; 4000p × 6.6 = 26400p.
    let mut ended = pupil_plan(
        2,
        "Ben Example",
        "5",
        SocialEmotionalMentalHealth,
        vec![prov(1, Some("teaching_assistant"), None, 30, 1, 1, d(2026, 9, 2), Some(d(2026, 9, 30)))],
    );
    ended.plan_id = 20;
    let m = provision_map(&[ann(), ended], &costing(), d(2026, 12, 1), d(2027, 1, 31));
    assert_eq!(m.school_weeks, Fraction::new(33, 5).unwrap());
    assert_eq!(m.pupils.len(), 1, "Ben's provision ended in September");
    let a = &m.pupils[0];
    let group = &a.lines[0];
    assert_eq!((group.hours_per_week.as_str(), group.share_bp, group.annual_cost), ("0.25", 2500, Some(Pence(14_625))));
    let period = group.period.as_ref().unwrap();
    assert_eq!((period.share_minutes, period.hours.as_str(), period.cost), (Fraction::int(99), "1.65", Some(Pence(2_475))));
    let one = a.lines[1].period.as_ref().unwrap();
    assert_eq!((one.share_minutes, one.hours.as_str(), one.cost), (Fraction::int(396), "6.60", Some(Pence(26_400))));
    assert_eq!(a.lines[1].how_often, "2 sessions a week of 30 minutes, one-to-one");
    // In 2026–27 the teacher runs from 2 November: 35 + 54 + 68 = 157 of the year's 195
    // school days, 31.4 weeks: 4000p × 31.4 = 125600p, not a full year's 156000p.
    assert_eq!(a.lines[1].annual_cost, Some(Pence(125_600)));
    // Totals: 1.25 h a week; £146.25 + £1,256.00 = £1,402.25 a year; 8.25 h and
    // £288.75 in the range.
    assert_eq!((a.hours_per_week.as_str(), a.annual_cost.to_string()), ("1.25", "£1,402.25".to_owned()));
    assert_eq!((a.period_hours.as_str(), a.period_cost), ("8.25", Pence(28_875)));
    assert_eq!(a.threshold.as_ref().map(|t| t.under_by.to_string()), Some("£4,597.75".to_owned()));
    assert_eq!((m.annual_cost, m.period_cost, m.not_costed), (Pence(140_225), Pence(28_875), 0));
    assert_eq!((m.year_start, m.year_end), (d(2026, 9, 1), d(2027, 8, 31)));
}

#[test]
fn r15_provision_starting_mid_term_counts_only_from_its_start() {
    // Autumn term (1 Sep – 18 Dec): the group runs 73 days = 14.6 weeks: 375p × 14.6 =
    // 5475p, 219 min = 3.65 h. The teacher starts Mon 2 Nov: 35 days = 7 weeks:
    // 4000p × 7 = 28000p, 7.00 h.
    let m = provision_map(&[ann()], &costing(), d(2026, 9, 1), d(2026, 12, 18));
    let lines = &m.pupils[0].lines;
    let p = |i: usize| lines[i].period.clone().unwrap();
    assert_eq!((p(0).school_weeks, p(0).hours.as_str(), p(0).cost), (Fraction::new(73, 5).unwrap(), "3.65", Some(Pence(5_475))));
    assert_eq!((p(1).school_weeks, p(1).hours.as_str(), p(1).cost), (Fraction::int(7), "7.00", Some(Pence(28_000))));
    assert_eq!(m.pupils[0].period_cost, Pence(33_475));
    // Before 2 November only the group runs: 0.25 h a week in October. The teacher's
    // provision is planned for later in the year, so it is listed with nothing in
    // October, and its £1,256.00 counts in Ann's cost for the year.
    let oct = provision_map(&[ann()], &costing(), d(2026, 10, 1), d(2026, 10, 31));
    let a = &oct.pupils[0];
    assert_eq!(a.lines.len(), 2);
    let later = a.lines[1].period.as_ref().unwrap();
    assert_eq!((later.school_weeks, later.cost, a.lines[1].annual_cost), (Fraction::ZERO, Some(Pence::ZERO), Some(Pence(125_600))));
    assert_eq!((a.hours_per_week.as_str(), a.annual_cost), ("0.25", Pence(140_225)));
}

#[test]
fn r15_a_closed_cycle_stops_its_provision_and_uncosted_lines_are_listed() {
    // Cycle closed Thu 10 Dec: the group runs 1–10 Dec = 8 days = 1.6 weeks: 600p.
    let mut closed = ann();
    closed.closed_on = Some(d(2026, 12, 10));
    closed.content.provision[1].staff_role = None;
    let m = provision_map(&[closed], &costing(), d(2026, 12, 1), d(2027, 1, 31));
    let lines = &m.pupils[0].lines;
    assert_eq!(lines[0].end, Some(d(2026, 12, 10)));
    assert_eq!(lines[0].period.as_ref().unwrap().cost, Some(Pence(600)));
    // No staff role: hours are still shown (1 h a week × 1.6 = 1.60 h), no money.
    assert_eq!((lines[1].annual_cost, lines[1].period.as_ref().unwrap().hours.as_str()), (None, "1.60"));
    assert_eq!(lines[1].period.as_ref().unwrap().share_minutes, Fraction::int(96));
    assert_eq!((lines[0].staff_role.as_deref(), lines[1].staff_role.as_deref()), (Some("Teaching assistant"), None));
    assert!(lines[1].not_costed.as_deref().unwrap().starts_with("Choose the staff role"));
    // The group ran 2 Sep – 10 Dec in 2026–27: 38 + 29 = 67 school days, 13.4 weeks:
    // 375p × 13.4 = 5025p for the year.
    assert_eq!((m.not_costed, m.pupils[0].annual_cost), (1, Pence(5_025)));
}

#[test]
fn r15_by_provision_sums_pupils_shares() {
    // Four pupils in the same group of 4: 4 × 15 min = 1.00 h a week; 4 × £146.25 = £585.00.
    let plans: Vec<_> = (1..=4)
        .map(|i| {
            pupil_plan(
                i,
                &format!("Pupil {i}"),
                "4",
                CognitionAndLearning,
                vec![prov(1, Some("teaching_assistant"), Some("small_group_work"), 60, 1, 4, d(2026, 9, 2), None)],
            )
        })
        .collect();
    let m = provision_map(&plans, &costing(), d(2026, 9, 1), d(2027, 8, 31));
    assert_eq!(m.by_provision.len(), 1);
    let s = &m.by_provision[0];
    assert_eq!((s.pupils, s.hours_per_week.as_str(), s.annual_cost), (4, "1.00", Pence(58_500)));
    assert_eq!(s.provision_type_label.as_deref(), Some("Small-group work"));
    // The whole school year is 39 weeks, as annual costs assume: 4 × 375p × 39 = 58500p,
    // the same as the annual cost.
    assert_eq!(s.period_cost, Pence(58_500));
    assert_eq!(s.period_cost, s.annual_cost);
}

#[test]
fn r15_successive_plans_are_not_added_together() {
    // Ann's first plan closed on Fri 4 Dec; her next plan carries on the same group
    // from Mon 7 Dec. Over December both plans' lines are listed, each with its own
    // cost in the range (4 + 10 days: 300p + 750p). Each costs its own part of the
    // year: 2 Sep – 4 Dec is 63 school days = 12.6 weeks, 4725p; 7 Dec – 21 Jul is
    // 132 = 26.4 weeks, 9900p: the group's £146.25 once, not twice.
    let group = |start| vec![prov(1, Some("teaching_assistant"), Some("small_group_work"), 60, 1, 4, start, None)];
    let mut first = pupil_plan(1, "Ann Example", "3", CognitionAndLearning, group(d(2026, 9, 2)));
    first.closed_on = Some(d(2026, 12, 4));
    let mut next = pupil_plan(1, "Ann Example", "3", CognitionAndLearning, group(d(2026, 12, 7)));
    next.plan_id = 11;
    let m = provision_map(&[first.clone(), next.clone()], &costing(), d(2026, 12, 1), d(2026, 12, 31));
    assert_eq!(m.pupils.len(), 1);
    let a = &m.pupils[0];
    assert_eq!(a.lines.len(), 2);
    assert_eq!((a.lines[0].annual_cost, a.lines[1].annual_cost), (Some(Pence(4_725)), Some(Pence(9_900))));
    assert_eq!((a.annual_cost, a.hours_per_week.as_str()), (Pence(14_625), "0.25"));
    assert_eq!(a.period_cost, Pence(1_050));
    assert_eq!((m.by_provision[0].pupils, m.by_provision[0].annual_cost, m.by_provision[0].period_cost), (1, Pence(14_625), Pence(1_050)));
    // The next plan's group entered as running from 2 September is still costed only
    // from the day after the first plan closed (Sat 5 Dec): no day is costed twice.
    next.content.provision[0].start = d(2026, 9, 2);
    let m = provision_map(&[first.clone(), next.clone()], &costing(), d(2026, 12, 1), d(2026, 12, 31));
    let a = &m.pupils[0];
    assert_eq!((a.lines[1].start, a.lines[1].annual_cost, a.annual_cost), (d(2026, 12, 5), Some(Pence(9_900)), Pence(14_625)));
    assert_eq!((a.hours_per_week.as_str(), a.period_cost), ("0.25", Pence(1_050)));
    // The threshold report on 1 December agrees. By 10 December the first plan's
    // provision has ended, so only the next plan's part of the year is current.
    let on = |day| crate::costing::threshold_report(&[first.clone(), next.clone()], &costing(), day).unwrap().pupils[0].annual_cost;
    assert_eq!((on(d(2026, 12, 1)), on(d(2026, 12, 10))), (Pence(14_625), Pence(9_900)));
}

/// A pupil with TA one-to-one every day all year (`hours` a week) and TA one-to-one
/// in the spring term only (`spring_hours` a week, Tue 5 Jan – Fri 26 Mar 2027).
fn all_year_and_spring(id: i64, name: &str, hours: u32, spring_hours: u32) -> PupilPlan {
    pupil_plan(
        id,
        name,
        "4",
        CognitionAndLearning,
        vec![
            prov(1, Some("teaching_assistant"), Some("extra_adult_help"), hours * 12, 5, 1, d(2026, 9, 2), None),
            prov(2, Some("teaching_assistant"), Some("small_group_work"), spring_hours * 20, 3, 1, d(2027, 1, 5), Some(d(2027, 3, 26))),
        ],
    )
}

#[test]
fn r16_map_flag_and_threshold_page_agree_for_the_same_pupil_and_day() {
    // Ava: 10 h a week all year, 1500p × 10 × 39 = 585000p; 2 h a week in spring only,
    // 3000p × 10.8 weeks = 32400p: £6,174.00, £174.00 above £6,000.
    // Bo: 9 h all year, 13500p × 39 = 526500p; 3 h in spring, 4500p × 10.8 = 48600p:
    // £5,751.00, £249.00 below (costed as if it ran all year, the spring help would
    // have been 175500p, putting Bo at £7,020.00 and above).
    let plans = [all_year_and_spring(1, "Ava Example", 10, 2), all_year_and_spring(2, "Bo Example", 9, 3)];
    let c = costing();
    let check = |day: NaiveDate, to: NaiveDate, ava: i64, bo: i64| {
        let page = crate::costing::threshold_report(&plans, &c, day).unwrap();
        let map = provision_map(&plans, &c, day, to);
        for (id, pence) in [(1, ava), (2, bo)] {
            let on_page = page.pupils.iter().find(|p| p.pupil_id == id).unwrap();
            let on_map = map.pupils.iter().find(|p| p.pupil_id == id).unwrap();
            assert_eq!((on_page.annual_cost, on_map.annual_cost), (Pence(pence), Pence(pence)), "pupil {id} on {day}, map to {to}");
            assert_eq!(on_page.threshold, on_map.threshold, "pupil {id} on {day}");
            // The map's table adds up to the pupil's cost for the year.
            assert_eq!(on_map.lines.iter().filter_map(|l| l.annual_cost).sum::<Pence>(), on_map.annual_cost);
        }
    };
    // Before spring, whether the map runs over the whole year, the rest of the
    // autumn term or a single day: spring is planned for the year, so it counts.
    check(d(2026, 9, 1), d(2027, 8, 31), 617_400, 575_100);
    check(d(2026, 11, 23), d(2026, 12, 18), 617_400, 575_100);
    check(d(2026, 11, 23), d(2026, 11, 23), 617_400, 575_100);
    // During spring.
    check(d(2027, 2, 1), d(2027, 2, 1), 617_400, 575_100);
    // After spring the spring help has ended: it is not current, so only the all-year
    // help counts, and Ava falls below the threshold.
    check(d(2027, 4, 19), d(2027, 7, 21), 585_000, 526_500);
    let page = crate::costing::threshold_report(&plans, &c, d(2026, 11, 23)).unwrap();
    assert_eq!((page.above, page.at, page.below), (1, 0, 1));
    let ava = page.pupils[0].threshold.as_ref().unwrap();
    assert_eq!((page.pupils[0].name.as_str(), ava.over_by.to_string()), ("Ava Example", "£174.00".to_owned()));
    assert_eq!(page.pupils[1].threshold.as_ref().unwrap().under_by.to_string(), "£249.00");
    // Hours a week: the most at any one time from the day to the year's end (12 h in
    // spring for Ava); on the map, the most in its range (10 h in the autumn).
    assert_eq!(page.pupils[0].hours_per_week, "12.00");
    assert_eq!(provision_map(&plans, &c, d(2026, 11, 23), d(2026, 12, 18)).pupils[0].hours_per_week, "10.00");
    assert_eq!((page.year_start, page.year_end), (d(2026, 9, 1), d(2027, 8, 31)));
}

#[test]
fn r34_recap_lists_who_gives_what_how_often_and_what_is_planned() {
    let mut a = ann();
    a.content.provision[1].delivered_by = "Mr Ahmed".into();
    let rows = crate::costing::recap::meeting_recap(&[a], &costing().library(), &roles(), d(2026, 10, 1), d(2026, 10, 31));
    assert_eq!(rows.len(), 1, "the teacher's sessions start in November");
    let r = &rows[0];
    assert_eq!(
        (r.delivered_by.as_str(), r.staff_role.as_deref(), r.name.as_str()),
        ("Mrs Green", Some("Teaching assistant"), "Ann Example")
    );
    assert_eq!(r.how_often, "1 session a week of 60 minutes, in a group of 4");
    assert_eq!(r.outcomes, vec!["Outcome 1 (target: 40 words by 12 February 2027)"]);
    assert_eq!(r.provision_type_label.as_deref(), Some("Small-group work"));
    let rows = crate::costing::recap::meeting_recap(&[ann()], &[], &roles(), d(2026, 11, 1), d(2026, 11, 30));
    assert_eq!(rows.len(), 2);
    // Provision starting on the range's last day, or ending on its first, is in it.
    let on_the_edge = |from, to| crate::costing::recap::meeting_recap(&[ann()], &[], &roles(), from, to).len();
    assert_eq!(on_the_edge(d(2026, 10, 5), d(2026, 11, 2)), 2, "the teacher starts on the last day");
    assert_eq!(on_the_edge(d(2026, 10, 5), d(2026, 10, 30)), 1, "the teacher has not started");
    let mut ended = ann();
    ended.content.provision[0].end = Some(d(2026, 11, 2));
    assert_eq!(crate::costing::recap::meeting_recap(&[ended.clone()], &[], &roles(), d(2026, 11, 2), d(2026, 11, 30)).len(), 2);
    assert_eq!(crate::costing::recap::meeting_recap(&[ended], &[], &roles(), d(2026, 11, 3), d(2026, 11, 30)).len(), 1);
}
