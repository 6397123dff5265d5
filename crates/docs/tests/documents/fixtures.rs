//! Synthetic data only: an invented school, pupil and staff.

use chrono::NaiveDate;
use senplan_core::costing::{Minutes, Pence};
use senplan_core::need::NeedCode;
use senplan_core::plan::{CarriedFrom, Outcome, PlanContent, Provision};
use senplan_core::review::{Checklist, Decision, OutcomeRating, Progress, Rating, ReviewContent};
use senplan_docs::testing::{ReadPdf, read_pdf};
use senplan_docs::{Audience, DocContext, Pdf, PlanCopy, ProducedBy, ProvisionCost, ReviewCopy};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn context(audience: Audience) -> DocContext {
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

pub fn outcomes() -> Vec<Outcome> {
    vec![
        Outcome {
            number: 1,
            description: "Read 40 high-frequency words from the Year 1 list".into(),
            measure: "Words read correctly from the Year 1 list".into(),
            baseline: "12 words".into(),
            target: "40 words".into(),
            target_date: d(2027, 2, 12),
            need: Some(NeedCode::Spld),
            carried_from: None,
        },
        Outcome {
            number: 2,
            description: "Ask for help in class using her help card".into(),
            measure: "Times she asks for help in a lesson, seen by her teacher".into(),
            baseline: "Once a week".into(),
            target: "Once a day".into(),
            target_date: d(2027, 2, 12),
            need: Some(NeedCode::Slcn),
            carried_from: Some(CarriedFrom { cycle_number: 1, outcome_number: 3 }),
        },
    ]
}

pub fn plan() -> PlanContent {
    PlanContent {
        needs_addressed: vec![NeedCode::Slcn, NeedCode::Spld],
        outcomes: outcomes(),
        provision: vec![
            Provision {
                number: 1,
                what: "Small-group phonics".into(),
                delivered_by: "Mrs Green, teaching assistant".into(),
                minutes_per_session: 30,
                sessions_per_week: 3,
                group_size: 4,
                start: d(2026, 11, 2),
                end: Some(d(2027, 2, 12)),
                outcomes: vec![1],
                staff_role: Some("teaching_assistant".into()),
                provision_type: None,
                other_cost: None,
            },
            Provision {
                number: 2,
                what: "Language and talk sessions".into(),
                delivered_by: "Mr Okoro, speech and language assistant".into(),
                minutes_per_session: 20,
                sessions_per_week: 2,
                group_size: 1,
                start: d(2026, 11, 9),
                end: None,
                outcomes: vec![1, 2],
                staff_role: None,
                provision_type: None,
                other_cost: None,
            },
        ],
        strategies: vec![
            "Give instructions one step at a time".into(),
            "Use her visual timetable at the start of each lesson".into(),
            "Check she has understood by asking her to say it back".into(),
        ],
        responsible: "Miss Hollis, class teacher".into(),
        review_date: d(2027, 2, 12),
        parent_views: "We want Ellie to enjoy reading at home.\nShe gets tired by Thursday.".into(),
        child_views: "I like reading with Mrs Green. I don't like reading out loud.".into(),
    }
}

/// Hours and costs as the application's costing would give them (39 weeks a year).
pub fn costs() -> Vec<ProvisionCost> {
    vec![
        ProvisionCost { number: 1, minutes_a_year: Minutes(3510), cost: Pence(14_625) },
        ProvisionCost { number: 2, minutes_a_year: Minutes(1560), cost: Pence(123_450) },
    ]
}

pub fn plan_copy(audience: Audience) -> PlanCopy {
    PlanCopy { context: context(audience), cycle_number: 2, plan_version: 3, plan: plan(), costs: Some(costs()) }
}

pub fn review() -> ReviewContent {
    ReviewContent {
        held_on: d(2027, 2, 12),
        ratings: vec![
            OutcomeRating { outcome: 1, rating: Rating::Met, evidence: "Read 41 of the 40 words on 5 February.".into() },
            OutcomeRating {
                outcome: 2,
                rating: Rating::PartlyMet,
                evidence: "Asks for help most days in English.\nNot yet in maths.".into(),
            },
        ],
        progress: Progress::new(1).unwrap(),
        checklist: Checklist {
            all_needs_identified: true,
            help_in_place_for_all_needs: false,
            outcomes_agreed_specific_measurable: true,
            progress_towards_outcomes: "Good progress in reading; asking for help is growing.".into(),
            difference_help_is_making: "The phonics group has made the biggest difference.".into(),
        },
        parent_views: "Reading at home is much calmer now.".into(),
        child_views: "I can read the words on the wall now.".into(),
        decision: Decision::Adjust,
        decision_reason: String::new(),
    }
}

pub fn review_copy(audience: Audience) -> ReviewCopy {
    ReviewCopy {
        context: context(audience),
        cycle_number: 2,
        plan_version: 3,
        review_version: 1,
        plan_outcomes: outcomes(),
        review: review(),
    }
}

/// A document and what is read back from it.
pub fn read(pdf: &Pdf) -> ReadPdf {
    read_pdf(&pdf.bytes).unwrap()
}

/// The checks every document must pass: PDF/UA-1 declared, marked, British English,
/// titled, one H1 first and headings never skipping a level, "Page N of M" on every page.
pub fn assert_accessible(pdf: &Pdf, read: &ReadPdf) {
    assert_eq!(read.pdfua_part(), Some(1), "pdfuaid:part in the XMP metadata");
    assert!(read.marked, "/MarkInfo << /Marked true >>");
    assert_eq!(read.lang.as_deref(), Some("en-GB"));
    assert_eq!(read.info_title.as_deref(), Some(pdf.title.as_str()), "the title in the info dictionary");
    assert_eq!(read.xmp_title().as_deref(), Some(pdf.title.as_str()), "the title in the XMP metadata");
    let headings = read.headings();
    assert_eq!(headings.first().map(String::as_str), Some("H1"), "the first heading is H1: {headings:?}");
    assert_eq!(headings.iter().filter(|h| *h == "H1").count(), 1, "one H1: {headings:?}");
    let mut level = 0;
    for h in &headings {
        let next: u32 = h[1..].parse().unwrap();
        assert!(next <= level + 1, "a heading skips a level: {headings:?}");
        level = next;
    }
    assert!(headings.iter().any(|h| h == "H2"), "H2s: {headings:?}");
    let n = read.pages.len();
    for (i, page) in read.pages.iter().enumerate() {
        let flat = page.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&format!("Page {} of {n}", i + 1)), "footer of page {}: {flat}", i + 1);
    }
}

/// The tables: each a `Table` with `TH` header cells, `TR` rows and `TD` cells.
pub fn assert_real_tables(read: &ReadPdf, tables: usize) {
    let elements = read.all_elements();
    let found: Vec<_> = elements.iter().filter(|n| n.role == "Table").collect();
    assert_eq!(found.len(), tables, "tables: {}", read.outline());
    for table in found {
        assert!(table.count("TH") >= 2, "header cells: {}", read.outline());
        assert!(table.count("TD") >= 2, "data cells: {}", read.outline());
        assert!(table.count("TR") >= 2, "rows: {}", read.outline());
    }
}

/// The lists: `L` holding `LI` items.
pub fn assert_lists(read: &ReadPdf, at_least: usize) {
    let elements = read.all_elements();
    let lists: Vec<_> = elements.iter().filter(|n| n.role == "L").collect();
    assert!(lists.len() >= at_least, "lists: {}", read.outline());
    for list in lists {
        assert!(list.children.iter().all(|c| c.role == "LI"), "a list holds only items: {}", read.outline());
    }
}

/// The text for a snapshot: lines trimmed, no blank runs.
pub fn snapshot_text(read: &ReadPdf) -> String {
    let mut out = Vec::new();
    for (i, page) in read.pages.iter().enumerate() {
        out.push(format!("--- page {} ---", i + 1));
        out.extend(page.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned));
    }
    out.join("\n")
}
