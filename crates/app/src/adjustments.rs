//! Reasonable adjustments and medical conditions (R35): every adult who works with the
//! pupil reads them (audited as a view of the record); the SENCO records them, as a
//! whole document or one item at a time, each change a new version based on the one
//! they saw. The rules are `senplan_core::adjustments`.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::adjustments::{Adjustment, Adjustments, MedicalCondition};
use senplan_core::ids::PupilId;
use senplan_core::record::Pupil;
use senplan_core::Invalid;
use senplan_store::adjustments::AdjustmentsRecord;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::Result;
use crate::guard::viewed;
use crate::records::visible_pupil;

/// A pupil's adjustments as the actor may see them.
#[derive(Debug, Clone)]
pub struct PupilAdjustments {
    pub pupil: Pupil,
    /// The document (empty before anything is recorded) and its version (0 then).
    pub adjustments: Adjustments,
    pub version: i64,
    pub can_edit: bool,
}

/// A pupil's adjustments and medical conditions (audited as a view of the record).
pub async fn pupil_adjustments(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<PupilAdjustments> {
    school_for(actor, school, Permission::ViewRecord)?;
    let p = visible_pupil(store, actor, pupil, "adjustments").await?;
    let record = store.adjustments(&actor.scope(), pupil).await?;
    viewed(store, actor, pupil, "adjustments").await?;
    let (adjustments, version) = record.map_or((Adjustments::default(), 0), |r| (r.adjustments, r.version));
    Ok(PupilAdjustments { pupil: p, adjustments, version, can_edit: actor.may(Permission::EditRecord) })
}

/// Refused unless the actor may record adjustments in `school` (before a form is read).
pub fn may_change(actor: &Actor, school: i64) -> Result<()> {
    school_for(actor, school, Permission::EditRecord).map(|_| ())
}

/// Saves the whole document, checked, based on `version` (0 for the first).
pub async fn save_adjustments(store: &Store, actor: &Actor, school: i64, pupil: PupilId, version: i64, a: Adjustments) -> Result<AdjustmentsRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    visible_pupil(store, actor, pupil, "adjustments").await?;
    let a = a.validate()?;
    Ok(store.save_adjustments(&actor.scope(), pupil, version, a, &Ctx::of(actor)).await?)
}

/// One change to the document, as the page makes it.
#[derive(Debug, Clone)]
pub enum Change {
    AddAdjustment(Adjustment),
    /// Ends the adjustment at this place (its history keeps it).
    RemoveAdjustment(usize),
    AddCondition(MedicalCondition),
    RemoveCondition(usize),
}

/// Makes one change to the document the SENCO saw (`version`), checked as a whole; an
/// item is named by its place in the list as shown.
pub async fn change(store: &Store, actor: &Actor, school: i64, pupil: PupilId, version: i64, change: Change) -> Result<AdjustmentsRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    visible_pupil(store, actor, pupil, "adjustments").await?;
    let mut a = store.adjustments(&actor.scope(), pupil).await?.map(|r| r.adjustments).unwrap_or_default();
    let gone = || Invalid::one("item", "unknown_item", "That item is no longer recorded: open the page again");
    match change {
        Change::AddAdjustment(x) => a.adjustments.push(x),
        Change::AddCondition(x) => a.conditions.push(x),
        Change::RemoveAdjustment(i) if i < a.adjustments.len() => {
            a.adjustments.remove(i);
        }
        Change::RemoveCondition(i) if i < a.conditions.len() => {
            a.conditions.remove(i);
        }
        Change::RemoveAdjustment(_) | Change::RemoveCondition(_) => return Err(gone().into()),
    }
    let a = a.validate()?;
    Ok(store.save_adjustments(&actor.scope(), pupil, version, a, &Ctx::of(actor)).await?)
}
