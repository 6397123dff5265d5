//! Dates, instants and JSON documents (DATE, TIMESTAMPTZ and JSONB on PostgreSQL since
//! migration 0006, TEXT on SQLite) read back exactly as they were written, and the
//! audit trail, whose hashes cover each entry's instant, still verifies. Rows written
//! as text before 0006 convert and read back unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use chrono::{Duration, TimeZone, Utc};
use senplan_core::cycle::Action;
use senplan_core::review::{Decision, Rating};
use senplan_core::status::{ChangeSource, SenStatus, StatusChange};
use senplan_store::history::Entity;
use senplan_store::testing::{TestDb, audit_key, d, pg_skipped, plan, pupil, review, school, whole};
use senplan_store::{Backend, Ctx, both_backends};
use sha2::{Digest, Sha256};

/// A time with digits below the millisecond: senplan stores instants to the millisecond.
fn ctx() -> Ctx {
    Ctx::new("Ms Rivera (SENCO)", Utc.with_ymd_and_hms(2026, 11, 23, 9, 15, 42).unwrap() + Duration::nanoseconds(123_456_789))
}
const STAMP: &str = "2026-11-23T09:15:42.123Z";

both_backends!(dates_instants_and_documents_read_back_as_written, |store| {
    let c = ctx();
    let s = store.create_school(&school("100001"), &c).await.unwrap();
    assert_eq!(s.updated_at, STAMP);
    assert_eq!(store.school(s.id).await.unwrap(), s);
    let scope = whole(s.id);
    let p = store.create_pupil(&scope, &pupil(1), &c).await.unwrap();
    assert_eq!(store.pupil(&scope, p.id).await.unwrap(), p, "a JSON body and an instant");

    // Dates: a status period and the cycle it opens.
    let k = StatusChange { status: SenStatus::K, start: d(2026, 9, 14), reason: "Teacher assessment".into() };
    let mut work = store.work(c.clone()).await.unwrap();
    work.record_status(&scope, p.id, &k, ChangeSource::Entered).await.unwrap();
    work.open_next_cycle(&scope, p.id, k.start, Default::default()).await.unwrap();
    work.commit().await.unwrap();
    let statuses = store.status_history(&scope, p.id).await.unwrap();
    assert_eq!((statuses[0].period.start, statuses[0].period.end), (d(2026, 9, 14), None));
    assert_eq!(statuses[0].recorded_at, STAMP);
    let cycle = store.cycles(&scope, p.id).await.unwrap().remove(0);
    assert_eq!((cycle.opened_on, cycle.closed_on, cycle.updated_at.as_str()), (d(2026, 9, 14), None, STAMP));
    assert_eq!(cycle.carried, Default::default());

    // A plan: a date, a JSON body and an instant, as returned when written.
    store
        .set_needs(
            &scope,
            p.id,
            0,
            &[senplan_core::need::NeedInput { code: "SLCN".into(), rank: 1, area: None, description: String::new() }],
            &c,
        )
        .await
        .unwrap();
    let mut work = store.work(c.clone()).await.unwrap();
    let at_plan = work.advance_cycle(&scope, cycle.id, None, Action::DraftPlan).await.unwrap();
    let written = work.add_plan(&scope, &at_plan, plan()).await.unwrap();
    work.commit().await.unwrap();
    assert_eq!(store.plan(&scope, written.id).await.unwrap(), written);
    let history = store.history(&scope, Entity::Plan, written.id.0).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].changed_at, STAMP);
    assert_eq!(history[0].body, serde_json::to_value(&written).unwrap(), "the document, whatever JSONB did to its text");

    // A review closes the cycle on the day it was held and opens the next with what it carried.
    let mut work = store.work(c.clone()).await.unwrap();
    work.advance_cycle(&scope, cycle.id, None, Action::StartDelivery).await.unwrap();
    work.advance_cycle(&scope, cycle.id, None, Action::StartReview).await.unwrap();
    work.commit().await.unwrap();
    let mut work = store.work(c.clone()).await.unwrap();
    let open = work.cycle(&scope, cycle.id).await.unwrap();
    let reviewed = work.cycle_plan(&scope, cycle.id).await.unwrap().unwrap();
    let given = review(d(2026, 11, 20), &[(1, Rating::Met), (2, Rating::NotMet)], Decision::Continue);
    let content = given.validate(&reviewed.content, open.opened_on, d(2026, 11, 23)).unwrap();
    let closed = work.close_cycle(&scope, open, d(2026, 11, 20), Action::RecordReview).await.unwrap();
    let recorded = work.add_review(&scope, &closed, content).await.unwrap();
    let carried = recorded.content.carried_into_next(&reviewed.content, closed.number, d(2026, 11, 20));
    let next = work.open_next_cycle(&scope, p.id, d(2026, 11, 20), carried).await.unwrap();
    work.commit().await.unwrap();
    assert_eq!(store.review(&scope, recorded.id).await.unwrap(), recorded);
    assert_eq!(store.cycle(&scope, cycle.id).await.unwrap().closed_on, Some(d(2026, 11, 20)));
    assert_eq!(store.cycle(&scope, next.id).await.unwrap(), next);
    assert_eq!(next.carried.outcomes.len(), 1, "the unmet outcome");
    assert_eq!(next.carried.provision.len(), reviewed.content.provision.len(), "the provision still running");
    assert_eq!(next.opened_on, d(2026, 11, 20));

    // The register compares dates with the review date in the database.
    let (rows, counts, _) = store.register_filtered(&scope, &Default::default(), d(2026, 11, 23)).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(counts.on_support, 1);

    // Every audit entry's instant reads back as written, so the chain verifies.
    let trail = store.audit_for_pupil(&scope, p.id).await.unwrap();
    assert!(!trail.is_empty());
    assert!(trail.iter().all(|e| e.at == STAMP), "{trail:?}");
    store.checkpoint_audit().await.unwrap();
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:#?}");
    assert!(report.entries() > 5);
});

/// Rows written as text by senplan before migration 0006, converted by it on PostgreSQL.
#[tokio::test]
async fn rows_written_before_0006_convert_and_read_back_unchanged() {
    if pg_skipped("rows_written_before_0006_convert_and_read_back_unchanged") {
        return;
    }
    let db = TestDb::migrated_up_to(Backend::Postgres, "0005_need_index").await;
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let details = serde_json::to_string(&pupil(1)).unwrap();
    let stamp = "2026-11-23T09:00:00.000Z";
    let statements: [(&str, Vec<&str>); 5] = [
        (
            "INSERT INTO schools (name, urn, laestab, setting, version, updated_at) VALUES ('Synthetic Primary', '100001', '9192001', 'school', 1, $1)",
            vec![stamp],
        ),
        (
            "INSERT INTO pupils (school_id, upn, family_name, given_name, year_group, body, version, updated_at) VALUES (1, 'x', 'Testpupil1', 'Alex', 'Y4', $1, 1, $2)",
            vec![&details, stamp],
        ),
        (
            "INSERT INTO status_periods (school_id, pupil_id, status, start_date, end_date, reason, recorded_by, recorded_at) \
             VALUES (1, 1, 'K', '2026-09-14', NULL, 'Teacher assessment', 'Ms Rivera', $1)",
            vec![stamp],
        ),
        (
            "INSERT INTO cycles (school_id, pupil_id, number, stage, opened_on, closed_on, carried, version, updated_at) \
             VALUES (1, 1, 1, 'assess', '2026-09-14', NULL, '[]', 1, $1)",
            vec![stamp],
        ),
        (
            // Sessions were stamped with nanoseconds and an offset before 0006.
            "INSERT INTO users (school_id, email, name, role, password_hash, failed_attempts, locked_until, disabled, version, created_at) \
             VALUES (1, 'senco@example.org', 'Ms Rivera', 'senco', 'x', 0, '2026-11-23T09:00:00.123456789+00:00', 0, 1, $1)",
            vec![stamp],
        ),
    ];
    for (sql, binds) in statements {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(b);
        }
        q.execute(&pool).await.unwrap();
    }
    let token = "a synthetic session token";
    let id_hash: String = Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ended_at) \
         VALUES ($1, 1, 'csrf', '2026-11-23T09:00:00.123456789+00:00', '2026-11-23T09:00:00.123456789+00:00', NULL)",
    )
    .bind(&id_hash)
    .execute(&pool)
    .await
    .unwrap();
    // A keyed audit entry as 0004 onwards wrote it.
    let mut entry = senplan_store::audit::rules::StoredEntry {
        chain_id: 1,
        seq: 1,
        scheme: senplan_store::audit::rules::SCHEME_KEYED,
        legacy_seq: None,
        school_id: Some(1),
        at: stamp.to_owned(),
        user_id: None,
        actor: "Ms Rivera (SENCO)".into(),
        action: "create".into(),
        entity: "school".into(),
        entity_id: Some(1),
        pupil_id: None,
        origin: "local".into(),
        prev_hash: senplan_store::audit::GENESIS.to_owned(),
        hash: String::new(),
    };
    entry.hash = audit_key().sign(&entry.keyed_message());
    sqlx::query(
        "INSERT INTO audit_entries (chain_id, seq, scheme, legacy_seq, school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash) \
         VALUES (1, 1, 1, NULL, 1, $1, NULL, $2, $3, $4, 1, NULL, $5, $6, $7)",
    )
    .bind(&entry.at)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.entity)
    .bind(&entry.origin)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    assert_eq!(db.store.migrate().await.unwrap(), ["0006_typed_columns", "0007_request_states", "0008_family_contacts", "0009_meetings", "0010_progress", "0011_outbox", "0012_documents", "0013_letters", "0014_local_offer", "0015_referrals", "0016_referral_reports", "0017_adjustments", "0018_sharing", "0019_data_exchange"]);
    let store = &db.store;
    let s = store.school(senplan_core::ids::SchoolId(1)).await.unwrap();
    assert_eq!(s.updated_at, stamp);
    let scope = whole(s.id);
    let p = store.pupil(&scope, senplan_core::ids::PupilId(1)).await.unwrap();
    assert_eq!((p.details, p.updated_at.as_str(), p.status), (pupil(1), stamp, SenStatus::K));
    let statuses = store.status_history(&scope, p.id).await.unwrap();
    assert_eq!((statuses[0].period.start, statuses[0].recorded_at.as_str()), (d(2026, 9, 14), stamp));
    let cycle = store.cycles(&scope, p.id).await.unwrap().remove(0);
    assert_eq!((cycle.opened_on, cycle.closed_on, cycle.updated_at.as_str()), (d(2026, 9, 14), None, stamp));
    // The session's old, finer text is now an instant; it still works, 20 minutes on.
    let session = store.session(token, Utc.with_ymd_and_hms(2026, 11, 23, 9, 20, 0).unwrap()).await.unwrap();
    assert_eq!(session.map(|s| s.csrf_token), Some("csrf".to_owned()));
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:#?}");
    assert_eq!(report.entries(), 1);
    db.finish().await;
}

/// Requests made before 0007 read back as received, with no step yet, at version 1.
#[tokio::test]
async fn r20_requests_made_before_0007_are_received_with_no_steps() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if backend == Backend::Postgres && pg_skipped("r20_requests_made_before_0007_are_received_with_no_steps") {
            continue;
        }
        let db = TestDb::migrated_up_to(backend, "0006_typed_columns").await;
        let store = &db.store;
        // The rows as senplan wrote them then (the store of today reads later columns).
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let cast = if backend == Backend::Postgres { "::timestamptz" } else { "" };
        let json = if backend == Backend::Postgres { "::jsonb" } else { "" };
        let details = serde_json::to_string(&pupil(1)).unwrap();
        let at = "2026-11-20T10:00:00.000Z";
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO schools (name, urn, laestab, setting, version, updated_at) VALUES ('Synthetic Primary', '100001', '9192001', 'school', 1, $1{cast})"
        )))
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO pupils (school_id, upn, family_name, given_name, year_group, body, version, updated_at) VALUES (1, 'x', 'Testpupil1', 'Alex', '4', $1{json}, 1, $2{cast})"
        )))
        .bind(&details)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO portal_requests (school_id, pupil_id, kind, requested_by, requested_at, details) VALUES (1, 1, 'meeting', 'Mrs Doe', $1{cast}, '')"
        )))
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
        let s = senplan_core::ids::SchoolId(1);
        let pupil_id = senplan_core::ids::PupilId(1);
        assert_eq!(store.migrate().await.unwrap(), ["0007_request_states", "0008_family_contacts", "0009_meetings", "0010_progress", "0011_outbox", "0012_documents", "0013_letters", "0014_local_offer", "0015_referrals", "0016_referral_reports", "0017_adjustments", "0018_sharing", "0019_data_exchange"]);
        let r = store.requests(&whole(s), pupil_id).await.unwrap().remove(0);
        assert_eq!((r.state, r.steps.len(), r.version), (senplan_core::request::RequestState::Received, 0, 1), "{backend:?}");
        assert_eq!(r.received_on(), d(2026, 11, 20));
        db.finish().await;
    }
}
