//! Access beyond the matrix (`matrix.rs`): lists hold only related pupils, grants to
//! outside professionals expire and can be withdrawn, costs and delivery logs follow
//! roles and relationships (R10, R11, R31).

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::api::{plan_json, pupil_json, review_json};
use crate::on_both;
use crate::support::{App, Client};

/// Ids of one pupil's records: a reviewed first cycle.
struct Records {
    pupil: i64,
    closed_cycle: i64,
}

async fn pupil_with_history(senco: &Client, s: &str, upn: &str) -> Records {
    let (_, p) = senco.post(&format!("{s}/pupils"), pupil_json(upn)).await;
    let pupil = p["id"].as_i64().unwrap();
    senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let closed_cycle = cycles[0]["id"].as_i64().unwrap();
    let (st, plan) = senco.post(&format!("{s}/cycles/{closed_cycle}/plan"), plan_json()).await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    let (_, c) = senco.get(&format!("{s}/cycles/{closed_cycle}")).await;
    senco.post(&format!("{s}/cycles/{closed_cycle}/transitions"), json!({"version": c["version"], "action": "start_delivery"})).await;
    let (st, rec) = senco.post(&format!("{s}/cycles/{closed_cycle}/review"), review_json("not_met")).await;
    assert_eq!(st, StatusCode::CREATED, "{rec}");
    assert_eq!(rec["next_cycle"]["number"], 2, "{rec}");
    Records { pupil, closed_cycle }
}

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
    for role in [Role::Senco, Role::Headteacher] {
        let (st, body) = app.client(role, &[]).await.get(&map).await;
        assert!(st != StatusCode::FORBIDDEN && st != StatusCode::NOT_FOUND, "{role:?} sees the map: {st} {body}");
    }
    let log = json!({"date": "2026-10-05", "held": true, "minutes_delivered": 30, "attendees": [own.pupil]});
    let path = format!("{s}/plans/{plan_id}/provision/1/sessions");
    let (st, _) = app.client(Role::TeachingAssistant, &[]).await.post(&path, log.clone()).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "a TA who does not deliver this pupil's support");
    let (st, body) = app.client(Role::TeachingAssistant, &[PupilId(own.pupil)]).await.post(&path, log.clone()).await;
    assert!(st != StatusCode::NOT_FOUND && st != StatusCode::FORBIDDEN, "the pupil's own TA may log a session: {st} {body}");
    let (st, _) = app.client(Role::Headteacher, &[]).await.post(&path, log).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the headteacher reads, never records");
});

/// Used by other test modules.
#[allow(dead_code)]
pub async fn senco_and_pupil(app: &App) -> (Client, i64) {
    let senco = app.client(Role::Senco, &[]).await;
    let r = pupil_with_history(&senco, &app.api(), "A380200124417").await;
    (senco, r.pupil)
}

/// The `n`th synthetic UPN (valid check letter, LA 380, establishment 2001).
pub fn upn(n: usize) -> String {
    senplan_core::upn::Upn::from_parts(380, 2001, 26, u16::try_from(n).unwrap()).unwrap().as_str().to_owned()
}

on_both!(schools_are_added_on_the_command_line_never_through_the_web, |app| {
    // No school role can add a school: not its administrator, not its SENCO.
    let school = json!({"name": "Synthetic Academy", "urn": "700001", "laestab": "9192002", "setting": "school"});
    for role in [Role::Administrator, Role::Senco, Role::Headteacher] {
        let client = app.client(role, &[]).await;
        let (st, body) = client.post("/api/schools", school.clone()).await;
        assert_eq!((st, body["code"].as_str()), (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")), "{role:?}: {body}");
    }
    assert_eq!(app.store.schools().await.unwrap().len(), 1, "no school was added");
    assert!(app.store.school_by_urn("700001").await.unwrap().is_none());
    // Nor does the API document offer it.
    let doc: serde_json::Value = reqwest::get(format!("{}/api/openapi.json", app.base)).await.unwrap().json().await.unwrap();
    let schools = &doc["paths"]["/api/schools"];
    assert!(schools["get"].is_object() && schools["post"].is_null(), "{schools}");
    // A method a page address does not take is answered with a page.
    let admin = app.client(Role::Administrator, &[]).await;
    let res = admin.http.put(format!("{}/sign-in", app.base)).header("x-csrf-token", &admin.csrf).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
});
