//! The pupil passport (R30): a one-page profile in the child's own words — what people
//! like about me, what matters to me, how best to help me, what I find hard — written
//! by the child or young person with their parent or a member of staff, kept with its
//! history, shown to every adult who works with the pupil beside the strategies, and
//! printed as one A4 page.
//!
//! Each section is a short list of points in the child's words (one a line). The whole
//! must fit one page: at most [`MAX_POINTS`] points a section, [`MAX_POINT_CHARS`]
//! characters a point and [`MAX_TOTAL_CHARS`] in all. A photo or drawing is optional;
//! when there is one it says in words what it shows (its alternative text), and it is
//! a PNG, JPEG, GIF or WebP image of at most [`MAX_PHOTO_BYTES`], checked by its
//! content, not its name (see [`ImageType::sniff`]).

use serde::{Deserialize, Serialize};

use crate::error::{Invalid, clean_text};

/// Points a section may hold.
pub const MAX_POINTS: usize = 6;
/// Characters a point may hold.
pub const MAX_POINT_CHARS: usize = 250;
/// Characters the four sections may hold together, so the passport fits one page with
/// a photo.
pub const MAX_TOTAL_CHARS: usize = 1500;
/// The largest photo or drawing kept: 2 MiB.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// The four sections, in the order the passport shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    LikeAboutMe,
    MattersToMe,
    HowToHelpMe,
    FindHard,
}

impl Section {
    pub const ALL: [Section; 4] = [Self::LikeAboutMe, Self::MattersToMe, Self::HowToHelpMe, Self::FindHard];

    /// The field name, in forms, the API and errors.
    pub fn field(self) -> &'static str {
        match self {
            Self::LikeAboutMe => "like_about_me",
            Self::MattersToMe => "matters_to_me",
            Self::HowToHelpMe => "how_to_help_me",
            Self::FindHard => "find_hard",
        }
    }

    /// The heading, in the child's voice.
    pub fn heading(self) -> &'static str {
        match self {
            Self::LikeAboutMe => "What people like about me",
            Self::MattersToMe => "What matters to me",
            Self::HowToHelpMe => "How best to help me",
            Self::FindHard => "What I find hard",
        }
    }
}

/// Who wrote the passport with the child or young person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WrittenWith {
    /// On their own.
    Themselves,
    Parent,
    Staff,
    ParentAndStaff,
}

impl WrittenWith {
    pub const ALL: [WrittenWith; 4] = [Self::Themselves, Self::Parent, Self::Staff, Self::ParentAndStaff];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Themselves => "themselves",
            Self::Parent => "parent",
            Self::Staff => "staff",
            Self::ParentAndStaff => "parent_and_staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }

    /// As a choice on the form.
    pub fn label(self) -> &'static str {
        match self {
            Self::Themselves => "On their own",
            Self::Parent => "With their parent or carer",
            Self::Staff => "With a member of staff",
            Self::ParentAndStaff => "With their parent or carer and a member of staff",
        }
    }
}

/// A photo or drawing kept with the passport: which image (its SHA-256, hex), its kind,
/// and what it shows in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoRef {
    pub sha256: String,
    pub media_type: String,
    /// What the picture shows, read out by screen readers and printed when it cannot
    /// be shown: "A drawing of me and my dog Biscuit".
    pub alt: String,
}

/// A passport as kept: the four sections (points in the child's words), who wrote it
/// with them, and the picture if there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Passport {
    #[serde(default)]
    pub like_about_me: Vec<String>,
    #[serde(default)]
    pub matters_to_me: Vec<String>,
    #[serde(default)]
    pub how_to_help_me: Vec<String>,
    #[serde(default)]
    pub find_hard: Vec<String>,
    pub written_with: Option<WrittenWith>,
    /// The names of those who wrote it with the child: "Mum and Ms Khan".
    #[serde(default)]
    pub written_with_names: String,
    #[serde(default)]
    pub photo: Option<PhotoRef>,
}

impl Passport {
    /// The points of one section.
    pub fn section(&self, s: Section) -> &[String] {
        match s {
            Section::LikeAboutMe => &self.like_about_me,
            Section::MattersToMe => &self.matters_to_me,
            Section::HowToHelpMe => &self.how_to_help_me,
            Section::FindHard => &self.find_hard,
        }
    }

    fn section_mut(&mut self, s: Section) -> &mut Vec<String> {
        match s {
            Section::LikeAboutMe => &mut self.like_about_me,
            Section::MattersToMe => &mut self.matters_to_me,
            Section::HowToHelpMe => &mut self.how_to_help_me,
            Section::FindHard => &mut self.find_hard,
        }
    }

    /// Whether nothing is written yet.
    pub fn is_empty(&self) -> bool {
        Section::ALL.iter().all(|s| self.section(*s).is_empty())
    }

    /// Checks a passport as written: each point tidied (blank ones dropped) and within
    /// [`MAX_POINT_CHARS`], at most [`MAX_POINTS`] a section, something written in at
    /// least one section, the whole within [`MAX_TOTAL_CHARS`] so it fits one page,
    /// who it was written with, and alternative text for a picture.
    pub fn validate(mut self) -> Result<Passport, Invalid> {
        let mut e = Invalid::default();
        let mut total = 0;
        for s in Section::ALL {
            let field = s.field();
            let points: Vec<String> = self
                .section(s)
                .iter()
                .enumerate()
                .map(|(i, p)| clean_text(&format!("{field}[{i}]"), p, MAX_POINT_CHARS, &mut e))
                .filter(|p| !p.is_empty())
                .collect();
            if points.len() > MAX_POINTS {
                e.push(
                    field,
                    "too_many",
                    format!("'{}' has {} points: at most {MAX_POINTS} fit on the page", s.heading(), points.len()),
                );
            }
            total += points.iter().map(|p| p.chars().count()).sum::<usize>();
            *self.section_mut(s) = points;
        }
        if self.is_empty() {
            e.push("like_about_me", "required", "Write at least one thing in one of the sections, in the child's own words");
        }
        if total > MAX_TOTAL_CHARS {
            e.push(
                "passport",
                "too_long",
                format!("The passport has {total} characters: at most {MAX_TOTAL_CHARS} fit on one page. Shorten some points"),
            );
        }
        if self.written_with.is_none() {
            e.push("written_with", "required", "Say who wrote the passport with the child or young person");
        }
        self.written_with_names = clean_text("written_with_names", &self.written_with_names, 200, &mut e);
        if let Some(photo) = &mut self.photo {
            photo.alt = clean_text("photo_alt", &photo.alt, 300, &mut e);
            e.require_text("photo_alt", &photo.alt, "what the photo or drawing shows, for those who cannot see it");
        }
        e.into_result().map(|()| self)
    }
}

/// The kinds of picture a passport may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageType {
    /// The kind of image `bytes` begin as (their signature), whatever the file is called.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub fn from_media_type(s: &str) -> Option<ImageType> {
        [Self::Png, Self::Jpeg, Self::Gif, Self::Webp].into_iter().find(|t| t.media_type() == s)
    }
}

/// Checks an uploaded photo or drawing: not empty, at most [`MAX_PHOTO_BYTES`], and a
/// PNG, JPEG, GIF or WebP image by its content. Returns its kind.
pub fn check_photo(bytes: &[u8]) -> Result<ImageType, Invalid> {
    if bytes.is_empty() {
        return Err(Invalid::one("photo", "empty", "The photo file is empty"));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(Invalid::one(
            "photo",
            "too_large",
            format!(
                "The photo is {:.1} MB: the largest kept is {} MB. Choose a smaller picture",
                bytes.len() as f64 / 1_048_576.0,
                MAX_PHOTO_BYTES / 1_048_576
            ),
        ));
    }
    ImageType::sniff(bytes)
        .ok_or_else(|| Invalid::one("photo", "not_an_image", "The file is not a picture senplan can keep: choose a PNG, JPEG, GIF or WebP image"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passport() -> Passport {
        Passport {
            like_about_me: vec!["  I am kind to my friends ".into(), "".into(), "I make people laugh".into()],
            how_to_help_me: vec!["Give me one instruction at a time".into()],
            written_with: Some(WrittenWith::Parent),
            written_with_names: " Mum ".into(),
            ..Passport::default()
        }
    }

    fn codes(r: Result<Passport, Invalid>) -> Vec<(String, String)> {
        r.unwrap_err().errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn r30_a_passport_keeps_the_childs_points_tidied() {
        let p = passport().validate().unwrap();
        assert_eq!(p.like_about_me, ["I am kind to my friends", "I make people laugh"], "blank points dropped, spaces trimmed");
        assert_eq!(p.written_with_names, "Mum");
        assert!(p.matters_to_me.is_empty());
        assert_eq!(
            Section::ALL.map(Section::heading),
            ["What people like about me", "What matters to me", "How best to help me", "What I find hard"]
        );
    }

    #[test]
    fn r30_an_empty_passport_or_one_without_its_writers_is_refused() {
        let empty = Passport { written_with: Some(WrittenWith::Staff), like_about_me: vec!["  ".into()], ..Passport::default() };
        assert_eq!(codes(empty.validate()), [("like_about_me".to_owned(), "required".to_owned())]);
        let unsaid = Passport { written_with: None, ..passport() };
        assert_eq!(codes(unsaid.validate()), [("written_with".to_owned(), "required".to_owned())]);
    }

    #[test]
    fn r30_a_passport_must_fit_one_page() {
        let eight = Passport { find_hard: vec!["Loud rooms".into(); MAX_POINTS], ..passport() };
        assert!(eight.validate().is_ok(), "{MAX_POINTS} points fit");
        let nine = Passport { find_hard: vec!["Loud rooms".into(); MAX_POINTS + 1], ..passport() };
        assert_eq!(codes(nine.validate()), [("find_hard".to_owned(), "too_many".to_owned())]);

        let point = "a".repeat(MAX_POINT_CHARS);
        let long = Passport { matters_to_me: vec![point.clone(), format!("{point}b")], ..passport() };
        assert_eq!(codes(long.validate()), [("matters_to_me[1]".to_owned(), "too_long".to_owned())]);

        // 1,500 characters in all, with the 75 of passport()'s three points.
        let fill = |n: usize| vec!["b".repeat(MAX_POINT_CHARS); n];
        let base: usize = 23 + 19 + 33;
        let mut at = Passport { matters_to_me: fill(5), find_hard: fill(0), ..passport() };
        at.find_hard = vec!["c".repeat(MAX_TOTAL_CHARS - base - 5 * MAX_POINT_CHARS)];
        assert!(at.clone().validate().is_ok(), "exactly {MAX_TOTAL_CHARS} characters fit");
        at.find_hard[0].push('c');
        let r = codes(at.validate());
        assert_eq!(r, [("passport".to_owned(), "too_long".to_owned())]);
    }

    #[test]
    fn r30_a_picture_says_what_it_shows() {
        let photo = PhotoRef { sha256: "ab".into(), media_type: "image/png".into(), alt: "  ".into() };
        let p = Passport { photo: Some(photo.clone()), ..passport() };
        assert_eq!(codes(p.validate()), [("photo_alt".to_owned(), "required".to_owned())]);
        let p = Passport { photo: Some(PhotoRef { alt: " Me and my dog ".into(), ..photo }), ..passport() };
        assert_eq!(p.validate().unwrap().photo.unwrap().alt, "Me and my dog");
    }

    #[test]
    fn r30_a_photo_is_checked_by_its_content_and_size() {
        assert_eq!(check_photo(b"\x89PNG\r\n\x1a\n rest").unwrap(), ImageType::Png);
        assert_eq!(check_photo(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), ImageType::Jpeg);
        assert_eq!(check_photo(b"GIF89a...").unwrap(), ImageType::Gif);
        assert_eq!(check_photo(b"GIF87a...").unwrap(), ImageType::Gif);
        assert_eq!(check_photo(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), ImageType::Webp);
        assert_eq!(check_photo(b"RIFF\0\0\0\0WAVEfmt ").unwrap_err().errors[0].code, "not_an_image");
        assert_eq!(check_photo(b"%PDF-1.7 a report").unwrap_err().errors[0].code, "not_an_image");
        assert_eq!(check_photo(b"").unwrap_err().errors[0].code, "empty");
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_PHOTO_BYTES, 0);
        assert!(check_photo(&big).is_ok(), "exactly the limit is kept");
        big.push(0);
        let e = check_photo(&big).unwrap_err();
        assert_eq!(e.errors[0].code, "too_large");
        assert!(e.errors[0].message.contains("2 MB"), "{}", e.errors[0].message);
        for t in [ImageType::Png, ImageType::Jpeg, ImageType::Gif, ImageType::Webp] {
            assert_eq!(ImageType::from_media_type(t.media_type()), Some(t));
        }
    }
}
