//! A copy of a review (R09, R12, R13): how each outcome of the plan went, with the
//! evidence, the progress made, the review checklist, the views, and what was decided,
//! including which outcomes carry forward into the next plan. Outcomes are described
//! from the plan that was reviewed, so a rating reads "Read 40 words: Partly met".

use senplan_core::dates::in_words;
use senplan_core::plan::Outcome;
use senplan_core::review::{Checklist, Rating, ReviewContent};
use serde::{Deserialize, Serialize};

use crate::context::{Audience, DocContext, Fact, Header, Pdf, Voice};
use crate::error::DocError;
use crate::plan_copy::{ViewSection, views};
use crate::render::{Template, render};
use crate::words;

/// Everything a copy of a review shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewCopy {
    pub context: DocContext,
    /// The support cycle the review closes, from 1.
    pub cycle_number: u32,
    /// The version of the plan that was reviewed.
    pub plan_version: u32,
    /// The version of the review shown (each save is a version), from 1.
    pub review_version: u32,
    /// The reviewed plan's outcomes, for their descriptions.
    pub plan_outcomes: Vec<Outcome>,
    pub review: ReviewContent,
}

/// Typesets a copy of a review as an accessible PDF (PDF/UA-1).
pub fn review_copy(doc: &ReviewCopy) -> Result<Pdf, DocError> {
    let view = ReviewView::new(doc);
    let title = view.header.title.clone();
    let ctx = &doc.context;
    let audience = if ctx.audience.is_family() { "family" } else { "staff" };
    let ident = format!("review/{}/{}/{}/{audience}", ctx.pupil_full_name, doc.cycle_number, doc.review_version);
    let bytes = render(Template::Review, &view, &[], ctx.produced_on, &ident)?;
    let cycle = format!("cycle {}", doc.cycle_number);
    let version = format!("v{}", doc.review_version);
    let mut parts = vec!["SEN support review", ctx.pupil_full_name.as_str(), cycle.as_str(), version.as_str()];
    if ctx.audience == Audience::Staff {
        parts.push("staff");
    }
    Ok(Pdf { bytes, title, file_name: words::file_name(&parts, "pdf") })
}

/// The review as `review.typ` reads it: every word ready to print.
#[derive(Debug, Serialize)]
struct ReviewView {
    header: Header,
    headings: Headings,
    ratings: Vec<RatingRow>,
    progress: String,
    checklist: Vec<ChecklistRow>,
    views: Vec<ViewSection>,
    decision: String,
    decision_reason: Vec<String>,
    /// "These outcomes carry forward into the next plan:", or nothing.
    carried_intro: Option<String>,
    carried: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Headings {
    ratings: String,
    progress: String,
    checklist: String,
    views: String,
    decision: String,
}

#[derive(Debug, Serialize)]
struct RatingRow {
    number: String,
    description: String,
    /// "Target: 40 words by 12 February 2027".
    target: Option<String>,
    rating: String,
    evidence: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ChecklistRow {
    question: String,
    answer: Vec<String>,
}

/// The five checklist questions (R13), in the audience's voice; a staff copy asks them
/// as the review meeting's form does.
fn questions(voice: Voice<'_>) -> [String; 5] {
    match voice.audience {
        Audience::Staff => Checklist::QUESTIONS.map(str::to_owned),
        Audience::Parent => {
            let name = voice.name();
            [
                format!("Have all {name}'s needs been identified?"),
                format!("Is help in place to meet all {name}'s needs?"),
                "Have outcomes been agreed that are specific and measurable?".to_owned(),
                format!("What progress is {name} making towards the outcomes?"),
                "What difference is the help making?".to_owned(),
            ]
        }
        Audience::YoungPerson => [
            "Have all your needs been identified?".to_owned(),
            "Is help in place to meet all your needs?".to_owned(),
            "Have outcomes been agreed that are specific and measurable?".to_owned(),
            "What progress are you making towards your outcomes?".to_owned(),
            "What difference is the help making?".to_owned(),
        ],
    }
}

fn yes_no(answer: bool) -> Vec<String> {
    vec![if answer { "Yes" } else { "No" }.to_owned()]
}

impl ReviewView {
    fn new(doc: &ReviewCopy) -> ReviewView {
        let ctx = &doc.context;
        let review = &doc.review;
        let voice = Voice::new(ctx);
        let name = voice.name();
        let held_on = in_words(review.held_on);
        let title = format!("SEN support review for {}", ctx.pupil_full_name.trim());
        let intro = match ctx.audience {
            Audience::Staff => vec![format!(
                "The review of {}'s SEN support plan (plan version {}, support cycle {}), held on {held_on}.",
                ctx.pupil_full_name.trim(),
                doc.plan_version,
                doc.cycle_number
            )],
            Audience::Parent => vec![format!(
                "This is a record of the review of the SEN support plan for your child, {name}, held on {held_on}. \
                 It says how {name} got on with each outcome, the progress {name} is making, your views and {name}'s, \
                 and what was decided."
            )],
            Audience::YoungPerson => vec![format!(
                "This is a record of the review of your SEN support plan, held on {held_on}. It says how you got on \
                 with each outcome, the progress you are making, your views, and what was decided."
            )],
        };
        let header = Header::new(
            ctx,
            title,
            vec![
                Fact::new("Review", format!("Review version {}, held on {held_on}", doc.review_version)),
                Fact::new("Plan reviewed", format!("Plan version {}, support cycle {}", doc.plan_version, doc.cycle_number)),
            ],
            intro,
            &format!("SEN support review · Review version {} · Plan version {}", doc.review_version, doc.plan_version),
        );
        let headings = match ctx.audience {
            Audience::Staff => Headings {
                ratings: "Outcomes rated".to_owned(),
                progress: "Progress".to_owned(),
                checklist: "Review checklist".to_owned(),
                views: "Views".to_owned(),
                decision: "Decision".to_owned(),
            },
            Audience::Parent | Audience::YoungPerson => Headings {
                ratings: format!("How {name} got on with each outcome"),
                progress: format!("The progress {name} {} making", if ctx.audience == Audience::YoungPerson { "are" } else { "is" }),
                checklist: "Questions the review answered".to_owned(),
                views: "Views".to_owned(),
                decision: "What was decided".to_owned(),
            },
        };
        let outcome = |number: u32| doc.plan_outcomes.iter().find(|o| o.number == number);
        let ratings = review
            .ratings
            .iter()
            .map(|r| {
                let o = outcome(r.outcome);
                RatingRow {
                    number: r.outcome.to_string(),
                    description: o
                        .map_or_else(|| "This outcome is not in the plan's copy.".to_owned(), |o| o.description.trim().to_owned()),
                    target: o.map(|o| format!("Target: {} by {}", o.target.trim(), in_words(o.target_date))),
                    rating: r.rating.label().to_owned(),
                    evidence: words::paragraphs(&r.evidence),
                }
            })
            .collect();
        let [q1, q2, q3, q4, q5] = questions(voice);
        let c = &review.checklist;
        let checklist = vec![
            ChecklistRow { question: q1, answer: yes_no(c.all_needs_identified) },
            ChecklistRow { question: q2, answer: yes_no(c.help_in_place_for_all_needs) },
            ChecklistRow { question: q3, answer: yes_no(c.outcomes_agreed_specific_measurable) },
            ChecklistRow { question: q4, answer: words::paragraphs(&c.progress_towards_outcomes) },
            ChecklistRow { question: q5, answer: words::paragraphs(&c.difference_help_is_making) },
        ];
        let carried: Vec<String> = if review.decision.opens_next_cycle() {
            review
                .ratings
                .iter()
                .filter(|r| r.rating != Rating::Met)
                .map(|r| match outcome(r.outcome) {
                    Some(o) => format!("Outcome {}: {}", o.number, o.description.trim()),
                    None => format!("Outcome {}", r.outcome),
                })
                .collect()
        } else {
            Vec::new()
        };
        ReviewView {
            header,
            headings,
            ratings,
            progress: format!("{} making {}.", Voice::cap(&voice.is()), review.progress.label().to_lowercase()),
            checklist,
            views: views(voice, &review.child_views, &review.parent_views),
            decision: format!("{}.", review.decision.label()),
            decision_reason: words::paragraphs(&review.decision_reason),
            carried_intro: (!carried.is_empty()).then(|| "These outcomes carry forward into the next plan:".to_owned()),
            carried,
        }
    }
}
