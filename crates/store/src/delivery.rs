//! Delivery (R11): staff log each session of a plan's provision, held or missed,
//! with who attended and the minutes delivered. A provision is named by its plan and
//! its number in the plan. Session logs are append-only: a mistake is corrected by
//! logging again, never by changing what was logged.

use chrono::NaiveDate;
use senplan_core::costing::{ProvisionSession, PupilPlan, SessionLog, SessionRecord, check_session_date};
use senplan_core::cycle::Action;
use senplan_core::ids::{PlanId, PupilId, SchoolId};
use sqlx::AnyPool;

use crate::access::{Scope, check_pupil};
use crate::cycles::load_cycle;
use crate::rows::{json, to_json, ymd};
use crate::{Backend, Result, Store, StoreError, Work};

type Row = (i64, i64, i64, String, String, String);

fn record(row: Row) -> Result<SessionRecord> {
    let (id, plan_id, number, body, recorded_by, recorded_at) = row;
    Ok(SessionRecord {
        id,
        plan_id,
        provision_number: u32::try_from(number).map_err(|e| StoreError::corrupt("session log", e))?,
        recorded_by,
        recorded_at,
        log: json("session log", &body)?,
    })
}

/// Every session of the school's provision logged for a day in `from..=to`.
pub(crate) async fn sessions_between(
    pool: &AnyPool,
    backend: Backend,
    school: SchoolId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ProvisionSession>> {
    let rows: Vec<Row> = sqlx::query_as(backend.sql(
        "SELECT id, plan_id, provision_number, body::text, recorded_by, iso(recorded_at) FROM session_logs \
         WHERE school_id = $1 AND session_date >= $2::date AND session_date <= $3::date ORDER BY session_date, id",
    ))
    .bind(school.0)
    .bind(ymd(from))
    .bind(ymd(to))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| record(r).map(|s| ProvisionSession { plan_id: s.plan_id, provision_number: s.provision_number, log: s.log }))
        .collect()
}

impl Work<'_> {
    /// Logs one session of provision `number` of a plan. The log is checked by core
    /// (held: minutes and pupils; missed: a reason), falls while the provision runs
    /// and has happened; the plan and every attendee must be in the person's scope
    /// (a pupil they cannot see is refused exactly like one that does not exist). The
    /// session is audited in the trail of every pupil it names.
    pub async fn log_session(&mut self, scope: &Scope, plan: PlanId, number: u32, log: SessionLog) -> Result<SessionRecord> {
        let school = scope.school();
        let p = self.plan(scope, plan).await?;
        let provision = p.content.provision.iter().find(|x| x.number == number).ok_or(StoreError::NotFound { what: "provision" })?;
        let log = log.validate()?;
        let cycle = load_cycle(&mut self.tx, school, p.cycle_id).await?;
        // Sessions are logged once the support has started (R05, R11).
        cycle.stage.apply(Action::LogSession)?;
        check_session_date(provision, cycle.closed_on, log.date, self.ctx.today())?;
        for (i, id) in log.attendees.iter().enumerate() {
            if let Err(e) = check_pupil(self.tx.backend, &mut *self.tx, scope, PupilId(*id), "pupil").await {
                return Err(match e {
                    StoreError::NotFound { .. } => senplan_core::Invalid::one(
                        format!("attendees[{i}]"),
                        "unknown_pupil",
                        format!("There is no pupil {id} in this school"),
                    )
                    .into(),
                    other => other,
                });
            }
        }
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO session_logs (school_id, plan_id, provision_number, session_date, body, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4::date, $5::jsonb, $6, $7::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(plan.0)
        .bind(i64::from(number))
        .bind(ymd(log.date))
        .bind(to_json("session log", &log)?)
        .bind(&self.ctx.by)
        .bind(self.ctx.stamp())
        .fetch_one(&mut *self.tx)
        .await?;
        // In the audit trail of the plan's pupil and of every other pupil who attended.
        let mut pupils = vec![p.pupil_id];
        pupils.extend(log.attendees.iter().map(|a| PupilId(*a)).filter(|a| *a != p.pupil_id));
        for pupil in pupils {
            let ev = crate::audit::Event {
                school: Some(school),
                action: "create",
                entity: "session_log",
                entity_id: Some(id),
                pupil: Some(pupil),
            };
            crate::audit::append(&mut self.tx, &ev, &self.ctx).await?;
        }
        let ctx = &self.ctx;
        Ok(SessionRecord { id, plan_id: plan.0, provision_number: number, recorded_by: ctx.by.clone(), recorded_at: ctx.stamp(), log })
    }
}

impl Store {
    /// The plans within the scope whose support is in place (do or review), with their
    /// pupil, for the sessions someone delivers.
    pub async fn plans_in_delivery(&self, scope: &Scope) -> Result<Vec<PupilPlan>> {
        crate::reads::load_plans_in_delivery(self.pool(), self.backend, scope).await
    }

    /// The sessions logged from `from` to `to` (inclusive) for the plans given, which
    /// the caller read within its scope.
    pub async fn sessions_of_plans(&self, scope: &Scope, plans: &[i64], from: NaiveDate, to: NaiveDate) -> Result<Vec<ProvisionSession>> {
        let all = sessions_between(self.pool(), self.backend, scope.school(), from, to).await?;
        Ok(all.into_iter().filter(|s| plans.contains(&s.plan_id)).collect())
    }

    /// The sessions logged for one provision of a plan, oldest first.
    pub async fn provision_sessions(&self, scope: &Scope, plan: PlanId, number: u32) -> Result<Vec<SessionRecord>> {
        let school = scope.school();
        self.plan(scope, plan).await?;
        let rows: Vec<Row> = sqlx::query_as(self.backend.sql(
            "SELECT id, plan_id, provision_number, body::text, recorded_by, iso(recorded_at) FROM session_logs \
             WHERE school_id = $1 AND plan_id = $2 AND provision_number = $3 ORDER BY session_date, id",
        ))
        .bind(school.0)
        .bind(plan.0)
        .bind(i64::from(number))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(record).collect()
    }
}

impl Store {
    /// The current plans (their cycle open) of the pupils within the scope, with their
    /// pupil, by family name.
    pub async fn current_plans(&self, scope: &Scope) -> Result<Vec<PupilPlan>> {
        crate::reads::load_plans(self.pool(), self.backend, scope, None).await
    }
}
