//! The two migration sets define the same database: the same tables, columns (name,
//! whether they may be empty, and a kind that fits on both: integer, text, real,
//! bytes), primary keys, foreign keys and unique constraints (partial ones included).
//! Applied to a real SQLite file and a real PostgreSQL database; every difference is
//! listed, not just "not equal". PostgreSQL's dates, instants and JSON documents are
//! also checked to be DATE, TIMESTAMPTZ and JSONB.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use senplan_store::Backend;
use senplan_store::testing::{TestDb, pg_skipped};
use sqlx::{AnyConnection, Connection};

/// Everything compared, as sorted lines such as `column pupils.upn text not null`.
type Schema = BTreeSet<String>;

fn kind(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") || t == "date" || t.starts_with("timestamp") || t.starts_with("json") {
        "text"
    } else if t.contains("real") || t.contains("double") || t.contains("numeric") || t.contains("float") {
        "real"
    } else if t.contains("blob") || t == "bytea" {
        "bytes"
    } else {
        "unknown"
    }
}

async fn sqlite_schema(url: &str) -> Schema {
    sqlx::any::install_default_drivers();
    let mut c = AnyConnection::connect(url).await.unwrap();
    let mut out = Schema::new();
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .fetch_all(&mut c)
            .await
            .unwrap();
    for (t,) in tables {
        out.insert(format!("table {t}"));
        let cols: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)").bind(&t).fetch_all(&mut c).await.unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (name, ty, notnull, key) in cols {
            // A primary key is never empty, whatever SQLite's declaration says.
            let null = if notnull == 1 || key > 0 { "not null" } else { "null" };
            out.insert(format!("column {t}.{name} {} {null}", kind(&ty)));
            if key > 0 {
                pk.push((key, name));
            }
        }
        pk.sort();
        if !pk.is_empty() {
            out.insert(format!("primary key {t}({})", pk.into_iter().map(|(_, n)| n).collect::<Vec<_>>().join(",")));
        }
        let fks: Vec<(String, String, String)> =
            sqlx::query_as("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list($1)").bind(&t).fetch_all(&mut c).await.unwrap();
        for (from, table, to) in fks {
            out.insert(format!("foreign key {t}.{from} -> {table}.{to}"));
        }
        let idx: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)").bind(&t).fetch_all(&mut c).await.unwrap();
        for (name, unique, origin, partial) in idx {
            if unique == 0 || origin == "pk" {
                continue;
            }
            let cols: Vec<(i64, String)> =
                sqlx::query_as("SELECT seqno, name FROM pragma_index_info($1) ORDER BY seqno").bind(&name).fetch_all(&mut c).await.unwrap();
            let cols: Vec<String> = cols.into_iter().map(|(_, n)| n).collect();
            out.insert(format!("unique {t}({}){}", cols.join(","), if partial == 1 { " partial" } else { "" }));
        }
    }
    c.close().await.unwrap();
    out
}

async fn postgres_schema(url: &str) -> Schema {
    sqlx::any::install_default_drivers();
    let mut c = AnyConnection::connect(url).await.unwrap();
    let mut out = Schema::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for (t,) in tables {
        out.insert(format!("table {t}"));
        let cols: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&t)
        .fetch_all(&mut c)
        .await
        .unwrap();
        for (name, ty, nullable) in cols {
            out.insert(format!("column {t}.{name} {} {}", kind(&ty), if nullable == "YES" { "null" } else { "not null" }));
        }
        let pk: Vec<(String,)> = sqlx::query_as(
            "SELECT a.attname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
             WHERE c.relname = $1 AND i.indisprimary ORDER BY k.n",
        )
        .bind(&t)
        .fetch_all(&mut c)
        .await
        .unwrap();
        if !pk.is_empty() {
            out.insert(format!("primary key {t}({})", pk.into_iter().map(|(n,)| n).collect::<Vec<_>>().join(",")));
        }
        let fks: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT a.attname::text, rc.relname::text, ra.attname::text FROM pg_constraint k \
             JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class rc ON rc.oid = k.confrelid \
             CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(col, rcol) \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.col \
             JOIN pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = u.rcol \
             WHERE k.contype = 'f' AND c.relname = $1",
        )
        .bind(&t)
        .fetch_all(&mut c)
        .await
        .unwrap();
        for (from, table, to) in fks {
            out.insert(format!("foreign key {t}.{from} -> {table}.{to}"));
        }
        let uniques: Vec<(String, bool)> = sqlx::query_as(
            "SELECT string_agg(a.attname::text, ',' ORDER BY k.n), bool_or(i.indpred IS NOT NULL) FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indrelid \
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
             WHERE c.relname = $1 AND i.indisunique AND NOT i.indisprimary GROUP BY i.indexrelid",
        )
        .bind(&t)
        .fetch_all(&mut c)
        .await
        .unwrap();
        for (cols, partial) in uniques {
            out.insert(format!("unique {t}({cols}){}", if partial { " partial" } else { "" }));
        }
    }
    c.close().await.unwrap();
    out
}

#[tokio::test]
async fn r20_both_migration_sets_define_the_same_tables_columns_and_constraints() {
    if pg_skipped("r20_both_migration_sets_define_the_same_tables_columns_and_constraints") {
        return;
    }
    let (lite, pg) = (TestDb::new(Backend::Sqlite).await, TestDb::new(Backend::Postgres).await);
    let (a, b) = (sqlite_schema(&lite.url).await, postgres_schema(&pg.url).await);
    lite.finish().await;
    pg.finish().await;
    assert!(
        a.iter().any(|l| l == "table pupil_needs") && a.iter().any(|l| l.starts_with("foreign key")),
        "the introspection reads something: {a:?}"
    );
    let only_sqlite: Vec<&String> = a.difference(&b).collect();
    let only_postgres: Vec<&String> = b.difference(&a).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations differ.\nOnly in SQLite:\n  {}\nOnly in PostgreSQL:\n  {}",
        only_sqlite.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        only_postgres.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
    );
}

/// Every PostgreSQL column that is not TEXT or BIGINT, with its type: dates, instants
/// and JSON documents (migration 0006). The Any driver carries only integers, reals,
/// text and bytes, so queries bind and read these through the store's dialect.
const TYPED: &[(&str, &str)] = &[
    ("adjustments.body", "jsonb"),
    ("adjustments.updated_at", "timestamptz"),
    ("assessments.assessed_on", "date"),
    ("assessments.recorded_at", "timestamptz"),
    ("audit_entries.at", "timestamptz"),
    ("concerns.body", "jsonb"),
    ("concerns.raised_on", "date"),
    ("concerns.updated_at", "timestamptz"),
    ("contributions.body", "jsonb"),
    ("contributions.recorded_at", "timestamptz"),
    ("costing_settings.body", "jsonb"),
    ("costing_settings.updated_at", "timestamptz"),
    ("ctf_exports.created_at", "timestamptz"),
    ("cycles.carried", "jsonb"),
    ("cycles.closed_on", "date"),
    ("cycles.opened_on", "date"),
    ("cycles.updated_at", "timestamptz"),
    ("ehc_requests.body", "jsonb"),
    ("ehc_requests.created_at", "timestamptz"),
    ("ehc_requests.requested_on", "date"),
    ("ehc_requests.updated_at", "timestamptz"),
    ("history.body", "jsonb"),
    ("history.changed_at", "timestamptz"),
    ("impact_measures.body", "jsonb"),
    ("impact_measures.updated_at", "timestamptz"),
    ("info_reports.body", "jsonb"),
    ("info_reports.published", "jsonb"),
    ("info_reports.published_on", "date"),
    ("info_reports.reviewed_on", "date"),
    ("info_reports.updated_at", "timestamptz"),
    ("letter_templates.body", "jsonb"),
    ("letter_templates.updated_at", "timestamptz"),
    ("local_offer_services.body", "jsonb"),
    ("local_offer_services.updated_at", "timestamptz"),
    ("meetings.body", "jsonb"),
    ("meetings.created_at", "timestamptz"),
    ("meetings.meeting_on", "date"),
    ("meetings.updated_at", "timestamptz"),
    ("needs.body", "jsonb"),
    ("needs.updated_at", "timestamptz"),
    ("outbox.created_at", "timestamptz"),
    ("outbox.due_on", "date"),
    ("outbox.next_attempt_at", "timestamptz"),
    ("outbox.reminder", "jsonb"),
    ("outbox.sent_at", "timestamptz"),
    ("parents_told.body", "jsonb"),
    ("parents_told.updated_at", "timestamptz"),
    ("passport_photos.added_at", "timestamptz"),
    ("passport_photos.bytes", "bytea"),
    ("passports.body", "jsonb"),
    ("passports.updated_at", "timestamptz"),
    ("password_resets.created_at", "timestamptz"),
    ("password_resets.expires_at", "timestamptz"),
    ("password_resets.used_at", "timestamptz"),
    ("plans.body", "jsonb"),
    ("plans.review_date", "date"),
    ("plans.updated_at", "timestamptz"),
    ("portal_requests.requested_at", "timestamptz"),
    ("portal_requests.steps", "jsonb"),
    ("portal_requests.updated_at", "timestamptz"),
    ("portal_shares.body", "jsonb"),
    ("portal_shares.updated_at", "timestamptz"),
    ("portal_views.given_at", "timestamptz"),
    ("progress_decisions.body", "jsonb"),
    ("progress_decisions.decided_at", "timestamptz"),
    ("pupils.body", "jsonb"),
    ("pupils.left_on", "date"),
    ("pupils.updated_at", "timestamptz"),
    ("referral_reports.added_at", "timestamptz"),
    ("referral_reports.bytes", "bytea"),
    ("referrals.body", "jsonb"),
    ("referrals.created_at", "timestamptz"),
    ("referrals.updated_at", "timestamptz"),
    ("relationships.expires_on", "date"),
    ("relationships.granted_at", "timestamptz"),
    ("relationships.starts_on", "date"),
    ("relationships.withdrawn_at", "timestamptz"),
    ("reviews.body", "jsonb"),
    ("reviews.held_on", "date"),
    ("reviews.updated_at", "timestamptz"),
    ("schema_migrations.applied_at", "timestamptz"),
    ("schools.contacts", "jsonb"),
    ("schools.progress", "jsonb"),
    ("schools.referrals", "jsonb"),
    ("schools.senco", "jsonb"),
    ("schools.updated_at", "timestamptz"),
    ("session_logs.body", "jsonb"),
    ("session_logs.recorded_at", "timestamptz"),
    ("session_logs.session_date", "date"),
    ("sessions.created_at", "timestamptz"),
    ("sessions.ended_at", "timestamptz"),
    ("sessions.last_seen_at", "timestamptz"),
    ("status_periods.end_date", "date"),
    ("status_periods.recorded_at", "timestamptz"),
    ("status_periods.start_date", "date"),
    ("two_year_checks.body", "jsonb"),
    ("two_year_checks.recorded_at", "timestamptz"),
    ("users.created_at", "timestamptz"),
    ("users.locked_until", "timestamptz"),
    ("users.reminders", "jsonb"),
];

/// Columns whose name says they hold a date (`*_on`, `*_date`), an instant (`at`,
/// `*_at`) or a JSON document (`body`, `carried`), so a new one cannot stay TEXT unnoticed.
fn named_typed(column: &str) -> bool {
    column == "at" || column == "body" || column == "carried" || ["_at", "_on", "_date"].iter().any(|s| column.ends_with(s))
}

/// Each PostgreSQL column as `table.column type`, the type as `TYPED` names it.
async fn postgres_types(url: &str) -> BTreeSet<String> {
    sqlx::any::install_default_drivers();
    let mut c = AnyConnection::connect(url).await.unwrap();
    let cols: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    c.close().await.unwrap();
    cols.into_iter()
        .map(|(t, col, ty)| {
            let ty = match ty.as_str() {
                "timestamp with time zone" => "timestamptz".to_owned(),
                other => other.to_owned(),
            };
            format!("{t}.{col} {ty}")
        })
        .collect()
}

#[tokio::test]
async fn postgres_columns_are_dates_instants_and_json_where_they_hold_them() {
    if pg_skipped("postgres_columns_are_dates_instants_and_json_where_they_hold_them") {
        return;
    }
    let pg = TestDb::new(Backend::Postgres).await;
    let actual = postgres_types(&pg.url).await;
    pg.finish().await;
    let want: BTreeSet<String> = TYPED.iter().map(|(c, t)| format!("{c} {t}")).collect();
    // Every column TYPED names has its type, and no other column has a type beyond
    // text and bigint.
    let typed_actual: BTreeSet<String> = actual.iter().filter(|l| !l.ends_with(" text") && !l.ends_with(" bigint")).cloned().collect();
    let missing: Vec<&String> = want.difference(&typed_actual).collect();
    let unexpected: Vec<&String> = typed_actual.difference(&want).collect();
    // A column named like a date, instant or document that is still TEXT.
    let untyped: Vec<&String> =
        actual.iter().filter(|l| l.ends_with(" text") && named_typed(l.split_once(' ').unwrap().0.split_once('.').unwrap().1)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty() && untyped.is_empty(),
        "PostgreSQL column types differ from the intended ones.\nMissing or of another type:\n  {}\nNot expected:\n  {}\nNamed like a date, instant or document but TEXT:\n  {}",
        missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        unexpected.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        untyped.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
    );
}

#[test]
fn column_kinds_match_across_the_two_databases() {
    for (sqlite, postgres) in
        [("INTEGER", "bigint"), ("TEXT", "text"), ("TEXT", "date"), ("TEXT", "timestamp with time zone"), ("TEXT", "jsonb")]
    {
        assert_eq!(kind(sqlite), kind(postgres), "{sqlite} ~ {postgres}");
    }
    assert_ne!(kind("INTEGER"), kind("text"));
    assert_eq!(kind("BLOB"), "bytes");
    assert_eq!(kind("REAL"), "real");
}
