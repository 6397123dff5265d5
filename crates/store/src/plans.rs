//! SEN support plans (R07): one per cycle, drafted at the assess stage, changed with a
//! version check at the plan and do stages, every version kept.

use senplan_core::ids::{CycleId, PlanId, PupilId};
use senplan_core::plan::PlanContent;
use senplan_core::record::{Cycle, Plan};

use crate::access::{Scope, check_pupil};
use crate::cycles::load_cycle;
use crate::history::{Entity, append};
use crate::reads::{load_plan, plan_for_cycle};
use crate::rows::{to_json, ymd};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Result, Store, Work};

impl Store {
    pub async fn plan(&self, scope: &Scope, id: PlanId) -> Result<Plan> {
        let school = scope.school();
        let mut tx = self.read().await?;
        let p = load_plan(&mut tx, school, id).await?;
        check_pupil(tx.backend, &mut *tx, scope, p.pupil_id, "plan").await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The plan of a cycle, if one has been written.
    pub async fn cycle_plan(&self, scope: &Scope, cycle: CycleId) -> Result<Option<Plan>> {
        let school = scope.school();
        let mut tx = self.read().await?;
        let c = load_cycle(&mut tx, school, cycle).await?;
        check_pupil(tx.backend, &mut *tx, scope, c.pupil_id, "cycle").await?;
        let p = plan_for_cycle(&mut tx, school, cycle).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Every plan of a pupil, newest cycle first.
    pub async fn pupil_plans(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<Plan>> {
        let school = scope.school();
        self.pupil(scope, pupil).await?;
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT p.id FROM plans p JOIN cycles c ON c.id = p.cycle_id WHERE p.school_id = $1 AND p.pupil_id = $2 ORDER BY c.number DESC",
        )
        .bind(school.0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        let mut plans = Vec::with_capacity(rows.len());
        for (id,) in rows {
            plans.push(self.plan(scope, PlanId(id)).await?);
        }
        Ok(plans)
    }
}

impl Work<'_> {
    /// A plan to change, within the scope.
    pub async fn plan(&mut self, scope: &Scope, id: PlanId) -> Result<Plan> {
        let p = load_plan(&mut self.tx, scope.school(), id).await?;
        check_pupil(self.tx.backend, &mut *self.tx, scope, p.pupil_id, "plan").await?;
        Ok(p)
    }

    /// Stores the first version of a cycle's plan (content already checked:
    /// [`PlanContent::validate`] and the school's costing keys).
    pub async fn add_plan(&mut self, scope: &Scope, cycle: &Cycle, content: PlanContent) -> Result<Plan> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, cycle.pupil_id, "cycle").await?;
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO plans (school_id, cycle_id, pupil_id, review_date, body, version, updated_at) VALUES ($1, $2, $3, $4::date, $5::jsonb, 1, $6::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(cycle.id.0)
        .bind(cycle.pupil_id.0)
        .bind(ymd(content.review_date))
        .bind(to_json("plan", &content)?)
        .bind(self.ctx.stamp())
        .fetch_one(&mut *self.tx)
        .await?;
        let p = Plan {
            id: PlanId(id),
            cycle_id: cycle.id,
            pupil_id: cycle.pupil_id,
            version: 1,
            updated_at: self.ctx.stamp(),
            updated_by: self.ctx.by.clone(),
            content,
        };
        append(&mut self.tx, school, Entity::Plan, id, 1, &p, &self.ctx).await?;
        Ok(p)
    }

    /// Saves `content` as the next version of `current`, refused if `expected` is not
    /// the version stored (content already checked, as for [`Work::add_plan`]).
    pub async fn save_plan(&mut self, scope: &Scope, current: Plan, expected: i64, content: PlanContent) -> Result<Plan> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, current.pupil_id, "plan").await?;
        let change = Versioned {
            table: "plans",
            entity: Entity::Plan,
            what: "plan",
            school,
            key: Key::Row(current.id.0),
            expected,
            set: vec![("review_date", Value::Date(content.review_date)), ("body", Value::Json(to_json("plan", &content)?))],
        };
        let by = self.ctx.by.clone();
        versioned_update(&mut self.tx, change, &self.ctx, |version, updated_at| Plan {
            version,
            updated_at,
            updated_by: by,
            content,
            ..current
        })
        .await
    }

    /// The plan of a cycle (within the scope), if one has been written.
    pub async fn cycle_plan(&mut self, scope: &Scope, cycle: CycleId) -> Result<Option<Plan>> {
        let c = self.cycle(scope, cycle).await?;
        plan_for_cycle(&mut self.tx, scope.school(), c.id).await
    }
}
