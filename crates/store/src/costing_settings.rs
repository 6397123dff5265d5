//! A school's costing settings (R15–R17): staff roles and hourly costs, other costs,
//! the calendar, dated Element 2 thresholds, notional SEN budgets and the school's
//! own provision types. One versioned record per school: every save is checked by
//! core and written whole to history; bad settings change nothing.

use senplan_core::costing::{CostingRecord, SchoolCosting};
use senplan_core::ids::SchoolId;

use crate::history::{Entity, append};
use crate::rows::{json, to_json};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Ctx, Result, Store, Tx};

async fn last_author(tx: &mut Tx<'_>, school: SchoolId) -> Result<String> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT changed_by FROM history WHERE school_id = $1 AND entity = $2 AND entity_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(school.0)
    .bind(Entity::CostingSettings.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.0).unwrap_or_default())
}

pub(crate) async fn load_costing(tx: &mut Tx<'_>, school: SchoolId) -> Result<CostingRecord> {
    let row: Option<(String, i64, String)> =
        sqlx::query_as(tx.backend.sql("SELECT body::text, version, iso(updated_at) FROM costing_settings WHERE school_id = $1"))
            .bind(school.0)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match row {
        Some((body, version, updated_at)) => {
            let updated_by = last_author(tx, school).await?;
            CostingRecord { school_id: school, version, updated_at, updated_by, costing: json("costing settings", &body)? }
        }
        None => CostingRecord {
            school_id: school,
            version: 0,
            updated_at: String::new(),
            updated_by: String::new(),
            costing: SchoolCosting::empty(),
        },
    })
}

/// The school's costing if it has saved any; a clear error if not.
pub(crate) async fn require_costing(tx: &mut Tx<'_>, school: SchoolId) -> Result<SchoolCosting> {
    let c = load_costing(tx, school).await?;
    if c.version == 0 {
        return Err(senplan_core::Invalid::one(
            "costing_settings",
            "costing_not_set_up",
            "Set up the school's staff roles and calendar in the costing settings first",
        )
        .into());
    }
    Ok(c.costing)
}

impl Store {
    /// The school's costing settings; version 0 (and nothing set up) until first saved.
    pub async fn costing_settings(&self, school: SchoolId) -> Result<CostingRecord> {
        self.school(school).await?;
        let mut tx = self.read().await?;
        let c = load_costing(&mut tx, school).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Saves the costing settings whole, as a new version. `expected` is the version
    /// read (0 for the first save). Refused, changing nothing, if core finds a fault
    /// or if the plans of the school's open cycles name a staff role, provision type or
    /// other cost the new settings no longer have.
    pub async fn save_costing_settings(&self, school: SchoolId, expected: i64, costing: SchoolCosting, ctx: &Ctx) -> Result<CostingRecord> {
        self.school(school).await?;
        let costing = costing.validate()?;
        for plan in crate::reads::load_plans_of_school(self.pool(), self.backend, school, None).await? {
            senplan_core::costing::check_plan_keys(&plan.content, &costing).map_err(|e| {
                let first = e.errors.first().map(|f| f.message.clone()).unwrap_or_default();
                senplan_core::Invalid::one(
                    "settings",
                    "still_in_use",
                    format!("The plan of {} still uses this: {first}. Change the plan first.", plan.name),
                )
            })?;
        }
        let body = to_json("costing settings", &costing)?;
        let (_g, mut tx) = self.write().await?;
        if expected == 0 {
            let exists: Option<(i64,)> =
                sqlx::query_as("SELECT version FROM costing_settings WHERE school_id = $1").bind(school.0).fetch_optional(&mut *tx).await?;
            if let Some((current,)) = exists {
                return Err(crate::history::conflict(
                    &mut tx,
                    school,
                    Entity::CostingSettings,
                    school.0,
                    "costing settings",
                    expected,
                    Some(current),
                )
                .await);
            }
            sqlx::query(
                tx.backend
                    .sql("INSERT INTO costing_settings (school_id, body, version, updated_at) VALUES ($1, $2::jsonb, 1, $3::timestamptz)"),
            )
            .bind(school.0)
            .bind(&body)
            .bind(ctx.stamp())
            .execute(&mut *tx)
            .await?;
            let record = CostingRecord { school_id: school, version: 1, updated_at: ctx.stamp(), updated_by: ctx.by.clone(), costing };
            append(&mut tx, school, Entity::CostingSettings, school.0, 1, &record, ctx).await?;
            tx.commit().await?;
            return Ok(record);
        }
        let change = Versioned {
            table: "costing_settings",
            key: Key::Settings,
            entity: Entity::CostingSettings,
            what: "costing settings",
            school,
            expected,
            set: vec![("body", Value::Json(body))],
        };
        let by = ctx.by.clone();
        let record = versioned_update(&mut tx, change, ctx, |version, updated_at| CostingRecord {
            school_id: school,
            version,
            updated_at,
            updated_by: by,
            costing,
        })
        .await?;
        tx.commit().await?;
        Ok(record)
    }
}

impl crate::Work<'_> {
    /// The school's costing settings, read within this unit of work.
    pub async fn costing_settings(&mut self, scope: &crate::Scope) -> Result<CostingRecord> {
        load_costing(&mut self.tx, scope.school()).await
    }
}
