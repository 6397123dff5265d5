//! Rows read inside a transaction by operations on more than one table: a plan by id
//! or by cycle, a pupil's date of birth, and plans with their pupil for the costing
//! rules. The operation modules (`cycles`, `plans`, `pupils`, `reviews`,
//! `costing_settings`, `costing_reports`) use these instead of each other, so the
//! store's modules form layers without import loops.

use chrono::NaiveDate;
use senplan_core::costing::PupilPlan;
use senplan_core::ids::{CycleId, PlanId, PupilId, SchoolId};
use senplan_core::need::Need;
use senplan_core::pupil::PupilDetails;
use senplan_core::record::Plan;
use sqlx::AnyPool;

use crate::access::Scope;
use crate::history::Entity;
use crate::rows::{json, opt_date, ymd};
use crate::{Backend, Result, StoreError, Tx};

type PlanRow = (i64, i64, i64, i64, String, String);

fn plan(row: PlanRow, updated_by: String) -> Result<Plan> {
    let (id, cycle_id, pupil_id, version, updated_at, body) = row;
    Ok(Plan {
        id: PlanId(id),
        cycle_id: CycleId(cycle_id),
        pupil_id: PupilId(pupil_id),
        version,
        updated_at,
        updated_by,
        content: json("plan", &body)?,
    })
}

async fn last_author(tx: &mut Tx<'_>, school: SchoolId, entity: Entity, id: i64) -> Result<String> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT changed_by FROM history WHERE school_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY version DESC LIMIT 1",
    )
    .bind(school.0)
    .bind(entity.as_str())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.0).unwrap_or_default())
}

pub(crate) async fn plan_for_cycle(tx: &mut Tx<'_>, school: SchoolId, cycle: CycleId) -> Result<Option<Plan>> {
    let row: Option<PlanRow> = sqlx::query_as(
        tx.backend
            .sql("SELECT id, cycle_id, pupil_id, version, iso(updated_at), body::text FROM plans WHERE school_id = $1 AND cycle_id = $2"),
    )
    .bind(school.0)
    .bind(cycle.0)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(row) => {
            let by = last_author(tx, school, Entity::Plan, row.0).await?;
            Ok(Some(plan(row, by)?))
        }
        None => Ok(None),
    }
}

pub(crate) async fn load_plan(tx: &mut Tx<'_>, school: SchoolId, id: PlanId) -> Result<Plan> {
    let row: Option<PlanRow> = sqlx::query_as(
        tx.backend.sql("SELECT id, cycle_id, pupil_id, version, iso(updated_at), body::text FROM plans WHERE school_id = $1 AND id = $2"),
    )
    .bind(school.0)
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    let row = row.ok_or(StoreError::NotFound { what: "plan" })?;
    let by = last_author(tx, school, Entity::Plan, row.0).await?;
    plan(row, by)
}

/// The pupil's date of birth, for the rules that depend on age.
pub(crate) async fn date_of_birth(tx: &mut Tx<'_>, school: SchoolId, id: PupilId) -> Result<NaiveDate> {
    let row: Option<(String,)> = sqlx::query_as(tx.backend.sql("SELECT body::text FROM pupils WHERE school_id = $1 AND id = $2"))
        .bind(school.0)
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
    let details: PupilDetails = json("pupil", &row.ok_or(StoreError::NotFound { what: "pupil" })?.0)?;
    Ok(details.date_of_birth)
}

type PupilPlanRow = (i64, String, String, String, Option<String>, i64, String, Option<String>);

/// A school's plans with their pupil, for the pupils within a scope (`$1`–`$4`, see
/// `visible_pupil_sql!`): `$5` is the first day a cycle must still have been open on,
/// or NULL for the open cycles only.
const PLANS: &str = concat!(
    "SELECT p.id, p.given_name, p.family_name, p.year_group, n.body::text, pl.id, pl.body::text, c.closed_on::text \
    FROM plans pl JOIN cycles c ON c.id = pl.cycle_id JOIN pupils p ON p.id = pl.pupil_id \
    LEFT JOIN needs n ON n.pupil_id = p.id \
    WHERE ",
    crate::visible_pupil_sql!(),
    " AND pl.school_id = $1 AND c.school_id = $1 \
    AND (c.closed_on IS NULL OR ($5::date IS NOT NULL AND c.closed_on >= $5::date)) \
    ORDER BY p.family_name, p.given_name, p.id, c.number"
);

/// The plans within the scope (`$1`–`$4`) whose support is in place: their cycle is at
/// the do or review stage, so sessions of their provision are being delivered.
const DELIVERING: &str = concat!(
    "SELECT p.id, p.given_name, p.family_name, p.year_group, n.body::text, pl.id, pl.body::text, c.closed_on::text \
    FROM plans pl JOIN cycles c ON c.id = pl.cycle_id JOIN pupils p ON p.id = pl.pupil_id \
    LEFT JOIN needs n ON n.pupil_id = p.id \
    WHERE ",
    crate::visible_pupil_sql!(),
    " AND pl.school_id = $1 AND c.school_id = $1 AND c.stage IN ('do', 'review') \
    ORDER BY p.family_name, p.given_name, p.id"
);

/// The plans within the scope whose support is in place (do or review).
pub(crate) async fn load_plans_in_delivery(pool: &AnyPool, backend: Backend, scope: &Scope) -> Result<Vec<PupilPlan>> {
    let rows: Vec<PupilPlanRow> = crate::access::bind_scope(sqlx::query_as(backend.sql(DELIVERING)), scope).fetch_all(pool).await?;
    rows.into_iter().map(pupil_plan).collect()
}

fn pupil_plan(row: PupilPlanRow) -> Result<PupilPlan> {
    let (pupil_id, given, family, year_group, needs, plan_id, body, closed_on) = row;
    let needs: Vec<Need> = needs.as_deref().map(|n| json("needs", n)).transpose()?.unwrap_or_default();
    Ok(PupilPlan {
        pupil_id,
        name: format!("{given} {family}"),
        year_group,
        area: needs.iter().min_by_key(|n| n.rank).map(|n| n.area),
        plan_id,
        closed_on: opt_date("cycle", closed_on.as_deref())?,
        content: json("plan", &body)?,
    })
}

/// The plans within the scope whose cycle is open, or (with `since`) was still open on or
/// after that day.
pub(crate) async fn load_plans(pool: &AnyPool, backend: Backend, scope: &Scope, since: Option<NaiveDate>) -> Result<Vec<PupilPlan>> {
    let rows: Vec<PupilPlanRow> =
        crate::access::bind_scope(sqlx::query_as(backend.sql(PLANS)), scope).bind(since.map(ymd)).fetch_all(pool).await?;
    rows.into_iter().map(pupil_plan).collect()
}

/// Every plan of a school whose cycle is open, or (with `since`) was still open on or
/// after that day, for figures that name no pupil.
pub(crate) async fn load_plans_of_school(
    pool: &AnyPool,
    backend: Backend,
    school: SchoolId,
    since: Option<NaiveDate>,
) -> Result<Vec<PupilPlan>> {
    let rows: Vec<PupilPlanRow> = sqlx::query_as(backend.sql(PLANS))
        .bind(school.0)
        .bind(1_i64)
        .bind(0_i64)
        .bind(None::<String>)
        .bind(since.map(ymd))
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(pupil_plan).collect()
}
