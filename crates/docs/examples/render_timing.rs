//! Renders a two-page plan copy and a review copy (synthetic data), prints the cold and
//! warm render times and the PDF sizes, and writes the PDFs to a folder if one is
//! given: `cargo run --release -p senplan-docs --example render_timing -- /tmp/pdfs`.
//!
//! Measured on the 2-core development machine (November 2026), a two-page staff plan
//! copy with new data each time: release 10–12 ms warm (median 11.3 ms), 28–44 ms for
//! the first render of a process; debug (dependencies at opt-level 1) 16–20 ms warm
//! (median 17.6 ms). About 48 KB a plan copy, 40 KB a review copy (fonts subset).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senplan_core::costing::{Minutes, Pence};
use senplan_core::need::NeedCode;
use senplan_core::plan::{Outcome, PlanContent, Provision};
use senplan_core::review::{Checklist, Decision, OutcomeRating, Progress, Rating, ReviewContent};
use senplan_docs::{Audience, DocContext, PlanCopy, ProducedBy, ProvisionCost, ReviewCopy, plan_copy, review_copy};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn context(audience: Audience) -> DocContext {
    DocContext {
        school_name: "Larkspur Lane Primary School".into(),
        pupil_full_name: "Ellie Brightwater".into(),
        pupil_first_name: "Ellie".into(),
        year_group: "Year 4".into(),
        audience,
        produced_on: d(2026, 11, 27),
        produced_by: ProducedBy { name: "Jo Penhaligon".into(), role: "SENCO".into() },
    }
}

fn outcome(number: u32, description: &str) -> Outcome {
    Outcome {
        number,
        description: description.into(),
        measure: "Checked by the class teacher each half term".into(),
        baseline: "Not yet".into(),
        target: "Most days".into(),
        target_date: d(2027, 2, 12),
        need: Some(NeedCode::Slcn),
        carried_from: None,
    }
}

fn plan() -> PlanContent {
    PlanContent {
        needs_addressed: vec![NeedCode::Slcn, NeedCode::Spld],
        outcomes: vec![
            outcome(1, "Read 40 high-frequency words"),
            outcome(2, "Ask for help using a help card"),
            outcome(3, "Write two sentences unaided"),
        ],
        provision: (1..=3)
            .map(|n| Provision {
                number: n,
                what: format!("Small-group session {n}"),
                delivered_by: "Mrs Green, teaching assistant".into(),
                minutes_per_session: 30,
                sessions_per_week: 3,
                group_size: n,
                start: d(2026, 11, 2),
                end: Some(d(2027, 2, 12)),
                outcomes: vec![n],
                staff_role: None,
                provision_type: None,
                other_cost: None,
            })
            .collect(),
        strategies: vec!["Give instructions one step at a time".into(), "Use a visual timetable".into()],
        responsible: "Miss Hollis, class teacher".into(),
        review_date: d(2027, 2, 12),
        parent_views: "We want Ellie to enjoy reading at home.".into(),
        child_views: "I like reading with Mrs Green.".into(),
    }
}

fn time<T>(f: impl Fn() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn main() {
    let out_dir = std::env::args().nth(1);
    let costs = (1..=3).map(|n| ProvisionCost { number: n, minutes_a_year: Minutes(3510), cost: Pence(14_625 * i64::from(n)) }).collect();
    let staff = PlanCopy { context: context(Audience::Staff), cycle_number: 2, plan_version: 3, plan: plan(), costs: Some(costs) };
    let parent = PlanCopy { context: context(Audience::Parent), ..staff.clone() };
    let review = ReviewCopy {
        context: context(Audience::Parent),
        cycle_number: 2,
        plan_version: 3,
        review_version: 1,
        plan_outcomes: plan().outcomes,
        review: ReviewContent {
            held_on: d(2027, 2, 12),
            ratings: (1..=3).map(|n| OutcomeRating { outcome: n, rating: Rating::PartlyMet, evidence: "Most days now".into() }).collect(),
            progress: Progress::new(1).unwrap(),
            checklist: Checklist {
                all_needs_identified: true,
                help_in_place_for_all_needs: true,
                outcomes_agreed_specific_measurable: true,
                progress_towards_outcomes: "Good progress".into(),
                difference_help_is_making: "A real difference".into(),
            },
            parent_views: "Calmer at home".into(),
            child_views: "I like it".into(),
            decision: Decision::Continue,
            decision_reason: String::new(),
        },
    };

    let (pdf, cold) = time(|| plan_copy(&staff).unwrap());
    println!("plan copy (staff), cold (fonts, library, first layout): {cold:?}, {} bytes", pdf.bytes.len());
    let runs = 20;
    let mut warm = Vec::new();
    for i in 0..runs {
        // A new version each time, so no render repeats data typst has cached whole.
        let mut doc = staff.clone();
        doc.plan_version = 100 + i;
        let (_, t) = time(|| plan_copy(&doc).unwrap());
        warm.push(t);
    }
    warm.sort();
    println!(
        "plan copy (staff), warm: median {:?}, min {:?}, max {:?} over {runs}",
        warm[runs as usize / 2],
        warm[0],
        warm[runs as usize - 1]
    );
    let (parent_pdf, t) = time(|| plan_copy(&parent).unwrap());
    println!("plan copy (parent), first: {t:?}, {} bytes", parent_pdf.bytes.len());
    let (review_pdf, t) = time(|| review_copy(&review).unwrap());
    println!("review copy (parent), first: {t:?}, {} bytes", review_pdf.bytes.len());
    let (_, t) = time(|| review_copy(&review).unwrap());
    println!("review copy (parent), warm: {t:?}");
    if let Some(dir) = out_dir {
        for p in [&pdf, &parent_pdf, &review_pdf] {
            std::fs::write(format!("{dir}/{}", p.file_name), &p.bytes).unwrap();
        }
        println!("written to {dir}");
    }
}
