//! Costing settings a school keeps: staff roles with hourly costs (seen only by the
//! SENCO, the headteacher, governors and administrators), other provision costs (licences,
//! equipment, programmes), dated settings such as the Element 2 threshold, and the
//! notional SEN budget for each year. Each is validated once, naming the field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::SchoolCalendar;
use super::money::Pence;
use crate::error::{Invalid, clean_text};

/// Highest hourly cost accepted, £1,000, to catch typing slips (pounds for pence).
pub const MAX_HOURLY_COST: Pence = Pence(100_000);
/// Highest annual other cost accepted, £1,000,000.
pub const MAX_ANNUAL_COST: Pence = Pence(100_000_000);
/// The Element 2 threshold: schools meet additional SEN support costs up to £6,000
/// per pupil per year (standards.md §4), in force since 1 April 2015.
pub const ELEMENT2_THRESHOLD: Pence = Pence(600_000);
const ELEMENT2_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2015, 4, 1) {
    Some(d) => d,
    None => panic!("1 April 2015 is a date"),
};

/// Checks a settings key: 1 to 40 of `a-z`, `0-9`, `_`, `-`.
pub(crate) fn check_key(field: &str, key: &str, e: &mut Invalid) -> String {
    let key = key.trim().to_owned();
    let ok =
        !key.is_empty() && key.len() <= 40 && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        e.push(field, "bad_key", format!("'{key}' is not a usable key: use 1 to 40 lower-case letters, digits, '_' or '-'"));
    }
    key
}

/// A staff role and what an hour of it costs the school (salary and on-costs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRole {
    /// E.g. `teaching_assistant`.
    pub key: String,
    /// E.g. "Teaching assistant".
    pub name: String,
    pub hourly_cost: Pence,
}

impl StaffRole {
    pub fn new(key: &str, name: &str, hourly_cost: Pence) -> Result<StaffRole, Invalid> {
        StaffRole { key: key.into(), name: name.into(), hourly_cost }.validate()
    }

    pub fn validate(mut self) -> Result<StaffRole, Invalid> {
        let mut e = Invalid::default();
        self.key = check_key("key", &self.key, &mut e);
        self.name = clean_text("name", &self.name, 100, &mut e);
        e.require_text("name", &self.name, "the role's name");
        if self.hourly_cost <= Pence::ZERO || self.hourly_cost > MAX_HOURLY_COST {
            e.push(
                "hourly_cost",
                "out_of_range",
                format!("The hourly cost must be more than £0.00 and at most {MAX_HOURLY_COST}; got {}", self.hourly_cost),
            );
        }
        e.into_result()?;
        Ok(self)
    }
}

/// How an other cost is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OtherCostBasis {
    /// Each pupil costs the full amount (e.g. their own writing slope).
    PerPupil,
    /// One amount for the group, shared by its size (e.g. a programme licence).
    PerGroup,
}

/// A cost that is not staff time: a licence, equipment, a bought-in programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtherCost {
    pub key: String,
    pub name: String,
    pub basis: OtherCostBasis,
    /// Cost for a whole year; a shorter period is charged pro rata to its school weeks.
    pub annual_cost: Pence,
}

impl OtherCost {
    pub fn new(key: &str, name: &str, basis: OtherCostBasis, annual_cost: Pence) -> Result<OtherCost, Invalid> {
        OtherCost { key: key.into(), name: name.into(), basis, annual_cost }.validate()
    }

    pub fn validate(mut self) -> Result<OtherCost, Invalid> {
        let mut e = Invalid::default();
        self.key = check_key("key", &self.key, &mut e);
        self.name = clean_text("name", &self.name, 100, &mut e);
        e.require_text("name", &self.name, "what the cost is for");
        if self.annual_cost <= Pence::ZERO || self.annual_cost > MAX_ANNUAL_COST {
            e.push(
                "annual_cost",
                "out_of_range",
                format!("The annual cost must be more than £0.00 and at most {MAX_ANNUAL_COST}; got {}", self.annual_cost),
            );
        }
        e.into_result()?;
        Ok(self)
    }
}

/// A setting that changes over time: `value` applies from `from` until the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dated<T> {
    pub from: NaiveDate,
    pub value: T,
}

/// The value in force on `on`: the one with the latest `from` on or before it.
pub fn in_force<T>(settings: &[Dated<T>], on: NaiveDate) -> Option<&T> {
    settings.iter().filter(|s| s.from <= on).max_by_key(|s| s.from).map(|s| &s.value)
}

/// The Element 2 threshold history as shipped: £6,000 from 1 April 2015.
pub fn default_element2_thresholds() -> Vec<Dated<Pence>> {
    vec![Dated { from: ELEMENT2_FROM, value: ELEMENT2_THRESHOLD }]
}

/// The school's notional SEN budget for one financial or academic year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SenBudget {
    pub year_start: NaiveDate,
    /// Last day of the year, inclusive.
    pub year_end: NaiveDate,
    pub amount: Pence,
}

impl SenBudget {
    pub fn validate(self) -> Result<SenBudget, Invalid> {
        let mut e = Invalid::default();
        if self.year_end < self.year_start {
            e.push("year_end", "end_before_start", format!("The year must end on or after it starts ({})", self.year_start));
        } else if (self.year_end - self.year_start).num_days() > 366 {
            e.push("year_end", "out_of_range", "A budget year is at most a year long");
        }
        if self.amount < Pence::ZERO {
            e.push("amount", "out_of_range", format!("The budget cannot be negative; got {}", self.amount));
        }
        e.into_result()?;
        Ok(self)
    }

    pub fn contains(&self, on: NaiveDate) -> bool {
        self.year_start <= on && on <= self.year_end
    }
}

/// The budget whose year contains `on`.
pub fn budget_on(budgets: &[SenBudget], on: NaiveDate) -> Option<&SenBudget> {
    budgets.iter().find(|b| b.contains(on))
}

/// Every costing setting of one school, validated together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostingSettings {
    pub staff_roles: Vec<StaffRole>,
    #[serde(default)]
    pub other_costs: Vec<OtherCost>,
    pub calendar: SchoolCalendar,
    #[serde(default = "default_element2_thresholds")]
    pub element2_thresholds: Vec<Dated<Pence>>,
    #[serde(default)]
    pub sen_budgets: Vec<SenBudget>,
    /// When the SENCO's dashboard shows that help is falling short (R37).
    #[serde(default)]
    pub delivery_alert: crate::help_given::DeliveryAlert,
}

impl CostingSettings {
    /// Checks every part; fields are named in full, e.g. `staff_roles[1].hourly_cost`.
    /// Keys must be unique; thresholds positive with distinct dates; budget years
    /// must not overlap.
    pub fn validate(self) -> Result<CostingSettings, Invalid> {
        let mut e = Invalid::default();
        let mut staff_roles = Vec::new();
        for (i, r) in self.staff_roles.into_iter().enumerate() {
            match r.validate() {
                Ok(r) if staff_roles.iter().any(|x: &StaffRole| x.key == r.key) => {
                    e.push(format!("staff_roles[{i}].key"), "duplicate_key", format!("There is already a staff role '{}'", r.key));
                }
                Ok(r) => staff_roles.push(r),
                Err(inner) => e.nest(&format!("staff_roles[{i}]"), inner),
            }
        }
        let mut other_costs = Vec::new();
        for (i, c) in self.other_costs.into_iter().enumerate() {
            match c.validate() {
                Ok(c) if other_costs.iter().any(|x: &OtherCost| x.key == c.key) => {
                    e.push(format!("other_costs[{i}].key"), "duplicate_key", format!("There is already an other cost '{}'", c.key));
                }
                Ok(c) => other_costs.push(c),
                Err(inner) => e.nest(&format!("other_costs[{i}]"), inner),
            }
        }
        let calendar = self.calendar.validate().map_err(|inner| e.nest("calendar", inner)).ok();
        for (i, t) in self.element2_thresholds.iter().enumerate() {
            if t.value <= Pence::ZERO {
                e.push(format!("element2_thresholds[{i}].value"), "out_of_range", "The threshold must be more than £0.00");
            }
            if self.element2_thresholds[..i].iter().any(|x| x.from == t.from) {
                e.push(format!("element2_thresholds[{i}].from"), "duplicate_date", format!("There is already a threshold from {}", t.from));
            }
        }
        for (i, b) in self.sen_budgets.iter().enumerate() {
            match b.clone().validate() {
                Err(inner) => e.nest(&format!("sen_budgets[{i}]"), inner),
                Ok(b) if self.sen_budgets[..i].iter().any(|x| x.year_start <= b.year_end && b.year_start <= x.year_end) => {
                    e.push(format!("sen_budgets[{i}].year_start"), "years_overlap", "This budget year overlaps another");
                }
                Ok(_) => {}
            }
        }
        if let Err(inner) = self.delivery_alert.validate() {
            e.errors.extend(inner.errors);
        }
        e.into_result()?;
        let mut element2_thresholds = self.element2_thresholds;
        element2_thresholds.sort_by_key(|t| t.from);
        let mut sen_budgets = self.sen_budgets;
        sen_budgets.sort_by_key(|b| b.year_start);
        // A bad calendar has already returned its errors above.
        let Some(calendar) = calendar else { return Err(Invalid::one("calendar", "invalid", "Check the school calendar")) };
        Ok(CostingSettings { staff_roles, other_costs, calendar, element2_thresholds, sen_budgets, delivery_alert: self.delivery_alert })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::test_support::{calendar, d, other_costs, roles};

    fn fields(e: &Invalid) -> Vec<(&str, &str)> {
        e.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn r15_r17_limits_are_inclusive_and_duplicates_are_named() {
        assert!(StaffRole::new("ta", "TA", MAX_HOURLY_COST).is_ok());
        assert_eq!(fields(&StaffRole::new("ta", "TA", MAX_HOURLY_COST + Pence(1)).unwrap_err()), vec![("hourly_cost", "out_of_range")]);
        assert!(OtherCost::new("x", "X", OtherCostBasis::PerPupil, MAX_ANNUAL_COST).is_ok());
        let err = OtherCost::new("x", "X", OtherCostBasis::PerPupil, MAX_ANNUAL_COST + Pence(1)).unwrap_err();
        assert_eq!(fields(&err), vec![("annual_cost", "out_of_range")]);
        // A budget of nothing, for one day, or for a leap year of 366 days is a budget; 367 days is not.
        let b = |start, end, amount| SenBudget { year_start: start, year_end: end, amount: Pence(amount) };
        assert!(b(d(2026, 4, 1), d(2026, 4, 1), 0).validate().is_ok());
        assert!(b(d(2027, 4, 1), d(2028, 4, 1), 1).validate().is_ok());
        assert_eq!(fields(&b(d(2027, 4, 1), d(2028, 4, 2), 1).validate().unwrap_err()), vec![("year_end", "out_of_range")]);
        let s = |other_costs, element2_thresholds, sen_budgets| CostingSettings {
            staff_roles: roles(),
            other_costs,
            calendar: calendar(),
            element2_thresholds,
            sen_budgets,
            delivery_alert: Default::default(),
        };
        let mut twice = other_costs();
        twice.push(twice[0].clone());
        let thresholds = vec![Dated { from: d(2015, 4, 1), value: Pence(600_000) }, Dated { from: d(2015, 4, 1), value: Pence(700_000) }];
        let err = s(twice, thresholds, vec![]).validate().unwrap_err();
        assert_eq!(fields(&err), vec![("other_costs[2].key", "duplicate_key"), ("element2_thresholds[1].from", "duplicate_date")]);
        // Thresholds on different dates, and budget years that meet without overlapping, are fine.
        let thresholds = vec![Dated { from: d(2015, 4, 1), value: Pence(600_000) }, Dated { from: d(2027, 4, 1), value: Pence(700_000) }];
        let years = vec![b(d(2026, 4, 1), d(2027, 3, 31), 1), b(d(2027, 4, 1), d(2028, 3, 31), 1)];
        assert!(s(other_costs(), thresholds, years).validate().is_ok());
    }

    #[test]
    fn staff_role_needs_a_positive_hourly_cost() {
        let err = StaffRole::new("ta", "Teaching assistant", Pence(0)).unwrap_err();
        assert_eq!(fields(&err), vec![("hourly_cost", "out_of_range")]);
        let err = StaffRole::new("ta", "TA", Pence(-1500)).unwrap_err();
        assert!(err.errors[0].message.contains("-£15.00"), "{}", err.errors[0].message);
        let err = StaffRole::new("Teaching Assistant", " ", Pence(1500)).unwrap_err();
        assert_eq!(fields(&err), vec![("key", "bad_key"), ("name", "required")]);
        assert_eq!(StaffRole::new(" ta ", " TA ", Pence(1500)).unwrap().key, "ta");
    }

    #[test]
    fn other_cost_needs_a_positive_annual_cost() {
        let err = OtherCost::new("licence", "Licence", OtherCostBasis::PerGroup, Pence(-1)).unwrap_err();
        assert_eq!(fields(&err), vec![("annual_cost", "out_of_range")]);
        let json = r#"{"key":"slope","name":"Writing slope","basis":"per_pupil","annual_cost":2500}"#;
        let c: OtherCost = serde_json::from_str(json).unwrap();
        assert_eq!(c.basis, OtherCostBasis::PerPupil);
    }

    #[test]
    fn r16_threshold_in_force_is_a_dated_setting() {
        let mut t = default_element2_thresholds();
        assert_eq!(in_force(&t, d(2026, 9, 1)), Some(&Pence(600_000)));
        assert_eq!(in_force(&t, d(2015, 3, 31)), None);
        t.push(Dated { from: d(2027, 4, 1), value: Pence(700_000) });
        assert_eq!(in_force(&t, d(2027, 3, 31)), Some(&Pence(600_000)));
        assert_eq!(in_force(&t, d(2027, 4, 1)), Some(&Pence(700_000)));
    }

    #[test]
    fn sen_budget_year_must_end_after_it_starts() {
        let b = SenBudget { year_start: d(2026, 4, 1), year_end: d(2026, 3, 31), amount: Pence(1) };
        assert_eq!(fields(&b.validate().unwrap_err()), vec![("year_end", "end_before_start")]);
        let b = SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence(-1) };
        assert_eq!(fields(&b.validate().unwrap_err()), vec![("amount", "out_of_range")]);
        let ok = SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence(1) };
        assert_eq!(budget_on(std::slice::from_ref(&ok), d(2026, 12, 1)), Some(&ok));
        assert_eq!(budget_on(&[ok], d(2027, 4, 1)), None);
    }

    #[test]
    fn settings_validate_together_naming_nested_fields() {
        let mut staff_roles = roles();
        staff_roles.push(StaffRole { key: "teacher".into(), name: "Teacher again".into(), hourly_cost: Pence(1) });
        staff_roles.push(StaffRole { key: "hlta".into(), name: "HLTA".into(), hourly_cost: Pence(0) });
        let mut cal = calendar();
        cal.terms[0].end = d(2026, 1, 1);
        let budget = SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence(1) };
        let s = CostingSettings {
            staff_roles,
            other_costs: other_costs(),
            calendar: cal,
            element2_thresholds: vec![Dated { from: d(2015, 4, 1), value: Pence(0) }],
            sen_budgets: vec![budget.clone(), SenBudget { year_start: d(2026, 9, 1), ..budget }],
            delivery_alert: crate::help_given::DeliveryAlert { share: 0, weeks: 3 },
        };
        let err = s.validate().unwrap_err();
        assert_eq!(
            fields(&err),
            vec![
                ("staff_roles[2].key", "duplicate_key"),
                ("staff_roles[3].hourly_cost", "out_of_range"),
                ("calendar.terms[0].end", "end_before_start"),
                ("element2_thresholds[0].value", "out_of_range"),
                ("sen_budgets[1].year_start", "years_overlap"),
                ("delivery_alert.share", "out_of_range"),
            ]
        );
    }

    #[test]
    fn settings_default_the_threshold_to_6000() {
        let json = r#"{"staff_roles":[],"calendar":{"terms":[{"name":"Autumn","start":"2026-09-02","end":"2026-12-18"}]}}"#;
        let s: CostingSettings = serde_json::from_str(json).unwrap();
        let s = s.validate().unwrap();
        assert_eq!(s.calendar.weeks_per_year, 39);
        assert_eq!(in_force(&s.element2_thresholds, d(2026, 9, 1)), Some(&ELEMENT2_THRESHOLD));
    }
}
