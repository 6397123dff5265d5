//! Costing of special educational provision (R11, R15, R16, R17, R29, R34): the
//! money and time a pupil's provision costs, checked against the £6,000 Element 2
//! threshold and the school's notional SEN budget, what was actually delivered, and
//! which kinds of provision work. Pure: no I/O, no clock; dates are always passed in.
//!
//! # Units
//! Money is whole pence ([`Pence`]), time is whole minutes ([`Minutes`]). Everything
//! in between (a pupil's share of a group, part-weeks of term) is an exact
//! [`Fraction`]: no floating point anywhere on a money path.
//!
//! # The rounding rule (the only one)
//! Each figure that is shown on its own line (one provision for one pupil, for a
//! year or for a period; one provision's whole cost; one pupil's delivered cost) is
//! worked out exactly as a fraction of a penny and then **rounded once, half away
//! from zero, to a whole penny** (so 12.5p becomes 13p and 12.49p becomes 12p; every
//! cost is positive, so this is ordinary "round half up"). Totals are sums of those
//! rounded lines and are never rounded again, so every table adds up to its total:
//! a pupil's annual cost is the sum of their lines' rounded annual costs.
//! Figures for display only (hours to 2 decimal places, percentages in basis points,
//! averages to 1 decimal place) use the same rule at their own precision.
//!
//! # Weeks and years
//! A full year of provision costs its weekly cost × the school's weeks-per-year
//! factor (default 39, because support staff are usually paid for 39 weeks;
//! standards.md §4). An **annual cost** is what a provision costs in one academic
//! year (1 September – 31 August, the one containing the day asked about): that
//! full-year figure × the part of the year's school days on which the provision runs
//! ([`ResolvedProvision::year_cost`], [`SchoolCalendar::part_of_year`]). Provision
//! running every school day of the year costs exactly weekly × weeks per year;
//! provision running in the spring term only of the 195-day, 39-week year costs
//! weekly × 10.8. A pupil's annual cost is the sum of their lines' annual costs, as
//! the provision map and the threshold report choose them (see [`map`]). A cost
//! over a date range instead counts the school weeks inside it: weekdays (Monday to
//! Friday) that fall within a term and within the provision's own start and end,
//! divided by 5. All date ranges are inclusive of both ends.
//!
//! Submodules:
//! - [`exact`]: exact fractions and the rounding rule.
//! - [`money`]: [`Pence`] and [`Minutes`].
//! - [`calendar`]: terms, school days and school weeks in a range, the part of a year a range covers.
//! - [`settings`]: staff roles, other costs, dated settings, the Element 2 threshold,
//!   the notional SEN budget.
//! - [`library`]: the provision types (ten seeds; schools add their own).
//! - [`share`]: a provision's cost and a pupil's share of it (R15, R34).
//! - [`threshold`]: the Element 2 threshold and Element 3 candidates (R16).
//! - [`budget`]: committed cost against the notional SEN budget (R17).
//! - [`delivery`]: session logs, planned against delivered (R11).
//! - [`impact`]: entry and exit measures and progress by provision type (R29).
//! - [`school`]: a school's settings and its own provision types, validated as one.
//! - [`plan_costing`]: costing a plan's provision; [`PupilPlan`], what reports take.
//! - [`map`]: the costed provision map for a date range (R15).
//! - [`current`]: current provision against the threshold and the budget (R16, R17).
//! - [`delivered`]: planned against delivered across the school (R11).
//! - [`recap`]: who gives which provision to whom, how often, what is planned (R34).
//! - [`records`]: stored costing settings, session logs and impact measures.

pub mod budget;
pub mod calendar;
pub mod current;
pub mod delivered;
pub mod delivery;
pub mod exact;
pub mod impact;
pub mod library;
pub mod map;
pub mod money;
pub mod my_week;
pub mod plan_costing;
pub mod recap;
pub mod records;
pub mod school;
pub mod settings;
pub mod share;
pub mod threshold;

pub use budget::{BudgetReport, BudgetRow, CommittedCost, budget_report};
pub use calendar::{SchoolCalendar, Term, academic_year, weekdays_between};
pub use current::{NOT_CLASSIFIED, ThresholdReport, budget_on_day, threshold_report};
pub use delivered::{DeliveryReport, DeliveryRow, ProvisionSession, delivery_report};
pub use delivery::{DeliverySummary, SessionLog, delivery_for_provision, delivery_for_pupil};
pub use exact::{Fraction, percent_from_basis_points};
pub use impact::{ImpactRecord, ImpactRow, UnitChange, impact_by_provision_type};
pub use library::{CostBasis, ProvisionType, seed_provision_types};
pub use map::{MapLine, PeriodFigures, ProvisionMap, ProvisionSummary, PupilMap, provision_map};
pub use money::{Minutes, Pence};
pub use my_week::{Logged, PlannedSession, planned_sessions, school_week};
pub use plan_costing::{PupilPlan, check_plan_keys, check_session_date, effective, how_often, resolve_plan_provision};
pub use recap::{RecapRow, meeting_recap};
pub use records::{CostingRecord, ImpactInput, ImpactMeasure, SessionRecord};
pub use school::SchoolCosting;
pub use settings::{
    CostingSettings, Dated, ELEMENT2_THRESHOLD, OtherCost, OtherCostBasis, SenBudget, StaffRole, budget_on, default_element2_thresholds,
    in_force,
};
pub use share::{CostWorking, 
    AnnualLine, AnnualTotal, CostedProvision, PeriodCost, PeriodTotal, ProvisionPeriod, ResolvedProvision, pupil_annual_total,
    pupil_period_total,
};
pub use threshold::{ThresholdBand, ThresholdCheck, check_threshold, check_threshold_on, hours_per_week_for};

#[cfg(test)]
pub(crate) mod test_support {
    use chrono::NaiveDate;

    use super::*;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// 2026–27 in six half terms, 2 September 2026 to 21 July 2027, 39 school weeks.
    pub fn calendar() -> SchoolCalendar {
        SchoolCalendar {
            // Six half terms of 38, 35, 29, 25, 35 and 33 school days: 195 days, exactly
            // the 39 weeks a year that annual costs use, as a real school year is.
            terms: vec![
                Term { name: "Autumn 1".into(), start: d(2026, 9, 2), end: d(2026, 10, 23) },
                Term { name: "Autumn 2".into(), start: d(2026, 11, 2), end: d(2026, 12, 18) },
                Term { name: "Spring 1".into(), start: d(2027, 1, 5), end: d(2027, 2, 12) },
                Term { name: "Spring 2".into(), start: d(2027, 2, 22), end: d(2027, 3, 26) },
                Term { name: "Summer 1".into(), start: d(2027, 4, 12), end: d(2027, 5, 28) },
                Term { name: "Summer 2".into(), start: d(2027, 6, 7), end: d(2027, 7, 21) },
            ],
            weeks_per_year: 39,
        }
        .validate()
        .unwrap()
    }

    /// A teaching assistant at £15.00 an hour; a teacher at £40.00.
    pub fn roles() -> Vec<StaffRole> {
        vec![
            StaffRole::new("teaching_assistant", "Teaching assistant", Pence(1500)).unwrap(),
            StaffRole::new("teacher", "Teacher", Pence(4000)).unwrap(),
        ]
    }

    pub fn other_costs() -> Vec<OtherCost> {
        vec![
            OtherCost::new("reading_licence", "Reading programme licence", OtherCostBasis::PerGroup, Pence(12_000)).unwrap(),
            OtherCost::new("writing_slope", "Writing slope", OtherCostBasis::PerPupil, Pence(2_500)).unwrap(),
        ]
    }

    pub fn costed(role: &str, minutes: i64, sessions: i64, group: i64, start: NaiveDate) -> CostedProvision {
        CostedProvision {
            staff_role: role.into(),
            minutes_per_session: minutes,
            sessions_per_week: sessions,
            group_size: group,
            start,
            end: None,
            other_cost: None,
        }
    }

    pub fn resolved(role: &str, minutes: i64, sessions: i64, group: i64, start: NaiveDate) -> ResolvedProvision {
        costed(role, minutes, sessions, group, start).resolve(&roles(), &other_costs()).unwrap()
    }
}
