//! The family portal (R21, R04, R20): a parent or carer, or a young person with their
//! own account, reads the plan and reviews of the pupils they are linked to, gives
//! their views, raises concerns and asks for a meeting or a copy of the records, or
//! writes all of it as one letter to the school (seed 003).

use senplan_core::access::{Permission, Role};
use senplan_core::actor::Actor;
use senplan_core::ids::PupilId;
use senplan_core::parent_letter::ParentLetter;
use senplan_core::record::{Concern, Cycle, NeedSet, Plan, Pupil, Review};
use senplan_store::portal::RequestKind;
use senplan_store::{Ctx, Store};

use crate::access::require;
use crate::error::Result;
use crate::guard::{Target, seen, viewed};

/// The pupils the family member is linked to today, in id order.
pub async fn family_pupils(store: &Store, actor: &Actor) -> Result<Vec<PupilId>> {
    require(actor, Permission::UsePortal)?;
    let (Some(user), Some(role)) = (actor.user(), actor.role()) else { return Ok(Vec::new()) };
    Ok(store.family_pupils(user, role, actor.today()).await?)
}

/// What the portal shows about one pupil.
#[derive(Debug, Clone)]
pub struct PortalView {
    pub school_name: String,
    /// How the family reaches the SENCO, the Local Offer and SENDIASS.
    pub contacts: senplan_core::school::FamilyContacts,
    pub pupil: Pupil,
    pub needs: NeedSet,
    /// The cycle in progress and its plan.
    pub current: Option<Cycle>,
    pub plan: Option<Plan>,
    /// Reviews of closed cycles with the plan each reviewed, newest first.
    pub reviews: Vec<(Review, Plan)>,
    pub concerns: Vec<Concern>,
    /// What the family asked for and where each request stands, newest first.
    pub requests: Vec<senplan_store::portal::PortalRequest>,
    /// Meetings with the school, latest first (R14).
    pub meetings: Vec<senplan_store::meetings::MeetingRecord>,
    /// The help given this half term, week by week, for each provision of the current
    /// plan while its support is in place (R37). No costs.
    pub help: Vec<senplan_core::help_given::HelpGiven>,
    /// The reader is the young person (their own account).
    pub own_account: bool,
    /// The day each request for a copy of the records is due (R20), by request id.
    pub records_due: Vec<(i64, chrono::NaiveDate)>,
    /// Referrals to other services the family sees (R18), newest first.
    pub referrals: Vec<senplan_store::referrals::ReferralRecord>,
    /// For a parent of a college student, what the student shares (the rest is left
    /// out above); `None` when the reader sees everything (R26).
    pub limited_to: Option<senplan_core::sharing::Shared>,
    /// For a college student on their own account, what they share and its version.
    pub own_choice: Option<(senplan_core::sharing::Shared, i64)>,
}

/// One pupil's portal page: audited as a view through the portal.
pub async fn portal_view(store: &Store, actor: &Actor, pupil: PupilId) -> Result<PortalView> {
    require(actor, Permission::UsePortal)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "portal", store.pupil(&scope, pupil).await).await?;
    let school = store.school(actor.school()).await?;
    let (school_name, contacts) = (school.details.name, school.contacts);
    let needs = store.needs(&scope, pupil).await?;
    let cycles = store.cycles(&scope, pupil).await?;
    let current = cycles.iter().find(|c| c.closed_on.is_none()).cloned();
    let plan = match &current {
        Some(c) => store.cycle_plan(&scope, c.id).await?,
        None => None,
    };
    let mut reviews = Vec::new();
    for c in cycles.iter().filter(|c| c.closed_on.is_some()) {
        if let (Some(r), Some(pl)) = (store.cycle_review(&scope, c.id).await?, store.cycle_plan(&scope, c.id).await?) {
            reviews.push((r, pl));
        }
    }
    // A teacher's own concern (R03) is the school's, not the family's: not listed here.
    let concerns = store.concerns(&scope, pupil).await?.into_iter().filter(|c| !c.raised_by_staff).collect();
    let requests = store.requests(&scope, pupil).await?;
    let meetings = store.meetings(&scope, pupil).await?;
    let help = help_given(store, actor, current.as_ref(), plan.as_ref()).await?;
    let referrals = crate::referrals::family_referrals(store, actor, pupil).await?;
    viewed(store, actor, pupil, "portal").await?;
    let own_account = actor.role() == Some(Role::YoungPerson);
    let records_due = crate::records_copy::due_dates(&requests, crate::records_copy::school_calendar(store, actor.school()).await?.as_ref());
    let limited_to = crate::sharing::parent_limits(store, actor, pupil).await?;
    let own_choice = crate::sharing::own_choice(store, actor, pupil).await?;
    let mut view = PortalView { school_name, contacts, pupil: p, needs, current, plan, reviews, concerns, requests, meetings, help, own_account, records_due, referrals, limited_to, own_choice };
    if let Some(shared) = limited_to {
        limit(&mut view, shared);
    }
    Ok(view)
}

/// Leaves out of a parent's view what the college student has not shared (R26).
fn limit(view: &mut PortalView, shared: senplan_core::sharing::Shared) {
    use senplan_core::sharing::Part;
    if !shared.shares(Part::Plan) {
        view.needs.needs.clear();
        view.current = None;
        view.plan = None;
        view.help.clear();
    }
    if !shared.shares(Part::Reviews) {
        view.reviews.clear();
    }
    if !shared.shares(Part::Meetings) {
        view.meetings.clear();
    }
    if !shared.shares(Part::Referrals) {
        view.referrals.clear();
    }
}

fn relationship_word(actor: &Actor) -> &'static str {
    if actor.role() == Some(Role::YoungPerson) { "young person" } else { "parent or carer" }
}

/// Gives the family's views for the next review.
pub async fn give_views(store: &Store, actor: &Actor, pupil: PupilId, views: &str) -> Result<()> {
    require(actor, Permission::UsePortal)?;
    let r = store.give_views(&actor.scope(), pupil, relationship_word(actor), views, &Ctx::of(actor)).await;
    seen(store, actor, Target::Pupil(pupil), "portal", r).await
}

/// Raises a concern the school answers in writing.
pub async fn raise_concern(store: &Store, actor: &Actor, pupil: PupilId, concern: &str) -> Result<Concern> {
    require(actor, Permission::UsePortal)?;
    let r = store.raise_concern(&actor.scope(), pupil, actor.name(), concern, false, &Ctx::of(actor)).await;
    seen(store, actor, Target::Pupil(pupil), "portal", r).await
}

/// What sending the family's letter did: the concern it is logged as, and the
/// requests it made.
#[derive(Debug, Clone)]
pub struct LetterSent {
    pub concern: Concern,
    pub meeting_request: Option<i64>,
    pub records_request: Option<i64>,
    pub sen_policy_request: Option<i64>,
}

/// The pupil the family is writing about, for the letter's form (audited as a view
/// through the portal).
pub async fn letter_form(store: &Store, actor: &Actor, pupil: PupilId) -> Result<Pupil> {
    require(actor, Permission::UsePortal)?;
    let p = seen(store, actor, Target::Pupil(pupil), "portal", store.pupil(&actor.scope(), pupil).await).await?;
    viewed(store, actor, pupil, "portal letter").await?;
    Ok(p)
}

/// Sends the family's letter to the school (R04, seed 003's letter filled in): checked
/// first, changing nothing when it is refused; then kept as the family's concern in
/// the letter's own words (the school answers it in writing, with a date), with a
/// request for a meeting and for a copy of the records when the letter asks for them.
pub async fn send_letter(store: &Store, actor: &Actor, pupil: PupilId, letter: ParentLetter) -> Result<LetterSent> {
    require(actor, Permission::UsePortal)?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "portal", store.pupil(&scope, pupil).await).await?;
    let (name, born, today) = (child_full_name(&p), p.details.date_of_birth, actor.today());
    let letter = letter.validate(&name, born)?;
    let ctx = Ctx::of(actor);
    let concern = store.raise_concern(&scope, pupil, actor.name(), &letter.text(&name, born), false, &ctx).await?;
    let asked = format!("Asked in the family's letter of {}", senplan_core::dates::in_words(today));
    let meeting_request = if letter.meeting {
        let details = if letter.adviser.is_empty() { asked.clone() } else { format!("{asked}; bringing {}", letter.adviser) };
        Some(store.make_request(&scope, pupil, RequestKind::Meeting, &details, &ctx).await?)
    } else {
        None
    };
    let records_request =
        if letter.records { Some(store.make_request(&scope, pupil, RequestKind::RecordsCopy, &asked, &ctx).await?) } else { None };
    let sen_policy_request =
        if letter.sen_policy { Some(store.make_request(&scope, pupil, RequestKind::SenPolicy, &asked, &ctx).await?) } else { None };
    Ok(LetterSent { concern, meeting_request, records_request, sen_policy_request })
}

/// A letter the family sent (one of their concerns), as a PDF to keep (R04).
pub async fn letter_pdf(store: &Store, actor: &Actor, pupil: PupilId, concern: i64) -> Result<senplan_docs::Pdf> {
    require(actor, Permission::UsePortal)?;
    family_letter(store, actor, pupil, concern).await
}

/// One of the family's concerns typeset as their letter, dated the day it was raised,
/// for whoever has been let through to it (the family, or the SENCO through
/// `oversight::family_letter_pdf`); audited as a document produced.
pub(crate) async fn family_letter(store: &Store, actor: &Actor, pupil: PupilId, concern: i64) -> Result<senplan_docs::Pdf> {
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "family letter", store.pupil(&scope, pupil).await).await?;
    let found = store.concerns(&scope, pupil).await?.into_iter().find(|c| c.id == concern && !c.raised_by_staff);
    let c = seen(store, actor, Target::Pupil(pupil), "family letter", found.ok_or(crate::error::AppError::NotFound("letter"))).await?;
    let name = child_full_name(&p);
    let letter = senplan_docs::Letter {
        school_name: c.raised_by.clone(),
        pupil_full_name: name.clone(),
        subject: ParentLetter::subject(&name),
        dated: c.raised_on,
        text: c.concern,
    };
    let pdf = crate::documents::typeset(move || senplan_docs::letter(&letter)).await?;
    crate::documents::produced(store, actor, pupil, "the family's letter to the school").await?;
    Ok(pdf)
}

fn child_full_name(p: &Pupil) -> String {
    let d = &p.details;
    let first = d.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| d.given_name.clone());
    format!("{first} {}", d.family_name)
}

/// Asks for a meeting or a copy of the records. Returns the request's id.
pub async fn make_request(store: &Store, actor: &Actor, pupil: PupilId, kind: RequestKind) -> Result<i64> {
    require(actor, Permission::UsePortal)?;
    let r = store.make_request(&actor.scope(), pupil, kind, "", &Ctx::of(actor)).await;
    seen(store, actor, Target::Pupil(pupil), "portal", r).await
}

/// A meeting the family is invited to, for their calendar (R14): the meeting, the
/// school's name and the pupil. Audited as a view through the portal.
pub async fn family_meeting(
    store: &Store,
    actor: &Actor,
    pupil: PupilId,
    id: i64,
) -> Result<(senplan_store::meetings::MeetingRecord, String, Pupil)> {
    require(actor, Permission::UsePortal)?;
    crate::sharing::require_part(store, actor, pupil, senplan_core::sharing::Part::Meetings).await?;
    let scope = actor.scope();
    let p = seen(store, actor, Target::Pupil(pupil), "portal", store.pupil(&scope, pupil).await).await?;
    let m = seen(
        store,
        actor,
        Target::Record(senplan_store::history::Entity::Meeting, id),
        "meeting",
        store.meeting(&scope, id).await,
    )
    .await?;
    if m.pupil_id != pupil {
        return Err(crate::AppError::NotFound("meeting"));
    }
    let school = store.school(actor.school()).await?;
    viewed(store, actor, pupil, "meeting, calendar file").await?;
    Ok((m, school.details.name, p))
}

/// The help given this half term for each provision of a plan whose support is in
/// place (R37): the sessions logged, week by week against the plan.
async fn help_given(
    store: &Store,
    actor: &Actor,
    cycle: Option<&Cycle>,
    plan: Option<&Plan>,
) -> Result<Vec<senplan_core::help_given::HelpGiven>> {
    use senplan_core::cycle::Stage;
    let (Some(c), Some(p)) = (cycle, plan) else { return Ok(Vec::new()) };
    if !matches!(c.stage, Stage::Do | Stage::Review) {
        return Ok(Vec::new());
    }
    let today = actor.today();
    let costing = store.costing_settings(actor.school()).await?.costing;
    let terms: Vec<_> = costing.settings.calendar.terms.iter().map(|t| (t.start, t.end)).collect();
    let from = senplan_core::help_given::half_term_start(&terms, today);
    let scope = actor.scope();
    let mut out = Vec::new();
    for x in &p.content.provision {
        let logs: Vec<_> = store.provision_sessions(&scope, p.id, x.number).await?.into_iter().map(|r| r.log).collect();
        out.push(senplan_core::help_given::help_given(x, &logs, p.pupil_id.0, from, today));
    }
    Ok(out)
}
