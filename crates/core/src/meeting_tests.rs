use chrono::{NaiveDate, NaiveTime};

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn today() -> NaiveDate {
    d(2026, 11, 27)
}

fn person(name: &str, role: Role) -> Person {
    Person { name: name.into(), role, detail: String::new() }
}

fn schedule(on: NaiveDate) -> Schedule {
    Schedule {
        on,
        at: NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default(),
        minutes: 45,
        kind: Kind::SenSupport,
        purpose: Purpose::Review,
        online: false,
        place: " SENCO's office ".into(),
        invited: vec![person("Mrs Okafor", Role::Parent), person("Ms Rivera", Role::Staff)],
    }
}

fn held(on: NaiveDate, attended: Vec<Person>) -> Meeting {
    let h = Held {
        held_on: on,
        attended,
        notes: "Talked through the plan".into(),
        parent_views: String::new(),
        child_views: String::new(),
        actions: vec![],
    };
    Meeting { schedule: Schedule { on, ..schedule(on) }, outcome: Outcome::Held(h) }
}

fn fields(r: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
    r.unwrap_err().errors.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn r14_a_meeting_is_scheduled_for_today_or_later_with_the_family_invited() {
    let s = schedule(d(2026, 12, 3)).validate(today()).unwrap();
    assert_eq!(s.place, "SENCO's office", "trimmed");
    assert!(schedule(today()).validate(today()).is_ok(), "today is allowed");
    assert_eq!(fields(schedule(d(2026, 11, 26)).validate(today())), vec![("on".into(), "in_past".into())]);
    let msg = schedule(d(2026, 11, 26)).validate(today()).unwrap_err().errors[0].message.clone();
    assert!(msg.contains("26 November 2026 has passed") && msg.contains("record it as held"), "{msg}");
    let staff_only = Schedule { invited: vec![person("Ms Rivera", Role::Staff)], ..schedule(d(2026, 12, 3)) };
    assert_eq!(fields(staff_only.clone().validate(today())), vec![("invited".into(), "no_family".into())]);
    assert!(Schedule { kind: Kind::ParentsEvening, ..staff_only }.validate(today()).is_ok(), "a consultation needs no family invited");
    let young = Schedule { invited: vec![person("Sam", Role::Child)], ..schedule(d(2026, 12, 3)) };
    assert!(young.validate(today()).is_ok(), "the young person alone");
}

#[test]
fn r14_a_schedule_names_a_place_a_length_and_a_role_for_a_supporter() {
    let s = Schedule {
        place: "  ".into(),
        minutes: 4,
        invited: vec![person("Mrs Okafor", Role::Parent), person("Ann Lee", Role::Supporter), person(" ", Role::Staff)],
        ..schedule(d(2026, 12, 3))
    };
    assert_eq!(
        fields(s.validate(today())),
        vec![
            ("minutes".into(), "out_of_range".into()),
            ("place".into(), "required".into()),
            ("invited[1].detail".into(), "required".into()),
            ("invited[2].name".into(), "required".into()),
        ]
    );
    let online = Schedule { online: true, place: String::new(), ..schedule(d(2026, 12, 3)) };
    let e = online.validate(today()).unwrap_err();
    assert!(e.errors[0].message.contains("online"), "{:?}", e.errors);
    assert!(Schedule { minutes: 480, ..schedule(d(2026, 12, 3)) }.validate(today()).is_ok());
    assert!(Schedule { minutes: 481, ..schedule(d(2026, 12, 3)) }.validate(today()).is_err());
    assert!(Schedule { minutes: 5, ..schedule(d(2026, 12, 3)) }.validate(today()).is_ok());
    let adviser = Person { name: "Ann Lee".into(), role: Role::Supporter, detail: "IASS adviser".into() };
    assert!(Schedule { invited: vec![person("Mrs Okafor", Role::Parent), adviser], ..schedule(d(2026, 12, 3)) }.validate(today()).is_ok());
}

#[test]
fn r14_a_meeting_already_held_is_dated_today_or_before() {
    assert!(schedule(d(2026, 11, 2)).validate_past(today()).is_ok());
    assert!(schedule(today()).validate_past(today()).is_ok());
    assert_eq!(fields(schedule(d(2026, 11, 28)).validate_past(today())), vec![("on".into(), "in_future".into())]);
}

#[test]
fn r14_recording_a_meeting_needs_who_came_notes_and_actions_with_owners() {
    let h = Held {
        held_on: d(2026, 11, 20),
        attended: vec![],
        notes: String::new(),
        parent_views: String::new(),
        child_views: String::new(),
        actions: vec![
            AgreedAction { what: "Share the reading plan".into(), owner: String::new(), due: d(2026, 12, 4), done_on: None },
            AgreedAction { what: "Book the therapist".into(), owner: "Ms Rivera".into(), due: d(2026, 11, 19), done_on: None },
        ],
    };
    assert_eq!(
        fields(h.clone().validate(today())),
        vec![
            ("attended".into(), "required".into()),
            ("notes".into(), "required".into()),
            ("actions[0].owner".into(), "required".into()),
            ("actions[1].due".into(), "before_meeting".into()),
        ]
    );
    let ok = Held {
        attended: vec![person("Mrs Okafor", Role::Parent)],
        notes: "Agreed the plan".into(),
        actions: vec![AgreedAction {
            what: "Share the reading plan".into(),
            owner: "Ms Rivera".into(),
            due: d(2026, 11, 20),
            done_on: Some(d(2026, 11, 21)),
        }],
        ..h.clone()
    };
    let v = ok.validate(today()).unwrap();
    assert_eq!(v.actions[0].done_on, None, "a new action is never done already");
    let future = Held { held_on: d(2026, 11, 28), attended: vec![person("Mrs Okafor", Role::Parent)], notes: "x".into(), actions: vec![], ..h };
    assert_eq!(fields(future.validate(today())), vec![("held_on".into(), "in_future".into())]);
}

#[test]
fn r14_a_scheduled_meeting_is_concluded_once() {
    let m = Meeting { schedule: schedule(d(2026, 11, 20)), outcome: Outcome::Scheduled };
    assert!(m.without_notes(today()), "its day has passed and nothing is recorded");
    assert!(!Meeting { schedule: schedule(today()), outcome: Outcome::Scheduled }.without_notes(today()), "today's is not late yet");
    let cancelled = conclude(&m, Outcome::Cancelled { on: d(2026, 11, 19), reason: " Parent unwell ".into() }, today()).unwrap();
    assert_eq!(cancelled.outcome, Outcome::Cancelled { on: d(2026, 11, 19), reason: "Parent unwell".into() });
    assert_eq!(cancelled.state(), "cancelled");
    assert!(!cancelled.without_notes(today()));
    assert_eq!(fields(conclude(&cancelled, Outcome::Scheduled, today())), vec![("state".into(), "already_concluded".into())]);
    assert_eq!(fields(conclude(&m, Outcome::Scheduled, today())), vec![("state".into(), "illegal_step".into())]);
    assert_eq!(
        fields(conclude(&m, Outcome::Cancelled { on: d(2026, 11, 28), reason: String::new() }, today())),
        vec![("reason".into(), "required".into()), ("on".into(), "in_future".into())]
    );
    let h = held(d(2026, 11, 20), vec![person("Mrs Okafor", Role::Parent)]);
    let done = conclude(&m, h.outcome.clone(), today()).unwrap();
    assert_eq!(done.state(), "held");
    assert_eq!(fields(conclude(&done, h.outcome, today())), vec![("state".into(), "already_concluded".into())]);
}

#[test]
fn r14_an_action_is_tracked_until_done() {
    let mut m = held(d(2026, 11, 10), vec![person("Mrs Okafor", Role::Parent)]);
    if let Outcome::Held(h) = &mut m.outcome {
        h.actions = vec![
            AgreedAction { what: "a".into(), owner: "Ms Rivera".into(), due: d(2026, 11, 26), done_on: None },
            AgreedAction { what: "b".into(), owner: "Mr Shah".into(), due: d(2026, 11, 27), done_on: None },
        ];
    }
    let overdue: Vec<&str> = m.overdue_actions(today()).map(|a| a.what.as_str()).collect();
    assert_eq!(overdue, vec!["a"], "due yesterday is overdue; due today is not");
    assert_eq!(fields(complete_action(&mut m.clone(), 0, d(2026, 11, 28), today())), vec![("done_on".into(), "in_future".into())]);
    assert_eq!(fields(complete_action(&mut m.clone(), 0, d(2026, 11, 9), today())), vec![("done_on".into(), "before_meeting".into())]);
    assert_eq!(fields(complete_action(&mut m.clone(), 2, today(), today())), vec![("action".into(), "not_found".into())]);
    complete_action(&mut m, 0, d(2026, 11, 10), today()).unwrap();
    assert_eq!(m.overdue_actions(today()).count(), 0);
    complete_action(&mut m, 0, today(), today()).unwrap();
    assert_eq!(m.held().map(|h| h.actions[0].done_on), Some(Some(d(2026, 11, 10))), "done once, on the first day");
    let mut scheduled = Meeting { schedule: schedule(d(2026, 12, 3)), outcome: Outcome::Scheduled };
    assert_eq!(fields(complete_action(&mut scheduled, 0, today(), today())), vec![("action".into(), "not_held".into())]);
}

#[test]
fn r14_only_a_sen_support_meeting_held_with_the_family_counts() {
    let with_parent = held(d(2026, 11, 20), vec![person("Mrs Okafor", Role::Parent), person("Ms Rivera", Role::Staff)]);
    assert!(with_parent.qualifies(false));
    let staff_only = held(d(2026, 11, 20), vec![person("Ms Rivera", Role::Staff)]);
    assert!(!staff_only.qualifies(false));
    let young_person = held(d(2026, 11, 20), vec![person("Sam", Role::Child)]);
    assert!(young_person.qualifies(true), "a young person of 16 or over meets for themself");
    assert!(!young_person.qualifies(false), "a younger child alone is not a meeting with the parents");
    let evening = Meeting { schedule: Schedule { kind: Kind::ParentsEvening, ..with_parent.schedule.clone() }, ..with_parent.clone() };
    assert!(!evening.qualifies(false), "a parents' evening never counts");
    let scheduled = Meeting { outcome: Outcome::Scheduled, ..with_parent };
    assert!(!scheduled.qualifies(false), "not held yet");
}

#[test]
fn r14_three_meetings_in_the_last_twelve_months() {
    let since = d(2024, 9, 1);
    // Exactly twelve months ago counts; twelve months and one day ago does not.
    let a = meetings_in_year(since, &[d(2025, 11, 27), d(2026, 3, 1), d(2026, 7, 1)], today());
    assert_eq!(a, MeetingsInYear { held: 3, expected: 3 });
    assert!(!a.short());
    let b = meetings_in_year(since, &[d(2025, 11, 26), d(2026, 3, 1), d(2026, 7, 1)], today());
    assert_eq!(b, MeetingsInYear { held: 2, expected: 3 });
    assert!(b.short());
    assert_eq!(b.in_words(), "2 of 3 meetings expected by now");
    let future = meetings_in_year(since, &[d(2026, 12, 1)], today());
    assert_eq!(future.held, 0, "a meeting dated after today is not held yet");
}

#[test]
fn r14_a_pupil_new_to_sen_support_is_expected_one_meeting_per_four_months() {
    // Joined four months ago: one meeting expected.
    let four = meetings_in_year(d(2026, 7, 27), &[], today());
    assert_eq!(four, MeetingsInYear { held: 0, expected: 1 });
    assert_eq!(four.in_words(), "0 of 1 meeting expected by now");
    // A day short of four months: none expected yet.
    assert_eq!(meetings_in_year(d(2026, 7, 28), &[], today()).expected, 0);
    assert_eq!(meetings_in_year(d(2026, 3, 27), &[], today()).expected, 2, "eight months");
    assert_eq!(meetings_in_year(d(2025, 11, 28), &[], today()).expected, 2, "a day short of a year: eleven full months");
    assert_eq!(meetings_in_year(d(2025, 11, 27), &[], today()).expected, 3, "a year to the day");
    assert_eq!(meetings_in_year(d(2026, 12, 1), &[], today()).expected, 0, "joining in the future");
    assert!(!meetings_in_year(d(2026, 7, 27), &[d(2026, 9, 10)], today()).short());
}

#[test]
fn r14_times_are_typed_as_people_write_them_and_said_in_words() {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
    assert_eq!(parse_time("15:30"), t(15, 30));
    assert_eq!(parse_time("3:30pm"), t(15, 30));
    assert_eq!(parse_time("3.30 PM"), t(15, 30));
    assert_eq!(parse_time("9am"), t(9, 0));
    assert_eq!(parse_time("12pm"), t(12, 0));
    assert_eq!(parse_time("25:00"), None);
    assert_eq!(parse_time("soon"), None);
    assert_eq!(time_in_words(NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default()), "3:30pm");
    assert_eq!(time_in_words(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()), "10am");
    let m = Meeting { schedule: schedule(d(2026, 12, 3)), outcome: Outcome::Scheduled };
    assert_eq!(m.when_in_words(), "Thursday 3 December 2026 at 3:30pm");
}

#[test]
fn r14_labels_and_codes_round_trip() {
    for k in Kind::ALL {
        assert_eq!(Kind::parse(k.as_str()), Some(k));
    }
    for p in Purpose::ALL {
        assert_eq!(Purpose::parse(p.as_str()), Some(p));
        assert!(!p.label().is_empty());
    }
    for r in Role::ALL {
        assert_eq!(Role::parse(r.as_str()), Some(r));
    }
    assert_eq!(Kind::parse("party"), None);
    assert!(Kind::ParentsEvening.label().contains("does not count"));
}

#[test]
fn r14_a_time_is_hh_mm_in_json() {
    let s = schedule(d(2026, 12, 3));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["at"], "15:30");
    let back: Schedule = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, s);
    let mut bad = json;
    bad["at"] = "teatime".into();
    let e = serde_json::from_value::<Schedule>(bad).unwrap_err().to_string();
    assert!(e.contains("'teatime' is not a time"), "{e}");
}

#[test]
fn r14_labels_say_what_people_read() {
    assert_eq!(Purpose::Planning.label(), "Planning the support");
    assert_eq!(Purpose::Review.label(), "Reviewing the plan");
    assert_eq!(Role::Parent.label(), "Parent or carer");
    assert_eq!(Role::Child.label(), "The child or young person");
    assert_eq!(Role::Specialist.label(), "Specialist");
}

#[test]
fn r14_the_limits_are_inclusive_and_today_counts() {
    let many = |n: usize| (0..n).map(|i| person(&format!("Person {i}"), Role::Staff)).chain([person("Mrs Okafor", Role::Parent)]).collect::<Vec<_>>();
    let with = |invited: Vec<Person>| Schedule { invited, ..schedule(d(2026, 12, 3)) }.validate(today());
    assert!(with(many(29)).is_ok(), "30 people may be listed");
    assert_eq!(fields(with(many(30))), vec![("invited".into(), "too_many".into())]);

    // Held today, with up to 50 actions, its text tidied.
    let action = |i: usize| AgreedAction { what: format!("Action {i}"), owner: "Ms Rivera".into(), due: today(), done_on: None };
    let h = |actions: Vec<AgreedAction>| Held {
        held_on: today(),
        attended: vec![person("Mrs Okafor", Role::Parent)],
        notes: "  Talked through the plan ".into(),
        parent_views: " Happy with it ".into(),
        child_views: " Likes the group ".into(),
        actions,
    };
    let ok = h((0..50).map(action).collect()).validate(today()).unwrap();
    assert_eq!((ok.notes.as_str(), ok.parent_views.as_str(), ok.child_views.as_str()), ("Talked through the plan", "Happy with it", "Likes the group"));
    assert_eq!(fields(h((0..51).map(action).collect()).validate(today())), vec![("actions".into(), "too_many".into())]);

    // An action done today, and a meeting cancelled today.
    let mut m = Meeting { schedule: schedule(today()), outcome: Outcome::Held(h(vec![action(0)])) };
    assert_eq!(complete_action(&mut m, 0, today(), today()), Ok(()));
    let scheduled = Meeting { schedule: schedule(today()), outcome: Outcome::Scheduled };
    let cancelled = conclude(&scheduled, Outcome::Cancelled { on: today(), reason: "Parent unwell".into() }, today()).unwrap();
    assert_eq!(cancelled.state(), "cancelled");
}
