//! Costing settings, plans' costed provision and reports (R11, R15, R16, R17, R29, R34), each test written
//! once and run on SQLite and PostgreSQL, with exact figures on worked examples.
//!
//! The calendar of every example is 2026–27 in six half terms (`testing::calendar`:
//! autumn 2 Sep – 23 Oct and 2 Nov – 18 Dec 2026, spring 5 Jan – 12 Feb and 22 Feb –
//! 26 Mar 2027, summer 12 Apr – 28 May and 7 Jun – 21 Jul 2027): 195 days, the 39 weeks
//! a year of annual costs; a teaching assistant costs £15.00 an hour and a teacher £40.00.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_app::costing::Use;
use senplan_app::cycles::transition;
use senplan_app::delivery::log_session;
use senplan_app::plans::{draft_plan, update_plan};
use senplan_core::costing::{CostingSettings, Dated, Fraction, ImpactInput, Pence, SchoolCosting, SenBudget, SessionLog, StaffRole};
use senplan_core::ids::{PlanId, PupilId, SchoolId};
use senplan_core::need::NeedInput;
use senplan_core::plan::{PlanContent, Provision};
use senplan_core::review::{Decision, Progress, Rating};
use senplan_core::status::{ChangeSource, SenStatus, StatusChange};
use senplan_store::history::Entity;
use senplan_store::testing::{ctx, d, plan, pupil, review, school, system, whole};
use senplan_store::{Store, StoreError, both_backends};

fn settings() -> SchoolCosting {
    SchoolCosting {
        settings: CostingSettings {
            staff_roles: vec![
                StaffRole { key: "teaching_assistant".into(), name: "Teaching assistant".into(), hourly_cost: Pence(1500) },
                StaffRole { key: "teacher".into(), name: "Teacher".into(), hourly_cost: Pence(4000) },
            ],
            other_costs: vec![],
            calendar: senplan_store::testing::calendar(),
            element2_thresholds: vec![Dated { from: d(2015, 4, 1), value: Pence(600_000) }],
            sen_budgets: vec![SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence::from_pounds(20_000) }],
            delivery_alert: Default::default(),
        },
        provision_types: vec![],
    }
}

#[allow(clippy::too_many_arguments)]
fn prov(number: u32, role: &str, kind: &str, minutes: u32, sessions: u32, group: u32, start: NaiveDate) -> Provision {
    Provision {
        number,
        what: format!("{kind} ({role})"),
        delivered_by: "Mrs Green".into(),
        minutes_per_session: minutes,
        sessions_per_week: sessions,
        group_size: group,
        start,
        end: None,
        outcomes: vec![1, 2],
        staff_role: Some(role.into()),
        provision_type: Some(kind.into()),
        other_cost: None,
    }
}

fn plan_with(provision: Vec<Provision>) -> PlanContent {
    PlanContent { provision, ..plan() }
}

async fn set_up(store: &Store) -> SchoolId {
    let s = store.create_school(&school("200001"), &ctx()).await.unwrap().id;
    store.save_costing_settings(s, 0, settings(), &ctx()).await.unwrap();
    s
}

/// A pupil on SEN support (SLCN) with a drafted plan; returns the pupil and plan.
async fn pupil_with_plan(store: &Store, s: SchoolId, serial: u16, content: PlanContent) -> (PupilId, PlanId) {
    let p = store.create_pupil(&whole(s), &pupil(serial), &ctx()).await.unwrap().id;
    let k = StatusChange { status: SenStatus::K, start: d(2026, 9, 2), reason: "Language needs".into() };
    let mut work = store.work(ctx()).await.unwrap();
    work.record_status(&whole(s), p, &k, ChangeSource::Entered).await.unwrap();
    work.open_next_cycle(&whole(s), p, k.start, Default::default()).await.unwrap();
    work.commit().await.unwrap();
    let need = NeedInput { code: "SLCN".into(), rank: 1, area: None, description: String::new() };
    store.set_needs(&whole(s), p, 0, &[need], &ctx()).await.unwrap();
    let cycle = store.cycles(&whole(s), p).await.unwrap()[0].id;
    (p, draft_plan(store, &system(s), s.0, cycle, content).await.unwrap().id)
}

fn codes(err: &StoreError) -> Vec<(String, String)> {
    match err {
        StoreError::Invalid(i) => i.errors.iter().map(|e| (e.field.clone(), e.code.clone())).collect(),
        other => panic!("expected invalid, got {other}"),
    }
}

fn app_codes(err: &AppError) -> Vec<(String, String)> {
    match err {
        AppError::Invalid(i) => i.errors.iter().map(|e| (e.field.clone(), e.code.clone())).collect(),
        other => panic!("expected invalid, got {other}"),
    }
}

fn pair(f: &str, c: &str) -> (String, String) {
    (f.to_owned(), c.to_owned())
}

both_backends!(r15_settings_keep_versions_and_bad_settings_change_nothing, |store| {
    let s = store.create_school(&school("200001"), &ctx()).await.unwrap().id;
    assert_eq!(store.costing_settings(s).await.unwrap().version, 0);
    let v1 = store.save_costing_settings(s, 0, settings(), &ctx()).await.unwrap();
    assert_eq!((v1.version, v1.updated_by.as_str()), (1, "Ms Rivera (SENCO)"));
    let mut bad = settings();
    bad.settings.staff_roles[0].hourly_cost = Pence(-1450);
    bad.settings.calendar.terms[1].end = d(2026, 11, 1);
    bad.settings.calendar.weeks_per_year = 0;
    let err = store.save_costing_settings(s, 1, bad, &ctx()).await.unwrap_err();
    assert_eq!(
        codes(&err),
        vec![
            pair("settings.staff_roles[0].hourly_cost", "out_of_range"),
            pair("settings.calendar.weeks_per_year", "out_of_range"),
            pair("settings.calendar.terms[1].end", "end_before_start"),
        ]
    );
    assert!(err.to_string().contains("-£14.50"), "{err}");
    let mut changed = settings();
    changed.settings.staff_roles[0].hourly_cost = Pence(1450);
    let v2 = store.save_costing_settings(s, 1, changed.clone(), &ctx()).await.unwrap();
    assert_eq!(v2.version, 2);
    let err = store.save_costing_settings(s, 1, changed, &ctx()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { expected: 1, current: 2, .. }), "{err}");
    assert!(matches!(store.save_costing_settings(s, 0, settings(), &ctx()).await.unwrap_err(), StoreError::Conflict { current: 2, .. }));
    let now = store.costing_settings(s).await.unwrap();
    assert_eq!((now.version, now.costing.settings.staff_roles[0].hourly_cost), (2, Pence(1450)), "refused saves changed nothing");
    let history = store.history(&whole(s), Entity::CostingSettings, s.0).await.unwrap();
    assert_eq!(history.iter().map(|h| h.version).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(history[0].body["costing"]["settings"]["staff_roles"][0]["hourly_cost"], 1500);
});

both_backends!(r15_plan_provision_with_bad_figures_or_unknown_staff_role_is_refused, |store| {
    let s = set_up(store).await;
    let good = plan_with(vec![prov(1, "teaching_assistant", "small_group_work", 60, 1, 4, d(2026, 9, 2))]);
    let (_, pl) = pupil_with_plan(store, s, 1, good.clone()).await;
    let mut bad = good.clone();
    bad.provision[0].staff_role = Some("speech_therapist".into());
    bad.provision[0].group_size = 0;
    bad.provision[0].end = Some(d(2026, 8, 1));
    let err = update_plan(store, &system(s), s.0, pl, 1, bad).await.unwrap_err();
    assert_eq!(app_codes(&err), vec![pair("provision[0].group_size", "out_of_range"), pair("provision[0].end", "end_before_start")]);
    let mut unknown = good;
    unknown.provision[0].staff_role = Some("speech_therapist".into());
    let err = update_plan(store, &system(s), s.0, pl, 1, unknown).await.unwrap_err();
    assert_eq!(app_codes(&err), vec![pair("provision[0].staff_role", "unknown_staff_role")]);
    assert!(err.to_string().contains("expected one of teaching_assistant (Teaching assistant), teacher (Teacher)"), "{err}");
    assert_eq!(store.plan(&whole(s), pl).await.unwrap().version, 1, "refused changes stored nothing");
    // A role that a current plan uses cannot be removed from the settings.
    let mut fewer = settings();
    fewer.settings.staff_roles.remove(0);
    let err = store.save_costing_settings(s, 1, fewer, &ctx()).await.unwrap_err();
    assert_eq!(codes(&err), vec![pair("settings", "still_in_use")]);
    assert_eq!(store.costing_settings(s).await.unwrap().version, 1);
});

both_backends!(r15_group_of_4_and_mid_term_start_over_a_range_spanning_christmas, |store| {
    let s = set_up(store).await;
    // TA an hour a week in a group of 4 from 2 Sep; a teacher 1:1 30 min twice a week from Mon 2 Nov.
    let content = plan_with(vec![
        prov(1, "teaching_assistant", "small_group_work", 60, 1, 4, d(2026, 9, 2)),
        prov(2, "teacher", "special_learning_programme", 30, 2, 1, d(2026, 11, 2)),
    ]);
    let (p, pl) = pupil_with_plan(store, s, 1, content).await;
    // 1 Dec – 31 Jan: 14 + 19 school days = 6.6 weeks (nothing in the holiday).
    let m = store.provision_map(&whole(s), d(2026, 12, 1), d(2027, 1, 31)).await.unwrap();
    assert_eq!(m.school_weeks, Fraction::new(33, 5).unwrap());
    let row = &m.pupils[0];
    assert_eq!((row.pupil_id, row.lines[0].plan_id), (p.0, pl.0));
    let group = &row.lines[0];
    // Share 15 min a week = 0.25 h = 25%; £146.25 a year; 99 min = 1.65 h and £24.75 in the range.
    assert_eq!((group.hours_per_week.as_str(), group.share_bp, group.annual_cost), ("0.25", 2500, Some(Pence(14_625))));
    let period = group.period.as_ref().unwrap();
    assert_eq!((period.hours.as_str(), period.cost), ("1.65", Some(Pence(2_475))));
    // The teacher: 1.00 h a week; from 2 November it runs 157 of 2026–27's 195 school
    // days (31.4 weeks), so £1,256.00 in the year, not a full year's £1,560.00; 6.60 h
    // and £264.00 in the range.
    let one = &row.lines[1];
    assert_eq!((one.hours_per_week.as_str(), one.annual_cost), ("1.00", Some(Pence(125_600))));
    assert_eq!(one.period.as_ref().unwrap().cost, Some(Pence(26_400)));
    assert_eq!((row.annual_cost, row.period_cost, row.period_hours.as_str()), (Pence(140_225), Pence(28_875), "8.25"));
    // Autumn term: the teacher's provision, from Mon 2 Nov, runs 7 weeks: £280.00; the
    // group runs 73 days (not the half-term week) = 14.6 weeks: 375p × 14.6 = £54.75.
    let autumn = store.provision_map(&whole(s), d(2026, 9, 1), d(2026, 12, 18)).await.unwrap();
    assert_eq!(autumn.pupils[0].lines[1].period.as_ref().unwrap().cost, Some(Pence(28_000)));
    assert_eq!(autumn.pupils[0].lines[0].period.as_ref().unwrap().cost, Some(Pence(5_475)));
    // The whole school year is 39 weeks, so a year of the group costs its annual cost.
    let year = store.provision_map(&whole(s), d(2026, 9, 1), d(2027, 8, 31)).await.unwrap();
    assert_eq!(year.school_weeks, Fraction::int(39));
    assert_eq!(year.pupils[0].lines[0].period.as_ref().unwrap().cost, Some(Pence(14_625)));
    let err = store.provision_map(&whole(s), d(2027, 1, 31), d(2026, 12, 1)).await.unwrap_err();
    assert_eq!(codes(&err), vec![pair("to", "end_before_start")]);
});

both_backends!(r16_pupils_just_below_and_just_above_6000, |store| {
    let s = set_up(store).await;
    let start = d(2026, 9, 2);
    let daily = prov(1, "teaching_assistant", "extra_adult_help", 120, 5, 1, start);
    // Below: £5,850.00 + £146.25 = £5,996.25. Above: £5,850.00 + £292.50 = £6,142.50.
    pupil_with_plan(store, s, 1, plan_with(vec![daily.clone(), prov(2, "teaching_assistant", "small_group_work", 60, 1, 4, start)])).await;
    let (above, _) =
        pupil_with_plan(store, s, 2, plan_with(vec![daily, prov(2, "teaching_assistant", "small_group_work", 60, 1, 2, start)])).await;
    let r = store.threshold_report(&whole(s), d(2026, 11, 23)).await.unwrap();
    assert_eq!((r.threshold, r.above, r.at, r.below), (Pence(600_000), 1, 0, 1));
    let top = &r.pupils[0];
    let t = top.threshold.as_ref().unwrap();
    assert_eq!((top.pupil_id, top.annual_cost, t.over_by, t.element3_candidate), (above.0, Pence(614_250), Pence(14_250), true));
    let next = r.pupils[1].threshold.as_ref().unwrap();
    assert_eq!((next.annual_cost, next.under_by, next.element3_candidate), (Pence(599_625), Pence(375), false));
    assert_eq!(r.threshold_hours_per_week.as_deref(), Some("10.3"));
});

both_backends!(r16_map_and_threshold_report_agree_for_a_pupil_with_a_spring_term_line, |store| {
    let s = set_up(store).await;
    // TA one-to-one 2 h a day all year from 2 Sep: 10 h, 15000p a week × 39 = 585000p.
    // TA one-to-one 40 min three times a week (2 h, 3000p) in the spring term only,
    // Tue 5 Jan – Fri 26 Mar 2027: 54 of the year's 195 school days = 10.8 weeks, 32400p.
    // £6,174.00 for 2026–27: £174.00 above £6,000 (a full year of both: £7,020.00).
    let mut spring = prov(2, "teaching_assistant", "small_group_work", 40, 3, 1, d(2027, 1, 5));
    spring.end = Some(d(2027, 3, 26));
    let (p, _) =
        pupil_with_plan(store, s, 1, plan_with(vec![prov(1, "teaching_assistant", "extra_adult_help", 120, 5, 1, d(2026, 9, 2)), spring]))
            .await;
    let actor = system(s);
    let agree = |on: NaiveDate, to: NaiveDate, pence: i64| {
        let actor = actor.clone();
        async move {
            let page = senplan_app::costing::threshold_report(store, &actor, s.0, on, Use::View).await.unwrap();
            let map = senplan_app::costing::provision_map(store, &actor, s.0, on, to, None, Use::View).await.unwrap();
            let (row, line) = (&page.pupils[0], &map.pupils[0]);
            assert_eq!((row.pupil_id, line.pupil_id), (p.0, p.0));
            assert_eq!((row.annual_cost, line.annual_cost), (Pence(pence), Pence(pence)), "on {on}, map to {to}");
            assert_eq!(row.threshold, line.threshold, "the same flag on {on}");
            assert_eq!(line.lines.iter().filter_map(|l| l.annual_cost).sum::<Pence>(), line.annual_cost, "the map adds up");
            (page, map)
        }
    };
    // Before spring: the whole year's map, the rest of the autumn term, one day.
    let (page, map) = agree(d(2026, 9, 1), d(2027, 8, 31), 617_400).await;
    assert_eq!(map.pupils[0].lines.iter().map(|l| l.annual_cost).collect::<Vec<_>>(), vec![Some(Pence(585_000)), Some(Pence(32_400))]);
    let t = page.pupils[0].threshold.as_ref().unwrap();
    assert_eq!((t.over_by, t.element3_candidate, page.above), (Pence(17_400), true, 1));
    let (_, autumn) = agree(d(2026, 11, 23), d(2026, 12, 18), 617_400).await;
    let later = autumn.pupils[0].lines[1].period.as_ref().unwrap();
    assert_eq!((later.cost, later.hours.as_str()), (Some(Pence::ZERO), "0.00"), "listed, with nothing in the autumn");
    agree(d(2026, 11, 23), d(2026, 11, 23), 617_400).await;
    // During spring, and after it has ended (no longer current: below the threshold).
    agree(d(2027, 2, 1), d(2027, 3, 31), 617_400).await;
    let (page, _) = agree(d(2027, 4, 19), d(2027, 8, 31), 585_000).await;
    assert_eq!((page.above, page.below), (0, 1));
    // The budget commits the same annual cost.
    let b = store.budget_report(&system(s).aggregates().unwrap(), s, d(2026, 11, 23)).await.unwrap();
    assert_eq!(b.committed, Pence(617_400));
});

both_backends!(r17_budget_by_area_type_and_year_group, |store| {
    let s = set_up(store).await;
    let start = d(2026, 9, 2);
    pupil_with_plan(
        store,
        s,
        1,
        plan_with(vec![
            prov(1, "teaching_assistant", "extra_adult_help", 120, 5, 1, start),
            prov(2, "teacher", "small_group_work", 60, 1, 4, start),
        ]),
    )
    .await;
    // £5,850.00 + £390.00 (teacher £40 × 39 / 4) = £6,240.00 of £20,000: 31.2%, £13,760.00 left.
    let b = store.budget_report(&system(s).aggregates().unwrap(), s, d(2026, 11, 23)).await.unwrap();
    assert_eq!((b.budget, b.committed, b.remaining, b.used_bp), (Pence(2_000_000), Pence(624_000), Pence(1_376_000), Some(3120)));
    assert_eq!(b.by_area[0].key, "communication_and_interaction");
    assert_eq!(b.by_area[0].committed, Pence(624_000), "the pupil's primary need is SLCN");
    let types: Vec<_> = b.by_provision_type.iter().map(|r| (r.key.as_str(), r.committed.0)).collect();
    assert_eq!(types, vec![("extra_adult_help", 585_000), ("small_group_work", 39_000)]);
    assert_eq!(b.by_year_group.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), vec!["Year 4"]);
    let err = store.budget_report(&system(s).aggregates().unwrap(), s, d(2027, 4, 1)).await.unwrap_err();
    assert_eq!(codes(&err), vec![pair("on", "no_budget")]);
});

fn held(date: NaiveDate, minutes: i64, attendees: &[i64]) -> SessionLog {
    SessionLog { date, held: true, minutes_delivered: minutes, attendees: attendees.to_vec(), reason_missed: None, note: None }
}

both_backends!(r11_sessions_logged_planned_against_delivered, |store| {
    let s = set_up(store).await;
    // TA 30 min twice a week in a group of 3, from Mon 2 Nov.
    let (a, pl) =
        pupil_with_plan(store, s, 1, plan_with(vec![prov(1, "teaching_assistant", "small_group_work", 30, 2, 3, d(2026, 11, 2))])).await;
    let b = store.create_pupil(&whole(s), &pupil(2), &ctx()).await.unwrap().id;
    // Sessions are logged once the support has started (R05): not at the plan stage.
    let err = log_session(store, &system(s), s.0, pl, 1, held(d(2026, 11, 3), 30, &[a.0])).await.unwrap_err();
    assert!(matches!(err, AppError::Transition(t) if t.action == senplan_core::cycle::Action::LogSession), "refused at the plan stage");
    assert!(store.provision_sessions(&whole(s), pl, 1).await.unwrap().is_empty());
    let cycle = store.plan(&whole(s), pl).await.unwrap().cycle_id;
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    transition(store, &system(s), s.0, cycle, c.version, senplan_core::cycle::Action::StartDelivery).await.unwrap();
    log_session(store, &system(s), s.0, pl, 1, held(d(2026, 11, 3), 30, &[a.0, b.0])).await.unwrap();
    log_session(store, &system(s), s.0, pl, 1, held(d(2026, 11, 5), 25, &[a.0])).await.unwrap();
    let missed = SessionLog {
        date: d(2026, 11, 10),
        held: false,
        minutes_delivered: 0,
        attendees: vec![],
        reason_missed: Some("TA covering a class".into()),
        note: None,
    };
    let rec = log_session(store, &system(s), s.0, pl, 1, missed).await.unwrap();
    assert_eq!(rec.recorded_by, "Ms Rivera (SENCO)");
    // Refused, changing nothing: before the provision starts, in the future, no minutes, a stranger.
    let err = log_session(store, &system(s), s.0, pl, 1, held(d(2026, 10, 30), 30, &[a.0])).await.unwrap_err();
    assert_eq!(app_codes(&err), vec![pair("date", "outside_provision_dates")]);
    let err = log_session(store, &system(s), s.0, pl, 1, held(d(2026, 11, 24), 30, &[a.0])).await.unwrap_err();
    assert_eq!(app_codes(&err), vec![pair("date", "in_the_future")]);
    let err = log_session(store, &system(s), s.0, pl, 1, held(d(2026, 11, 12), 0, &[a.0])).await.unwrap_err();
    assert_eq!(app_codes(&err), vec![pair("minutes_delivered", "required")]);
    let err = log_session(store, &system(s), s.0, pl, 1, held(d(2026, 11, 12), 30, &[a.0, 999_999])).await.unwrap_err();
    assert_eq!(app_codes(&err), vec![pair("attendees[1]", "unknown_pupil")]);
    assert!(matches!(
        log_session(store, &system(s), s.0, pl, 7, held(d(2026, 11, 12), 30, &[a.0])).await,
        Err(AppError::NotFound("provision"))
    ));
    assert_eq!(store.provision_sessions(&whole(s), pl, 1).await.unwrap().len(), 3);
    // Mon 2 – Fri 13 Nov: 2 weeks, 4 sessions, 120 min planned. Pupil A attended 30 + 25 =
    // 55 min (45.83%): 750p / 2 + 625p = 1000p. The provision: 55 min, 750p + 625p = 1375p.
    let r = store.delivery_report(&whole(s), d(2026, 11, 2), d(2026, 11, 13)).await.unwrap();
    let row = &r.rows[0];
    assert_eq!((row.pupil.planned_minutes, row.pupil.delivered_minutes.0, row.pupil.delivered_bp), (Fraction::int(120), 55, Some(4583)));
    assert_eq!((row.pupil.sessions_held, row.pupil.sessions_missed, row.pupil.delivered_cost), (2, 1, Pence(1000)));
    assert_eq!(row.provision.delivered_cost, Pence(1375));
    assert_eq!(r.delivered_cost, Pence(1000));
});

both_backends!(r29_entry_and_exit_measures_by_provision_type, |store| {
    let s = set_up(store).await;
    let content = plan_with(vec![prov(1, "teaching_assistant", "small_group_work", 30, 2, 4, d(2026, 11, 2))]);
    let (_, pl) = pupil_with_plan(store, s, 1, content.clone()).await;
    let (_, pl2) = pupil_with_plan(store, s, 2, content).await;
    let input = |entry, exit, progress: Option<i8>| ImpactInput {
        provision_type: None,
        unit: "words read".into(),
        entry,
        exit,
        progress: progress.and_then(Progress::new),
    };
    let m = store.record_impact(&whole(s), pl, 1, input(12, None, None), &ctx()).await.unwrap();
    assert_eq!((m.version, m.record.provision_type.as_str()), (1, "small_group_work"));
    let err = store.record_impact(&whole(s), pl, 1, input(12, None, None), &ctx()).await.unwrap_err();
    assert_eq!(codes(&err), vec![pair("provision_number", "already_recorded")]);
    let m = store.update_impact(&whole(s), m.id, 1, input(12, Some(30), Some(1)), &ctx()).await.unwrap();
    assert_eq!(m.version, 2);
    assert!(matches!(store.update_impact(&whole(s), m.id, 1, input(12, Some(31), None), &ctx()).await, Err(StoreError::Conflict { .. })));
    assert_eq!(store.history(&whole(s), Entity::Impact, m.id).await.unwrap().len(), 2);
    let err = store.record_impact(&whole(s), pl2, 1, input(2_000_000, None, None), &ctx()).await.unwrap_err();
    assert_eq!(codes(&err), vec![pair("entry", "out_of_range")]);
    // Pupil 2: 20 -> 25, no rating of its own: the review's rating (+1 in the fixture) is used.
    store.record_impact(&whole(s), pl2, 1, input(20, Some(25), None), &ctx()).await.unwrap();
    let cycle = store.plan(&whole(s), pl2).await.unwrap().cycle_id;
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    transition(store, &system(s), s.0, cycle, c.version, senplan_core::cycle::Action::StartDelivery).await.unwrap();
    // The review, as its use case records it: the cycle closes and the review is kept.
    let mut work = store.work(ctx()).await.unwrap();
    let c = work.cycle(&whole(s), cycle).await.unwrap();
    let plan = work.cycle_plan(&whole(s), cycle).await.unwrap().unwrap();
    let given = review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::Met)], Decision::Continue);
    let content = given.validate(&plan.content, c.opened_on, d(2026, 11, 23)).unwrap();
    let closed = work.close_cycle(&whole(s), c, d(2026, 11, 20), senplan_core::cycle::Action::RecordReview).await.unwrap();
    work.add_review(&whole(s), &closed, content).await.unwrap();
    work.commit().await.unwrap();
    // Small-group work: 2 pupils, both rated 0 or above (100%); change (18 + 5) / 2 = 11.5.
    let rows = store.impact_report(&whole(s)).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].pupils, rows[0].ratings, rows[0].at_or_above_expected_bp), (2, 2, Some(10_000)));
    assert_eq!(rows[0].changes[0].average_change_1dp, "11.5");
    assert_eq!(store.impact_measures(&whole(s)).await.unwrap().len(), 2);
});

// R34 asks for "what was agreed at meetings". Until meetings are recorded (the
// meetings work, issue 11), what was agreed is what the plan agreed: its outcomes,
// the strategies every adult uses, who is responsible and the review date. This test
// covers those; it does not cover actions agreed at a meeting, which do not exist yet.
both_backends!(r34_meeting_recap_for_a_range, |store| {
    let s = store.create_school(&school("200001"), &ctx()).await.unwrap().id;
    // Works before costing is set up: no staff role needed.
    let mut p = plan().provision[0].clone();
    p.start = d(2026, 11, 2);
    let (_, _) = pupil_with_plan(store, s, 1, plan_with(vec![p])).await;
    let rows = store.meeting_recap(&whole(s), d(2026, 11, 1), d(2026, 11, 30)).await.unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r.delivered_by, "Mrs Green, teaching assistant");
    assert_eq!(r.how_often, "2 sessions a week of 30 minutes, in a group of 4");
    assert_eq!(r.outcomes[0], "Read 40 high-frequency words (target: 40 words by 12 February 2027)");
    assert_eq!(r.review_date, d(2027, 2, 12));
    assert_eq!(r.strategies, ["Give instructions in short chunks"]);
    assert_eq!(r.responsible, plan().responsible);
    assert!(store.meeting_recap(&whole(s), d(2026, 10, 1), d(2026, 10, 31)).await.unwrap().is_empty());
    let err = store.provision_map(&whole(s), d(2026, 11, 1), d(2026, 11, 30)).await.unwrap_err();
    assert_eq!(codes(&err), vec![pair("costing_settings", "costing_not_set_up")]);
});

both_backends!(another_schools_costing_looks_missing, |store| {
    let s = set_up(store).await;
    let (a, pl) =
        pupil_with_plan(store, s, 1, plan_with(vec![prov(1, "teaching_assistant", "small_group_work", 30, 2, 3, d(2026, 11, 2))])).await;
    let other = store.create_school(&school("200009"), &ctx()).await.unwrap().id;
    assert_eq!(store.costing_settings(other).await.unwrap().version, 0);
    assert!(matches!(
        log_session(store, &system(other), other.0, pl, 1, held(d(2026, 11, 3), 30, &[a.0])).await,
        Err(AppError::NotFound("plan"))
    ));
    store.save_costing_settings(other, 0, settings(), &ctx()).await.unwrap();
    assert!(store.provision_map(&whole(other), d(2026, 9, 1), d(2027, 8, 31)).await.unwrap().pupils.is_empty());
    assert!(store.threshold_report(&whole(other), d(2026, 11, 23)).await.unwrap().pupils.is_empty());
    assert!(store.history(&whole(other), Entity::CostingSettings, s.0).await.unwrap().is_empty());
    let input = ImpactInput { provision_type: None, unit: "x".into(), entry: 1, exit: None, progress: None };
    assert!(matches!(store.record_impact(&whole(other), pl, 1, input, &ctx()).await, Err(StoreError::NotFound { .. })));
    assert!(matches!(store.costing_settings(SchoolId(999_999)).await, Err(StoreError::NotFound { what: "school" })));
});
