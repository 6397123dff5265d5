//! Test support (feature `testing`): a throwaway database per test on SQLite or
//! PostgreSQL, and synthetic fixtures. Never used by the binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use senplan_core::need::NeedCode;
use senplan_core::plan::{Outcome, PlanContent, Provision};
use senplan_core::pupil::{PupilDetails, YearGroup};
use senplan_core::review::{Checklist, Decision, OutcomeRating, Progress, Rating, ReviewContent};
use senplan_core::school::{SchoolDetails, SettingType};
use senplan_core::upn::Upn;
use sqlx::{AssertSqlSafe, Connection, Executor};

use crate::audit::{AuditConfig, AuditKey};
use crate::{Backend, Ctx, Store};

/// PostgreSQL server used by tests; override with `SENPLAN_TEST_PG`.
pub fn pg_server() -> String {
    std::env::var("SENPLAN_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// Whether the PostgreSQL half of the tests is switched off (`SENPLAN_TEST_PG=skip`);
/// says so on stderr, so a skipped run is never mistaken for a passing one.
pub fn pg_skipped(test: &str) -> bool {
    let skip = std::env::var("SENPLAN_TEST_PG").is_ok_and(|v| v == "skip");
    if skip {
        eprintln!("SKIPPED {test} on PostgreSQL: SENPLAN_TEST_PG=skip");
    }
    skip
}

/// The system acting for a school in a test: sees every pupil of it.
pub fn system(school: senplan_core::ids::SchoolId) -> senplan_core::actor::Actor {
    senplan_core::actor::Actor::system(school, "Ms Rivera (SENCO)", "test", Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())
}

/// The system acting for `by` on `day` (a change dated then).
pub fn system_on(school: senplan_core::ids::SchoolId, by: &str, day: NaiveDate) -> senplan_core::actor::Actor {
    senplan_core::actor::Actor::system(school, by, "test", Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()))
}

/// The pupils a member of staff without sight of the whole school (a teacher) sees on a day.
pub fn related(school: senplan_core::ids::SchoolId, user: senplan_core::ids::UserId, day: NaiveDate) -> crate::Scope {
    let at = Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap());
    senplan_core::actor::Actor::person(user, senplan_core::access::Role::Teacher, school, "Teacher", "test", at).scope()
}

/// Every pupil of a school, for tests that act as the system.
pub fn whole(school: senplan_core::ids::SchoolId) -> crate::Scope {
    system(school).scope()
}

/// A database that exists for one test and is removed afterwards. Its store has the
/// synthetic [`audit_key`] and a checkpoint directory of its own.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    backend: Backend,
    name: String,
    dir: tempfile_dir::TempDir,
}

mod tempfile_dir {
    /// A directory removed on drop (tiny, to avoid a dependency for tests).
    pub struct TempDir(pub std::path::PathBuf);
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The fixed, synthetic audit key of every test database (never a real one).
pub fn audit_key() -> AuditKey {
    AuditKey::from_hex("5e9c1a7d2b4f6e8a0c3d5f7b9e1a2c4d6f8b0a3c5e7d9f1b2d4c6e8a0b3d5f7c").unwrap()
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let db = Self::empty(backend).await;
        db.store.migrate().await.unwrap();
        db
    }

    /// A database with migrations applied up to and including `last` only.
    pub async fn migrated_up_to(backend: Backend, last: &str) -> TestDb {
        let db = Self::empty(backend).await;
        db.store.migrate_up_to(last).await.unwrap();
        db
    }

    async fn empty(backend: Backend) -> TestDb {
        let name = format!("senplan_t_{:016x}", rand::random::<u64>());
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let url = match backend {
            Backend::Sqlite => format!("sqlite:{}", dir.join("senplan.db").display()),
            Backend::Postgres => {
                sqlx::any::install_default_drivers();
                let admin = format!("{}/postgres", pg_server());
                let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is needed for this test and did not answer at {}: {e}. Start it (the README's test \
                         command does), point SENPLAN_TEST_PG at a server (postgres://user@host:port), or set \
                         SENPLAN_TEST_PG=skip to skip the PostgreSQL half of the tests",
                        pg_server()
                    )
                });
                conn.execute(AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.unwrap();
                conn.close().await.unwrap();
                format!("{}/{name}", pg_server())
            }
        };
        let config = AuditConfig { key: audit_key(), checkpoints: Some(dir.join("checkpoints")) };
        std::fs::create_dir_all(dir.join("checkpoints")).unwrap();
        let store = Store::connect(&url).await.unwrap().with_audit(config);
        TestDb { store, url, backend, name, dir: tempfile_dir::TempDir(dir) }
    }

    /// Where this database's audit checkpoints are written.
    pub fn checkpoints(&self) -> std::path::PathBuf {
        self.dir.0.join("checkpoints")
    }

    /// Drops a PostgreSQL database (SQLite files go with the directory).
    pub async fn finish(self) {
        self.store.close().await;
        if self.backend == Backend::Postgres {
            let admin = format!("{}/postgres", pg_server());
            if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                let _ = conn.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))).await;
            }
        }
    }
}

/// Runs a test body once on SQLite and once on PostgreSQL, each on its own database.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($store: &$crate::Store) $body
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::testing::TestDb::new($crate::Backend::Sqlite).await;
                run(&db.store).await;
                db.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                if $crate::testing::pg_skipped(concat!(module_path!(), "::postgres")) {
                    return;
                }
                let db = $crate::testing::TestDb::new($crate::Backend::Postgres).await;
                run(&db.store).await;
                db.finish().await;
            }
        }
    };
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A change made by the synthetic SENCO at a fixed time.
pub fn ctx() -> Ctx {
    Ctx::new("Ms Rivera (SENCO)", Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())
}

pub fn ctx_on(by: &str, day: NaiveDate) -> Ctx {
    Ctx::new(by, Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()))
}

/// The school year 2026–27 in six half terms: 195 school days, exactly the 39 weeks a
/// year that annual costs use (38, 35, 29, 25, 35 and 33 days).
pub fn calendar() -> senplan_core::costing::SchoolCalendar {
    let term = |name: &str, start, end| senplan_core::costing::Term { name: name.into(), start, end };
    senplan_core::costing::SchoolCalendar {
        terms: vec![
            term("Autumn 1", d(2026, 9, 2), d(2026, 10, 23)),
            term("Autumn 2", d(2026, 11, 2), d(2026, 12, 18)),
            term("Spring 1", d(2027, 1, 5), d(2027, 2, 12)),
            term("Spring 2", d(2027, 2, 22), d(2027, 3, 26)),
            term("Summer 1", d(2027, 4, 12), d(2027, 5, 28)),
            term("Summer 2", d(2027, 6, 7), d(2027, 7, 21)),
        ],
        weeks_per_year: 39,
    }
}

pub fn school(urn: &str) -> SchoolDetails {
    SchoolDetails { name: format!("Synthetic Primary {urn}"), urn: urn.into(), laestab: "9192001".into(), setting: SettingType::School }
}

/// A synthetic pupil with a valid UPN built from `serial`.
pub fn pupil(serial: u16) -> PupilDetails {
    PupilDetails {
        upn: Upn::from_parts(919, 2001, 19, serial).unwrap(),
        former_upn: None,
        given_name: "Alex".into(),
        family_name: format!("Testpupil{serial}"),
        preferred_name: None,
        date_of_birth: d(2017, 4, 2),
        year_group: YearGroup::Year(4),
        roll: Default::default(),
    }
}

pub fn outcome(number: u32, description: &str) -> Outcome {
    Outcome {
        number,
        description: description.into(),
        measure: "Words read correctly from the Year 2 list".into(),
        baseline: "12 words".into(),
        target: "40 words".into(),
        target_date: d(2027, 2, 12),
        need: Some(NeedCode::Slcn),
        carried_from: None,
    }
}

pub fn plan() -> PlanContent {
    PlanContent {
        needs_addressed: vec![NeedCode::Slcn],
        outcomes: vec![outcome(1, "Read 40 high-frequency words"), outcome(2, "Retell a short story in order")],
        provision: vec![Provision {
            number: 1,
            what: "Small-group language programme".into(),
            delivered_by: "Mrs Green, teaching assistant".into(),
            minutes_per_session: 30,
            sessions_per_week: 2,
            group_size: 4,
            start: d(2026, 11, 2),
            end: None,
            outcomes: vec![1, 2],
            staff_role: None,
            provision_type: None,
            other_cost: None,
        }],
        strategies: vec!["Give instructions in short chunks".into()],
        responsible: "Mr Ahmed, class teacher".into(),
        review_date: d(2027, 2, 12),
        parent_views: "He loves stories at bedtime".into(),
        child_views: "I like working with Mrs Green".into(),
    }
}

/// A review meeting 2 met, 1 not met (or every outcome as `rating`).
pub fn review(held_on: NaiveDate, ratings: &[(u32, Rating)], decision: Decision) -> ReviewContent {
    ReviewContent {
        held_on,
        ratings: ratings
            .iter()
            .map(|(o, r)| OutcomeRating { outcome: *o, rating: *r, evidence: format!("Evidence for outcome {o}") })
            .collect(),
        progress: Progress::new(1).unwrap(),
        checklist: Checklist {
            all_needs_identified: true,
            help_in_place_for_all_needs: true,
            outcomes_agreed_specific_measurable: true,
            progress_towards_outcomes: "Reading has improved".into(),
            difference_help_is_making: "More confident reading aloud".into(),
        },
        parent_views: "Pleased with reading".into(),
        child_views: "Reading is easier".into(),
        decision,
        decision_reason: String::new(),
    }
}

impl Store {
    /// For benchmarks: the raw database inserting `rows` (UPN, family name, given name,
    /// year group) as pupils of `school` with plain INSERTs in one transaction, and
    /// nothing else (no history, audit, statuses or needs). Returns the rows written.
    pub async fn raw_insert_pupils(&self, school: senplan_core::ids::SchoolId, rows: &[(String, String, String, String)]) -> crate::Result<u64> {
        let (_g, mut tx) = self.write().await?;
        let stamp = ctx().stamp();
        for (upn, family, given, year) in rows {
            sqlx::query(tx.backend.sql(
                "INSERT INTO pupils (school_id, upn, family_name, given_name, year_group, body, version, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6::jsonb, 1, $7::timestamptz)",
            ))
            .bind(school.0)
            .bind(upn)
            .bind(family)
            .bind(given)
            .bind(year)
            .bind("{}")
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}
