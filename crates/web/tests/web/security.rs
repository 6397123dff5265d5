//! Security controls (security.md): CSRF, headers, sessions, and the family portal's
//! concerns and requests (R04, R20, R21). Signing in has its own file, `sign_in.rs`;
//! the logs theirs, `tests/logs.rs`.

use reqwest::{Method, StatusCode};
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::access::senco_and_pupil;
use crate::api::pupil_json;
use crate::on_both;
use crate::support::{PASSWORD, sqlite_app};

on_both!(csrf_token_is_required_on_every_change, |app| {
    let (senco, _) = senco_and_pupil(app).await;
    let s = app.api();
    let body = "{\"upn\": \"B801200005001\", \"given_name\": \"Kim\", \"family_name\": \"Synthetic\", \"date_of_birth\": \"2017-01-02\", \"year_group\": \"4\"}";
    let (st, text) = senco.raw(Method::POST, &format!("{s}/pupils"), "application/json", body, false).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("csrf_failed"));
    let mut forged =
        senco.http.post(format!("{}{s}/pupils", senco.base)).header("x-csrf-token", "0".repeat(64)).json(&pupil_json("B801200005001"));
    forged = forged.header("content-type", "application/json");
    assert_eq!(forged.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let (_, roll) = senco.get(&format!("{s}/pupils")).await;
    assert_eq!(roll.as_array().unwrap().len(), 1, "nothing was stored");
    // A form post must carry the token as a field.
    let res = senco.form("/sign-out", &[("csrf_token", "wrong")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = senco.form("/sign-out", &[("csrf_token", &senco.csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (st, _) = senco.get(&format!("{s}/pupils")).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "signed out: the session is gone");
});

#[tokio::test]
async fn responses_carry_security_headers_and_cookies_are_locked_down() {
    let (db, app) = sqlite_app().await;
    let http = reqwest::Client::new();
    let res = http.get(format!("{}/sign-in", app.base)).send().await.unwrap();
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h.get("strict-transport-security").is_none(), "HSTS only behind TLS");
    app.person(Role::Senco, &[]).await;
    let email = app.store.users(app.school).await.unwrap()[0].email.clone();
    let res = http.post(format!("{}/api/session", app.base)).json(&json!({"email": email, "password": PASSWORD})).send().await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let again = http.post(format!("{}/api/session", app.base)).json(&json!({"email": email, "password": PASSWORD})).send().await.unwrap();
    let second = again.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert_ne!(cookie.split(';').next(), second.split(';').next(), "a new session id at every sign-in");
    db.finish().await;
}

#[tokio::test]
async fn sessions_expire_when_idle_and_after_twelve_hours() {
    let (db, app) = sqlite_app().await;
    let user = app.person(Role::Senco, &[]).await;
    let start = chrono::Utc::now();
    let s = app.store.start_session(user, start).await.unwrap();
    assert!(app.store.session(&s.token, start + chrono::Duration::minutes(29)).await.unwrap().is_some());
    assert!(app.store.session(&s.token, start + chrono::Duration::minutes(29 + 31)).await.unwrap().is_none(), "idle for 31 minutes");
    assert!(app.store.session(&s.token, start).await.unwrap().is_none(), "an expired session stays ended");
    let s = app.store.start_session(user, start).await.unwrap();
    let mut t = start;
    for _ in 0..36 {
        t += chrono::Duration::minutes(20);
        if t - start > chrono::Duration::hours(12) {
            break;
        }
        assert!(app.store.session(&s.token, t).await.unwrap().is_some(), "in use at {t}");
    }
    assert!(
        app.store.session(&s.token, start + chrono::Duration::hours(12) + chrono::Duration::minutes(5)).await.unwrap().is_none(),
        "12 hours after sign-in"
    );
    db.finish().await;
}

on_both!(r04_concern_is_answered_with_a_date_before_it_can_close, |app| {
    let (_, pupil) = senco_and_pupil(app).await;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let res = parent
        .form(&format!("/portal/pupils/{pupil}/concerns"), &[("csrf_token", &parent.csrf), ("concern", "Reading homework takes two hours")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let scope = senplan_store::testing::whole(app.school);
    let ctx = senplan_store::testing::ctx();
    let c = app.store.concerns(&scope, PupilId(pupil)).await.unwrap().remove(0);
    assert_eq!((c.status.as_str(), c.concern.as_str()), ("open", "Reading homework takes two hours"));
    assert_eq!(app.store.unanswered_concerns(&senplan_store::testing::whole(app.school)).await.unwrap().len(), 1);
    let err = app.store.close_concern(&scope, c.id, c.version, &ctx).await.unwrap_err();
    assert!(err.to_string().contains("dated response"), "{err}");
    // An answer dated before the concern was raised is refused, and nothing is stored.
    let now = senplan_store::Ctx::new("Synthetic SENCO", chrono::Utc::now());
    let day_before = c.raised_on - chrono::Days::new(1);
    let err = app.store.answer_concern(&scope, c.id, c.version, "We will shorten it", day_before, &now).await.unwrap_err();
    assert!(matches!(&err, senplan_store::StoreError::Invalid(i) if i.errors[0].code == "before_raised"), "{err}");
    assert_eq!(app.store.unanswered_concerns(&senplan_store::testing::whole(app.school)).await.unwrap().len(), 1, "still unanswered");
    let answered = app.store.answer_concern(&scope, c.id, c.version, "We will shorten it to 20 minutes", c.raised_on, &now).await.unwrap();
    let response = answered.response.as_ref().unwrap();
    assert_eq!((response.on, response.by.as_str(), answered.status.as_str()), (c.raised_on, "Synthetic SENCO", "answered"));
    let closed = app.store.close_concern(&scope, c.id, answered.version, &now).await.unwrap();
    assert_eq!(closed.status, "closed");
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains("We will shorten it to 20 minutes"), "the parent sees the dated answer");
    // Another family cannot raise a concern about this child.
    let stranger = app.client(Role::ParentCarer, &[]).await;
    let res = stranger.form(&format!("/portal/pupils/{pupil}/concerns"), &[("csrf_token", &stranger.csrf), ("concern", "x")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
});

on_both!(r20_parent_reads_the_plan_in_plain_language_and_asks_for_a_copy_of_the_records, |app| {
    let (_, pupil) = senco_and_pupil(app).await;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (st, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Retell a story in order"), "past review lists the outcome");
    assert!(html.contains("Speech, language and communication needs"), "needs in words, not codes");
    assert!(html.contains("What do SEN support, K and E mean?"), "codes explained (R33)");
    let res = parent.form(&format!("/portal/pupils/{pupil}/requests"), &[("csrf_token", &parent.csrf), ("kind", "records_copy")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let requests = app.store.requests(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    assert_eq!(requests[0].kind, "records_copy");
    let audit = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "request" && a.entity == "records_copy"));
    assert!(audit.iter().any(|a| a.action == "view" && a.entity == "portal"), "the parent's view is audited");
});

on_both!(r21_young_person_gives_their_own_views, |app| {
    let (senco, child) = senco_and_pupil(app).await;
    // A young person's own account is for a pupil of 16 or over (R21): not for a 9-year-old.
    let too_young = app.person(Role::YoungPerson, &[]).await;
    let new = senplan_store::relationships::NewRelationship {
        user: too_young,
        pupil: PupilId(child),
        kind: senplan_core::access::Relationship::Is,
        starts_on: chrono::Utc::now().date_naive(),
        expires_on: None,
    };
    let err = app.store.relate(&senplan_store::testing::whole(app.school), &new, &senplan_store::testing::ctx()).await.unwrap_err();
    assert!(matches!(&err, senplan_store::StoreError::Invalid(i) if i.errors[0].code == "too_young_for_own_account"), "{err}");
    assert!(
        app.store
            .pupil_relationships(&senplan_store::testing::whole(app.school), PupilId(child))
            .await
            .unwrap()
            .iter()
            .all(|r| r.user_id != too_young)
    );
    // A sixth-former of 17 has their own account.
    let mut details = crate::api::pupil_json(&crate::access::upn(17));
    details["date_of_birth"] = json!("2009-03-01");
    details["year_group"] = json!("12");
    let (st, p) = senco.post(&format!("{}/pupils", app.api()), details).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let pupil = p["id"].as_i64().unwrap();
    let student = app.client(Role::YoungPerson, &[PupilId(pupil)]).await;
    let (_, html) = student.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains("Your views before the next review"), "addressed to the young person");
    let res = student
        .form(&format!("/portal/pupils/{pupil}/views"), &[("csrf_token", &student.csrf), ("views", "I want fewer withdrawals from maths")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let views = app.store.portal_views(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    assert_eq!((views[0].relationship.as_str(), views[0].views.as_str()), ("young person", "I want fewer withdrawals from maths"));
    let res = student.form(&format!("/portal/pupils/{pupil}/views"), &[("csrf_token", &student.csrf), ("views", "  ")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "the form is shown again with its error");
    let html = res.text().await.unwrap();
    assert!(html.contains("govuk-error-summary") && html.contains("href=\"#views\""), "error summary links to the field");
    // The field in error says so to assistive technology (WCAG 3.3.1), not by colour alone.
    let field = html.split("id=\"views\"").nth(1).and_then(|rest| rest.split('>').next()).unwrap_or_default();
    assert!(field.contains("aria-invalid=\"true\"") && field.contains("views-error"), "{field}");
});
