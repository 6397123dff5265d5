//! Delivery (R11): staff log each session of a plan's provision, held or missed,
//! with who attended and the minutes delivered. A provision is named by its plan and
//! its number in the plan. Session logs are append-only: a mistake is corrected by
//! logging again, never by changing what was logged.

use chrono::NaiveDate;
use senplan_core::costing::{ProvisionSession, SessionLog, SessionRecord, check_session_date};
use senplan_core::cycle::{Action, Stage};
use senplan_core::ids::{PlanId, PupilId, SchoolId};
use sqlx::AnyPool;

use crate::access::Scope;
use crate::rows::{json, opt_date, to_json, ymd};
use crate::{Backend, Ctx, Result, Store, StoreError};

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

impl Store {
    /// Logs one session of provision `number` of a plan. The log is checked by core
    /// (held: minutes and pupils; missed: a reason), falls while the provision runs
    /// and has happened; the plan and every attendee must be in the person's scope
    /// (a pupil they cannot see is refused exactly like one that does not exist).
    pub async fn log_session(&self, scope: &Scope, plan: PlanId, number: u32, log: SessionLog, ctx: &Ctx) -> Result<SessionRecord> {
        let school = scope.school();
        let p = self.plan(scope, plan).await?;
        let provision = p.content.provision.iter().find(|x| x.number == number).ok_or(StoreError::NotFound { what: "provision" })?;
        let log = log.validate()?;
        let cycle: Option<(String, Option<String>)> =
            sqlx::query_as(self.backend.sql("SELECT stage, closed_on::text FROM cycles WHERE school_id = $1 AND id = $2"))
                .bind(school.0)
                .bind(p.cycle_id.0)
                .fetch_optional(self.pool())
                .await?;
        let (stage, closed_on) = cycle.ok_or(StoreError::NotFound { what: "cycle" })?;
        // Sessions are logged once the support has started (R05, R11).
        Stage::parse(&stage).ok_or_else(|| StoreError::corrupt("cycle", &stage))?.apply(Action::LogSession)?;
        let closed_on = opt_date("cycle", closed_on.as_deref())?;
        check_session_date(provision, closed_on, log.date, ctx.today())?;
        for (i, id) in log.attendees.iter().enumerate() {
            match self.pupil(scope, PupilId(*id)).await {
                Ok(_) => {}
                Err(StoreError::NotFound { .. }) => {
                    return Err(senplan_core::Invalid::one(
                        format!("attendees[{i}]"),
                        "unknown_pupil",
                        format!("There is no pupil {id} in this school"),
                    )
                    .into());
                }
                Err(e) => return Err(e),
            }
        }
        let (_g, mut tx) = self.write().await?;
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO session_logs (school_id, plan_id, provision_number, session_date, body, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4::date, $5::jsonb, $6, $7::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(plan.0)
        .bind(i64::from(number))
        .bind(ymd(log.date))
        .bind(to_json("session log", &log)?)
        .bind(&ctx.by)
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
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
            crate::audit::append(&mut tx, &ev, ctx).await?;
        }
        tx.commit().await?;
        Ok(SessionRecord { id, plan_id: plan.0, provision_number: number, recorded_by: ctx.by.clone(), recorded_at: ctx.stamp(), log })
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
