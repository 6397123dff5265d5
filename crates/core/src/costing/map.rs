//! The costed provision map (R15, R16): every pupil's provision line by line, hours
//! a week and pounds a year side by side (the pupil's share of group work only),
//! the figures for a date range, and each pupil's annual cost against the Element 2
//! threshold. Provision that cannot be costed (no staff role) is listed with the
//! reason and left out of money totals, never silently dropped.

use chrono::NaiveDate;
use serde::Serialize;

use super::exact::Fraction;
use super::library::ProvisionType;
use super::money::{Pence, hours_2dp};
use super::plan_costing::{PupilPlan, effective, how_often, resolve_plan_provision};
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
    pub start: NaiveDate,
    /// Last day, after the cycle's close is applied.
    pub end: Option<NaiveDate>,
    /// The pupil's share of the time each week, exactly, and in hours to 2 dp.
    pub weekly_share_minutes: Fraction,
    pub hours_per_week: String,
    /// A year at the weeks-per-year factor; `None` when it cannot be costed.
    pub annual_cost: Option<Pence>,
    /// For a date range: school weeks while it ran, the pupil's hours and cost.
    pub period: Option<PeriodFigures>,
    /// Why it cannot be costed, e.g. no staff role chosen.
    pub not_costed: Option<String>,
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
    pub weekly_share_minutes: Fraction,
    pub hours_per_week: String,
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
    /// Sum of the pupils' weekly shares.
    pub hours_per_week: String,
    pub annual_cost: Pence,
    pub period_cost: Pence,
}

/// The costed provision map for `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisionMap {
    pub from: NaiveDate,
    pub to: NaiveDate,
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

/// Builds one line; `range` adds the period figures.
pub(crate) fn line(
    plan: &PupilPlan,
    p: &Provision,
    costing: &SchoolCosting,
    library: &[ProvisionType],
    range: Option<(NaiveDate, NaiveDate)>,
) -> MapLine {
    let weekly = Fraction::new(i128::from(p.minutes_per_session) * i128::from(p.sessions_per_week), i128::from(p.group_size))
        .unwrap_or(Fraction::ZERO);
    let resolved = resolve_plan_provision(p, costing);
    let weeks_per_year = costing.settings.calendar.weeks_per_year;
    let period = range.map(|(from, to)| match &resolved {
        Ok(r) => {
            let c = r.cost_between(&costing.settings.calendar, from, to);
            PeriodFigures { school_weeks: c.school_weeks, share_minutes: c.share_minutes, hours: c.hours, cost: Some(c.cost) }
        }
        Err(_) => {
            let a = from.max(p.start);
            let b = p.end.map_or(to, |e| e.min(to));
            let weeks = if a <= b { costing.settings.calendar.school_weeks(a, b) } else { Fraction::ZERO };
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
        annual_cost: resolved.as_ref().ok().map(|r| r.annual_cost(weeks_per_year)),
        period,
        not_costed: resolved.err().map(|e| e.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")),
    }
}

/// The highest weekly share and annual cost at any one time from `from` on: the
/// lines of a plan and of the plan that followed it are never added together.
fn peak(lines: &[MapLine], from: NaiveDate) -> (Fraction, Pence) {
    lines
        .iter()
        .map(|l| l.start.max(from))
        .map(|day| {
            let active: Vec<&MapLine> = lines.iter().filter(|l| l.start.max(from) <= day && l.end.is_none_or(|e| e >= day)).collect();
            (active.iter().filter_map(|l| l.annual_cost).sum::<Pence>(), active.iter().map(|l| l.weekly_share_minutes).sum::<Fraction>())
        })
        .max()
        .map(|(cost, minutes)| (minutes, cost))
        .unwrap_or_default()
}

/// A pupil's totals from their lines. With `peak_from`, the weekly and annual
/// figures are the highest at any one time from that day (a map over a range);
/// without, the sum of all the lines (current provision, all committed).
pub(crate) fn pupil_map(plan: &PupilPlan, lines: Vec<MapLine>, threshold: Option<Pence>, peak_from: Option<NaiveDate>) -> PupilMap {
    let (weekly, annual) = match peak_from {
        Some(from) => peak(&lines, from),
        None => (lines.iter().map(|l| l.weekly_share_minutes).sum(), lines.iter().filter_map(|l| l.annual_cost).sum()),
    };
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

/// The provision map for `from..=to`: each pupil's provision that runs at any time
/// in the range (ending when its cycle closed), with annual and period figures.
pub fn provision_map(plans: &[PupilPlan], costing: &SchoolCosting, from: NaiveDate, to: NaiveDate) -> ProvisionMap {
    let library = costing.library();
    let threshold = in_force(&costing.settings.element2_thresholds, from).copied();
    let mut pupils: Vec<PupilMap> = Vec::new();
    for plan in plans {
        let lines: Vec<MapLine> = plan
            .content
            .provision
            .iter()
            .filter_map(|p| effective(p, plan.closed_on))
            .filter(|p| p.start <= to && p.end.is_none_or(|e| e >= from))
            .map(|p| line(plan, &p, costing, &library, Some((from, to))))
            .collect();
        if lines.is_empty() {
            continue;
        }
        match pupils.iter_mut().find(|m| m.pupil_id == plan.pupil_id) {
            // A pupil whose cycle closed in the range has two plans: one row.
            Some(m) => {
                let mut all = std::mem::take(&mut m.lines);
                all.extend(lines);
                *m = pupil_map(plan, all, threshold, Some(from));
            }
            None => pupils.push(pupil_map(plan, lines, threshold, Some(from))),
        }
    }
    pupils.sort_by(|a, b| a.name.cmp(&b.name).then(a.pupil_id.cmp(&b.pupil_id)));
    let by_provision = summarise(&pupils);
    ProvisionMap {
        from,
        to,
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

/// One pupil's (id, weekly share, annual cost) of a provision.
type PupilShare = (i64, Fraction, Pence);

/// Sums the lines by (description, role, type), largest annual cost first; each
/// pupil's weekly share and annual cost count once, at their highest.
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
            // A pupil counts once: a provision carried into the next plan is not added twice.
            match ids.iter_mut().find(|(id, _, _)| *id == p.pupil_id) {
                Some((_, m, c)) => {
                    *m = (*m).max(l.weekly_share_minutes);
                    *c = (*c).max(l.annual_cost.unwrap_or(Pence::ZERO));
                }
                None => ids.push((p.pupil_id, l.weekly_share_minutes, l.annual_cost.unwrap_or(Pence::ZERO))),
            }
        }
    }
    let mut rows: Vec<ProvisionSummary> = out
        .into_iter()
        .map(|(s, ids)| ProvisionSummary {
            pupils: ids.len().try_into().unwrap_or(i64::MAX),
            hours_per_week: hours_2dp(ids.iter().map(|(_, m, _)| *m).sum()),
            annual_cost: ids.iter().map(|(_, _, c)| *c).sum(),
            ..s
        })
        .collect();
    rows.sort_by(|a, b| b.annual_cost.cmp(&a.annual_cost).then(a.what.cmp(&b.what)));
    rows
}

#[cfg(test)]
#[path = "map_tests.rs"]
pub(crate) mod tests;
