//! The pupil passport (R30): the child's own words on a page every adult who works
//! with them can read, written with the child by staff who contribute or by the
//! family through the portal, printed as one A4 page. The same page serves both doors;
//! only the addresses and who may write differ.
//!
//! The words are a normal form; the photo or drawing is a file upload of its own
//! (`multipart/form-data`, on the upload routes with their larger body limit).

use askama::Template;
use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use senplan_app::passports::{self, PassportInput, PassportPage, Via};
use senplan_app::AppError;
use senplan_core::Invalid;
use senplan_core::dates::in_words;
use senplan_core::ids::PupilId;
use senplan_core::passport::{MAX_POINTS, Section, WrittenWith};

use super::fields::{Choice, Choices, ErrorLink, Errors, Text};
use super::form::{Posted, merge};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/pupils/{pupil}/passport", show)
        .post("/schools/{school}/pupils/{pupil}/passport", save)
        .get("/schools/{school}/pupils/{pupil}/passport/photos/{sha}", photo)
        .get("/portal/pupils/{pupil}/passport", portal_show)
        .post("/portal/pupils/{pupil}/passport", portal_save)
        .get("/portal/pupils/{pupil}/passport/photos/{sha}", portal_photo)
}

/// The routes taking a file, with their own body limit (`crate::MAX_UPLOAD_BYTES`).
pub(crate) fn upload_routes() -> Routes {
    Routes::new()
        .post("/schools/{school}/pupils/{pupil}/passport/photo", upload)
        .post("/portal/pupils/{pupil}/passport/photo", portal_upload)
}

/// Where the page and its parts live for this door.
fn base(via: Via, pupil: i64) -> String {
    match via {
        Via::Staff { school } => format!("/schools/{school}/pupils/{pupil}"),
        Via::Portal => format!("/portal/pupils/{pupil}"),
    }
}

/// One section of the passport as shown and as a textarea.
struct SectionView {
    heading: &'static str,
    points: Vec<String>,
    field: Text,
}

#[derive(Template)]
#[template(path = "passport.html")]
struct Page {
    nav: Nav,
    back: String,
    base: String,
    name: String,
    first: String,
    notice: Option<&'static str>,
    errors: Vec<ErrorLink>,
    can_edit: bool,
    version: i64,
    /// "Version 3, written 20 November 2026".
    written: Option<String>,
    written_by: String,
    sections: Vec<SectionView>,
    photo_src: Option<String>,
    photo_alt: String,
    written_with: Choices,
    written_with_names: Text,
    alt: Text,
    photo_error: Option<String>,
    new_alt: Text,
}

fn page(viewer: &Viewer, via: Via, p: &PassportPage, typed: Option<&Posted>, errors: &Errors, notice: Option<&'static str>) -> Page {
    let name = super::pupil::display_name(&p.pupil);
    let first = p.pupil.details.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| p.pupil.details.given_name.clone());
    let base = base(via, p.pupil.id.0);
    let current = p.record.as_ref().map(|r| &r.passport);
    let lines = |s: Section| match typed {
        Some(t) => t.get(s.field()).to_owned(),
        None => current.map(|c| c.section(s).join("\n")).unwrap_or_default(),
    };
    let written_with = match typed {
        Some(t) => WrittenWith::parse(t.get("written_with")),
        None => current.and_then(|c| c.written_with),
    };
    let names = typed.map_or_else(|| current.map(|c| c.written_with_names.clone()).unwrap_or_default(), |t| t.get("written_with_names").to_owned());
    let photo = current.and_then(|c| c.photo.as_ref());
    Page {
        nav: Nav::for_viewer(viewer),
        back: base.clone(),
        notice,
        errors: errors.summary(),
        can_edit: p.can_edit,
        version: p.record.as_ref().map_or(0, |r| r.version),
        written: p.record.as_ref().map(|r| {
            let day = chrono::NaiveDate::parse_from_str(r.updated_at.get(..10).unwrap_or_default(), "%Y-%m-%d").ok();
            format!("Version {}{}", r.version, day.map(|d| format!(", written {}", in_words(d))).unwrap_or_default())
        }),
        written_by: current.map(|c| written_by(&first, c.written_with, &c.written_with_names)).unwrap_or_default(),
        sections: Section::ALL
            .into_iter()
            .map(|s| SectionView {
                heading: s.heading(),
                points: current.map(|c| c.section(s).to_vec()).unwrap_or_default(),
                field: Text::new(s.field(), s.heading(), lines(s), errors)
                    .hint(format!("One point a line, in {first}'s own words (at most {MAX_POINTS})"))
                    .area(4),
            })
            .collect(),
        photo_src: photo.map(|ph| format!("{base}/passport/photos/{}", ph.sha256)),
        photo_alt: photo.map(|ph| ph.alt.clone()).unwrap_or_default(),
        written_with: Choices::new(
            "written_with",
            format!("Who wrote it with {first}?"),
            WrittenWith::ALL.iter().map(|w| Choice::new(w.as_str(), w.label(), written_with == Some(*w))).collect(),
            errors,
        )
        .small(),
        written_with_names: Text::new("written_with_names", "Their names (optional)", names, errors).hint("For example: Mum and Mrs Green"),
        alt: Text::new("photo_alt", "What the picture shows", typed.map_or_else(|| photo.map(|ph| ph.alt.clone()).unwrap_or_default(), |t| t.get("photo_alt").to_owned()), errors)
            .hint("Read out by screen readers, and printed if the picture cannot be shown"),
        photo_error: errors.on("photo"),
        new_alt: Text::new("new_photo_alt", "What the picture shows", "", errors)
            .hint("For example: A drawing of me and my dog Biscuit"),
        base,
        name,
        first,
    }
}

/// "Written by Ann with Mum and Mrs Green".
fn written_by(first: &str, with: Option<WrittenWith>, names: &str) -> String {
    match with {
        None | Some(WrittenWith::Themselves) => format!("Written by {first}"),
        Some(w) if names.trim().is_empty() => format!("Written by {first}, {}", w.label().to_lowercase()),
        Some(_) => format!("Written by {first} with {}", names.trim()),
    }
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

fn notice(d: &Done) -> Option<&'static str> {
    match d.done.as_deref() {
        Some("saved") => Some("The passport has been saved."),
        Some("photo") => Some("The picture has been added to the passport."),
        _ => None,
    }
}

/// Splits a textarea into points, one a line.
fn points(form: &Posted, s: Section) -> Vec<String> {
    form.get(s.field()).lines().map(str::to_owned).collect()
}

fn errors(i: Invalid) -> Errors {
    let mut e = Errors::new(i).redirect("passport", "like_about_me");
    for s in Section::ALL {
        e = e.redirect(&format!("{}[", s.field()), s.field());
    }
    e
}

async fn show_page(s: &AppState, viewer: &Viewer, via: Via, pupil: i64, d: &Done) -> PageResult {
    let p = passports::passport(&s.store, &viewer.actor, via, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &page(viewer, via, &p, None, &Errors::default(), notice(d))))
}

async fn save_form(s: &AppState, viewer: &Viewer, via: Via, pupil: i64, form: Posted) -> PageResult {
    let p = passports::passport_to_write(&s.store, &viewer.actor, via, PupilId(pupil)).await?;
    let mut read = Invalid::default();
    let version = form.get("version").parse::<i64>().unwrap_or_else(|_| {
        read.push("version", "invalid", "The page was out of date: open the passport again");
        0
    });
    let input = PassportInput {
        like_about_me: points(&form, Section::LikeAboutMe),
        matters_to_me: points(&form, Section::MattersToMe),
        how_to_help_me: points(&form, Section::HowToHelpMe),
        find_hard: points(&form, Section::FindHard),
        written_with: WrittenWith::parse(form.get("written_with")),
        written_with_names: form.get("written_with_names").to_owned(),
        photo_alt: form.get("photo_alt").to_owned(),
        new_photo: None,
        remove_photo: form.has("remove_photo"),
    };
    let r = if read.is_empty() {
        passports::save_passport(&s.store, &viewer.actor, via, PupilId(pupil), version, input).await.map(|_| ())
    } else {
        Err(AppError::Invalid(read.clone()))
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("{}/passport?done=saved", base(via, pupil))).into_response()),
        Err(AppError::Invalid(i)) => {
            Ok(render_with(StatusCode::BAD_REQUEST, &page(viewer, via, &p, Some(&form), &errors(merge(read, i)), None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The parts of the upload form: the picture, what it shows and the version.
async fn read_upload(mut m: Multipart) -> Result<(Option<Vec<u8>>, String, i64), Invalid> {
    let (mut bytes, mut alt, mut version) = (None, String::new(), None);
    let unreadable = || Invalid::one("photo", "unreadable", "The upload could not be read: choose the picture again");
    while let Some(field) = m.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("photo") => {
                let data = field.bytes().await.map_err(|_| unreadable())?;
                bytes = (!data.is_empty()).then(|| data.to_vec());
            }
            Some("new_photo_alt") => alt = field.text().await.map_err(|_| unreadable())?,
            Some("version") => version = field.text().await.ok().and_then(|v| v.parse().ok()),
            _ => {}
        }
    }
    let version = version.ok_or_else(|| Invalid::one("photo", "invalid", "The page was out of date: open the passport again"))?;
    Ok((bytes, alt, version))
}

async fn upload_photo(s: &AppState, viewer: &Viewer, via: Via, pupil: i64, m: Result<Multipart, MultipartRejection>) -> PageResult {
    let p = passports::passport_to_write(&s.store, &viewer.actor, via, PupilId(pupil)).await?;
    let read = match m {
        Ok(m) => read_upload(m).await,
        Err(_) => Err(Invalid::one("photo", "not_an_upload", "Send the picture as a file upload (multipart/form-data)")),
    };
    let r = match read {
        Ok((Some(bytes), alt, version)) => passports::add_photo(&s.store, &viewer.actor, via, PupilId(pupil), version, bytes, alt).await.map(|_| ()),
        Ok((None, _, _)) => Err(AppError::Invalid(Invalid::one("photo", "required", "Choose a picture to add"))),
        Err(i) => Err(AppError::Invalid(i)),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("{}/passport?done=photo", base(via, pupil))).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = Errors::new(i).redirect("photo_alt", "new_photo_alt").redirect("passport", "photo");
            Ok(render_with(StatusCode::BAD_REQUEST, &page(viewer, via, &p, None, &errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn send_photo(s: &AppState, viewer: &Viewer, via: Via, pupil: i64, sha: &str) -> Result<Response, super::PageError> {
    let ph = passports::passport_photo(&s.store, &viewer.actor, via, PupilId(pupil), sha).await?;
    Ok((
        [(header::CONTENT_TYPE, ph.media_type.clone()), (header::CACHE_CONTROL, "private, no-store".to_owned())],
        Body::from(ph.bytes),
    )
        .into_response())
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    show_page(&s, &viewer, Via::Staff { school }, pupil, &d).await
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    save_form(&s, &viewer, Via::Staff { school }, pupil, form).await
}

async fn upload(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, m: Result<Multipart, MultipartRejection>) -> PageResult {
    upload_photo(&s, &viewer, Via::Staff { school }, pupil, m).await
}

async fn photo(State(s): State<AppState>, viewer: Viewer, Path((school, pupil, sha)): Path<(i64, i64, String)>) -> PageResult {
    send_photo(&s, &viewer, Via::Staff { school }, pupil, &sha).await
}

async fn portal_show(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>, Query(d): Query<Done>) -> PageResult {
    show_page(&s, &viewer, Via::Portal, pupil, &d).await
}

async fn portal_save(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>, form: Posted) -> PageResult {
    save_form(&s, &viewer, Via::Portal, pupil, form).await
}

async fn portal_upload(State(s): State<AppState>, viewer: Viewer, Path(pupil): Path<i64>, m: Result<Multipart, MultipartRejection>) -> PageResult {
    upload_photo(&s, &viewer, Via::Portal, pupil, m).await
}

async fn portal_photo(State(s): State<AppState>, viewer: Viewer, Path((pupil, sha)): Path<(i64, String)>) -> PageResult {
    send_photo(&s, &viewer, Via::Portal, pupil, &sha).await
}
