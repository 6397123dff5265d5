//! The application for top-up funding (R16): for a pupil whose support costs more in
//! the year than the threshold, the SENCO downloads one PDF and one CSV with the costed
//! provision map, each line's working and the amount above the threshold, to the
//! penny; a pupil below the threshold, a teacher and another school are refused with
//! a reason, and nothing about another pupil appears.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::costing::academic_year;
use senplan_core::ids::PupilId;
use senplan_docs::testing::read_pdf;
use serde_json::{Value, json};

use crate::on_both;
use crate::support::Client;

/// A pupil on SEN support whose plan (support started) holds `provision`.
async fn pupil_with(senco: &Client, s: &str, n: usize, given: &str, provision: Value) -> i64 {
    let body = json!({"upn": crate::access::upn(n), "given_name": given, "family_name": "Topup", "date_of_birth": "2016-03-04", "year_group": "5"});
    let (st, made) = senco.post(&format!("{s}/pupils"), body).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let pupil = made["id"].as_i64().unwrap();
    senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let mut plan = crate::api::plan_json();
    plan["provision"] = provision;
    let (st, made) = senco.post(&format!("{s}/cycles/{cycle}/plan"), plan).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let (_, c) = senco.get(&format!("{s}/cycles/{cycle}")).await;
    let (st, c) = senco.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
    assert_eq!(st, StatusCode::OK, "{c}");
    pupil
}

fn line(number: u32, what: &str, minutes: u32, sessions: u32, group: u32, start: &str) -> Value {
    json!({"number": number, "what": what, "delivered_by": "Mrs Green (TA)", "staff_role": "teaching_assistant", "minutes_per_session": minutes,
           "sessions_per_week": sessions, "group_size": group, "start": start, "outcomes": [1, 2]})
}

on_both!(r16_the_senco_produces_the_top_up_application_with_the_threshold_worked_line_by_line, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    crate::api::teaching_assistant_costing(&senco, &s).await;
    // From the first day of this academic year, so each line runs all year whatever
    // the day: 5 × 150 minutes one-to-one is 12.50 hours a week, £15 × 12.5 × 39 =
    // £7,312.50; twice 60 minutes in a group of 4 is 0.50 hours, £292.50. £7,605.00 in
    // all, £1,605.00 above the £6,000 threshold.
    let year_start = academic_year(chrono::Utc::now().date_naive()).0.to_string();
    let high = pupil_with(&senco, &s, 611, "Ffion", json!([line(1, "One-to-one support", 150, 5, 1, &year_start), line(2, "Nurture group", 60, 2, 4, &year_start)])).await;
    let low = pupil_with(&senco, &s, 612, "Gareth", json!([line(1, "Nurture group", 60, 2, 4, &year_start)])).await;
    let school = app.school.0;

    // The threshold page offers it beside the pupil above the threshold.
    let (_, html) = senco.page(&format!("/schools/{school}/costing/threshold")).await;
    assert!(html.contains(&format!("/pupils/{high}/top-up-application.pdf")), "{html}");
    assert!(!html.contains(&format!("/pupils/{low}/top-up-application.pdf")), "only for pupils above it");

    let res = senco.http.get(format!("{}/schools/{school}/pupils/{high}/top-up-application.pdf", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let r = read_pdf(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(r.pdfua_part(), Some(1));
    for phrase in [
        "Application for top-up funding: Ffion Topup",
        "Cost of the support this year: £7,605.00",
        "Met by the school (Element 2 threshold): £6,000.00",
        "Asked for: the amount above the threshold: £1,605.00",
        "£15.00 an hour × 12.50 hours a week × 39 weeks = £7,312.50; runs all year",
        "£15.00 an hour × 0.50 hours a week × 39 weeks = £292.50; runs all year",
        "£7,312.50 + £292.50 = £7,605.00",
        "£7,605.00 − £6,000.00 (the threshold) = £1,605.00 above the threshold",
        "Speech, language and communication needs (SLCN)",
        "Loves stories",
    ] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
    assert!(!r.text().contains("Gareth"), "another pupil never appears");

    // The same figures as a spreadsheet.
    let res = senco.http.get(format!("{}/schools/{school}/pupils/{high}/top-up-application.csv", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let rows: Vec<Vec<String>> =
        csv::Reader::from_reader(csv.as_bytes()).records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows.len(), 5, "{csv}");
    assert_eq!(rows[0][..4], ["Provision", "One-to-one support", "Mrs Green (TA)", "Teaching assistant"], "{csv}");
    assert_eq!((rows[0][5].as_str(), rows[0][6].as_str(), rows[0][7].as_str()), ("1", year_start.as_str(), ""), "{csv}");
    assert_eq!((rows[0][8].as_str(), rows[0][9].as_str(), rows[0][10].as_str(), rows[0][11].as_str(), rows[0][14].as_str()), ("12.50", "15.00", "39", "7312.50", "7312.50"), "{csv}");
    assert_eq!(rows[0][12], rows[0][13], "runs on every school day of the year: {csv}");
    assert_eq!((rows[1][8].as_str(), rows[1][14].as_str()), ("0.50", "292.50"), "{csv}");
    assert_eq!((rows[2][0].as_str(), rows[2][14].as_str()), ("Total", "7605.00"), "{csv}");
    assert_eq!((rows[3][0].as_str(), rows[3][14].as_str()), ("Threshold", "6000.00"), "{csv}");
    assert_eq!((rows[4][0].as_str(), rows[4][14].as_str()), ("Above threshold", "1605.00"), "{csv}");

    // Both are in the pupil's audit trail.
    let trail = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(high)).await.unwrap();
    for what in ["application for top-up funding (PDF)", "application for top-up funding (CSV)"] {
        assert!(trail.iter().any(|e| e.action == "produce" && e.entity == what), "{what} audited");
    }

    // Below the threshold: refused, saying why, on the page and through the API.
    let (st, html) = senco.page(&format!("/schools/{school}/pupils/{low}/top-up-application.pdf")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Gareth&#39;s support costs £292.50 this academic year, not more than the £6,000.00 threshold"), "{html}");
    let (st, body) = senco.get(&format!("{s}/pupils/{low}/top-up-application")).await;
    assert_eq!((st, body["errors"][0]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("not_above_threshold")), "{body}");
    let res = senco.http.get(format!("{}{s}/pupils/{high}/top-up-application", app.base)).send().await.unwrap();
    assert_eq!((res.status(), res.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "application/pdf"));

    // A teacher of the pupil does not see costs; another school's SENCO is told it
    // does not exist.
    let teacher = app.client(Role::Teacher, &[PupilId(high)]).await;
    let res = teacher.http.get(format!("{}/schools/{school}/pupils/{high}/top-up-application.csv", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other_school = app.store.create_school(&senplan_store::testing::school("765433"), &senplan_store::testing::ctx()).await.unwrap().id;
    let foreign = app.client_in(other_school, Role::Senco, &[]).await;
    let (st, _) = foreign.get(&format!("/api/schools/{}/pupils/{high}/top-up-application", other_school.0)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});
