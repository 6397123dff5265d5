//! A pupil's details, SEN status (R01) and needs (R02): reading them (audited as a
//! view, refusals audited) and changing them (the SENCO), within the actor's scope.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::actor::Scope;
use senplan_core::cycle::Action;
use senplan_core::ids::PupilId;
use senplan_core::need::NeedInput;
use senplan_core::pupil::{PupilDetails, PupilInput};
use senplan_core::record::{Cycle, NeedSet, Pupil, RegisterRow, StatusEntry};
use senplan_core::status::{self, ChangeSource, SenStatus, StatusChange};
use senplan_store::register::PupilSearch;
use senplan_store::{Ctx, Store, Work};

use crate::access::school_for;
use crate::error::Result;
use crate::guard::{Target, seen, viewed};

/// A pupil, read to show `what` of their record (details, status, needs): audited.
pub async fn pupil(store: &Store, actor: &Actor, school: i64, pupil: PupilId, what: &str) -> Result<Pupil> {
    school_for(actor, school, Permission::ViewRecord)?;
    let p = seen(store, actor, Target::Pupil(pupil), what, store.pupil(&actor.scope(), pupil).await).await?;
    viewed(store, actor, pupil, what).await?;
    Ok(p)
}

/// A pupil about to be changed by someone who may change records (a form shown
/// again with errors); not a view of anything the actor did not type.
pub async fn pupil_to_change(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Pupil> {
    school_for(actor, school, Permission::EditRecord)?;
    seen(store, actor, Target::Pupil(pupil), "pupil", store.pupil(&actor.scope(), pupil).await).await
}

/// Adds a pupil to the school's roll.
pub async fn create_pupil(store: &Store, actor: &Actor, school: i64, input: PupilInput) -> Result<Pupil> {
    school_for(actor, school, Permission::EditRecord)?;
    let details = input.validate(actor.today())?;
    Ok(store.create_pupil(&actor.scope(), &details, &Ctx::of(actor)).await?)
}

/// Validates typed details against today (for forms that collect their own errors).
pub fn check_details(actor: &Actor, input: PupilInput) -> Result<PupilDetails> {
    Ok(input.validate(actor.today())?)
}

/// Changes a pupil's details, based on `version`.
pub async fn update_pupil(
    store: &Store,
    actor: &Actor,
    school: i64,
    pupil: PupilId,
    version: i64,
    details: &PupilDetails,
) -> Result<Pupil> {
    pupil_to_change(store, actor, school, pupil).await?;
    Ok(store.update_pupil(&actor.scope(), pupil, version, details, &Ctx::of(actor)).await?)
}

/// The status history, newest first: audited.
pub async fn status_history(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Vec<StatusEntry>> {
    school_for(actor, school, Permission::ViewRecord)?;
    let h = seen(store, actor, Target::Pupil(pupil), "status", store.status_history(&actor.scope(), pupil).await).await?;
    viewed(store, actor, pupil, "status").await?;
    Ok(h)
}

/// Changes the SEN status (R01), in one unit of work with what it means for the
/// graduated approach (R05): a pupil placed on SEN support (K) starts a cycle that
/// day, unless one is open; a pupil whose support ends (N) has their open cycle
/// closed that day, whatever its stage.
pub async fn change_status(store: &Store, actor: &Actor, school: i64, pupil: PupilId, change: &StatusChange) -> Result<Vec<StatusEntry>> {
    pupil_to_change(store, actor, school, pupil).await?;
    let scope = actor.scope();
    let mut work = store.work(Ctx::of(actor)).await?;
    apply_status(&mut work, &scope, pupil, change, ChangeSource::Entered).await?;
    work.commit().await?;
    Ok(store.status_history(&scope, pupil).await?)
}

/// Records a status change and opens or closes the cycle to match.
pub(crate) async fn apply_status(
    work: &mut Work<'_>,
    scope: &Scope,
    pupil: PupilId,
    change: &StatusChange,
    source: ChangeSource,
) -> Result<()> {
    work.record_status(scope, pupil, change, source).await?;
    match change.status {
        SenStatus::K => {
            work.open_next_cycle(scope, pupil, change.start, Default::default()).await?;
        }
        SenStatus::N => {
            if let Some(open) = work.open_cycle_of(scope, pupil).await? {
                work.close_cycle(scope, open, change.start, Action::EndSupport).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Ends SEN support (status N) if the pupil is on it (K): a pupil with an EHC plan
/// keeps their status when a cycle's review ends the school's own support.
pub(crate) async fn end_support_if_on_it(work: &mut Work<'_>, scope: &Scope, pupil: PupilId, end: &StatusChange) -> Result<()> {
    let history = work.status_periods(scope, pupil).await?;
    if status::current(&history) != SenStatus::K {
        return Ok(());
    }
    apply_status(work, scope, pupil, end, ChangeSource::Entered).await
}

/// The pupil's needs: audited.
pub async fn needs(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<NeedSet> {
    school_for(actor, school, Permission::ViewRecord)?;
    let n = seen(store, actor, Target::Pupil(pupil), "needs", store.needs(&actor.scope(), pupil).await).await?;
    viewed(store, actor, pupil, "needs").await?;
    Ok(n)
}

/// The needs as stored now, for a form shown again after a conflict.
pub async fn needs_to_change(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<NeedSet> {
    pupil_to_change(store, actor, school, pupil).await?;
    Ok(store.needs(&actor.scope(), pupil).await?)
}

/// Replaces the pupil's list of needs, based on `version`.
pub async fn set_needs(store: &Store, actor: &Actor, school: i64, pupil: PupilId, version: i64, needs: &[NeedInput]) -> Result<NeedSet> {
    pupil_to_change(store, actor, school, pupil).await?;
    Ok(store.set_needs(&actor.scope(), pupil, version, needs, &Ctx::of(actor)).await?)
}

/// The pupil's cycles, newest first: audited.
pub async fn cycles(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Vec<Cycle>> {
    school_for(actor, school, Permission::ViewRecord)?;
    let c = seen(store, actor, Target::Pupil(pupil), "cycles", store.cycles(&actor.scope(), pupil).await).await?;
    viewed(store, actor, pupil, "cycles").await?;
    Ok(c)
}

/// Every pupil the actor may see, whatever their status: audited as one list read.
pub async fn roll(store: &Store, actor: &Actor, school: i64) -> Result<Vec<RegisterRow>> {
    school_for(actor, school, Permission::ViewRecord)?;
    let all = store.roll(&actor.scope()).await?;
    crate::guard::listed(store, actor, "pupil list", all.len()).await?;
    Ok(all)
}

/// The whole-school pupil list (any status) matching `search`, as the actor may see
/// it, with the year groups to choose from: audited as one list read naming how many
/// pupils it showed.
pub async fn find_pupils(store: &Store, actor: &Actor, school: i64, search: &PupilSearch) -> Result<(Vec<RegisterRow>, Vec<String>)> {
    school_for(actor, school, Permission::ViewRecord)?;
    let (rows, years) = store.find_pupils(&actor.scope(), search).await?;
    crate::guard::listed(store, actor, "pupil search", rows.len()).await?;
    Ok((rows, years))
}

/// A pupil with their needs, for the needs page: audited once as a view of the needs.
pub async fn pupil_with_needs(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<(Pupil, NeedSet)> {
    let p = self::pupil(store, actor, school, pupil, "needs").await?;
    Ok((p, store.needs(&actor.scope(), pupil).await?))
}
