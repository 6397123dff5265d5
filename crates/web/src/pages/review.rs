//! The review (R12, R13): every outcome of the plan rated met, partly met or not met
//! with evidence; progress on the five-point scale; the five checklist questions; the
//! parent's and pupil's views; the decision. Recording it closes the cycle and opens
//! the next one with the unmet outcomes carried forward.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::{cycles, reviews};
use senplan_core::Invalid;
use senplan_core::ids::CycleId;
use senplan_core::plan::PlanContent;
use senplan_core::record::{Cycle, Plan};
use senplan_core::review::{Checklist, Decision, OutcomeRating, Progress, Rating, ReviewContent};

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, in_page_order, merge};
use super::pupil::display_name;
use super::text::long_date;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;
use senplan_core::access::Permission;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/cycles/{cycle}/review", show).post("/schools/{school}/cycles/{cycle}/review", save)
}

const RATINGS: [(Rating, &str); 3] = [(Rating::Met, "met"), (Rating::PartlyMet, "partly_met"), (Rating::NotMet, "not_met")];
const DECISIONS: [(Decision, &str); 5] = [
    (Decision::Continue, "continue"),
    (Decision::Adjust, "adjust"),
    (Decision::AddSpecialistInvolvement, "add_specialist_involvement"),
    (Decision::RequestEhcNeedsAssessment, "request_ehc_needs_assessment"),
    (Decision::EndSenSupport, "end_sen_support"),
];
/// The form's fields, top to bottom, for the error summary's order.
const ORDER: [&str; 14] = [
    "held_on",
    "ratings",
    "ratings[].outcome",
    "ratings[].rating",
    "ratings[].evidence",
    "progress",
    "checklist",
    "checklist.all_needs_identified",
    "checklist.help_in_place_for_all_needs",
    "checklist.outcomes_agreed_specific_measurable",
    "checklist.progress_towards_outcomes",
    "checklist.difference_help_is_making",
    "decision",
    "decision_reason",
];
const YES_NO: [&str; 3] =
    ["checklist.all_needs_identified", "checklist.help_in_place_for_all_needs", "checklist.outcomes_agreed_specific_measurable"];

struct RatingView {
    index: usize,
    number: u32,
    title: String,
    target: String,
    rating: Choices,
    evidence: Text,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    nav: Nav,
    school: i64,
    cycle: i64,
    cycle_number: u32,
    name: String,
    errors: Vec<ErrorLink>,
    ratings_error: Option<String>,
    held_on: DateInput,
    ratings: Vec<RatingView>,
    progress: Choices,
    yes_no: Vec<Choices>,
    progress_towards: Text,
    difference: Text,
    parent_views: Text,
    child_views: Text,
    decision: Choices,
    decision_reason: Text,
}

fn page(viewer: &Viewer, c: &Cycle, name: String, plan: &PlanContent, posted: &Posted, errors: &Errors) -> ReviewPage {
    let school = viewer.user.school_id.0;
    let ratings = plan
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let f = |n: &str| format!("ratings[{i}].{n}");
            let chosen = posted.get(&f("rating"));
            let options = RATINGS.iter().map(|(r, v)| Choice::new(*v, r.label(), chosen == *v)).collect();
            RatingView {
                index: i,
                number: o.number,
                title: format!("Outcome {}: {}", o.number, o.description),
                target: format!("Measure: {}. Baseline: {}. Target: {} by {}.", o.measure, o.baseline, o.target, long_date(o.target_date)),
                rating: Choices::new(&f("rating"), format!("Was outcome {} met?", o.number), options, errors).inline(),
                evidence: Text::new(&f("evidence"), format!("Evidence for outcome {}", o.number), posted.get(&f("evidence")), errors)
                    .hint("What shows it, for example words read on the day")
                    .area(3)
                    .bold(),
            }
        })
        .collect();
    let progress = (-2..=2i8)
        .rev()
        .filter_map(Progress::new)
        .map(|p| {
            Choice::new(p.value().to_string(), format!("{} ({:+})", p.label(), p.value()), posted.get("progress") == p.value().to_string())
        })
        .collect();
    let yes_no = YES_NO
        .iter()
        .zip(Checklist::QUESTIONS)
        .map(|(path, q)| {
            Choices::new(
                path,
                q,
                vec![Choice::new("yes", "Yes", posted.get(path) == "yes"), Choice::new("no", "No", posted.get(path) == "no")],
                errors,
            )
            .inline()
        })
        .collect();
    let held = if posted.has("held_on.day") { posted.date("held_on") } else { DateParts::from_date(chrono::Utc::now().date_naive()) };
    ReviewPage {
        nav: Nav::for_viewer(viewer),
        school,
        cycle: c.id.0,
        cycle_number: c.number,
        name,
        ratings_error: errors.on("ratings"),
        errors: errors.summary(),
        held_on: DateInput::new("held_on", "Date of the review meeting", held, errors).hint("It cannot be in the future"),
        ratings,
        progress: Choices::new("progress", "Overall, what progress has the pupil made?", progress, errors).legend_m(),
        yes_no,
        progress_towards: Text::new("checklist.progress_towards_outcomes", Checklist::QUESTIONS[3], posted.get("checklist.progress_towards_outcomes"), errors).area(3).bold(),
        difference: Text::new("checklist.difference_help_is_making", Checklist::QUESTIONS[4], posted.get("checklist.difference_help_is_making"), errors).area(3).bold(),
        parent_views: Text::new("parent_views", "The parent's or carer's views", posted.get("parent_views"), errors).area(3).bold(),
        child_views: Text::new("child_views", "The pupil's own views", posted.get("child_views"), errors).area(3).bold(),
        decision: Choices::new("decision", "What happens next?", DECISIONS
                .iter()
                .map(|(d, v)| {
                    let c = Choice::new(*v, d.label(), posted.get("decision") == *v);
                    match d {
                        Decision::RequestEhcNeedsAssessment => c.hint("Ask the local authority to assess whether the pupil needs an education, health and care (EHC) plan"),
                        Decision::EndSenSupport => c.hint("The pupil no longer needs special educational provision; their status returns to no special educational needs (N)"),
                        _ => c,
                    }
                })
                .collect(), errors)
            .hint("Every decision except ending SEN support opens the next cycle, with outcomes not met carried forward")
            .legend_m(),
        decision_reason: Text::new("decision_reason", "Reason for the decision", posted.get("decision_reason"), errors).hint("Needed to end SEN support while an outcome is not met").area(3).bold(),
    }
}

/// The cycle under review: opened to read (audited) or to record its review.
async fn load(s: &AppState, viewer: &Viewer, school: i64, cycle: i64, view: bool) -> Result<(Cycle, String, Option<Plan>), AppError> {
    let v = if view {
        cycles::open_cycle(&s.store, &viewer.actor, school, CycleId(cycle), "review").await?
    } else {
        cycles::cycle_to_change(&s.store, &viewer.actor, school, CycleId(cycle), Permission::EditRecord).await?
    };
    Ok((v.cycle, display_name(&v.pupil), v.plan))
}

fn reviewable(c: &Cycle, plan: &Option<Plan>) -> bool {
    plan.is_some() && c.stage.allowed().contains(&senplan_core::cycle::Action::RecordReview)
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>) -> PageResult {
    let (c, name, plan) = load(&s, &viewer, school, cycle, true).await?;
    match plan {
        // Someone who may not record a review (a headteacher) reads it on the cycle's page.
        Some(plan) if reviewable(&c, &Some(plan.clone())) && senplan_app::access::menu(&viewer.actor).change_records => {
            Ok(render_with(StatusCode::OK, &page(&viewer, &c, name, &plan.content, &Posted::default(), &Errors::default())))
        }
        _ => Ok(Redirect::to(&format!("/schools/{school}/cycles/{cycle}")).into_response()),
    }
}

/// The review as typed, and what could not be read (placeholders stand in for it).
fn read(posted: &Posted, plan: &PlanContent) -> (ReviewContent, Invalid) {
    let mut e = Invalid::default();
    let held_on = posted.date("held_on").parse("held_on", "the date of the review meeting", &mut e).unwrap_or_default();
    let ratings = plan
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let rating =
                RATINGS.iter().find(|(_, v)| posted.get(&format!("ratings[{i}].rating")) == *v).map(|(r, _)| *r).unwrap_or_else(|| {
                    e.push(
                        format!("ratings[{i}].rating"),
                        "required",
                        format!("Choose met, partly met or not met for outcome {}", o.number),
                    );
                    Rating::NotMet
                });
            OutcomeRating { outcome: o.number, rating, evidence: posted.get(&format!("ratings[{i}].evidence")).to_owned() }
        })
        .collect();
    let progress = posted.get("progress").parse::<i8>().ok().and_then(Progress::new).unwrap_or_else(|| {
        e.push("progress", "required", "Choose the progress the pupil has made");
        Progress::clamped(0)
    });
    let mut yes = |path: &str, q: &str| match posted.get(path) {
        "yes" => true,
        "no" => false,
        _ => {
            e.push(path, "required", format!("Answer the question: {q}"));
            false
        }
    };
    let checklist = Checklist {
        all_needs_identified: yes(YES_NO[0], Checklist::QUESTIONS[0]),
        help_in_place_for_all_needs: yes(YES_NO[1], Checklist::QUESTIONS[1]),
        outcomes_agreed_specific_measurable: yes(YES_NO[2], Checklist::QUESTIONS[2]),
        progress_towards_outcomes: posted.get("checklist.progress_towards_outcomes").to_owned(),
        difference_help_is_making: posted.get("checklist.difference_help_is_making").to_owned(),
    };
    let decision = DECISIONS.iter().find(|(_, v)| posted.get("decision") == *v).map(|(d, _)| *d).unwrap_or_else(|| {
        e.push("decision", "required", "Choose what happens next");
        Decision::Continue
    });
    let content = ReviewContent {
        held_on,
        ratings,
        progress,
        checklist,
        parent_views: posted.get("parent_views").to_owned(),
        child_views: posted.get("child_views").to_owned(),
        decision,
        decision_reason: posted.get("decision_reason").to_owned(),
    };
    (content, e)
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>, posted: Posted) -> PageResult {
    let (c, name, plan) = load(&s, &viewer, school, cycle, false).await?;
    let Some(plan) = plan.filter(|_| c.stage.allowed().contains(&senplan_core::cycle::Action::RecordReview)) else {
        return Ok(Redirect::to(&format!("/schools/{school}/cycles/{cycle}")).into_response());
    };
    let (content, read_errors) = read(&posted, &plan.content);
    let result = if read_errors.is_empty() {
        reviews::record_review(&s.store, &viewer.actor, school, c.id, content).await.map(|_| ())
    } else {
        let rules = content.validate(&plan.content, c.opened_on, viewer.actor.today()).err().unwrap_or_default();
        Err(AppError::Invalid(merge(read_errors, rules)))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{}?done=review", c.pupil_id)).into_response()),
        Err(AppError::Invalid(inv)) => {
            let inv = in_page_order(inv, &ORDER);
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &c, name, &plan.content, &posted, &Errors::new(inv))))
        }
        Err(e) => Err(e.into()),
    }
}
