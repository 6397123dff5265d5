//! The letter telling parents their child is getting SEN support (R08), as a PDF.

use senplan_core::letters::{Common, LetterKind, common_values};
use senplan_docs::{Letter, letter};

use crate::fixtures::{d, read, snapshot_text};

fn the_letter() -> Letter {
    let values = common_values(&Common {
        today: d(2026, 11, 27),
        child: "Ellie",
        child_full_name: "Ellie Brightwater",
        school: "Larkspur Lane Primary School",
        senco: "Jo Penhaligon",
        senco_title: "SENCO",
        contact: "senco@larkspur.example",
    });
    let (subject, text) = LetterKind::SenSupport.default_template().fill(&values);
    Letter { school_name: "Larkspur Lane Primary School".into(), pupil_full_name: "Ellie Brightwater".into(), subject, dated: d(2026, 11, 27), text }
}

#[test]
fn r08_the_letter_to_parents_is_an_accessible_pdf_with_every_paragraph() {
    let pdf = letter(&the_letter()).unwrap();
    assert_eq!(pdf.file_name, "letter-ellie-is-getting-sen-support-ellie-brightwater.pdf");
    let r = read(&pdf);
    assert_eq!(r.pdfua_part(), Some(1));
    assert_eq!((r.lang.as_deref(), r.marked), (Some("en-GB"), true));
    assert_eq!(r.count("H1"), 1, "{}", r.outline());
    for phrase in [
        "Larkspur Lane Primary School",
        "27 November 2026",
        "Ellie is getting SEN support",
        "Dear parent or carer of Ellie,",
        "has placed Ellie on SEN support",
        "at least three times a year",
        "senco@larkspur.example",
        "Yours sincerely,",
        "Jo Penhaligon",
        "Page 1 of 1",
    ] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
    assert_eq!(r.text().matches("27 November 2026").count(), 2, "the date once at the top, once in the footer: {}", r.text());
    insta::assert_snapshot!("letter_sen_support", snapshot_text(&r));
}
