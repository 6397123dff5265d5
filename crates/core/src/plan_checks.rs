//! Checks that help a SENCO write a plan people can act on, shown beside the plan
//! (not errors: a plan with gaps can still be saved).
//! - The golden thread (R27): every outcome linked to a need, every provision to at
//!   least one outcome, every outcome served by some provision.
//! - Wording (R28): outcomes and provision written so nobody could tell whether they
//!   happened or worked ("would benefit from", "access to", "regular", ...).

use crate::plan::PlanContent;

/// Phrases that make an outcome or provision impossible to check, with why.
pub const VAGUE_PHRASES: [(&str, &str); 6] = [
    ("would benefit from", "says what might help, not what will happen"),
    ("access to", "says something is available, not that it is given"),
    ("regular", "does not say how often"),
    ("as needed", "does not say when or how often"),
    ("support with", "does not say what the support is"),
    ("when required", "does not say when or how often"),
];

/// One thing to look at again, naming the part of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The plan field, e.g. `outcomes[1]` or `provision[0].what`.
    pub field: String,
    pub message: String,
}

/// Missing links in the golden thread (R27).
pub fn golden_thread(plan: &PlanContent) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for (i, o) in plan.outcomes.iter().enumerate() {
        if o.need.is_none() {
            gaps.push(Gap { field: format!("outcomes[{i}]"), message: format!("Outcome {} is not linked to a need", o.number) });
        }
        if !plan.provision.iter().any(|p| p.outcomes.contains(&o.number)) {
            gaps.push(Gap { field: format!("outcomes[{i}]"), message: format!("No provision serves outcome {}", o.number) });
        }
    }
    for (i, p) in plan.provision.iter().enumerate() {
        if p.outcomes.is_empty() {
            gaps.push(Gap { field: format!("provision[{i}]"), message: format!("Provision {} does not serve any outcome", p.number) });
        }
    }
    for need in &plan.needs_addressed {
        if !plan.outcomes.iter().any(|o| o.need == Some(*need)) {
            gaps.push(Gap {
                field: "needs_addressed".into(),
                message: format!("No outcome addresses {} ({})", need.meaning(), need.code()),
            });
        }
    }
    gaps
}

/// Vague wording in outcomes and provision (R28).
pub fn wording(plan: &PlanContent) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let mut check = |field: String, what: &str, text: &str| {
        let lower = text.to_lowercase();
        for (phrase, why) in VAGUE_PHRASES {
            if lower.contains(phrase) {
                gaps.push(Gap { field: field.clone(), message: format!("{what} says \"{phrase}\", which {why}") });
            }
        }
    };
    for (i, o) in plan.outcomes.iter().enumerate() {
        check(format!("outcomes[{i}].description"), &format!("Outcome {}", o.number), &o.description);
        check(format!("outcomes[{i}].target"), &format!("The target of outcome {}", o.number), &o.target);
    }
    for (i, p) in plan.provision.iter().enumerate() {
        check(format!("provision[{i}].what"), &format!("Provision {}", p.number), &p.what);
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::need::NeedCode;
    use crate::plan::tests::plan;

    #[test]
    fn r27_a_complete_plan_has_no_gaps() {
        assert_eq!(golden_thread(&plan()), vec![]);
    }

    #[test]
    fn r27_unlinked_outcomes_and_unaddressed_needs_are_shown() {
        let mut p = plan();
        p.outcomes[1].need = None;
        p.provision[0].outcomes = vec![1];
        p.needs_addressed.push(NeedCode::Semh);
        let messages: Vec<_> = golden_thread(&p).into_iter().map(|g| g.message).collect();
        assert_eq!(
            messages,
            vec![
                "Outcome 2 is not linked to a need",
                "No provision serves outcome 2",
                "No outcome addresses Social, emotional and mental health (SEMH)",
            ]
        );
    }

    #[test]
    fn r28_vague_phrases_are_flagged_with_the_reason() {
        let mut p = plan();
        p.outcomes[0].description = "Would benefit from regular reading".into();
        p.provision[0].what = "Access to a quiet room as needed".into();
        let gaps = wording(&p);
        let fields: Vec<_> = gaps.iter().map(|g| g.field.as_str()).collect();
        assert_eq!(fields, vec!["outcomes[0].description", "outcomes[0].description", "provision[0].what", "provision[0].what"]);
        assert_eq!(gaps[0].message, "Outcome 1 says \"would benefit from\", which says what might help, not what will happen");
        assert!(wording(&plan()).is_empty(), "the fixture plan is specific");
    }
}
