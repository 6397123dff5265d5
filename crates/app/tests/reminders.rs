//! Reminders by e-mail (R32) end to end, on SQLite and PostgreSQL, with a real SMTP
//! server (Python's aiosmtpd, see `senplan_mail::testing`): the planner writes each
//! reminder once, the sender delivers it once, a family's e-mail names only their
//! child, people's choices are kept, and a refusing server leaves the reminder to be
//! tried again or failed for an administrator to see.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use std::path::Path;

use chrono::{NaiveTime, Utc};
use senplan_app::reminders::{plan, preferences, problems, save_preferences, send_due};
use senplan_core::access::{Relationship, Role};
use senplan_core::ids::{PupilId, SchoolId, UserId};
use senplan_core::meeting::{Kind, Person, Purpose, Role as At, Schedule};
use senplan_core::reminders::Preferences;
use senplan_core::status::{SenStatus, StatusChange};
use senplan_mail::testing::{Catcher, NEED_WORDS};
use senplan_mail::{BaseUrl, SmtpSender};
use senplan_store::accounts::NewUser;
use senplan_store::relationships::NewRelationship;
use senplan_store::testing::{ctx, d, plan as a_plan, pupil, school, system_on, whole};
use senplan_store::{Store, both_backends};

fn base() -> BaseUrl {
    BaseUrl::parse("https://senplan.oakfield.example").unwrap()
}

async fn person(store: &Store, s: SchoolId, email: &str, name: &str, role: Role) -> UserId {
    let u = NewUser { email: email.into(), name: name.into(), role };
    store.create_user(s, &u, "a long synthetic passphrase", &ctx()).await.unwrap().id
}

/// A school on Monday 23 November 2026: a pupil on SEN support whose review is agreed
/// for Friday 27 November and who has a meeting on Tuesday 24 November; the SENCO and
/// a parent. Returns (school, pupil, senco, parent).
async fn school_with_a_week_ahead(store: &Store, parent_email: &str) -> (SchoolId, PupilId, UserId, UserId) {
    let s = store.create_school(&school("300001"), &ctx()).await.unwrap().id;
    let p = store.create_pupil(&whole(s), &pupil(1), &ctx()).await.unwrap().id;
    let day = d(2026, 11, 2);
    let k = StatusChange { status: SenStatus::K, start: day, reason: "Needs identified".into() };
    senplan_app::pupils::change_status(store, &system_on(s, "Ms Rivera (SENCO)", day), s.0, p, &k).await.unwrap();
    let needs = [senplan_core::need::NeedInput { code: "SLCN".into(), rank: 1, area: None, description: String::new() }];
    store.set_needs(&whole(s), p, 0, &needs, &ctx()).await.unwrap();
    let cycle = store.cycles(&whole(s), p).await.unwrap()[0].id;
    let content = senplan_core::plan::PlanContent { review_date: d(2026, 11, 27), ..a_plan() };
    senplan_app::plans::draft_plan(store, &system_on(s, "Ms Rivera (SENCO)", day), s.0, cycle, content).await.unwrap();
    let senco = person(store, s, "senco@oakfield.example", "Ms Rivera", Role::Senco).await;
    let parent = person(store, s, parent_email, "Mrs Okafor", Role::ParentCarer).await;
    let rel = NewRelationship { user: parent, pupil: p, kind: Relationship::ParentOf, starts_on: day, expires_on: None };
    store.relate(&whole(s), &rel, &ctx()).await.unwrap();
    let meeting = Schedule {
        on: d(2026, 11, 24),
        at: NaiveTime::from_hms_opt(15, 30, 0).unwrap(),
        minutes: 30,
        kind: Kind::SenSupport,
        purpose: Purpose::Review,
        online: false,
        place: "The SENCO's office".into(),
        invited: vec![Person { name: "Mrs Okafor".into(), role: At::Parent, detail: String::new() }],
    };
    senplan_app::meetings::schedule(store, &system_on(s, "Ms Rivera (SENCO)", d(2026, 11, 20)), s.0, p, meeting, None).await.unwrap();
    (s, p, senco, parent)
}

fn catcher() -> Catcher {
    Catcher::start(Path::new(env!("CARGO_TARGET_TMPDIR")))
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

both_backends!(r32_reminders_are_planned_once_and_sent_once_through_a_real_smtp_server, |store| {
    let (s, _p, senco, parent) = school_with_a_week_ahead(store, "parent@family.example").await;
    let monday = d(2026, 11, 23);
    // The review (to the SENCO), the meeting (to the SENCO and the parent), the digest.
    assert_eq!(plan(store, s, monday, &base(), true).await.unwrap(), 4);
    assert_eq!(plan(store, s, monday, &base(), true).await.unwrap(), 0, "planned again: nothing new");

    let server = catcher();
    let sender: SmtpSender = server.sender();
    let run = send_due(store, &sender, &base(), "worker-a", Utc::now(), 100).await.unwrap();
    assert_eq!((run.sent, run.retrying, run.failed), (4, 0, 0));
    let again = send_due(store, &sender, &base(), "worker-b", Utc::now(), 100).await.unwrap();
    assert_eq!(again.sent, 0, "sent at most once, whichever worker asks");

    let got = server.received();
    assert_eq!(got.len(), 4, "{got:?}");
    let to = |addr: &str| got.iter().filter(|m| m["to"].as_str().unwrap().contains(addr)).cloned().collect::<Vec<_>>();
    let family = to("parent@family.example");
    assert_eq!(family.len(), 1);
    let body = family[0]["body"].as_str().unwrap();
    assert!(body.contains("about Alex.") && !body.contains("Testpupil"), "the family's e-mail names only their child's first name: {body}");
    assert!(body.contains("https://senplan.oakfield.example/portal/pupils/"), "{body}");
    let staff = to("senco@oakfield.example");
    assert_eq!(staff.len(), 3);
    let subjects: Vec<&str> = staff.iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert!(staff.iter().any(|m| m["body"].as_str().unwrap().contains("27 November 2026")), "the review's day in words: {subjects:?}");
    // Reminders about a pupil carry no need or health words (the digest to the SENCO
    // names checks, such as "parents not yet told about SEN support", and no pupil).
    for m in got.iter().filter(|m| !m["subject"].as_str().unwrap().starts_with("Weekly summary")) {
        for w in words(m["body"].as_str().unwrap()).iter().chain(words(m["subject"].as_str().unwrap()).iter()) {
            assert!(!NEED_WORDS.contains(&w.as_str()), "{w:?} in {m}");
        }
    }
    // Everyone sees their own reminders in the app.
    let rows = store.reminders_for(senco, Utc::now() - chrono::Duration::days(1)).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.state == "sent"));
    assert_eq!(store.reminders_for(parent, Utc::now() - chrono::Duration::days(1)).await.unwrap().len(), 1);
});

both_backends!(r32_people_choose_their_e_mails_and_failures_are_retried_or_shown, |store| {
    let (s, _p, senco, _parent) = school_with_a_week_ahead(store, "refuse-transient@family.example").await;
    // The SENCO turns off the weekly digest by e-mail: it is still in the app's list.
    let actor = senplan_core::actor::Actor::person(senco, Role::Senco, s, "Ms Rivera", "test", Utc::now());
    save_preferences(store, &actor, Preferences { weekly_digest: false, ..Preferences::default() }).await.unwrap();
    assert!(!preferences(store, &actor).await.unwrap().weekly_digest);
    assert_eq!(plan(store, s, d(2026, 11, 23), &base(), true).await.unwrap(), 4);

    let server = catcher();
    let run = send_due(store, &server.sender(), &base(), "worker-a", Utc::now(), 100).await.unwrap();
    assert_eq!((run.sent, run.retrying, run.failed), (2, 1, 0), "the digest stays in the app; the family's server says try later");
    let digest = store.reminders_for(senco, Utc::now() - chrono::Duration::days(1)).await.unwrap();
    assert!(digest.iter().any(|r| r.state == "app_only" && r.subject.starts_with("Weekly summary")), "{digest:?}");
    // Not due again until its backoff has passed; then tried again.
    assert_eq!(send_due(store, &server.sender(), &base(), "w", Utc::now(), 100).await.unwrap().retrying, 0);
    let later = Utc::now() + chrono::Duration::minutes(2);
    assert_eq!(send_due(store, &server.sender(), &base(), "w", later, 100).await.unwrap().retrying, 1);
    let admin = person(store, s, "admin@oakfield.example", "Mr Admin", Role::Administrator).await;
    let admin = senplan_core::actor::Actor::person(admin, Role::Administrator, s, "Mr Admin", "test", Utc::now());
    let shown = problems(store, &admin, s.0).await.unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].attempts, 2);
    assert!(shown[0].last_error.as_deref().unwrap().contains("451"), "{shown:?}");
    assert!(matches!(problems(store, &actor, s.0).await, Err(senplan_app::AppError::Forbidden)), "administrators only");
});
