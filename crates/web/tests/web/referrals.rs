//! Referrals from a pupil's record (R18, R35, R26): opened to a service in the school's
//! Local Offer directory, never sent before the family's consent is recorded (the young
//! person's own from 16), moved on step by step, the advice and recommendations kept;
//! early help and child-in-need referrals are hidden from staff without whole-school
//! sight.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::api::{NewPupil, pupil_on_support, pupil_with_plan};
use crate::on_both;

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

on_both!(r18_r35_a_referral_is_agreed_with_the_family_before_it_is_sent, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let (st, service) = senco
        .post(&format!("{s}/local-offer"), json!({"name": "Children's Speech and Language Therapy", "areas": ["communication_and_interaction"], "source": {"kind": "manual"}}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{service}");
    let service = service["id"].as_i64().unwrap();
    let referrals = format!("{s}/pupils/{pupil}/referrals");
    // A service that is not in the directory, and no reason: refused, nothing stored.
    let (st, e) = senco.post(&referrals, json!({"kind": "specialist", "service": 999999, "reason": "Speech"})).await;
    assert_eq!((st, e["code"].as_str(), e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_service"), Some("service")), "{e}");
    let (st, e) = senco.post(&referrals, json!({"kind": "specialist", "service": service, "reason": " "})).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("reason")), "{e}");
    assert!(senco.get(&referrals).await.1.as_array().unwrap().is_empty());

    let (st, r) = senco.post(&referrals, json!({"kind": "specialist", "service": service, "reason": "Peers do not understand Sam"})).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!((r["stage"].as_str(), r["referral"]["service_name"].as_str()), (Some("draft"), Some("Children's Speech and Language Therapy")));
    let id = r["id"].as_i64().unwrap();
    let on = today();
    // Not sent without consent.
    let (st, e) = senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": 1, "stage": "sent", "on": on})).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("no_consent")), "{e}");
    // Sam is 9: the parent agrees, not Sam.
    let consent = |given_by: &str| json!({"version": 1, "consent": {"given_by": given_by, "name": "Alex Testington", "on": on, "discussion": "What the service does and what we share"}});
    let (st, e) = senco.post(&format!("{s}/referrals/{id}/consent"), consent("young_person")).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("wrong_person")), "{e}");
    let (st, r) = senco.post(&format!("{s}/referrals/{id}/consent"), consent("parent")).await;
    assert_eq!((st, r["version"].as_i64()), (StatusCode::OK, Some(2)), "{r}");
    let (st, r) = senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": 2, "stage": "sent", "on": on})).await;
    assert_eq!((st, r["stage"].as_str()), (StatusCode::OK, Some("sent")), "{r}");
    let (st, _) = senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": 2, "stage": "accepted", "on": on})).await;
    assert_eq!(st, StatusCode::CONFLICT, "a stale version");
    let (st, e) = senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": 3, "stage": "seen", "on": on + Days::new(1)})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "not seen before accepted, nor tomorrow: {e}");
    let (_, r) = senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": 3, "stage": "accepted", "on": on})).await;
    let (_, r) = senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": r["version"], "stage": "seen", "on": on})).await;
    let (st, r) = senco
        .put(&format!("{s}/referrals/{id}/advice"), json!({"version": r["version"], "advice": "Sam's expressive language is below age expectations.", "on": on, "recommendations": ["Visual timetable", " ", "Pre-teach topic words"]}))
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["referral"]["recommendations"], json!(["Visual timetable", "Pre-teach topic words"]));
    let history = app.store.history(&senplan_store::testing::whole(app.school), senplan_store::history::Entity::Referral, id).await.unwrap();
    assert_eq!(history.len(), 6, "every version kept");

    // A teacher of Sam reads it but cannot change it; an early help referral is hidden from them.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let (st, list) = teacher.get(&referrals).await;
    assert_eq!((st, list.as_array().unwrap().len()), (StatusCode::OK, 1), "{list}");
    let (st, _) = teacher.post(&format!("{s}/referrals/{id}/steps"), json!({"version": r["version"], "stage": "closed", "on": on})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, early) = senco.post(&referrals, json!({"kind": "early_help", "service": service, "reason": "Family asked for support at home"})).await;
    assert_eq!(st, StatusCode::CREATED, "{early}");
    assert_eq!(senco.get(&referrals).await.1.as_array().unwrap().len(), 2);
    assert_eq!(teacher.get(&referrals).await.1.as_array().unwrap().len(), 1, "early help is not shown to the class teacher");
    assert_eq!(teacher.get(&format!("{s}/referrals/{}", early["id"])).await.0, StatusCode::NOT_FOUND);
});

on_both!(r26_a_student_of_16_consents_to_their_own_referral, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let born = (today() - Days::new(17 * 366)).to_string();
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 3, given: "Robin", family: "Example", born: &born, year: "12" }, false).await;
    let (_, service) = senco.post(&format!("{s}/local-offer"), json!({"name": "Careers and SEND adviser", "source": {"kind": "manual"}})).await;
    let (st, r) = senco.post(&format!("{s}/pupils/{pupil}/referrals"), json!({"kind": "specialist", "service": service["id"], "reason": "Planning for college"})).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let url = format!("{s}/referrals/{}/consent", r["id"]);
    let consent = |given_by: &str| json!({"version": 1, "consent": {"given_by": given_by, "name": "Robin Example", "on": today(), "discussion": "Robin chose to be referred"}});
    let (st, e) = senco.post(&url, consent("parent")).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("wrong_person")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("young person agrees for themselves"), "{e}");
    let (st, r) = senco.post(&url, consent("young_person")).await;
    assert_eq!((st, r["referral"]["consent"]["given_by"].as_str()), (StatusCode::OK, Some("young_person")), "{r}");
});

/// A service in the directory and a referral for `pupil` sent with consent and advised
/// with `recommendations`: returns (referral id, its version).
async fn advised(senco: &crate::support::Client, s: &str, pupil: i64, recommendations: &[&str]) -> (i64, i64) {
    let (_, service) = senco.post(&format!("{s}/local-offer"), json!({"name": "Northshire Educational Psychology Service", "source": {"kind": "manual"}})).await;
    let (_, r) = senco.post(&format!("{s}/pupils/{pupil}/referrals"), json!({"kind": "specialist", "service": service["id"], "reason": "Slow progress in reading"})).await;
    let id = r["id"].as_i64().unwrap();
    let on = today();
    let consent = json!({"version": 1, "consent": {"given_by": "parent", "name": "Alex Testington", "on": on, "discussion": "What an assessment involves"}});
    senco.post(&format!("{s}/referrals/{id}/consent"), consent).await;
    senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": 2, "stage": "sent", "on": on})).await;
    let (st, r) = senco.put(&format!("{s}/referrals/{id}/advice"), json!({"version": 3, "advice": "Working memory is a relative weakness.", "on": on, "recommendations": recommendations})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    (id, r["version"].as_i64().unwrap())
}

on_both!(r18_a_recommendation_becomes_part_of_the_plan_linked_to_its_source, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (pupil, plan) = pupil_with_plan(&senco, &s, NewPupil { n: 4, given: "Kit", family: "Example", born: "2017-03-02", year: "4" }, true).await;
    let (id, version) = advised(&senco, &s, pupil, &["Give instructions one step at a time", "Precision teaching of sight words, 10 minutes daily"]).await;
    let adopt = |index: usize, version: i64, plan_version: i64, adopt: serde_json::Value| {
        (format!("{s}/referrals/{id}/recommendations/{index}"), json!({"version": version, "plan_version": plan_version, "adopt": adopt}))
    };
    // No such recommendation; a stale plan: refused, and nothing changes.
    let (url, body) = adopt(5, version, 1, json!({"as": "strategy"}));
    let (st, e) = senco.post(&url, body).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_recommendation")), "{e}");
    let (url, body) = adopt(0, version, 0, json!({"as": "strategy"}));
    assert_eq!(senco.post(&url, body).await.0, StatusCode::CONFLICT);
    let (_, r) = senco.get(&format!("{s}/referrals/{id}")).await;
    assert_eq!((r["version"].as_i64(), r["referral"]["uses"].as_array().map(Vec::len)), (Some(version), Some(0)), "{r}");

    // The first as a strategy, the second as provision serving outcome 1.
    let (url, body) = adopt(0, version, 1, json!({"as": "strategy"}));
    let (st, out) = senco.post(&url, body).await;
    assert_eq!(st, StatusCode::OK, "{out}");
    assert!(out["plan"]["content"]["strategies"].as_array().unwrap().iter().any(|t| t == "Give instructions one step at a time"), "{out}");
    let provision = json!({"number": 0, "what": "Precision teaching of sight words", "delivered_by": "Mrs Green, teaching assistant",
        "minutes_per_session": 10, "sessions_per_week": 5, "group_size": 1, "start": today(), "outcomes": []});
    let (url, body) = adopt(1, out["referral"]["version"].as_i64().unwrap(), out["plan"]["version"].as_i64().unwrap(), json!({"as": "provision", "provision": provision}));
    let (st, e) = senco.post(&url, body.clone()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "provision serves an outcome: {e}");
    let mut body = body;
    body["adopt"]["provision"]["outcomes"] = json!([1]);
    let (st, out) = senco.post(&url, body).await;
    assert_eq!(st, StatusCode::OK, "{out}");
    let added = out["plan"]["content"]["provision"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((added["what"].as_str(), added["minutes_per_session"].as_i64()), (Some("Precision teaching of sight words"), Some(10)));
    let uses = out["referral"]["referral"]["uses"].as_array().unwrap();
    assert_eq!(uses.len(), 2);
    assert_eq!((uses[1]["into"].as_str(), uses[1]["plan_id"].as_i64(), uses[1]["number"].as_u64()), (Some("provision"), Some(plan), added["number"].as_u64()));
    assert_eq!(uses[1]["recommendation"].as_str(), Some("Precision teaching of sight words, 10 minutes daily"));

    // A pupil with no plan yet: the recommendation has nowhere to go.
    let (_, bare) = senco.post(&format!("{s}/pupils"), json!({"upn": crate::access::upn(5), "given_name": "Lee", "family_name": "Example", "date_of_birth": "2017-01-01", "year_group": "4"})).await;
    let (id2, v2) = advised(&senco, &s, bare["id"].as_i64().unwrap(), &["Ear defenders"]).await;
    let (st, e) = senco.post(&format!("{s}/referrals/{id2}/recommendations/0"), json!({"version": v2, "plan_version": 1, "adopt": {"as": "strategy"}})).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("no_plan")), "{e}");
});

/// The value of the hidden input `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no {name} in {html}"));
    html[at + name.len() + 15..].split('"').next().unwrap().to_owned()
}

on_both!(r18_a_referral_from_draft_to_advice_to_provision_on_the_pages, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let school = app.school.0;
    let (pupil, plan) = pupil_with_plan(&senco, &s, NewPupil { n: 6, given: "Ari", family: "Example", born: "2016-06-01", year: "5" }, true).await;
    let (_, service) = senco.post(&format!("{s}/local-offer"), json!({"name": "Northshire Occupational Therapy", "source": {"kind": "manual"}})).await;
    let service = service["id"].as_i64().unwrap().to_string();
    let csrf = senco.csrf.clone();
    let list = format!("/schools/{school}/pupils/{pupil}/referrals");
    let (st, html) = senco.page(&list).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("No referrals recorded yet") && html.contains("Northshire Occupational Therapy"), "{html}");
    // No service chosen, no reason: both named, nothing stored.
    let res = senco.form(&list, &[("csrf_token", &csrf), ("kind", "specialist"), ("service", ""), ("reason", " ")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("Choose the service from the Local Offer directory"), "{html}");
    let res = senco.form(&list, &[("csrf_token", &csrf), ("kind", "specialist"), ("service", &service), ("reason", " ")]).await;
    assert!(res.text().await.unwrap().contains("Enter why the pupil is referred"));
    assert!(senco.get(&format!("{s}/pupils/{pupil}/referrals")).await.1.as_array().unwrap().is_empty());
    let res = senco.form(&list, &[("csrf_token", &csrf), ("kind", "specialist"), ("service", &service), ("reason", "Handwriting is slow and painful")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = res.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();

    // Consent first: the step "sent" is refused without it, with the rule's words.
    let (_, html) = senco.page(&page).await;
    assert!(html.contains("Record the family&#x27;s consent") || html.contains("Record the family's consent"), "{html}");
    let today = today();
    let (d, m, y) = (today.format("%-d").to_string(), today.format("%-m").to_string(), today.format("%Y").to_string());
    let step = |v: &str, stage: &'static str| {
        vec![("csrf_token", csrf.clone()), ("version", v.to_owned()), ("do", "step".into()), ("stage", stage.into()), ("on.day", d.clone()), ("on.month", m.clone()), ("on.year", y.clone())]
    };
    let res = senco.form(&page, &step("1", "sent").iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Record the family"), "no consent, not sent");
    let consent = [("csrf_token", csrf.as_str()), ("version", "1"), ("do", "consent"), ("consent.name", "Mrs Example"), ("consent.on.day", &d), ("consent.on.month", &m), ("consent.on.year", &y), ("consent.discussion", "What OT involves and what we share")];
    assert_eq!(senco.form(&page, &consent).await.status(), StatusCode::SEE_OTHER);
    let res = senco.form(&page, &step("2", "sent").iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let advice = [("csrf_token", csrf.as_str()), ("version", "3"), ("do", "advice"), ("advice_on.day", &d), ("advice_on.month", &m), ("advice_on.year", &y), ("advice", "Fine motor skills below age"), ("recommendations", "Writing slope\nDaily fine motor group, 15 minutes")];
    assert_eq!(senco.form(&page, &advice).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = senco.page(&page).await;
    assert!(html.contains("Writing slope") && html.contains("/recommendations/1"), "{html}");
    assert_eq!(html.matches("id=\"advice\"").count(), 1, "the advice's label names one field: {html}");

    // The second recommendation as provision: its form names the plan's outcomes.
    let adopt = format!("{page}/recommendations/1");
    let (st, html) = senco.page(&adopt).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    let (version, plan_version) = (hidden(&html, "version"), hidden(&html, "plan_version"));
    let mut fields = vec![("csrf_token", csrf.as_str()), ("version", &version), ("plan_version", &plan_version), ("as", "provision"), ("provision.what", "Fine motor group"), ("provision.delivered_by", "Mrs Green, teaching assistant"), ("provision.minutes_per_session", "fifteen"), ("provision.sessions_per_week", "5"), ("provision.group_size", "4"), ("provision.start.day", &d), ("provision.start.month", &m), ("provision.start.year", &y)];
    let res = senco.form(&adopt, &fields).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("The minutes a session must be a whole number"), "{html}");
    fields[6] = ("provision.minutes_per_session", "15");
    let res = senco.form(&adopt, &fields).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "provision serves an outcome");
    fields.push(("provision.outcomes", "1"));
    assert_eq!(senco.form(&adopt, &fields).await.status(), StatusCode::SEE_OTHER);
    let (_, p) = senco.get(&format!("{s}/plans/{plan}")).await;
    let last = p["content"]["provision"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["what"].as_str(), last["group_size"].as_i64()), (Some("Fine motor group"), Some(4)), "{p}");
    // The record shows where it came from.
    let (_, html) = senco.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(html.contains("Recommended in the advice of Northshire Occupational Therapy"), "{html}");
    assert!(html.contains("Northshire Occupational Therapy, seen by the service") || html.contains("Northshire Occupational Therapy, sent"), "{html}");
});

on_both!(r18_a_report_is_kept_only_when_it_is_a_pdf_or_picture_and_shown_only_to_those_who_see_the_referral, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let school = app.school.0;
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 7, given: "Noor", family: "Example", born: "2016-09-01", year: "5" }, true).await;
    let (id, version) = advised(&senco, &s, pupil, &["Coloured overlays"]).await;
    let upload = format!("/schools/{school}/referrals/{id}/reports");
    let v = version.to_string();
    let pdf: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

    // An executable named .pdf, an empty choice, a PDF over 10 MB: each refused with its reason, nothing kept.
    let (st, html) = senco.upload(&upload, &[("version", &v)], Some(("report", "EP report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("The file is not a PDF or a picture (whatever its name says)") && html.contains("id=\"report-error\""), "{html}");
    let (st, html) = senco.upload(&upload, &[("version", &v)], None).await;
    assert!(st == StatusCode::BAD_REQUEST && html.contains("Choose the report to add"), "{html}");
    let mut big = pdf.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let (st, html) = senco.upload(&upload, &[("version", &v)], Some(("report", "big.pdf", &big))).await;
    assert!(st == StatusCode::BAD_REQUEST && html.contains("the largest kept is 10 MB"), "{st}");
    big.resize(12 * 1024 * 1024, b' ');
    assert_eq!(senco.upload(&upload, &[("version", &v)], Some(("report", "bigger.pdf", &big))).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let (_, r) = senco.get(&format!("{s}/referrals/{id}")).await;
    assert_eq!((r["version"].as_i64(), r["referral"]["reports"].as_array().map(Vec::len)), (Some(version), Some(0)), "{r}");

    // A PDF is kept with its checksum and listed; a teacher of Noor's may not add one.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    assert_eq!(teacher.upload(&upload, &[("version", &v)], Some(("report", "r.pdf", pdf))).await.0, StatusCode::FORBIDDEN);
    let (st, _) = senco.upload(&upload, &[("version", &v)], Some(("report", "EP report, March.pdf", pdf))).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, r) = senco.get(&format!("{s}/referrals/{id}")).await;
    let kept = &r["referral"]["reports"][0];
    let sha = kept["sha256"].as_str().unwrap().to_owned();
    assert_eq!((kept["media_type"].as_str(), kept["file_name"].as_str(), kept["size"].as_u64()), (Some("application/pdf"), Some("EP report, March.pdf"), Some(pdf.len() as u64)), "{r}");
    assert_eq!(sha, senplan_store::passports::file_sha256(pdf));
    let (st, _) = senco.upload(&upload, &[("version", &v)], Some(("report", "again.pdf", pdf))).await;
    assert_eq!(st, StatusCode::CONFLICT, "the page was out of date");
    let (_, html) = senco.page(&format!("/schools/{school}/referrals/{id}")).await;
    assert!(html.contains("EP report, March.pdf") && html.contains("PDF, 1 KB") && html.contains(&format!("/reports/{sha}")), "{html}");

    // Read back byte for byte by those who see the referral; never by anyone else.
    let file = format!("{}/schools/{school}/referrals/{id}/reports/{sha}", app.base);
    let res = teacher.http.get(&file).send().await.unwrap();
    assert_eq!((res.status(), res.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    assert_eq!(res.headers()["content-disposition"], "inline; filename=\"EP report_ March.pdf\"");
    assert_eq!(res.bytes().await.unwrap().as_ref(), pdf);
    let stranger = app.client(Role::Teacher, &[]).await;
    assert_eq!(stranger.http.get(&file).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    assert_ne!(parent.http.get(&file).send().await.unwrap().status(), StatusCode::OK);
    let unknown = format!("{}/schools/{school}/referrals/{id}/reports/{}", app.base, "0".repeat(64));
    assert_eq!(senco.http.get(&unknown).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // Through the API: the file is the body; its type is read from its content.
    let api = |version: i64, name: &str| format!("{}{s}/referrals/{id}/reports?version={version}&name={name}", app.base);
    let (_, r) = senco.get(&format!("{s}/referrals/{id}")).await;
    let version = r["version"].as_i64().unwrap();
    let post = |url: String, body: Vec<u8>| senco.http.post(url).header("x-csrf-token", &senco.csrf).header("content-type", "application/pdf").body(body).send();
    let res = post(api(version, "setup.pdf"), b"MZ\x90\x00\x03\x00".to_vec()).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let e: serde_json::Value = res.json().await.unwrap();
    assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some("report"), Some("not_a_report")), "{e}");
    let res = senco.http.post(format!("{}{s}/referrals/{id}/reports", app.base)).header("x-csrf-token", &senco.csrf).body(pdf.to_vec()).send().await.unwrap();
    let e: serde_json::Value = res.json().await.unwrap();
    assert_eq!(e["field"], "version", "the version the upload is based on is required: {e}");
    let scan = b"\x89PNG\r\n\x1a\n a scanned page".to_vec();
    let res = post(api(version, "scan.png"), scan.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let r: serde_json::Value = res.json().await.unwrap();
    let kept = r["referral"]["reports"].as_array().unwrap();
    assert_eq!((kept.len(), kept[1]["media_type"].as_str()), (2, Some("image/png")), "{r}");
    let got = senco.http.get(format!("{}{s}/referrals/{id}/reports/{}", app.base, kept[1]["sha256"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().as_ref(), scan.as_slice());
});

on_both!(r18_the_dashboard_lists_referrals_waiting_longer_than_the_schools_weeks, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let school = app.school.0;
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 8, given: "Rafe", family: "Example", born: "2016-10-01", year: "5" }, true).await;
    advised(&senco, &s, pupil, &["Sensory breaks"]).await;
    let waiting = |weeks: u64| {
        let on = today() + Days::new(weeks * 7);
        format!("/schools/{school}/dashboard/referrals-waiting?on={on}")
    };
    // Sent today: listed after the default twelve weeks, not before.
    let (st, html) = senco.page(&waiting(12)).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("Rafe Example") && html.contains("Northshire Educational Psychology Service, sent on") && html.contains("waiting 12 weeks"), "{html}");
    assert!(html.contains(&format!("/schools/{school}/pupils/{pupil}/referrals")), "the line opens the pupil's referrals: {html}");
    let (_, html) = senco.page(&waiting(11)).await;
    assert!(!html.contains("Rafe Example"), "{html}");

    // The school sets its own weeks: a bad number is named and changes nothing.
    let page = format!("/schools/{school}/referral-settings");
    let (st, html) = senco.page(&page).await;
    assert!(st == StatusCode::OK && html.contains("value=\"12\""), "{html}");
    let version = hidden(&html, "version");
    let res = senco.form(&page, &[("csrf_token", &senco.csrf), ("version", &version), ("wait_weeks", "0")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Enter the weeks as a whole number from 1 to 104"));
    let (_, got) = senco.get(&format!("{s}/referral-settings")).await;
    assert_eq!(got["settings"]["wait_weeks"], 12, "{got}");
    let res = senco.form(&page, &[("csrf_token", &senco.csrf), ("version", &version), ("wait_weeks", "20")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = senco.page(&waiting(19)).await;
    assert!(!html.contains("Rafe Example"), "{html}");
    let (_, html) = senco.page(&waiting(20)).await;
    assert!(html.contains("Rafe Example"), "{html}");
    let (_, html) = senco.page(&format!("/schools/{school}/dashboard")).await;
    assert!(html.contains("not seen for 20 weeks"), "{html}");
    // Through the API too, and never by a teacher.
    let (st, got) = senco.put(&format!("{s}/referral-settings"), json!({"version": got["version"].as_i64().unwrap() + 1, "wait_weeks": 6})).await;
    assert_eq!((st, got["settings"]["wait_weeks"].as_i64()), (StatusCode::OK, Some(6)), "{got}");
    let (st, e) = senco.put(&format!("{s}/referral-settings"), json!({"version": got["version"], "wait_weeks": 105})).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("wait_weeks")), "{e}");
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    assert_eq!(teacher.get(&format!("{s}/referral-settings")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(teacher.page(&page).await.0, StatusCode::FORBIDDEN);
});
