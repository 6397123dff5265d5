//! The one way every document becomes a PDF: a template, its data as JSON, optional
//! images, typeset by typst and exported as PDF/UA-1 (tagged, with the standard's
//! checks run by typst). A later document (a passport, a letter) is a template plus a
//! data struct handed to [`render`].
//!
//! User text reaches the template only inside `data.json`, read with `json(..)`: it is
//! data to typst, never markup, so `#`, `*`, `$`, `[`, `<` or `@` in a name or a view
//! are printed as written and cannot run code.

use chrono::NaiveDate;
use serde::Serialize;
use typst::diag::SourceDiagnostic;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::DocError;
use crate::world::DocWorld;

/// Cached results unused for this many renders are dropped, so a long-running server
/// keeps what its documents share (templates, fonts, layout of unchanged parts) without
/// growing for ever.
const CACHE_MAX_AGE: usize = 30;

/// The templates under `templates/`, each a main file importing `base.typ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Template {
    Plan,
    Review,
    Letter,
    Passport,
    Evidence,
    Records,
    TopUp,
    /// This crate's own test of images (see `world.rs`).
    #[cfg(test)]
    ImageProbe,
}

impl Template {
    /// The template's virtual path in [`DocWorld`].
    fn path(self) -> &'static str {
        match self {
            Self::Plan => "/plan.typ",
            Self::Review => "/review.typ",
            Self::Letter => "/letter.typ",
            Self::Passport => "/passport.typ",
            Self::Evidence => "/evidence.typ",
            Self::Records => "/records.typ",
            Self::TopUp => "/topup.typ",
            #[cfg(test)]
            Self::ImageProbe => "/image-probe.typ",
        }
    }

    /// The most pages the document may take: the passport is one page.
    fn max_pages(self) -> Option<usize> {
        match self {
            Self::Passport => Some(1),
            _ => None,
        }
    }
}

/// An image handed to a template: its file name under `images/` and its bytes (PNG,
/// JPEG, GIF, WebP or SVG). The template must give it alternative text, or PDF/UA-1
/// export fails.
#[derive(Debug, Clone)]
pub(crate) struct ImageFile {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

/// Typesets `template` with `data` as its `data.json` and exports a PDF/UA-1 file.
/// `ident` identifies the document stably across renders (it seeds the PDF's ID).
pub(crate) fn render(
    template: Template,
    data: &impl Serialize,
    images: &[ImageFile],
    produced_on: NaiveDate,
    ident: &str,
) -> Result<Vec<u8>, DocError> {
    let json = serde_json::to_vec(data)?;
    let images: Vec<(String, Vec<u8>)> = images.iter().map(|i| (i.name.clone(), i.bytes.clone())).collect();
    let world = DocWorld::new(template.path(), json, &images, produced_on)
        .ok_or_else(|| DocError::Typeset(format!("no template at {}", template.path())))?;

    let compiled = typst::compile::<PagedDocument>(&world);
    // A warning is a template fault (an unknown font, a misspelt setting): refused so
    // that tests catch it rather than a family receiving a subtly wrong document.
    if !compiled.warnings.is_empty() {
        return Err(DocError::Typeset(messages(&compiled.warnings)));
    }
    let document = compiled.output.map_err(|errors| DocError::Typeset(messages(&errors)))?;
    if let Some(limit) = template.max_pages().filter(|limit| document.pages().len() > *limit) {
        return Err(DocError::TooLong { pages: document.pages().len(), limit });
    }

    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| DocError::Export(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        creator: Smart::Custom(Some("senplan".to_owned())),
        timestamp: world.today_datetime().map(Timestamp::new_utc),
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
        let text = messages(&errors);
        if text.contains("PDF/UA") { DocError::NotAccessible(text) } else { DocError::Export(text) }
    });
    comemo::evict(CACHE_MAX_AGE);
    pdf
}

/// typst's diagnostics as one line each, with their hints.
fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
            if hints.is_empty() { d.message.to_string() } else { format!("{} ({})", d.message, hints.join("; ")) }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use serde_json::json;

    use super::*;
    use crate::testing::read_pdf;

    const SQUARE: &str =
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#036"/></svg>"##;

    fn header() -> serde_json::Value {
        json!({
            "title": "Image probe", "school": "Larkspur Lane Primary School", "facts": [],
            "copy_for": "Test copy", "intro": [], "footer": "Probe",
        })
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn r09_an_image_given_as_bytes_is_shown_with_its_alternative_text() {
        let data = json!({ "header": header(), "image": "square.svg", "alt": "A dark blue square" });
        let image = ImageFile { name: "square.svg".into(), bytes: SQUARE.as_bytes().to_vec() };
        let pdf = render(Template::ImageProbe, &data, &[image], day(), "probe").unwrap();
        let read = read_pdf(&pdf).unwrap();
        assert_eq!(read.count("Figure"), 1, "{}", read.outline());
        assert_eq!(read.pdfua_part(), Some(1));
    }

    #[test]
    fn r09_an_image_without_alternative_text_is_refused() {
        let data = json!({ "header": header(), "image": "square.svg", "alt": null });
        let image = ImageFile { name: "square.svg".into(), bytes: SQUARE.as_bytes().to_vec() };
        match render(Template::ImageProbe, &data, &[image], day(), "probe") {
            Err(DocError::NotAccessible(reason)) => assert!(reason.contains("alt"), "{reason}"),
            other => panic!("expected NotAccessible, got {other:?}"),
        }
    }

    #[test]
    fn r09_a_missing_image_is_a_typesetting_error() {
        let data = json!({ "header": header(), "image": "missing.svg", "alt": "Nothing" });
        assert!(matches!(render(Template::ImageProbe, &data, &[], day(), "probe"), Err(DocError::Typeset(_))));
    }
}
