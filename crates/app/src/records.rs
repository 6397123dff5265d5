//! Opening a pupil's record: the permission check, every store read within the
//! actor's scope, the audit entry (a view, or a refusal when the pupil exists but is
//! outside the actor's sight), and the read model the record page, the API and
//! documents render.

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::cycle::Stage;
use senplan_core::ids::PupilId;
use senplan_core::record::{Concern, Cycle, NeedSet, Plan, Pupil, Review, StatusEntry};
use senplan_store::portal::{PortalRequest, PortalViews};
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::Result;
use crate::guard::{Target, seen};

/// The cycle in progress, with its plan and how many contributions it has.
#[derive(Debug, Clone)]
pub struct OpenCycle {
    pub cycle: Cycle,
    pub plan: Option<Plan>,
    pub contributions: usize,
}

/// A closed cycle and its review (none when SEN support ended without one).
#[derive(Debug, Clone)]
pub struct ClosedCycle {
    pub cycle: Cycle,
    pub review: Option<Review>,
}

/// Everything the record page shows about one pupil.
#[derive(Debug, Clone)]
pub struct PupilRecord {
    pub pupil: Pupil,
    /// The referrals the actor may see, newest first (R18).
    pub referrals: Vec<senplan_store::referrals::ReferralRecord>,
    /// Reasonable adjustments and medical conditions (R35), if any are recorded.
    pub adjustments: Option<senplan_core::adjustments::Adjustments>,
    pub statuses: Vec<StatusEntry>,
    pub needs: NeedSet,
    pub open: Option<OpenCycle>,
    /// Newest first.
    pub closed: Vec<ClosedCycle>,
    /// The plan the latest review reviewed.
    pub last_reviewed_plan: Option<Plan>,
    pub family_views: Vec<PortalViews>,
    /// The actor may change the record (status, needs, details).
    pub can_edit: bool,
    /// The actor may see who can see the record, and its audit trail.
    pub can_audit: bool,
    /// What the family raised and asked for (R04, R20), answered or not, newest first:
    /// for those who see the whole school (the SENCO, the headteacher); empty for others.
    pub concerns: Vec<Concern>,
    pub requests: Vec<PortalRequest>,
    /// Whether the actor sees the family's concerns and requests at all.
    pub sees_correspondence: bool,
    /// The day each request for a copy of the records is due (R20), by request id.
    pub records_due: Vec<(i64, chrono::NaiveDate)>,
    /// The pupil passport in the child's own words (R30), if written.
    pub passport: Option<senplan_store::passports::PassportRecord>,
}

/// Opens a pupil's record for `actor` and audits it. A pupil outside their sight is
/// "not found", exactly like a missing one, and the refusal is audited.
pub async fn open_pupil_record(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<PupilRecord> {
    school_for(actor, school, Permission::ViewRecord)?;
    let scope = actor.scope();
    let p = visible_pupil(store, actor, pupil, "pupil record").await?;
    store.audit_view(&scope, pupil, "pupil record", &Ctx::of(actor)).await?;
    let statuses = store.status_history(&scope, pupil).await?;
    let needs = store.needs(&scope, pupil).await?;
    let cycles = store.cycles(&scope, pupil).await?;
    let mut open = None;
    let mut closed = Vec::new();
    let mut last_reviewed_plan = None;
    for c in cycles {
        if c.stage == Stage::Closed {
            let review = store.cycle_review(&scope, c.id).await?;
            if review.is_some() && !closed.iter().any(|x: &ClosedCycle| x.review.is_some()) {
                last_reviewed_plan = store.cycle_plan(&scope, c.id).await?;
            }
            closed.push(ClosedCycle { cycle: c, review });
        } else {
            let plan = store.cycle_plan(&scope, c.id).await?;
            let contributions = store.contributions(&scope, c.id).await?.len();
            open = Some(OpenCycle { cycle: c, plan, contributions });
        }
    }
    let requests = if scope.is_whole_school() { store.requests(&scope, pupil).await? } else { Vec::new() };
    let records_due = if scope.is_whole_school() {
        crate::records_copy::due_dates(&requests, crate::records_copy::school_calendar(store, scope.school()).await?.as_ref())
    } else {
        Vec::new()
    };
    Ok(PupilRecord {
        referrals: crate::referrals::visible_referrals(store, actor, pupil).await?,
        adjustments: store.adjustments(&actor.scope(), pupil).await?.map(|r| r.adjustments),
        pupil: p,
        statuses,
        needs,
        open,
        closed,
        last_reviewed_plan,
        family_views: store.portal_views(&scope, pupil).await?,
        concerns: if scope.is_whole_school() { store.concerns(&scope, pupil).await? } else { Vec::new() },
        requests,
        sees_correspondence: scope.is_whole_school(),
        passport: store.passport(&scope, pupil).await?,
        records_due,
        can_edit: actor.may(Permission::EditRecord),
        can_audit: actor.may(Permission::ViewAudit),
    })
}

/// A pupil's details (the API's `GET …/pupils/{pupil}`), audited as a view; a refusal
/// is audited as in [`open_pupil_record`].
pub async fn view_pupil(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Pupil> {
    school_for(actor, school, Permission::ViewRecord)?;
    let p = visible_pupil(store, actor, pupil, "pupil").await?;
    store.audit_view(&actor.scope(), pupil, "pupil", &Ctx::of(actor)).await?;
    Ok(p)
}

/// The pupil, if within the actor's sight; otherwise "not found", and when the pupil
/// does exist in the school the refusal goes into its audit trail.
pub async fn visible_pupil(store: &Store, actor: &Actor, pupil: PupilId, what: &str) -> Result<Pupil> {
    seen(store, actor, Target::Pupil(pupil), what, store.pupil(&actor.scope(), pupil).await).await
}
