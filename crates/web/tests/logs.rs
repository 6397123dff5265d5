//! No personal data reaches the logs (security.md): a full journey through the server
//! with everything logged at TRACE level, then a search of the logs for the synthetic
//! pupil's name, date of birth and free text. Its own test binary, so that its global
//! log subscriber sees everything and nothing else runs beside it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

#[path = "web/support.rs"]
#[allow(dead_code)] // shared with the main test binary, which uses all of it
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

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

#[tokio::test]
async fn no_personal_data_reaches_the_logs_on_a_full_journey() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).with_ansi(false).finish();
    // The only test in this binary, so the global subscriber sees the whole journey.
    tracing::subscriber::set_global_default(subscriber).unwrap();
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
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    // Requests are logged by method and path (ids only), so the journey is in the logs.
    for path in [format!("{s}/cycles/{cycle}/review"), format!("/portal/pupils/{pupil}/concerns"), format!("/portal/pupils/{pupil}/views")]
    {
        assert!(text.contains(&path), "the request to {path} is logged: {text:.500}");
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
