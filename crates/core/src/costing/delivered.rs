//! Planned against delivered across a school (R11): for each plan provision that
//! runs in a date range, the plan's pupil's sessions attended, minutes and cost
//! delivered against what was planned, and the same for the whole provision.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::delivery::{DeliverySummary, SessionLog, delivery_for_provision, delivery_for_pupil};
use super::money::Pence;
use super::plan_costing::{PupilPlan, effective, resolve_plan_provision};
use super::school::SchoolCosting;

/// A session log with the plan provision it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisionSession {
    pub plan_id: i64,
    pub provision_number: u32,
    #[serde(flatten)]
    pub log: SessionLog,
}

/// One plan provision: planned against delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryRow {
    pub pupil_id: i64,
    pub name: String,
    pub plan_id: i64,
    pub provision_number: u32,
    pub what: String,
    pub delivered_by: String,
    /// For the plan's pupil: sessions they attended, their share of the cost.
    pub pupil: DeliverySummary,
    /// For the whole provision: every session held, the full cost.
    pub provision: DeliverySummary,
}

/// Planned against delivered over a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<DeliveryRow>,
    /// Sum of the pupils' delivered costs.
    pub delivered_cost: Pence,
    /// Provision running in the range that cannot be costed (no staff role).
    pub not_costed: i64,
}

/// Planned against delivered for every provision that runs in `from..=to`.
pub fn delivery_report(
    plans: &[PupilPlan],
    sessions: &[ProvisionSession],
    costing: &SchoolCosting,
    from: NaiveDate,
    to: NaiveDate,
) -> DeliveryReport {
    let calendar = &costing.settings.calendar;
    let mut rows = Vec::new();
    let mut not_costed = 0;
    for plan in plans {
        for p in plan.content.provision.iter().filter_map(|p| effective(p, plan.closed_on)) {
            if p.start > to || p.end.is_some_and(|e| e < from) {
                continue;
            }
            let Ok(r) = resolve_plan_provision(&p, costing) else {
                not_costed += 1;
                continue;
            };
            let logs: Vec<SessionLog> =
                sessions.iter().filter(|s| s.plan_id == plan.plan_id && s.provision_number == p.number).map(|s| s.log.clone()).collect();
            rows.push(DeliveryRow {
                pupil_id: plan.pupil_id,
                name: plan.name.clone(),
                plan_id: plan.plan_id,
                provision_number: p.number,
                what: p.what.clone(),
                delivered_by: p.delivered_by.clone(),
                pupil: delivery_for_pupil(&r, calendar, &logs, plan.pupil_id, from, to),
                provision: delivery_for_provision(&r, calendar, &logs, from, to),
            });
        }
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.plan_id.cmp(&b.plan_id)).then(a.provision_number.cmp(&b.provision_number)));
    DeliveryReport { from, to, delivered_cost: rows.iter().map(|r| r.pupil.delivered_cost).sum(), not_costed, rows }
}

#[cfg(test)]
#[path = "delivered_tests.rs"]
mod tests;
