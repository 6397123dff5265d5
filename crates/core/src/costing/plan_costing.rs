//! Costing a plan's provision (R15): the keys a provision names (staff role,
//! provision type, other cost) must exist in the school's costing, and a provision
//! runs no longer than the cycle whose plan holds it. [`PupilPlan`] is what the
//! reports take: a pupil's plan with the little they need to know about the pupil.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::library::ProvisionType;
use super::school::SchoolCosting;
use super::share::{CostedProvision, ResolvedProvision};
use crate::error::Invalid;
use crate::need::BroadArea;
use crate::plan::{PlanContent, Provision};

/// A pupil's plan, for the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilPlan {
    pub pupil_id: i64,
    /// "Given Family".
    pub name: String,
    /// Census spelling: N1, N2, R, 1..14, X.
    pub year_group: String,
    /// The broad area of the pupil's primary need, if recorded.
    pub area: Option<BroadArea>,
    pub plan_id: i64,
    /// When the plan's cycle closed: its provision stops then.
    pub closed_on: Option<NaiveDate>,
    pub content: PlanContent,
}

/// The provision as it runs under its plan: ending when the cycle closed, if sooner.
/// `None` when the cycle closed before the provision started (it never ran).
pub fn effective(p: &Provision, closed_on: Option<NaiveDate>) -> Option<Provision> {
    let end = match (p.end, closed_on) {
        (Some(e), Some(c)) => Some(e.min(c)),
        (e, c) => e.or(c),
    };
    if end.is_some_and(|e| e < p.start) {
        return None;
    }
    Some(Provision { end, ..p.clone() })
}

/// Finds the role and other cost of a plan's provision. Without a staff role it
/// cannot be costed; the error says so.
pub fn resolve_plan_provision(p: &Provision, costing: &SchoolCosting) -> Result<ResolvedProvision, Invalid> {
    let Some(role) = p.staff_role.as_deref().filter(|r| !r.trim().is_empty()) else {
        return Err(Invalid::one(
            "staff_role",
            "staff_role_missing",
            "Choose the staff role who delivers this provision, so that it can be costed",
        ));
    };
    let s = &costing.settings;
    CostedProvision::from_plan(p, role, p.other_cost.as_deref()).resolve(&s.staff_roles, &s.other_costs)
}

/// The plan with every costing key the school's costing does not know cleared (a plan
/// from another school names that school's staff roles and costs: its provision arrives
/// not yet costed, for this school to cost with its own), and how many were cleared.
pub fn without_unknown_keys(content: &PlanContent, costing: &SchoolCosting) -> (PlanContent, usize) {
    let library = costing.library();
    let s = &costing.settings;
    let mut cleared = 0;
    let mut out = content.clone();
    for p in &mut out.provision {
        if p.staff_role.as_deref().is_some_and(|k| !s.staff_roles.iter().any(|r| r.key == k)) {
            p.staff_role = None;
            cleared += 1;
        }
        if p.provision_type.as_deref().is_some_and(|k| ProvisionType::find(&library, k).is_none()) {
            p.provision_type = None;
            cleared += 1;
        }
        if p.other_cost.as_deref().is_some_and(|k| !s.other_costs.iter().any(|c| c.key == k)) {
            p.other_cost = None;
            cleared += 1;
        }
    }
    (out, cleared)
}

/// Checks that every key a plan's provision names is in the school's costing:
/// fields are named `provision[i].staff_role`, `provision[i].provision_type`,
/// `provision[i].other_cost`. Provision without keys is fine (not yet costed).
pub fn check_plan_keys(content: &PlanContent, costing: &SchoolCosting) -> Result<(), Invalid> {
    let mut e = Invalid::default();
    let library = costing.library();
    let s = &costing.settings;
    for (i, p) in content.provision.iter().enumerate() {
        if let Some(key) = p.staff_role.as_deref()
            && !s.staff_roles.iter().any(|r| r.key == key)
        {
            let known: Vec<_> = s.staff_roles.iter().map(|r| format!("{} ({})", r.key, r.name)).collect();
            let expected = if known.is_empty() {
                "no staff roles are set up yet; add them in the costing settings".to_owned()
            } else {
                format!("expected one of {}", known.join(", "))
            };
            e.push(format!("provision[{i}].staff_role"), "unknown_staff_role", format!("'{key}' is not a staff role; {expected}"));
        }
        if let Some(key) = p.provision_type.as_deref()
            && ProvisionType::find(&library, key).is_none()
        {
            e.push(
                format!("provision[{i}].provision_type"),
                "unknown_provision_type",
                format!("'{key}' is not a provision type in the library"),
            );
        }
        if let Some(key) = p.other_cost.as_deref()
            && !s.other_costs.iter().any(|c| c.key == key)
        {
            let known: Vec<_> = s.other_costs.iter().map(|c| c.key.as_str()).collect();
            e.push(
                format!("provision[{i}].other_cost"),
                "unknown_other_cost",
                format!("'{key}' is not an other cost; expected one of: {}", known.join(", ")),
            );
        }
    }
    e.into_result()
}

/// Checks a session logged on `date` falls while the provision runs under its plan
/// (see [`effective`]) and is not in the future (`today`).
pub fn check_session_date(p: &Provision, closed_on: Option<NaiveDate>, date: NaiveDate, today: NaiveDate) -> Result<(), Invalid> {
    if date > today {
        return Err(Invalid::one(
            "date",
            "in_the_future",
            format!("A session can only be logged once it has happened (today is {})", crate::dates::in_words(today)),
        ));
    }
    let runs = effective(p, closed_on).filter(|p| p.start <= date && p.end.is_none_or(|e| date <= e));
    if runs.is_none() {
        let until =
            effective(p, closed_on).and_then(|p| p.end).map_or_else(String::new, |end| format!(" to {}", crate::dates::in_words(end)));
        return Err(Invalid::one(
            "date",
            "outside_provision_dates",
            format!("This provision runs from {}{until}", crate::dates::in_words(p.start)),
        ));
    }
    Ok(())
}

/// How often, in words: "2 sessions a week of 30 minutes, in a group of 4".
pub fn how_often(minutes_per_session: i64, sessions_per_week: i64, group_size: i64) -> String {
    let sessions = if sessions_per_week == 1 { "1 session".to_owned() } else { format!("{sessions_per_week} sessions") };
    let group = if group_size == 1 { "one-to-one".to_owned() } else { format!("in a group of {group_size}") };
    format!("{sessions} a week of {minutes_per_session} minutes, {group}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::test_support::{calendar, d, roles};

    fn costing() -> SchoolCosting {
        let mut c = SchoolCosting::empty();
        c.settings.staff_roles = roles();
        c.settings.calendar = calendar();
        c
    }

    fn provision(role: Option<&str>) -> Provision {
        let mut p = crate::plan::tests::plan().provision[0].clone();
        p.staff_role = role.map(str::to_owned);
        p
    }

    #[test]
    fn r11_r15_boundaries_a_session_today_a_cycle_closed_on_the_start_day_a_known_other_cost() {
        let p = provision(Some("teaching_assistant")); // from Mon 2 Nov 2026
        assert!(check_session_date(&p, None, d(2026, 11, 23), d(2026, 11, 23)).is_ok(), "a session held today");
        let one_day = effective(&p, Some(d(2026, 11, 2))).unwrap();
        assert_eq!((one_day.start, one_day.end), (d(2026, 11, 2), Some(d(2026, 11, 2))), "closed the day it started: it ran that day");
        let mut c = costing();
        c.settings.other_costs = crate::costing::test_support::other_costs();
        let mut plan = crate::plan::tests::plan();
        plan.provision[0].other_cost = Some("writing_slope".into());
        assert!(check_plan_keys(&plan, &c).is_ok(), "a known other cost, not the first in the list");
        plan.provision[0].other_cost = Some("ipad".into());
        let err = check_plan_keys(&plan, &c).unwrap_err();
        assert_eq!(err.errors[0].message, "'ipad' is not an other cost; expected one of: reading_licence, writing_slope");
    }

    #[test]
    fn r15_unknown_keys_are_named_by_field() {
        let mut plan = crate::plan::tests::plan();
        plan.provision[0].staff_role = Some("nurse".into());
        plan.provision[0].provision_type = Some("nurture".into());
        plan.provision[0].other_cost = Some("ipad".into());
        let err = check_plan_keys(&plan, &costing()).unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("provision[0].staff_role", "unknown_staff_role"),
                ("provision[0].provision_type", "unknown_provision_type"),
                ("provision[0].other_cost", "unknown_other_cost"),
            ]
        );
        assert!(err.errors[0].message.contains("teaching_assistant (Teaching assistant)"), "{}", err.errors[0].message);
        plan.provision[0].staff_role = Some("teacher".into());
        plan.provision[0].provision_type = Some("small_group_work".into());
        plan.provision[0].other_cost = None;
        assert!(check_plan_keys(&plan, &costing()).is_ok());
    }

    #[test]
    fn r24_a_plan_from_another_school_keeps_only_the_keys_this_school_knows() {
        let mut plan = crate::plan::tests::plan();
        plan.provision[0].staff_role = Some("nurse".into());
        plan.provision[0].provision_type = Some("small_group_work".into());
        plan.provision[0].other_cost = Some("ipad".into());
        let (kept, cleared) = without_unknown_keys(&plan, &costing());
        assert_eq!(cleared, 2);
        assert_eq!(
            (kept.provision[0].staff_role.as_deref(), kept.provision[0].provision_type.as_deref(), kept.provision[0].other_cost.as_deref()),
            (None, Some("small_group_work"), None)
        );
        assert!(check_plan_keys(&kept, &costing()).is_ok(), "what is left is this school's");
        assert_eq!(without_unknown_keys(&kept, &costing()), (kept.clone(), 0), "a plan with known keys is unchanged");
    }

    #[test]
    fn r15_a_provision_stops_when_its_cycle_closes() {
        let p = provision(Some("teaching_assistant"));
        assert_eq!(effective(&p, None).unwrap().end, None);
        assert_eq!(effective(&p, Some(d(2027, 1, 8))).unwrap().end, Some(d(2027, 1, 8)));
        let mut ends = p.clone();
        ends.end = Some(d(2026, 12, 1));
        assert_eq!(effective(&ends, Some(d(2027, 1, 8))).unwrap().end, Some(d(2026, 12, 1)));
        assert_eq!(effective(&p, Some(d(2026, 10, 1))), None, "closed before it started");
    }

    #[test]
    fn r15_a_plan_provision_needs_a_staff_role_to_be_costed() {
        let err = resolve_plan_provision(&provision(None), &costing()).unwrap_err();
        assert_eq!(err.errors[0].code, "staff_role_missing");
        let r = resolve_plan_provision(&provision(Some("teaching_assistant")), &costing()).unwrap();
        // 30 min × 2 a week in a group of 4 = 15 min a week; £15/h × 0.25 h × 39 = £146.25.
        assert_eq!(r.annual_cost(39).to_string(), "£146.25");
        assert_eq!(how_often(30, 2, 4), "2 sessions a week of 30 minutes, in a group of 4");
        assert_eq!(how_often(45, 1, 1), "1 session a week of 45 minutes, one-to-one");
    }

    #[test]
    fn r11_a_session_falls_while_the_provision_runs_and_has_happened() {
        let p = provision(Some("teaching_assistant")); // from Mon 2 Nov 2026
        let today = d(2026, 11, 23);
        assert!(check_session_date(&p, None, d(2026, 11, 2), today).is_ok());
        let code = |r: Result<(), Invalid>| r.unwrap_err().errors[0].code.clone();
        assert_eq!(code(check_session_date(&p, None, d(2026, 11, 1), today)), "outside_provision_dates");
        assert_eq!(code(check_session_date(&p, None, d(2026, 11, 24), today)), "in_the_future");
        let err = check_session_date(&p, Some(d(2026, 11, 13)), d(2026, 11, 16), today).unwrap_err();
        assert_eq!(err.errors[0].message, "This provision runs from 2 November 2026 to 13 November 2026");
    }
}
