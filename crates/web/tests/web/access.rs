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
            &senplan_store::testing::whole(app.school),
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
            &senplan_store::testing::whole(app.school),
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
    app.store.withdraw_relationship(&senplan_store::testing::whole(app.school), id, &ctx).await.unwrap();
    let (st, _) = client.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "withdrawn grant");
    // A grant without an end date is refused.
    let err = app
        .store
        .relate(
            &senplan_store::testing::whole(app.school),
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
    let audit = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(own.pupil)).await.unwrap();
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

/// The pupil's audit trail as the SENCO reads it through the store: (actor, action, entity).
async fn trail(app: &App, pupil: i64) -> Vec<(String, String, String)> {
    app.store
        .audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(pupil))
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action, e.entity))
        .collect()
}

on_both!(r31_a_refused_record_is_audited_and_answered_as_missing, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let other = pupil_with_history(&senco, &s, "B801200005001").await;
    let teacher = app.client(Role::Teacher, &[PupilId(own.pupil)]).await;
    let teacher_name = app.store.user(teacher.user.unwrap()).await.unwrap().name;
    let refused = |t: &[(String, String, String)]| t.iter().filter(|(a, act, _)| *a == teacher_name && act == "refused").count();
    // Another pupil of the school: "not found", exactly like a missing one, on the page and the API.
    let page = |p: i64| format!("/schools/{}/pupils/{p}", app.school);
    let (st_other, body_other) = teacher.page(&page(other.pupil)).await;
    let (st_missing, body_missing) = teacher.page(&page(999_999)).await;
    assert_eq!((st_other, st_missing), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(
        body_other.replace(&other.pupil.to_string(), "N"),
        body_missing.replace("999999", "N"),
        "a refusal looks like a missing pupil"
    );
    let (st, api) = teacher.get(&format!("{s}/pupils/{}", other.pupil)).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{api}");
    // Both refusals are in the pupil's trail, under the teacher's name; their own pupil's trail has views, no refusal.
    let t = trail(app, other.pupil).await;
    assert_eq!(refused(&t), 2, "{t:?}");
    assert!(t.iter().any(|(a, act, e)| *a == teacher_name && act == "refused" && e == "pupil record"), "{t:?}");
    let (st, _) = teacher.page(&page(own.pupil)).await;
    assert_eq!(st, StatusCode::OK);
    let t = trail(app, own.pupil).await;
    assert_eq!(refused(&t), 0, "{t:?}");
    assert!(t.iter().any(|(a, act, e)| *a == teacher_name && act == "view" && e == "pupil record"), "{t:?}");
    // The SENCO sees the refusal on the pupil's access page.
    let (st, access) = senco.page(&format!("/schools/{}/pupils/{}/access", app.school, other.pupil)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(access.contains(&teacher_name) && access.to_lowercase().contains("refused"), "{access}");
});

on_both!(r31_an_expired_grant_is_refused_and_audited, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    let ep = app.client(Role::ExternalProfessional, &[]).await;
    app.store
        .relate(
            &senplan_store::testing::whole(app.school),
            &senplan_store::relationships::NewRelationship {
                user: ep.user.unwrap(),
                pupil: PupilId(own.pupil),
                kind: senplan_core::access::Relationship::Grant,
                starts_on: yesterday - chrono::Days::new(30),
                expires_on: Some(yesterday),
            },
            &senplan_store::testing::ctx(),
        )
        .await
        .unwrap();
    let (st, _) = ep.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let name = app.store.user(ep.user.unwrap()).await.unwrap().name;
    let t = trail(app, own.pupil).await;
    assert!(t.iter().any(|(a, act, e)| *a == name && act == "refused" && e == "pupil"), "{t:?}");
});

on_both!(r31_grants_through_the_api_end_on_a_date_and_can_be_withdrawn, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let ep = app.client(Role::ExternalProfessional, &[]).await;
    let ep_id = ep.user.unwrap().0;
    let teacher = app.person(Role::Teacher, &[]).await;
    let grants = format!("{s}/pupils/{}/grants", own.pupil);
    let today = chrono::Utc::now().date_naive();
    // Every grant ends, on or after today, and only an outside professional holds one.
    let (st, e) = senco.post(&grants, json!({"user": ep_id})).await;
    assert_eq!(
        (st, e["field"].as_str(), e["errors"][0]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("expires_on"), Some("required")),
        "{e}"
    );
    let (st, e) = senco.post(&grants, json!({"user": ep_id, "expires_on": today - chrono::Days::new(1)})).await;
    assert_eq!((st, e["errors"][0]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("end_before_start")), "{e}");
    let (st, e) = senco.post(&grants, json!({"user": teacher.0, "expires_on": today + chrono::Days::new(30)})).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("kind")), "{e}");
    let (st, _) = ep.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "nothing granted yet");
    // A grant until next month: the professional sees the record; it is listed with its end.
    let (st, g) = senco.post(&grants, json!({"user": ep_id, "expires_on": today + chrono::Days::new(30)})).await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    let id = g["id"].as_i64().unwrap();
    let (st, _) = ep.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::OK);
    let (st, list) = senco.get(&format!("{s}/pupils/{}/access", own.pupil)).await;
    assert_eq!(st, StatusCode::OK);
    let listed = list.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(
        (listed["kind"].as_str(), listed["expires_on"].as_str()),
        (Some("grant"), Some((today + chrono::Days::new(30)).to_string().as_str()))
    );
    // Withdrawn: gone at once, kept in the list with its date; a second withdrawal changes nothing.
    let (st, _) = senco.send(reqwest::Method::DELETE, &format!("{s}/pupils/{}/access/{id}", own.pupil), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = ep.get(&format!("{s}/pupils/{}", own.pupil)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = senco.send(reqwest::Method::DELETE, &format!("{s}/pupils/{}/access/{id}", own.pupil), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (_, list) = senco.get(&format!("{s}/pupils/{}/access", own.pupil)).await;
    assert!(list.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["withdrawn_at"].is_string());
    // Another pupil's relationship id under this pupil is not found.
    let other = pupil_with_history(&senco, &s, "B801200005001").await;
    let (st, _) = senco.send(reqwest::Method::DELETE, &format!("{s}/pupils/{}/access/{id}", other.pupil), None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});

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

on_both!(r15_every_export_of_pupil_costs_is_audited_with_what_left, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let newest = |page: &serde_json::Value| {
        let e = &page["entries"][0];
        (e["action"].as_str().unwrap_or_default().to_owned(), e["entity"].as_str().unwrap_or_default().to_owned())
    };
    // Costing is not set up in this school: the map is refused with a reason, and nothing is recorded as exported.
    let (st, _) = senco.get(&format!("{s}/costing/provision-map.csv?from=2026-09-01&to=2026-12-18")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (_, page) = senco.get(&format!("{s}/audit?limit=1")).await;
    assert_ne!(newest(&page).0, "export", "{page}");
    // The meeting recap needs no costing: exported, and the trail says what left.
    let (st, _) = senco.get(&format!("{s}/costing/recap.csv?from=2026-09-01&to=2026-12-18")).await;
    assert_eq!(st, StatusCode::OK);
    let (st, page) = senco.get(&format!("{s}/audit?limit=1")).await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let (action, entity) = newest(&page);
    assert_eq!(action, "export", "{page}");
    assert!(entity.starts_with("meeting recap 1 September 2026 to 18 December 2026") && entity.ends_with("(csv)"), "{entity}");
    // Reading the same figures as JSON is a view, also recorded.
    let (st, _) = senco.get(&format!("{s}/costing/recap?from=2026-09-01&to=2026-12-18")).await;
    assert_eq!(st, StatusCode::OK);
    let (_, page) = senco.get(&format!("{s}/audit?limit=1")).await;
    assert_eq!(newest(&page).0, "view", "{page}");
    assert!(newest(&page).1.starts_with("meeting recap"), "{page}");
    // A pupil's impact measures and session logs are reads of their record: in their trail.
    let (_, plan) = senco.get(&format!("{s}/cycles/{}/plan", own.closed_cycle)).await;
    let plan_id = plan["id"].as_i64().unwrap();
    let (st, _) = senco.get(&format!("{s}/plans/{plan_id}/provision/1/sessions")).await;
    assert_eq!(st, StatusCode::OK);
    let (_, page) = senco.get(&format!("{s}/audit?limit=1&pupil={}", own.pupil)).await;
    assert_eq!(newest(&page), ("view".to_owned(), "session logs".to_owned()), "{page}");
});

on_both!(r10_lists_of_pupils_are_audited_with_how_many_they_named, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let own = pupil_with_history(&senco, &s, "A380200124417").await;
    let teacher = app.client(Role::Teacher, &[PupilId(own.pupil)]).await;
    let newest = |page: &serde_json::Value| page["entries"][0]["entity"].as_str().unwrap_or_default().to_owned();
    let (st, _) = teacher.get(&format!("{s}/pupils")).await;
    assert_eq!(st, StatusCode::OK);
    let (_, page) = senco.get(&format!("{s}/audit?limit=1")).await;
    assert_eq!(newest(&page), "pupil list, 1 pupil", "{page}");
    let (st, _) = senco.page(&format!("/schools/{}", app.school)).await;
    assert_eq!(st, StatusCode::OK);
    let (_, page) = senco.get(&format!("{s}/audit?limit=1")).await;
    assert_eq!(newest(&page), "SEN register, 1 pupil", "{page}");
});

on_both!(r10_a_page_the_role_may_not_open_says_so_in_words, |app| {
    let teacher = app.client(Role::Teacher, &[]).await;
    let (st, page) = teacher.page(&format!("/schools/{}/costing", app.school)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(page.contains("Your role does not give you access to this"), "{page}");
    assert!(
        page.contains("ask the school&#39;s SENCO or administrator") || page.contains("ask the school's SENCO or administrator"),
        "{page}"
    );
    let (st, body) = teacher.get(&format!("{}/costing/settings", app.api())).await;
    assert_eq!((st, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
});
