//! The plan editor's form: what was typed, read from a posted body, from a saved plan
//! or from the outcomes carried forward, and turned into a `PlanContent` plus the
//! errors of reading it (dates that are not dates, numbers that are not numbers).

use chrono::NaiveDate;
use senplan_core::Invalid;
use senplan_core::need::NeedCode;
use senplan_core::plan::{Carried, CarriedFrom, Outcome, PlanContent, Provision};

use crate::pages::form::{DateParts, MAX_ROWS, Posted, parse_number};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeForm {
    pub number: String,
    pub description: String,
    pub measure: String,
    pub baseline: String,
    pub target: String,
    pub target_date: DateParts,
    pub need: String,
    /// "cycle:outcome" when carried forward from an earlier cycle.
    pub carried_from: String,
}

/// A costing key as typed: blank means none.
fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvisionForm {
    pub number: String,
    pub what: String,
    pub delivered_by: String,
    /// Keys into the school's costing settings (blank: not costed).
    pub staff_role: String,
    pub provision_type: String,
    pub other_cost: String,
    pub minutes_per_session: String,
    pub sessions_per_week: String,
    pub group_size: String,
    pub start: DateParts,
    pub end: DateParts,
    pub outcomes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanForm {
    /// The version this edit is based on; 0 for a plan not yet saved.
    pub version: i64,
    pub needs_addressed: Vec<String>,
    pub outcomes: Vec<OutcomeForm>,
    pub provision: Vec<ProvisionForm>,
    /// One strategy per line.
    pub strategies: String,
    pub responsible: String,
    pub review_date: DateParts,
    pub parent_views: String,
    pub child_views: String,
}

fn outcome_form(o: &Outcome) -> OutcomeForm {
    OutcomeForm {
        number: o.number.to_string(),
        description: o.description.clone(),
        measure: o.measure.clone(),
        baseline: o.baseline.clone(),
        target: o.target.clone(),
        target_date: DateParts::from_date(o.target_date),
        need: o.need.map(|n| n.code().to_owned()).unwrap_or_default(),
        carried_from: o.carried_from.as_ref().map(|c| format!("{}:{}", c.cycle_number, c.outcome_number)).unwrap_or_default(),
    }
}

fn provision_form(p: &Provision) -> ProvisionForm {
    ProvisionForm {
        number: p.number.to_string(),
        what: p.what.clone(),
        delivered_by: p.delivered_by.clone(),
        staff_role: p.staff_role.clone().unwrap_or_default(),
        provision_type: p.provision_type.clone().unwrap_or_default(),
        other_cost: p.other_cost.clone().unwrap_or_default(),
        minutes_per_session: p.minutes_per_session.to_string(),
        sessions_per_week: p.sessions_per_week.to_string(),
        group_size: p.group_size.to_string(),
        start: DateParts::from_date(p.start),
        end: DateParts::from_opt(p.end),
        outcomes: p.outcomes.iter().map(u32::to_string).collect(),
    }
}

impl PlanForm {
    /// A saved plan, to edit.
    pub fn from_plan(version: i64, c: &PlanContent) -> Self {
        PlanForm {
            version,
            needs_addressed: c.needs_addressed.iter().map(|n| n.code().to_owned()).collect(),
            outcomes: c.outcomes.iter().map(outcome_form).collect(),
            provision: c.provision.iter().map(provision_form).collect(),
            strategies: c.strategies.join("\n"),
            responsible: c.responsible.clone(),
            review_date: DateParts::from_date(c.review_date),
            parent_views: c.parent_views.clone(),
            child_views: c.child_views.clone(),
        }
    }

    /// A new plan, every recorded need ticked, starting from what the last review
    /// carried (R05, R07): the unmet outcomes (or one blank outcome), the provision
    /// still running, the strategies and the person responsible.
    pub fn new_plan(needs: &[NeedCode], carried: &Carried) -> Self {
        let mut f = PlanForm {
            needs_addressed: needs.iter().map(|n| n.code().to_owned()).collect(),
            outcomes: carried.outcomes.iter().map(outcome_form).collect(),
            provision: carried.provision.iter().map(provision_form).collect(),
            strategies: carried.strategies.join("\n"),
            responsible: carried.responsible.clone(),
            ..PlanForm::default()
        };
        if f.outcomes.is_empty() {
            f.add_outcome();
        }
        f
    }

    pub fn from_posted(p: &Posted) -> Self {
        let outcomes = (0..p.rows("outcomes"))
            .map(|i| {
                let g = |n: &str| p.get(&format!("outcomes[{i}].{n}")).to_owned();
                OutcomeForm {
                    number: g("number"),
                    description: g("description"),
                    measure: g("measure"),
                    baseline: g("baseline"),
                    target: g("target"),
                    target_date: p.date(&format!("outcomes[{i}].target_date")),
                    need: g("need"),
                    carried_from: g("carried_from"),
                }
            })
            .collect();
        let provision = (0..p.rows("provision"))
            .map(|i| {
                let g = |n: &str| p.get(&format!("provision[{i}].{n}")).to_owned();
                ProvisionForm {
                    number: g("number"),
                    what: g("what"),
                    delivered_by: g("delivered_by"),
                    staff_role: g("staff_role"),
                    provision_type: g("provision_type"),
                    other_cost: g("other_cost"),
                    minutes_per_session: g("minutes_per_session"),
                    sessions_per_week: g("sessions_per_week"),
                    group_size: g("group_size"),
                    start: p.date(&format!("provision[{i}].start")),
                    end: p.date(&format!("provision[{i}].end")),
                    outcomes: p.all(&format!("provision[{i}].outcomes")),
                }
            })
            .collect();
        PlanForm {
            version: p.get("version").parse().unwrap_or(0),
            needs_addressed: p.all("needs_addressed"),
            outcomes,
            provision,
            strategies: p.get("strategies").to_owned(),
            responsible: p.get("responsible").to_owned(),
            review_date: p.date("review_date"),
            parent_views: p.get("parent_views").to_owned(),
            child_views: p.get("child_views").to_owned(),
        }
    }

    fn next_number<'a>(numbers: impl Iterator<Item = &'a String>) -> u32 {
        numbers.filter_map(|n| n.parse::<u32>().ok()).max().unwrap_or(0) + 1
    }

    pub fn add_outcome(&mut self) {
        if self.outcomes.len() < MAX_ROWS {
            let number = Self::next_number(self.outcomes.iter().map(|o| &o.number));
            self.outcomes.push(OutcomeForm { number: number.to_string(), ..OutcomeForm::default() });
        }
    }

    pub fn add_provision(&mut self) {
        if self.provision.len() < MAX_ROWS {
            let number = Self::next_number(self.provision.iter().map(|p| &p.number));
            // A new provision serves the only outcome, if there is just one.
            let outcomes = if let [only] = self.outcomes.as_slice() { vec![only.number.clone()] } else { Vec::new() };
            self.provision.push(ProvisionForm { number: number.to_string(), outcomes, ..ProvisionForm::default() });
        }
    }

    /// Removes outcome row `i`, and its number from every provision's links.
    pub fn remove_outcome(&mut self, i: usize) {
        if i < self.outcomes.len() {
            let gone = self.outcomes.remove(i).number;
            for p in &mut self.provision {
                p.outcomes.retain(|n| *n != gone);
            }
        }
    }

    pub fn remove_provision(&mut self, i: usize) {
        if i < self.provision.len() {
            self.provision.remove(i);
        }
    }

    /// The plan as core sees it, and what could not be read. Unreadable values are
    /// replaced by harmless placeholders so core can still check everything else.
    pub fn to_content(&self) -> (PlanContent, Invalid) {
        let mut e = Invalid::default();
        let placeholder = NaiveDate::default();
        let outcomes = self
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| Outcome {
                number: o.number.parse().unwrap_or(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                description: o.description.clone(),
                measure: o.measure.clone(),
                baseline: o.baseline.clone(),
                target: o.target.clone(),
                target_date: o.target_date.parse(&format!("outcomes[{i}].target_date"), "the target date", &mut e).unwrap_or(placeholder),
                need: NeedCode::parse(&o.need),
                carried_from: o
                    .carried_from
                    .split_once(':')
                    .and_then(|(c, n)| Some(CarriedFrom { cycle_number: c.parse().ok()?, outcome_number: n.parse().ok()? })),
            })
            .collect();
        let provision = self
            .provision
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let f = |n: &str| format!("provision[{i}].{n}");
                Provision {
                    number: p.number.parse().unwrap_or(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                    what: p.what.clone(),
                    delivered_by: p.delivered_by.clone(),
                    staff_role: non_blank(&p.staff_role),
                    provision_type: non_blank(&p.provision_type),
                    other_cost: non_blank(&p.other_cost),
                    minutes_per_session: parse_number(&p.minutes_per_session, &f("minutes_per_session"), "the minutes per session", &mut e)
                        .unwrap_or(1),
                    sessions_per_week: parse_number(&p.sessions_per_week, &f("sessions_per_week"), "the sessions per week", &mut e)
                        .unwrap_or(1),
                    group_size: parse_number(&p.group_size, &f("group_size"), "the group size", &mut e).unwrap_or(1),
                    start: p.start.parse(&f("start"), "the start date", &mut e).unwrap_or(placeholder),
                    end: p.end.parse_optional(&f("end"), "the end date", &mut e),
                    outcomes: p.outcomes.iter().filter_map(|n| n.parse().ok()).collect(),
                }
            })
            .collect();
        let content = PlanContent {
            needs_addressed: self.needs_addressed.iter().filter_map(|c| NeedCode::parse(c)).collect(),
            outcomes,
            provision,
            strategies: self.strategies.lines().map(str::to_owned).collect(),
            responsible: self.responsible.clone(),
            review_date: self.review_date.parse("review_date", "the review date", &mut e).unwrap_or(placeholder),
            parent_views: self.parent_views.clone(),
            child_views: self.child_views.clone(),
        };
        (content, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Posted {
        Posted(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn r07_posted_plan_round_trips_through_core_types() {
        let p = posted(&[
            ("version", "3"),
            ("needs_addressed", "SLCN"),
            ("outcomes[0].number", "1"),
            ("outcomes[0].description", "Read 40 words"),
            ("outcomes[0].measure", "Words read"),
            ("outcomes[0].baseline", "12"),
            ("outcomes[0].target", "40"),
            ("outcomes[0].target_date.day", "12"),
            ("outcomes[0].target_date.month", "2"),
            ("outcomes[0].target_date.year", "2027"),
            ("outcomes[0].need", "SLCN"),
            ("outcomes[0].carried_from", "1:2"),
            ("provision[0].number", "1"),
            ("provision[0].what", "Phonics"),
            ("provision[0].delivered_by", "Mrs Green"),
            ("provision[0].minutes_per_session", "30"),
            ("provision[0].sessions_per_week", "2"),
            ("provision[0].group_size", "4"),
            ("provision[0].start.day", "2"),
            ("provision[0].start.month", "11"),
            ("provision[0].start.year", "2026"),
            ("provision[0].outcomes", "1"),
            ("strategies", "Short instructions\r\nVisual timetable"),
            ("responsible", "Mr Ahmed"),
            ("review_date.day", "12"),
            ("review_date.month", "2"),
            ("review_date.year", "2027"),
        ]);
        let form = PlanForm::from_posted(&p);
        assert_eq!(form.version, 3);
        let (content, errors) = form.to_content();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(content.outcomes[0].carried_from, Some(CarriedFrom { cycle_number: 1, outcome_number: 2 }));
        assert_eq!(content.provision[0].outcomes, vec![1]);
        assert_eq!(content.strategies, vec!["Short instructions", "Visual timetable"]);
        let validated = content.clone().validate(&[NeedCode::Slcn]).unwrap();
        assert_eq!(PlanForm::from_plan(3, &validated).to_content().0, validated);
    }

    #[test]
    fn unreadable_values_are_errors_on_their_fields() {
        let p = posted(&[
            ("outcomes[0].target_date.day", "31"),
            ("outcomes[0].target_date.month", "2"),
            ("outcomes[0].target_date.year", "2027"),
            ("provision[0].minutes_per_session", "half an hour"),
        ]);
        let (_, e) = PlanForm::from_posted(&p).to_content();
        let fields: Vec<_> = e.errors.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "outcomes[0].target_date",
                "provision[0].minutes_per_session",
                "provision[0].sessions_per_week",
                "provision[0].group_size",
                "provision[0].start",
                "review_date"
            ]
        );
    }

    #[test]
    fn adding_and_removing_rows_keeps_numbers_and_links_straight() {
        let mut f = PlanForm::new_plan(&[NeedCode::Slcn], &Carried::default());
        assert_eq!(f.outcomes.len(), 1);
        f.add_provision();
        assert_eq!(f.provision[0].outcomes, vec!["1"], "a lone outcome is linked by default");
        f.add_outcome();
        assert_eq!(f.outcomes[1].number, "2");
        f.provision[0].outcomes.push("2".into());
        f.remove_outcome(0);
        assert_eq!(f.provision[0].outcomes, vec!["2"]);
        f.add_outcome();
        assert_eq!(f.outcomes[1].number, "3", "numbers are never reused within a plan");
    }
}
