//! Every version of a record (R20), with the pupil it belongs to; reading a pupil's
//! history is audited as a view of that record's history.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::record::{HistoryEntry, Pupil};
use senplan_store::Store;
use senplan_store::history::Entity;

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};
use senplan_core::Invalid;

/// A record's versions, oldest first, and its pupil (none for a school's own record).
#[derive(Debug, Clone)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
    pub pupil: Option<Pupil>,
}

/// The history of record `id` of kind `entity` (as named in the API's route): an
/// unknown kind is a field error on `entity`; a record with no versions is not found.
pub async fn history(store: &Store, actor: &Actor, school: i64, entity: &str, id: i64) -> Result<History> {
    school_for(actor, school, Permission::ViewRecord)?;
    let entity = Entity::parse(entity).ok_or_else(|| {
        Invalid::one(
            "entity",
            "unknown_entity",
            format!("'{entity}' keeps no history; expected school, pupil, needs, cycle, plan, review, costing_settings or impact"),
        )
    })?;
    let scope = actor.scope();
    let what = format!("{} history", entity.as_str());
    let entries = seen(store, actor, Target::Record(entity, id), &what, store.history(&scope, entity, id).await).await?;
    if entries.is_empty() {
        return Err(AppError::NotFound("record"));
    }
    let pupil = match store.pupil_of_record(&scope, entity, id).await? {
        Some(p) => {
            viewed(store, actor, p, &what).await?;
            Some(store.pupil(&scope, p).await?)
        }
        None => None,
    };
    Ok(History { entries, pupil })
}
