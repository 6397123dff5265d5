//! Documents (R09): plan and review copies downloaded as PDFs by staff, by the SENCO
//! for the family, and by the family through the portal, read back: the text each
//! holds and what it must not (no costs in a family's copy, no other pupil), PDF/UA-1
//! declared, the audit entry, earlier versions, and bad requests refused with a reason.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use senplan_docs::testing::{ReadPdf, read_pdf};
use serde_json::json;

use crate::on_both;
use crate::support::{App, Client};

/// GETs a document: (status, content type, body bytes).
async fn fetch(c: &Client, app: &App, path: &str) -> (StatusCode, String, Vec<u8>) {
    let res = c.http.get(format!("{}{path}", app.base)).send().await.unwrap();
    let st = res.status();
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (st, kind, res.bytes().await.unwrap().to_vec())
}

async fn pdf(c: &Client, app: &App, path: &str) -> ReadPdf {
    let (st, kind, body) = fetch(c, app, path).await;
    assert_eq!((st, kind.as_str()), (StatusCode::OK, "application/pdf"), "{path}: {}", String::from_utf8_lossy(&body));
    read_pdf(&body).unwrap()
}

/// A pupil ("Nia Example", Year 4) whose plan's one provision is costed: a teaching
/// assistant at £15 an hour, 30 minutes twice a week in a group of 4. Returns (pupil, plan, cycle).
async fn costed_pupil(app: &App, senco: &Client) -> (i64, i64, i64) {
    let s = app.api();
    crate::api::teaching_assistant_costing(senco, &s).await;
    let body = json!({"upn": crate::access::upn(301), "given_name": "Nia", "family_name": "Example", "date_of_birth": "2017-05-04", "year_group": "4"});
    let (_, p) = senco.post(&format!("{s}/pupils"), body).await;
    let pupil = p["id"].as_i64().unwrap();
    senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let mut plan = crate::api::plan_json();
    plan["provision"][0]["staff_role"] = json!("teaching_assistant");
    let (st, made) = senco.post(&format!("{s}/cycles/{cycle}/plan"), plan).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    (pupil, made["id"].as_i64().unwrap(), cycle)
}

on_both!(r09_a_plan_copy_for_staff_and_for_the_family_holds_what_each_may_read, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let (pupil, plan, _) = costed_pupil(app, &senco).await;
    let school = app.school.0;
    let copy = format!("/schools/{school}/plans/{plan}/copy.pdf");

    // The SENCO's staff copy: hours and cost, declared PDF/UA-1, tagged, in British English.
    let staff = pdf(&senco, app, &copy).await;
    assert_eq!(staff.pdfua_part(), Some(1));
    assert!(staff.marked && staff.lang.as_deref() == Some("en-GB"), "{:?}", staff.lang);
    assert!(staff.count("H1") == 1 && staff.count("Table") >= 2 && staff.count("TH") > 0 && staff.count("L") > 0);
    for phrase in ["SEN support plan for Nia Example", "Plan version 1", "Read 40 common words", "Speech, language and communication needs (SLCN)",
        "12 February 2027", "Mr Ahmed (class teacher)", "Page 1 of"] {
        assert!(staff.says(phrase), "{phrase}: {}", staff.text());
    }
    assert!(staff.text().contains('£'), "the SENCO's copy shows the cost: {}", staff.text());

    // A teacher's staff copy has no costs; the SENCO's copy for the family neither.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let t = pdf(&teacher, app, &copy).await;
    assert!(t.says("Read 40 common words") && !t.text().contains('£'), "{}", t.text());
    let family = pdf(&senco, app, &format!("{copy}?for=family")).await;
    assert!(family.says("your child") && !family.text().contains('£'), "{}", family.text());
    // A teacher may not produce the family's copy; a teacher of another pupil sees nothing.
    assert_eq!(fetch(&teacher, app, &format!("{copy}?for=family")).await.0, StatusCode::FORBIDDEN);
    let stranger = app.client(Role::Teacher, &[]).await;
    assert_eq!(fetch(&stranger, app, &copy).await.0, StatusCode::NOT_FOUND);

    // The parent's own copy through the portal: no costs, their child only.
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains(&format!("/portal/pupils/{pupil}/plan.pdf")), "the portal offers the copy");
    let own = pdf(&parent, app, &format!("/portal/pupils/{pupil}/plan.pdf")).await;
    assert!(own.says("Nia Example") && own.says("your child") && !own.text().contains('£'), "{}", own.text());
    assert_eq!(fetch(&parent, app, &copy).await.0, StatusCode::NOT_FOUND, "the staff copy is not the family's");

    // Each copy is in the pupil's audit trail, saying for whom and by whom.
    let trail = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    let produced: Vec<(String, String)> = trail.iter().filter(|e| e.action == "produce").map(|e| (e.actor.clone(), e.entity.clone())).collect();
    assert!(produced.contains(&("Synthetic SENCO".into(), "plan copy (cycle 1, version 1) for staff".into())), "{produced:?}");
    assert!(produced.iter().any(|(_, e)| e == "plan copy (cycle 1, version 1) for the parent"), "{produced:?}");
    assert_eq!(produced.len(), 4, "{produced:?}");
});

on_both!(r09_an_earlier_version_and_a_review_copy_on_request, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let (pupil, plan, cycle) = costed_pupil(app, &senco).await;
    let s = app.api();
    let school = app.school.0;
    let mut changed = crate::api::plan_json();
    changed["outcomes"][0]["description"] = json!("Read 60 common words");
    let (st, v2) = senco.put(&format!("{s}/plans/{plan}"), json!({"version": 1, "content": changed})).await;
    assert_eq!(st, StatusCode::OK, "{v2}");
    let now = pdf(&senco, app, &format!("/api/schools/{school}/plans/{plan}/copy")).await;
    assert!(now.says("Plan version 2") && now.says("Read 60 common words"), "{}", now.text());
    let then = pdf(&senco, app, &format!("/schools/{school}/plans/{plan}/copy.pdf?version=1")).await;
    assert!(then.says("Plan version 1") && then.says("Read 40 common words") && !then.says("Read 60"), "{}", then.text());

    // Bad requests name what is wrong: a page answers with a page, the API with JSON.
    let (st, kind, body) = fetch(&senco, app, &format!("/schools/{school}/plans/{plan}/copy.pdf?version=9")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(kind.starts_with("text/html") && String::from_utf8_lossy(&body).contains("There is no version 9: the versions are 1 to 2"));
    let (st, kind, _) = fetch(&senco, app, &format!("/schools/{school}/plans/{plan}/copy.pdf?version=one")).await;
    assert_eq!((st, kind.starts_with("text/html")), (StatusCode::BAD_REQUEST, true));
    let (st, e) = senco.get(&format!("{s}/plans/{plan}/copy?for=everyone")).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("for")), "{e}");
    // Text the document fonts cannot show is refused with a reason, never printed badly.
    let mut emoji = crate::api::plan_json();
    emoji["child_views"] = json!("I like the group \u{1F600}");
    let (st, v3) = senco.put(&format!("{s}/plans/{plan}"), json!({"version": 2, "content": emoji})).await;
    assert_eq!(st, StatusCode::OK, "{v3}");
    let (st, e) = senco.get(&format!("{s}/plans/{plan}/copy")).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("document_not_accessible")), "{e}");
    let older = pdf(&senco, app, &format!("/schools/{school}/plans/{plan}/copy.pdf?version=2")).await;
    assert!(older.says("Plan version 2"), "an earlier version still prints");
    // Another school's plan is not found.
    let other = app.store.create_school(&senplan_store::testing::school("700301"), &senplan_store::testing::ctx()).await.unwrap();
    let theirs = app.client_in(other.id, Role::Senco, &[]).await;
    assert_eq!(fetch(&theirs, app, &format!("/schools/{}/plans/{plan}/copy.pdf", other.id.0)).await.0, StatusCode::NOT_FOUND);

    // A review: the staff copy, and the family's from the portal.
    let (_, c) = senco.get(&format!("{s}/cycles/{cycle}")).await;
    senco.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
    let (_, c) = senco.get(&format!("{s}/cycles/{cycle}")).await;
    senco.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": c["version"], "action": "start_review"})).await;
    let (st, review) = senco.post(&format!("{s}/cycles/{cycle}/review"), crate::api::review_json("partly_met")).await;
    assert_eq!(st, StatusCode::CREATED, "{review}");
    let review = review["review"]["id"].as_i64().unwrap();
    let staff = pdf(&senco, app, &format!("/schools/{school}/reviews/{review}/copy.pdf")).await;
    assert!(staff.says("Read 42 words") && staff.says("20 November 2026") && staff.pdfua_part() == Some(1), "{}", staff.text());
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let family = pdf(&parent, app, &format!("/portal/pupils/{pupil}/reviews/{review}/copy.pdf")).await;
    assert!(family.says("Read 42 words") && !family.text().contains('£'), "{}", family.text());
    // The parent's pupil path must match the review's pupil.
    let other_pupil = crate::api::pupil_with_plan(&senco, &s, crate::api::NewPupil { n: 302, given: "Ola", family: "Other", born: "2017-05-04", year: "4" }, false).await.0;
    let (st, _, _) = fetch(&parent, app, &format!("/portal/pupils/{other_pupil}/reviews/{review}/copy.pdf")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});

on_both!(r08_the_letter_telling_the_parents_is_a_pdf_for_the_senco, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let (pupil, _, _) = costed_pupil(app, &senco).await;
    let school = app.school.0;
    let (_, html) = senco.page(&format!("/schools/{school}/pupils/{pupil}/meetings")).await;
    let url = format!("/schools/{school}/pupils/{pupil}/letters/sen-support.pdf");
    assert!(html.contains(&url), "the meetings page offers the letter");
    let letter = pdf(&senco, app, &url).await;
    assert_eq!(letter.pdfua_part(), Some(1));
    assert_eq!(letter.count("H1"), 1);
    for phrase in ["Nia is getting SEN support", "Dear parent or carer of Nia,", "has placed Nia on SEN support", "Yours sincerely,"] {
        assert!(letter.says(phrase), "{phrase}: {}", letter.text());
    }
    // A teacher of the pupil may not produce the school's letters.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    assert_eq!(fetch(&teacher, app, &url).await.0, StatusCode::FORBIDDEN);
    let trail = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "produce" && e.entity == "letter telling the parents about SEN support"));
});

on_both!(r09_a_class_s_plan_copies_come_in_one_zip_each_pupil_s_own, |app| {
    use crate::api::{NewPupil, pupil_with_plan};
    use std::io::Read;
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let school = app.school.0;
    let mut ids = Vec::new();
    for (n, given, year) in [(311, "Anwen", "4"), (312, "Bryn", "4"), (313, "Cerys", "5")] {
        let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n, given, family: "Zipson", born: "2017-05-04", year }, false).await;
        ids.push(pupil);
    }
    let unzip = |bytes: Vec<u8>| {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut f = archive.by_index(i).unwrap();
                let mut pdf = Vec::new();
                f.read_to_end(&mut pdf).unwrap();
                (f.name().to_owned(), read_pdf(&pdf).unwrap())
            })
            .collect::<Vec<_>>()
    };
    let (st, kind, body) = fetch(&senco, app, &format!("/schools/{school}/plan-copies.zip?year=4")).await;
    assert_eq!((st, kind.as_str()), (StatusCode::OK, "application/zip"));
    let files = unzip(body);
    assert_eq!(files.len(), 2, "the two pupils of year 4");
    assert!(files[0].0.starts_with("001-") && files[0].0.ends_with(".pdf") && files[1].0.starts_with("002-"), "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert!(files[0].1.says("Anwen Zipson") && !files[0].1.text().contains("Bryn"), "{}", files[0].1.text());
    assert!(files[1].1.says("Bryn Zipson") && !files.iter().any(|f| f.1.text().contains("Cerys")), "year 5 is not in year 4's zip");
    assert!(files.iter().all(|f| f.1.pdfua_part() == Some(1)));
    // Each copy is audited as produced.
    let trail = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(ids[0])).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "produce" && e.entity.starts_with("plan copy")), "audited");
    // A year with no plans: refused, saying so.
    let (st, html) = senco.page(&format!("/schools/{school}/plan-copies.zip?year=6")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("No pupil in year group 6 has a current plan to copy"), "{html}");
    // A teacher gets only the pupils they teach.
    let teacher = app.client(Role::Teacher, &[PupilId(ids[1])]).await;
    let (st, _, body) = fetch(&teacher, app, &format!("/schools/{school}/plan-copies.zip")).await;
    assert_eq!(st, StatusCode::OK);
    let files = unzip(body);
    assert_eq!(files.len(), 1);
    assert!(files[0].1.says("Bryn Zipson"));
    // The class strategies page links to it.
    let (_, html) = senco.page(&format!("/schools/{school}/strategies?year=4")).await;
    assert!(html.contains(&format!("/schools/{school}/plan-copies.zip?year=4")), "{html}");
});
