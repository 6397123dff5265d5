//! Impact (R29): entry and exit measures of a plan's pupil in one of its provisions,
//! one versioned record per plan provision (the exit measure is added later, with a
//! version check; every version goes to history). The report falls back on the
//! review's five-point progress rating where a record has none of its own.

use senplan_core::Invalid;
use senplan_core::costing::{ImpactInput, ImpactMeasure, ImpactRecord};
use senplan_core::ids::PlanId;
use senplan_core::review::ReviewContent;
use sqlx::AnyPool;

use crate::access::Scope;
use crate::costing_settings::load_costing;
use crate::history::{Entity, append};
use crate::rows::{json, to_json};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Backend, Ctx, Result, Store, StoreError};

/// id, plan, provision number, version, updated at, body, author of the version.
type Row = (i64, i64, i64, i64, String, String, Option<String>);

fn measure(row: Row) -> Result<ImpactMeasure> {
    let (id, plan_id, number, version, updated_at, body, updated_by) = row;
    let updated_by = updated_by.unwrap_or_default();
    Ok(ImpactMeasure {
        id,
        plan_id,
        provision_number: u32::try_from(number).map_err(|e| StoreError::corrupt("impact measure", e))?,
        version,
        updated_at,
        updated_by,
        record: json("impact measure", &body)?,
    })
}

/// The columns of an impact measure and the author of its current version.
macro_rules! select {
    () => {
        concat!("SELECT m.id, m.plan_id, m.provision_number, m.version, iso(m.updated_at), m.body::text, \
    (SELECT h.changed_by FROM history h WHERE h.school_id = m.school_id AND h.entity = 'impact' AND h.entity_id = m.id AND h.version = m.version) \
    FROM impact_measures m JOIN pupils p ON p.id = m.pupil_id WHERE ", $crate::visible_pupil_sql!(), " AND m.school_id = $1")
    };
}

/// Every record of the pupils within the scope, each with its review's rating when it has none.
pub(crate) async fn records_with_review_progress(pool: &AnyPool, backend: Backend, scope: &Scope) -> Result<Vec<ImpactRecord>> {
    let rows: Vec<(String, Option<String>)> = crate::access::bind_scope(
        sqlx::query_as(backend.sql(concat!(
            "SELECT m.body::text, r.body::text FROM impact_measures m JOIN plans pl ON pl.id = m.plan_id JOIN pupils p ON p.id = m.pupil_id \
         LEFT JOIN reviews r ON r.cycle_id = pl.cycle_id AND r.school_id = m.school_id \
         WHERE ",
            crate::visible_pupil_sql!(),
            " AND m.school_id = $1 ORDER BY m.id"
        ))),
        scope,
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(body, review)| {
            let mut r: ImpactRecord = json("impact measure", &body)?;
            if r.progress.is_none() {
                r.progress = review.as_deref().map(|b| json::<ReviewContent>("review", b)).transpose()?.map(|rv| rv.progress);
            }
            Ok(r)
        })
        .collect()
}

impl Store {
    async fn impact_record(&self, scope: &Scope, plan: PlanId, number: u32, input: ImpactInput) -> Result<ImpactRecord> {
        let school = scope.school();
        let p = self.plan(scope, plan).await?;
        let provision = p.content.provision.iter().find(|x| x.number == number).ok_or(StoreError::NotFound { what: "provision" })?;
        let Some(kind) = provision.provision_type.clone().or(input.provision_type) else {
            return Err(Invalid::one(
                "provision_type",
                "required",
                "Choose the kind of provision, so its impact can be compared with others of its kind",
            )
            .into());
        };
        let mut tx = self.read().await?;
        let library = load_costing(&mut tx, school).await?.costing.library();
        tx.commit().await?;
        let record = ImpactRecord {
            pupil: p.pupil_id.0,
            provision_type: kind,
            unit: input.unit,
            entry: input.entry,
            exit: input.exit,
            progress: input.progress,
        };
        Ok(record.validate(&library)?)
    }

    /// Records the entry (and perhaps exit) measure of the plan's pupil in provision
    /// `number`. One record per plan provision: a second is refused.
    pub async fn record_impact(&self, scope: &Scope, plan: PlanId, number: u32, input: ImpactInput, ctx: &Ctx) -> Result<ImpactMeasure> {
        let school = scope.school();
        let record = self.impact_record(scope, plan, number, input).await?;
        let (_g, mut tx) = self.write().await?;
        let taken: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM impact_measures WHERE school_id = $1 AND plan_id = $2 AND provision_number = $3")
                .bind(school.0)
                .bind(plan.0)
                .bind(i64::from(number))
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((id,)) = taken {
            return Err(Invalid::one(
                "provision_number",
                "already_recorded",
                format!("Measures for this provision are already recorded (record {id}); change that record instead"),
            )
            .into());
        }
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO impact_measures (school_id, plan_id, provision_number, pupil_id, body, version, updated_at) VALUES ($1, $2, $3, $4, $5::jsonb, 1, $6::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(plan.0)
        .bind(i64::from(number))
        .bind(record.pupil)
        .bind(to_json("impact measure", &record)?)
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
        .await?;
        let m = ImpactMeasure {
            id,
            plan_id: plan.0,
            provision_number: number,
            version: 1,
            updated_at: ctx.stamp(),
            updated_by: ctx.by.clone(),
            record,
        };
        append(&mut tx, school, Entity::Impact, id, 1, &m, ctx).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Changes a record (e.g. adds the exit measure) as a new version.
    pub async fn update_impact(&self, scope: &Scope, id: i64, expected: i64, input: ImpactInput, ctx: &Ctx) -> Result<ImpactMeasure> {
        let school = scope.school();
        let current = self.impact_measure(scope, id).await?;
        let record = self.impact_record(scope, PlanId(current.plan_id), current.provision_number, input).await?;
        let (_g, mut tx) = self.write().await?;
        let change = Versioned {
            table: "impact_measures",
            key: Key::Row(id),
            entity: Entity::Impact,
            what: "impact measure",
            school,
            expected,
            set: vec![("body", Value::Json(to_json("impact measure", &record)?))],
        };
        let by = ctx.by.clone();
        let m = versioned_update(&mut tx, change, ctx, |version, updated_at| ImpactMeasure {
            version,
            updated_at,
            updated_by: by,
            record,
            ..current
        })
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// One record, if its pupil is within the scope.
    pub async fn impact_measure(&self, scope: &Scope, id: i64) -> Result<ImpactMeasure> {
        let row: Option<Row> = crate::access::bind_scope(sqlx::query_as(self.backend.sql(concat!(select!(), " AND m.id = $5"))), scope)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        measure(row.ok_or(StoreError::NotFound { what: "impact measure" })?)
    }

    /// Every impact record of the pupils within the scope, oldest first.
    pub async fn impact_measures(&self, scope: &Scope) -> Result<Vec<ImpactMeasure>> {
        self.school(scope.school()).await?;
        let rows: Vec<Row> = crate::access::bind_scope(sqlx::query_as(self.backend.sql(concat!(select!(), " ORDER BY m.id"))), scope)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(measure).collect()
    }
}
