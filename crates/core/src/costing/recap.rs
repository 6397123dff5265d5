//! The meeting recap (R34): for a date range, who receives which provision from
//! whom, how often, and what is planned (the outcomes it serves, the strategies
//! every adult uses, the review date), for a SENCO to hand to staff. Needs no
//! costs, so it shows provision whether or not it has a staff role.

use chrono::NaiveDate;
use serde::Serialize;

use super::library::ProvisionType;
use super::plan_costing::{PupilPlan, effective, how_often};
use super::settings::StaffRole;

/// One provision for one pupil in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecapRow {
    /// Who delivers it, as the plan says.
    pub delivered_by: String,
    pub staff_role: Option<String>,
    pub pupil_id: i64,
    pub name: String,
    pub year_group: String,
    pub plan_id: i64,
    /// The provision's number in its plan.
    pub provision_number: u32,
    pub what: String,
    pub provision_type_label: Option<String>,
    pub how_often: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// What is planned: each outcome it serves, "description (target by date)".
    pub outcomes: Vec<String>,
    /// Strategies every adult working with the pupil must use.
    pub strategies: Vec<String>,
    pub responsible: String,
    pub review_date: NaiveDate,
}

/// Every provision running in `from..=to`, by who delivers it, then by pupil.
pub fn meeting_recap(plans: &[PupilPlan], library: &[ProvisionType], roles: &[StaffRole], from: NaiveDate, to: NaiveDate) -> Vec<RecapRow> {
    let mut rows = Vec::new();
    for plan in plans {
        let c = &plan.content;
        for p in c.provision.iter().filter_map(|p| effective(p, plan.closed_on)) {
            if p.start > to || p.end.is_some_and(|e| e < from) {
                continue;
            }
            let outcomes = p
                .outcomes
                .iter()
                .filter_map(|n| c.outcome(*n))
                .map(|o| format!("{} (target: {} by {})", o.description, o.target, crate::dates::in_words(o.target_date)))
                .collect();
            rows.push(RecapRow {
                delivered_by: p.delivered_by.clone(),
                staff_role: p.staff_role.as_deref().and_then(|k| roles.iter().find(|r| r.key == k)).map(|r| r.name.clone()),
                pupil_id: plan.pupil_id,
                name: plan.name.clone(),
                year_group: plan.year_group.clone(),
                plan_id: plan.plan_id,
                provision_number: p.number,
                what: p.what.clone(),
                provision_type_label: p.provision_type.as_deref().map(|k| ProvisionType::label_of(library, k)),
                how_often: how_often(i64::from(p.minutes_per_session), i64::from(p.sessions_per_week), i64::from(p.group_size)),
                start: p.start,
                end: p.end,
                outcomes,
                strategies: c.strategies.clone(),
                responsible: c.responsible.clone(),
                review_date: c.review_date,
            });
        }
    }
    rows.sort_by(|a, b| a.delivered_by.cmp(&b.delivered_by).then(a.name.cmp(&b.name)).then(a.what.cmp(&b.what)));
    rows
}
