//! The SENCO's oversight: concerns and requests from families (R04, R20), and who can
//! see a pupil's record with its audit trail, refusals included, and time-limited
//! access for outside professionals (R31).

use chrono::NaiveDate;
use senplan_core::access::{Permission, Relationship, Role};
use senplan_core::actor::Actor;
use senplan_core::ids::{PupilId, UserId};
use senplan_core::record::{AuditEntry, Concern, Pupil, RelationshipRecord};
use senplan_core::request::{RequestState, next_step};
use senplan_store::audit::Event;
use senplan_store::portal::PortalRequest;
use senplan_store::relationships::NewRelationship;
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::Result;
use crate::guard::{Target, seen, viewed};

/// Unanswered concerns and families' requests, each with its pupil.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub concerns: Vec<(Concern, Pupil)>,
    /// Every request not done yet (oldest first), then the 50 done most recently.
    pub requests: Vec<(PortalRequest, Pupil)>,
    /// The day each request for a copy of the records is due (R20), by request id.
    pub records_due: Vec<(i64, chrono::NaiveDate)>,
}

/// What families have raised and asked for, across the pupils the actor sees: audited
/// as one view of the school's concerns.
pub async fn inbox(store: &Store, actor: &Actor, school: i64) -> Result<Inbox> {
    let school = school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let mut concerns = Vec::new();
    for c in store.unanswered_concerns(&scope).await? {
        let p = store.pupil(&scope, c.pupil_id).await?;
        concerns.push((c, p));
    }
    let mut requests = Vec::new();
    let all = store.school_requests(&scope).await?;
    let open = all.iter().filter(|r| r.state != RequestState::Done).count();
    for r in all.into_iter().take(open + 50) {
        let p = store.pupil(&scope, r.pupil_id).await?;
        requests.push((r, p));
    }
    let what = format!("concerns and requests: {} concerns, {} requests", concerns.len(), requests.len());
    store
        .audit_event(&Event { school: Some(school), action: "view", entity: &what, entity_id: None, pupil: None }, &Ctx::of(actor))
        .await?;
    let listed: Vec<PortalRequest> = requests.iter().map(|(r, _)| r.clone()).collect();
    let records_due = crate::records_copy::due_dates(&listed, crate::records_copy::school_calendar(store, school).await?.as_ref());
    Ok(Inbox { concerns, requests, records_due })
}

/// A family's concern as their letter (PDF), for the SENCO or headteacher who sees the
/// family's correspondence on the pupil's record (whole-school sight only, as there).
pub async fn family_letter_pdf(store: &Store, actor: &Actor, school: i64, pupil: PupilId, concern: i64) -> Result<senplan_docs::Pdf> {
    school_for(actor, school, Permission::ViewRecord)?;
    if !actor.scope().is_whole_school() {
        let refused: Result<senplan_docs::Pdf> = Err(crate::error::AppError::NotFound("letter"));
        return seen(store, actor, Target::Pupil(pupil), "family letter", refused).await;
    }
    crate::portal::family_letter(store, actor, pupil, concern).await
}

/// Answers a concern with a dated response, based on `version`.
pub async fn answer_concern(store: &Store, actor: &Actor, school: i64, concern: i64, version: i64, response: &str) -> Result<Concern> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = store.answer_concern(&actor.scope(), concern, version, response, actor.today(), &Ctx::of(actor)).await;
    seen(store, actor, Target::Record(senplan_store::history::Entity::Concern, concern), "concern", r).await
}

/// A step someone took on a family's request: what it became, on which day, and the
/// note the family reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTaken {
    pub to: RequestState,
    pub on: NaiveDate,
    pub note: String,
}

/// Moves a family's request on (R04, R20): taken in hand, or done with a note the
/// family reads, dated on `on`, based on `version`. The step is checked by
/// `core::request::next_step` against where the request stands now.
pub async fn work_request(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, step: &StepTaken) -> Result<PortalRequest> {
    school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let target = Target::Record(senplan_store::history::Entity::Request, id);
    let current = seen(store, actor, target, "request", store.request(&scope, id).await).await?;
    let step = next_step(current.state, current.last_on(), step.to, step.on, &step.note, actor.name(), actor.today())?;
    let r = store.work_request(&scope, id, version, step, &Ctx::of(actor)).await;
    seen(store, actor, target, "request", r).await
}

/// Logs a concern that a parent, carer or young person raised in person, by phone or
/// by letter, on their behalf (R04): it is theirs (`raised_by` names them) and the
/// member of staff who logged it is in its history and the audit trail.
pub async fn log_concern_for_family(
    store: &Store,
    actor: &Actor,
    school: i64,
    pupil: PupilId,
    raised_by: &str,
    text: &str,
) -> Result<Concern> {
    school_for(actor, school, Permission::EditRecord)?;
    crate::records::visible_pupil(store, actor, pupil, "concern").await?;
    let mut e = senplan_core::Invalid::default();
    let who = senplan_core::error::clean_text("raised_by", raised_by, 200, &mut e);
    e.require_text("raised_by", &who, "who raised the concern, for example Mrs Khan (parent)");
    e.into_result()?;
    let by = format!("{who}, logged by {}", actor.name());
    let r = store.raise_concern(&actor.scope(), pupil, &by, text, false, &Ctx::of(actor)).await;
    seen(store, actor, Target::Pupil(pupil), "concern", r).await
}

/// Who can see a pupil's record, the outside professionals who could be given access,
/// and the record's audit trail (views, changes and refusals), newest first.
#[derive(Debug, Clone)]
pub struct AccessView {
    pub pupil: Pupil,
    pub relationships: Vec<RelationshipRecord>,
    /// (account, name) of the school's outside professionals.
    pub professionals: Vec<(UserId, String)>,
    pub audit: Vec<AuditEntry>,
}

/// The access page: the SENCO. Audited as a view of "access and audit".
pub async fn access_view(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<AccessView> {
    let school = school_for(actor, school, Permission::ViewAudit)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "access and audit", store.pupil(&scope, pupil).await).await?;
    let relationships = store.pupil_relationships(&scope, pupil).await?;
    let professionals = store
        .users(school)
        .await?
        .into_iter()
        .filter(|u| u.role == Role::ExternalProfessional && !u.disabled)
        .map(|u| (u.id, u.name))
        .collect();
    let audit = store.audit_for_pupil(&scope, pupil).await?;
    viewed(store, actor, pupil, "access and audit").await?;
    Ok(AccessView { pupil: p, relationships, professionals, audit })
}

/// Everyone connected to a pupil, current and past (the grants API lists the grants).
pub async fn relationships(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Vec<RelationshipRecord>> {
    school_for(actor, school, Permission::ViewAudit)?;
    let r = store.pupil_relationships(&actor.scope(), pupil).await;
    let all = seen(store, actor, Target::Pupil(pupil), "access and audit", r).await?;
    viewed(store, actor, pupil, "access").await?;
    Ok(all)
}

/// Gives an outside professional access to one pupil from today until `until`
/// (R31): a grant must end, on or after today, and only an outside professional's
/// account can hold one. Returns the relationship's id.
pub async fn grant_access(
    store: &Store,
    actor: &Actor,
    school: i64,
    pupil: PupilId,
    user: UserId,
    until: Option<NaiveDate>,
) -> Result<i64> {
    school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    seen(store, actor, Target::Pupil(pupil), "access", store.pupil(&scope, pupil).await).await?;
    senplan_core::access::check_grant_end(actor.today(), until).into_result()?;
    let grant = NewRelationship { user, pupil, kind: Relationship::Grant, starts_on: actor.today(), expires_on: until };
    Ok(store.relate(&scope, &grant, &Ctx::of(actor)).await?)
}

/// Ends someone's access to a pupil now. Ending access that has already ended
/// changes nothing and succeeds (a second click, or a retried request).
pub async fn withdraw_access(store: &Store, actor: &Actor, school: i64, pupil: PupilId, relationship: i64) -> Result<()> {
    school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    seen(store, actor, Target::Pupil(pupil), "access", store.pupil(&scope, pupil).await).await?;
    let all = store.pupil_relationships(&scope, pupil).await?;
    match all.iter().find(|r| r.id == relationship) {
        None => Err(crate::AppError::NotFound("relationship")),
        Some(r) if r.withdrawn_at.is_some() => Ok(()),
        Some(_) => Ok(store.withdraw_relationship(&scope, relationship, &Ctx::of(actor)).await?),
    }
}
