//! The school's SEN information report (R23): one row per school holding the report as
//! last saved (versioned, every version kept in history) and the version the public
//! page shows. The rules are in `senplan_core::info_report`, the use cases in
//! `app::info_report`.

use chrono::NaiveDate;
use senplan_core::ids::SchoolId;
use senplan_core::info_report::InfoReport;
use senplan_core::need::BroadArea;
use serde::{Deserialize, Serialize};

use crate::history::{Entity, append, conflict};
use crate::rows::{json, opt_date, to_json, ymd};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Ctx, Result, Store};

/// The report as the school last saved it, and what is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoReportRecord {
    pub report: InfoReport,
    pub version: i64,
    pub updated_at: String,
    pub published: Option<Published>,
}

/// The report the public page shows: the version published and the day it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub report: InfoReport,
    pub version: i64,
    pub published_on: NaiveDate,
}

type Row = (String, i64, String, Option<String>, Option<i64>, Option<String>);

fn record(row: Row) -> Result<InfoReportRecord> {
    let (body, version, updated_at, published, published_version, published_on) = row;
    let published = match (published, published_version, opt_date("information report", published_on.as_deref())?) {
        (Some(p), Some(v), Some(on)) => Some(Published { report: json("information report", &p)?, version: v, published_on: on }),
        _ => None,
    };
    Ok(InfoReportRecord { report: json("information report", &body)?, version, updated_at, published })
}

/// Pupils with SEN by the broad area of their primary need: SEN support (K) and EHC
/// plans (E), on roll; pupils without a recorded need are counted under `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SenByArea {
    pub support: Vec<(Option<BroadArea>, usize)>,
    pub ehc_plans: usize,
    pub on_roll: usize,
}

impl Store {
    /// The school's report, if one was ever saved.
    pub async fn info_report(&self, school: SchoolId) -> Result<Option<InfoReportRecord>> {
        let row: Option<Row> = sqlx::query_as(self.backend.sql(
            "SELECT body::text, version, iso(updated_at), published::text, published_version, published_on::text \
             FROM info_reports WHERE school_id = $1",
        ))
        .bind(school.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(record).transpose()
    }

    /// Saves the report (checked) as a new version based on `expected` (0 for the
    /// first); with `publish_on`, the same text becomes the published one that day. A
    /// stale version is refused as a conflict, changing nothing.
    pub async fn save_info_report(
        &self,
        school: SchoolId,
        expected: i64,
        report: InfoReport,
        publish_on: Option<NaiveDate>,
        ctx: &Ctx,
    ) -> Result<InfoReportRecord> {
        let body = to_json("information report", &report)?;
        let (_g, mut tx) = self.write().await?;
        let existing: Option<(i64,)> =
            sqlx::query_as("SELECT version FROM info_reports WHERE school_id = $1").bind(school.0).fetch_optional(&mut *tx).await?;
        let saved = match existing {
            None if expected == 0 => {
                let stamp = ctx.stamp();
                sqlx::query(tx.backend.sql(
                    "INSERT INTO info_reports (school_id, body, version, updated_at) VALUES ($1, $2::jsonb, 1, $3::timestamptz)",
                ))
                .bind(school.0)
                .bind(&body)
                .bind(&stamp)
                .execute(&mut *tx)
                .await?;
                let saved = InfoReportRecord { report: report.clone(), version: 1, updated_at: stamp, published: None };
                append(&mut tx, school, Entity::InfoReport, school.0, 1, &saved.report, ctx).await?;
                saved
            }
            Some((current,)) if expected == 0 => {
                return Err(conflict(&mut tx, school, Entity::InfoReport, school.0, "information report", expected, Some(current)).await);
            }
            None => return Err(crate::StoreError::NotFound { what: "information report" }),
            Some(_) => {
                let change = Versioned {
                    table: "info_reports",
                    key: Key::Settings,
                    entity: Entity::InfoReport,
                    what: "information report",
                    school,
                    expected,
                    set: vec![("body", Value::Json(body.clone()))],
                };
                let (version, updated_at) = versioned_update(&mut tx, change, ctx, |v, at| (v, at)).await?;
                InfoReportRecord { report: report.clone(), version, updated_at, published: None }
            }
        };
        if let Some(on) = publish_on {
            sqlx::query(tx.backend.sql(
                "UPDATE info_reports SET published = $1::jsonb, published_version = $2, published_on = $3::date, reviewed_on = $4::date \
                 WHERE school_id = $5",
            ))
            .bind(&body)
            .bind(saved.version)
            .bind(ymd(on))
            .bind(ymd(report.reviewed_on))
            .bind(school.0)
            .execute(&mut *tx)
            .await?;
            let ev = crate::audit::Event { school: Some(school), action: "publish", entity: "info_report", entity_id: Some(school.0), pupil: None };
            crate::audit::append(&mut tx, &ev, ctx).await?;
        }
        let row: Row = sqlx::query_as(tx.backend.sql(
            "SELECT body::text, version, iso(updated_at), published::text, published_version, published_on::text \
             FROM info_reports WHERE school_id = $1",
        ))
        .bind(school.0)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        record(row)
    }

    /// The day the published report was last reviewed, if one is published (for the
    /// compliance dashboard).
    pub async fn info_report_reviewed_on(&self, school: SchoolId) -> Result<Option<NaiveDate>> {
        let row: Option<(Option<String>,)> = sqlx::query_as(self.backend.sql("SELECT reviewed_on::text FROM info_reports WHERE school_id = $1"))
            .bind(school.0)
            .fetch_optional(self.pool())
            .await?;
        opt_date("information report", row.and_then(|r| r.0).as_deref())
    }

    /// Counts of pupils on roll with SEN by the broad area of their primary need, for the
    /// public report: no names, no pupil rows leave the database.
    pub async fn sen_by_area(&self, school: SchoolId) -> Result<SenByArea> {
        let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
            "SELECT s.status, n.area, COUNT(*) FROM pupils p \
             JOIN status_periods s ON s.pupil_id = p.id AND s.school_id = p.school_id AND s.end_date IS NULL \
             LEFT JOIN pupil_needs n ON n.pupil_id = p.id AND n.school_id = p.school_id AND n.rank = 1 \
             WHERE p.school_id = $1 AND p.left_on IS NULL AND s.status IN ('K', 'E') GROUP BY s.status, n.area",
        )
        .bind(school.0)
        .fetch_all(self.pool())
        .await?;
        let (on_roll,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pupils WHERE school_id = $1 AND left_on IS NULL")
            .bind(school.0)
            .fetch_one(self.pool())
            .await?;
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        let mut out = SenByArea { on_roll: count(on_roll), ..SenByArea::default() };
        let mut areas: Vec<Option<BroadArea>> = BroadArea::ALL.into_iter().map(Some).collect();
        areas.push(None);
        for area in areas {
            let n = rows.iter().filter(|(st, a, _)| st == "K" && a.as_deref().and_then(BroadArea::parse) == area).map(|r| count(r.2)).sum();
            out.support.push((area, n));
        }
        out.ehc_plans = rows.iter().filter(|r| r.0 == "E").map(|r| count(r.2)).sum();
        Ok(out)
    }
}
