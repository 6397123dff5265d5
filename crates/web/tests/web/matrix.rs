//! The access matrix (R10, R21, R31): every route the app serves, API and pages,
//! listed from the router itself (`senplan_web::routes::table`), tried by every role
//! and by someone signed out, against a pupil the person is connected to, another
//! pupil of the school, a missing one and another school's. Each outcome is the exact
//! expected status; a route the matrix does not know fails the test, and so does a
//! matrix entry for a route that no longer exists.
//!
//! Writes send bodies that pass access but fail validation, so a permitted person
//! gets 400 and nothing changes; the matrix is about who gets past the door.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use senplan_core::access::Role;
use senplan_core::ids::{PupilId, SchoolId};
use serde_json::{Value, json};

use crate::api::{plan_json, pupil_json, review_json};
use crate::on_both;
use crate::support::{App, Client};

/// The ids of one pupil's records, as a target of the matrix.
#[derive(Clone, Copy, Debug)]
pub struct Ids {
    pub school: i64,
    pub pupil: i64,
    pub closed_cycle: i64,
    pub plan: i64,
    pub review: i64,
    pub impact: i64,
    pub concern: i64,
    /// A grant to an outside professional, for the withdraw form.
    pub grant: i64,
    /// A staff account of the school, for the administrator's reset link.
    pub user: i64,
    /// A meeting held with the pupil's parent.
    pub meeting: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A pupil the person is connected to (for the SENCO and headteacher: any pupil).
    Own,
    /// Another pupil of the same school.
    Other,
    /// Ids that do not exist.
    Missing,
    /// A pupil of another school, asked for under the person's own school.
    Foreign,
}

const TARGETS: [Target; 4] = [Target::Own, Target::Other, Target::Missing, Target::Foreign];

/// Who asks: a role, or nobody signed in.
type Who = Option<Role>;

/// A pupil on SEN support with a reviewed first cycle, an impact measure, a concern
/// raised by their parent, and a grant to an outside professional.
async fn records(app: &App, senco: &Client, school: SchoolId, n: usize) -> Ids {
    let s = format!("/api/schools/{school}");
    // In Year 12, so that a young person's own account is allowed (R21).
    let mut details = pupil_json(&crate::access::upn(n));
    details["date_of_birth"] = json!("2009-05-04");
    details["year_group"] = json!("12");
    let (st, p) = senco.post(&format!("{s}/pupils"), details).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let pupil = p["id"].as_i64().unwrap();
    senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    // Costing settings, so the provision has a kind whose impact can be measured.
    let settings = json!({"version": 0, "costing": {"settings": {
        "staff_roles": [{"key": "teaching_assistant", "name": "Teaching assistant", "hourly_cost": 1500}],
        "calendar": {"terms": [{"name": "Autumn", "start": "2026-09-02", "end": "2026-12-18"}]},
        "sen_budgets": [{"year_start": "2026-04-01", "year_end": "2027-03-31", "amount": 2000000}]}}});
    senco.put(&format!("{s}/costing/settings"), settings).await;
    let mut content = plan_json();
    content["provision"][0]["staff_role"] = json!("teaching_assistant");
    content["provision"][0]["provision_type"] = json!("small_group_work");
    let (st, plan) = senco.post(&format!("{s}/cycles/{cycle}/plan"), content).await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    let plan = plan["id"].as_i64().unwrap();
    let (_, c) = senco.get(&format!("{s}/cycles/{cycle}")).await;
    senco.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
    let (st, impact) = senco.post(&format!("{s}/plans/{plan}/provision/1/impact"), json!({"unit": "words read", "entry": 12})).await;
    assert_eq!(st, StatusCode::CREATED, "{impact}");
    let (st, rec) = senco.post(&format!("{s}/cycles/{cycle}/review"), review_json("not_met")).await;
    assert_eq!(st, StatusCode::CREATED, "{rec}");
    let ctx = senplan_store::testing::ctx();
    let concern = app
        .store
        .raise_concern(&senplan_store::testing::whole(school), PupilId(pupil), "Synthetic parent", "Synthetic worry about reading", false, &ctx)
        .await
        .unwrap();
    let ep = app.person_in(school, Role::ExternalProfessional, &[PupilId(pupil)]).await;
    let grant = app
        .store
        .pupil_relationships(&senplan_store::testing::whole(school), PupilId(pupil))
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.user_id == ep)
        .unwrap()
        .id;
    let user = app.person_in(school, Role::Teacher, &[]).await;
    let held = json!({"schedule": {"on": "2026-10-01", "at": "15:30", "minutes": 30, "kind": "sen_support", "purpose": "review", "online": false,
        "place": "Office", "invited": [{"name": "Synthetic parent", "role": "parent"}]},
        "held": {"held_on": "2026-10-01", "attended": [{"name": "Synthetic parent", "role": "parent"}], "notes": "Synthetic notes"}});
    let (st, meeting) = senco.post(&format!("{s}/pupils/{pupil}/meetings"), held).await;
    assert_eq!(st, StatusCode::CREATED, "{meeting}");
    // A passport with a drawing (R30).
    let scope = senplan_store::testing::whole(school);
    let mut work = app.store.work(senplan_store::testing::ctx()).await.unwrap();
    let sha = work.add_passport_photo(&scope, PupilId(pupil), "image/png", DRAWING).await.unwrap();
    let passport = senplan_core::passport::Passport {
        like_about_me: vec!["Synthetic point".into()],
        written_with: Some(senplan_core::passport::WrittenWith::Staff),
        photo: Some(senplan_core::passport::PhotoRef { sha256: sha, media_type: "image/png".into(), alt: "A synthetic drawing".into() }),
        ..Default::default()
    };
    work.save_passport(&scope, PupilId(pupil), 0, passport).await.unwrap();
    work.commit().await.unwrap();
    Ids {
        school: school.0,
        pupil,
        closed_cycle: cycle,
        plan,
        review: rec["review"]["id"].as_i64().unwrap(),
        impact: impact["id"].as_i64().unwrap(),
        concern: concern.id,
        grant,
        user: user.0,
        meeting: meeting["id"].as_i64().unwrap(),
    }
}

const MISSING: i64 = 999_999;

/// A passport's drawing (a sun in a blue sky), made for the tests.
const DRAWING: &[u8] = include_bytes!("drawing.png");

/// The concrete path for a route pattern and a target.
fn fill(pattern: &str, own_school: i64, ids: Option<Ids>) -> String {
    let ids = ids.unwrap_or(Ids {
        school: MISSING,
        pupil: MISSING,
        closed_cycle: MISSING,
        plan: MISSING,
        review: MISSING,
        impact: MISSING,
        concern: MISSING,
        grant: MISSING,
        user: MISSING,
        meeting: MISSING,
    });
    // A route about one pupil is asked under the person's own school; a route about
    // the school itself is asked with the target's school.
    let about_a_pupil = ["{pupil}", "{cycle}", "{plan}", "{review}", "{id}", "{meeting}"].iter().any(|p| pattern.contains(p));
    let school = if about_a_pupil { own_school } else { ids.school };
    let id = if pattern.contains("/impact/{id}") {
        ids.impact
    } else if pattern.contains("/concerns/{id}") {
        ids.concern
    } else if pattern.contains("/access/{id}") {
        ids.grant
    } else if pattern.contains("/users/{id}") {
        ids.user
    } else {
        ids.plan
    };
    pattern
        .replace("{school}", &school.to_string())
        .replace("{pupil}", &ids.pupil.to_string())
        .replace("{cycle}", &ids.closed_cycle.to_string())
        .replace("{plan}", &ids.plan.to_string())
        .replace("{review}", &ids.review.to_string())
        .replace("{entity}", "plan")
        .replace("{id}", &id.to_string())
        .replace("{number}", "1")
        .replace("{meeting}", &ids.meeting.to_string())
        .replace("{action}", "0")
        .replace("{index}", "0")
        .replace("{check}", "parents-not-told")
        .replace("{kind}", "sen_support")
        .replace("{urn}", "123456")
        .replace("{concern}", "999999")
        .replace("{part}", "calendar")
        .replace("{token}", "not-a-real-token")
        .replace("{sha}", &senplan_store::passports::file_sha256(DRAWING))
        .replace("{*path}", "senplan.css")
}

/// A JSON body that gets past access and is then refused as bad input, so nothing
/// changes whoever sends it.
fn api_body(method: &str, pattern: &str) -> Option<Value> {
    if method == "GET" || method == "DELETE" {
        return None;
    }
    let p = pattern.trim_start_matches("/api/schools/{school}");
    Some(match (method, p) {
        ("POST", "/api/session") => json!({"email": "nobody@synthetic.example", "password": "not the password at all"}),
        ("POST", "/pupils") => {
            json!({"upn": "not a upn", "given_name": "", "family_name": "", "date_of_birth": "2017-05-04", "year_group": "4"})
        }
        ("PUT", "/pupils/{pupil}") => {
            let mut body = pupil_json("not a upn");
            body["version"] = json!(1);
            body
        }
        ("POST", "/pupils/{pupil}/status") => json!({"status": "E", "start": "2026-11-01", "reason": ""}),
        ("PUT", "/pupils/{pupil}/needs") => json!({"version": 1, "needs": [{"code": "SLCN", "rank": 1}, {"code": "SLCN", "rank": 2}]}),
        // The closed cycle's current version, so the refusal is the stage's, not a conflict.
        ("POST", "/cycles/{cycle}/transitions") => json!({"version": 4, "action": "start_review"}),
        ("POST", "/cycles/{cycle}/contributions") => {
            json!({"source": "staff", "contributor": "", "date": "2026-10-01", "content": ""})
        }
        ("POST", "/cycles/{cycle}/plan") => plan_json(),
        ("POST", "/cycles/{cycle}/review") => review_json("met"),
        ("PUT", "/plans/{plan}") => json!({"version": 1, "content": plan_json()}),
        ("POST", "/plans/{plan}/outcomes") => {
            json!({"version": 1, "outcome": {"number": 0, "description": "", "measure": "", "baseline": "", "target": "", "target_date": "2027-02-12", "need": "SLCN"}})
        }
        ("POST", "/plans/{plan}/provision") => {
            json!({"version": 1, "provision": {"number": 0, "what": "", "delivered_by": "", "minutes_per_session": 0, "sessions_per_week": 0, "group_size": 0, "start": "2026-10-05", "outcomes": []}})
        }
        ("POST", "/plans/{plan}/provision/{number}/sessions") => {
            json!({"date": "2026-11-02", "held": true, "minutes_delivered": 0, "attendees": []})
        }
        ("POST", "/plans/{plan}/provision/{number}/impact") => json!({"unit": "", "entry": 12}),
        ("POST", "/pupils/{pupil}/meetings") => json!({"schedule": {"on": "2020-01-01", "at": "15:30", "minutes": 30, "kind": "sen_support",
            "purpose": "review", "online": false, "place": "Office", "invited": [{"name": "Synthetic parent", "role": "parent"}]}}),
        ("POST", "/meetings/{meeting}/outcome") => json!({"version": 1, "outcome": {"state": "cancelled", "on": "2026-11-01", "reason": ""}}),
        ("POST", "/meetings/{meeting}/actions/{action}/done") => json!({"version": 1, "on": "2026-11-01"}),
        ("POST", "/pupils/{pupil}/ehc-requests") => json!({"requested_by": "school", "requested_on": "2026-01-01", "reasons": " "}),
        ("PUT", "/letters/{kind}") => json!({"version": 0, "subject": "About {chlid}", "body": "B"}),
        ("PUT", "/information-report") => json!({"version": 0, "publish": true, "sections": {}, "reviewed_on": "2026-09-01"}),
        ("PUT", "/pupils/{pupil}/passport") => json!({"version": 1, "like_about_me": [" "], "written_with": "staff"}),
        ("PUT", "/pupils/{pupil}/parents-told") => json!({"version": 0, "told": {"on": "2099-01-01", "method": "letter", "by": ""}}),
        ("POST", "/progress/decisions") => json!({"pupil": 1, "subject": "Reading", "rule": "low_score", "since": "2026-03-03", "decision": {"kind": "no_action", "reason": ""}}),
        ("POST", "/progress/assessments") => json!({"rows": []}),
        // The file must be CSV: sent as JSON, it is refused (415).
        ("POST", "/progress/import") => json!({}),
        ("POST", "/pupils/{pupil}/two-year-check") => json!({"on": "2026-01-01"}),
        ("POST", "/pupils/{pupil}/staff-concerns") => json!({"concern": " "}),
        ("PUT", "/progress/settings") => json!({"version": 1, "settings": {"scale": {"name": "", "levels": [], "expected": {}}}}),
        ("PUT", "/pupils/{pupil}/adjustments") => {
            json!({"version": 0, "adjustments": {"adjustments": [{"kind": "classroom", "what": " ", "starts_on": "2026-09-01", "review_on": "2026-12-01"}]}})
        }
        ("PUT", "/referral-settings") => json!({"version": 999, "wait_weeks": 6}),
        ("PUT", "/senco") => json!({"version": 1, "senco": {"name": "", "qualified_teacher": true, "appointed_on": "2026-01-01", "award": "none"}}),
        ("PUT", "/impact/{id}") => json!({"version": 1, "measures": {"unit": "", "entry": 12}}),
        ("PUT", "/reviews/{review}") => {
            let mut content = review_json("met");
            content["decision"] = json!("end_sen_support");
            json!({"version": 1, "content": content})
        }
        // A grant that has already ended: refused on its date, whoever it is for.
        ("POST", "/pupils/{pupil}/grants") => json!({"user": 1, "expires_on": "2020-01-01"}),
        // A service without a name: refused once past access.
        ("POST", "/local-offer") => json!({"name": "", "source": {"kind": "manual"}}),
        ("PUT", "/local-offer/{id}") => json!({"version": 1, "service": {"name": "", "source": {"kind": "manual"}}}),
        // A service that is not in the directory; the referral does not exist.
        ("POST", "/pupils/{pupil}/referrals") => json!({"kind": "specialist", "service": 999999, "reason": "Speech"}),
        ("POST", "/referrals/{id}/consent") => json!({"version": 1, "consent": {"given_by": "parent", "name": "P", "on": "2026-01-01", "discussion": "D"}}),
        ("POST", "/referrals/{id}/steps") => json!({"version": 1, "stage": "sent", "on": "2026-01-01"}),
        ("PUT", "/referrals/{id}/advice") => json!({"version": 1, "advice": "A", "on": "2026-01-01"}),
        // Not a file the school keeps; the referral does not exist.
        ("POST", "/referrals/{id}/reports") => json!({}),
        ("POST", "/referrals/{id}/recommendations/{index}") => json!({"version": 1, "plan_version": 1, "adopt": {"as": "strategy"}}),
        // Neither an address nor a feed.
        ("POST", "/local-offer/import") => json!({}),
        // Not a roll: no heading row with a UPN.
        ("POST", "/roll-import") => json!({}),
        // No pupils chosen; not a CTF.
        ("POST", "/ctf") => json!({"destination": "9192002", "pupils": []}),
        ("POST", "/ctf-import") => json!({}),
        ("POST", "/transfer-bundle") => json!({"pupils": []}),
        ("POST", "/transfer-bundle/import") => json!({}),
        ("PUT", "/costing/settings") => json!({"version": 1, "costing": {"settings": {"staff_roles": [], "calendar": {"terms": []}}}}),
        other => panic!("the matrix has no body for {other:?}: add one"),
    })
}

/// Form fields for a page's POST: the CSRF token, and fields that fail validation.
fn form_fields(pattern: &str) -> Vec<(&'static str, &'static str)> {
    match pattern {
        "/sign-in" => vec![("email", "nobody@synthetic.example"), ("password", "not the password at all"), ("next", "/")],
        "/reset/{token}" => vec![("password", "short"), ("confirm", "short")],
        "/admin/users" => vec![("email", ""), ("name", ""), ("role", "teacher")],
        "/schools/{school}/concerns/{id}/answer" => vec![("version", "1"), ("response", "")],
        "/schools/{school}/pupils/{pupil}/access" => vec![("user", "0"), ("until", "")],
        "/portal/pupils/{pupil}/views" => vec![("views", " ")],
        "/portal/pupils/{pupil}/concerns" => vec![("concern", " ")],
        "/portal/pupils/{pupil}/requests" => vec![("kind", "meeting"), ("details", "")],
        "/schools/{school}/cycles/{cycle}/transition" => vec![("version", "4"), ("action", "start_review")],
        "/schools/{school}/pupils/{pupil}/needs" => vec![("version", "1"), ("needs[0].code", "XYZ"), ("needs[0].rank", "1")],
        "/schools/{school}/contacts" => vec![("version", "1"), ("senco_email", "not an address")],
        "/schools/{school}/senco" => vec![("version", "1"), ("name", "")],
        _ => vec![("version", "1")],
    }
}

/// Sends one request as `client` (or signed out) and returns the status and body.
async fn ask(app: &App, client: Option<&Client>, method: &str, path: &str, pattern: &str) -> (StatusCode, String, String) {
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let (http, csrf) = match client {
        Some(c) => (&c.http, c.csrf.as_str()),
        None => (&anon, ""),
    };
    let url = format!("{}{path}", app.base);
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = http.request(method.clone(), &url);
    if method != Method::GET {
        if pattern.starts_with("/api/") {
            req = req.header("x-csrf-token", csrf);
            if let Some(b) = api_body(method.as_str(), pattern) {
                req = req.json(&b);
            }
        } else {
            let mut fields = vec![("csrf_token", csrf)];
            fields.extend(form_fields(pattern));
            req = req.form(&fields);
        }
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, kind, res.text().await.unwrap_or_default())
}

/// A page answers with a page and the API with JSON, always, errors included.
/// Redirects and empty answers have no body to judge; files (CSV, PDF, assets, the health
/// check) are themselves when they succeed; a refused CSRF check is answered before
/// routing, in JSON.
fn kind_is_right(pattern: &str, status: StatusCode, kind: &str) -> bool {
    let file = pattern.ends_with(".csv")
        || pattern.ends_with(".xml")
        || pattern.ends_with(".zip")
        || pattern.ends_with(".ics")
        || pattern.ends_with(".pdf")
        || pattern.ends_with("/copy")
        || pattern.contains("/photos/")
        || pattern.ends_with("/evidence-pack")
        || pattern.ends_with("/top-up-application")
        || pattern.ends_with(".json")
        || pattern.starts_with("/assets/")
        || pattern == "/healthz";
    if status.is_redirection() || status == StatusCode::NO_CONTENT || (file && status.is_success()) {
        return true;
    }
    if pattern.starts_with("/api/") || (status == StatusCode::FORBIDDEN && kind.starts_with("application/json")) {
        return kind.starts_with("application/json");
    }
    kind.starts_with("text/html")
}

const ROLES: [Role; 10] = [
    Role::Administrator,
    Role::Teacher,
    Role::TeachingAssistant,
    Role::Headteacher,
    Role::Governor,
    Role::ParentCarer,
    Role::YoungPerson,
    Role::LaOfficer,
    Role::ExternalProfessional,
    Role::Senco,
];

on_both!(r10_r21_r31_access_matrix_every_route_every_role_every_target, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let other_school = app.store.create_school(&senplan_store::testing::school("654321"), &senplan_store::testing::ctx()).await.unwrap().id;
    let foreign_senco = app.client_in(other_school, Role::Senco, &[]).await;
    let own = records(app, &senco, app.school, 1).await;
    let other = records(app, &senco, app.school, 2).await;
    let foreign = records(app, &foreign_senco, other_school, 3).await;
    let routes = senplan_web::routes::table();
    // Every route has a rule, and every rule a route.
    let known: BTreeSet<(String, String)> =
        crate::matrix_rules::RULES.iter().map(|(m, p, ..)| ((*m).to_owned(), (*p).to_owned())).collect();
    let served: BTreeSet<(String, String)> = routes.iter().map(|r| (r.method.to_owned(), r.path.clone())).collect();
    let unknown: Vec<_> = served.difference(&known).collect();
    let stale: Vec<_> = known.difference(&served).collect();
    assert!(unknown.is_empty(), "routes without an access rule in the matrix: {unknown:?}");
    assert!(stale.is_empty(), "matrix rules for routes that do not exist: {stale:?}");

    let mut wrong = Vec::new();
    let mut tried = 0;
    let mut whos: Vec<Who> = vec![None];
    whos.extend(ROLES.into_iter().map(Some));
    for who in whos {
        let new_client = || async {
            match who {
                None => None,
                Some(Role::Senco) => Some(app.client(Role::Senco, &[]).await),
                Some(role) => Some(app.client(role, &[PupilId(own.pupil)]).await),
            }
        };
        let client = new_client().await;
        for (method, pattern, rule, ok) in crate::matrix_rules::RULES {
            let how = crate::matrix_rules::how_often(method, pattern);
            if how == crate::matrix_rules::Tries::Anonymously && !matches!(who, None | Some(Role::Senco)) {
                continue;
            }
            // Signing out ends the session it is sent with: it gets a session of its own.
            let own_session = if crate::matrix_rules::signs_out(method, pattern) { new_client().await } else { None };
            let client = own_session.as_ref().or(client.as_ref());
            for target in TARGETS {
                if how != crate::matrix_rules::Tries::EveryTarget && target != Target::Own {
                    continue;
                }
                let ids = match target {
                    Target::Own => Some(own),
                    Target::Other => Some(other),
                    Target::Missing => None,
                    Target::Foreign => Some(foreign),
                };
                let path = fill(pattern, app.school.0, ids);
                let want = crate::matrix_rules::expected(*rule, *ok, who, target, method, pattern);
                let (got, kind, body) = ask(app, client, method, &path, pattern).await;
                tried += 1;
                if got != want {
                    wrong.push(format!(
                        "{who:?} {method} {pattern} {target:?}: expected {want}, got {got}: {:.160}",
                        body.replace('\n', " ")
                    ));
                } else if !kind_is_right(pattern, got, &kind) {
                    wrong
                        .push(format!("{who:?} {method} {pattern} {target:?}: {got} answered as {kind}: {:.100}", body.replace('\n', " ")));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {tried} outcomes unexpected:\n{}", wrong.len(), wrong.join("\n"));
    assert!(tried > 2500, "the matrix tried {tried} requests");
});

on_both!(csrf_is_checked_on_every_state_changing_route_from_the_router, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let own = records(app, &senco, app.school, 1).await;
    let s = app.api();
    let audit_entries = || async {
        let report = app.store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{report:#?}");
        report.entries()
    };
    let before = (senco.get(&format!("{s}/pupils/{}", own.pupil)).await, senco.get(&format!("{s}/register")).await);
    let entries_before = audit_entries().await;
    let changes: Vec<_> = senplan_web::routes::table().into_iter().filter(|r| r.changes_state()).collect();
    assert!(changes.len() >= 39, "{} state-changing routes", changes.len());
    let mut wrong = Vec::new();
    for route in &changes {
        // Signing in has no session to carry a token yet; the form has its own
        // pre-session token, the API is exempt (a wrong password changes nothing).
        if (route.method, route.path.as_str()) == ("POST", "/api/session") {
            continue;
        }
        let path = fill(&route.path, app.school.0, Some(own));
        for token in [None, Some("0".repeat(64))] {
            let method = Method::from_bytes(route.method.as_bytes()).unwrap();
            let mut req = senco.http.request(method, format!("{}{path}", app.base));
            if route.path.starts_with("/api/") {
                if let Some(t) = &token {
                    req = req.header("x-csrf-token", t);
                }
                if let Some(b) = api_body(route.method, &route.path) {
                    req = req.json(&b);
                }
            } else {
                let mut fields: Vec<(&str, &str)> = form_fields(&route.path);
                if let Some(t) = &token {
                    fields.push(("csrf_token", t));
                }
                req = req.form(&fields);
            }
            let res = req.send().await.unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            if status != StatusCode::FORBIDDEN || !body.contains("\"code\":\"csrf_failed\"") {
                wrong.push(format!("{} {} with token {token:?}: {status} {body:.120}", route.method, route.path));
            }
        }
    }
    assert!(wrong.is_empty(), "CSRF not enforced on:\n{}", wrong.join("\n"));
    // Every change is audited, so an unchanged trail means no refused request wrote anything.
    assert_eq!(audit_entries().await, entries_before, "no forged request changed anything");
    let after = (senco.get(&format!("{s}/pupils/{}", own.pupil)).await, senco.get(&format!("{s}/register")).await);
    assert_eq!(before, after, "nothing changed, and the SENCO is still signed in");
});
