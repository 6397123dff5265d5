//! A letter from the school to a family as a PDF (R08): for now the letter telling
//! parents that their child has been placed on SEN support, whose wording is
//! `senplan_core::informing::letter`. The letter's text arrives written; this module
//! sets it out: the school, the date, the subject as the heading, and each paragraph
//! with its lines kept (the signature block).

use chrono::NaiveDate;
use senplan_core::dates::in_words;
use serde::{Deserialize, Serialize};

use crate::context::Pdf;
use crate::error::DocError;
use crate::render::{Template, render};
use crate::words;

/// Everything a letter shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub school_name: String,
    /// The pupil the letter is about, for the footer and the file name.
    pub pupil_full_name: String,
    /// The subject, the letter's heading: "Your child is getting SEN support".
    pub subject: String,
    /// The letter's date.
    pub dated: NaiveDate,
    /// The body: paragraphs separated by a blank line, lines within one kept. A first
    /// paragraph that is only the date in words is left out (the letter shows its date).
    pub text: String,
}

/// The letter as `letter.typ` reads it.
#[derive(Debug, Serialize)]
struct LetterView {
    title: String,
    school: String,
    date: String,
    footer: String,
    paragraphs: Vec<Vec<String>>,
}

/// Typesets a letter as an accessible PDF (PDF/UA-1).
pub fn letter(l: &Letter) -> Result<Pdf, DocError> {
    let date = in_words(l.dated);
    let paragraphs: Vec<Vec<String>> = l
        .text
        .split("\n\n")
        .map(|p| p.lines().map(|line| line.trim().to_owned()).filter(|line| !line.is_empty()).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .filter(|p| !(p.len() == 1 && p[0] == date))
        .collect();
    let view = LetterView {
        title: l.subject.trim().to_owned(),
        school: l.school_name.trim().to_owned(),
        footer: format!("{} · Letter of {date}", l.pupil_full_name.trim()),
        date,
        paragraphs,
    };
    let ident = format!("letter/{}/{}", l.subject, l.dated);
    let bytes = render(Template::Letter, &view, &[], l.dated, &ident)?;
    // The pupil's name once: a subject that already names them ("Concerns about Sam
    // Testington") is not followed by the name again.
    let named = l.subject.to_lowercase().contains(&l.pupil_full_name.trim().to_lowercase());
    let parts: &[&str] = if named { &["letter", &l.subject] } else { &["letter", &l.subject, &l.pupil_full_name] };
    let file_name = words::file_name(parts, "pdf");
    Ok(Pdf { bytes, title: view.title, file_name })
}
