//! Why a document could not be produced. Each variant says whose problem it is: a
//! template that does not typeset is a bug in this crate; a PDF that would not conform
//! to PDF/UA-1 is refused rather than quietly written without the promise of
//! accessibility (for example a name in a script the embedded fonts cannot show).

/// A document that could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The document's data could not be written as JSON for the template.
    #[error("the document's data could not be prepared: {0}")]
    Data(#[from] serde_json::Error),
    /// The template failed to typeset: a bug in this crate, with typst's messages.
    #[error("the document could not be typeset: {0}")]
    Typeset(String),
    /// The PDF would not conform to PDF/UA-1, with typst's reasons (for example text
    /// that the embedded fonts cannot show, or an image without alternative text).
    /// Never downgraded to a PDF without the standard.
    #[error("the document cannot be made accessible (PDF/UA-1): {0}")]
    NotAccessible(String),
    /// An uploaded picture that cannot be printed (not an image, or a damaged one).
    #[error("the picture {0}")]
    Picture(String),
    /// A document that must fit a number of pages (the passport: one) would not.
    #[error("the document does not fit on {limit} page(s): it would take {pages}")]
    TooLong { pages: usize, limit: usize },
    /// The PDF could not be written for another reason.
    #[error("the PDF could not be written: {0}")]
    Export(String),
}
