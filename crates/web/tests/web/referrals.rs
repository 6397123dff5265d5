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
        .put(&format!("{s}/referrals/{id}/advice"), json!({"version": r["version"], "advice": "Sam's expressive language is below age expectations.", "recommendations": ["Visual timetable", " ", "Pre-teach topic words"]}))
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
