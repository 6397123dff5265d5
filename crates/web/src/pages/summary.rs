//! Read-only views of a plan, a review and a cycle's tasks, shared by the pupil record,
//! the cycle page and the conflict page. Rendered by the macros in `templates/summaries.html`.

use senplan_core::cycle::Stage;
use senplan_core::plan::{PlanContent, Provision};
use senplan_core::record::{Cycle, Plan, Review};
use senplan_core::referral::PlanItem;
use senplan_core::review::Checklist;
use senplan_app::referrals::PlanSource;

use super::text::{long_date, need, when};

pub struct OutcomeLine {
    pub number: u32,
    pub description: String,
    pub measure: String,
    pub baseline: String,
    pub target: String,
    pub target_date: String,
    pub need: Option<String>,
    pub carried: Option<String>,
    /// "Recommended in the advice of …" when it came from a referral (R18).
    pub source: Option<String>,
}

pub struct ProvisionLine {
    pub what: String,
    pub delivered_by: String,
    pub how_often: String,
    pub group: String,
    pub dates: String,
    pub serves: String,
    pub number: u32,
    pub source: Option<String>,
}

/// A plan as people read it.
pub struct PlanSummary {
    pub heading: String,
    pub version: i64,
    pub updated: String,
    pub updated_by: String,
    pub history_href: String,
    /// The staff copy as a PDF (R09).
    pub copy_href: String,
    /// The family's copy, for those who may produce it (the SENCO).
    pub family_copy_href: Option<String>,
    pub needs: Vec<String>,
    pub outcomes: Vec<OutcomeLine>,
    pub provision: Vec<ProvisionLine>,
    pub strategies: Vec<String>,
    /// (strategy, where it came from) for strategies recommended by a service.
    pub strategy_sources: Vec<(String, String)>,
    pub responsible: String,
    pub review_date: String,
    pub parent_views: String,
    pub child_views: String,
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub fn serves(numbers: &[u32]) -> String {
    let n: Vec<String> = numbers.iter().map(u32::to_string).collect();
    match n.len() {
        0 => "No outcome".into(),
        1 => format!("Outcome {}", n[0]),
        _ => format!("Outcomes {}", and_list(&n)),
    }
}

fn provision_line(p: &Provision) -> ProvisionLine {
    let times = if p.sessions_per_week == 1 { "once a week".to_owned() } else { format!("{} times a week", p.sessions_per_week) };
    ProvisionLine {
        what: p.what.clone(),
        delivered_by: p.delivered_by.clone(),
        how_often: format!("{} minutes, {times}", p.minutes_per_session),
        group: if p.group_size == 1 { "One-to-one".into() } else { format!("Group of {}", p.group_size) },
        dates: match p.end {
            Some(end) => format!("{} to {}", long_date(p.start), long_date(end)),
            None => format!("From {}", long_date(p.start)),
        },
        serves: serves(&p.outcomes),
        number: p.number,
        source: None,
    }
}

impl PlanSummary {
    /// Offers the family's copy too (to those who may change the record).
    pub fn family_copy(mut self, offered: bool) -> Self {
        self.family_copy_href = offered.then(|| format!("{}?for=family", self.copy_href));
        self
    }

    /// Names where parts of the plan came from: the recommendations turned into them.
    pub fn sources(mut self, sources: &[PlanSource]) -> Self {
        for src in sources {
            match src.item {
                PlanItem::Outcome => {
                    if let Some(o) = self.outcomes.iter_mut().find(|o| o.number == src.number) {
                        o.source = Some(src.words.clone());
                    }
                }
                PlanItem::Provision => {
                    if let Some(p) = self.provision.iter_mut().find(|p| p.number == src.number) {
                        p.source = Some(src.words.clone());
                    }
                }
                PlanItem::Strategy => self.strategy_sources.push((src.text.clone(), src.words.clone())),
            }
        }
        self
    }

    pub fn new(school: i64, heading: impl Into<String>, plan: &Plan) -> Self {
        let c: &PlanContent = &plan.content;
        PlanSummary {
            heading: heading.into(),
            version: plan.version,
            updated: when(&plan.updated_at),
            updated_by: plan.updated_by.clone(),
            history_href: format!("/schools/{school}/history/plan/{}", plan.id),
            copy_href: format!("/schools/{school}/plans/{}/copy.pdf", plan.id),
            family_copy_href: None,
            needs: c.needs_addressed.iter().map(|n| need(*n)).collect(),
            outcomes: c
                .outcomes
                .iter()
                .map(|o| OutcomeLine {
                    number: o.number,
                    description: o.description.clone(),
                    measure: o.measure.clone(),
                    baseline: o.baseline.clone(),
                    target: o.target.clone(),
                    target_date: long_date(o.target_date),
                    need: o.need.map(need),
                    carried: o
                        .carried_from
                        .as_ref()
                        .map(|f| format!("Carried forward from cycle {}, outcome {}", f.cycle_number, f.outcome_number)),
                    source: None,
                })
                .collect(),
            provision: c.provision.iter().map(provision_line).collect(),
            strategies: c.strategies.clone(),
            strategy_sources: Vec::new(),
            responsible: c.responsible.clone(),
            review_date: long_date(c.review_date),
            parent_views: c.parent_views.clone(),
            child_views: c.child_views.clone(),
        }
    }
}

pub struct RatingLine {
    pub outcome: String,
    pub rating: &'static str,
    pub tag: &'static str,
    pub evidence: String,
}

/// A review as people read it.
pub struct ReviewSummary {
    pub version: i64,
    pub updated: String,
    pub updated_by: String,
    pub history_href: String,
    /// The staff copy as a PDF (R09).
    pub copy_href: String,
    /// The family's copy, for those who may produce it (the SENCO).
    pub family_copy_href: Option<String>,
    pub held_on: String,
    pub ratings: Vec<RatingLine>,
    pub progress: String,
    pub checklist: Vec<(&'static str, String)>,
    pub parent_views: String,
    pub child_views: String,
    pub decision: &'static str,
    pub decision_reason: String,
}

fn yes_no(b: bool) -> String {
    if b { "Yes".into() } else { "No".into() }
}

impl ReviewSummary {
    /// Offers the family's copy too (to those who may change the record).
    pub fn family_copy(mut self, offered: bool) -> Self {
        self.family_copy_href = offered.then(|| format!("{}?for=family", self.copy_href));
        self
    }

    pub fn new(school: i64, review: &Review, plan: Option<&PlanContent>) -> Self {
        let r = &review.content;
        let c = &r.checklist;
        let answers = [
            yes_no(c.all_needs_identified),
            yes_no(c.help_in_place_for_all_needs),
            yes_no(c.outcomes_agreed_specific_measurable),
            c.progress_towards_outcomes.clone(),
            c.difference_help_is_making.clone(),
        ];
        ReviewSummary {
            version: review.version,
            updated: when(&review.updated_at),
            updated_by: review.updated_by.clone(),
            history_href: format!("/schools/{school}/history/review/{}", review.id),
            copy_href: format!("/schools/{school}/reviews/{}/copy.pdf", review.id),
            family_copy_href: None,
            held_on: long_date(r.held_on),
            ratings: r
                .ratings
                .iter()
                .map(|x| RatingLine {
                    outcome: match plan.and_then(|p| p.outcome(x.outcome)) {
                        Some(o) => format!("Outcome {}: {}", o.number, o.description),
                        None => format!("Outcome {}", x.outcome),
                    },
                    rating: x.rating.label(),
                    tag: match x.rating {
                        senplan_core::review::Rating::Met => "govuk-tag--green",
                        senplan_core::review::Rating::PartlyMet => "govuk-tag--yellow",
                        senplan_core::review::Rating::NotMet => "govuk-tag--red",
                    },
                    evidence: x.evidence.clone(),
                })
                .collect(),
            progress: format!("{} ({:+})", r.progress.label(), r.progress.value()),
            checklist: Checklist::QUESTIONS.into_iter().zip(answers).collect(),
            parent_views: r.parent_views.clone(),
            child_views: r.child_views.clone(),
            decision: r.decision.label(),
            decision_reason: r.decision_reason.clone(),
        }
    }
}

/// One row of the cycle's task list (GOV.UK task list component).
pub struct Task {
    pub id: &'static str,
    pub name: &'static str,
    pub hint: String,
    pub href: Option<String>,
    pub status: &'static str,
    /// Tag class; empty for plain "Completed" text.
    pub tag: &'static str,
}

/// Assess, plan, do, review for one cycle, each with what it means and where it stands.
/// The cycle's task list. Someone who may change records (`may_edit`) is taken to the
/// plan and review forms; anyone else to the cycle's page, where the plan and review
/// are shown, and only once there is one to read.
pub fn tasks(school: i64, cycle: &Cycle, contributions: usize, has_plan: bool, has_review: bool, may_edit: bool) -> Vec<Task> {
    let base = format!("/schools/{school}/cycles/{}", cycle.id);
    let order = |s: Stage| match s {
        Stage::Assess => 0,
        Stage::Plan => 1,
        Stage::Do => 2,
        Stage::Review => 3,
        Stage::Closed => 4,
    };
    let now = order(cycle.stage);
    let state = |step: u8| -> (&'static str, &'static str) {
        if now > step {
            ("Completed", "")
        } else if now == step {
            ("In progress", "govuk-tag--light-blue")
        } else {
            ("Not yet started", "govuk-tag--grey")
        }
    };
    let (a, at) = state(0);
    let (p, pt) = state(1);
    let (d, dt) = state(2);
    let (r, rt) = if has_review { ("Completed", "") } else { state(3) };
    vec![
        Task {
            id: "assess",
            name: "Assess",
            hint: format!("Views from the parent, the pupil, staff and specialists. {contributions} recorded."),
            href: Some(format!("{base}/assess")),
            status: a,
            tag: at,
        },
        Task {
            id: "plan",
            name: "Plan",
            hint: "Outcomes, the support that serves them, and the review date.".into(),
            href: if now <= 2 && may_edit { Some(format!("{base}/plan")) } else { has_plan.then(|| base.clone()) },
            status: p,
            tag: pt,
        },
        Task { id: "do", name: "Do", hint: "The support is delivered as planned.".into(), href: Some(base.clone()), status: d, tag: dt },
        Task {
            id: "review",
            name: "Review",
            hint: "Rate each outcome, hear the parent and pupil, and decide next steps.".into(),
            href: if may_edit { (now >= 2).then(|| format!("{base}/review")) } else { has_review.then(|| base.clone()) },
            status: r,
            tag: rt,
        },
    ]
}
