//! A page answers with a page and an API route with JSON, whatever goes wrong: a bad
//! id in the address, a body too large or not JSON, a misspelt field, a date that
//! cannot exist, a page the role may not open (R20, R33).

use reqwest::{Method, StatusCode};
use senplan_core::access::Role;
use serde_json::{Value, json};

use crate::api::pupil_on_support;
use crate::on_both;

async fn answer(c: &crate::support::Client, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, String, String) {
    let mut req = c.http.request(method, format!("{}{path}", c.base)).header("x-csrf-token", &c.csrf);
    if !content_type.is_empty() {
        req = req.header("content-type", content_type);
    }
    let res = req.body(body).send().await.unwrap();
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status(), kind, res.text().await.unwrap())
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

on_both!(r33_every_error_is_a_page_on_pages_and_json_on_the_api, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    // A bad id in the address: not found, as a page or as JSON.
    let (st, kind, body) = answer(&senco, Method::GET, &format!("/schools/{school}/pupils/abc"), "", vec![]).await;
    assert_eq!((st, kind.starts_with("text/html")), (StatusCode::NOT_FOUND, true), "{body}");
    assert!(body.contains("Page not found") && body.contains("govuk-header"), "a whole page with a way back");
    let (st, kind, body) = answer(&senco, Method::GET, &format!("{s}/pupils/abc"), "", vec![]).await;
    assert_eq!((st, kind.as_str()), (StatusCode::NOT_FOUND, "application/json"), "{body}");
    assert_eq!(json_of(&body)["code"], "not_found");
    // A body over the limit.
    let big = vec![b'a'; senplan_web::MAX_BODY_BYTES + 10];
    let (st, kind, body) = answer(&senco, Method::POST, &format!("{s}/pupils"), "application/json", big.clone()).await;
    assert_eq!((st, kind.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "application/json"), "{body}");
    assert_eq!(json_of(&body)["code"], "too_large");
    let (st, kind, body) =
        answer(&senco, Method::POST, &format!("/schools/{school}/pupils/{pupil}/status"), "application/x-www-form-urlencoded", big).await;
    assert_eq!((st, kind.starts_with("text/html")), (StatusCode::PAYLOAD_TOO_LARGE, true), "{body}");
    assert!(body.contains("What you sent is too large") && body.contains("larger than the 1 MB"));
    // A body that is not JSON, even if it would parse.
    let ok_body = br#"{"status": "K", "start": "2026-09-14", "reason": "x"}"#.to_vec();
    let (st, kind, body) = answer(&senco, Method::POST, &format!("{s}/pupils/{pupil}/status"), "text/plain", ok_body).await;
    assert_eq!((st, kind.as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/json"), "{body}");
    assert_eq!(json_of(&body)["code"], "unsupported_media_type");
    // A misspelt field is refused, naming it, and nothing is stored.
    let (st, body) =
        senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 1, "needs": [{"code": "SEMH", "rank": 1, "rnak": 2}]})).await;
    assert_eq!((st, &body["code"], &body["field"]), (StatusCode::BAD_REQUEST, &json!("unknown_field"), &json!("needs[0].rnak")), "{body}");
    let (_, needs) = senco.get(&format!("{s}/pupils/{pupil}/needs")).await;
    assert_eq!((&needs["version"], &needs["needs"][0]["code"]), (&json!(1), &json!("SLCN")), "unchanged: {needs}");
    // A date that cannot exist says so.
    let (st, body) = senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "N", "start": "2026-02-30", "reason": "x"})).await;
    assert_eq!(
        (st, &body["field"], &body["message"]),
        (StatusCode::BAD_REQUEST, &json!("start"), &json!("30 February 2026 does not exist"))
    );
    // A role that may not open a page gets a page saying so, not JSON and not "a problem with the service".
    let teacher = app.client(Role::Teacher, &[]).await;
    let (st, kind, body) = answer(&teacher, Method::GET, &format!("/schools/{school}/costing"), "", vec![]).await;
    assert_eq!((st, kind.starts_with("text/html")), (StatusCode::FORBIDDEN, true), "{body}");
    assert!(body.contains("Your role does not give you access to this") && !body.contains("problem with the service"));
});
