//! HTML pages against a real server on SQLite: snapshots of the key pages' `<main>`
//! (what a screen reader hears: headings, labels, error summaries), with dates of
//! "now" normalised; and the page-level rules (R20, R33, nothing stored on an error).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use chrono::{Days, Utc};
use reqwest::StatusCode;
use senplan_core::cycle::Action;
use senplan_core::ids::{CycleId, PupilId, SchoolId};
use senplan_core::need::{NeedCode, NeedInput};
use senplan_core::review::{Decision, Rating};
use senplan_core::status::{SenStatus, StatusChange};
use senplan_store::testing::{self, TestDb, ctx, d};
use senplan_store::{Backend, Store};
use senplan_web::AppState;

struct Site {
    base: String,
    http: reqwest::Client,
    db: TestDb,
    /// The signed-in SENCO's CSRF token, added to every form posted.
    csrf: std::sync::Mutex<String>,
}

/// A school with one pupil on SEN support (SLCN), at the start of cycle 1.
struct Fixture {
    school: SchoolId,
    pupil: PupilId,
    cycle: CycleId,
}

impl Site {
    async fn start() -> Site {
        let db = TestDb::new(Backend::Sqlite).await;
        let store = db.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = senplan_web::app(AppState::new(store, senplan_web::WebConfig::default()));
        tokio::spawn(
            async move { axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() },
        );
        // Redirects are followed, as a browser does after a POST; cookies are kept.
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        Site { base: format!("http://{addr}"), http, db, csrf: std::sync::Mutex::new(String::new()) }
    }

    fn store(&self) -> &Store {
        &self.db.store
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let csrf = self.csrf.lock().unwrap().clone();
        let mut fields = vec![("csrf_token", csrf.as_str())];
        fields.extend_from_slice(form);
        let res = self.http.post(format!("{}{path}", self.base)).form(&fields).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    async fn fixture(&self) -> Fixture {
        let s = self.store();
        let school = s.create_school(&testing::school("100001"), &ctx()).await.unwrap().id;
        let pupil = s.create_pupil(&testing::whole(school), &testing::pupil(1), &ctx()).await.unwrap().id;
        let change = StatusChange { status: SenStatus::K, start: d(2026, 9, 14), reason: "Language needs identified in class".into() };
        senplan_app::pupils::change_status(s, &testing::system(school), school.0, pupil, &change).await.unwrap();
        let need = NeedInput { code: "SLCN".into(), rank: 1, area: None, description: "Finds long instructions hard".into() };
        s.set_needs(&testing::whole(school), pupil, 0, &[need], &ctx()).await.unwrap();
        let cycle = s.cycles(&testing::whole(school), pupil).await.unwrap()[0].id;
        self.sign_in_as_senco(school).await;
        Fixture { school, pupil, cycle }
    }

    /// Creates the school's SENCO and signs in as them.
    async fn sign_in_as_senco(&self, school: SchoolId) {
        let password = "synthetic passphrase for tests";
        let new = senplan_store::accounts::NewUser {
            email: "senco@synthetic.example".into(),
            name: "Ms Rivera (SENCO)".into(),
            role: senplan_core::access::Role::Senco,
        };
        self.store().create_user(school, &new, password, &ctx()).await.unwrap();
        let res = self
            .http
            .post(format!("{}/api/session", self.base))
            .json(&serde_json::json!({"email": new.email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: serde_json::Value = res.json().await.unwrap();
        *self.csrf.lock().unwrap() = body["csrf_token"].as_str().unwrap().to_owned();
    }

    /// The fixture with its plan drafted (review date 100 days from today, so never "due").
    async fn with_plan(&self) -> Fixture {
        let f = self.fixture().await;
        let mut plan = testing::plan();
        plan.review_date = Utc::now().date_naive().checked_add_days(Days::new(100)).unwrap();
        senplan_app::plans::draft_plan(self.store(), &testing::system(f.school), f.school.0, f.cycle, plan).await.unwrap();
        f
    }
}

/// The `<main>` element, with the dates and ages of "now" replaced, for a snapshot.
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("a <main> element");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    html[start..end].lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

macro_rules! snapshot {
    ($name:expr, $html:expr) => {
        insta::with_settings!({ filters => vec![
            (r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}( at \d{1,2}:\d{2}(am|pm))?", "[date]"),
            (r#"(name="[^"]*\.(day|month|year)" type="text" inputmode="numeric" value=")[^"]*""#, "$1[n]\""),
            (r"\(age \d+\)", "(age [n])"),
            (r#"name="csrf_token" value="[0-9a-f]+""#, r#"name="csrf_token" value="[csrf]""#),
        ]}, {
            insta::assert_snapshot!($name, main_of($html));
        });
    };
}

#[tokio::test]
async fn snapshot_register() {
    let site = Site::start().await;
    let f = site.with_plan().await;
    let (st, html) = site.get(&format!("/schools/{}", f.school)).await;
    assert_eq!(st, StatusCode::OK);
    snapshot!("register", &html);
    site.db.finish().await;
}

#[tokio::test]
async fn snapshot_pupil_record_after_a_review_carries_the_unmet_outcome() {
    let site = Site::start().await;
    let f = site.with_plan().await;
    let s = site.store();
    let version = s.cycle(&testing::whole(f.school), f.cycle).await.unwrap().version;
    senplan_app::cycles::transition(s, &testing::system(f.school), f.school.0, f.cycle, version, Action::StartDelivery).await.unwrap();
    let review = testing::review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::NotMet)], Decision::Continue);
    senplan_app::reviews::record_review(s, &testing::system(f.school), f.school.0, f.cycle, review).await.unwrap();
    let (st, html) = site.get(&format!("/schools/{}/pupils/{}?done=review", f.school, f.pupil)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Cycle 2 has started with 1 outcome carried forward"));
    snapshot!("pupil_record", &html);
    site.db.finish().await;
}

/// A plan form as a browser posts it, with outcome 2's measure left blank.
fn plan_form(version: &'static str, responsible: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut form = vec![("action", "save"), ("version", version), ("needs_addressed", "SLCN")];
    for (i, what) in [(0, "Read 40 common words"), (1, "Retell a story in order")] {
        let keys: &[(&str, &str)] = &[
            ("number", ["1", "2"][i]),
            ("description", what),
            ("measure", ["Words read correctly", ""][i]),
            ("baseline", "10"),
            ("target", "40"),
            ("target_date.day", "12"),
            ("target_date.month", "2"),
            ("target_date.year", "2027"),
            ("need", "SLCN"),
            ("carried_from", ""),
        ];
        for (k, v) in keys {
            form.push((Box::leak(format!("outcomes[{i}].{k}").into_boxed_str()), v));
        }
    }
    form.extend([
        ("provision[0].number", "1"),
        ("provision[0].what", "Language group"),
        ("provision[0].delivered_by", "Mrs Green (TA)"),
        ("provision[0].minutes_per_session", "thirty"),
        ("provision[0].sessions_per_week", "2"),
        ("provision[0].group_size", "4"),
        ("provision[0].start.day", "2"),
        ("provision[0].start.month", "11"),
        ("provision[0].start.year", "2026"),
        ("provision[0].outcomes", "1"),
        ("provision[0].outcomes", "2"),
        ("strategies", "Short instructions"),
        ("responsible", responsible),
        ("review_date.day", "12"),
        ("review_date.month", "2"),
        ("review_date.year", "2027"),
    ]);
    form
}

#[tokio::test]
async fn snapshot_plan_editor_with_errors_keeps_what_was_typed_and_stores_nothing() {
    let site = Site::start().await;
    let f = site.fixture().await;
    let (st, html) = site.post(&format!("/schools/{}/cycles/{}/plan", f.school, f.cycle), &plan_form("0", "Mr Ahmed")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains(r##"<a href="#outcomes-1-measure">Enter how progress will be measured</a>"##), "{html}");
    assert!(html.contains(r##"<a href="#provision-0-minutes_per_session">The minutes per session must be a whole number, like 30</a>"##));
    assert!(html.contains(r#"value="thirty""#), "what was typed is shown again");
    assert!(site.store().cycle_plan(&testing::whole(f.school), f.cycle).await.unwrap().is_none(), "nothing stored");
    snapshot!("plan_editor_errors", &html);
    site.db.finish().await;
}

#[tokio::test]
async fn snapshot_review_form() {
    let site = Site::start().await;
    let f = site.with_plan().await;
    let version = site.store().cycle(&testing::whole(f.school), f.cycle).await.unwrap().version;
    senplan_app::cycles::transition(site.store(), &testing::system(f.school), f.school.0, f.cycle, version, Action::StartDelivery)
        .await
        .unwrap();
    let (st, html) = site.get(&format!("/schools/{}/cycles/{}/review", f.school, f.cycle)).await;
    assert_eq!(st, StatusCode::OK);
    snapshot!("review_form", &html);
    let (st, html) = site
        .post(
            &format!("/schools/{}/cycles/{}/review", f.school, f.cycle),
            &[("held_on.day", "20"), ("held_on.month", "11"), ("held_on.year", "2026")],
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    for href in [
        "#ratings-0-rating",
        "#ratings-1-evidence",
        "#progress",
        "#checklist-all_needs_identified",
        "#checklist-difference_help_is_making",
        "#decision",
    ] {
        assert!(html.contains(&format!(r#"<a href="{href}">"#)), "no link to {href}");
    }
    assert!(site.store().cycle_review(&testing::whole(f.school), f.cycle).await.unwrap().is_none(), "nothing stored");
    site.db.finish().await;
}

#[tokio::test]
async fn snapshot_conflict_page_shows_both_versions() {
    let site = Site::start().await;
    let f = site.with_plan().await;
    let path = format!("/schools/{}/cycles/{}/plan", f.school, f.cycle);
    let mut first = plan_form("1", "Ms Rivera (SENCO)");
    first.retain(|(k, _)| !k.ends_with("measure") && *k != "provision[0].minutes_per_session");
    first.extend([
        ("outcomes[0].measure", "Words read"),
        ("outcomes[1].measure", "Events retold"),
        ("provision[0].minutes_per_session", "30"),
    ]);
    let (st, _) = site.post(&path, &first).await;
    assert_eq!(st, StatusCode::OK, "the first save lands on the cycle page");
    let mut second = first.clone();
    second.retain(|(k, _)| *k != "responsible" && *k != "outcomes[0].target");
    second.extend([("responsible", "Mr Ahmed (class teacher)"), ("outcomes[0].target", "45 words")]);
    let (st, html) = site.post(&path, &second).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(html.contains("Someone else saved this plan while you were editing it"));
    assert!(html.contains(r#"name="version" value="2""#));
    assert!(html.contains(r#"value="45 words""#));
    snapshot!("plan_conflict", &html);
    site.db.finish().await;
}

#[tokio::test]
async fn r20_history_page_shows_every_version() {
    let site = Site::start().await;
    let f = site.with_plan().await;
    let s = site.store();
    let plan = s.cycle_plan(&testing::whole(f.school), f.cycle).await.unwrap().unwrap();
    let mut content = plan.content.clone();
    content.responsible = "Ms Rivera (SENCO)".into();
    senplan_app::plans::update_plan(s, &testing::system_on(f.school, "Mr Ahmed", d(2026, 11, 23)), f.school.0, plan.id, 1, content.clone())
        .await
        .unwrap();
    content.strategies.push("Visual timetable".into());
    senplan_app::plans::update_plan(s, &testing::system(f.school), f.school.0, plan.id, 2, content).await.unwrap();
    let (st, html) = site.get(&format!("/schools/{}/history/plan/{}", f.school, plan.id)).await;
    assert_eq!(st, StatusCode::OK);
    for v in ["Version 1", "Version 2", "Version 3"] {
        assert!(html.contains(v), "{v} missing");
    }
    assert!(html.contains("Saved by Mr Ahmed on 23 November 2026 at 9:00am"));
    assert!(html.contains("<del>Mr Ahmed, class teacher</del>") && html.contains("<ins>Ms Rivera (SENCO)</ins>"), "the change is shown");
    assert!(html.contains("Short instructions, Visual timetable") || html.contains("Give instructions in short chunks, Visual timetable"));
    site.db.finish().await;
}

#[tokio::test]
async fn r33_codes_are_explained_where_shown() {
    let site = Site::start().await;
    let f = site.with_plan().await;
    let pages = [
        format!("/schools/{}", f.school),
        format!("/schools/{}/pupils/{}", f.school, f.pupil),
        format!("/schools/{}/pupils/{}/needs", f.school, f.pupil),
        format!("/schools/{}/cycles/{}", f.school, f.cycle),
        format!("/schools/{}/cycles/{}/plan", f.school, f.cycle),
    ];
    for path in pages {
        let (st, html) = site.get(&path).await;
        assert_eq!(st, StatusCode::OK, "{path}");
        let main = main_of(&html);
        // Every code shown is shown with its meaning right before it, every time: a
        // meaning elsewhere on the page (say in a glossary) does not count.
        let pairs = NeedCode::ALL
            .iter()
            .map(|c| (c.code(), c.meaning()))
            .chain([SenStatus::K, SenStatus::E, SenStatus::N].iter().map(|s| (s.code(), s.meaning())));
        for (code, meaning) in pairs {
            let lower = main.to_lowercase();
            let shown = main.matches(&format!("({code})")).count();
            let explained = lower.matches(&format!("{} ({})", meaning.to_lowercase(), code.to_lowercase())).count();
            assert_eq!(shown, explained, "{path} shows ({code}) {} times without '{meaning}' before it", shown - explained);
            // A glossary entry is a code with its meaning beside it.
            let bare = main.matches(&format!(">{code}<")).count();
            let defined = main.matches(&format!(">{code}</dt><dd class=\"govuk-summary-list__value\">{meaning}")).count();
            assert_eq!(bare, defined, "{path} shows {code} bare");
        }
        assert!(!main.contains(">assess<") && !main.contains(">do<"), "{path} shows a raw stage code");
    }
    site.db.finish().await;
}

#[tokio::test]
async fn stale_pupil_and_needs_forms_show_the_conflict_and_keep_what_was_typed() {
    let site = Site::start().await;
    let f = site.fixture().await;
    let details = format!("/schools/{}/pupils/{}/details", f.school, f.pupil);
    let version = site.store().pupil(&testing::whole(f.school), f.pupil).await.unwrap().version.to_string();
    let csrf = site.csrf.lock().unwrap().clone();
    let form = |given: &'static str, version: String| {
        vec![
            ("csrf_token", csrf.clone()),
            ("version", version),
            ("upn", testing::pupil(1).upn.as_str().to_owned()),
            ("given_name", given.to_owned()),
            ("family_name", "Testpupil1".to_owned()),
            ("date_of_birth.day", "2".to_owned()),
            ("date_of_birth.month", "4".to_owned()),
            ("date_of_birth.year", "2017".to_owned()),
            ("year_group", "4".to_owned()),
        ]
    };
    let post = |form: Vec<(&'static str, String)>| {
        let url = format!("{}{details}", site.base);
        let http = site.http.clone();
        async move {
            let res = http.post(url).form(&form).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    assert_eq!(post(form("Alexandra", version.clone())).await.0, StatusCode::OK);
    let (st, html) = post(form("Alexander", version)).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(
        html.contains("Someone else saved this pupil&#39;s details") || html.contains("Someone else saved this pupil's details"),
        "{html}"
    );
    assert!(html.contains("Alexandra Testpupil1") && html.contains(r#"value="Alexander""#));
    assert!(html.contains(r#"name="version" value="2""#));

    let needs = format!("/schools/{}/pupils/{}/needs", f.school, f.pupil);
    let (st, _) = site.post(&needs, &[("version", "1"), ("needs[0].code", "ASD"), ("needs[0].rank", "1")]).await;
    assert_eq!(st, StatusCode::OK);
    let (st, html) = site.post(&needs, &[("version", "1"), ("needs[0].code", "SEMH"), ("needs[0].rank", "1")]).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(html.contains("Autistic spectrum disorder (ASD)"), "their version is shown");
    assert!(html.contains(r#"<option value="SEMH" selected>"#), "what was typed is kept");
    let (st, html) = site.post(&needs, &[("version", "2"), ("needs[0].code", "OTH"), ("needs[0].rank", "1")]).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains(r##"<a href="#needs-0-area">"##), "OTH needs an area: {html}");
    site.db.finish().await;
}

#[tokio::test]
async fn r28_cycle_page_flags_vague_wording_and_r27_gaps_in_the_golden_thread() {
    let site = Site::start().await;
    let f = site.fixture().await;
    let mut plan = testing::plan();
    plan.provision[0].what = "Access to a quiet room as needed".into();
    plan.outcomes[1].need = None;
    senplan_app::plans::draft_plan(site.store(), &testing::system(f.school), f.school.0, f.cycle, plan).await.unwrap();
    let (st, html) = site.get(&format!("/schools/{}/cycles/{}", f.school, f.cycle)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Things to check in this plan"), "{html}");
    assert!(html.contains("Outcome 2 is not linked to a need"));
    assert!(
        html.contains("Provision 1 says &quot;access to&quot;, which says something is available, not that it is given")
            || html.contains("Provision 1 says &#34;access to&#34;"),
        "{html}"
    );
}
