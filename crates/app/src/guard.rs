//! Turning a store's "not found" for something the actor may not see into the same
//! "not found" for them, with the refusal written to the pupil's audit trail when the
//! record does exist (security.md: refused attempts are audited; R31).
//!
//! A use case that changes records does its steps in an inner function holding the
//! unit of work and passes that function's result here: by then the unit of work has
//! ended (SQLite has one writer), so the refusal can be written.

use senplan_core::actor::Actor;
use senplan_core::ids::PupilId;
use senplan_store::history::Entity;
use senplan_store::{Ctx, Store};

use crate::error::{AppError, Result};

/// What a read was aimed at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    Pupil(PupilId),
    Record(Entity, i64),
}

/// The read's result; on "not found", the refusal is audited first.
pub(crate) async fn seen<T, E: Into<AppError>>(store: &Store, actor: &Actor, target: Target, what: &str, r: Result<T, E>) -> Result<T> {
    match r.map_err(Into::into) {
        Ok(v) => Ok(v),
        Err(AppError::NotFound(found)) => {
            let ctx = Ctx::of(actor);
            match target {
                Target::Pupil(p) => store.audit_refusal(actor.school(), p, what, &ctx).await?,
                Target::Record(entity, id) => store.audit_refused_record(actor.school(), entity, id, what, &ctx).await?,
            };
            Err(AppError::NotFound(found))
        }
        Err(e) => Err(e),
    }
}

/// Appends one school-wide entry for a list of pupils read (the register, the roll):
/// what was listed and how many pupils it named.
pub(crate) async fn listed(store: &Store, actor: &Actor, what: &str, pupils: usize) -> Result<()> {
    let entity = format!("{what}, {pupils} pupil{}", if pupils == 1 { "" } else { "s" });
    let ev = senplan_store::audit::Event { school: Some(actor.school()), action: "view", entity: &entity, entity_id: None, pupil: None };
    store.audit_event(&ev, &Ctx::of(actor)).await?;
    Ok(())
}

/// Appends "viewed `what`" to the pupil's audit trail.
pub(crate) async fn viewed(store: &Store, actor: &Actor, pupil: PupilId, what: &str) -> Result<()> {
    store.audit_view(&actor.scope(), pupil, what, &Ctx::of(actor)).await?;
    Ok(())
}
