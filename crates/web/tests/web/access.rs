//! The access matrix (R10, R21, R31): every route, tried by every role, against a
//! pupil the person is connected to and one they are not. Each outcome must be
//! exactly the expected one; "not yours" must look exactly like "not found".

use reqwest::{Method, StatusCode};
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::{Value, json};

use crate::api::{plan_json, pupil_json, review_json};
use crate::on_both;
use crate::support::{App, Client};

/// Ids of one pupil's records: a reviewed first cycle and an open second one.
struct Records {
    pupil: i64,
    closed_cycle: i64,
    open_cycle: i64,
    plan: i64,
    review: i64,
}

async fn pupil_with_history(senco: &Client, s: &str, upn: &str) -> Records {
    let (_, p) = senco.post(&format!("{s}/pupils"), pupil_json(upn)).await;
    let pupil = p["id"].as_i64().unwrap();
    senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let closed_cycle = cycles[0]["id"].as_i64().unwrap();
    let (_, plan) = senco.post(&format!("{s}/cycles/{closed_cycle}/plan"), plan_json()).await;
    let (_, c) = senco.get(&format!("{s}/cycles/{closed_cycle}")).await;
    senco.post(&format!("{s}/cycles/{closed_cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
    let (st, rec) = senco.post(&format!("{s}/cycles/{closed_cycle}/review"), review_json("not_met")).await;
    assert_eq!(st, StatusCode::CREATED, "{rec}");
    Records {
        pupil,
        closed_cycle,
        open_cycle: rec["next_cycle"]["id"].as_i64().unwrap(),
        plan: plan["id"].as_i64().unwrap(),
        review: rec["review"]["id"].as_i64().unwrap(),
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Read,
    Edit,
    Contribute,
    Portal,
}

fn routes(s: &str, r: &Records) -> Vec<(Kind, Method, String, Option<Value>)> {
    let (p, c1, c2, plan, review) = (r.pupil, r.closed_cycle, r.open_cycle, r.plan, r.review);
    let get = |path: String| (Kind::Read, Method::GET, path, None);
    vec![
        get(format!("{s}/pupils/{p}")),
        get(format!("{s}/pupils/{p}/status")),
        get(format!("{s}/pupils/{p}/needs")),
        get(format!("{s}/pupils/{p}/cycles")),
        get(format!("{s}/cycles/{c1}")),
        get(format!("{s}/cycles/{c2}")),
        get(format!("{s}/cycles/{c1}/contributions")),
        get(format!("{s}/cycles/{c1}/plan")),
        get(format!("{s}/plans/{plan}")),
        get(format!("{s}/cycles/{c1}/review")),
        get(format!("{s}/reviews/{review}")),
        get(format!("{s}/history/pupil/{p}")),
        get(format!("{s}/history/needs/{p}")),
        get(format!("{s}/history/cycle/{c1}")),
        get(format!("{s}/history/plan/{plan}")),
        get(format!("{s}/history/review/{review}")),
        (Kind::Portal, Method::GET, format!("/portal/pupils/{p}"), None),
        (
            Kind::Edit,
            Method::PUT,
            format!("{s}/pupils/{p}/needs"),
            Some(json!({"version": 1, "needs": [{"code": "SLCN", "rank": 1}, {"code": "SEMH", "rank": 2}]})),
        ),
        (Kind::Edit, Method::PUT, format!("{s}/plans/{plan}"), Some(json!({"version": 1, "content": plan_json()}))),
        (Kind::Edit, Method::POST, format!("{s}/cycles/{c2}/plan"), Some(plan_json())),
        (
            Kind::Contribute,
            Method::POST,
            format!("{s}/cycles/{c2}/contributions"),
            Some(json!({"source": "staff", "contributor": "Synthetic staff", "date": "2026-10-01", "content": "Observed in class"})),
        ),
        (
            Kind::Edit,
            Method::POST,
            format!("{s}/pupils/{p}/status"),
            Some(json!({"status": "E", "start": "2026-11-01", "reason": "EHC plan issued"})),
        ),
    ]
}

/// What each role must get. `related` is whether the person is connected to the pupil.
fn expected(role: Role, kind: Kind, related: bool, route: &str) -> StatusCode {
    use Role::*;
    let sees = matches!(role, Senco | Leadership) || (related && matches!(role, Teacher | TeachingAssistant | ExternalProfessional));
    let staff_viewer = matches!(role, Senco | Leadership | Teacher | TeachingAssistant | ExternalProfessional);
    match kind {
        Kind::Read if sees => StatusCode::OK,
        Kind::Read => StatusCode::NOT_FOUND,
        Kind::Portal if related && matches!(role, ParentCarer | YoungPerson) => StatusCode::OK,
        Kind::Portal => StatusCode::NOT_FOUND,
        // The SENCO may edit, and then the rules apply: the first cycle's plan is
        // closed with its review, so changing it is refused as bad input.
        Kind::Edit if role == Senco && route.contains("/plans/") => StatusCode::BAD_REQUEST,
        Kind::Edit if role == Senco && route.ends_with("/needs") => StatusCode::OK,
        Kind::Edit if role == Senco => StatusCode::CREATED,
        Kind::Edit if staff_viewer => StatusCode::FORBIDDEN,
        Kind::Edit => StatusCode::NOT_FOUND,
        Kind::Contribute if role == Senco || (role == Teacher && related) => StatusCode::CREATED,
        Kind::Contribute if role == Teacher => StatusCode::NOT_FOUND,
        Kind::Contribute if staff_viewer => StatusCode::FORBIDDEN,
        Kind::Contribute => StatusCode::NOT_FOUND,
    }
}

async fn status_of(client: &Client, method: Method, path: &str, body: Option<Value>) -> (StatusCode, String) {
    if path.starts_with("/portal") {
        let (st, html) = client.page(path).await;
        return (st, html);
    }
    let (st, body) = client.send(method, path, body).await;
    (st, body.to_string())
}

on_both!(r10_access_matrix_every_route_every_role_own_and_other_pupil, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let other = pupil_with_history(&senco, &s, "B801200005001").await;
    let (_, missing_body) = senco.get(&format!("{s}/pupils/999999")).await;
    // SENCO last: its successful writes change versions the others' attempts use.
    let roles = [
        Role::Administrator,
        Role::Teacher,
        Role::TeachingAssistant,
        Role::Leadership,
        Role::ParentCarer,
        Role::YoungPerson,
        Role::LaOfficer,
        Role::ExternalProfessional,
        Role::Senco,
    ];
    let mut wrong = Vec::new();
    for role in roles {
        let client = if role == Role::Senco { app.client(Role::Senco, &[]).await } else { app.client(role, &[PupilId(own.pupil)]).await };
        for (records, related) in [(&other, false), (&own, true)] {
            for (kind, method, path, body) in routes(&s, records) {
                let want = expected(role, kind, related, &path);
                let (got, text) = status_of(&client, method.clone(), &path, body).await;
                if got != want {
                    wrong.push(format!(
                        "{role:?} {method} {path} ({}): expected {want}, got {got}: {text:.200}",
                        if related { "own" } else { "other" }
                    ));
                }
                if got == StatusCode::NOT_FOUND && !path.starts_with("/portal") && !text.contains("\"code\":\"not_found\"") {
                    wrong.push(format!("{role:?} {method} {path}: a 404 must be the plain not-found body, got {text:.200}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} unexpected outcomes:\n{}", wrong.len(), wrong.join("\n"));
    assert_eq!(missing_body["code"], "not_found");
});

on_both!(r10_lists_show_only_related_pupils, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    pupil_with_history(&senco, &s, "B801200005001").await;
    let teacher = app.client(Role::Teacher, &[PupilId(own.pupil)]).await;
    let (_, roll) = teacher.get(&format!("{s}/pupils")).await;
    assert_eq!(roll.as_array().unwrap().iter().map(|r| r["pupil_id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![own.pupil]);
    let (_, register) = senco.get(&format!("{s}/register")).await;
    assert_eq!(register.as_array().unwrap().len(), 2, "the SENCO sees the whole school");
    let parent = app.client(Role::ParentCarer, &[PupilId(own.pupil)]).await;
    let (st, _) = parent.get(&format!("{s}/pupils")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "families use the portal, not the staff API");
});

on_both!(r31_external_professional_access_ends_at_expiry_and_can_be_withdrawn, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let today = chrono::Utc::now().date_naive();
    let ep = app.person(Role::ExternalProfessional, &[]).await;
    let ctx = senplan_store::testing::ctx();
    // A grant that ended yesterday gives nothing.
    app.store
        .relate(
            app.school,
            &senplan_store::relationships::NewRelationship {
                user: ep,
                pupil: PupilId(own.pupil),
                kind: senplan_core::access::Relationship::Grant,
                starts_on: today - chrono::Days::new(30),
                expires_on: Some(today - chrono::Days::new(1)),
            },
            &ctx,
        )
        .await
        .unwrap();
    let email = app.store.user(ep).await.unwrap().email;
    let client = app.sign_in(&email).await;
    let (st, _) = client.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "expired grant");
    // A current grant works until withdrawn.
    let id = app
        .store
        .relate(
            app.school,
            &senplan_store::relationships::NewRelationship {
                user: ep,
                pupil: PupilId(own.pupil),
                kind: senplan_core::access::Relationship::Grant,
                starts_on: today,
                expires_on: Some(today + chrono::Days::new(7)),
            },
            &ctx,
        )
        .await
        .unwrap();
    let (st, _) = client.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::OK);
    app.store.withdraw_relationship(app.school, id, &ctx).await.unwrap();
    let (st, _) = client.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "withdrawn grant");
    // A grant without an end date is refused.
    let err = app
        .store
        .relate(
            app.school,
            &senplan_store::relationships::NewRelationship {
                user: ep,
                pupil: PupilId(own.pupil),
                kind: senplan_core::access::Relationship::Grant,
                starts_on: today,
                expires_on: None,
            },
            &ctx,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("must end on a date"), "{err}");
    // Every view by the professional is in the pupil's audit trail.
    let audit = app.store.audit_for_pupil(app.school, PupilId(own.pupil)).await.unwrap();
    assert!(audit.iter().any(|a| a.actor == "Synthetic External professional" && a.action == "view"), "{audit:?}");
});

on_both!(r11_costs_and_delivery_logs_follow_roles_and_relationships, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let (_, plan) = senco.get(&format!("{s}/cycles/{}/plan", own.closed_cycle)).await;
    let plan_id = plan["id"].as_i64().unwrap();
    let map = format!("{s}/costing/provision-map?from=2026-09-01&to=2027-07-20");
    for (role, want_hidden) in [
        (Role::Teacher, StatusCode::FORBIDDEN),
        (Role::ParentCarer, StatusCode::NOT_FOUND),
        (Role::Administrator, StatusCode::NOT_FOUND),
        (Role::LaOfficer, StatusCode::NOT_FOUND),
    ] {
        let (st, _) = app.client(role, &[PupilId(own.pupil)]).await.get(&map).await;
        assert_eq!(st, want_hidden, "{role:?} and the costed provision map, which names pupils");
    }
    for role in [Role::Senco, Role::Leadership] {
        let (st, body) = app.client(role, &[]).await.get(&map).await;
        assert!(st != StatusCode::FORBIDDEN && st != StatusCode::NOT_FOUND, "{role:?} sees the map: {st} {body}");
    }
    let log = json!({"date": "2026-10-05", "held": true, "minutes_delivered": 30, "attendees": [own.pupil]});
    let path = format!("{s}/plans/{plan_id}/provision/1/sessions");
    let (st, _) = app.client(Role::TeachingAssistant, &[]).await.post(&path, log.clone()).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "a TA who does not deliver this pupil's support");
    let (st, body) = app.client(Role::TeachingAssistant, &[PupilId(own.pupil)]).await.post(&path, log.clone()).await;
    assert!(st != StatusCode::NOT_FOUND && st != StatusCode::FORBIDDEN, "the pupil's own TA may log a session: {st} {body}");
    let (st, _) = app.client(Role::Leadership, &[]).await.post(&path, log).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "leadership reads, never records");
});

/// Used by other test modules.
#[allow(dead_code)]
pub async fn senco_and_pupil(app: &App) -> (Client, i64) {
    let senco = app.client(Role::Senco, &[]).await;
    let r = pupil_with_history(&senco, &app.api(), "A380200124417").await;
    (senco, r.pupil)
}
