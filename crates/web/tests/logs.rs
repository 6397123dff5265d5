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
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (_, p) = senco.post(&format!("{s}/pupils"), json!({"upn": "A380200124417", "given_name": "Sam", "family_name": "Testington", "date_of_birth": "2017-05-04", "year_group": "4"})).await;
    let pupil = p["id"].as_i64().unwrap();
    senco
        .post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Struggles with instructions"}))
        .await;
    senco.get(&format!("{s}/pupils/{pupil}")).await;
    senco
        .post(
            &format!("{s}/pupils/{pupil}/status"),
            json!({"status": "E", "start": "2026-11-02", "reason": "Confidential reason about Sam"}),
        )
        .await;
    senco.post(&format!("{s}/pupils"), json!({"upn": "Z380200124417", "given_name": "Sam", "family_name": "Testington", "date_of_birth": "2017-05-04", "year_group": "4"})).await;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    parent
        .form(&format!("/portal/pupils/{pupil}/concerns"), &[("csrf_token", &parent.csrf), ("concern", "Private worry about reading")])
        .await;
    parent.page(&format!("/portal/pupils/{pupil}")).await;
    db.finish().await;
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("request"), "the capture works: {text:.500}");
    for secret in
        ["Testington", "2017-05-04", "Struggles with instructions", "Confidential reason", "Private worry", "Loves stories", PASSWORD]
    {
        assert!(!text.contains(secret), "'{secret}' leaked into the logs");
    }
}
