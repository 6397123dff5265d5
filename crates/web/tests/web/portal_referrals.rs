//! Referrals in the family portal (R18, R26): the family sees their child's referrals
//! and where each stands in plain words, and gives their agreement to a draft before
//! it can be sent; a young person of 16 or over gives their own, and a parent cannot
//! give it for them. Child-in-need referrals are not shown to the family.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::api::{NewPupil, pupil_with_plan};
use crate::on_both;
use crate::support::Client;

/// A service and a draft referral of `kind` for `pupil`: the referral's id.
async fn draft(senco: &Client, s: &str, pupil: i64, kind: &str, service: &str) -> i64 {
    let (_, svc) = senco.post(&format!("{s}/local-offer"), json!({"name": service, "source": {"kind": "manual"}})).await;
    let (st, r) = senco.post(&format!("{s}/pupils/{pupil}/referrals"), json!({"kind": kind, "service": svc["id"], "reason": "Words are hard to find in class"})).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    r["id"].as_i64().unwrap()
}

on_both!(r18_a_parent_sees_the_referral_and_agrees_to_it_in_the_portal, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 11, given: "Ivo", family: "Example", born: "2017-02-03", year: "4" }, true).await;
    let id = draft(&senco, &s, pupil, "specialist", "Northshire Speech and Language Therapy").await;
    let hidden = draft(&senco, &s, pupil, "child_in_need", "Northshire Children's Social Care").await;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;

    // Listed on the child's page with the agreement asked for; the child-in-need referral is not.
    let (st, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Northshire Speech and Language Therapy") && html.contains("Your agreement is needed"), "{html}");
    assert!(!html.contains("Children&#x27;s Social Care") && !html.contains("Children's Social Care"), "{html}");
    assert_eq!(parent.page(&format!("/portal/pupils/{pupil}/referrals/{hidden}")).await.0, StatusCode::NOT_FOUND);
    let page = format!("/portal/pupils/{pupil}/referrals/{id}");
    let (st, html) = parent.page(&page).await;
    assert!(st == StatusCode::OK && html.contains("Words are hard to find in class") && html.contains("Give my agreement"), "{html}");

    // Without ticking the box: named, nothing recorded. Another family: not found.
    let res = parent.form(&page, &[("csrf_token", &parent.csrf), ("version", "1")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Tick the box to say you agree to the referral"));
    let stranger = app.client(Role::ParentCarer, &[]).await;
    assert_eq!(stranger.form(&page, &[("csrf_token", &stranger.csrf), ("version", "1"), ("agree", "yes")]).await.status(), StatusCode::NOT_FOUND);
    let (_, r) = senco.get(&format!("{s}/referrals/{id}")).await;
    assert!(r["referral"]["consent"].is_null(), "{r}");

    let res = parent.form(&page, &[("csrf_token", &parent.csrf), ("version", "1"), ("agree", "yes")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, r) = senco.get(&format!("{s}/referrals/{id}")).await;
    let consent = &r["referral"]["consent"];
    assert_eq!((consent["given_by"].as_str(), consent["on"].as_str()), (Some("parent"), Some(Utc::now().date_naive().to_string().as_str())), "{r}");
    assert!(consent["discussion"].as_str().unwrap().contains("Agreed in the family portal"), "{r}");
    // The school can now send it, and the family sees it move on in plain words.
    let (st, _) = senco.post(&format!("{s}/referrals/{id}/steps"), json!({"version": r["version"], "stage": "sent", "on": Utc::now().date_naive()})).await;
    assert_eq!(st, StatusCode::OK);
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains("Sent: waiting for the service to reply") && !html.contains("Your agreement is needed"), "{html}");
    // A sent referral asks nothing more.
    let res = parent.form(&page, &[("csrf_token", &parent.csrf), ("version", "3"), ("agree", "yes")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
});

on_both!(r26_a_student_of_16_agrees_for_themselves_and_their_parent_cannot, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let born = (Utc::now().date_naive() - Days::new(17 * 366)).to_string();
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 12, given: "Jude", family: "Example", born: &born, year: "12" }, false).await;
    let id = draft(&senco, &s, pupil, "specialist", "Supported Internships Team").await;
    let page = format!("/portal/pupils/{pupil}/referrals/{id}");
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (_, html) = parent.page(&page).await;
    assert!(html.contains("the young person agrees to a referral for themselves") && !html.contains("Give my agreement"), "{html}");
    let res = parent.form(&page, &[("csrf_token", &parent.csrf), ("version", "1"), ("agree", "yes")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("young person agrees for themselves"));
    let student = app.client(Role::YoungPerson, &[PupilId(pupil)]).await;
    let (_, html) = student.page(&page).await;
    assert!(html.contains("A referral for you") && html.contains("Give my agreement"), "{html}");
    assert_eq!(student.form(&page, &[("csrf_token", &student.csrf), ("version", "1"), ("agree", "yes")]).await.status(), StatusCode::SEE_OTHER);
    let (_, r) = senco.get(&format!("{s}/referrals/{id}")).await;
    assert_eq!(r["referral"]["consent"]["given_by"], "young_person", "{r}");
});
