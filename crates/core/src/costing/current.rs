//! Reports on current provision (R16, R17): each pupil's annual additional cost
//! against the Element 2 threshold in force, with pupils above it flagged as
//! candidates for Element 3 top-up funding, and the same annual costs committed
//! against the notional SEN budget by area of need, provision type and year group.
//!
//! "Current" provision on a day is the provision of plans whose cycle is still open
//! that has not ended by then (provision starting later counts: it is committed).
//! Its annual cost is the pupil's share for a full year at the weeks-per-year factor.

use chrono::NaiveDate;
use serde::Serialize;

use super::budget::{BudgetReport, CommittedCost, budget_report};
use super::library::{CostBasis, ProvisionType};
use super::map::{PupilMap, line, pupil_map};
use super::money::Pence;
use super::plan_costing::{PupilPlan, effective};
use super::school::SchoolCosting;
use super::settings::{budget_on, in_force};
use super::threshold::{ThresholdBand, hours_per_week_for};
use crate::need::BroadArea;

/// Key used in the budget for provision with no type recorded.
pub const NOT_CLASSIFIED: &str = "not_classified";

/// Every pupil's current annual cost against the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThresholdReport {
    pub on: NaiveDate,
    /// The Element 2 threshold in force on `on`.
    pub threshold: Pence,
    /// Hours a week of the cheapest staff role that the threshold buys, to 1 dp.
    pub threshold_hours_per_week: Option<String>,
    pub weeks_per_year: u32,
    /// Most costly first.
    pub pupils: Vec<PupilMap>,
    pub above: i64,
    pub at: i64,
    pub below: i64,
}

/// Each open plan's current provision, per pupil (plans with `closed_on` are skipped).
fn current(plans: &[PupilPlan], costing: &SchoolCosting, on: NaiveDate, threshold: Option<Pence>) -> Vec<PupilMap> {
    let library = costing.library();
    let mut pupils: Vec<PupilMap> = plans
        .iter()
        .filter(|plan| plan.closed_on.is_none())
        .filter_map(|plan| {
            let lines: Vec<_> = plan
                .content
                .provision
                .iter()
                .filter_map(|p| effective(p, None))
                .filter(|p| p.end.is_none_or(|e| e >= on))
                .map(|p| line(plan, &p, costing, &library, None))
                .collect();
            (!lines.is_empty()).then(|| pupil_map(plan, lines, threshold, None))
        })
        .collect();
    pupils.sort_by(|a, b| b.annual_cost.cmp(&a.annual_cost).then(a.name.cmp(&b.name)));
    pupils
}

/// The threshold report on `on`; `None` when no threshold is in force then.
pub fn threshold_report(plans: &[PupilPlan], costing: &SchoolCosting, on: NaiveDate) -> Option<ThresholdReport> {
    let threshold = *in_force(&costing.settings.element2_thresholds, on)?;
    let pupils = current(plans, costing, on, Some(threshold));
    let count = |band: ThresholdBand| {
        pupils.iter().filter(|p| p.threshold.as_ref().is_some_and(|t| t.band == band)).count().try_into().unwrap_or(i64::MAX)
    };
    let weeks = costing.settings.calendar.weeks_per_year;
    let cheapest = costing.settings.staff_roles.iter().map(|r| r.hourly_cost).min();
    Some(ThresholdReport {
        on,
        threshold,
        threshold_hours_per_week: cheapest.and_then(|c| hours_per_week_for(threshold, c, weeks)).map(|h| h.to_decimal(1)),
        weeks_per_year: weeks,
        above: count(ThresholdBand::Above),
        at: count(ThresholdBand::At),
        below: count(ThresholdBand::Below),
        pupils,
    })
}

/// The library with a stand-in for provision whose type was not recorded.
fn library_for_budget(costing: &SchoolCosting) -> Vec<ProvisionType> {
    let mut library = costing.library();
    library.push(ProvisionType {
        key: NOT_CLASSIFIED.into(),
        label: "Type not recorded".into(),
        description: "Provision whose plan does not say which kind it is.".into(),
        default_area: None,
        default_basis: CostBasis::StaffTime,
        seeded: false,
    });
    library
}

/// The current provision on `on` committed against the notional SEN budget whose
/// year contains `on`; `None` when no budget covers that day. A line's area of need
/// is the pupil's primary need's area, else its provision type's usual area, else
/// cognition and learning (the most common); every line is counted once.
pub fn budget_on_day(plans: &[PupilPlan], costing: &SchoolCosting, on: NaiveDate) -> Option<BudgetReport> {
    let budget = budget_on(&costing.settings.sen_budgets, on)?;
    let library = library_for_budget(costing);
    let lines: Vec<CommittedCost> = current(plans, costing, on, None)
        .iter()
        .flat_map(|p| {
            p.lines.iter().filter_map(|l| {
                let kind = l.provision_type.clone().unwrap_or_else(|| NOT_CLASSIFIED.into());
                let type_area = ProvisionType::find(&library, &kind).and_then(|t| t.default_area);
                Some(CommittedCost {
                    year_group: p.year_group.clone(),
                    area: p.area.or(type_area).unwrap_or(BroadArea::CognitionAndLearning),
                    provision_type: kind,
                    cost: l.annual_cost?,
                })
            })
        })
        .collect();
    Some(budget_report(budget, &lines, &library))
}

#[cfg(test)]
#[path = "current_tests.rs"]
mod tests;
