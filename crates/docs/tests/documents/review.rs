//! The review copy (R09, R12, R13): ratings with evidence, progress, the checklist,
//! views and the decision, for each audience, and that it is accessible.

use senplan_core::review::{Decision, Rating};
use senplan_docs::{Audience, review_copy};

use crate::fixtures::{assert_accessible, assert_lists, assert_real_tables, read, review_copy as copy, snapshot_text};

#[test]
fn r09_review_copy_names_the_school_pupil_versions_and_dates() {
    let pdf = review_copy(&copy(Audience::Parent)).unwrap();
    let read = read(&pdf);
    for phrase in [
        "Larkspur Lane Primary School",
        "SEN support review for Ellie Brightwater",
        "Review version 1, held on 12 February 2027",
        "Plan version 3, support cycle 2",
        "Produced: 27 November 2026 by Jo Penhaligon, SENCO",
    ] {
        assert!(read.says(phrase), "missing {phrase:?} in:\n{}", read.text());
    }
    assert_eq!(pdf.file_name, "sen-support-review-ellie-brightwater-cycle-2-v1.pdf");
}

#[test]
fn r09_review_copy_rates_each_outcome_from_the_plan_with_its_evidence() {
    let read = read(&review_copy(&copy(Audience::Parent)).unwrap());
    for phrase in [
        "Read 40 high-frequency words from the Year 1 list",
        "Target: 40 words by 12 February 2027",
        "Met",
        "Read 41 of the 40 words on 5 February.",
        "Partly met",
        "Asks for help most days in English.",
        "Not yet in maths.",
        "Ellie is making more progress than expected.",
        "Have all Ellie's needs been identified?",
        "Good progress in reading; asking for help is growing.",
        "Adjust the outcomes or provision.",
        "These outcomes carry forward into the next plan:",
        "Outcome 2: Ask for help in class using her help card",
        "Reading at home is much calmer now.",
        "I can read the words on the wall now.",
    ] {
        assert!(read.says(phrase), "missing {phrase:?} in:\n{}", read.text());
    }
    assert!(!read.says("Outcome 1: Read"), "a met outcome does not carry forward");
}

#[test]
fn r09_review_copy_speaks_to_a_young_person() {
    let read = read(&review_copy(&copy(Audience::YoungPerson)).unwrap());
    for phrase in [
        "This is a record of the review of your SEN support plan, held on 12 February 2027.",
        "How you got on with each outcome",
        "You are making more progress than expected.",
        "Have all your needs been identified?",
    ] {
        assert!(read.says(phrase), "missing {phrase:?} in:\n{}", read.text());
    }
}

#[test]
fn r09_review_copy_for_staff_asks_the_checklist_as_the_form_does() {
    let read = read(&review_copy(&copy(Audience::Staff)).unwrap());
    assert!(read.says("Have all the pupil's needs been identified?"), "{}", read.text());
    assert!(read.says("Outcomes rated"));
}

#[test]
fn r09_ending_support_gives_the_reason_and_carries_nothing() {
    let mut doc = copy(Audience::Parent);
    doc.review.decision = Decision::EndSenSupport;
    doc.review.decision_reason = "Ellie and her family agreed the help in class is enough.".into();
    doc.review.ratings[1].rating = Rating::NotMet;
    let read = read(&review_copy(&doc).unwrap());
    assert!(read.says("End SEN support."));
    assert!(read.says("Ellie and her family agreed the help in class is enough."));
    assert!(!read.says("carry forward"), "{}", read.text());
}

#[test]
fn r09_review_copy_is_pdf_ua_1_with_headings_tables_and_lists() {
    for audience in [Audience::Staff, Audience::Parent, Audience::YoungPerson] {
        let pdf = review_copy(&copy(audience)).unwrap();
        let read = read(&pdf);
        assert_accessible(&pdf, &read);
        assert_real_tables(&read, 2);
        // The facts and the outcomes carried forward.
        assert_lists(&read, 2);
    }
}

#[test]
fn r09_review_copy_text_snapshot() {
    for (name, audience) in
        [("review_staff", Audience::Staff), ("review_parent", Audience::Parent), ("review_young_person", Audience::YoungPerson)]
    {
        let read = read(&review_copy(&copy(audience)).unwrap());
        insta::assert_snapshot!(name, snapshot_text(&read));
    }
}
