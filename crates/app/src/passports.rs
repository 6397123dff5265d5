//! The pupil passport (R30): read by every adult who works with the pupil (staff who
//! see the record, beside the strategies) and by the family through the portal;
//! written by the child or young person with a teacher or the SENCO (staff who
//! contribute) or with their parent (through the portal); printed as one A4 page.
//!
//! A new photo or drawing is checked twice before it is kept: by its first bytes
//! (`core::passport::check_photo`: a PNG, JPEG, GIF or WebP image, at most 2 MB) and
//! by decoding it (`senplan_docs::check_picture`), so a damaged file is refused on
//! upload rather than breaking the printed page later. Each picture is kept by its
//! SHA-256 and never served to anyone the pupil's record is hidden from.

use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::PupilId;
use senplan_core::passport::{Passport, PhotoRef, WrittenWith, check_photo};
use senplan_core::record::Pupil;
use senplan_docs::{PassportCopy, Pdf};
use senplan_store::history::Entity;
use senplan_store::passports::{PassportRecord, Photo, file_sha256};
use senplan_store::{Ctx, Store};

use crate::access::{require, school_for};
use crate::documents::{CopyFor, Versioned, at_version, context, family_of, produced, typeset};
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};

/// Through which door the actor comes: a member of staff in their school, or the
/// family through the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Staff { school: i64 },
    Portal,
}

impl Via {
    /// Checks the actor may read (`edit` false) or write the passport this way: through
    /// the portal, a parent of a college student only when the student shares their
    /// plan (R26).
    async fn check(self, store: &Store, actor: &Actor, pupil: PupilId, edit: bool) -> Result<()> {
        match self {
            Via::Staff { school } => {
                school_for(actor, school, if edit { Permission::Contribute } else { Permission::ViewRecord })?;
            }
            Via::Portal => {
                require(actor, Permission::UsePortal)?;
                crate::sharing::require_part(store, actor, pupil, senplan_core::sharing::Part::Plan).await?;
            }
        }
        Ok(())
    }

    fn copy_for(self, actor: &Actor) -> CopyFor {
        match self {
            Via::Staff { .. } => CopyFor::Staff,
            Via::Portal => family_of(actor),
        }
    }
}

/// The passport page: the pupil, the passport if written, and whether the actor may
/// write it.
#[derive(Debug, Clone)]
pub struct PassportPage {
    pub pupil: Pupil,
    pub record: Option<PassportRecord>,
    pub can_edit: bool,
}

/// A passport as written on the form or sent to the API: the four sections, who wrote
/// it with the child, what the picture shows, and a new picture or its removal.
#[derive(Debug, Clone, Default)]
pub struct PassportInput {
    pub like_about_me: Vec<String>,
    pub matters_to_me: Vec<String>,
    pub how_to_help_me: Vec<String>,
    pub find_hard: Vec<String>,
    pub written_with: Option<WrittenWith>,
    pub written_with_names: String,
    /// What the picture shows; when empty, the kept picture keeps its words.
    pub photo_alt: String,
    /// A new picture's bytes.
    pub new_photo: Option<Vec<u8>>,
    /// Take the picture off (ignored when a new one is given).
    pub remove_photo: bool,
}

/// Reads the pupil's passport, audited as a view of the pupil's record.
pub async fn passport(store: &Store, actor: &Actor, via: Via, pupil: PupilId) -> Result<PassportPage> {
    via.check(store, actor, pupil, false).await?;
    let p = seen(store, actor, Target::Pupil(pupil), "passport", store.pupil(&actor.scope(), pupil).await).await?;
    let record = store.passport(&actor.scope(), pupil).await?;
    viewed(store, actor, pupil, "passport").await?;
    let can_edit = match via {
        Via::Staff { .. } => actor.may(Permission::Contribute),
        Via::Portal => true,
    };
    Ok(PassportPage { pupil: p, record, can_edit })
}

/// The passport page for someone about to change it: refused unless they may write
/// it, before anything they sent is read.
pub async fn passport_to_write(store: &Store, actor: &Actor, via: Via, pupil: PupilId) -> Result<PassportPage> {
    via.check(store, actor, pupil, true).await?;
    passport(store, actor, via, pupil).await
}

/// Saves the passport as a new version based on `version` (0 for the first), with a
/// new picture if one is given.
pub async fn save_passport(store: &Store, actor: &Actor, via: Via, pupil: PupilId, version: i64, input: PassportInput) -> Result<PassportRecord> {
    via.check(store, actor, pupil, true).await?;
    let scope = actor.scope();
    seen(store, actor, Target::Pupil(pupil), "passport", store.pupil(&scope, pupil).await).await?;
    let new_photo = match input.new_photo {
        Some(bytes) => Some(checked_picture(bytes).await?),
        None => None,
    };
    let kept = store.passport(&scope, pupil).await?.and_then(|r| r.passport.photo);
    let alt = input.photo_alt.clone();
    let photo = match (&new_photo, kept) {
        (Some((media_type, bytes)), _) => Some(PhotoRef { sha256: file_sha256(bytes), media_type: media_type.clone(), alt }),
        (None, _) if input.remove_photo => None,
        (None, Some(kept)) => Some(PhotoRef { alt: if alt.trim().is_empty() { kept.alt.clone() } else { alt }, ..kept }),
        (None, None) => None,
    };
    let passport = Passport {
        like_about_me: input.like_about_me,
        matters_to_me: input.matters_to_me,
        how_to_help_me: input.how_to_help_me,
        find_hard: input.find_hard,
        written_with: input.written_with,
        written_with_names: input.written_with_names,
        photo,
    }
    .validate()?;
    let r = async {
        let mut work = store.work(Ctx::of(actor)).await?;
        if let Some((media_type, bytes)) = &new_photo {
            work.add_passport_photo(&scope, pupil, media_type, bytes).await?;
        }
        let saved = work.save_passport(&scope, pupil, version, passport).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Pupil(pupil), "passport", r).await
}

/// Adds a picture to the passport (a new version based on `version`), with what it
/// shows in words; the passport must have been written first.
pub async fn add_photo(store: &Store, actor: &Actor, via: Via, pupil: PupilId, version: i64, bytes: Vec<u8>, alt: String) -> Result<PassportRecord> {
    via.check(store, actor, pupil, true).await?;
    let scope = actor.scope();
    seen(store, actor, Target::Pupil(pupil), "passport", store.pupil(&scope, pupil).await).await?;
    let Some(current) = store.passport(&scope, pupil).await? else {
        return Err(AppError::Invalid(Invalid::one("photo", "no_passport", "Write the passport first, then add a picture to it")));
    };
    let p = current.passport;
    let input = PassportInput {
        like_about_me: p.like_about_me,
        matters_to_me: p.matters_to_me,
        how_to_help_me: p.how_to_help_me,
        find_hard: p.find_hard,
        written_with: p.written_with,
        written_with_names: p.written_with_names,
        photo_alt: alt,
        new_photo: Some(bytes),
        remove_photo: false,
    };
    save_passport(store, actor, via, pupil, version, input).await
}

/// A new picture checked by its content and by decoding it: its media type and bytes.
async fn checked_picture(bytes: Vec<u8>) -> Result<(String, Vec<u8>)> {
    let kind = check_photo(&bytes)?;
    let decoded = tokio::task::spawn_blocking(move || senplan_docs::check_picture(&bytes).map(|_| bytes)).await;
    match decoded {
        Ok(Ok(bytes)) => Ok((kind.media_type().to_owned(), bytes)),
        Ok(Err(_)) | Err(_) => Err(AppError::Invalid(Invalid::one(
            "photo",
            "damaged_image",
            "The picture could not be read: the file may be damaged. Choose another PNG, JPEG, GIF or WebP image",
        ))),
    }
}

/// The passport's picture (the current one, or one an earlier version held), for those
/// who may read the passport; audited as a view.
pub async fn passport_photo(store: &Store, actor: &Actor, via: Via, pupil: PupilId, sha256: &str) -> Result<Photo> {
    via.check(store, actor, pupil, false).await?;
    let scope = actor.scope();
    seen(store, actor, Target::Pupil(pupil), "passport picture", store.pupil(&scope, pupil).await).await?;
    let photo = store.passport_photo(&scope, pupil, sha256).await?.ok_or(AppError::NotFound("picture"))?;
    viewed(store, actor, pupil, "passport picture").await?;
    Ok(photo)
}

impl Versioned for PassportRecord {
    fn version(&self) -> i64 {
        self.version
    }
}

/// The passport printed on one A4 page (version `version`, or the current one).
pub async fn passport_pdf(store: &Store, actor: &Actor, via: Via, pupil: PupilId, version: Option<i64>) -> Result<Pdf> {
    via.check(store, actor, pupil, false).await?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "passport", store.pupil(&scope, pupil).await).await?;
    let current = store.passport(&scope, pupil).await?.ok_or(AppError::NotFound("passport"))?;
    let shown = at_version(store, actor, Entity::Passport, pupil.0, current, version).await?;
    let photo = match &shown.passport.photo {
        Some(p) => store.passport_photo(&scope, pupil, &p.sha256).await?.map(|ph| ph.bytes),
        None => None,
    };
    let doc = PassportCopy {
        context: context(store, actor, &p, via.copy_for(actor)).await?,
        updated_on: day_of(&shown.updated_at).unwrap_or_else(|| actor.today()),
        version: u32::try_from(shown.version).unwrap_or(0),
        passport: shown.passport,
        photo,
    };
    let pdf = typeset(move || senplan_docs::passport_copy(&doc)).await?;
    produced(store, actor, pupil, &format!("pupil passport (version {})", shown.version)).await?;
    Ok(pdf)
}

/// The day of a stored instant ("2026-11-20T09:14:03Z").
fn day_of(stamp: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(stamp.get(..10)?, "%Y-%m-%d").ok()
}
