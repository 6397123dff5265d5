//! Requests for an EHC needs assessment and the evidence pack (R19): the review's
//! decision points to the request; the SENCO records who asked, when, that the parents
//! were told and the signs of seed 000; the evidence pack holds the reviewed plan, the
//! hours and cost of the last twelve months (the pupil's share only, to the penny),
//! specialist advice and views, and nothing about another pupil; bad requests are
//! refused with the field and nothing is stored.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use senplan_docs::testing::{ReadPdf, read_pdf};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{App, Client};

async fn post_ok(c: &Client, path: &str, body: Value) -> Value {
    let (st, v) = c.post(path, body).await;
    assert!(st.is_success(), "{path}: {st} {v}");
    v
}

async fn transition(c: &Client, s: &str, cycle: i64, action: &str) {
    let (_, cy) = c.get(&format!("{s}/cycles/{cycle}")).await;
    post_ok(c, &format!("{s}/cycles/{cycle}/transitions"), json!({"version": cy["version"], "action": action})).await;
}

/// A pupil ("Rhys Example") whose first cycle had specialist advice, a costed plan of
/// 30 minutes twice a week in a group of 4 with a teaching assistant at £15 an hour
/// from Monday 5 to Friday 23 October 2026 (3 school weeks), two sessions logged, and a
/// review that decided to request an EHC needs assessment. Returns (pupil, other pupil).
async fn pupil_with_a_reviewed_cycle(app: &App, senco: &Client) -> (i64, i64) {
    let s = app.api();
    crate::api::teaching_assistant_costing(senco, &s).await;
    let mut ids = Vec::new();
    for (n, given) in [(501, "Rhys"), (502, "Wynn")] {
        let body = json!({"upn": crate::access::upn(n), "given_name": given, "family_name": "Example", "date_of_birth": "2017-05-04", "year_group": "4"});
        ids.push(post_ok(senco, &format!("{s}/pupils"), body).await["id"].as_i64().unwrap());
    }
    let (pupil, other) = (ids[0], ids[1]);
    post_ok(senco, &format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let contributions = format!("{s}/cycles/{cycle}/contributions");
    post_ok(senco, &contributions, json!({"source": "specialist_agreement", "contributor": "Mrs Example", "date": "2026-09-20",
        "content": "Agreed to ask the speech and language therapist", "agreed_by": "parent"})).await;
    post_ok(senco, &contributions, json!({"source": "specialist", "contributor": "Sam Okafor", "date": "2026-09-25",
        "content": "Use visual timetables and pre-teach vocabulary", "specialist_service": "Speech and language therapy"})).await;
    let mut plan = crate::api::plan_json();
    plan["provision"][0]["staff_role"] = json!("teaching_assistant");
    plan["provision"][0]["end"] = json!("2026-10-23");
    let made = post_ok(senco, &format!("{s}/cycles/{cycle}/plan"), plan).await;
    let plan_id = made["id"].as_i64().unwrap();
    transition(senco, &s, cycle, "start_delivery").await;
    let sessions = format!("{s}/plans/{plan_id}/provision/1/sessions");
    // 30 minutes shared by two pupils: 15 minutes and £3.75 each. 20 minutes alone: £5.00.
    post_ok(senco, &sessions, json!({"date": "2026-10-06", "held": true, "minutes_delivered": 30, "attendees": [pupil, other]})).await;
    post_ok(senco, &sessions, json!({"date": "2026-10-08", "held": true, "minutes_delivered": 20, "attendees": [pupil]})).await;
    transition(senco, &s, cycle, "start_review").await;
    let mut review = crate::api::review_json("not_met");
    review["decision"] = json!("request_ehc_needs_assessment");
    review["decision_reason"] = json!("Little progress with language despite the group");
    post_ok(senco, &format!("{s}/cycles/{cycle}/review"), review).await;
    (pupil, other)
}

async fn pack(c: &Client, app: &App, pupil: i64) -> ReadPdf {
    let res = c.http.get(format!("{}/schools/{}/pupils/{pupil}/evidence-pack.pdf", app.base, app.school.0)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    read_pdf(&res.bytes().await.unwrap()).unwrap()
}

on_both!(r19_the_senco_records_the_request_and_produces_the_evidence_pack, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let (pupil, _) = pupil_with_a_reviewed_cycle(app, &senco).await;
    let school = app.school.0;
    let page = format!("/schools/{school}/pupils/{pupil}/ehc-request");

    // The record links to it; the review's decision is waiting for its request.
    let (_, record) = senco.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(record.contains(&page), "the SENCO reaches the request from the record");
    let (st, html) = senco.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("decided to request an EHC needs assessment"), "{html}");
    let (_, listed) = senco.get(&format!("{}/pupils/{pupil}/ehc-requests", app.api())).await;
    let review = listed["review_asking"].as_i64().expect("the review is asking");

    // The school asks without recording that the parents were told: refused on the page.
    let mut fields = vec![
        ("csrf_token", senco.csrf.clone()),
        ("from_review", review.to_string()),
        ("requested_by", "school".into()),
        ("requested_on.day", "25".into()),
        ("requested_on.month", "11".into()),
        ("requested_on.year", "2026".into()),
        ("reasons", "Two terms of language support with little progress".into()),
        ("signs.part_time_timetable.evidence", "Mornings only since the start of term".into()),
        ("signs.part_time_timetable.since.day", "7".into()),
        ("signs.part_time_timetable.since.month", "9".into()),
        ("signs.part_time_timetable.since.year", "2026".into()),
        ("signs.little_progress.evidence", "Language outcome not met at the review".into()),
    ];
    let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let res = senco.http.post(format!("{}{page}", app.base)).form(&as_refs(&fields)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("The school must tell the parents") && html.contains("href=\"#parents_told-on\""), "{html}");
    assert_eq!(html.matches("The school must tell the parents it is asking for an assessment").count(), 2, "once in the summary, once on the field");
    assert!(html.contains("Mornings only since the start of term"), "what was typed is kept");

    // With the parents told, it is recorded; the review no longer waits.
    fields.extend([
        ("parents_told.on.day", "24".into()),
        ("parents_told.on.month", "11".into()),
        ("parents_told.on.year", "2026".into()),
        ("parents_told.method", "letter".into()),
        ("parents_told.by", "Ms Rivera".into()),
    ]);
    let res = senco.http.post(format!("{}{page}", app.base)).form(&as_refs(&fields)).send().await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let (_, listed) = senco.get(&format!("{}/pupils/{pupil}/ehc-requests", app.api())).await;
    assert_eq!(listed["review_asking"], Value::Null);
    assert_eq!(listed["requests"].as_array().map(Vec::len), Some(1));
    let r = &listed["requests"][0];
    assert_eq!(r["request"]["from_review"], review);
    assert_eq!(
        r["in_words"],
        "Asked by the school on 25 November 2026; the parents were told by letter on 24 November 2026 by Ms Rivera"
    );
    assert_eq!(r["request"]["indicators"][0]["indicator"], "part_time_timetable");

    // The evidence pack: the request, the signs, the reviewed plan, the specialist's
    // advice, and the twelve months' support as the pupil's share, to the penny.
    let p = pack(&senco, app, pupil).await;
    assert_eq!(p.pdfua_part(), Some(1));
    for phrase in [
        "EHC needs assessment evidence: Rhys Example",
        "Asked by: The school",
        "Parents told: By letter on 24 November 2026 by Ms Rivera",
        "Two terms of language support with little progress",
        "On a part-time timetable for more than 6 weeks",
        "Mornings only since the start of term",
        "Since 7 September 2026",
        "A lot of help but little progress",
        "Speech, language and communication needs (SLCN)",
        "Cycle 1: plan version 1, reviewed on 20 November 2026",
        "Read 42 words",
        "Decision: Request an EHC needs assessment.",
        "Sam Okafor (Speech and language therapy), 25 September 2026",
        "Use visual timetables and pre-teach vocabulary",
        "Loves stories",
        "I like the group",
    ] {
        assert!(p.says(phrase), "{phrase}: {}", p.text());
    }
    // Planned: 15 minutes a week (30 × 2 ÷ 4) for 3 school weeks = 0.75 hours, £11.25.
    // Delivered: 30 ÷ 2 + 20 = 35 minutes = 0.58 hours; £3.75 + £5.00 = £8.75.
    let flat = p.flat_text();
    assert!(flat.contains("0.75 £11.25 0.58 £8.75"), "{flat}");
    assert!(flat.contains("Total 0.75 £11.25 0.58 £8.75"), "{flat}");
    assert!(!p.text().contains("Wynn"), "another pupil never appears");

    // Produced is audited in the pupil's trail.
    let trail = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "produce" && e.entity == "EHC needs assessment evidence pack"), "audited");
});

on_both!(r19_bad_requests_are_refused_with_the_field_and_change_nothing, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let (pupil, other) = pupil_with_a_reviewed_cycle(app, &senco).await;
    let url = format!("{}/pupils/{pupil}/ehc-requests", app.api());
    let base = json!({"requested_by": "school", "requested_on": "2026-11-25", "reasons": "Little progress",
        "parents_told": {"on": "2026-11-24", "method": "meeting", "by": "Ms Rivera"}});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    // A young person asks only from 16 (Rhys is 9).
    let (st, e) = senco.post(&url, with("requested_by", json!("young_person"))).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("requested_by")), "{e}");
    // A part-time timetable of four weeks is not yet a sign.
    let short = with("indicators", json!([{"indicator": "part_time_timetable", "evidence": "Mornings", "since": "2026-10-30"}]));
    let (st, e) = senco.post(&url, short).await;
    assert_eq!((st, e["errors"][0]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("too_short")), "{e}");
    // A sign without evidence; a request dated tomorrow; a review that did not ask.
    let (st, e) = senco.post(&url, with("indicators", json!([{"indicator": "excluded", "evidence": " ", "days": 2}]))).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("indicators[0].evidence")), "{e}");
    let (st, e) = senco.post(&url, with("requested_on", json!("2099-01-01"))).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("requested_on")), "{e}");
    let (st, e) = senco.post(&url, with("from_review", json!(999_999))).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("from_review")), "{e}");
    let (_, listed) = senco.get(&url).await;
    assert_eq!(listed["requests"].as_array().map(Vec::len), Some(0), "nothing stored");

    // A parent's own request needs no record of telling them.
    let (st, made) = senco.post(&url, json!({"requested_by": "parent", "requested_on": "2026-11-25", "reasons": "We asked ourselves"})).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");

    // Who may produce the pack: the SENCO. A teacher of the pupil may not; another
    // school's SENCO is told it does not exist; another pupil's record is not theirs.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let res = teacher.http.get(format!("{}/schools/{}/pupils/{pupil}/evidence-pack.pdf", app.base, app.school.0)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other_school = app.store.create_school(&senplan_store::testing::school("765432"), &senplan_store::testing::ctx()).await.unwrap().id;
    let foreign = app.client_in(other_school, Role::Senco, &[]).await;
    let (st, _) = foreign.get(&format!("/api/schools/{}/pupils/{pupil}/evidence-pack", other_school.0)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // The other pupil's pack has no request and none of Rhys's words.
    let theirs = pack(&senco, app, other).await;
    assert!(theirs.says("No request has been recorded yet") && !theirs.text().contains("Rhys"), "{}", theirs.text());
});
