//! The audit trail (R20: nothing is silently overwritten or deleted): one keyed hash
//! chain per school, checkpoints outside the database, and verification that names
//! the chain, the first bad entry and what happened to it. Every tampering here is
//! done the way an insider with database access alone would: with raw SQL.
//! Each test runs on SQLite and on PostgreSQL, each on a database of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use senplan_core::ids::{PupilId, SchoolId};
use senplan_store::audit::rules::{SCHEME_LEGACY, StoredEntry};
use senplan_store::audit::{AuditFilter, AuditKey, BreakKind, Chain, CheckpointStatus, Written};
use senplan_store::dialect::translate;
use senplan_store::testing::{TestDb, ctx, ctx_on, d, pupil, school};
use senplan_store::{Backend, Store, both_backends};
use sqlx::AnyPool;

/// Written for the store's dialect: `at` is a TIMESTAMPTZ on PostgreSQL, read back as
/// the text that was hashed.
const COLUMNS: &str = "chain_id, seq, scheme, legacy_seq, school_id, iso(at) AS at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash";

/// A school with one pupil, and `views` views of the pupil's record.
async fn school_with_views(store: &Store, urn: &str, views: usize) -> (SchoolId, PupilId) {
    let s = store.create_school(&school(urn), &ctx()).await.unwrap();
    let p = store.create_pupil(&senplan_store::testing::whole(s.id), &pupil(1), &ctx()).await.unwrap();
    for _ in 0..views {
        store.audit_view(&senplan_store::testing::whole(s.id), p.id, "pupil record", &ctx()).await.unwrap();
    }
    (s.id, p.id)
}

/// A connection of its own, as an insider would open.
async fn raw(store: &Store) -> AnyPool {
    sqlx::AnyPool::connect(store.url()).await.unwrap()
}

/// The database behind an insider's pool.
async fn backend_of(pool: &AnyPool) -> Backend {
    let conn = pool.acquire().await.unwrap();
    if conn.backend_name() == "PostgreSQL" { Backend::Postgres } else { Backend::Sqlite }
}

async fn chain(pool: &AnyPool, id: i64) -> Vec<StoredEntry> {
    let sql = translate(backend_of(pool).await, &format!("SELECT {COLUMNS} FROM audit_entries WHERE chain_id = $1 ORDER BY seq"));
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(pool).await.unwrap()
}

/// Rewrites every entry of a chain from `from` on, so each follows the one before,
/// with `hash` in place of the keyed hash.
async fn recompute_from(pool: &AnyPool, id: i64, from: i64, hash: impl Fn(&StoredEntry) -> String) {
    let entries = chain(pool, id).await;
    let mut prev = entries.iter().find(|e| e.seq == from - 1).map(|e| e.hash.clone()).unwrap();
    for mut e in entries.into_iter().filter(|e| e.seq >= from) {
        e.prev_hash = prev;
        e.hash = hash(&e);
        sqlx::query("UPDATE audit_entries SET prev_hash = $1, hash = $2 WHERE chain_id = $3 AND seq = $4")
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(id)
            .bind(e.seq)
            .execute(pool)
            .await
            .unwrap();
        prev = e.hash;
    }
}

async fn alter_actor(pool: &AnyPool, id: i64, seq: i64) {
    sqlx::query("UPDATE audit_entries SET actor = 'Someone Else' WHERE chain_id = $1 AND seq = $2")
        .bind(id)
        .bind(seq)
        .execute(pool)
        .await
        .unwrap();
}

fn problem(report: &senplan_store::audit::AuditReport, chain: Chain) -> (i64, BreakKind) {
    let b = report.problem(chain).unwrap_or_else(|| panic!("{chain} should be broken: {report:#?}"));
    (b.seq, b.kind)
}

both_backends!(r20_an_intact_trail_verifies_chain_by_chain, |store| {
    let (a, p) = school_with_views(store, "100001", 3).await;
    let (b, _) = school_with_views(store, "100002", 2).await;
    assert!(matches!(store.checkpoint_audit().await.unwrap(), Written::Written(_)));
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:#?}");
    assert!(matches!(report.checkpoint, CheckpointStatus::Used { .. }), "{:?}", report.checkpoint);
    let chains: Vec<Chain> = report.chains.iter().map(|c| c.chain).collect();
    assert_eq!(chains, [Chain::School(a), Chain::School(b)], "no old entries, no system events here");
    // School, pupil and three views; school, pupil and two views.
    assert_eq!(report.chains.iter().map(|c| c.entries).collect::<Vec<_>>(), [5, 4]);
    assert_eq!(report.entries(), 9);
    assert!(report.chains.iter().all(|c| c.legacy_entries == 0 && c.checkpoint_seq == Some(c.entries)));
    // Who looked is in the pupil's trail.
    let trail = store.audit_for_pupil(&senplan_store::testing::whole(a), p).await.unwrap();
    assert_eq!(trail.iter().filter(|e| e.action == "view" && e.actor == "Ms Rivera (SENCO)").count(), 3);
    assert_eq!(trail[0].pupil_id, Some(p));
    // Nothing new: the checkpoint stays as it is.
    assert!(matches!(store.checkpoint_audit().await.unwrap(), Written::Unchanged(_)));
});

both_backends!(r20_each_school_has_its_own_chain, |store| {
    let (a, pa) = school_with_views(store, "100001", 1).await;
    let (b, _) = school_with_views(store, "100002", 2).await;
    let pool = raw(store).await;
    let before = chain(&pool, b.0).await;
    for _ in 0..5 {
        store.audit_view(&senplan_store::testing::whole(a), pa, "plan", &ctx()).await.unwrap();
    }
    assert_eq!(chain(&pool, b.0).await, before, "entries in school A change nothing of school B's chain");
    let seqs = |c: &[StoredEntry]| c.iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(&chain(&pool, a.0).await), (1..=8).collect::<Vec<_>>(), "each chain is numbered from 1");
    assert_eq!(seqs(&before), [1, 2, 3, 4]);
    assert!(chain(&pool, a.0).await.iter().all(|e| e.school_id == Some(a.0) && e.chain_id == a.0));
    // Both chains start from the same place (no old entries) but never share a hash.
    let first_a = &chain(&pool, a.0).await[0];
    assert_eq!(first_a.prev_hash, before[0].prev_hash);
    assert_ne!(first_a.hash, before[0].hash);
    pool.close().await;
});

both_backends!(r20_verify_names_an_altered_entry, |store| {
    let (a, _) = school_with_views(store, "100001", 4).await;
    let (b, _) = school_with_views(store, "100002", 4).await;
    store.checkpoint_audit().await.unwrap();
    let pool = raw(store).await;
    alter_actor(&pool, a.0, 3).await;
    let report = store.verify_audit().await.unwrap();
    assert!(!report.is_intact());
    assert_eq!(problem(&report, Chain::School(a)), (3, BreakKind::Altered));
    assert_eq!(report.problem(Chain::School(b)), None, "the other school's chain still holds");
    assert_eq!(report.problems().count(), 1);
    pool.close().await;
});

both_backends!(r20_verify_names_a_deleted_entry, |store| {
    let (a, _) = school_with_views(store, "100001", 4).await;
    let pool = raw(store).await;
    sqlx::query("DELETE FROM audit_entries WHERE chain_id = $1 AND seq = 3").bind(a.0).execute(&pool).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    assert_eq!(problem(&report, Chain::School(a)), (3, BreakKind::Deleted));
    assert!(report.problem(Chain::School(a)).unwrap().detail.contains("entry 3 is missing"));
    pool.close().await;
});

both_backends!(r20_verify_finds_the_newest_entries_removed_after_a_checkpoint, |store| {
    let (a, _) = school_with_views(store, "100001", 4).await;
    let (b, pb) = school_with_views(store, "100002", 1).await;
    store.checkpoint_audit().await.unwrap();
    let dir = store.audit_config().unwrap().checkpoints.clone().unwrap();
    let file = senplan_store::audit::checkpoint::path(&dir, &senplan_store::testing::audit_key());
    let written = std::fs::read_to_string(&file).unwrap();
    let pool = raw(store).await;
    // School A has entries 1 to 6; the newest two go.
    sqlx::query("DELETE FROM audit_entries WHERE chain_id = $1 AND seq > 4").bind(a.0).execute(&pool).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    assert_eq!(problem(&report, Chain::School(a)), (5, BreakKind::Truncated));
    assert!(report.problem(Chain::School(a)).unwrap().detail.contains("entries 5 to 6 were removed from the end"));
    assert_eq!(report.problem(Chain::School(b)), None);
    // The server refuses to write a checkpoint over the evidence.
    store.audit_view(&senplan_store::testing::whole(b), pb, "pupil record", &ctx()).await.unwrap();
    let err = store.checkpoint_audit().await.unwrap_err().to_string();
    assert!(err.contains(&format!("school {}: entry 6 is missing", a.0)), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written, "the old checkpoint is kept");
    // A whole chain removed is truncated from its first entry.
    sqlx::query("DELETE FROM audit_entries WHERE chain_id = $1").bind(b.0).execute(&pool).await.unwrap();
    assert_eq!(problem(&store.verify_audit().await.unwrap(), Chain::School(b)), (1, BreakKind::Truncated));
    pool.close().await;
});

both_backends!(r20_without_a_checkpoint_removing_the_newest_entries_goes_unseen, |store| {
    // Why checkpoints exist: the chain alone cannot tell that its end is gone.
    let (a, _) = school_with_views(store, "100001", 4).await;
    let pool = raw(store).await;
    sqlx::query("DELETE FROM audit_entries WHERE chain_id = $1 AND seq > 4").bind(a.0).execute(&pool).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    assert!(matches!(report.checkpoint, CheckpointStatus::Missing(_)));
    assert!(report.is_intact());
    pool.close().await;
});

both_backends!(r20_verify_finds_entries_recomputed_with_plain_sha256, |store| {
    let (a, _) = school_with_views(store, "100001", 5).await;
    let pool = raw(store).await;
    alter_actor(&pool, a.0, 3).await;
    recompute_from(&pool, a.0, 3, StoredEntry::unkeyed_hash).await;
    let report = store.verify_audit().await.unwrap();
    assert_eq!(problem(&report, Chain::School(a)), (3, BreakKind::Recomputed));
    assert!(report.problem(Chain::School(a)).unwrap().detail.contains("plain SHA-256"));
    pool.close().await;
});

both_backends!(r20_verify_finds_entries_recomputed_with_another_key, |store| {
    let (a, _) = school_with_views(store, "100001", 5).await;
    let (b, _) = school_with_views(store, "100002", 1).await;
    let pool = raw(store).await;
    let wrong = AuditKey::from_bytes(&[7; 32]).unwrap();
    alter_actor(&pool, a.0, 3).await;
    recompute_from(&pool, a.0, 3, |e| wrong.sign(&e.keyed_message())).await;
    let report = store.verify_audit().await.unwrap();
    assert_eq!(problem(&report, Chain::School(a)), (3, BreakKind::Recomputed));
    assert!(report.problem(Chain::School(a)).unwrap().detail.contains("recomputed without it"));
    assert_eq!(report.problem(Chain::School(b)), None);
    pool.close().await;
});

both_backends!(r20_an_entry_cannot_move_to_another_school, |store| {
    let (a, _) = school_with_views(store, "100001", 2).await;
    let (b, _) = school_with_views(store, "100002", 2).await;
    let pool = raw(store).await;
    // Copy school A's newest entry to the end of school B's chain.
    let last = chain(&pool, a.0).await.pop().unwrap();
    sqlx::query(
        "INSERT INTO audit_entries (chain_id, seq, scheme, legacy_seq, school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash) \
         SELECT $1, 5, scheme, legacy_seq, $1, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash FROM audit_entries WHERE chain_id = $2 AND seq = $3",
    )
    .bind(b.0)
    .bind(a.0)
    .bind(last.seq)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(problem(&store.verify_audit().await.unwrap(), Chain::School(b)), (5, BreakKind::Altered));
    pool.close().await;
});

both_backends!(r20_a_checkpoint_changed_outside_senplan_is_reported, |store| {
    school_with_views(store, "100001", 1).await;
    let Written::Written(file) = store.checkpoint_audit().await.unwrap() else { panic!("first checkpoint") };
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace(" 3 ", " 2 ")).unwrap();
    let report = store.verify_audit().await.unwrap();
    let CheckpointStatus::Invalid { reason, .. } = &report.checkpoint else { panic!("{:?}", report.checkpoint) };
    assert!(reason.contains("not signed with this audit key"), "{reason}");
    assert!(!report.is_intact());
    assert!(store.checkpoint_audit().await.is_err(), "a checkpoint that fails its signature is not replaced");
});

both_backends!(r20_appends_to_one_chain_at_once_stay_in_order, |store| {
    let (a, p) = school_with_views(store, "100001", 0).await;
    let (b, q) = school_with_views(store, "100002", 0).await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let store = store.clone();
        let (s, pupil) = if i % 3 == 0 { (b, q) } else { (a, p) };
        tasks.push(tokio::spawn(async move {
            store.audit_view(&senplan_store::testing::whole(s), pupil, "pupil record", &ctx()).await.unwrap()
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:#?}");
    assert_eq!(report.chains.iter().map(|c| c.entries).collect::<Vec<_>>(), [2 + 16, 2 + 8]);
});

both_backends!(r20_the_trail_is_read_newest_first_filtered_and_the_read_audited, |store| {
    let (a, p) = school_with_views(store, "100001", 0).await;
    let q = store.create_pupil(&senplan_store::testing::whole(a), &pupil(2), &ctx()).await.unwrap().id;
    for day in [5, 6, 7] {
        store.audit_view(&senplan_store::testing::whole(a), p, "plan", &ctx_on("Mr Ahmed", d(2026, 10, day))).await.unwrap();
        store.audit_view(&senplan_store::testing::whole(a), q, "plan", &ctx_on("Mr Ahmed", d(2026, 10, day))).await.unwrap();
    }
    let all = |f: AuditFilter| async move {
        store.audit_trail(&senplan_store::testing::whole(a), &AuditFilter { limit: 100, ..f }, &ctx()).await.unwrap()
    };
    let page = all(AuditFilter { pupil: Some(p), ..Default::default() }).await;
    assert!(page.entries.iter().all(|e| e.pupil_id == Some(p)));
    assert_eq!(page.entries.len(), 4, "the pupil's creation and three views");
    assert!(page.entries.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
    let page = all(AuditFilter { from: Some(d(2026, 10, 6)), to: Some(d(2026, 10, 6)), ..Default::default() }).await;
    assert_eq!(page.entries.len(), 2, "both ends of the range are inclusive, one day here");
    assert!(page.entries.iter().all(|e| e.at.starts_with("2026-10-06")));
    // Pages of two, following the cursor.
    let first =
        store.audit_trail(&senplan_store::testing::whole(a), &AuditFilter { limit: 2, ..Default::default() }, &ctx()).await.unwrap();
    assert_eq!(first.entries.len(), 2);
    let before = first.next_before.unwrap();
    let second = store
        .audit_trail(&senplan_store::testing::whole(a), &AuditFilter { limit: 2, before: Some(before), ..Default::default() }, &ctx())
        .await
        .unwrap();
    assert!(second.entries.iter().all(|e| e.seq < before));
    // Every read is in the trail.
    let reads = store
        .audit_for_pupil(&senplan_store::testing::whole(a), p)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "audit trail")
        .count();
    assert_eq!(reads, 1, "the read about this pupil is in the pupil's own trail");
    assert!(store.verify_audit().await.unwrap().is_intact());
});

/// Runs `body` on a database migrated up to 0003, with entries written under the old
/// scheme, then migrated to keyed chains.
macro_rules! from_old_scheme {
    ($name:ident, |$store:ident, $pool:ident| $body:block) => {
        mod $name {
            use super::*;
            async fn run($store: &Store, $pool: &AnyPool) $body
            async fn on(backend: Backend) {
                let db = TestDb::migrated_up_to(backend, "0003_costing").await;
                let pool = raw(&db.store).await;
                write_old_entries(&pool).await;
                db.store.migrate().await.unwrap();
                run(&db.store, &pool).await;
                pool.close().await;
                db.finish().await;
            }
            #[tokio::test]
            async fn sqlite() {
                on(Backend::Sqlite).await;
            }
            #[tokio::test]
            async fn postgres() {
                on(Backend::Postgres).await;
            }
        }
    };
}

/// Five entries in the global, unkeyed chain of migration 0002: schools 1 and 2 taking
/// turns, written with that migration's rule.
async fn write_old_entries(pool: &AnyPool) {
    let mut prev = senplan_store::audit::GENESIS.to_owned();
    for (seq, school) in [(1, 1), (2, 2), (3, 1), (4, 1), (5, 2)] {
        let mut e = StoredEntry {
            chain_id: school,
            seq: 0,
            scheme: SCHEME_LEGACY,
            legacy_seq: Some(seq),
            school_id: Some(school),
            at: format!("2026-09-0{seq}T09:00:00.000Z"),
            user_id: None,
            actor: "Ms Rivera (SENCO)".into(),
            action: "view".into(),
            entity: "pupil record".into(),
            entity_id: Some(1),
            pupil_id: Some(1),
            origin: "local".into(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        e.hash = e.legacy_hash().unwrap();
        sqlx::query(
            "INSERT INTO audit (seq, school_id, at, user_id, actor, action, entity, entity_id, pupil_id, origin, prev_hash, hash) \
             VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(seq)
        .bind(school)
        .bind(&e.at)
        .bind(&e.actor)
        .bind(&e.action)
        .bind(&e.entity)
        .bind(e.entity_id)
        .bind(e.pupil_id)
        .bind(&e.origin)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .execute(pool)
        .await
        .unwrap();
        prev = e.hash;
    }
}

from_old_scheme!(r20_old_entries_keep_their_rule_and_the_keyed_chains_start_from_them, |store, pool| {
    let s1 = store.create_school(&school("100001"), &ctx()).await.unwrap().id;
    let s2 = store.create_school(&school("100002"), &ctx()).await.unwrap().id;
    assert_eq!((s1.0, s2.0), (1, 2), "the schools the old entries belong to");
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:#?}");
    let legacy = &report.chains[0];
    assert_eq!((legacy.chain, legacy.entries), (Chain::Legacy, 5));
    let one = report.chains.iter().find(|c| c.chain == Chain::School(s1)).unwrap();
    assert_eq!((one.entries, one.legacy_entries), (4, 3), "three old entries, then the school's creation");
    assert_eq!(report.entries(), 7);
    // Numbers run on from the old entries; the first keyed entry starts from the last old one.
    let entries = chain(pool, s1.0).await;
    assert_eq!(
        entries.iter().map(|e| (e.seq, e.scheme, e.legacy_seq)).collect::<Vec<_>>(),
        [(1, 0, Some(1)), (2, 0, Some(3)), (3, 0, Some(4)), (4, 1, None)]
    );
    let old_head = chain(pool, s2.0).await[1].hash.clone();
    assert_eq!(entries[3].prev_hash, old_head, "global entry 5 (school 2's) is the last old entry");
    // Reading the trail shows the old entries too, in their school's numbering (the
    // pupil they name must exist to be read: adding them is entry 5).
    let p = store.create_pupil(&senplan_store::testing::whole(s1), &pupil(1), &ctx()).await.unwrap().id;
    assert_eq!(p, PupilId(1));
    let trail = store.audit_for_pupil(&senplan_store::testing::whole(s1), PupilId(1)).await.unwrap();
    assert_eq!(trail.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 3, 2, 1]);
});

from_old_scheme!(r20_an_altered_old_entry_is_found_under_its_own_rule, |store, pool| {
    store.create_school(&school("100001"), &ctx()).await.unwrap();
    // Global entry 3 is school 1's second entry.
    alter_actor(pool, 1, 2).await;
    let report = store.verify_audit().await.unwrap();
    assert_eq!(problem(&report, Chain::Legacy), (3, BreakKind::Altered));
    assert!(report.problem(Chain::Legacy).unwrap().detail.contains("now entry 2 of school 1"));
});

from_old_scheme!(r20_old_entries_cut_from_the_end_are_found_through_the_keyed_chains, |store, pool| {
    store.create_school(&school("100001"), &ctx()).await.unwrap();
    // Global entry 5, the last old one, is school 2's second entry.
    sqlx::query("DELETE FROM audit_entries WHERE legacy_seq = 5").execute(pool).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    assert_eq!(problem(&report, Chain::Legacy), (4, BreakKind::Mismatch), "global entry 4 is now the last");
    assert!(report.problem(Chain::Legacy).unwrap().detail.contains("keyed chain of school 1 starts from an old entry"));
});

from_old_scheme!(r20_old_entries_rewritten_without_the_key_are_found, |store, pool| {
    store.create_school(&school("100001"), &ctx()).await.unwrap();
    // An insider changes global entry 4 and recomputes the old chain from there with
    // the old (public, unkeyed) rule.
    alter_actor(pool, 1, 3).await;
    let mut prev = chain(pool, 1).await[1].hash.clone();
    for (chain_id, seq) in [(1, 3), (2, 2)] {
        let mut e = chain(pool, chain_id).await.into_iter().find(|e| e.seq == seq).unwrap();
        e.prev_hash = prev;
        e.hash = e.legacy_hash().unwrap();
        sqlx::query("UPDATE audit_entries SET prev_hash = $1, hash = $2 WHERE chain_id = $3 AND seq = $4")
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(chain_id)
            .bind(seq)
            .execute(pool)
            .await
            .unwrap();
        prev = e.hash;
    }
    let report = store.verify_audit().await.unwrap();
    assert_eq!(problem(&report, Chain::Legacy), (5, BreakKind::Mismatch), "{report:#?}");
});

/// PostgreSQL: an append holds only its own chain's lock until it commits, so a view
/// in one school never waits for another school's.
#[tokio::test]
async fn r20_appending_in_one_school_never_waits_for_another_schools_chain() {
    use sqlx::Connection;
    let db = TestDb::new(Backend::Postgres).await;
    let store = &db.store;
    let (a, p) = school_with_views(store, "100001", 0).await;
    let (b, q) = school_with_views(store, "100002", 0).await;
    // Someone holds school B's chain lock in an open transaction.
    let mut conn = sqlx::AnyConnection::connect(store.url()).await.unwrap();
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("SELECT pg_advisory_xact_lock(7263, $1)").bind(b.0 as i32).execute(&mut *tx).await.unwrap();
    let quick = std::time::Duration::from_secs(3);
    tokio::time::timeout(quick, store.audit_view(&senplan_store::testing::whole(a), p, "pupil record", &ctx()))
        .await
        .expect("school A does not wait")
        .unwrap();
    let waiting = {
        let store = store.clone();
        tokio::spawn(async move { store.audit_view(&senplan_store::testing::whole(b), q, "pupil record", &ctx()).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "school B's append waits for its own chain");
    tx.rollback().await.unwrap();
    tokio::time::timeout(quick, waiting).await.expect("released").unwrap().unwrap();
    assert!(store.verify_audit().await.unwrap().is_intact());
    conn.close().await.unwrap();
    db.finish().await;
}

both_backends!(r20_a_store_given_another_key_is_told_at_start, |store| {
    use senplan_store::audit::AuditConfig;
    school_with_views(store, "100001", 1).await;
    assert!(!store.audit_key_check().await.unwrap().wrong_key());
    let other = Store::connect(store.url())
        .await
        .unwrap()
        .with_audit(AuditConfig { key: AuditKey::from_bytes(&[9; 32]).unwrap(), checkpoints: None });
    let check = other.audit_key_check().await.unwrap();
    assert_eq!((check.chains, check.verified), (1, 0));
    assert!(check.wrong_key());
    // Without a key nothing is written to the trail, and nothing is checked.
    let keyless = Store::connect(store.url()).await.unwrap();
    let err = keyless.create_school(&school("100002"), &ctx()).await.unwrap_err();
    assert!(matches!(err, senplan_store::StoreError::NoAuditKey), "{err}");
    assert!(keyless.schools().await.unwrap().len() == 1, "the school was not created without its audit entry");
    assert!(matches!(keyless.verify_audit().await.unwrap_err(), senplan_store::StoreError::NoAuditKey));
    other.close().await;
    keyless.close().await;
});
