//! The graduated approach as a school runs it, through the use cases: status, needs,
//! cycles, plans, reviews, history and access. Each test is written once and run on
//! SQLite and on PostgreSQL, each on a throwaway database of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use senplan_app::AppError;
use senplan_app::cycles::{contribute, transition};
use senplan_app::plans::{add_outcome, add_provision, draft_plan, update_plan};
use senplan_app::pupils::change_status;
use senplan_app::reviews::record_review;
use senplan_core::assessment::{ContributionInput, Source};
use senplan_core::cycle::{Action, Stage};
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::need::NeedInput;
use senplan_core::pupil::ConsentGiver;
use senplan_core::review::{Decision, Rating};
use senplan_core::status::{SenStatus, StatusChange};
use senplan_store::history::Entity;
use senplan_store::testing::{ctx, ctx_on, d, outcome, plan, pupil, related, review, school, system, system_on, whole};
use senplan_store::{Store, StoreError, both_backends};

async fn school_with_pupil(store: &Store) -> (SchoolId, PupilId) {
    let s = store.create_school(&school("100001"), &ctx()).await.unwrap();
    let p = store.create_pupil(&whole(s.id), &pupil(1), &ctx()).await.unwrap();
    (s.id, p.id)
}

fn k_from(day: chrono::NaiveDate) -> StatusChange {
    StatusChange { status: SenStatus::K, start: day, reason: "Teacher assessment showed language needs".into() }
}

fn need(code: &str, rank: u32) -> NeedInput {
    NeedInput { code: code.into(), rank, area: None, description: String::new() }
}

fn contribution(source: Source, day: chrono::NaiveDate) -> ContributionInput {
    ContributionInput {
        source,
        contributor: "Mrs Doe (parent)".into(),
        date: day,
        content: "Finds it hard to follow instructions at home".into(),
        specialist_service: Some("Speech and language therapy".into()),
        agreed_by: Some(ConsentGiver::Parent),
    }
}

/// Puts the pupil on K with SLCN + SEMH and returns the open cycle's id.
async fn on_sen_support(store: &Store, s: SchoolId, p: PupilId) -> senplan_core::ids::CycleId {
    change_status(store, &system(s), s.0, p, &k_from(d(2026, 9, 14))).await.unwrap();
    store.set_needs(&whole(s), p, 0, &[need("SLCN", 1), need("SEMH", 2)], &ctx()).await.unwrap();
    store.cycles(&whole(s), p).await.unwrap()[0].id
}

both_backends!(r01_status_history_keeps_one_open_period, |store| {
    let (s, p) = school_with_pupil(store).await;
    change_status(store, &system(s), s.0, p, &k_from(d(2025, 9, 10))).await.unwrap();
    let e = StatusChange { status: SenStatus::E, start: d(2026, 10, 1), reason: "EHC plan issued".into() };
    let history = change_status(store, &system(s), s.0, p, &e).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].period.status, SenStatus::E);
    assert_eq!(history[0].period.end, None);
    assert_eq!(history[1].period.end, Some(d(2026, 10, 1)));
    assert_eq!(history[1].recorded_by, "Ms Rivera (SENCO)");
    assert_eq!(store.pupil(&whole(s), p).await.unwrap().status, SenStatus::E);
    let historic = StatusChange { status: SenStatus::S, start: d(2026, 11, 1), reason: "old".into() };
    let err = change_status(store, &system(s), s.0, p, &historic).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(ref i) if i.errors[0].code == "historic_status"), "{err}");
    assert_eq!(store.status_history(&whole(s), p).await.unwrap().len(), 2, "a refused change stores nothing");
});

both_backends!(r01_duplicate_upn_is_census_error_1520, |store| {
    let (s, _) = school_with_pupil(store).await;
    let err = store.create_pupil(&whole(s), &pupil(1), &ctx()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(ref i) if i.errors[0].code == "upn_duplicate" && i.errors[0].message.contains("1520")),
        "{err}"
    );
});

both_backends!(r02_needs_are_ranked_versioned_and_validated, |store| {
    let (s, p) = school_with_pupil(store).await;
    change_status(store, &system(s), s.0, p, &k_from(d(2026, 9, 14))).await.unwrap();
    let v1 = store.set_needs(&whole(s), p, 0, &[need("SEMH", 2), need("SLCN", 1)], &ctx()).await.unwrap();
    assert_eq!(v1.needs[0].code.code(), "SLCN");
    let err = store.set_needs(&whole(s), p, 1, &[need("XYZ", 1)], &ctx()).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref i) if i.errors[0].field == "needs[0].code"), "{err}");
    let v2 = store.set_needs(&whole(s), p, 1, &[need("ASD", 1)], &ctx()).await.unwrap();
    assert_eq!(v2.version, 2);
    let err = store.set_needs(&whole(s), p, 1, &[need("MLD", 1)], &ctx()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { expected: 1, current: 2, .. }), "{err}");
    let history = store.history(&whole(s), Entity::Needs, p.0).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].body["needs"][0]["code"], "SLCN");
    assert_eq!(store.register(&whole(s)).await.unwrap()[0].primary_need.map(|c| c.code()), Some("ASD"));
});

both_backends!(r05_full_cycle_runs_assess_plan_do_review_and_opens_the_next, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    assert_eq!(store.cycle(&whole(s), cycle).await.unwrap().stage, Stage::Assess);
    contribute(store, &system(s), s.0, cycle, &contribution(Source::ParentCarer, d(2026, 9, 20))).await.unwrap();
    let pl = draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    assert_eq!(c.stage, Stage::Plan);
    let c = transition(store, &system(s), s.0, cycle, c.version, Action::StartDelivery).await.unwrap();
    assert_eq!(c.stage, Stage::Do);
    // Assessment is continuous: a contribution while the support is in place, and at review.
    contribute(store, &system(s), s.0, cycle, &contribution(Source::ParentCarer, d(2026, 11, 10))).await.unwrap();
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    assert_eq!(c.stage, Stage::Do, "a contribution does not move the cycle on");
    let c = transition(store, &system(s), s.0, cycle, c.version, Action::StartReview).await.unwrap();
    assert_eq!(c.stage, Stage::Review);
    contribute(store, &system(s), s.0, cycle, &contribution(Source::ParentCarer, d(2026, 11, 18))).await.unwrap();
    assert_eq!(store.contributions(&whole(s), cycle).await.unwrap().len(), 3);
    // Recorded on 23 November (the actor's today) for a review held on 20 November.
    let rec =
        record_review(store, &system(s), s.0, cycle, review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::NotMet)], Decision::Continue))
            .await
            .unwrap();
    assert_eq!(rec.review.content.ratings.len(), 2);
    assert_eq!(store.cycle(&whole(s), cycle).await.unwrap().stage, Stage::Closed);
    let next = rec.next_cycle.unwrap();
    assert_eq!((next.number, next.stage), (2, Stage::Assess));
    let closed = store.cycle(&whole(s), cycle).await.unwrap();
    assert_eq!((closed.closed_on, next.opened_on), (Some(d(2026, 11, 20)), d(2026, 11, 20)), "both on the day the review was held");
    assert_eq!(store.cycles(&whole(s), p).await.unwrap().len(), 2);
    assert_eq!(store.plan(&whole(s), pl.id).await.unwrap().version, 1);
    let row = &store.register(&whole(s)).await.unwrap()[0];
    assert_eq!((row.stage, row.cycle_id), (Some(Stage::Assess), Some(next.id)));
});

both_backends!(r05_review_before_a_plan_is_refused_and_changes_nothing, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    let before = store.cycle(&whole(s), cycle).await.unwrap();
    let err =
        record_review(store, &system(s), s.0, cycle, review(d(2026, 11, 20), &[(1, Rating::Met)], Decision::Continue)).await.unwrap_err();
    assert!(err.to_string().starts_with("Cannot record the review while the cycle is at 'assess'"), "{err}");
    assert_eq!(store.cycle(&whole(s), cycle).await.unwrap(), before);
    assert!(store.cycle_review(&whole(s), cycle).await.unwrap().is_none());
    let err = transition(store, &system(s), s.0, cycle, before.version, Action::StartDelivery).await.unwrap_err();
    assert!(matches!(err, AppError::Transition(_)), "{err}");
});

both_backends!(r06_specialist_contribution_needs_recorded_parent_agreement, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    let err = contribute(store, &system(s), s.0, cycle, &contribution(Source::Specialist, d(2026, 10, 5))).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(ref i) if i.errors[0].code == "specialist_needs_agreement"), "{err}");
    assert!(store.contributions(&whole(s), cycle).await.unwrap().is_empty());
    contribute(store, &system(s), s.0, cycle, &contribution(Source::SpecialistAgreement, d(2026, 10, 1))).await.unwrap();
    let rec = contribute(store, &system(s), s.0, cycle, &contribution(Source::Specialist, d(2026, 10, 5))).await.unwrap();
    assert_eq!(rec.recorded_by, "Ms Rivera (SENCO)");
    let all = store.contributions(&whole(s), cycle).await.unwrap();
    assert_eq!(all.iter().map(|c| c.contribution.source).collect::<Vec<_>>(), vec![Source::SpecialistAgreement, Source::Specialist]);
});

both_backends!(r07_plan_links_provision_to_outcomes_and_keeps_versions, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    let mut content = plan();
    content.provision.clear();
    let pl = draft_plan(store, &system(s), s.0, cycle, content).await.unwrap();
    let pl = add_outcome(store, &system(s), s.0, pl.id, pl.version, outcome(0, "Take turns in a group game")).await.unwrap();
    assert_eq!(pl.content.outcomes[2].number, 3);
    let mut prov = plan().provision[0].clone();
    prov.outcomes = vec![1, 3];
    let pl = add_provision(store, &system(s), s.0, pl.id, pl.version, prov.clone()).await.unwrap();
    assert_eq!(pl.version, 3);
    assert_eq!(pl.content.provision[0].outcomes, vec![1, 3]);
    prov.outcomes = vec![9];
    let err = add_provision(store, &system(s), s.0, pl.id, pl.version, prov).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(ref i) if i.errors[0].code == "unknown_outcome"), "{err}");
    let version = store.cycle(&whole(s), cycle).await.unwrap().version;
    let err = transition(store, &system(s), s.0, cycle, version, Action::StartDelivery).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(ref i) if i.errors[0].code == "outcome_without_provision"), "{err}");
    assert_eq!(store.cycle_plan(&whole(s), cycle).await.unwrap().unwrap().version, 3);
});

both_backends!(r05_r07_r12_the_next_plan_starts_from_the_last_with_its_unmet_outcomes, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    transition(store, &system(s), s.0, cycle, c.version, Action::StartDelivery).await.unwrap();
    let rec = record_review(
        store,
        &system(s),
        s.0,
        cycle,
        review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::PartlyMet)], Decision::Adjust),
    )
    .await
    .unwrap();
    let next = rec.next_cycle.unwrap();
    assert_eq!(next.carried.outcomes.len(), 1);
    assert_eq!(next.carried.outcomes[0].description, "Retell a short story in order");
    assert_eq!(next.carried.outcomes[0].carried_from.as_ref().map(|c| (c.cycle_number, c.outcome_number)), Some((1, 2)));
    // R05, R07: the next plan starts from the last: its provision (from the day the
    // review was held, serving the carried outcome), strategies and who is responsible.
    let provision: Vec<_> = next.carried.provision.iter().map(|p| (p.what.as_str(), p.start, p.outcomes.clone())).collect();
    assert_eq!(provision, [("Small-group language programme", d(2026, 11, 20), vec![1])]);
    assert_eq!(next.carried.strategies, ["Give instructions in short chunks"]);
    assert_eq!(next.carried.responsible, "Mr Ahmed, class teacher");
    assert_eq!(store.cycle(&whole(s), next.id).await.unwrap().carried, next.carried, "stored as carried");
});

both_backends!(r12_ending_sen_support_returns_the_pupil_to_n, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    transition(store, &system(s), s.0, cycle, c.version, Action::StartDelivery).await.unwrap();
    let unmet = review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::NotMet)], Decision::EndSenSupport);
    let err = record_review(store, &system(s), s.0, cycle, unmet.clone()).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(ref i) if i.errors[0].code == "reason_required_to_end"), "{err}");
    assert_eq!(store.cycle(&whole(s), cycle).await.unwrap().stage, Stage::Do, "the refused review changed nothing");
    let rec = record_review(
        store,
        &system(s),
        s.0,
        cycle,
        review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::Met)], Decision::EndSenSupport),
    )
    .await
    .unwrap();
    assert!(rec.next_cycle.is_none());
    let history = store.status_history(&whole(s), p).await.unwrap();
    assert_eq!(history[0].period.status, SenStatus::N);
    assert_eq!(history[0].period.reason, "All outcomes met at review");
    assert!(store.register(&whole(s)).await.unwrap().is_empty());
});

both_backends!(r13_review_checklist_and_views_are_stored, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    transition(store, &system(s), s.0, cycle, c.version, Action::StartDelivery).await.unwrap();
    // Answers unlike the fixture's and unlike each other, so a swapped or lost answer shows.
    let mut given = review(d(2026, 11, 23), &[(1, Rating::Met), (2, Rating::NotMet)], Decision::Continue);
    given.checklist.all_needs_identified = false;
    given.checklist.help_in_place_for_all_needs = true;
    given.checklist.outcomes_agreed_specific_measurable = false;
    given.checklist.progress_towards_outcomes = "Reads 38 of 40 words".into();
    given.checklist.difference_help_is_making = "Joins in at carpet time".into();
    given.progress = senplan_core::review::Progress::new(-1).unwrap();
    given.parent_views = "Worried about spelling".into();
    given.child_views = "I like the reading group".into();
    let by_senco = system_on(s, "Ms Rivera (SENCO)", d(2026, 11, 23));
    record_review(store, &by_senco, s.0, cycle, given.clone()).await.unwrap();
    let r = store.cycle_review(&whole(s), cycle).await.unwrap().unwrap();
    assert_eq!(r.content, given, "every answer stored as given");
    assert_eq!((r.version, r.updated_by.as_str()), (1, "Ms Rivera (SENCO)"));
    // A correction keeps the first answers in the history.
    let mut corrected = given.clone();
    corrected.checklist.all_needs_identified = true;
    corrected.checklist.difference_help_is_making = "Joins in at carpet time and in PE".into();
    let v2 = store.correct_review(&whole(s), r.id, 1, corrected.clone(), &ctx_on("Mr Ahmed", d(2026, 11, 24))).await.unwrap();
    assert_eq!((v2.version, v2.updated_by.as_str(), v2.content.clone()), (2, "Mr Ahmed", corrected));
    let history = store.history(&whole(s), Entity::Review, r.id.0).await.unwrap();
    assert_eq!(history.iter().map(|h| (h.version, h.changed_by.as_str())).collect::<Vec<_>>(), [(1, "Ms Rivera (SENCO)"), (2, "Mr Ahmed")]);
    assert_eq!(history[0].body["content"]["checklist"]["all_needs_identified"], false);
    assert_eq!(history[0].body["content"]["checklist"]["difference_help_is_making"], "Joins in at carpet time");
    assert_eq!(history[1].body["content"]["checklist"]["all_needs_identified"], true);
});

both_backends!(r20_every_version_is_kept_and_stale_writes_are_refused, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    let v1 = draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let mut changed = plan();
    changed.responsible = "Miss Brook, class teacher".into();
    let v2 = update_plan(store, &system_on(s, "Mr Ahmed", d(2026, 11, 24)), s.0, v1.id, 1, changed.clone()).await.unwrap();
    assert_eq!(v2.version, 2);
    changed.responsible = "Someone who edited version 1".into();
    let err = update_plan(store, &system(s), s.0, v1.id, 1, changed).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { expected: 1, current: 2, .. }), "{err}");
    let history = store.history(&whole(s), Entity::Plan, v1.id.0).await.unwrap();
    assert_eq!(history.iter().map(|h| h.version).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(history[0].body["content"]["responsible"], "Mr Ahmed, class teacher");
    assert_eq!(history[1].body["content"]["responsible"], "Miss Brook, class teacher");
    assert_eq!(history[1].changed_by, "Mr Ahmed");
    assert_eq!(store.plan(&whole(s), v1.id).await.unwrap().content.responsible, "Miss Brook, class teacher");
    let mut details = pupil(1);
    details.given_name = "Alexandra".into();
    store.update_pupil(&whole(s), p, 1, &details, &ctx()).await.unwrap();
    assert!(matches!(store.update_pupil(&whole(s), p, 1, &details, &ctx()).await.unwrap_err(), StoreError::Conflict { .. }));
    assert_eq!(store.history(&whole(s), Entity::Pupil, p.0).await.unwrap().len(), 2);
});

both_backends!(r21_young_person_of_16_agrees_to_specialist_involvement, |store| {
    let s = store.create_school(&school("100002"), &ctx()).await.unwrap().id;
    let mut student = pupil(2);
    student.date_of_birth = d(2009, 5, 1);
    student.year_group = senplan_core::pupil::YearGroup::Year(12);
    let p = store.create_pupil(&whole(s), &student, &ctx()).await.unwrap().id;
    let cycle = on_sen_support(store, s, p).await;
    let err = contribute(store, &system(s), s.0, cycle, &contribution(Source::SpecialistAgreement, d(2026, 10, 1))).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(ref i) if i.errors[0].code == "wrong_consent_giver"), "{err}");
    let mut own = contribution(Source::SpecialistAgreement, d(2026, 10, 1));
    own.agreed_by = Some(ConsentGiver::YoungPerson);
    own.contributor = "The student".into();
    contribute(store, &system(s), s.0, cycle, &own).await.unwrap();
    contribute(store, &system(s), s.0, cycle, &contribution(Source::Specialist, d(2026, 10, 5))).await.unwrap();
});

both_backends!(another_schools_records_look_missing, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    let pl = draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let other = store.create_school(&school("100009"), &ctx()).await.unwrap().id;
    assert!(matches!(store.pupil(&whole(other), p).await, Err(StoreError::NotFound { what: "pupil" })));
    assert!(matches!(store.cycle(&whole(other), cycle).await, Err(StoreError::NotFound { what: "cycle" })));
    assert!(matches!(store.plan(&whole(other), pl.id).await, Err(StoreError::NotFound { what: "plan" })));
    assert!(matches!(update_plan(store, &system(other), other.0, pl.id, 1, plan()).await, Err(AppError::NotFound(_))));
    assert!(matches!(store.history(&whole(other), Entity::Plan, pl.id.0).await, Err(StoreError::NotFound { .. })));
    assert!(store.register(&whole(other)).await.unwrap().is_empty());
});

both_backends!(migrations_apply_once, |store| {
    assert!(store.migrate().await.unwrap().is_empty(), "a second run applies nothing");
});

both_backends!(r10_r31_a_persons_scope_holds_only_their_current_relationships, |store| {
    use senplan_core::access::{Relationship, Role};
    use senplan_store::relationships::NewRelationship;
    let (s, taught) = school_with_pupil(store).await;
    let other = store.create_pupil(&whole(s), &pupil(2), &ctx()).await.unwrap().id;
    let later = store.create_pupil(&whole(s), &pupil(3), &ctx()).await.unwrap().id;
    let new_user = |email: &str, role| senplan_store::accounts::NewUser { email: email.into(), name: "Synthetic".into(), role };
    let teacher =
        store.create_user(s, &new_user("teacher@synthetic.example", Role::Teacher), "synthetic passphrase", &ctx()).await.unwrap().id;
    let today = d(2026, 11, 23);
    let relate = |pupil, kind, starts_on, expires_on| NewRelationship { user: teacher, pupil, kind, starts_on, expires_on };
    store.relate(&whole(s), &relate(taught, Relationship::Teaches, d(2026, 9, 1), None), &ctx()).await.unwrap();
    // From next term: not yet.
    store.relate(&whole(s), &relate(later, Relationship::Teaches, d(2027, 1, 5), None), &ctx()).await.unwrap();
    let scope = related(s, teacher, today);
    assert!(store.pupil(&scope, taught).await.is_ok());
    for hidden in [other, later] {
        assert!(matches!(store.pupil(&scope, hidden).await, Err(StoreError::NotFound { what: "pupil" })), "{hidden:?}");
    }
    let ids = |rows: Vec<senplan_core::record::RegisterRow>| rows.into_iter().map(|r| r.pupil_id).collect::<Vec<_>>();
    assert_eq!(ids(store.roll(&scope).await.unwrap()), [taught]);
    // On the first day of next term the later pupil is theirs too.
    assert_eq!(ids(store.roll(&related(s, teacher, d(2027, 1, 5))).await.unwrap()), [taught, later]);
    // The whole school sees everyone; another person with no relationships sees no one.
    assert_eq!(ids(store.roll(&whole(s)).await.unwrap()), [taught, other, later]);
    let stranger =
        store.create_user(s, &new_user("ta@synthetic.example", Role::TeachingAssistant), "synthetic passphrase", &ctx()).await.unwrap().id;
    assert!(store.roll(&related(s, stranger, today)).await.unwrap().is_empty());
    // An outside professional's grant counts until its last day, not after.
    let ep = store
        .create_user(s, &new_user("ep@synthetic.example", Role::ExternalProfessional), "synthetic passphrase", &ctx())
        .await
        .unwrap()
        .id;
    let grant = NewRelationship { user: ep, pupil: other, kind: Relationship::Grant, starts_on: d(2026, 11, 1), expires_on: Some(today) };
    store.relate(&whole(s), &grant, &ctx()).await.unwrap();
    assert_eq!(ids(store.roll(&related(s, ep, today)).await.unwrap()), [other]);
    assert!(store.roll(&related(s, ep, d(2026, 11, 24))).await.unwrap().is_empty());
});

both_backends!(r10_r21_relationships_are_listed_withdrawn_and_give_families_their_children, |store| {
    use senplan_core::access::{Relationship, Role};
    use senplan_store::relationships::NewRelationship;
    let (s, child) = school_with_pupil(store).await;
    let new_user = |email: &str, role| senplan_store::accounts::NewUser { email: email.into(), name: format!("Synthetic {email}"), role };
    let parent =
        store.create_user(s, &new_user("parent@synthetic.example", Role::ParentCarer), "synthetic passphrase", &ctx()).await.unwrap().id;
    let teacher =
        store.create_user(s, &new_user("teacher@synthetic.example", Role::Teacher), "synthetic passphrase", &ctx()).await.unwrap().id;
    let link = |user, kind| NewRelationship { user, pupil: child, kind, starts_on: d(2026, 9, 1), expires_on: None };
    let first = store.relate(&whole(s), &link(parent, Relationship::ParentOf), &ctx()).await.unwrap();
    let second = store.relate(&whole(s), &link(teacher, Relationship::Teaches), &ctx()).await.unwrap();
    assert!(second > first, "each relationship has its own id");
    let today = d(2026, 11, 23);
    assert_eq!(store.family_pupils(parent, Role::ParentCarer, today).await.unwrap(), [child]);
    assert!(store.family_pupils(teacher, Role::Teacher, today).await.unwrap().is_empty(), "staff use the staff pages");
    let listed: Vec<_> =
        store.pupil_relationships(&whole(s), child).await.unwrap().into_iter().map(|r| (r.id, r.user_id, r.kind)).collect();
    assert_eq!(listed, [(first, parent, Relationship::ParentOf), (second, teacher, Relationship::Teaches)]);
    // Withdrawn: the teacher no longer sees the pupil, and the relationship is kept as history.
    store.withdraw_relationship(&whole(s), second, &ctx()).await.unwrap();
    assert!(store.roll(&related(s, teacher, today)).await.unwrap().is_empty());
    assert_eq!(store.pupil_relationships(&whole(s), child).await.unwrap().len(), 2, "withdrawn, never deleted");
    assert!(matches!(store.withdraw_relationship(&whole(s), second, &ctx()).await, Err(StoreError::NotFound { .. })), "only once");
    // Another school's person cannot be related to this school's pupil.
    let other = store.create_school(&school("100002"), &ctx()).await.unwrap().id;
    let outsider =
        store.create_user(other, &new_user("outsider@synthetic.example", Role::Teacher), "synthetic passphrase", &ctx()).await.unwrap().id;
    assert!(matches!(
        store.relate(&whole(s), &link(outsider, Relationship::Teaches), &ctx()).await,
        Err(StoreError::NotFound { what: "user" })
    ));
});

both_backends!(r01_ending_sen_support_closes_the_open_cycle_on_its_start_date, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let n = StatusChange { status: SenStatus::N, start: d(2026, 11, 20), reason: "Needs met".into() };
    change_status(store, &system(s), s.0, p, &n).await.unwrap();
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    assert_eq!((c.stage, c.closed_on), (Stage::Closed, Some(d(2026, 11, 20))));
    assert_eq!(store.history(&whole(s), Entity::Cycle, cycle.0).await.unwrap().last().unwrap().body["stage"], "closed");
});

both_backends!(r12_a_corrected_review_says_when_and_by_whom, |store| {
    let (s, p) = school_with_pupil(store).await;
    let cycle = on_sen_support(store, s, p).await;
    draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap();
    let c = store.cycle(&whole(s), cycle).await.unwrap();
    transition(store, &system(s), s.0, cycle, c.version, Action::StartDelivery).await.unwrap();
    let given = review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::Met)], Decision::Continue);
    let r = record_review(store, &system(s), s.0, cycle, given.clone()).await.unwrap().review;
    let later = ctx_on("Mr Ahmed", d(2026, 11, 25));
    let v2 = store.correct_review(&whole(s), r.id, 1, given, &later).await.unwrap();
    assert!(v2.updated_at.starts_with("2026-11-25T09:00:00"), "{}", v2.updated_at);
    assert_eq!(v2.updated_by, "Mr Ahmed");
    assert_ne!(v2.updated_at, r.updated_at);
    assert_eq!(store.review(&whole(s), r.id).await.unwrap().updated_at, v2.updated_at, "what is returned is what is stored");
});

both_backends!(r02_r05_the_register_filters_and_counts_in_sql_by_any_need_area_status_year_stage_and_review, |store| {
    use senplan_core::need::{BroadArea, NeedCode};
    use senplan_store::register::{RegisterFilter, ReviewDue};
    let (s, a) = school_with_pupil(store).await;
    // A: SEN support, primary SLCN and a secondary SEMH need, a plan due for review on 12 February 2027.
    let cycle_a = on_sen_support(store, s, a).await;
    draft_plan(store, &system(s), s.0, cycle_a, plan()).await.unwrap();
    // B: an EHC plan, a specific learning difficulty, in year 6.
    let mut details = pupil(2);
    details.year_group = senplan_core::pupil::YearGroup::Year(6);
    let b = store.create_pupil(&whole(s), &details, &ctx()).await.unwrap().id;
    let e = StatusChange { status: SenStatus::E, start: d(2026, 9, 20), reason: "EHC plan issued".into() };
    change_status(store, &system(s), s.0, b, &e).await.unwrap();
    store.set_needs(&whole(s), b, 0, &[need("SPLD", 1)], &ctx()).await.unwrap();
    // C: not on the register at all.
    store.create_pupil(&whole(s), &pupil(3), &ctx()).await.unwrap();
    let ids = |rows: &[senplan_core::record::RegisterRow]| rows.iter().map(|r| r.pupil_id).collect::<Vec<_>>();
    let run = |filter: RegisterFilter, today| async move { store.register_filtered(&whole(s), &filter, today).await.unwrap() };
    let today = d(2027, 1, 20);
    let (all, counts, years) = run(RegisterFilter::default(), today).await;
    assert_eq!(ids(&all), [a, b], "K and E, by family name; N is not on the register");
    assert_eq!((counts.total, counts.on_support, counts.with_ehc_plan), (2, 1, 1));
    assert_eq!((counts.due_soon, counts.overdue), (1, 0), "A's review on 12 Feb is within 28 days of 20 Jan");
    let mut years = years;
    years.sort();
    assert_eq!(years, ["4", "6"].map(|y| senplan_core::pupil::YearGroup::parse(y).unwrap().code()).to_vec());
    // Any need, not only the primary one; any need's area.
    let by_need = |n: &str| RegisterFilter { need: NeedCode::parse(n), ..RegisterFilter::default() };
    assert_eq!(ids(&run(by_need("SEMH"), today).await.0), [a], "a secondary need counts");
    assert_eq!(ids(&run(by_need("SPLD"), today).await.0), [b]);
    assert!(run(by_need("HI"), today).await.0.is_empty());
    let area = RegisterFilter { area: Some(BroadArea::SocialEmotionalMentalHealth), ..RegisterFilter::default() };
    assert_eq!(ids(&run(area, today).await.0), [a]);
    let status = RegisterFilter { status: Some(SenStatus::E), ..RegisterFilter::default() };
    assert_eq!(ids(&run(status, today).await.0), [b]);
    let year = RegisterFilter { year: Some(details.year_group.code()), ..RegisterFilter::default() };
    assert_eq!(ids(&run(year, today).await.0), [b]);
    let stage = RegisterFilter { stage: Some(senplan_core::cycle::Stage::Plan), ..RegisterFilter::default() };
    assert_eq!(ids(&run(stage, today).await.0), [a]);
    // Reviews: due soon on 20 January, overdue after 12 February; counts follow the day.
    let soon = RegisterFilter { review: Some(ReviewDue::Soon), ..RegisterFilter::default() };
    let overdue = RegisterFilter { review: Some(ReviewDue::Overdue), ..RegisterFilter::default() };
    assert_eq!(ids(&run(soon.clone(), today).await.0), [a]);
    assert!(run(overdue.clone(), today).await.0.is_empty());
    assert!(run(soon, d(2026, 12, 1)).await.0.is_empty(), "more than 28 days ahead is not yet due");
    let (late, counts, _) = run(overdue, d(2027, 2, 13)).await;
    assert_eq!((ids(&late), counts.overdue, counts.due_soon), (vec![a], 1, 0));
    // Filters combine.
    let both = RegisterFilter { status: Some(SenStatus::K), need: NeedCode::parse("SPLD"), ..RegisterFilter::default() };
    assert!(run(both, today).await.0.is_empty());
    // Changed needs change what the filter finds at once.
    store.set_needs(&whole(s), a, 1, &[need("SLCN", 1)], &ctx()).await.unwrap();
    assert!(run(by_need("SEMH"), today).await.0.is_empty(), "the index follows the needs record");
});

both_backends!(r11_my_sessions_lists_only_the_persons_pupils_and_logs_all_or_nothing, |store| {
    use chrono::TimeZone;
    use senplan_app::my_sessions::{Marked, log_my_sessions, my_sessions};
    use senplan_core::access::{Relationship, Role};
    use senplan_core::actor::Actor;
    use senplan_store::relationships::NewRelationship;
    let (s, own) = school_with_pupil(store).await;
    let other = store.create_pupil(&whole(s), &pupil(2), &ctx()).await.unwrap().id;
    let mut plans = Vec::new();
    for p in [own, other] {
        let cycle = on_sen_support(store, s, p).await;
        plans.push(draft_plan(store, &system(s), s.0, cycle, plan()).await.unwrap().id);
        let c = store.cycle(&whole(s), cycle).await.unwrap();
        transition(store, &system(s), s.0, cycle, c.version, Action::StartDelivery).await.unwrap();
    }
    let new_user = senplan_store::accounts::NewUser {
        email: "ta@synthetic.example".into(),
        name: "Synthetic TA".into(),
        role: Role::TeachingAssistant,
    };
    let ta = store.create_user(s, &new_user, "synthetic passphrase", &ctx()).await.unwrap().id;
    let rel = NewRelationship { user: ta, pupil: own, kind: Relationship::DeliversProvision, starts_on: d(2026, 9, 1), expires_on: None };
    store.relate(&whole(s), &rel, &ctx()).await.unwrap();
    // Wednesday 25 November 2026.
    let actor =
        Actor::person(ta, Role::TeachingAssistant, s, "Synthetic TA", "test", chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
    let week = my_sessions(store, &actor, s.0).await.unwrap();
    assert_eq!((week.monday, week.friday), (d(2026, 11, 23), d(2026, 11, 27)));
    assert_eq!(week.sessions.iter().map(|x| (x.pupil_id, x.plan_id)).collect::<Vec<_>>(), [(own.0, plans[0].0)], "only their own pupil");
    assert!(week.sessions[0].due_today());
    let held = |plan| Marked { plan, provision: 1, held: true, minutes: 30, note: String::new() };
    // One row for a pupil the TA does not work with: refused, and nothing of the other row kept.
    let err = log_my_sessions(store, &actor, s.0, d(2026, 11, 25), &[(0, held(plans[0])), (1, held(plans[1]))]).await.unwrap_err();
    let AppError::Invalid(i) = err else { panic!("{err}") };
    assert_eq!(i.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(), [("sessions[1]", "unknown_session")]);
    for p in &plans {
        assert!(store.provision_sessions(&whole(s), *p, 1).await.unwrap().is_empty(), "all or nothing");
    }
    let trail = store.audit_for_pupil(&whole(s), other).await.unwrap();
    assert!(trail.iter().any(|a| a.actor == "Synthetic TA" && a.action == "refused"), "the refused row is audited: {trail:?}");
    // The row alone is logged, attended by the plan's pupil, and no longer due today.
    assert_eq!(log_my_sessions(store, &actor, s.0, d(2026, 11, 25), &[(0, held(plans[0]))]).await.unwrap(), 1);
    let logged = store.provision_sessions(&whole(s), plans[0], 1).await.unwrap();
    assert_eq!((logged[0].log.attendees.clone(), logged[0].recorded_by.as_str()), (vec![own.0], "Synthetic TA"));
    let week = my_sessions(store, &actor, s.0).await.unwrap();
    assert!(!week.sessions[0].due_today() && week.sessions[0].logged.len() == 1);
    assert!(matches!(log_my_sessions(store, &actor, s.0, d(2026, 11, 25), &[]).await, Err(AppError::Invalid(_))), "nothing marked");
});
