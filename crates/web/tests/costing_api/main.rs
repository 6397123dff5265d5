//! Costing through the HTTP API and pages (R11, R15, R16, R17, R29, R34), on SQLite
//! and PostgreSQL, with exact figures. Calendar 2026–27 in six half terms (39 school
//! weeks, `senplan_store::testing::calendar`), 39 weeks a year, a teaching assistant
//! at £15.00 an hour and a teacher at £40.00.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use reqwest::StatusCode;
use senplan_store::testing::TestDb;
use senplan_store::{Backend, Store};
use senplan_web::AppState;
use serde_json::{Value, json};

struct Server {
    base: String,
    http: reqwest::Client,
    store: Store,
    /// The signed-in SENCO's CSRF token.
    csrf: std::sync::Mutex<String>,
}

impl Server {
    async fn start(store: Store) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = senplan_web::app(AppState::new(store.clone(), senplan_web::WebConfig::default()));
        tokio::spawn(
            async move { axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() },
        );
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        Server { base: format!("http://{addr}"), http, store, csrf: std::sync::Mutex::new(String::new()) }
    }

    /// A synthetic school and its SENCO, signed in; returns the school as JSON.
    async fn school(&self) -> Value {
        let ctx = senplan_store::testing::ctx();
        let school = self.store.create_school(&senplan_store::testing::school("123456"), &ctx).await.unwrap();
        let new = senplan_store::accounts::NewUser {
            email: "senco@synthetic.example".into(),
            name: "Ms Rivera (SENCO)".into(),
            role: senplan_core::access::Role::Senco,
        };
        self.store.create_user(school.id, &new, "synthetic passphrase for tests", &ctx).await.unwrap();
        let res = self
            .http
            .post(format!("{}/api/session", self.base))
            .json(&json!({"email": new.email, "password": "synthetic passphrase for tests"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        *self.csrf.lock().unwrap() = body["csrf_token"].as_str().unwrap().to_owned();
        json!({"id": school.id.0})
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let csrf = self.csrf.lock().unwrap().clone();
        let mut req = self.http.request(method, format!("{}{path}", self.base)).header("x-csrf-token", csrf);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    async fn text(&self, path: &str) -> (StatusCode, String, String) {
        let res = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        (res.status(), kind, res.text().await.unwrap())
    }
}

macro_rules! on_both {
    ($name:ident, |$srv:ident| $body:block) => {
        mod $name {
            use super::*;
            async fn run($srv: &Server) $body
            #[tokio::test]
            async fn sqlite() {
                let db = TestDb::new(Backend::Sqlite).await;
                run(&Server::start(db.store.clone()).await).await;
                db.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                if senplan_store::testing::pg_skipped(concat!(module_path!(), "::postgres")) {
                    return;
                }
                let db = TestDb::new(Backend::Postgres).await;
                run(&Server::start(db.store.clone()).await).await;
                db.finish().await;
            }
        }
    };
}

fn costing_json() -> Value {
    json!({
        "settings": {
            "staff_roles": [
                {"key": "teaching_assistant", "name": "Teaching assistant", "hourly_cost": 1500},
                {"key": "teacher", "name": "Teacher", "hourly_cost": 4000}
            ],
            // Six half terms, 39 school weeks (senplan_store::testing::calendar).
            "calendar": senplan_store::testing::calendar(),
            "sen_budgets": [{"year_start": "2026-04-01", "year_end": "2027-03-31", "amount": 2000000}]
        }
    })
}

fn provision(number: u32, role: &str, kind: &str, minutes: i64, sessions: u32, group: u32, start: &str) -> Value {
    json!({"number": number, "what": format!("Help {number}"), "delivered_by": "Mrs Green (TA)", "minutes_per_session": minutes,
           "sessions_per_week": sessions, "group_size": group, "start": start, "outcomes": [1], "staff_role": role, "provision_type": kind})
}

fn plan_json(provision: Vec<Value>) -> Value {
    json!({
        "needs_addressed": ["SLCN"],
        "outcomes": [{"number": 1, "description": "Read 40 common words", "measure": "Words read correctly", "baseline": "10", "target": "40", "target_date": "2027-02-12", "need": "SLCN"}],
        "provision": provision,
        "strategies": ["Short instructions"],
        "responsible": "Mr Ahmed (class teacher)",
        "review_date": "2027-02-12"
    })
}

/// A school with costing settings; returns its API path.
async fn school(srv: &Server) -> String {
    let (st, school) = (StatusCode::CREATED, srv.school().await);
    assert_eq!(st, StatusCode::CREATED, "{school}");
    let s = format!("/api/schools/{}", school["id"]);
    let (st, body) = srv.put(&format!("{s}/costing/settings"), json!({"version": 0, "costing": costing_json()})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    s
}

/// A pupil on K with SLCN and a drafted plan; returns (pupil id, cycle id, plan id).
async fn pupil_with_drafted_plan(srv: &Server, s: &str, upn: &str, given: &str, provision: Vec<Value>) -> (i64, i64, i64) {
    let (_, pupil) = srv
        .post(
            &format!("{s}/pupils"),
            json!({"upn": upn, "given_name": given, "family_name": "Testington", "date_of_birth": "2017-05-04", "year_group": "4"}),
        )
        .await;
    let p = pupil["id"].as_i64().unwrap();
    srv.post(&format!("{s}/pupils/{p}/status"), json!({"status": "K", "start": "2026-09-02", "reason": "Language needs identified"})).await;
    srv.put(&format!("{s}/pupils/{p}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = srv.get(&format!("{s}/pupils/{p}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let (st, plan) = srv.post(&format!("{s}/cycles/{cycle}/plan"), plan_json(provision)).await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    (p, cycle, plan["id"].as_i64().unwrap())
}

/// A pupil on K with SLCN and a plan whose support has started (sessions are logged
/// from the "do" stage); returns (pupil id, plan id).
/// Cara, whose plan gives her a small group with a teaching assistant from 2 November
/// 2026 (30 minutes, twice a week, three in the group), support started: (pupil, plan).
async fn cara_in_a_small_group(srv: &Server, s: &str) -> (i64, i64) {
    pupil_with_plan(srv, s, "A380200124417", "Cara", vec![provision(1, "teaching_assistant", "small_group_work", 30, 2, 3, "2026-11-02")])
        .await
}

async fn pupil_with_plan(srv: &Server, s: &str, upn: &str, given: &str, provision: Vec<Value>) -> (i64, i64) {
    let (p, cycle, plan) = pupil_with_drafted_plan(srv, s, upn, given, provision).await;
    let (_, c) = srv.get(&format!("{s}/cycles/{cycle}")).await;
    let (st, c) = srv.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
    assert_eq!((st, c["stage"].as_str()), (StatusCode::OK, Some("do")), "{c}");
    (p, plan)
}

on_both!(r15_bad_settings_are_refused_naming_the_field_and_change_nothing, |srv| {
    let s = school(srv).await;
    let mut bad = costing_json();
    bad["settings"]["staff_roles"][0]["hourly_cost"] = json!(-1500);
    bad["settings"]["calendar"]["terms"][0]["end"] = json!("2026-08-01");
    let (st, err) = srv.put(&format!("{s}/costing/settings"), json!({"version": 1, "costing": bad})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["field"], "settings.staff_roles[0].hourly_cost");
    assert_eq!(err["errors"][1]["field"], "settings.calendar.terms[0].end");
    assert_eq!(err["errors"][1]["code"], "end_before_start");
    let (_, now) = srv.get(&format!("{s}/costing/settings")).await;
    assert_eq!((now["version"].as_i64(), now["costing"]["settings"]["staff_roles"][0]["hourly_cost"].as_i64()), (Some(1), Some(1500)));
    // Negative minutes, group size 0, end before start, unknown staff role on a plan.
    let (_, pupil) = srv.post(&format!("{s}/pupils"), json!({"upn": "A380200124417", "given_name": "Sam", "family_name": "Testington", "date_of_birth": "2017-05-04", "year_group": "4"})).await;
    let p = pupil["id"].as_i64().unwrap();
    srv.post(&format!("{s}/pupils/{p}/status"), json!({"status": "K", "start": "2026-09-02", "reason": "Language needs"})).await;
    srv.put(&format!("{s}/pupils/{p}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = srv.get(&format!("{s}/pupils/{p}/cycles")).await;
    let plan_path = format!("{s}/cycles/{}/plan", cycles[0]["id"]);
    let (st, err) =
        srv.post(&plan_path, plan_json(vec![provision(1, "teaching_assistant", "small_group_work", -30, 1, 4, "2026-09-02")])).await;
    assert_eq!(
        (st, err["code"].as_str(), err["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_field"), Some("provision[0].minutes_per_session"))
    );
    let mut zero = provision(1, "teaching_assistant", "small_group_work", 30, 1, 0, "2026-09-02");
    zero["end"] = json!("2026-08-31");
    let (_, err) = srv.post(&plan_path, plan_json(vec![zero])).await;
    assert_eq!(
        (err["errors"][0]["field"].as_str(), err["errors"][1]["field"].as_str()),
        (Some("provision[0].group_size"), Some("provision[0].end"))
    );
    let (_, err) = srv.post(&plan_path, plan_json(vec![provision(1, "nurse", "small_group_work", 30, 1, 4, "2026-09-02")])).await;
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("unknown_staff_role"), Some("provision[0].staff_role")));
    let (st, _) = srv.get(&plan_path).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "no plan was stored");
    let (st, history) = srv.get(&format!("{s}/history/costing_settings/{}", s.rsplit('/').next().unwrap())).await;
    assert_eq!((st, history.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
});

on_both!(r15_r16_group_of_4_and_pupils_either_side_of_6000_with_csv, |srv| {
    let s = school(srv).await;
    let daily = provision(1, "teaching_assistant", "extra_adult_help", 120, 5, 1, "2026-09-02");
    pupil_with_plan(
        srv,
        &s,
        "A380200124417",
        "Cara",
        vec![daily.clone(), provision(2, "teaching_assistant", "small_group_work", 60, 1, 4, "2026-09-02")],
    )
    .await;
    let (dev, _) = pupil_with_plan(
        srv,
        &s,
        "B801200005001",
        "Dev",
        vec![daily, provision(2, "teaching_assistant", "small_group_work", 60, 1, 2, "2026-09-02")],
    )
    .await;
    let (st, r) = srv.get(&format!("{s}/costing/threshold?on=2026-11-23")).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!((r["above"].as_i64(), r["below"].as_i64(), r["threshold"].as_i64()), (Some(1), Some(1), Some(600_000)));
    assert_eq!((r["pupils"][0]["pupil_id"].as_i64(), r["pupils"][0]["annual_cost"].as_i64()), (Some(dev), Some(614_250)));
    assert_eq!(r["pupils"][0]["threshold"]["element3_candidate"], true);
    assert_eq!(r["pupils"][1]["annual_cost"], 599_625);
    assert_eq!(r["pupils"][1]["threshold"]["under_by"], 375);
    // Group of 4 for an hour a week: 0.25 h, 25%, £146.25 a year; 1 Dec – 31 Jan = 6.6 weeks: £24.75.
    let (_, m) = srv.get(&format!("{s}/costing/provision-map?from=2026-12-01&to=2027-01-31")).await;
    let line = &m["pupils"][0]["lines"][1];
    assert_eq!(
        (line["hours_per_week"].as_str(), line["share_bp"].as_i64(), line["annual_cost"].as_i64()),
        (Some("0.25"), Some(2500), Some(14_625))
    );
    assert_eq!((line["period"]["hours"].as_str(), line["period"]["cost"].as_i64()), (Some("1.65"), Some(2_475)));
    let (st, kind, csv) = srv.text(&format!("{s}/costing/provision-map.csv?from=2026-12-01&to=2027-01-31&pupil={dev}")).await;
    assert_eq!((st, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "a header and Dev's two lines:\n{csv}");
    assert!(lines[0].starts_with("Pupil,Year group,Area of need,Provision,"), "{}", lines[0]);
    assert_eq!(
        lines[2],
        "Dev Testington,4,Communication and interaction,Help 2,Small-group work,Mrs Green (TA),Teaching assistant,\"1 session a week of 60 minutes, in a group of 2\",2,50.00%,2026-09-02,,0.50,292.50,2026-12-01,2027-01-31,6.6,3.30,49.50,"
    );
    let (_, _, t) = srv.text(&format!("{s}/costing/threshold.csv?on=2026-11-23")).await;
    assert!(t.contains("Dev Testington,4,Communication and interaction,10.50,6142.50,6000.00,142.50,0.00,yes"), "{t}");
    let (st, err) = srv.get(&format!("{s}/costing/provision-map?from=1%20Dec")).await;
    assert_eq!((st, err["field"].as_str(), err["code"].as_str()), (StatusCode::BAD_REQUEST, Some("from"), Some("invalid_date")));
});

on_both!(r15_r16_part_year_provision_on_the_pages_api_and_csv, |srv| {
    let s = school(srv).await;
    let id = s.trim_start_matches("/api/schools/").to_owned();
    // 10 h a week all year (585000p) and 2 h a week in the spring term only (Tue 5 Jan –
    // Fri 26 Mar 2027, 10.8 school weeks: 3000p × 10.8 = 32400p): £6,174.00 for 2026–27.
    let mut spring = provision(2, "teaching_assistant", "small_group_work", 40, 3, 1, "2027-01-05");
    spring["end"] = json!("2027-03-26");
    let (dev, _) = pupil_with_plan(
        srv,
        &s,
        "B801200005001",
        "Dev",
        vec![provision(1, "teaching_assistant", "extra_adult_help", 120, 5, 1, "2026-09-02"), spring],
    )
    .await;
    let (_, r) = srv.get(&format!("{s}/costing/threshold?on=2026-11-23")).await;
    assert_eq!((r["pupils"][0]["annual_cost"].as_i64(), r["pupils"][0]["threshold"]["over_by"].as_i64()), (Some(617_400), Some(17_400)));
    assert_eq!((r["year_start"].as_str(), r["year_end"].as_str()), (Some("2026-09-01"), Some("2027-08-31")));
    // The autumn-term map lists the spring help (nothing in the range) and agrees.
    let (_, m) = srv.get(&format!("{s}/costing/provision-map?from=2026-11-23&to=2026-12-18")).await;
    assert_eq!(m["pupils"][0]["annual_cost"].as_i64(), Some(617_400));
    assert_eq!(
        (m["pupils"][0]["lines"][1]["annual_cost"].as_i64(), m["pupils"][0]["lines"][1]["period"]["cost"].as_i64()),
        (Some(32_400), Some(0))
    );
    let (_, _, csv) = srv.text(&format!("{s}/costing/provision-map.csv?from=2026-11-23&to=2027-08-31&pupil={dev}")).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[2].contains(",2027-01-05,2027-03-26,2.00,324.00,2026-11-23,2027-08-31,10.8,21.60,324.00,"), "{csv}");
    let (_, _, t) = srv.text(&format!("{s}/costing/threshold.csv?on=2026-11-23")).await;
    assert!(t.contains("Dev Testington,4,Communication and interaction,12.00,6174.00,6000.00,174.00,0.00,yes"), "{t}");
    // The pages say which year and link the map that agrees with the threshold page.
    let (st, _, html) = srv.text(&format!("/schools/{id}/costing/threshold?on=2026-11-23")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Each pupil's provision for the school year 2026 to 2027, most costly first"), "{html}");
    assert!(html.contains("£6,174.00"), "{html}");
    assert!(html.contains("provision-map.csv?from=2026-11-23&#38;to=2027-08-31&amp;pupil="), "{html}");
    let (st, _, html) = srv.text(&format!("/schools/{id}/costing/provision-map?from=2026-11-23&to=2026-12-18")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Cost in the school year 2026 to 2027"), "{html}");
    assert!(html.contains("£6,174.00") && html.contains("£324.00"), "{html}");
    // Costing pages link each pupil's name to their record.
    let record = format!("<a class=\"govuk-link\" href=\"/schools/{id}/pupils/{dev}\">Dev Testington</a>");
    assert!(html.contains(&record), "the map links the pupil: {html}");
    let (_, _, html) = srv.text(&format!("/schools/{id}/costing/threshold?on=2026-11-23")).await;
    assert!(html.contains(&record), "the threshold page links the pupil: {html}");
});

on_both!(r17_budget_json_and_csv, |srv| {
    let s = school(srv).await;
    pupil_with_plan(
        srv,
        &s,
        "A380200124417",
        "Cara",
        vec![provision(1, "teaching_assistant", "extra_adult_help", 120, 5, 1, "2026-09-02")],
    )
    .await;
    // £5,850.00 of £20,000.00: 29.25%, £14,150.00 left.
    let (_, b) = srv.get(&format!("{s}/costing/budget?on=2026-11-23")).await;
    assert_eq!((b["committed"].as_i64(), b["remaining"].as_i64(), b["used_bp"].as_i64()), (Some(585_000), Some(1_415_000), Some(2925)));
    let (_, _, csv) = srv.text(&format!("{s}/costing/budget.csv?on=2026-11-23")).await;
    assert!(csv.contains("Total,committed,Committed provision,5850.00,29.25%,100.00%"), "{csv}");
    assert!(csv.contains("Provision type,extra_adult_help,Extra adult help,5850.00,29.25%,100.00%"), "{csv}");
    assert!(csv.contains("Year group,4,Year 4,5850.00,29.25%,100.00%"), "{csv}");
});

on_both!(r11_r29_r34_sessions_impact_and_recap_through_the_api, |srv| {
    let s = school(srv).await;
    let (p, plan) = cara_in_a_small_group(srv, &s).await;
    let sessions = format!("{s}/plans/{plan}/provision/1/sessions");
    let (st, rec) = srv.post(&sessions, json!({"date": "2026-11-03", "held": true, "minutes_delivered": 30, "attendees": [p]})).await;
    assert_eq!(st, StatusCode::CREATED, "{rec}");
    let (st, err) = srv.post(&sessions, json!({"date": "2026-11-05", "held": false})).await;
    assert_eq!((st, err["field"].as_str()), (StatusCode::BAD_REQUEST, Some("reason_missed")));
    srv.post(&sessions, json!({"date": "2026-11-05", "held": false, "reason_missed": "School trip"})).await;
    // Mon 2 – Fri 6 Nov: 2 sessions, 60 min planned; 30 delivered (50%) at 750p.
    let (_, d) = srv.get(&format!("{s}/costing/delivery?from=2026-11-02&to=2026-11-06")).await;
    let row = &d["rows"][0]["pupil"];
    assert_eq!(
        (row["delivered_minutes"].as_i64(), row["delivered_bp"].as_i64(), row["delivered_cost"].as_i64(), row["sessions_missed"].as_i64()),
        (Some(30), Some(5000), Some(750), Some(1))
    );
    let (st, m) = srv.post(&format!("{s}/plans/{plan}/provision/1/impact"), json!({"unit": "words read", "entry": 12})).await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    let (st, m) = srv
        .put(
            &format!("{s}/impact/{}", m["id"]),
            json!({"version": 1, "measures": {"unit": "words read", "entry": 12, "exit": 30, "progress": 1}}),
        )
        .await;
    assert_eq!((st, m["version"].as_i64()), (StatusCode::OK, Some(2)));
    let (_, rows) = srv.get(&format!("{s}/costing/impact")).await;
    assert_eq!(
        (rows[0]["label"].as_str(), rows[0]["at_or_above_expected_bp"].as_i64(), rows[0]["changes"][0]["average_change_1dp"].as_str()),
        (Some("Small-group work"), Some(10_000), Some("18.0"))
    );
    let (_, recap) = srv.get(&format!("{s}/costing/recap?from=2026-11-01&to=2026-11-30")).await;
    assert_eq!(recap[0]["how_often"], "2 sessions a week of 30 minutes, in a group of 3");
    let (_, _, csv) = srv.text(&format!("{s}/costing/recap.csv?from=2026-11-01&to=2026-11-30")).await;
    assert!(csv.contains("Mrs Green (TA),Teaching assistant,Cara Testington,4,Help 1,Small-group work,\"2 sessions a week of 30 minutes, in a group of 3\",2026-11-02,,Read 40 common words (target: 40 by 12 February 2027),Short instructions,Mr Ahmed (class teacher),2027-02-12"), "{csv}");
    let (st, _) = srv.get("/api/schools/999999/costing/settings").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});

#[tokio::test]
async fn openapi_document_describes_the_costing_routes() {
    let db = TestDb::new(Backend::Sqlite).await;
    let srv = Server::start(db.store.clone()).await;
    let (_, doc) = srv.get("/api/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/schools/{school}/costing/settings",
        "/api/schools/{school}/plans/{plan}/provision/{number}/sessions",
        "/api/schools/{school}/plans/{plan}/provision/{number}/impact",
        "/api/schools/{school}/impact/{id}",
        "/api/schools/{school}/costing/provision-map",
        "/api/schools/{school}/costing/provision-map.csv",
        "/api/schools/{school}/costing/threshold",
        "/api/schools/{school}/costing/budget.csv",
        "/api/schools/{school}/costing/delivery",
        "/api/schools/{school}/costing/impact",
        "/api/schools/{school}/costing/recap.csv",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
    }
    assert!(doc["components"]["schemas"]["SchoolCosting"].is_object());
    assert!(
        doc["paths"]["/api/schools/{school}/costing/provision-map"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "from")
    );
    db.finish().await;
}

on_both!(r15_costing_pages_render_with_error_summary_and_kept_values, |srv| {
    let s = school(srv).await;
    let id = s.rsplit('/').next().unwrap().to_owned();
    for (path, heading) in
        [("costing/settings", "Costing settings"), ("costing/provision-map", "Costed provision map"), ("costing/recap", "Meeting recap")]
    {
        let (st, _, html) = srv.text(&format!("/schools/{id}/{path}")).await;
        assert_eq!(st, StatusCode::OK, "{path}");
        assert!(html.contains(&format!("<h1 class=\"govuk-heading-l\">{heading}</h1>")), "{path}");
    }
    let csrf = srv.csrf.lock().unwrap().clone();
    let form = [("csrf_token", csrf.as_str()), ("version", "1"), ("role-name", "Speech assistant"), ("role-rate", "-3")];
    let res = srv.http.post(format!("{}/schools/{id}/costing/settings/staff-role", srv.base)).form(&form).send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Costing settings"), "the title says there is an error");
    assert!(
        html.contains("<a href=\"#role-rate\">The hourly cost must be more than £0.00 and at most £1,000.00; got -£3.00</a>"),
        "{html}"
    );
    assert!(html.contains("value=\"Speech assistant\""), "what was typed is kept");
    let (_, now) = srv.get(&format!("{s}/costing/settings")).await;
    assert_eq!(now["version"], 1, "nothing saved");
    // A budget page before any budget covers the day explains instead of failing.
    let (st, _, html) = srv.text(&format!("/schools/{id}/costing/budget?on=2030-01-01")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("No notional SEN budget covers 1 January 2030"), "dates in words: {html}");
    // A date typed the UK way in the single box; and one that cannot exist, said plainly.
    let (st, _, html) = srv.text(&format!("/schools/{id}/costing/budget?on=01/01/2030")).await;
    assert!(st == StatusCode::OK && html.contains("No notional SEN budget covers 1 January 2030"), "{html}");
    let (_, _, html) = srv.text(&format!("/schools/{id}/costing/budget?on=30/02/2027")).await;
    assert!(html.contains("30 February 2027 does not exist"), "{html}");
    let (st, _, html) = srv.text(&format!("/schools/{id}/costing/threshold?on=tomorrow")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("&#39;tomorrow&#39; is not a date: use the form 26/11/2026 or 2026-11-26"), "{html}");
});

impl Server {
    /// Posts a page's form as the signed-in SENCO, following the redirect; returns
    /// (final URL, HTML). `saved`: whether the form must be saved (200 after the
    /// redirect) or shown again with its errors (400).
    async fn form(&self, path: &str, fields: &[(&str, &str)], saved: bool) -> (String, String) {
        let csrf = self.csrf.lock().unwrap().clone();
        let mut form = vec![("csrf_token", csrf.as_str())];
        form.extend_from_slice(fields);
        let res = self.http.post(format!("{}{path}", self.base)).form(&form).send().await.unwrap();
        let want = if saved { StatusCode::OK } else { StatusCode::BAD_REQUEST };
        assert_eq!(res.status(), want, "{path}");
        (res.url().to_string(), res.text().await.unwrap())
    }
}

on_both!(r29_impact_measure_recorded_from_the_page, |srv| {
    let s = school(srv).await;
    let id: i64 = s.rsplit('/').next().unwrap().parse().unwrap();
    let (cara, plan) = cara_in_a_small_group(srv, &s).await;
    let page = format!("/schools/{id}/costing/impact/record");
    let (st, _, html) = srv.text(&page).await;
    assert_eq!(st, StatusCode::OK);
    let choice = format!("{plan}-1");
    assert!(html.contains(&format!("<option value=\"{choice}\">Cara Testington – Help 1</option>")), "{html}");
    let (_, _, report) = srv.text(&format!("/schools/{id}/costing/impact")).await;
    assert!(report.contains(&format!("href=\"{page}\"")), "the impact page links to the form");
    // A missing unit and an entry that is not a whole number: both linked, what was typed kept, nothing stored.
    let (_, html) = srv
        .form(&page, &[("impact-provision", &choice), ("impact-unit", ""), ("impact-entry", "twelve"), ("impact-exit", "")], false)
        .await;
    assert!(html.contains("<title>Error: Record impact measures"), "{html}");
    assert!(html.contains("<a href=\"#impact-unit\">Enter what the measures count, for example reading age in months</a>"), "{html}");
    assert!(
        html.contains(
            "<a href=\"#impact-entry\">Enter the entry measure as a whole number, for example 84 (you typed &#39;twelve&#39;)</a>"
        ),
        "{html}"
    );
    assert!(html.contains("value=\"twelve\"") && html.contains(&format!("<option value=\"{choice}\" selected>")), "what was typed is kept");
    assert!(
        srv.store.impact_measures(&senplan_store::testing::whole(senplan_core::ids::SchoolId(id))).await.unwrap().is_empty(),
        "nothing stored"
    );
    // The entry measure, then the exit measure: one record, changed as version 2.
    let (url, html) = srv
        .form(
            &page,
            &[("impact-provision", &choice), ("impact-unit", "reading age in months"), ("impact-entry", "84"), ("impact-exit", "")],
            true,
        )
        .await;
    assert!(url.ends_with(&format!("/schools/{id}/costing/impact?recorded=1")), "{url}");
    assert!(html.contains("The measures were recorded."), "{html}");
    let expected = senplan_core::costing::ImpactRecord {
        pupil: cara,
        provision_type: "small_group_work".into(),
        unit: "reading age in months".into(),
        entry: 84,
        exit: None,
        progress: None,
    };
    let stored = srv.store.impact_measures(&senplan_store::testing::whole(senplan_core::ids::SchoolId(id))).await.unwrap();
    assert_eq!(
        stored.iter().map(|m| (m.plan_id, m.provision_number, m.version, m.record.clone())).collect::<Vec<_>>(),
        vec![(plan, 1, 1, expected.clone())]
    );
    srv.form(
        &page,
        &[("impact-provision", &choice), ("impact-unit", "reading age in months"), ("impact-entry", "84"), ("impact-exit", "96")],
        true,
    )
    .await;
    let stored = srv.store.impact_measures(&senplan_store::testing::whole(senplan_core::ids::SchoolId(id))).await.unwrap();
    let exit = senplan_core::costing::ImpactRecord { exit: Some(96), ..expected };
    assert_eq!(
        stored.iter().map(|m| (m.plan_id, m.provision_number, m.version, m.record.clone())).collect::<Vec<_>>(),
        vec![(plan, 1, 2, exit)]
    );
    let (_, rows) = srv.get(&format!("{s}/costing/impact")).await;
    assert_eq!(
        (
            rows[0]["label"].as_str(),
            rows[0]["pupils"].as_i64(),
            rows[0]["changes"][0]["unit"].as_str(),
            rows[0]["changes"][0]["average_change_1dp"].as_str()
        ),
        (Some("Small-group work"), Some(1), Some("reading age in months"), Some("12.0"))
    );
    let (_, _, report) = srv.text(&format!("/schools/{id}/costing/impact")).await;
    assert!(report.contains("12.0 reading age in months (1 measured)"), "{report}");
});

on_both!(r15_settings_page_warns_when_terms_hold_more_weeks_than_a_year_of_costs, |srv| {
    let s = school(srv).await;
    let id = s.trim_start_matches("/api/schools/").to_owned();
    let (_, _, html) = srv.text(&format!("/schools/{id}/costing/settings")).await;
    assert!(!html.contains("govuk-warning-text"), "six half terms: 39 weeks, no warning");
    // The same year as three terms with the half terms inside: 42 weeks.
    let mut three = costing_json();
    three["settings"]["calendar"] = json!({"terms": [
        {"name": "Autumn", "start": "2026-09-02", "end": "2026-12-18"},
        {"name": "Spring", "start": "2027-01-05", "end": "2027-03-26"},
        {"name": "Summer", "start": "2027-04-12", "end": "2027-07-21"}
    ]});
    let (st, body) = srv.put(&format!("{s}/costing/settings"), json!({"version": 1, "costing": three})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (_, _, html) = srv.text(&format!("/schools/{id}/costing/settings")).await;
    assert!(html.contains("The terms for 2026 to 2027 hold 42 school weeks, but annual costs use 39 weeks a year"), "{html}");
});

mod delivery;

on_both!(r16_csv_cells_a_spreadsheet_would_run_are_written_as_text, |srv| {
    let s = school(srv).await;
    let mut formula = provision(1, "teaching_assistant", "small_group_work", 60, 1, 2, "2026-09-02");
    formula["what"] = json!("=HYPERLINK(\"http://x.example\",\"Open\")");
    formula["delivered_by"] = json!("@Mrs Green");
    pupil_with_plan(srv, &s, "A380200124417", "Cara", vec![formula]).await;
    let (st, _, csv) = srv.text(&format!("{s}/costing/provision-map.csv?from=2026-12-01&to=2027-01-31")).await;
    assert_eq!(st, StatusCode::OK);
    let line = csv.lines().nth(1).unwrap();
    assert!(line.contains(",\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Open\"\")\",Small-group work,'@Mrs Green,"), "{line}");
    assert!(!csv.contains(",=") && !csv.contains(",@") && !csv.contains(",\"="), "no cell starts a formula:\n{csv}");
});
