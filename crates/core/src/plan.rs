//! The SEN support plan (R07): the needs it addresses, outcomes that are specific and
//! measurable with a target date, provision linked to the outcomes it serves, the
//! strategies all staff must use, who is responsible, the agreed review date, and the
//! parent's and child's own words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};
use crate::need::NeedCode;

/// An outcome the plan aims for. `number` is stable within the plan and is what
/// provision and review ratings refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    pub number: u32,
    /// What the pupil will be able to do, e.g. "Read 40 high-frequency words".
    pub description: String,
    /// How it is measured, e.g. "Words read correctly from the Year 1 list".
    pub measure: String,
    /// Where the pupil is now, on that measure.
    pub baseline: String,
    /// Where they aim to be by the target date.
    pub target: String,
    pub target_date: NaiveDate,
    /// The need this outcome addresses.
    #[serde(default)]
    pub need: Option<NeedCode>,
    /// Set when carried forward from an earlier cycle's unmet outcome.
    #[serde(default)]
    pub carried_from: Option<CarriedFrom>,
}

/// Where a carried-forward outcome came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarriedFrom {
    pub cycle_number: u32,
    pub outcome_number: u32,
}

/// What a cycle's plan starts from, carried by the review that opened the cycle (R05,
/// R07): the outcomes not yet met, the provision still running, the strategies and the
/// person responsible. Empty for a pupil's first cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Carried {
    pub outcomes: Vec<Outcome>,
    #[serde(default)]
    pub provision: Vec<Provision>,
    #[serde(default)]
    pub strategies: Vec<String>,
    #[serde(default)]
    pub responsible: String,
}

/// One piece of special educational provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provision {
    pub number: u32,
    /// What help, e.g. "Small-group phonics (Read Write Inc.)".
    pub what: String,
    /// Who delivers it, e.g. "Mrs Green, teaching assistant".
    pub delivered_by: String,
    pub minutes_per_session: u32,
    pub sessions_per_week: u32,
    /// Number of pupils in the group; 1 for one-to-one.
    pub group_size: u32,
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// Numbers of the outcomes this provision serves (at least one).
    pub outcomes: Vec<u32>,
    /// Key of the staff role who delivers it (costing settings), e.g. `teaching_assistant`.
    #[serde(default)]
    pub staff_role: Option<String>,
    /// Key of its kind in the provision library, e.g. `small_group_work`.
    #[serde(default)]
    pub provision_type: Option<String>,
    /// Key of an other cost (licence, equipment) that goes with it.
    #[serde(default)]
    pub other_cost: Option<String>,
}

/// The whole content of a plan, as written and as stored (each save is a version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanContent {
    pub needs_addressed: Vec<NeedCode>,
    pub outcomes: Vec<Outcome>,
    #[serde(default)]
    pub provision: Vec<Provision>,
    /// Strategies every adult working with the pupil must use.
    #[serde(default)]
    pub strategies: Vec<String>,
    /// The person responsible for the plan day to day.
    pub responsible: String,
    pub review_date: NaiveDate,
    #[serde(default)]
    pub parent_views: String,
    /// The child's, or the young person's, own views.
    #[serde(default)]
    pub child_views: String,
}

impl PlanContent {
    pub fn outcome(&self, number: u32) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.number == number)
    }

    /// Normalises text and checks every rule that a saved plan must keep.
    /// `recorded_needs` are the pupil's needs; a plan can only address those.
    pub fn validate(mut self, recorded_needs: &[NeedCode]) -> Result<PlanContent, Invalid> {
        let mut e = Invalid::default();
        for (i, code) in self.needs_addressed.iter().enumerate() {
            if !recorded_needs.contains(code) {
                e.push(
                    format!("needs_addressed[{i}]"),
                    "need_not_recorded",
                    format!("{} is not one of the pupil's recorded needs", code.code()),
                );
            }
        }
        if self.needs_addressed.is_empty() {
            e.push("needs_addressed", "required", "Choose at least one need this plan addresses");
        }
        if self.outcomes.is_empty() {
            e.push("outcomes", "required", "Add at least one outcome");
        }
        let mut seen = Vec::new();
        for (i, o) in self.outcomes.iter_mut().enumerate() {
            let f = |name: &str| format!("outcomes[{i}].{name}");
            if seen.contains(&o.number) || o.number == 0 {
                e.push(f("number"), "duplicate_number", "Each outcome needs its own number, from 1");
            }
            seen.push(o.number);
            o.description = clean_text(&f("description"), &o.description, 1000, &mut e);
            e.require_text(&f("description"), &o.description, "what the pupil will achieve");
            o.measure = clean_text(&f("measure"), &o.measure, 500, &mut e);
            e.require_text(&f("measure"), &o.measure, "how progress will be measured");
            o.baseline = clean_text(&f("baseline"), &o.baseline, 500, &mut e);
            e.require_text(&f("baseline"), &o.baseline, "where the pupil is now");
            o.target = clean_text(&f("target"), &o.target, 500, &mut e);
            e.require_text(&f("target"), &o.target, "the target to reach");
            if let Some(need) = o.need.filter(|n| !recorded_needs.contains(n)) {
                e.push(f("need"), "need_not_recorded", format!("{} is not one of the pupil's recorded needs", need.code()));
            }
        }
        let mut seen = Vec::new();
        for (i, p) in self.provision.iter_mut().enumerate() {
            let f = |name: &str| format!("provision[{i}].{name}");
            if seen.contains(&p.number) || p.number == 0 {
                e.push(f("number"), "duplicate_number", "Each provision needs its own number, from 1");
            }
            seen.push(p.number);
            p.what = clean_text(&f("what"), &p.what, 500, &mut e);
            e.require_text(&f("what"), &p.what, "what help will be given");
            p.delivered_by = clean_text(&f("delivered_by"), &p.delivered_by, 200, &mut e);
            // Costing keys are checked against the school's settings by the store.
            for key in [&mut p.staff_role, &mut p.provision_type, &mut p.other_cost] {
                *key = key.take().map(|k| k.trim().to_owned()).filter(|k| !k.is_empty());
            }
            e.require_text(&f("delivered_by"), &p.delivered_by, "who delivers it");
            if !(1..=600).contains(&p.minutes_per_session) {
                e.push(f("minutes_per_session"), "out_of_range", "Minutes per session must be between 1 and 600");
            }
            if !(1..=50).contains(&p.sessions_per_week) {
                e.push(f("sessions_per_week"), "out_of_range", "Sessions per week must be between 1 and 50");
            }
            if !(1..=60).contains(&p.group_size) {
                e.push(f("group_size"), "out_of_range", "Group size must be between 1 (one-to-one) and 60");
            }
            if p.end.is_some_and(|end| end < p.start) {
                e.push(f("end"), "end_before_start", "The end date must be on or after the start date");
            }
            if p.outcomes.is_empty() {
                e.push(f("outcomes"), "required", "Link this provision to at least one outcome it serves");
            }
            for n in &p.outcomes {
                if self.outcomes.iter().all(|o| o.number != *n) {
                    e.push(f("outcomes"), "unknown_outcome", format!("There is no outcome {n} in this plan"));
                }
            }
        }
        let mut strategies = Vec::new();
        for (i, s) in self.strategies.iter().enumerate() {
            let s = clean_text(&format!("strategies[{i}]"), s, 500, &mut e);
            if !s.is_empty() {
                strategies.push(s);
            }
        }
        self.strategies = strategies;
        self.responsible = clean_text("responsible", &self.responsible, 200, &mut e);
        e.require_text("responsible", &self.responsible, "who is responsible for the plan");
        self.parent_views = clean_text("parent_views", &self.parent_views, 5000, &mut e);
        self.child_views = clean_text("child_views", &self.child_views, 5000, &mut e);
        e.into_result()?;
        Ok(self)
    }

    /// Before support starts (plan → do) the plan must have provision for it to deliver.
    pub fn check_ready_for_delivery(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        if self.provision.is_empty() {
            e.push("provision", "required", "Add the provision that will be delivered before starting the support");
        }
        for o in &self.outcomes {
            if !self.provision.iter().any(|p| p.outcomes.contains(&o.number)) {
                e.push("provision", "outcome_without_provision", format!("No provision serves outcome {} ({})", o.number, o.description));
            }
        }
        e.into_result()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn outcome(number: u32) -> Outcome {
        Outcome {
            number,
            description: format!("Outcome {number}"),
            measure: "Words read correctly".into(),
            baseline: "12 words".into(),
            target: "40 words".into(),
            target_date: d(2027, 2, 12),
            need: Some(NeedCode::Slcn),
            carried_from: None,
        }
    }

    pub fn plan() -> PlanContent {
        PlanContent {
            needs_addressed: vec![NeedCode::Slcn],
            outcomes: vec![outcome(1), outcome(2)],
            provision: vec![Provision {
                number: 1,
                what: "Small-group language programme".into(),
                delivered_by: "Mrs Green, TA".into(),
                minutes_per_session: 30,
                sessions_per_week: 2,
                group_size: 4,
                start: d(2026, 11, 2),
                end: None,
                outcomes: vec![1, 2],
                staff_role: None,
                provision_type: None,
                other_cost: None,
            }],
            strategies: vec!["Give instructions in short chunks".into(), "  ".into()],
            responsible: "Mr Ahmed, class teacher".into(),
            review_date: d(2027, 2, 12),
            parent_views: "He enjoys stories".into(),
            child_views: "I like working with Mrs Green".into(),
        }
    }

    #[test]
    fn r07_plan_links_provision_to_outcomes() {
        let p = plan().validate(&[NeedCode::Slcn]).unwrap();
        assert_eq!(p.provision[0].outcomes, vec![1, 2]);
        assert_eq!(p.strategies, vec!["Give instructions in short chunks"], "blank strategies are dropped");
        let mut bad = plan();
        bad.provision[0].outcomes = vec![3];
        let err = bad.validate(&[NeedCode::Slcn]).unwrap_err();
        assert_eq!(err.errors[0].field, "provision[0].outcomes");
        assert_eq!(err.errors[0].code, "unknown_outcome");
    }

    #[test]
    fn r07_outcomes_must_be_measurable_with_all_parts() {
        let mut bad = plan();
        bad.outcomes[1].measure = "".into();
        bad.outcomes[1].baseline = " ".into();
        let err = bad.validate(&[NeedCode::Slcn]).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["outcomes[1].measure", "outcomes[1].baseline"]);
    }

    #[test]
    fn r07_provision_figures_are_checked() {
        let mut bad = plan();
        bad.provision[0].group_size = 0;
        bad.provision[0].end = Some(d(2026, 10, 1));
        let err = bad.validate(&[NeedCode::Slcn]).unwrap_err();
        let codes: Vec<_> = err.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, vec!["out_of_range", "end_before_start"]);
    }

    #[test]
    fn r07_plan_addresses_only_recorded_needs() {
        let err = plan().validate(&[NeedCode::Asd]).unwrap_err();
        assert!(err.errors.iter().all(|e| e.code == "need_not_recorded"));
        assert_eq!(err.errors.len(), 3);
    }

    #[test]
    fn r07_delivery_needs_provision_for_every_outcome() {
        let mut p = plan();
        p.provision[0].outcomes = vec![1];
        let err = p.check_ready_for_delivery().unwrap_err();
        assert_eq!(err.errors[0].code, "outcome_without_provision");
        assert!(plan().check_ready_for_delivery().is_ok());
    }
}
