//! The audit trail through the API (R20): filtered by pupil, person and date, paged,
//! refused to those who may not read it, and itself audited.

use senplan_core::access::Role;
use senplan_store::testing::{ctx, ctx_on, d, pupil};
use serde_json::Value;

use crate::on_both;

fn entries(body: &Value) -> &Vec<Value> {
    body["entries"].as_array().unwrap_or_else(|| panic!("no entries: {body}"))
}

on_both!(r20_the_audit_trail_filters_by_pupil_person_and_date, |app| {
    let store = &app.store;
    let p = store.create_pupil(&senplan_store::testing::whole(app.school), &pupil(1), &ctx()).await.unwrap().id;
    let q = store.create_pupil(&senplan_store::testing::whole(app.school), &pupil(2), &ctx()).await.unwrap().id;
    // Views on three days in October, of both pupils, by a synthetic teacher.
    for day in [5, 6, 7] {
        store.audit_view(&senplan_store::testing::whole(app.school), p, "plan", &ctx_on("Mr Ahmed", d(2026, 10, day))).await.unwrap();
        store.audit_view(&senplan_store::testing::whole(app.school), q, "plan", &ctx_on("Mr Ahmed", d(2026, 10, day))).await.unwrap();
    }
    let senco = app.client(Role::Senco, &[]).await;
    let teacher = app.client(Role::Teacher, &[p]).await;
    let (_, me) = teacher.get("/api/session").await;
    let teacher_id = me["user"]["id"].as_i64().unwrap();
    let (status, _) = teacher.get(&format!("{}/pupils/{p}", app.api())).await;
    assert_eq!(status, 200);
    let audit = format!("{}/audit", app.api());

    // By pupil: only that pupil's entries, newest first, the teacher's view among them.
    let (status, body) = senco.get(&format!("{audit}?pupil={p}")).await;
    assert_eq!(status, 200, "{body}");
    let list = entries(&body);
    assert!(list.iter().all(|e| e["pupil_id"] == p.0), "{body}");
    assert!(list.windows(2).all(|w| w[0]["seq"].as_i64() > w[1]["seq"].as_i64()), "newest first");
    assert_eq!(list[0]["user_id"], teacher_id, "the teacher's view is the newest: {body}");
    assert_eq!(list[0]["action"], "view");
    assert_eq!(list.iter().filter(|e| e["actor"] == "Mr Ahmed").count(), 3);

    // By person: only what that account did.
    let (_, body) = senco.get(&format!("{audit}?person={teacher_id}")).await;
    let list = entries(&body);
    assert!(!list.is_empty() && list.iter().all(|e| e["user_id"] == teacher_id), "{body}");

    // By date, both ends inclusive; and with a pupil.
    let (_, body) = senco.get(&format!("{audit}?from=2026-10-06&to=2026-10-07")).await;
    let days: Vec<&str> = entries(&body).iter().map(|e| &e["at"].as_str().unwrap()[..10]).collect();
    assert_eq!(days, ["2026-10-07", "2026-10-07", "2026-10-06", "2026-10-06"]);
    let (_, body) = senco.get(&format!("{audit}?pupil={q}&from=2026-10-06&to=2026-10-06")).await;
    let list = entries(&body);
    assert_eq!(list.len(), 1, "{body}");
    assert_eq!((list[0]["pupil_id"].as_i64(), &list[0]["at"].as_str().unwrap()[..10]), (Some(q.0), "2026-10-06"));

    // Pages: `limit`, then `before` from `next_before`.
    let (_, first) = senco.get(&format!("{audit}?limit=2")).await;
    assert_eq!(entries(&first).len(), 2);
    let before = first["next_before"].as_i64().unwrap();
    assert_eq!(before, entries(&first)[1]["seq"].as_i64().unwrap());
    let (_, second) = senco.get(&format!("{audit}?limit=2&before={before}")).await;
    assert!(entries(&second).iter().all(|e| e["seq"].as_i64().unwrap() < before));
    let (_, everything) = senco.get(&format!("{audit}?limit=500")).await;
    assert_eq!(everything["next_before"], Value::Null, "one page holds it all");

    // Reading the trail is in the trail, under the pupil asked about.
    let (_, body) = senco.get(&format!("{audit}?pupil={q}")).await;
    let reads = entries(&body).iter().filter(|e| e["entity"] == "audit trail").count();
    assert_eq!(reads, 1, "the earlier read about this pupil: {body}");
    assert!(store.verify_audit().await.unwrap().is_intact());
});

on_both!(r20_bad_audit_filters_name_their_field, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let audit = format!("{}/audit", app.api());
    for (query, field, code) in [
        ("from=1+October", "from", "invalid_date"),
        ("to=2026-13-01", "to", "invalid_date"),
        ("from=2026-10-02&to=2026-10-01", "to", "before_from"),
        ("pupil=abc", "pupil", "invalid_number"),
        ("person=0", "person", "invalid_number"),
        ("limit=0", "limit", "invalid_number"),
        ("limit=501", "limit", "too_many"),
        ("before=-3", "before", "invalid_number"),
    ] {
        let (status, body) = senco.get(&format!("{audit}?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!((body["field"].as_str(), body["code"].as_str()), (Some(field), Some(code)), "{query}: {body}");
    }
    // A pupil of no school here is not found, as everywhere.
    let (status, _) = senco.get(&format!("{audit}?pupil=999999")).await;
    assert_eq!(status, 404);
});

on_both!(r20_only_those_who_may_read_the_audit_trail_do, |app| {
    let p = app.store.create_pupil(&senplan_store::testing::whole(app.school), &pupil(1), &ctx()).await.unwrap().id;
    let audit = format!("{}/audit", app.api());
    let teacher = app.client(Role::Teacher, &[p]).await;
    let parent = app.client(Role::ParentCarer, &[p]).await;
    let before = app.store.verify_audit().await.unwrap().entries();
    assert_eq!(teacher.get(&audit).await.0, 403, "a teacher sees records, not the trail");
    assert_eq!(parent.get(&audit).await.0, 404);
    assert_eq!(app.store.verify_audit().await.unwrap().entries(), before, "a refused read writes nothing");
    // An administrator reads who did what (pupils by id only), to look into an account's
    // misuse; filtering by a pupil needs sight of that pupil, which they do not have.
    let admin = app.client(Role::Administrator, &[]).await;
    let (st, page) = admin.get(&audit).await;
    assert_eq!(st, 200, "{page}");
    assert!(page["entries"].as_array().is_some_and(|e| !e.is_empty()), "{page}");
    assert_eq!(admin.get(&format!("{audit}?pupil={}", p.0)).await.0, 404);
    let governor = app.client(Role::Governor, &[]).await;
    assert_eq!(governor.get(&audit).await.0, 404);
});
