//! Reasonable adjustments and medical conditions (R35): the SENCO records them item by
//! item (bad input named on its field, nothing stored), every adult who works with the
//! pupil reads them on the record and on the class staff sheet with the emergency
//! procedure, reviews due reach the compliance dashboard, and every version is kept.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::api::{NewPupil, pupil_with_plan};
use crate::on_both;

fn dmy(d: chrono::NaiveDate) -> (String, String, String) {
    (d.format("%-d").to_string(), d.format("%-m").to_string(), d.format("%Y").to_string())
}

on_both!(r35_the_senco_records_adjustments_and_a_healthcare_plan_and_every_adult_reads_them, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let school = app.school.0;
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 21, given: "Mina", family: "Example", born: "2016-04-04", year: "5" }, true).await;
    let page = format!("/schools/{school}/pupils/{pupil}/adjustments");
    let today = Utc::now().date_naive();
    let (d, m, y) = dmy(today);
    let (rd, rm, ry) = dmy(today + Days::new(20));
    let csrf = senco.csrf.clone();

    // A review before the start, no words: both named on the form, nothing stored.
    let bad = [("csrf_token", csrf.as_str()), ("version", "0"), ("do", "add_adjustment"), ("adjustment.kind", "exam_access"), ("adjustment.what", " "),
        ("adjustment.starts_on.day", &d), ("adjustment.starts_on.month", &m), ("adjustment.starts_on.year", &y),
        ("adjustment.review_on.day", &d), ("adjustment.review_on.month", &m), ("adjustment.review_on.year", &y)];
    let res = senco.form(&page, &bad).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter what is done differently") && html.contains("The review must be after the start"), "{html}");
    assert!(html.contains("href=\"#adjustment-what\"") || html.contains("href=\"#adjustment.what\""), "the summary links to the form's field: {html}");
    assert_eq!(senco.get(&format!("{s}/pupils/{pupil}/adjustments")).await.1["version"], 0);

    let good = [("csrf_token", csrf.as_str()), ("version", "0"), ("do", "add_adjustment"), ("adjustment.kind", "exam_access"), ("adjustment.what", "25% extra time and a reader in tests"),
        ("adjustment.starts_on.day", &d), ("adjustment.starts_on.month", &m), ("adjustment.starts_on.year", &y),
        ("adjustment.review_on.day", &rd), ("adjustment.review_on.month", &rm), ("adjustment.review_on.year", &ry)];
    assert_eq!(senco.form(&page, &good).await.status(), StatusCode::SEE_OTHER);
    // A condition without its emergency procedure is refused; with it, kept.
    let (pd, pm, py) = dmy(today + Days::new(200));
    let mut condition = vec![("csrf_token", csrf.as_str()), ("version", "1"), ("do", "add_condition"), ("condition.condition", "Type 1 diabetes"), ("condition.written_by", "School nurse with the family"),
        ("condition.review_on.day", &pd), ("condition.review_on.month", &pm), ("condition.review_on.year", &py), ("condition.emergency", " "),
        ("condition.medicines", "Insulin pen: office fridge\n\nGlucose tablets: class medical bag")];
    let res = senco.form(&page, &condition).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Enter what to do in an emergency, in plain words"));
    condition[8] = ("condition.emergency", "If shaky or pale: glucose tablets, then a snack; call 999 if unconscious.");
    assert_eq!(senco.form(&page, &condition).await.status(), StatusCode::SEE_OTHER);
    let (_, got) = senco.get(&format!("{s}/pupils/{pupil}/adjustments")).await;
    assert_eq!(got["version"], 2, "{got}");
    assert_eq!(got["adjustments"]["conditions"][0]["medicines"], json!(["Insulin pen: office fridge", "Glucose tablets: class medical bag"]));
    // A stale page: a conflict, nothing lost.
    assert_eq!(senco.form(&page, &good).await.status(), StatusCode::CONFLICT);

    // Every adult who works with Mina reads it; they cannot change it; others cannot see it.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let (st, html) = teacher.page(&page).await;
    assert!(st == StatusCode::OK && html.contains("call 999 if unconscious") && html.contains("25% extra time") && html.contains("Review due"), "{html}");
    assert!(!html.contains("Add the adjustment"), "a teacher does not change them");
    assert_eq!(teacher.form(&page, &[("csrf_token", &teacher.csrf), ("version", "2"), ("do", "remove_adjustment"), ("index", "0")]).await.status(), StatusCode::FORBIDDEN);
    let stranger = app.client(Role::Teacher, &[]).await;
    assert_eq!(stranger.page(&page).await.0, StatusCode::NOT_FOUND);
    let (_, record) = teacher.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(record.contains("Medical: Type 1 diabetes") && record.contains("1 adjustment in place"), "{record}");

    // The class staff sheet: medical alert, emergency, adjustments; and a pupil with no plan but a condition.
    let (_, other) = senco.post(&format!("{s}/pupils"), json!({"upn": crate::access::upn(22), "given_name": "Oren", "family_name": "Example", "date_of_birth": "2016-02-02", "year_group": "5"})).await;
    let other = other["id"].as_i64().unwrap();
    let asthma = json!({"version": 0, "adjustments": {"conditions": [{"condition": "Asthma", "written_by": "GP", "review_on": (today + Days::new(300)).to_string(), "emergency": "Two puffs of the blue inhaler", "medicines": []}]}});
    let (st, saved) = senco.put(&format!("{s}/pupils/{other}/adjustments"), asthma.clone()).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(senco.put(&format!("{s}/pupils/{other}/adjustments"), asthma).await.0, StatusCode::CONFLICT, "a second first version");
    let both = app.client(Role::Teacher, &[PupilId(pupil), PupilId(other)]).await;
    let (_, sheet) = both.page(&format!("/schools/{school}/strategies")).await;
    assert!(sheet.contains("Type 1 diabetes. In an emergency") && sheet.contains("Exam access arrangement: 25% extra time and a reader in tests"), "{sheet}");
    assert!(sheet.contains("Oren Example") && sheet.contains("Asthma. In an emergency"), "{sheet}");
    let (_, sheet) = teacher.page(&format!("/schools/{school}/strategies")).await;
    assert!(!sheet.contains("Oren Example"), "only the teacher's own pupils");

    // The review due within four weeks reaches the dashboard; ending the adjustment clears it.
    let (_, html) = senco.page(&format!("/schools/{school}/dashboard/adjustment-reviews-due")).await;
    assert!(html.contains("Mina Example") && html.contains("Exam access arrangement: 25% extra time and a reader in tests: review due on"), "{html}");
    assert!(!html.contains("Oren Example"), "{html}");
    let res = senco.form(&page, &[("csrf_token", &csrf), ("version", "2"), ("do", "remove_adjustment"), ("index", "0")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = senco.page(&format!("/schools/{school}/dashboard/adjustment-reviews-due")).await;
    assert!(!html.contains("Mina Example"), "{html}");
    let res = senco.form(&page, &[("csrf_token", &csrf), ("version", "3"), ("do", "remove_adjustment"), ("index", "4")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no such item");
    let history = app.store.history(&senplan_store::testing::whole(app.school), senplan_store::history::Entity::Adjustments, pupil).await.unwrap();
    assert_eq!(history.len(), 3, "every version kept");
});
