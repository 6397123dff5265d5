//! Tests for [`super`]: threshold and budget reports with exact figures (R16, R17).

use super::*;
use crate::costing::map::tests::{costing, prov, pupil_plan};
use crate::costing::settings::SenBudget;
use crate::costing::test_support::d;
use crate::need::BroadArea::*;

/// Cara: TA one-to-one 2 h a day (10 h a week) and an hour a week in a group of 4.
/// Dev: the same 10 h, and an hour a week in a group of 2.
fn plans() -> Vec<PupilPlan> {
    let start = d(2026, 9, 2);
    let daily = |kind| prov(1, Some("teaching_assistant"), kind, 120, 5, 1, start, None);
    vec![
        pupil_plan(
            1,
            "Cara Example",
            "3",
            CognitionAndLearning,
            vec![daily(Some("extra_adult_help")), prov(2, Some("teaching_assistant"), Some("small_group_work"), 60, 1, 4, start, None)],
        ),
        pupil_plan(
            2,
            "Dev Example",
            "R",
            SocialEmotionalMentalHealth,
            vec![daily(Some("extra_adult_help")), prov(2, Some("teaching_assistant"), None, 60, 1, 2, start, None)],
        ),
    ]
}

#[test]
fn r16_pupils_just_below_and_just_above_6000() {
    // Cara: 1500p × 10 h × 39 = 585000p + 14625p = 599625p = £5,996.25, £3.75 below.
    // Dev: 585000p + 1500p × 39 / 2 = 29250p: 614250p = £6,142.50, £142.50 above.
    let r = threshold_report(&plans(), &costing(), d(2026, 10, 1)).unwrap();
    assert_eq!(r.threshold, Pence(600_000));
    assert_eq!((r.above, r.at, r.below), (1, 0, 1));
    let dev = &r.pupils[0];
    let t = dev.threshold.as_ref().unwrap();
    assert_eq!(
        (dev.name.as_str(), dev.annual_cost.to_string(), t.over_by.to_string()),
        ("Dev Example", "£6,142.50".to_owned(), "£142.50".to_owned())
    );
    assert!(t.element3_candidate);
    assert_eq!(dev.hours_per_week, "10.50");
    let cara = &r.pupils[1];
    let t = cara.threshold.as_ref().unwrap();
    assert_eq!((cara.annual_cost, t.under_by.to_string(), t.element3_candidate), (Pence(599_625), "£3.75".to_owned(), false));
    assert_eq!(cara.hours_per_week, "10.25");
    // £6,000 buys 600000 / (1500 × 39) = 10.26 hours a week of the cheapest role (TA).
    assert_eq!(r.threshold_hours_per_week.as_deref(), Some("10.3"));
}

#[test]
fn r16_ended_provision_and_closed_cycles_are_not_current() {
    let mut p = plans();
    p[0].content.provision[1].end = Some(d(2026, 9, 30));
    p[1].closed_on = Some(d(2026, 9, 30));
    let r = threshold_report(&p, &costing(), d(2026, 10, 1)).unwrap();
    assert_eq!(r.pupils.len(), 1);
    assert_eq!(r.pupils[0].annual_cost, Pence(585_000));
    assert!(threshold_report(&p, &costing(), d(2015, 1, 1)).is_none(), "no threshold in force before April 2015");
}

#[test]
fn r16_provision_starting_later_is_committed_and_counts_for_its_part_of_the_year() {
    // On 1 October, Cara's group starts on Mon 2 November: it is planned for this
    // year, so it counts, for the 157 of the year's 195 school days it runs (31.4
    // weeks): 375p × 31.4 = 11775p. Her daily help ends on the day asked about, so it
    // is current, for 2 Sep – 1 Oct: 22 days = 4.4 weeks, 15000p × 4.4 = 66000p.
    // She is at £777.75 for the year, not the £5,996.25 of a full year of both.
    let mut p = plans();
    p[0].content.provision[1].start = d(2026, 11, 2);
    p[0].content.provision[0].end = Some(d(2026, 10, 1));
    let r = threshold_report(&p, &costing(), d(2026, 10, 1)).unwrap();
    let cara = r.pupils.iter().find(|x| x.name == "Cara Example").unwrap();
    assert_eq!((cara.annual_cost, cara.lines.len()), (Pence(77_775), 2));
    assert_eq!((cara.lines[0].annual_cost, cara.lines[1].annual_cost), (Some(Pence(66_000)), Some(Pence(11_775))));
    // The budget commits the same figures: 77775p + Dev's 614250p.
    let budget = budget_on_day(&p, &costing_with_budget(), d(2026, 10, 1)).unwrap();
    assert_eq!(budget.committed, Pence(692_025), "the budget commits the later provision too");
    // Provision starting in the next academic year is not planned for this one.
    p[0].content.provision[1].start = d(2027, 9, 6);
    let r = threshold_report(&p, &costing(), d(2026, 10, 1)).unwrap();
    let cara = r.pupils.iter().find(|x| x.name == "Cara Example").unwrap();
    assert_eq!((cara.annual_cost, cara.lines.len()), (Pence(66_000), 1));
}

#[test]
fn r16_a_cycle_closed_after_the_day_asked_about_was_current_on_it() {
    // Dev's cycle closed on Fri 18 Dec; asked about 23 November his provision was in
    // place, for 2 Sep – 18 Dec: 73 school days = 14.6 weeks: (15000p + 750p) × 14.6 =
    // 229950p. Asked about 4 January, it had ended.
    let mut p = plans();
    p[1].closed_on = Some(d(2026, 12, 18));
    let r = threshold_report(&p, &costing(), d(2026, 11, 23)).unwrap();
    let dev = r.pupils.iter().find(|x| x.name == "Dev Example").unwrap();
    assert_eq!(dev.annual_cost, Pence(229_950));
    let r = threshold_report(&p, &costing(), d(2027, 1, 4)).unwrap();
    assert!(r.pupils.iter().all(|x| x.name != "Dev Example"));
}

fn costing_with_budget() -> SchoolCosting {
    let mut c = costing();
    c.settings.sen_budgets = vec![SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence(2_000_000) }];
    c
}

#[test]
fn r17_budget_by_area_type_and_year_group() {
    // Budget £20,000 (April 2026 – March 2027). Committed 599625 + 614250 = 1213875p =
    // £12,138.75; remaining £7,861.25; used 60.69375% -> 6069 bp.
    let mut c = costing();
    c.settings.sen_budgets = vec![SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence::from_pounds(20_000) }];
    let b = budget_on_day(&plans(), &c, d(2026, 10, 1)).unwrap();
    assert_eq!(
        (b.committed.to_string(), b.remaining.to_string(), b.used_bp),
        ("£12,138.75".to_owned(), "£7,861.25".to_owned(), Some(6069))
    );
    let area: Vec<_> = b.by_area.iter().map(|r| (r.key.as_str(), r.committed.0)).collect();
    assert_eq!(area[1], ("cognition_and_learning", 599_625));
    assert_eq!(area[2], ("social_emotional_mental_health", 614_250));
    let types: Vec<_> = b.by_provision_type.iter().map(|r| (r.label.as_str(), r.committed.0)).collect();
    assert_eq!(types, vec![("Extra adult help", 1_170_000), ("Small-group work", 14_625), ("Type not recorded", 29_250)]);
    let years: Vec<_> = b.by_year_group.iter().map(|r| (r.label.as_str(), r.committed.0)).collect();
    assert_eq!(years, vec![("Reception", 614_250), ("Year 3", 599_625)]);
    assert!(budget_on_day(&plans(), &c, d(2027, 4, 1)).is_none(), "no budget for 2027-28");
    assert!(!b.over_budget);
    // Committed exactly the budget is not over it; a penny more is.
    c.settings.sen_budgets[0].amount = Pence(1_213_875);
    assert!(!budget_on_day(&plans(), &c, d(2026, 10, 1)).unwrap().over_budget);
    c.settings.sen_budgets[0].amount = Pence(1_213_874);
    let over = budget_on_day(&plans(), &c, d(2026, 10, 1)).unwrap();
    assert!(over.over_budget);
    assert_eq!(over.remaining, Pence(-1));
}
