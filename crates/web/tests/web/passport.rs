//! The pupil passport (R30): written with the child by a teacher or through the portal
//! by the parent, kept with its history, shown to every adult who works with the pupil
//! beside the strategies, printed as one A4 page with its photo or drawing; bad pictures
//! and words that would not fit refused with a reason and nothing changed.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use senplan_docs::testing::read_pdf;
use serde_json::json;

use crate::on_both;
use crate::support::{App, Client};

/// A drawing (a sun in a blue sky), made for these tests.
const DRAWING: &[u8] = include_bytes!("drawing.png");

/// A pupil on SEN support with a plan; returns the pupil's id.
async fn pupil_with_plan(app: &App, senco: &Client, n: usize, given: &str) -> i64 {
    let s = app.api();
    let body = json!({"upn": crate::access::upn(n), "given_name": given, "family_name": "Example", "date_of_birth": "2017-05-04", "year_group": "4"});
    let (st, p) = senco.post(&format!("{s}/pupils"), body).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let pupil = p["id"].as_i64().unwrap();
    senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let (st, made) = senco.post(&format!("{s}/cycles/{cycle}/plan"), crate::api::plan_json()).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    pupil
}

async fn upload(c: &Client, _app: &App, path: &str, version: i64, file: Option<(&str, &[u8])>, alt: &str) -> (StatusCode, String) {
    let version = version.to_string();
    c.upload(path, &[("version", &version), ("new_photo_alt", alt)], file.map(|(name, bytes)| ("photo", name, bytes))).await
}

async fn passport_version(c: &Client, app: &App, pupil: i64) -> (i64, serde_json::Value) {
    let (st, p) = c.get(&format!("{}/pupils/{pupil}/passport", app.api())).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    (p["version"].as_i64().unwrap(), p)
}

on_both!(r30_a_teacher_writes_the_passport_with_the_child_and_every_adult_reads_it, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let pupil = pupil_with_plan(app, &senco, 401, "Tomos").await;
    let other = pupil_with_plan(app, &senco, 402, "Wren").await;
    let school = app.school.0;
    let page = format!("/schools/{school}/pupils/{pupil}/passport");
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;

    // No passport yet: the record invites the teacher to write one.
    let (_, record) = teacher.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(record.contains("has no pupil passport yet") && record.contains(&page), "the record links to the passport");

    // Written on the page, one point a line, with whom.
    let res = teacher
        .form(&page, &[
            ("csrf_token", &teacher.csrf),
            ("version", "0"),
            ("like_about_me", "I am good at Lego\n\n  I help my friends  "),
            ("matters_to_me", "My grandad"),
            ("how_to_help_me", "Tell me what is happening next\nLet me sit near the door"),
            ("find_hard", "Loud assemblies"),
            ("written_with", "staff"),
            ("written_with_names", "Mr Ahmed"),
        ])
        .await;
    assert!(res.status().is_redirection() || res.status() == StatusCode::OK, "{}", res.status());
    let (version, p) = passport_version(&teacher, app, pupil).await;
    assert_eq!(version, 1);
    assert_eq!(p["passport"]["like_about_me"], json!(["I am good at Lego", "I help my friends"]));
    assert_eq!(p["passport"]["written_with"], "staff");

    // A teaching assistant who works with the pupil reads it beside the strategies, and
    // on the record; a teacher of another pupil is told it does not exist.
    let ta = app.client(Role::TeachingAssistant, &[PupilId(pupil), PupilId(other)]).await;
    let (_, strategies) = ta.page(&format!("/schools/{school}/strategies")).await;
    assert!(strategies.contains("Tell me what is happening next") && strategies.contains("Let me sit near the door"), "{strategies}");
    assert_eq!(strategies.matches("How best to help me").count(), 1, "only the pupil with a passport has the line");
    let (_, record) = ta.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(record.contains("Let me sit near the door"));
    let (st, html) = ta.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("My grandad") && html.contains("Written by Tomos with Mr Ahmed") && !html.contains("Save the passport"), "a TA reads, does not write");
    let stranger = app.client(Role::Teacher, &[PupilId(other)]).await;
    assert_eq!(stranger.page(&page).await.0, StatusCode::NOT_FOUND);
    assert_eq!(stranger.get(&format!("{}/pupils/{pupil}/passport", app.api())).await.0, StatusCode::NOT_FOUND);
    // A TA may not write it.
    let (st, _) = ta.put(&format!("{}/pupils/{pupil}/passport", app.api()), json!({"version": 1, "like_about_me": ["x"], "written_with": "staff"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // The printed page: one A4 page, PDF/UA-1, the child's words, the version.
    let res = ta.http.get(format!("{}{page}.pdf", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = read_pdf(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((pdf.pages.len(), pdf.pdfua_part()), (1, Some(1)));
    for phrase in ["All about me: Tomos Example", "I help my friends", "Let me sit near the door", "Loud assemblies", "version 1"] {
        assert!(pdf.says(phrase), "{phrase}: {}", pdf.text());
    }
    assert!(!pdf.text().contains("Wren"), "another pupil never appears");

    // History: each save is a version; the first can still be printed.
    let (st, _) = teacher
        .put(&format!("{}/pupils/{pupil}/passport", app.api()), json!({"version": 1, "like_about_me": ["I am good at Lego"], "find_hard": ["Loud assemblies", "Writing by hand"], "written_with": "staff"}))
        .await;
    assert_eq!(st, StatusCode::OK);
    let (_, history) = senco.get(&format!("{}/history/passport/{pupil}", app.api())).await;
    assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");
    let res = ta.http.get(format!("{}{page}.pdf?version=1", app.base)).send().await.unwrap();
    let first = read_pdf(&res.bytes().await.unwrap()).unwrap();
    assert!(first.says("My grandad") && !first.says("Writing by hand"), "{}", first.text());
    // A stale version is a conflict and changes nothing.
    let (st, _) = teacher.put(&format!("{}/pupils/{pupil}/passport", app.api()), json!({"version": 1, "like_about_me": ["Overwritten"], "written_with": "staff"})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(passport_version(&teacher, app, pupil).await.1["passport"]["like_about_me"], json!(["I am good at Lego"]));
});

on_both!(r30_the_parent_writes_it_in_the_portal_and_adds_a_drawing, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let pupil = pupil_with_plan(app, &senco, 403, "Ada").await;
    let school = app.school.0;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (_, home) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(home.contains(&format!("/portal/pupils/{pupil}/passport")), "the portal links to the passport");
    let page = format!("/portal/pupils/{pupil}/passport");

    // A picture before there is a passport is refused: write it first.
    let (st, html) = upload(&parent, app, &format!("{page}/photo"), 0, Some(("sun.png", DRAWING)), "A sun").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Write the passport first"), "{html}");

    let res = parent
        .form(&page, &[("csrf_token", &parent.csrf), ("version", "0"), ("what_matters", ""), ("matters_to_me", "Swimming on Saturdays"), ("written_with", "parent"), ("written_with_names", "Dad")])
        .await;
    assert!(res.status().is_redirection() || res.status() == StatusCode::OK, "{}", res.status());

    // Bad pictures: not an image (whatever its name), or over 2 MB; nothing changes.
    let (st, html) = upload(&parent, app, &format!("{page}/photo"), 1, Some(("sun.png", b"%PDF-1.7 not a picture")), "A sun").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("not a picture senplan can keep"), "{html}");
    let mut big = DRAWING.to_vec();
    big.resize(2 * 1024 * 1024 + 1, 0);
    let (st, html) = upload(&parent, app, &format!("{page}/photo"), 1, Some(("sun.png", &big)), "A sun").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("the largest kept is 2 MB"), "{html}");
    let mut damaged = DRAWING[..40].to_vec();
    damaged.extend_from_slice(&[7; 40]);
    let (st, html) = upload(&parent, app, &format!("{page}/photo"), 1, Some(("sun.png", &damaged)), "A sun").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("may be damaged"), "{html}");
    // A picture must say what it shows.
    let (st, html) = upload(&parent, app, &format!("{page}/photo"), 1, Some(("sun.png", DRAWING)), " ").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("what the photo or drawing shows"), "{html}");
    // Without the CSRF token an upload is refused.
    let (kind, body) = crate::support::multipart("wrong-token", &[("version", "1"), ("new_photo_alt", "A sun")], Some(("photo", "sun.png", DRAWING)));
    let res = parent.http.post(format!("{}{page}/photo", app.base)).header("content-type", kind).body(body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let staff_view = app.client(Role::Senco, &[]).await;
    assert_eq!(passport_version(&staff_view, app, pupil).await.0, 1, "nothing changed");

    // A good one is kept and shown to staff, with what it shows.
    let (st, html) = upload(&parent, app, &format!("{page}/photo"), 1, Some(("sun.png", DRAWING)), "A drawing of the sun by Ada").await;
    assert!(st.is_redirection() || st == StatusCode::OK, "{st}: {html}");
    let (version, p) = passport_version(&staff_view, app, pupil).await;
    assert_eq!(version, 2);
    let sha = p["passport"]["photo"]["sha256"].as_str().unwrap().to_owned();
    assert_eq!(p["passport"]["photo"]["alt"], "A drawing of the sun by Ada");
    let res = staff_view.http.get(format!("{}/schools/{school}/pupils/{pupil}/passport/photos/{sha}", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().as_ref(), DRAWING);
    // Never served to someone the record is hidden from.
    let stranger = app.client(Role::Teacher, &[]).await;
    let res = stranger.http.get(format!("{}/schools/{school}/pupils/{pupil}/passport/photos/{sha}", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let other_parent = app.client(Role::ParentCarer, &[]).await;
    let res = other_parent.http.get(format!("{}{page}/photos/{sha}", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The printed passport carries the drawing as a figure with its words.
    let res = parent.http.get(format!("{}{page}.pdf", app.base)).send().await.unwrap();
    let pdf = read_pdf(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((pdf.pages.len(), pdf.count("Figure")), (1, 1), "{}", pdf.outline());
    assert!(pdf.says("Swimming on Saturdays") && pdf.says("Written by Ada with Dad"), "{}", pdf.text());
});

on_both!(r30_words_that_would_not_fit_one_page_are_refused_with_the_reason, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let pupil = pupil_with_plan(app, &senco, 404, "Ivo").await;
    let url = format!("{}/pupils/{pupil}/passport", app.api());
    let nine: Vec<String> = (1..=9).map(|i| format!("Point {i}")).collect();
    let (st, e) = senco.put(&url, json!({"version": 0, "find_hard": nine, "written_with": "staff"})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["field"], "find_hard", "{e}");
    let (st, e) = senco.put(&url, json!({"version": 0, "like_about_me": [], "written_with": "staff"})).await;
    assert_eq!((st, e["errors"][0]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("required")), "{e}");
    let (st, e) = senco.put(&url, json!({"version": 0, "like_about_me": ["Kind"]})).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("written_with")), "{e}");
    assert_eq!(senco.get(&url).await.1["version"], 0, "nothing stored");
    // The page shows the error on the field.
    let school = app.school.0;
    let res = senco
        .form(&format!("/schools/{school}/pupils/{pupil}/passport"), &[("csrf_token", &senco.csrf), ("version", "0"), ("like_about_me", "Kind"), ("written_with", "")])
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("Say who wrote the passport") && html.contains("href=\"#written_with\""), "{html}");
});
