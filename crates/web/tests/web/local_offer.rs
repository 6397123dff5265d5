//! The Local Offer directory (R18): the SENCO types a service in (bad input named,
//! nothing stored), staff search by need, age and words, and an Open Referral UK feed
//! written for these tests is imported — inline, as an uploaded file and from its
//! address — mapping each service, refusing bad records by id, and importing again
//! without duplicates.

use reqwest::StatusCode;
use senplan_core::access::Role;
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{App, Client};

const FEED: &[u8] = include_bytes!("../../../interop/tests/fixtures/northshire_oruk_v1.json");

fn feed() -> Value {
    serde_json::from_slice(FEED).unwrap()
}

async fn count(app: &App) -> usize {
    app.store.local_offer(app.school).await.unwrap().len()
}

/// A feed served over HTTP, as an authority publishes it: `/services` answers `body`,
/// anything else 404.
async fn serve_feed(body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route("/services", axum::routing::get(move || async move { ([("content-type", "application/json")], body) }));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn upload(c: &Client, path: &str, file: Option<(&str, &[u8])>, url: &str) -> (StatusCode, String) {
    c.upload(path, &[("url", url)], file.map(|(name, bytes)| ("feed", name, bytes))).await
}

on_both!(r18_the_senco_types_a_service_in_and_staff_find_it_by_need_age_and_words, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let school = app.school.0;
    let new = format!("/schools/{school}/local-offer/new");
    let (st, html) = senco.page(&new).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Add a service") && html.contains("Youngest age it takes"), "{html}");
    // Ages the wrong way round, an age that is not a number, a bad e-mail: named, nothing stored.
    let csrf = senco.csrf.clone();
    let bad = [("csrf_token", csrf.as_str()), ("version", "0"), ("name", "Reading Recovery Outreach"), ("min_age", "11"), ("max_age", "6"), ("email", "outreach at school")];
    let res = senco.form(&new, &bad).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("The oldest age (6) must not be below the youngest (11)"), "{html}");
    assert!(html.contains("Enter an e-mail address like name@example.org"), "{html}");
    assert!(html.contains("value=\"Reading Recovery Outreach\""), "what was typed is kept");
    let res = senco.form(&new, &[("csrf_token", csrf.as_str()), ("version", "0"), ("name", "X"), ("min_age", "eleven")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Enter an age in whole years, like 4"));
    assert_eq!(count(app).await, 0, "nothing stored");

    let good = [
        ("csrf_token", csrf.as_str()),
        ("version", "0"),
        ("name", "Reading Recovery Outreach"),
        ("organisation", "Northshire Learning Support"),
        ("min_age", "6"),
        ("max_age", "11"),
        ("areas", "cognition_and_learning"),
        ("how_to_refer", "The SENCO e-mails the request form with the parent's consent"),
        ("email", "reading@northshire.example"),
        ("waiting_time", "About 4 weeks"),
    ];
    let res = senco.form(&new, &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored = app.store.local_offer(app.school).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].service.min_age, stored[0].service.max_age), (Some(6), Some(11)));
    let id = stored[0].id;
    let (st, made) = senco.post(&format!("{}/local-offer", app.api()), json!({"name": "Hearing Support", "max_age": 25, "areas": ["sensory_physical"], "source": {"kind": "feed", "feed": "forged", "id": "1"}})).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    assert_eq!(made["service"]["source"]["kind"], "manual", "a service typed in is the school's own, whatever the body says");

    // A teacher searches; a search names its bad field.
    let teacher = app.client(Role::Teacher, &[]).await;
    let find = |q: &'static str| {
        let teacher = &teacher;
        async move {
            let (st, found) = teacher.get(&format!("{}/local-offer?{q}", app.api())).await;
            assert_eq!(st, StatusCode::OK, "{found}");
            found["services"].as_array().unwrap().iter().map(|s| s["service"]["name"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    assert_eq!(find("").await, ["Hearing Support", "Reading Recovery Outreach"]);
    assert_eq!(find("area=cognition_and_learning&age=8").await, ["Reading Recovery Outreach"]);
    assert_eq!(find("age=12").await, ["Hearing Support"]);
    assert_eq!(find("text=consent+reading").await, ["Reading Recovery Outreach"]);
    let (st, e) = teacher.get(&format!("{}/local-offer?age=30", app.api())).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("age")), "{e}");
    let (st, html) = teacher.page(&format!("/schools/{school}/local-offer?area=cognition_and_learning")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("1 of 2 services") && html.contains("About 4 weeks") && !html.contains("Keep the directory"), "{html}");
    // A teacher reads the directory but does not keep it; a parent does not see it.
    let (st, _) = teacher.put(&format!("{}/local-offer/{id}", app.api()), json!({"version": 1, "service": {"name": "Renamed", "source": {"kind": "manual"}}})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let parent = app.client(Role::ParentCarer, &[]).await;
    assert_eq!(parent.page(&format!("/schools/{school}/local-offer")).await.0, StatusCode::NOT_FOUND);

    // Withdrawn: kept, out of searches, listed for the SENCO to restore.
    let mut changed = stored[0].service.clone();
    changed.waiting_time = "About 6 weeks".into();
    let (st, saved) = senco.put(&format!("{}/local-offer/{id}", app.api()), json!({"version": 1, "withdrawn": true, "service": changed})).await;
    assert_eq!((st, saved["version"].as_i64()), (StatusCode::OK, Some(2)), "{saved}");
    let (st, _) = senco.put(&format!("{}/local-offer/{id}", app.api()), json!({"version": 1, "service": changed})).await;
    assert_eq!(st, StatusCode::CONFLICT, "a stale version");
    assert_eq!(find("").await, ["Hearing Support"]);
    assert_eq!(teacher.get(&format!("{}/local-offer/{id}", app.api())).await.0, StatusCode::NOT_FOUND);
    let (_, html) = senco.page(&format!("/schools/{school}/local-offer")).await;
    assert!(html.contains("Withdrawn services") && html.contains(&format!("/local-offer/{id}\">Reading Recovery Outreach")), "{html}");
    let history = app.store.history(&senplan_store::testing::whole(app.school), senplan_store::history::Entity::LocalOfferService, id).await.unwrap();
    assert_eq!(history.len(), 2, "every version kept");
});

on_both!(r18_an_open_referral_uk_feed_is_imported_mapped_and_reimported_without_duplicates, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let api = format!("{}/local-offer/import", app.api());
    let (st, done) = senco.post(&api, json!({"name": "northshire.json", "feed": feed()})).await;
    assert_eq!(st, StatusCode::OK, "{done}");
    assert_eq!((done["added"].as_u64(), done["changed"].as_u64(), done["unchanged"].as_u64()), (Some(5), Some(0), Some(0)), "{done}");
    let refused: Vec<(String, String)> =
        done["refused"].as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap().to_owned(), r["reason"].as_str().unwrap().to_owned())).collect();
    assert_eq!(
        refused,
        [
            ("3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e04".to_owned(), "its minimum age (18) is above its maximum age (4)".to_owned()),
            ("3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e07".to_owned(), "it has no name".to_owned()),
        ]
    );
    assert_eq!(count(app).await, 5);
    let (_, found) = senco.get(&format!("{}/local-offer?area=communication_and_interaction&age=10", app.api())).await;
    let names: Vec<&str> = found["services"].as_array().unwrap().iter().map(|s| s["service"]["name"].as_str().unwrap()).collect();
    // Families First names no area of need: it is for any.
    assert_eq!(names, ["Autism Outreach Team", "Children's Speech and Language Therapy", "Families First Early Help"]);
    assert_eq!(found["services"][1]["service"]["source"], json!({"kind": "feed", "feed": "northshire.json", "id": "3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e02"}));

    // The same feed again: nothing added, nothing changed.
    let (_, again) = senco.post(&api, json!({"name": "northshire.json", "feed": feed()})).await;
    assert_eq!((again["added"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(5)), "{again}");
    assert_eq!(count(app).await, 5, "no duplicates");
    // One service changed at the source: updated in place, its history kept.
    let mut changed = feed();
    changed["content"][0]["fees"] = json!("Free to families and schools");
    let (_, third) = senco.post(&api, json!({"name": "northshire.json", "feed": changed})).await;
    assert_eq!((third["added"].as_u64(), third["changed"].as_u64(), third["unchanged"].as_u64()), (Some(0), Some(1), Some(4)), "{third}");
    assert_eq!(count(app).await, 5);

    // Bad feeds change nothing and say why.
    let (st, e) = senco.post(&api, json!({"name": "x", "feed": {"services": []}})).await;
    assert_eq!((st, e["code"].as_str(), e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("not_a_feed"), Some("feed")), "{e}");
    let (st, e) = senco.post(&api, json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    let (st, e) = senco.post(&api, json!({"url": "ftp://directory.example/services"})).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_url")), "{e}");

    // From the address the authority publishes: the feed, a page that is not one, a 404.
    let base = serve_feed(FEED.to_vec()).await;
    let (st, fetched) = senco.post(&api, json!({"url": format!("{base}/services")})).await;
    assert_eq!(st, StatusCode::OK, "{fetched}");
    assert_eq!(fetched["added"].as_u64(), Some(5), "a different feed (its address) is a different origin: {fetched}");
    let (st, e) = senco.post(&api, json!({"url": format!("{base}/nothing-here")})).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("fetch_failed")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("404"), "{e}");
    let html_base = serve_feed(b"<html><body>Directory</body></html>".to_vec()).await;
    let (st, e) = senco.post(&api, json!({"url": format!("{html_base}/services")})).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("not_json")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("line 1, column 1"), "{e}");
    assert_eq!(count(app).await, 10);

    // The page: a file upload shows what was taken and lists the records not taken.
    let path = format!("/schools/{}/local-offer/import", app.school.0);
    let (st, html) = upload(&senco, &path, Some(("northshire-oruk.json", FEED)), "").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("The feed has been imported: 5 added, 0 changed, 0 unchanged, 2 not taken."), "{html}");
    assert!(html.contains("3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e07") && html.contains("it has no name"), "{html}");
    assert!(html.contains("listed 3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e02 more than once"), "{html}");
    // An executable named .json, and no file at all: refused, nothing changed.
    let (st, html) = upload(&senco, &path, Some(("feed.json", b"MZ\x90\x00\x03\x00\x00\x00")), "").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("The feed is not JSON"), "{html}");
    let (st, html) = upload(&senco, &path, None, "").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Choose the feed&#39;s file, or enter its address"), "{html}");
    assert_eq!(count(app).await, 15);
    // Only those who keep the directory import.
    let teacher = app.client(Role::Teacher, &[]).await;
    let (st, _) = upload(&teacher, &path, Some(("f.json", FEED)), "").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let admin = app.client(Role::Administrator, &[]).await;
    let (st, again) = admin.post(&api, json!({"name": "northshire.json", "feed": feed()})).await;
    // (The first service had changed since: it changes back.)
    assert_eq!((st, again["changed"].as_u64(), again["unchanged"].as_u64()), (StatusCode::OK, Some(1), Some(4)), "{again}");
    assert_eq!(count(app).await, 15);
});
