//! The pupil passport (R30) as one A4 page: the child's own words under the four
//! headings, the photo or drawing if there is one (with what it shows in words), who
//! wrote it with them, and the version. The words are the child's, so they are printed
//! as written, in the first person, whoever the copy is for.

use chrono::NaiveDate;
use senplan_core::dates::in_words;
use senplan_core::passport::{ImageType, Passport, Section, WrittenWith};
use serde::{Deserialize, Serialize};

use crate::context::{DocContext, Fact, Header, Pdf};
use crate::error::DocError;
use crate::render::{ImageFile, Template, render};
use crate::words;

/// Everything a printed passport shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportCopy {
    pub context: DocContext,
    pub passport: Passport,
    /// The version shown, from 1, and the day it was written.
    pub version: u32,
    pub updated_on: NaiveDate,
    /// The picture's bytes, when the passport has one.
    #[serde(skip)]
    pub photo: Option<Vec<u8>>,
}

/// The passport as `passport.typ` reads it.
#[derive(Debug, Serialize)]
struct PassportView {
    header: Header,
    sections: Vec<SectionView>,
    /// The picture's file under `images/` and what it shows.
    photo: Option<String>,
    photo_alt: Option<String>,
}

#[derive(Debug, Serialize)]
struct SectionView {
    heading: &'static str,
    points: Vec<String>,
}

/// "Written by Ann with Mum and Ms Khan".
fn written(first: &str, p: &Passport) -> String {
    let names = p.written_with_names.trim();
    let with = match p.written_with {
        None | Some(WrittenWith::Themselves) => String::new(),
        Some(_) if !names.is_empty() => format!(" with {names}"),
        Some(WrittenWith::Parent) => " with their parent or carer".to_owned(),
        Some(WrittenWith::Staff) => " with a member of staff".to_owned(),
        Some(WrittenWith::ParentAndStaff) => " with their parent or carer and a member of staff".to_owned(),
    };
    format!("Written by {first}{with}")
}

/// Typesets the passport as one accessible A4 page (PDF/UA-1). A passport that would
/// run onto a second page is refused: the core rules keep it short enough.
pub fn passport_copy(doc: &PassportCopy) -> Result<Pdf, DocError> {
    let ctx = &doc.context;
    let first = ctx.pupil_first_name.trim();
    let title = format!("All about me: {}", ctx.pupil_full_name.trim());
    let facts = vec![
        Fact::new("Passport", format!("version {}, written {}", doc.version, in_words(doc.updated_on))),
        Fact::new("Who wrote it", written(first, &doc.passport)),
    ];
    let intro = vec![format!(
        "This is {first}'s passport, in {first}'s own words. Please read it before you work with {first}, and use it beside the strategies in the plan."
    )];
    let mut header = Header::new(ctx, title.clone(), facts, intro, &format!("Pupil passport, version {}", doc.version));
    // The same words for everyone: there is no staff-only part.
    header.copy_for = format!("For every adult who works with {first}");
    let sections = Section::ALL
        .into_iter()
        .map(|s| SectionView { heading: s.heading(), points: doc.passport.section(s).to_vec() })
        .collect();
    let mut images = Vec::new();
    let (photo, photo_alt) = match (&doc.passport.photo, &doc.photo) {
        (Some(p), Some(bytes)) => {
            let extension = match ImageType::sniff(bytes) {
                Some(ImageType::Png) => "png",
                Some(ImageType::Jpeg) => "jpg",
                Some(ImageType::Gif) => "gif",
                Some(ImageType::Webp) => "webp",
                None => return Err(DocError::Typeset("the passport's picture is not an image".into())),
            };
            let name = format!("photo.{extension}");
            images.push(ImageFile { name: name.clone(), bytes: bytes.clone() });
            (Some(name), Some(p.alt.clone()))
        }
        _ => (None, None),
    };
    let view = PassportView { header, sections, photo, photo_alt };
    let ident = format!("passport/{}/{}", ctx.pupil_full_name, doc.version);
    let bytes = render(Template::Passport, &view, &images, ctx.produced_on, &ident)?;
    let version = format!("v{}", doc.version);
    Ok(Pdf { bytes, title, file_name: words::file_name(&["pupil passport", ctx.pupil_full_name.as_str(), version.as_str()], "pdf") })
}

/// Checks that `bytes` decode as a picture the passport can print (not only that they
/// start like one): a PNG, JPEG, GIF or WebP image of at most 8,000 pixels a side.
/// Returns its width and height.
pub fn check_picture(bytes: &[u8]) -> Result<(u32, u32), DocError> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DocError::Picture(format!("cannot be read: {e}")))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(8000);
    limits.max_image_height = Some(8000);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| DocError::Picture(format!("is not a picture that can be printed: {e}")))?;
    Ok((picture.width(), picture.height()))
}
