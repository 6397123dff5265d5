//! The costed provision map (R15, R16): every pupil's provision line by line, hours
//! a week and pounds a year side by side (the pupil's share of group work only),
//! the figures for a date range, and each pupil's annual cost against the Element 2
//! threshold. Provision that cannot be costed (no staff role) is listed with the
//! reason and left out of money totals, never silently dropped.
//!
//! The map and the threshold report ([`super::current`]) choose and cost a pupil's
//! provision in one place, [`pupil_rows`], so for the same pupil and day they give
//! the same annual cost and the same flag: the day is the threshold report's day and
//! the map's first day. What counts on a day `on`:
//! - provision that ended before `on` (by its own end date or because its cycle
//!   closed) does not count: it is not current;
//! - provision running on `on`, or starting later in the academic year containing
//!   `on`, counts: it is planned for that year. The map lists that later provision
//!   too (with nothing in its range), so that its table adds up to the pupil's
//!   annual cost whatever the range;
//! - each line costs what it costs in that academic year
//!   ([`super::share::ResolvedProvision::year_cost`]: pro rata to the school days it
//!   runs in the year, from its start, including days before `on`), and a pupil's
//!   annual cost is the sum of their lines' rounded year costs;
//! - successive plans never cost the same day twice: a plan's provision is costed
//!   from the day after the pupil's previous plan's cycle closed at the earliest.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::academic_year;
use super::exact::Fraction;
use super::library::ProvisionType;
use super::money::{Pence, hours_2dp};
use super::plan_costing::{PupilPlan, effective, how_often, resolve_plan_provision};
use super::share::CostWorking;
use super::school::SchoolCosting;
use super::settings::in_force;
use super::threshold::{ThresholdCheck, check_threshold};
use crate::need::BroadArea;
use crate::plan::Provision;

/// One provision for one pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MapLine {
    pub plan_id: i64,
    /// The provision's number in its plan.
    pub number: u32,
    pub what: String,
    pub delivered_by: String,
    /// The staff role's name, e.g. "Teaching assistant".
    pub staff_role: Option<String>,
    pub provision_type: Option<String>,
    pub provision_type_label: Option<String>,
    /// E.g. "2 sessions a week of 30 minutes, in a group of 4".
    pub how_often: String,
    pub group_size: u32,
    /// The pupil's share, basis points (group of 4: 2500).
    pub share_bp: i64,
    /// First day it is costed: its start, or the day after the pupil's previous plan
    /// closed if that is later.
    pub start: NaiveDate,
    /// Last day, after the cycle's close is applied.
    pub end: Option<NaiveDate>,
    /// The pupil's share of the time each week, exactly, and in hours to 2 dp.
    pub weekly_share_minutes: Fraction,
    pub hours_per_week: String,
    /// What it costs in the report's academic year (`year_start`..=`year_end`), pro
    /// rata to the school days it runs in it; `None` when it cannot be costed.
    pub annual_cost: Option<Pence>,
    /// For a date range: school weeks while it ran, the pupil's hours and cost.
    pub period: Option<PeriodFigures>,
    /// Why it cannot be costed, e.g. no staff role chosen.
    pub not_costed: Option<String>,
    /// How `annual_cost` is worked out, when it can be costed.
    pub working: Option<CostWorking>,
}

/// A line's figures over a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodFigures {
    pub school_weeks: Fraction,
    pub share_minutes: Fraction,
    pub hours: String,
    pub cost: Option<Pence>,
}

/// One pupil's lines and totals (totals are sums of the rounded lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PupilMap {
    pub pupil_id: i64,
    pub name: String,
    pub year_group: String,
    pub area: Option<BroadArea>,
    pub lines: Vec<MapLine>,
    /// The most a week at any one time in the report's dates (a map's range; a
    /// threshold report's day to the end of its academic year).
    pub weekly_share_minutes: Fraction,
    pub hours_per_week: String,
    /// The sum of the lines' annual costs: what the pupil's provision costs in the
    /// report's academic year.
    pub annual_cost: Pence,
    pub period_hours: String,
    pub period_cost: Pence,
    /// Annual cost against the Element 2 threshold in force.
    pub threshold: Option<ThresholdCheck>,
}

/// All pupils' shares of one provision (same description, role and type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisionSummary {
    pub what: String,
    pub staff_role: Option<String>,
    pub provision_type_label: Option<String>,
    pub pupils: i64,
    /// Sum of the pupils' weekly shares (each pupil's once, at its highest).
    pub hours_per_week: String,
    /// Sum of the lines' annual costs.
    pub annual_cost: Pence,
    pub period_cost: Pence,
}

/// The costed provision map for `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisionMap {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The academic year containing `from`, which the annual costs are for.
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
    /// School weeks in the range (whole school calendar).
    pub school_weeks: Fraction,
    pub weeks_per_year: u32,
    pub threshold: Option<Pence>,
    pub pupils: Vec<PupilMap>,
    pub by_provision: Vec<ProvisionSummary>,
    pub annual_cost: Pence,
    pub period_cost: Pence,
    /// Lines that could not be costed.
    pub not_costed: i64,
}

/// Builds one line, costed for the academic year containing `year_of`; `range` adds
/// the period figures.
pub(crate) fn line(
    plan: &PupilPlan,
    p: &Provision,
    costing: &SchoolCosting,
    library: &[ProvisionType],
    year_of: NaiveDate,
    range: Option<(NaiveDate, NaiveDate)>,
) -> MapLine {
    let weekly = Fraction::new(i128::from(p.minutes_per_session) * i128::from(p.sessions_per_week), i128::from(p.group_size))
        .unwrap_or(Fraction::ZERO);
    let resolved = resolve_plan_provision(p, costing);
    let calendar = &costing.settings.calendar;
    let period = range.map(|(from, to)| match &resolved {
        Ok(r) => {
            let c = r.cost_between(calendar, from, to);
            PeriodFigures { school_weeks: c.school_weeks, share_minutes: c.share_minutes, hours: c.hours, cost: Some(c.cost) }
        }
        Err(_) => {
            let a = from.max(p.start);
            let b = p.end.map_or(to, |e| e.min(to));
            let weeks = if a <= b { calendar.school_weeks(a, b) } else { Fraction::ZERO };
            PeriodFigures { school_weeks: weeks, share_minutes: weekly * weeks, hours: hours_2dp(weekly * weeks), cost: None }
        }
    });
    let role = p.staff_role.as_deref().and_then(|k| costing.settings.staff_roles.iter().find(|r| r.key == k));
    MapLine {
        plan_id: plan.plan_id,
        number: p.number,
        what: p.what.clone(),
        delivered_by: p.delivered_by.clone(),
        staff_role: role.map(|r| r.name.clone()),
        provision_type: p.provision_type.clone(),
        provision_type_label: p.provision_type.as_deref().map(|k| ProvisionType::label_of(library, k)),
        how_often: how_often(i64::from(p.minutes_per_session), i64::from(p.sessions_per_week), i64::from(p.group_size)),
        group_size: p.group_size,
        share_bp: Fraction::basis_points(1, i128::from(p.group_size)).unwrap_or(0),
        start: p.start,
        end: p.end,
        weekly_share_minutes: weekly,
        hours_per_week: hours_2dp(weekly),
        annual_cost: resolved.as_ref().ok().map(|r| r.year_cost(calendar, year_of)),
        period,
        working: resolved.as_ref().ok().map(|r| r.working(calendar, year_of)),
        not_costed: resolved.err().map(|e| e.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")),
    }
}

/// The most a week at any one time in `from..=to`: the lines of a plan and of the
/// plan that followed it are never added together.
fn peak_weekly(lines: &[MapLine], from: NaiveDate, to: NaiveDate) -> Fraction {
    lines
        .iter()
        .map(|l| l.start.max(from))
        .filter(|day| *day <= to)
        .map(|day| lines.iter().filter(|l| l.start <= day && l.end.is_none_or(|e| e >= day)).map(|l| l.weekly_share_minutes).sum())
        .max()
        .unwrap_or_default()
}

/// A pupil's totals from their lines: the annual and period costs are the sums of
/// the rounded lines; the weekly figure is the most at any one time in `from..=to`.
fn pupil_map(plan: &PupilPlan, lines: Vec<MapLine>, threshold: Option<Pence>, (from, to): (NaiveDate, NaiveDate)) -> PupilMap {
    let weekly = peak_weekly(&lines, from, to);
    let annual: Pence = lines.iter().filter_map(|l| l.annual_cost).sum();
    let period_minutes: Fraction = lines.iter().filter_map(|l| l.period.as_ref().map(|p| p.share_minutes)).sum();
    PupilMap {
        pupil_id: plan.pupil_id,
        name: plan.name.clone(),
        year_group: plan.year_group.clone(),
        area: plan.area,
        weekly_share_minutes: weekly,
        hours_per_week: hours_2dp(weekly),
        annual_cost: annual,
        period_hours: hours_2dp(period_minutes),
        period_cost: lines.iter().filter_map(|l| l.period.as_ref().and_then(|p| p.cost)).sum(),
        threshold: threshold.map(|t| check_threshold(annual, t)),
        lines,
    }
}

/// For each plan, the day after the cycle of the pupil's previous plan (among
/// `plans`) closed: the first day its provision is costed, so that successive plans
/// never cost the same day twice.
fn costed_from(plans: &[PupilPlan]) -> Vec<Option<NaiveDate>> {
    let mut closed: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for plan in plans {
        if let Some(c) = plan.closed_on {
            closed.entry(plan.pupil_id).or_default().push(c);
        }
    }
    plans
        .iter()
        .map(|plan| {
            let earlier = closed.get(&plan.pupil_id)?.iter().filter(|c| plan.closed_on.is_none_or(|mine| **c < mine)).max()?;
            earlier.succ_opt()
        })
        .collect()
}

/// Each pupil's provision that counts on `on` (see the module's doc), listed up to
/// `to` or the end of `on`'s academic year, whichever is later, with one row per
/// pupil (a pupil whose cycle closed has two plans: one row). Lines cost what they
/// cost in `on`'s academic year; with `period`, each line has its figures for
/// `on..=to`. The weekly figure is the most at any one time in `on..=to`.
pub(crate) fn pupil_rows(
    plans: &[PupilPlan],
    costing: &SchoolCosting,
    on: NaiveDate,
    to: NaiveDate,
    period: bool,
    threshold: Option<Pence>,
) -> Vec<PupilMap> {
    let library = costing.library();
    let last = to.max(academic_year(on).1);
    let range = period.then_some((on, to));
    let mut rows: Vec<(&PupilPlan, Vec<MapLine>)> = Vec::new();
    for (plan, from) in plans.iter().zip(costed_from(plans)) {
        let lines: Vec<MapLine> = plan
            .content
            .provision
            .iter()
            .filter_map(|p| effective(p, plan.closed_on))
            .map(|p| Provision { start: from.map_or(p.start, |f| p.start.max(f)), ..p })
            .filter(|p| p.end.is_none_or(|e| e >= p.start && e >= on) && p.start <= last)
            .map(|p| line(plan, &p, costing, &library, on, range))
            .collect();
        if lines.is_empty() {
            continue;
        }
        match rows.iter_mut().find(|(p, _)| p.pupil_id == plan.pupil_id) {
            Some((_, all)) => all.extend(lines),
            None => rows.push((plan, lines)),
        }
    }
    rows.into_iter().map(|(plan, lines)| pupil_map(plan, lines, threshold, (on, to))).collect()
}

/// The provision map for `from..=to`: each pupil's provision that runs at any time
/// in the range (ending when its cycle closed), and the provision planned for later
/// in the academic year containing `from`, with each line's cost in that year and
/// its figures for the range. Each pupil's annual cost and flag are the threshold
/// report's on `from` (see the module's doc).
pub fn provision_map(plans: &[PupilPlan], costing: &SchoolCosting, from: NaiveDate, to: NaiveDate) -> ProvisionMap {
    let threshold = in_force(&costing.settings.element2_thresholds, from).copied();
    let mut pupils = pupil_rows(plans, costing, from, to, true, threshold);
    pupils.sort_by(|a, b| a.name.cmp(&b.name).then(a.pupil_id.cmp(&b.pupil_id)));
    let by_provision = summarise(&pupils);
    let (year_start, year_end) = academic_year(from);
    ProvisionMap {
        from,
        to,
        year_start,
        year_end,
        school_weeks: costing.settings.calendar.school_weeks(from, to),
        weeks_per_year: costing.settings.calendar.weeks_per_year,
        threshold,
        annual_cost: pupils.iter().map(|p| p.annual_cost).sum(),
        period_cost: pupils.iter().map(|p| p.period_cost).sum(),
        not_costed: pupils.iter().flat_map(|p| &p.lines).filter(|l| l.not_costed.is_some()).count().try_into().unwrap_or(i64::MAX),
        by_provision,
        pupils,
    }
}

/// One pupil's (id, weekly share) of a provision.
type PupilShare = (i64, Fraction);

/// Sums the lines by (description, role, type), largest annual cost first. Costs are
/// sums of the lines (a provision carried into the next plan is costed for the days
/// each plan ran, so adding them counts no day twice); each pupil counts once, with
/// their weekly share at its highest.
fn summarise(pupils: &[PupilMap]) -> Vec<ProvisionSummary> {
    let mut out: Vec<(ProvisionSummary, Vec<PupilShare>)> = Vec::new();
    for p in pupils {
        for l in &p.lines {
            let key = (&l.what, &l.staff_role, &l.provision_type_label);
            let i = match out.iter().position(|(s, _)| (&s.what, &s.staff_role, &s.provision_type_label) == key) {
                Some(i) => i,
                None => {
                    let s = ProvisionSummary {
                        what: l.what.clone(),
                        staff_role: l.staff_role.clone(),
                        provision_type_label: l.provision_type_label.clone(),
                        pupils: 0,
                        hours_per_week: String::new(),
                        annual_cost: Pence::ZERO,
                        period_cost: Pence::ZERO,
                    };
                    out.push((s, Vec::new()));
                    out.len() - 1
                }
            };
            let (s, ids) = &mut out[i];
            s.period_cost += l.period.as_ref().and_then(|p| p.cost).unwrap_or(Pence::ZERO);
            s.annual_cost += l.annual_cost.unwrap_or(Pence::ZERO);
            match ids.iter_mut().find(|(id, _)| *id == p.pupil_id) {
                Some((_, m)) => *m = (*m).max(l.weekly_share_minutes),
                None => ids.push((p.pupil_id, l.weekly_share_minutes)),
            }
        }
    }
    let mut rows: Vec<ProvisionSummary> = out
        .into_iter()
        .map(|(s, ids)| ProvisionSummary {
            pupils: ids.len().try_into().unwrap_or(i64::MAX),
            hours_per_week: hours_2dp(ids.iter().map(|(_, m)| *m).sum()),
            ..s
        })
        .collect();
    rows.sort_by(|a, b| b.annual_cost.cmp(&a.annual_cost).then(a.what.cmp(&b.what)));
    rows
}

#[cfg(test)]
#[path = "map_tests.rs"]
pub(crate) mod tests;
