//! "My sessions" (R11): a teaching assistant, teacher or SENCO sees the provision they
//! deliver this week for the pupils they may see, and logs a morning's sessions (each
//! held or missed, per pupil, with minutes and a short note) in one go. No costs are
//! read or shown; the list is audited as one school-wide entry naming how many pupils.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::costing::{PlannedSession, SessionLog, planned_sessions, school_week};
use senplan_core::ids::PlanId;
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::listed;

/// The week's sessions of the actor's pupils, and the week they fall in.
#[derive(Debug, Clone)]
pub struct MySessions {
    pub today: NaiveDate,
    pub monday: NaiveDate,
    pub friday: NaiveDate,
    pub sessions: Vec<PlannedSession>,
}

impl MySessions {
    /// The sessions still to log today.
    pub fn due_today(&self) -> impl Iterator<Item = &PlannedSession> {
        self.sessions.iter().filter(|s| s.due_today())
    }
}

/// The provision the actor's pupils receive this week (their support in place), with
/// what has been logged so far.
pub async fn my_sessions(store: &Store, actor: &Actor, school: i64) -> Result<MySessions> {
    school_for(actor, school, Permission::LogDelivery)?;
    let scope = actor.scope();
    let today = actor.today();
    let (monday, friday) = school_week(today);
    let plans = store.plans_in_delivery(&scope).await?;
    let ids: Vec<i64> = plans.iter().map(|p| p.plan_id).collect();
    let logged = store.sessions_of_plans(&scope, &ids, monday, friday).await?;
    let sessions = planned_sessions(&plans, &logged, today);
    let pupils: BTreeSet<i64> = sessions.iter().map(|s| s.pupil_id).collect();
    listed(store, actor, "my sessions", pupils.len()).await?;
    Ok(MySessions { today, monday, friday, sessions })
}

/// One session marked on the "My sessions" page: the pupil's plan and provision, held
/// (with the minutes delivered) or missed (the note says why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub plan: PlanId,
    pub provision: u32,
    pub held: bool,
    pub minutes: i64,
    pub note: String,
}

/// Logs every marked session on `date` in one unit of work: all are kept, or (if any
/// is refused) none, with each error named `sessions[i].field` after its row. A held
/// session is attended by the plan's pupil; a missed one needs the note as its reason.
pub async fn log_my_sessions(store: &Store, actor: &Actor, school: i64, date: NaiveDate, marked: &[(usize, Marked)]) -> Result<usize> {
    school_for(actor, school, Permission::LogDelivery)?;
    if marked.is_empty() {
        return Err(Invalid::one("sessions", "required", "Mark at least one session as held or missed").into());
    }
    let scope = actor.scope();
    let mut work = store.work(Ctx::of(actor)).await?;
    let mut errors = Invalid::default();
    let mut refused = Vec::new();
    for (row, m) in marked {
        let not_yours =
            |errors: &mut Invalid| errors.push(format!("sessions[{row}]"), "unknown_session", "This session is not one of yours to log");
        let plan = match work.plan(&scope, m.plan).await {
            Ok(p) => p,
            Err(senplan_store::StoreError::NotFound { .. }) => {
                // Not one of the actor's pupils (or gone): the row says so, nothing is logged.
                not_yours(&mut errors);
                refused.push(m.plan);
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let note = m.note.trim();
        let log = SessionLog {
            date,
            held: m.held,
            minutes_delivered: if m.held { m.minutes } else { 0 },
            attendees: if m.held { vec![plan.pupil_id.0] } else { Vec::new() },
            reason_missed: (!m.held).then(|| note.to_owned()),
            note: (m.held && !note.is_empty()).then(|| note.to_owned()),
        };
        match work.log_session(&scope, m.plan, m.provision, log).await.map_err(AppError::from) {
            Ok(_) => {}
            Err(AppError::Invalid(i)) => errors.nest(&format!("sessions[{row}]"), i),
            Err(AppError::NotFound(_)) => not_yours(&mut errors),
            Err(AppError::Transition(t)) => errors.push(format!("sessions[{row}]"), "illegal_transition", t.message()),
            Err(other) => return Err(other),
        }
    }
    if errors.is_empty() {
        work.commit().await?;
        return Ok(marked.len());
    }
    drop(work);
    // Refusals are audited once the unit of work has ended (SQLite has one writer).
    for plan in refused {
        store.audit_refused_record(actor.school(), Entity::Plan, plan.0, "session log", &Ctx::of(actor)).await?;
    }
    Err(errors.into())
}
