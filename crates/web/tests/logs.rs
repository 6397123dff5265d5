//! The logs (security.md): every request is logged with its id, method, route template,
//! status and time, and no personal data or secret reaches the logs. A full journey
//! through the server with everything logged at TRACE level, then a search of the logs
//! for the synthetic pupil's name, date of birth and free text; and a reset link,
//! logged by its route, never its token. Its own test binary, so that its global log
//! subscriber sees everything and no other tests run beside these.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

#[path = "web/support.rs"]
#[allow(dead_code)] // shared with the main test binary, which uses all of it
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::support::{PASSWORD, sqlite_app};

/// Collects everything logged in this process.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Everything logged by this test binary, at every level, from the first call on.
fn logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber =
            tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).with_ansi(false).finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

#[tokio::test]
async fn no_personal_data_reaches_the_logs_on_a_full_journey() {
    let logs = logs();
    let (db, app) = sqlite_app().await;
    // Signed in through the API, so the password crosses the server.
    let senco_id = app.person(Role::Senco, &[]).await;
    let senco = app.sign_in(&app.store.user(senco_id).await.unwrap().email).await;
    let s = app.api();
    let sent = |st: reqwest::StatusCode, want: u16, what: &str| assert_eq!(st.as_u16(), want, "{what}");
    let (st, p) = senco.post(&format!("{s}/pupils"), json!({"upn": "A380200124417", "given_name": "Sam", "family_name": "Testington", "date_of_birth": "2017-05-04", "year_group": "4"})).await;
    sent(st, 201, "pupil");
    let pupil = p["id"].as_i64().unwrap();
    let (st, _) = senco
        .post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Struggles with instructions"}))
        .await;
    sent(st, 201, "status K");
    let (st, _) = senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    sent(st, 200, "needs");
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let plan = json!({
        "needs_addressed": ["SLCN"],
        "outcomes": [{"number": 1, "description": "Read 40 common words", "measure": "Words read correctly", "baseline": "10", "target": "40", "target_date": "2027-02-12", "need": "SLCN"}],
        "provision": [{"number": 1, "what": "Language group", "delivered_by": "Mrs Green (TA)", "minutes_per_session": 30, "sessions_per_week": 2, "group_size": 4, "start": "2026-10-05", "outcomes": [1]}],
        "strategies": ["Short instructions"], "responsible": "Mr Ahmed (class teacher)", "review_date": "2027-02-12",
        "parent_views": "Loves stories", "child_views": "I like the group"
    });
    let (st, _) = senco.post(&format!("{s}/cycles/{cycle}/plan"), plan).await;
    sent(st, 201, "plan");
    let (_, c) = senco.get(&format!("{s}/cycles/{cycle}")).await;
    let (st, _) =
        senco.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
    sent(st, 200, "start delivery");
    let review = json!({
        "held_on": "2026-11-20", "ratings": [{"outcome": 1, "rating": "partly_met", "evidence": "Secret evidence of 31 words"}], "progress": 1,
        "checklist": {"all_needs_identified": true, "help_in_place_for_all_needs": true, "outcomes_agreed_specific_measurable": true,
                      "progress_towards_outcomes": "Hidden progress note", "difference_help_is_making": "Hidden difference note"},
        "parent_views": "Mum says reading at bedtime", "child_views": "Reading is fun", "decision": "continue"
    });
    let (st, _) = senco.post(&format!("{s}/cycles/{cycle}/review"), review).await;
    sent(st, 201, "review");
    let (st, _) = senco.get(&format!("{s}/pupils/{pupil}")).await;
    sent(st, 200, "record");
    let (st, _) = senco
        .post(
            &format!("{s}/pupils/{pupil}/status"),
            json!({"status": "E", "start": "2026-11-02", "reason": "Confidential reason about Sam"}),
        )
        .await;
    sent(st, 201, "status E");
    // Refused input (a duplicate UPN) is logged without what was typed.
    let (st, _) = senco.post(&format!("{s}/pupils"), json!({"upn": "A380200124417", "given_name": "Sam", "family_name": "Testington", "date_of_birth": "2017-05-04", "year_group": "4"})).await;
    assert!(st.is_client_error(), "duplicate UPN refused: {st}");
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let res = parent
        .form(&format!("/portal/pupils/{pupil}/concerns"), &[("csrf_token", &parent.csrf), ("concern", "Private worry about reading")])
        .await;
    sent(res.status(), 303, "concern");
    let res = parent
        .form(&format!("/portal/pupils/{pupil}/views"), &[("csrf_token", &parent.csrf), ("views", "Private views before review")])
        .await;
    sent(res.status(), 303, "views");
    let (st, _) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    sent(st, 200, "portal");
    // A wrong password for a real address.
    let email = app.store.user(senco_id).await.unwrap().email;
    let res = reqwest::Client::new()
        .post(format!("{}/api/session", app.base))
        .json(&json!({"email": email, "password": "wrong synthetic password"}))
        .send()
        .await
        .unwrap();
    sent(res.status(), 400, "wrong password");
    db.finish().await;
    let text = logs.text();
    // Requests are logged by their route's template, never their path, so the journey
    // is in the logs without the ids of the child's records.
    for route in ["/api/schools/{school}/cycles/{cycle}/review", "/portal/pupils/{pupil}/concerns", "/portal/pupils/{pupil}/views"] {
        assert!(text.contains(&format!("route={route}")), "the request to {route} is logged: {text:.500}");
    }
    for path in [format!("{s}/cycles/{cycle}/review"), format!("/portal/pupils/{pupil}/concerns"), format!("/portal/pupils/{pupil}/views")]
    {
        assert!(!text.contains(&path), "the path {path} is not logged");
    }
    for secret in [
        "Testington",
        "2017-05-04",
        "Struggles with instructions",
        "Confidential reason",
        "Private worry",
        "Private views",
        "Loves stories",
        "Secret evidence",
        "Hidden progress",
        "Mum says",
        "synthetic.example",
        "wrong synthetic password",
        PASSWORD,
    ] {
        assert!(!text.contains(secret), "'{secret}' leaked into the logs");
    }
}

/// The log line that answered the request with id `id`.
fn answered<'a>(text: &'a str, id: &str) -> &'a str {
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(&format!("id={id}")) && l.contains("answered")).collect();
    assert_eq!(lines.len(), 1, "one line for request {id}: {lines:?}");
    lines[0]
}

#[tokio::test]
async fn requests_are_logged_with_their_id_and_route_never_a_reset_token() {
    let logs = logs();
    let (db, app) = sqlite_app().await;
    let user = app.person(Role::Teacher, &[]).await;
    let token = app.store.issue_reset(user, &senplan_store::Ctx::new("Synthetic administrator", chrono::Utc::now())).await.unwrap();
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let res = http.get(format!("{}/reset/{token}", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 32, "128 random bits: {id}");
    let html = res.text().await.unwrap();
    let csrf = html.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    // Choosing the new password: the token is in the path again.
    let res = http
        .post(format!("{}/reset/{token}", app.base))
        .form(&[("csrf_token", csrf.as_str()), ("password", "another synthetic passphrase"), ("confirm", "another synthetic passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let saved = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    // A used link, an address that matches no route, and a refusal before routing.
    let used = http.get(format!("{}/reset/{token}", app.base)).send().await.unwrap();
    assert_eq!(used.status(), 404);
    let nowhere = http.get(format!("{}/no-such-page/{token}", app.base)).send().await.unwrap();
    let nowhere_id = nowhere.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(id, saved, "a new id for every request");
    db.finish().await;
    let text = logs.text();
    assert!(!text.contains(&token), "the reset token reached the logs");
    let line = answered(&text, &id);
    assert!(line.contains(" INFO ") && line.contains("method=GET") && line.contains("route=/reset/{token}"), "{line}");
    assert!(line.contains("status=200") && line.contains("elapsed_ms="), "{line}");
    let line = answered(&text, &saved);
    assert!(line.contains("method=POST") && line.contains("route=/reset/{token}") && line.contains("status=200"), "{line}");
    let line = answered(&text, &nowhere_id);
    assert!(line.contains("route=(no route)") && line.contains("status=404"), "{line}");
    for secret in ["another synthetic passphrase", "synthetic.example"] {
        assert!(!text.contains(secret), "'{secret}' leaked into the logs");
    }
}
