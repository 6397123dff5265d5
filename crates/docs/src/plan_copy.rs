//! A copy of a SEN support plan (R09): the needs it addresses (each code explained),
//! the outcomes as a table, the help given (how often, in what group, when, for which
//! outcomes), the strategies, who is responsible, the review date and the views, for
//! staff or the family. Only a staff copy shows hours and costs, and only as given:
//! this crate never works a cost out.

use senplan_core::costing::{Minutes, Pence};
use senplan_core::dates::in_words;
use senplan_core::plan::{Outcome, PlanContent, Provision};
use serde::{Deserialize, Serialize};

use crate::context::{Audience, DocContext, Fact, Header, Pdf, Voice};
use crate::error::DocError;
use crate::render::{Template, render};
use crate::words;

/// What a staff copy shows for one provision: its hours a year and cost, as the
/// application's costing worked them out (R15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionCost {
    /// The provision's `number` in the plan.
    pub number: u32,
    /// The pupil's time in it over a year.
    pub minutes_a_year: Minutes,
    /// Its cost for the pupil over a year.
    pub cost: Pence,
}

/// Everything a copy of a plan shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCopy {
    pub context: DocContext,
    /// Which support cycle (assess, plan, do, review) the plan belongs to, from 1.
    pub cycle_number: u32,
    /// The version of the plan shown (each save is a version), from 1.
    pub plan_version: u32,
    pub plan: PlanContent,
    /// Hours and cost per provision, for a staff copy. Ignored in a family copy, which
    /// never shows costs even when they are given.
    #[serde(default)]
    pub costs: Option<Vec<ProvisionCost>>,
}

/// Typesets a copy of a plan as an accessible PDF (PDF/UA-1).
pub fn plan_copy(doc: &PlanCopy) -> Result<Pdf, DocError> {
    let view = PlanView::new(doc);
    let title = view.header.title.clone();
    let ctx = &doc.context;
    let audience = match ctx.audience {
        Audience::Staff => "staff",
        Audience::Parent | Audience::YoungPerson => "family",
    };
    let ident = format!("plan/{}/{}/{}/{audience}", ctx.pupil_full_name, doc.cycle_number, doc.plan_version);
    let bytes = render(Template::Plan, &view, &[], ctx.produced_on, &ident)?;
    let version = format!("v{}", doc.plan_version);
    let mut parts = vec!["SEN support plan", ctx.pupil_full_name.as_str(), version.as_str()];
    if ctx.audience == Audience::Staff {
        parts.push("staff");
    }
    Ok(Pdf { bytes, title, file_name: words::file_name(&parts, "pdf") })
}

/// The plan as `plan.typ` reads it: every word ready to print.
#[derive(Debug, Serialize)]
struct PlanView {
    header: Header,
    headings: Headings,
    needs: Vec<String>,
    outcomes: Vec<OutcomeRow>,
    show_costs: bool,
    provision: Vec<ProvisionRow>,
    strategies: Vec<String>,
    responsible: String,
    review: String,
    views: Vec<ViewSection>,
}

/// The level-2 headings, worded for the audience.
#[derive(Debug, Serialize)]
struct Headings {
    needs: String,
    outcomes: String,
    provision: String,
    strategies: String,
    responsible: String,
    views: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct OutcomeRow {
    pub(crate) number: String,
    pub(crate) description: String,
    /// "Need: Speech, language and communication needs (SLCN)".
    pub(crate) need: Option<String>,
    /// "Carried forward from cycle 1, outcome 2".
    pub(crate) carried: Option<String>,
    pub(crate) measure: String,
    pub(crate) baseline: String,
    pub(crate) target: String,
    pub(crate) target_date: String,
}

impl OutcomeRow {
    pub(crate) fn new(o: &Outcome) -> OutcomeRow {
        OutcomeRow {
            number: o.number.to_string(),
            description: o.description.trim().to_owned(),
            need: o.need.map(|n| format!("Need: {}", words::need(n))),
            carried: o
                .carried_from
                .as_ref()
                .map(|c| format!("Carried forward from cycle {}, outcome {}", c.cycle_number, c.outcome_number)),
            measure: o.measure.trim().to_owned(),
            baseline: o.baseline.trim().to_owned(),
            target: o.target.trim().to_owned(),
            target_date: in_words(o.target_date),
        }
    }
}

#[derive(Debug, Serialize)]
struct ProvisionRow {
    what: String,
    who: String,
    /// "30 minutes, twice a week, in a group of 4".
    how_often: String,
    dates: String,
    /// "For outcomes 1 and 2".
    outcomes: String,
    /// Staff copy with costs only: "58.50".
    hours: Option<String>,
    /// Staff copy with costs only: "£1,234.50".
    cost: Option<String>,
}

impl ProvisionRow {
    fn new(p: &Provision, cost: Option<Option<&ProvisionCost>>) -> ProvisionRow {
        let group = match p.group_size {
            0 | 1 => words::group(1),
            n => format!("in a {}", words::group(n)),
        };
        let mut outcomes = p.outcomes.clone();
        outcomes.sort_unstable();
        outcomes.dedup();
        ProvisionRow {
            what: p.what.trim().to_owned(),
            who: p.delivered_by.trim().to_owned(),
            how_often: format!("{}, {}, {group}", words::duration(p.minutes_per_session), words::times_a_week(p.sessions_per_week)),
            dates: words::date_span(p.start, p.end),
            outcomes: format!("For {}", words::outcome_numbers(&outcomes).to_lowercase()),
            hours: cost.map(|c| c.map_or_else(|| "Not costed".to_owned(), |c| c.minutes_a_year.hours())),
            cost: cost.map(|c| c.map_or_else(|| "Not costed".to_owned(), |c| c.cost.to_string())),
        }
    }
}

/// A heading and the paragraphs under it; an empty list prints "Not recorded."
#[derive(Debug, Serialize)]
pub(crate) struct ViewSection {
    pub(crate) heading: String,
    pub(crate) paragraphs: Vec<String>,
}

/// The child's views first (their plan is about them), then the parents'.
pub(crate) fn views(voice: Voice<'_>, child_views: &str, parent_views: &str) -> Vec<ViewSection> {
    let (child, parent) = match voice.audience {
        Audience::Staff => (format!("{} views", Voice::cap(&voice.possessive())), "Parents' or carers' views".to_owned()),
        Audience::Parent => (format!("{} views", Voice::cap(&voice.possessive())), "Your views".to_owned()),
        Audience::YoungPerson => ("Your views".to_owned(), "Your parents' or carers' views".to_owned()),
    };
    vec![
        ViewSection { heading: child, paragraphs: words::paragraphs(child_views) },
        ViewSection { heading: parent, paragraphs: words::paragraphs(parent_views) },
    ]
}

impl PlanView {
    fn new(doc: &PlanCopy) -> PlanView {
        let ctx = &doc.context;
        let plan = &doc.plan;
        let voice = Voice::new(ctx);
        let name = voice.name();
        let title = format!("SEN support plan for {}", ctx.pupil_full_name.trim());
        let intro = match ctx.audience {
            Audience::Staff => vec![format!(
                "The SEN support plan for {}, support cycle {}, plan version {}.",
                ctx.pupil_full_name.trim(),
                doc.cycle_number,
                doc.plan_version
            )],
            Audience::Parent => vec![format!(
                "This is a copy of the SEN support plan for your child, {name}. It says what {name} is working towards, \
                 the help {name} will get, and when the plan will be reviewed with you."
            )],
            Audience::YoungPerson => vec![
                "This is a copy of your SEN support plan. It says what you are working towards, the help you will get, \
                 and when the plan will be reviewed with you."
                    .to_owned(),
            ],
        };
        let header = Header::new(
            ctx,
            title,
            vec![
                Fact::new("Plan", format!("Plan version {}, support cycle {}", doc.plan_version, doc.cycle_number)),
                Fact::new("Review date", in_words(plan.review_date)),
            ],
            intro,
            &format!("SEN support plan · Plan version {}", doc.plan_version),
        );
        let headings = match ctx.audience {
            Audience::Staff => Headings {
                needs: "Needs this plan addresses".to_owned(),
                outcomes: "Outcomes".to_owned(),
                provision: "Provision".to_owned(),
                strategies: "Strategies all staff use".to_owned(),
                responsible: "Who is responsible and the review date".to_owned(),
                views: "Views".to_owned(),
            },
            Audience::Parent | Audience::YoungPerson => Headings {
                needs: "Needs this plan addresses".to_owned(),
                outcomes: format!("What {} working towards", voice.is()),
                provision: format!("The help {name} will get"),
                strategies: format!("How everyone working with {name} will help"),
                responsible: "Who is responsible and when the plan is reviewed".to_owned(),
                views: "Views".to_owned(),
            },
        };
        // Costs are read only for a staff copy: a family copy has no column for them.
        let costs = match ctx.audience {
            Audience::Staff => doc.costs.as_deref(),
            Audience::Parent | Audience::YoungPerson => None,
        };
        let provision =
            plan.provision.iter().map(|p| ProvisionRow::new(p, costs.map(|cs| cs.iter().find(|c| c.number == p.number)))).collect();
        PlanView {
            header,
            headings,
            needs: plan.needs_addressed.iter().map(|n| words::need(*n)).collect(),
            outcomes: plan.outcomes.iter().map(OutcomeRow::new).collect(),
            show_costs: costs.is_some(),
            provision,
            strategies: plan.strategies.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            responsible: format!("Responsible for the plan day to day: {}.", plan.responsible.trim().trim_end_matches('.')),
            review: format!("The plan will be reviewed on {}.", in_words(plan.review_date)),
            views: views(voice, &plan.child_views, &plan.parent_views),
        }
    }
}
