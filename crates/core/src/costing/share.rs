//! A provision's cost and a pupil's share of it (R15): staff role, minutes per
//! session, sessions per week, group size and dates, resolved against the school's
//! settings. The pupil's share is the time divided by the group size (1 hour a week
//! in a group of 4 = 15 minutes a week = 25% of the cost). A year's cost
//! ([`ResolvedProvision::year_cost`]) is the full-year rate at the weeks-per-year
//! factor, pro rata to the part of the academic year the provision runs; period
//! figures count the school weeks in the period. Also what a meeting recap needs
//! (R34): whether a provision runs in a period, how often.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::{SchoolCalendar, academic_year};
use super::exact::Fraction;
use super::money::{Minutes, Pence, hours_2dp};
use super::settings::{OtherCost, OtherCostBasis, StaffRole};
use crate::error::Invalid;
use crate::plan::Provision;

/// A provision's costing as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostedProvision {
    /// Key of the staff role who delivers it, e.g. `teaching_assistant`.
    pub staff_role: String,
    pub minutes_per_session: i64,
    pub sessions_per_week: i64,
    /// Pupils in the group; 1 for one-to-one.
    pub group_size: i64,
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// Key of an other cost (licence, equipment) that goes with it.
    #[serde(default)]
    pub other_cost: Option<String>,
}

impl CostedProvision {
    /// The costing of a plan's provision, delivered by `staff_role`.
    pub fn from_plan(p: &Provision, staff_role: &str, other_cost: Option<&str>) -> CostedProvision {
        CostedProvision {
            staff_role: staff_role.into(),
            minutes_per_session: i64::from(p.minutes_per_session),
            sessions_per_week: i64::from(p.sessions_per_week),
            group_size: i64::from(p.group_size),
            start: p.start,
            end: p.end,
            other_cost: other_cost.map(str::to_owned),
        }
    }

    /// Checks the figures and finds the role and other cost by key.
    pub fn resolve(&self, roles: &[StaffRole], other_costs: &[OtherCost]) -> Result<ResolvedProvision, Invalid> {
        let mut e = Invalid::default();
        let key = self.staff_role.trim();
        let role = roles.iter().find(|r| r.key == key);
        if role.is_none() {
            let known: Vec<_> = roles.iter().map(|r| format!("{} ({})", r.key, r.name)).collect();
            let expected = if known.is_empty() {
                "no staff roles are set up yet; add one in the costing settings".to_owned()
            } else {
                format!("expected one of {}", known.join(", "))
            };
            e.push("staff_role", "unknown_staff_role", format!("'{key}' is not a staff role; {expected}"));
        }
        let other = match self.other_cost.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => {
                let found = other_costs.iter().find(|c| c.key == k);
                if found.is_none() {
                    let known: Vec<_> = other_costs.iter().map(|c| c.key.as_str()).collect();
                    e.push(
                        "other_cost",
                        "unknown_other_cost",
                        format!("'{k}' is not an other cost; expected one of: {}", known.join(", ")),
                    );
                }
                found
            }
        };
        let mut range = |field: &str, v: i64, max: i64, what: &str| {
            if !(1..=max).contains(&v) {
                e.push(field, "out_of_range", format!("{what} must be between 1 and {max}; got {v}"));
            }
        };
        range("minutes_per_session", self.minutes_per_session, 600, "Minutes per session");
        range("sessions_per_week", self.sessions_per_week, 50, "Sessions per week");
        range("group_size", self.group_size, 60, "Group size (1 for one-to-one)");
        if self.end.is_some_and(|end| end < self.start) {
            e.push(
                "end",
                "end_before_start",
                format!("The end date must be on or after the start date ({})", crate::dates::in_words(self.start)),
            );
        }
        e.into_result()?;
        let Some(role) = role else { return Err(Invalid::one("staff_role", "unknown_staff_role", "Unknown staff role")) };
        Ok(ResolvedProvision {
            role: role.clone(),
            other_cost: other.cloned(),
            minutes_per_session: self.minutes_per_session,
            sessions_per_week: self.sessions_per_week,
            group_size: self.group_size,
            start: self.start,
            end: self.end,
        })
    }
}

/// A provision whose figures are checked and whose role and other cost are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedProvision {
    role: StaffRole,
    other_cost: Option<OtherCost>,
    minutes_per_session: i64,
    sessions_per_week: i64,
    group_size: i64,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

/// How a line's cost in an academic year is worked out ([`ResolvedProvision::working`]):
/// hourly cost × the pupil's hours a week × weeks per year is the staff time for a full
/// year; plus the pupil's share of any other cost is the full year; × the school days
/// it runs over the year's school days is the year's cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostWorking {
    /// The staff role's cost an hour.
    pub hourly_cost: Pence,
    /// The pupil's share of the staff time a week, hours to 2 dp.
    pub hours_per_week: String,
    pub weeks_per_year: u32,
    /// Staff time for a full year, rounded to the penny.
    pub staff_full_year: Pence,
    /// The other cost's name (equipment, a licence), if the line has one.
    pub other_cost: Option<String>,
    /// The pupil's share of the other cost for a full year, rounded to the penny.
    pub other_full_year: Pence,
    /// The full-year rate, rounded once.
    pub full_year: Pence,
    /// School days of the year on which it runs, and all the year's school days.
    pub days_running: i64,
    pub days_in_year: i64,
    /// The cost in the year: the full-year rate × days running / days in the year,
    /// from the exact figures, rounded once.
    pub year_cost: Pence,
}

/// One provision for one pupil for a year: hours a week and pounds a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualLine {
    pub weekly_share_minutes: Fraction,
    /// Hours a week to 2 dp, e.g. "0.25".
    pub hours_per_week: String,
    /// What it costs in the academic year asked about ([`ResolvedProvision::year_cost`]).
    pub annual_cost: Pence,
}

/// A pupil's provision for a year, line by line; totals are sums of the lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualTotal {
    pub lines: Vec<AnnualLine>,
    pub weekly_share_minutes: Fraction,
    pub hours_per_week: String,
    pub annual_cost: Pence,
}

/// One provision for one pupil over a period: school weeks, hours and pounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodCost {
    /// School weeks in the period while the provision ran.
    pub school_weeks: Fraction,
    /// The pupil's share of the time, in minutes.
    pub share_minutes: Fraction,
    /// That share in hours to 2 dp.
    pub hours: String,
    pub cost: Pence,
}

/// A pupil's provision over a period, line by line; totals are sums of the lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodTotal {
    pub lines: Vec<PeriodCost>,
    pub share_minutes: Fraction,
    pub hours: String,
    pub cost: Pence,
}

/// A whole provision (every pupil in the group) over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisionPeriod {
    pub school_weeks: Fraction,
    /// Staff time spent on the group, in minutes.
    pub staff_minutes: Fraction,
    pub staff_hours: String,
    /// Everything the provision costs, for all the group.
    pub whole_cost: Pence,
    /// One pupil's share.
    pub per_pupil: PeriodCost,
}

fn int(n: i64) -> Fraction {
    Fraction::int(i128::from(n))
}

impl ResolvedProvision {
    pub fn role(&self) -> &StaffRole {
        &self.role
    }
    pub fn minutes_per_session(&self) -> Minutes {
        Minutes(self.minutes_per_session)
    }
    pub fn sessions_per_week(&self) -> i64 {
        self.sessions_per_week
    }
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Staff time a week for the whole group.
    pub fn weekly_staff_minutes(&self) -> Minutes {
        Minutes(self.minutes_per_session * self.sessions_per_week)
    }

    /// The pupil's share of the time a week: minutes × sessions / group size, exactly.
    pub fn weekly_share_minutes(&self) -> Fraction {
        self.weekly_staff_minutes().as_fraction().div_int(i128::from(self.group_size)).unwrap_or(Fraction::ZERO)
    }

    /// The pupil's share of the time a week in hours to 2 dp.
    pub fn weekly_share_hours(&self) -> String {
        hours_2dp(self.weekly_share_minutes())
    }

    /// The pupil's share of the cost in basis points: 1 / group size (group of 4: 2500).
    pub fn share_basis_points(&self) -> i64 {
        Fraction::basis_points(1, i128::from(self.group_size)).unwrap_or(0)
    }

    /// The pupil's share of a week's staff cost, exactly, in pence.
    fn weekly_staff_share(&self) -> Fraction {
        (self.role.hourly_cost.as_fraction() * self.weekly_share_minutes()).div_int(60).unwrap_or(Fraction::ZERO)
    }

    /// The pupil's share of the other cost for a year, exactly, in pence.
    fn other_annual_share(&self) -> Fraction {
        match &self.other_cost {
            None => Fraction::ZERO,
            Some(c) => match c.basis {
                OtherCostBasis::PerPupil => c.annual_cost.as_fraction(),
                OtherCostBasis::PerGroup => c.annual_cost.as_fraction().div_int(i128::from(self.group_size)).unwrap_or(Fraction::ZERO),
            },
        }
    }

    /// The pupil's share of a full year at this rate, exactly: hourly cost × minutes
    /// / 60 × sessions × weeks per year / group size, plus the pupil's share of any
    /// other cost.
    fn full_year(&self, weeks_per_year: u32) -> Fraction {
        self.weekly_staff_share() * Fraction::int(i128::from(weeks_per_year)) + self.other_annual_share()
    }

    /// The full-year rate, as if it ran every school week of a year: [`Self::full_year`]
    /// rounded once. What a provision costs in a particular year is [`Self::year_cost`].
    pub fn annual_cost(&self, weeks_per_year: u32) -> Pence {
        Pence::round(self.full_year(weeks_per_year))
    }

    /// How [`Self::year_cost`] is worked out, step by step with its figures, for a
    /// reader to check (the top-up application, R16). The intermediate figures are
    /// rounded to the penny for showing; the year's cost is worked out from the exact
    /// ones and rounded once, so it is always [`Self::year_cost`].
    pub fn working(&self, calendar: &SchoolCalendar, on: NaiveDate) -> CostWorking {
        let (start, end) = academic_year(on);
        let (days_running, days_in_year) =
            self.active_between(start, end).map_or((0, calendar.days_of_year(on, start, end).1), |(a, b)| calendar.days_of_year(on, a, b));
        CostWorking {
            hourly_cost: self.role.hourly_cost,
            hours_per_week: self.weekly_share_hours(),
            weeks_per_year: calendar.weeks_per_year,
            staff_full_year: Pence::round(self.weekly_staff_share() * Fraction::int(i128::from(calendar.weeks_per_year))),
            other_cost: self.other_cost.as_ref().map(|c| c.name.clone()),
            other_full_year: Pence::round(self.other_annual_share()),
            full_year: self.annual_cost(calendar.weeks_per_year),
            days_running,
            days_in_year,
            year_cost: self.year_cost(calendar, on),
        }
    }

    /// What the pupil's share costs in the academic year (1 September – 31 August)
    /// containing `on`: the full-year rate (weekly cost × weeks per year, plus the
    /// other cost) × the part of that year's school days on which it runs, from its
    /// start to its end (or the year's end), as
    /// [`SchoolCalendar::part_of_year`] counts them. So provision running on every
    /// school day of the year costs exactly weekly × weeks per year; provision running
    /// only in the spring term of the six-half-term, 195-day year costs weekly × 39 ×
    /// 54 / 195 = weekly × 10.8 school weeks (when a year's terms hold exactly
    /// weeks-per-year weeks, this is the cost over the year's dates,
    /// [`Self::cost_between`]; when they hold more, it is scaled down to
    /// weeks-per-year). Provision not running in that year costs nothing in it.
    /// Computed exactly and rounded once, for this line (a pupil's total is the sum
    /// of their rounded lines).
    pub fn year_cost(&self, calendar: &SchoolCalendar, on: NaiveDate) -> Pence {
        let (start, end) = academic_year(on);
        let part = self.active_between(start, end).map_or(Fraction::ZERO, |(a, b)| calendar.part_of_year(on, a, b));
        Pence::round(self.full_year(calendar.weeks_per_year) * part)
    }

    /// Hours a week and what it costs in the academic year containing `on`, side by side.
    pub fn annual_line(&self, calendar: &SchoolCalendar, on: NaiveDate) -> AnnualLine {
        AnnualLine {
            weekly_share_minutes: self.weekly_share_minutes(),
            hours_per_week: self.weekly_share_hours(),
            annual_cost: self.year_cost(calendar, on),
        }
    }

    /// The part of `from..=to` in which the provision runs, if any.
    pub fn active_between(&self, from: NaiveDate, to: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let a = from.max(self.start);
        let b = self.end.map_or(to, |end| to.min(end));
        (a <= b).then_some((a, b))
    }

    /// Whether the provision runs at any time in `from..=to` (for a recap, R34).
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.active_between(from, to).is_some()
    }

    /// School weeks in `from..=to` while the provision runs, exactly.
    pub fn school_weeks(&self, calendar: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> Fraction {
        self.active_between(from, to).map_or(Fraction::ZERO, |(a, b)| calendar.school_weeks(a, b))
    }

    /// The pupil's share over `from..=to`: the weekly share of staff time and cost
    /// times the school weeks while it runs, plus the other cost pro rata
    /// (annual × school weeks / weeks per year); rounded once.
    pub fn cost_between(&self, calendar: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> PeriodCost {
        let weeks = self.school_weeks(calendar, from, to);
        let share_minutes = self.weekly_share_minutes() * weeks;
        let other = (self.other_annual_share() * weeks).checked_div(calendar.weeks_per_year_fraction()).unwrap_or(Fraction::ZERO);
        PeriodCost {
            school_weeks: weeks,
            share_minutes,
            hours: hours_2dp(share_minutes),
            cost: Pence::round(self.weekly_staff_share() * weeks + other),
        }
    }

    /// The whole provision over `from..=to`: all the staff time, and its cost with
    /// the other cost for the whole group (per pupil × group size, or per group).
    pub fn whole_cost_between(&self, calendar: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> ProvisionPeriod {
        let weeks = self.school_weeks(calendar, from, to);
        let staff_minutes = self.weekly_staff_minutes().as_fraction() * weeks;
        let staff = (self.role.hourly_cost.as_fraction() * staff_minutes).div_int(60).unwrap_or(Fraction::ZERO);
        let other_annual = match &self.other_cost {
            None => Fraction::ZERO,
            Some(c) if c.basis == OtherCostBasis::PerPupil => c.annual_cost.as_fraction() * int(self.group_size),
            Some(c) => c.annual_cost.as_fraction(),
        };
        let other = (other_annual * weeks).checked_div(calendar.weeks_per_year_fraction()).unwrap_or(Fraction::ZERO);
        ProvisionPeriod {
            school_weeks: weeks,
            staff_minutes,
            staff_hours: hours_2dp(staff_minutes),
            whole_cost: Pence::round(staff + other),
            per_pupil: self.cost_between(calendar, from, to),
        }
    }

    /// How often, in words: "2 sessions a week of 30 minutes, in a group of 4".
    pub fn how_often(&self) -> String {
        super::plan_costing::how_often(self.minutes_per_session, self.sessions_per_week, self.group_size)
    }
}

/// A pupil's provision for the academic year containing `on`: hours a week and what
/// each line costs in that year, by line and in total (the sum of the rounded lines).
pub fn pupil_annual_total(provisions: &[ResolvedProvision], calendar: &SchoolCalendar, on: NaiveDate) -> AnnualTotal {
    let lines: Vec<AnnualLine> = provisions.iter().map(|p| p.annual_line(calendar, on)).collect();
    let weekly_share_minutes = lines.iter().map(|l| l.weekly_share_minutes).sum();
    AnnualTotal {
        hours_per_week: hours_2dp(weekly_share_minutes),
        weekly_share_minutes,
        annual_cost: lines.iter().map(|l| l.annual_cost).sum(),
        lines,
    }
}

/// A pupil's provision over `from..=to`, by line and in total.
pub fn pupil_period_total(provisions: &[ResolvedProvision], calendar: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> PeriodTotal {
    let lines: Vec<PeriodCost> = provisions.iter().map(|p| p.cost_between(calendar, from, to)).collect();
    let share_minutes = lines.iter().map(|l| l.share_minutes).sum();
    PeriodTotal { hours: hours_2dp(share_minutes), share_minutes, cost: lines.iter().map(|l| l.cost).sum(), lines }
}

#[cfg(test)]
#[path = "share_tests.rs"]
mod tests;
