//! The pupil passport (R30) as one accessible A4 page.

use senplan_core::passport::{MAX_POINT_CHARS, MAX_POINTS, MAX_TOTAL_CHARS, Passport, PhotoRef, WrittenWith};
use senplan_docs::{Audience, DocError, PassportCopy, check_picture, passport_copy};

use crate::fixtures::{context, d, read, snapshot_text};

/// A drawing (a sun in a blue sky), made for these tests.
pub const DRAWING: &[u8] = include_bytes!("drawing.png");

fn the_passport() -> Passport {
    Passport {
        like_about_me: vec!["I am kind to my friends".into(), "I make people laugh".into()],
        matters_to_me: vec!["My dog Biscuit".into(), "Drawing dragons".into()],
        how_to_help_me: vec!["Give me one instruction at a time".into(), "Let me use my help card".into()],
        find_hard: vec!["Loud rooms".into(), "Reading out loud in front of the class".into()],
        written_with: Some(WrittenWith::ParentAndStaff),
        written_with_names: "Mum and Mrs Green".into(),
        photo: None,
    }
}

fn copy(passport: Passport, photo: Option<&[u8]>) -> PassportCopy {
    PassportCopy { context: context(Audience::Staff), passport, version: 3, updated_on: d(2026, 11, 20), photo: photo.map(<[u8]>::to_vec) }
}

#[test]
fn r30_the_passport_is_one_accessible_page_in_the_childs_words() {
    let pdf = passport_copy(&copy(the_passport(), None)).unwrap();
    assert_eq!(pdf.file_name, "pupil-passport-ellie-brightwater-v3.pdf");
    assert_eq!(pdf.title, "All about me: Ellie Brightwater");
    let r = read(&pdf);
    assert_eq!(r.pdfua_part(), Some(1));
    assert_eq!((r.lang.as_deref(), r.marked), (Some("en-GB"), true));
    assert_eq!(r.pages.len(), 1);
    assert_eq!(r.headings(), ["H1", "H2", "H2", "H2", "H2"], "{}", r.outline());
    for heading in ["All about me: Ellie Brightwater", "What people like about me", "What matters to me", "How best to help me", "What I find hard"] {
        assert!(r.says(heading), "{heading}");
    }
    // The facts at the top are a list of terms (5 items); each section is a list.
    assert_eq!(r.count("L"), 5, "each section is a list: {}", r.outline());
    assert_eq!(r.count("LI"), 5 + 8);
    for phrase in [
        "Larkspur Lane Primary School",
        "My dog Biscuit",
        "Give me one instruction at a time",
        "Reading out loud in front of the class",
        "Written by Ellie with Mum and Mrs Green",
        "version 3, written 20 November 2026",
        "27 November 2026 by Jo Penhaligon, SENCO",
        "Page 1 of 1",
    ] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
    insta::assert_snapshot!("passport", snapshot_text(&r));
}

#[test]
fn r30_the_photo_is_printed_with_what_it_shows() {
    let with_photo = Passport {
        photo: Some(PhotoRef { sha256: "x".into(), media_type: "image/png".into(), alt: "A drawing of the sun".into() }),
        ..the_passport()
    };
    let r = read(&passport_copy(&copy(with_photo, Some(DRAWING))).unwrap());
    assert_eq!(r.count("Figure"), 1, "{}", r.outline());
    assert_eq!(r.pages.len(), 1);
    assert_eq!(r.pdfua_part(), Some(1));
}

#[test]
fn r30_the_fullest_passport_allowed_still_fits_one_page_with_a_photo() {
    // The most the core rules allow: MAX_TOTAL_CHARS characters spread across
    // MAX_POINTS points in each section, in words of 3 to 9 letters.
    let each = MAX_TOTAL_CHARS / (4 * MAX_POINTS);
    let point = |c: char| -> String {
        let words: Vec<String> = (0..).map(|i| format!("{c}{}", "x".repeat(i % 7 + 2))).take(80).collect();
        let mut text = words.join(" ");
        text.truncate(each);
        text.trim_end().to_owned() + &"y".repeat(each - text.trim_end().len())
    };
    let full = Passport {
        like_about_me: vec![point('a'); MAX_POINTS],
        matters_to_me: vec![point('b'); MAX_POINTS],
        how_to_help_me: vec![point('c'); MAX_POINTS],
        find_hard: vec![point('d'); MAX_POINTS],
        photo: Some(PhotoRef { sha256: "x".into(), media_type: "image/png".into(), alt: "A drawing of the sun".into() }),
        ..the_passport()
    };
    let full = full.validate().expect("within the rules");
    assert!(MAX_POINT_CHARS >= each);
    assert_eq!(full.like_about_me[0].chars().count(), each);
    let r = read(&passport_copy(&copy(full, Some(DRAWING))).unwrap());
    assert_eq!(r.pages.len(), 1, "{}", r.text());
}

#[test]
fn r30_a_picture_is_checked_by_decoding_it() {
    assert_eq!(check_picture(DRAWING).unwrap(), (48, 32));
    let mut damaged = DRAWING[..40].to_vec();
    damaged.extend_from_slice(&[0; 20]);
    assert!(matches!(check_picture(&damaged), Err(DocError::Picture(_))));
    assert!(matches!(check_picture(b"%PDF-1.7"), Err(DocError::Picture(_))));
}
