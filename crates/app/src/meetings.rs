//! Meetings with parents (R14) and telling parents about SEN support (R08): the
//! SENCO schedules a meeting (perhaps answering a family's request for one, which is
//! then in hand), records what happened or cancels it, ticks off agreed actions, and
//! records that the parents were told. Staff who see the pupil read it all; every
//! read and change is audited in the pupil's trail.

use chrono::NaiveDate;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::PupilId;
use senplan_core::informing::ParentsTold;
use senplan_core::meeting::{Meeting, MeetingsInYear, Outcome, Schedule, complete_action, conclude, meetings_in_year};
use senplan_core::record::Pupil;
use senplan_core::request::{RequestState, next_step};
use senplan_core::status::SenStatus;
use senplan_store::history::Entity;
use senplan_store::meetings::{MeetingRecord, ToldRecord};
use senplan_store::portal::{PortalRequest, RequestKind};
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};
use crate::guard::{Target, seen, viewed};

/// A pupil's meetings page.
#[derive(Debug, Clone)]
pub struct MeetingsView {
    pub pupil: Pupil,
    /// Latest first.
    pub meetings: Vec<MeetingRecord>,
    /// Against the three a year, for a pupil on SEN support.
    pub year: Option<MeetingsInYear>,
    pub told: Option<ToldRecord>,
    /// Whether the school must record that the parents were told.
    pub must_tell: bool,
    /// The family's requests for a meeting not done yet, which a meeting can answer.
    pub requests: Vec<PortalRequest>,
    /// The letter telling the parents, ready to print or copy.
    pub letter: String,
}

/// The meetings page of a pupil (staff who see the pupil): audited as a view of meetings.
pub async fn meetings(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<MeetingsView> {
    let school = school_for(actor, school, Permission::ViewRecord)?;
    let scope = actor.scope();
    let p = crate::records::visible_pupil(store, actor, pupil, "meetings").await?;
    let meetings = store.meetings(&scope, pupil).await?;
    let told = store.parents_told(&scope, pupil).await?;
    let history = store.status_history(&scope, pupil).await?;
    let since = history.iter().rev().find(|h| h.period.end.is_none() && h.period.status == SenStatus::K).map(|h| h.period.start);
    let young = senplan_core::pupil::consent_giver(p.details.date_of_birth, actor.today()) == senplan_core::pupil::ConsentGiver::YoungPerson;
    let held: Vec<NaiveDate> =
        meetings.iter().filter(|m| m.meeting.qualifies(young)).filter_map(|m| m.meeting.held().map(|h| h.held_on)).collect();
    let year = since.map(|s| meetings_in_year(s, &held, actor.today()));
    let open_cycle = store.cycles(&scope, pupil).await?.iter().any(|c| c.closed_on.is_none());
    let must_tell = senplan_core::informing::must_tell(p.status, open_cycle, told.is_some());
    let requests = if actor.may(Permission::EditRecord) {
        store
            .requests(&scope, pupil)
            .await?
            .into_iter()
            .filter(|r| r.kind == RequestKind::Meeting.as_str() && r.state != RequestState::Done)
            .collect()
    } else {
        Vec::new()
    };
    let written = crate::letters::sen_support_text(store, actor, &store.school(school).await?, &p).await?;
    let letter = format!("{}\n\n{}", written.subject, written.text);
    viewed(store, actor, pupil, "meetings").await?;
    Ok(MeetingsView { pupil: p, meetings, year, told, must_tell, requests, letter })
}

/// Whether the school must still record that the pupil's parents were told (R08), for
/// a page about the pupil the caller has already opened (and audited).
pub async fn parents_not_yet_told(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<bool> {
    school_for(actor, school, Permission::ViewRecord)?;
    let scope = actor.scope();
    let p = store.pupil(&scope, pupil).await?;
    let told = store.parents_told(&scope, pupil).await?;
    let open_cycle = store.cycles(&scope, pupil).await?.iter().any(|c| c.closed_on.is_none());
    Ok(senplan_core::informing::must_tell(p.status, open_cycle, told.is_some()))
}

/// One meeting of a pupil (staff who see the pupil), audited.
pub async fn meeting(store: &Store, actor: &Actor, school: i64, id: i64) -> Result<(MeetingRecord, Pupil)> {
    school_for(actor, school, Permission::ViewRecord)?;
    let scope = actor.scope();
    let m = seen(store, actor, Target::Record(Entity::Meeting, id), "meeting", store.meeting(&scope, id).await).await?;
    let p = store.pupil(&scope, m.pupil_id).await?;
    viewed(store, actor, m.pupil_id, "meeting").await?;
    Ok((m, p))
}

/// Whether the actor may change meetings and the record that parents were told (the
/// SENCO), for a page to ask before it reads a form.
pub fn may_change(actor: &Actor, school: i64) -> Result<()> {
    school_for(actor, school, Permission::EditRecord).map(|_| ())
}

/// The family's request a new meeting answers, with the version the SENCO saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answering {
    pub request: i64,
    pub version: i64,
}

/// Schedules a meeting for a pupil (the SENCO): on today or later. When it answers a
/// family's request for a meeting, the request is done in the same unit of work, with
/// a note the family reads ("Meeting booked for Thursday 3 December 2026 at 3:30pm in
/// the SENCO's office").
pub async fn schedule(
    store: &Store,
    actor: &Actor,
    school: i64,
    pupil: PupilId,
    schedule: Schedule,
    answering: Option<Answering>,
) -> Result<MeetingRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    crate::records::visible_pupil(store, actor, pupil, "meeting").await?;
    let today = actor.today();
    let schedule = schedule.validate(today)?;
    let m = Meeting { schedule, outcome: Outcome::Scheduled };
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        if let Some(a) = answering {
            let req = work.request(&scope, a.request).await?;
            if req.pupil_id != pupil || req.kind != RequestKind::Meeting.as_str() {
                return Err(AppError::from(senplan_core::Invalid::one(
                    "request",
                    "not_a_meeting_request",
                    "That request is not this pupil's request for a meeting",
                )));
            }
            let place = if m.schedule.online { "online".to_owned() } else { format!("in {}", m.schedule.place) };
            let note = format!("Meeting booked for {} {place}", m.when_in_words());
            let step = next_step(req.state, req.last_on(), RequestState::Done, today, &note, actor.name(), today)?;
            work.work_request(&scope, a.request, a.version, step).await?;
        }
        let saved = work.add_meeting(&scope, pupil, &m, answering.map(|a| a.request)).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Pupil(pupil), "meeting", r).await
}

/// Records a meeting that has already been held (the SENCO): dated today or before,
/// with who came, notes and agreed actions.
pub async fn record_held(
    store: &Store,
    actor: &Actor,
    school: i64,
    pupil: PupilId,
    schedule: Schedule,
    held: senplan_core::meeting::Held,
) -> Result<MeetingRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    crate::records::visible_pupil(store, actor, pupil, "meeting").await?;
    let today = actor.today();
    let schedule = schedule.validate_past(today);
    let held = held.validate(today);
    let (schedule, held) = match (schedule, held) {
        (Ok(s), Ok(h)) => (s, h),
        (s, h) => {
            let mut e = senplan_core::Invalid::default();
            e.errors.extend(s.err().into_iter().flat_map(|e| e.errors));
            e.errors.extend(h.err().into_iter().flat_map(|e| e.errors));
            return Err(e.into());
        }
    };
    let m = Meeting { schedule, outcome: Outcome::Held(held) };
    let r = async {
        let mut work = store.work(Ctx::of(actor)).await?;
        let saved = work.add_meeting(&actor.scope(), pupil, &m, None).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Pupil(pupil), "meeting", r).await
}

/// Records a scheduled meeting as held (what happened) or cancelled (why), based on
/// `version` (the SENCO).
pub async fn conclude_meeting(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, outcome: Outcome) -> Result<MeetingRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        let current = work.meeting(&scope, id).await?;
        let next = conclude(&current.meeting, outcome, actor.today())?;
        let saved = work.save_meeting(&scope, id, version, next).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Record(Entity::Meeting, id), "meeting", r).await
}

/// Marks agreed action `index` (from 0) of a meeting done on `on`, based on `version`
/// (the SENCO).
pub async fn complete(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, index: usize, on: NaiveDate) -> Result<MeetingRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    let r = async {
        let scope = actor.scope();
        let mut work = store.work(Ctx::of(actor)).await?;
        let mut current = work.meeting(&scope, id).await?;
        complete_action(&mut current.meeting, index, on, actor.today())?;
        let saved = work.save_meeting(&scope, id, version, current.meeting).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Record(Entity::Meeting, id), "meeting", r).await
}

/// Records that the pupil's parents were told about SEN support (the SENCO), based
/// on `version` (0 for the first record).
pub async fn record_parents_told(
    store: &Store,
    actor: &Actor,
    school: i64,
    pupil: PupilId,
    version: i64,
    told: ParentsTold,
) -> Result<ToldRecord> {
    school_for(actor, school, Permission::EditRecord)?;
    crate::records::visible_pupil(store, actor, pupil, "parents told").await?;
    let told = told.validate(actor.today())?;
    let r = async {
        let mut work = store.work(Ctx::of(actor)).await?;
        let saved = work.record_parents_told(&actor.scope(), pupil, version, told).await?;
        work.commit().await?;
        Ok::<_, AppError>(saved)
    }
    .await;
    seen(store, actor, Target::Pupil(pupil), "parents told", r).await
}
