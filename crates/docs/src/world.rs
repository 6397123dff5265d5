//! The small, closed world a document is typeset in: typst's standard library, the
//! fonts embedded in `typst-assets`, this crate's templates, one virtual `data.json`
//! and any images handed in as bytes. Nothing is read from disk or the network, so a
//! template can load no file but these and no typst package.
//!
//! The library, the fonts and the parsed templates are built once per process
//! ([`LazyLock`]) and shared by every render. That, with typst's own memoisation
//! (comemo), is what makes a second render fast: the templates hash the same, so
//! typst reuses what it evaluated and laid out before wherever the data did not change.
//!
//! Virtual paths: every file lives at the project root — `/base.typ`, `/plan.typ`,
//! `/data.json`, `/images/<name>` — so `#import "base.typ"` and `json("data.json")` in
//! a template resolve to them, and a path outside this list is "not found".

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The templates, each with its virtual path. `base.typ` is imported by the others.
const TEMPLATE_FILES: [(&str, &str); 8] = [
    ("/base.typ", include_str!("../templates/base.typ")),
    ("/plan.typ", include_str!("../templates/plan.typ")),
    ("/review.typ", include_str!("../templates/review.typ")),
    ("/letter.typ", include_str!("../templates/letter.typ")),
    ("/passport.typ", include_str!("../templates/passport.typ")),
    ("/evidence.typ", include_str!("../templates/evidence.typ")),
    ("/records.typ", include_str!("../templates/records.typ")),
    ("/topup.typ", include_str!("../templates/topup.typ")),
];

/// A template used only by this crate's own tests (an image with alternative text).
#[cfg(test)]
const TEST_FILES: [(&str, &str); 1] = [(
    "/image-probe.typ",
    "#import \"base.typ\": document-setup\n#let data = json(\"data.json\")\n#show: document-setup.with(data.header)\n#image(\"images/\" + data.image, alt: data.alt, width: 2cm)\n",
)];
#[cfg(not(test))]
const TEST_FILES: [(&str, &str); 0] = [];

/// Where a document's data is, as the templates read it: `json("data.json")`.
const DATA_PATH: &str = "/data.json";

/// Where images handed in as bytes are found: `image("images/photo.png", alt: ..)`.
pub(crate) const IMAGES_DIR: &str = "/images/";

/// typst's standard library, built once.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The fonts embedded in `typst-assets` (Libertinus Serif for text, New Computer
/// Modern and its maths font, DejaVu Sans Mono), parsed once.
static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect());

/// What typst knows of the fonts (families, styles, coverage), built once.
static BOOK: LazyLock<LazyHash<FontBook>> = LazyLock::new(|| LazyHash::new(FontBook::from_fonts(FONTS.iter())));

/// The templates, parsed once. A `Source` is cheap to clone (shared) and hashes by
/// its text, so typst's caches recognise it on every render.
static TEMPLATES: LazyLock<Vec<Source>> = LazyLock::new(|| {
    TEMPLATE_FILES
        .iter()
        .chain(TEST_FILES.iter())
        .filter_map(|(path, text)| Some(Source::new(file_id(path)?, (*text).to_owned())))
        .collect()
});

/// The interned id of a virtual path at the project root; `None` for a path typst
/// refuses (for example one climbing out of the root with `..`).
pub(crate) fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document being typeset: which template is the main file, its data, its images
/// and the day it was produced on (what `datetime.today()` gives).
pub(crate) struct DocWorld {
    main: FileId,
    data_id: Option<FileId>,
    data: Bytes,
    images: Vec<(FileId, Bytes)>,
    today: Option<Datetime>,
}

impl DocWorld {
    /// `template` is a template's virtual path (`"/plan.typ"`), `images` pairs a file
    /// name under `/images/` with its bytes. `None` if `template` is not one of ours.
    pub(crate) fn new(template: &str, data_json: Vec<u8>, images: &[(String, Vec<u8>)], produced_on: NaiveDate) -> Option<DocWorld> {
        let main = file_id(template).filter(|id| TEMPLATES.iter().any(|s| s.id() == *id))?;
        let images =
            images.iter().filter_map(|(name, bytes)| Some((file_id(&format!("{IMAGES_DIR}{name}"))?, Bytes::new(bytes.clone())))).collect();
        let today = u8::try_from(produced_on.month())
            .ok()
            .zip(u8::try_from(produced_on.day()).ok())
            .and_then(|(m, d)| Datetime::from_ymd(produced_on.year(), m, d));
        Some(DocWorld { main, data_id: file_id(DATA_PATH), data: Bytes::new(data_json), images, today })
    }

    /// The produced-on date, for the PDF's creation date.
    pub(crate) fn today_datetime(&self) -> Option<Datetime> {
        self.today
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &BOOK
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        TEMPLATES.iter().find(|s| s.id() == id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if Some(id) == self.data_id {
            return Ok(self.data.clone());
        }
        if let Some((_, bytes)) = self.images.iter().find(|(image, _)| *image == id) {
            return Ok(bytes.clone());
        }
        if let Some(source) = TEMPLATES.iter().find(|s| s.id() == id) {
            return Ok(Bytes::from_string(source.text().to_owned()));
        }
        Err(not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

/// Builds the library, fonts and templates now rather than on the first render, so a
/// server can pay for it at start-up (about the cost of one render).
pub fn warm_up() {
    LazyLock::force(&LIBRARY);
    LazyLock::force(&BOOK);
    LazyLock::force(&TEMPLATES);
}
