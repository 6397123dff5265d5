//! User text is data, never markup: typst's special characters in names, views and
//! evidence come out exactly as typed and run nothing.

use senplan_docs::{Audience, DocError, plan_copy, review_copy};

use crate::fixtures::{plan_copy as plan, read, review_copy as review};

const MARKUP: &str = r#"#set page(width: 1cm) *bold* _it_ $x^2$ [a] \ <lbl> @ref #panic("boom") // not a comment"#;

#[test]
fn r09_markup_characters_in_user_text_are_printed_literally() {
    let mut doc = plan(Audience::Staff);
    doc.context.pupil_full_name = "Ellie #Bright*water* $1 [x] \\n <y> @z".into();
    doc.context.school_name = "Larkspur #school".into();
    doc.plan.outcomes[0].description = MARKUP.into();
    doc.plan.provision[0].what = "Phonics #include(\"/etc/passwd\")".into();
    doc.plan.strategies.push(MARKUP.into());
    doc.plan.parent_views = MARKUP.into();
    doc.plan.child_views = "= Not a heading\n- not a list\n+ nor this".into();
    let pdf = plan_copy(&doc).unwrap();
    let read = read(&pdf);
    for phrase in [
        "Ellie #Bright*water* $1 [x] \\n <y> @z",
        "Larkspur #school",
        MARKUP,
        "Phonics #include(\"/etc/passwd\")",
        "= Not a heading",
        "- not a list",
        "+ nor this",
    ] {
        // Table cells may wrap inside a word ("/etc/" then "passwd"): compared without
        // white space, character for character.
        assert!(read.says_unwrapped(phrase), "not literal: {phrase:?} in:\n{}", read.text());
    }
    assert_eq!(pdf.title, "SEN support plan for Ellie #Bright*water* $1 [x] \\n <y> @z");
    assert_eq!(read.info_title.as_deref(), Some(pdf.title.as_str()));
    // The markup made no heading or list of its own.
    assert_eq!(read.count("H1"), 1);
}

#[test]
fn r09_markup_characters_in_review_text_are_printed_literally() {
    let mut doc = review(Audience::Parent);
    doc.review.ratings[0].evidence = MARKUP.into();
    doc.review.checklist.difference_help_is_making = "*none* #none".into();
    let read = read(&review_copy(&doc).unwrap());
    assert!(read.says_unwrapped(MARKUP), "{}", read.text());
    assert!(read.says_unwrapped("*none* #none"));
}

#[test]
fn r09_text_the_fonts_cannot_show_is_refused_not_downgraded() {
    // A name in a script the embedded fonts do not cover: typst cannot make the PDF
    // conform, so no PDF is produced rather than one without the standard.
    for text in ["艾莉", "Ellie 😀"] {
        let mut doc = plan(Audience::Parent);
        doc.context.pupil_full_name = text.into();
        match plan_copy(&doc) {
            Err(DocError::NotAccessible(reason)) => assert!(reason.contains("PDF/UA-1"), "{reason}"),
            other => panic!("expected NotAccessible for {text:?}, got {other:?}"),
        }
    }
}

#[test]
fn r09_accents_and_typographic_punctuation_print() {
    let mut doc = plan(Audience::Parent);
    doc.context.pupil_full_name = "Zoë O’Brien-Łukasiewicz".into();
    doc.plan.parent_views = "“She’s happier” – since September… ½ a page a day; naïve café façade".into();
    let read = read(&plan_copy(&doc).unwrap());
    assert!(read.says("Zoë O’Brien-Łukasiewicz"), "{}", read.text());
    assert!(read.says("“She’s happier” – since September… ½ a page a day; naïve café façade"), "{}", read.text());
}
