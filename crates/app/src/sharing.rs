//! What a college student shares with their parents (R26): the student chooses in the
//! portal; a parent's portal shows only the parts shared, and the routes behind those
//! parts (copies of the plan and reviews, the passport, a meeting's calendar file, a
//! referral) refuse the rest. The rule is `senplan_core::sharing::parent_limited`.

use senplan_core::access::{Permission, Role};
use senplan_core::actor::Actor;
use senplan_core::ids::PupilId;
use senplan_core::sharing::{Part, Shared, parent_limited};
use senplan_store::{Ctx, Store};

use crate::access::require;
use crate::error::{AppError, Result};
use crate::guard::{Target, seen};

/// The parts a parent reading through the portal may see, when limited (a parent of a
/// college student); `None` when the reader sees everything.
pub async fn parent_limits(store: &Store, actor: &Actor, pupil: PupilId) -> Result<Option<Shared>> {
    let is_parent = actor.role() == Some(Role::ParentCarer);
    if !is_parent {
        return Ok(None);
    }
    let setting = store.school(actor.school()).await?.details.setting;
    let shared = match store.sharing(&actor.scope(), pupil).await {
        Ok((shared, _)) => shared,
        // Not the parent's child: the caller's own check refuses it, audited.
        Err(senplan_store::StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(parent_limited(setting, is_parent, shared))
}

/// Refused (as not found: the parent is not told what exists) unless the reader may see
/// `part` of the pupil's record in the portal.
pub async fn require_part(store: &Store, actor: &Actor, pupil: PupilId, part: Part) -> Result<()> {
    match parent_limits(store, actor, pupil).await? {
        Some(shared) if !shared.shares(part) => Err(AppError::NotFound("page")),
        _ => Ok(()),
    }
}

/// The student's own choice and its version, when they may make one: a young person on
/// their own account at a college. `None` otherwise.
pub async fn own_choice(store: &Store, actor: &Actor, pupil: PupilId) -> Result<Option<(Shared, i64)>> {
    if actor.role() != Some(Role::YoungPerson) {
        return Ok(None);
    }
    let setting = store.school(actor.school()).await?.details.setting;
    if setting != senplan_core::school::SettingType::FurtherEducation {
        return Ok(None);
    }
    Ok(Some(store.sharing(&actor.scope(), pupil).await?))
}

/// The student saves what they share with their parents, based on `version`.
pub async fn save_choice(store: &Store, actor: &Actor, pupil: PupilId, version: i64, shared: Shared) -> Result<i64> {
    require(actor, Permission::UsePortal)?;
    seen(store, actor, Target::Pupil(pupil), "sharing", store.pupil(&actor.scope(), pupil).await).await?;
    if own_choice(store, actor, pupil).await?.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(store.save_sharing(&actor.scope(), pupil, version, shared, &Ctx::of(actor)).await?)
}
