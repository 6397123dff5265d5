//! API tests against a real server on port 0, on SQLite and PostgreSQL, as a
//! signed-in SENCO.

use reqwest::StatusCode;
use senplan_core::access::Role;
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{App, Client};

pub fn pupil_json(upn: &str) -> Value {
    json!({"upn": upn, "given_name": "Sam", "family_name": "Testington", "date_of_birth": "2017-05-04", "year_group": "4"})
}

pub fn outcome(n: u32, what: &str) -> Value {
    json!({"number": n, "description": what, "measure": "Words read correctly", "baseline": "10", "target": "40", "target_date": "2027-02-12", "need": "SLCN"})
}

pub fn plan_json() -> Value {
    json!({
        "needs_addressed": ["SLCN"],
        "outcomes": [outcome(1, "Read 40 common words"), outcome(2, "Retell a story in order")],
        "provision": [{"number": 1, "what": "Language group", "delivered_by": "Mrs Green (TA)", "minutes_per_session": 30,
                        "sessions_per_week": 2, "group_size": 4, "start": "2026-10-05", "outcomes": [1, 2]}],
        "strategies": ["Short instructions"],
        "responsible": "Mr Ahmed (class teacher)",
        "review_date": "2027-02-12",
        "parent_views": "Loves stories",
        "child_views": "I like the group"
    })
}

pub fn review_json(second: &str) -> Value {
    json!({
        "held_on": "2026-11-20",
        "ratings": [{"outcome": 1, "rating": "met", "evidence": "Read 42 words"}, {"outcome": 2, "rating": second, "evidence": "3 of 5 events"}],
        "progress": 1,
        "checklist": {"all_needs_identified": true, "help_in_place_for_all_needs": true, "outcomes_agreed_specific_measurable": true,
                      "progress_towards_outcomes": "Good progress", "difference_help_is_making": "More confident"},
        "parent_views": "Pleased", "child_views": "Reading is fun", "decision": "continue"
    })
}

/// The school's costing settings: a teaching assistant at £15 an hour and the
/// six-half-term calendar of 2026–27.
pub async fn teaching_assistant_costing(senco: &Client, s: &str) {
    let (_, before) = senco.get(&format!("{s}/costing/settings")).await;
    let costing = json!({"settings": {"staff_roles": [{"key": "teaching_assistant", "name": "Teaching assistant", "hourly_cost": 1500}],
        "calendar": senplan_store::testing::calendar()}});
    let (st, set) = senco.put(&format!("{s}/costing/settings"), json!({"version": before["version"], "costing": costing})).await;
    assert_eq!(st, StatusCode::OK, "{set}");
}

/// A pupil to make: the `n`th synthetic UPN, names, date of birth and year group.
pub struct NewPupil<'a> {
    pub n: usize,
    pub given: &'a str,
    pub family: &'a str,
    pub born: &'a str,
    pub year: &'a str,
}

/// A pupil on K with SLCN and the plan of `plan_json` drafted, its support started when
/// `deliver`: (pupil, plan).
pub async fn pupil_with_plan(senco: &Client, s: &str, p: NewPupil<'_>, deliver: bool) -> (i64, i64) {
    let body = json!({"upn": crate::access::upn(p.n), "given_name": p.given, "family_name": p.family, "date_of_birth": p.born, "year_group": p.year});
    let (st, made) = senco.post(&format!("{s}/pupils"), body).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let pupil = made["id"].as_i64().unwrap();
    senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let (st, plan) = senco.post(&format!("{s}/cycles/{cycle}/plan"), plan_json()).await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    if deliver {
        let (_, c) = senco.get(&format!("{s}/cycles/{cycle}")).await;
        let (st, c) =
            senco.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
        assert_eq!(st, StatusCode::OK, "{c}");
    }
    (pupil, plan["id"].as_i64().unwrap())
}

/// A signed-in SENCO and a pupil on K with SLCN: returns (client, school path, pupil id, cycle id).
pub async fn pupil_on_support(app: &App) -> (Client, String, i64, i64) {
    let srv = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (st, pupil) = srv.post(&format!("{s}/pupils"), pupil_json("A380200124417")).await;
    assert_eq!(st, StatusCode::CREATED, "{pupil}");
    let p = pupil["id"].as_i64().unwrap();
    let (st, hist) = srv
        .post(&format!("{s}/pupils/{p}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Language needs identified"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{hist}");
    let (st, needs) = srv.put(&format!("{s}/pupils/{p}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    assert_eq!(st, StatusCode::OK, "{needs}");
    let (_, cycles) = srv.get(&format!("{s}/pupils/{p}/cycles")).await;
    let c = cycles[0]["id"].as_i64().unwrap();
    (srv, s, p, c)
}

on_both!(r05_full_cycle_through_the_api_keeps_every_version, |app| {
    let (srv, s, p, c) = pupil_on_support(app).await;
    let (st, contrib) = srv
        .post(&format!("{s}/cycles/{c}/contributions"), json!({"source": "parent_carer", "contributor": "Mrs Testington", "date": "2026-09-20", "content": "Struggles with instructions"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{contrib}");
    let (st, plan) = srv.post(&format!("{s}/cycles/{c}/plan"), plan_json()).await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    let plan_id = plan["id"].as_i64().unwrap();
    let (st, plan) = srv
        .post(
            &format!("{s}/plans/{plan_id}/provision"),
            json!({"version": 1, "provision": {"number": 0, "what": "1:1 reading", "delivered_by": "Ms Hart (HLTA)",
            "minutes_per_session": 15, "sessions_per_week": 3, "group_size": 1, "start": "2026-10-05", "outcomes": [1]}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    assert_eq!(plan["content"]["provision"][1]["number"], 2);
    let (_, cycle) = srv.get(&format!("{s}/cycles/{c}")).await;
    assert_eq!(cycle["stage"], "plan");
    let (st, cycle) =
        srv.post(&format!("{s}/cycles/{c}/transitions"), json!({"version": cycle["version"], "action": "start_delivery"})).await;
    assert_eq!((st, cycle["stage"].as_str()), (StatusCode::OK, Some("do")));
    let (st, rec) = srv.post(&format!("{s}/cycles/{c}/review"), review_json("not_met")).await;
    assert_eq!(st, StatusCode::CREATED, "{rec}");
    let next = &rec["next_cycle"];
    assert_eq!((next["number"].as_i64(), next["stage"].as_str()), (Some(2), Some("assess")));
    assert_eq!(next["carried"]["outcomes"][0]["description"], "Retell a story in order");
    let (_, register) = srv.get(&format!("{s}/register")).await;
    assert_eq!(register[0]["stage"], "assess");
    // Every version of every record is retrievable.
    let (st, versions) = srv.get(&format!("{s}/history/plan/{plan_id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["body"]["content"]["provision"].as_array().unwrap().len(), 1);
    assert_eq!(versions[1]["changed_by"], "Synthetic SENCO");
    let (_, cycle_versions) = srv.get(&format!("{s}/history/cycle/{c}")).await;
    let stages: Vec<_> = cycle_versions.as_array().unwrap().iter().map(|v| v["body"]["stage"].as_str().unwrap().to_owned()).collect();
    assert_eq!(stages, vec!["assess", "plan", "do", "closed"]);
    let review_id = rec["review"]["id"].as_i64().unwrap();
    let (st, _) = srv.get(&format!("{s}/history/review/{review_id}")).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = srv.get(&format!("{s}/history/needs/{p}")).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = srv.get(&format!("{s}/history/pupil/{p}")).await;
    assert_eq!(st, StatusCode::OK);
});

on_both!(r01_invalid_upn_is_refused_with_its_census_rule_and_stores_nothing, |app| {
    let srv = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (st, err) = srv.post(&format!("{s}/pupils"), pupil_json("Z380200124417")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(err["code"], "upn_wrong_check_letter");
    assert_eq!(err["field"], "upn");
    assert!(err["message"].as_str().unwrap().contains("1510"), "{err}");
    let (_, roll) = srv.get(&format!("{s}/pupils")).await;
    assert_eq!(roll.as_array().unwrap().len(), 0);
});

on_both!(r02_unknown_need_code_is_refused_and_changes_nothing, |app| {
    let (srv, s, p, _) = pupil_on_support(app).await;
    let (st, err) = srv.put(&format!("{s}/pupils/{p}/needs"), json!({"version": 1, "needs": [{"code": "ADHD", "rank": 1}]})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("unknown_need_code"), Some("needs[0].code")));
    let (_, needs) = srv.get(&format!("{s}/pupils/{p}/needs")).await;
    assert_eq!((needs["version"].as_i64(), needs["needs"][0]["code"].as_str()), (Some(1), Some("SLCN")));
});

on_both!(r05_review_before_a_plan_is_refused_saying_what_is_allowed, |app| {
    let (srv, s, _, c) = pupil_on_support(app).await;
    let (st, err) = srv.post(&format!("{s}/cycles/{c}/review"), review_json("met")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(err["code"], "illegal_transition");
    assert!(err["message"].as_str().unwrap().contains("Allowed now: add an assessment contribution, write the plan"), "{err}");
    let (_, cycle) = srv.get(&format!("{s}/cycles/{c}")).await;
    assert_eq!((cycle["stage"].as_str(), cycle["version"].as_i64()), (Some("assess"), Some(1)));
});

on_both!(r20_stale_write_is_a_409_and_keeps_the_newer_version, |app| {
    let (srv, s, _, c) = pupil_on_support(app).await;
    let (_, plan) = srv.post(&format!("{s}/cycles/{c}/plan"), plan_json()).await;
    let id = plan["id"].as_i64().unwrap();
    let mut first = plan_json();
    first["responsible"] = json!("Miss Brook");
    let (st, _) = srv.put(&format!("{s}/plans/{id}"), json!({"version": 1, "content": first})).await;
    assert_eq!(st, StatusCode::OK);
    let mut stale = plan_json();
    stale["responsible"] = json!("Someone else");
    let (st, err) = srv.put(&format!("{s}/plans/{id}"), json!({"version": 1, "content": stale})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!((err["code"].as_str(), err["current_version"].as_i64()), (Some("conflict"), Some(2)));
    // The answer carries the stored version beside the message: content, version, who and when.
    assert_eq!(
        (err["current"]["version"].as_i64(), err["current"]["body"]["content"]["responsible"].as_str()),
        (Some(2), Some("Miss Brook"))
    );
    assert!(err["current"]["changed_by"].as_str().is_some_and(|b| !b.is_empty()), "{err}");
    assert!(err["current"]["changed_at"].as_str().is_some_and(|t| t.starts_with("20")), "{err}");
    let (_, now) = srv.get(&format!("{s}/plans/{id}")).await;
    assert_eq!(now["content"]["responsible"], "Miss Brook");
    // A negative version is a mistake in the request, not a conflict; a missing one too.
    let (st, err) = srv.put(&format!("{s}/plans/{id}"), json!({"version": -1, "content": plan_json()})).await;
    assert_eq!(
        (st, err["field"].as_str(), err["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("version"), Some("version_negative")),
        "{err}"
    );
    let (st, err) = srv.put(&format!("{s}/plans/{id}"), json!({"content": plan_json()})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{err}");
    let (_, now) = srv.get(&format!("{s}/plans/{id}")).await;
    assert_eq!((now["version"].as_i64(), now["content"]["responsible"].as_str()), (Some(2), Some("Miss Brook")));
});

on_both!(malformed_json_is_a_400_and_stores_nothing, |app| {
    let srv = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (st, err) = srv.raw(reqwest::Method::POST, &format!("{s}/pupils"), "application/json", "{\"upn\": \"Broken", true).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(err.contains("\"code\":\"malformed_json\""), "{err}");
    let mut p = pupil_json("A380200124417");
    p["date_of_birth"] = json!("31/02/2017");
    let (st, err) = srv.post(&format!("{s}/pupils"), p).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_field"), Some("date_of_birth")));
    let (_, roll) = srv.get(&format!("{s}/pupils")).await;
    assert_eq!(roll, json!([]));
});

on_both!(another_schools_pupil_answers_exactly_like_a_missing_one, |app| {
    let (_, s, p, c) = pupil_on_support(app).await;
    let other = app.store.create_school(&senplan_store::testing::school("654321"), &senplan_store::testing::ctx()).await.unwrap().id;
    // A SENCO of another school, asking through either school's path.
    let u = app
        .store
        .create_user(
            other,
            &senplan_store::accounts::NewUser { email: "senco@other.example".into(), name: "Other SENCO".into(), role: Role::Senco },
            crate::support::PASSWORD,
            &senplan_store::testing::ctx(),
        )
        .await
        .unwrap();
    let outsider = app.sign_in(&u.email).await;
    let o = format!("/api/schools/{other}");
    let (st_other, body_other) = outsider.get(&format!("{o}/pupils/{p}")).await;
    let (st_missing, body_missing) = outsider.get(&format!("{o}/pupils/999999")).await;
    assert_eq!((st_other, &body_other), (StatusCode::NOT_FOUND, &body_missing));
    assert_eq!(st_missing, StatusCode::NOT_FOUND);
    let (st, body) = outsider.get(&format!("{s}/pupils/{p}")).await;
    assert_eq!((st, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (st, _) = outsider.get(&format!("{o}/cycles/{c}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = outsider
        .post(
            &format!("{o}/cycles/{c}/contributions"),
            json!({"source": "staff", "contributor": "X", "date": "2026-10-01", "content": "Y"}),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = outsider.get(&format!("{o}/history/pupil/{p}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});

#[tokio::test]
async fn openapi_document_describes_every_route_and_healthz_answers() {
    let (db, app) = crate::support::sqlite_app().await;
    let http = reqwest::Client::new();
    let doc: Value = http.get(format!("{}/api/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/session",
        "/api/schools",
        "/api/schools/{school}/pupils/{pupil}",
        "/api/schools/{school}/pupils/{pupil}/status",
        "/api/schools/{school}/pupils/{pupil}/needs",
        "/api/schools/{school}/cycles/{cycle}/contributions",
        "/api/schools/{school}/cycles/{cycle}/plan",
        "/api/schools/{school}/plans/{plan}/outcomes",
        "/api/schools/{school}/plans/{plan}/provision",
        "/api/schools/{school}/cycles/{cycle}/review",
        "/api/schools/{school}/history/{entity}/{id}",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
    }
    assert!(doc["components"]["schemas"]["PlanContent"].is_object());
    // Every status a route can answer is documented with its JSON error body.
    let mut missing = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let has = |status: &str| op["responses"][status]["content"]["application/json"].is_object();
            let mut want = vec![];
            if path != "/api/session" {
                want.extend(["401", "403"]);
            }
            if path.contains('{') {
                want.push("404");
            }
            if let Some(body) = op.get("requestBody") {
                want.extend(["400", "413"]);
                // A file upload's type is read from its content: no 415.
                if body["content"]["application/json"].is_object() {
                    want.push("415");
                }
            }
            missing.extend(want.into_iter().filter(|s| !has(s)).map(|s| format!("{method} {path} {s}")));
        }
    }
    assert!(missing.is_empty(), "statuses not documented: {missing:?}");
    let res = http.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
    db.finish().await;
}

#[tokio::test]
async fn register_page_lists_pupils_on_sen_support_with_meanings() {
    let (db, app) = crate::support::sqlite_app().await;
    let (srv, _, _, _) = pupil_on_support(&app).await;
    let (st, html) = srv.page(&format!("/schools/{}", app.school)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("<h1 class=\"govuk-heading-l\">SEN register</h1>"));
    // The pupil's own row, not the filters or the glossary, shows status, need and stage.
    let rows: Vec<&str> = html.split("<tr").filter(|r| r.contains("Sam Testington")).collect();
    assert_eq!(rows.len(), 1, "one row for the pupil");
    let cells: Vec<String> = rows[0]
        .split("<td")
        .skip(1)
        .map(|c| {
            let inner = &c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()];
            inner
                .split('<')
                .map(|t| t.rsplit('>').next().unwrap_or(""))
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert!(cells.iter().any(|c| c == "SEN support (K)"), "status cell: {cells:?}");
    assert!(cells.iter().any(|c| c == "Speech, language and communication needs (SLCN)"), "need cell: {cells:?}");
    assert!(cells.iter().any(|c| c.starts_with("Assess")), "stage cell: {cells:?}");
    db.finish().await;
}
