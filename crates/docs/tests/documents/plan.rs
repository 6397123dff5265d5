//! The plan copy (R09): what it says for each audience, and that it is accessible.

use senplan_docs::{Audience, plan_copy};

use crate::fixtures::{assert_accessible, assert_lists, assert_real_tables, plan_copy as copy, read, snapshot_text};

#[test]
fn r09_plan_copy_names_the_school_pupil_record_and_who_produced_it() {
    let pdf = plan_copy(&copy(Audience::Parent)).unwrap();
    let read = read(&pdf);
    for phrase in [
        "Larkspur Lane Primary School",
        "SEN support plan for Ellie Brightwater",
        "Year 4",
        "Plan version 3, support cycle 2",
        "Produced: 27 November 2026 by Jo Penhaligon, SENCO",
        "Review date: 12 February 2027",
        "The plan will be reviewed on 12 February 2027.",
        "Responsible for the plan day to day: Miss Hollis, class teacher.",
    ] {
        assert!(read.says(phrase), "missing {phrase:?} in:\n{}", read.text());
    }
    assert_eq!(pdf.title, "SEN support plan for Ellie Brightwater");
    assert_eq!(pdf.file_name, "sen-support-plan-ellie-brightwater-v3.pdf");
}

#[test]
fn r09_plan_copy_explains_needs_and_lists_outcomes_and_help_in_plain_words() {
    let read = read(&plan_copy(&copy(Audience::Parent)).unwrap());
    for phrase in [
        "Speech, language and communication needs (SLCN)",
        "Specific learning difficulty (SPLD)",
        "Read 40 high-frequency words from the Year 1 list",
        "Words read correctly from the Year 1 list",
        "12 words",
        "40 words",
        "Ask for help in class using her help card",
        "Carried forward from cycle 1, outcome 3",
        "Small-group phonics",
        "Mrs Green, teaching assistant",
        "30 minutes, 3 times a week, in a group of 4",
        "20 minutes, twice a week, one-to-one",
        "2 November 2026 to 12 February 2027",
        "From 9 November 2026",
        "For outcomes 1 and 2",
        "For outcome 1",
        "Give instructions one step at a time",
        "Check she has understood by asking her to say it back",
        "We want Ellie to enjoy reading at home.",
        "She gets tired by Thursday.",
        "I like reading with Mrs Green. I don't like reading out loud.",
    ] {
        assert!(read.says(phrase), "missing {phrase:?} in:\n{}", read.text());
    }
}

#[test]
fn r09_parent_copy_speaks_about_your_child_and_never_shows_costs() {
    // Costs are given, as an application might pass them by mistake: still not shown.
    let read = read(&plan_copy(&copy(Audience::Parent)).unwrap());
    assert!(read.says("This is a copy of the SEN support plan for your child, Ellie."), "{}", read.text());
    assert!(read.says("What Ellie is working towards"));
    assert!(read.says("The help Ellie will get"));
    assert!(read.says("Ellie's views"));
    assert!(read.says("Your views"));
    let text = read.text();
    assert!(!text.contains('£'), "a family copy shows no money:\n{text}");
    assert!(!read.says("Cost a year") && !read.says("Hours a year"), "no cost or hours column:\n{text}");
    assert!(!text.contains("146.25") && !text.contains("58.50"), "no figures from the costs:\n{text}");
}

#[test]
fn r09_young_persons_copy_speaks_to_them_and_never_shows_costs() {
    let pdf = plan_copy(&copy(Audience::YoungPerson)).unwrap();
    let read = read(&pdf);
    for phrase in [
        "This is a copy of your SEN support plan.",
        "What you are working towards",
        "The help you will get",
        "How everyone working with you will help",
        "Your views",
        "Your parents' or carers' views",
        "Copy for Ellie",
    ] {
        assert!(read.says(phrase), "missing {phrase:?} in:\n{}", read.text());
    }
    assert!(!read.says("your child"));
    assert!(!read.text().contains('£'));
    assert!(!read.says("Cost a year"));
}

#[test]
fn r09_staff_copy_shows_hours_and_cost_of_each_provision() {
    let pdf = plan_copy(&copy(Audience::Staff)).unwrap();
    let read = read(&pdf);
    for phrase in ["Hours a year", "Cost a year", "58.50", "£146.25", "26.00", "£1,234.50", "Staff copy"] {
        assert!(read.says(phrase), "missing {phrase:?} in:\n{}", read.text());
    }
    assert_eq!(pdf.file_name, "sen-support-plan-ellie-brightwater-v3-staff.pdf");
}

#[test]
fn r09_staff_copy_marks_a_provision_missing_from_the_costs() {
    let mut doc = copy(Audience::Staff);
    doc.costs = Some(crate::fixtures::costs().into_iter().filter(|c| c.number == 1).collect());
    let read = read(&plan_copy(&doc).unwrap());
    assert!(read.says("£146.25") && read.says("Not costed"), "{}", read.text());
    doc.costs = None;
    let read = crate::fixtures::read(&plan_copy(&doc).unwrap());
    assert!(!read.says("Cost a year") && !read.text().contains('£'), "no costs given, no column");
}

#[test]
fn r09_plan_copy_is_pdf_ua_1_with_headings_tables_and_lists() {
    for audience in [Audience::Staff, Audience::Parent, Audience::YoungPerson] {
        let pdf = plan_copy(&copy(audience)).unwrap();
        let read = read(&pdf);
        assert_accessible(&pdf, &read);
        assert_real_tables(&read, 2);
        // The facts (a term list), the needs and the strategies.
        assert_lists(&read, 3);
        assert!(read.headings().iter().filter(|h| *h == "H3").count() == 2, "the two views: {:?}", read.headings());
    }
}

#[test]
fn r09_plan_copy_with_nothing_optional_still_renders() {
    let mut doc = copy(Audience::Parent);
    doc.plan.provision.clear();
    doc.plan.strategies.clear();
    doc.plan.parent_views.clear();
    doc.plan.child_views.clear();
    let pdf = plan_copy(&doc).unwrap();
    let read = read(&pdf);
    assert!(read.says("No help has been planned yet."));
    assert!(read.says("None recorded."));
    assert!(read.says("Not recorded."));
    assert_accessible(&pdf, &read);
}

#[test]
fn r09_plan_copy_text_snapshot() {
    for (name, audience) in
        [("plan_staff", Audience::Staff), ("plan_parent", Audience::Parent), ("plan_young_person", Audience::YoungPerson)]
    {
        let read = read(&plan_copy(&copy(audience)).unwrap());
        insta::assert_snapshot!(name, snapshot_text(&read));
    }
}

#[test]
fn r09_plan_copy_structure_snapshot() {
    let read = read(&plan_copy(&copy(Audience::Staff)).unwrap());
    insta::assert_snapshot!("plan_staff_structure", read.outline());
}
