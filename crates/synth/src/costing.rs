//! Costing for the demo school: synthetic but realistic hourly costs (pay with
//! on-costs), a calendar for the current academic year in six half terms, the
//! £6,000 threshold, a notional SEN budget for the financial year, daily one-to-one
//! support for a few pupils (so some are above the threshold), logged sessions of
//! current provision and entry and exit measures. All through ordinary `Store`
//! operations; no real school's figures.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::Rng;
use rand::rngs::StdRng;
use senplan_app::AppError;
use senplan_core::costing::{
    CostingSettings, ImpactInput, OtherCost, OtherCostBasis, Pence, SchoolCalendar, SchoolCosting, SenBudget, SessionLog, StaffRole, Term,
    default_element2_thresholds,
};
use senplan_core::ids::{PlanId, SchoolId};
use senplan_core::plan::{PlanContent, Provision};
use senplan_core::review::Progress;
use senplan_store::{Ctx, Store, StoreError};

use crate::system_scope;

/// (key, name, pence an hour): synthetic rates with on-costs.
const ROLES: &[(&str, &str, i64)] = &[
    ("teaching_assistant", "Teaching assistant", 1450),
    ("hlta", "Higher level teaching assistant (HLTA)", 1780),
    ("learning_mentor", "Learning mentor", 1690),
    ("teacher", "Teacher", 3800),
    ("specialist_teacher", "Specialist teacher (outreach)", 4500),
];

fn weekday_on_or_after(mut d: NaiveDate) -> NaiveDate {
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

fn weekday_on_or_before(mut d: NaiveDate) -> NaiveDate {
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

fn friday_on_or_before(mut d: NaiveDate) -> NaiveDate {
    while d.weekday() != Weekday::Fri {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The academic year starting in September `y`, in six half terms (each half-term
/// holiday a week; Christmas and Easter two).
pub fn calendar(y: i32) -> SchoolCalendar {
    let after_break = |friday: NaiveDate| friday.checked_add_days(Days::new(10)).unwrap_or(friday);
    let a1 = (weekday_on_or_after(ymd(y, 9, 3)), friday_on_or_before(ymd(y, 10, 23)));
    let a2 = (after_break(a1.1), friday_on_or_before(ymd(y, 12, 19)));
    let s1 = (weekday_on_or_after(ymd(y + 1, 1, 5)), friday_on_or_before(ymd(y + 1, 2, 13)));
    let s2 = (after_break(s1.1), friday_on_or_before(ymd(y + 1, 3, 27)));
    let u1 = (weekday_on_or_after(ymd(y + 1, 4, 13)), friday_on_or_before(ymd(y + 1, 5, 22)));
    let u2 = (after_break(u1.1), weekday_on_or_before(ymd(y + 1, 7, 21)));
    let terms = [("Autumn 1", a1), ("Autumn 2", a2), ("Spring 1", s1), ("Spring 2", s2), ("Summer 1", u1), ("Summer 2", u2)]
        .into_iter()
        .map(|(name, (start, end))| Term { name: format!("{name} {}", start.year()), start, end })
        .collect();
    SchoolCalendar { terms, weeks_per_year: SchoolCalendar::DEFAULT_WEEKS_PER_YEAR }
}

/// The demo school's costing settings for the academic year containing `today`.
pub fn settings(today: NaiveDate, pupils: u32) -> SchoolCosting {
    let ay = if today.month() >= 9 { today.year() } else { today.year() - 1 };
    let fy = if today.month() >= 4 { today.year() } else { today.year() - 1 };
    SchoolCosting {
        settings: CostingSettings {
            staff_roles: ROLES.iter().map(|(k, n, p)| StaffRole { key: (*k).into(), name: (*n).into(), hourly_cost: Pence(*p) }).collect(),
            other_costs: vec![
                OtherCost {
                    key: "phonics_programme_licence".into(),
                    name: "Phonics programme licence".into(),
                    basis: OtherCostBasis::PerGroup,
                    annual_cost: Pence(45_000),
                },
                OtherCost {
                    key: "specialist_equipment".into(),
                    name: "Specialist equipment upkeep".into(),
                    basis: OtherCostBasis::PerPupil,
                    annual_cost: Pence(12_000),
                },
            ],
            calendar: calendar(ay),
            element2_thresholds: default_element2_thresholds(),
            // About £200 a pupil on roll (synthetic).
            sen_budgets: vec![SenBudget {
                year_start: ymd(fy, 4, 1),
                year_end: ymd(fy + 1, 3, 31),
                amount: Pence(i64::from(pupils) * 20_000),
            }],
            delivery_alert: Default::default(),
        },
        provision_types: vec![],
    }
}

/// Daily one-to-one support for about one pupil in twelve on SEN support: 3 to 5
/// hours a day (£8,482.50 to £14,137.50 for a full year at a teaching assistant's
/// £14.50). It has no end date: it runs until its cycle closes, so the current plan's
/// support counts for the rest of the school year; as an annual cost counts only the
/// weeks provision runs in the year, some of these pupils are above £6,000 and some,
/// whose current plan began later in the year, below.
pub fn maybe_daily_support(rng: &mut StdRng, content: &mut PlanContent) {
    if rng.random_range(0..12) != 0 {
        return;
    }
    let minutes = [180, 240, 300][rng.random_range(0..3)];
    let first = content.provision.first().cloned();
    if let Some(p) = first {
        content.provision.push(Provision {
            number: p.number + 1,
            what: "One-to-one support in class, every morning".into(),
            delivered_by: crate::names::staff_for("teaching_assistant", rng.random_range(0..4)).into(),
            minutes_per_session: minutes,
            sessions_per_week: 5,
            group_size: 1,
            staff_role: Some("teaching_assistant".into()),
            provision_type: Some("extra_adult_help".into()),
            other_cost: None,
            end: None,
            ..p
        });
    }
}

/// Logs the first provision's sessions over the last three weeks before `today`
/// (one in eight missed).
pub async fn log_recent_sessions(
    store: &Store,
    rng: &mut StdRng,
    school: SchoolId,
    plan: PlanId,
    by: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let p = store.plan(&system_scope(school), plan).await?;
    let Some(prov) = p.content.provision.first() else { return Ok(()) };
    let mut day = today.checked_sub_days(Days::new(21)).unwrap_or(today).max(prov.start);
    let sessions: Vec<u32> = (0..prov.sessions_per_week.min(5)).collect();
    while day < today && prov.end.is_none_or(|e| day <= e) {
        let weekday = day.weekday().num_days_from_monday();
        if weekday < 5 && sessions.contains(&weekday) && weekday_on_or_after(day) == day {
            let log = if rng.random_range(0..8) == 0 {
                SessionLog {
                    date: day,
                    held: false,
                    minutes_delivered: 0,
                    attendees: vec![],
                    reason_missed: Some("Teaching assistant covering a class".into()),
                    note: None,
                }
            } else {
                let minutes = i64::from(prov.minutes_per_session) - [0, 0, 0, 5][rng.random_range(0..4)];
                SessionLog {
                    date: day,
                    held: true,
                    minutes_delivered: minutes.max(1),
                    attendees: vec![p.pupil_id.0],
                    reason_missed: None,
                    note: None,
                }
            };
            let actor =
                senplan_core::actor::Actor::system(school, by, "synthetic data", day.and_hms_opt(15, 30, 0).unwrap_or_default().and_utc());
            match senplan_app::delivery::log_session(store, &actor, school.0, plan, prov.number, log).await {
                // A day outside the school's terms is still a weekday: skipped, not an error.
                Ok(_) | Err(AppError::Invalid(_)) => {}
                Err(e) => return Err(e),
            }
        }
        day = day.succ_opt().unwrap_or(today);
    }
    Ok(())
}

/// Entry (and, for a finished cycle, exit) measures for the plan's first provision.
pub async fn measure_impact(
    store: &Store,
    rng: &mut StdRng,
    school: SchoolId,
    plan: PlanId,
    finished: bool,
    ctx: &Ctx,
) -> Result<(), StoreError> {
    let entry = rng.random_range(2..8);
    let exit = finished.then(|| entry + rng.random_range(-1..=6));
    let input = ImpactInput {
        provision_type: None,
        unit: "score on the plan's first measure (of 10)".into(),
        entry,
        exit,
        progress: None::<Progress>,
    };
    store.record_impact(&system_scope(school), plan, 1, input, ctx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_has_six_half_terms_around_the_holidays() {
        let c = calendar(2026).validate().unwrap();
        let t: Vec<_> = c.terms.iter().map(|t| (t.name.as_str(), t.start.to_string(), t.end.to_string())).collect();
        assert_eq!(t[0], ("Autumn 1 2026", "2026-09-03".to_owned(), "2026-10-23".to_owned()));
        assert_eq!(t[1], ("Autumn 2 2026", "2026-11-02".to_owned(), "2026-12-18".to_owned()));
        assert_eq!(t[2].1, "2027-01-05");
        assert_eq!(t[5].2, "2027-07-21");
        // 193 weekdays in term: at least the 190 days a year schools must open (a
        // school keeps its INSET days and bank holidays out by splitting terms).
        let (from, to) = (ymd(2026, 9, 1), ymd(2027, 8, 31));
        assert_eq!(c.school_days(from, to), 193);
    }
}
