use chrono::NaiveDate;

use super::*;
use crate::plan::tests::plan;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
}

/// 2 sessions of 30 minutes a week (60 minutes), from Monday 2 November 2026.
fn provision() -> Provision {
    plan().provision.remove(0)
}

fn held(date: NaiveDate, minutes: i64, attendees: &[i64]) -> SessionLog {
    SessionLog { date, held: true, minutes_delivered: minutes, attendees: attendees.to_vec(), reason_missed: None, note: None }
}

fn missed(date: NaiveDate, why: &str) -> SessionLog {
    SessionLog { date, held: false, minutes_delivered: 0, attendees: vec![], reason_missed: Some(why.into()), note: None }
}

#[test]
fn r37_the_help_given_week_by_week_against_what_was_planned() {
    let logs = [
        held(d(11, 3), 30, &[7, 8]),
        held(d(11, 5), 30, &[8]), // another pupil only
        held(d(11, 10), 30, &[7]),
        missed(d(11, 12), "TA covering a class"),
        held(d(11, 17), 25, &[7]),
        held(d(11, 19), 30, &[7]),
    ];
    let h = help_given(&provision(), &logs, 7, d(10, 26), d(11, 20));
    assert_eq!(h.planned_per_week, 60);
    assert_eq!(h.weeks.len(), 3, "from the provision's start, not before: {:?}", h.weeks);
    let w: Vec<(NaiveDate, u32, u32, u32, u32)> =
        h.weeks.iter().map(|w| (w.monday, w.planned_minutes, w.delivered_minutes, w.sessions_held, w.sessions_missed)).collect();
    assert_eq!(w, vec![(d(11, 2), 60, 30, 1, 0), (d(11, 9), 60, 30, 1, 1), (d(11, 16), 60, 55, 2, 0)]);
    assert_eq!(h.weeks[1].reasons, vec!["TA covering a class"]);
}

#[test]
fn r37_a_provision_that_ended_is_not_planned_after_its_end() {
    let mut p = provision();
    p.end = Some(d(11, 8));
    let h = help_given(&p, &[], 7, d(11, 2), d(11, 20));
    assert_eq!(h.weeks.iter().map(|w| w.planned_minutes).collect::<Vec<_>>(), vec![60, 0, 0]);
    let mut late = provision();
    late.start = d(11, 14); // a Saturday: it starts running the next week
    let h = help_given(&late, &[], 7, d(11, 2), d(11, 20));
    assert_eq!(h.weeks.iter().map(|w| (w.monday, w.planned_minutes)).collect::<Vec<_>>(), vec![(d(11, 9), 0), (d(11, 16), 60)]);
}

#[test]
fn r37_this_half_term_starts_at_the_term_or_its_middle() {
    let terms = [(d(9, 2), d(12, 18)), (NaiveDate::from_ymd_opt(2027, 1, 5).unwrap_or_default(), NaiveDate::from_ymd_opt(2027, 3, 26).unwrap_or_default())];
    // 2 September to 18 December: 107 days; 53 days in is Sunday 25 October, whose
    // week starts on Monday 19 October.
    assert_eq!(half_term_start(&terms, d(10, 1)), d(9, 2));
    assert_eq!(half_term_start(&terms, d(10, 18)), d(9, 2));
    assert_eq!(half_term_start(&terms, d(10, 19)), d(10, 19));
    assert_eq!(half_term_start(&terms, d(11, 27)), d(10, 19));
    // Outside any term: the last six weeks.
    assert_eq!(half_term_start(&terms, d(12, 23)), d(11, 16));
    assert_eq!(half_term_start(&[], d(11, 27)), d(10, 19));
    assert_eq!(monday(d(11, 29)), d(11, 23));
    // A term of three days from a Wednesday: its middle's Monday is before it starts.
    assert_eq!(half_term_start(&[(d(11, 25), d(11, 27))], d(11, 27)), d(11, 25));
}

#[test]
fn r37_delivery_falling_short_for_three_complete_weeks_reaches_the_dashboard() {
    let alert = DeliveryAlert::default();
    let week = |m: NaiveDate, minutes: i64| vec![held(m, minutes, &[7])];
    // Weeks of 2, 9 and 16 November: 30, 45 and 47 of 60 (under 48, which is 80%).
    let logs: Vec<SessionLog> = [week(d(11, 3), 30), week(d(11, 10), 45), week(d(11, 17), 47)].concat();
    let h = help_given(&provision(), &logs, 7, d(11, 2), d(11, 23));
    assert_eq!(
        falling_short(&h, alert, d(11, 23)).as_deref(),
        Some("Small-group language programme: under 80% of the planned time in each of the last 3 weeks (47 of 60 minutes in the week of 16 November 2026)")
    );
    // 48 of 60 is 80%: not under it.
    let logs: Vec<SessionLog> = [week(d(11, 3), 30), week(d(11, 10), 45), week(d(11, 17), 48)].concat();
    let h = help_given(&provision(), &logs, 7, d(11, 2), d(11, 23));
    assert_eq!(falling_short(&h, alert, d(11, 23)), None);
    // The week of 16 November is not complete on Sunday 22 November: only two complete weeks.
    let logs: Vec<SessionLog> = [week(d(11, 3), 30), week(d(11, 10), 45), week(d(11, 17), 47)].concat();
    let h = help_given(&provision(), &logs, 7, d(11, 2), d(11, 22));
    assert_eq!(falling_short(&h, alert, d(11, 22)), None);
    assert!(falling_short(&h, DeliveryAlert { share: 80, weeks: 2 }, d(11, 22)).is_some());
    let one = falling_short(&h, DeliveryAlert { share: 80, weeks: 1 }, d(11, 22)).unwrap_or_default();
    assert!(one.contains("in the last complete week (45 of 60 minutes in the week of 9 November 2026)"), "{one}");
}

#[test]
fn r37_the_alert_is_a_checked_setting() {
    assert!(DeliveryAlert { share: 100, weeks: 12 }.validate().is_ok());
    let e = DeliveryAlert { share: 0, weeks: 13 }.validate().unwrap_err();
    let f: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(f, vec!["delivery_alert.share", "delivery_alert.weeks"]);
    assert!(DeliveryAlert { share: 101, weeks: 0 }.validate().is_err());
}

#[test]
fn r37_weeks_with_nothing_planned_are_not_counted_as_weeks_short() {
    // Ended on 22 November: the week of 23 November plans nothing; the three before were short.
    let mut p = provision();
    p.end = Some(d(11, 22));
    let logs = [held(d(11, 3), 10, &[7]), held(d(11, 10), 10, &[7]), held(d(11, 17), 10, &[7])];
    let h = help_given(&p, &logs, 7, d(11, 2), d(11, 30));
    assert_eq!(h.weeks.last().map(|w| w.planned_minutes), Some(0));
    assert!(falling_short(&h, DeliveryAlert::default(), d(11, 30)).is_some(), "{:?}", h.weeks);
}
