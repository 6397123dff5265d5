//! Reports on current provision (R16, R17): each pupil's annual additional cost
//! against the Element 2 threshold in force, with pupils above it flagged as
//! candidates for Element 3 top-up funding, and the same annual costs committed
//! against the notional SEN budget by area of need, provision type and year group.
//!
//! "Current" provision on a day `on` is chosen and costed as the provision map does
//! ([`super::map`]'s doc, [`pupil_rows`]): provision that ended before `on` (its own
//! end, or its cycle's close) is not current; provision running on `on` is; so is
//! provision that starts later in the academic year containing `on`, because it is
//! planned for that year. A pupil's annual cost is what that provision costs in the
//! academic year (1 September – 31 August) containing `on`: each line pro rata to
//! the school days it runs in the year
//! ([`super::share::ResolvedProvision::year_cost`]), rounded once per line, and the
//! pupil's total the sum of their lines. So the threshold report on a day and the
//! provision map from that day give each pupil the same annual cost and flag.

use chrono::NaiveDate;
use serde::Serialize;

use super::budget::{BudgetReport, CommittedCost, budget_report};
use super::calendar::academic_year;
use super::library::{CostBasis, ProvisionType};
use super::map::{PupilMap, pupil_rows};
use super::money::Pence;
use super::plan_costing::PupilPlan;
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
    /// The academic year containing `on`, which the annual costs are for.
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
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

/// Each pupil's current provision on `on`, costed for its academic year (plans are
/// counted whether or not their cycle has closed since: a closed cycle's provision
/// ended when it closed). The weekly figure is the most at any one time from `on` to
/// the year's end.
fn current(plans: &[PupilPlan], costing: &SchoolCosting, on: NaiveDate, threshold: Option<Pence>) -> Vec<PupilMap> {
    let mut pupils = pupil_rows(plans, costing, on, academic_year(on).1, false, threshold);
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
    let (year_start, year_end) = academic_year(on);
    Some(ThresholdReport {
        on,
        year_start,
        year_end,
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
/// year contains `on`; `None` when no budget covers that day. Each line commits its
/// cost in the academic year containing `on` (the threshold report's figure), even
/// though the budget's own year may run April to March. A line's area of need
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
