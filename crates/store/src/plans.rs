//! SEN support plans (R07): one per cycle, drafted at the assess stage, changed with a
//! version check at the plan and do stages, every version kept.

use senplan_core::cycle::Action;
use senplan_core::ids::{CycleId, PlanId, PupilId};
use senplan_core::plan::{Outcome, PlanContent, Provision};
use senplan_core::record::{NeedSet, Plan};

use crate::access::{Scope, check_pupil};
use crate::cycles::{advance, load_cycle};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::history::{Entity, append};
use crate::reads::{load_plan, plan_for_cycle};
use crate::rows::{to_json, ymd};
use crate::{Work, Ctx, Result, Store};

async fn recorded_needs(store: &Store, scope: &Scope, pupil: PupilId) -> Result<NeedSet> {
    store.needs(scope, pupil).await
}

impl Store {
    /// Writes the first version of a cycle's plan; the cycle moves from assess to plan.
    pub async fn draft_plan(&self, scope: &Scope, cycle_id: CycleId, content: PlanContent, ctx: &Ctx) -> Result<Plan> {
        let school = scope.school();
        let c = self.cycle(scope, cycle_id).await?;
        let needs = recorded_needs(self, scope, c.pupil_id).await?;
        let content = content.validate(&needs.codes())?;
        crate::costing_settings::check_plan_costing(self, school, &content).await?;
        let (_g, mut tx) = self.write().await?;
        advance(&mut tx, school, cycle_id, None, Action::DraftPlan, ctx).await?;
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO plans (school_id, cycle_id, pupil_id, review_date, body, version, updated_at) VALUES ($1, $2, $3, $4::date, $5::jsonb, 1, $6::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(cycle_id.0)
        .bind(c.pupil_id.0)
        .bind(ymd(content.review_date))
        .bind(to_json("plan", &content)?)
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
        .await?;
        let p = Plan {
            id: PlanId(id),
            cycle_id,
            pupil_id: c.pupil_id,
            version: 1,
            updated_at: ctx.stamp(),
            updated_by: ctx.by.clone(),
            content,
        };
        append(&mut tx, school, Entity::Plan, id, 1, &p, ctx).await?;
        tx.commit().await?;
        Ok(p)
    }

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

    /// Saves a new version of a plan, refused if `expected` is not the current version.
    pub async fn update_plan(&self, scope: &Scope, id: PlanId, expected: i64, content: PlanContent, ctx: &Ctx) -> Result<Plan> {
        let school = scope.school();
        let current = self.plan(scope, id).await?;
        let needs = recorded_needs(self, scope, current.pupil_id).await?;
        let content = content.validate(&needs.codes())?;
        crate::costing_settings::check_plan_costing(self, school, &content).await?;
        let (_g, mut tx) = self.write().await?;
        advance(&mut tx, school, current.cycle_id, None, Action::EditPlan, ctx).await?;
        let change = Versioned {
            table: "plans",
            entity: Entity::Plan,
            what: "plan",
            school,
            key: Key::Row(id.0),
            expected,
            set: vec![("review_date", Value::Date(content.review_date)), ("body", Value::Json(to_json("plan", &content)?))],
        };
        let by = ctx.by.clone();
        let p = versioned_update(&mut tx, change, ctx, |version, updated_at| Plan { version, updated_at, updated_by: by, content, ..current })
            .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Adds one outcome to a plan (numbered after the last), as a new version.
    pub async fn add_outcome(&self, scope: &Scope, id: PlanId, expected: i64, mut outcome: Outcome, ctx: &Ctx) -> Result<Plan> {
        let mut content = self.plan(scope, id).await?.content;
        outcome.number = content.outcomes.iter().map(|o| o.number).max().unwrap_or(0) + 1;
        content.outcomes.push(outcome);
        self.update_plan(scope, id, expected, content, ctx).await
    }

    /// Adds one provision to a plan (numbered after the last), as a new version.
    pub async fn add_provision(&self, scope: &Scope, id: PlanId, expected: i64, mut provision: Provision, ctx: &Ctx) -> Result<Plan> {
        let mut content = self.plan(scope, id).await?.content;
        provision.number = content.provision.iter().map(|p| p.number).max().unwrap_or(0) + 1;
        content.provision.push(provision);
        self.update_plan(scope, id, expected, content, ctx).await
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
    /// The plan of a cycle (within the scope), if one has been written.
    pub async fn cycle_plan(&mut self, scope: &Scope, cycle: CycleId) -> Result<Option<Plan>> {
        let c = self.cycle(scope, cycle).await?;
        plan_for_cycle(&mut self.tx, scope.school(), c.id).await
    }
}
