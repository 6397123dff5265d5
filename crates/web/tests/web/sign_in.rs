//! Signing in (security.md, "Sign-in"): a wrong password, an email with no account and
//! a locked account get the same answer, on the page and through the API; failures are
//! limited per account and per network address (`security/limits.rs` has the numbers
//! and why); and the page someone is sent on to is only ever a path on this site.
//!
//! Attempts come from several addresses on this machine: any 127.x.y.z reaches the
//! server listening on 127.0.0.1, and the server sees the address the client bound.
//! Timing is not asserted here (it would be flaky): the unit test
//! `every_sign_in_path_verifies_exactly_one_hash` in `store/src/accounts.rs` shows every
//! path does the same argon2 work, and TESTING.md records a measurement by hand.

use std::net::IpAddr;

use reqwest::{StatusCode, header};
use senplan_core::access::Role;
use senplan_store::accounts::Refused;
use senplan_web::security::limits::{PER_ACCOUNT, PER_ADDRESS};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{App, PASSWORD};
use senplan_store::Backend;
use senplan_store::testing::TestDb;

/// A client with its own cookies, connecting from `ip`, not following redirects.
fn from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from(ip))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

const SCHOOL: [u8; 4] = [127, 0, 0, 1];

/// What a person sees of an answer: status, the cookies it sets, the body.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: StatusCode,
    set_cookie: Vec<String>,
    body: String,
}

impl Answer {
    /// `res` with the email typed and the form's CSRF token replaced, the only parts
    /// that differ from one attempt to the next whatever the reason for a refusal.
    async fn of(res: reqwest::Response, email: &str, csrf: &str) -> Answer {
        let status = res.status();
        let set_cookie = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let mut body = res.text().await.unwrap().replace(email, "EMAIL");
        if !csrf.is_empty() {
            body = body.replace(csrf, "CSRF");
        }
        Answer { status, set_cookie, body }
    }
}

/// The sign-in page's CSRF token, fetched the way a browser does (which also sets its cookie).
async fn form_token(app: &App, http: &reqwest::Client) -> String {
    let html = http.get(format!("{}/sign-in", app.base)).send().await.unwrap().text().await.unwrap();
    let start = html.find("name=\"csrf_token\" value=\"").unwrap() + "name=\"csrf_token\" value=\"".len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// Signs in through the page, from a fresh browser at `ip`.
async fn by_page(app: &App, ip: [u8; 4], email: &str, password: &str, next: &str) -> (Answer, Option<String>) {
    let http = from(ip);
    let csrf = form_token(app, &http).await;
    let res = http
        .post(format!("{}/sign-in", app.base))
        .form(&[("csrf_token", csrf.as_str()), ("email", email), ("password", password), ("next", next)])
        .send()
        .await
        .unwrap();
    let location = res.headers().get(header::LOCATION).map(|l| l.to_str().unwrap().to_owned());
    (Answer::of(res, email, &csrf).await, location)
}

/// Signs in through the API, from a fresh client at `ip`.
async fn by_api(app: &App, ip: [u8; 4], email: &str, password: &str) -> Answer {
    let res = from(ip).post(format!("{}/api/session", app.base)).json(&json!({"email": email, "password": password})).send().await.unwrap();
    Answer::of(res, email, "").await
}

async fn email_of(app: &App, role: Role) -> String {
    let id = app.person(role, &[]).await;
    app.store.user(id).await.unwrap().email
}

fn code(a: &Answer) -> String {
    serde_json::from_str::<Value>(&a.body).unwrap()["code"].as_str().unwrap_or_default().to_owned()
}

on_both!(a_wrong_password_an_unknown_email_and_a_locked_account_get_the_same_answer, |app| {
    let wrong = email_of(app, Role::Teacher).await;
    let locked = email_of(app, Role::Teacher).await;
    // Locked in the store (five failures in a row), not through the server, so that
    // the server's own limits have counted nothing for it.
    for _ in 0..senplan_store::accounts::MAX_FAILED_SIGN_INS {
        assert_eq!(app.store.check_sign_in(&locked, "not the password", chrono::Utc::now()).await.unwrap(), Err(Refused));
    }
    let unknown = "nobody-at-all@synthetic.example".to_owned();
    let cases = [
        ("wrong password", &wrong, "not the password"),
        ("unknown email", &unknown, PASSWORD),
        ("locked, wrong password", &locked, "not the password"),
        ("locked, right password", &locked, PASSWORD),
    ];
    let mut pages = Vec::new();
    let mut apis = Vec::new();
    for (what, email, password) in cases {
        let (page, location) = by_page(app, SCHOOL, email, password, "/").await;
        assert_eq!(location, None, "{what}");
        pages.push((what, page));
        apis.push((what, by_api(app, SCHOOL, email, password).await));
    }
    let (_, first) = &pages[0];
    assert_eq!(first.status, StatusCode::BAD_REQUEST);
    assert!(first.body.contains("The email address or password is not right"), "{}", first.body);
    assert!(first.set_cookie.is_empty(), "no cookie but the form's, already set: {:?}", first.set_cookie);
    for (what, page) in &pages[1..] {
        assert_eq!(page, first, "the page for '{what}' differs from a wrong password's");
    }
    let (_, first) = &apis[0];
    assert_eq!((first.status, code(first).as_str()), (StatusCode::BAD_REQUEST, "wrong_email_or_password"));
    assert!(first.set_cookie.is_empty(), "{:?}", first.set_cookie);
    for (what, api) in &apis[1..] {
        assert_eq!(api, first, "the API's answer for '{what}' differs from a wrong password's");
    }
});

on_both!(failures_for_many_accounts_from_one_address_leave_other_accounts_alone_up_to_the_address_limit, |app| {
    let colleague = email_of(app, Role::Teacher).await;
    let victim = email_of(app, Role::Teacher).await;
    // Someone on the school's network fails for the victim, then for many more
    // addresses, four times each (under the per-account limit), one short of the
    // address's limit.
    let mut failures = 0;
    for _ in 0..PER_ACCOUNT {
        assert_eq!(by_api(app, SCHOOL, &victim, "not the password").await.status, StatusCode::BAD_REQUEST);
        failures += 1;
    }
    let mut n = 0;
    while failures < PER_ADDRESS - 1 {
        let guessed = format!("guess-{}@synthetic.example", n / 4);
        assert_eq!(by_api(app, SCHOOL, &guessed, "not the password").await.status, StatusCode::BAD_REQUEST, "failure {failures}");
        failures += 1;
        n += 1;
    }
    // The victim is locked out; a colleague on the same network is not, on the page
    // or through the API, and signing in takes nothing from the address's budget.
    let victim_now = by_api(app, SCHOOL, &victim, PASSWORD).await;
    assert_eq!((victim_now.status, code(&victim_now).as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"));
    for _ in 0..3 {
        assert_eq!(by_api(app, SCHOOL, &colleague, PASSWORD).await.status, StatusCode::CREATED);
    }
    let (page, location) = by_page(app, SCHOOL, &colleague, PASSWORD, "/").await;
    assert_eq!((page.status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    // The address's last failure, and then its limit: everyone on it waits...
    assert_eq!(by_api(app, SCHOOL, "guess-last@synthetic.example", "not the password").await.status, StatusCode::BAD_REQUEST);
    let refused = by_api(app, SCHOOL, &colleague, PASSWORD).await;
    assert_eq!((refused.status, code(&refused).as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"));
    assert!(refused.body.contains("from your network"), "{}", refused.body);
    let (page, _) = by_page(app, SCHOOL, &colleague, PASSWORD, "/").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("too many failed sign-in attempts from your network"), "{}", page.body);
    // ...but the colleague signs in from anywhere else.
    assert_eq!(by_api(app, [127, 0, 0, 2], &colleague, PASSWORD).await.status, StatusCode::CREATED);
});

on_both!(the_per_account_limit_holds_across_addresses_and_is_the_same_for_unknown_emails, |app| {
    let target = email_of(app, Role::Senco).await;
    let unknown = "no-account-here@synthetic.example".to_owned();
    let mut last = Vec::new();
    for email in [&target, &unknown] {
        for i in 0..u8::try_from(PER_ACCOUNT).unwrap() {
            let a = by_api(app, [127, 0, 1, 10 + i], email, "not the password").await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{email}, failure {i}");
        }
        // From yet another address, even with the right password.
        let a = by_api(app, [127, 0, 1, 99], email, PASSWORD).await;
        assert_eq!((a.status, code(&a).as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"));
        assert!(a.body.contains("with this email address"), "{}", a.body);
        let (page, _) = by_page(app, [127, 0, 1, 98], email, PASSWORD, "/").await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        last.push((a, page));
    }
    assert_eq!(last[0], last[1], "an email with no account is limited exactly like a real one");
    // The store's lockout, which outlives the server's counts, holds as well.
    assert_eq!(app.store.check_sign_in(&target, PASSWORD, chrono::Utc::now()).await.unwrap(), Err(Refused));
});

on_both!(repeated_failed_sign_ins_lock_the_account_for_fifteen_minutes, |app| {
    let email = email_of(app, Role::Teacher).await;
    let now = chrono::Utc::now();
    for _ in 0..senplan_store::accounts::MAX_FAILED_SIGN_INS {
        assert_eq!(app.store.check_sign_in(&email, "not the password", now).await.unwrap(), Err(Refused));
    }
    assert_eq!(app.store.check_sign_in(&email, PASSWORD, now).await.unwrap(), Err(Refused), "even the right password while locked");
    let later = now + chrono::Duration::minutes(14);
    assert_eq!(app.store.check_sign_in(&email, PASSWORD, later).await.unwrap(), Err(Refused), "still locked after 14 minutes");
    assert_eq!(app.store.check_sign_in(&email, "not the password", later).await.unwrap(), Err(Refused));
    let after = now + chrono::Duration::minutes(16);
    assert!(app.store.check_sign_in(&email, PASSWORD, after).await.unwrap().is_ok(), "unlocked after 15 minutes, not extended");
    // Four failures and a success: the count starts again.
    for _ in 0..4 {
        assert_eq!(app.store.check_sign_in(&email, "not the password", after).await.unwrap(), Err(Refused));
    }
    assert!(app.store.check_sign_in(&email, PASSWORD, after).await.unwrap().is_ok());
    assert_eq!(app.store.check_sign_in(&email, "not the password", after).await.unwrap(), Err(Refused));
    assert!(app.store.check_sign_in(&email, PASSWORD, after).await.unwrap().is_ok(), "one failure after a success does not lock");
    assert_eq!(app.store.check_sign_in("nobody@synthetic.example", PASSWORD, now).await.unwrap(), Err(Refused));
});

on_both!(next_after_sign_in_only_ever_leads_to_a_path_on_this_site, |app| {
    // An administrator starts on /admin/users, so falling back to the home page shows.
    let admin = email_of(app, Role::Administrator).await;
    let home = "/admin/users";
    let school = format!("/schools/{}", app.school);
    let cases: Vec<(&str, &str)> = vec![
        (&school, &school),
        ("/figures?year=2026", "/figures?year=2026"),
        ("", home),
        ("/", home),
        ("//evil.example", home),
        ("///evil.example/", home),
        ("https://evil.example/", home),
        ("javascript:alert(1)", home),
        ("evil.example", home),
        ("/\\evil.example", home),
        ("\\\\evil.example", home),
        ("/%2f%2fevil.example", home),
        ("/%2F%2Fevil.example", home),
        ("/%5cevil.example", home),
        ("/%252f%252fevil.example", home),
        (" /schools", home),
        ("/\tschools", home),
        ("/\r\nSet-Cookie: senplan_session=x", home),
        ("/%0d%0aSet-Cookie:%20senplan_session=x", home),
        ("/schools/\u{e9}", home),
        ("/%zz", home),
    ];
    let mut wrong = Vec::new();
    for (next, want) in &cases {
        let (answer, location) = by_page(app, SCHOOL, &admin, PASSWORD, next).await;
        if answer.status != StatusCode::SEE_OTHER || location.as_deref() != Some(want) {
            wrong.push(format!("next {next:?}: {} to {location:?}, expected {want}", answer.status));
        }
        // The form itself, asked for with that `next`, carries only a safe one.
        let res = from(SCHOOL).get(format!("{}/sign-in", app.base)).query(&[("next", next)]).send().await.unwrap();
        let status = res.status();
        let html = res.text().await.unwrap();
        let carried = if want == &home { "/" } else { want };
        if status != StatusCode::OK || !html.contains(&format!("name=\"next\" value=\"{}\"", carried.replace('&', "&amp;"))) {
            wrong.push(format!("form with next {next:?}: {status}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});

/// Signs in through the API via a proxy at 127.0.0.1 that says the client is `client`.
async fn via_proxy(app: &App, client: &str, email: &str, password: &str) -> StatusCode {
    let res = from(SCHOOL)
        .post(format!("{}/api/session", app.base))
        .header("x-forwarded-for", client)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    res.status()
}

/// Behind a reverse proxy every connection comes from the proxy: with the proxy
/// trusted, each school is limited by its own address, and the audit trail records it.
async fn behind_a_trusted_proxy(backend: Backend) {
    let db = TestDb::new(backend).await;
    let config = senplan_web::WebConfig { trusted_proxies: vec![IpAddr::from(SCHOOL)], ..Default::default() };
    let app = App::start_with(db.store.clone(), config).await;
    let colleague = email_of(&app, Role::Teacher).await;
    let (one_school, another_school) = ("203.0.113.7", "198.51.100.20");
    for n in 0..PER_ADDRESS {
        let guessed = format!("guess-{}@synthetic.example", n / 4);
        assert_eq!(via_proxy(&app, one_school, &guessed, "not the password").await, StatusCode::BAD_REQUEST, "failure {n}");
    }
    assert_eq!(via_proxy(&app, one_school, &colleague, PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(via_proxy(&app, another_school, &colleague, PASSWORD).await, StatusCode::CREATED, "another school is not held up");
    // A client that is not the proxy cannot choose its address with the header.
    let forged = from([127, 0, 0, 2])
        .post(format!("{}/api/session", app.base))
        .header("x-forwarded-for", another_school)
        .json(&json!({"email": colleague, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::CREATED);
    // The audit trail records each person's own address.
    let senco = app.client(Role::Senco, &[]).await;
    let pupil = app
        .store
        .create_pupil(&senplan_store::testing::whole(app.school), &senplan_store::testing::pupil(1), &senplan_store::testing::ctx())
        .await
        .unwrap()
        .id;
    for (forwarded, origin) in [(Some(one_school), one_school), (None, "127.0.0.1")] {
        let mut req = senco.http.get(format!("{}/schools/{}/pupils/{pupil}", app.base, app.school));
        if let Some(f) = forwarded {
            req = req.header("x-forwarded-for", f);
        }
        assert_eq!(req.send().await.unwrap().status(), StatusCode::OK);
        let seen = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), pupil).await.unwrap();
        assert_eq!(seen[0].origin, origin, "{seen:?}");
    }
    db.finish().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_school_is_limited_and_audited_by_its_own_address_sqlite() {
    behind_a_trusted_proxy(Backend::Sqlite).await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_school_is_limited_and_audited_by_its_own_address_postgres() {
    behind_a_trusted_proxy(Backend::Postgres).await;
}

/// Times refused sign-ins through the API, by reason, for TESTING.md. Not run by
/// default and asserts nothing (timings on a shared machine are noise for a test):
/// `cargo test -p senplan-web --test web sign_in_timing -- --ignored --nocapture`.
async fn time_refusals(backend: Backend) {
    const N: usize = 40;
    let db = TestDb::new(backend).await;
    let app = App::start(db.store.clone()).await;
    let mut wrong = Vec::new();
    let mut locked = Vec::new();
    for _ in 0..N {
        wrong.push(email_of(&app, Role::Teacher).await);
        let l = email_of(&app, Role::Teacher).await;
        for _ in 0..senplan_store::accounts::MAX_FAILED_SIGN_INS {
            app.store.check_sign_in(&l, "not the password", chrono::Utc::now()).await.unwrap().unwrap_err();
        }
        locked.push(l);
    }
    let mut times: [Vec<f64>; 3] = Default::default();
    for i in 0..N {
        // Interleaved, each from its own address, so drift and limits touch all three alike.
        let ip = [127, 0, 2, u8::try_from(i + 1).unwrap()];
        let unknown = format!("nobody-{i}@synthetic.example");
        for (k, (email, password)) in
            [(&wrong[i], "not the password"), (&unknown, PASSWORD), (&locked[i], PASSWORD)].into_iter().enumerate()
        {
            let http = from(ip);
            let started = std::time::Instant::now();
            let status = by_api_with(&app, &http, email, password).await;
            times[k].push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(status, StatusCode::BAD_REQUEST);
        }
    }
    for (name, t) in ["wrong password", "unknown email", "locked account"].iter().zip(times.iter_mut()) {
        t.sort_by(f64::total_cmp);
        let mean = t.iter().sum::<f64>() / t.len() as f64;
        println!(
            "{backend:?} {name:>15}: median {:6.1} ms, mean {mean:6.1} ms, p10 {:6.1}, p90 {:6.1}",
            t[N / 2],
            t[N / 10],
            t[N * 9 / 10]
        );
    }
    db.finish().await;
}

async fn by_api_with(app: &App, http: &reqwest::Client, email: &str, password: &str) -> StatusCode {
    http.post(format!("{}/api/session", app.base)).json(&json!({"email": email, "password": password})).send().await.unwrap().status()
}

#[tokio::test]
#[ignore = "a measurement, not a test: run by hand for TESTING.md"]
async fn sign_in_timing_by_reason() {
    time_refusals(Backend::Sqlite).await;
    time_refusals(Backend::Postgres).await;
}
