use chrono::{NaiveDate, NaiveTime};

use super::*;
use crate::help_given::DeliveryAlert;
use crate::meeting::{AgreedAction, Held, Kind, Outcome, Person, Purpose, Role, Schedule};
use crate::plan::tests::plan;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn today() -> NaiveDate {
    d(2026, 11, 27)
}

/// A pupil on SEN support since September 2024, parents told, no plan, no meetings,
/// the cycle at its review (so no sessions are expected).
fn facts(id: i64) -> PupilFacts {
    PupilFacts {
        pupil: PupilId(id),
        name: format!("Pupil {id}"),
        status: SenStatus::K,
        support_since: Some(d(2024, 9, 1)),
        young_person: false,
        stage: Some(Stage::Review),
        plan: None,
        parents_told: true,
        meetings: vec![],
        concerns_waiting: vec![],
        requests_waiting: vec![],
        undecided_flags: 0,
        sessions: vec![],
        referrals_waiting: vec![],
        adjustments: None,
    }
}

fn meeting(on: NaiveDate, kind: Kind, held: bool) -> Meeting {
    let schedule = Schedule {
        on,
        at: NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default(),
        minutes: 30,
        kind,
        purpose: Purpose::Review,
        online: false,
        place: "Office".into(),
        invited: vec![Person { name: "Mrs Okafor".into(), role: Role::Parent, detail: String::new() }],
    };
    let outcome = if held {
        Outcome::Held(Held {
            held_on: on,
            attended: schedule.invited.clone(),
            notes: "Notes".into(),
            parent_views: String::new(),
            child_views: String::new(),
            actions: vec![],
        })
    } else {
        Outcome::Scheduled
    };
    Meeting { schedule, outcome }
}

fn checks(f: &PupilFacts) -> Vec<Check> {
    pupil_findings(f, DeliveryAlert::default(), today()).into_iter().map(|(c, _)| c).collect()
}

fn detail(f: &PupilFacts, check: Check) -> String {
    pupil_findings(f, DeliveryAlert::default(), today()).into_iter().find(|(c, _)| *c == check).map(|(_, d)| d).unwrap_or_default()
}

fn three_meetings() -> Vec<Meeting> {
    [d(2026, 1, 20), d(2026, 5, 5), d(2026, 10, 1)].into_iter().map(|on| meeting(on, Kind::SenSupport, true)).collect()
}

#[test]
fn r22_a_review_due_yesterday_is_overdue_and_one_due_in_four_weeks_is_due_soon() {
    let mut f = facts(1);
    f.meetings = three_meetings();
    f.plan = Some(crate::plan::PlanContent { review_date: d(2026, 11, 26), ..plan() });
    assert_eq!(checks(&f), vec![Check::ReviewsOverdue]);
    assert_eq!(detail(&f, Check::ReviewsOverdue), "Review was due on 26 November 2026 (yesterday)");
    f.plan = Some(crate::plan::PlanContent { review_date: today(), ..plan() });
    assert_eq!(checks(&f), vec![Check::ReviewsDueSoon], "due today is due, not overdue");
    f.plan = Some(crate::plan::PlanContent { review_date: d(2026, 12, 25), ..plan() });
    assert_eq!(checks(&f), vec![Check::ReviewsDueSoon], "28 days ahead");
    f.plan = Some(crate::plan::PlanContent { review_date: d(2026, 12, 26), ..plan() });
    assert_eq!(checks(&f), Vec::<Check>::new(), "29 days ahead is not due soon");
    f.stage = Some(Stage::Closed);
    f.plan = Some(crate::plan::PlanContent { review_date: d(2026, 11, 1), ..plan() });
    assert_eq!(checks(&f), vec![Check::NoReviewDate], "a closed cycle's date is history; no cycle is open");
    assert_eq!(detail(&f, Check::NoReviewDate), "No cycle is open");
}

#[test]
fn r22_a_pupil_on_sen_support_without_a_plan_has_no_review_date() {
    let mut f = facts(1);
    f.meetings = three_meetings();
    f.stage = Some(Stage::Assess);
    assert_eq!(checks(&f), vec![Check::NoReviewDate]);
    assert_eq!(detail(&f, Check::NoReviewDate), "The plan has not been agreed yet");
    f.status = SenStatus::E;
    assert_eq!(checks(&f), Vec::<Check>::new(), "an EHC plan has its own annual review");
}

#[test]
fn r22_plan_gaps_are_counted_from_the_current_plan() {
    let mut f = facts(1);
    f.meetings = three_meetings();
    let mut p = plan();
    p.outcomes[1].measure = " ".into();
    p.provision[0].outcomes = vec![];
    p.provision[0].what = "Regular access to a quiet space".into();
    f.plan = Some(p);
    assert_eq!(checks(&f), vec![Check::OutcomesWithoutMeasure, Check::ProvisionNotLinked, Check::VagueWording]);
    assert_eq!(detail(&f, Check::OutcomesWithoutMeasure), "Outcome 2 has no measure");
    assert_eq!(detail(&f, Check::ProvisionNotLinked), "Provision 1 serves no outcome");
    assert_eq!(
        detail(&f, Check::VagueWording),
        "Provision 1 says \"access to\", which says something is available, not that it is given (and 1 more)"
    );
}

#[test]
fn r22_parents_not_yet_told_is_listed() {
    let mut f = facts(1);
    f.meetings = three_meetings();
    f.plan = Some(plan());
    f.parents_told = false;
    assert_eq!(checks(&f), vec![Check::ParentsNotTold]);
    f.status = SenStatus::N;
    f.stage = None;
    assert_eq!(checks(&f), Vec::<Check>::new(), "no SEN and no cycle: nothing to tell");
}

#[test]
fn r22_a_meeting_twelve_months_and_one_day_ago_leaves_a_pupil_short() {
    let mut f = facts(1);
    f.plan = Some(plan());
    f.meetings = vec![
        meeting(d(2025, 11, 26), Kind::SenSupport, true),
        meeting(d(2026, 3, 1), Kind::SenSupport, true),
        meeting(d(2026, 7, 1), Kind::SenSupport, true),
    ];
    assert_eq!(checks(&f), vec![Check::FewMeetings]);
    assert_eq!(detail(&f, Check::FewMeetings), "2 of 3 meetings expected by now in the last twelve months");
    f.meetings[0] = meeting(d(2025, 11, 27), Kind::SenSupport, true);
    assert_eq!(checks(&f), Vec::<Check>::new(), "exactly twelve months ago still counts");
    f.meetings[0] = meeting(d(2026, 9, 1), Kind::ParentsEvening, true);
    assert_eq!(checks(&f), vec![Check::FewMeetings], "a parents' evening does not count");
}

#[test]
fn r22_a_pupil_who_joined_sen_support_four_months_ago_needs_one_meeting() {
    let mut f = facts(1);
    f.plan = Some(plan());
    f.support_since = Some(d(2026, 7, 27));
    assert_eq!(checks(&f), vec![Check::FewMeetings]);
    assert_eq!(detail(&f, Check::FewMeetings), "0 of 1 meeting expected by now in the last twelve months");
    f.meetings = vec![meeting(d(2026, 9, 15), Kind::SenSupport, true)];
    assert_eq!(checks(&f), Vec::<Check>::new());
    f.support_since = Some(d(2026, 7, 28));
    f.meetings = vec![];
    assert_eq!(checks(&f), Vec::<Check>::new(), "three months and thirty days: none expected yet");
}

#[test]
fn r22_meetings_without_notes_and_overdue_actions() {
    let mut f = facts(1);
    f.plan = Some(plan());
    f.meetings = three_meetings();
    f.meetings.push(meeting(d(2026, 11, 26), Kind::SenSupport, false));
    f.meetings.push(meeting(today(), Kind::SenSupport, false));
    if let Outcome::Held(h) = &mut f.meetings[2].outcome {
        h.actions = vec![
            AgreedAction { what: "a".into(), owner: "Ms Rivera".into(), due: d(2026, 11, 26), done_on: None },
            AgreedAction { what: "b".into(), owner: "Ms Rivera".into(), due: d(2026, 11, 20), done_on: Some(d(2026, 11, 21)) },
            AgreedAction { what: "c".into(), owner: "Ms Rivera".into(), due: today(), done_on: None },
        ];
    }
    assert_eq!(checks(&f), vec![Check::MeetingsWithoutNotes, Check::ActionsOverdue]);
    assert_eq!(detail(&f, Check::MeetingsWithoutNotes), "1 meeting(s) with nothing recorded, the first on 26 November 2026");
    assert_eq!(detail(&f, Check::ActionsOverdue), "1 action(s) overdue, the first due on 26 November 2026");
}

#[test]
fn r22_concerns_and_requests_waiting_say_how_long() {
    let mut f = facts(1);
    f.plan = Some(plan());
    f.meetings = three_meetings();
    f.concerns_waiting = vec![d(2026, 11, 20), d(2026, 10, 1)];
    f.requests_waiting = vec![today()];
    f.undecided_flags = 2;
    assert_eq!(checks(&f), vec![Check::ConcernsWaiting, Check::RequestsWaiting, Check::ProgressUndecided]);
    assert_eq!(detail(&f, Check::ConcernsWaiting), "2 concerns, the oldest from 1 October 2026 (57 days ago, over 4 weeks)");
    assert_eq!(detail(&f, Check::RequestsWaiting), "1 request, the oldest from 27 November 2026 (today, under a week)");
    assert_eq!(waiting_band(d(2026, 11, 21), today()), "under a week");
    assert_eq!(waiting_band(d(2026, 11, 20), today()), "1 to 4 weeks");
    assert_eq!(waiting_band(d(2026, 10, 30), today()), "1 to 4 weeks");
    assert_eq!(waiting_band(d(2026, 10, 29), today()), "over 4 weeks");
}

#[test]
fn r22_findings_count_every_check_in_order_with_the_pupils_it_concerns() {
    let mut a = facts(1);
    a.plan = Some(crate::plan::PlanContent { review_date: d(2026, 11, 1), ..plan() });
    a.meetings = three_meetings();
    let mut b = facts(2);
    b.plan = Some(crate::plan::PlanContent { review_date: d(2026, 11, 26), ..plan() });
    b.parents_told = false;
    b.meetings = three_meetings();
    let c = PupilFacts { status: SenStatus::N, stage: None, support_since: None, ..facts(3) };
    let all = findings(&[a, b, c], DeliveryAlert::default(), today());
    assert_eq!(all.len(), Check::ALL.len());
    assert_eq!(all.iter().map(|f| f.check).collect::<Vec<_>>(), Check::ALL.to_vec());
    let overdue = &all[0];
    assert_eq!((overdue.check, overdue.count), (Check::ReviewsOverdue, 2));
    assert_eq!(overdue.pupils.iter().map(|l| l.pupil).collect::<Vec<_>>(), vec![PupilId(1), PupilId(2)]);
    assert_eq!(overdue.pupils[0].detail, "Review was due on 1 November 2026 (26 days ago)");
    let told = all.iter().find(|f| f.check == Check::ParentsNotTold).map(|f| f.count);
    assert_eq!(told, Some(1));
    assert_eq!(all.iter().map(|f| f.count).sum::<usize>(), 3);
}

#[test]
fn r22_checks_have_stable_names_and_a_page_that_fixes_them() {
    for c in Check::ALL {
        assert_eq!(Check::from_slug(c.slug()), Some(c));
        assert!(!c.label().is_empty());
    }
    assert_eq!(Check::from_slug("everything"), None);
    assert_eq!(Check::ParentsNotTold.fix(), Fix::ParentsTold);
    assert_eq!(Check::FewMeetings.fix(), Fix::Meetings);
    assert_eq!(Check::ReviewsOverdue.fix(), Fix::Cycle);
    assert_eq!(Check::VagueWording.fix(), Fix::Plan);
    assert_eq!(Check::RequestsWaiting.fix(), Fix::Inbox);
    assert_eq!(Check::ProgressUndecided.fix(), Fix::Progress);
    assert_eq!(Check::HelpFallingShort.fix(), Fix::Delivery);
    assert_eq!(Check::FewMeetings.label(), "Fewer than three meetings with parents a year");
    assert_eq!(Check::HelpFallingShort.slug(), "help-falling-short");
    assert!(!Check::ReviewsDueSoon.is_warning());
    assert!(Check::ReviewsOverdue.is_warning());
}

#[test]
fn r37_help_falling_short_for_three_weeks_reaches_the_dashboard() {
    // The plan's provision: 2 × 30 minutes a week from 2 November; today Friday 27 November.
    let mut f = facts(1);
    f.meetings = three_meetings();
    f.plan = Some(plan());
    f.stage = Some(Stage::Do);
    let held = |date: NaiveDate, minutes: i64| crate::costing::SessionLog {
        date,
        held: true,
        minutes_delivered: minutes,
        attendees: vec![1],
        reason_missed: None,
        note: None,
    };
    f.sessions = vec![(1, held(d(2026, 11, 3), 30)), (1, held(d(2026, 11, 10), 30)), (1, held(d(2026, 11, 17), 30))];
    assert_eq!(checks(&f), vec![Check::HelpFallingShort]);
    assert_eq!(
        detail(&f, Check::HelpFallingShort),
        "Small-group language programme: under 80% of the planned time in each of the last 3 weeks (30 of 60 minutes in the week of 16 November 2026)"
    );
    f.sessions.push((1, held(d(2026, 11, 19), 30)));
    assert_eq!(checks(&f), Vec::<Check>::new(), "60 of 60 in the last complete week");
    f.sessions.pop();
    f.stage = Some(Stage::Review);
    assert_eq!(checks(&f), Vec::<Check>::new(), "only while the support is being delivered");
}

#[test]
fn r22_one_vague_phrase_is_named_without_a_count_of_more() {
    let mut f = facts(1);
    f.meetings = three_meetings();
    let mut p = plan();
    p.provision[0].what = "Regular reading".into();
    f.plan = Some(p);
    assert_eq!(detail(&f, Check::VagueWording), "Provision 1 says \"regular\", which does not say how often");
}

#[test]
fn r18_referrals_waiting_too_long_are_named_oldest_first() {
    let mut f = facts(1);
    f.meetings = three_meetings();
    f.referrals_waiting = vec![("Northshire CAMHS".into(), d(2026, 9, 1)), ("Speech and Language Therapy".into(), d(2026, 8, 28))];
    assert!(checks(&f).contains(&Check::ReferralsWaiting));
    assert_eq!(detail(&f, Check::ReferralsWaiting), "Speech and Language Therapy, sent on 28 August 2026: waiting 13 weeks (and 1 more)");
    f.referrals_waiting.pop();
    assert_eq!(detail(&f, Check::ReferralsWaiting), "Northshire CAMHS, sent on 1 September 2026: waiting 12 weeks");
    assert_eq!((Check::ReferralsWaiting.fix(), Check::ReferralsWaiting.slug()), (Fix::Referrals, "referrals-waiting"));
    f.referrals_waiting.clear();
    assert!(!checks(&f).contains(&Check::ReferralsWaiting));
}

#[test]
fn r35_adjustment_and_healthcare_plan_reviews_due_are_named_soonest_first() {
    use crate::adjustments::{Adjustment, AdjustmentKind, Adjustments, MedicalCondition};
    let mut f = facts(1);
    f.meetings = three_meetings();
    let laptop = Adjustment { kind: AdjustmentKind::Equipment, what: "A laptop for extended writing".into(), starts_on: d(2026, 9, 1), review_on: d(2026, 12, 20) };
    let plan = MedicalCondition { condition: "Epilepsy".into(), written_by: "Epilepsy nurse".into(), review_on: d(2026, 11, 2), emergency: "Time the seizure".into(), medicines: vec![] };
    f.adjustments = Some(Adjustments { adjustments: vec![laptop.clone()], conditions: vec![plan] });
    assert_eq!(detail(&f, Check::AdjustmentReviewsDue), "Healthcare plan: Epilepsy: review overdue since 2 November 2026 (and 1 more)");
    assert_eq!(Check::AdjustmentReviewsDue.fix(), Fix::Adjustments);
    f.adjustments = Some(Adjustments { adjustments: vec![Adjustment { review_on: d(2026, 12, 26), ..laptop }], conditions: vec![] });
    assert!(!checks(&f).contains(&Check::AdjustmentReviewsDue), "29 days away is not due yet");
}
