//! The plan editor's view model: one GOV.UK field per value typed, errors on each, the
//! provision's outcome checkboxes built from the outcomes as typed, and, after a
//! stale save, the version someone else saved shown above what this user typed.

use senplan_core::need::NeedCode;

use super::form::PlanForm;
use crate::pages::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use crate::pages::nav::Nav;
use crate::pages::summary::PlanSummary;
use crate::pages::text;

pub struct OutcomeView {
    pub index: usize,
    pub title: String,
    pub number: String,
    pub carried_from: String,
    pub carried_note: Option<String>,
    pub description: Text,
    pub measure: Text,
    pub baseline: Text,
    pub target: Text,
    pub target_date: DateInput,
    pub need: Choices,
}

pub struct ProvisionView {
    pub index: usize,
    pub title: String,
    pub number: String,
    pub what: Text,
    pub delivered_by: Text,
    pub staff_role: Choices,
    pub provision_type: Choices,
    pub other_cost: String,
    pub minutes: Text,
    pub sessions: Text,
    pub group_size: Text,
    pub start: DateInput,
    pub end: DateInput,
    pub outcomes: Choices,
}

/// Who saved first, and what they saved.
pub struct ConflictView {
    pub theirs: PlanSummary,
}

/// Where the editor sits: the school, pupil and cycle, for links and headings.
pub struct Context {
    pub school: i64,
    pub pupil: i64,
    pub cycle: i64,
    pub cycle_number: u32,
    pub name: String,
    pub recorded_needs: Vec<NeedCode>,
    /// The signed-in person's header menu.
    pub nav: Nav,
    /// The school's staff roles and provision types, (key, name), for costing.
    pub staff_roles: Vec<(String, String)>,
    pub provision_types: Vec<(String, String)>,
}

/// A select of costing keys: "not costed" first, then the school's, keeping a key
/// the settings no longer have so nothing typed or saved is lost.
fn key_options(current: &str, none: &str, known: &[(String, String)]) -> Vec<Choice> {
    let mut v = vec![Choice::new("", none, current.is_empty())];
    v.extend(known.iter().map(|(k, n)| Choice::new(k.clone(), n.clone(), *k == current)));
    if !current.is_empty() && known.iter().all(|(k, _)| k != current) {
        v.push(Choice::new(current, format!("{current} (not in the costing settings)"), true));
    }
    v
}

#[derive(askama::Template)]
#[template(path = "plan_edit.html")]
pub struct PlanEditor {
    nav: Nav,
    pub school: i64,
    pub pupil: i64,
    pub cycle: i64,
    pub cycle_number: u32,
    pub name: String,
    pub version: i64,
    pub is_new: bool,
    pub no_needs: bool,
    pub errors: Vec<ErrorLink>,
    pub outcomes_error: Option<String>,
    pub provision_error: Option<String>,
    pub conflict: Option<ConflictView>,
    pub needs_addressed: Choices,
    pub outcomes: Vec<OutcomeView>,
    pub provision: Vec<ProvisionView>,
    pub strategies: Text,
    pub responsible: Text,
    pub review_date: DateInput,
    pub parent_views: Text,
    pub child_views: Text,
}

fn carried_note(code: &str) -> Option<String> {
    let (c, n) = code.split_once(':')?;
    Some(format!("Carried forward: not met in cycle {c} (outcome {n} there)"))
}

impl PlanEditor {
    pub fn new(ctx: &Context, form: &PlanForm, errors: &Errors, conflict: Option<ConflictView>) -> Self {
        let needs = &ctx.recorded_needs;
        let outcome_label = |o: &super::form::OutcomeForm| {
            if o.description.trim().is_empty() {
                format!("Outcome {} (not described yet)", o.number)
            } else {
                format!("Outcome {}: {}", o.number, o.description.trim())
            }
        };
        let outcomes = form
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let f = |n: &str| format!("outcomes[{i}].{n}");
                let mut need_options = vec![Choice::new("", "Not linked to one need", o.need.is_empty())];
                need_options.extend(needs.iter().map(|n| Choice::new(n.code(), text::need(*n), o.need.eq_ignore_ascii_case(n.code()))));
                OutcomeView {
                    index: i,
                    title: format!("Outcome {}", o.number),
                    number: o.number.clone(),
                    carried_from: o.carried_from.clone(),
                    carried_note: carried_note(&o.carried_from),
                    description: Text::new(&f("description"), "What the pupil will achieve", &o.description, errors)
                        .hint("Specific: for example, read 40 high-frequency words")
                        .area(2)
                        .bold()
                        .context(format!("(outcome {})", o.number)),
                    measure: Text::new(&f("measure"), "How progress will be measured", &o.measure, errors)
                        .bold()
                        .context(format!("(outcome {})", o.number)),
                    baseline: Text::new(&f("baseline"), "Where the pupil is now (baseline)", &o.baseline, errors)
                        .bold()
                        .context(format!("(outcome {})", o.number)),
                    target: Text::new(&f("target"), "Target", &o.target, errors).bold().context(format!("(outcome {})", o.number)),
                    target_date: DateInput::new(&f("target_date"), "Target date", o.target_date.clone(), errors),
                    need: Choices::new(&f("need"), "Need this outcome addresses", need_options, errors),
                }
            })
            .collect();
        let provision = form
            .provision
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let f = |n: &str| format!("provision[{i}].{n}");
                let links =
                    form.outcomes.iter().map(|o| Choice::new(o.number.clone(), outcome_label(o), p.outcomes.contains(&o.number))).collect();
                ProvisionView {
                    index: i,
                    title: format!("Provision {}", p.number),
                    number: p.number.clone(),
                    what: Text::new(&f("what"), "What help", &p.what, errors)
                        .hint("For example, small-group phonics")
                        .bold()
                        .context(format!("(provision {})", p.number)),
                    delivered_by: Text::new(&f("delivered_by"), "Who delivers it", &p.delivered_by, errors)
                        .hint("Name and role")
                        .bold()
                        .context(format!("(provision {})", p.number)),
                    staff_role: Choices::new(
                        &f("staff_role"),
                        "Staff role, for costing",
                        key_options(&p.staff_role, "Not costed", &ctx.staff_roles),
                        errors,
                    )
                    .hint("Whose time this is, from the costing settings"),
                    provision_type: Choices::new(
                        &f("provision_type"),
                        "Kind of provision",
                        key_options(&p.provision_type, "Not set", &ctx.provision_types),
                        errors,
                    ),
                    other_cost: p.other_cost.clone(),
                    minutes: Text::new(&f("minutes_per_session"), "Minutes per session", &p.minutes_per_session, errors)
                        .numeric()
                        .bold()
                        .context(format!("(provision {})", p.number)),
                    sessions: Text::new(&f("sessions_per_week"), "Sessions per week", &p.sessions_per_week, errors)
                        .numeric()
                        .bold()
                        .context(format!("(provision {})", p.number)),
                    group_size: Text::new(&f("group_size"), "Group size", &p.group_size, errors)
                        .hint("1 for one-to-one")
                        .numeric()
                        .bold()
                        .context(format!("(provision {})", p.number)),
                    start: DateInput::new(&f("start"), "Start date", p.start.clone(), errors),
                    end: DateInput::new(&f("end"), "End date (optional)", p.end.clone(), errors),
                    outcomes: Choices::new(&f("outcomes"), "Outcomes this provision serves", links, errors)
                        .hint("Select all that apply")
                        .small(),
                }
            })
            .collect();
        let need_boxes = needs
            .iter()
            .map(|n| Choice::new(n.code(), text::need(*n), form.needs_addressed.iter().any(|c| c.eq_ignore_ascii_case(n.code()))))
            .collect();
        PlanEditor {
            nav: ctx.nav.clone(),
            school: ctx.school,
            pupil: ctx.pupil,
            cycle: ctx.cycle,
            cycle_number: ctx.cycle_number,
            name: ctx.name.clone(),
            version: form.version,
            is_new: form.version == 0,
            no_needs: needs.is_empty(),
            errors: errors.summary(),
            outcomes_error: errors.on("outcomes"),
            provision_error: errors.on("provision"),
            conflict,
            needs_addressed: Choices::new("needs_addressed", "Needs this plan addresses", need_boxes, errors).legend_m(),
            outcomes,
            provision,
            strategies: Text::new("strategies", "Strategies all staff must use", &form.strategies, errors)
                .hint("One on each line, for example: give instructions in short chunks")
                .area(4)
                .bold(),
            responsible: Text::new("responsible", "Who is responsible for the plan", &form.responsible, errors)
                .hint("Name and role, for example Mr Ahmed, class teacher")
                .bold(),
            review_date: DateInput::new("review_date", "Agreed review date", form.review_date.clone(), errors),
            parent_views: Text::new("parent_views", "The parent's or carer's views", &form.parent_views, errors).area(4).bold(),
            child_views: Text::new("child_views", "The pupil's own views", &form.child_views, errors)
                .hint("In their own words where possible")
                .area(4)
                .bold(),
        }
    }
}
